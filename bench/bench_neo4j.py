"""Benchmark `cubamed export neo4j` on a synthetic graph (not a timed test).

Exports a synthetic graph shaped like the data model (default 100,000 nodes, 500,000
relationships, valid labels and endpoint triples, realistic properties) and measures, in one run:

- the first export into an empty database (constraints, indexes, MERGE batches): relationships/s;
- the floor: the same batches written with plain CREATE into an empty database with the same
  constraints and indexes (what any MERGE-based export must at least pay);
- the naive way: one auto-commit ``MERGE`` per row (``session.run`` in a loop), measured on a
  slice (the first `--naive-rels` relationships and their endpoints) and scaled to the graph;
- the re-export of the unchanged graph (the idempotent no-op an analyst runs every day).

A warm-up on a graph 1/20 the size runs both query sets first, so neither the floor nor the
export (nor the naive loop) pays for a cold JVM or for planning its ~200 static queries.

It CLEARS the target database (every node, relationship, constraint and index). By default it
starts a throwaway local server with tests/neo4j_server.py; with --uri it asks for --yes-clear.

    python bench/bench_neo4j.py                          # local throwaway server
    NEO4J_PASSWORD=... python bench/bench_neo4j.py --uri bolt://localhost:7687 --yes-clear

Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.export import export_neo4j  # noqa: E402
from graph.export.neo4j import DEFAULT_BATCH_SIZE  # noqa: E402
from graph.export.rows import (  # noqa: E402
    MARKER_LABEL,
    batches,
    node_groups,
    node_merge_query,
    quote_name,
    relationship_groups,
    relationship_merge_query,
    schema_statements,
)
from graph.schema import Schema, load_schema  # noqa: E402

LABEL_WEIGHTS = {"State": 5, "Region": 20, "Program": 10, "Person": 25, "Institution": 30, "Company": 5, "Event": 5}


def synthetic_graph(n_nodes: int, n_rels: int, schema: Schema, seed: int = 7) -> nx.MultiDiGraph:
    """A deterministic random graph that satisfies the schema's labels and endpoint triples."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    labels = list(LABEL_WEIGHTS)
    by_label: dict[str, list[str]] = {lab: [] for lab in labels}
    for i in range(n_nodes):
        lab = rng.choices(labels, weights=list(LABEL_WEIGHTS.values()))[0]
        node = f"{lab.lower()}-{i}"
        attrs: dict[str, Any] = {"label": lab, "name": f"{lab} number {i}"}
        if i % 3 == 0:
            attrs["aliases"] = [f"alias {i}", f"Alias Ñ {i}"]
        if lab == "State":
            attrs["iso3"] = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
        elif lab == "Event":
            attrs.update(kind="disaster", year=rng.randint(1960, 2024))
        elif lab == "Region":
            attrs["kind"] = "city"
        G.add_node(node, **attrs)
        by_label[lab].append(node)
    triples = [t for t in schema.endpoint_pairs() if by_label.get(t[0]) and by_label.get(t[2])]
    for j in range(n_rels):
        s, rtype, e = rng.choice(triples)
        u, v = rng.choice(by_label[s]), rng.choice(by_label[e])
        props: dict[str, Any] = {
            "type": rtype,
            "source_id": "source-1",
            "locator": f"para. {j % 40}",
            "evidence": f"Synthetic fact {j}: {u} {rtype.lower()} {v}.",
            "year": 1960 + j % 65,
        }
        if j % 2 == 0:
            props["count"] = j % 1000
        G.add_edge(u, v, key=f"{rtype.lower()}-{j:07d}", **props)
    return G


def _clear(driver: neo4j.Driver) -> None:
    with driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        for rec in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT {quote_name(rec['name'])}").consume()
        for rec in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            s.run(f"DROP INDEX {quote_name(rec['name'])}").consume()


def _schema(session: neo4j.Session) -> None:
    for stmt in schema_statements():
        session.run(stmt).consume()
    session.run("CALL db.awaitIndexes(300)").consume()


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def floor(driver: neo4j.Driver, G: nx.MultiDiGraph, schema: Schema, batch_size: int) -> float:
    """The same batches with plain CREATE into an empty database (same constraints and indexes)."""

    def run() -> None:
        with driver.session() as s:
            _schema(s)
            for ng in node_groups(G, schema):
                labels = ":".join(quote_name(x) for x in [MARKER_LABEL, ng.label] + ([schema.sanctioned_label] if ng.sanctioned else []))
                q = f"UNWIND $rows AS row CREATE (n:{labels}) SET n = row"
                for chunk in batches(ng.rows, batch_size):
                    s.execute_write(lambda tx, c=chunk, q=q: tx.run(q, rows=c).consume())
            for rg in relationship_groups(G, schema):
                q = (
                    f"UNWIND $rows AS row MATCH (a:{quote_name(rg.start)} {{id: row.s}}) MATCH (b:{quote_name(rg.end)} {{id: row.t}}) "
                    f"CREATE (a)-[r:{quote_name(rg.type)}]->(b) SET r = row.p"
                )
                for chunk in batches(rg.rows, batch_size):
                    s.execute_write(lambda tx, c=chunk, q=q: tx.run(q, rows=c).consume())

    return _timed(run)


