// States that both received Cuban health workers (a DEPLOYED_TO from Cuba) and expelled, or
// tried to expel, the missions; with what they expelled, the status and the year when known.
MATCH (cuba:State {id: 'cuba'})-[d:DEPLOYED_TO]->(s:State)-[x:EXPELLED]->(target)
RETURN s.name AS state, count(DISTINCT d) AS deployment_claims, target.name AS expelled, x.status AS status, x.year AS year, x.source_id AS source
ORDER BY state, expelled, source
