// What the United States, its leaders and its officials did: sanctions, criticism, pressure,
// offers, programs set up or ended (one row per actor, relation type and target; the
// structural relations LEADER_OF, AFFILIATED_WITH, LOCATED_IN and PART_OF are left out).
MATCH (a)-[r]->(b)
WHERE (a.id = 'united-states' OR (a)-[:LEADER_OF|AFFILIATED_WITH]->(:State {id: 'united-states'})
       OR (a)-[:AFFILIATED_WITH]->(:Institution {id: 'us-state-department'}) OR a.id = 'us-state-department')
  AND NOT type(r) IN ['LEADER_OF', 'AFFILIATED_WITH', 'LOCATED_IN', 'PART_OF']
RETURN a.name AS actor, type(r) AS action, b.name AS target, count(r) AS claims
ORDER BY actor, action, target
