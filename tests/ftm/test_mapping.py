"""The mapping file agrees with the schema, and with FollowTheMoney's own model (the reference)."""

from __future__ import annotations

import pytest

from graph.errors import SchemaError
from graph.ftm import check_mapping, load_mapping
from graph.ftm.mapping import parse_mapping
from graph.schema import load_schema

from .conftest import require_followthemoney


def test_every_label_type_and_property_the_mapping_names_is_in_the_schema() -> None:
    assert check_mapping(load_mapping(), load_schema()) == []


def test_check_mapping_names_what_the_schema_lacks(tmp_path) -> None:
    raw = {
        "entities": {"Airplane": {"label": "Plane"}, "Company": {"label": "Company", "properties": {"name": "title"}}},
        "relations": {"Ownership": {"type": "HOLDS", "from": "owner", "to": "asset", "properties": {"role": "part"}}},
        "sanctions": {
            "schema": "Sanction",
            "type": "SANCTIONED",
            "target": "entity",
            "state_property": "iso",
            "authority_entity": {"label": "Authority"},
        },
        "provenance": {
            "source": "origin",
            "dataset_entity": {"label": "Source", "fixed": {"sort": "dataset"}},
            "details": {"start_date": "from", "scheme": "scheme"},
        },
        "identifiers": {"lei": {"ids": "{value}"}},
    }
    problems = check_mapping(parse_mapping(raw, tmp_path / "m.yaml"), load_schema())
    assert problems == [
        "Airplane: label 'Plane' is not in the schema",
        "Company: Company has no property 'title'",
        "sanctions: authority_entity: label 'Authority' is not in the schema",
        "provenance: dataset_entity: Source has no property 'sort'",
        "Ownership: relationship type 'HOLDS' is not in the schema",
        "Ownership: no relationship property 'part'",
        "identifier 'lei' is not a node property",
        "sanctions: state_property 'iso' is not a node property",
        "provenance: no relationship property 'origin'",
        "provenance: no relationship property 'scheme'",
    ]


def test_a_malformed_mapping_says_so(tmp_path) -> None:
    with pytest.raises(SchemaError) as err:
        parse_mapping({"entities": {}}, tmp_path / "m.yaml")
    assert (
        str(err.value)
        == f"{tmp_path / 'm.yaml'}: malformed FollowTheMoney mapping (KeyError('relations')); compare with the layout documented at its top"
    )


def test_edge_endpoints_are_the_ones_followthemoney_declares() -> None:
    require_followthemoney()
    from followthemoney import model

    mapping = load_mapping()
    for name, rule in mapping.relations.items():
        schema = model.get(name)
        assert schema is not None and schema.edge, name
        assert (rule.source, rule.target) == (schema.edge_source, schema.edge_target), name


def test_every_mapped_ftm_schema_and_property_exists_in_followthemoney() -> None:
    require_followthemoney()
    from followthemoney import model

    mapping = load_mapping()
    for name, rule in mapping.entities.items():
        schema = model.get(name)
        assert schema is not None and not schema.edge, name
        assert set(rule.properties) <= set(schema.properties), name
        assert set(mapping.country_properties) & set(schema.properties), name
    sanction = model.get(mapping.sanction_schema)
    assert sanction is not None and {mapping.sanction.target, *mapping.sanction.properties, "authority", "country"} <= set(
        sanction.properties
    )
    for name, rule in mapping.relations.items():
        assert set(rule.properties) <= set(model.get(name).properties), name
    for _, (_, props) in mapping.identifiers.items():
        assert all(model.get("Thing").get(p) is not None for p in props)


def test_every_country_code_is_one_followthemoney_knows() -> None:
    require_followthemoney()
    from followthemoney.types import registry

    mapping = load_mapping()
    assert [c for c in mapping.countries if registry.country.clean(c) != c] == []
