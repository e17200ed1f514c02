"""The schema file: the project's own loads; a malformed one gives `Error:` with its file and line, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from graph.cli import main
from graph.errors import SchemaError
from graph.read import display_path
from graph.schema import Family, Label, Property, RelationshipType, load_schema

from .conftest import FIXTURES, ROOT

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
        "formerly-not-a-name",
        ":14: relationship_properties property 'source_id': 'formerly' must be the property's old name, got 7" + HINT,
        id="formerly-not-a-name",
    ),
    pytest.param(
        "formerly-a-declared-name",
        ":15: relationship_properties property 'count': 'formerly' names 'status', which another property has or had" + HINT,
        id="formerly-a-declared-name",
    ),
    pytest.param(
        "identity-unknown-property",
        ":17: 'identity': names 'sorce', which is not a relationship property" + HINT,
        id="identity-unknown-property",
    ),
    pytest.param(
        "sanctioned-label-a-label",
        ":17: 'sanctioned_label': must be a label name no entity has, got 'State'" + HINT,
        id="sanctioned-label-a-label",
    ),
    pytest.param("may-match-unknown-label", ":9: label State 'may_match': names unknown label 'Stat'" + HINT, id="may-match-unknown-label"),
    pytest.param(
        "year-range-a-number",
        ":2: 'year_range': must be a list of two years, e.g. [1900, 2030], got 1900; compare with the layout documented at the top of data/schema.yaml",
        id="year-range-a-number",
    ),
    pytest.param("style-a-list", ":17: 'style': must be a mapping, got ['families']" + HINT, id="style-a-list"),
    pytest.param("families-a-list", ":18: 'style.families': must be a mapping, got ['aid']" + HINT, id="families-a-list"),
    pytest.param("family-empty", ':19: style family aid: must be a mapping, got None' + HINT, id="family-empty"),
    pytest.param("family-color-a-number", ':20: style family aid: needs a \'color\', e.g. "#1f77b4", got 3' + HINT, id="family-color-a-number"),
    pytest.param("sanctioned-a-list", ":18: 'style.sanctioned': must be a mapping, got ['black']" + HINT, id="sanctioned-a-list"),
    pytest.param("family-unknown", ":13: relationship DEPLOYED_TO: names unknown family 'aidd'; style.families has: aid, trade" + HINT, id="family-unknown"),
    pytest.param("family-none-declared", ":13: relationship DEPLOYED_TO: names unknown family 'aid'; style.families has: none declared" + HINT, id="family-none-declared"),
    pytest.param("labels-empty", ":6: 'labels': must be a mapping, got None" + HINT, id="labels-empty"),
    pytest.param("label-empty", ':7: label State: must be a mapping, got None' + HINT, id="label-empty"),
    pytest.param("property-empty", ":10: label State property 'iso3': must be a mapping, got None" + HINT, id="property-empty"),
    pytest.param("relationships-empty", ":11: 'relationships': must be a mapping, got None" + HINT, id="relationships-empty"),
    pytest.param("relationship-empty", ':12: relationship DEPLOYED_TO: must be a mapping, got None' + HINT, id="relationship-empty"),
    pytest.param("relationships-a-list", ":11: 'relationships': must be a mapping, got ['DEPLOYED_TO']" + HINT, id="relationships-a-list"),
    pytest.param("label-properties-a-list", ":9: label State 'properties': must be a mapping, got ['iso3']" + HINT, id="label-properties-a-list"),
    pytest.param("may-match-a-name", ":9: label State 'may_match': must be a list of names, e.g. [State, Region], got 'State'" + HINT, id="may-match-a-name"),
    pytest.param("property-labels-a-name", ":14: relationship_properties property 'source_id' 'labels': must be a list of names, e.g. [State, Region], got 'State'" + HINT, id="property-labels-a-name"),
    pytest.param("enum-values-a-name", ":16: relationship_properties property 'status' 'values': must be a list of names, e.g. [State, Region], got 'attempted'" + HINT, id="enum-values-a-name"),
    pytest.param("claim-key-a-name", ":15: relationship DEPLOYED_TO 'claim_key': must be a list of names, e.g. [State, Region], got 'count'" + HINT, id="claim-key-a-name"),
    pytest.param("claim-key-a-mapping", ":16: relationship DEPLOYED_TO 'claim_key': must be a list of names, e.g. [State, Region], got {'count': 1}" + HINT, id="claim-key-a-mapping"),
    pytest.param("figures-a-name", ":17: 'figures': must be a list of names, e.g. [State, Region], got 'count'" + HINT, id="figures-a-name"),
    pytest.param("identity-a-name", ":17: 'identity': must be a list of names, e.g. [State, Region], got 'source_id'" + HINT, id="identity-a-name"),
    pytest.param("min-a-boolean", ":15: relationship_properties property 'count': 'min' must be a number, got True" + HINT, id="min-a-boolean"),
    pytest.param("year-range-with-a-boolean", ":2: 'year_range': must be a list of two years, e.g. [1900, 2030], got [1900, True]" + HINT, id="year-range-with-a-boolean"),
    pytest.param("year-range-a-mapping", ":3: 'year_range': must be a list of two years, e.g. [1900, 2030], got {'from': 1900, 'to': 2030}" + HINT, id="year-range-a-mapping"),
    pytest.param("version-as-text", ":2: 'version': must be a whole number, got '1'" + HINT, id="version-as-text"),
    pytest.param("version-a-mapping", ":3: 'version': must be a whole number, got {'major': 1}" + HINT, id="version-a-mapping"),
    pytest.param("sanctioned-label-a-mapping", ":18: 'sanctioned_label': must be a label name no entity has, got {'name': 'Listed'}" + HINT, id="sanctioned-label-a-mapping"),
    pytest.param("node-property-error", ":5: node_properties property 'name': 'required' must be true or false, got 'yes please'" + HINT, id="node-property-error"),
    pytest.param("formerly-not-a-name-block", ":15: relationship_properties property 'source_id': 'formerly' must be the property's old name, got 7" + HINT, id="formerly-not-a-name-block"),
    pytest.param("formerly-twice", ":16: relationship_properties property 'status': 'formerly' names 'old', which another property has or had" + HINT, id="formerly-twice"),
    pytest.param("formerly-a-node-property", ":10: label State property 'iso3': 'formerly' names 'name', which another property has or had" + HINT, id="formerly-a-node-property"),
    pytest.param("node-formerly-a-label-property", ":5: node_properties property 'name': 'formerly' names 'iso3', which another property has or had" + HINT, id="node-formerly-a-label-property"),
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
    text = text.replace("{type: ref, required: true}", "{type: ref, required: true, formerly: source}")
    text += "figures: [count]\nsanctioned_label: Listed\nidentity: [source_id, status]\n"
    (tmp_path / "schema.yaml").write_text(text, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.yaml")
    assert (schema.version, schema.year_range, schema.figures, schema.sanctioned_label, schema.identity) == (
        1,
        (1900, 2030),
        ("count",),
        "Listed",
        ("source_id", "status"),
    )
    assert schema.labels["State"] == Label(
        "State", "A sovereign state.", {"iso3": Property("iso3", "string", pattern="^[A-Z]{3}$")}, color="#1f77b4", shape="box"
    )
    assert schema.relationships == {"DEPLOYED_TO": RelationshipType("DEPLOYED_TO", "Sent workers.", ("State",), ("State",), ("year", "role"))}
    assert schema.node_properties == {
        "id": Property("id", "string", required=True, pattern="^[a-z-]+$"),
        "name": Property("name", "string", required=True),
    }
    assert schema.relationship_properties == {
        "source_id": Property("source_id", "ref", required=True, formerly="source"),
        "count": Property("count", "int", min=0),
        "status": Property("status", "enum", values=("attempted", "planned")),
    }


def test_what_a_schema_may_leave_out_has_a_default(tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text(
        "labels: {A: {properties: {when: {type: date, doc: When., labels: [A]}}}}\nrelationships: {R: {from: [A], to: [A]}}\n", encoding="utf-8"
    )
    schema = load_schema(tmp_path / "schema.yaml")
    assert (schema.version, schema.year_range, schema.figures, schema.sanctioned_label, schema.identity) == (1, (1900, 2100), (), "", None)
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


def _declared(name: str, spec: dict[str, Any]) -> Property:
    """A property as data/schema.yaml's header documents it, from PyYAML's reading of its mapping."""
    return Property(
        name,
        spec["type"],
        required=spec.get("required", False),
        doc=spec.get("doc", ""),
        values=tuple(spec.get("values", ())),
        labels=tuple(spec.get("labels", ())),
        pattern=spec.get("pattern"),
        min=spec.get("min"),
        formerly=spec.get("formerly"),
    )


def test_the_project_schema_holds_what_pyyaml_reads_in_its_file() -> None:
    """Every declaration of data/schema.yaml, read by plain PyYAML (the oracle), is in the Schema."""
    raw = yaml.safe_load((ROOT / "data" / "schema.yaml").read_text(encoding="utf-8"))
    schema = load_schema(ROOT / "data" / "schema.yaml")
    assert (schema.version, schema.year_range, schema.figures, schema.sanctioned_label, schema.identity) == (
        raw["version"],
        tuple(raw["year_range"]),
        tuple(raw["figures"]),
        raw["sanctioned_label"],
        tuple(raw["identity"]),
    )
    assert schema.node_properties == {n: _declared(n, s) for n, s in raw["node_properties"].items()}
    assert schema.relationship_properties == {n: _declared(n, s) for n, s in raw["relationship_properties"].items()}
    assert schema.labels == {
        n: Label(
            n,
            s["doc"],
            {p: _declared(p, ps) for p, ps in s["properties"].items()},
            color=s["style"]["color"],
            shape=s["style"]["shape"],
            may_match=tuple(s.get("may_match", ())),
        )
        for n, s in raw["labels"].items()
    }
    assert list(schema.labels) == list(raw["labels"])
    assert schema.relationships == {
        n: RelationshipType(n, s["doc"], tuple(s["from"]), tuple(s["to"]), tuple(s["claim_key"]), s["family"])
        for n, s in raw["relationships"].items()
    }
    assert list(schema.relationships) == list(raw["relationships"])
    assert schema.families == {n: Family(n, s["doc"], s["color"]) for n, s in raw["style"]["families"].items()}
    assert schema.sanctioned_color == raw["style"]["sanctioned"]["color"]
    assert schema.raw == raw


def test_the_style_a_schema_may_leave_out_has_a_default_and_what_it_gives_is_kept(tmp_path: Path) -> None:
    (tmp_path / "schema.yaml").write_text(
        "version: 2\nlabels: {A: {}}\nrelationships: {R: {from: [A], to: [A], family: f}}\n"
        "style: {families: {f: {color: '#0072B2'}, g: {color: '#E69F00', doc: Trade.}}, sanctioned: {color: '#123456'}}\n",
        encoding="utf-8",
    )
    schema = load_schema(tmp_path / "schema.yaml")
    assert schema.families == {"f": Family("f", "f", "#0072B2"), "g": Family("g", "Trade.", "#E69F00")}
    assert (schema.version, schema.sanctioned_color, schema.relationships["R"].family) == (2, "#123456", "f")
    assert schema.path == (tmp_path / "schema.yaml").resolve()
    (tmp_path / "schema.yaml").write_text("labels: {A: {}}\nrelationships: {R: {from: [A], to: [A]}}\n", encoding="utf-8")
    schema = load_schema(tmp_path / "schema.yaml")
    assert (schema.families, schema.sanctioned_color, schema.relationships["R"].family) == ({}, "#000000", None)
