"""The typed model of rows: the conversion rule, the roles, and one error for a graph that does not fit."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import yaml

import graph
from graph.errors import ModelError, SchemaError
from graph.model import Column, Model, infer_type, model_of, normalise
from graph.schema import load_schema, parse_schema

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def model() -> Model:
    return model_of(load_schema())


@pytest.mark.parametrize(
    ("schema_type", "value", "expected"),
    [
        pytest.param("string", "x", "x", id="string"),
        pytest.param("enum", "news", "news", id="enum"),
        pytest.param("ref", "cuba", "cuba", id="ref"),
        pytest.param("date", "2020-03", "2020-03", id="partial-date-as-written"),
        pytest.param("date", dt.date(2020, 3, 21), "2020-03-21", id="date-object"),
        pytest.param("int", 140, 140, id="int"),
        pytest.param("int", 140.0, 140, id="whole-float-from-a-gappy-column"),
        pytest.param("int", np.int64(7), 7, id="numpy-int"),
        pytest.param("number", 10, 10.0, id="int-number-becomes-float"),
        pytest.param("number", 10.1, 10.1, id="float"),
        pytest.param("number", math.inf, math.inf, id="infinity-kept"),
        pytest.param("number", np.float32(0.5), 0.5, id="numpy-float"),
        pytest.param("bool", True, True, id="bool"),
        pytest.param("bool", np.bool_(False), False, id="numpy-bool"),
        pytest.param("list[string]", ("a", "b"), ["a", "b"], id="tuple-to-list"),
        pytest.param("list[string]", {"b", "a"}, ["a", "b"], id="set-sorted"),
        pytest.param("list[string]", [], [], id="empty-list"),
    ],
)
def test_declared_values_get_the_python_type_of_their_schema_type(model: Model, schema_type: str, value: Any, expected: Any) -> None:
    got = model.convert(Column("p", schema_type), value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, pd.NaT], ids=["none", "nan", "pd-NA", "pd-NaT"])
@pytest.mark.parametrize("schema_type", ["string", "int", "number", "bool", "list[string]"])
def test_missing_values_are_left_out_whatever_the_type(model: Model, schema_type: str, missing: Any) -> None:
    assert model.convert(Column("p", schema_type), missing) is None
    assert model.convert(None, missing) is None


@pytest.mark.parametrize(
    ("schema_type", "value", "message"),
    [
        pytest.param("int", 1.5, "'p' must be a whole number (schema type int), got 1.5", id="fraction-for-int"),
        pytest.param("int", True, "'p' must be a whole number (schema type int), got True", id="bool-for-int"),
        pytest.param("int", math.inf, "'p' must be a whole number (schema type int), got inf", id="infinity-for-int"),
        pytest.param("number", "12", "'p' must be a number (schema type number), got '12'", id="text-for-number"),
        pytest.param("string", 3, "'p' must be text (schema type string), got 3", id="int-for-string"),
        pytest.param("bool", "true", "'p' must be true or false (schema type bool), got 'true'", id="text-for-bool"),
        pytest.param("list[string]", ["a", 1], "'p' must be a list of text (schema type list[string]), got ['a', 1]", id="mixed-list"),
        pytest.param("date", 2020, "'p' must be an ISO date (schema type date), got 2020", id="int-for-date"),
    ],
)
def test_a_value_that_does_not_fit_is_an_error_not_a_cast(model: Model, schema_type: str, value: Any, message: str) -> None:
    with pytest.raises(ValueError) as info:
        model.convert(Column("p", schema_type), value)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(np.int64(3), 3, id="numpy"),
        pytest.param(dt.date(2020, 1, 2), "2020-01-02", id="date"),
        pytest.param((1, None, "a"), [1, None, "a"], id="tuple-keeps-nulls"),
        pytest.param({"b", "a"}, ["a", "b"], id="set"),
        pytest.param({"k": (dt.date(2020, 1, 1),)}, {"k": ["2020-01-01"]}, id="nested"),
        pytest.param(math.nan, None, id="nan"),
    ],
)
def test_undeclared_values_are_normalised(value: Any, expected: Any) -> None:
    assert normalise(value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([1, 2], "int", id="ints"),
        pytest.param([1, 2.5], "number", id="ints-and-floats"),
        pytest.param([True], "bool", id="bools"),
        pytest.param(["a"], "string", id="text"),
        pytest.param([["a"], []], "list[string]", id="lists-of-text"),
        pytest.param([1, "a"], "json", id="mixed"),
        pytest.param([{"a": 1}], "json", id="maps"),
        pytest.param([True, 1], "json", id="bool-is-not-int"),
    ],
)
def test_infer_type(values: list[Any], expected: str) -> None:
    assert infer_type(values) == expected


def test_rows_are_typed_and_grouped_in_schema_order(model: Model, mini: nx.MultiDiGraph) -> None:
    rows = model.rows(mini)
    assert len(rows.nodes) == mini.number_of_nodes() and len(rows.relations) == mini.number_of_edges()
    groups = model.node_groups(rows)
    assert [(g.label, g.sanctioned) for g in groups][:2] == [("State", False), ("Region", False)]
    assert ("Company", True) in [(g.label, g.sanctioned) for g in groups]
    rgroups = model.relation_groups(rows)
    assert [(g.start, g.type, g.end) for g in rgroups][:2] == [("State", "DEPLOYED_TO", "State"), ("State", "DEPLOYED_TO", "Region")]


def test_every_problem_of_a_graph_is_reported_at_once(model: Model) -> None:
    G = nx.MultiDiGraph()
    G.add_node("cuba", label="State", name="Cuba", iso3="CUB")
    G.add_node("x", label="Robot", name="R2")
    G.add_node("y", label="State", name="Y", iso3=3, key="k")
    G.add_edge("cuba", "y", key="r1", type="DEPLOYED_TO", count="many")
    G.add_edge("cuba", "y", key="r2", type="FUNDED_BY")
    with pytest.raises(ModelError) as info:
        model.rows(G)
    assert [f"{p.record}: {p.message}" for p in info.value.problems] == [
        f"entity 'x': label 'Robot' is not one of the schema's labels ({', '.join(model.schema.labels)}); "
        "fix the data, or give the schema the graph was built with (schema= in Python, --schema on the command line; "
        f"this one is {model.schema.path})",
        "entity 'y': 'iso3' must be text (schema type string), got 3",
        "entity 'y': attribute 'key' would be lost in networkx, pandas and the exchange formats; rename it",
        "relationship 'r1' (cuba -[DEPLOYED_TO]-> y): 'count' must be a whole number (schema type int), got 'many'",
        f"relationship 'r2' (cuba -[FUNDED_BY]-> y): State -[FUNDED_BY]-> State is not allowed by the schema ({model.schema.path}); "
        "fix the data or the schema",
    ]


def test_an_unknown_label_is_the_same_error_in_every_target(tmp_path: Path) -> None:
    """One meaning everywhere: the model's ModelError, naming the entity, and nothing written."""
    from graph.export import generate_cypher, generate_gexf, generate_graphml, generate_json, generate_neo4j_admin
    from graph.export.rows import node_groups

    G = graph.load(FIXTURES / "mini")
    G.add_node("robot", label="Robot", name="R2")
    targets = {
        "bolt rows": lambda: node_groups(G),
        "cypher": lambda: list(generate_cypher(G)),
        "neo4j-admin": lambda: generate_neo4j_admin(G),
        "graphml": lambda: list(generate_graphml(G)),
        "gexf": lambda: list(generate_gexf(G)),
        "json": lambda: list(generate_json(G)),
        "nodes frame": lambda: graph.nodes_frame(G),
        "edges frame": lambda: graph.edges_frame(G),
        "embedded": lambda: graph.query("MATCH (n) RETURN count(n)", G=G),
    }
    messages = set()
    for name, target in targets.items():
        with pytest.raises(ModelError) as info:
            target()
        messages.add(str(info.value))
        assert "entity 'robot': label 'Robot' is not one of the schema's labels" in str(info.value), name
    assert len(messages) == 1


