// Cuba in Oceania: the Pacific students it trained (or offered to train) and the health workers
// it sent to Oceania or Pacific states, with counts, dates and status.
MATCH (cuba:State {id: 'cuba'})-[r:TRAINED|DEPLOYED_TO]->(b)
WHERE b.id IN ['oceania', 'kiribati', 'solomon-islands', 'papua-new-guinea', 'fiji', 'vanuatu', 'tuvalu', 'nauru', 'east-timor']
   OR r.program = 'pacific-medical-scholarships'
RETURN b.name AS place, type(r) AS relation, r.count AS count, r.count_qualifier AS qualifier, r.role AS who,
       r.year AS year, r.date AS date, r.status AS status
ORDER BY place, relation, year, date, count, who
