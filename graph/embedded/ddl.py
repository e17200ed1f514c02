"""The embedded engine's schema, generated from the schema file, and the frames its bulk load reads.

Pure: nothing here opens a database. `generate_ddl(schema)` yields the statements that create one
node table per label (primary key `id`) and one relationship table per type with every allowed
FROM/TO pair; `node_tables` / `rel_tables` turn a `MultiDiGraph` into the typed Arrow tables `COPY`
reads (typed columns rather than Python objects, and only the columns that have a value: 1M
relationships load in ~18 s instead of ~26 s).

Property types map to engine types as follows (dates stay ISO strings, as in the graph, so that
partial dates such as ``2020-03`` survive and compare as text):

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
from typing import TYPE_CHECKING, Any

from ..schema import Schema

if TYPE_CHECKING:
    import networkx as nx
    import pyarrow as pa  # type: ignore[import-untyped]  # no stubs in the dev group (pyarrow-stubs)

__all__ = ["ENGINE_TYPES", "MACROS", "copy_statement", "generate_ddl", "node_columns", "node_tables", "rel_columns", "rel_tables"]

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

#: Neo4j functions the engine lacks, defined as macros stored in the database (see docs/cypher-dialect.md).
#: `labels` is built into the engine (returning one string), so the rewrite layer renames calls to it.
MACROS = {
    "type(r)": "label(r)",
    "neo4j_labels(n)": "CASE WHEN n.sanctioned THEN [label(n), '{marker}'] ELSE [label(n)] END",
    "toInteger(x)": "cast(x, 'INT64')",
    "toFloat(x)": "cast(x, 'DOUBLE')",
    "toString(x)": "cast(x, 'STRING')",
    "toBoolean(x)": "cast(x, 'BOOL')",
    # no NULL literal in a stored macro: ladybug 0.22 cannot read such a macro back (so head([]) fails)
    "head(l)": "list_extract(l, 1)",
    "last(l)": "list_extract(l, -1)",
}


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def node_columns(schema: Schema, label: str) -> dict[str, str]:
    """Column name → engine type of the node table of `label`: `id` first, then the schema's order."""
    cols = {name: ENGINE_TYPES[p.type] for name, p in schema.node_properties_of(label).items()}
    cols = {"id": "STRING", **cols, "sanctioned": "BOOLEAN", "sanctioned_by": "STRING[]"}
    return cols


def rel_columns(schema: Schema) -> dict[str, str]:
    """Column name → engine type of every relationship table: `id` (the edge key) first."""
    return {"id": "STRING", **{name: ENGINE_TYPES[p.type] for name, p in schema.relationship_properties.items()}}


def generate_ddl(schema: Schema) -> Iterator[str]:
    """Yield the statements that create the engine's tables and macros for `schema`.

    >>> from graph.schema import load_schema
    >>> ddl = list(generate_ddl(load_schema()))
    >>> ddl[0][:60]
    'CREATE NODE TABLE `State`(`id` STRING, `name` STRING, `alias'
    """
    for label in schema.labels:
        cols = ", ".join(f"{_ident(c)} {t}" for c, t in node_columns(schema, label).items())
        yield f"CREATE NODE TABLE {_ident(label)}({cols}, PRIMARY KEY(`id`))"
    props = ", ".join(f"{_ident(c)} {t}" for c, t in rel_columns(schema).items())
    for rel in schema.relationships.values():
        pairs = ", ".join(f"FROM {_ident(s)} TO {_ident(t)}" for s in rel.sources for t in rel.targets)
        yield f"CREATE REL TABLE {_ident(rel.name)}({pairs}, {props})"
    for signature, body in MACROS.items():
        yield f"CREATE MACRO {signature} AS {body.format(marker=schema.sanctioned_label)}"


_Group = tuple[list[str], list[str], list[Any], list[dict[str, Any]]]


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


def node_tables(G: nx.MultiDiGraph, schema: Schema) -> Iterator[tuple[str, pa.Table]]:
    """Yield (label, Arrow table) for every label with nodes: `id`, then the columns of `node_columns` that have a value."""
    import pyarrow as pa

    by_label: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
    for node, d in G.nodes(data=True):
        ids, rows = by_label.setdefault(d["label"], ([], []))
        ids.append(node)
        rows.append(d)
    for label in schema.labels:
        if label in by_label:
            ids, rows = by_label[label]
            columns = {c: t for c, t in node_columns(schema, label).items() if c != "id"}
            yield label, pa.table({"id": pa.array(ids, pa.string()), **_property_columns(rows, columns)})


def _group_edges(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], _Group]:
    """The edges of `G` by (type, start label, end label), in one pass: ([from], [to], [key], [attributes])."""
    labels = dict(G.nodes(data="label"))
    groups: dict[tuple[str, str, str], _Group] = {}
    enabled = gc.isenabled()
    gc.disable()  # a million appended tuples would trigger many useless collections
    try:
        for u, v, key, d in G.edges(keys=True, data=True):
            group = (d["type"], labels[u], labels[v])
            lists = groups.get(group)
            if lists is None:
                lists = groups[group] = ([], [], [], [])
            lists[0].append(u)
            lists[1].append(v)
            lists[2].append(key)
            lists[3].append(d)
    finally:
        if enabled:
            gc.enable()
    return groups


def _rel_table(lists: _Group, columns: dict[str, str]) -> pa.Table:
    import pyarrow as pa

    froms, tos, keys, rows = lists
    lead = {"from": pa.array(froms, pa.string()), "to": pa.array(tos, pa.string()), "id": pa.array([str(k) for k in keys], pa.string())}
    return pa.table({**lead, **_property_columns(rows, columns)})


def rel_tables(G: nx.MultiDiGraph, schema: Schema) -> Iterator[tuple[str, str, str, pa.Table]]:
    """Yield (type, start label, end label, Arrow table) per endpoint pair in use.

    Columns: `from`, `to`, `id` (the edge key), then the columns of `rel_columns` that have a value.
    """
    columns = {c: t for c, t in rel_columns(schema).items() if c != "id"}
    for (rtype, start, end), lists in _group_edges(G).items():
        yield rtype, start, end, _rel_table(lists, columns)


def copy_statement(table: str, columns: Iterable[str], start: str | None = None, end: str | None = None) -> str:
    """`COPY` into `table` from the parameter `$data`, naming the columns it fills (the rest stay null).

    >>> copy_statement("DEPLOYED_TO", ["id", "count"], "State", "State")
    "COPY `DEPLOYED_TO`(`id`, `count`) FROM $data (from='State', to='State')"
    """
    text = f"COPY {_ident(table)}({', '.join(_ident(c) for c in columns)}) FROM $data"
    return text + (f" (from='{start}', to='{end}')" if start is not None and end is not None else "")
