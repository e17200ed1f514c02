"""Neo4j's conversions of strings, in Python, registered as functions of the embedded engine.

Neo4j reads numbers and booleans in strings with Java's rules, which the engine's casts do not
follow: `toFloat()` is `Double.parseDouble` (it ignores the control characters and spaces around
the text and reads `NaN`, `Infinity`, hexadecimal `0x1.8p1` and the suffixes `d` and `f`);
`toInteger()` reads a 64-bit integer (Unicode digits too, no spaces) or else a decimal number,
exactly (`'2.9999999999999999999'` is 2, not 3), truncated, and fails when it is out of range;
`toBoolean()` ignores Java's white space (`Character.isWhitespace`) around `true` or `false`, in
any case; `trim()` and its kin strip the same white space. Each rule below was measured against
Neo4j 5.26 (`tests/cypher/corpus/types.yaml`, `tests/test_conversions.py`).

The translator calls these functions by the names in `FUNCTIONS`; `register(conn)` declares them on
an engine connection. They take and return plain values, never touch a file, and a null in gives a
null out (the engine's default for functions).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
    localcontext,
)
from typing import Any

__all__ = [
    *("FUNCTIONS", "JAVA_WHITESPACE", "register", "round_half_up", "round_to"),
    *("to_boolean", "to_float", "to_integer", "to_integer_or_null"),
]

#: Java's `Character.isWhitespace`: the space separators but the no-break ones (U+00A0, U+2007,
#: U+202F), the line and paragraph separators, and the controls U+0009 to U+000D and U+001C to U+001F.
JAVA_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u2028\u2029\u205f\u3000"
)

# Double.parseDouble's grammar (ASCII digits only), after Java's trim() of every character up to U+0020.
_DECIMAL = re.compile(r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)", re.ASCII)
_HEX = re.compile(r"([+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?", re.ASCII)
# Long.parseLong and BigDecimal(String): Unicode decimal digits (`\d` of a str pattern, like Java's
# Character.isDigit), no spaces, an exponent that fits Java's int.
_LONG = re.compile(r"[+-]?\d+")
_BIG_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?")
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_INT_MAX = 2**31 - 1


class ConversionError(ValueError):
    """A value Neo4j refuses to convert (an integer beyond 64 bits): the query fails, as on Neo4j."""


def _java_trim(s: str) -> str:
    start, end = 0, len(s)
    while start < end and s[start] <= " ":
        start += 1
    while end > start and s[end - 1] <= " ":
        end -= 1
    return s[start:end]


def to_float(s: str) -> float | None:
    """Neo4j's toFloat() of a string: Java's `Double.parseDouble`, or null where it fails."""
    text = _java_trim(s)
    if _DECIMAL.fullmatch(text):
        sign, body = ("-", text[1:]) if text[:1] == "-" else ("", text.lstrip("+"))
        if body in ("NaN", "Infinity"):
            return float(sign + body.lower().replace("infinity", "inf"))
        return float(sign + body.rstrip("fFdD"))
    hexadecimal = _HEX.fullmatch(text)
    if hexadecimal:
        try:
            return float.fromhex(hexadecimal.group(1))
        except OverflowError:  # Java rounds an exponent beyond the range to an infinity
            return float("-inf") if text[:1] == "-" else float("inf")
    return None


def _integer(s: str, *, or_null: bool) -> int | None:
    if _LONG.fullmatch(s):
        value = int(s)  # Python's int() reads every Unicode decimal digit, as Java's does
    else:
        decimal = _BIG_DECIMAL.fullmatch(s)
        if not decimal or (decimal.group(1) is not None and abs(int(decimal.group(1))) > _INT_MAX):
            return None  # not a number, or an exponent BigDecimal cannot hold: null, as on Neo4j
        try:
            number = Decimal(s)
        except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
            return None
        if number.adjusted() > 19 or not _LONG_MIN <= number <= _LONG_MAX:  # before truncating, as Neo4j does
            return _too_large(s, or_null)
        return int(number)  # truncated towards zero
    if _LONG_MIN <= value <= _LONG_MAX:
        return value
    return _too_large(s, or_null)


def _too_large(s: str, or_null: bool) -> int | None:
    """Null for toIntegerOrNull(), the error Neo4j gives for toInteger()."""
    if or_null:
        return None
    raise ConversionError(f"integer, {s}, is too large")


def to_integer(s: str) -> int | None:
    """Neo4j's toInteger() of a string: a 64-bit integer, else a decimal number truncated, else null.

    An integer beyond 64 bits is an error, as on Neo4j (`toIntegerOrNull` gives null)."""
    return _integer(s, or_null=False)


def to_integer_or_null(s: str) -> int | None:
    """Neo4j's toIntegerOrNull() of a string: as `to_integer`, null where that fails."""
    return _integer(s, or_null=True)


