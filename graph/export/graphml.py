"""The graph as GraphML, for Cytoscape, yEd, Gephi and networkx; and back.

``generate_graphml(G)`` yields the document's text and touches nothing; ``write_graphml(G, path)``
writes it (never half-written); ``read_graphml(path)`` reads it back into a graph equal to `G`,
types included.

How the graph is written:

- One ``<key>`` per attribute, with one type (`graph.export.exchange`): text is ``string``,
  ``int`` is ``long``, ``number`` is ``double`` (infinity as ``Infinity``), ``bool`` is
  ``boolean``. GraphML has no list type: a ``list[string]`` (``aliases``, ``sanctioned_by``) is a
  ``string`` holding a JSON array, ``["St. Lucia", "Saint Lucia"]``, and its key says so in its
  ``<desc>`` (``list[string] as a JSON array``); an undeclared value of no single type is JSON
  text the same way (``desc``: ``JSON``). Keys are written only for attributes in use.
- Node ``id`` = the entity's id; edge ``id`` = the relationship's id (networkx reads it back as
  the edge key); ``label`` and ``type`` are ordinary data, as every other attribute. GraphML
  reserves no data name, so no attribute is renamed.
- Graph attributes are ``for="graph"`` data.

What `networkx.read_graphml` gives back by itself, exactly: the lists as their JSON text; the
extra graph attributes ``node_default`` and ``edge_default`` (empty dicts); edge keys that look
like integers turned into ints (unless ``edge_key_type=str``); and a DiGraph instead of a
MultiDiGraph when no two relationships share their ends (unless ``force_multigraph=True``).
`read_graphml` undoes each of these.
"""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..files import write_generated
from ..model import LABEL, TYPE
from ..progress import task
from ..project import model_for
from ..schema import Schema
from .exchange import exchange_columns, json_text, scalar_text, xml_attr, xml_text

__all__ = ["LIST_DESC", "generate_graphml", "read_graphml", "write_graphml"]

NS = "http://graphml.graphdrawing.org/xmlns"
LIST_DESC = "list[string] as a JSON array"
JSON_DESC = "JSON"
_TYPES = {"string": "string", "int": "long", "number": "double", "bool": "boolean", "list[string]": "string", "json": "string"}
_DESCS = {"list[string]": LIST_DESC, "json": JSON_DESC}


def _text(value: Any, kind: str, what: str) -> str:
    scalar = scalar_text(value, kind)
    if scalar is not None:
        return scalar
    if kind in ("list[string]", "json"):
        return xml_text(json_text(value), what)
    return xml_text(str(value), what)


def _data(values: dict[str, Any], ids: dict[str, str], kinds: dict[str, str], what: str) -> str:
    return "".join(f'<data key="{ids[k]}">{_text(v, kinds[k], f"{what}, {k!r}")}</data>' for k, v in values.items())


def generate_graphml(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> Iterator[str]:
    """Yield the GraphML document of `G`, piece by piece (pure: no I/O).

    The whole graph is checked against the schema (`graph.model`) before the first piece.
    """
    model = model_for(G, schema)
    rows = model.rows(G)
    cols = exchange_columns(model, rows)
    counter = itertools.count()
    ids: dict[str, dict[str, str]] = {}
    keys = []
    for scope, kinds in (("graph", cols.graph), ("node", cols.node), ("edge", cols.edge)):
        ids[scope] = {}
        for name, kind in kinds.items():
            kid = f"d{next(counter)}"
            ids[scope][name] = kid
            attrs = f'id="{kid}" for="{scope}" attr.name="{xml_attr(name, f"{scope} attribute {name!r}")}" attr.type="{_TYPES[kind]}"'
            desc = _DESCS.get(kind)
            keys.append(f"  <key {attrs}><desc>{desc}</desc></key>\n" if desc else f"  <key {attrs} />\n")
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield (f'<graphml xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{NS} {NS}/1.0/graphml.xsd">\n')
    yield from keys
    yield '  <graph edgedefault="directed">\n'
    graph_values = {k: v for k, v in rows.graph.items() if v is not None}
    if graph_values:
        yield "    " + _data(graph_values, ids["graph"], cols.graph, "the graph") + "\n"
    with task("Writing GraphML", len(rows.nodes) + len(rows.relations)) as advance:
        for n in rows.nodes:
            what = f"entity {n.id!r}"
            values = {LABEL: n.label, **n.properties}
            yield f'    <node id="{xml_attr(n.id, what)}">{_data(values, ids["node"], cols.node, what)}</node>\n'
            advance(1)
        for r in rows.relations:
            what = f"relationship {r.id!r}"
            values = {TYPE: r.type, **r.properties}
            ends = f'id="{xml_attr(r.id, what)}" source="{xml_attr(r.start, what)}" target="{xml_attr(r.end, what)}"'
            yield f"    <edge {ends}>{_data(values, ids['edge'], cols.edge, what)}</edge>\n"
            advance(1)
    yield "  </graph>\n</graphml>\n"


def write_graphml(G: nx.MultiDiGraph, path: str | Path, *, schema: Schema | None = None) -> Path:
    """Write `G` as GraphML to `path` (UTF-8, via a temporary file renamed into place)."""
    return write_generated(path, generate_graphml(G, schema=schema), what="GraphML file")


def _json_keys(path: Path) -> dict[str, set[str]]:
    """The attributes (by scope) whose key's <desc> says their text is JSON."""
    out: dict[str, set[str]] = {"graph": set(), "node": set(), "edge": set()}
    for _, elem in ET.iterparse(path, events=("end",)):
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag == "key":
            desc = elem.find(f"{{{NS}}}desc")
            if desc is not None and desc.text in (LIST_DESC, JSON_DESC):
                out.setdefault(elem.get("for", ""), set()).add(elem.get("attr.name", ""))
        elif tag in ("node", "edge", "graph"):
            break
    return out


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML file `write_graphml` wrote back into a graph equal to the one written.

    networkx's reader does the parsing (multigraph forced, edge keys kept as text); then the JSON
    texts of list and JSON keys are decoded and the empty ``node_default``/``edge_default`` it
    adds to the graph attributes are dropped.
    """
    p = Path(path)
    try:
        G = nx.read_graphml(p, force_multigraph=True, edge_key_type=str)
        encoded = _json_keys(p)
    except (OSError, ET.ParseError, nx.NetworkXError) as exc:
        raise ExportError(f"{p}: cannot read it as GraphML ({exc})") from exc
    for name in ("node_default", "edge_default"):
        if G.graph.get(name) == {}:
            del G.graph[name]
    try:
        for k in encoded["graph"] & G.graph.keys():
            G.graph[k] = json.loads(G.graph[k])
        for _, d in G.nodes(data=True):
            for k in encoded["node"] & d.keys():
                d[k] = json.loads(d[k])
        for *_, d in G.edges(data=True):
            for k in encoded["edge"] & d.keys():
                d[k] = json.loads(d[k])
    except ValueError as exc:
        raise ExportError(f"{p}: an attribute declared as JSON text is not JSON ({exc})") from exc
    return G
