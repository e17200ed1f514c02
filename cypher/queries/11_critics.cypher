// Who criticized Cuba or its medical missions, and for what; with who made the claim when the
// source attributes it.
MATCH (a)-[r:CRITICIZED]->(b)
WHERE b.id = 'cuba' OR b.id = 'cuban-medical-missions'
RETURN a.name AS critic, b.name AS target, r.role AS criticism, r.year AS year, r.claimed_by AS claimed_by, r.source_id AS source
ORDER BY critic, target, criticism