def to_boolean(s: str) -> bool | None:
    """Neo4j's toBoolean() of a string: `true` or `false` in any case, Java's white space around."""
    word = s.strip(JAVA_WHITESPACE)
    if len(word) == 4 and word.lower() == "true":
        return True
    if len(word) == 5 and word.lower() == "false":
        return False
    return None


_MODES = {
    "CEILING": ROUND_CEILING,
    "FLOOR": ROUND_FLOOR,
    "UP": ROUND_UP,
    "DOWN": ROUND_DOWN,
    "HALF_EVEN": ROUND_HALF_EVEN,
    "HALF_UP": ROUND_HALF_UP,
    "HALF_DOWN": ROUND_HALF_DOWN,
}


def round_half_up(x: float) -> float:
    """Neo4j's round(x) and round(x, 0): Java's Math.round (half up towards +infinity, exactly, and
    saturated to 64 bits), as a float; NaN and the infinities stay as they are."""
    if math.isnan(x) or math.isinf(x):
        return x
    whole = math.floor(Decimal(x) + Decimal("0.5"))  # exact: 0.49999999999999994 rounds to 0
    return float(min(max(whole, _LONG_MIN), _LONG_MAX)) + 0.0  # + 0.0: no negative zero, as a Java long


def round_to(x: float, precision: int, mode: str = "HALF_UP") -> float:
    """Neo4j's round(x, precision, mode): the decimal that Java writes for x (`BigDecimal.valueOf`,
    `Double.toString`) rounded to `precision` places, so round(-1.005, 2) is -1.01 where the binary
    value alone gives -1.0. Neo4j's errors: a negative precision, an unknown mode, a mode
    UNNECESSARY that needs rounding."""
    if precision < 0:
        raise ConversionError("Precision argument to 'round()' cannot be negative")
    if mode != "UNNECESSARY" and mode not in _MODES:
        raise ConversionError(f"Unknown rounding mode {mode!r}. Valid values are: CEILING, FLOOR, UP, DOWN, HALF_EVEN, HALF_UP, HALF_DOWN")
    if math.isnan(x) or math.isinf(x):
        return x
    written = Decimal(repr(x))  # Python's shortest digits: Java 17's Double.toString gives the same but in rare cases
    with localcontext() as context:
        context.prec = 1100  # enough for every double at any precision it keeps
        place = Decimal(1).scaleb(-min(precision, 1100))
        rounded = written.quantize(place, rounding=_MODES.get(mode, ROUND_DOWN))
        if mode == "UNNECESSARY" and rounded != written:
            raise ConversionError("Rounding necessary")
    return float(rounded) + 0.0  # + 0.0: a BigDecimal has no negative zero


#: name in the engine -> (function, argument types, result type)
FUNCTIONS: dict[str, tuple[Callable[..., Any], list[str], str]] = {
    "cubamed_to_float": (to_float, ["STRING"], "DOUBLE"),
    "cubamed_to_integer": (to_integer, ["STRING"], "INT64"),
    "cubamed_to_integer_or_null": (to_integer_or_null, ["STRING"], "INT64"),
    "cubamed_to_boolean": (to_boolean, ["STRING"], "BOOL"),
    "cubamed_round": (round_half_up, ["DOUBLE"], "DOUBLE"),
    "cubamed_round_to": (round_to, ["DOUBLE", "INT64"], "DOUBLE"),
    "cubamed_round_by": (round_to, ["DOUBLE", "INT64", "STRING"], "DOUBLE"),
}


def register(conn: Any) -> None:
    """Declare the functions of `FUNCTIONS` on the engine connection `conn`."""
    for name, (function, arguments, result) in FUNCTIONS.items():
        conn.create_function(name, _plain(function, len(arguments)), arguments, result)


def _plain(function: Callable[..., Any], arity: int) -> Callable[..., Any]:
    # The engine reads a function's annotations (it knows no `float | None`) and counts its
    # parameters: hand it one without annotations, with exactly the parameters it declares.
    wrappers: dict[int, Callable[..., Any]] = {
        1: lambda a: function(a),
        2: lambda a, b: function(a, b),
        3: lambda a, b, c: function(a, b, c),
    }
    return wrappers[arity]
