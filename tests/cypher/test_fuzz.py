"""Random read queries (tests/cypher/generate.py), seeded, on the real Neo4j and the embedded engine.

500 queries per run (`fuzz.CI_SEED`, `fuzz.CI_COUNT`). A new mismatch fails the test and prints
the smallest query that still shows it, with both answers. A wrong answer or a crash always fails,
even when the known file lists it. The refusals the current code is known to give (queries Neo4j
answers, refused with a hint) are recorded in tests/cypher/fuzz_known.json (written by
``python bench/fuzz_cypher.py --record-known``); the test fails when that file does not match what
happens, or lists anything but refusals.

The same run keeps the server-free mirror (test_fuzz_recorded.py) true: Neo4j's answer to each
query, and the outcome, must be the ones recorded in tests/cypher/fuzz_answers.json.gz (written by
the same command), else that file is stale.
"""

from __future__ import annotations

from typing import Any

import pytest

import graph
from graph.schema import load_schema

from .fuzz import CI_COUNT, CI_SEED, REFRESH, TOLERATED, Answered, load_answers, load_known, run_fuzz
from .generate import Catalog, generate, renamed, shrink
from .oracle import Neo4jOracle, recording_differs


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_graph(graph.load(), load_schema())


def test_generation_is_seeded(catalog: Catalog) -> None:
    first = [q.text() for q in generate(catalog, 7, 30)]
    assert first == [q.text() for q in generate(catalog, 7, 30)]
    assert first != [q.text() for q in generate(catalog, 8, 30)]
    assert len(set(first)) == len(first)


def test_generated_queries_order_totally_before_a_limit(catalog: Catalog) -> None:
    for q in generate(catalog, 11, 300):
        if q.limit is not None or q.skip is not None:
            assert q.order and len(q.order) == len(q.items), q.text()  # every column is a sort key
        text = q.text()
        assert all(f"${name}" in text for name in q.params), text
        assert not set(q.variables()) & {"n10"}, text  # the joined pattern reuses the first one's node


def test_shrink_keeps_the_failure_and_drops_the_rest(catalog: Catalog) -> None:
    big = next(q for q in generate(catalog, 3, 500) if len(q.where) >= 2 and len(q.items) >= 2 and "substring(" in q.text())
    fails = lambda q: "substring(" in q.text()  # noqa: E731  (a stand-in for "the engines still disagree")
    small = shrink(big, fails)
    assert fails(small)
    assert len(small.text()) < len(big.text())
    assert len(small.items) + len(small.where) == 1  # exactly the part that carries substring(
    tidy = renamed(small)
    assert tidy.variables() <= {"n0", "n1", "n2", "r0", "r1", "path0"} and "n0" in tidy.variables()
    assert fails(tidy)


@pytest.mark.neo4j
def test_random_queries_give_neo4j_answers(oracle: Neo4jOracle, embedded_db: Any, catalog: Catalog) -> None:
    header, known = load_known()
    assert (header.get("seed"), header.get("count")) == (CI_SEED, CI_COUNT), f"tests/cypher/fuzz_known.json is for another run: {REFRESH}"
    silent = sorted(k.index for k in known.values() if k.kind not in TOLERATED)
    assert not silent, f"tests/cypher/fuzz_known.json lists wrong answers or crashes at {silent}: fix them, never record them"
    report = run_fuzz(oracle, embedded_db, catalog, seed=CI_SEED, count=CI_COUNT, known=known)
    assert not report.invalid, "the generator wrote queries Neo4j rejects:\n" + "\n\n".join(f"{t}\n-> {why}" for t, why in report.invalid[:5])
    if report.mismatches:
        shown = list(report.distinct().values())[:5]
        body = "\n\n".join(f"#{m.index} shrunk to:\n{m.report}" for m in shown)
        pytest.fail(f"{report.summary()}\n\n{body}\n\n(if these are expected: {REFRESH})", pytrace=False)
    gone = sorted(set(known) - {m.index for m in report.known})
    assert not gone, f"known mismatches no longer seen (fixed, or the generator changed) at {gone[:20]}: {REFRESH}"
    assert all(m.kind in TOLERATED for m in report.known)
    assert report.passed + len(report.known) == CI_COUNT, report.summary()
    assert_recorded_answers_hold(report.answers, [q.text() for q in generate(catalog, CI_SEED, CI_COUNT)])


def assert_recorded_answers_hold(live: dict[int, Answered], texts: list[str]) -> None:
    """The answers file holds, for every query of the run, its hash, the outcome seen now and
    Neo4j's answer now (compared as the mirror compares: rows as a bag unless ORDER BY fixes them)."""
    stale = f"tests/cypher/fuzz_answers.json.gz is stale: {REFRESH}"
    header, recorded = load_answers()
    assert (header.get("seed"), header.get("count")) == (CI_SEED, CI_COUNT), f"{stale} (it records another run: {header})"
    assert sorted(recorded) == sorted(live) == list(range(CI_COUNT)), stale
    problems = []
    for i, now in sorted(live.items()):
        then = recorded[i]
        if (then.hash, then.outcome) != (now.hash, now.outcome):
            problems.append(f"#{i}: recorded {then.hash} {then.outcome}, now {now.hash} {now.outcome}")
        elif (drift := recording_differs(then.neo4j, now.neo4j, texts[i])) is not None:
            problems.append(f"#{i}: Neo4j's answer is not the recorded one: {drift}")
    assert not problems, f"{stale}\n" + "\n".join(problems[:5])
