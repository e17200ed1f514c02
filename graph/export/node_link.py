"""The graph as node-link JSON, exactly as networkx writes it (``nx.node_link_data``); and back.

``generate_json(G)`` yields the JSON text and touches nothing; ``write_json(G, path)`` writes it
(never half-written); ``read_json(path)`` is ``nx.node_link_graph`` on the file's data.

The document is ``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...],
"edges": [...]}``: each node ``{"id": ..., "label": ..., <properties>}``, each edge
``{"source": ..., "target": ..., "key": ..., "type": ..., <properties>}``. JSON has every type
the model uses, so nothing is renamed or encoded: lists are arrays, ``int`` properties integers
and ``number`` properties always decimals (``10.0``). An infinite number is written
``Infinity``, as Python's ``json`` does (strict JSON readers refuse it; the curated data has
none). networkx's own ``node_link_graph`` gives back an equal graph, types included: no reader of
ours is needed, but `read_json` saves the two lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..files import write_generated
from ..model import LABEL, TYPE
from ..progress import track
from ..project import model_for
from ..schema import Schema

__all__ = ["generate_json", "read_json", "write_json"]


def _typed_graph(G: nx.MultiDiGraph, schema: Schema | None) -> nx.MultiDiGraph:
    """`G` rebuilt from the model's rows: values typed by the schema, missing ones left out."""
    model = model_for(G, schema)
    rows = model.rows(G)
    H = nx.MultiDiGraph(**rows.graph)
    for n in track(rows.nodes, "Writing JSON nodes"):
        H.add_node(n.id, **{LABEL: n.label}, **n.properties)
    for r in track(rows.relations, "Writing JSON edges"):
        H.add_edge(r.start, r.end, key=r.id, **{TYPE: r.type}, **r.properties)
    return H


def generate_json(G: nx.MultiDiGraph, *, schema: Schema | None = None, indent: int | None = None) -> Iterator[str]:
    """Yield the node-link JSON of `G` in pieces (pure: no I/O); the graph is checked against the schema first."""
    data: dict[str, Any] = nx.node_link_data(_typed_graph(G, schema), edges="edges")
    yield from json.JSONEncoder(ensure_ascii=False, indent=indent, allow_nan=True).iterencode(data)
    yield "\n"


def write_json(G: nx.MultiDiGraph, path: str | Path, *, schema: Schema | None = None, indent: int | None = None) -> Path:
    """Write `G` as node-link JSON to `path` (UTF-8, via a temporary file renamed into place)."""
    return write_generated(path, generate_json(G, schema=schema, indent=indent), what="JSON file")


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """Read a node-link JSON file back into a graph (networkx's ``node_link_graph``)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        G = nx.node_link_graph(data, edges="edges")
    except (OSError, ValueError, KeyError, nx.NetworkXError) as exc:
        raise ExportError(f"{p}: cannot read it as node-link JSON ({exc})") from exc
    return G if isinstance(G, nx.MultiDiGraph) else nx.MultiDiGraph(G)
