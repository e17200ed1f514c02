"""Export the graph as a Cypher script that ``cypher-shell -f FILE`` runs.

The script is what `export_neo4j` would send, with the rows written as literals: first the
constraints and indexes (`graph.export.rows.schema_statements`, as in `cypher/schema.cypher`) and
``CALL db.awaitIndexes``, then for each label and each
(start label, type, end label) batched, idempotent statements::

    UNWIND [{id: 'cuba', iso3: 'CUB', name: 'Cuba'}, ...] AS row
    MERGE (n:Cubamed {id: row.id}) SET n = row, n:State REMOVE n:Region:...;

Running it twice leaves the same graph. Literals are ASCII only, whatever cypher-shell's
charset: strings are single-quoted with ``\\\\``, ``\\'``, ``\\n``, ``\\r``, ``\\t`` escapes
and every other control or non-ASCII character as ``\\uXXXX`` (astral characters as their
UTF-16 surrogate pair). Values are the model's rows (`graph.model`) written by the Neo4j rule of
`graph.export.rows`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..files import write_generated
from ..progress import task
from ..project import model_for
from ..schema import Schema
from .rows import batches, neo4j_groups, node_merge_query, quote_name, relationship_merge_query, schema_statements

__all__ = ["DEFAULT_SCRIPT_BATCH_SIZE", "cypher_literal", "generate_cypher", "write_cypher"]

DEFAULT_SCRIPT_BATCH_SIZE = 500
"""Rows per statement: cypher-shell parses each statement whole, so keep them a few hundred KB."""

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(s: str) -> str:
    out = ["'"]
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif " " <= ch <= "~":
            out.append(ch)
        elif ord(ch) > 0xFFFF:
            v = ord(ch) - 0x10000
            out.append(f"\\u{0xD800 + (v >> 10):04x}\\u{0xDC00 + (v & 0x3FF):04x}")
        else:
            out.append(f"\\u{ord(ch):04x}")
    out.append("'")
    return "".join(out)


def _float(x: float) -> str:
    if math.isnan(x):
        return "0.0 / 0.0"
    if math.isinf(x):
        return "1.0 / 0.0" if x > 0 else "-1.0 / 0.0"
    text = repr(x).replace("e+", "e")
    return text if any(c in text for c in ".e") else text + ".0"


def cypher_literal(v: Any) -> str:
    r"""A converted value (see `graph.export.rows.neo4j_value`) as Cypher literal text.

    >>> print(cypher_literal("It's a \\ path\n"))
    'It\'s a \\ path\n'
    >>> print(cypher_literal({"b": [1, 2.5], "a": "Nicolás"}))
    {a: 'Nicol\u00e1s', b: [1, 2.5]}
    """
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{quote_name(str(k))}: {cypher_literal(v[k])}" for k in sorted(v)) + "}"
    raise ExportError(f"cannot write {type(v).__name__} value {v!r} as a Cypher literal")  # pragma: no cover


def _rows_literal(rows: list[dict[str, Any]]) -> str:
    return "[\n  " + ",\n  ".join(cypher_literal(r) for r in rows) + "\n]"


def generate_cypher(G: nx.MultiDiGraph, *, batch_size: int = DEFAULT_SCRIPT_BATCH_SIZE, schema: Schema | None = None) -> Iterator[str]:
    """Yield the script's statements, each ending with ``;`` and a newline (pure: no I/O).

    The whole graph is checked against the schema before the first statement is yielded.
    """
    model = model_for(G, schema)
    sch = model.schema
    ngroups, rgroups = neo4j_groups(model, model.rows(G))
    yield f"// cubamed graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships. Run: cypher-shell -f FILE\n"
    yield "// Constraints and indexes (cypher/schema.cypher)\n"
    for stmt in schema_statements(sch):
        yield stmt + ";\n"
    yield "CALL db.awaitIndexes(300);\n"
    with task("Writing the Cypher script", G.number_of_nodes() + G.number_of_edges()) as advance:
        for ng in ngroups:
            yield f"// {ng.label}{' (sanctioned)' if ng.sanctioned else ''}: {len(ng.rows)} nodes\n"
            for chunk in batches(ng.rows, batch_size):
                yield node_merge_query(sch, ng.label, ng.sanctioned, rows=_rows_literal(chunk)) + ";\n"
                advance(len(chunk))
        for rg in rgroups:
            yield f"// {rg.start} -[{rg.type}]-> {rg.end}: {len(rg.rows)} relationships\n"
            for chunk in batches(rg.rows, batch_size):
                yield relationship_merge_query(sch, rg.start, rg.type, rg.end, rows=_rows_literal(chunk)) + ";\n"
                advance(len(chunk))


def write_cypher(
    G: nx.MultiDiGraph, path: str | Path, *, batch_size: int = DEFAULT_SCRIPT_BATCH_SIZE, schema: Schema | None = None
) -> Path:
    """Write the script to `path` (via a temporary file renamed into place: never half-written)."""
    return write_generated(path, generate_cypher(G, batch_size=batch_size, schema=schema), what="script", encoding="utf-8")
