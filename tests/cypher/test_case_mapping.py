"""toUpper() and toLower() of every character, on the real Neo4j and on the embedded engine.

The engine's own `upper()`/`lower()` miss Unicode's special casings (ß → SS, İ → i̇, ...) and a few
late case pairs; the translator replaces those characters first (`functions.case_exceptions`).
Neo4j is the oracle: no expected value here comes from our code.
"""

from __future__ import annotations

from typing import Any

import pytest

from .oracle import Neo4jOracle, embedded_answer

EVERY_CHARACTER = [chr(i) for i in range(1, 0x30000) if not 0xD800 <= i < 0xE000]

#: Capital sigmas in the contexts the translation decides (after a letter, before a space, a tab, a
#: line end or the end: ς; elsewhere σ), beside the special casings.
WORDS = ["ΟΔΟΣ", "ΟΔΟΣ ΑΣ Σ ΣΣ", "ΑΣΑ", "Σ", "aΣ", "ǅΣ", "ΑΣ\tΒ", "ΑΣ\nΣ", "ΣΑΣ", "İΣ", "straße İstanbul ﬁ ǰ ᾀ", ""]


@pytest.mark.neo4j
@pytest.mark.parametrize("fn", ["toUpper", "toLower"])
def test_every_character_is_cased_as_neo4j_cases_it(oracle: Neo4jOracle, embedded_db: Any, fn: str) -> None:
    query = f"UNWIND $cs AS c RETURN c, {fn}(c) AS cased"
    neo = oracle.run(query, {"cs": EVERY_CHARACTER})
    emb = embedded_answer(embedded_db, query, {"cs": EVERY_CHARACTER})
    assert neo.error is None and emb.error is None, (neo.error, emb.error)
    differ = [(n, e) for n, e in zip(neo.rows, emb.rows, strict=True) if n != e]
    assert len(neo.rows) == len(EVERY_CHARACTER) and not differ, differ[:10]


@pytest.mark.neo4j
def test_final_sigma_and_special_casings_in_words(oracle: Neo4jOracle, embedded_db: Any) -> None:
    query = "UNWIND $ws AS w RETURN w, toUpper(w) AS u, toLower(w) AS l"
    neo, emb = oracle.run(query, {"ws": WORDS}), embedded_answer(embedded_db, query, {"ws": WORDS})
    assert neo.error is None and emb.rows == neo.rows


@pytest.mark.neo4j
@pytest.mark.parametrize("word", ["Α-Σ", "ΑΣ-Β", "ΑΣ:Β", "Α1Σ", "'Σ", "ΑΣ\u0301"])
def test_a_sigma_beside_other_characters_stops_with_a_hint(oracle: Neo4jOracle, embedded_db: Any, word: str) -> None:
    # Neo4j decides these by Java's word boundaries ('Α-Σ' gives ς, 'ΑΣ-Β' σ): never a guess
    assert oracle.run("RETURN toLower($w) AS l", {"w": word}).error is None
    emb = embedded_answer(embedded_db, "RETURN toLower($w) AS l", {"w": word})
    assert "toLower() of a capital sigma (Σ) beside a character other than a letter or a space is not translated" in str(emb.error)
    assert "hint: Neo4j chooses between σ and ς" in str(emb.error)
