"""The corpus (tests/cypher/corpus/*.yaml) on the real Neo4j 5.26 and on the embedded engine.

Each query must give Neo4j's answer exactly, or a refusal the corpus expects (the rule is in
tests/cypher/compare.py). The outcomes are also recorded in tests/cypher/results.json, from which
docs/cypher-dialect.md and tests/cypher/FINDINGS.md are generated; this test checks the file
against the live outcome, so it cannot lie:

- a passing outcome must be the recorded one (else the file is stale);
- a refusal of a query Neo4j answers ("unsupported") that the file records is a known gap: it
  is reported as xfail with the recorded detail (the work list in FINDINGS.md; ``pytest
  --runxfail`` shows each one in full);
- a silent wrong answer or a crash always fails, printing both answers, whatever the file says;
- Neo4j's answer must be the one the file records (the oracle of the server-free mirror,
  tests/cypher/test_recorded.py, which mutation testing runs).

Refresh the file after a change of the engine or the corpus with ``python -m tests.cypher.record``.
"""

from __future__ import annotations

from typing import Any

import pytest

from .compare import CLI_PASSING, Answer
from .corpus import load_corpus, load_results
from .fuzz import TOLERATED
from .oracle import Neo4jOracle, cli_neo4j_differential, differential, recording_differs

ENTRIES = load_corpus()
RESULTS = load_results()
STALE = "tests/cypher/results.json is stale: refresh it with `python -m tests.cypher.record` and review the diff"


@pytest.mark.neo4j
@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in ENTRIES])
def test_corpus_query(oracle: Neo4jOracle, request: pytest.FixtureRequest, entry: Any) -> None:
    # Writes and file access may get through and damage the database: those run on a copy.
    db = request.getfixturevalue("scratch_db" if entry.topic == "refusals" else "embedded_db")
    result = differential(oracle, db, entry.query, entry.params, refused=entry.refused, neo4j_error=entry.neo4j_error)
    recorded = RESULTS.get(entry.id)
    # Neo4j's recorded answer is the oracle of the server-free mirror (test_recorded.py): it must be
    # what the server says now, so the file cannot drift from Neo4j.
    assert recorded is not None and recorded.neo4j is not None, f"{STALE}: no Neo4j answer recorded for {entry.id}"
    drift = recording_differs(Answer.from_json(recorded.neo4j), result.neo4j, entry.query)
    assert drift is None, f"{STALE}: Neo4j's answer to {entry.id} is not the recorded one: {drift}"
    kind = result.outcome.kind
    if result.outcome.passed:
        assert recorded is not None and recorded.outcome == kind, f"{STALE}: {entry.id} is now {kind}"
        return
    report = result.report(entry.query, entry.params)
    if kind in TOLERATED and recorded is not None and recorded.outcome == kind:
        pytest.xfail(f"known refusal, in FINDINGS.md: {kind}: {recorded.detail.splitlines()[0][:160]}")
    if kind in TOLERATED:
        pytest.fail(f"{report}\n({STALE} if this is expected)", pytrace=False)
    pytest.fail(f"{report}\n(a silent difference or a crash: fix it or refuse the construct with a hint)", pytrace=False)


@pytest.mark.neo4j
@pytest.mark.parametrize("entry", [pytest.param(e, id=e.id) for e in ENTRIES])
def test_cli_neo4j_gives_the_drivers_rows(oracle: Neo4jOracle, entry: Any) -> None:
    """`cubamed query --neo4j URI --format json` prints what the driver gets, value for value
    (as JSON carries values), or refuses what Neo4j refuses."""
    outcome = cli_neo4j_differential(oracle, entry.query, entry.params, refused=entry.refused)
    recorded = RESULTS.get(entry.id)
    if outcome.kind in CLI_PASSING:
        assert recorded is not None and recorded.cli == outcome.kind, f"{STALE}: the CLI on {entry.id} is now {outcome.kind}"
        return
    if recorded is not None and recorded.cli == outcome.kind:
        pytest.xfail(f"known difference, in FINDINGS.md: {outcome.kind}: {recorded.cli_detail.splitlines()[0][:160]}")
    pytest.fail(f"{outcome.kind}: {outcome.detail}\n{entry.query}\n({STALE} if this is expected)", pytrace=False)
