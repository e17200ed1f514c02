"""Build the graph: read, validate, then turn what passed into a `networkx.MultiDiGraph`.

Node key = entity id; node attributes `label`, `name`, `aliases` and the other properties, flat.
Edge key = relationship id; edge attributes `type` and the other properties, flat. Values have the
Python type of their schema type (`graph.model`: a ``number`` is always a float). Entities that are
the target of a relationship of the schema's ``sanctions`` role get its ``sanctioned`` and
``sanctioned_by`` properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import compress, repeat
from operator import eq, itemgetter, methodcaller
from pathlib import Path

import networkx as nx

from .errors import ValidationError
from .locations import data_dir
from .model import LABEL, TYPE, Column, Model, model_of, no_gc
from .read import read_paths
from .schema import Schema
from .validate import Entity, Fact, validate_records

__all__ = ["assemble", "build_graph", "edge_items", "load", "load_records", "node_items"]


def _typed(
    model: Model, columns: Mapping[str, Column], plain: Mapping[str, type], props: Mapping[str, object], skip: str | None = None
) -> dict[str, object]:
    """`props` by the conversion rule, `skip` left out. Validated values mostly have their plain
    type already (a string column holds a `str`): those are kept without a call per value."""
    out = {}
    for k, v in props.items():
        if type(v) is plain.get(k):
            out[k] = v
        elif k != skip:
            c = model.convert(columns.get(k), v)
            if c is not None:
                out[k] = c
    if skip is not None:
        out.pop(skip, None)
    return out


def _add_nodes(G: nx.MultiDiGraph, nodes: Iterable[tuple[str, dict[str, object]]]) -> None:
    """Add (node, attributes) items: what `G.add_nodes_from` does, without copying each
    attribute dict (the graph keeps the dict given). Writes networkx's documented layout
    (``G._node[n]``, empty ``G._succ[n]`` and ``G._pred[n]``); tests/test_build.py proves the
    graph equal to `add_nodes_from`'s."""
    node, succ, pred = G._node, G._succ, G._pred
    inner = G.adjlist_inner_dict_factory
    for n, attrs in nodes:
        old = node.get(n)
        if old is None:
            succ[n] = inner()
            pred[n] = inner()
            node[n] = attrs
        else:  # the same node twice: networkx updates its attributes
            old.update(attrs)
    nx._clear_cache(G)


def _add_edges(G: nx.MultiDiGraph, edges: Iterable[tuple[str, str, str, dict[str, object]]]) -> None:
    """Add keyed edges between nodes already in `G`: what `G.add_edges_from` does, without its
    per-edge `add_edge` call and adjacency views (4x faster on two million edges).

    Writes networkx's documented adjacency layout (``G._succ[u][v][key] = data``, the same key
    dict shared as ``G._pred[v][u]``); tests/test_build.py proves the graph equal to the one
    `add_edges_from` makes, adjacency order included.
    """
    succ, pred = G._succ, G._pred
    key_dict = G.edge_key_dict_factory
    for u, v, key, data in edges:
        out = succ[u]
        keys = out.get(v)
        if keys is None:  # (most edges: the first between their ends)
            keys = out[v] = pred[v][u] = key_dict()
            keys[key] = data
            continue
        old = keys.get(key)
        if old is None:
            keys[key] = data
        else:  # the same key twice: networkx updates the data
            old.update(data)
    nx._clear_cache(G)


def node_items(model: Model, entities: Iterable[Entity]) -> Iterator[tuple[str, dict[str, object]]]:
    """Each validated entity as (id, node attributes): its label, then its properties by the
    conversion rule, the id left out."""
    key = model.key
    # a float may be NaN, which the conversion rule drops: floats always go through `convert`
    node_plain = {label: {k: t for k, t in model._node_plain[label].items() if t is not float} for label in model.labels}
    for e in entities:
        yield e.id, {LABEL: e.label, **_typed(model, model.node_columns(e.label), node_plain[e.label], e.props, key)}


def edge_items(model: Model, facts: Iterable[Fact]) -> list[tuple[str, str, str, dict[str, object]]]:
    """Each validated fact as (start, end, id, edge attributes): its type, then its properties by the conversion rule."""
    columns = model.relation_columns()
    plain = {k: t for k, t in model._relation_plain.items() if t is not float}
    return [(f.start, f.end, f.id, {TYPE: f.type, **_typed(model, columns, plain, f.props)}) for f in facts]


