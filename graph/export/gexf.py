"""The graph as GEXF 1.3, for Gephi (0.9.3 and later) and networkx; and back.

``generate_gexf(G)`` yields the document's text and touches nothing; ``write_gexf(G, path)``
writes it (never half-written); ``read_gexf(path)`` reads it back into a graph equal to `G`,
types included.

GEXF gives some names a meaning of its own, and networkx's writer and reader treat them
specially: on a node ``id``, ``label``, ``pid``, ``start``, ``end``, ``viz``, ``parents``,
``spells``; on an edge ``id``, ``label``, ``type`` (which must be directed, undirected or mutual),
``weight``, ``kind``, ``start``, ``end``, ``spells`` and ``key``. So:

- A node's GEXF ``id`` is the entity's id and its GEXF ``label`` (what Gephi shows) the entity's
  name; the node attribute ``label`` (the schema label, e.g. State) is written as the attribute
  ``schema_label``.
- An edge's GEXF ``id`` is the relationship's id; its GEXF ``label`` and ``kind`` are the
  relationship type (``kind`` keeps parallel relations of different types apart in Gephi; to keep
  parallel relations of one type apart as well, choose "Don't merge" for parallel edges in
  Gephi's import dialog). No ``type`` or ``weight`` is written: every edge is directed.
- Every other attribute is an ``<attvalue>`` under its own name, one type per attribute
  (`graph.export.exchange`): ``string``, ``long``, ``double`` (infinity as ``Infinity``),
  ``boolean``, and ``liststring`` for a ``list[string]``, written as Gephi reads lists:
  ``["St. Lucia", "Saint Lucia"]``, every item double-quoted with ``\\`` and ``"`` escaped by a
  backslash. An undeclared value of no single type is JSON text in a ``string``.
- GEXF has no graph attributes: they, and which attributes hold JSON text, are written as JSON
  in ``<meta><description>``.
- A property that would collide with these names (a node property ``schema_label``, a
  relationship property ``label``, ``kind``, ``weight``, ``id``, ``networkx_key``) is refused.

What `networkx.read_gexf` gives back by itself, exactly: on nodes, ``label`` is the entity's name
and the schema label is ``schema_label``; on edges, ``label`` is the relationship type, there is
no ``type``, and ``id`` repeats the edge key; lists are their liststring text; the graph
attributes are ``mode``, ``node_default`` and ``edge_default`` instead of ours. `read_gexf`
undoes each of these.
"""

from __future__ import annotations

import json
import re
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

__all__ = ["SCHEMA_LABEL", "generate_gexf", "liststring", "parse_liststring", "read_gexf", "write_gexf"]

NS = "http://gexf.net/1.3"
SCHEMA_LABEL = "schema_label"
"""The GEXF attribute that holds a node's schema label (GEXF's own ``label`` is the name)."""
_EDGE_TAKEN = ("label", "kind", "weight", "id", "networkx_key")
_TYPES = {"string": "string", "int": "long", "number": "double", "bool": "boolean", "list[string]": "liststring", "json": "string"}


def liststring(items: list[str]) -> str:
    """A list of text as Gephi reads a ``liststring``: ``["a", "b \\"c\\""]``.

    >>> print(liststring(['St. Lucia', 'say "hi"']))
    ["St. Lucia", "say \\"hi\\""]
    """
    return "[" + ", ".join('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"' for s in items) + "]"


_ITEM = re.compile(r'"((?:[^"\\]|\\.)*)"', re.DOTALL)
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


def parse_liststring(text: str) -> list[str]:
    """The items of a ``liststring`` `liststring` wrote (every item quoted).

    >>> parse_liststring('["St. Lucia", "say \\\\"hi\\\\""]')
    ['St. Lucia', 'say "hi"']
    """
    inner = text.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        raise ValueError(f"not a list: {text!r}")
    items = _ITEM.findall(inner[1:-1])
    rest = _ITEM.sub("", inner[1:-1]).replace(",", "").strip()
    if rest:
        raise ValueError(f"unquoted list items in {text!r}")
    return [_UNESCAPE.sub(r"\1", s) for s in items]


def _value(value: Any, kind: str, what: str) -> str:
    scalar = scalar_text(value, kind)
    if scalar is not None:
        return scalar
    if kind == "list[string]":
        return xml_attr(liststring(value), what)
    if kind == "json":
        return xml_attr(json_text(value), what)
    return xml_attr(str(value), what)


def _attvalues(values: dict[str, Any], ids: dict[str, str], kinds: dict[str, str], what: str) -> str:
    if not values:
        return ""
    inner = "".join(f'<attvalue for="{ids[k]}" value="{_value(v, kinds[k], f"{what}, {k!r}")}" />' for k, v in values.items())
    return f"<attvalues>{inner}</attvalues>"


