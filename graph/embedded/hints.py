"""Turn an error of the engine into a message that quotes the query as written and says what to do.

The translator refuses what it cannot translate before the engine runs (`QueryRefused`), so what
reaches here is what fails while running: a value of the wrong type, a parameter the engine cannot
hold, a date that does not parse. The engine's own text is kept (first line), the query is quoted
as the user wrote it (never the translation), and a hint follows.
"""

from __future__ import annotations

import re

from .functions import (
    ARGUMENT_TYPE,
    NEGATIVE_LENGTH,
    ORDER_UNSURE,
    PERCENTILE_ON_A_VALUE,
    REPLACE_REFUSED,
    SHORTEST_SAME_NODE,
    SIGMA_REFUSED,
    SPLIT_REFUSED,
    SUM_BEYOND_64_BITS,
)

__all__ = ["DIALECT", "engine_error"]

DIALECT = "docs/cypher-dialect.md"

#: (pattern of the engine's message, hint), first match wins.
HINTS = [
    (
        re.escape(SIGMA_REFUSED),
        "Neo4j chooses between σ and ς there by Java's word boundaries, which the embedded engine lacks: "
        "make it lower case first (toLower(replace(s, 'Σ', 'σ'))), or run it on Neo4j with --neo4j",
    ),
    (
        re.escape(REPLACE_REFUSED),
        "Neo4j splits such a character into two halves that are no text: replace by a non-empty string, "
        "or run it on Neo4j with --neo4j",
    ),
    (
        re.escape(SPLIT_REFUSED),
        "Neo4j splits such a character into two halves that are no text: split by a non-empty delimiter, "
        "or run it on Neo4j with --neo4j",
    ),
    (re.escape(NEGATIVE_LENGTH), "give a start and a length of 0 or more (Neo4j fails too)"),
    (
        re.escape(SHORTEST_SAME_NODE),
        "Neo4j fails too (\"The shortest path algorithm does not work when the start and end nodes are the same\"): "
        "leave out such rows first, WHERE a <> b",
    ),
    (
        re.escape(ARGUMENT_TYPE),
        "Neo4j fails too (\"Expected a string value\", \"requires numbers\"): convert the value first, "
        "toString(x) for a string, toInteger(x) or toFloat(x) for a number",
    ),
    (
        re.escape(ORDER_UNSURE),
        "Neo4j orders literals and stored strings by code points, parameters and strings made by toUpper(), "
        "replace() or + by UTF-16 code units: compare strings of one kind, or run it on Neo4j with --neo4j",
    ),
    (r"Precision argument to 'round\(\)' cannot be negative", "give a precision of 0 or more (Neo4j fails too)"),
    (
        r"Unknown rounding mode|Rounding necessary",
        "Neo4j fails too: give a mode among CEILING, FLOOR, UP, DOWN, HALF_EVEN, HALF_UP, HALF_DOWN",
    ),
    (re.escape(PERCENTILE_ON_A_VALUE), "convert first for a float every time, percentileCont(toFloat(x), p), or use percentileDisc(x, p)"),
    (re.escape(SUM_BEYOND_64_BITS), "sum floats instead: sum(toFloat(x)), as Neo4j does once the total passes 64 bits"),
    (
        r"integer, .*, is too large",
        "Neo4j's integers have 64 bits, and Neo4j fails here too: toIntegerOrNull() gives null instead, toFloat() a float",
    ),
    (
        r"Conversion exception.*date|parsing date",
        "a value is not a date date() can read; dates in the data are ISO strings such as 2008, 2008-09 or 2008-09-15",
    ),
    (
        r"Conversion exception|Could not convert",
        "a value could not be converted to the type the query needs; check it with toString() / toInteger() first",
    ),
    (
        r"has data type .* but .* was expected|Implicit cast is not supported|Cannot bind .* with parameter type",
        "the two sides have different types; convert one of them (toString(), toInteger(), toFloat())",
    ),
    (r"out of range|Overflow", "a number is out of range (the engine's integers have 64 bits)"),
    (
        r"[Pp]arameter",
        'check the parameters: -p name=value (JSON values are typed; a list must hold values of one type, e.g. [1, 2] or ["a", "b"])',
    ),
]


#: The messages of the casts that stop a query at run time, as the error shows them: where Neo4j's
#: answer is unsure, and where Neo4j fails on a value the translation could not see.
STOPS = {
    SIGMA_REFUSED: f"{SIGMA_REFUSED} is not translated",
    REPLACE_REFUSED: f"{REPLACE_REFUSED} is not translated",
    SPLIT_REFUSED: f"{SPLIT_REFUSED} is not translated",
    NEGATIVE_LENGTH: NEGATIVE_LENGTH,
    ARGUMENT_TYPE: ARGUMENT_TYPE,
    SHORTEST_SAME_NODE: SHORTEST_SAME_NODE,
    ORDER_UNSURE: f"{ORDER_UNSURE} is not translated",
    SUM_BEYOND_64_BITS: f"{SUM_BEYOND_64_BITS} is not translated",
    PERCENTILE_ON_A_VALUE: f"{PERCENTILE_ON_A_VALUE} is not translated",
}


def engine_error(exc: BaseException, cypher: str) -> str:
    """The message for the engine error `exc` raised by the translation of `cypher` (quoted as written)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^(Runtime|Binder|Conversion|Catalog|Parser) exception: ", "", text)
    for stop, shown in STOPS.items():  # the casts that stop a query at run time (functions.py)
        if stop in text:
            text = shown
    text = re.sub(r"^ConversionError: ", "", text)  # a conversion Neo4j refuses too (conversions.py)
    quoted = "\n".join(f"  {line}" for line in cypher.strip().splitlines())
    hint = next((h for pattern, h in HINTS if re.search(pattern, text)), None) or (
        f"the embedded engine could not run it; see {DIALECT} for what differs from Neo4j, or run it on Neo4j with --neo4j"
    )
    return f"Cypher error: {text}\nin the query:\n{quoted}\nhint: {hint}"
