"""The embedded engine's tables, generated from the schema file, and the Arrow tables its bulk load reads.

Pure: nothing here opens a database. The layout is the one that loads fastest and that the
translator (`translate.py`) maps Neo4j's patterns onto:

- one node table `Entity`: `id` (primary key), `_cubamed_label` (the node's label), then every
  property of every label (the union; a property must have one type across labels), then the
  sanction marks the build adds (the schema's `sanctioned` and `sanctioned_by` roles);
- one relationship table `Relationship` from `Entity` to `Entity`: `_cubamed_type` (the type),
  `_cubamed` (always true, as the property the Neo4j export writes), `id` (the edge key), then the
  relationship properties.

A build (`load_plan`) creates only the relationship property columns some relationship holds, in
the schema's order: every column costs the engine's bulk load about 0.7 s CPU per million
relationships (stored for both directions), and most of the schema's properties are empty in a
given graph. The translator reads a schema property without a column as a typed null (Neo4j: an
absent property is null), and a `--write` database gets the missing columns before its first query
(`missing_columns`). The node table keeps every column: it is cheap (0.3 s for 100,000 nodes), and
a node read through a map (`{a: n}.a.x`) reaches the engine as a value of unknown kind, whose
missing field the engine refuses.

The engine keeps one physical table per (from, to) pair of a relationship table: with a table per
label and per type our schema made 206 pairs and a million relationships took 21.6 s to load; one
pair loads them in a few seconds (docs/benchmarks.md). `node_tables` / `rel_tables` turn a
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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..errors import SchemaError
from ..model import model_of, no_gc, one_type_each
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
    "missing_columns",
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


def number_kinds(rows: Sequence[dict[str, Any]], names: Iterable[str]) -> NumberKinds:
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
    types, clash = one_type_each(
        (label, n, _engine_type(p.type, kinds.get(n))) for label in schema.labels for n, p in schema.node_properties_of(label).items()
    )
    if clash:
        raise SchemaError(f"{schema.path}: {clash}; the embedded engine keeps one column per property: give it one type")
    cols = {"id": "STRING", LABEL_COLUMN: "STRING", **types}
    flags = {INT_FLAG + n: "BOOLEAN" for n, k in kinds.items() if k == "mixed"}
    m = model_of(schema)
    marks = {name: t for name, t in ((m.sanctioned, "BOOLEAN"), (m.sanctioned_by, "STRING[]")) if name}
    return {**cols, **marks, **flags}


def rel_columns(schema: Schema, kinds: NumberKinds | None = None) -> dict[str, str]:
    """Column name → engine type of the relationship table: the type, the marker, `id` (the edge
    key), the properties (`kinds` types the `number` properties by their values)."""
    kinds = kinds or {}
    props = {name: _engine_type(p.type, kinds.get(name)) for name, p in schema.relationship_properties.items()}
    flags = {INT_FLAG + n: "BOOLEAN" for n, k in kinds.items() if k == "mixed"}
    return {TYPE_COLUMN: "STRING", MARKER_COLUMN: "BOOLEAN", "id": "STRING", **props, **flags}


#: Relationship columns a build creates even when no row holds them: the translator reads them by name.
REL_ALWAYS = (TYPE_COLUMN, MARKER_COLUMN, "id")


def _held(columns: dict[str, str], table: pa.Table | None, always: Sequence[str]) -> dict[str, str]:
    """`columns` (in their order) that `table` fills, and the `always` ones."""
    filled = set(table.column_names) if table is not None else set()
    return {c: t for c, t in columns.items() if c in filled or c in always}


def missing_columns(schema: Schema, node: dict[str, str], rel: dict[str, str]) -> Iterator[str]:
    """The `ALTER TABLE ... ADD` statements that give the tables holding columns `node` and `rel` every
    column of `schema` (for writes: a build leaves out the columns no row holds)."""
    for table, held, full in ((NODE_TABLE, node, node_columns(schema)), (REL_TABLE, rel, rel_columns(schema))):
        for c, t in full.items():
            if c not in held:
                yield f"ALTER TABLE {_ident(table)} ADD {_ident(c)} {t}"


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

    flags = [c for c in columns if c.startswith(INT_FLAG)]
    if flags:  # which values of a mixed number column are integers
        rows = [{**r, **{f: isinstance(r.get(f[len(INT_FLAG) :]), int) for f in flags}} for r in rows]
    types = {c: _arrow_type(t) for c, t in columns.items()}
    try:
        arrays = dict(zip(types, pa.array(rows, type=pa.struct(list(types.items()))).flatten(), strict=True))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        arrays = {c: pa.array([_cast(r.get(c), columns[c]) for r in rows], type=t) for c, t in types.items()}
    return _typed(arrays, columns)


@dataclass
class LoadPlan:
    """The engine's columns and the Arrow tables `COPY` reads, from one pass over the graph."""

    node_columns: dict[str, str]
    rel_columns: dict[str, str]
    nodes: pa.Table | None
    rels: pa.Table | None

    def ddl(self) -> Iterator[str]:
        return _ddl(self.node_columns, self.rel_columns)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """(nodes per label, relationships per type) of the tables, sorted by name: what the engine
        must hold after the COPY (counted in Arrow, not by another pass over the graph)."""

        def count(table: pa.Table | None, column: str) -> dict[str, int]:
            if table is None:
                return {}
            found = table.column(column).value_counts()  # labels and types are never null here
            return dict(sorted(zip(found.field("values").to_pylist(), found.field("counts").to_pylist(), strict=True)))

        return count(self.nodes, LABEL_COLUMN), count(self.rels, TYPE_COLUMN)


