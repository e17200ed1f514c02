"""The Neo4j export against a real server (tests/neo4j_server.py, fixture `neo4j_server`).

Export, idempotence, in-place updates, prune, kill mid-export and rerun, round trip, error
messages, the three export paths giving the same graph, and the analyst query library.
No mock of the driver or the server.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest

from graph.errors import ExportError
from graph.export import export_neo4j, generate_cypher, generate_neo4j_admin, read_neo4j, write_cypher, write_neo4j_admin
from graph.export.rows import split_statements
from graph.locations import cypher_dir

from ..neo4j_server import cypher_shell_classpath

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "expected"
QUERIES = sorted((cypher_dir() / "queries").glob("*.cypher"))
IMPORT_ARGS = ["--array-delimiter=|", "--multiline-fields=true", "--id-type=string"]


# --- helpers -------------------------------------------------------------------------------------


def import_admin_files(server: Any, G: nx.MultiDiGraph, folder: Path, home: Path) -> Any:
    """`G`'s neo4j-admin files, written to `folder`, imported by Neo4j's own importer into a new
    server at `home` (the caller closes it)."""
    written = write_neo4j_admin(G, folder)
    files = generate_neo4j_admin(G)
    return server.import_files(
        nodes=[written / f.name for f in files if f.kind == "nodes"],
        relationships=[written / f.name for f in files if f.kind == "relationships"],
        home=home,
        extra_args=IMPORT_ARGS,
    )


def _creds(server: Any) -> dict[str, str]:
    return {"user": server.user, "password": server.password}


@pytest.fixture
def db(neo4j_db: Any) -> Any:
    """The session's server (restarted if a test killed it), emptied before each test."""
    return neo4j_db


@pytest.fixture
def session(db: Any) -> Iterator[neo4j.Session]:
    with neo4j.GraphDatabase.driver(db.uri, auth=(db.user, db.password)) as driver, driver.session() as s:
        yield s


def _scalar(session: neo4j.Session, query: str, **params: Any) -> Any:
    record = session.run(query, params).single()
    assert record is not None
    return record[0]


def _run_script(db: Any, session: neo4j.Session, script: Path, tmp_path: Path) -> None:
    """Run a Cypher script through cypher-shell when Maven can fetch it, else statement by statement."""
    classpath = cypher_shell_classpath(tmp_path)
    if classpath:
        cmd = ["java", "-cp", classpath, "org.neo4j.shell.Main", "-a", db.uri, "-u", db.user, "--format", "plain", "-f", str(script)]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**os.environ, "NEO4J_PASSWORD": db.password})
        assert result.returncode == 0, result.stderr[-2000:]
    else:  # pragma: no cover - only without Maven Central
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but cypher-shell (org.neo4j:cypher-shell:5.26.0) could not be fetched with Maven", pytrace=False)
        for stmt in split_statements(script.read_text(encoding="utf-8")):
            session.run(stmt).consume()


def counts(session: neo4j.Session) -> tuple[Counter[str], Counter[str], int, int]:
    """(nodes per label, relationships per type, all nodes, all relationships) in the database."""
    labels: Counter[str] = Counter()
    for r in session.run("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c"):
        labels[r["l"]] = r["c"]
    types: Counter[str] = Counter()
    for r in session.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c"):
        types[r["t"]] = r["c"]
    return labels, types, _scalar(session, "MATCH (n) RETURN count(n)"), _scalar(session, "MATCH ()-[r]->() RETURN count(r)")


def expected_counts(G: nx.MultiDiGraph) -> tuple[Counter[str], Counter[str], int, int]:
    labels = Counter(d["label"] for _, d in G.nodes(data=True))
    labels["Cubamed"] = G.number_of_nodes()
    sanctioned = sum(1 for _, d in G.nodes(data=True) if d.get("sanctioned"))
    if sanctioned:
        labels["Sanctioned"] = sanctioned
    types = Counter(d["type"] for _, _, d in G.edges(data=True))
    return labels, types, G.number_of_nodes(), G.number_of_edges()


def assert_same_graph(H: nx.MultiDiGraph, G: nx.MultiDiGraph) -> None:
    """Same nodes with the same attributes, same edges with the same keys and attributes."""
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    edges = lambda X: sorted((u, v, k, sorted(d.items())) for u, v, k, d in X.edges(keys=True, data=True))  # noqa: E731
    assert edges(H) == edges(G)


