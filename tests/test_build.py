"""The built MultiDiGraph: keys, flat attributes, the sanctioned marker, CSV merging."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.build import load_records
from graph.errors import ValidationError
from graph.schema import load_schema

from .conftest import FIXTURES
from .ftm.conftest import MAIN


def test_nodes_and_edges_have_the_documented_shape(mini: nx.MultiDiGraph) -> None:
    assert mini.nodes["saint-lucia"] == {"label": "State", "name": "Saint Lucia", "aliases": ["St. Lucia"], "iso3": "LCA"}
    (key, attrs), *_ = mini["cuba"]["saint-lucia"].items()
    assert key.startswith("deployed-to-")
    assert attrs == {
        "type": "DEPLOYED_TO",
        "source_id": "news",
        "count": 113,
        "year": 2020,
        "event": "covid",
        "locator": "para. 8",
        "evidence": "Saint Lucia got 113 Cuban health workers.",
    }


def test_target_of_sanctioned_is_marked_with_who_sanctioned_it(mini: nx.MultiDiGraph) -> None:
    assert mini.nodes["conviasa"]["sanctioned"] is True
    assert mini.nodes["conviasa"]["sanctioned_by"] == ["united-states"]
    assert "sanctioned" not in mini.nodes["cuba"]


def test_conflicting_claims_stay_side_by_side(mini: nx.MultiDiGraph) -> None:
    counts = sorted((d["count"], d["source_id"]) for d in mini["cuba"]["jamaica"].values())
    assert counts == [(140, "news"), (150, "encyclopedia")]


def test_csv_tables_merge_into_the_same_graph() -> None:
    G = graph.load(FIXTURES / "mini", FIXTURES / "csv")
    assert G.nodes["barbados"] == {"label": "State", "name": "Barbados", "aliases": ["Bim", "Little England"], "iso3": "BRB"}
    funded = [d for _, _, d in G.out_edges("venezuela", data=True) if d["type"] == "FUNDED"]
    assert funded == [
        {
            "type": "FUNDED",
            "source_id": "encyclopedia",
            "locator": "Venezuela, para. 1",
            "evidence": "Oil paid for doctors.",
            "year": 2010,
            "amount_usd": 7500000.5,
        }
    ]
    # the YAML entities are there too: one graph, not two
    assert G.has_edge("cuba", "barbados") and G.nodes["cuba"]["label"] == "State"


def test_the_graph_records_the_schema_version(mini: nx.MultiDiGraph) -> None:
    assert mini.graph == {"schema_version": 1}


@pytest.mark.parametrize("as_object", [False, True], ids=["path", "schema-object"])
def test_load_uses_the_schema_it_is_given(tmp_path: Path, as_object: bool) -> None:
    """A schema with State only: the mini data's other labels are unknown to it."""
    path = FIXTURES / "good" / "schema.yaml"
    (tmp_path / "states.yaml").write_text("label: State\nentities:\n  - {id: cuba, name: Cuba, iso3: CUB}\n", encoding="utf-8")
    G = graph.load(tmp_path, schema=load_schema(path) if as_object else path)
    assert dict(G.nodes(data=True)) == {"cuba": {"label": "State", "name": "Cuba", "iso3": "CUB"}}
    with pytest.raises(ValidationError, match="unknown label 'Source'; use one of State"):
        graph.load(FIXTURES / "mini", schema=load_schema(path) if as_object else path)


def test_the_bulk_node_adder_makes_the_graph_networkx_makes() -> None:
    from graph.build import _add_nodes

    nodes = [("a", {"label": "A", "n": 1}), ("b", {}), ("a", {"m": 2}), ("c", {"label": "C"})]  # "a" twice: updated
    ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    for G in (ours, theirs):
        G.__networkx_cache__["converted"] = "stale"  # what a backend keeps: networkx clears it on change
    _add_nodes(ours, [(n, dict(d)) for n, d in nodes])
    theirs.add_nodes_from([(n, dict(d)) for n, d in nodes])
    assert ours.__networkx_cache__ == theirs.__networkx_cache__ == {}
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert next(iter(ours.nodes(data=True))) == ("a", {"label": "A", "n": 1, "m": 2})
    ours.add_edge("a", "c", key="k")  # the adjacency is networkx's own
    theirs.add_edge("a", "c", key="k")
    assert nx.utils.graphs_equal(ours, theirs) and list(ours.pred["c"]) == ["a"] and ours.number_of_nodes() == 3


