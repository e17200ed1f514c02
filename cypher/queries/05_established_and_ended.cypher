// Who established and who ended each program or institution, and when (year or date), per source.
MATCH (a)-[r:ESTABLISHED|ENDED]->(p)
RETURN p.name AS program, type(r) AS action, a.name AS actor, r.year AS year, r.date AS date, r.source_id AS source
ORDER BY program, action DESC, actor, year, date, source
