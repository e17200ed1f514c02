"""The schema file: the project's own loads; a malformed one gives `Error:` with its file and line, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import SchemaError
from graph.read import display_path
from graph.schema import Label, Property, RelationshipType, load_schema

from .conftest import FIXTURES

SCHEMAS = FIXTURES / "bad" / "schemas"
HINT = "; compare with the layout documented at the top of data/schema.yaml"

#: Each file is tests/fixtures/good/schema.yaml with one thing broken; the message follows its path.
CASES = [
    pytest.param(
        "a-list",
        ": the schema must be a mapping with 'labels' and 'relationships', got ['labels', 'relationships']; compare with the layout documented at the top of data/schema.yaml",
        id="a-list",
    ),
    pytest.param(
        "bad-pattern",
        ":10: label State property 'iso3': 'pattern' '^[A-Z' is not a regular expression (unterminated character set at position 1); compare with the layout documented at the top of data/schema.yaml",
        id="bad-pattern",
    ),
    pytest.param("duplicate-key", ":6: key 'name' appears twice in one mapping; keep one", id="duplicate-key"),
    pytest.param(
        "empty",
        ": the schema must be a mapping with 'labels' and 'relationships', got None; compare with the layout documented at the top of data/schema.yaml",
        id="empty",
    ),
    pytest.param(
        "endpoints-a-string",
        ":12: relationship DEPLOYED_TO 'from': must be a list of names, e.g. [State, Region], got 'State'; compare with the layout documented at the top of data/schema.yaml",
        id="endpoints-a-string",
    ),
    pytest.param(
        "enum-without-values",
        ":16: relationship_properties property 'status': an enum needs its 'values'; compare with the layout documented at the top of data/schema.yaml",
        id="enum-without-values",
    ),
    pytest.param("label-not-a-mapping", ":7: label State: must be a mapping, got 3" + HINT, id="label-not-a-mapping"),
    pytest.param(
        "labels-a-list",
        ":6: 'labels': must be a mapping, got ['State']; compare with the layout documented at the top of data/schema.yaml",
        id="labels-a-list",
    ),
    pytest.param(
        "min-as-text",
        ":15: relationship_properties property 'count': 'min' must be a number, got 'none'; compare with the layout documented at the top of data/schema.yaml",
        id="min-as-text",
    ),
    pytest.param(
        "missing-relationships",
        ":1: missing 'relationships'; compare with the layout documented at the top of data/schema.yaml",
        id="missing-relationships",
    ),
    pytest.param(
        "properties-a-list",
        ":13: 'relationship_properties': must be a mapping, got ['source_id']; compare with the layout documented at the top of data/schema.yaml",
        id="properties-a-list",
    ),
    pytest.param(
        "property-without-type",
        ":10: label State property 'iso3': needs a 'type', one of bool, date, enum, int, list[string], number, ref, string; got None; compare with the layout documented at the top of data/schema.yaml",
        id="property-without-type",
    ),
    pytest.param(
        "required-not-a-bool",
        ":14: relationship_properties property 'source_id': 'required' must be true or false, got 1; compare with the layout documented at the top of data/schema.yaml",
        id="required-not-a-bool",
    ),
    pytest.param(
        "style-not-a-mapping",
        ":8: label State 'style': must be a mapping, got 'blue'; compare with the layout documented at the top of data/schema.yaml",
        id="style-not-a-mapping",
    ),
    pytest.param(
        "syntax-error",
        ":12: not valid YAML: expected ',' or ']', but got '}'; fix the syntax (an unquoted ':' or a bad indent?)",
        id="syntax-error",
    ),
    pytest.param(
        "unknown-endpoint",
        ":12: relationship DEPLOYED_TO: names unknown label 'Region'; declare it under 'labels'; compare with the layout documented at the top of data/schema.yaml",
        id="unknown-endpoint",
    ),
    pytest.param(
        "unknown-property-type",
        ":15: relationship_properties property 'count': needs a 'type', one of bool, date, enum, int, list[string], number, ref, string; got 'integer'; compare with the layout documented at the top of data/schema.yaml",
        id="unknown-property-type",
    ),
    pytest.param(
        "year-range-a-number",
        ":2: 'year_range': must be a list of two years, e.g. [1900, 2030], got 1900; compare with the layout documented at the top of data/schema.yaml",
        id="year-range-a-number",
    ),
]


@pytest.mark.parametrize(("case", "message"), CASES)
def test_malformed_schema_gives_its_file_and_line(case: str, message: str) -> None:
    path = SCHEMAS / f"{case}.yaml"
    with pytest.raises(SchemaError) as err:
        load_schema(path)
    assert str(err.value) == f"{display_path(path)}{message}"


@pytest.mark.parametrize(("case", "message"), CASES)
def test_every_command_with_a_malformed_schema_says_error_and_exits_1(case: str, message: str) -> None:
    path = SCHEMAS / f"{case}.yaml"
    for args in (["schema", "--schema", str(path)], ["validate", str(FIXTURES / "mini"), "--schema", str(path)]):
        result = CliRunner().invoke(main, args)
        assert (result.exit_code, result.output) == (1, f"Error: {display_path(path)}{message}\n")


def test_the_base_of_the_malformed_files_is_valid() -> None:
    schema = load_schema(FIXTURES / "good" / "schema.yaml")
    assert list(schema.labels) == ["State"] and list(schema.relationships) == ["DEPLOYED_TO"]
    assert schema.relationship_properties["count"].min == 0 and schema.year_range == (1900, 2030)


def test_a_schema_file_that_is_no_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"nope\.yaml: schema file not found; pass the path of a schema\.yaml$"):
        load_schema(tmp_path / "nope.yaml")
    with pytest.raises(SchemaError, match=r": a folder, not a regular file; cubamed reads only regular files$"):
        load_schema(tmp_path)


def test_every_declaration_is_read(tmp_path: Path) -> None:
    text = (FIXTURES / "good" / "schema.yaml").read_text(encoding="utf-8")
    text = text.replace("  State:\n", "  State:\n    doc: A sovereign state.\n").replace('{color: "#1f77b4"}', '{color: "#1f77b4", shape: box}')
    text = text.replace("{from: [State], to: [State]}", "{from: [State], to: [State], doc: Sent workers., claim_key: [year, role]}")
    text += "figures: [count]\nsanctioned_label: Listed\n"
    (tmp_path / "schema.yaml").write_text(text, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.yaml")
    assert (schema.version, schema.year_range, schema.figures, schema.sanctioned_label) == (1, (1900, 2030), ("count",), "Listed")
    assert schema.labels["State"] == Label(
        "State", "A sovereign state.", {"iso3": Property("iso3", "string", pattern="^[A-Z]{3}$")}, color="#1f77b4", shape="box"
    )
    assert schema.relationships == {"DEPLOYED_TO": RelationshipType("DEPLOYED_TO", "Sent workers.", ("State",), ("State",), ("year", "role"))}
    assert schema.node_properties == {
        "id": Property("id", "string", required=True, pattern="^[a-z-]+$"),
        "name": Property("name", "string", required=True),
    }
    assert schema.relationship_properties == {
        "source_id": Property("source_id", "ref", required=True),
        "count": Property("count", "int", min=0),
        "status": Property("status", "enum", values=("attempted", "planned")),
    }


def test_what_a_schema_may_leave_out_has_a_default(tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text(
        "labels: {A: {properties: {when: {type: date, doc: When., labels: [A]}}}}\nrelationships: {R: {from: [A], to: [A]}}\n", encoding="utf-8"
    )
    schema = load_schema(tmp_path / "schema.yaml")
    assert (schema.version, schema.year_range, schema.figures, schema.sanctioned_label) == (1, (1900, 2100), (), "Sanctioned")
    assert schema.labels == {"A": Label("A", "", {"when": Property("when", "date", doc="When.", labels=("A",))}, color="#999999", shape="dot")}
    assert schema.relationships == {"R": RelationshipType("R", "", ("A",), ("A",), ())}
    assert (schema.node_properties, schema.relationship_properties) == ({}, {})
    assert schema.endpoint_pairs() == [("A", "R", "A")]
    assert schema.node_properties_of("A") == {"when": Property("when", "date", doc="When.", labels=("A",))}


def test_the_schema_is_read_again_when_its_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "schema.yaml"
    path.write_text("labels: {A: {}}\nrelationships: {}\n", encoding="utf-8")
    assert list(load_schema(path).labels) == ["A"]
    path.write_text("labels: {A: {}, B: {}}\nrelationships: {}\n", encoding="utf-8")
    os.utime(path, (1, 1))  # another modification time, whatever the clock's resolution
    assert list(load_schema(path).labels) == ["A", "B"]
