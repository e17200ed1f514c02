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
- An empty list (or a list of one empty text) is an error: neo4j-admin reads an empty array cell as
  no property, and has no way to write an empty array (neo4j/neo4j#13566).
- On Linux, a graph of `_PARALLEL_ROWS` rows or more is written by two processes: the writer forks
  a child that makes about half of the files (`_write_quick`); the bytes are the same.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..model import LABEL, TYPE, Model, no_gc, plain_type
from ..progress import task, track
from ..project import model_for
from ..schema import Schema
from .rows import MARKER_LABEL, MARKER_PROPERTY, generate_schema_cypher, neo4j_groups

__all__ = ["ARRAY_DELIMITER", "CsvFile", "generate_neo4j_admin", "import_script", "write_neo4j_admin"]

ARRAY_DELIMITER = "|"

_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


@dataclass(frozen=True)
class CsvFile:
    """One import file: its name, whether it holds nodes or relationships, header and cells.

    The model's way keeps the cells column by column (`columns`): `rows` makes the rows on demand,
    `lines` joins them as it goes. A column holds either its cells as text, or, where `texts` says
    so, the texts its cells quote (a str each, None for an empty cell): such a column is quoted as
    the file is written, a block of rows at a time, so that no cell of it is a string of its own.
    Cells beside such columns hold no double quote (numbers, booleans, a relationship type).

    The quick way (`_quick_files`) formats the rows as it reads them from the graph, and keeps the
    file's lines after the header as a few long texts (`body`, each a block of whole lines): `rows`
    and `lines` then split them again."""

    name: str
    kind: str  # "nodes" or "relationships"
    header: list[str]
    columns: Sequence[Sequence[Any]] = ()
    texts: tuple[bool, ...] = ()  # per column, True where it holds texts to quote; () when every column holds cells
    body: tuple[str, ...] | None = None  # the lines after the header, when the quick way made them

    def _cells(self, columns: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
        if not self.texts:
            return columns
        return [_string_cells(c) if t else c for c, t in zip(columns, self.texts, strict=True)]

    @property
    def rows(self) -> list[list[str]]:
        """The cells row by row."""
        if self.body is not None:
            return _split_rows("".join(self.body))
        return [list(row) for row in zip(*self._cells(self.columns), strict=True)]

    def lines(self) -> Iterator[str]:
        """The file's lines, header first, each ending with a newline."""
        yield ",".join(self.header) + "\n"
        if self.body is not None:
            yield from (",".join(row) + "\n" for row in self.rows)
            return
        for row in zip(*self._cells(self.columns), strict=True):
            yield ",".join(row) + "\n"

    def write(self, path: Path) -> None:
        """Write the file (UTF-8), a block of rows at a time: one join per row, no per-row write."""
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(self.header) + "\n")
            if self.body is not None:
                for text in self.body:
                    fh.write(text)
                return
            n = len(self.columns[0]) if self.columns else 0
            for start in range(0, n, _BLOCK):
                fh.write(_block_text([c[start : start + _BLOCK] for c in self.columns], self.texts))


def _block_text(block: Sequence[Sequence[Any]], texts: tuple[bool, ...]) -> str:
    """The lines of a block of rows given column by column (see `CsvFile`)."""
    text = _quoted_block(block, texts) if any(texts) else None
    if text is None:  # cells only, or a text holds one of the marks: each cell on its own
        if texts:
            block = [_string_cells(c) if t else c for c, t in zip(block, texts, strict=True)]
        text = "\n".join(map(",".join, zip(*block, strict=True))) + "\n"
    return text


_ROW_CELL = re.compile(r'("(?:[^"]|"")*"|[^,"\n]*)([,\n])')


def _split_rows(text: str) -> list[list[str]]:
    """The cells of lines this module wrote (a quoted cell may hold commas, quotes and newlines)."""
    rows: list[list[str]] = []
    row: list[str] = []
    pos = 0
    while pos < len(text):
        m = _ROW_CELL.match(text, pos)
        if m is None:  # pragma: no cover
            raise AssertionError(f"not a line this module writes at {pos}: {text[pos : pos + 80]!r}")
        row.append(m[1])
        if m[2] == "\n":
            rows.append(row)
            row = []
        pos = m.end()
    return rows


_BLOCK = 2048  # rows formatted and written at a time: a block's text stays in the processor's cache


def _value_type(v: Any) -> str | None:
    """The neo4j-admin type of a converted value; None for an empty list (fits any array type)."""
    if isinstance(v, list):
        return _TYPES[type(v[0])] + "[]" if v else None
    return _TYPES[type(v)]


def _check_column_types(rows: list[dict[str, Any]], what: str, fixed: tuple[str, ...]) -> dict[str, str]:
    """The column types, value by value: raises on the first bad header name or type conflict met,
    in row order. `_column_types` calls it only for its messages."""
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


def _column_type(values: list[Any]) -> str | None:
    """The one type of a column's present values (`_value_type` of each agrees), or None when they
    disagree or one has no neo4j-admin type."""
    kinds = set(map(type, values))
    if kinds == {list}:
        first = {type(v[0]) for v in values if v}
        if not first:
            return "string[]"
        return _TYPES[first.pop()] + "[]" if len(first) == 1 and first <= _TYPES.keys() else None
    return _TYPES[kinds.pop()] if len(kinds) == 1 and kinds <= _TYPES.keys() else None


def _columns(rows: list[dict[str, Any]], fixed: tuple[str, ...]) -> dict[str, list[Any]]:
    """Each property's values, one per row (None where a row lacks it)."""
    names = set().union(*rows).difference(fixed)
    return {k: list(map(dict.get, rows, repeat(k))) for k in sorted(names)}


def _column_types(columns: dict[str, list[Any]], rows: list[dict[str, Any]], what: str, fixed: tuple[str, ...]) -> dict[str, str]:
    """The type of each column, decided once per column; any doubt goes to `_check_column_types`,
    which words the problem exactly as a row-by-row reading meets it."""
    types: dict[str, str] = {}
    for k, values in columns.items():
        t = None if any(c in k for c in ',:"\n') else _column_type([v for v in values if v is not None])
        if t is None:
            return _check_column_types(rows, what, fixed)
        types[k] = t
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
        if not "".join(items):
            raise ExportError(f"{what}: {_EMPTY_LIST}")
        return '"' + ARRAY_DELIMITER.join(items) + '"'
    raise ExportError(f"{what}: cannot write {type(v).__name__} value {v!r}")  # pragma: no cover


_EMPTY_LIST = (
    "an empty list (or a list of one empty text) cannot be imported: neo4j-admin reads an empty array cell as no property "
    "(neo4j/neo4j#13566); leave the property out of the graph, or use `cubamed export neo4j`, which stores it"
)

_SEP = "\x1f"  # control characters, which validated text never holds (each is counted anyway)
_ABSENT = "\x1e"  # stands for None while a column is one text
_QUOTE = "\x1d"  # stands for a quote around a cell while a block of rows is one text


def _quoted_block(columns: Sequence[Sequence[Any]], texts: tuple[bool, ...]) -> str | None:
    """The lines of a block of rows (`CsvFile.write`) as one text, made with one join: the values
    themselves, with what goes between them (commas, and as `_QUOTE` the quotes around text cells);
    the quotes of the whole are then doubled at once and each `_QUOTE` becomes a quote. A text
    column with no value in the block is a column of empty cells. The values are read once each and
    no cell becomes a string of its own. None when a value holds `_QUOTE` (the count tells): the
    caller then quotes cell by cell."""
    n = len(columns[0])
    between: list[str] = []  # what goes before each column's cell in a row
    cells: list[Sequence[Any]] = []
    before = ""
    marks = 0  # the _QUOTEs that are quotes, besides those in `between`
    for i, (column, quoted) in enumerate(zip(columns, texts, strict=True)):
        before += "," if i else ""
        nones = column.count(None) if quoted else 0
        if nones == n:  # only empty cells
            continue
        if not quoted or nones:
            cells.append([_QUOTE + v + _QUOTE if v is not None else "" for v in column] if quoted else column)
            marks += 2 * (n - nones) if quoted else 0
            between.append(before)
            before = ""
        else:
            cells.append(column)
            between.append(before + _QUOTE)
            before = _QUOTE
    between.append(before + "\n")
    marks += n * "".join(between).count(_QUOTE)
    pieces: list[Iterable[Any]] = []
    for b, column in zip(between, cells, strict=False):  # the last `between` ends each row
        pieces += (repeat(b), column)
    pieces.append(repeat(between[-1]))
    text = "".join(chain.from_iterable(zip(*pieces, strict=False)))  # the columns end it: strict would fail on repeat
    if text.count(_QUOTE) != marks:
        return None
    return text.replace('"', '""').replace(_QUOTE, '"')


def _string_cells(values: Sequence[Any]) -> list[str]:
    """`_cell` of each value of a text column. A full column is quoted as one text (join, double
    the quotes, split): three passes in C instead of a Python expression per value. A None (no
    property, an empty cell) is joined as `_ABSENT`, whose quoted cell is then emptied."""
    if values:
        absent = values.count(None)
        text = _SEP.join(map({None: _ABSENT}.get, values, values) if absent else values)
        if text.count(_SEP) == len(values) - 1 and text.count(_ABSENT) == absent:  # no value holds either
            text = '"' + text.replace('"', '""').replace(_SEP, '"' + _SEP + '"') + '"'
            if absent:
                text = text.replace('"' + _ABSENT + '"', "")
            return text.split(_SEP)
    return ["" if v is None else '"' + v.replace('"', '""') + '"' for v in values]


def _strings_cells(values: list[Any]) -> list[str] | None:
    """`_cell` of each value of a list-of-text column; None when an item holds the delimiter."""
    out = []
    for v in values:
        if v is None:
            out.append("")
            continue
        text = ARRAY_DELIMITER.join(v)
        if not text or text.count(ARRAY_DELIMITER) != len(v) - 1:
            return None
        out.append('"' + text.replace('"', '""') + '"')
    return out


def _column_cells(values: list[Any], t: str) -> list[str] | None:
    """The cells of one column of type `t`, as `_cell` writes each value; None when one of them
    is an error (the caller then writes row by row, so the error is the first a reader meets)."""
    if t == "string":
        return _string_cells(values)
    if t == "string[]" and all(v is None or all(type(x) is str for x in v) for v in values):
        return _strings_cells(values)
    try:
        return [_cell(v, "") for v in values]
    except ExportError:
        return None


def _table(lead: list[list[str]], columns: list[list[Any]], types: list[str], what: str) -> list[list[str]]:
    """The cells of a file, column by column: the `lead` cells, then the property columns, each
    formatted once; when a value is an error, `_cell` meets the values row by row, so the message
    names the first a reader meets."""
    cells = [_column_cells(values, t) for values, t in zip(columns, types, strict=True)]
    if any(c is None for c in cells):
        for i in range(len(lead[0]) if lead else 0):
            for values in columns:
                _cell(values[i], f"{what}, row {i + 1}")
        raise AssertionError(f"{what}: a column failed but no cell did")  # pragma: no cover
    return [*lead, *cells]  # type: ignore[list-item]


def _header(name: str, t: str) -> str:
    return name if t == "string" else f"{name}:{t}"


def _order(props: Collection[str], first: list[str]) -> list[str]:
    return [p for p in first if p in props] + sorted(p for p in props if p not in first)


def generate_neo4j_admin(G: nx.MultiDiGraph, *, schema: Schema | None = None) -> list[CsvFile]:
    """The import files of `G`: nodes per label, relationships per type (pure: no I/O).

    The whole graph is checked against the schema first.
    """
    with no_gc():  # the cells are new strings and lists, no cycles: collections would only walk the graph
        model = model_for(G, schema)
        quick = _quick_files(G, model)
        return quick if quick is not None else _generate(G, model)


# --- the quick way: the columns straight from the graph ---------------------------------------------
#
# When every node and relationship fits the schema and every value is one the model's rows keep
# unchanged and Neo4j stores as it is (text, a bool, a float, a 64-bit int, a list of text, each in a
# declared column of that type), the rows, the Bolt groups and their dicts would only copy the graph's
# attribute dicts. `_quick_files` then reads the columns straight from those dicts and formats each
# once. At the first value it is not sure of it gives up (None), and `_generate` makes the files
# through the model's rows, which words every problem; both give the same bytes (tests/export holds
# them to it).

_QUICK_TYPES: dict[type, str] = {str: "string", bool: "boolean", float: "double", int: "long", list: "string[]"}


def _quick_cells(values: Sequence[Any], kind: type) -> tuple[Sequence[Any], bool] | None:
    """A block of a column whose present values are all of type `kind`: its texts to quote (True)
    or its cells as `_cell` writes each value (False); None when a value needs the model's way: a
    list item that is not plain text or holds the array delimiter, an int beyond 64 bits."""
    if kind is str:
        return values, True
    present = [v for v in values if v is not None]
    if kind is list:
        if not set(map(type, chain.from_iterable(present))) <= {str}:
            return None
        join = ARRAY_DELIMITER.join
        texts: list[Any]
        if len(present) == len(values):
            texts = joined = list(map(join, present))
        else:
            texts = [None if v is None else join(v) for v in values]
            joined = [t for t in texts if t is not None]
        delimiters = sum(map(len, present)) - len(present) + present.count([])  # between the items
        if "".join(joined).count(ARRAY_DELIMITER) != delimiters or "" in joined:
            return None  # an item holds the delimiter, or a list neo4j-admin cannot store
        return texts, True  # a list's cell is its joined items quoted as one text
    if not present:
        return [""] * len(values), False
    if kind is bool:
        return list(map(_BOOL_CELLS.__getitem__, values)), False
    if kind is int:
        if min(present) < -(2**63) or max(present) > 2**63 - 1:
            return None  # the model writes these as text
        return ["" if v is None else str(v) for v in values], False
    return [_cell(v, "") for v in values], False


_BOOL_CELLS = {None: "", True: "true", False: "false"}


def _quick_body(
    items: Sequence[tuple[Any, ...]],
    lead: Callable[[list[tuple[Any, ...]], dict[str, tuple[Any, ...]]], list[Any]],
    lead_texts: tuple[bool, ...],
    plain: dict[str, type],
    skip: str,
    order: list[str],
    names: list[str] | None = None,
) -> tuple[list[str], tuple[str, ...]] | None:
    """The header names (typed) of the property columns, and the file's lines after the header, of
    `items` (rows in file order, each a tuple whose last field is the row's attribute dict): the
    columns `lead` makes of a block's fields and property values (`CsvFile.texts` flags
    `lead_texts`), then each property with a value in some row, in the model's order.

    The rows are read and formatted a block at a time: each attribute dict is read once, all its
    values at a time, and its values are checked, joined and quoted while they are still in the
    processor's cache (a pass per column over a million rows would fetch each from memory again).
    A column's type is the one its declared column keeps (`plain`): any other value, anywhere,
    gives None, as does a value `_quick_cells` leaves to the model's way.

    The columns are those of the first block's rows (`names`: all the rows' keys, when given); a
    later block whose dicts hold more keys than the values read (a key not in the first block, or
    one whose value is None) makes it start again with all the rows' keys."""
    exact = names is not None
    if names is None:
        names = _order(set().union(*(it[-1] for it in items[:_BLOCK])).difference((skip,)), order)
    kinds = [plain.get(name) for name in names]
    seen = [False] * len(names)  # a value other than None met in the column
    none = type(None)
    body: list[str] = []
    get = attrgetter("get")
    for start in range(0, len(items), _BLOCK):
        fields = list(zip(*items[start : start + _BLOCK], strict=True))
        attrs = fields[-1]
        n = len(attrs)
        rows = list(map(tuple, map(map, map(get, attrs), repeat(names))))
        props = dict(zip(names, zip(*rows, strict=True) if names else (), strict=True))
        if not exact and sum(map(len, attrs)) != n + sum(n - values.count(None) for values in props.values()):
            every = set().union(*(it[-1] for it in items)).difference((skip,))
            return _quick_body(items, lead, lead_texts, plain, skip, order, _order(every, order))
        block = lead(fields, props)
        texts = list(lead_texts)
        for i, values in enumerate(props.values()):
            found = set(map(type, values))
            found.discard(none)
            if not found:
                block.append((None,) * n)  # a text column of empty cells: skipped by `_quoted_block`
                texts.append(True)
                continue
            kind = kinds[i]
            if found != {kind}:  # undeclared, reserved, or a value the model would convert
                return None
            seen[i] = True
            cells = _quick_cells(values, kind)  # type: ignore[arg-type]
            if cells is None:
                return None
            block.append(cells[0])
            texts.append(cells[1])
        body.append(_block_text(block, tuple(texts)))
    if not all(seen):  # a key whose every value is None: no property, no column
        kept = [name for name, s in zip(names, seen, strict=True) if s]
        items = [(*it[:-1], {k: it[-1][k] for k in kept if k in it[-1]}) for it in items]
        return _quick_body(items, lead, lead_texts, plain, skip, order, kept)
    return [_header(name, _QUICK_TYPES[k]) for name, k in zip(names, kinds, strict=True)], tuple(body)  # type: ignore[index]


def _quick_plain(columns: Any) -> dict[str, type]:
    """Each declared column's Python type when the model keeps its values as they are."""
    out = {}
    for name, col in columns.items():
        kind = plain_type(col)
        if kind is not None:
            out[name] = kind
    return out


@dataclass(frozen=True)
class _QuickJob:
    """One file of the quick way: its rows grouped from the graph, sorted and formatted by `make`
    (None: a value the model's way must word), and `size`, the number of rows, to share the work."""

    name: str
    kind: str  # "nodes" or "relationships", as `CsvFile.kind`
    size: int
    make: Callable[[], CsvFile | None]


def _quick_files(G: nx.MultiDiGraph, model: Model) -> list[CsvFile] | None:
    jobs = _quick_jobs(G, model)
    if jobs is None:
        return None
    files: list[CsvFile] = []
    for kind in ("nodes", "relationships"):
        for job in track([j for j in jobs if j.kind == kind], f"Writing the {kind[:-1]} files"):
            made = job.make()
            if made is None:
                return None
            files.append(made)
    return files


def _quick_jobs(G: nx.MultiDiGraph, model: Model) -> list[_QuickJob] | None:
    """The files of the quick way, node files first (in the model's label order), then the
    relationship files (in the order of the model's relation groups), each to be made by its job;
    None when a node or relationship falls outside the schema (the model's way words it)."""
    key = str(model.key)
    plain = {label: _quick_plain(model.node_columns(label)) for label in model.labels}
    sanctioned = model.sanctioned
    labels: dict[str, str] = {}
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for node, attrs in G._node.items():  # networkx's own dicts: its views cost a call per item
        label = attrs.get(LABEL)
        if type(node) is not str or type(label) is not str or label not in plain:
            return None
        labels[node] = label
        group = by_label.get(label)
        if group is None:
            group = by_label[label] = []
        group.append((node, attrs))
    pairs = set(model.endpoint_pairs)
    by_triple: dict[tuple[str, Any, str], list[tuple[str, str, str, dict[str, Any]]]] = {}
    for u, nbrs in G._adj.items():
        lu = labels[u]
        for v, keyed in nbrs.items():
            lv = labels[v]
            for k, attrs in keyed.items():
                triple = (lu, attrs.get(TYPE), lv)
                rels = by_triple.get(triple)  # one lookup, no new list, for all but a group's first
                if rels is None:
                    if triple not in pairs:
                        return None
                    rels = by_triple[triple] = []
                if type(k) is not str:
                    return None
                rels.append((u, v, k, attrs))
    jobs: list[_QuickJob] = []
    extra = [model.sanctioned_label] if model.sanctioned_label else []
    for label in [lab for lab in model.labels if lab in by_label]:
        what = f"nodes_{label}.csv"
        try:
            for s in (False, True):
                _cell([label, MARKER_LABEL, *(extra if s else [])], what)
        except ExportError:
            return None  # a label neo4j-admin cannot take: the model's way words it
        marks = {s: ARRAY_DELIMITER.join([label, MARKER_LABEL, *(extra if s else [])]) for s in (False, True)}

        def node_lead(fields: list[tuple[Any, ...]], props: dict[str, tuple[Any, ...]], marks: dict[bool, str] = marks) -> list[Any]:
            flags = props.get(sanctioned) if sanctioned else None  # the marker label from the block's own values
            return [fields[0], [marks[f is True] for f in flags] if flags else [marks[False]] * len(fields[0])]

        def node_file(what: str = what, label: str = label, lead: Any = node_lead) -> CsvFile | None:
            items = sorted(by_label[label], key=itemgetter(0))
            quick = _quick_body(items, lead, (True, True), plain[label], LABEL, list(model.node_columns(label)))
            if quick is None:
                return None
            return CsvFile(what, "nodes", [f"{key}:ID", ":LABEL", *quick[0]], body=quick[1])

        jobs.append(_QuickJob(what, "nodes", len(by_label[label]), node_file))
    by_type: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
    for triple in model.endpoint_pairs:  # the order of the model's relation groups
        if triple in by_triple:
            by_type.setdefault(triple[1], []).extend(by_triple[triple])
    rel_plain = _quick_plain(model.relation_columns())
    rel_order = list(model.relation_columns())
    for rtype, rels in by_type.items():
        if '"' in rtype:
            return None

        def rel_lead(fields: list[tuple[Any, ...]], props: dict[str, tuple[Any, ...]], rtype: str = rtype) -> list[Any]:
            n = len(fields[0])
            return [fields[0], fields[1], [rtype] * n, fields[2], ["true"] * n]

        def rel_file(what: str = f"relationships_{rtype}.csv", rels: list[Any] = rels, lead: Any = rel_lead) -> CsvFile | None:
            rels.sort(key=itemgetter(2))  # stable, as the model's way sorts
            quick = _quick_body(rels, lead, (True, True, False, True, False), rel_plain, TYPE, rel_order)
            if quick is None:
                return None
            header = [":START_ID", ":END_ID", ":TYPE", key, f"{MARKER_PROPERTY}:boolean", *quick[0]]
            return CsvFile(what, "relationships", header, body=quick[1])

        jobs.append(_QuickJob(f"relationships_{rtype}.csv", "relationships", len(rels), rel_file))
    return jobs


# --- the model's way: through its rows and the Bolt groups -----------------------------------------


def _generate(G: nx.MultiDiGraph, model: Model) -> list[CsvFile]:
    key = str(model.key)
    ngroups, rgroups = neo4j_groups(model, model.rows(G))
    files: list[CsvFile] = []
    by_label: dict[str, list[tuple[bool, dict[str, Any]]]] = {}
    for ng in ngroups:
        by_label.setdefault(ng.label, []).extend((ng.sanctioned, r) for r in ng.rows)
    for label, items in track(list(by_label.items()), "Writing the node files"):
        what = f"nodes_{label}.csv"
        rows = [r for _, r in items]
        items.sort(key=lambda it: it[1][key])
        columns = _columns([r for _, r in items], (key,))
        types = _column_types(columns, rows, what, (key,))
        cols = _order(types, list(model.node_columns(label)))
        header = [f"{key}:ID", ":LABEL", *(_header(c, types[c]) for c in cols)]
        extra = [model.sanctioned_label] if model.sanctioned_label else []
        marks = {s: _cell([label, MARKER_LABEL, *(extra if s else [])], what) for s in (False, True)}
        lead = [_string_cells([r[key] for _, r in items]), [marks[s] for s, _ in items]]
        table = _table(lead, [columns[c] for c in cols], [types[c] for c in cols], what)
        files.append(CsvFile(what, "nodes", header, table))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for rg in rgroups:
        by_type.setdefault(rg.type, []).extend(rg.rows)
    for rtype, rrows in track(list(by_type.items()), "Writing the relationship files"):
        what = f"relationships_{rtype}.csv"
        props = [r["p"] for r in rrows]
        rrows.sort(key=lambda r: r["id"])
        columns = _columns([r["p"] for r in rrows], (key, MARKER_PROPERTY))
        types = _column_types(columns, props, what, (key, MARKER_PROPERTY))
        cols = _order(types, list(model.relation_columns()))
        header = [":START_ID", ":END_ID", ":TYPE", key, f"{MARKER_PROPERTY}:boolean", *(_header(c, types[c]) for c in cols)]
        n = len(rrows)
        lead = [
            _string_cells([r["s"] for r in rrows]),
            _string_cells([r["t"] for r in rrows]),
            [rtype] * n,
            _string_cells([r["id"] for r in rrows]),
            ["true"] * n,
        ]
        table = _table(lead, [columns[c] for c in cols], [types[c] for c in cols], what)
        files.append(CsvFile(what, "relationships", header, table))
    return files


# --- the quick way in two processes -------------------------------------------------------------

_PARALLEL_ROWS = 200_000  # fewer rows than this: a second process costs more than it saves
_GAVE_UP = 3  # the child's exit status when a file needs the model's way


def _share(jobs: list[_QuickJob]) -> tuple[list[_QuickJob], list[_QuickJob]]:
    """Two shares of about equal rows, largest file first, each to the lighter share; each share
    keeps the files' order."""
    share: dict[str, int] = {}
    rows = [0, 0]
    for job in sorted(jobs, key=attrgetter("size"), reverse=True):
        share[job.name] = i = rows.index(min(rows))
        rows[i] += job.size
    return [j for j in jobs if share[j.name] == 0], [j for j in jobs if share[j.name] == 1]


def _can_fork(jobs: list[_QuickJob]) -> bool:
    """Whether to make the files in two processes: a graph large enough, on Linux (macOS forks
    badly under its system libraries, Windows not at all), with no other thread running (a forked
    child has one thread, and a lock another thread holds would never be released in it), and
    memory to spare for the child's copies (`_memory_to_spare`)."""
    return (
        sys.platform == "linux"
        and sum(j.size for j in jobs) >= _PARALLEL_ROWS
        and threading.active_count() == 1
        and _memory_to_spare()
    )


def _memory_to_spare() -> bool:
    """Whether the machine has as much memory available as this process holds. The child shares
    this process's memory until either writes to a page, and reading a Python object writes its
    reference count: at 1,000,000 nodes and 2,000,000 relationships the child copied 2.4 GB of a
    5 GB process. Less than that free, one process does it all rather than risk the kernel's
    out-of-memory killer (which the writer would survive, making the child's files itself, but
    another program on the machine might not)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            available = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:"))
        with open("/proc/self/statm", encoding="ascii") as fh:
            resident = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return available > resident


def _make_files(jobs: list[_QuickJob], directory: Path, advance: Callable[[int], None] | None = None) -> bool:
    """Make and write each job's file into `directory`; False at the first that gives up."""
    for job in jobs:
        made = job.make()
        if made is None:
            return False
        made.write(directory / made.name)
        if advance is not None:
            advance(1)
    return True


def _write_quick(jobs: list[_QuickJob], directory: Path) -> list[CsvFile] | None:
    """Make and write the quick way's files into `directory`: the files (their header and cells not
    kept), or None when one needs the model's way.

    On a large graph a forked child makes about half of them, chosen by rows (`_share`), beside
    this process: each reads its own rows' dicts, shared with the other until one writes to a page
    (the reference counts it changes), and writes its own files, so nothing is sent back but its
    exit status. Should the child fail (memory, a signal), this process makes its files again, and
    any error is raised here, as without a child."""
    mine, theirs = _share(jobs) if _can_fork(jobs) else (jobs, [])
    child = 0
    if theirs:
        child = os.fork()
        if child == 0:  # the child: its files, then its exit status, and nothing else of this process
            status = 1
            try:
                status = 0 if _make_files(theirs, directory) else _GAVE_UP
            finally:
                os._exit(status)
    try:
        with task("Writing the import files", total=len(jobs)) as advance:
            done = _make_files(mine, directory, advance)
            if child:
                status = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
                child = 0
                if status == _GAVE_UP:
                    done = False
                elif done:
                    done = status == 0 or _make_files(theirs, directory)
                advance(len(theirs))
    finally:
        if child:  # an error or an interrupt here: the child stops too, before the folder goes
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
    if not done:
        return None
    return [CsvFile(job.name, job.kind, []) for job in jobs]


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
    with no_gc():
        model = model_for(G, schema)
        jobs = _quick_jobs(G, model)
        files = _generate(G, model) if jobs is None else None  # errors surface before anything is written
    constraints = generate_schema_cypher(model.schema)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise ExportError(f"{target}: cannot write here ({exc.strerror}); choose another folder") from exc
    old: Path | None = None
    try:
        with no_gc():
            written = _write_quick(jobs, tmp) if jobs is not None else None
            if written is None:
                if files is None:  # the quick way met a value only the model's way words: its files replace these
                    for path in tmp.iterdir():
                        path.unlink()
                    files = _generate(G, model)
                for f in files:
                    f.write(tmp / f.name)
                written = files
        (tmp / "import.sh").write_text(import_script(written), encoding="utf-8")
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
