"""How two entities are connected: the shortest paths between them, direction ignored.

`paths(G, a, b)` gives what the explorer's Path box and `cubamed path A B` give: every shortest path
between the two entities over the relations of `G` (a relation joins its two entities whichever way
it points), each step with every relation that joins its two entities. Paths come in a fixed order
(by the ids along them); `describe_paths` turns them into the lines the command prints. Nothing here
reads a file.

>>> import graph
>>> G = graph.load()
>>> [p.nodes for p in paths(G, "Conviasa", "Cuban Medical Professional Parole")]
[('conviasa', 'united-states', 'cuban-medical-professional-parole')]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx

from .explore import resolve
from .model import TYPE, Model
from .project import model_for

__all__ = ["Path", "Step", "describe_paths", "paths"]


@dataclass(frozen=True)
class Step:
    """Two neighbouring entities of a path and the ids of every relation joining them (either way)."""

    start: str
    end: str
    relations: tuple[str, ...]


@dataclass(frozen=True)
class Path:
    """A shortest path: its entities in order, and a step between each two."""

    nodes: tuple[str, ...]
    steps: tuple[Step, ...]


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """One edge per pair of entities joined by any relation (self-relations join nothing)."""
    U = nx.Graph()
    U.add_nodes_from(G)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return U


def _walk(U: nx.Graph, dist_a: dict[Any, int], on: set[Any], a: Any, b: Any, limit: int | None) -> Iterator[tuple[Any, ...]]:
    """The shortest paths from a to b in id order: depth first through the entities one step further from a."""
    stack: list[tuple[Any, ...]] = [(a,)]
    found = 0
    while stack and (limit is None or found < limit):
        path = stack.pop()
        u = path[-1]
        if u == b:
            found += 1
            yield path
            continue
        nxt = sorted((v for v in U[u] if v in on and dist_a[v] == dist_a[u] + 1), key=str, reverse=True)
        stack.extend((*path, v) for v in nxt)


def paths(G: nx.MultiDiGraph, a: str, b: str, *, limit: int | None = None) -> list[Path]:
    """The shortest paths between `a` and `b` (ids, names or aliases), direction ignored.

    Each path lists its entities and, for each step, the ids of every relation joining the two
    entities it links. `limit` keeps the first ones (in id order); an empty list means no path.
    Raises `EntityNotFound` when `a` or `b` names no entity (or several).
    """
    source, target = resolve(G, a), resolve(G, b)
    U = _undirected(G)
    dist_a = nx.single_source_shortest_path_length(U, source)
    if target not in dist_a:
        return []
    dist_b = nx.single_source_shortest_path_length(U, target)
    length = dist_a[target]
    on = {n for n, d in dist_a.items() if n in dist_b and d + dist_b[n] == length}
    return [
        Path(nodes=tuple(p), steps=tuple(Step(u, v, _joining(G, u, v)) for u, v in pairwise(p)))
        for p in _walk(U, dist_a, on, source, target, limit)
    ]


def _joining(G: nx.MultiDiGraph, u: Any, v: Any) -> tuple[str, ...]:
    keys = [str(k) for k in (G.get_edge_data(u, v) or {})] + [str(k) for k in (G.get_edge_data(v, u) or {})]
    return tuple(sorted(keys))


def describe_paths(G: nx.MultiDiGraph, found: list[Path], *, more: bool = False) -> Iterator[str]:
    """The lines `cubamed path` prints: each path, each step's relations with figures, source and evidence.

    `more` says that the list was cut (a limit): the heading then says "the first N".
    """
    if not found:
        return
    model = model_for(G)
    name = _namer(G, model)
    n, steps = len(found), len(found[0].steps)
    first, last = found[0].nodes[0], found[0].nodes[-1]
    count = f"the first {n} shortest paths" if more else ("1 shortest path" if n == 1 else f"{n} shortest paths")
    yield f"{name(first)} and {name(last)}: {count} of {steps} step{'s' if steps != 1 else ''} (direction ignored)."
    for i, path in enumerate(found, 1):
        yield ""
        yield f"Path {i}: " + " – ".join(name(x) for x in path.nodes)
        for j, step in enumerate(path.steps, 1):
            yield f"  {j}. {name(step.start)} – {name(step.end)}"
            for key in step.relations:
                yield from _relation_lines(G, model, name, step, key)


def _namer(G: nx.MultiDiGraph, model: Model) -> Any:
    return lambda node: str(G.nodes[node].get(model.name, node)) if node in G and model.name else str(node)


def _relation_lines(G: nx.MultiDiGraph, model: Model, name: Any, step: Step, key: str) -> Iterator[str]:
    u, v = (step.start, step.end) if G.has_edge(step.start, step.end, key) else (step.end, step.start)
    d = G.edges[u, v, key]
    # printed on lines of their own rather than among the figures
    apart = {TYPE, model.provenance, model.locator, model.evidence}
    src = d.get(model.provenance) if model.provenance else None
    title = (G.nodes[src].get(model.title or "") or name(src)) if src in G else src
    figures = ", ".join(f"{k}={val}" for k, val in d.items() if k not in apart and val is not None)
    yield f"     {name(u)} -[{d.get(TYPE)}]-> {name(v)}" + (f"   {figures}" if figures else "") + f"   (id: {key})"
    locator = d.get(model.locator) if model.locator else None
    yield f"       source: {title}" + (f" ({locator})" if locator is not None else "")
    evidence = d.get(model.evidence) if model.evidence else None
    if evidence:
        yield f"       evidence: {evidence}"
