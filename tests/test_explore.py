"""Notebook helpers: find by name or alias, relations with sources, conflicts, ego network, DataFrames."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.errors import EntityNotFound, ModelError
from graph.explore import conflict_rows, relation_rows

from .conftest import FIXTURES

RENAMED = FIXTURES / "renamed-roles"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("St. Lucia", ["saint-lucia"], id="alias"),
        pytest.param("saint lucia", ["saint-lucia"], id="name-case"),
        pytest.param("ELAM", ["elam"], id="acronym"),
        pytest.param("nicolas maduro", ["maduro"], id="accent-insensitive"),
        pytest.param("Lucia", [], id="no-partial-by-default"),
        pytest.param("SAINT-LUCIA", ["saint-lucia"], id="id-any-case"),
        pytest.param("  Saint Lucia ", ["saint-lucia"], id="surrounding-spaces"),
    ],
)
def test_find(mini: nx.MultiDiGraph, text: str, expected: list[str]) -> None:
    assert graph.find(mini, text) == expected


def test_find_partial_matches_a_part_of_a_name_or_alias(mini: nx.MultiDiGraph) -> None:
    assert graph.find(mini, "lucia", partial=True) == ["saint-lucia"]
    assert graph.find(mini, "Latinoamericana", partial=True) == ["elam"]  # an alias
    assert graph.find(mini, "x", partial=True) == []  # no id, name or alias of the mini graph holds an x


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


def test_ego_radius_is_one_hop_unless_given(mini: nx.MultiDiGraph) -> None:
    assert sorted(graph.ego(mini, "saint-lucia")) == ["cuba", "saint-lucia"]
    assert len(graph.ego(mini, "saint-lucia", 2)) > 2


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


@pytest.mark.parametrize("name", ["conviasa", "Conviasa", "CONVIASA"])
def test_helpers_take_ids_names_and_aliases(mini: nx.MultiDiGraph, name: str) -> None:
    assert set(graph.relations(mini, name)["type"]) == {"SANCTIONED", "TRANSPORTED"}
    assert sorted(graph.ego(mini, name, 1)) == ["conviasa", "missions", "united-states"]


def test_helpers_resolve_aliases_and_partial_names_as_the_cli_does(mini: nx.MultiDiGraph) -> None:
    assert sorted(graph.ego(mini, "St. Lucia", 1)) == ["cuba", "saint-lucia"]
    assert set(graph.relations(mini, "Escuela Latinoamericana")["other"]) == {"cuba"}
    with pytest.raises(EntityNotFound, match="no entity is named 'Atlantis'"):
        graph.relations(mini, "Atlantis")


def test_an_id_wins_over_a_name_or_alias_of_another_entity() -> None:
    G = nx.MultiDiGraph()
    G.add_node("us", label="State", iso3="USX")  # no name: listed by its id
    G.add_node("united-states", label="State", name="United States", aliases=["US"], iso3="USA")
    assert graph.resolve(G, "us") == "us"
    with pytest.raises(EntityNotFound) as err:
        graph.resolve(G, "US")
    assert str(err.value) == "'US' matches several entities: United States (united-states), us (us); use a fuller name or the id"


def test_an_ambiguous_name_lists_the_first_eight_candidates_by_id() -> None:
    G = nx.MultiDiGraph()
    for i in range(10):
        G.add_node(f"clinic-{i}", label="Institution", name=f"Clinic {i}", kind="hospital")
    with pytest.raises(EntityNotFound) as err:
        graph.resolve(G, "clinic", schema=graph.load_schema())
    listed = ", ".join(f"Clinic {i} (clinic-{i})" for i in range(8))
    assert str(err.value) == f"'clinic' matches several entities: {listed}; use a fuller name or the id"


def test_collapse_gives_one_weighted_edge_per_pair_and_direction(mini: nx.MultiDiGraph) -> None:
    C = graph.collapse(mini)
    assert type(C) is nx.DiGraph and sorted(C) == sorted(mini)
    assert C.nodes["saint-lucia"] == mini.nodes["saint-lucia"]
    assert C["cuba"]["jamaica"] == {"weight": 2, "types": ["DEPLOYED_TO"], "relations": sorted(mini["cuba"]["jamaica"])}
    assert sum(d["weight"] for *_, d in C.edges(data=True)) == mini.number_of_edges()
    assert C.number_of_edges() == len({(u, v) for u, v in mini.edges()})


def test_collapse_lists_each_type_once(curated: nx.MultiDiGraph) -> None:
    C = graph.collapse(curated)
    for u, v, d in C.edges(data=True):
        assert d["types"] == sorted({t for t in (x["type"] for x in curated[u][v].values())})
        assert d["weight"] == curated.number_of_edges(u, v)


def test_centrality_on_the_collapsed_graph_counts_neighbours(curated: nx.MultiDiGraph) -> None:
    multi = nx.degree_centrality(curated)["cuba"]
    simple = nx.degree_centrality(graph.collapse(curated))["cuba"]
    assert multi > 1 >= simple  # parallel relations counted twice in the MultiDiGraph
    neighbours = len(set(curated.successors("cuba")) | set(curated.predecessors("cuba")))
    out_in = len(set(curated.successors("cuba"))) + len(set(curated.predecessors("cuba")))
    assert simple == pytest.approx(out_in / (curated.number_of_nodes() - 1)) and neighbours <= out_in


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


# --- the schema of the graph, or the one given ------------------------------------------------


@pytest.mark.parametrize("given", [pytest.param(False, id="remembered-by-load"), pytest.param(True, id="given-for-a-copy")])
def test_every_helper_reads_the_graphs_own_schema(given: bool) -> None:
    """The renamed-roles schema calls the name `called`, the aliases `also` and the sanctioned flag
    `closed`: a helper that fell back to the default schema would find nothing, or refuse the labels."""
    loaded = graph.load(RENAMED / "data", schema=RENAMED / "schema.yaml")
    G = nx.MultiDiGraph(loaded) if given else loaded  # a copy forgets the schema: it must be given
    kw = {"schema": graph.load_schema(RENAMED / "schema.yaml")} if given else {}
    assert graph.find(G, "old mary", **kw) == ["st-mary"]
    assert graph.resolve(G, "Old Mary", **kw) == "st-mary"
    assert graph.resolve(G, "mary's", **kw) == "st-mary"  # a part of the name
    assert graph.summary(G, **kw)["sanctioned"] == {"Hospital": 1}
    assert graph.nodes_frame(G, **kw)["called"].tolist() == ["St. Mary's", "The Agency"]
    assert graph.edges_frame(G, **kw)[["from", "to", "type", "year"]].values.tolist() == [["agency", "st-mary", "CLOSED", 2001]]
    rel = graph.relations(G, "Old Mary", **kw)
    assert rel[["direction", "type", "other", "other_name", "year"]].values.tolist() == [["in", "CLOSED", "agency", "The Agency", 2001]]
    assert graph.conflicts(G, **kw).empty and conflict_rows(G, **kw) == []
    assert [r["other"] for r in relation_rows(G, "Old Mary", **kw)] == ["agency"]
    sub = graph.ego(G, "Old Mary", **kw)
    assert sorted(sub) == ["agency", "st-mary"]
    assert graph.relations(sub, "Old Mary")["other"].tolist() == ["agency"]  # the ego network keeps the schema


def test_conflict_frame_columns_lead_with_the_claim_and_its_ends(mini: nx.MultiDiGraph) -> None:
    lead = ["group", "claim", "from", "type", "to", "from_name", "to_name", "id"]
    c = graph.conflicts(mini)
    assert list(c.columns[: len(lead)]) == lead
    assert sorted(c["id"]) == sorted(mini["cuba"]["jamaica"])
    assert c["source_title"].tolist() == ["An encyclopedia article", "A news article"]
    assert list(graph.conflicts(nx.MultiDiGraph(), schema=graph.load_schema()).columns) == lead


def test_claims_sharing_a_slug_conflict_when_their_ends_differ_not_when_they_agree(tmp_path: Path) -> None:
    G = _with_facts(
        tmp_path,
        "type: DEPLOYED_TO, from: cuba, to: saint-lucia, count: 10, year: 2019, claim: staff-2019, locator: para. 1, evidence: Ten went.",
        "type: DEPLOYED_TO, from: cuba, to: venezuela, count: 10, year: 2019, claim: staff-2019, locator: para. 2, evidence: Ten went.",
        "type: DEPLOYED_TO, from: cuba, to: jamaica, count: 7, year: 2018, claim: staff-2018, locator: para. 3, evidence: Seven went.",
        "type: DEPLOYED_TO, from: cuba, to: jamaica, count: 7, year: 2018, claim: staff-2018, source_id: encyclopedia, locator: x, evidence: Seven.",
    )
    c = graph.conflicts(G)
    assert sorted(zip(c["group"], c["claim"].fillna(""), c["to"], strict=True)) == [
        (1, "staff-2019", "saint-lucia"),  # the same figure, other ends: one of them is wrong
        (1, "staff-2019", "venezuela"),
        (2, "", "jamaica"),  # the 140 and 150 of 2020 (no slug); staff-2018 agrees with itself
        (2, "", "jamaica"),
    ]


def test_claims_of_another_year_are_not_compared(tmp_path: Path) -> None:
    G = _with_facts(tmp_path, "type: DEPLOYED_TO, from: cuba, to: jamaica, count: 9, year: 2021, locator: para. 9, evidence: Nine in 2021.")
    c = graph.conflicts(G)
    assert sorted(c["count"]) == [140, 150]


def test_conflicting_claims_are_ordered_by_source_then_locator_then_id(tmp_path: Path) -> None:
    G = _with_facts(
        tmp_path,
        "id: a-late, type: DEPLOYED_TO, from: cuba, to: venezuela, count: 1, year: 2015, locator: para. 9, evidence: One.",
        "id: b-early, type: DEPLOYED_TO, from: cuba, to: venezuela, count: 2, year: 2015, locator: para. 1, evidence: Two.",
        "id: c-enc, type: DEPLOYED_TO, from: cuba, to: venezuela, count: 3, year: 2015, source_id: encyclopedia, locator: z, evidence: Three.",
    )
    c = graph.conflicts(G)
    assert c[c["to"] == "venezuela"]["id"].tolist() == ["c-enc", "b-early", "a-late"]


def test_groups_are_numbered_in_the_order_of_their_claims_not_of_the_files(tmp_path: Path) -> None:
    G = _with_facts(  # read after the mini graph's cuba -> jamaica claims, but conviasa sorts first
        tmp_path,
        "type: TRANSPORTED, from: conviasa, to: missions, count: 5, year: 2020, locator: para. 1, evidence: Five.",
        "type: TRANSPORTED, from: conviasa, to: missions, count: 6, year: 2020, locator: para. 2, evidence: Six.",
    )
    c = graph.conflicts(G)
    assert [frm for _, frm in sorted(set(zip(c["group"], c["from"], strict=True)))] == ["conviasa", "cuba"]


def test_every_pair_of_claims_is_compared(tmp_path: Path) -> None:
    G = _with_facts(  # only the first and the third state a figure
        tmp_path,
        *(
            f"type: DEPLOYED_TO, from: cuba, to: venezuela, year: 2015, {count}locator: para. {i}, evidence: Claim {i}."
            for i, count in enumerate(["count: 1, ", "", "count: 2, ", ""], start=1)
        ),
    )
    c = graph.conflicts(G)
    assert sorted(c[c["to"] == "venezuela"]["count"].dropna()) == [1, 2]


def test_conflicts_in_a_graph_built_by_hand_without_sources_or_names() -> None:
    G = nx.MultiDiGraph()
    G.add_node("cuba", label="State", iso3="CUB")
    G.add_node("jamaica", label="State", iso3="JAM")
    G.add_node("1-atlas", label="Source", title="An atlas", kind="news")
    G.add_edge("cuba", "jamaica", key="k2", type="DEPLOYED_TO", year=2020, count=5, source_id="1-atlas", locator="A 1")
    G.add_edge("cuba", "jamaica", key="k3", type="DEPLOYED_TO", year=2020, count=5, source_id="1-atlas")
    G.add_edge("cuba", "jamaica", key="k1", type="DEPLOYED_TO", year=2020, count=6)
    rows = conflict_rows(G, schema=graph.load_schema())
    assert [(r["id"], r["from_name"], r["to_name"], r.get("source_title", "no key")) for r in rows] == [
        ("k1", "cuba", "jamaica", "no key"),  # no source sorts first, no locator first within a source; no name: the id
        ("k3", "cuba", "jamaica", "An atlas"),
        ("k2", "cuba", "jamaica", "An atlas"),
    ]


def test_a_relation_that_does_not_fit_the_schema_is_named_by_its_id() -> None:
    G = nx.MultiDiGraph()
    G.add_node("cuba", label="State", name="Cuba", iso3="CUB")
    G.add_edge("cuba", "cuba", key="odd-one", type="DEPLOYED_TO", count="many")
    with pytest.raises(ModelError, match="relationship 'odd-one'"):
        graph.conflicts(G, schema=graph.load_schema())


def test_relations_that_name_an_entity_in_a_property_follow_unless_left_out(mini: nx.MultiDiGraph) -> None:
    rel = graph.relations(mini, "covid")
    assert list(rel.columns[:5]) == ["direction", "type", "other", "other_name", "id"]
    assert sorted(rel[["direction", "type", "other", "other_name"]].values.tolist()) == [
        ["event", "DEPLOYED_TO", "cuba", "Cuba -> Jamaica"],
        ["event", "DEPLOYED_TO", "cuba", "Cuba -> Saint Lucia"],
    ]
    assert graph.relations(mini, "covid", mentions=False).empty
    assert list(graph.relations(mini, "covid", mentions=False).columns) == ["direction", "type", "other", "other_name", "id"]


def test_relations_in_a_graph_built_by_hand_name_entities_without_a_name_by_their_id() -> None:
    G = nx.MultiDiGraph()
    G.add_node("cuba", label="State", iso3="CUB")
    G.add_node("jamaica", label="State", iso3="JAM")
    G.add_node("flood", label="Event", kind="disaster")
    G.add_edge("cuba", "jamaica", key="k1", type="DEPLOYED_TO", event="flood")
    schema = graph.load_schema()
    common = {"type": "DEPLOYED_TO", "other": "cuba", "id": "k1", "event": "flood"}  # no source: no source_title key
    assert relation_rows(G, "jamaica", schema=schema) == [{"direction": "in", "other_name": "cuba"} | common]
    assert relation_rows(G, "cuba", schema=schema) == [{"direction": "out", "other_name": "jamaica"} | common | {"other": "jamaica"}]
    assert relation_rows(G, "flood", schema=schema) == [{"direction": "event", "other_name": "cuba -> jamaica"} | common]
    G.add_edge("cuba", "jamaica", key="odd-one", type="DEPLOYED_TO", count="many")
    with pytest.raises(ModelError, match=re.escape("relationship 'odd-one' (cuba -[DEPLOYED_TO]-> jamaica)")):
        relation_rows(G, "cuba", schema=schema)


def test_resolve_prefers_an_exact_alias_of_the_schema_given_to_a_partial_name() -> None:
    schema = graph.load_schema(RENAMED / "schema.yaml")
    G = nx.MultiDiGraph()  # built by hand: only the schema given says the aliases are `also`
    G.add_node("st-mary", label="Hospital", called="St. Mary's", also=["Mary"])
    G.add_node("mary-two", label="Hospital", called="Mary Two")
    assert graph.resolve(G, "Mary", schema=schema) == "st-mary"
