"""The comparison rule of the differential tests: when the embedded engine's answer is Neo4j's.

Neo4j 5.26 is the only oracle. An answer is the column names and the rows; the embedded answer is
what ``EmbeddedDatabase.execute`` (the code under ``graph.query()`` and ``cubamed query``) returns,
Neo4j's is what the official driver returns for the same query and parameters in a read
transaction on the curated graph loaded with ``graph.export.export_neo4j``.

**Columns.** The names, in order, exactly as Neo4j names them.

**Values** are compared in one canonical form, with their types:

- ``null``; booleans; integers; floats; strings: each a different type (``1`` is not ``1.0``,
  ``true`` is not ``1``); a ``Decimal`` from the engine is its own type, so it never equals an
  integer or a float (it is a bug: Neo4j has no decimals).
- lists in order; maps as a set of key/value pairs.
- a node: its labels as a set (Neo4j lists them in its token order, which means nothing) and its
  properties exactly; the ``Cubamed`` marker label and the ``Sanctioned`` label that the export
  writes are part of Neo4j's answer, and the entity id is the ``id`` property.
- a relationship: its type, the ``id`` properties of its start and end nodes, and its properties
  exactly (the ``_cubamed: true`` marker property the export writes included).
- a path: its nodes and its relationships, in order.
- temporal values by kind and ISO text (a ``date`` is not a string, a ``datetime`` with a zone is
  not a ``localdatetime``); durations as (months, days, seconds, nanoseconds).

  The embedded side's values are read as ``graph.embedded.results`` documents them: a node is a
  dict with ``_label`` (or ``_labels``), a relationship a dict with ``_type``, ``_start`` and
  ``_end``, a path a dict with ``_nodes`` and ``_rels``; their other keys are properties.

**Floats** compare exactly, except in a query that aggregates (``avg``, ``sum``, ``stDev``,
``stDevP``, ``percentileCont``): there the two engines may add the same numbers in another order,
which changes the last bits, so a float may differ by a relative 1e-9 (summing fewer than 10,000
doubles in any order errs by far less, and every semantic difference, e.g. ``stDev`` against
``stDevP``, is far larger).

**Lists that no query orders** compare as multisets: a column holding ``collect(...)`` (or a
``COLLECT {}`` subquery) with no ORDER BY earlier in the query, ``labels(...)`` or ``keys(...)``.
A ``collect()`` after an ORDER BY must keep that order.

**Rows** compare as an ordered list when the final ORDER BY sorts on returned columns (a key is
the text of a RETURN item or its alias; whitespace does not matter): rows with equal sort keys are
ties, whose order means nothing, so the rows compare as a sequence of tie groups, each a multiset.
Otherwise (no final ORDER BY, a UNION, or a key that is not a returned column) rows compare as a
multiset. A query whose final ORDER BY is not on returned columns and that has SKIP or LIMIT is
not a valid test (which rows it keeps may depend on ties), nor is one whose sort keys tie among
the rows it returns while it has SKIP or LIMIT.

The outcome of one query (`Outcome.kind`) is one of:

- ``identical`` (pass): the same columns and rows;
- ``refused`` (pass only when the corpus expects the refusal): the engine raised
  ``graph.errors.QueryError`` whose message quotes the construct (the corpus entry's ``refused``
  text, as written in the query) and has a line ``hint: ...``;
- ``both-refuse`` (pass): Neo4j rejects the query (a corpus entry marked ``neo4j_error``) and the
  engine raises ``QueryError`` too;
- ``wrong`` (fail): another answer, with no error: a silent difference, the worst outcome;
- ``crash`` (fail): the engine raised something other than ``QueryError`` (a traceback);
- ``unsupported`` (fail): ``QueryError`` for a query the corpus expects to be answered;
- ``bad-refusal`` (fail): an expected refusal whose message does not quote the construct or
  has no hint.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = [
    "CLI_PASSING",
    "PASSING",
    "Answer",
    "Outcome",
    "canonical_embedded",
    "canonical_neo4j",
    "compare_answers",
    "fits_kind",
    "judge",
    "kind_misfits",
    "known_kind",
]

PASSING = frozenset({"identical", "refused", "both-refuse"})
FAILING = frozenset({"wrong", "crash", "unsupported", "bad-refusal"})
KINDS = PASSING | FAILING
#: The CLI check also passes a query whose parameters have no JSON form for ``-p`` (a date).
CLI_PASSING = PASSING | {"not-applicable"}
REL_TOLERANCE = 1e-9

Canon = Any  # nested tuples, hashable


@dataclass(frozen=True)
class Answer:
    """Column names and canonical rows of one engine, or the error it raised."""

    columns: tuple[str, ...] = ()
    rows: tuple[Canon, ...] = ()
    error: BaseException | None = None

    def to_json(self) -> dict[str, Any]:
        """The answer as JSON (tests/cypher/results.json keeps Neo4j's): the canonical tuples
        as lists, an error as its Neo4j code."""
        if self.error is not None:
            return {"error": getattr(self.error, "code", None) or type(self.error).__name__}
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows]}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Answer:
        """The answer `to_json` wrote: every list is a tuple again (JSON has no tuples, and a
        canonical value has no lists), so the rows compare equal to live ones."""
        if "error" in raw:
            return cls(error=RecordedNeo4jError(raw["error"]))
        return cls(tuple(raw["columns"]), tuple(_tuples(r) for r in raw["rows"]))

    def show(self, limit: int = 12) -> str:
        if self.error is not None:
            return f"{type(self.error).__name__}: {self.error}"
        lines = [f"columns {list(self.columns)}, {len(self.rows)} row(s)"]
        lines += [f"  {_plain(r)}" for r in self.rows[:limit]]
        if len(self.rows) > limit:
            lines.append(f"  ... {len(self.rows) - limit} more")
        return "\n".join(lines)


class RecordedNeo4jError(Exception):
    """Neo4j rejected the query when it was recorded (the message is Neo4j's error code)."""


def _tuples(x: Any) -> Canon:
    return tuple(_tuples(i) for i in x) if isinstance(x, list) else x


@dataclass(frozen=True)
class Outcome:
    kind: str
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.kind in PASSING


# --- canonical values --------------------------------------------------------------------------


def _scalar(v: Any) -> Canon | None:
    """The canonical form of a plain value, or None when `v` is not one."""
    if v is None:
        return None
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", "nan") if v != v else ("float", v)
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, Decimal):
        return ("decimal", str(v))
    return None


def _props(d: dict[str, Any], canon: Any) -> Canon:
    return ("map", tuple(sorted((k, canon(x)) for k, x in d.items())))


def _temporal(v: Any) -> Canon | None:
    import datetime as dt

    name = type(v).__name__
    if name == "Duration" or isinstance(v, dt.timedelta):
        if isinstance(v, dt.timedelta):
            return ("duration", 0, v.days, v.seconds, v.microseconds * 1000)
        return ("duration", v.months, v.days, v.seconds, v.nanoseconds)
    if name == "DateTime" or isinstance(v, dt.datetime):
        kind = "localdatetime" if v.tzinfo is None else "datetime"
        return (kind, v.isoformat())
    if name == "Date" or isinstance(v, dt.date):
        return ("date", v.isoformat())
    if name == "Time" or isinstance(v, dt.time):
        kind = "localtime" if v.tzinfo is None else "time"
        return (kind, v.isoformat())
    return None


def canonical_neo4j(v: Any, entity_ids: dict[str, str]) -> Canon:
    """The canonical form of a value from the Neo4j driver; `entity_ids` maps element ids to `id` properties."""
    from neo4j.graph import Node, Path, Relationship

    def canon(x: Any) -> Canon:
        plain = _scalar(x)
        if plain is not None or x is None:
            return plain
        if isinstance(x, Node):
            return ("node", tuple(sorted(x.labels)), _props(dict(x.items()), canon))
        if isinstance(x, Relationship):
            start = entity_ids.get(x.start_node.element_id) if x.start_node is not None else None
            end = entity_ids.get(x.end_node.element_id) if x.end_node is not None else None
            return ("rel", x.type, start, end, _props(dict(x.items()), canon))
        if isinstance(x, Path):
            return ("path", tuple(canon(n) for n in x.nodes), tuple(canon(r) for r in x.relationships))
        temporal = _temporal(x)  # before lists: the driver's Duration is a tuple
        if temporal is not None:
            return temporal
        if isinstance(x, (list, tuple)):
            return ("list", tuple(canon(i) for i in x))
        if isinstance(x, dict):
            return _props(x, canon)
        return ("other", type(x).__name__, repr(x))

    return canon(v)


def canonical_embedded(v: Any) -> Canon:
    """The canonical form of a value from ``EmbeddedDatabase.execute`` (see the module docstring)."""

    def canon(x: Any) -> Canon:
        plain = _scalar(x)
        if plain is not None or x is None:
            return plain
        if isinstance(x, dict):
            if "_nodes" in x and "_rels" in x:
                return ("path", tuple(canon(n) for n in x["_nodes"]), tuple(canon(r) for r in x["_rels"]))
            if "_type" in x and "_start" in x:
                props = {k: i for k, i in x.items() if k not in ("_type", "_start", "_end")}
                return ("rel", x["_type"], x["_start"], x.get("_end"), _props(props, canon))
            if "_labels" in x or "_label" in x:
                labels = x["_labels"] if "_labels" in x else [x["_label"]]
                props = {k: i for k, i in x.items() if k not in ("_labels", "_label")}
                return ("node", tuple(sorted(labels)), _props(props, canon))
            return _props(x, canon)
        temporal = _temporal(x)
        if temporal is not None:
            return temporal
        if isinstance(x, (list, tuple)):
            return ("list", tuple(canon(i) for i in x))
        return ("other", type(x).__name__, repr(x))

    return canon(v)


#: The tag of a canonical value of each scalar kind the translation gives a column (`Translation.kinds`).
_KIND_TAGS = {"int": ("int",), "float": ("float",), "number": ("int", "float"), "string": ("str",), "bool": ("bool",)}
_KIND_TAGS |= {k: (k,) for k in ("date", "node", "rel", "path")}


def fits_kind(kind: str, value: Canon) -> bool:
    """Whether a canonical value (from Neo4j) is one of `kind`, a kind of ``Translation.kinds``:
    the type Neo4j gave a value checks the one the translation worked out before running it. A null
    fits every kind; `any` fits every value; `list[K]` a list of values of kind K, `rels` one of
    relationships; `map{a,b}` a map of exactly those keys (`map{}` the empty map), `map` any map."""
    if value is None or kind == "any":
        return True
    tag = value[0]
    if kind in _KIND_TAGS:
        return tag in _KIND_TAGS[kind]
    if kind == "rels":
        return tag == "list" and all(fits_kind("rel", x) for x in value[1])
    if kind.startswith("list[") and kind.endswith("]"):
        return tag == "list" and all(fits_kind(kind[5:-1], x) for x in value[1])
    if kind == "map":
        return tag == "map"
    if kind.startswith("map{") and kind.endswith("}"):
        keys = kind[4:-1].split(",") if kind != "map{}" else []  # `map{}`: the empty map
        return tag == "map" and sorted(k for k, _ in value[1]) == sorted(keys)
    return False  # `null` (a null fits, above) and kinds this rule does not know


def known_kind(kind: str) -> bool:
    """Whether `kind` is written as ``Translation.kinds`` writes kinds (`fits_kind`'s): a misspelt
    one (``FLOAT``) fits no value but null, and would pass unseen in a column of nulls."""
    if kind in _KIND_TAGS or kind in ("any", "null", "rels", "map"):
        return True
    if kind.startswith("list[") and kind.endswith("]"):
        return known_kind(kind[5:-1])
    return kind.startswith("map{") and kind.endswith("}")


def kind_misfits(answer: Answer, kinds: list[str]) -> list[str]:
    """The columns of Neo4j's `answer` holding a value that is not of the kind the translation gave
    the column (`Translation.kinds`), each with the first such value, and the columns of a kind
    `known_kind` does not know; empty when every value fits."""
    if len(kinds) != len(answer.columns):
        return [f"{len(kinds)} kinds for the columns {list(answer.columns)}"]
    found = [f"{column}: {kind} is no kind" for column, kind in zip(answer.columns, kinds, strict=True) if not known_kind(kind)]
    for i, (column, kind) in enumerate(zip(answer.columns, kinds, strict=True)):
        misfit = next((row[i] for row in answer.rows if not fits_kind(kind, row[i])), None)  # a null fits every kind
        if misfit is not None:
            found.append(f"{column}: {kind}, Neo4j gave {misfit}")
    return found


def canonical_json(c: Canon) -> Canon:
    """A canonical value as JSON carries it (`cubamed query --format json`): temporal values are
    ISO strings there, so those parts of a driver value become strings."""
    if c is None:
        return None
    tag = c[0]
    if tag in ("date", "datetime", "localdatetime", "time", "localtime"):
        return ("str", c[1])
    if tag == "duration":
        from neo4j.time import Duration

        return ("str", Duration(months=c[1], days=c[2], seconds=c[3], nanoseconds=c[4]).iso_format())
    if tag == "list":
        return ("list", tuple(canonical_json(x) for x in c[1]))
    if tag == "map":
        return ("map", tuple((k, canonical_json(x)) for k, x in c[1]))
    if tag == "node":
        return ("node", c[1], canonical_json(c[2]))
    if tag == "rel":
        return ("rel", c[1], c[2], c[3], canonical_json(c[4]))
    if tag == "path":
        return ("path", tuple(canonical_json(n) for n in c[1]), tuple(canonical_json(r) for r in c[2]))
    return c


def _plain(c: Canon) -> Any:
    """A canonical value back in a readable form, for messages."""
    if c is None:
        return None
    if isinstance(c, tuple) and c and isinstance(c[0], str):
        tag = c[0]
        if tag in ("bool", "int", "str"):
            return c[1]
        if tag == "float":
            return float(c[1]) if c[1] != "nan" else math.nan
        if tag == "list":
            return [_plain(x) for x in c[1]]
        if tag == "map":
            return {k: _plain(x) for k, x in c[1]}
        if tag == "node":
            return f"(:{':'.join(c[1])} {_plain(c[2])})"
        if tag == "rel":
            return f"({c[2]})-[:{c[1]} {_plain(c[4])}]->({c[3]})"
        if tag == "path":
            return {"nodes": [_plain(n) for n in c[1]], "rels": [_plain(r) for r in c[2]]}
        return f"{tag}:{c[1:]}"
    if isinstance(c, tuple):
        return [_plain(x) for x in c]
    return c


# --- comparison --------------------------------------------------------------------------------


def _sorted_list(c: Canon) -> Canon:
    if isinstance(c, tuple) and c and c[0] == "list":
        return ("list", tuple(sorted(c[1], key=repr)))
    return c


def unorder(rows: tuple[Canon, ...], columns: frozenset[int]) -> tuple[Canon, ...]:
    """`rows` with the lists of `columns` sorted (lists whose order no query fixes)."""
    if not columns:
        return rows
    return tuple(tuple(_sorted_list(v) if i in columns else v for i, v in enumerate(r)) for r in rows)


def _rounded(c: Canon) -> Canon:
    if isinstance(c, tuple) and len(c) == 2 and c[0] == "float" and isinstance(c[1], float):
        return ("float", float(f"{c[1]:.8g}"))
    if isinstance(c, tuple):
        return tuple(_rounded(x) for x in c)
    return c


def _close(a: Canon, b: Canon) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        if len(a) == 2 == len(b) and a[0] == b[0] == "float" and isinstance(a[1], float) and isinstance(b[1], float):
            return math.isclose(a[1], b[1], rel_tol=REL_TOLERANCE, abs_tol=REL_TOLERANCE)
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _same_multiset(a: list[Canon], b: list[Canon], tolerant: bool) -> bool:
    if not tolerant:
        return Counter(a) == Counter(b)
    if len(a) != len(b):
        return False
    key = lambda r: repr(_rounded(r))  # noqa: E731
    return all(_close(x, y) for x, y in zip(sorted(a, key=key), sorted(b, key=key), strict=True))


def tie_groups(rows: tuple[Canon, ...], keys: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each run of consecutive rows with equal values in the `keys` columns."""
    groups: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or [rows[i][k] for k in keys] != [rows[start][k] for k in keys]:
            groups.append((start, i))
            start = i
    return groups


def compare_answers(neo: Answer, emb: Answer, *, keys: list[int] | None, tolerant: bool) -> str | None:
    """None when `emb` is `neo` by the rule above, else what differs (one line).

    `keys` are the ORDER BY's column positions (None: compare rows as a multiset).
    """
    if emb.columns != neo.columns:
        return f"columns differ: Neo4j {list(neo.columns)}, embedded {list(emb.columns)}"
    if len(emb.rows) != len(neo.rows):
        return f"{len(neo.rows)} row(s) in Neo4j, {len(emb.rows)} embedded"
    if keys is None:
        if _same_multiset(list(neo.rows), list(emb.rows), tolerant):
            return None
        return "other rows (compared as a multiset)"
    for start, end in tie_groups(neo.rows, keys):
        if not _same_multiset(list(neo.rows[start:end]), list(emb.rows[start:end]), tolerant):
            if _same_multiset(list(neo.rows), list(emb.rows), tolerant):
                return f"same rows, other order (first at row {start})"
            return f"other rows (first difference at row {start})"
    return None


def order_problem(neo: Answer, keys: list[int] | None, *, paginated: bool, has_order: bool, union: bool = False) -> str | None:
    """Why a query cannot be compared fairly (its SKIP/LIMIT may cut ties), or None.

    `keys` are the positions of the last ORDER BY's keys; in a UNION they sort the last part only,
    whose rows cannot be told apart, so there no two rows may share their sort keys at all.
    """
    if not paginated or not has_order:
        return None
    if keys is None:
        return "the final ORDER BY sorts on something that is not a returned column, and SKIP/LIMIT may cut ties"
    if union:
        values = [tuple(r[k] for k in keys) for r in neo.rows]
        if len(set(values)) < len(values):
            return "two rows of a UNION share their ORDER BY keys and the last part's SKIP/LIMIT may cut the tie"
        return None
    for start, end in tie_groups(neo.rows, keys):
        if len(set(neo.rows[start:end])) > 1:
            return f"rows {start}..{end - 1} tie on the ORDER BY keys and SKIP/LIMIT may cut the tie; order on more columns"
    return None


def judge(
    neo: Answer,
    emb: Answer,
    *,
    keys: list[int] | None,
    tolerant: bool,
    refused: str | None = None,
    neo4j_error: bool = False,
) -> Outcome:
    """The outcome of one query (see the module docstring for the kinds)."""
    from graph.errors import QueryError

    if emb.error is not None and not isinstance(emb.error, QueryError):
        return Outcome("crash", f"{type(emb.error).__name__}: {emb.error}")
    if neo.error is not None:
        if not neo4j_error:
            raise AssertionError(f"Neo4j rejects this corpus query (mark it neo4j_error if meant): {neo.error}")
        if emb.error is not None:
            return Outcome("both-refuse", _first_line(emb.error))
        return Outcome("wrong", "Neo4j rejects the query, the engine answered:\n" + emb.show())
    if neo4j_error:
        raise AssertionError("the corpus entry says Neo4j rejects this query, but Neo4j answered")
    if emb.error is not None:
        message = str(emb.error)
        if refused is None:
            return Outcome("unsupported", _first_line(emb.error))
        hinted = any(line.strip().lower().startswith("hint:") for line in message.splitlines())
        if refused in message and hinted:
            return Outcome("refused", _first_line(emb.error))
        missing = [what for what, ok in (("the construct " + repr(refused), refused in message), ("a hint: line", hinted)) if not ok]
        return Outcome("bad-refusal", f"message lacks {' and '.join(missing)}: {message}")
    difference = compare_answers(neo, emb, keys=keys, tolerant=tolerant)
    if difference is None:
        return Outcome("identical")
    return Outcome("wrong", difference)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
