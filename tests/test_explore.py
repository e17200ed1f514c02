"""Notebook helpers: find by name or alias, relations with sources, conflicts, ego network, DataFrames."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.errors import EntityNotFound

from .conftest import FIXTURES


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("St. Lucia", ["saint-lucia"], id="alias"),
        pytest.param("saint lucia", ["saint-lucia"], id="name-case"),
        pytest.param("ELAM", ["elam"], id="acronym"),
        pytest.param("nicolas maduro", ["maduro"], id="accent-insensitive"),
        pytest.param("Lucia", [], id="no-partial-by-default"),
    ],
)
def test_find(mini: nx.MultiDiGraph, text: str, expected: list[str]) -> None:
    assert graph.find(mini, text) == expected


def test_resolve_falls_back_to_a_unique_partial_match(mini: nx.MultiDiGraph) -> None:
    assert graph.resolve(mini, "lucia") == "saint-lucia"


def test_resolve_explains_ambiguity_and_absence(mini: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound, match=r"^'an' matches several entities: .*; use a fuller name or the id$"):
        graph.resolve(mini, "an")
    with pytest.raises(EntityNotFound) as err:
        graph.resolve(mini, "Atlantis")
    assert str(err.value) == "no entity is named 'Atlantis'; try a part of the name, or `cubamed stats` to list the labels"


def test_relations_both_ways_with_source_titles(mini: nx.MultiDiGraph) -> None:
    rel = graph.relations(mini, "conviasa").sort_values("type")
    assert list(zip(rel["direction"], rel["type"], rel["other"], rel["source_title"], strict=True)) == [
        ("in", "SANCTIONED", "united-states", "A news article"),
        ("out", "TRANSPORTED", "missions", "A news article"),
    ]


def test_conflicts_group_claims_whose_figures_differ(mini: nx.MultiDiGraph) -> None:
    c = graph.conflicts(mini)
    assert list(zip(c["group"], c["from"], c["to"], c["count"], c["source_id"], strict=True)) == [
        (1, "cuba", "jamaica", 150, "encyclopedia"),
        (1, "cuba", "jamaica", 140, "news"),
    ]


def test_ego_network(mini: nx.MultiDiGraph) -> None:
    sub = graph.ego(mini, "conviasa", 1)
    assert sorted(sub) == ["conviasa", "missions", "united-states"]
    assert sub.number_of_edges() == 2
    assert sorted(graph.ego(mini, "conviasa", 0)) == ["conviasa"]


def test_frames_have_one_row_per_node_and_edge(mini: nx.MultiDiGraph) -> None:
    nodes, edges = graph.nodes_frame(mini), graph.edges_frame(mini)
    assert len(nodes) == mini.number_of_nodes() and list(nodes.columns[:3]) == ["id", "label", "name"]
    assert len(edges) == mini.number_of_edges() and list(edges.columns[:4]) == ["id", "from", "to", "type"]
    assert set(edges["id"]) == {k for *_, k in mini.edges(keys=True)}


def test_summary_counts(mini: nx.MultiDiGraph) -> None:
    s = graph.summary(mini)
    assert s["labels"]["State"] == 5 and s["types"]["DEPLOYED_TO"] == 4 and s["sanctioned"] == {"Company": 1}


def _with_facts(tmp_path: Path, *facts: str) -> nx.MultiDiGraph:
    (tmp_path / "more.yaml").write_text("source: news\nfacts:\n" + "".join(f"  - {{{f}}}\n" for f in facts), encoding="utf-8")
    return graph.load(FIXTURES / "mini", tmp_path)


def test_conflicts_ignore_a_figure_only_one_claim_states(tmp_path: Path) -> None:
    G = _with_facts(tmp_path, "type: DEPLOYED_TO, from: cuba, to: lombardy, year: 2020, locator: para. 3, evidence: A brigade without a figure.")
    assert len(G["cuba"]["lombardy"]) == 2  # 52 from the encyclopedia, no figure from the news
    c = graph.conflicts(G)
    assert sorted(set(c["to"])) == ["jamaica"]


def test_relations_list_a_relation_naming_its_own_endpoint_once(tmp_path: Path) -> None:
    G = _with_facts(
        tmp_path, "type: TRANSPORTED, from: conviasa, to: missions, program: missions, year: 2021, locator: para. 6, evidence: The airline flew the mission's staff."
    )
    rel = graph.relations(G, "missions")
    assert sorted(zip(rel["direction"], rel["type"], rel["year"], strict=True)) == [("in", "TRANSPORTED", 2020), ("in", "TRANSPORTED", 2021)]
