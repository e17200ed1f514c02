"""What a notebook user asks of the graph: find an entity, its relations with their sources,
the conflicting claims, an ego network, the simple weighted graph for network analysis, and
everything as pandas DataFrames.

All functions take the graph first and read nothing from disk. Entities may be named by id,
name or alias, as on the command line (`resolve`). Values come from the typed model of rows
(`graph.model`), so a DataFrame column has the schema's type: a gap in an ``int`` column does not
turn 140 into 140.0. Every function takes ``schema=``; without it the schema the graph was loaded
with is used (see `graph.project.model_for`).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any

import networkx as nx

from .errors import EntityNotFound, Problem
from .model import LABEL, TYPE, Model
from .project import model_for, remember
from .schema import Schema

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "collapse",
    "conflict_rows",
    "conflicts",
    "edges_frame",
    "ego",
    "find",
    "nodes_frame",
    "relation_rows",
    "relations",
    "resolve",
    "summary",
]


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: 'Operación' and 'operacion' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def find(G: nx.MultiDiGraph, text: str, *, partial: bool = False, schema: Schema | None = None) -> list[str]:
    """Ids of the entities whose id, name or an alias is `text` (case- and accent-insensitive).

    With ``partial=True``, also those where `text` is part of the name or an alias.

    >>> import graph
    >>> G = graph.load()
    >>> find(G, "St. Lucia")
    ['saint-lucia']
    >>> find(G, "lucia", partial=True)
    ['saint-lucia']
    """
    model = model_for(G, schema)
    q = _fold(text)
    hits = []
    for node, data in G.nodes(data=True):
        names = [_fold(n) for n in model.names_of(node, data)]
        if q in names or (partial and q and any(q in n for n in names)):
            hits.append(node)
    return hits


def resolve(G: nx.MultiDiGraph, text: str, *, schema: Schema | None = None) -> str:
    """The one entity `text` names. The rule, everywhere (CLI and Python helpers alike): an id of
    the graph, as given, wins; then an exact id, name or alias, case and accents ignored; then a
    unique partial match of a name or alias.

    Raises `EntityNotFound` (with suggestions) when nothing or several entities match.

    >>> import graph
    >>> resolve(graph.load(), "ELAM")
    'elam'
    """
    if text in G:
        return text
    model = model_for(G, schema)
    exact = find(G, text, schema=model.schema)
    if len(exact) == 1:
        return exact[0]
    candidates = exact or find(G, text, partial=True, schema=model.schema)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listed = ", ".join(f"{model.name_of(c, G.nodes[c])} ({c})" for c in sorted(candidates)[:8])
        raise EntityNotFound(f"{text!r} matches several entities: {listed}; use a fuller name or the id")
    raise EntityNotFound(f"no entity is named {text!r}; try a part of the name, or `cubamed stats` to list the labels")


def _relation(model: Model, G: nx.MultiDiGraph, u: str, v: str, k: Any, d: dict[str, Any]) -> dict[str, Any]:
    """The typed properties of one relationship (the graph checked against the schema on the way)."""
    problems: list[Problem] = []
    row = model.relation_row(u, v, k, d, G.nodes[u].get(LABEL), G.nodes[v].get(LABEL), problems)
    model.raise_problems(problems)
    assert row is not None
    return row.properties


def relation_rows(G: nx.MultiDiGraph, node: str, *, mentions: bool = True, schema: Schema | None = None) -> list[dict[str, Any]]:
    """The rows of `relations`, as dicts without missing values (what the CLI prints)."""
    model = model_for(G, schema)
    node = resolve(G, node, schema=model.schema)

    def row(direction: str, u: str, v: str, k: str, d: dict[str, Any], other: str) -> dict[str, Any]:
        if direction in ("out", "in"):
            name = model.name_of(other, G.nodes[other])
        else:
            name = f"{model.name_of(u, G.nodes[u])} -> {model.name_of(v, G.nodes[v])}"
        props = _relation(model, G, u, v, k, d)
        title = model.document_title(G, props.get(model.provenance)) if model.provenance else None
        out = {"direction": direction, TYPE: d[TYPE], "other": other, "other_name": name, "id": k} | props
        return out | ({"source_title": title} if title is not None else {})

    rows = [row("out", u, v, k, d, v) for u, v, k, d in G.out_edges(node, keys=True, data=True)]
    rows += [row("in", u, v, k, d, u) for u, v, k, d in G.in_edges(node, keys=True, data=True)]
    if mentions:
        rows += [
            row(p, u, v, k, d, u)
            for u, v, k, d in G.edges(keys=True, data=True)
            for p in model.mentions
            if d.get(p) == node and node not in (u, v)
        ]
    return rows


def relations(G: nx.MultiDiGraph, node: str, *, mentions: bool = True, schema: Schema | None = None) -> pd.DataFrame:
    """Every relation of `node` (an id, name or alias), both ways, one row each, with figures, source title and evidence.

    `direction` is ``out`` or ``in``; with ``mentions=True`` (the default) relations between other
    entities that name `node` in a property (``program``, ``event``, ``claimed_by``: the schema's
    references besides the source) follow, with `direction` set to that property and `other` to
    the relation's start.

    >>> import graph
    >>> G = graph.load()
    >>> rel = relations(G, "Conviasa")
    >>> set(rel["type"]) >= {"SANCTIONED", "TRANSPORTED"}
    True
    >>> parole = relations(G, "cuban-medical-professional-parole")
    >>> sorted(set(parole["direction"]))
    ['in', 'program']
    """
    model = model_for(G, schema)
    rows = relation_rows(G, node, mentions=mentions, schema=model.schema)
    return model.frame(rows, ["direction", TYPE, "other", "other_name", "id"], model.relation_columns())


def conflict_rows(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> list[dict[str, Any]]:
    """The rows of `conflicts`, as dicts without missing values (what the CLI prints)."""
    model = model_for(G, schema)
    rels = model.schema.relationships
    prov, locator, claim = model.provenance, model.locator, model.claim
    groups: dict[tuple[Any, ...], list[tuple[str, str, str, dict[str, Any]]]] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        props = _relation(model, G, u, v, k, d)
        if claim and props.get(claim):
            key: tuple[Any, ...] = ("", props[claim], "", ())
        else:
            key = (u, d[TYPE], v, tuple(props.get(p) for p in rels[d[TYPE]].claim_key))
        groups.setdefault(key, []).append((u, v, k, props))
    rows = []
    n = 0
    for key, edges in sorted(groups.items(), key=lambda kv: repr(kv[0])):
        if not any(_disagree(a, b, model.figures, shared_slug=not key[0]) for i, a in enumerate(edges) for b in edges[i + 1 :]):
            continue
        n += 1
        order = sorted(edges, key=lambda e: (str(e[3].get(prov, "")) if prov else "", str(e[3].get(locator, "")) if locator else "", e[2]))
        for u, v, k, props in order:
            title = model.document_title(G, props.get(prov)) if prov else None
            rows.append(
                {"group": n, "claim": props.get(claim) if claim else None, "from": u, TYPE: G.edges[u, v, k][TYPE], "to": v}
                | {"from_name": model.name_of(u, G.nodes[u]), "to_name": model.name_of(v, G.nodes[v]), "id": k}
                | {p: val for p, val in props.items() if p != claim}
                | ({"source_title": title} if title is not None else {})
            )
    return rows


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
    model = model_for(G, schema)
    lead = ["group", "claim", "from", TYPE, "to", "from_name", "to_name", "id"]
    return model.frame(conflict_rows(G, schema=model.schema), lead, model.relation_columns())


def _disagree(
    a: tuple[str, str, str, dict[str, Any]], b: tuple[str, str, str, dict[str, Any]], figures: tuple[str, ...], *, shared_slug: bool
) -> bool:
    """Two claims disagree when a figure both state differs (a figure only one states is no
    disagreement), or, for claims sharing a `claim` slug, when they name different endpoints."""
    if shared_slug and a[:2] != b[:2]:
        return True
    da, db = a[3], b[3]
    return any(f in da and f in db and da[f] != db[f] for f in figures)


def ego(G: nx.MultiDiGraph, node: str, radius: int = 1, *, schema: Schema | None = None) -> nx.MultiDiGraph:
    """The entities within `radius` hops of `node` (an id, name or alias; either direction) and all relations among them.

    >>> import graph
    >>> sorted(ego(graph.load(), "Conviasa", 1))[:2]
    ['conviasa', 'cuban-international-brigade']
    """
    model = model_for(G, schema)
    center = resolve(G, node, schema=model.schema)
    return remember(nx.MultiDiGraph(nx.ego_graph(G, center, radius=radius, undirected=True)), model)


def nodes_frame(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> pd.DataFrame:
    """One row per entity: `id`, `label`, then its properties as typed columns in schema order.

    >>> import graph
    >>> nodes_frame(graph.load()).query("label == 'State'").shape[0] > 50
    True
    """
    model = model_for(G, schema)
    rows = model.rows(G)
    records = [{"id": r.id, LABEL: r.label} | r.properties for r in rows.nodes]
    return model.frame(records, ["id", LABEL], model.all_node_columns())


def edges_frame(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> pd.DataFrame:
    """One row per relationship: `id`, `from`, `to`, `type`, then its properties as typed columns.

    >>> import graph
    >>> bool(edges_frame(graph.load()).groupby("type").size()["DEPLOYED_TO"] > 0)
    True
    """
    model = model_for(G, schema)
    rows = model.rows(G)
    records = [{"id": r.id, "from": r.start, "to": r.end, TYPE: r.type} | r.properties for r in rows.relations]
    return model.frame(records, ["id", "from", "to", TYPE], model.relation_columns())


def summary(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> dict[str, Counter[str]]:
    """Counts: entities per label, relationships per type, and sanctioned entities per label.

    >>> import graph
    >>> summary(graph.load())["labels"]["State"] > 50
    True
    """
    flag = model_for(G, schema).sanctioned
    return {
        "labels": Counter(d[LABEL] for _, d in G.nodes(data=True)),
        "types": Counter(t for *_, t in G.edges(data=TYPE)),
        "sanctioned": Counter(d[LABEL] for _, d in G.nodes(data=True) if flag and d.get(flag)),
    }


def collapse(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The simple weighted directed graph network analysis wants: one edge per (start, end) pair.

    Each edge's `weight` is the number of relations from start to end, `types` lists their
    types (sorted, each once) and `relations` their ids. Nodes and their attributes are those of
    `G`. In the MultiDiGraph parallel relations (the same deployment stated by two sources, or
    several relation types between two states) each count as a neighbour, so
    ``nx.degree_centrality(G)`` can exceed 1; on ``collapse(G)`` it counts neighbours.

    >>> import graph, networkx as nx
    >>> G = graph.load()
    >>> C = collapse(G)
    >>> C["cuba"]["saint-lucia"]["weight"] == G.number_of_edges("cuba", "saint-lucia")
    True
    >>> max(nx.degree_centrality(C).values()) <= 1
    True
    """
    C = nx.DiGraph()
    C.graph.update(G.graph)
    C.add_nodes_from(G.nodes(data=True))
    for u, v, k, t in G.edges(keys=True, data=TYPE):
        if C.has_edge(u, v):
            d = C.edges[u, v]
            d["weight"] += 1
            d["relations"].append(k)
            if t not in d["types"]:
                d["types"] = sorted([*d["types"], t])
        else:
            C.add_edge(u, v, weight=1, types=[t], relations=[k])
    return C
