// Conflicting figures: two claims of the same relation between the same actors, for the same
// year and role, whose counts differ, each with its source and locator.
MATCH (a)-[r1]->(b)<-[r2]-(a)
WHERE type(r1) = type(r2) AND r1.id < r2.id
  AND r1.count IS NOT NULL AND r2.count IS NOT NULL AND r1.count <> r2.count
  AND coalesce(r1.year, -1) = coalesce(r2.year, -1)
  AND coalesce(r1.role, '') = coalesce(r2.role, '')
RETURN a.name AS actor, type(r1) AS relation, b.name AS counterpart, r1.year AS year,
       r1.count AS count_1, r1.source_id AS source_1, r1.locator AS locator_1,
       r2.count AS count_2, r2.source_id AS source_2, r2.locator AS locator_2
ORDER BY actor, relation, counterpart, year, count_1, count_2
