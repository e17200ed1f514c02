"""Benchmark the embedded engine: the query library on the curated graph, and a synthetic graph.

    python bench/bench_embedded.py                      # both parts; the 1M part takes about a minute
    python bench/bench_embedded.py --nodes 10000 --edges 100000
    NEO4J_PASSWORD=... python bench/bench_embedded.py --neo4j bolt://localhost:7687   # adds Neo4j

Prints markdown tables. (a) every `.cypher` file in cypher/queries/ (or a few representative
queries when there are none): warm median latency on the curated graph, and what the parser and
translator add (every query of cypher/queries/ and of the corpus tests/cypher/corpus/). (b) whole
processes: `cubamed --help` and `cubamed query` on a warm cache, next to `python -c pass`.
(c) a synthetic MultiDiGraph shaped like `graph.load()`'s: the embedded database's build time, a
lookup by name and a 2-hop aggregation, next to the same work by hand in networkx (and on Neo4j
with --neo4j).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

import graph
from graph.embedded import build_database, open_database
from graph.locations import cypher_dir
from graph.schema import Schema, load_schema

REPRESENTATIVE = {
    "deployments-2020": "MATCH (:State {name:'Cuba'})-[d:DEPLOYED_TO]->(s) WHERE d.year = 2020 RETURN s.name, d.count ORDER BY d.count",
    "top-receivers": "MATCH (:State {id:'cuba'})-[d:DEPLOYED_TO]->(s) RETURN s.name, sum(d.count) AS total ORDER BY total DESC LIMIT 10",
    "sanctioned-links": "MATCH (n:Sanctioned)-[r]-(m) RETURN n.name, type(r), m.name",
    "types": "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY n DESC",
    "shortest-path": "MATCH p = shortestPath((a:State {id:'cuba'})-[*]-(b:State {id:'united-states'})) RETURN length(p)",
}


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall time in ms over `repeat` runs (after one warm-up when repeat > 1), and the last result."""
    result = fn() if repeat > 1 else None
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def curated_part(repeat: int) -> None:
    files = sorted((cypher_dir() / "queries").glob("*.cypher"))
    queries = {f.stem: f.read_text(encoding="utf-8") for f in files} or REPRESENTATIVE
    origin = "cypher/queries/" if files else "representative queries (cypher/queries/ is empty)"
    t = time.perf_counter()
    db = open_database()
    print(f"\n### Curated graph: {origin}; cache opened in {(time.perf_counter() - t) * 1000:.0f} ms\n")
    print("| query | rows | warm median (ms) |\n|---|---:|---:|")
    for name, text in queries.items():
        try:
            ms, df = timed(lambda text=text: db.query(text), repeat)
            print(f"| {name} | {len(df)} | {ms:.1f} |")
        except graph.CubamedError as exc:
            print(f"| {name} | error: {str(exc).splitlines()[0][:80]} | |")
    db.close()


def translation_part(repeat: int) -> None:
    """What parsing and translating add to a query: median and slowest over the corpus."""
    import yaml

    from graph.embedded.translate import translate
    from graph.errors import QueryError

    schema = load_schema()
    texts = [f.read_text(encoding="utf-8") for f in sorted((cypher_dir() / "queries").glob("*.cypher"))]
    corpus = Path(__file__).parent.parent / "tests" / "cypher" / "corpus"
    entries = [e for f in sorted(corpus.glob("*.yaml")) for e in yaml.safe_load(f.read_text(encoding="utf-8")) or []]
    cases = [(t, {}) for t in texts] + [(e["query"], e.get("params") or {}) for e in entries]
    times = []
    for text, params in cases:

        def run(text: str = text, params: dict[str, Any] = params) -> Any:
            try:
                return translate(text, schema, params)
            except QueryError:
                return None

        ms, _ = timed(run, repeat)
        times.append(ms)
    times.sort()
    print(f"\n### Parse + translate: {len(cases)} queries (cypher/queries/ and the corpus), median of {repeat} runs each\n")
    print("| median (ms) | 90th percentile (ms) | slowest (ms) |\n|---:|---:|---:|")
    print(f"| {statistics.median(times):.2f} | {times[int(len(times) * 0.9)]:.2f} | {times[-1]:.2f} |")