def synthetic(n_nodes: int, n_rels: int) -> nx.MultiDiGraph:
    """A schema-valid graph of States and Regions with DEPLOYED_TO and TRAINED relationships."""
    G = nx.MultiDiGraph()
    for i in range(n_nodes):
        if i % 2:
            G.add_node(f"state-{i}", label="State", name=f"State {i}", iso3="AAA", aliases=[f"S{i}", "É"])
        else:
            G.add_node(f"region-{i}", label="Region", name=f"Region {i}", kind="city")
    nodes = list(G.nodes)
    states = [n for n in nodes if n.startswith("state")]
    for j in range(n_rels):
        u, v = states[j % len(states)], nodes[(j * 7919) % len(nodes)]
        G.add_edge(u, v, key=f"rel-{j}", type="DEPLOYED_TO" if j % 3 else "TRAINED", source_id="s", locator=f"p{j}", evidence="e", count=j)
    return G


# --- export, idempotence, updates, prune -----------------------------------------------------------


def test_export_writes_every_node_and_relationship(db: Any, session: neo4j.Session, curated: nx.MultiDiGraph) -> None:
    report = export_neo4j(curated, db.uri, **_creds(db))
    assert (report.nodes, report.relationships) == (curated.number_of_nodes(), curated.number_of_edges())
    assert counts(session) == expected_counts(curated)
    constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
    assert {"cubamed_id", "state_id", "source_id"} <= constraints


def test_second_run_changes_nothing(db: Any, session: neo4j.Session, curated: nx.MultiDiGraph) -> None:
    export_neo4j(curated, db.uri, **_creds(db))
    first = counts(session)
    export_neo4j(curated, db.uri, **_creds(db), batch_size=7)  # other batch boundaries, same result
    assert counts(session) == first == expected_counts(curated)
    assert _scalar(session, "MATCH (n:Cubamed) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*)") == 0
    assert _scalar(session, "MATCH ()-[r]->() WITH r.id AS id, count(*) AS c WHERE c > 1 RETURN count(*)") == 0
    assert_same_graph(read_neo4j(db.uri, **_creds(db)), curated)


def test_changed_data_updates_in_place(db: Any, session: neo4j.Session, mini: nx.MultiDiGraph) -> None:
    export_neo4j(mini, db.uri, **_creds(db))
    before = _scalar(session, "MATCH (n:Cubamed {id: 'saint-lucia'}) RETURN elementId(n)")
    G = mini.copy()
    G.nodes["saint-lucia"]["name"] = "Saint Lucia (changed)"
    del G.nodes["saint-lucia"]["aliases"]  # a property no longer present is removed
    G.nodes["elam"].update(label="Program", kind="program")  # a label change moves the node, no duplicate
    G.remove_edge("cuba", "elam", "established-ef0d359110c1")
    G.add_edge("cuba", "elam", key="established-ef0d359110c1", type="ESTABLISHED", source_id="encyclopedia", locator="x", evidence="y")
    G.nodes["conviasa"].pop("sanctioned")  # no longer sanctioned: loses the label
    G.nodes["conviasa"].pop("sanctioned_by")
    G.edges["cuba", "jamaica", "deployed-to-843b099cef3a"]["count"] = 141
    export_neo4j(G, db.uri, **_creds(db))
    assert _scalar(session, "MATCH (n:Cubamed {id: 'saint-lucia'}) RETURN elementId(n)") == before
    assert _scalar(session, "MATCH (n:Cubamed {id: 'elam'}) RETURN labels(n)") == ["Cubamed", "Program"]
    assert _scalar(session, "MATCH (n:Sanctioned) RETURN count(n)") == 0
    assert_same_graph(read_neo4j(db.uri, **_creds(db)), G)
    assert counts(session)[2:] == (G.number_of_nodes(), G.number_of_edges())


