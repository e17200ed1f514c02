// The disasters, epidemics and wars Cuba's aid responded to (relations whose `event` names
// them), with the year of the event, what Cuba did and to whom, and how many.
MATCH (cuba:State {id: 'cuba'})-[r:DEPLOYED_TO|TREATED|SUPPLIED|OFFERED_AID_TO|TRAINED|TRANSPORTED|ESTABLISHED]->(b)
WHERE r.event IS NOT NULL
MATCH (e:Event {id: r.event})
RETURN e.name AS event, e.year AS event_year, type(r) AS action, b.name AS target, r.count AS count, r.role AS role
ORDER BY event_year, event, action, target, count, role