def process_part(repeat: int, baseline: Path | None) -> None:
    """Whole processes, as a user runs them (warm cache), in one run: wall-clock medians, and the CPU
    time they take (user + system, which the load of a shared machine disturbs less). With
    `baseline` (a source tree of another version, e.g. `git archive main`), the same commands on it."""
    import resource
    import subprocess
    import sys

    code = "import sys; from graph.cli import main; sys.argv[0] = 'cubamed'; main()"
    commands = {
        "cubamed --help": ["--help"],
        "cubamed query (warm cache, a count)": ["query", "MATCH (n:State) RETURN count(n) AS n"],
        "cubamed query (warm cache, query 01)": ["query", "-f", str(cypher_dir() / "queries" / "01_deployments_in_year.cypher")],
    }
    trees = {"this tree": Path(__file__).resolve().parent.parent} | ({"baseline": baseline.resolve()} if baseline else {})

    def measure(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float]:
        walls, cpus = [], []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=True, env=env, cwd=cwd)
            walls.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return statistics.median(walls), statistics.median(cpus)

    print(f"\n### Whole processes, median of {repeat} runs\n")
    print("| command | tree | wall (s) | CPU (s) |\n|---|---|---:|---:|")
    wall, cpu = measure([sys.executable, "-c", "pass"], dict(os.environ))
    print(f"| python -c pass (the floor) | | {wall:.3f} | {cpu:.3f} |")
    for tree_name, tree in trees.items():
        env = {**os.environ, "PYTHONPATH": str(tree)}
        probe = [sys.executable, "-c", "import graph; print(graph.__file__)"]
        where = subprocess.run(probe, capture_output=True, text=True, env=env, cwd=tree)
        assert where.stdout.strip() == str(tree / "graph" / "__init__.py"), (where.stdout, tree)
        subprocess.run(
            [sys.executable, "-c", code, *commands["cubamed query (warm cache, a count)"]], capture_output=True, check=True, env=env
        )
        for name, args in commands.items():
            wall, cpu = measure([sys.executable, "-c", code, *args], env, tree)
            print(f"| {name} | {tree_name} | {wall:.3f} | {cpu:.3f} |")


def synthetic(n_nodes: int, n_edges: int, schema: Schema, seed: int = 1) -> nx.MultiDiGraph:
    """A MultiDiGraph with `graph.load()`'s attribute shape and endpoints the schema allows."""
    rng = random.Random(seed)
    labels = list(schema.labels)
    G = nx.MultiDiGraph()
    by_label: dict[str, list[str]] = {lab: [] for lab in labels}
    for i in range(n_nodes):
        lab = labels[i % len(labels)]
        node = f"n{i}"
        attrs: dict[str, Any] = {"label": lab, "name": f"Entity {i}"}
        if i % 7 == 0:
            attrs["aliases"] = [f"E{i}", f"Ent {i}"]
        if lab == "State":
            attrs["iso3"] = "XXX"
        if lab == "Source":
            attrs.update(title=f"Source {i}", kind="news")
        G.add_node(node, **attrs)
        by_label[lab].append(node)
    pairs = schema.endpoint_pairs()
    sources = by_label["Source"] or ["n0"]
    for j in range(n_edges):
        start, rtype, end = pairs[rng.randrange(len(pairs))]
        u, v = rng.choice(by_label[start]), rng.choice(by_label[end])
        d: dict[str, Any] = {"type": rtype, "source_id": rng.choice(sources), "locator": "para. 1", "evidence": "A synthetic fact."}
        if j % 2 == 0:
            d.update(count=rng.randrange(1, 5000), year=rng.randrange(1960, 2025), role="doctors")
        if j % 5 == 0:
            d["amount_usd"] = rng.random() * 1e6
        if j % 11 == 0:
            d["date"] = f"20{rng.randrange(10, 25)}-0{rng.randrange(1, 10)}"
        if j % 13 == 0:
            d["status"] = "planned"
        G.add_edge(u, v, key=f"r{j}", **d)
    return G


def nx_lookup(G: nx.MultiDiGraph, name: str) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("name") == name]


def nx_two_hop(G: nx.MultiDiGraph, start: str) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for _, mid, d1 in G.out_edges(start, data=True):
        if d1["type"] != "DEPLOYED_TO":
            continue
        for _, end, d2 in G.out_edges(mid, data=True):
            totals[G.nodes[end]["label"]] += d2.get("count") or 0
    return dict(totals)


LOOKUP = "MATCH (n) WHERE n.name = $name RETURN n.id"
TWO_HOP = "MATCH (a {id: $id})-[:DEPLOYED_TO]->(m)-[r]->(b) RETURN labels(b) AS labels, sum(r.count) AS total"