def test_prune_removes_only_what_cubamed_wrote(db: Any, session: neo4j.Session, mini: nx.MultiDiGraph) -> None:
    session.run("CREATE (:State {id: 'foreign', name: 'Not ours'})-[:DEPLOYED_TO {id: 'theirs'}]->(:Region {id: 'elsewhere'})").consume()
    G = mini.copy()
    G.add_node("atlantis", label="State", name="Atlantis", iso3="ATL")
    G.add_edge("cuba", "atlantis", key="gone-with-atlantis", type="DEPLOYED_TO", source_id="news", locator="x", evidence="y")
    G.add_edge("cuba", "jamaica", key="stale", type="DEPLOYED_TO", source_id="news", locator="x", evidence="y")
    export_neo4j(G, db.uri, **_creds(db))
    # a foreign relationship between two of our nodes
    session.run("MATCH (a:Cubamed {id: 'cuba'}), (b:Cubamed {id: 'jamaica'}) CREATE (a)-[:DEPLOYED_TO {id: 'foreign-rel'}]->(b)").consume()
    export_neo4j(mini, db.uri, **_creds(db))  # without prune nothing is deleted
    assert _scalar(session, "MATCH (n:Cubamed {id: 'atlantis'}) RETURN count(n)") == 1
    report = export_neo4j(mini, db.uri, **_creds(db), prune=True)
    assert (report.pruned_nodes, report.pruned_relationships) == (1, 2)  # atlantis, its relationship and "stale"
    assert_same_graph(read_neo4j(db.uri, **_creds(db)), mini)
    assert _scalar(session, "MATCH (n {id: 'foreign'})-[r {id: 'theirs'}]->(m {id: 'elsewhere'}) RETURN count(*)") == 1
    assert _scalar(session, "MATCH ()-[r {id: 'foreign-rel'}]->() RETURN count(r)") == 1
    assert counts(session)[2:] == (mini.number_of_nodes() + 2, mini.number_of_edges() + 2)


def test_prune_removes_a_relationship_whose_endpoints_changed(db: Any, session: neo4j.Session, mini: nx.MultiDiGraph) -> None:
    export_neo4j(mini, db.uri, **_creds(db))
    G = mini.copy()
    attrs = dict(G.edges["cuba", "saint-lucia", "deployed-to-46a7edb4d244"])
    G.remove_edge("cuba", "saint-lucia", "deployed-to-46a7edb4d244")
    G.add_edge("cuba", "jamaica", key="deployed-to-46a7edb4d244", **attrs)
    export_neo4j(G, db.uri, **_creds(db), prune=True)
    assert_same_graph(read_neo4j(db.uri, **_creds(db)), G)


# --- failures --------------------------------------------------------------------------------------


def test_server_killed_mid_export_then_rerun_gives_the_exact_graph(db: Any, session: neo4j.Session) -> None:
    G = synthetic(6_000, 30_000)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            export_neo4j(G, db.uri, **_creds(db), batch_size=500, driver_options={"max_transaction_retry_time": 2.0})
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    with neo4j.GraphDatabase.driver(db.uri, auth=(db.user, db.password)) as probe:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until some relationships are in, then kill
            with probe.session() as s:
                if _scalar(s, "MATCH ()-[r]->() RETURN count(r)") > 2_000:
                    break
            time.sleep(0.05)
    db.kill()
    thread.join(timeout=180)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ExportError), errors
    assert "s3cret" not in str(errors[0]) and db.password not in str(errors[0])
    db.start()
    with neo4j.GraphDatabase.driver(db.uri, auth=(db.user, db.password)) as driver, driver.session() as s:
        partial = _scalar(s, "MATCH ()-[r]->() RETURN count(r)")
        assert 0 < partial < G.number_of_edges()
    export_neo4j(G, db.uri, **_creds(db))
    assert_same_graph(read_neo4j(db.uri, **_creds(db)), G)


def test_wrong_password_says_what_to_check_without_the_password(db: Any, mini: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError) as info:
        export_neo4j(mini, db.uri, user=db.user, password="wrong-s3cret-PW")
    msg = str(info.value)
    assert msg == f"Neo4j at {db.uri} refused the credentials of user '{db.user}'; check --user and the password (NEO4J_PASSWORD)"
    assert "wrong-s3cret-PW" not in msg and "\n" not in msg


def test_connection_refused_says_what_to_check(mini: nx.MultiDiGraph) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ExportError) as info:
        export_neo4j(mini, f"neo4j://127.0.0.1:{port}", user="neo4j", password="pw-s3cret")
    msg = str(info.value)
    assert msg.startswith(f"cannot reach Neo4j at neo4j://127.0.0.1:{port}; check that the server is running")
    assert "pw-s3cret" not in msg and "\n" not in msg


def test_unknown_database_says_what_to_check(db: Any, mini: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError) as info:
        export_neo4j(mini, db.uri, **_creds(db), database="nosuchdb")
    assert str(info.value) == (
        f"Neo4j at {db.uri} has no database 'nosuchdb'; check --database (Community Edition has only 'neo4j'; SHOW DATABASES lists them)"
    )


def test_routing_scheme_works(db: Any, mini: nx.MultiDiGraph) -> None:
    """neo4j:// goes through the driver's routing (as neo4j+s:// does for Aura and clusters)."""
    uri = db.uri.replace("bolt://", "neo4j://")
    export_neo4j(mini, uri, **_creds(db))
    assert_same_graph(read_neo4j(uri, **_creds(db)), mini)


