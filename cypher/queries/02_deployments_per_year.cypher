// How many deployment claims, destinations and health workers (summing the counts the sources
// give) fall in each year? Years without a count still show their destinations.
MATCH (cuba:State {id: 'cuba'})-[r:DEPLOYED_TO]->(b)
WHERE r.year IS NOT NULL
RETURN r.year AS year, count(r) AS claims, count(DISTINCT b) AS destinations, sum(r.count) AS workers_counted
ORDER BY year
