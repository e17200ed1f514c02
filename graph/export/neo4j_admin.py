"""Export the graph as CSV files for ``neo4j-admin database import full`` (Neo4j 5), for graphs
too large for Bolt or analysts who cannot connect to the server.

The folder holds one ``nodes_<Label>.csv`` per label and one ``relationships_<TYPE>.csv`` per
relationship type, with typed headers::

    id:ID,:LABEL,name,aliases:string[],iso3
    :START_ID,:END_ID,:TYPE,id,_cubamed:boolean,source_id,count:long,year:long,...

plus ``import.sh`` (the exact import command), ``schema.cypher`` (the constraints and indexes
to run once the database is started) and a README.md.

- Ids share one global ID space (entity ids are unique across the graph); the ``id:ID`` column
  is also stored as the property ``id``.
- The ``:LABEL`` column holds the schema label, the marker label ``Cubamed`` and ``Sanctioned``
  where it applies; relationships carry ``_cubamed: true``, as the Bolt export writes them.
- Column types come from the model's rows (`graph.model`) after the Neo4j rule of `graph.export.rows`:
  ``boolean``, ``long`` (64-bit, as the driver stores Python ints), ``double``, ``string`` and
  their arrays. A property whose values have different types in one file is an error.
- Arrays are separated by ``|`` (``--array-delimiter='|'``); an array item containing ``|`` is
  an error. Strings are always double-quoted (``"`` doubled), so an empty string stays an empty
  string and an empty field means "no property"; strings may hold newlines
  (``--multiline-fields=true``). Files are UTF-8.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..progress import track
from ..project import model_for
from ..schema import Schema
from .rows import MARKER_LABEL, MARKER_PROPERTY, generate_schema_cypher, neo4j_groups

__all__ = ["ARRAY_DELIMITER", "CsvFile", "generate_neo4j_admin", "import_script", "write_neo4j_admin"]

ARRAY_DELIMITER = "|"

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


@dataclass(frozen=True)
class CsvFile:
    """One import file: its name, whether it holds nodes or relationships, header and rows (cells as text)."""

    name: str
    kind: str  # "nodes" or "relationships"
    header: list[str]
    rows: list[list[str]]

    def lines(self) -> Iterator[str]:
        """The file's lines, header first, each ending with a newline."""
        yield ",".join(self.header) + "\n"
        for row in self.rows:
            yield ",".join(row) + "\n"


def _value_type(v: Any) -> str | None:
    """The neo4j-admin type of a converted value; None for an empty list (fits any array type)."""
    if isinstance(v, list):
        return _TYPES[type(v[0])] + "[]" if v else None
    return _TYPES[type(v)]


def _column_types(rows: list[dict[str, Any]], what: str, fixed: tuple[str, ...]) -> dict[str, str]:
    types: dict[str, str] = {}
    empty_lists: set[str] = set()
    for row in rows:
        for k, v in row.items():
            if k in fixed:
                continue
            if any(c in k for c in ',:"\n'):
                raise ExportError(f'{what}: property name {k!r} cannot be a CSV header (it holds , : or "); rename it')
            t = _value_type(v)
            if t is None:
                empty_lists.add(k)
                continue
            if types.setdefault(k, t) != t:
                raise ExportError(
                    f"{what}: property {k!r} has values of types {types[k]} and {t}; neo4j-admin needs one type per column "
                    "(fix the data, or use `cubamed export neo4j` or `cubamed export cypher`)"
                )
    for k in empty_lists:
        types.setdefault(k, "string[]")
    return types