# --- the three paths give the same graph --------------------------------------------------------------


def test_three_paths_give_the_same_graph(db: Any, session: neo4j.Session, curated: nx.MultiDiGraph, tmp_path: Path) -> None:
    G = curated.copy()
    # values that need escaping in the script and quoting in the CSV files
    G.nodes["cuba"]["aliases"] = ["República de Cuba", 'It\'s "Cuba"', "back\\slash", "two\nlines", "😀"]
    # 1. Bolt
    export_neo4j(G, db.uri, **_creds(db))
    bolt = (counts(session), read_neo4j(db.uri, **_creds(db)))
    assert_same_graph(bolt[1], G)

    # 2. The Cypher script, through cypher-shell when Maven can fetch it, else statement by statement
    db.clear()
    script = write_cypher(G, tmp_path / "graph.cypher")
    _run_script(db, session, script, tmp_path)
    script_graph = (counts(session), read_neo4j(db.uri, **_creds(db)))
    assert script_graph[0] == bolt[0]
    assert_same_graph(script_graph[1], G)
    # the script is idempotent too
    for stmt in split_statements("".join(generate_cypher(G))):
        session.run(stmt).consume()
    assert counts(session) == bolt[0]

    # 3. neo4j-admin files through the launcher's import mode
    imported = import_admin_files(db, G, tmp_path / "admin", tmp_path / "imported-home")
    try:
        with neo4j.GraphDatabase.driver(imported.uri, auth=(imported.user, imported.password)) as driver, driver.session() as s:
            admin = (counts(s), read_neo4j(imported.uri, **_creds(imported)))
            assert admin[0] == bolt[0]
            assert_same_graph(admin[1], G)
            # a Bolt export over the imported graph changes nothing (same marker, same keys)
            export_neo4j(G, imported.uri, **_creds(imported))
            labels, types, n, m = counts(s)
            assert (labels, types, n, m) == bolt[0]
    finally:
        imported.close()


def test_admin_files_of_every_value_kind_import_as_the_graph(db: Any, tmp_path: Path) -> None:
    """The value kinds the admin writer formats itself (tests/export/test_files.py `value_kinds`),
    through Neo4j's real importer, read back equal to the graph."""
    from .test_files import value_kinds

    G = value_kinds()
    imported = import_admin_files(db, G, tmp_path / "admin", tmp_path / "imported-home")
    try:
        assert_same_graph(read_neo4j(imported.uri, **_creds(imported)), G)
    finally:
        imported.close()


# --- the analyst query library ----------------------------------------------------------------------


