// People who lead states or bodies, when the sources say so, and what else they did in the graph.
MATCH (p:Person)-[l:LEADER_OF]->(led)
OPTIONAL MATCH (p)-[r]->(o)
WHERE type(r) <> 'LEADER_OF'
RETURN p.name AS person, led.name AS leads, l.year AS year, l.date AS date, type(r) AS also, o.name AS target
ORDER BY person, leads, year, date, also, target
