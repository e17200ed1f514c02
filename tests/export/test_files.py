"""The file exports without a server: exact Cypher literals and queries, exact CSV headers,
the conversion rule, atomic writes, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.errors import ExportError, ModelError
from graph.export import generate_cypher, generate_neo4j_admin, neo4j_value, write_cypher, write_neo4j_admin
from graph.export.cypher_script import cypher_literal
from graph.export.neo4j_admin import import_script
from graph.export.rows import (
    batches,
    generate_schema_cypher,
    node_merge_query,
    quote_name,
    relationship_merge_query,
    schema_statements,
    split_statements,
)
from graph.schema import load_schema

from ..conftest import FIXTURES

MINI = str(FIXTURES / "mini")


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        pytest.param("plain", "'plain'", id="plain"),
        pytest.param("It's", r"'It\'s'", id="single-quote"),
        pytest.param('say "hi"', "'say \"hi\"'", id="double-quote-unescaped"),
        pytest.param("C:\\path\\n", r"'C:\\path\\n'", id="backslashes"),
        pytest.param("line1\nline2\r\n\tend", r"'line1\nline2\r\n\tend'", id="newline-cr-tab"),
        pytest.param("Operación Milagro", r"'Operaci\u00f3n Milagro'", id="latin-accent"),
        pytest.param("Díaz-Balart — 古巴", r"'D\u00edaz-Balart \u2014 \u53e4\u5df4'", id="bmp-unicode"),
        pytest.param("ok 😀", r"'ok \ud83d\ude00'", id="astral-surrogate-pair"),
        pytest.param("nul\x00bell\x07", r"'nul\u0000bell\u0007'", id="control-chars"),
        pytest.param("// not a comment; DROP", "'// not a comment; DROP'", id="comment-and-semicolon-inside"),
        pytest.param("", "''", id="empty"),
        pytest.param(None, "null", id="null"),
        pytest.param(True, "true", id="true"),
        pytest.param(-42, "-42", id="int"),
        pytest.param(2.5, "2.5", id="float"),
        pytest.param(1e20, "1e20", id="float-exponent"),
        pytest.param(3.0, "3.0", id="float-integral"),
        pytest.param(1.5e20, "1.5e20", id="float-fraction-and-exponent"),
        pytest.param(1e-05, "1e-05", id="float-negative-exponent"),
        pytest.param(float("nan"), "0.0 / 0.0", id="nan"),
        pytest.param(float("inf"), "1.0 / 0.0", id="infinity"),
        pytest.param(float("-inf"), "-1.0 / 0.0", id="minus-infinity"),
        pytest.param(["a", "b'c"], r"['a', 'b\'c']", id="list"),
        pytest.param({"b": 1, "a": "x", "has space": True}, "{a: 'x', b: 1, `has space`: true}", id="map-sorted-quoted-key"),
    ],
)
def test_cypher_literal_golden(value: Any, literal: str) -> None:
    assert cypher_literal(value) == literal
    assert cypher_literal(value).isascii()


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        pytest.param(None, None, id="none-is-no-property"),
        pytest.param("x", "x", id="str"),
        pytest.param(3, 3, id="int"),
        pytest.param(2**70, str(2**70), id="int-beyond-64-bit"),
        pytest.param(1.5, 1.5, id="float"),
        pytest.param(False, False, id="bool"),
        pytest.param(dt.date(2020, 3, 21), "2020-03-21", id="date"),
        pytest.param(dt.datetime(2020, 3, 21, 8, 30), "2020-03-21T08:30:00", id="datetime"),
        pytest.param(["a", "b"], ["a", "b"], id="list-of-str"),
        pytest.param((1, 2), [1, 2], id="tuple-of-int"),
        pytest.param({"b", "a"}, ["a", "b"], id="set-sorted"),
        pytest.param([], [], id="empty-list"),
        pytest.param([dt.date(2020, 1, 1)], ["2020-01-01"], id="list-of-dates"),
        pytest.param(["a", None], '["a", null]', id="list-with-null"),
        pytest.param([1, "a"], '[1, "a"]', id="mixed-list"),
        pytest.param([1, 2.5], "[1, 2.5]", id="int-float-list-is-mixed"),
        pytest.param([["a"]], '[["a"]]', id="nested-list"),
        pytest.param({"b": 1, "a": "é"}, '{"a": "é", "b": 1}', id="map"),
        pytest.param({"d": dt.date(2020, 1, 1)}, '{"d": "2020-01-01"}', id="map-with-date"),
    ],
)
def test_conversion_rule(value: Any, stored: Any) -> None:
    assert neo4j_value(value) == stored


def test_node_and_relationship_queries_golden() -> None:
    schema = load_schema()
    assert node_merge_query(schema, "State", False) == (
        "UNWIND $rows AS row\n"
        "MERGE (n:Cubamed {id: row.id})\n"
        "SET n = row, n:State\n"
        "REMOVE n:Region:Program:Person:Institution:Company:LegalEntity:Aircraft:Vessel:Event:Source:Sanctioned"
    )
    assert node_merge_query(schema, "Company", True).splitlines()[2:] == [
        "SET n = row, n:Company:Sanctioned",
        "REMOVE n:State:Region:Program:Person:Institution:LegalEntity:Aircraft:Vessel:Event:Source",
    ]
    assert relationship_merge_query(schema, "State", "DEPLOYED_TO", "Region") == (
        "UNWIND $rows AS row\n"
        "MATCH (a:State {id: row.s})\n"
        "MATCH (b:Region {id: row.t})\n"
        "MERGE (a)-[r:DEPLOYED_TO {id: row.id}]->(b)\n"
        "SET r = row.p"
    )
    with pytest.raises(ExportError, match="not allowed by the schema"):
        relationship_merge_query(schema, "Source", "DEPLOYED_TO", "State")
    with pytest.raises(ExportError, match="not in the schema"):
        node_merge_query(schema, "Robot) DETACH DELETE (n", False)


def _tiny() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("cuba", label="State", name="Cuba", iso3="CUB")
    G.add_node("haiti", label="State", name="Haïti", iso3="HTI", aliases=["Ayiti", "L'Haïti"], sanctioned=True, sanctioned_by=["cuba"])
    G.add_edge("cuba", "haiti", key="d-1", type="DEPLOYED_TO", source_id="s", locator="p. 1", evidence='Line "one"\nline two', count=12)
    return G


def test_generate_cypher_golden() -> None:
    text = "".join(generate_cypher(_tiny()))
    head = "// cubamed graph: 2 nodes, 1 relationships. Run: cypher-shell -f FILE\n// Constraints and indexes (cypher/schema.cypher)\n"
    schema_part = "".join(s + ";\n" for s in schema_statements()) + "CALL db.awaitIndexes(300);\n"
    assert text == head + schema_part + (
        "// State: 1 nodes\n"
        "UNWIND [\n"
        "  {id: 'cuba', iso3: 'CUB', name: 'Cuba'}\n"
        "] AS row\n"
        "MERGE (n:Cubamed {id: row.id})\n"
        "SET n = row, n:State\n"
        "REMOVE n:Region:Program:Person:Institution:Company:LegalEntity:Aircraft:Vessel:Event:Source:Sanctioned;\n"
        "// State (sanctioned): 1 nodes\n"
        "UNWIND [\n"
        "  {aliases: ['Ayiti', 'L\\'Ha\\u00efti'], id: 'haiti', iso3: 'HTI', name: 'Ha\\u00efti', sanctioned: true, sanctioned_by: ['cuba']}\n"
        "] AS row\n"
        "MERGE (n:Cubamed {id: row.id})\n"
        "SET n = row, n:State:Sanctioned\n"
        "REMOVE n:Region:Program:Person:Institution:Company:LegalEntity:Aircraft:Vessel:Event:Source;\n"
        "// State -[DEPLOYED_TO]-> State: 1 relationships\n"
        "UNWIND [\n"
        "  {id: 'd-1', p: {`_cubamed`: true, count: 12, evidence: 'Line \"one\"\\nline two', id: 'd-1', locator: 'p. 1', source_id: 's'}, "
        "s: 'cuba', t: 'haiti'}\n"
        "] AS row\n"
        "MATCH (a:State {id: row.s})\n"
        "MATCH (b:State {id: row.t})\n"
        "MERGE (a)-[r:DEPLOYED_TO {id: row.id}]->(b)\n"
        "SET r = row.p;\n"
    )


def test_generate_cypher_batches(mini: nx.MultiDiGraph) -> None:
    statements = [s for s in generate_cypher(mini, batch_size=2) if s.startswith("UNWIND")]
    # 5 states -> 3 batches; 4 DEPLOYED_TO (3 to State, 1 to Region) -> 2 + 1; one each for the rest
    assert len(statements) == 3 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + (2 + 1) + 1 + 1 + 1 + 1
    assert all(s.endswith(";\n") for s in statements)


def test_schema_cypher_has_one_id_constraint_per_label() -> None:
    schema = load_schema()
    statements = schema_statements()
    for label in [*schema.labels, "Cubamed"]:
        expected = f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        assert expected in statements
    assert all("IF NOT EXISTS" in s for s in statements)


def test_split_statements_drops_comments() -> None:
    assert split_statements("// a\nRETURN 1;\n// b;\nRETURN 2;") == ["RETURN 1", "RETURN 2"]


def test_admin_headers_golden(mini: nx.MultiDiGraph) -> None:
    files = {f.name: f for f in generate_neo4j_admin(mini)}
    assert sorted(files) == [
        "nodes_Company.csv", "nodes_Event.csv", "nodes_Institution.csv", "nodes_Person.csv", "nodes_Program.csv",
        "nodes_Region.csv", "nodes_Source.csv", "nodes_State.csv",
        "relationships_DEPLOYED_TO.csv", "relationships_ESTABLISHED.csv", "relationships_LEADER_OF.csv",
        "relationships_SANCTIONED.csv", "relationships_TRANSPORTED.csv",
    ]  # fmt: skip
    assert files["nodes_State.csv"].header == ["id:ID", ":LABEL", "name", "aliases:string[]", "iso3"]
    assert files["nodes_Company.csv"].header == ["id:ID", ":LABEL", "name", "kind", "sanctioned:boolean", "sanctioned_by:string[]"]
    assert files["nodes_Event.csv"].header == ["id:ID", ":LABEL", "name", "kind", "year:long"]
    assert files["relationships_DEPLOYED_TO.csv"].header == [
        ":START_ID", ":END_ID", ":TYPE", "id", "_cubamed:boolean", "source_id", "locator", "evidence", "count:long", "year:long", "event",
    ]  # fmt: skip
    lines = list(files["nodes_State.csv"].lines())
    assert lines[0] == "id:ID,:LABEL,name,aliases:string[],iso3\n"
    assert '"united-states","State|Cubamed","United States","U.S.|US","USA"\n' in lines
    assert '"cuba","State|Cubamed","Cuba",,"CUB"\n' in lines
    assert (
        list(files["nodes_Company.csv"].lines())[1] == '"conviasa","Company|Cubamed|Sanctioned","Conviasa","airline",true,"united-states"\n'
    )
    deployed = list(files["relationships_DEPLOYED_TO.csv"].lines())
    assert (
        '"cuba","lombardy",DEPLOYED_TO,"deployed-to-bf1ea0ad10df",true,"encyclopedia","Missions, para. 2","A brigade went to Lombardy.",52,2020,\n'
        in deployed
    )


def test_admin_cells_quote_and_keep_newlines() -> None:
    files = {f.name: f for f in generate_neo4j_admin(_tiny())}
    rel = list(files["relationships_DEPLOYED_TO.csv"].lines())
    assert rel[1] == '"cuba","haiti",DEPLOYED_TO,"d-1",true,"s","p. 1","Line ""one""\nline two",12\n'
    assert '"haiti","State|Cubamed|Sanctioned","Haïti","Ayiti|L\'Haïti","HTI",true,"cuba"\n' in list(files["nodes_State.csv"].lines())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(lambda G: G.add_node("x", label="State", name="a|b", aliases=["a|b"]), "contains the array delimiter", id="delimiter"),
        pytest.param(
            lambda G: (G.add_node("y", label="State", name="Y", note=3), G.add_node("z", label="State", name="Z", note="3")),
            "has values of types long and string",
            id="mixed-undeclared-column",
        ),
    ],
)
def test_admin_refuses_what_it_cannot_write(mutate: Any, message: str) -> None:
    G = _tiny()
    mutate(G)
    with pytest.raises(ExportError, match=message):
        generate_neo4j_admin(G)


def test_a_declared_property_of_the_wrong_type_is_refused_by_every_file_export(tmp_path: Path) -> None:
    G = _tiny()
    G.add_node("y", label="State", name="Y", iso3=3)
    expected = "the graph does not fit the schema (1 problem); nothing was done:\n  entity 'y': 'iso3' must be text (schema type string), got 3"
    for export in (lambda: list(generate_cypher(G)), lambda: generate_neo4j_admin(G), lambda: write_cypher(G, tmp_path / "g.cypher")):
        with pytest.raises(ModelError) as info:
            export()
        assert str(info.value) == expected
    assert list(tmp_path.iterdir()) == []


def test_import_script_golden(mini: nx.MultiDiGraph) -> None:
    script = import_script(generate_neo4j_admin(mini))
    nodes = "".join(f"  --nodes=nodes_{label}.csv \\\n" for label in ["State", "Region", "Program", "Person", "Institution", "Company", "Event", "Source"])
    rels = " \\\n".join(f"  --relationships=relationships_{t}.csv" for t in ["DEPLOYED_TO", "SANCTIONED", "TRANSPORTED", "ESTABLISHED", "LEADER_OF"])
    assert script == (
        "#!/bin/sh\n"
        "# Load the cubamed graph into a new Neo4j 5 database with neo4j-admin (generated by `cubamed export neo4j-admin`).\n"
        "# Stop the database first; the import needs an empty or new database (add --overwrite-destination=true to replace one).\n"
        "# Usage: NEO4J_HOME=/path/to/neo4j sh import.sh [DATABASE]     (DATABASE defaults to neo4j)\n"
        "# Then start Neo4j and create the constraints and indexes: cypher-shell -d DATABASE -f schema.cypher\n"
        "set -eu\n"
        'cd "$(dirname "$0")"\n'
        'DATABASE="${1:-neo4j}"\n'
        '"${NEO4J_HOME:?set NEO4J_HOME to the Neo4j installation}/bin/neo4j-admin" database import full "$DATABASE" \\\n'
        "  --array-delimiter='|' \\\n"
        "  --multiline-fields=true \\\n"
        "  --id-type=string \\\n" + nodes + rels + "\n"
    )


def test_import_script_uses_the_arguments_the_test_imports_with(mini: nx.MultiDiGraph) -> None:
    from .test_neo4j import IMPORT_ARGS  # the arguments the Neo4j test imports with

    script = import_script(generate_neo4j_admin(mini))
    for arg in IMPORT_ARGS:
        assert arg.replace("=|", "='|'") in script


def test_bad_label_writes_nothing(tmp_path: Path) -> None:
    G = _tiny()
    G.add_node("robot", label="Robot", name="R2")
    with pytest.raises(ModelError, match="entity 'robot': label 'Robot' is not one of the schema's labels"):
        write_cypher(G, tmp_path / "out.cypher")
    with pytest.raises(ModelError, match="label 'Robot'"):
        write_neo4j_admin(G, tmp_path / "admin")
    assert list(tmp_path.iterdir()) == []


def test_bad_triple_is_refused() -> None:
    G = _tiny()
    G.add_node("src", label="Source", name="S", title="S", kind="news")
    G.add_edge("src", "cuba", key="bad", type="DEPLOYED_TO", source_id="s", locator="x", evidence="x")
    with pytest.raises(
        ModelError, match=re.escape("relationship 'bad' (src -[DEPLOYED_TO]-> cuba): Source -[DEPLOYED_TO]-> State is not allowed")
    ):
        list(generate_cypher(G))


def test_writers_replace_whole(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    out = tmp_path / "admin"
    out.mkdir()
    (out / "stale.csv").write_text("old")
    write_neo4j_admin(mini, out)
    assert not (out / "stale.csv").exists()
    assert {"import.sh", "schema.cypher", "README.md", "nodes_State.csv"} <= {p.name for p in out.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["admin"]  # no temp folder left
    script = write_cypher(mini, tmp_path / "g.cypher")
    assert script.read_text(encoding="ascii").startswith("// cubamed graph: 13 nodes, 8 relationships.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["admin", "g.cypher"]


def test_cli_file_exports(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", "cypher", str(tmp_path / "g.cypher"), "--data", MINI])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 13 nodes and 8 relationships to {tmp_path / 'g.cypher'}.\n"
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "adm"), "--data", MINI])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "adm" / "import.sh").exists()


def test_cli_connection_refused_is_one_line_without_password(unused_port: int) -> None:
    result = CliRunner().invoke(
        main,
        ["export", "neo4j", "--uri", f"bolt://127.0.0.1:{unused_port}", "--data", MINI],
        env={"NEO4J_PASSWORD": "s3cret-pw"},
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach Neo4j at bolt://127.0.0.1:{unused_port}; check that the server is running")
    assert result.output.count("\n") == 1
    assert "s3cret-pw" not in result.output


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
@pytest.mark.parametrize("command", ["export", "query"])
def test_a_password_inside_the_uri_is_never_printed(unused_port: int, scheme: str, command: str) -> None:
    uri = f"{scheme}://neo4j:MyS3cretPw@127.0.0.1:{unused_port}"
    args = ["export", "neo4j", "--uri", uri, "--data", MINI] if command == "export" else ["query", "RETURN 1", "--neo4j", uri, "--data", MINI]
    result = CliRunner().invoke(main, args, env={"NEO4J_PASSWORD": "other-pw"})
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "MyS3cretPw" not in result.output and "other-pw" not in result.output


def test_falsy_values_are_exported_not_dropped(tmp_path: Path) -> None:
    """0, '' and False are values: only None means absent (the rule at the top of export/rows.py)."""
    G = _tiny()
    edge = G.edges["cuba", "haiti", "d-1"]
    edge.update(count=0, role="", year=0)
    G.nodes["cuba"]["sanctioned"] = False
    text = "".join(generate_cypher(G))
    assert "count: 0, evidence:" in text and "role: ''" in text and "year: 0" in text
    assert "{id: 'cuba', iso3: 'CUB', name: 'Cuba', sanctioned: false}" in text
    rel = next(f for f in generate_neo4j_admin(G) if f.name == "relationships_DEPLOYED_TO.csv")
    header, row = list(rel.lines())
    cells = dict(zip(header.strip().split(","), row.strip().split(","), strict=True))
    assert (cells["count:long"], cells["role"], cells["year:long"]) == ("0", '""', "0")


def value_kinds() -> nx.MultiDiGraph:
    """Every kind of value the admin writer's quick way formats itself, in declared columns: lists
    with commas, quotes, newlines and an empty item; empty strings; 0 and False;
    non-ASCII text; dates; ints beyond 32 bits; floats; properties present on some rows only."""
    G = _tiny()
    G.add_node("x", label="State", name="", iso3="", aliases=["a,b", 'say "hi"', "two\nlines", "😀 Díaz-Balart — 古巴"], sanctioned=False)
    G.add_node("y", label="State", name='"quoted"', aliases=["", "empty item first"], first_seen="2023-01-01", last_seen="2024-06")
    G.add_node("z", label="State", name="Zed, with comma\r\nand CRLF", aliases=["only"], sanctioned=True, sanctioned_by=["cuba", "x"])
    G.add_node("ev", label="Event", name="Big year", year=2**40, end_year=-(2**62))
    G.add_node("ev0", label="Event", name="Year zero", year=0)
    G.add_edge("x", "y", key="r-2", type="DEPLOYED_TO", source_id="s", locator="", evidence="é\n", count=0, year=2**33)
    G.add_edge("y", "x", key="r-1", type="DEPLOYED_TO", source_id="s", locator="p", evidence="e", amount_usd=0.1, quantity=1e300)
    G.add_edge("z", "x", key="r-3", type="DEPLOYED_TO", source_id="s", locator="p", evidence="e", amount_usd=3.0, percent_min=-0.0)
    G.add_edge("cuba", "z", key="r-4", type="DEPLOYED_TO", source_id="s", locator="p", evidence="e", date="2020-02-07", count=2**63 - 1)
    return G


def _quick_and_model_files(G: nx.MultiDiGraph) -> tuple[Any, Any]:
    from graph.export.neo4j_admin import _generate, _quick_files
    from graph.project import model_for

    model = model_for(G, None)
    return _quick_files(G, model), _generate(G, model)


@pytest.mark.parametrize("block", [pytest.param(1, id="row-by-row"), pytest.param(2048, id="whole")])
def test_admin_quick_way_writes_what_the_model_way_writes(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """The writer reads the columns straight from the graph when it can (`_quick_files`); the files
    must be those the model's rows give, cell for cell. A block at a time, it takes its columns from
    the first block's rows: the keys a later row adds, and those holding None, must not change that."""
    from graph.export import neo4j_admin

    monkeypatch.setattr(neo4j_admin, "_BLOCK", block)
    G = value_kinds()
    G.nodes["haiti"]["percent"] = None  # None is no property, on either way
    G.edges["x", "y", "r-2"]["amount_usd"] = float("nan")
    G.edges["y", "x", "r-1"]["percent_max"] = float("inf")
    quick, by_model = _quick_and_model_files(G)
    assert quick is not None  # the quick way was taken
    assert [f.name for f in quick] == [f.name for f in by_model]
    for q, m in zip(quick, by_model, strict=True):
        assert (q.header, q.rows) == (m.header, m.rows), q.name
    assert generate_neo4j_admin(G) == quick


