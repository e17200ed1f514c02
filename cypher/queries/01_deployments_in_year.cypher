// Where did Cuba deploy health workers in 2020, and how many? One row per claim (sources may
// disagree), with the figure, how the source qualifies it, who was sent and the source.
// Change the year in the WHERE clause for another year.
MATCH (cuba:State {id: 'cuba'})-[r:DEPLOYED_TO]->(b)
WHERE r.year = 2020
RETURN b.name AS destination, r.count AS count, r.count_qualifier AS qualifier, r.role AS role, r.source_id AS source
ORDER BY destination, count, role, source
