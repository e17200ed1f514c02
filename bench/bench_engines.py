"""Compare embedded Cypher engines on this project's graph, in one run (the evidence for the engine choice).

    pip install kglite==0.21.2 graphqlite==0.12.0     # the candidates (not project dependencies)
    python bench/bench_engines.py                       # every part; the 1M part takes a few minutes
    python bench/bench_engines.py --nodes 10000 --edges 100000 --skip-wheels

Prints markdown tables:

(a) wheels and licence: for each engine, whether `pip download --only-binary=:all:` finds a wheel
    for CPython 3.11 on Linux x86-64 / aarch64, macOS arm64 / x86-64 and Windows x86-64;
(b) answers: every query of `cypher/queries/` run *raw* on each engine loaded with the curated
    graph, compared with Neo4j 5.26's recorded answer (tests/expected/); `cubamed` is the same
    through `graph.embedded` (translation included). With ``--neo4j URI`` (a Neo4j holding the
    curated graph, password in NEO4J_PASSWORD) also the corpus of tests/cypher/corpus/, judged by
    its differential rule (tests/cypher/compare.py) against that live Neo4j;
(c) scale: a synthetic graph of `--nodes` / `--edges` shaped like the data model: bulk load time,
    how many relationships the engine *stored* (parallel relationships must all survive), and a
    2-hop aggregation from one state (median of warm runs).

Engines that are not installed, or do not run on this Python, get a row saying why.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).parent))
from bench_embedded import synthetic, timed

from graph.locations import cypher_dir
from graph.schema import Schema, load_schema

ROOT = Path(__file__).parent.parent
ENGINES = {"ladybug": "0.22.0", "kglite": "0.21.2", "graphqlite": "0.12.0", "velr": "0.2.56", "falkordblite": "0.11.0"}
PLATFORMS = {
    "Linux x86-64": ["manylinux_2_28_x86_64", "manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_34_x86_64"],
    "Linux aarch64": ["manylinux_2_28_aarch64", "manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_39_aarch64"],
    "macOS arm64": ["macosx_26_0_arm64", "macosx_26_0_universal2"],  # the newest macOS accepts every older tag
    "macOS x86-64": ["macosx_26_0_x86_64", "macosx_26_0_universal2"],
    "Windows x86-64": ["win_amd64"],
}
TWO_HOP = "MATCH (a {id: $id})-[:DEPLOYED_TO]->(m)-[r]->(b) RETURN count(*) AS paths, sum(r.count) AS total"


# --- (a) wheels ----------------------------------------------------------------------------------


def has_wheel(package: str, version: str, platforms: list[str], python: str = "3.11") -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", tmp]
        args += [a for p in platforms for a in ("--platform", p)] + ["--python-version", python, f"{package}=={version}"]
        return subprocess.run(args, capture_output=True, text=True).returncode == 0


def licence(package: str) -> str:
    try:
        meta = metadata(package)
    except PackageNotFoundError:
        return "(not installed)"
    return str(meta.get("License-Expression") or meta.get("License") or "?")[:30]


def wheels_part() -> None:
    print("\n### Wheels for CPython 3.11 (pip download --only-binary=:all:) and licence\n")
    print("| engine | " + " | ".join(PLATFORMS) + " | licence |\n|---|" + "---|" * (len(PLATFORMS) + 1))
    for package, version in ENGINES.items():
        cells = ["yes" if has_wheel(package, version, tags) else "no" for tags in PLATFORMS.values()]
        print(f"| {package} {version} | " + " | ".join(cells) + f" | {licence(package)} |")


# --- engines -------------------------------------------------------------------------------------


class Engine:
    name = ""

    def load(self, G: nx.MultiDiGraph, schema: Schema) -> None:
        raise NotImplementedError

    def rows(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        raise NotImplementedError

    def stored_relationships(self) -> int:
        return int(self.rows("MATCH ()-[r]->() RETURN count(r) AS n", {})[1][0][0])

    def close(self) -> None:
        pass


class Ladybug(Engine):
    """The engine as it comes: a node table per label, a relationship table per type with every
    allowed endpoint pair (the engine's natural layout), bulk COPY from Arrow tables."""

    name = "ladybug (raw)"

    def load(self, G: nx.MultiDiGraph, schema: Schema) -> None:
        import ladybug
        import pyarrow as pa  # type: ignore[import-untyped]

        self.tmp = tempfile.TemporaryDirectory()
        self.db = ladybug.Database(str(Path(self.tmp.name) / "db.lbug"), auto_checkpoint=False)
        self.conn = ladybug.Connection(self.db)
        types = {"string": "STRING", "int": "INT64", "number": "DOUBLE", "bool": "BOOLEAN", "date": "STRING"}
        types |= {"list[string]": "STRING[]", "enum": "STRING", "ref": "STRING"}
        node_cols = {
            lab: {"id": "STRING", **{n: types[p.type] for n, p in schema.node_properties_of(lab).items()}} for lab in schema.labels
        }
        rel_cols = {"id": "STRING", **{n: types[p.type] for n, p in schema.relationship_properties.items()}}
        for lab, cols in node_cols.items():
            self.conn.execute(f"CREATE NODE TABLE `{lab}`({', '.join(f'`{c}` {t}' for c, t in cols.items())}, PRIMARY KEY(id))")
        for rel in schema.relationships.values():
            pairs = ", ".join(f"FROM `{s}` TO `{t}`" for s in rel.sources for t in rel.targets)
            self.conn.execute(f"CREATE REL TABLE `{rel.name}`({pairs}, {', '.join(f'`{c}` {t}' for c, t in rel_cols.items())})")
        by_label: dict[str, list[dict[str, Any]]] = {}
        for n, d in G.nodes(data=True):
            by_label.setdefault(d["label"], []).append({"id": n, **{k: v for k, v in d.items() if k in node_cols[d["label"]]}})
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        labels = dict(G.nodes(data="label"))
        for u, v, k, d in G.edges(keys=True, data=True):
            row = {"from": u, "to": v, "id": str(k), **{c: x for c, x in d.items() if c in rel_cols and c != "id"}}
            groups.setdefault((d["type"], labels[u], labels[v]), []).append(row)

        def table(rows: list[dict[str, Any]], cols: dict[str, str], lead: tuple[str, ...]) -> Any:
            arrow = {
                "STRING": pa.string(),
                "INT64": pa.int64(),
                "DOUBLE": pa.float64(),
                "BOOLEAN": pa.bool_(),
                "STRING[]": pa.list_(pa.string()),
            }
            fields = [(c, pa.string()) for c in lead] + [(c, arrow[t]) for c, t in cols.items() if c not in lead]
            return pa.Table.from_pylist(rows, schema=pa.schema(fields))

        self.conn.execute("BEGIN TRANSACTION")
        for lab, rows in by_label.items():
            self.conn.execute(f"COPY `{lab}` FROM $data", {"data": table(rows, node_cols[lab], ("id",))})
        for (rtype, s, t), rows in groups.items():
            self.conn.execute(f"COPY `{rtype}` FROM $data (from='{s}', to='{t}')", {"data": table(rows, rel_cols, ("from", "to"))})
        self.conn.execute("COMMIT")
        self.conn.execute("CHECKPOINT")

    def rows(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        result = self.conn.execute(cypher, params)
        return result.get_column_names(), result.get_all()

    def close(self) -> None:
        self.conn.close()
        self.db.close()
        self.tmp.cleanup()


class Cubamed(Engine):
    """ladybug through graph.embedded: the project's layout and the translator."""

    name = "cubamed (ladybug + translator)"

    def load(self, G: nx.MultiDiGraph, schema: Schema) -> None:
        import ladybug

        from graph.embedded import build_database
        from graph.embedded.database import EmbeddedDatabase

        self.tmp = tempfile.TemporaryDirectory()
        path = Path(self.tmp.name) / "db.lbug"
        build_database(G, path, schema=schema)
        lb = ladybug.Database(str(path), read_only=True)
        self.db = EmbeddedDatabase(lb, ladybug.Connection(lb), schema, path=path, writable=False)

    def rows(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        return self.db.execute(cypher, params)

    def close(self) -> None:
        self.db.close()
        self.tmp.cleanup()


class Kglite(Engine):
    """kglite from pandas DataFrames (its documented bulk path): add_nodes per label, add_relationships per (type, pair)."""

    name = "kglite (raw)"

    def load(self, G: nx.MultiDiGraph, schema: Schema) -> None:
        import kglite
        import pandas as pd

        self.g = kglite.KnowledgeGraph()
        by_label: dict[str, list[dict[str, Any]]] = {}
        for n, d in G.nodes(data=True):
            by_label.setdefault(d["label"], []).append({"id": n, **{k: v for k, v in d.items() if k != "label"}})
        for lab, rows in by_label.items():
            self.g.add_nodes(pd.DataFrame(rows), lab, "id", "name")
        labels = dict(G.nodes(data="label"))
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for u, v, k, d in G.edges(keys=True, data=True):
            props = {"id": str(k), **{c: x for c, x in d.items() if c != "type" and x is not None}}
            groups.setdefault((d["type"], labels[u], labels[v]), []).append({"from": u, "to": v, **props})
        for (rtype, start, end), rows in groups.items():
            self.add_relationships(rtype, start, end, rows)

    def add_relationships(self, rtype: str, start: str, end: str, rows: list[dict[str, Any]]) -> None:
        import pandas as pd

        self.g.add_relationships(pd.DataFrame(rows), rtype, start, "from", end, "to")

    def rows(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        view = self.g.cypher(cypher, params=params)
        names = list(view.columns)
        return names, [[r[c] for c in names] for r in view]


class KgliteCypher(Kglite):
    """kglite with relationships created through its Cypher (UNWIND ... CREATE), batches of 10,000."""

    name = "kglite (raw, Cypher loader)"

    def add_relationships(self, rtype: str, start: str, end: str, rows: list[dict[str, Any]]) -> None:
        text = f"UNWIND $rows AS row MATCH (a:{start} {{id: row.f}}), (b:{end} {{id: row.t}}) CREATE (a)-[r:{rtype}]->(b) SET r += row.p"
        batch = [{"f": r["from"], "t": r["to"], "p": {k: v for k, v in r.items() if k not in ("from", "to")}} for r in rows]
        for i in range(0, len(batch), 10_000):
            self.g.cypher(text, params={"rows": batch[i : i + 10_000]})


class Graphqlite(Engine):
    name = "graphqlite (raw)"

    def load(self, G: nx.MultiDiGraph, schema: Schema) -> None:
        import graphqlite

        self.g = graphqlite.Graph(":memory:")
        nodes = [(n, {"id": n, **{k: v for k, v in d.items() if k != "label"}}, d["label"]) for n, d in G.nodes(data=True)]
        edges = [
            (u, v, {"id": str(k), **{c: x for c, x in d.items() if c != "type"}}, d["type"]) for u, v, k, d in G.edges(keys=True, data=True)
        ]
        self.g.insert_graph_bulk(nodes, edges)

    def rows(self, cypher: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        out = self.g.query(cypher, params or None)
        names = list(out[0]) if out else []
        return names, [list(r.values()) for r in out]


CANDIDATES: list[type[Engine]] = [Ladybug, Cubamed, Kglite, KgliteCypher, Graphqlite]


def start(cls: type[Engine], G: nx.MultiDiGraph, schema: Schema) -> tuple[Engine | None, float, str]:
    engine = cls()
    t = time.perf_counter()
    try:
        engine.load(G, schema)
    except Exception as exc:  # a benchmark reports any failure of a candidate as its row
        return None, 0.0, f"{type(exc).__name__}: {str(exc).splitlines()[0][:90]}"
    return engine, time.perf_counter() - t, ""


# --- (b) answers ---------------------------------------------------------------------------------


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def corpus() -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(name, query, params, Neo4j's recorded answer {columns, rows, ordered}) of every query with a recorded answer."""
    for f in sorted((cypher_dir() / "queries").glob("*.cypher")):
        expected = ROOT / "tests" / "expected" / f"{f.stem}.json"
        if expected.exists():
            yield f.stem, f.read_text(encoding="utf-8"), {}, json.loads(expected.read_text(encoding="utf-8"))
    for f in sorted((ROOT / "tests" / "cypher").glob("**/*.cypher")):
        expected = f.with_suffix(".json")
        if expected.exists():
            answer = json.loads(expected.read_text(encoding="utf-8"))
            yield f.stem, f.read_text(encoding="utf-8"), answer.get("params", {}), answer


def same(names: list[str], rows: list[list[Any]], answer: dict[str, Any]) -> bool:
    got = [dict(zip(names, map(_plain, r), strict=True)) for r in rows]
    want = [{k: _plain(v) for k, v in r.items()} for r in answer["rows"]]
    if names != answer["columns"]:
        return False
    return got == want if answer.get("ordered") else sorted(map(repr, got)) == sorted(map(repr, want))


class Adapter:
    """An engine seen as `EmbeddedDatabase.execute` (what the differential harness runs); raw rows, raw errors."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def execute(self, query: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        return self.engine.rows(query, params)


def corpus_part(schema: Schema, uri: str) -> None:
    import os

    import graph

    sys.path.insert(0, str(ROOT))
    from tests.cypher.corpus import load_corpus
    from tests.cypher.oracle import Neo4jOracle, differential

    oracle = Neo4jOracle(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
    entries = [e for e in load_corpus() if e.refused is None and not e.neo4j_error]
    G = graph.load()
    print(f"\n### The corpus: {len(entries)} queries Neo4j answers, judged against the live Neo4j 5.26\n")
    print("| engine | identical | different (no error) | error |\n|---|---:|---:|---:|")
    for cls in CANDIDATES:
        engine, _, why = start(cls, G, schema)
        if engine is None:
            print(f"| {cls.name} | cannot load: {why} | | |")
            continue
        kinds: dict[str, int] = {}
        for e in entries:
            try:
                kind = differential(oracle, Adapter(engine), e.query, e.params).outcome.kind
            except Exception:  # an engine that crashes the comparison counts as an error
                kind = "crash"
            kinds[kind] = kinds.get(kind, 0) + 1
        engine.close()
        errors = sum(n for k, n in kinds.items() if k not in ("identical", "wrong"))
        print(f"| {cls.name} | {kinds.get('identical', 0)} | {kinds.get('wrong', 0)} | {errors} |")
    oracle.close()


def answers_part(schema: Schema) -> None:
    import graph

    G = graph.load()
    queries = list(corpus())
    print(f"\n### Answers: {len(queries)} queries with Neo4j 5.26's recorded answers, run on each engine\n")
    print("| engine | identical | different (no error) | error |\n|---|---:|---:|---:|")
    for cls in CANDIDATES:
        engine, _, why = start(cls, G, schema)
        if engine is None:
            print(f"| {cls.name} | cannot load: {why} | | |")
            continue
        ok = wrong = err = 0
        for _, text, params, answer in queries:
            try:
                names, rows = engine.rows(text, params)
            except Exception:  # any engine error counts as an error row
                err += 1
                continue
            if same(names, rows, answer):
                ok += 1
            else:
                wrong += 1
        engine.close()
        print(f"| {cls.name} | {ok} | {wrong} | {err} |")


# --- (c) scale -----------------------------------------------------------------------------------


def scale_part(schema: Schema, n_nodes: int, n_edges: int, repeat: int) -> None:
    G = synthetic(n_nodes, n_edges, schema)

    def two_hop(n: str) -> int:
        return sum(G.out_degree(m) for _, m, d in G.out_edges(n, data=True) if d["type"] == "DEPLOYED_TO")

    state = max((n for n, d in G.nodes(data=True) if d["label"] == "State"), key=two_hop)
    want_paths = two_hop(state)
    print(f"\n### Scale: {n_nodes:,} nodes, {n_edges:,} relationships; 2-hop from {state} ({want_paths:,} paths by hand)\n")
    print("| engine | bulk load (s) | relationships stored | 2-hop median (ms) | 2-hop paths |\n|---|---:|---:|---:|---:|")
    for cls in CANDIDATES:
        engine, seconds, why = start(cls, G, schema)
        if engine is None:
            print(f"| {cls.name} | cannot load: {why} | | | |")
            continue
        stored = engine.stored_relationships()
        try:
            ms, (_, rows) = timed(lambda e=engine: e.rows(TWO_HOP, {"id": state}), repeat)
            paths: Any = rows[0][0]
        except Exception as exc:  # reported in the row
            ms, paths = float("nan"), f"error: {str(exc).splitlines()[0][:60]}"
        engine.close()
        print(f"| {cls.name} | {seconds:.1f} | {stored:,} | {ms:.1f} | {paths} |")


def main() -> None:
    import warnings

    warnings.simplefilter("ignore")  # kglite warns that our Source `title` clashes with its own title field

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--skip-wheels", action="store_true")
    parser.add_argument("--skip-answers", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--neo4j", metavar="URI", help="also judge the corpus against this Neo4j (holding the curated graph)")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}")
    schema = load_schema()
    if not args.skip_wheels:
        wheels_part()
    if not args.skip_answers:
        answers_part(schema)
    if args.neo4j:
        corpus_part(schema, args.neo4j)
    if not args.skip_scale:
        scale_part(schema, args.nodes, args.edges, args.repeat)


if __name__ == "__main__":
    main()
