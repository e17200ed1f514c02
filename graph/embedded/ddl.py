"""The embedded engine's tables, generated from the schema file, and the Arrow tables its bulk load reads.

Pure: nothing here opens a database. The layout is the one that loads fastest and that the
translator (`translate.py`) maps Neo4j's patterns onto:

- one node table `Entity`: `id` (primary key), `_cubamed_label` (the node's label), then every
  property of every label (the union; a property must have one type across labels), then
  `sanctioned` and `sanctioned_by`;
- one relationship table `Relationship` from `Entity` to `Entity`: `_cubamed_type` (the type),
  `_cubamed` (always true, as the property the Neo4j export writes), `id` (the edge key), then the
  relationship properties.

The engine keeps one physical table per (from, to) pair of a relationship table: with a table per
label and per type our schema made 206 pairs and a million relationships took 21.6 s to load; one
pair loads them in a few seconds (README, benchmarks). `node_tables` / `rel_tables` turn a
`MultiDiGraph` into typed Arrow tables (only the columns that have a value).

Property types map to engine types as follows (dates stay ISO strings, as in the graph, so that
partial dates such as ``2020-03`` survive; `date()` in a query reads them):

=============  =========
schema type    column
=============  =========
string         STRING
int            INT64
number         DOUBLE
bool           BOOLEAN
date           STRING
list[string]   STRING[]
enum, ref      STRING
=============  =========
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SchemaError
from ..schema import Schema

if TYPE_CHECKING:
    import networkx as nx
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs in the dev group (pyarrow-stubs)

__all__ = [
    "ENGINE_TYPES",
    "NODE_TABLE",
    "REL_TABLE",
    "copy_statement",
    "generate_ddl",
    "node_columns",
    "node_tables",
    "rel_columns",
    "rel_tables",
]

NODE_TABLE, REL_TABLE = "Entity", "Relationship"
LABEL_COLUMN, TYPE_COLUMN, MARKER_COLUMN = "_cubamed_label", "_cubamed_type", "_cubamed"

ENGINE_TYPES = {
    "string": "STRING",
    "int": "INT64",
    "number": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "STRING",
    "list[string]": "STRING[]",
    "enum": "STRING",
    "ref": "STRING",
}


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


INT_FLAG = "_cubamed_int_"  # + name: BOOLEAN beside a `number` column holding integers and floats

#: property name → "int" (a `number` whose values are all integers: INT64, as Neo4j stores integers)
#: or "mixed" (integers and floats: DOUBLE, with an INT_FLAG column saying which were integers)
NumberKinds = dict[str, str]


def number_kinds(rows: list[dict[str, Any]], names: Iterable[str]) -> NumberKinds:
    """What the values of the `number` properties `names` are, in one pass per property over `rows`."""
    out: NumberKinds = {}
    for name in names:
        values = [r.get(name) for r in rows]
        types = set(map(type, values)) - {type(None)}
        if types == {int}:
            out[name] = "int"
        elif int in types and any(isinstance(v, float) and v == v for v in values):  # NaN is a missing value
            out[name] = "mixed"
        elif int in types:
            out[name] = "int"
    return out


def _number_names(types: dict[str, str]) -> list[str]:
    return [n for n, t in types.items() if t == "number"]


def _node_types(schema: Schema) -> dict[str, str]:
    return {n: p.type for label in schema.labels for n, p in schema.node_properties_of(label).items()}


def _engine_type(schema_type: str, kind: str | None) -> str:
    return "INT64" if schema_type == "number" and kind == "int" else ENGINE_TYPES[schema_type]


def node_columns(schema: Schema, kinds: NumberKinds | None = None) -> dict[str, str]:
    """Column name → engine type of the node table: `id`, the label, every label's properties, the
    sanction columns (`kinds` types the `number` properties by their values)."""
    kinds = kinds or {}
    cols = {"id": "STRING", LABEL_COLUMN: "STRING"}
    seen: dict[str, str] = {}
    for label in schema.labels:
        for name, p in schema.node_properties_of(label).items():
            engine_type = _engine_type(p.type, kinds.get(name))
            if name in cols and cols[name] != engine_type:
                raise SchemaError(
                    f"{schema.path}: property {name} is {cols[name]} on {seen[name]} but {engine_type} on {label}; "
                    "the embedded engine keeps one column per property: give it one type"
                )
            cols.setdefault(name, engine_type)
            seen.setdefault(name, label)
    flags = {INT_FLAG + n: "BOOLEAN" for n, k in kinds.items() if k == "mixed"}
    return {**cols, "sanctioned": "BOOLEAN", "sanctioned_by": "STRING[]", **flags}


def rel_columns(schema: Schema, kinds: NumberKinds | None = None) -> dict[str, str]:
    """Column name → engine type of the relationship table: the type, the marker, `id` (the edge
    key), the properties (`kinds` types the `number` properties by their values)."""
    kinds = kinds or {}
    props = {name: _engine_type(p.type, kinds.get(name)) for name, p in schema.relationship_properties.items()}
    flags = {INT_FLAG + n: "BOOLEAN" for n, k in kinds.items() if k == "mixed"}
    return {TYPE_COLUMN: "STRING", MARKER_COLUMN: "BOOLEAN", "id": "STRING", **props, **flags}


def _ddl(node_cols: dict[str, str], rel_cols: dict[str, str]) -> Iterator[str]:
    cols = ", ".join(f"{_ident(c)} {t}" for c, t in node_cols.items())
    yield f"CREATE NODE TABLE {_ident(NODE_TABLE)}({cols}, PRIMARY KEY(`id`))"
    props = ", ".join(f"{_ident(c)} {t}" for c, t in rel_cols.items())
    yield f"CREATE REL TABLE {_ident(REL_TABLE)}(FROM {_ident(NODE_TABLE)} TO {_ident(NODE_TABLE)}, {props})"


def generate_ddl(schema: Schema, G: nx.MultiDiGraph | None = None) -> Iterator[str]:
    """Yield the statements that create the engine's two tables for `schema` (typed by the values of `G`).

    >>> from graph.schema import load_schema
    >>> ddl = list(generate_ddl(load_schema()))
    >>> ddl[0][:70]
    'CREATE NODE TABLE `Entity`(`id` STRING, `_cubamed_label` STRING, `name'
    >>> ddl[1][:70]
    'CREATE REL TABLE `Relationship`(FROM `Entity` TO `Entity`, `_cubamed_t'
    """
    if G is None:
        yield from _ddl(node_columns(schema), rel_columns(schema))
        return
    plan = load_plan(G, schema)
    yield from _ddl(plan.node_columns, plan.rel_columns)


def _cast(value: Any, engine_type: str) -> Any:
    if value is None or value != value:  # None or NaN
        return None
    if engine_type == "STRING":
        return value if isinstance(value, str) else str(value)
    if engine_type == "DOUBLE":
        return float(value)
    if engine_type == "INT64":
        return int(value)
    if engine_type == "BOOLEAN":
        return bool(value)
    if engine_type == "STRING[]":
        return [str(v) for v in value]
    return value


def _arrow_type(engine_type: str) -> pa.DataType:
    import pyarrow as pa

    return {
        "STRING": pa.string(),
        "INT64": pa.int64(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "STRING[]": pa.list_(pa.string()),
    }[engine_type]


def _property_columns(rows: list[dict[str, Any]], columns: dict[str, str]) -> dict[str, pa.Array]:
    """Typed Arrow columns of `columns` from attribute dicts, leaving out the columns that are null throughout.

    The dicts are converted in one pass in C++ (as a struct array); when a value does not fit its
    column's type (a number in a string column, say) that table falls back to converting in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    flags = [c for c in columns if c.startswith(INT_FLAG)]
    if flags:  # which values of a mixed number column are integers
        rows = [{**r, **{f: isinstance(r.get(f[len(INT_FLAG) :]), int) for f in flags}} for r in rows]
    types = {c: _arrow_type(t) for c, t in columns.items()}
    try:
        arrays = dict(zip(types, pa.array(rows, type=pa.struct(list(types.items()))).flatten(), strict=True))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        arrays = {c: pa.array([_cast(r.get(c), columns[c]) for r in rows], type=t) for c, t in types.items()}
    out: dict[str, pa.Array] = {}
    for c, arr in arrays.items():
        if pa.types.is_floating(arr.type) and pc.any(pc.is_nan(arr)).as_py():
            arr = pc.if_else(pc.is_nan(arr), pa.scalar(None, arr.type), arr)  # NaN is a missing value, as in pandas
        if arr.null_count < len(arr):
            out[c] = arr
    return out


