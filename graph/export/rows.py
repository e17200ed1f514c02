"""What the three Neo4j exporters share: how the model's rows (`graph.model`) become Neo4j values,
the marker of what cubamed wrote, the rows grouped so that labels and types are static query
text, and the constraints and indexes generated from the schema.

Pure: nothing here opens a file or a connection.

**The marker.** Every node this tool writes carries the extra label ``Cubamed`` (with a
uniqueness constraint on the key, ``id``: the graph-wide key every export MERGEs on), and every
relationship carries the property ``_cubamed: true``. `prune` deletes only marked things, so
nodes and relationships that other tools put in the same database are never touched.

**Neo4j values** (`neo4j_value`), the same for Bolt, the Cypher script and the CSV files. The
model has already typed every value by the schema and left out missing ones; what Neo4j cannot
store is then written so:

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ExportError, SchemaError
from ..model import GraphRows, Model, NodeRow, RelationRow, model_of, no_gc
from ..project import model_for
from ..schema import Schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "MARKER_LABEL",
    "MARKER_PROPERTY",
    "NodeGroup",
    "RelationshipGroup",
    "generate_schema_cypher",
    "neo4j_groups",
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


def _props(properties: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in properties.items():
        t = type(v)
        if t is str or t is float or t is bool:  # the model's common values, stored as they are
            out[k] = v
            continue
        if t is list and all(type(x) is str for x in v):  # names, aliases: what `neo4j_value` makes of them
            out[k] = v[:]
            continue
        c = neo4j_value(v)
        if c is not None:
            out[str(k)] = c
    return out


@dataclass(frozen=True)
class NodeGroup:
    """Nodes of one schema label, sanctioned or not: one static MERGE query serves them all.

    Each row is the node's full property map, the key (`id`) included (the marker is a label).
    """

    label: str
    sanctioned: bool
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class RelationshipGroup:
    """Relationships of one (start label, type, end label): one static MERGE query serves them.

    Each row is ``{"s": start id, "t": end id, "id": relationship id, "p": properties}``;
    `p` includes the key (`id`) and the marker property.
    """

    start: str
    type: str
    end: str
    rows: list[dict[str, Any]]


def neo4j_groups(model: Model, rows: GraphRows) -> tuple[list[NodeGroup], list[RelationshipGroup]]:
    """The model's rows as Bolt parameters, grouped so that labels and types are static query text."""
    key = _key(model)

    def node(r: NodeRow) -> dict[str, Any]:
        p = _props(r.properties)
        p[key] = r.id
        return p

    def relation(r: RelationRow) -> dict[str, Any]:
        p = _props(r.properties)
        p[key] = r.id
        p[MARKER_PROPERTY] = True
        return {"s": r.start, "t": r.end, "id": r.id, "p": p}

    with no_gc():
        nodes = [NodeGroup(g.label, g.sanctioned, [node(r) for r in g.rows]) for g in model.node_groups(rows)]
        rels = [RelationshipGroup(g.start, g.type, g.end, [relation(r) for r in g.rows]) for g in model.relation_groups(rows)]
    return nodes, rels


def _key(model: Model) -> str:
    if model.key is None:
        raise ExportError(f"{model.schema.path}: the schema names no 'key' role; Neo4j exports MERGE on it (add `key: id` under roles)")
    return model.key


def node_groups(G: nx.MultiDiGraph, schema: Schema | None = None) -> list[NodeGroup]:
    """Every node as a Bolt row, grouped by (label, sanctioned); the graph is checked against the schema."""
    model = model_for(G, schema)
    return neo4j_groups(model, model.rows(G))[0]


