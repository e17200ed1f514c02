"""The CI's random queries (tests/cypher/generate.py) on the embedded engine alone, judged against
Neo4j's answers as recorded.

The oracle is still Neo4j 5.26: ``python bench/fuzz_cypher.py --record-known`` keeps Neo4j's
canonical answer to each of the CI run's queries (`fuzz.CI_SEED`, `fuzz.CI_COUNT`) in
tests/cypher/fuzz_answers.json.gz, and the live fuzz test (test_fuzz.py, `neo4j`-marked) fails when
the server's answer is no longer the recorded one. This mirror needs no server, so mutation testing
(bench/mutation.py) runs it once per mutant: the generated queries reach far more of the
translator's type rules and functions than the corpus does.

Each query is regenerated from the seed and must be the recorded one (same hash of text and
parameters), else the file is stale. Its outcome, by the rule of tests/cypher/compare.py, must be
the recorded one, and that may only be identical rows or a known refusal (a QueryError of a query
Neo4j answers, listed in tests/cypher/fuzz_known.json): a wrong answer or a crash always fails, a new
refusal fails, and a known refusal that now answers means the files are stale.
"""

from __future__ import annotations

from typing import Any

import pytest

import graph
from graph.schema import load_schema

from .compare import PASSING, kind_misfits
from .fuzz import ANSWERS_FILE, CI_COUNT, CI_SEED, REFRESH, TOLERATED, Answered, load_answers, load_known, text_hash
from .generate import Catalog, Query, generate
from .oracle import against

HEADER, ANSWERS = load_answers()
STALE = f"tests/cypher/{ANSWERS_FILE.name} is stale: refresh it with `{REFRESH}` (against Neo4j 5.26) and review the diff"


@pytest.fixture(scope="module")
def queries() -> list[Query]:
    """The CI run's queries, regenerated from the seed."""
    return list(generate(Catalog.from_graph(graph.load(), load_schema()), CI_SEED, CI_COUNT))


def test_the_recording_is_of_the_ci_run(queries: list[Query]) -> None:
    assert (HEADER.get("seed"), HEADER.get("count")) == (CI_SEED, CI_COUNT), f"{STALE}: it records another run ({HEADER})"
    assert sorted(ANSWERS) == list(range(CI_COUNT)), f"{STALE}: it lacks queries"
    changed = [i for i, q in enumerate(queries) if text_hash(q) != ANSWERS[i].hash]
    assert not changed, f"{STALE}: the generator (or the data it draws from) now writes other queries at {changed[:20]}"


def test_the_recorded_refusals_are_the_known_ones() -> None:
    """Only refusals may be recorded as outcomes other than identical, and exactly those that
    tests/cypher/fuzz_known.json lists (the live CI test checks that file)."""
    _, known = load_known()
    refused = {i: a.outcome for i, a in ANSWERS.items() if a.outcome not in PASSING}
    assert refused == {i: k.kind for i, k in known.items()}, f"{STALE}: its outcomes disagree with tests/cypher/fuzz_known.json"
    assert set(refused.values()) <= TOLERATED, f"wrong answers or crashes were recorded at {sorted(refused)}: fix them, never record them"


@pytest.mark.parametrize("index", range(CI_COUNT), ids=lambda i: f"q{i}")
def test_random_query_against_recorded_neo4j(embedded_db: Any, queries: list[Query], index: int) -> None:
    q = queries[index]
    recorded: Answered | None = ANSWERS.get(index)
    assert recorded is not None and recorded.hash == text_hash(q), f"{STALE}: query #{index} is not the recorded one"
    result = against(recorded.neo4j, embedded_db, q.text(), q.params)
    kind = result.outcome.kind
    if result.outcome.passed and kind == recorded.outcome:
        return
    if kind in TOLERATED and kind == recorded.outcome:
        return  # a known refusal, in tests/cypher/fuzz_known.json with its shrunk query
    report = result.report(q.text(), q.params)
    if kind in TOLERATED:
        pytest.fail(f"#{index}: a new refusal of a query Neo4j answers:\n{report}\n(if it is expected: {STALE})", pytrace=False)
    if result.outcome.passed:
        pytest.fail(f"#{index}: recorded {recorded.outcome}, now {kind}: {STALE}", pytrace=False)
    pytest.fail(f"#{index}: {report}\n(a silent difference or a crash: fix it or refuse the construct with a hint)", pytrace=False)


def test_every_column_has_the_kind_of_neo4js_values(queries: list[Query]) -> None:
    """As the corpus's (test_recorded.py): the kind the translation gives each column of a query
    answered identically is the type of every value Neo4j returned in it."""
    from graph.embedded.translate import translate

    schema, wrong = load_schema(), []
    for i, q in enumerate(queries):
        recorded = ANSWERS.get(i)
        if recorded is None or recorded.outcome != "identical" or recorded.hash != text_hash(q):
            continue
        wrong += [f"#{i} {m}" for m in kind_misfits(recorded.neo4j, translate(q.text(), schema, q.params).kinds)]
    assert not wrong, "columns whose kind is not that of Neo4j's values:\n" + "\n".join(f"  {w}" for w in wrong[:10])
