// Awards and honours given to Cuba, its missions or its people: who gave them, for what, when.
MATCH (a)-[r:AWARDED]->(b)
RETURN a.name AS giver, b.name AS winner, r.role AS award, r.count AS count, r.year AS year, r.event AS event, r.source_id AS source
ORDER BY giver, winner, year
