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