def test_a_schema_may_not_use_a_reserved_name(tmp_path: Path) -> None:
    raw = {
        "node_properties": {"id": {"type": "string"}},
        "labels": {"A": {"properties": {}}},
        "relationship_properties": {"source": {"type": "string"}},
        "relationships": {"R": {"from": ["A"], "to": ["A"]}},
        "roles": {"key": "id"},
    }
    with pytest.raises(SchemaError) as err:
        Model(parse_schema(raw, tmp_path / "s.yaml"))
    assert str(err.value) == (
        f"{tmp_path / 's.yaml'}: property 'source' cannot be used: networkx, pandas, Cytoscape and pyvis use it for an edge's "
        "ends and key (and 'label'/'type' hold the schema label and relationship type); rename it"
    )


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        pytest.param({"nme": "name"}, "unknown role 'nme' under 'roles'", id="unknown-role"),
        pytest.param({"name": "title"}, "role 'name' names 'title', which the schema does not declare", id="undeclared-property"),
        *(
            pytest.param({role: "nope"}, f"role '{role}' names 'nope', which the schema does not declare", id=f"undeclared-{role}")
            for role in ("aliases", "provenance", "locator", "evidence", "claim", "year", "date")
        ),
        pytest.param({"qualifiers": ["nope"]}, "role 'qualifiers' names 'nope', which the schema does not declare", id="undeclared-qualifier"),
        pytest.param({"span": ["a", "b"]}, "role 'span' names 'a', which the schema does not declare", id="undeclared-span"),
        pytest.param({"title": "name"}, "role 'title' names 'name', which is not a property of the documents' label", id="title-without-documents"),
        pytest.param({"sanctions": "R"}, "roles 'sanctions' and 'sanctioned' go together", id="half-a-pair"),
        pytest.param({"span": ["a"]}, "role 'span' must name two properties", id="span"),
        pytest.param(
            {"sanctions": "NOPE", "sanctioned": "s"}, "role 'sanctions' names 'NOPE', which is not a relationship type", id="type"
        ),
    ],
)
def test_roles_are_checked(tmp_path: Path, roles: dict[str, Any], message: str) -> None:
    raw = {
        "node_properties": {"id": {"type": "string"}, "name": {"type": "string"}},
        "labels": {"A": {"properties": {}}},
        "relationship_properties": {},
        "relationships": {"R": {"from": ["A"], "to": ["A"]}},
        "roles": roles,
    }
    with pytest.raises(SchemaError, match=f"^{re.escape(str(tmp_path / 's.yaml'))}: {re.escape(message)}"):
        Model(parse_schema(raw, tmp_path / "s.yaml"))


