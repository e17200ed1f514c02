"""What storing the relationship table one way only (`storage_direction='fwd'`) would buy and cost.

    python bench/bench_rel_storage.py                      # 100,000 nodes / 1,000,000 relationships, 3 loads each
    python bench/bench_rel_storage.py --nodes 20000 --edges 200000 --loads 1

The engine (ladybug) stores every relationship column for both directions unless a relationship
table is created `WITH (storage_direction='fwd')`. This script makes the Arrow tables of a synthetic
graph once (`ddl.load_plan`, as a build does) and loads them, alternately, into a table stored both
ways (the build's layout) and into a forward-only one, `--loads` times each: the raw engine load
(DDL, COPY, checkpoint; `bench_embedded.raw_load`), wall and CPU seconds, medians. Then it runs, on
one database of each kind, raw engine queries (no translation) that step backward from a node: in
the same MATCH, after WITH, in OPTIONAL MATCH, and the rewrites a translator could use on a
forward-only table (a scan of every relationship joined on the node). Warm median of 5 runs, or the
engine's error. Not a dependency of the build: it measures why the build keeps both directions
(docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_embedded import raw_load, synthetic

from graph.embedded import ddl
from graph.schema import load_schema

QUERIES = {
    "forward 2 hops": "MATCH (a:Entity {id: $id})-[r1]->(m)-[r]->(b) RETURN count(*)",
    "backward 1 hop, one MATCH": "MATCH (a:Entity {id: $id})<-[r]-(b) RETURN count(*)",
    "backward 2 hops, one MATCH": "MATCH (a:Entity {id: $id})<-[r]-(m)<-[s]-(b) RETURN count(*)",
    "backward after WITH": "MATCH (a:Entity {id: $id}) WITH a MATCH (a)<-[r]-(b) RETURN count(*)",
    "backward after WITH, as a scan": "MATCH (a:Entity {id: $id}) WITH a MATCH (b)-[r]->(x) WHERE x = a RETURN count(*)",
    "backward OPTIONAL MATCH": "MATCH (a:Entity {id: $id}) OPTIONAL MATCH (a)<-[r]-(b) RETURN count(b)",
    "backward OPTIONAL MATCH, as a scan": "MATCH (a:Entity {id: $id}) OPTIONAL MATCH (b)-[r]->(x) WHERE x = a RETURN count(b)",
    "undirected 1 hop": "MATCH (a:Entity {id: $id})-[r]-(b) RETURN count(*)",
    "backward variable length 1..2": "MATCH (a:Entity {id: $id})<-[r*1..2]-(b) RETURN count(*)",
}
#: On a forward-only table these compute from every node (measured: 6.8 s against 1.4 ms at 200,000 relationships).
SLOW_ON_FWD = {"backward variable length 1..2"}


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    before, t = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    fn()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter() - t, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def forward_only(node_cols: dict[str, str], rel_cols: dict[str, str], _ddl: Callable[..., Iterator[str]] = ddl._ddl) -> Iterator[str]:
    """The build's DDL with the relationship table stored one way."""
    for statement in _ddl(node_cols, rel_cols):
        yield statement + (" WITH (storage_direction='fwd')" if statement.startswith("CREATE REL") else "")


def query_costs(path: str, start: str, skip: set[str]) -> dict[str, str]:
    import ladybug

    db = ladybug.Database(path, read_only=True)
    conn = ladybug.Connection(db)
    out: dict[str, str] = {}
    for name, text in QUERIES.items():
        if name in skip:
            out[name] = "not run (computes from every node)"
            continue
        try:
            conn.execute(text, {"id": start})
            runs = []
            for _ in range(5):
                t = time.perf_counter()
                conn.execute(text, {"id": start}).get_all()
                runs.append(time.perf_counter() - t)
            out[name] = f"{statistics.median(runs) * 1000:.1f} ms"
        except RuntimeError as e:
            out[name] = "refused: " + str(e).split(": ", 1)[-1][:45] + "..."
    conn.close()
    db.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--loads", type=int, default=3, help="loads per layout, alternating")
    args = parser.parse_args()
    schema = load_schema()
    G = synthetic(args.nodes, args.edges, schema)
    start = next(n for n, d in G.nodes(data=True) if d["label"] == "State" and G.in_degree(n) > 3)
    plan = ddl.load_plan(G, schema)
    runs: dict[str, list[tuple[float, float]]] = {"both": [], "fwd": []}
    both_ddl = ddl._ddl
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.loads):
            for layout in runs:
                ddl._ddl = forward_only if layout == "fwd" else both_ddl  # what plan.ddl() emits
                try:
                    runs[layout].append(timed(lambda layout=layout, i=i: raw_load(plan, f"{tmp}/{layout}{i}.lbug")))
                finally:
                    ddl._ddl = both_ddl
        costs = {layout: query_costs(f"{tmp}/{layout}0.lbug", start, SLOW_ON_FWD if layout == "fwd" else set()) for layout in runs}

    def median(layout: str, i: int) -> float:
        return statistics.median(r[i] for r in runs[layout])

    print(f"\n### Raw engine load of {args.nodes:,} nodes / {args.edges:,} relationships: median of {args.loads}, alternating\n")
    print("| relationship table | wall (s) | CPU (s) |\n|---|---:|---:|")
    for layout in runs:
        print(f"| stored {'both ways' if layout == 'both' else 'forward only'} | {median(layout, 0):.1f} | {median(layout, 1):.1f} |")
    print(f"| forward only / both ways | {median('fwd', 0) / median('both', 0):.2f}x | {median('fwd', 1) / median('both', 1):.2f}x |")
    print(f"\n### Raw engine queries from one node ({start}), warm median of 5\n")
    print("| query | both ways | forward only |\n|---|---:|---:|")
    for name in QUERIES:
        print(f"| {name} | {costs['both'][name]} | {costs['fwd'][name]} |")


if __name__ == "__main__":
    main()