def test_admin_double_cells_are_spelled_as_javas_double_parser_reads_them() -> None:
    """neo4j-admin reads a `:double` cell with Java's `Double.parseDouble`, whose grammar is case
    sensitive: NaN and the infinities must be `NaN`, `Infinity` and `-Infinity`."""
    from .test_exchange import _JAVA_DOUBLE

    G = value_kinds()
    G.edges["x", "y", "r-2"]["amount_usd"] = float("nan")
    G.edges["y", "x", "r-1"]["percent_max"] = float("inf")
    G.edges["y", "x", "r-1"]["quantity"] = float("-inf")
    seen = set()
    for f in generate_neo4j_admin(G):
        for i, column in enumerate(f.header):
            if column.endswith(":double"):
                cells = [row[i] for row in f.rows if row[i]]
                assert all(_JAVA_DOUBLE.fullmatch(c) for c in cells), (f.name, column, cells)
                seen.update(cells)
    assert {"NaN", "Infinity", "-Infinity"} <= seen


def test_admin_quick_way_orders_shared_edge_keys_as_the_model_way() -> None:
    """networkx allows one key on edges between different nodes. Among relationships of one type
    sharing a key, the files keep the model's order: its relation groups (the schema's endpoint
    triples, State->State before Program->State), then the graph's adjacency order."""
    G = nx.MultiDiGraph()
    G.add_node("p1", label="Program", name="P1")
    G.add_node("s2", label="State", name="S2")
    G.add_node("s1", label="State", name="S1")
    G.add_edge("p1", "s1", key="k", type="DEPLOYED_TO", source_id="s", locator="a", evidence="e")
    G.add_edge("s2", "s1", key="k", type="DEPLOYED_TO", source_id="s", locator="b", evidence="e")
    G.add_edge("s1", "s2", key="k", type="DEPLOYED_TO", source_id="s", locator="c", evidence="e")
    G.add_edge("p1", "s2", key="j", type="DEPLOYED_TO", source_id="s", locator="d", evidence="e")
    quick, by_model = _quick_and_model_files(G)
    assert quick is not None
    for q, m in zip(quick, by_model, strict=True):
        assert (q.header, q.rows) == (m.header, m.rows), q.name
    rel = next(f for f in quick if f.name == "relationships_DEPLOYED_TO.csv")
    assert [(r[0], r[3]) for r in rel.rows] == [('"p1"', '"j"'), ('"s2"', '"k"'), ('"s1"', '"k"'), ('"p1"', '"k"')]


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda G: G.nodes["x"].update(note=3), id="undeclared-attribute"),
        pytest.param(lambda G: G.nodes["x"].update(aliases=("a", "b")), id="tuple-list"),
        pytest.param(lambda G: G.nodes["x"].update(aliases={"b", "a"}), id="set-list"),
        pytest.param(lambda G: G.nodes["ev"].update(year=2020.0), id="whole-float-in-int-column"),
        pytest.param(lambda G: G.edges["y", "x", "r-1"].update(amount_usd=3), id="int-in-number-column"),
        pytest.param(lambda G: G.edges["cuba", "z", "r-4"].update(date=dt.date(2020, 2, 7)), id="date-object"),
        pytest.param(lambda G: G.add_edge("x", "y", key=7, type="DEPLOYED_TO", source_id="s"), id="int-key"),
    ],
)
def test_admin_quick_way_gives_up_where_the_model_converts(mutate: Any) -> None:
    """A value the model's rows would convert sends the writer the model's way, whole."""
    G = value_kinds()
    mutate(G)
    quick, by_model = _quick_and_model_files(G)
    assert quick is None
    assert generate_neo4j_admin(G) == by_model


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        pytest.param(lambda G: G.nodes["x"].update(aliases=["a|b"]), ExportError, id="array-delimiter"),
        pytest.param(lambda G: G.nodes["ev"].update(year=2**63), ExportError, id="int-beyond-64-bits-beside-ints"),
        pytest.param(lambda G: G.nodes["x"].update(aliases=[]), ExportError, id="empty-list"),
        pytest.param(lambda G: G.nodes["x"].update(aliases=[""]), ExportError, id="list-of-one-empty-text"),
        pytest.param(lambda G: G.nodes["x"].update(aliases=["a", 3]), ModelError, id="list-with-a-number"),
        pytest.param(lambda G: G.nodes["x"].update(sanctioned="yes"), ModelError, id="text-in-bool-column"),
        pytest.param(lambda G: G.nodes["x"].update(label="Planet"), ModelError, id="unknown-label"),
        pytest.param(lambda G: G.add_edge("ev", "x", key="bad", type="DEPLOYED_TO"), ModelError, id="endpoints-not-allowed"),
        pytest.param(lambda G: G.nodes["ev"].update(source="oops"), ModelError, id="reserved-name"),
    ],
)
def test_admin_quick_way_leaves_every_error_to_the_model_way(mutate: Any, error: type[Exception]) -> None:
    G = value_kinds()
    mutate(G)
    from graph.export.neo4j_admin import _generate
    from graph.project import model_for

    with pytest.raises(error) as by_model:
        _generate(G, model_for(G, None))
    with pytest.raises(error) as written:
        generate_neo4j_admin(G)
    assert str(written.value) == str(by_model.value)


