"""Build the graph: read, validate, then turn what passed into a `networkx.MultiDiGraph`.

Node key = entity id; node attributes `label`, `name`, `aliases` and the other properties, flat.
Edge key = relationship id; edge attributes `type` and the other properties, flat. Values have the
Python type of their schema type (`graph.model`: a ``number`` is always a float). Entities that are
the target of a relationship of the schema's ``sanctions`` role get its ``sanctioned`` and
``sanctioned_by`` properties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx

from .errors import ValidationError
from .locations import data_dir
from .model import LABEL, TYPE, Column, Model, model_of
from .read import read_paths
from .schema import Schema
from .validate import Entity, Fact, validate_records

__all__ = ["build_graph", "load"]


def _typed(model: Model, columns: Mapping[str, Column], props: Mapping[str, object]) -> dict[str, object]:
    out = {}
    for k, v in props.items():
        c = model.convert(columns.get(k), v)
        if c is not None:
            out[k] = c
    return out


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
    G = nx.MultiDiGraph(schema_version=schema.version)
    # the *_from forms: a third faster than one call per item on a million FtM entities
    G.add_nodes_from(
        (e.id, {LABEL: e.label, **_typed(model, model.node_columns(e.label), {k: v for k, v in e.props.items() if k != model.key})})
        for e in entities
    )
    columns = model.relation_columns()
    G.add_edges_from((f.start, f.end, f.id, {TYPE: f.type, **_typed(model, columns, f.props)}) for f in facts)
    if model.sanctions and model.sanctioned:
        by_target: dict[str, set[str]] = {}
        for u, v, t in G.edges(data=TYPE):
            if t == model.sanctions:
                by_target.setdefault(v, set()).add(u)
        for node, by in by_target.items():
            G.nodes[node][model.sanctioned] = True
            if model.sanctioned_by:
                G.nodes[node][model.sanctioned_by] = sorted(by)
    return G


def load(*paths: str | Path, schema: str | Path | Schema | None = None) -> nx.MultiDiGraph:
    """Load, validate and build the graph from YAML and CSV files or folders.

    With no paths, loads the project's curated `data/`. Analysts' CSV files merge into the same
    graph: ``load("data", "examples/nodes.csv", "examples/edges.csv")``. Raises `ValidationError`
    listing every problem of every file when anything is wrong; then nothing is built. The graph
    remembers its schema, so `graph.relations`, `graph.query(G=...)` and the exports use it.

    >>> import graph
    >>> G = graph.load()
    >>> G.nodes["saint-lucia"]["name"]
    'Saint Lucia'
    """
    from .project import model_for, remember

    sch = model_for(None, schema).schema  # the default project's schema unless one is given
    records, problems = read_paths(paths or [data_dir()])
    entities, facts, more = validate_records(records, sch)
    problems += more
    if problems:
        raise ValidationError(problems)
    G = build_graph(entities, facts, sch)
    notes = [str(r.data["message"]) for r in records if r.kind == "note"]
    if notes:  # what the FollowTheMoney reader left out, said once (graph.ftm)
        G.graph["notes"] = "\n".join(notes)
    return remember(G, model_of(sch))