def _edges(G: nx.MultiDiGraph) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any], Sequence[dict[str, Any]]]:
    """(starts, ends, keys, attribute dicts) of every edge of `G`, in `G.edges(keys=True, data=True)` order.

    A directed multigraph is read through `adjacency()` (the dicts networkx keeps, in the order
    `edges()` walks them) in one comprehension, then transposed: a third of the time of `edges()`.
    """
    if G.is_directed() and G.is_multigraph():  # called with the garbage collector paused (load_plan)
        ends = [(u, v, k, d) for u, nbrs in G.adjacency() for v, kd in nbrs.items() for k, d in kd.items()]
    else:
        ends = list(G.edges(keys=True, data=True))
    if not ends:
        return (), (), (), ()
    starts, stops, keys, rows = zip(*ends, strict=True)
    return starts, stops, keys, rows


def _present(rows: Sequence[dict[str, Any]]) -> set[Any]:
    """Every attribute name some row has (one pass in C)."""
    return set(chain.from_iterable(rows))


def _fast_columns(rows: Sequence[dict[str, Any]], tag: str, columns: dict[str, str], present: set[Any]) -> dict[str, pa.Array] | None:
    """The attribute `tag` (the label or type, as text) and the typed `columns` of `rows`, converted
    in one pass in C++; None when `_property_columns` (value by value) must do it instead.

    Only the columns some row has (`present`) are converted (the others are null throughout, and left out
    either way); a mixed number column's INT_FLAG is computed from its values alone. None when a
    value does not fit its column or `tag` is missing or not text: the slow path then converts
    exactly as before (or fails as before).
    """
    import pyarrow as pa

    flags = [c for c in columns if c.startswith(INT_FLAG)]
    wanted = {c: t for c, t in columns.items() if c in present and c not in flags}
    if tag in wanted:
        return None
    fields = [(tag, pa.string())] + [(c, _arrow_type(t)) for c, t in wanted.items()]
    try:
        flat = pa.array(rows, type=pa.struct(fields)).flatten()
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    arrays = dict(zip([name for name, _ in fields], flat, strict=True))
    if arrays[tag].null_count:
        return None
    for f in flags:  # which values of a mixed number column are integers (as the slow path's dicts say)
        name = f[len(INT_FLAG) :]
        arrays[f] = pa.array([isinstance(r.get(name), int) for r in rows], pa.bool_())
    return arrays


