// cubamed: the constraints and indexes of the graph in Neo4j 5 (Community or Enterprise, Aura).
//
// The single place they live: `cubamed export neo4j` runs this file first, `cubamed export cypher`
// copies it to the top of its script, and `cubamed export neo4j-admin` ships it to run after the
// import. Every statement is idempotent (IF NOT EXISTS), so running it again changes nothing.
// A test checks that every label of data/schema.yaml has its constraint here.
//
// Cubamed: the extra label on every node cubamed writes. Its id is unique across the whole graph
// (the key every export MERGEs on, so a node whose label changes is updated, not duplicated).
CREATE CONSTRAINT cubamed_id IF NOT EXISTS FOR (n:Cubamed) REQUIRE n.id IS UNIQUE;
//
// One uniqueness constraint on id per label: the exports match relationship endpoints by label
// and id, and analysts look entities up the same way, e.g. MATCH (s:State {id: 'cuba'}).
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
//
// Indexes on name, for lookups by name (WHERE n.name = 'Saint Lucia' or STARTS WITH).
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
//
// Indexes for the analyst queries (cypher/queries/): events by year, sources by kind, and
// deployments and their claims by year.
CREATE INDEX event_year IF NOT EXISTS FOR (n:Event) ON (n.year);
CREATE INDEX source_kind IF NOT EXISTS FOR (n:Source) ON (n.kind);
CREATE INDEX deployed_to_year IF NOT EXISTS FOR ()-[r:DEPLOYED_TO]-() ON (r.year);
