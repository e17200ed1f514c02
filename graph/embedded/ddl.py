"""The embedded engine's schema, generated from the schema file, and the frames its bulk load reads.

Pure: nothing here opens a database. `generate_ddl(schema)` yields the statements that create one
node table per label (primary key `id`) and one relationship table per type with every allowed
FROM/TO pair; `node_frames` / `rel_frames` turn a `MultiDiGraph` into the DataFrames `COPY` reads.

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

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..schema import Schema

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["ENGINE_TYPES", "MACROS", "generate_ddl", "node_columns", "node_frames", "rel_columns", "rel_frames"]

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


def _frame(rows: list[dict[str, Any]], columns: dict[str, str], lead: dict[str, list[Any]] | None = None) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, Any] = dict(lead or {})
    for col, engine_type in columns.items():
        values = [_cast(r.get(col), engine_type) for r in rows]
        data[col] = pd.Series(values, dtype=object)  # object keeps ints with missing values as ints
    return pd.DataFrame(data)


def node_frames(G: nx.MultiDiGraph, schema: Schema) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield (label, DataFrame) for every label with nodes; columns as in `node_columns`."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for node, d in G.nodes(data=True):
        by_label.setdefault(d["label"], []).append({**d, "id": node})
    for label in schema.labels:
        if label in by_label:
            yield label, _frame(by_label[label], node_columns(schema, label))


def rel_frames(G: nx.MultiDiGraph, schema: Schema) -> Iterator[tuple[str, str, str, pd.DataFrame]]:
    """Yield (type, start label, end label, DataFrame) per endpoint pair; `from`, `to` lead the columns."""
    labels = dict(G.nodes(data="label"))
    groups: dict[tuple[str, str, str], tuple[list[str], list[str], list[dict[str, Any]]]] = {}
    for u, v, key, d in G.edges(keys=True, data=True):
        froms, tos, rows = groups.setdefault((d["type"], labels[u], labels[v]), ([], [], []))
        froms.append(u)
        tos.append(v)
        rows.append({**d, "id": key})
    columns = rel_columns(schema)
    for (rtype, start, end), (froms, tos, rows) in groups.items():
        yield rtype, start, end, _frame(rows, columns, {"from": froms, "to": tos})