def _typed(arrays: dict[str, pa.Array], columns: dict[str, str]) -> dict[str, pa.Array]:
    """`arrays` in the order of `columns`: NaN made null, columns that are null throughout left out."""
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    out: dict[str, pa.Array] = {}
    for c in columns:
        arr = arrays.get(c)
        if arr is None:
            continue
        if pa.types.is_floating(arr.type) and pc.any(pc.is_nan(arr)).as_py():
            arr = pc.if_else(pc.is_nan(arr), pa.scalar(None, arr.type), arr)  # NaN is a missing value, as in pandas
        if arr.null_count < len(arr):
            out[c] = arr
    return out


def _text(values: Sequence[Any]) -> pa.Array:
    """Keys as text (`str` of each): in one pass when they are all `str` already, as `graph.load()` makes them."""
    import pyarrow as pa

    if set(map(type, values)) <= {str}:
        return pa.array(values, pa.string())
    return pa.array([str(v) for v in values], pa.string())


def load_plan(G: nx.MultiDiGraph, schema: Schema) -> LoadPlan:
    """Read `G` once: its rows, how its `number` properties are typed, the two Arrow tables.

    Column-wise: every column is one Arrow conversion (or one comprehension), never Python work per
    value, except a mixed number column's flag. Values that do not fit their column's type take the
    value-by-value path (`_property_columns`), which gives the same tables. The cyclic garbage
    collector is paused throughout: its collections, triggered by the objects made here, would each
    walk the whole graph (half the time of the rows; docs/benchmarks.md).
    """
    with no_gc():
        return _plan(G, schema)


def _plan(G: nx.MultiDiGraph, schema: Schema) -> LoadPlan:
    import pyarrow as pa

    ids, node_rows = (tuple(x) for x in zip(*G.nodes(data=True), strict=True)) if len(G) else ((), ())
    froms, tos, keys, rel_rows = _edges(G)
    node_keys, rel_keys = _present(node_rows), _present(rel_rows)
    node_numbers = [n for n in _number_names(_node_types(schema)) if n in node_keys]
    node_cols = node_columns(schema, number_kinds(node_rows, node_numbers))
    rel_numbers = [n for n, p in schema.relationship_properties.items() if p.type == "number" and n in rel_keys]
    rel_cols = rel_columns(schema, number_kinds(rel_rows, rel_numbers))
    node_props = {c: t for c, t in node_cols.items() if c not in ("id", LABEL_COLUMN)}
    rel_props = {c: t for c, t in rel_cols.items() if c not in (TYPE_COLUMN, MARKER_COLUMN, "id")}
    fast_nodes = _fast_columns(node_rows, "label", node_props, node_keys) if node_rows else None
    fast_rels = _fast_columns(rel_rows, "type", rel_props, rel_keys) if rel_rows else None
    # value by value otherwise, as before and in the same order: a missing label or type raises KeyError first
    labels = fast_nodes["label"] if fast_nodes is not None else [d["label"] for d in node_rows]
    types = fast_rels["type"] if fast_rels is not None else [d["type"] for d in rel_rows]
    nodes = rels = None
    if node_rows:
        lead = {"id": pa.array(ids, pa.string()), LABEL_COLUMN: pa.array(labels, pa.string())}
        columns = _typed(fast_nodes, node_props) if fast_nodes is not None else _property_columns(list(node_rows), node_props)
        nodes = pa.table({**lead, **columns})
    if rel_rows:
        lead = {
            "from": pa.array(froms, pa.string()),
            "to": pa.array(tos, pa.string()),
            TYPE_COLUMN: pa.array(types, pa.string()),
            MARKER_COLUMN: pa.repeat(pa.scalar(True), len(rel_rows)),
            "id": _text(keys),
        }
        columns = _typed(fast_rels, rel_props) if fast_rels is not None else _property_columns(list(rel_rows), rel_props)
        rels = pa.table({**lead, **columns})
    return LoadPlan(node_cols, _held(rel_cols, rels, REL_ALWAYS), nodes, rels)


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
