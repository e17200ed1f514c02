"""Neo4j's functions on the embedded engine: each one translated, or refused with what to write instead.

Only the functions listed here can reach the engine (its own functions that read files, such as
its CSV and Parquet readers, have no Neo4j name and so no way in). `call(translator, call, scope)`
returns the engine text and the kind of the value (node, rel, string, int, list[...], ...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from . import cypher as c
from .conversions import JAVA_WHITESPACE

if TYPE_CHECKING:
    from .translate import Scope, Translator

__all__ = ["DATE_FIELDS", "FUNCTIONS", "REFUSED", "call"]

Args = list[tuple[str, str]]
Handler = Callable[["Translator", c.Call, Args], tuple[str, str]]

#: The fields of a date that Cypher names (`d.year`, `date({year: ...})`, `date.truncate('year', d)`).
DATE_FIELDS = ("year", "quarter", "month", "week", "day")
DATE_MAP_KEYS = ("year", "month", "day")

#: Neo4j functions that have no faithful translation: construct name → what to write instead.
REFUSED = {
    "id": "Neo4j's internal ids cannot be reproduced; use n.id (the entity's stable id), or compare nodes with a = b",
    "elementid": "Neo4j's internal ids cannot be reproduced; use n.id (the entity's stable id), or compare nodes with a = b",
    "exists": "exists(n.prop) is not Neo4j 5 Cypher; write n.prop IS NOT NULL",
    "datetime": "the graph holds dates only (ISO strings); use date(...)",
    "localdatetime": "the graph holds dates only (ISO strings); use date(...)",
    "time": "the graph holds dates only; use date(...)",
    "localtime": "the graph holds dates only; use date(...)",
    "duration": "durations are not translated; compute with years: date(b).year - date(a).year",
    "duration.between": "durations are not translated; compute with years: date(b).year - date(a).year",
    "duration.inmonths": "durations are not translated; compute with years and months",
    "duration.indays": "durations are not translated; compute with years and months",
    "timestamp": "not available on the embedded engine",
    "valuetype": "not available on the embedded engine",
    "normalize": "not available on the embedded engine",
    "stdev": "compute it in pandas on the returned DataFrame (df['x'].std())",
    "stdevp": "compute it in pandas on the returned DataFrame (df['x'].std(ddof=0))",
    "point": "the graph has no spatial values",
    "point.distance": "the graph has no spatial values",
}


def _arity(t: Translator, e: c.Call, args: Args, *counts: int) -> None:
    if len(args) not in counts:
        want = " or ".join(str(n) for n in counts)
        raise c.syntax_error(t.text, e.at, f"{e.name}() takes {want} argument{'s' if counts != (1,) else ''}, not {len(args)}", len(e.name))


def _type(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if a[0][1] == "null":  # Neo4j: type(null) is null
        return "CAST(NULL AS STRING)", "string"
    if a[0][1] == "any":  # the engine fails on a value it typed otherwise (an item of an empty list is INT64)
        raise t.refuse(
            e,
            "type of this value",
            "type() of a value whose type the translation does not know is not translated",
            "call it on a relationship variable: MATCH ()-[r]->() RETURN type(r)",
            4,
        )
    if a[0][1] != "rel":
        raise c.syntax_error(t.text, e.at, "type() needs a relationship", 4)
    return f"{a[0][0]}._cubamed_type", "string"


def _labels(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    n = a[0][0]
    own = f"{n}._cubamed_label"
    marker, sanctioned = "Cubamed", t.schema.sanctioned_label
    if not (sanctioned and t.sanctioned):
        return f"(CASE WHEN {n} IS NULL THEN NULL ELSE ['{marker}', {own}] END)", "list[string]"
    # Neo4j lists labels in the order their names were first created in the database: the export's
    # schema.cypher creates Cubamed first, then the labels; Sanctioned comes with the first sanctioned entity.
    return (
        f"(CASE WHEN {n} IS NULL THEN NULL WHEN coalesce({n}.`{t.sanctioned}`, false) THEN ['{marker}', {own}, '{sanctioned}']"
        f" ELSE ['{marker}', {own}] END)",
        "list[string]",
    )


def _keys(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    subject, kind = a[0]
    if kind.startswith("map"):
        known = _known_keys(t, e, kind)
        if known is None:
            raise t.refuse(e, "keys of a map", "keys() of a map whose keys are not known here is not translated", _UNKNOWN_KEYS)
        return "[" + ", ".join(t.literal(k, e) for k in known) + "]", "list[string]"
    props = t.node_props if kind == "node" else t.rel_props if kind == "rel" else None
    if props is None:
        raise t.refuse(
            e, "keys", "keys() of a value that is not a node or relationship is not translated", "use keys(n) on a node or relationship"
        )
    parts = [f"CASE WHEN {subject}.`{k}` IS NULL THEN CAST([] AS STRING[]) ELSE ['{k}'] END" for k in _stored_order(t, kind)]
    return f"(CASE WHEN {subject} IS NULL THEN NULL ELSE list_concat({', '.join(parts[:1])}, {_concat(parts[1:])}) END)", "list[string]"


_UNKNOWN_KEYS = "test the keys you expect: m.key IS NOT NULL"


def _known_keys(t: Translator, e: c.Call, kind: str) -> list[str] | None:
    """The keys of the map that is `e`'s argument, of kind `kind` (`translate.keys_of_map`)."""
    from .translate import keys_of_map

    return keys_of_map(kind, t.shape(e.args[0], t.current_scope, kind))


def _stored_order(t: Translator, kind: str) -> list[str]:
    """The property keys in the order the exporter writes them (the schema's order)."""
    if kind == "node":
        return list(t.node_props)
    return list(t.rel_props)


def _concat(parts: list[str]) -> str:
    if not parts:
        return "CAST([] AS STRING[])"
    if len(parts) == 1:
        return parts[0]
    return f"list_concat({parts[0]}, {_concat(parts[1:])})"


