"""The long run of the random query generator: generated read queries on Neo4j 5.26 and the embedded engine.

    python bench/fuzz_cypher.py                          # 10,000 queries, seed 1; starts its own Neo4j
    python bench/fuzz_cypher.py --seed 7 --count 2000
    python bench/fuzz_cypher.py --uri bolt://127.0.0.1:7687 --password ...   # a Neo4j holding the curated graph
    python bench/fuzz_cypher.py --record-known           # the CI run (tests/cypher/test_fuzz.py): rewrite its two files

Each query runs on both engines and is judged by the rule of tests/cypher/compare.py; every
mismatch is shrunk to the smallest query that still shows it. Writes the findings, grouped by
shrunk query, to docs/cypher-fuzz.md (or --out) and prints a summary with the timings.
With --record-known it runs the CI seed and count instead and rewrites tests/cypher/fuzz_known.json
(review the diff: it is the list of differences the CI run tolerates as known) and
tests/cypher/fuzz_answers.json.gz (Neo4j's answer to each CI query and the outcome: the oracle of the
server-free mirror test tests/cypher/test_fuzz_recorded.py). Both files are the same bytes when
nothing changed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the harness lives in tests/cypher/

import graph  # noqa: E402
from graph.embedded import open_database  # noqa: E402
from graph.export import export_neo4j  # noqa: E402
from graph.locations import data_dir  # noqa: E402
from graph.schema import load_schema  # noqa: E402
from tests.cypher.fuzz import (  # noqa: E402
    ANSWERS_FILE,
    CI_COUNT,
    CI_SEED,
    KNOWN_FILE,
    dump_known,
    findings_markdown,
    load_known,
    run_fuzz,
    write_answers,
)
from tests.cypher.generate import Catalog  # noqa: E402
from tests.cypher.oracle import Neo4jOracle  # noqa: E402
from tests.cypher.record import engine_name  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--uri", help="a Neo4j 5.26 already holding the curated graph (default: start one)")
    parser.add_argument("--user", default="neo4j")
    parser.add_argument("--password", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "cypher-fuzz.md")
    parser.add_argument("--max-shrinks", type=int, default=None, help="shrink at most this many mismatches (the rest: as generated)")
    rewrite = f"run seed {CI_SEED}, {CI_COUNT} queries; rewrite {KNOWN_FILE.name} and {ANSWERS_FILE.name}"
    parser.add_argument("--record-known", action="store_true", help=rewrite)
    args = parser.parse_args(argv)
    seed, count = (CI_SEED, CI_COUNT) if args.record_known else (args.seed, args.count)

    G = graph.load()
    catalog = Catalog.from_graph(G, load_schema())
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        began = time.perf_counter()
        if args.uri is None:
            from tests.neo4j_server import Neo4jServer

            server = Neo4jServer(home=Path(tmp) / "neo4j")
            export_neo4j(G, server.uri, user=server.user, password=server.password)
            uri, user, password = server.uri, server.user, server.password
            print(f"Neo4j started and loaded in {time.perf_counter() - began:.1f} s", file=sys.stderr)
        else:
            uri, user, password = args.uri, args.user, args.password
        try:
            oracle = Neo4jOracle(uri, user, password)
            with open_database(paths=[data_dir()], cache_dir=Path(tmp) / "cache") as db:
                report = run_fuzz(
                    oracle,
                    db,
                    catalog,
                    seed=seed,
                    count=count,
                    known=load_known()[1] if args.record_known else None,  # the known ones keep their shrunk form
                    max_shrinks=None if args.record_known else args.max_shrinks,
                    progress=lambda n: print(f"  {n} queries", file=sys.stderr, flush=True),
                )
            oracle.close()
        finally:
            if server is not None:
                server.stop()
    print(report.summary())
    if args.record_known:
        if report.invalid:  # the CI test fails on these: a generator bug to fix first
            text, why = report.invalid[0]
            print(f"error: {len(report.invalid)} queries are not fair tests (a generator bug): nothing written; e.g.", file=sys.stderr)
            print(f"{text}\n-> {why}", file=sys.stderr)
            return 1
        KNOWN_FILE.write_text(dump_known(report, engine_name()), encoding="utf-8")
        write_answers(report, engine_name())
        print(f"wrote {KNOWN_FILE.relative_to(ROOT)} and {ANSWERS_FILE.relative_to(ROOT)}")
    else:
        command = f"python bench/fuzz_cypher.py --seed {seed} --count {count}"
        args.out.write_text(findings_markdown(report, engine_name(), command), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