def test_roles_of_the_project_schema(model: Model) -> None:
    assert (model.name, model.aliases, model.provenance, model.document_label, model.title) == (
        "name",
        "aliases",
        "source_id",
        "Source",
        "title",
    )
    assert model.mentions == ("event", "program", "claimed_by")
    assert (model.sanctions, model.sanctioned, model.sanctioned_by, model.sanctioned_label) == (
        "SANCTIONED",
        "sanctioned",
        "sanctioned_by",
        "Sanctioned",
    )
    described = model.describe()
    assert described["figures"] == list(load_schema().figures) and described["roles"]["document_label"] == "Source"


@pytest.mark.parametrize(
    ("attrs", "span"),
    [
        pytest.param({"year": 2020, "start_year": 1990}, (2020, 2020), id="year-wins"),
        pytest.param({"start_year": 1990, "end_year": 1995}, (1990, 1995), id="span"),
        pytest.param({"end_year": 1995}, (1995, 1995), id="half-span"),
        pytest.param({"date": "2006-08"}, (2006, 2006), id="date"),
        pytest.param({}, None, id="none"),
    ],
)
def test_years(model: Model, attrs: dict[str, Any], span: tuple[int, int] | None) -> None:
    assert model.years(attrs) == span


def test_text_cells(model: Model) -> None:
    assert [model.text(v) for v in (["a", "b"], 140.0, 10.5, 1e20, True)] == ["a, b", "140", "10.5", "1e+20", "True"]


def test_the_built_graph_holds_floats_for_numbers(curated: nx.MultiDiGraph) -> None:
    quantities = [d["quantity"] for *_, d in curated.edges(data=True) if "quantity" in d]
    assert quantities and all(type(q) is float for q in quantities)


