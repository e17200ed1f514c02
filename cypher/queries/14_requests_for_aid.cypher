// Who asked Cuba or its missions for help, when, and in response to which event.
MATCH (a)-[r:REQUESTED_AID_FROM]->(b)
WHERE b.id = 'cuba' OR b.id = 'cuban-medical-missions'
RETURN a.name AS asker, b.name AS asked, r.year AS year, r.date AS date, r.status AS status, r.event AS event
ORDER BY asker, asked, year, date
