"""docs/cypher-dialect.md is generated from the corpus and its recorded outcomes, and is up to date;
the corpus is well formed and every query of it has a recorded outcome (no Neo4j needed)."""

from __future__ import annotations

from .compare import KINDS
from .corpus import TOPICS, load_corpus, load_results
from .dialect import DOC, generate_dialect_doc


def test_corpus_has_at_least_200_queries_over_every_topic() -> None:
    entries = load_corpus()
    assert len(entries) >= 200
    assert {e.topic for e in entries} == set(TOPICS)


def test_every_corpus_query_has_a_recorded_outcome() -> None:
    entries, results = load_corpus(), load_results()
    missing = [e.id for e in entries if e.id not in results]
    extra = sorted(set(results) - {e.id for e in entries})
    assert not missing, f"no recorded outcome for {missing}: run `python -m tests.cypher.record`"
    assert not extra, f"recorded outcomes for queries no longer in the corpus: {extra}"
    assert {r.outcome for r in results.values()} <= KINDS


def test_dialect_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == generate_dialect_doc(), "run `python -m tests.cypher.dialect` and commit docs/cypher-dialect.md"
