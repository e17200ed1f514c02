"""graph.paths and `cubamed path`: the shortest paths between two entities, direction ignored,
checked against networkx's own all_shortest_paths on the undirected view."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.connections import describe_paths, paths
from graph.errors import EntityNotFound

from .conftest import FIXTURES

PAROLE = "cuban-medical-professional-parole"


def reference(G: nx.MultiDiGraph, a: str, b: str) -> list[list[str]]:
    return sorted(nx.all_shortest_paths(G.to_undirected(as_view=True), a, b))


def test_conviasa_to_the_parole_program(curated: nx.MultiDiGraph) -> None:
    found = paths(curated, "Conviasa", "Cuban Medical Professional Parole program")  # names, as the CLI takes them
    assert sorted(list(p.nodes) for p in found) == reference(curated, "conviasa", PAROLE)
    for p in found:
        assert [(s.start, s.end) for s in p.steps] == list(itertools.pairwise(p.nodes))
        for s in p.steps:  # every relation joining the two, whichever way it points
            assert set(s.relations) == {k for u, v, k in curated.edges(keys=True) if {u, v} == {s.start, s.end}}


def test_ids_names_and_aliases_are_accepted(curated: nx.MultiDiGraph) -> None:
    assert paths(curated, "ELAM", "St. Lucia") == paths(curated, "elam", "saint-lucia")


@pytest.mark.parametrize("seed", range(3))
def test_paths_equal_networkx_between_many_pairs(curated: nx.MultiDiGraph, seed: int) -> None:
    ids = sorted(curated)
    pairs = [(ids[(i * 31 + seed * 7) % len(ids)], ids[(i * 17 + seed * 11) % len(ids)]) for i in range(40)]
    U = curated.to_undirected(as_view=True)
    for a, b in pairs:
        got = sorted(list(p.nodes) for p in paths(curated, a, b))
        assert got == (reference(curated, a, b) if nx.has_path(U, a, b) else []), (a, b)


def test_no_path_and_limit(mini: nx.MultiDiGraph) -> None:
    assert paths(mini, "covid", "cuba") == []  # the pandemic is named by relations, joined by none
    G = nx.MultiDiGraph()
    for k, (u, v) in enumerate([("a", "b1"), ("a", "b2"), ("b1", "c"), ("b2", "c"), ("c", "d")]):
        G.add_edge(u, v, key=f"r{k}", type="PART_OF")
    for n in G:
        G.nodes[n]["name"] = n.upper()
    assert [p.nodes for p in paths(G, "a", "d")] == [("a", "b1", "c", "d"), ("a", "b2", "c", "d")]  # in id order
    assert [p.nodes for p in paths(G, "a", "d", limit=1)] == [("a", "b1", "c", "d")]
    assert [p.nodes for p in paths(G, "d", "d")] == [("d",)]


def test_unknown_entity(mini: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound, match="no entity is named 'nobody'"):
        paths(mini, "nobody", "cuba")


def test_describe_lists_each_step_with_its_sources(curated: nx.MultiDiGraph) -> None:
    found = paths(curated, "conviasa", PAROLE)
    lines = list(describe_paths(curated, found))
    assert lines[0] == "Conviasa and Cuban Medical Professional Parole program: 1 shortest path of 2 steps (direction ignored)."
    assert lines[2] == "Path 1: Conviasa – United States – Cuban Medical Professional Parole program"
    assert lines[3] == "  1. Conviasa – United States"
    step = found[0].steps[0]
    (key,) = step.relations
    u, v = ("united-states", "conviasa")
    d = curated.edges[u, v, key]
    assert lines[4] == f"     United States -[SANCTIONED]-> Conviasa   year={d['year']}   (id: {key})"
    assert lines[5] == f"       source: {curated.nodes[d['source_id']]['title']} ({d['locator']})"
    assert lines[6] == f"       evidence: {d['evidence']}"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_path(curated: nx.MultiDiGraph) -> None:
    result = run("path", "Conviasa", "Cuban Medical Professional Parole program")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == list(describe_paths(curated, paths(curated, "conviasa", PAROLE)))


def test_cli_path_max_and_no_path(tmp_path) -> None:
    mini = str(FIXTURES / "mini")
    result = run("path", "covid", "cuba", "--data", mini)
    assert result.exit_code == 0
    assert result.output == "No path connects 'covid' and 'cuba': they are in parts of the graph that no relation joins.\n"
    result = run("path", "saint lucia", "jamaica", "--data", mini, "--max", "1")
    assert result.exit_code == 0
    assert result.output.startswith("Saint Lucia and Jamaica: 1 shortest path of 2 steps")
    result = run("path", "nobody", "cuba", "--data", mini)
    assert result.exit_code == 1 and "Error: no entity is named 'nobody'" in result.output


def test_graph_paths_is_the_library_function() -> None:
    assert graph.paths is paths