@pytest.mark.parametrize("empty", [pytest.param([], id="empty-list"), pytest.param([""], id="one-empty-text")])
def test_admin_refuses_a_list_neo4j_admin_would_drop(empty: list[str]) -> None:
    """neo4j-admin reads an empty array cell as no property (neo4j/neo4j#13566): refused, not lost."""
    G = _tiny()
    G.add_node("x", label="State", name="X", aliases=["a"])
    G.add_node("y", label="State", name="Y", aliases=empty)
    with pytest.raises(ExportError) as info:
        generate_neo4j_admin(G)
    assert str(info.value) == (
        "nodes_State.csv, row 4: an empty list (or a list of one empty text) cannot be imported: neo4j-admin reads an empty "
        "array cell as no property (neo4j/neo4j#13566); leave the property out of the graph, or use `cubamed export neo4j`, "
        "which stores it"
    )


def test_admin_refuses_an_empty_list_beside_a_column_whose_types_are_read_row_by_row() -> None:
    """A column mixing an empty list and a number sends the types to the row-by-row reading, which
    lets the number stand (an empty list fits any type); a column of empty lists only must still meet
    the refusal of neo4j/neo4j#13566 at its first row, not fall out of the header."""
    G = _tiny()
    G.add_node("x", label="State", name="X", odd=[], void=[])
    G.add_node("y", label="State", name="Y", odd=5)
    with pytest.raises(ExportError) as info:
        generate_neo4j_admin(G)
    assert str(info.value).startswith("nodes_State.csv, row 3: an empty list (or a list of one empty text) cannot be imported")


