"""graph.embedded and `cubamed query`: DDL from the schema, the rewrite layer, errors with hints (the cache: tests/embedded/)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.embedded import database, open_database
from graph.embedded.cache import cached_database
from graph.embedded.ddl import copy_statement, generate_ddl, node_tables, rel_tables
from graph.embedded.rewrite import ENTITY_MARKER, return_columns, rewrite, write_keyword
from graph.errors import QueryError
from graph.schema import load_schema, parse_schema

from .conftest import FIXTURES

MINI = FIXTURES / "mini"
DEPLOYMENTS = "MATCH (c:State {name:'Cuba'})-[d:DEPLOYED_TO]->(s) WHERE d.year = 2020 RETURN s.name, d.count ORDER BY d.count DESC"
REFUSED = (
    "refused: the query writes (CREATE); the embedded database is a read-only cache of the data files. "
    "Pass --write (write=True in Python) to run it on a throwaway copy; to change the graph, edit the files under data/."
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def db(cache: Path) -> Iterator[database.EmbeddedDatabase]:
    with open_database(paths=[MINI], cache_dir=cache) as opened:
        yield opened


# --- DDL -----------------------------------------------------------------------------------------


def test_ddl_is_generated_from_the_schema_file(tmp_path: Path) -> None:
    raw = {
        "node_properties": {"id": {"type": "string"}, "name": {"type": "string"}, "aliases": {"type": "list[string]"}},
        "labels": {"A": {"properties": {"n": {"type": "int"}}}, "B": {"properties": {"when": {"type": "date"}}}},
        "relationship_properties": {"amount": {"type": "number"}, "kind": {"type": "enum", "values": ["x"]}},
        "relationships": {"R": {"from": ["A", "B"], "to": ["B"]}},
    }
    ddl = list(generate_ddl(parse_schema(raw, tmp_path / "schema.yaml")))
    assert ddl[:3] == [
        "CREATE NODE TABLE `A`(`id` STRING, `name` STRING, `aliases` STRING[], `n` INT64, `sanctioned` BOOLEAN, `sanctioned_by` STRING[], PRIMARY KEY(`id`))",
        "CREATE NODE TABLE `B`(`id` STRING, `name` STRING, `aliases` STRING[], `when` STRING, `sanctioned` BOOLEAN, `sanctioned_by` STRING[], PRIMARY KEY(`id`))",
        "CREATE REL TABLE `R`(FROM `A` TO `B`, FROM `B` TO `B`, `id` STRING, `amount` DOUBLE, `kind` STRING)",
    ]
    assert all(s.startswith("CREATE MACRO ") for s in ddl[3:])


def test_bulk_load_tables_are_typed_and_leave_out_empty_columns() -> None:
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("a", label="State", name="A")
    G.add_node("b", label="State", name="B", iso3="BBB")
    G.add_edge("a", "b", key="k1", type="DEPLOYED_TO", source_id="s", count=3, amount_usd=float("nan"))
    G.add_edge("a", "b", key="k2", type="DEPLOYED_TO", source_id="s", count=None, year=2020)
    schema = load_schema()
    [(label, nodes)] = list(node_tables(G, schema))
    assert (label, nodes.column_names) == ("State", ["id", "name", "iso3"])
    [(rtype, start, end, rels)] = list(rel_tables(G, schema))
    assert (rtype, start, end) == ("DEPLOYED_TO", "State", "State")
    assert rels.column_names == ["from", "to", "id", "source_id", "count", "year"]  # amount_usd: NaN only
    assert str(rels.schema.field("count").type) == "int64" and rels.column("count").to_pylist() == [3, None]
    assert copy_statement(rtype, rels.column_names[2:], start, end) == (
        "COPY `DEPLOYED_TO`(`id`, `source_id`, `count`, `year`) FROM $data (from='State', to='State')"
    )


def test_bulk_load_converts_values_of_the_wrong_type_as_before() -> None:
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("a", label="State", name=7, aliases=("x", 1))
    [(_, nodes)] = list(node_tables(G, load_schema()))
    assert nodes.to_pylist() == [{"id": "a", "name": "7", "aliases": ["x", "1"]}]


def test_every_schema_table_exists_in_the_database(db: database.EmbeddedDatabase) -> None:
    tables = db.query("CALL show_tables() RETURN name, type")
    assert set(tables[tables["type"] == "NODE"]["name"]) == set(db.schema.labels)
    assert set(tables[tables["type"] == "REL"]["name"]) == set(db.schema.relationships)


def test_entity_marker_is_the_exporters_label() -> None:
    from graph.export.rows import MARKER_LABEL

    assert ENTITY_MARKER == MARKER_LABEL


# --- rewrite layer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("neo4j", "embedded"),
    [
        pytest.param("MATCH (n:State:Sanctioned) RETURN n", "MATCH (n:State {sanctioned: true}) RETURN n", id="sanctioned-chain"),
        pytest.param("MATCH (n:Sanctioned {id: 'x'}) RETURN n", "MATCH (n {sanctioned: true, id: 'x'}) RETURN n", id="sanctioned-map"),
        pytest.param("MATCH (n:Cubamed) RETURN n", "MATCH (n) RETURN n", id="entity-marker"),
        pytest.param("MATCH (n) WHERE n:State OR n:Sanctioned RETURN n", "MATCH (n) WHERE (label(n) = 'State') OR (coalesce(n.sanctioned, false)) RETURN n", id="label-predicates"),
        pytest.param("MATCH p = shortestPath((a)-[:T*]-(b)) RETURN p", "MATCH p = (a)-[:T* SHORTEST]-(b) RETURN p", id="shortest"),
        pytest.param("MATCH p = allShortestPaths((a)-[*..3]-(b)) RETURN p", "MATCH p = (a)-[* ALL SHORTEST 1..3]-(b) RETURN p", id="all-shortest"),
        pytest.param("RETURN labels(n), xs[0], xs[1..3], xs[..-1]", "RETURN neo4j_labels(n), xs[1], xs[2..3], xs[..-2]", id="labels-and-indexes"),
        pytest.param(
            "RETURN [x IN xs WHERE x > 1 | x * 2], [y IN ys | y]",
            "RETURN list_transform(list_filter(xs, x -> x > 1), x -> x * 2), list_transform(ys, y -> y)",
            id="list-comprehensions",
        ),
        pytest.param(
            "MATCH (actor)-->(p) RETURN actor.name AS actor, p.name AS p ORDER BY actor, p DESC",
            "MATCH (actor)-->(p) RETURN actor.name AS actor_, p.name AS p_ ORDER BY actor_, p_ DESC",
            id="alias-shadows-variable",
        ),
        pytest.param("RETURN sum(r.count) AS s", "RETURN coalesce(sum(r.count), 0) AS s", id="sum-of-nothing-is-0"),
        pytest.param("WHERE exists(n.iso3) RETURN 'n:State', split(x, ',')", "WHERE n.iso3 IS NOT NULL RETURN 'n:State', string_split(x, ',')", id="strings-untouched"),
    ],
)
def test_rewrite(neo4j: str, embedded: str) -> None:
    assert rewrite(neo4j, ["State"]) == embedded


@pytest.mark.parametrize(
    ("cypher", "keyword"),
    [
        pytest.param("CREATE (n:State {id: 'x'})", "CREATE", id="create"),
        pytest.param("MATCH (n) DETACH DELETE n", "DETACH", id="detach"),
        pytest.param("MATCH (n) SET n.name = 'x'", "SET", id="set"),
        pytest.param("MATCH (n) WHERE n.name = 'CREATE' RETURN n.set", None, id="in-string-and-property"),
        pytest.param("COPY State FROM 'x.csv'", "COPY", id="copy"),
        pytest.param("LOAD FROM 'x.csv' RETURN *", "LOAD", id="load"),
    ],
)
def test_write_keyword(cypher: str, keyword: str | None) -> None:
    assert write_keyword(cypher) == keyword


def test_return_columns_follow_neo4j() -> None:
    assert return_columns("MATCH (n) RETURN n.name, count(*) AS `n of`, {a: 1} ORDER BY n.name") == ["n.name", "n of", "{a: 1}"]
    assert return_columns("MATCH (n) WHERE EXISTS { MATCH (n)-->() RETURN 1 } RETURN *") is None


# --- results on the mini fixture -----------------------------------------------------------------


def test_deployments_in_2020(db: database.EmbeddedDatabase) -> None:
    df = db.query(DEPLOYMENTS)
    assert list(df.columns) == ["s.name", "d.count"]
    assert df.values.tolist() == [["Jamaica", 150], ["Jamaica", 140], ["Saint Lucia", 113], ["Lombardy", 52]]


def test_graph_query_is_public(cache: Path) -> None:
    assert "query" in graph.__all__
    df = graph.query("MATCH (s:State) WHERE s.iso3 = $code RETURN s.name", paths=[MINI], cache_dir=cache, code="LCA")
    assert df["s.name"].tolist() == ["Saint Lucia"]


@pytest.mark.parametrize(
    ("cypher", "rows"),
    [
        pytest.param("MATCH (n:Sanctioned) RETURN n.id, labels(n)", [["conviasa", ["Company", "Sanctioned"]]], id="marker-and-labels"),
        pytest.param("MATCH (n) WHERE n:Sanctioned RETURN n.sanctioned_by", [[["united-states"]]], id="marker-predicate"),
        pytest.param("MATCH ()-[r]->(:Company) RETURN type(r)", [["SANCTIONED"]], id="type"),
        pytest.param("MATCH (:State {id:'cuba'})-[d:DEPLOYED_TO]->() RETURN sum(d.count), avg(d.count)", [[455, 113.75]], id="sum-is-int"),
        pytest.param("MATCH (n:Person)-[r]->() RETURN sum(r.count)", [[0]], id="sum-of-nulls-is-0"),
        pytest.param("MATCH (n:Institution) RETURN n.aliases[0], size(n.aliases)", [["ELAM", 2]], id="zero-based-index"),
        pytest.param("MATCH (n) WHERE n.name = 'Cuba' RETURN toString(1) + 'x', toInteger('7')", [["1x", 7]], id="macros"),
        pytest.param("MATCH p = shortestPath((a:State {id:'united-states'})-[*]-(b:Program)) RETURN length(p)", [[2]], id="shortest-path"),
        pytest.param("MATCH (n:Institution) RETURN [x IN n.aliases WHERE x <> 'ELAM' | lower(x)]", [[["escuela latinoamericana de medicina"]]], id="comprehension"),
        pytest.param("MATCH (n)-[:ESTABLISHED]->(p) RETURN n.name AS n ORDER BY n", [["Cuba"]], id="order-by-alias"),
    ],
)
def test_neo4j_idioms(db: database.EmbeddedDatabase, cypher: str, rows: list[list[object]]) -> None:
    assert db.query(cypher).values.tolist() == rows


def test_nodes_relationships_and_paths_are_plain_values(db: database.EmbeddedDatabase) -> None:
    df = db.query("MATCH p = (a:State {id:'united-states'})-[r:SANCTIONED]->(b) RETURN a, r, p")
    a, r, p = df.iloc[0]
    assert a == {"_label": "State", "id": "united-states", "name": "United States", "aliases": ["U.S.", "US"], "iso3": "USA"}
    assert r["_type"] == "SANCTIONED" and (r["_start"], r["_end"]) == ("united-states", "conviasa")
    assert [n["id"] for n in p["_nodes"]] == ["united-states", "conviasa"] and p["_rels"] == [r]


# --- errors --------------------------------------------------------------------------------------


def test_write_query_is_refused(db: database.EmbeddedDatabase) -> None:
    with pytest.raises(QueryError) as err:
        db.query("CREATE (:State {id: 'x', name: 'X', iso3: 'XXX'})")
    assert str(err.value) == REFUSED


def test_syntax_error_has_the_engine_message_and_a_hint(db: database.EmbeddedDatabase) -> None:
    with pytest.raises(QueryError) as err:
        db.query("MATCH (a:Stat RETURN a")
    assert str(err.value) == (
        "Cypher error: Parser exception: Invalid input <MATCH (a:Stat RETURN>: expected rule oC_SingleQuery (line: 1, offset: 14)\n"
        '"MATCH (a:Stat RETURN a"\n'
        "               ^^^^^^\n"
        "hint: no label Stat; did you mean State?"
    )


@pytest.mark.parametrize(
    ("cypher", "message"),
    [
        pytest.param(
            "MATCH (a:State)-[r:DEPLOYED]->(b) RETURN b.name",
            "Cypher error: Binder exception: Table DEPLOYED does not exist.\nhint: no relationship type DEPLOYED; did you mean DEPLOYED_TO?",
            id="unknown-type",
        ),
        pytest.param(
            "MATCH (a:State) RETURN a.nme",
            "Cypher error: Binder exception: Cannot find property nme for a.\n"
            "hint: no property nme on a; did you mean name? the properties of each label and type are listed in data/schema.yaml",
            id="unknown-property",
        ),
        pytest.param(
            "MATCH (a:DEPLOYED_TO) RETURN a",
            "Cypher error: Binder exception: Cannot bind DEPLOYED_TO as a node pattern label.\n"
            "hint: DEPLOYED_TO is a relationship type, not a label; write it in a relationship pattern: ()-[:DEPLOYED_TO]->()",
            id="type-as-label",
        ),
        pytest.param(
            "MATCH (n:State {id: 'cuba'}) RETURN [(n)-->(m) | m.name]",
            "Cypher error: Binder exception: Variable m is not in scope.\n"
            "hint: pattern comprehensions [(a)-->(b) | ...] are not supported; use COUNT { MATCH ... } or OPTIONAL MATCH + collect "
            "(see docs/cypher-dialect.md)",
            id="pattern-comprehension",
        ),
        pytest.param("MATCH (a {name: $name}) RETURN a", "missing parameter $name; pass it as -p name=VALUE (or name=... in Python)", id="missing-param"),
    ],
)
def test_errors_name_what_to_do(db: database.EmbeddedDatabase, cypher: str, message: str) -> None:
    with pytest.raises(QueryError) as err:
        db.query(cypher)
    assert str(err.value) == message


# --- in memory, import time (the cache: tests/embedded/test_cache.py) -------------------------


def test_database_from_a_graph_in_memory(mini: graph.Schema) -> None:
    with open_database(mini) as opened:
        assert opened.path is None
        assert opened.query(DEPLOYMENTS).shape == (4, 2)


def test_importing_graph_does_not_import_the_engine() -> None:
    code = "import sys, graph; print('ladybug' in sys.modules, 'neo4j' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "False"


# --- CLI -----------------------------------------------------------------------------------------


@pytest.fixture
def run(cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    runner = CliRunner()

    def invoke(*args: str) -> object:
        return runner.invoke(main, ["query", "--data", str(MINI), *args])

    yield invoke


def test_cli_table(run: object) -> None:
    result = run(DEPLOYMENTS)  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert "Saint Lucia" in result.output and "4 rows" in result.output


def test_cli_csv_with_typed_parameters(run: object) -> None:
    result = run(  # type: ignore[operator]
        "MATCH (c:State {name: $from})-[d:DEPLOYED_TO]->(s) WHERE d.year = $year AND s.id IN $ids RETURN s.name, d.count ORDER BY d.count",
        "-p", "from=Cuba", "-p", "year=2020", "-p", 'ids=["jamaica","lombardy"]', "--format", "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "s.name,d.count\nLombardy,52\nJamaica,140\nJamaica,150\n"


def test_cli_json_renders_nodes(run: object) -> None:
    result = run("MATCH (n:Sanctioned) RETURN n, labels(n)", "--format", "json")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "n": {"_label": "Company", "id": "conviasa", "name": "Conviasa", "kind": "airline", "sanctioned": True, "sanctioned_by": ["united-states"]},
            "labels(n)": ["Company", "Sanctioned"],
        }
    ]


def test_cli_table_renders_paths(run: object) -> None:
    result = run("MATCH p = (:State {id:'united-states'})-[:SANCTIONED]->(c) RETURN p")  # type: ignore[operator]
    assert '(united-states:State "United States")-[:SANCTIONED]->(conviasa:Company "Conviasa")' in result.output.replace("\n", "").replace("│", "").replace("  ", " ")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("MATCH (a:State)-[r:DEPLOYED]->(b) RETURN b", "hint: no relationship type DEPLOYED; did you mean DEPLOYED_TO?", id="bad-cypher"),
        pytest.param("MERGE (n:State {id: 'x'})", "refused: the query writes (MERGE)", id="write"),
    ],
)
def test_cli_errors_exit_1_without_traceback(run: object, query: str, message: str) -> None:
    result = run(query)  # type: ignore[operator]
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_cli_neo4j_with_a_non_bolt_uri_is_one_line_not_a_traceback(run: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    result = run("RETURN 1", "--neo4j", "http://localhost:7474")  # type: ignore[operator]
    assert result.exit_code == 1
    assert result.output == (
        "Error: cannot use Neo4j URI http://localhost:7474: the scheme must be one of "
        "neo4j://, neo4j+s://, neo4j+ssc://, bolt://, bolt+s://, bolt+ssc://\n"
    )


def test_cli_write_and_file(run: object, tmp_path: Path) -> None:
    f = tmp_path / "q.cypher"
    f.write_text("// a comment\nCREATE (n:State {id: 'x', name: 'X', iso3: 'XXX'}) RETURN n.name\n", encoding="utf-8")
    result = run("-f", str(f), "--write", "--format", "csv")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    assert result.output == "n.name\nX\n"


def test_cli_usage_errors(run: object) -> None:
    assert run().exit_code == 2  # type: ignore[operator]
    assert run("RETURN 1", "--neo4j", "bolt://localhost:1", "--write").exit_code == 2  # type: ignore[operator]


def test_cli_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["query", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_cli_json_prints_numbers_as_numbers(run: object) -> None:
    """The engine returns sums as Decimal; JSON must say 455, not "455" (types compared, not just values)."""
    query = "MATCH (c:State {id: 'cuba'})-[d:DEPLOYED_TO]->() RETURN sum(d.count) AS workers, count(d) AS claims, avg(d.count) AS mean"
    result = run(query, "--format", "json")  # type: ignore[operator]
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row == {"workers": 455, "claims": 4, "mean": 113.75}
    assert [type(v) for v in row.values()] == [int, int, float]
    assert '"workers": 455,' in result.output


def test_a_changed_schema_file_gives_another_cache(tmp_path: Path) -> None:
    changed = tmp_path / "schema.yaml"
    changed.write_text(load_schema().path.read_text(encoding="utf-8") + "\n# the same model, another file\n", encoding="utf-8")
    first = cached_database([MINI], cache_dir=tmp_path / "cache")
    second = cached_database([MINI], schema=load_schema(changed), cache_dir=tmp_path / "cache")
    assert first != second and first.exists() and second.exists()
    assert cached_database([MINI], cache_dir=tmp_path / "cache") == first


def test_cli_a_deeply_nested_parameter_is_a_usage_error(run: object) -> None:
    for depth in (33, 100_000):  # the second was a RecursionError inside json.loads
        result = run("RETURN $x", "-p", "x=" + "[" * depth + "]" * depth)  # type: ignore[operator]
        assert result.exit_code == 2, result.output
        assert result.output.endswith("Error: Invalid value for -p: x: the value nests more than 32 deep; pass a flatter one\n")


def test_cli_a_query_file_not_in_utf8_says_which_encoding_it_expects(run: object, tmp_path: Path) -> None:
    query = tmp_path / "latin1.cypher"
    query.write_bytes("MATCH (n)\nWHERE n.name = 'Café'\nRETURN n".encode("latin-1"))
    result = run("-f", str(query))  # type: ignore[operator]
    assert (result.exit_code, result.output) == (1, f"Error: {query}:2: not UTF-8 text (byte 0xe9); save the query file as UTF-8\n")
