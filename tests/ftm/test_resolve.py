"""Merging loaded entities into curated ones: by identifier or reviewed decision, never by name
alone; the sanctioning state; conflicting claims across datasets side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import graph
from graph.errors import ValidationError
from graph.ftm.mapping import load_mapping
from graph.ftm.resolve import _templates, _with_details
from graph.read import display_path

MINI = Path(__file__).parent.parent / "fixtures" / "mini"


def _write(folder: Path, entities: list[dict[str, Any]], name: str = "list.ftm.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


def _curated(folder: Path, *lines: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ids.yaml"
    path.write_text("label: Company\nentities:\n" + "".join(f"  - {line}\n" for line in lines), encoding="utf-8")
    return path


def _company(ident: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "schema": "Company", "properties": {"name": [name]}, "datasets": ["list_a"], **extra}


def _sanction(ident: str, target: str, **props: list[str]) -> dict[str, Any]:
    return {"id": ident, "schema": "Sanction", "properties": {"entity": [target], **props}, "datasets": ["list_a"]}


@pytest.mark.parametrize(
    ("curated", "listed"),
    [
        pytest.param("ofac_uid: '24680'", {"referents": ["ofac-24680"]}, id="ofac-uid-as-referent"),
        pytest.param("opensanctions_id: NK-Abc123", {"id": "NK-Abc123"}, id="opensanctions-id"),
        pytest.param(
            "wikidata_id: Q4242", {"properties": {"name": ["Acme Holdings S.A."], "wikidataId": ["Q4242"]}}, id="wikidata-property"
        ),
    ],
)
def test_an_identifier_merges_a_listed_entity_into_the_curated_one(tmp_path: Path, curated: str, listed: dict[str, Any]) -> None:
    _curated(tmp_path / "cur", f"{{id: acme, name: Acme, {curated}}}")
    entity = _company("acme-listed", "Acme Holdings S.A.") | listed
    _write(tmp_path / "ftm", [entity, _sanction("san-1", entity["id"], country=["us"])])
    G = graph.load(MINI, tmp_path / "cur", tmp_path / "ftm")
    assert G.nodes["acme"]["ftm_ids"] == [entity["id"]] and G.nodes["acme"]["aliases"] == ["Acme Holdings S.A."]
    assert [(u, d["type"]) for u, _, d in G.in_edges("acme", data=True)] == [("united-states", "SANCTIONED")]
    assert not any(d.get("ftm_schema") == "Company" for _, d in G.nodes(data=True))


def test_the_same_name_alone_never_merges(tmp_path: Path) -> None:
    _write(tmp_path, [_company("listed-conviasa", "Conviasa", properties={"name": ["Conviasa"], "country": ["ve"]})])
    G = graph.load(MINI, tmp_path)
    assert G.nodes["listed-conviasa"]["name"] == "Conviasa" and "ftm_ids" not in G.nodes["conviasa"]


def test_a_reviewed_decision_merges_and_a_no_keeps_apart(tmp_path: Path) -> None:
    _write(tmp_path, [_company("c-1", "Conviasa S.A."), _company("c-2", "Conviasa Regional")])
    (tmp_path / "match-decisions.yaml").write_text(
        "decisions:\n  - {ftm_id: c-1, entity: conviasa, same: yes}\n  - {ftm_id: c-2, entity: conviasa, same: no}\n", encoding="utf-8"
    )
    G = graph.load(MINI, tmp_path)
    assert G.nodes["conviasa"]["ftm_ids"] == ["c-1"] and "c-1" not in G
    assert G.nodes["c-2"]["name"] == "Conviasa Regional"


def test_identifiers_of_two_curated_entities_on_one_listed_entity_is_a_problem(tmp_path: Path) -> None:
    _curated(tmp_path / "cur", "{id: acme, name: Acme, ofac_uid: '1'}", "{id: acme-two, name: Acme Two, wikidata_id: Q77}")
    path = _write(tmp_path / "ftm", [_company("x-1", "Acme", referents=["ofac-1"], properties={"name": ["Acme"], "wikidataId": ["Q77"]})])
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path / "cur", tmp_path / "ftm")
    assert [str(p) for p in err.value.problems] == [
        f"{display_path(path)}:1: entity 'x-1': its identifiers match several curated entities (acme, acme-two); fix their identifiers"
    ]


def test_a_no_decision_against_a_shared_identifier_is_a_problem(tmp_path: Path) -> None:
    _curated(tmp_path / "cur", "{id: acme, name: Acme, ofac_uid: '1'}")
    _write(tmp_path / "ftm", [_company("x-1", "Acme", referents=["ofac-1"])])
    decisions = tmp_path / "ftm" / "my-decisions.yaml"
    decisions.write_text("decisions:\n  - {ftm_id: x-1, entity: acme, same: no}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path / "cur", tmp_path / "ftm")
    assert [str(p) for p in err.value.problems] == [
        f"{display_path(decisions)}:2: decision x-1 / acme: the identifiers say it is the same entity; fix the identifiers or remove this decision"
    ]


def test_a_sanction_comes_from_the_state_of_its_country_else_from_its_authority(tmp_path: Path) -> None:
    _write(
        tmp_path,
        [
            _company("c-1", "Some Company"),
            _sanction("s-us", "c-1", country=["us"], authority=["Office of Foreign Assets Control"]),
            _sanction("s-eu", "c-1", country=["eu"], authority=["Council of the European Union"]),
            _sanction("s-none", "c-1"),
        ],
    )
    G = graph.load(MINI, tmp_path)
    assert sorted((u, k) for u, _, k in G.in_edges("c-1", keys=True)) == [
        ("authority-council-of-the-european-union", "s-eu"),
        ("united-states", "s-us"),
    ]
    assert G.nodes["authority-council-of-the-european-union"] | {} == {
        "label": "Institution",
        "name": "Council of the European Union",
        "kind": "government",
        "ftm_schema": "Sanction",
        "country_codes": ["eu"],
    }
    assert G.nodes["c-1"]["sanctioned_by"] == ["authority-council-of-the-european-union", "united-states"]
    assert "1 Sanction entities name neither a country nor an authority and were left out" in G.graph["notes"]


def test_one_entity_in_two_datasets_gives_one_relation_per_dataset(tmp_path: Path) -> None:
    both = _sanction("s-1", "c-1", country=["us"], startDate=["2020-02-07"]) | {"datasets": ["list_a", "list_b"]}
    _write(tmp_path, [_company("c-1", "Some Company"), both])
    G = graph.load(MINI, tmp_path)
    assert sorted((k, d["source_id"]) for _, _, k, d in G.in_edges("c-1", keys=True, data=True)) == [
        ("s-1--list-a", "dataset-list-a"),
        ("s-1--list-b", "dataset-list-b"),
    ]


def test_conflicting_dates_across_datasets_stay_side_by_side_in_conflicts(listed: nx.MultiDiGraph) -> None:
    c = graph.conflicts(listed)
    rows = c[(c["to"] == "conviasa") & (c["type"] == "SANCTIONED")]
    assert rows[["start_date", "source_id", "locator"]].values.tolist() == [
        ["2020-02-07", "dataset-cubamed-fixture", "fixture-san-conviasa"],
        ["2020-02-10", "dataset-cubamed-fixture-other", "fixture-other-san-conviasa"],
    ]
    assert rows["group"].nunique() == 1


def test_the_sanctioned_marker_comes_from_loaded_relations_too(listed: nx.MultiDiGraph) -> None:
    # PDVSA is sanctioned only by a listed relation; the marker and sanctioned_by come from it
    assert listed.nodes["fixture-pdvsa"]["sanctioned"] is True
    assert listed.nodes["fixture-pdvsa"]["sanctioned_by"] == ["united-states"]
    assert "sanctioned" not in listed.nodes["fixture-person-1"]


def test_the_venezuelan_state_merges_by_its_wikidata_item(listed: nx.MultiDiGraph) -> None:
    assert listed.nodes["venezuela"]["ftm_ids"] == ["fixture-venezuela"] and listed.nodes["venezuela"]["label"] == "State"
    assert [(v, d["type"], d["role"]) for _, v, d in listed.out_edges("venezuela", data=True) if d["type"] == "OWNS"] == [
        ("fixture-pdvsa", "OWNS", "state owner")
    ]
    assert [(u, d["type"]) for u, _, d in listed.in_edges("fixture-pdvsa", data=True) if d["type"] == "DIRECTOR_OF"] == [
        ("fixture-person-1", "DIRECTOR_OF")
    ]


_PIECES = ["{a}", "{b}", "{dataset}", "%", "%s", "{{", "}}", " lists ", "{a!r}", "{b:>3}", "{c}", "{0}", "{", "}", "é"]


@settings(max_examples=400, deadline=None)
@given(
    phrase=st.one_of(st.text(max_size=12), st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)),
    title=st.text(max_size=8),
    a=st.text(max_size=8),
    b=st.text(max_size=8),
    said=st.text(max_size=8),
)
def test_the_evidence_templates_say_what_format_says(phrase: str, title: str, a: str, b: str, said: str) -> None:
    """`_templates` is held to Python's `str.format` of the phrase and `_with_details` (the
    evidence of every loaded fact): where it takes a phrase, its %-templates give the same text."""
    order, with_said, without = _templates(phrase, title)
    if not order:  # not a plain phrase of {dataset}, {a} and {b}: `format` is used
        event("left to format")
        return
    names = (a, b) if order == "ab" else (b, a)
    text = phrase.format(dataset=title, a=a, b=b)
    assert (with_said % (*names, said) if said else without % names) == _with_details(text, [said] if said else [])


def test_the_project_phrases_are_taken_as_templates() -> None:
    mapping = load_mapping()
    assert [_templates(rule.evidence, "T")[0] for rule in (mapping.sanction, *mapping.relations.values())] == ["ba"] + ["ab"] * len(mapping.relations)
