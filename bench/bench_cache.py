"""Benchmark what proving the embedded cache costs on every open (not a timed test).

    python bench/bench_cache.py                              # curated graph, then 100,000 nodes / 1,000,000 relationships
    python bench/bench_cache.py --nodes 10000 --edges 100000

For the curated graph, in one run and interleaved (median of --repeat runs each):
- raw: the engine opens the cache file read-only, nothing checked (what every open did before);
- proved: `open_cache`, i.e. hash the data and schema files, read the manifest, check for the
  engine's leftover files, SHA-256 the database file, open it, count nodes per label and
  relationships per type through the engine.
For a synthetic graph shaped like `graph.load()`'s (bench_embedded's generator) the two costs a
proved open adds to a raw one: the file's SHA-256 and the engine's counts.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_embedded import synthetic  # the same synthetic graph as the engine benchmark

from graph.embedded.cache import build_database, engine_counts, open_cache
from graph.locations import data_dir
from graph.schema import load_schema


def median_ms(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median wall time (ms) of each function, the runs interleaved so that noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()  # warm-up
    for _ in range(repeat):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t) * 1000)
    return {name: statistics.median(ts) for name, ts in times.items()}


def raw_open(path: Path) -> None:
    import ladybug

    db = ladybug.Database(str(path), read_only=True)
    conn = ladybug.Connection(db)
    conn.close()
    db.close()


def sha256(path: Path) -> None:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)


def counted_open(path: Path) -> None:
    import ladybug

    db = ladybug.Database(str(path), read_only=True)
    conn = ladybug.Connection(db)
    engine_counts(conn)
    conn.close()
    db.close()


def curated(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db, path = open_cache([data_dir()], cache_dir=tmp)
        db.close()
        assert path is not None

        def proved() -> None:
            opened, _ = open_cache([data_dir()], cache_dir=tmp)
            opened.close()

        ms = median_ms({"raw": lambda: raw_open(path), "proved": proved}, repeat)
        size = path.stat().st_size / 1e6
    print(f"\n### Curated graph: cache file {size:.1f} MB, median of {repeat}\n")
    print("| open | ms |\n|---|---:|")
    print(f"| raw (engine only, nothing checked) | {ms['raw']:.0f} |\n| proved (open_cache) | {ms['proved']:.0f} |")
    print(f"| proved / raw | {ms['proved'] / ms['raw']:.2f}x |")


def synthetic_part(n_nodes: int, n_edges: int, repeat: int) -> None:
    schema = load_schema()
    G = synthetic(n_nodes, n_edges, schema)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lbug"
        build_database(G, path, schema=schema)
        ms = median_ms({"raw": lambda: raw_open(path), "sha": lambda: sha256(path), "counted": lambda: counted_open(path)}, repeat)
        size = path.stat().st_size / 1e6
    added = ms["sha"] + ms["counted"] - ms["raw"]
    print(f"\n### Synthetic graph: {n_nodes:,} nodes, {n_edges:,} relationships, cache file {size:.0f} MB, median of {repeat}\n")
    print("| step | ms |\n|---|---:|")
    print(f"| raw open | {ms['raw']:.0f} |\n| SHA-256 of the file | {ms['sha']:.0f} |")
    print(f"| open + counts per label and type | {ms['counted']:.0f} |")
    print(f"| a proved open adds | {added:.0f} ({(ms['sha'] + ms['counted']) / ms['raw']:.1f}x the raw open) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    curated(args.repeat)
    if not args.skip_synthetic:
        synthetic_part(args.nodes, args.edges, args.repeat)


if __name__ == "__main__":
    main()
