"""The graph joined to the FtM fixture is the same graph in a real Neo4j 5.26, over Bolt and
through the neo4j-admin files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.export import export_neo4j, read_neo4j
from tests.export.test_neo4j import assert_same_graph, import_admin_files

pytestmark = pytest.mark.neo4j


def test_the_listed_graph_reads_back_equal_over_bolt(neo4j_db: Any, listed: nx.MultiDiGraph) -> None:
    creds = {"user": neo4j_db.user, "password": neo4j_db.password}
    G = nx.MultiDiGraph(listed)
    G.graph.clear()  # graph attributes (the reader's notes) are not part of what Neo4j stores
    export_neo4j(G, neo4j_db.uri, **creds)
    back = read_neo4j(neo4j_db.uri, **creds)
    assert_same_graph(back, G)
    assert back.nodes["conviasa"]["ftm_ids"] == ["fixture-conviasa"]
    assert back.edges["united-states", "conviasa", "fixture-san-conviasa"]["start_date"] == "2020-02-07"


def test_the_listed_graph_reads_back_equal_from_the_admin_files(neo4j_db: Any, listed: nx.MultiDiGraph, tmp_path: Path) -> None:
    imported = import_admin_files(neo4j_db, listed, tmp_path / "admin", tmp_path / "home")
    try:
        assert_same_graph(read_neo4j(imported.uri, user=imported.user, password=imported.password), listed)
    finally:
        imported.close()
