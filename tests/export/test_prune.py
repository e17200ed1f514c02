"""`export_neo4j(prune=True)` / `cubamed export neo4j --prune` deletes only what cubamed created.

Against the real Neo4j the fixture starts; the foreign relationships (a user's own links to the
nodes a prune deletes) are created by each test. Every count is checked against the server's
own totals before and after, never against figures the exporter computed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import ExportError
from graph.export import export_neo4j, read_neo4j
from graph.export.neo4j import _prune

from ..conftest import FIXTURES

pytestmark = pytest.mark.neo4j

#: Two curated entities with two relationships each, which the tests take out of the data.
GONE = ["barack-obama", "bogota"]


@pytest.fixture
def session(neo4j_db: Any) -> Iterator[neo4j.Session]:
    with neo4j.GraphDatabase.driver(neo4j_db.uri, auth=(neo4j_db.user, neo4j_db.password)) as driver, driver.session() as s:
        yield s


def _creds(server: Any) -> dict[str, str]:
    return {"user": server.user, "password": server.password}


def totals(session: neo4j.Session) -> tuple[int, int]:
    """(all nodes, all relationships) in the database, as the server counts them."""
    record = session.run("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n), count(r)").single()
    assert record is not None
    return record[0], record[1]


def _edges(X: nx.MultiDiGraph) -> list[tuple[Any, ...]]:
    return sorted((u, v, k, sorted(d.items())) for u, v, k, d in X.edges(keys=True, data=True))


def without(G: nx.MultiDiGraph, ids: list[str]) -> tuple[nx.MultiDiGraph, int]:
    """`G` without the entities `ids` (and their relationships), and how many relationships went with them."""
    H = G.copy()
    attached = len({(u, v, k) for n in ids for u, v, k in G.in_edges(n, keys=True)} | {(u, v, k) for n in ids for u, v, k in G.out_edges(n, keys=True)})
    H.remove_nodes_from(ids)
    return H, attached


def add_foreign(session: neo4j.Session) -> None:
    """A user's own data: two notes and a link to each entity of GONE, and links among kept nodes."""
    session.run(
        "MATCH (o:Cubamed {id: 'barack-obama'}), (b:Cubamed {id: 'bogota'}), (c:Cubamed {id: 'cuba'}) "
        "CREATE (:Note {id: 'note-1'})-[:ABOUT]->(o), (:Note {id: 'note-2'})-[:ABOUT]->(b), "
        "(c)-[:SEE_ALSO {by: 'me'}]->(b), (c)-[:SEE_ALSO {_cubamed: false}]->(c), (:Note {id: 'note-3'})-[:ABOUT]->(c)"
    ).consume()


REFUSAL = (
    "--prune refused: it would delete 3 relationships that cubamed did not create, attached to 2 nodes no longer in the data; "
    "nothing was written or deleted:\n"
    "  (:State:Sanctioned {id: 'cuba'})-[:SEE_ALSO]->(:Region {id: 'bogota'})\n"
    "  (:Note {id: 'note-1'})-[:ABOUT]->(:Person {id: 'barack-obama'})\n"
    "  (:Note {id: 'note-2'})-[:ABOUT]->(:Region {id: 'bogota'})\n"
    "Delete or move them yourself, or run again with --prune --detach (prune=True, detach=True in Python) "
    "to delete them with those nodes, or without --prune to keep the nodes."
)


def test_prune_counts_the_relationships_that_go_with_a_node(neo4j_db: Any, session: neo4j.Session, curated: nx.MultiDiGraph) -> None:
    """Before: 'pruned 2 nodes and 0 relationships' while the nodes' 4 relationships went too."""
    export_neo4j(curated, neo4j_db.uri, **_creds(neo4j_db))
    G, attached = without(curated, GONE)
    before = totals(session)
    report = export_neo4j(G, neo4j_db.uri, **_creds(neo4j_db), prune=True)
    after = totals(session)
    assert (report.pruned_nodes, report.pruned_relationships, report.pruned_foreign_relationships) == (2, attached, 0)
    assert (before[0] - after[0], before[1] - after[1]) == (2, attached)
    assert f"; pruned 2 nodes and {attached} relationships in " in str(report)
    assert _edges(read_neo4j(neo4j_db.uri, **_creds(neo4j_db))) == _edges(G)


def test_prune_refuses_to_delete_relationships_it_did_not_create(
    neo4j_db: Any, session: neo4j.Session, curated: nx.MultiDiGraph
) -> None:
    export_neo4j(curated, neo4j_db.uri, **_creds(neo4j_db))
    add_foreign(session)
    G, _ = without(curated, GONE)
    G.nodes["cuba"]["name"] = "Cuba (changed)"  # would be written by an export that went ahead
    before = totals(session)
    with pytest.raises(ExportError) as info:
        export_neo4j(G, neo4j_db.uri, **_creds(neo4j_db), prune=True)
    assert str(info.value) == REFUSAL
    assert totals(session) == before
    assert session.run("MATCH (n:Cubamed {id: 'cuba'}) RETURN n.name").single()[0] == "Cuba"  # type: ignore[index]


