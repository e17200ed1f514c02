"""One project context: group-level --data/--schema, and a schema of one's own end to end
(hospitals in cities: examples/hospitals), through every command and the Python API."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

import graph
from graph.cli import main
from graph.errors import ModelError
from graph.export import read_gexf, read_graphml, read_json
from graph.project import Project, ViewOptions, model_for

from .conftest import FIXTURES, ROOT

CUSTOM = ROOT / "examples" / "hospitals"
DATA, SCHEMA = str(CUSTOM / "data"), str(CUSTOM / "schema.yaml")
MINI = str(FIXTURES / "mini")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_a_project_reads_nothing_until_asked() -> None:
    p = Project("no/such/folder", schema="no/such/schema.yaml")
    assert p.data == (Path("no/such/folder"),) and p.schema_path == Path("no/such/schema.yaml")
    with pytest.raises(graph.SchemaError, match="schema file not found"):
        p.schema  # noqa: B018


def test_with_options_keeps_what_is_not_given() -> None:
    p = Project(DATA, schema=SCHEMA, cache_dir="c")
    q = p.with_options(data=[], schema=None)
    assert (q.data, q.schema_path, q.cache_dir) == (p.data, p.schema_path, p.cache_dir)
    assert p.with_options(data=[MINI]).data == (Path(MINI),)
    assert p.with_view(focus="x", depth=2).view == ViewOptions(focus="x", depth=2)


def test_view_options_are_the_keyword_arguments_of_the_page() -> None:
    import inspect

    from graph.html import generate_html, select_view, write_html

    names = set(ViewOptions().options())
    for f in (generate_html, write_html, select_view):
        assert names <= set(inspect.signature(f).parameters), f.__name__


def test_the_graph_remembers_its_schema() -> None:
    G = Project(DATA, schema=SCHEMA).load()
    assert model_for(G).labels == ("Hospital", "City")
    assert model_for(nx.MultiDiGraph(G)).labels[0] == "State"  # a copy does not: the default schema


# --- a schema of one's own, end to end ---------------------------------------------------------------


def test_python_api_with_a_schema_of_ones_own() -> None:
    p = Project(DATA, schema=SCHEMA)
    G = p.load()
    assert G.nodes["springfield"] == {"label": "City", "name": "Springfield", "population": 30000.0}
    assert graph.resolve(G, "St. Mary's") == "hospital-one"
    rel = graph.relations(G, "H1")
    assert list(zip(rel["type"], rel["other"], rel["since"], strict=True)) == [("LOCATED_IN", "springfield", 1950)]
    assert sorted(graph.ego(G, "Hospital One", 2)) == ["hospital-one", "shelbyville", "springfield"]
    assert list(graph.conflicts(G)["since"]) == [1991, 1990]
    assert graph.query("MATCH (h:Hospital) RETURN h.name, h.beds ORDER BY h.name", G=G).values.tolist() == [
        ["Hospital One", 120],
        ["Hospital Two", 40],
    ]
    assert p.query("MATCH (c:City) RETURN c.name ORDER BY c.name")["c.name"].tolist() == ["Shelbyville", "Springfield"]


def test_query_on_a_copy_that_lost_its_schema_says_which_schema_to_give() -> None:
    G = nx.MultiDiGraph(Project(DATA, schema=SCHEMA).load())
    with pytest.raises(ModelError) as info:
        graph.query("MATCH (h:Hospital) RETURN h.name", G=G)
    assert "entity 'hospital-one': label 'Hospital' is not one of the schema's labels" in str(info.value)
    assert "give the schema the graph was built with (schema= in Python, --schema on the command line" in str(info.value)
    assert graph.query("MATCH (h:Hospital) RETURN count(h) AS n", G=G, schema=SCHEMA)["n"].tolist() == [2]


def test_every_command_with_a_schema_of_ones_own(run: object, tmp_path: Path) -> None:
    group = ["--data", DATA, "--schema", SCHEMA]

    def ok(*args: str) -> str:
        result = run(*group, *args)  # type: ignore[operator]
        assert result.exit_code == 0, result.output
        return str(result.output)

    assert ok("validate", DATA) == "OK: 4 entities and 4 relationships are valid.\n"
    assert "│ label        │ Hospital     │      2 │" in ok("build", "--html", str(tmp_path / "b.html"))
    assert ok("show", "St. Mary's").startswith("Hospital One (Hospital, id: hospital-one)\n  aliases: H1, St. Mary's\n  beds: 120\n")
    assert "| `LOCATED_IN` | 2 |" in ok("stats", "--markdown")
    assert "1 groups of conflicting claims" in ok("conflicts")
    assert "Hospital One" in ok("query", "MATCH (h:Hospital)-[:LOCATED_IN]->(c:City) RETURN h.name, c.name")
    assert "| `Hospital` |" in ok("schema")
    ok("html", str(tmp_path / "h.html"), "--focus", "Springfield")
    assert (tmp_path / "h.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    ok("export", "cypher", str(tmp_path / "g.cypher"))
    script = (tmp_path / "g.cypher").read_text(encoding="ascii")
    assert "CREATE CONSTRAINT hospital_id IF NOT EXISTS FOR (n:Hospital) REQUIRE n.id IS UNIQUE;" in script
    assert "State" not in script  # nothing of the default schema
    ok("export", "neo4j-admin", str(tmp_path / "adm"))
    assert sorted(p.name for p in (tmp_path / "adm").glob("*.csv")) == [
        "nodes_City.csv",
        "nodes_Hospital.csv",
        "relationships_LOCATED_IN.csv",
        "relationships_TWINNED_WITH.csv",
    ]
    G = Project(DATA, schema=SCHEMA).load()
    for fmt, read in (("graphml", read_graphml), ("gexf", read_gexf), ("json", read_json)):
        ok("export", fmt, str(tmp_path / f"g.{fmt}"))
        assert nx.utils.graphs_equal(read(tmp_path / f"g.{fmt}"), G), fmt


def test_a_commands_own_options_win_over_the_groups(run: object) -> None:
    result = run("--data", DATA, "--schema", SCHEMA, "stats", "--markdown", "--data", MINI, "--schema", "data/schema.yaml")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert result.output.startswith("13 entities and 8 relationships.")


def test_the_default_schema_refuses_custom_data_with_the_validators_message(run: object) -> None:
    result = run("--data", DATA, "show", "H1")  # type: ignore[operator]
    assert result.exit_code == 1
    assert "unknown label 'Hospital'" in result.output and "Traceback" not in result.output


def test_json_export_of_a_custom_graph_is_networkx_node_link(run: object, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    assert run("--data", DATA, "--schema", SCHEMA, "export", "json", str(out), "--indent", "2").exit_code == 0  # type: ignore[operator]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["directed"], data["multigraph"]) == (True, True)
    assert {n["id"] for n in data["nodes"]} == {"hospital-one", "hospital-two", "springfield", "shelbyville"}
