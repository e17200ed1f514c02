"""What Neo4j's string semantics cost the embedded engine's queries (not a timed test).

    python bench/bench_strings.py                         # this tree
    python bench/bench_strings.py --baseline DIR          # and a checkout of another commit, in turn

Runs each query of QUERIES on the curated graph (its cached database), warm: one run, then the
median of `--runs` runs, in a process of its own per tree (PYTHONPATH set to the tree), alternating
the trees `--rounds` times. Prints a Markdown table of the medians (milliseconds) and their ratio.
The queries are the ones whose translation changed for Neo4j's meaning: case mapping
(toUpper/toLower), code points (size, substring), string order (ORDER BY, min/max, <), =~.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

QUERIES = {
    "toUpper of a literal": "RETURN toUpper('abc') AS u",
    "toUpper of every name": "MATCH (n) RETURN toUpper(n.name) AS u",
    "toLower of every name": "MATCH (n) RETURN toLower(n.name) AS u",
    "size and substring of every name": "MATCH (n) RETURN size(n.name) AS s, substring(n.name, 1, 3) AS t",
    "ORDER BY name": "MATCH (n) RETURN n.name ORDER BY n.name",
    "min and max of the names": "MATCH (n) RETURN min(n.name), max(n.name)",
    "name < 'M'": "MATCH (n) WHERE n.name < 'M' RETURN count(*)",
    "name =~ '(?i)cuba.*'": "MATCH (n) WHERE n.name =~ '(?i)cuba.*' RETURN n.id",
    "no string function": "MATCH (n) RETURN n.name",
}

CHILD = """
import json, statistics, sys, time
from graph.embedded import open_database
runs = int(sys.argv[1])
out = {}
with open_database(cache_dir=sys.argv[2]) as db:
    for name, q in json.loads(sys.argv[3]).items():
        db.query(q)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            db.query(q)
            times.append(time.perf_counter() - t)
        out[name] = statistics.median(times) * 1000
print(json.dumps(out))
"""


def measure(tree: Path, runs: int, cache: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(runs), cache, json.dumps(QUERIES)], env=env, cwd=tree, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit (e.g. git worktree add DIR COMMIT)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"this tree": ROOT, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    got: dict[str, dict[str, list[float]]] = {t: {q: [] for q in QUERIES} for t in trees}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for name, tree in trees.items():
                cache = f"{tmp}/{name.replace(' ', '-')}"
                for q, ms in measure(tree, args.runs, cache).items():
                    got[name][q].append(ms)
    print("| query | " + " | ".join(f"{t} (ms)" for t in trees) + (" | ratio |" if len(trees) > 1 else ""))
    print("| --- |" + " ---: |" * len(trees) + (" ---: |" if len(trees) > 1 else ""))
    for q in QUERIES:
        medians = [statistics.median(got[t][q]) for t in trees]
        row = f"| {q} | " + " | ".join(f"{m:.1f}" for m in medians)
        print(row + (f" | {medians[0] / medians[1]:.2f} |" if len(trees) > 1 else " |"))


if __name__ == "__main__":
    main()