def test_admin_cells_written_by_column_are_the_cells_of_each_value() -> None:
    """The files are formatted a column at a time; each cell must be what `_cell` makes of its value."""
    from graph.export.neo4j_admin import _cell

    G = _tiny()
    G.add_node("a", label="State", name='Quote " and \x1f unit separator', aliases=['x "y"', ""], ratio=float("inf"), big=2**70)
    G.add_node("b", label="State", name="Plain", aliases=["", "x"], ratio=float("-inf"), flag=False, big=-(2**70))
    G.add_node("c", label="State", name="", ratio=1.5, flag=True, big=2**65, count=7)
    G.add_edge("a", "b", key='k "1"', type="DEPLOYED_TO", source_id="s", locator="", evidence="e\x1f", count=-3)
    for f in generate_neo4j_admin(G):
        names = [h.split(":")[0] for h in f.header]
        if f.kind == "nodes":
            rows = sorted(((n, d) for n, d in G.nodes(data=True) if f.name == f"nodes_{d['label']}.csv"), key=lambda nd: nd[0])
            expected = [
                [_cell(n, ""), f.rows[i][1], *(_cell(neo4j_value(d.get(c)), "") for c in names[2:])] for i, (n, d) in enumerate(rows)
            ]
        else:
            rows = sorted((k, u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if f.name == f"relationships_{d['type']}.csv")
            expected = [
                [_cell(u, ""), _cell(v, ""), d["type"], _cell(k, ""), "true", *(_cell(neo4j_value(d.get(c)), "") for c in names[5:])]
                for k, u, v, d in rows
            ]
        assert f.rows == expected, f.name
    state = {f.name: f for f in generate_neo4j_admin(G)}["nodes_State.csv"]
    assert state.rows[0][:4] == ['"a"', '"State|Cubamed"', '"Quote "" and \x1f unit separator"', '"x ""y""|"']


@pytest.mark.parametrize("block", [pytest.param(1, id="row-by-row"), pytest.param(2, id="two-rows"), pytest.param(2048, id="whole")])
def test_admin_files_written_by_block_are_the_cells_of_each_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """The writer quotes a block of rows as one text (`_quoted_block`); the bytes must be the rows'
    cells joined line by line, across block boundaries, in blocks where a column has no value, and
    where a value holds the control character the block uses as a quote (then cell by cell)."""
    from graph.export import neo4j_admin

    monkeypatch.setattr(neo4j_admin, "_BLOCK", block)
    G = value_kinds()
    G.add_node("q", label="State", name="holds \x1d, the block's quote", aliases=['"\x1d"', "b"], iso3='"')
    G.add_edge("q", "x", key="r-5", type="DEPLOYED_TO", source_id="s", locator='"\x1d', evidence="", count=5)
    files = generate_neo4j_admin(G)
    assert all(f.body is not None for f in files)  # the quick way: the lines made a block at a time
    out = write_neo4j_admin(G, tmp_path / "admin")
    for f in files:
        expected = ",".join(f.header) + "\n" + "".join(",".join(row) + "\n" for row in f.rows)
        assert (out / f.name).read_bytes().decode("utf-8") == expected, f.name
    state = (out / "nodes_State.csv").read_bytes().decode("utf-8")
    assert '"q","State|Cubamed","holds \x1d, the block\'s quote","""\x1d""|b",,,"""",,\n' in state


def test_write_cypher_to_a_folder_names_the_script(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError) as err:
        write_cypher(mini, tmp_path)
    assert str(err.value) == f"{tmp_path}: cannot write the script (Is a directory); choose another path"


def test_write_cypher_writes_what_generate_cypher_gives_with_the_same_options(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    out = write_cypher(mini, tmp_path / "mini.cypher", batch_size=2)
    assert out.read_text(encoding="ascii") == "".join(generate_cypher(mini, batch_size=2))
    assert out.read_text(encoding="ascii") != "".join(generate_cypher(mini))  # the batches show in the script
    renamed = FIXTURES / "renamed-roles"
    schema = load_schema(renamed / "schema.yaml")
    G = nx.MultiDiGraph(graph.load(renamed / "data", schema=schema))  # a copy forgets its schema: it must be given
    out = write_cypher(G, tmp_path / "g.cypher", batch_size=1, schema=schema)
    assert out.read_text(encoding="ascii") == "".join(generate_cypher(G, batch_size=1, schema=schema))


def test_a_set_or_an_unknown_object_inside_a_map_is_json_of_its_items() -> None:
    """The rule's last line: a map is JSON text, a set in it a list sorted by repr, an unknown object its `str`."""
    from decimal import Decimal

    stored = neo4j_value({"mixed": {2, "a"}, "amount": Decimal("455.5"), "day": dt.date(2020, 1, 2)})
    # json.loads is the reader: the text must be JSON whose set is sorted by repr ("'a'" < "2"), whatever the set's order
    assert json.loads(stored) == {"amount": "455.5", "day": "2020-01-02", "mixed": ["a", 2]}
    assert neo4j_value({"mixed": {"a", 2}}) == neo4j_value({"mixed": {2, "a"}})


@pytest.mark.parametrize("size", [pytest.param(0, id="zero"), pytest.param(-3, id="negative")])
def test_a_batch_size_below_one_is_refused_with_its_value(size: int) -> None:
    with pytest.raises(ExportError) as err:
        list(batches([{"id": "a"}], size))
    assert str(err.value) == f"batch size must be at least 1, not {size}"


@pytest.mark.parametrize(
    "schema_dir", [pytest.param(None, id="default-schema"), pytest.param(FIXTURES / "renamed-roles", id="schema-given")]
)
def test_the_schema_script_is_the_schema_statements_one_a_line(schema_dir: Path | None) -> None:
    """cypher/schema.cypher and the admin folder's script: each statement of the given schema ends with `;` on its line."""
    schema = load_schema(schema_dir / "schema.yaml") if schema_dir else load_schema()
    text = generate_schema_cypher(schema)
    code = [ln for ln in text.splitlines() if not ln.startswith("//")]
    assert code == [s + ";" for s in schema_statements(schema)]
    # the labels are those of the schema given (read here with PyYAML, not through the code under test)
    raw = yaml.safe_load((schema_dir or Path(graph.__file__).parent.parent / "data").joinpath("schema.yaml").read_text(encoding="utf-8"))
    name = raw["roles"]["name"]  # `name` in data/schema.yaml, `called` in the fixture
    for label in raw["labels"]:
        assert f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;" in code
        assert f"CREATE INDEX {label.lower()}_{name} IF NOT EXISTS FOR (n:{label}) ON (n.{name});" in code
    assert text.endswith(";\n") and ";;" not in text


def test_the_schemas_indexes_become_one_index_each_on_a_node_or_a_relationship() -> None:
    """data/schema.yaml's `indexes:` (read here with PyYAML): a label's on (n:Label), a type's on ()-[r:TYPE]-()."""
    raw = yaml.safe_load((Path(graph.__file__).parent.parent / "data" / "schema.yaml").read_text(encoding="utf-8"))
    assert raw["indexes"] == {"Event": ["year"], "Source": ["kind"], "DEPLOYED_TO": ["year"]}
    assert schema_statements()[-3:] == [
        "CREATE INDEX event_year IF NOT EXISTS FOR (n:Event) ON (n.year)",
        "CREATE INDEX source_kind IF NOT EXISTS FOR (n:Source) ON (n.kind)",
        "CREATE INDEX deployed_to_year IF NOT EXISTS FOR ()-[r:DEPLOYED_TO]-() ON (r.year)",
    ]


@pytest.mark.parametrize(
    ("indexes", "message"),
    [
        pytest.param(["Event"], "'indexes' must map a label or relationship type to a list of properties", id="not-a-map"),
        pytest.param({"Event": "year"}, "indexes of 'Event' must be a list of property names", id="not-a-list"),
        pytest.param({"Event": ["year", 3]}, "indexes of 'Event' must be a list of property names", id="not-names"),
        pytest.param({"Robot": ["year"]}, "indexes name 'Robot', which is neither a label nor a relationship type", id="unknown-target"),
        pytest.param({"Event": ["tonnage"]}, "index on Event.tonnage: Event has no property 'tonnage'", id="unknown-property"),
        pytest.param(
            {"DEPLOYED_TO": ["kind"]}, "index on DEPLOYED_TO.kind: DEPLOYED_TO has no property 'kind'", id="node-property-on-a-type"
        ),
    ],
)
def test_a_bad_index_declaration_names_the_schema_file_and_the_entry(tmp_path: Path, indexes: Any, message: str) -> None:
    from graph.errors import SchemaError
    from graph.schema import parse_schema

    raw = yaml.safe_load((Path(graph.__file__).parent.parent / "data" / "schema.yaml").read_text(encoding="utf-8"))
    raw["indexes"] = indexes
    path = tmp_path / "schema.yaml"
    with pytest.raises(SchemaError) as err:
        schema_statements(parse_schema(raw, path))
    assert str(err.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(" ~!az{}", id="printable-ascii-edges"),
        pytest.param("a'b\\c\n\r\t\"", id="escapes"),
        pytest.param("\x00\x07\x1f\x7f\x80\xa0", id="controls-and-del"),
        pytest.param("\u0100\u53e4\uffff", id="bmp"),
        pytest.param("\U00010000😀\U0010ffff", id="astral-edges"),
    ],
)
def test_a_cypher_string_literal_decodes_back_to_its_text(text: str) -> None:
    """Python's `unicode_escape` codec reads the escapes Cypher's string literals use (\\\\, \\', \\n, \\r, \\t,
    \\uXXXX with surrogate pairs): an independent reader of the literal, which must give the text back."""
    import codecs

    literal = cypher_literal(text)
    assert literal.isascii() and literal[0] == literal[-1] == "'"
    decoded = codecs.decode(literal[1:-1], "unicode_escape")
    assert decoded.encode("utf-16", "surrogatepass").decode("utf-16") == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("State", "State", id="simple"),
        pytest.param("camas_año", "`camas_año`", id="beyond-ascii"),
        pytest.param("has space", "`has space`", id="space"),
        pytest.param("1st", "`1st`", id="leading-digit"),
        pytest.param("a`b", "`a``b`", id="backtick-doubled"),
        pytest.param("``", "``````", id="only-backticks"),
    ],
)
def test_a_name_is_quoted_as_cypher_reads_it(name: str, text: str) -> None:
    """Cypher's rule for a symbolic name: in backticks unless a letter then letters, digits, `_`; a backtick inside doubled."""
    assert quote_name(name) == text


