// The Venezuela-Cuba exchange: what Venezuela supplied or paid to Cuba, and what Cuba gave
// Venezuela in return (deployments, training, treatment), with programs and figures.
MATCH (a:State)-[r]->(b:State)
WHERE (a.id = 'venezuela' AND b.id = 'cuba') OR (a.id = 'cuba' AND b.id = 'venezuela')
RETURN a.name AS giver, type(r) AS relation, b.name AS receiver, r.program AS program, r.count AS count, r.quantity AS quantity,
       r.unit AS unit, r.amount_usd AS amount_usd, r.year AS year, r.role AS what
ORDER BY giver, relation, year, what, count