BUILD = """
import sys, tempfile, time, resource
import ladybug, pyarrow  # imported before the first timing: every run pays the same
sys.path.insert(0, {bench!r})
from bench_embedded import synthetic, raw_load
from graph.embedded import build_database
from graph.schema import load_schema
schema = load_schema()
G = synthetic({n}, {m}, schema)

def timed(fn):
    before, t = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    fn()
    after = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter() - t, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime

with tempfile.TemporaryDirectory() as tmp:
    for i in range({repeat}):
        if {raw}:
            from graph.embedded.ddl import load_plan
            plan = []
            print("rows", *timed(lambda: plan.append(load_plan(G, schema))))
            print("raw", *timed(lambda: raw_load(plan.pop(), f"{{tmp}}/raw{{i}}.lbug")))
        print("build", *timed(lambda: build_database(G, f"{{tmp}}/build{{i}}.lbug", schema=schema)))
"""


def raw_load(plan: Any, path: str) -> None:
    """The engine alone: the tables and the COPY of Arrow tables made beforehand (`ddl.load_plan`),
    as a build does them (`cache.copy_plan`), then the checkpoint; the floor of a build of the same rows."""
    import ladybug

    from graph.embedded.cache import copy_plan

    db = ladybug.Database(path, auto_checkpoint=False)
    conn = ladybug.Connection(db)
    copy_plan(conn, plan)
    conn.execute("CHECKPOINT")
    conn.close()
    db.close()


