// cubamed: the constraints and indexes of the graph in Neo4j 5 (Community or Enterprise, Aura).
//
// Generated from the schema (`python -m graph.docs README.md` rewrites this file; a test checks it is
// up to date). `cubamed export neo4j` runs these statements first, `cubamed export cypher` puts them
// at the top of its script, and `cubamed export neo4j-admin` ships them to run after the import.
// Every statement is idempotent (IF NOT EXISTS), so running it again changes nothing.
//
// The first constraint is on the marker label every node cubamed writes carries: its key is unique
// across the whole graph (the key every export MERGEs on, so a node whose label changes is updated,
// not duplicated). Then one uniqueness constraint per label (the exports match relationship ends by
// label and key, and analysts look entities up the same way), one index on the name per label, and
// the schema's `indexes:` for the analyst queries (cypher/queries/).
CREATE CONSTRAINT cubamed_id IF NOT EXISTS FOR (n:Cubamed) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT state_id IF NOT EXISTS FOR (n:State) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT program_id IF NOT EXISTS FOR (n:Program) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT legalentity_id IF NOT EXISTS FOR (n:LegalEntity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT aircraft_id IF NOT EXISTS FOR (n:Aircraft) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT vessel_id IF NOT EXISTS FOR (n:Vessel) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE;
CREATE INDEX state_name IF NOT EXISTS FOR (n:State) ON (n.name);
CREATE INDEX region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX program_name IF NOT EXISTS FOR (n:Program) ON (n.name);
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX institution_name IF NOT EXISTS FOR (n:Institution) ON (n.name);
CREATE INDEX company_name IF NOT EXISTS FOR (n:Company) ON (n.name);
CREATE INDEX legalentity_name IF NOT EXISTS FOR (n:LegalEntity) ON (n.name);
CREATE INDEX aircraft_name IF NOT EXISTS FOR (n:Aircraft) ON (n.name);
CREATE INDEX vessel_name IF NOT EXISTS FOR (n:Vessel) ON (n.name);
CREATE INDEX event_name IF NOT EXISTS FOR (n:Event) ON (n.name);
CREATE INDEX source_name IF NOT EXISTS FOR (n:Source) ON (n.name);
CREATE INDEX event_year IF NOT EXISTS FOR (n:Event) ON (n.year);
CREATE INDEX source_kind IF NOT EXISTS FOR (n:Source) ON (n.kind);
CREATE INDEX deployed_to_year IF NOT EXISTS FOR ()-[r:DEPLOYED_TO]-() ON (r.year);
