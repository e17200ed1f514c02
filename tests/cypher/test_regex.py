"""`=~` with Java's regular expressions (Neo4j) against the engine's RE2, translated by graph/embedded/regex.py.

Neo4j is the oracle: every pattern runs on both over the same strings. The refused constructs
are checked to be refused with a hint, never answered.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.embedded.regex import RegexRefused, java_to_re2

from .oracle import Neo4jOracle, embedded_answer

SUBJECTS = [
    "É", "é", "E", "ée", "x é", "abc", "a\nc", "a\rc", "a\u2028c", "ÀB", "a\x0bb", "a b", "Cuba", "cuba", "CUBA",
    "café", "CAFÉ", "x1", "", "a.b", "ß", "SS", "K", "\u212a", "é\u0301",
]  # fmt: skip

#: Patterns whose meaning differs between Java and RE2 as written (case folding beyond ASCII, `.`
#: and line terminators, `\s` and the vertical tab, `\v`, `\u`), and ordinary ones.
PATTERNS = [
    "(?i)é", "(?i)e", "\\w+", "(?iu)é", "a.c", "(?s)a.c", "\\p{Lu}.*", "a\\sb", "(?i)cuba", "(?i)CAF.", "(?iu)caf.",
    "(?i)[a-z]+", "[A-Z][a-z]+", "(?i)k", "(?iu)k", "(?iu)ß", "\\Qa.b\\E", "a\\.b", "(?i:c)uba", "x(?i)1", ".*",
    "[^a]*", "\\S+", "a\\vc", "(?i)[é]", "(?iu)[é]", "\\u00e9.*", "(?<w>[a-z])bc",
]  # fmt: skip

REFUSED = ["\\bé", "[[:alpha:]]+", "(?=a).*", "a++", "(?m)^a", "[a-z&&[^b]]", "(a)\\1", "(?x)a b", "\\p{Alpha}+", "(?>a)"]


@pytest.mark.neo4j
@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_pattern_matches_what_it_matches_in_neo4j(oracle: Neo4jOracle, embedded_db: Any, pattern: str) -> None:
    query = "UNWIND $ss AS s RETURN s, s =~ $p AS m"
    neo, emb = oracle.run(query, {"ss": SUBJECTS, "p": pattern}), embedded_answer(embedded_db, query, {"ss": SUBJECTS, "p": pattern})
    assert neo.error is None and emb.error is None, (neo.error, emb.error)
    assert emb.rows == neo.rows


@pytest.mark.parametrize("pattern", REFUSED)
def test_a_pattern_without_a_faithful_translation_is_refused(pattern: str) -> None:
    with pytest.raises(RegexRefused) as err:
        java_to_re2(pattern)
    assert err.value.hint


def test_a_pattern_read_from_the_data_is_refused(embedded_db: Any) -> None:
    from graph.errors import QueryRefused

    with pytest.raises(QueryRefused) as err:
        embedded_db.execute("MATCH (s:State) RETURN s.name =~ s.iso3 AS m")
    assert "regular expression read from the data" in str(err.value) and "hint: pass the pattern as a parameter" in str(err.value)
