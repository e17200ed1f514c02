// How few relations (either direction) separate two actors, and who lies on the shortest chains
// between them: here the sanctioned airline Conviasa and Saint Lucia. Change the two ids to
// compare other actors. (allShortestPaths is Neo4j syntax; embedded engines spell it their way.)
MATCH (a {id: 'conviasa'}), (b {id: 'saint-lucia'})
MATCH p = allShortestPaths((a)-[*..6]-(b))
WITH p, length(p) AS hops
UNWIND nodes(p) AS n
RETURN DISTINCT hops, n.name AS on_a_shortest_chain
ORDER BY hops, on_a_shortest_chain
