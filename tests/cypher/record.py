"""Run the corpus on a real Neo4j and on the embedded engine; write what happened.

    python -m tests.cypher.record            # starts its own Neo4j (tests/neo4j_server.py)
    python -m tests.cypher.record --uri bolt://127.0.0.1:7687 --password ...   # a server holding the curated graph

Writes tests/cypher/results.json (the outcome of every corpus query and Neo4j's canonical answer,
the oracle of the server-free tests/cypher/test_recorded.py) and tests/cypher/messages.txt (the
embedded engine's message for each query it refuses), then regenerates
tests/cypher/FINDINGS.md and docs/cypher-dialect.md from it. Review the diff before committing:
the corpus test checks the recorded outcomes against live runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .compare import CLI_PASSING
from .corpus import RESULTS_FILE, Entry, Recorded, dump_results, load_corpus
from .messages import on_each_entry, write_messages
from .oracle import Neo4jOracle, Result, cli_neo4j_differential, differential

ROOT = Path(__file__).resolve().parents[2]


def engine_name() -> str:
    """The embedded engine and its version, as the results file names it."""
    return f"ladybug {version('ladybug')}"


def engine_text(query: str, params: dict[str, Any] | None = None) -> str | None:
    """The text the embedded engine runs for `query` with `params` (whose values some translations
    depend on: a list parameter without nulls, a map's keys), when the translation changes it."""
    from graph.embedded.translate import translate
    from graph.errors import QueryError
    from graph.schema import load_schema

    try:
        text = translate(query, load_schema(), params).text
    except QueryError:
        return None
    return None if text == query else text


def run_corpus(oracle: Neo4jOracle, cache: Path, entries: list[Entry]) -> dict[str, tuple[Entry, Result]]:
    """Run `entries` on both engines; the embedded database is the one cached in `cache`
    (writes and file access run on a copy of it, as in the corpus test)."""
    return on_each_entry(cache, entries, lambda db, e: differential(oracle, db, e.query, e.params, refused=e.refused, neo4j_error=e.neo4j_error))


def record(oracle: Neo4jOracle, cache: Path) -> dict[str, tuple[Entry, Result]]:
    """Run the corpus, write results.json, FINDINGS.md and the dialect doc; return the results."""
    from .dialect import write_dialect_doc
    from .findings import write_findings

    entries = load_corpus()
    began = time.perf_counter()
    results = run_corpus(oracle, cache, entries)
    seconds = time.perf_counter() - began
    outcomes = {}
    for key, (entry, result) in results.items():
        detail = result.outcome.detail if not result.outcome.passed else ""
        cli = cli_neo4j_differential(oracle, entry.query, entry.params, refused=entry.refused)
        cli_detail = "" if cli.kind in CLI_PASSING else cli.detail
        neo4j = result.neo4j.to_json()
        outcomes[key] = Recorded(result.outcome.kind, detail, engine_text(entry.query, entry.params), cli.kind, cli_detail, neo4j)
    RESULTS_FILE.write_text(dump_results(outcomes, engine_name()), encoding="utf-8")
    write_messages({key: result.embedded.error for key, (_, result) in results.items()})
    write_findings(results, outcomes)
    write_dialect_doc()
    counts: dict[str, int] = {}
    for _, result in results.values():
        counts[result.outcome.kind] = counts.get(result.outcome.kind, 0) + 1
    print(f"{len(results)} corpus queries in {seconds:.1f} s: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cypher.record", description=__doc__.split("\n")[0])
    parser.add_argument("--uri", help="a Neo4j 5.26 that already holds the curated graph (default: start one)")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default=None)
    args = parser.parse_args(argv)

    import tempfile

    import graph
    from graph.embedded import cached_database
    from graph.export import export_neo4j
    from graph.locations import data_dir

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        if args.uri is None:
            from tests.neo4j_server import Neo4jServer

            server = Neo4jServer(home=Path(tmp) / "neo4j")
            export_neo4j(graph.load(), server.uri, user=server.user, password=server.password)
            uri, user, password = server.uri, server.user, server.password
        else:
            uri, user, password = args.uri, args.user, args.password or ""
        try:
            oracle = Neo4jOracle(uri, user, password)
            cache = Path(tmp) / "cache"
            cached_database([data_dir()], cache_dir=cache)
            record(oracle, cache)
            oracle.close()
        finally:
            if server is not None:
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