def generate_gexf(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> Iterator[str]:
    """Yield the GEXF document of `G`, piece by piece (pure: no I/O).

    The whole graph is checked against the schema (`graph.model`) before the first piece.
    """
    model = model_for(G, schema)
    rows = model.rows(G)
    cols = exchange_columns(model, rows)
    if SCHEMA_LABEL in cols.node:
        raise ExportError(f"node attribute {SCHEMA_LABEL!r} cannot be written to GEXF: it holds the schema label there; rename it")
    taken = sorted(set(_EDGE_TAKEN) & cols.edge.keys())
    if taken:
        raise ExportError(f"edge attribute {taken[0]!r} cannot be written to GEXF, which gives it a meaning of its own; rename it")
    node_kinds = {(SCHEMA_LABEL if k == LABEL else k): t for k, t in cols.node.items()}
    edge_kinds = {k: t for k, t in cols.edge.items() if k != TYPE}
    ids = {"node": {k: str(i) for i, k in enumerate(node_kinds)}, "edge": {k: str(i) for i, k in enumerate(edge_kinds)}}
    meta = {
        "graph": rows.graph,
        "json": {"node": [k for k, t in node_kinds.items() if t == "json"], "edge": [k for k, t in edge_kinds.items() if t == "json"]},
    }
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield (
        f'<gexf xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{NS} {NS}/gexf.xsd" version="1.3">\n'
    )
    yield f"  <meta><creator>cubamed</creator><description>{xml_text(json_text(meta), 'the graph attributes')}</description></meta>\n"
    yield '  <graph defaultedgetype="directed" mode="static">\n'
    for scope, kinds in (("node", node_kinds), ("edge", edge_kinds)):
        if kinds:
            yield f'    <attributes class="{scope}" mode="static">\n'
            for name, kind in kinds.items():
                title = xml_attr(name, f"{scope} attribute {name!r}")
                yield f'      <attribute id="{ids[scope][name]}" title="{title}" type="{_TYPES[kind]}" />\n'
            yield "    </attributes>\n"
    with task("Writing GEXF", len(rows.nodes) + len(rows.relations)) as advance:
        yield "    <nodes>\n"
        for n in rows.nodes:
            what = f"entity {n.id!r}"
            name = model.name_of(n.id, n.properties)
            values = {SCHEMA_LABEL: n.label, **n.properties}
            yield (
                f'      <node id="{xml_attr(n.id, what)}" label="{xml_attr(name, what)}">'
                f"{_attvalues(values, ids['node'], node_kinds, what)}</node>\n"
            )
            advance(1)
        yield "    </nodes>\n    <edges>\n"
        for r in rows.relations:
            what = f"relationship {r.id!r}"
            ends = f'id="{xml_attr(r.id, what)}" source="{xml_attr(r.start, what)}" target="{xml_attr(r.end, what)}"'
            kind = xml_attr(r.type, what)
            yield f'      <edge {ends} label="{kind}" kind="{kind}">{_attvalues(r.properties, ids["edge"], edge_kinds, what)}</edge>\n'
            advance(1)
        yield "    </edges>\n"
    yield "  </graph>\n</gexf>\n"


def write_gexf(G: nx.MultiDiGraph, path: str | Path, *, schema: Schema | None = None) -> Path:
    """Write `G` as GEXF 1.3 to `path` (UTF-8, via a temporary file renamed into place)."""
    return write_generated(path, generate_gexf(G, schema=schema), what="GEXF file")


def _meta_and_lists(path: Path) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The JSON in <meta><description>, and the liststring attributes by class."""
    meta: dict[str, Any] = {}
    lists: dict[str, set[str]] = {"node": set(), "edge": set()}
    for _, elem in ET.iterparse(path, events=("end",)):
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag == "description" and elem.text:
            meta = json.loads(elem.text)
        elif tag == "attributes":
            for a in elem:
                if a.get("type") == "liststring":
                    lists.setdefault(elem.get("class", ""), set()).add(a.get("title", ""))
        elif tag in ("nodes", "edges"):
            break
    return meta, lists


def read_gexf(path: str | Path) -> nx.MultiDiGraph:
    """Read a GEXF file `write_gexf` wrote back into a graph equal to the one written.

    networkx's reader does the parsing; then each node's ``label`` is the schema label again
    (from ``schema_label``), each edge's ``type`` the relationship type (from GEXF's ``label``),
    the ``id`` networkx adds to every edge goes, lists and JSON texts are decoded, and the graph
    attributes are those written in ``<meta>``.
    """
    p = Path(path)
    try:
        G = nx.read_gexf(p, node_type=str)
        meta, lists = _meta_and_lists(p)
    except (OSError, ET.ParseError, ValueError, nx.NetworkXError) as exc:
        raise ExportError(f"{p}: cannot read it as GEXF ({exc})") from exc
    if not isinstance(G, nx.MultiDiGraph):
        G = nx.MultiDiGraph(G)
    encoded = meta.get("json", {})
    try:
        for _, d in G.nodes(data=True):
            d.pop(LABEL, None)
            if SCHEMA_LABEL in d:
                d[LABEL] = d.pop(SCHEMA_LABEL)
            for k in lists["node"] & d.keys():
                d[k] = parse_liststring(d[k])
            for k in set(encoded.get("node", ())) & d.keys():
                d[k] = json.loads(d[k])
        for _, _, d in G.edges(data=True):
            d.pop("id", None)
            if LABEL in d:
                d[TYPE] = d.pop(LABEL)
            for k in lists["edge"] & d.keys():
                d[k] = parse_liststring(d[k])
            for k in set(encoded.get("edge", ())) & d.keys():
                d[k] = json.loads(d[k])
    except ValueError as exc:
        raise ExportError(f"{p}: an attribute declared as a list or as JSON text cannot be decoded ({exc})") from exc
    G.graph.clear()
    G.graph.update(meta.get("graph", {}))
    return G