def test_prune_detach_deletes_them_and_counts_everything(neo4j_db: Any, session: neo4j.Session, curated: nx.MultiDiGraph) -> None:
    """The issue's case: 2 entities left the data, 3 of the relationships that go are the user's own."""
    export_neo4j(curated, neo4j_db.uri, **_creds(neo4j_db))
    add_foreign(session)
    G, attached = without(curated, GONE)
    before = totals(session)
    report = export_neo4j(G, neo4j_db.uri, **_creds(neo4j_db), prune=True, detach=True)
    after = totals(session)
    assert (before[0] - after[0], before[1] - after[1]) == (2, attached + 3)
    assert (report.pruned_nodes, report.pruned_relationships, report.pruned_foreign_relationships) == (2, attached + 3, 3)
    assert f"; pruned 2 nodes and {attached + 3} relationships (3 of them not created by cubamed, deleted with --detach) in " in str(report)
    # the user's nodes and the links that did not touch a pruned node are all still there
    kept = session.run("MATCH (n:Note) RETURN count(n)").single()[0]  # type: ignore[index]
    assert kept == 3
    assert session.run("MATCH (:Cubamed {id: 'cuba'})-[r:SEE_ALSO|ABOUT]-() RETURN count(DISTINCT r)").single()[0] == 2  # type: ignore[index]
    assert _edges(read_neo4j(neo4j_db.uri, **_creds(neo4j_db))) == _edges(G)


def test_a_relationship_attached_after_the_check_is_kept(neo4j_db: Any, session: neo4j.Session, mini: nx.MultiDiGraph) -> None:
    """Nodes go with a plain DELETE: one attached between the check and the delete stops the prune, and stays."""
    export_neo4j(mini, neo4j_db.uri, **_creds(neo4j_db))
    session.run("MATCH (l:Cubamed {id: 'lombardy'}) CREATE (:Note {id: 'late'})-[:ABOUT]->(l)").consume()
    G, _ = without(mini, ["lombardy"])
    before = totals(session)
    with pytest.raises(ExportError) as info:
        _prune(session, G, 100, "id", detach=False)
    assert str(info.value).startswith(
        "--prune stopped: a relationship that cubamed did not create was attached to a node it was deleting during the export ("
    )
    assert str(info.value).endswith("; it was kept. So far 0 nodes and 1 relationships were deleted; run the export again to see the foreign relationships")
    assert totals(session) == (before[0], before[1] - 1)  # only cubamed's own cuba -> lombardy
    assert session.run("MATCH (:Note {id: 'late'})-[r:ABOUT]->(:Cubamed {id: 'lombardy'}) RETURN count(r)").single()[0] == 1  # type: ignore[index]


def test_cli_prune_refuses_then_detach(neo4j_db: Any, session: neo4j.Session, mini: nx.MultiDiGraph, tmp_path: Path) -> None:
    data = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", data)
    for path in data.glob("*.yaml"):  # one entity or fact a line: Lombardy and Maduro leave the data
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if "lombardy" not in line and "maduro" not in line), encoding="utf-8")
    export_neo4j(mini, neo4j_db.uri, **_creds(neo4j_db))
    session.run(
        "MATCH (l:Cubamed {id: 'lombardy'}), (m:Cubamed {id: 'maduro'}), (v:Cubamed {id: 'venezuela'}) "
        "CREATE (:Note {id: 'n1'})-[:ABOUT]->(l), (:Note {id: 'n2'})-[:ABOUT]->(m), (v)-[:SEE_ALSO]->(l)"
    ).consume()
    args = ["export", "neo4j", "--uri", neo4j_db.uri, "--user", neo4j_db.user, "--data", str(data), "--prune"]
    env = {"NEO4J_PASSWORD": neo4j_db.password}
    before = totals(session)
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1, result.output
    assert result.output == (
        "Error: --prune refused: it would delete 3 relationships that cubamed did not create, attached to 2 nodes no longer in the data; "
        "nothing was written or deleted:\n"
        "  (:Note {id: 'n1'})-[:ABOUT]->(:Region {id: 'lombardy'})\n"
        "  (:Note {id: 'n2'})-[:ABOUT]->(:Person {id: 'maduro'})\n"
        "  (:State {id: 'venezuela'})-[:SEE_ALSO]->(:Region {id: 'lombardy'})\n"
        "Delete or move them yourself, or run again with --prune --detach (prune=True, detach=True in Python) "
        "to delete them with those nodes, or without --prune to keep the nodes.\n"
    )
    assert totals(session) == before
    result = CliRunner().invoke(main, [*args, "--detach"], env=env)
    assert result.exit_code == 0, result.output
    assert "; pruned 2 nodes and 5 relationships (3 of them not created by cubamed, deleted with --detach) in " in result.output
    after = totals(session)
    assert (before[0] - after[0], before[1] - after[1]) == (2, 5)  # Lombardy, Maduro, their 2 facts, 3 foreign links
    assert neo4j_db.password not in result.output


def test_cli_detach_needs_prune() -> None:
    result = CliRunner().invoke(main, ["export", "neo4j", "--detach"], env={"NEO4J_PASSWORD": "x"})
    assert result.exit_code == 2
    assert "--detach needs --prune" in result.output
