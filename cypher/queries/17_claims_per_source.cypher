// How many facts each source document supports, by relation type.
MATCH ()-[r]->()
MATCH (s:Source {id: r.source_id})
RETURN s.title AS source, s.kind AS kind, type(r) AS relation, count(r) AS facts
ORDER BY source, relation
