// The places named most often as destinations of Cuban health workers, with the largest count
// any source gives and the number of sources.
MATCH (cuba:State {id: 'cuba'})-[r:DEPLOYED_TO]->(b)
RETURN b.name AS destination, count(r) AS claims, max(r.count) AS largest_count, count(DISTINCT r.source_id) AS sources
ORDER BY claims DESC, destination
LIMIT 10