@pytest.mark.parametrize(
    "value", [pytest.param(v, id=str(v)) for v in (-(2**63) - 1, -(2**63), -(2**63) + 1, 2**63 - 2, 2**63 - 1, 2**63)]
)
def test_an_int_is_stored_as_an_integer_exactly_when_it_fits_in_64_bits(value: int) -> None:
    """Neo4j's integers are Java longs: struct's signed 64-bit packing (`q`) is the independent judge of what fits."""
    import struct

    try:
        struct.pack("<q", value)
        fits = True
    except struct.error:
        fits = False
    assert neo4j_value(value) == (value if fits else str(value))
    assert type(neo4j_value(value)) is (int if fits else str)
    assert neo4j_value([value]) == [value if fits else str(value)]


def test_a_set_of_mixed_kinds_is_json_of_its_items_sorted_by_repr() -> None:
    """A set cannot be a Neo4j list when its items are of two kinds; its JSON text lists them in repr order."""
    assert json.loads(neo4j_value({2, "a", 1})) == ["a", 1, 2]  # "'a'" < "1" < "2"
    assert json.loads(neo4j_value(frozenset({2.5, "b"}))) == ["b", 2.5]  # "'b'" < "2.5"


def test_the_bolt_rows_are_the_graphs_nodes_and_relationships_grouped(mini: nx.MultiDiGraph) -> None:
    """Checked against networkx's own view of the graph: every node once, in the group of its label and sanctions
    mark, its row its attributes (less `label`) with its id; every relationship once, in the group of its
    ends' labels and type, with its ends, id and attributes (less `type`) marked."""
    from graph.export.rows import node_groups, relationship_groups

    nodes = {}
    for g in node_groups(mini):
        for row in g.rows:
            assert row["id"] not in nodes
            nodes[row["id"]] = (g.label, g.sanctioned, row)
    assert nodes == {
        n: (d["label"], bool(d.get("sanctioned")), {**{k: v for k, v in d.items() if k != "label"}, "id": n}) for n, d in mini.nodes(data=True)
    }
    rels = {}
    for rg in relationship_groups(mini):
        for row in rg.rows:
            assert row["id"] not in rels
            rels[row["id"]] = (rg.start, rg.type, rg.end, row)
    label = dict(mini.nodes(data="label"))
    assert rels == {
        k: (label[u], d["type"], label[v], {"s": u, "t": v, "id": k, "p": {**{a: x for a, x in d.items() if a != "type"}, "id": k, "_cubamed": True}})
        for u, v, k, d in mini.edges(keys=True, data=True)
    }


