"""Conversions of strings and the white space of trim(), on the real Neo4j and on the embedded engine.

Neo4j reads numbers and booleans in strings with Java's rules (`graph/embedded/conversions.py`), and
its trim() strips Java's white space. Neo4j is the oracle: no expected value here comes from our code.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from .oracle import Neo4jOracle, embedded_answer

#: Every character of the Basic Multilingual Plane but the surrogates, on both sides of a letter.
PADDED = [c + "a" + c for c in map(chr, range(0x10000)) if not 0xD800 <= ord(c) < 0xE000]

_SIGNS = ["", "+", "-"]
_BODIES = ["0", "7", "042", "4.9", ".5", "5.", "1e3", "1E-2", "2.5e+1", "١٢", "٣.٥", "１２", "0x1F", "0x1.8p1", "0X.8P1", "NaN", "Infinity", "x"]
_ENDS = ["", "d", "F", "L", "_0", "e", " "]
_AROUND = ["", " ", "\t", "\u000b", "\u001f", "\u0000", "\u00a0", "\u2003", "\u3000", "\u0085"]

#: Numbers as people and programs write them, with what Java reads around them: 7,560 strings.
NUMBERS = sorted({w + s + b + e + w for s, b, e, w in itertools.product(_SIGNS, _BODIES, _ENDS, _AROUND)})

#: Booleans in any case, with each kind of character around them.
BOOLEANS = [w + b + w2 for b in ("true", "FALSE", "tRuE", "falſe", "yes", "") for w, w2 in itertools.product(_AROUND, repeat=2)]


def _same(oracle: Neo4jOracle, db: Any, query: str, values: list[str]) -> None:
    neo, emb = oracle.run(query, {"xs": values}), embedded_answer(db, query, {"xs": values})
    assert neo.error is None and emb.error is None, (neo.error, emb.error)
    differ = [(n, e) for n, e in zip(neo.rows, emb.rows, strict=True) if n != e]
    assert len(neo.rows) == len(values) and not differ, differ[:10]


@pytest.mark.neo4j
def test_trim_strips_the_white_space_neo4j_strips(oracle: Neo4jOracle, embedded_db: Any) -> None:
    _same(oracle, embedded_db, "UNWIND $xs AS s RETURN s, trim(s) AS t, ltrim(s) AS l, rtrim(s) AS r", PADDED)


@pytest.mark.neo4j
def test_numbers_in_strings_are_read_as_neo4j_reads_them(oracle: Neo4jOracle, embedded_db: Any) -> None:
    # toIntegerOrNull: toInteger's reading, with null where toInteger fails (beyond 64 bits)
    _same(oracle, embedded_db, "UNWIND $xs AS s RETURN s, toIntegerOrNull(s) AS i, toFloat(s) AS f", NUMBERS)


@pytest.mark.neo4j
def test_booleans_in_strings_are_read_as_neo4j_reads_them(oracle: Neo4jOracle, embedded_db: Any) -> None:
    _same(oracle, embedded_db, "UNWIND $xs AS s RETURN s, toBoolean(s) AS b", BOOLEANS)


@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "9223372036854775807.5", "1e19"])
def test_an_integer_beyond_64_bits_fails_as_on_neo4j_and_says_what_to_use(embedded_db: Any, value: str) -> None:
    # Neo4j: "integer, 9223372036854775808, is too large" (tests/cypher/corpus/types.yaml records it)
    error = embedded_answer(embedded_db, "RETURN toInteger($s) AS i", {"s": value}).error
    assert f"integer, {value}, is too large" in str(error) and "toIntegerOrNull() gives null instead" in str(error)
    assert embedded_answer(embedded_db, "RETURN toIntegerOrNull($s) AS i", {"s": value}).rows == ((None,),)


def test_replace_by_an_empty_string_stops_where_neo4j_splits_a_character(embedded_db: Any) -> None:
    # Neo4j puts the replacement between the two UTF-16 halves of 😀, which are no text (the driver shows ?)
    error = embedded_answer(embedded_db, "RETURN replace($s, '', '-') AS r", {"s": "a😀b"}).error
    assert "replace() with an empty search string in a string holding a character beyond U+FFFF is not translated" in str(error)
    assert "hint: Neo4j splits such a character" in str(error)
    assert embedded_answer(embedded_db, "RETURN replace($s, '', '-') AS r", {"s": "aéb"}).rows == ((("str", "-a-é-b-"),),)


def test_split_by_an_empty_string_stops_where_neo4j_splits_a_character(embedded_db: Any) -> None:
    # Neo4j 5.26 gives split('😀b', '') as ['?', '?', 'b'] through the driver: the two UTF-16 halves of 😀
    error = embedded_answer(embedded_db, "RETURN split($s, '') AS r", {"s": "😀b"}).error
    assert "split() by an empty delimiter of a string holding a character beyond U+FFFF is not translated" in str(error)
    assert "hint: Neo4j splits such a character into two halves that are no text: split by a non-empty" in str(error)
    chars = (("list", (("str", "a"), ("str", "é"), ("str", "b"))),)
    assert embedded_answer(embedded_db, "RETURN split($s, '') AS r", {"s": "aéb"}).rows == (chars,)