def test_the_bulk_edge_adder_makes_the_graph_networkx_makes() -> None:
    from graph.build import _add_edges

    edges = [
        ("a", "b", "k1", {"type": "X", "n": 1}),
        ("a", "b", "k2", {"type": "Y"}),  # a parallel edge
        ("b", "a", "k3", {"type": "X"}),
        ("c", "c", "k4", {"type": "Z"}),  # a loop
        ("a", "b", "k1", {"m": 2}),  # the same key again: the data is updated
        ("c", "a", "k5", {}),
    ]
    ours, theirs = nx.MultiDiGraph(), nx.MultiDiGraph()
    for G in (ours, theirs):
        G.add_nodes_from([("c", {"label": "C"}), "a", "b"])
        G.__networkx_cache__["converted"] = "stale"  # what a backend keeps: networkx clears it on change
    _add_edges(ours, [(u, v, k, dict(d)) for u, v, k, d in edges])
    theirs.add_edges_from([(u, v, k, dict(d)) for u, v, k, d in edges])
    assert ours.__networkx_cache__ == theirs.__networkx_cache__ == {}
    assert list(ours.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))
    assert [(n, list(ours.succ[n]), list(ours.pred[n])) for n in ours] == [(n, list(theirs.succ[n]), list(theirs.pred[n])) for n in theirs]
    assert list(ours.in_edges(keys=True, data=True)) == list(theirs.in_edges(keys=True, data=True))
    assert ours["a"]["b"]["k1"] == {"type": "X", "n": 1, "m": 2}


def test_the_general_way_notes_what_the_followthemoney_reader_left_out() -> None:
    """`load_records` (the way `load` takes when the fast one does not apply) keeps the reader's
    notes too: the fixture's one entity of a schema the mapping leaves out (Address), counted in the file."""
    schemata = Counter(json.loads(line)["schema"] for line in MAIN.read_text(encoding="utf-8").splitlines() if line.strip())
    G = load_records([FIXTURES / "mini", MAIN], load_schema())
    assert G.graph["notes"].splitlines() == [
        f"{schemata['Address']} FollowTheMoney entities of schemata the mapping does not name were left out: "
        f"Address ({schemata['Address']}); map them in ftm-mapping.yaml to load them"
    ]


def test_a_number_written_as_an_integer_is_a_float_in_the_graph(tmp_path: Path) -> None:
    """The module's rule (a ``number`` is always a float; an ``int`` an int): the schema's column
    decides, also for a value whose plain type is not the column's own."""
    for f in (FIXTURES / "mini").glob("*.yaml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "money.yaml").write_text(
        "source: news\nfacts:\n"
        "  - {type: DEPLOYED_TO, from: cuba, to: jamaica, count: 3, year: 2020, amount_usd: 455, locator: para. 9, evidence: Paid.}\n",
        encoding="utf-8",
    )
    G = graph.load(tmp_path)
    (paid,) = [d for _, _, d in G.edges(data=True) if "amount_usd" in d]
    assert type(paid["amount_usd"]) is float and paid["amount_usd"] == 455
    assert type(paid["count"]) is int and paid["count"] == 3


def test_build_graph_adds_the_ends_no_entity_names_as_networkx_does() -> None:
    """`build_graph` takes records from elsewhere, unvalidated: a fact whose end is no entity
    gives the graph networkx's `add_edges_from` makes (the end becomes a bare node), no KeyError."""
    from graph.build import build_graph
    from graph.validate import Entity, Fact

    cuba = Entity("cuba", "State", {"id": "cuba", "name": "Cuba"}, "-", 0)
    went = Fact("f1", "DEPLOYED_TO", "cuba", "nowhere", {"count": 3}, "-", 0)
    G = build_graph([cuba], [went], load_schema())
    theirs = nx.MultiDiGraph()
    theirs.add_nodes_from([("cuba", {"label": "State", "name": "Cuba"})])
    theirs.add_edges_from([("cuba", "nowhere", "f1", {"type": "DEPLOYED_TO", "count": 3})])
    assert list(G.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))


def test_a_loaded_graph_goes_straight_to_the_oldest_gc_generation() -> None:
    """`load` pauses the cyclic collector and hands what it made to the oldest generation
    (`graph.model.no_gc(kept=True)`), where only full collections walk it: CPython's own
    `gc.get_objects(generation=2)` holds the graph and its adjacency right after."""
    import gc

    assert gc.get_freeze_count() == 0  # (no_gc leaves objects frozen by a caller as they are)
    G = graph.load(FIXTURES / "mini")
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(G) in oldest and id(G._succ) in oldest  # (a dict of plain values only is not tracked at all)