def assemble(
    nodes: Iterable[tuple[str, dict[str, object]]],
    edges: list[tuple[str, str, str, dict[str, object]]],
    schema: Schema,
    *,
    ends_are_nodes: bool = False,
    types: list[object] | None = None,
) -> nx.MultiDiGraph:
    """The MultiDiGraph of these node and edge items (`node_items`, `edge_items`), in their
    order, with the sanctioned marker of the schema's ``sanctions`` role. `ends_are_nodes`: the
    caller has made sure every edge's ends are among `nodes` (else each is looked up first).
    `types`: each edge item's ``type`` (what ``data.get("type")`` gives), when the caller has
    them as a column: the marker then reads no edge's data but those of the sanctions type."""
    model = model_of(schema)
    G = nx.MultiDiGraph(schema_version=schema.version)
    _add_nodes(G, nodes)
    has = G._succ.__contains__
    if not (ends_are_nodes or (all(map(has, map(itemgetter(0), edges))) and all(map(has, map(itemgetter(1), edges))))):
        G.add_edges_from(edges)  # ends that are no entity (validation refuses them): networkx's own way adds the nodes
    else:
        _add_edges(G, edges)
    if model.sanctions and model.sanctioned:
        by_target: dict[str, set[str]] = {}
        sanctions, adj = model.sanctions, G._succ
        # an edge whose type in the graph is `sanctions` got it from an item that says so; the
        # graph's data decides (the same key twice: the data was updated)
        of_items = map(methodcaller("get", TYPE), map(itemgetter(3), edges)) if types is None else types
        said = map(eq, of_items, repeat(sanctions))
        for u, v, k, _ in compress(edges, said):
            if adj[u][v][k].get(TYPE) == sanctions:
                by_target.setdefault(v, set()).add(u)
        attrs = G._node  # (what `G.nodes[node]` gives, without a view per node)
        for node, by in by_target.items():
            attrs[node][model.sanctioned] = True
            if model.sanctioned_by:
                attrs[node][model.sanctioned_by] = sorted(by)
    return G


def build_graph(entities: Iterable[Entity], facts: Iterable[Fact], schema: Schema) -> nx.MultiDiGraph:
    """Assemble validated entities and facts into a MultiDiGraph (pure: no I/O).

    `load` reads, validates and calls this; call it yourself with records from elsewhere:

    >>> from graph.validate import Entity, Fact
    >>> from graph.schema import load_schema
    >>> cuba = Entity("cuba", "State", {"id": "cuba", "name": "Cuba", "iso3": "CUB"}, "-", 0)
    >>> G = build_graph([cuba], [], load_schema())
    >>> G.nodes["cuba"]
    {'label': 'State', 'name': 'Cuba', 'iso3': 'CUB'}
    """
    model = model_of(schema)
    return assemble(node_items(model, entities), edge_items(model, facts), schema)


def load(*paths: str | Path, schema: str | Path | Schema | None = None) -> nx.MultiDiGraph:
    """Load, validate and build the graph from YAML and CSV files or folders.

    With no paths, loads the project's curated `data/`. Analysts' CSV files merge into the same
    graph: ``load("data", "examples/nodes.csv", "examples/edges.csv")``. Raises `ValidationError`
    listing every problem of every file when anything is wrong; then nothing is built. The graph
    remembers its schema, so `graph.relations`, `graph.query(G=...)` and the exports use it.

    FollowTheMoney files take a faster way when all is well (`graph.ftm.direct`): the same graph,
    held to it by tests; anything amiss, and they go the way below, which words every problem.

    >>> import graph
    >>> G = graph.load()
    >>> G.nodes["saint-lucia"]["name"]
    'Saint Lucia'
    """
    from .ftm.direct import load_direct
    from .project import model_for, remember

    sch = model_for(None, schema).schema  # the default project's schema unless one is given
    with no_gc(kept=True):  # millions of new dicts, none in a cycle: collections would only walk them again and again
        G = load_direct(paths or [data_dir()], sch)
        if G is None:
            G = load_records(paths or [data_dir()], sch)
    return remember(G, model_of(sch))


def load_records(paths: Iterable[str | Path], schema: Schema) -> nx.MultiDiGraph:
    """What `load` does, every file read into records, validated, then built: the general way."""
    records, problems = read_paths(paths)
    entities, facts, more = validate_records(records, schema)
    problems += more
    if problems:
        raise ValidationError(problems)
    G = build_graph(entities, facts, schema)
    notes = [str(r.data["message"]) for r in records if r.kind == "note"]
    if notes:  # what the FollowTheMoney reader left out, said once (graph.ftm)
        G.graph["notes"] = "\n".join(notes)
    return G