def test_no_label_type_or_schema_property_is_spelled_out_in_the_code() -> None:
    """Labels, relationship types, the sanctioned label, reference properties, figures and
    qualifiers are named only in data/schema.yaml; the code reads them through the model. The
    Cypher translator's own vocabulary (`count()`, a date's `year`) is Cypher, not the schema."""
    import ast

    from graph.embedded.functions import DATE_FIELDS, FUNCTIONS
    from graph.model import _ROLE_NAMES

    from .conftest import ROOT

    m = model_of(load_schema())
    names = {*m.labels, *m.types, m.sanctioned_label, *m.mentions, m.provenance, *m.figures, *m.qualifiers} - {"date"}  # a schema type too
    found = []
    for path in sorted((ROOT / "graph").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body
            and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)
        }
        roles = set(_ROLE_NAMES) if rel == "graph/model.py" else set()  # the roles' own names (year, date, ...)
        if rel.startswith("graph/embedded/"):
            roles |= {*FUNCTIONS, *DATE_FIELDS}
        found += [
            f"{rel}:{n.lineno}: {n.value!r}"
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in names - roles and id(n) not in docstrings
        ]
    assert found == []


def test_which_labels_may_be_one_entity(model: Model) -> None:
    """`may_match` in the schema: a list's Company may be a curated Institution, a list's LegalEntity any legal person."""
    pairs = {frozenset((a, b)) for a in model.labels for b in model.labels if a != b and model.may_be_same(a, b)}
    legal = {"Company", "Institution", "State", "Person"}
    assert pairs == {frozenset(("Company", "Institution"))} | {frozenset(("LegalEntity", x)) for x in legal}
    assert all(model.may_be_same(a, a) for a in model.labels)


def test_describe_gives_the_schema_file_as_data(model: Model) -> None:
    raw = yaml.safe_load((FIXTURES.parent.parent / "data" / "schema.yaml").read_text(encoding="utf-8"))
    described = model.describe()
    assert described["labels"] == [
        {"name": name, "doc": lab["doc"], "color": lab["style"]["color"], "shape": lab["style"]["shape"]} for name, lab in raw["labels"].items()
    ]
    assert described["types"] == [{"name": name, "doc": rel["doc"]} for name, rel in raw["relationships"].items()]
    assert described["figures"] == raw["figures"]
    assert described["qualifiers"] == raw["roles"]["qualifiers"]
    assert described["mentions"] == ["event", "program", "claimed_by"]  # the ref properties besides the provenance
    roles = {role: value for role, value in raw["roles"].items() if role not in ("qualifiers", "span")}
    assert described["roles"] == roles | {"span": raw["roles"]["span"], "document_label": "Source", "sanctioned_label": raw["sanctioned_label"]}
    assert list(described["roles"])[-3:] == ["span", "document_label", "sanctioned_label"]  # the order the schema docs list them in


def test_text_drops_the_point_of_whole_floats_below_ten_to_the_fifteen(model: Model) -> None:
    assert model.text(999_999_999_999_999.0) == "999999999999999"
    assert model.text(1e15) == "1000000000000000.0"  # 1e15 and beyond keep the float form
    assert model.text([2.0, 2.5, "a"]) == "2, 2.5, a"


def test_node_columns_of_every_label_are_the_schema_files_properties() -> None:
    model = Model(load_schema())  # built here, not taken from a fixture: the columns are made when a Model is
    raw = yaml.safe_load((FIXTURES.parent.parent / "data" / "schema.yaml").read_text(encoding="utf-8"))
    common = {name: prop for name, prop in raw["node_properties"].items() if name != "id"}
    for label, lab in raw["labels"].items():
        columns = model.node_columns(label)
        for name, prop in (common | (lab.get("properties") or {})).items():
            assert columns[name] == Column(name, prop["type"], True, prop["doc"]), (label, name)
        assert "id" not in columns  # the key is the row's id, not a column
        assert columns["sanctioned"] == Column("sanctioned", "bool", True, "True for the targets of a sanctions relationship.")
        assert columns["sanctioned_by"] == Column("sanctioned_by", "list[string]", True, "The ids of who sanctioned it.")


def test_frame_orders_the_lead_then_the_declared_columns_then_the_rest_sorted(model: Model) -> None:
    declared = {"b": Column("b", "int"), "a": Column("a", "string"), "c": Column("c", "string")}
    df = model.frame([{"z": 1, "y": 2, "a": "x", "second": 1, "b": 2}, {"b": None}], ["first", "second"], declared)
    assert list(df.columns) == ["second", "b", "a", "y", "z"]  # a lead or declared column no record holds is left out
    assert str(df["b"].dtype) == "Int64" and df["b"].tolist()[0] == 2  # a gap does not make 2 a float
    assert list(model.frame([], ["first", "second"], declared).columns) == ["first", "second"]  # no record: the lead alone