def relationship_groups(G: nx.MultiDiGraph, schema: Schema | None = None) -> list[RelationshipGroup]:
    """Every relationship as a Bolt row, grouped by (start label, type, end label), checked against the schema."""
    model = model_for(G, schema)
    return neo4j_groups(model, model.rows(G))[1]


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
    sanctioned loses the sanctioned label.
    """
    model = model_of(schema)
    if label not in model.labels:
        raise ExportError(f"label {label!r} is not in the schema")
    marker = [model.sanctioned_label] if model.sanctioned_label else []
    add = [label, *marker] if sanctioned else [label]
    remove = [lab for lab in model.labels if lab != label] + ([] if sanctioned else marker)
    key = quote_name(_key(model))
    return (
        f"UNWIND {rows} AS row\n"
        f"MERGE (n:{MARKER_LABEL} {{{key}: row.{key}}})\n"
        f"SET n = row, n:{':'.join(quote_name(x) for x in add)}\n"
        f"REMOVE n:{':'.join(quote_name(x) for x in remove)}"
    )


def relationship_merge_query(schema: Schema, start: str, rtype: str, end: str, rows: str = "$rows") -> str:
    """The static MERGE of one relationship group: both endpoints matched by label and key."""
    model = model_of(schema)
    if (start, rtype, end) not in model.endpoint_pairs:
        raise ExportError(f"{start} -[{rtype}]-> {end} is not allowed by the schema")
    key = quote_name(_key(model))
    return (
        f"UNWIND {rows} AS row\n"
        f"MATCH (a:{quote_name(start)} {{{key}: row.s}})\n"
        f"MATCH (b:{quote_name(end)} {{{key}: row.t}})\n"
        f"MERGE (a)-[r:{quote_name(rtype)} {{{key}: row.id}}]->(b)\n"
        f"SET r = row.p"
    )


def split_statements(text: str) -> list[str]:
    """Cypher statements of a script: `//` comment lines dropped, split at `;` ending a line."""
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in re.split(r";[ \t]*(?:\n|$)", "\n".join(lines)) if s.strip()]


def _index_name(*parts: str) -> str:
    return quote_name("_".join(p.lower() for p in parts))


def _extra_indexes(model: Model) -> list[str]:
    """The schema's `indexes:` (label or type -> properties) as CREATE INDEX statements."""
    spec = model.schema.raw.get("indexes") or {}
    where = model.schema.path
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}: 'indexes' must map a label or relationship type to a list of properties")
    out = []
    for target, props in spec.items():
        if not isinstance(props, list) or not all(isinstance(p, str) for p in props):
            raise SchemaError(f"{where}: indexes of {target!r} must be a list of property names")
        if target in model.labels:
            declared = model.node_columns(target)
            pattern = f"(n:{quote_name(target)})"
            var = "n"
        elif target in model.types:
            declared = model.relation_columns()
            pattern = f"()-[r:{quote_name(target)}]-()"
            var = "r"
        else:
            raise SchemaError(f"{where}: indexes name {target!r}, which is neither a label nor a relationship type")
        for p in props:
            if p not in declared:
                raise SchemaError(f"{where}: index on {target}.{p}: {target} has no property {p!r}")
            out.append(f"CREATE INDEX {_index_name(target, p)} IF NOT EXISTS FOR {pattern} ON ({var}.{quote_name(p)})")
    return out


def schema_statements(schema: Schema | None = None) -> list[str]:
    """The constraints and indexes of the graph in Neo4j, generated from the schema.

    A uniqueness constraint on the key of the marker label (the graph-wide key every export
    MERGEs on) and of every label, an index on the name of every label, then the schema's
    `indexes:`. Every statement is idempotent (``IF NOT EXISTS``).
    """
    model = model_for(None, schema)
    key = _key(model)
    k = quote_name(key)
    out = [f"CREATE CONSTRAINT {_index_name(MARKER_LABEL, key)} IF NOT EXISTS FOR (n:{MARKER_LABEL}) REQUIRE n.{k} IS UNIQUE"]
    out += [
        f"CREATE CONSTRAINT {_index_name(label, key)} IF NOT EXISTS FOR (n:{quote_name(label)}) REQUIRE n.{k} IS UNIQUE"
        for label in model.labels
    ]
    if model.name:
        out += [
            f"CREATE INDEX {_index_name(label, model.name)} IF NOT EXISTS FOR (n:{quote_name(label)}) ON (n.{quote_name(model.name)})"
            for label in model.labels
        ]
    return out + _extra_indexes(model)


_SCRIPT_HEAD = """\
// cubamed: the constraints and indexes of the graph in Neo4j 5 (Community or Enterprise, Aura).
//
// Generated from the schema (`python -m graph.docs README.md` rewrites this file; a test checks it is
// up to date). `cubamed export neo4j` runs these statements first, `cubamed export cypher` puts them
// at the top of its script, and `cubamed export neo4j-admin` ships them to run after the import.
// Every statement is idempotent (IF NOT EXISTS), so running it again changes nothing.
//
// The first constraint is on the marker label every node cubamed writes carries: its key is unique
// across the whole graph (the key every export MERGEs on, so a node whose label changes is updated,
// not duplicated). Then one uniqueness constraint per label (the exports match relationship ends by
// label and key, and analysts look entities up the same way), one index on the name per label, and
// the schema's `indexes:` for the analyst queries (cypher/queries/).
"""


def generate_schema_cypher(schema: Schema | None = None) -> str:
    """`schema_statements` as a script for cypher-shell, with a comment saying where it comes from."""
    return _SCRIPT_HEAD + "".join(s + ";\n" for s in schema_statements(schema))