def build_in(tree: Path, n_nodes: int, n_edges: int, repeat: int, raw: bool) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds of `repeat` runs of `build_database` on the synthetic graph (generated
    once), with the code of `tree`; with `raw`, before each build the time of making the rows
    (`load_plan`) and of the raw engine load of those rows (`raw_load`)."""
    import subprocess
    import sys

    code = BUILD.format(bench=str(Path(__file__).resolve().parent), n=n_nodes, m=n_edges, repeat=repeat, raw=raw)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=tree).stdout
    runs: dict[str, list[tuple[float, float]]] = {}
    for line in out.splitlines():
        what, wall, cpu = line.split()
        runs.setdefault(what, []).append((float(wall), float(cpu)))
    return runs


def build_part(n_nodes: int, n_edges: int, repeat: int, baselines: list[Path]) -> None:
    """The build in this tree (with the raw engine load of the same rows before each build) and in each of `baselines`."""
    here = build_in(Path(__file__).resolve().parent.parent, n_nodes, n_edges, repeat, raw=True)
    there = {tree: build_in(tree.resolve(), n_nodes, n_edges, repeat, raw=False) for tree in baselines}

    def median(runs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    def ratio(i: int) -> str:
        each = sorted(b[i] / r[i] for b, r in zip(here["build"], here["raw"], strict=True))
        return f"{statistics.median(each):.2f}x ({each[0]:.2f} to {each[-1]:.2f})"

    def row(what: str, runs: list[tuple[float, float]]) -> str:
        return f"| {what} | {median(runs, 0):.1f} | {median(runs, 1):.1f} |"

    print(f"\n### Build of {n_nodes:,} nodes / {n_edges:,} relationships, this tree and the baselines, in one run: median of {repeat}\n")
    print("| measure | wall (s) | CPU (s) |\n|---|---:|---:|")
    print(row("this tree: `build_database`", here["build"]))
    print(row("this tree: rows into Arrow tables (`load_plan`)", here["rows"]))
    print(row("raw engine load of those tables (DDL, COPY, checkpoint)", here["raw"]))
    print(f"| this tree's build / raw load, per run: median (range) | {ratio(0)} | {ratio(1)} |")
    for tree, runs in there.items():
        print(row(f"baseline {tree}: `build_database`", runs["build"]))
        walls = median(runs["build"], 0) / median(here["build"], 0)
        print(f"| baseline {tree} / this tree (medians) | {walls:.2f}x | {median(runs['build'], 1) / median(here['build'], 1):.2f}x |")


def synthetic_part(n_nodes: int, n_edges: int, repeat: int, neo4j_uri: str | None, baselines: list[Path], builds: int = 3) -> None:
    if baselines:
        build_part(n_nodes, n_edges, builds, baselines)
    schema = load_schema()
    t = time.perf_counter()
    G = synthetic(n_nodes, n_edges, schema)
    gen = time.perf_counter() - t
    start = next(n for n, d in G.nodes(data=True) if d["label"] == "State" and G.out_degree(n) > 3)
    name = G.nodes[f"n{n_nodes // 2}"]["name"]
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lbug"
        t = time.perf_counter()
        build_database(G, path, schema=schema)
        build = time.perf_counter() - t
        rows.append(("build from the MultiDiGraph (DDL + COPY)", f"{build * 1000:.0f}", "n/a"))
        import ladybug

        from graph.embedded.database import EmbeddedDatabase

        lb = ladybug.Database(str(path), read_only=True)
        db = EmbeddedDatabase(lb, ladybug.Connection(lb), schema, path=path, writable=False)
        ms_l, got = timed(lambda: db.query(LOOKUP, name=name), repeat)
        ref_l, want = timed(lambda: nx_lookup(G, name), repeat)
        assert got["n.id"].tolist() == want, (got, want)
        rows.append((f"lookup by name ({name!r})", f"{ms_l:.1f}", f"{ref_l:.1f}"))
        ms_h, got2 = timed(lambda: db.query(TWO_HOP, id=start), repeat)
        ref_h, want2 = timed(lambda: nx_two_hop(G, start), repeat)
        own = [next(lab for lab in labels if lab not in ("Cubamed", "Sanctioned")) for labels in got2["labels"]]
        got_totals = dict(zip(own, got2["total"], strict=True))
        assert got_totals == {k: v for k, v in want2.items() if k in got_totals}, (got2, want2)
        rows.append(("2-hop aggregation (DEPLOYED_TO then any, sum(count) by label)", f"{ms_h:.1f}", f"{ref_h:.1f}"))
        db.close()
    neo = neo4j_column(G, neo4j_uri, name, start, repeat, schema) if neo4j_uri else {}
    print(f"\n### Synthetic graph: {n_nodes:,} nodes, {n_edges:,} relationships (generated in {gen:.1f} s)\n")
    head = "| operation | embedded (ms) | networkx by hand (ms) |" + (" Neo4j (ms) |" if neo else "")
    print(head + "\n|---|---:|---:|" + ("---:|" if neo else ""))
    for (op, a, b), key in zip(rows, ("build", "lookup", "two_hop"), strict=True):
        print(f"| {op} | {a} | {b} |" + (f" {neo.get(key, '')} |" if neo else ""))


def neo4j_column(G: nx.MultiDiGraph, uri: str, name: str, start: str, repeat: int, schema: Schema) -> dict[str, str]:
    """Export the synthetic graph to Neo4j and time the same queries there (for the lead; needs a server)."""
    from graph.embedded.neo4j import neo4j_execute
    from graph.export.neo4j import export_neo4j

    user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    t = time.perf_counter()
    export_neo4j(G, uri, user=user, password=password, prune=True, schema=schema)
    out = {"build": f"{(time.perf_counter() - t) * 1000:.0f} (export)"}
    for key, text, params in (("lookup", LOOKUP, {"name": name}), ("two_hop", TWO_HOP, {"id": start})):

        def run(text: str = text, params: dict[str, str] = params) -> Any:
            return neo4j_execute(text, params, uri=uri, user=user, password=password, schema=schema)

        ms, _ = timed(run, repeat)
        out[key] = f"{ms:.1f}"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15, help="runs per query (median of warm runs)")
    parser.add_argument("--skip-curated", action="store_true")
    parser.add_argument("--skip-processes", action="store_true")
    parser.add_argument(
        "--baseline",
        type=Path,
        action="append",
        default=[],
        help="a source tree to time the same work on (e.g. git archive main); repeatable",
    )
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--builds", type=int, default=3, help="builds per tree for the build comparison (with --baseline)")
    parser.add_argument("--neo4j", metavar="URI", help="also export the synthetic graph to this Neo4j and time the queries there")
    args = parser.parse_args()
    import ladybug

    print(f"ladybug {ladybug.__version__}, networkx {nx.__version__}")
    if not args.skip_curated:
        curated_part(args.repeat)
        translation_part(5)
    if not args.skip_processes:
        process_part(args.repeat, args.baseline[0] if args.baseline else None)
    if not args.skip_synthetic:
        synthetic_part(args.nodes, args.edges, args.repeat, args.neo4j, args.baseline, args.builds)


if __name__ == "__main__":
    main()
