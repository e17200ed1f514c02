"""The real Neo4j test server itself: reachable, durable across a crash, auth enforced."""

import uuid

import neo4j
import pytest

pytestmark = pytest.mark.neo4j


def test_server_answers_return_1(neo4j_server):
    with neo4j_server.driver() as driver:
        records, _, _ = driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1


def test_node_survives_kill_and_restart(neo4j_server):
    marker = uuid.uuid4().hex
    with neo4j_server.driver() as driver:
        driver.execute_query("CREATE (:CrashProbe {marker: $m})", m=marker)

    neo4j_server.kill()  # SIGKILL: no clean shutdown, recovery happens on the next start
    neo4j_server.start()

    with neo4j_server.driver() as driver:
        records, _, _ = driver.execute_query("MATCH (p:CrashProbe {marker: $m}) RETURN count(p) AS n", m=marker)
    assert records[0]["n"] == 1


def test_wrong_password_is_rejected(neo4j_server):
    with (
        neo4j.GraphDatabase.driver(neo4j_server.uri, auth=("neo4j", "not-the-password")) as driver,
        pytest.raises(neo4j.exceptions.AuthError),
    ):
        driver.verify_connectivity()


def test_bulk_import_with_the_real_importer(neo4j_server, tmp_path):
    nodes = tmp_path / "people.csv"
    nodes.write_text("id:ID,name,:LABEL\np1,Alice,Person\np2,Bob,Person\n")
    rels = tmp_path / "knows.csv"
    rels.write_text(":START_ID,:END_ID,:TYPE,since:int\np1,p2,KNOWS,2020\n")

    imported = neo4j_server.import_files(nodes=[nodes], relationships=[rels], home=tmp_path / "home")
    try:
        with imported.driver() as driver:
            records, _, _ = driver.execute_query("MATCH (a:Person)-[r:KNOWS]->(b:Person) RETURN a.name AS a, r.since AS since, b.name AS b")
        assert [r.data() for r in records] == [{"a": "Alice", "since": 2020, "b": "Bob"}]
        assert "IMPORT DONE" in (imported.home / "logs" / "launcher.log").read_text()
    finally:
        imported.stop()


def test_clear_empties_the_database(neo4j_server):
    with neo4j_server.driver() as driver:
        driver.execute_query("CREATE CONSTRAINT probe_key IF NOT EXISTS FOR (p:ClearProbe) REQUIRE p.k IS UNIQUE")
        driver.execute_query("CREATE (:ClearProbe {k: 1})-[:R]->(:ClearProbe {k: 2})")
    neo4j_server.clear()
    with neo4j_server.driver() as driver:
        assert driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0
        assert driver.execute_query("SHOW CONSTRAINTS").records == []
        assert driver.execute_query("SHOW INDEXES YIELD type WHERE type <> 'LOOKUP'").records == []