def _substring(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    _arity(t, e, a, 2, 3)
    for arg in e.args[1:]:
        value = t.constant(arg)
        if isinstance(value, int) and value < 0:
            raise QueryError(f"substring() with a negative start or length: Neo4j rejects it\n{c.where_in(t.text, arg.at, 2)}")
    s, start = a[0][0], a[1][0]
    end = f"{start} + {a[2][0]}" if len(a) == 3 else f"size({codepoints(s)})"
    negative = " OR ".join(f"{x} < 0" for x, _ in a[1:])
    return unless(negative, NEGATIVE_LENGTH, f"list_to_string('', list_slice({codepoints(s)}, {start} + 1, {end}))"), "string"


def codepoints(x: str) -> str:
    """The characters of the string `x` as a list, as Neo4j counts them (code points). The engine's
    own size(), substring(), left(), right() and reverse() count grapheme clusters: `e` and a
    combining accent are one character there, two in Neo4j (tests/test_engine_bugs.py)."""
    return f"regexp_extract_all({x}, '(?s).')"


def _left(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    _arity(t, e, a, 2)
    return unless(f"{a[1][0]} < 0", NEGATIVE_LENGTH, f"list_to_string('', list_slice({codepoints(a[0][0])}, 1, {a[1][0]}))"), "string"


def _right(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    _arity(t, e, a, 2)
    (s, _), (n, _) = a
    size = f"size({codepoints(s)})"  # list_slice counts a start of 0 or less from the end: the whole string apart
    tail = f"list_to_string('', list_slice({codepoints(s)}, {size} - {n} + 1, {size}))"
    return unless(f"{n} < 0", NEGATIVE_LENGTH, f"(CASE WHEN {n} >= {size} THEN {s} ELSE {tail} END)"), "string"


def _null_literal(t: Translator, e: c.Call, a: Args) -> bool:
    """Whether a conversion's one argument is the null literal, whose conversion is null (whatever the
    engine would make of an untyped null)."""
    _arity(t, e, a, 1)
    return a[0][1] == "null"


def _or_null(handler: Handler, nulls: tuple[str, ...] = ()) -> Handler:
    """toXOrNull: the conversion of the values it converts, null for any other type (a list, a map, a node)."""

    def wrapped(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        if a[0][1] in ("node", "rel", "path", *nulls) or a[0][1].startswith(("list", "map")):
            return "NULL", "null"
        return handler(t, e, a)  # values it converts, or refuses (a float toString, an unknown type)

    return wrapped


def _to_integer(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if _null_literal(t, e, a):
        return "NULL", "null"
    x, kind = a[0]
    if kind == "int":
        return x, "int"
    if kind == "float":  # Java's (long): NaN is 0, beyond 64 bits the nearest end (the cast sees only values it holds)
        inside = f"(CASE WHEN {x} < 9.2233720368547758e18 AND {x} > -9.2233720368547758e18 THEN {x} ELSE 0.0 END)"
        truncated = f"cast(CASE WHEN {inside} >= 0 THEN floor({inside}) ELSE ceil({inside}) END, 'INT64')"
        return (
            f"(CASE WHEN {x} IS NULL THEN NULL WHEN {x} <> {x} THEN 0 WHEN {x} >= 9.2233720368547758e18 THEN 9223372036854775807"
            f" WHEN {x} <= -9.2233720368547758e18 THEN -9223372036854775808 ELSE {truncated} END)",
            "int",
        )
    if kind == "bool":
        return f"(CASE WHEN {x} THEN 1 WHEN NOT {x} THEN 0 END)", "int"
    if kind == "string":  # Java's rules, in Python (conversions.py)
        return f"cubamed_to_integer({x})", "int"
    raise t.refuse(
        e,
        "toInteger of this value",
        "toInteger() of a value of unknown type is not translated",
        "convert a string or a number: toInteger(n.year)",
    )


def _to_integer_or_null(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if a[0][1] == "string":  # an integer beyond 64 bits is null here, an error in toInteger()
        return f"cubamed_to_integer_or_null({a[0][0]})", "int"
    return _or_null(_to_integer, ("date",))(t, e, a)


def _to_float(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if _null_literal(t, e, a):
        return "NULL", "null"
    x, kind = a[0]
    if kind in ("int", "float"):
        return f"cast({x}, 'DOUBLE')", "float"
    if kind == "string":  # Java's Double.parseDouble, in Python (conversions.py)
        return f"cubamed_to_float({x})", "float"
    raise t.refuse(e, "toFloat of this value", "toFloat() of a value of unknown type is not translated", "convert a string or a number")


def _to_string(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if _null_literal(t, e, a):
        return "NULL", "null"
    x, kind = a[0]
    if kind == "string":
        return x, "string"
    if kind == "int":
        return f"cast({x}, 'STRING')", "string"
    if kind == "bool":
        return f"(CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' END)", "string"
    if kind == "date":
        return f"cast({x}, 'STRING')", "string"
    raise t.refuse(
        e,
        "toString of this value",
        "toString() of a float or of a value of unknown type is not translated (the engines format floats differently)",
        "convert integers and strings; format floats in Python",
    )


def _to_boolean(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if _null_literal(t, e, a):
        return "NULL", "null"
    x, kind = a[0]
    if kind == "bool":
        return x, "bool"
    if kind == "string":  # Java's white space around true or false, in any case (conversions.py)
        return f"cubamed_to_boolean({x})", "bool"
    if kind == "int":
        return f"({x} <> 0)", "bool"
    raise t.refuse(e, "toBoolean of this value", "toBoolean() of a value of unknown type is not translated", "compare instead: x = 'true'")


#: Java's white space (`conversions.JAVA_WHITESPACE`, which Neo4j's trim() strips) as a class of the
#: engine's regular expressions, in an engine string literal (backslashes doubled).
_SPACE = "[" + "".join(f"\\\\x{{{ord(ch):04x}}}" for ch in JAVA_WHITESPACE) + "]"


def _trim(x: str, which: str = "both") -> str:
    # The engine's trim() corrupts strings (tests/test_engine_bugs.py), and strips other white space
    # than Neo4j; a regular expression of Java's white space does neither.
    pattern = {"both": f"^{_SPACE}+|{_SPACE}+$", "left": f"^{_SPACE}+", "right": f"{_SPACE}+$"}[which]
    return f"regexp_replace({x}, '{pattern}', '', 'g')"


#: Calls whose list Neo4j builds afresh: reverse() takes it. A list read from the data (a stored
#: array: a property, or a value that came from one through WITH, an index or collect()) makes
#: Neo4j 5.26 fail with "Invalid input for function 'reverse()': Expected a string or a list".
_FRESH_LISTS = {"collect", "split", "keys", "labels", "range", "tail", "reverse", "nodes", "relationships", "reduce"}


def _reverse(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    x, kind = a[0]
    if kind.startswith("list"):
        arg = e.args[0]
        fresh = isinstance(arg, c.ListLit | c.ListComp | c.Slice) or (isinstance(arg, c.Binary) and arg.op == "+")
        if not (fresh or (isinstance(arg, c.Call) and arg.name.lower() in _FRESH_LISTS)):
            raise t.refuse(
                e,
                "reverse of a stored list",
                "reverse() of a list that may come from the data is not translated: Neo4j 5.26 fails on a stored list "
                "(\"Expected a string or a list\")",
                "reverse a copy, as Neo4j does: reverse(n.aliases[0..]) or reverse([a IN n.aliases | a])",
                len(e.name),
            )
        return f"list_reverse({x})", kind
    if kind == "string":
        return f"list_to_string('', list_reverse({codepoints(x)}))", "string"
    raise t.refuse(e, "reverse of this value", "reverse() of a value of unknown type is not translated", "reverse a list or a string")


def _head_last(which: str) -> Handler:
    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        _arity(t, e, a, 1)
        index = c.Lit(0 if which == "head" else -1, at=e.at)
        return t.e_index(c.Index(e.args[0], index, at=e.at), t.current_scope)

    return handler


def _tail(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    return t.e_slice(c.Slice(e.args[0], c.Lit(1, at=e.at), None, at=e.at), t.current_scope)


def _size(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if isinstance(e.args[0], c.PatternComp):  # size([(a)-->(b) WHERE ... | x]) is COUNT { (a)-->(b) WHERE ... }
        comp = e.args[0]
        return t.e_subquery(c.Subquery("COUNT", None, (comp.pattern,), comp.where, at=comp.at), t.current_scope)
    x, kind = a[0]
    if kind == "string":
        return f"size({codepoints(x)})", "int"
    if kind in ("any", "null") or kind.startswith("list"):
        return f"size({x})", "int"
    from .translate import _a, kind_words

    message = f"size() of {_a(kind_words(kind))} is not Neo4j 5 Cypher"
    raise t.refuse(e, "size of this value", message, "use COUNT { pattern } or size(list)")


def _of_path(t: Translator, e: c.Call, text: str) -> str:
    """`text` (a function of the path argument of `e`), null when the path is an unmatched OPTIONAL one
    (the engine gives a path of null nodes there, of length 0 or more)."""
    arg = e.args[0]
    b = t.current_scope.get(arg.name) if isinstance(arg, c.Var) else None
    if b is None or b.ends is None:
        return text
    return f"(CASE WHEN {b.ends[0]} IS NULL THEN NULL ELSE {text} END)"


def _length(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    x, kind = a[0]
    if kind == "path":  # its relationships counted: the engine's length() fails on a path passed through WITH (test_engine_bugs)
        return _of_path(t, e, f"size(rels({x}))"), "int"
    raise t.refuse(e, "length of this value", "length() takes a path in Neo4j 5", "use size() for strings and lists")


def _nodes(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    x, kind = a[0]
    if kind != "path":
        raise t.refuse(e, "nodes of this value", "nodes() takes a path", "name the path: MATCH p = ... RETURN nodes(p)")
    return _of_path(t, e, f"nodes({x})"), "list[node]"


def _relationships(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    x, kind = a[0]
    if kind != "path":
        raise t.refuse(
            e, "relationships of this value", "relationships() takes a path", "name the path: MATCH p = ... RETURN relationships(p)"
        )
    return _of_path(t, e, f"rels({x})"), "list[rel]"


def _endpoint(which: str) -> Handler:
    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        x, kind = a[0]
        if kind != "rel":
            raise c.syntax_error(t.text, e.at, f"{e.name}() needs a relationship", len(e.name))
        arg = e.args[0]
        ends = t.current_scope[arg.name].ends if isinstance(arg, c.Var) and arg.name in t.current_scope else None
        if ends is None:
            raise t.refuse(
                e,
                f"{e.name}()",
                f"{e.name}() of a relationship that is not named in a pattern is not translated",
                "name it with its endpoints, (a)-[r]->(b), and use a or b",
                len(e.name),
            )
        # the engine's own start_node() follows the direction of the match, not the stored one
        first = f"(id({ends[0]}) = struct_extract({x}, '_SRC'))"
        null = f"WHEN {x} IS NULL THEN NULL "  # an unmatched OPTIONAL relationship: null (its pattern's node is not)
        if which == "start":
            return f"(CASE {null}WHEN {first} THEN {ends[0]} ELSE {ends[1]} END)", "node"
        return f"(CASE {null}WHEN {first} THEN {ends[1]} ELSE {ends[0]} END)", "node"

    return handler


def _date(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    if not a:
        return "current_date()", "date"
    x, kind = a[0]
    if kind == "date":
        return x, "date"
    if isinstance(e.args[0], c.MapLit) and {k for k, _ in e.args[0].items} <= set(DATE_MAP_KEYS) and e.args[0].items:
        parts = dict(e.args[0].items)
        y, m, d = (t.expr(parts[k], t.current_scope)[0] if k in parts else "1" for k in DATE_MAP_KEYS)
        return f"make_date({y}, {m}, {d})", "date"
    if kind != "string" and kind != "any" and kind != "null":
        raise t.refuse(e, "date of this value", "date() of a map or number is not translated", "write date('2008-09-01') or date(r.date)")
    # partial ISO dates, as stored in the data: '2008' and '2008-09' mean the first day
    return f"date(CASE size({x}) WHEN 4 THEN concat({x}, '-01-01') WHEN 7 THEN concat({x}, '-01') ELSE {x} END)", "date"


def _date_truncate(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    _arity(t, e, a, 2)
    unit = t.constant(e.args[0])
    if unit not in DATE_FIELDS or a[1][1] != "date":
        raise t.refuse(
            e, "date.truncate", "date.truncate() is translated for a literal unit and a date", "date.truncate('month', date(x))", 13
        )
    return f"date_trunc('{unit}', {a[1][0]})", "date"


def _nullif(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    _arity(t, e, a, 2)
    return f"(CASE WHEN {a[0][0]} = {a[1][0]} THEN NULL ELSE {a[0][0]} END)", a[0][1]


def _trim_chars(which: str) -> Handler:
    """trim(s) / btrim(s, chars) and its left and right forms; chars must be a literal or parameter."""

    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        _arity(t, e, a, 1, 2)
        if len(a) == 1:
            return _trim(a[0][0], which), "string"
        chars = t.constant(e.args[1])
        if not isinstance(chars, str) or not chars:
            raise t.refuse(
                e, "trim characters", "the characters to trim must be a string literal or parameter", "btrim(s, 'x')", len(e.name)
            )
        cls = "[" + "".join("\\" + ch if ch in "\\]^-[" else ch for ch in chars) + "]"
        pattern = {"both": f"^{cls}+|{cls}+$", "left": f"^{cls}+", "right": f"{cls}+$"}[which]
        return f"regexp_replace({a[0][0]}, {t.literal(pattern, e)}, '', 'g')", "string"

    return handler


def _coalesce(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    t.one_shape(e, e.args, t.current_scope, "coalesce()", [k for _, k in a])
    from .translate import typed_empty_lists

    a = typed_empty_lists(list(a), [t.shape(x, t.current_scope, k) for x, (_, k) in zip(e.args, a, strict=True)])
    kinds = list(dict.fromkeys(k for _, k in a if k != "null"))  # in the arguments' order
    return f"coalesce({', '.join(x for x, _ in a)})", kinds[0] if len(kinds) == 1 else "any"


def _round(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    """round(x[, precision[, mode]]) with Java's rules, in Python (conversions.round_half_up,
    round_to): Math.round without a precision or with 0 and no mode (round(-2.5) is -2.0), else
    the decimal Java writes for x, rounded (round(-1.005, 2) is -1.01, the engine's -1.0)."""
    _arity(t, e, a, 1, 2, 3)
    x = f"cast({a[0][0]}, 'DOUBLE')"
    precision = t.constant(e.args[1]) if len(a) >= 2 else None
    if len(a) == 1 or (len(a) == 2 and precision == 0 and not isinstance(precision, bool)):
        return f"cubamed_round({x})", "float"
    p = a[1][0]
    if a[1][1] in ("float", "number"):  # Neo4j: a float precision is cut to an integer (1.9 is 1, -0.5 is 0)
        p = f"cast(CASE WHEN {p} >= 0 THEN floor({p}) ELSE ceil({p}) END, 'INT64')"
    if len(a) == 2:  # a precision known only at run time may be 0: Math.round then
        return f"(CASE WHEN {p} = 0 THEN cubamed_round({x}) ELSE cubamed_round_to({x}, {p}) END)", "float"
    return f"cubamed_round_by({x}, {p}, {a[2][0]})", "float"


def _of_float(name: str) -> Handler:
    """ceil(x), floor(x): a float, also of an integer (the engine's ceil(2) is the integer 2)."""

    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        _arity(t, e, a, 1)
        return f"{name}(cast({a[0][0]}, 'DOUBLE'))", "float"

    return handler


def _simple(name: str, kind: str | None = None, counts: tuple[int, ...] = (1,)) -> Handler:
    """The engine's function `name` of the same arguments, of kind `kind` (else its argument's),
    taking `counts` arguments (`abs()` gave the engine's "did not receive correct arguments")."""

    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        _arity(t, e, a, *counts)
        return f"{name}({', '.join(x for x, _ in a)})", kind or a[0][1]

    return handler


#: Where `replace(s, '', r)` stops: Neo4j puts r between the UTF-16 code units of s, which splits a
#: character beyond U+FFFF into two halves that are no text (the driver shows `?`).
REPLACE_REFUSED = "replace() with an empty search string in a string holding a character beyond U+FFFF"
#: Where `split(s, '')` stops, for the same reason: Neo4j splits between UTF-16 code units.
SPLIT_REFUSED = "split() by an empty delimiter of a string holding a character beyond U+FFFF"


#: Where the query stops because Neo4j's order of two strings depends on how it holds each (`Translator.utf8`).
ORDER_UNSURE = (
    "strings holding a character from U+E000 on, compared or ordered where Neo4j uses code points or UTF-16 code units "
    "depending on where each string came from"
)

#: Where Neo4j fails at run time on a value the translation cannot see: the query stops too.
NEGATIVE_LENGTH = "substring(), left() or right() with a negative start or length: Neo4j rejects it"
PERCENTILE_ON_A_VALUE = "percentileCont() of integers where the percentile falls on one of them, which Neo4j gives as an integer"
#: Where shortestPath() is asked for a path from a node to itself (`Translator.shortest_ends`).
SHORTEST_SAME_NODE = "shortestPath() whose start and end are the same node: Neo4j rejects it"
#: Where a function is given a value read from the data of a type it does not take (`ARGUMENT_KINDS`).
ARGUMENT_TYPE = "a function given a value of a type it does not take: Neo4j rejects it"
#: Neo4j sums integers in 64 bits and goes on in floats once a running total passes them, in an order
#: of rows the engine does not reproduce: where the total of the absolute values passes, the query stops.
SUM_BEYOND_64_BITS = "sum() of integers whose running total may pass 64 bits, where Neo4j goes on in floats"


def _failing_cast(condition: str, message: str) -> str:
    """An engine integer that is 0 where `condition` is false and stops the query with `message`
    where it is true: a cast that fails on those values only (the engine evaluates every branch of
    a CASE on every row, so only the failing value can be made conditional)."""
    from .translate import engine_literal

    return f"CAST(CASE WHEN {condition} THEN {engine_literal(message)} ELSE '0' END AS INT64)"


def unless(condition: str, message: str, value: str) -> str:
    """`value`, but the query stops with `message` on the rows where `condition` holds (a null
    stays a null)."""
    return f"(CASE WHEN {_failing_cast(condition, message)} = 0 THEN {value} END)"


def _stop_where(condition: str, message: str) -> str:
    """'' where `condition` is false, to be joined to a string; the query stops with `message`
    where it is true."""
    return f"replace(CAST({_failing_cast(condition, message)} AS STRING), '0', '')"


def _replace(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    """replace(s, search, r): the engine's, but for an empty search, which Neo4j (Java) answers with r
    before, between and after every character: `replace('abc', '', '-')` is `-a-b-c-`."""
    _arity(t, e, a, 3)
    (s, _), (search, _), (r, _) = a
    search_value = t.constant(e.args[1])
    if isinstance(search_value, str) and search_value:
        return f"replace({s}, {search}, {r})", "string"
    from .translate import engine_literal

    beyond = engine_literal("[\\x{10000}-\\x{10ffff}]")
    stop = _stop_where(f"regexp_matches({s}, {beyond})", REPLACE_REFUSED)
    between = f"concat({r}, list_to_string({r}, {codepoints(s)}), {r}, {stop})"
    return (
        f"(CASE WHEN {s} IS NULL OR {search} IS NULL OR {r} IS NULL THEN NULL WHEN {search} <> '' THEN replace({s}, {search}, {r})"
        f" WHEN {s} = '' THEN {r} ELSE {between} END)",
        "string",
    )


def _sign(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    """sign(x): the engine's sign of -0.0 and of NaN is -1, Neo4j's 0."""
    _arity(t, e, a, 1)
    x, kind = a[0]
    if kind == "int":
        return f"sign({x})", "int"
    # NaN is not equal to itself, and the engine holds it less than 0 (tests/test_engine_bugs.py)
    return f"(CASE WHEN {x} IS NULL THEN NULL WHEN {x} > 0 THEN 1 WHEN {x} < 0 AND {x} = {x} THEN -1 ELSE 0 END)", "int"


#: Case pairs of Unicode 13 (Latin Extended-D) that Neo4j's Java knows and the engine's tables lack.
LATE_CASE_PAIRS = "\ua7c7\ua7c8\ua7c9\ua7ca\ua7f5\ua7f6"

#: Blocks whose letters, beside a capital sigma, are a context checked against Neo4j (with white
#: space): Latin, Greek, Cyrillic, Greek Extended. Any other character there stops toLower().
SIGMA_BLOCKS = ((0x41, 0x24F), (0x370, 0x52F), (0x1F00, 0x1FFF))


@functools.cache
def sigma_patterns() -> tuple[str, str]:
    """(where Neo4j's final sigma is unsure, where Σ is final) as the engine's regexes. The letters
    are spelt out as ranges: `\\pL` costs the engine several milliseconds a query to compile."""
    import unicodedata

    ranges: list[list[int]] = []
    for lo, hi in SIGMA_BLOCKS:
        for i in range(lo, hi + 1):
            if unicodedata.category(chr(i)).startswith("L"):
                if ranges and ranges[-1][1] == i - 1:
                    ranges[-1][1] = i
                else:
                    ranges.append([i, i])
    letters = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)
    return f"[^{letters}\\s]Σ|[{letters}]Σ[^{letters}\\s]", f"([{letters}])Σ(\\s|$)"


SIGMA_FINAL_AS = r"\1ς\2"
SIGMA_REFUSED = "toLower() of a capital sigma (Σ) beside a character other than a letter or a space"


@functools.cache
def case_exceptions(upper: bool) -> dict[str, str]:
    """The characters whose upper (or lower) case in Neo4j the engine's `upper()` (`lower()`) gets
    wrong, and that case: Unicode's special casings that become several characters (ß → SS,
    ﬁ → FI, ᾀ → ἈΙ, İ → i̇) and `LATE_CASE_PAIRS`. Java and Python follow the same tables; the
    engine maps every other character as Neo4j does (checked over every character, README)."""
    out: dict[str, str] = {}
    for i in range(0x80, 0x10000):
        ch = chr(i)
        mapped = ch.upper() if upper else ch.lower()
        if len(mapped) > 1 or (ch in LATE_CASE_PAIRS and mapped != ch):
            out[ch] = mapped
    return out


def _recased(t: Translator, x: str, upper: bool, *, inner: str | None = None, also: str = "") -> str:
    """`x` in upper (lower) case as Neo4j has it: the engine's `upper()` (`lower()`), but values
    holding a character of `case_exceptions` (or of `also`) go character by character, those
    characters looked up in a table, the others through the engine's function; `inner`, a text of
    the same length as `x`, is what those values are read from (see `_to_lower`). The engine
    evaluates both branches of a CASE on every row (tests/test_engine_bugs.py): the other values go
    through an empty list of characters."""
    from .translate import engine_literal

    exceptions = case_exceptions(upper)
    fn = "upper" if upper else "lower"
    # the table as two strings split at run time: a list or map literal of its 105 entries costs the
    # engine 10 to 30 ms to bind; a character not in it is position 0, the engine's own case
    keys, values = (engine_literal("|".join(part)) for part in (exceptions, exceptions.values()))
    special = f"regexp_matches({x}, {engine_literal('[' + ''.join(exceptions) + also + ']')})"
    ch = t.fresh("x")
    chars = t.lambda_source(f"(CASE WHEN {special} THEN {codepoints(inner or x)} ELSE CAST([] AS STRING[]) END)", "list[string]")
    each = f"list_extract(list_concat([{fn}({ch})], string_split({values}, '|')), list_position(string_split({keys}, '|'), {ch}) + 1)"
    # a value holding such a character has one or more characters: '' is a value that has none
    return f"coalesce(nullif(list_to_string('', list_transform({chars}, {ch} -> {each})), ''), {fn}({x}))"


def _to_upper(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    _arity(t, e, a, 1)
    return _recased(t, a[0][0], upper=True), "string"


def _to_lower(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    """toLower(s), with Neo4j's final sigma: a capital Σ after a letter and before a space or the
    end becomes ς, elsewhere σ. Beside other characters Java's word boundaries decide (`Α-Σ` gives
    ς, `ΑΣ-Β` σ, `ΑΣ:Β` ς): the query then stops with `SIGMA_REFUSED` (a cast that fails on those
    values only) rather than guess. Only values holding a Σ or a character of `case_exceptions`
    are read through these expressions (`_recased`)."""
    from .translate import engine_literal

    _arity(t, e, a, 1)
    x = a[0][0]
    unsure, pattern = (engine_literal(v) for v in sigma_patterns())
    replacement = engine_literal(SIGMA_FINAL_AS)
    stop = _stop_where(f"regexp_matches({x}, {unsure})", SIGMA_REFUSED)
    final = f"regexp_replace(concat({x}, {stop}), {pattern}, {replacement}, 'g')"
    return _recased(t, x, upper=False, inner=final, also="Σ"), "string"


def _aggregate(name: str, kind: str | None = None) -> Handler:
    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        if e.star:
            return "count(*)", "int"
        _arity(t, e, a, 1)
        distinct = "DISTINCT " if e.distinct else ""
        x, xk = a[0]
        if xk == "path":  # an unmatched OPTIONAL path: a null, not counted nor collected
            x = _of_path(t, e, x)
        if xk == "null":  # null or a property no label has: the engine's aggregates need a type (else an assertion fails)
            x = f"CAST({x} AS INT64)"
        if name == "sum":
            # Neo4j's sum() of no values is 0; integers stay integers (the engine widens them: see results)
            total = f"coalesce(sum({distinct}{x}), 0)"
            if xk == "int":
                return unless(f"coalesce(sum(abs({x})), 0) > 9223372036854775807", SUM_BEYOND_64_BITS, total), "int"
            return total, ("float" if xk == "float" else "any")
        if name == "collect":
            if not e.distinct:
                return f"collect({x})", f"list[{xk}]"
            # The engine's collect(DISTINCT x) loses the order of the rows, which Neo4j keeps (the
            # first of each value); its list_distinct() keeps it, but crashes the process on nodes,
            # maps and lists of lists (tests/test_engine_bugs.py), which keep the engine's DISTINCT
            # and are refused where the order is Neo4j's (after WITH ... ORDER BY).
            if xk in _DISTINCT_IN_ORDER or (xk.startswith("list[") and xk[5:-1] in _DISTINCT_IN_ORDER):
                return f"list_distinct(collect({x}))", f"list[{xk}]"
            if t.ordered_rows:
                raise t.refuse(
                    e,
                    "collect(DISTINCT) in order",
                    "collect(DISTINCT x) of nodes, relationships, paths, maps or lists of those, after WITH ... ORDER BY, "
                    "loses the order on the embedded engine",
                    "make the rows distinct first, then collect: WITH DISTINCT x ORDER BY ... RETURN collect(x); "
                    "or collect a value of them: collect(DISTINCT n.id)",
                    len(e.name),
                )
            return f"collect(DISTINCT {x})", f"list[{xk}]"
        if name in ("min", "max") and (xk.startswith(("list", "map")) or xk in ("node", "rel", "path")):
            from .translate import kind_words

            listed = xk.startswith("list")
            raise t.refuse(
                e,
                f"{name}() of lists" if listed else f"{name}() of {kind_words(xk)}s",
                f"{name}() of lists, nodes, relationships, paths or maps is not translated (the engine compares only single values)",
                f"UNWIND the list first: UNWIND x.list AS v RETURN {name}(v)"
                if listed
                else f"order by one of its values and keep the first: ORDER BY x.name {'DESC ' if name == 'max' else ''}LIMIT 1",
                len(e.name),
            )
        if name in ("min", "max") and xk == "string":  # in Neo4j's order (`Translator.utf8`), and back to the value
            from .translate import from_utf16_order, utf16_order

            key = t.string_key(e.args[0], x, t.current_scope)
            if key == utf16_order(x):
                return from_utf16_order(f"{name}({distinct}{key})"), "string"
            return f"{name}({distinct}{key})", "string"
        return f"{name}({distinct}{x})", kind or xk

    return handler


#: Kinds of value whose collect(DISTINCT) keeps the order of the rows (`_aggregate`).
_DISTINCT_IN_ORDER = {"string", "int", "float", "number", "bool", "date"}


def _percentile(name: str) -> Handler:
    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        _arity(t, e, a, 2)
        (x, kind), (p, pk) = a
        if pk == "null":  # Neo4j: "must be a number in the range 0.0 to 1.0", before it runs
            message = f"the percentile of {e.name}() is null; Neo4j takes a number from 0.0 to 1.0 (write 0.5 for the median)"
            raise t.error(e.args[1], message)
        if kind == "null":  # the null literal: no value to aggregate (the engine cannot type it)
            x, kind = "CAST(NULL AS DOUBLE)", "float"
        if pk == "int":  # percentileDisc(x, 1): the engine takes a float only
            p = f"cast({p}, 'DOUBLE')"
        distinct = "DISTINCT " if e.distinct else ""  # the engine takes it as count() does
        value = f"{name}({distinct}{x}, {p})"
        if name == "percentilecont" and kind == "int":
            # Neo4j gives the value itself, an integer, where the position p * (n - 1) falls on one
            # (3 for [1, 3, 4] at 0.5), and a float between two: one engine column holds one type
            n = f"count({distinct}{x})"
            position = f"({p} * ({n} - 1))"
            return unless(f"{n} > 0 AND floor({position}) = {position}", PERCENTILE_ON_A_VALUE, value), "float"
        return value, ("float" if name == "percentilecont" else kind)

    return handler


#: Characters that start every part of a split (`_split`), the second for a delimiter holding the first.
SPLIT_MARKS = ("\x01", "\x02")


def _characters(s: str) -> str:
    """split(s, ''): the characters of `s`, and [''] for '' (as Neo4j; the engine's split cuts UTF-8
    sequences apart)."""
    return f"(CASE WHEN {s} = '' THEN [''] ELSE {codepoints(s)} END)"


def _split(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    """split(s, d): every part, empty ones too. The engine's `string_split` drops the empty parts
    but the last (`',a,,b,'` gives `['a', 'b', '']`; Neo4j `['', 'a', '', 'b', '']`), so a mark
    starts every part (one before the string, one after every delimiter), none is empty, and the
    mark is cut off each part again. An empty delimiter splits into characters, as in Neo4j."""
    _arity(t, e, a, 2)
    (s, _), (d, kind) = a
    if kind.startswith("list"):
        raise t.refuse(
            e,
            "split() by a list",
            "split() by a list of delimiters is not translated",
            "make them one delimiter first: split(replace(s, ';', ','), ',')",
            len(e.name),
        )

    def marked(mark: str) -> str:
        m = t.literal(mark, e)
        parts = f"string_split(concat({m}, replace({s}, {d}, concat({d}, {m}))), {d})"
        x = t.fresh("x")
        return f"list_transform({t.lambda_source(parts, 'list[string]')}, {x} -> substring({x}, 2, size({x})))"

    delimiter = t.constant(e.args[1])
    if isinstance(delimiter, str):
        if delimiter == "":
            from .translate import engine_literal

            beyond = engine_literal("[\\x{10000}-\\x{10ffff}]")
            return unless(f"regexp_matches({s}, {beyond})", SPLIT_REFUSED, _characters(s)), "list[string]"
        mark = next((m for m in SPLIT_MARKS if m not in delimiter), None)
        if mark is None:
            message = "a delimiter holding both \\u0001 and \\u0002 is not translated"
            raise t.refuse(e, "split() by control characters", message, "split by another one", len(e.name))
        return marked(mark), "list[string]"
    first = t.literal(SPLIT_MARKS[0], e)
    return (
        f"(CASE WHEN {d} = '' THEN {_characters(s)} WHEN contains({d}, {first}) THEN {marked(SPLIT_MARKS[1])} "
        f"ELSE {marked(SPLIT_MARKS[0])} END)",
        "list[string]",
    )


def _trim_handler(which: str) -> Handler:
    def handler(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
        _arity(t, e, a, 1)
        return _trim(a[0][0], which), "string"

    return handler


def _is_empty(t: Translator, e: c.Call, a: Args) -> tuple[str, str]:
    x, kind = a[0]
    if kind.startswith("map"):
        keys = _known_keys(t, e, kind)
        if keys is None:
            raise t.refuse(e, "isEmpty of a map", "isEmpty() of a map whose keys are not known here is not translated", _UNKNOWN_KEYS)
        return f"(CASE WHEN {x} IS NULL THEN NULL ELSE {'false' if keys else 'true'} END)", "bool"
    return f"(size({x}) = 0)", "bool"


STRING, NUMBER = ("string",), ("int", "float", "number")

#: The conversions and the kinds they take; their OrNull forms give null for any other kind (`_or_null`).
CONVERSIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "tointeger": ((*STRING, *NUMBER, "bool"),),
    "tofloat": ((*STRING, *NUMBER),),
    "toboolean": ((*STRING, "bool", "int"),),
    "tostring": ((*STRING, *NUMBER, "bool", "date"),),
}

#: The kinds of value Neo4j's functions take, argument by argument (the first ones; the others, and
#: the functions not listed, are checked by their handlers or by the engine, which fails as Neo4j
#: does). Given another kind, Neo4j fails ("Type mismatch" before it runs, or "Expected a string
#: value" on a value read from the data) where the engine converts it (`toLower(1)` is '1',
#: `round('2.5')` 3.0, `isEmpty(1)` false) or crashes (trim() of an integer: tests/test_engine_bugs.py).
ARGUMENT_KINDS: dict[str, tuple[tuple[str, ...], ...]] = {
    **dict.fromkeys(("tolower", "toupper", "lower", "upper", "trim", "left", "right", "substring"), (STRING,)),
    **dict.fromkeys(("char_length", "character_length"), (STRING,)),
    **dict.fromkeys(("btrim", "ltrim", "rtrim"), (STRING, STRING)),
    "replace": (STRING, STRING, STRING),
    "split": (STRING, (*STRING, "list")),
    **dict.fromkeys(("abs", "ceil", "floor", "round", "sign", "sqrt", "log", "log10", "exp"), (NUMBER,)),
    **dict.fromkeys(("sin", "cos", "tan", "asin", "acos", "atan", "degrees", "radians"), (NUMBER,)),
    "atan2": (NUMBER, NUMBER),
    "isempty": ((*STRING, "list", "map"),),
    **CONVERSIONS,
}

#: Functions whose result has the type of their arguments in Neo4j's semantic analysis (the others
#: have a type of their own, known before the query runs).
_TYPE_OF_ARGUMENTS = {"coalesce", "head", "last", "nullif", "min", "max"}


def _takes(wanted: tuple[str, ...], kind: str) -> bool:
    """Whether a value of `kind` is of one of the `wanted` kinds, or may be (unknown, or null)."""
    return kind in ("any", "null") or kind in wanted or any(kind.startswith(w) for w in wanted if w in ("list", "map"))


def typed_at_run_time(e: c.Expr) -> bool:
    """Whether Neo4j learns the type of `e` only when it runs (a property, a parameter, or a value
    computed from them), rather than in its semantic analysis (a literal, a function's result, a
    variable bound to a value of known type), where a type mismatch stops the query before it runs."""
    if isinstance(e, c.Prop | c.Param):
        return True
    if isinstance(e, c.Index | c.Slice):
        return typed_at_run_time(e.subject)
    if isinstance(e, c.Unary) and e.op in ("-", "+"):
        return typed_at_run_time(e.operand)
    if isinstance(e, c.Binary) and e.op in ("+", "-", "*", "/", "%", "^"):
        return typed_at_run_time(e.left) or typed_at_run_time(e.right)
    if isinstance(e, c.Call) and e.name.lower() in _TYPE_OF_ARGUMENTS:
        return any(typed_at_run_time(x) for x in e.args)
    if isinstance(e, c.Case):
        return any(typed_at_run_time(x) for _, x in e.whens) or (e.default is not None and typed_at_run_time(e.default))
    return False


def _argument_kinds(t: Translator, e: c.Call, name: str, args: Args) -> tuple[Args, str | None]:
    """`args`, checked against `ARGUMENT_KINDS`: a QueryRefused where an argument of another kind
    fails in Neo4j before the query runs; else (a value read from the data) the arguments with a
    typed null in place of those of another kind, and the condition on which the query must stop
    (every argument is not null: Neo4j gives null for a null argument before it checks the others)."""
    from .translate import _a, kind_words

    wanted = ARGUMENT_KINDS.get(name, ())
    wrong = [i for i, (want, (_, kind)) in enumerate(zip(wanted, args, strict=False)) if not _takes(want, kind)]
    if not wrong:
        return args, None
    first = wrong[0]
    if not all(typed_at_run_time(e.args[i]) for i in wrong):
        want = wanted[first]
        takes = [kind_words(w) for w in dict.fromkeys("number" if w in NUMBER and "float" in want else w for w in want)]
        given = kind_words(args[first][1])
        raise t.refuse(
            e.args[first],
            "argument of another type",
            f"{e.name}() takes {', '.join(_a(w) for w in takes[:-1])}{' or ' if len(takes) > 1 else ''}{_a(takes[-1])}, "
            f"not {_a(given)}: Neo4j fails on such a value (Type mismatch)",
            f"{e.name}OrNull() gives null for it instead"
            if name in CONVERSIONS
            else "convert it first: toString(x) for a string, toInteger(x) or toFloat(x) for a number",
        )
    typed_null = {"string": ("CAST(NULL AS STRING)", "string"), "int": ("CAST(NULL AS DOUBLE)", "float")}
    checked = [typed_null[wanted[i][0]] if i in wrong else a for i, a in enumerate(args)]
    if any(k == "null" for _, k in args):
        return checked, None  # a null argument: the result is null
    return checked, " AND ".join(f"({x}) IS NOT NULL" for x, _ in args)


#: The handler of each function. One made by a factory is written `(factory, *arguments)` and made when a
#: query calls the function (`call`), not when the module is imported: mutmut switches a mutant at each
#: call of the mutated function, so a factory run at import kept its own code under every one of its
#: mutants, which then survived unseen (bench/mutation.py).
FUNCTIONS: dict[str, Handler | tuple[Any, ...]] = {
    "type": _type,
    "labels": _labels,
    "keys": _keys,
    "startnode": (_endpoint, "start"),
    "endnode": (_endpoint, "end"),
    "nodes": _nodes,
    "relationships": _relationships,
    "length": _length,
    "size": _size,
    "head": (_head_last, "head"),
    "last": (_head_last, "last"),
    "tail": _tail,
    "reverse": _reverse,
    "range": (_simple, "range", "list[int]", (2, 3)),
    "coalesce": _coalesce,
    "substring": _substring,
    "left": _left,
    "right": _right,
    "toupper": _to_upper,
    "tolower": _to_lower,
    "upper": _to_upper,
    "lower": _to_lower,
    "trim": (_trim_handler, "both"),
    "btrim": (_trim_chars, "both"),
    "ltrim": (_trim_chars, "left"),
    "rtrim": (_trim_chars, "right"),
    "nullif": _nullif,
    "char_length": (_simple, "size", "int"),
    "character_length": (_simple, "size", "int"),
    "e": lambda t, e, a: ("2.718281828459045", "float"),
    "exp": lambda t, e, a: (f"pow(2.718281828459045, {a[0][0]})", "float"),
    "rand": lambda t, e, a: ("random()", "float"),
    "randomuuid": lambda t, e, a: ("cast(gen_random_uuid(), 'STRING')", "string"),
    "date.truncate": _date_truncate,
    "replace": _replace,
    "split": _split,
    "tointeger": _to_integer,
    "tointegerornull": _to_integer_or_null,
    "tofloat": _to_float,
    "tofloatornull": (_or_null, _to_float, ("bool", "date")),
    "tostring": _to_string,
    "toboolean": _to_boolean,
    "tobooleanornull": (_or_null, _to_boolean, ("date",)),
    "tostringornull": (_or_null, _to_string),
    "isempty": _is_empty,
    "date": _date,
    "abs": (_simple, "abs"),
    "ceil": (_of_float, "ceil"),
    "floor": (_of_float, "floor"),
    "round": _round,
    "sign": _sign,
    "sqrt": (_simple, "sqrt", "float"),
    "log": (_simple, "ln", "float"),
    "log10": (_simple, "log10", "float"),
    "pi": (_simple, "pi", "float", (0,)),
    "sin": (_simple, "sin", "float"),
    "cos": (_simple, "cos", "float"),
    "tan": (_simple, "tan", "float"),
    "asin": (_simple, "asin", "float"),
    "acos": (_simple, "acos", "float"),
    "atan": (_simple, "atan", "float"),
    "atan2": (_simple, "atan2", "float", (2,)),
    "degrees": (_simple, "degrees", "float"),
    "radians": (_simple, "radians", "float"),
    "count": (_aggregate, "count", "int"),
    "sum": (_aggregate, "sum"),
    "avg": (_aggregate, "avg", "float"),
    "min": (_aggregate, "min"),
    "max": (_aggregate, "max"),
    "collect": (_aggregate, "collect"),
    "percentilecont": (_percentile, "percentilecont"),
    "percentiledisc": (_percentile, "percentiledisc"),
}


#: String functions the engine gets wrong on a batch of rows that holds nulls: it returns null (or,
#: for concat, treats null as '') for rows whose value is not null (tests/test_engine_bugs.py).
#: Their call is guarded, so the engine runs them on non-null values only.
NULL_GUARDED = {
    "substring", "left", "right", "toupper", "tolower", "upper", "lower", "trim", "btrim", "ltrim", "rtrim", "replace", "split", "reverse",
}


def null_guard(text: str, args: list[str]) -> str:
    """`text` (a call on `args`) as null when any argument is: ``CASE WHEN a IS NULL ... THEN NULL ELSE text END``."""
    tested = [a for a in args if a != "NULL" and not re.fullmatch(r"-?\d+|'(?:[^'\\]|\\.)*'|\$\w+", a)]
    if not tested:
        return text
    return f"(CASE WHEN {' OR '.join(f'({a}) IS NULL' for a in tested)} THEN NULL ELSE {text} END)"


def call(t: Translator, e: c.Call, scope: Scope) -> tuple[str, str]:
    """The engine text and kind of the Neo4j function call `e`; `QueryRefused` when it has no faithful translation."""
    name = e.name.lower()
    if name in REFUSED:
        raise t.refuse(e, f"{e.name}()", f"{e.name}() is not translated", REFUSED[name], len(e.name))
    entry = FUNCTIONS.get(name)
    if name == "properties" and len(e.args) == 1 and not e.distinct:
        subject, kind = t.expr(e.args[0], scope)
        if kind.startswith("map") or kind == "null":  # Neo4j: properties() of a map is the map, of null null
            return subject, kind
    if name == "properties" and entry is None:  # translate.return_clause and translate.own_property read it
        raise t.refuse(
            e,
            "properties() as a value",
            "properties() is translated as a RETURN column of a node or relationship (RETURN properties(n)) "
            "and read by key (properties(n).iso3), not as a value passed on",
            "return it as a column, or read the keys you need: WITH n.iso3 AS iso3 "
            "(keys(n) for its keys; or WITH n, then properties(n) in RETURN)",
            len(e.name),
        )
    if entry is None:
        raise t.refuse(
            e,
            "unknown function",
            f"no function {e.name}() in Neo4j 5's read functions that the embedded engine translates",
            f"see {t.dialect} for the functions",
            len(e.name),
        )
    if e.distinct and name not in ("count", "sum", "avg", "min", "max", "collect", "percentilecont", "percentiledisc"):
        raise c.syntax_error(t.text, e.at, f"DISTINCT is only for aggregations, not {e.name}()", len(e.name))
    handler: Handler = entry[0](*entry[1:]) if isinstance(entry, tuple) else entry
    saved = t.current_scope
    t.current_scope = scope
    try:
        if name == "count" and e.distinct and len(e.args) == 1 and t.identity(e.args[0], scope) is not None:
            return f"count(DISTINCT {t.identity(e.args[0], scope)})", "int"  # count(DISTINCT id(n)): only identity matters
        if name == "size" and len(e.args) == 1 and isinstance(e.args[0], c.PatternComp):
            return handler(t, e, [])
        if name in ("count", "avg", "percentilecont", "tofloat"):
            args = [t.plain(x, scope) for x in e.args]  # their result does not carry an argument's integer-or-float type
        else:
            args = [t.expr(x, scope) for x in e.args]
        args, stop = _argument_kinds(t, e, name, args)
        text, kind = handler(t, e, args)
        if name in NULL_GUARDED and not (name == "reverse" and kind.startswith("list")):
            from .translate import ENGINE_LIST_TYPES

            typed = {"string": "STRING", **ENGINE_LIST_TYPES}.get(kind)
            if typed and any(k == "null" for _, k in args):  # split(null, ','): a null the engine can type
                return f"CAST(NULL AS {typed})", kind
            text = null_guard(text, [a for a, k in args if k != "null"])
        return (text if stop is None else unless(stop, ARGUMENT_TYPE, text)), kind
    finally:
        t.current_scope = saved