def _ordered(query: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None


def run_query(session: neo4j.Session, path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    result = session.run(text)
    rows = [dict(r) for r in result]
    return {"query": path.name, "ordered": _ordered(text), "columns": list(result.keys()), "rows": rows}


def _dump(result: dict[str, Any]) -> str:
    """The expected file: one row per line, so a diff shows which rows changed."""
    head = {k: v for k, v in result.items() if k != "rows"}
    rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in result["rows"])
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [\n' + rows + "\n]}\n"


@pytest.fixture(scope="module")
def curated_db(curated_neo4j: Any) -> Any:
    return curated_neo4j  # exported once per session, shared with tests/cypher and tests/test_queries.py


@pytest.mark.parametrize("path", [pytest.param(q, id=q.stem) for q in QUERIES])
def test_query_gives_its_expected_rows(curated_db: Any, path: Path) -> None:
    with neo4j.GraphDatabase.driver(curated_db.uri, auth=(curated_db.user, curated_db.password)) as driver, driver.session() as s:
        got = json.loads(json.dumps(run_query(s, path)))
    expected_file = EXPECTED / f"{path.stem}.json"
    if os.environ.get("CUBAMED_WRITE_EXPECTED") == "1":  # regenerate, then REVIEW the diff by hand
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(_dump(got), encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert got["columns"] == expected["columns"]
    assert got["rows"], f"{path.name} returns no rows on the curated data"
    if got["ordered"]:
        assert got["rows"] == expected["rows"]
    else:
        key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
        assert sorted(got["rows"], key=key) == sorted(expected["rows"], key=key)


def test_cli_exports_with_a_hidden_prompt_and_reruns_cleanly(db: Any, session: neo4j.Session, mini: nx.MultiDiGraph) -> None:
    from click.testing import CliRunner

    from graph.cli import main

    from ..conftest import FIXTURES

    args = ["export", "neo4j", "--uri", db.uri, "--user", db.user, "--data", str(FIXTURES / "mini")]
    env = {"NEO4J_PASSWORD": None}
    for _ in range(2):
        result = CliRunner().invoke(main, args, input=db.password + "\n", env=env)
        assert result.exit_code == 0, result.output
        assert db.password not in result.output
        assert result.output.startswith(f"Password for {db.user}: \nExported 13 nodes and 8 relationships to {db.uri}")
        assert counts(session) == expected_counts(mini)
    result = CliRunner().invoke(main, args, input="wrong-password\n", env=env)
    assert result.exit_code == 1
    assert "wrong-password" not in result.output
    assert result.output.endswith("refused the credentials of user 'neo4j'; check --user and the password (NEO4J_PASSWORD)\n")


def test_a_schema_of_ones_own_exports_and_reads_back(db: Any, session: neo4j.Session) -> None:
    from graph.project import Project

    p = Project(ROOT / "examples" / "hospitals" / "data", schema=ROOT / "examples" / "hospitals" / "schema.yaml")
    G = p.load()
    export_neo4j(G, db.uri, **_creds(db))  # the graph remembers the schema it was loaded with
    assert_same_graph(read_neo4j(db.uri, **_creds(db), schema=p.schema), G)
    names = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
    assert {"cubamed_id", "hospital_id", "city_id"} <= names and "state_id" not in names


def test_a_script_with_names_beyond_ascii_runs_in_cypher_shell(db: Any, session: neo4j.Session, tmp_path: Path) -> None:
    """Neo4j takes any Unicode name in backticks: a schema's `camas_año` goes through the script (UTF-8) as it is."""
    import shutil

    from graph.project import Project

    shutil.copytree(ROOT / "examples" / "hospitals", tmp_path / "h")
    for f in (tmp_path / "h" / "schema.yaml", tmp_path / "h" / "data" / "places.yaml"):
        f.write_text(f.read_text(encoding="utf-8").replace("beds:", "camas_año:"), encoding="utf-8")
    p = Project(tmp_path / "h" / "data", schema=tmp_path / "h" / "schema.yaml")
    G = p.load()
    assert G.nodes["hospital-one"]["camas_año"] == 120
    script = write_cypher(G, tmp_path / "g.cypher")
    _run_script(db, session, script, tmp_path)
    assert_same_graph(read_neo4j(db.uri, **_creds(db), schema=p.schema), G)
    assert _scalar(session, "MATCH (h:Hospital {id: 'hospital-one'}) RETURN h.`camas_año`") == 120


def test_a_schema_that_names_its_sanctions_otherwise_answers_as_neo4j(db: Any, session: neo4j.Session, tmp_path: Path) -> None:
    """The sanctions roles and label are the schema's: a hospital CLOSED by a city is marked `closed`,
    `closed_by` and labelled `Closed`, on Neo4j and on the embedded engine alike."""
    import shutil

    from graph.project import Project

    shutil.copytree(ROOT / "examples" / "hospitals", tmp_path / "h")
    schema = tmp_path / "h" / "schema.yaml"
    text = schema.read_text(encoding="utf-8").replace("roles:\n", "sanctioned_label: Closed\nroles:\n")
    text = text.replace("relationships:\n", "relationships:\n  CLOSED:\n    doc: Shut down.\n    from: [City]\n    to: [Hospital]\n", 1)
    schema.write_text(text + "  sanctions: CLOSED\n  sanctioned: closed\n  sanctioned_by: closed_by\n", encoding="utf-8")
    links = tmp_path / "h" / "data" / "links.yaml"
    links.write_text(
        links.read_text(encoding="utf-8") + "  - {type: CLOSED, from: shelbyville, to: hospital-two, since: 2001}\n", encoding="utf-8"
    )
    p = Project(tmp_path / "h" / "data", schema=schema, cache_dir=tmp_path / "cache")
    G = p.load()
    assert G.nodes["hospital-two"]["closed_by"] == ["shelbyville"]
    export_neo4j(G, db.uri, **_creds(db))
    for cypher in (
        "MATCH (h:Closed) RETURN h.id AS id, h.closed AS closed, h.closed_by AS by, labels(h) AS labels",
        "MATCH (h:Hospital) RETURN h.id AS id, h:Closed AS closed, h.closed AS flag ORDER BY id",
        "MATCH (c:City)-[:CLOSED]->(h) WHERE h:Closed AND NOT c:Closed RETURN c.name AS city, count(h) AS n",
    ):
        expected = [r.values() for r in session.run(cypher)]
        assert expected, cypher  # the query finds something on Neo4j
        assert p.query(cypher).values.tolist() == expected, cypher
