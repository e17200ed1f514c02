"""Pytest plugin: a session-wide real Neo4j server (see tests/neo4j_server.py).

Load it with `pytest_plugins = ["tests.conftest_neo4j"]` in the top-level conftest.
Without java/mvn the Neo4j tests are skipped, or fail when CI=true.
"""

from __future__ import annotations

import os

import pytest

from tests.neo4j_server import Neo4jServer, java_available


def _require_java() -> None:
    ok, message = java_available()
    if not ok:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but the Neo4j tests cannot run: {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A running Neo4jServer (bolt://127.0.0.1:PORT, user neo4j), shared by the whole session."""
    _require_java()
    server = Neo4jServer(home=tmp_path_factory.mktemp("neo4j-home"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def neo4j_db(neo4j_server):
    """The session server, emptied (no nodes, relationships, constraints or indexes) before the test."""
    if not neo4j_server.running:  # a test may have stopped or killed it
        neo4j_server.start()
    neo4j_server.clear()
    return neo4j_server


def _content(server) -> list:
    """Every node (labels, properties) and relationship (type, endpoints, properties), sorted: what
    a test that clears or changes the database would change."""
    with server.driver() as driver:
        nodes, _, _ = driver.execute_query("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
        rels, _, _ = driver.execute_query("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p")
    return sorted(repr(sorted(r.items())) for r in [*(dict(x) for x in nodes), *(dict(x) for x in rels)])


class CuratedNeo4j:
    """The session server holding the curated graph (data/) as `export_neo4j` writes it.

    Other tests empty or change the same server (`neo4j_db`), so `ensure()` checks the content
    and exports again only when it is not the curated graph any more.
    """

    def __init__(self, server, graph) -> None:
        self.server, self.graph = server, graph
        self._content: list | None = None

    def ensure(self):
        from graph.export import export_neo4j

        if not self.server.running:
            self.server.start()
        if self._content is None or _content(self.server) != self._content:
            self.server.clear()
            export_neo4j(self.graph, self.server.uri, user=self.server.user, password=self.server.password)
            self._content = _content(self.server)
        return self.server


@pytest.fixture(scope="session")
def _curated_neo4j(neo4j_server, curated):
    return CuratedNeo4j(neo4j_server, curated)


@pytest.fixture(scope="module")
def curated_neo4j(_curated_neo4j):
    """The session Neo4j server holding the curated graph, exported once per session (again only
    after a test changed it). Read-only: tests that write use `neo4j_db`."""
    return _curated_neo4j.ensure()
