// Defections: where personnel of the missions went, how many (when counted), in which year or
// month, and whether it succeeded (status: attempted, requested, refused, forecast...).
MATCH (a)-[r:DEFECTED_TO]->(b)
RETURN b.name AS destination, a.name AS defector, r.count AS count, r.count_qualifier AS qualifier, r.year AS year, r.date AS date,
       r.status AS status, r.role AS who, r.source_id AS source
ORDER BY destination, defector, year, date, count, who