def _cell(v: Any, what: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    if isinstance(v, list):
        items = []
        for x in v:
            text = _cell(x, what)
            if isinstance(x, str):
                text = text[1:-1]
                if ARRAY_DELIMITER in x:
                    raise ExportError(f"{what}: list item {x!r} contains the array delimiter {ARRAY_DELIMITER!r}; remove it")
            items.append(text)
        return '"' + ARRAY_DELIMITER.join(items) + '"'
    raise ExportError(f"{what}: cannot write {type(v).__name__} value {v!r}")  # pragma: no cover


def _header(name: str, t: str) -> str:
    return name if t == "string" else f"{name}:{t}"


def _order(props: dict[str, str], first: list[str]) -> list[str]:
    return [p for p in first if p in props] + sorted(p for p in props if p not in first)


def generate_neo4j_admin(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> list[CsvFile]:
    """The import files of `G`: nodes per label, relationships per type (pure: no I/O).

    The whole graph is checked against the schema first.
    """
    model = model_for(G, schema)
    key = str(model.key)
    ngroups, rgroups = neo4j_groups(model, model.rows(G))
    files: list[CsvFile] = []
    by_label: dict[str, list[tuple[bool, dict[str, Any]]]] = {}
    for ng in ngroups:
        by_label.setdefault(ng.label, []).extend((ng.sanctioned, r) for r in ng.rows)
    for label, items in track(list(by_label.items()), "Writing the node files"):
        what = f"nodes_{label}.csv"
        types = _column_types([r for _, r in items], what, (key,))
        cols = _order(types, list(model.node_columns(label)))
        header = [f"{key}:ID", ":LABEL", *(_header(c, types[c]) for c in cols)]
        rows = []
        for sanctioned, r in sorted(items, key=lambda it: it[1][key]):
            labels = [label, MARKER_LABEL, *([model.sanctioned_label] if sanctioned else [])]
            rows.append([_cell(r[key], what), _cell(labels, what), *(_cell(r.get(c), what) for c in cols)])
        files.append(CsvFile(what, "nodes", header, rows))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for rg in rgroups:
        by_type.setdefault(rg.type, []).extend(rg.rows)
    for rtype, rrows in track(list(by_type.items()), "Writing the relationship files"):
        what = f"relationships_{rtype}.csv"
        props = [r["p"] for r in rrows]
        types = _column_types(props, what, (key, MARKER_PROPERTY))
        cols = _order(types, list(model.relation_columns()))
        header = [":START_ID", ":END_ID", ":TYPE", key, f"{MARKER_PROPERTY}:boolean", *(_header(c, types[c]) for c in cols)]
        rows = [
            [_cell(r["s"], what), _cell(r["t"], what), rtype, _cell(r["id"], what), "true", *(_cell(r["p"].get(c), what) for c in cols)]
            for r in sorted(rrows, key=lambda r: r["id"])
        ]
        files.append(CsvFile(what, "relationships", header, rows))
    return files


def import_script(files: list[CsvFile]) -> str:
    """`import.sh`: the exact ``neo4j-admin database import full`` command for these files (Neo4j 5)."""
    lines = [
        "#!/bin/sh",
        "# Load the cubamed graph into a new Neo4j 5 database with neo4j-admin (generated by `cubamed export neo4j-admin`).",
        "# Stop the database first; the import needs an empty or new database (add --overwrite-destination=true to replace one).",
        "# Usage: NEO4J_HOME=/path/to/neo4j sh import.sh [DATABASE]     (DATABASE defaults to neo4j)",
        "# Then start Neo4j and create the constraints and indexes: cypher-shell -d DATABASE -f schema.cypher",
        "set -eu",
        'cd "$(dirname "$0")"',
        'DATABASE="${1:-neo4j}"',
        '"${NEO4J_HOME:?set NEO4J_HOME to the Neo4j installation}/bin/neo4j-admin" database import full "$DATABASE" \\',
        f"  --array-delimiter='{ARRAY_DELIMITER}' \\",
        "  --multiline-fields=true \\",
        "  --id-type=string \\",
    ]
    for f in files:
        flag = "--nodes" if f.kind == "nodes" else "--relationships"
        lines.append(f"  {flag}={f.name} \\")
    lines[-1] = lines[-1].removesuffix(" \\")
    return "\n".join(lines) + "\n"


_README = """# cubamed graph for neo4j-admin

Files written by `cubamed export neo4j-admin` for `neo4j-admin database import full` (Neo4j 5).

1. Stop Neo4j (or pick a database name that does not exist yet).
2. `NEO4J_HOME=/path/to/neo4j sh import.sh [DATABASE]` runs the import (see the command in import.sh).
3. Start Neo4j (and on Enterprise `CREATE DATABASE name` if it is new), then create the constraints
   and indexes: `cypher-shell -d DATABASE -f schema.cypher`.

Arrays in the CSV files are separated by `|`; strings are double-quoted and may span lines.
Every node has the extra label `Cubamed` and every relationship `_cubamed: true`, as
`cubamed export neo4j` writes them, so later Bolt exports update this graph in place.
"""


def write_neo4j_admin(G: nx.MultiDiGraph, directory: str | Path, *, schema: Schema | None = None) -> Path:
    """Write the import files, import.sh, schema.cypher and README.md into `directory`.

    Written into a temporary sibling folder renamed into place on success: the folder is never
    half-written, and a previous export there is replaced whole.
    """
    target = Path(directory)
    files = generate_neo4j_admin(G, schema=schema)  # errors surface before anything is written
    constraints = generate_schema_cypher(model_for(G, schema).schema)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ExportError(f"{target}: cannot write here ({exc.strerror}); choose another folder") from exc
    old: Path | None = None
    try:
        for f in files:
            with open(tmp / f.name, "w", encoding="utf-8", newline="") as fh:
                fh.writelines(f.lines())
        (tmp / "import.sh").write_text(import_script(files), encoding="utf-8")
        (tmp / "import.sh").chmod(0o755)
        (tmp / "schema.cypher").write_text(constraints, encoding="utf-8")
        (tmp / "README.md").write_text(_README, encoding="utf-8")
        tmp.chmod(0o755)
        if target.exists():
            if not target.is_dir():
                raise ExportError(f"{target}: exists and is not a folder; choose another path")
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and not target.exists():
            os.replace(old, target)
        if isinstance(exc, OSError):
            raise ExportError(f"{target}: cannot write the import files ({exc.strerror})") from exc
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return target
