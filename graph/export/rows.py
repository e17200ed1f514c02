"""What the three Neo4j exporters share: the value conversion rule, the marker of what cubamed
wrote, the rows grouped so that labels and types are static query text, and `cypher/schema.cypher`.

Pure: nothing here opens a file or a connection, except `schema_statements`, which reads
`cypher/schema.cypher` when called.

**The marker.** Every node this tool writes carries the extra label ``Cubamed`` (with a
uniqueness constraint on ``id``: the graph-wide key every export MERGEs on), and every
relationship carries the property ``_cubamed: true``. `prune` deletes only marked things, so
nodes and relationships that other tools put in the same database are never touched.

**The conversion rule** (`neo4j_value`), the same for Bolt, the Cypher script and the CSV files:

- ``None`` means "no property": the key is left out (Neo4j cannot store null).
- ``str``, ``bool``, ``float`` and ``int`` in the signed 64-bit range are stored as they are;
  a larger ``int`` becomes its decimal string.
- ``datetime.date``, ``datetime.datetime`` and ``datetime.time`` become ISO 8601 strings.
- A list, tuple or set whose items are all of one of those scalar kinds (no ``None``, not
  ``int`` mixed with ``float`` or ``str``, no nested containers) becomes a list of the converted
  items; sets are sorted first so the output is deterministic.
- Everything else Neo4j cannot store (a map, a list with nulls, mixed types or nested lists,
  any other object) becomes a JSON string (keys sorted, non-ASCII kept, unknown objects via
  ``str``).

The rule is one-way: `read_neo4j` gives back what Neo4j stores (a JSON string stays a string).
The graphs `graph.load()` builds only hold strings, numbers, booleans and lists of strings, so
they round-trip exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..locations import cypher_dir
from ..schema import Schema

__all__ = [
    "MARKER_LABEL",
    "MARKER_PROPERTY",
    "NodeGroup",
    "RelationshipGroup",
    "neo4j_value",
    "node_groups",
    "node_merge_query",
    "quote_name",
    "relationship_groups",
    "relationship_merge_query",
    "schema_statements",
]

MARKER_LABEL = "Cubamed"
"""Extra label on every node cubamed writes; `Cubamed.id` is unique across the graph."""
MARKER_PROPERTY = "_cubamed"
"""Property (``true``) on every relationship cubamed writes."""

_INT64 = (-(2**63), 2**63 - 1)
_SCALARS = (bool, int, float, str)
_NO = object()  # "not a scalar Neo4j stores"


def _scalar(v: Any) -> Any:
    """A scalar Neo4j stores as is, or the converted form of a date/time; `_NO` when neither."""
    if isinstance(v, (bool, float, str)):
        return v
    if isinstance(v, int):
        return v if _INT64[0] <= v <= _INT64[1] else str(v)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    return _NO


def _kind(v: Any) -> type:
    """The Neo4j kind of a converted scalar: bool, int, float or str."""
    for t in _SCALARS:
        if isinstance(v, t):
            return t
    raise AssertionError(v)  # pragma: no cover


def _json(v: Any) -> str:
    def default(o: Any) -> Any:
        if isinstance(o, (set, frozenset)):
            return sorted(o, key=repr)
        if isinstance(o, (dt.date, dt.datetime, dt.time)):
            return o.isoformat()
        return str(o)

    return json.dumps(v, sort_keys=True, ensure_ascii=False, default=default)


def neo4j_value(v: Any) -> Any:
    """Convert one value by the documented rule (see the module docstring); None stays None."""
    if v is None:
        return None
    s = _scalar(v)
    if s is not _NO:
        return s
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=repr) if isinstance(v, (set, frozenset)) else list(v)
        conv = [_scalar(x) if x is not None else _NO for x in items]
        if all(c is not _NO for c in conv) and len({_kind(c) for c in conv}) <= 1:
            return conv
        return _json(items)
    return _json(v)


def _props(attrs: Mapping[str, Any], skip: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if k in skip:
            continue
        c = neo4j_value(v)
        if c is not None:
            out[str(k)] = c
    return out


@dataclass(frozen=True)
class NodeGroup:
    """Nodes of one schema label, sanctioned or not: one static MERGE query serves them all.

    Each row is the node's full property map, `id` included (the marker is a label).
    """

    label: str
    sanctioned: bool
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class RelationshipGroup:
    """Relationships of one (start label, type, end label): one static MERGE query serves them.

    Each row is ``{"s": start id, "t": end id, "id": relationship id, "p": properties}``;
    `p` includes `id` and the marker property.
    """

    start: str
    type: str
    end: str
    rows: list[dict[str, Any]]


def node_groups(G: nx.MultiDiGraph, schema: Schema) -> list[NodeGroup]:
    """Every node as a row, grouped by (label, sanctioned), labels checked against the schema."""
    groups: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        label = attrs.get("label")
        if label not in schema.labels:
            raise ExportError(
                f"entity {node!r}: label {label!r} is not one of the schema's labels ({', '.join(schema.labels)}); "
                "fix the data or data/schema.yaml"
            )
        if not isinstance(node, str):
            raise ExportError(f"entity {node!r}: ids must be strings")
        row = _props(attrs, ("label", "id"))
        row["id"] = node
        groups[(str(label), bool(attrs.get("sanctioned")))].append(row)
    order = list(schema.labels)
    return [NodeGroup(lab, s, rows) for (lab, s), rows in sorted(groups.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))]


def relationship_groups(G: nx.MultiDiGraph, schema: Schema) -> list[RelationshipGroup]:
    """Every relationship as a row, grouped by (start label, type, end label), checked against the schema."""
    allowed = schema.endpoint_pairs()
    allowed_set = set(allowed)
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    labels = G.nodes(data="label")
    for u, v, key, attrs in G.edges(keys=True, data=True):
        triple = (labels[u], attrs.get("type"), labels[v])
        if triple not in allowed_set:
            raise ExportError(
                f"relationship {key!r} ({u} -[{triple[1]}]-> {v}): {triple[0]} -[{triple[1]}]-> {triple[2]} "
                "is not allowed by the schema; fix the data or data/schema.yaml"
            )
        p = _props(attrs, ("type", "id"))
        p["id"] = str(key)
        p[MARKER_PROPERTY] = True
        groups[triple].append({"s": u, "t": v, "id": str(key), "p": p})
    return [RelationshipGroup(s, t, e, groups[(s, t, e)]) for (s, t, e) in allowed if (s, t, e) in groups]


def batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """`rows` in consecutive slices of at most `size`."""
    if size < 1:
        raise ExportError(f"batch size must be at least 1, not {size}")
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def quote_name(name: str) -> str:
    """A label, type or property name as Cypher text: bare when simple, else in backticks."""
    return name if _NAME.match(name) else "`" + name.replace("`", "``") + "`"


def node_merge_query(schema: Schema, label: str, sanctioned: bool, rows: str = "$rows") -> str:
    """The static MERGE of one node group; `rows` is the list expression (a parameter or a literal).

    Labels are written only from the schema's allow-list. A node whose label changed since the
    last export loses the old one (REMOVE of every other schema label); a node no longer
    sanctioned loses the Sanctioned label.
    """
    if label not in schema.labels:
        raise ExportError(f"label {label!r} is not in the schema")
    add = [label, schema.sanctioned_label] if sanctioned else [label]
    remove = [lab for lab in schema.labels if lab != label]
    if not sanctioned:
        remove.append(schema.sanctioned_label)
    return (
        f"UNWIND {rows} AS row\n"
        f"MERGE (n:{MARKER_LABEL} {{id: row.id}})\n"
        f"SET n = row, n:{':'.join(quote_name(x) for x in add)}\n"
        f"REMOVE n:{':'.join(quote_name(x) for x in remove)}"
    )


def relationship_merge_query(schema: Schema, start: str, rtype: str, end: str, rows: str = "$rows") -> str:
    """The static MERGE of one relationship group: both endpoints matched by label and id."""
    if (start, rtype, end) not in set(schema.endpoint_pairs()):
        raise ExportError(f"{start} -[{rtype}]-> {end} is not allowed by the schema")
    return (
        f"UNWIND {rows} AS row\n"
        f"MATCH (a:{quote_name(start)} {{id: row.s}})\n"
        f"MATCH (b:{quote_name(end)} {{id: row.t}})\n"
        f"MERGE (a)-[r:{quote_name(rtype)} {{id: row.id}}]->(b)\n"
        f"SET r = row.p"
    )


def schema_path() -> Path:
    """`cypher/schema.cypher`: the one place the constraints and indexes live."""
    return cypher_dir() / "schema.cypher"


def split_statements(text: str) -> list[str]:
    """Cypher statements of a script: `//` comment lines dropped, split at `;` ending a line."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in re.split(r";[ \t]*(?:\n|$)", "\n".join(lines)) if s.strip()]


def schema_statements(path: str | Path | None = None) -> list[str]:
    """The statements of `cypher/schema.cypher` (or `path`), in file order."""
    p = Path(path) if path is not None else schema_path()
    try:
        return split_statements(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(f"{p}: cannot read the constraints file ({exc.strerror}); it ships in cypher/schema.cypher") from exc
