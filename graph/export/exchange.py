"""What the exchange formats (GraphML, GEXF) share: one type per attribute, and XML text.

Both formats declare each attribute once, with one type, for all nodes (or all edges). The type
comes from the schema (`graph.model`): ``string``, ``enum``, ``ref`` and ``date`` are text,
``int`` a 64-bit integer, ``number`` a double, ``bool`` a boolean, ``list[string]`` a list of
text. An attribute the schema does not declare gets the one type that holds all its values
(`graph.model.infer_type`): ints and floats together are doubles, anything else mixed (or maps,
lists of non-text) is JSON text. The same property declared with two different types by two
labels cannot be one attribute: that is an error, not a guess.

XML cannot hold most control characters (U+0000 to U+001F but tab, newline and carriage return):
a value holding one is an error naming the record, never a file no reader can open.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ExportError
from ..model import LABEL, TYPE, GraphRows, Model, infer_type, one_type_each

__all__ = ["Columns", "exchange_columns", "json_text", "number_text", "scalar_text", "xml_attr", "xml_text"]

_PLAIN = {"string": "string", "enum": "string", "ref": "string", "date": "string", "int": "int", "number": "number", "bool": "bool"}


def _plain(schema_type: str) -> str:
    return _PLAIN.get(schema_type, schema_type)  # list[string] and json stay


@dataclass(frozen=True)
class Columns:
    """The attributes of a graph's nodes, edges and graph, each with its one type, in writing order."""

    graph: dict[str, str]
    node: dict[str, str]
    edge: dict[str, str]


def exchange_columns(model: Model, rows: GraphRows) -> Columns:
    """The one type of every attribute present in `rows`: schema order first, then the undeclared ones sorted."""
    types, clash = one_type_each((label, n, _plain(c.type)) for label in model.labels for n, c in model.node_columns(label).items())
    if clash:
        raise ExportError(
            f"{model.schema.path}: {clash}; an exchange format has one type per attribute: give it one type, or rename one of them"
        )
    node: dict[str, str] = {LABEL: "string", **types}
    undeclared_nodes: dict[str, list[Any]] = {}
    used_nodes = {LABEL}
    for r in rows.nodes:
        declared = model.node_columns(r.label)
        for k, v in r.properties.items():
            if k in declared:
                used_nodes.add(k)
            else:
                undeclared_nodes.setdefault(k, []).append(v)
    edge: dict[str, str] = {TYPE: "string", **{n: _plain(c.type) for n, c in model.relation_columns().items()}}
    declared_edges = model.relation_columns()
    used_edges = {TYPE}
    undeclared_edges: dict[str, list[Any]] = {}
    for rel in rows.relations:
        for k, v in rel.properties.items():
            if k in declared_edges:
                used_edges.add(k)
            else:
                undeclared_edges.setdefault(k, []).append(v)
    nodes = {k: t for k, t in node.items() if k in used_nodes}
    for k in sorted(undeclared_nodes):
        if k in node:  # declared for another label only: it must still fit that declaration
            t, v = node[k], infer_type(undeclared_nodes[k])
            nodes[k] = t if t == v or (t == "number" and v == "int") else "json"
        else:
            nodes[k] = infer_type(undeclared_nodes[k])
    edges = {k: t for k, t in edge.items() if k in used_edges}
    edges.update({k: infer_type(vs) for k, vs in sorted(undeclared_edges.items())})
    graph = {k: infer_type([v]) for k, v in rows.graph.items() if v is not None}
    return Columns(graph, nodes, edges)


def json_text(value: Any) -> str:
    """A list or any JSON value as compact JSON text (non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), allow_nan=True)


def number_text(value: float) -> str:
    """A double as text every reader takes: ``Infinity`` and ``-Infinity`` (Java's and Python's spelling)."""
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def scalar_text(value: Any, kind: str) -> str | None:
    """A ``bool``, ``int`` or ``number`` value as GraphML and GEXF write it; None for text, lists and JSON."""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "number":
        return number_text(float(value))
    return None


_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check(text: str, what: str) -> None:
    bad = _BAD_XML.search(text)
    if bad:
        raise ExportError(f"{what}: the control character U+{ord(bad.group()):04X} cannot be written in XML; remove it from the data")


def xml_text(text: str, what: str) -> str:
    """`text` escaped as XML element content (a carriage return kept as ``&#13;``, not normalised away)."""
    _check(text, what)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str, what: str) -> str:
    """`text` escaped as a double-quoted XML attribute value (tabs and line breaks as character references)."""
    _check(text, what)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )
