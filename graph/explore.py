"""What a notebook user asks of the graph: find an entity, its relations with their sources,
the conflicting claims, an ego network, and everything as pandas DataFrames.

All functions take the graph first and read nothing from disk.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

import networkx as nx
import pandas as pd

from .errors import EntityNotFound
from .schema import Schema, load_schema

__all__ = [
    "conflicts",
    "edges_frame",
    "ego",
    "find",
    "nodes_frame",
    "relations",
    "resolve",
    "summary",
]


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Operación' and 'operacion' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def _names(node: str, data: dict[str, Any]) -> list[str]:
    return [node, str(data.get("name", "")), *data.get("aliases", [])]


def find(G: nx.MultiDiGraph, text: str, *, partial: bool = False) -> list[str]:
    """Ids of the entities whose id, name or an alias is `text` (case- and accent-insensitive).

    With ``partial=True``, also those where `text` is part of the name or an alias.

    >>> import graph
    >>> G = graph.load()
    >>> find(G, "St. Lucia")
    ['saint-lucia']
    >>> find(G, "lucia", partial=True)
    ['saint-lucia']
    """
    q = _fold(text)
    hits = []
    for node, data in G.nodes(data=True):
        names = [_fold(n) for n in _names(node, data)]
        if q in names or (partial and q and any(q in n for n in names)):
            hits.append(node)
    return hits


def resolve(G: nx.MultiDiGraph, text: str) -> str:
    """The one entity `text` names: an exact id/name/alias match, else a unique partial match.

    Raises `EntityNotFound` (with suggestions) when nothing or several entities match.

    >>> import graph
    >>> resolve(graph.load(), "ELAM")
    'elam'
    """
    exact = find(G, text)
    if len(exact) == 1:
        return exact[0]
    candidates = exact or find(G, text, partial=True)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listed = ", ".join(f"{G.nodes[c].get('name')} ({c})" for c in sorted(candidates)[:8])
        raise EntityNotFound(f"{text!r} matches several entities: {listed}; use a fuller name or the id")
    raise EntityNotFound(f"no entity is named {text!r}; try a part of the name, or `cubamed stats` to list the labels")


def _title(G: nx.MultiDiGraph, source: Any) -> Any:
    return G.nodes[source].get("title") if source in G else None


def relations(G: nx.MultiDiGraph, node: str, *, mentions: bool = True) -> pd.DataFrame:
    """Every relation of `node`, both ways, one row each, with figures, source title and evidence.

    `direction` is ``out`` or ``in``; with ``mentions=True`` (the default) relations between other
    entities that name `node` in a property (``program``, ``event``, ``claimed_by``) follow, with
    `direction` set to that property and `other` to the relation's start.

    >>> import graph
    >>> G = graph.load()
    >>> rel = relations(G, "conviasa")
    >>> set(rel["type"]) >= {"SANCTIONED", "TRANSPORTED"}
    True
    >>> parole = relations(G, "cuban-medical-professional-parole")
    >>> sorted(set(parole["direction"]))
    ['in', 'program']
    """
    if node not in G:
        raise EntityNotFound(f"no entity has the id {node!r}; use graph.resolve(G, name) to look it up by name")

    def row(direction: str, u: str, v: str, k: str, d: dict[str, Any], other: str) -> dict[str, Any]:
        name = G.nodes[other].get("name") if direction in ("out", "in") else f"{G.nodes[u].get('name')} -> {G.nodes[v].get('name')}"
        return (
            {"direction": direction, "type": d["type"], "other": other, "other_name": name, "id": k}
            | {p: val for p, val in d.items() if p != "type"}
            | {"source_title": _title(G, d.get("source_id"))}
        )

    rows = [row("out", u, v, k, d, v) for u, v, k, d in G.out_edges(node, keys=True, data=True)]
    rows += [row("in", u, v, k, d, u) for u, v, k, d in G.in_edges(node, keys=True, data=True)]
    if mentions:
        rows += [
            row(p, u, v, k, d, u)
            for u, v, k, d in G.edges(keys=True, data=True)
            for p in _MENTIONS
            if d.get(p) == node and node not in (u, v)
        ]
    return pd.DataFrame(rows)


#: Relationship properties that name an entity besides the endpoints (`source_id` is shown apart).
_MENTIONS = ("program", "event", "claimed_by")


def conflicts(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> pd.DataFrame:
    """Claims that disagree, one row per claim with a `group` number; every claim keeps its own
    source. Nothing is averaged, picked or dropped.

    Claims are compared when curators gave them the same `claim` slug (the same quantity stated
    by several sources, whatever the endpoints), or else when they have the same type, the same
    endpoints and the same claim key (e.g. the same year and role). They conflict when a figure
    both state differs (or, for a shared slug, their endpoints differ).

    >>> import graph
    >>> c = conflicts(graph.load())
    >>> bool(c.groupby("group")["source_id"].nunique().max() >= 2)
    True
    """
    sch = schema or load_schema()
    groups: dict[tuple[Any, ...], list[tuple[str, str, str, dict[str, Any]]]] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("claim"):
            key: tuple[Any, ...] = ("", d["claim"], "", ())
        else:
            key = (u, d["type"], v, tuple(d.get(p) for p in sch.relationships[d["type"]].claim_key))
        groups.setdefault(key, []).append((u, v, k, d))
    rows = []
    n = 0
    for key, edges in sorted(groups.items(), key=lambda kv: repr(kv[0])):
        if not any(_disagree(a, b, sch.figures, shared_slug=not key[0]) for i, a in enumerate(edges) for b in edges[i + 1 :]):
            continue
        n += 1
        for u, v, k, d in sorted(edges, key=lambda e: (e[3].get("source_id", ""), e[3].get("locator", ""), e[2])):
            rows.append(
                {"group": n, "claim": d.get("claim"), "from": u, "type": d["type"], "to": v}
                | {"from_name": G.nodes[u].get("name"), "to_name": G.nodes[v].get("name"), "id": k}
                | {p: val for p, val in d.items() if p not in {"type", "claim"}}
                | {"source_title": _title(G, d.get("source_id"))}
            )
    return pd.DataFrame(rows)


def _disagree(
    a: tuple[str, str, str, dict[str, Any]], b: tuple[str, str, str, dict[str, Any]], figures: tuple[str, ...], *, shared_slug: bool
) -> bool:
    """Two claims disagree when a figure both state differs (a figure only one states is no
    disagreement), or, for claims sharing a `claim` slug, when they name different endpoints."""
    if shared_slug and a[:2] != b[:2]:
        return True
    da, db = a[3], b[3]
    return any(f in da and f in db and da[f] != db[f] for f in figures)


def ego(G: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The entities within `radius` hops of `node` (either direction) and all relations among them.

    >>> import graph
    >>> sorted(ego(graph.load(), "conviasa", 1))[:2]
    ['conviasa', 'cuban-international-brigade']
    """
    if node not in G:
        raise EntityNotFound(f"no entity has the id {node!r}; use graph.resolve(G, name) to look it up by name")
    return nx.MultiDiGraph(nx.ego_graph(G, node, radius=radius, undirected=True))


def nodes_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per entity: `id`, `label`, `name`, `aliases` and the other properties as columns.

    >>> import graph
    >>> nodes_frame(graph.load()).query("label == 'State'").shape[0] > 50
    True
    """
    return pd.DataFrame([{"id": n} | d for n, d in G.nodes(data=True)])


def edges_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per relationship: `id`, `from`, `to`, `type` and the other properties as columns.

    >>> import graph
    >>> bool(edges_frame(graph.load()).groupby("type").size()["DEPLOYED_TO"] > 0)
    True
    """
    return pd.DataFrame([{"id": k, "from": u, "to": v} | d for u, v, k, d in G.edges(keys=True, data=True)])


def summary(G: nx.MultiDiGraph) -> dict[str, Counter[str]]:
    """Counts: entities per label, relationships per type, and sanctioned entities.

    >>> import graph
    >>> summary(graph.load())["labels"]["State"] > 50
    True
    """
    return {
        "labels": Counter(d["label"] for _, d in G.nodes(data=True)),
        "types": Counter(t for *_, t in G.edges(data="type")),
        "sanctioned": Counter(d["label"] for _, d in G.nodes(data=True) if d.get("sanctioned")),
    }