def test_the_bolt_rows_use_the_schema_given(tmp_path: Path) -> None:
    from graph.export.rows import node_groups, relationship_groups

    renamed = FIXTURES / "renamed-roles"
    schema = load_schema(renamed / "schema.yaml")
    G = nx.MultiDiGraph(graph.load(renamed / "data", schema=schema))  # a copy forgets its schema: it must be given
    assert {g.label for g in node_groups(G, schema)} == {d for _, d in G.nodes(data="label")}
    loaded = graph.load(renamed / "data", schema=schema)  # the graph load() gives knows its schema
    assert {g.label for g in node_groups(loaded)} == {d for _, d in G.nodes(data="label")}
    assert sum(len(g.rows) for g in relationship_groups(loaded)) == loaded.number_of_edges()
    assert {(g.start, g.type, g.end) for g in relationship_groups(G, schema)} == {
        (G.nodes[u]["label"], t, G.nodes[v]["label"]) for u, v, t in G.edges(data="type")
    }


def test_a_list_neo4j_cannot_store_is_json_text_in_the_bolt_rows_too(mini: nx.MultiDiGraph) -> None:
    """The rows Bolt sends take the same rule as neo4j_value (the rule at the top of export/rows.py): only a list of
    one scalar kind is a list; ints with floats, a null or a nested list make the list JSON text."""
    from graph.export.rows import node_groups

    G = mini.copy()
    G.nodes["cuba"].update(ints=[1, 2], mixed=[1, 2.5], holey=["a", None], nested=[["a"]], empty=[])
    row = next(r for g in node_groups(G) for r in g.rows if r["id"] == "cuba")
    assert (row["ints"], row["empty"]) == ([1, 2], [])
    for name in ("mixed", "holey", "nested"):
        assert type(row[name]) is str and json.loads(row[name]) == G.nodes["cuba"][name], name