def naive(driver: neo4j.Driver, G: nx.MultiDiGraph, schema: Schema, n_rels: int) -> tuple[float, int, float, int]:
    """One auto-commit MERGE per row on a slice: the first `n_rels` relationships and their endpoints.

    Returns (seconds for the nodes, how many nodes, seconds for the relationships, how many).
    """
    edges = list(G.edges(keys=True))[:n_rels]
    sub = G.edge_subgraph(edges)
    nodes = [(n, g.label, g.sanctioned, row) for g in node_groups(sub, schema) for row in g.rows for n in [row["id"]]]
    rels = [(g, row) for g in relationship_groups(sub, schema) for row in g.rows]
    with driver.session() as s:
        _schema(s)

        def write_nodes() -> None:
            for _, label, sanctioned, row in nodes:
                s.run(node_merge_query(schema, label, sanctioned, rows="[$row]"), row=row).consume()

        def write_rels() -> None:
            for g, row in rels:
                s.run(relationship_merge_query(schema, g.start, g.type, g.end, rows="[$row]"), row=row).consume()

        return _timed(write_nodes), len(nodes), _timed(write_rels), len(rels)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--uri", help="Server to use (its database is CLEARED). Default: start a throwaway local server.")
    ap.add_argument("--user", default="neo4j")
    ap.add_argument("--yes-clear", action="store_true", help="Confirm that the database at --uri may be cleared.")
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--rels", type=int, default=500_000)
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--naive-rels", type=int, default=5_000, help="Relationships in the naive slice (scaled to --rels).")
    args = ap.parse_args(argv)

    server = None
    if args.uri:
        if not args.yes_clear:
            ap.error("--uri needs --yes-clear: the benchmark deletes everything in that database")
        uri, user = args.uri, args.user
        password = os.environ.get("NEO4J_PASSWORD") or ap.error("set NEO4J_PASSWORD")
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        import neo4j_server  # type: ignore[import-not-found]

        # The test server runs C1-only with a 1 GB heap for quick start-up; a benchmark wants
        # the JIT's full tier and room for 500,000-row transactions.
        neo4j_server.JVM_FLAGS = [f for f in neo4j_server.JVM_FLAGS if "TieredStopAtLevel" not in f and not f.startswith("-Xm")]
        neo4j_server.JVM_FLAGS += ["-Xms2g", "-Xmx4g"]
        server = neo4j_server.Neo4jServer()  # starts it
        uri, user, password = server.uri, server.user, server.password
    try:
        schema = load_schema()
        t = time.perf_counter()
        G = synthetic_graph(args.nodes, args.rels, schema)
        print(
            f"synthetic graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships ({time.perf_counter() - t:.1f} s)",
            file=sys.stderr,
        )
        with neo4j.GraphDatabase.driver(uri, auth=(user, password)) as driver:
            # Warm-up on a small graph with the same query texts: plans cached, JIT warm, so that
            # neither the floor nor the export pays for a cold server.
            small = synthetic_graph(max(args.nodes // 20, 100), max(args.rels // 20, 500), schema, seed=8)
            _clear(driver)
            floor(driver, small, schema, args.batch_size)
            _clear(driver)
            export_neo4j(small, uri, user=user, password=password, batch_size=args.batch_size)
            _clear(driver)
            naive(driver, small, schema, 2_000)  # plans the one-row queries too: naive is not charged for planning
            _clear(driver)
            t_floor = floor(driver, G, schema, args.batch_size)
            print(f"floor (CREATE): {t_floor:.1f} s", file=sys.stderr)
            _clear(driver)
            t_first = _timed(lambda: export_neo4j(G, uri, user=user, password=password, batch_size=args.batch_size))
            print(f"first export: {t_first:.1f} s", file=sys.stderr)
            t_again = _timed(lambda: export_neo4j(G, uri, user=user, password=password, batch_size=args.batch_size))
            print(f"re-export: {t_again:.1f} s", file=sys.stderr)
            with driver.session() as s:
                counts = (
                    s.run(f"MATCH (n:{MARKER_LABEL}) RETURN count(n)").single()[0],
                    s.run("MATCH ()-[r]->() RETURN count(r)").single()[0],
                )  # type: ignore[index]
            assert counts == (G.number_of_nodes(), G.number_of_edges()), counts
            _clear(driver)
            tn, nn, tr, nr = naive(driver, G, schema, args.naive_rels)
            t_naive = tn * G.number_of_nodes() / nn + tr * G.number_of_edges() / nr
            print(f"naive slice: {nn} nodes in {tn:.1f} s, {nr} relationships in {tr:.1f} s", file=sys.stderr)
            _clear(driver)
    finally:
        if server is not None:
            server.close()

    m = G.number_of_edges()
    print(f"\n**Export of {G.number_of_nodes():,} nodes and {m:,} relationships, batch size {args.batch_size:,}**\n")
    print("| measure | time (s) | relationships/s | ratio | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| first export (MERGE batches, into an empty database) | {t_first:.1f} | {m / t_first:,.0f} | 1.0 | |")
    print(f"| naive: one auto-commit MERGE per row (slice of {nr:,} rels + {nn:,} nodes, scaled) | {t_naive:.1f} | {m / t_naive:,.0f} "
          f"| {t_naive / t_first:.1f}x slower | export ≥ 30x faster: {'met' if t_naive / t_first >= 30 else 'NOT met'} |")  # fmt: skip
    print(f"| floor: same batches with plain CREATE into an empty database | {t_floor:.1f} | {m / t_floor:,.0f} "
          f"| export = {t_first / t_floor:.2f}x floor | ≤ 1.5x: {'met' if t_first / t_floor <= 1.5 else 'NOT met'} |")  # fmt: skip
    print(f"| re-export of the unchanged graph | {t_again:.1f} | {m / t_again:,.0f} "
          f"| {t_again / t_first:.2f}x first | ≤ 2x: {'met' if t_again / t_first <= 2 else 'NOT met'} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
