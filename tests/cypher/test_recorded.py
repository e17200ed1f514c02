"""The corpus on the embedded engine alone, judged against Neo4j's answers as recorded.

The oracle is still Neo4j 5.26: `python -m tests.cypher.record` keeps each query's canonical
answer from the server in tests/cypher/results.json, and the live corpus test
(test_corpus.py, `neo4j`-marked) fails when the server's answer is no longer the recorded one. This
mirror needs no server, so it runs in a few seconds and once per mutant in bench/mutation.py.

Each query must have the outcome recorded for it, by the rule of tests/cypher/compare.py:
identical rows where Neo4j's were identical, the expected refusal (quoting the construct, with a
hint) where one is expected, a QueryError where Neo4j rejects the query, and the known gaps
(``unsupported``) still a QueryError, not a crash or a silent answer. A query that now does better
than recorded fails too: the file is stale, refresh it. Every message the engine gives is also the
one tests/cypher/messages.txt holds for that query, word for word (see tests/cypher/messages.py),
and the text the translation gives each query is the one recorded beside Neo4j's answer. The kind
the translation works out for each column (`Translation.kinds`, which the type rules of the whole
translation rest on) must be the type of every value Neo4j returned in it.
"""

from __future__ import annotations

from typing import Any

import pytest

from .compare import Answer, kind_misfits
from .corpus import load_corpus, load_results
from .messages import STALE as STALE_MESSAGE
from .messages import load_messages, message_of
from .oracle import against
from .record import engine_text

ENTRIES = load_corpus()
RESULTS = load_results()
MESSAGES = load_messages()
STALE = "tests/cypher/results.json is stale: refresh it with `python -m tests.cypher.record` and review the diff"


@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in ENTRIES])
def test_corpus_query_against_recorded_neo4j(request: pytest.FixtureRequest, entry: Any) -> None:
    recorded = RESULTS.get(entry.id)
    assert recorded is not None and recorded.neo4j is not None, f"{STALE}: no Neo4j answer recorded for {entry.id}"
    # Writes and file access may get through and damage the database: those run on a copy.
    db = request.getfixturevalue("scratch_db" if entry.topic == "refusals" else "embedded_db")
    neo = Answer.from_json(recorded.neo4j)
    result = against(neo, db, entry.query, entry.params, refused=entry.refused, neo4j_error=entry.neo4j_error)
    assert result.outcome.kind == recorded.outcome, (
        f"recorded {recorded.outcome}, now {result.report(entry.query, entry.params)}\n"
        f"(a silent difference or a crash is a bug; a better outcome means {STALE})"
    )
    message = message_of(result.embedded.error)
    if message != MESSAGES.get(entry.id):
        pytest.fail(f"{STALE_MESSAGE}\n--- the file holds ---\n{MESSAGES.get(entry.id)}\n--- the engine says ---\n{message}", pytrace=False)


def test_every_recorded_message_is_of_a_corpus_query() -> None:
    stale = sorted(set(MESSAGES) - {e.id for e in ENTRIES})
    assert not stale, f"{STALE_MESSAGE}: messages of queries no longer in the corpus: {stale}"


def test_every_translation_is_the_recorded_text() -> None:
    """The Cypher text the translation gives each corpus query (with the schema and its parameters, as
    `python -m tests.cypher.record` wrote it in results.json) is the recorded one: text we generate
    gets a golden check. The answers above are the proof that a translation is right; this check
    makes every change of one visible, in the diff of results.json that the recording's review reads."""
    changed = [(e.id, RESULTS[e.id].translated, now) for e in ENTRIES if e.id in RESULTS and (now := engine_text(e.query, e.params)) != RESULTS[e.id].translated]
    shown = "".join(f"\n--- {key}: recorded ---\n{was}\n--- now ---\n{now}" for key, was, now in changed[:3])
    assert not changed, f"{len(changed)} translations differ from the recorded text ({STALE}):{shown}"


def test_every_column_has_the_kind_of_neo4js_values() -> None:
    """The kind the translation gives each column of a query answered identically is the type of every
    value Neo4j returned in it (a null fits any kind): Neo4j's answer checks the type rules, which the
    rows alone do not (a result of the wrong kind may print the same, then mislead what is built on it)."""
    from graph.embedded.translate import translate
    from graph.schema import load_schema

    schema, wrong = load_schema(), []
    for e in ENTRIES:
        recorded = RESULTS.get(e.id)
        if recorded is None or recorded.outcome != "identical":
            continue
        wrong += [f"{e.id} {m}" for m in kind_misfits(Answer.from_json(recorded.neo4j), translate(e.query, schema, e.params).kinds)]
    assert not wrong, "columns whose kind is not that of Neo4j's values:\n" + "\n".join(f"  {w}" for w in wrong[:10])