def test_rows_of_one_batch_are_one_list_literal_one_row_a_line() -> None:
    G = _tiny()
    G.nodes["haiti"].update(sanctioned=False, sanctioned_by=[])
    del G.nodes["haiti"]["aliases"]
    statement = next(s for s in generate_cypher(G) if s.startswith("UNWIND") and "n:State" in s)
    assert statement.startswith(
        "UNWIND [\n"
        "  {id: 'cuba', iso3: 'CUB', name: 'Cuba'},\n"
        "  {id: 'haiti', iso3: 'HTI', name: 'Ha\\u00efti', sanctioned: false, sanctioned_by: []}\n"
        "] AS row\n"
    )


def test_a_value_the_conversion_rule_never_gives_is_refused_by_cypher_literal() -> None:
    """cypher_literal is public: given something neo4j_value would have made JSON text, it says what it cannot write."""
    with pytest.raises(ExportError) as err:
        cypher_literal(b"x")
    assert str(err.value) == "cannot write bytes value b'x' as a Cypher literal"


# --- the admin files made in two processes ----------------------------------------------------------


def _two_processes(monkeypatch: pytest.MonkeyPatch, *, alone: bool = True) -> list[int]:
    """Make `write_neo4j_admin` fork whatever the graph's size (and, `alone`, whatever thread another
    test left running); the children it forks, as seen here."""
    import os

    from graph.export import neo4j_admin

    monkeypatch.setattr(neo4j_admin, "_PARALLEL_ROWS", 1)
    monkeypatch.setattr(neo4j_admin, "_memory_to_spare", lambda: True)
    if alone:
        monkeypatch.setattr(neo4j_admin.threading, "active_count", lambda: 1)
    children: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    return children


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.mark.parametrize("which", ["value-kinds", "curated"])
def test_admin_files_made_in_two_processes_are_those_made_in_one(
    which: str, curated: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large graph the writer forks a child that makes about half of the files (by rows) while
    it makes the others: the folder must be the one a single process writes, byte for byte, and
    the cells those of the model's rows."""
    G = value_kinds() if which == "value-kinds" else curated
    write_neo4j_admin(G, tmp_path / "one")
    children = _two_processes(monkeypatch)
    write_neo4j_admin(G, tmp_path / "two")
    assert len(children) == 1
    one, two = _folder(tmp_path / "one"), _folder(tmp_path / "two")
    assert one == two
    by_model = {f.name: "".join(f.lines()).encode() for f in _quick_and_model_files(G)[1]}
    assert {name: two[name] for name in by_model} == by_model


def test_admin_writer_shares_the_files_by_rows() -> None:
    """Largest file first, each to the share with fewer rows: neither share holds more than the
    other plus its largest file, every file is in one share, and each share keeps the files' order."""
    from graph.export.neo4j_admin import _QuickJob, _share

    jobs = [_QuickJob(f"f{i}", "nodes", size, lambda: None) for i, size in enumerate([3, 9, 1, 4, 4, 2, 8])]
    mine, theirs = _share(jobs)
    assert sorted(j.name for j in mine + theirs) == sorted(j.name for j in jobs)
    rows = [sum(j.size for j in share) for share in (mine, theirs)]
    assert rows == [16, 15]  # 9, 4, 2, 1 and 8, 4, 3: the first share takes the largest, then the lighter each time
    for share in (mine, theirs):
        assert [j.name for j in share] == sorted((j.name for j in share), key=lambda n: int(n[1:]))


def test_admin_writer_stays_in_one_process_beside_a_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked child has only the thread that forked: a lock another thread holds would never be
    released in it. With another thread running, the writer makes every file itself."""
    import threading

    children = _two_processes(monkeypatch, alone=False)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        write_neo4j_admin(value_kinds(), tmp_path / "admin")
    finally:
        stop.set()
        other.join()
    assert children == []
    assert {p.name for p in (tmp_path / "admin").iterdir()} >= {"nodes_State.csv", "import.sh"}


@pytest.mark.parametrize("where", ["child", "parent"])
def test_admin_writer_in_two_processes_gives_up_for_the_model_way_whole(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value only the model's way can word, in a file either process makes: the folder is the
    model's way's, whole, as a single process writes it (no file of the quick way left beside)."""
    from graph.export import neo4j_admin

    G = value_kinds()
    G.nodes["ev"]["year"] = 2020.0  # a whole float in an integer column: the model converts it
    write_neo4j_admin(G, tmp_path / "one")
    children = _two_processes(monkeypatch)
    jobs = neo4j_admin._quick_jobs(G, neo4j_admin.model_for(G, None))
    assert jobs is not None
    mine, theirs = neo4j_admin._share(jobs)
    assert "nodes_Event.csv" in {j.name for j in jobs}
    if (where == "child") != ("nodes_Event.csv" in {j.name for j in theirs}):  # put the file in the process named
        monkeypatch.setattr(neo4j_admin, "_share", lambda jobs: (theirs, mine))
    write_neo4j_admin(G, tmp_path / "two")
    assert len(children) == 1
    assert _folder(tmp_path / "two") == _folder(tmp_path / "one")


def test_admin_writer_makes_the_files_of_a_child_that_died(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the child die (the kernel's out-of-memory killer, a signal), the writer makes its files
    itself: the folder is whole."""
    import os
    import signal

    from graph.export import neo4j_admin

    G = value_kinds()
    write_neo4j_admin(G, tmp_path / "one")
    children = _two_processes(monkeypatch)
    parent = os.getpid()
    make = neo4j_admin._make_files

    def dies_in_the_child(*args: Any, **kwargs: Any) -> bool:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return make(*args, **kwargs)

    monkeypatch.setattr(neo4j_admin, "_make_files", dies_in_the_child)
    write_neo4j_admin(G, tmp_path / "two")
    assert len(children) == 1
    assert _folder(tmp_path / "two") == _folder(tmp_path / "one")


def test_admin_writer_stops_its_child_on_an_error_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in this process while the child works (here a full disk on its first file): the
    error names the folder, the child is stopped and waited for, and nothing is left."""
    import errno
    import os

    from graph.export import neo4j_admin

    children = _two_processes(monkeypatch)
    parent = os.getpid()
    write = neo4j_admin.CsvFile.write

    def full_disk_here(self: Any, path: Path) -> None:
        if os.getpid() == parent:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write(self, path)

    monkeypatch.setattr(neo4j_admin.CsvFile, "write", full_disk_here)
    with pytest.raises(ExportError, match=re.escape(f"{tmp_path / 'admin'}: cannot write the import files (No space left on device)")):
        write_neo4j_admin(value_kinds(), tmp_path / "admin")
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # already waited for: no process left behind
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda G: G.nodes["x"].update(aliases=["a|b"]), id="array-delimiter"),
        pytest.param(lambda G: G.nodes["ev"].update(year=2**63), id="int-beyond-64-bits"),
        pytest.param(lambda G: G.nodes["x"].update(label="Planet"), id="unknown-label"),
    ],
)
def test_admin_writer_in_two_processes_raises_the_model_ways_error_and_writes_nothing(
    mutate: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error found once the files are being made (the quick way gives up, the model's way words
    it) is the one a single process raises, and leaves nothing behind."""
    G = value_kinds()
    mutate(G)
    with pytest.raises((ExportError, ModelError)) as alone:
        generate_neo4j_admin(G)
    _two_processes(monkeypatch)
    with pytest.raises(type(alone.value), match=re.escape(str(alone.value))):
        write_neo4j_admin(G, tmp_path / "admin")
    assert list(tmp_path.iterdir()) == []


def test_admin_writer_forks_only_with_memory_to_spare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child copies the pages whose reference counts it changes: without as much memory free as
    the writer holds, the writer makes every file itself. The check reads the kernel's own figures."""
    import io

    from graph.export import neo4j_admin

    children = _two_processes(monkeypatch)
    monkeypatch.setattr(neo4j_admin, "_memory_to_spare", lambda: False)
    write_neo4j_admin(value_kinds(), tmp_path / "admin")
    assert children == []
    monkeypatch.undo()  # the real check again, reading a kernel's figures made up here
    real_open = open
    resident = int(real_open("/proc/self/statm", encoding="ascii").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    for free, spare in ((resident // 1024 + 65536, True), (resident // 1024 - 65536, False)):  # 64 MB either side

        def meminfo(path: Any, *args: Any, free: int = free, **kwargs: Any) -> Any:
            if path == "/proc/meminfo":
                return io.StringIO(f"MemTotal:  99999999 kB\nMemFree:  1 kB\nMemAvailable:  {free} kB\n")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("builtins.open", meminfo)
        assert neo4j_admin._memory_to_spare() is spare, free
        monkeypatch.undo()
