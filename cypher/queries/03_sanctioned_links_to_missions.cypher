// What links each sanctioned entity to Cuba's medical missions? Its direct relations with the
// mission programs (the missions abroad, the disaster brigade, the Integrated Health Program,
// Operación Milagro, Barrio Adentro), and its relations through one other program related to
// them. Sanctioned entities carry `sanctioned = true` (and the Sanctioned label in Neo4j).
MATCH (s)-[r]-(m:Program)
WHERE s.sanctioned = true
  AND m.id IN ['cuban-medical-missions', 'cuban-international-brigade', 'integrated-health-program', 'operacion-milagro', 'mission-barrio-adentro']
RETURN s.name AS sanctioned, type(r) AS link, '' AS via, '' AS link_onwards, m.name AS mission
UNION
MATCH (s)-[r1]-(x:Program)-[r2]-(m:Program)
WHERE s.sanctioned = true AND x.id <> m.id
  AND m.id IN ['cuban-medical-missions', 'cuban-international-brigade', 'integrated-health-program', 'operacion-milagro', 'mission-barrio-adentro']
RETURN s.name AS sanctioned, type(r1) AS link, x.name AS via, type(r2) AS link_onwards, m.name AS mission