@dataclass
class LoadPlan:
    """The engine's columns and the Arrow tables `COPY` reads, from one pass over the graph."""

    node_columns: dict[str, str]
    rel_columns: dict[str, str]
    nodes: pa.Table | None
    rels: pa.Table | None

    def ddl(self) -> Iterator[str]:
        return _ddl(self.node_columns, self.rel_columns)


def load_plan(G: nx.MultiDiGraph, schema: Schema) -> LoadPlan:
    """Read `G` once: its rows, how its `number` properties are typed, the two Arrow tables."""
    import pyarrow as pa

    ids, labels, node_rows = [], [], []
    for node, d in G.nodes(data=True):
        ids.append(node)
        labels.append(d["label"])
        node_rows.append(d)
    froms: list[str] = []
    tos: list[str] = []
    types: list[str] = []
    keys: list[str] = []
    rel_rows: list[dict[str, Any]] = []
    enabled = gc.isenabled()
    gc.disable()  # a million appended items would trigger many useless collections
    try:
        for u, v, key, d in G.edges(keys=True, data=True):
            froms.append(u)
            tos.append(v)
            types.append(d["type"])
            keys.append(str(key))
            rel_rows.append(d)
    finally:
        if enabled:
            gc.enable()
    node_cols = node_columns(schema, number_kinds(node_rows, _number_names(_node_types(schema))))
    rel_types = {n: p.type for n, p in schema.relationship_properties.items()}
    rel_cols = rel_columns(schema, number_kinds(rel_rows, _number_names(rel_types)))
    nodes = rels = None
    if node_rows:
        props = {c: t for c, t in node_cols.items() if c not in ("id", LABEL_COLUMN)}
        lead = {"id": pa.array(ids, pa.string()), LABEL_COLUMN: pa.array(labels, pa.string())}
        nodes = pa.table({**lead, **_property_columns(node_rows, props)})
    if rel_rows:
        props = {c: t for c, t in rel_cols.items() if c not in (TYPE_COLUMN, MARKER_COLUMN, "id")}
        lead = {
            "from": pa.array(froms, pa.string()),
            "to": pa.array(tos, pa.string()),
            TYPE_COLUMN: pa.array(types, pa.string()),
            MARKER_COLUMN: pa.repeat(pa.scalar(True), len(rel_rows)),
            "id": pa.array(keys, pa.string()),
        }
        rels = pa.table({**lead, **_property_columns(rel_rows, props)})
    return LoadPlan(node_cols, rel_cols, nodes, rels)


def node_tables(G: nx.MultiDiGraph, schema: Schema) -> Iterator[tuple[str, pa.Table]]:
    """Yield (table, Arrow table) for the node table: `id`, `_cubamed_label`, then the columns that have a value."""
    plan = load_plan(G, schema)
    if plan.nodes is not None:
        yield NODE_TABLE, plan.nodes


def rel_tables(G: nx.MultiDiGraph, schema: Schema) -> Iterator[tuple[str, pa.Table]]:
    """Yield (table, Arrow table) for the relationship table.

    Columns: `from`, `to`, `_cubamed_type`, `_cubamed`, `id` (the edge key), then the relationship
    properties that have a value.
    """
    plan = load_plan(G, schema)
    if plan.rels is not None:
        yield REL_TABLE, plan.rels


def copy_statement(table: str, columns: Iterable[str]) -> str:
    """`COPY` into `table` from the parameter `$data`, naming the columns it fills (the rest stay null).

    >>> copy_statement("Relationship", ["_cubamed_type", "id"])
    'COPY `Relationship`(`_cubamed_type`, `id`) FROM $data'
    """
    return f"COPY {_ident(table)}({', '.join(_ident(c) for c in columns)}) FROM $data"
