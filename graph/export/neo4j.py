"""Export the graph to a running Neo4j over Bolt, idempotently, and read it back.

Example (needs a server; the tests run it against a real one)::

    from graph.export import export_neo4j, read_neo4j
    report = export_neo4j(G, "neo4j+s://xxxx.databases.neo4j.io", user="neo4j", password=pw)

The export runs `cypher/schema.cypher` (constraints and indexes), then writes the nodes and the
relationships in batches: ``UNWIND $rows AS row MERGE ...`` with one static query per label and
per (start label, type, end label), labels and types from the schema's allow-list, every value a
parameter (see `graph.export.rows` for the queries, the marker and the value conversion rule).
Each batch is one managed transaction (``session.execute_write``), so the driver retries
transient failures; a server lost mid-export leaves whole batches behind, and the next run
completes them to the exact graph. With ``prune=True`` the nodes and relationships cubamed
wrote that are no longer in the data are deleted; what other tools wrote is never touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
import networkx as nx

from ..errors import ExportError
from ..model import LABEL, TYPE
from ..progress import task
from ..project import model_for
from ..schema import Schema
from .bolt import BOLT_SCHEMES, bolt_errors, connect, safe_uri
from .rows import (
    MARKER_LABEL,
    MARKER_PROPERTY,
    batches,
    neo4j_groups,
    node_merge_query,
    quote_name,
    relationship_merge_query,
    schema_statements,
)

__all__ = ["BOLT_SCHEMES", "DEFAULT_BATCH_SIZE", "ExportReport", "export_neo4j", "read_neo4j"]

DEFAULT_BATCH_SIZE = 10_000
"""Rows per transaction: large enough that round trips do not dominate, small enough to keep
each transaction's memory modest (the benchmark in bench/ measured the choice)."""

T = TypeVar("T")


@dataclass(frozen=True)
class ExportReport:
    """What an export did: what it wrote, what it pruned, in how many transactions and how long."""

    uri: str
    database: str | None
    nodes: int
    relationships: int
    pruned_nodes: int = 0
    pruned_relationships: int = 0
    transactions: int = 0
    seconds: float = 0.0
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        db = f" (database {self.database})" if self.database else ""
        pruned = (
            f"; pruned {self.pruned_nodes} nodes and {self.pruned_relationships} relationships"
            if (self.pruned_nodes or self.pruned_relationships)
            else ""
        )
        return (
            f"Exported {self.nodes} nodes and {self.relationships} relationships to {self.uri}{db}{pruned} "
            f"in {self.transactions} transactions, {self.seconds:.1f} s."
        )


def _write(session: neo4j.Session, query: str, **params: Any) -> Any:
    def work(tx: neo4j.ManagedTransaction) -> Any:
        record = tx.run(query, params).single()
        return record[0] if record is not None else None

    return session.execute_write(work)


def _read(session: neo4j.Session, query: str, convert: Callable[[neo4j.Record], T], **params: Any) -> list[T]:
    def work(tx: neo4j.ManagedTransaction) -> list[T]:
        return [convert(r) for r in tx.run(query, params)]

    return session.execute_read(work)


def _apply_schema(session: neo4j.Session, schema: Schema) -> int:
    statements = schema_statements(schema)
    for stmt in statements:
        _write(session, stmt)
    session.run("CALL db.awaitIndexes(300)").consume()
    return len(statements)


def _prune(session: neo4j.Session, G: nx.MultiDiGraph, batch_size: int, key: str) -> tuple[int, int, int]:
    """Delete marked nodes and relationships not in `G` (and duplicates); return (nodes, rels, transactions)."""
    tx_count = 0
    kq = quote_name(key)
    ids = _read(session, f"MATCH (n:{MARKER_LABEL}) RETURN n.{kq}", lambda r: r[0])
    gone_nodes = [i for i in ids if i not in G]
    for chunk in batches([{"id": i} for i in gone_nodes], batch_size):
        _write(session, f"UNWIND $rows AS row MATCH (n:{MARKER_LABEL} {{{kq}: row.id}}) DETACH DELETE n RETURN count(*)", rows=chunk)
        tx_count += 1
    rels = _read(
        session,
        f"MATCH (a:{MARKER_LABEL})-[r]->(b:{MARKER_LABEL}) WHERE r.{MARKER_PROPERTY} = true "
        f"RETURN elementId(r), a.{kq}, b.{kq}, type(r), r.{kq}",
        lambda r: (r[0], (r[1], r[2], r[3], r[4])),
    )
    seen: set[tuple[Any, ...]] = set()
    gone: list[str] = []
    for eid, (u, v, t, k) in rels:
        if (u, v, t, k) in seen or not (G.has_edge(u, v, k) and G.edges[u, v, k].get(TYPE) == t):
            gone.append(eid)
        seen.add((u, v, t, k))
    for chunk in batches([{"e": e} for e in gone], batch_size):
        _write(session, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.e DELETE r RETURN count(*)", rows=chunk)
        tx_count += 1
    return len(gone_nodes), len(gone), tx_count


def export_neo4j(
    G: nx.MultiDiGraph,
    uri: str,
    *,
    user: str,
    password: str,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    prune: bool = False,
    schema: Schema | None = None,
    driver_options: Mapping[str, Any] | None = None,
) -> ExportReport:
    """Write `G` to the Neo4j at `uri` (any scheme the driver knows: neo4j+s:// for Aura and clusters).

    Idempotent: a second run leaves the same graph; a changed property is updated in place
    (``SET n = row`` also removes properties no longer in the data); with `prune`, marked nodes
    and relationships absent from `G` are deleted. Raises `ExportError` with a one-line message
    (never containing the password) when the server, the credentials or the database is wrong.
    `driver_options` go to `neo4j.GraphDatabase.driver` (e.g. ``max_transaction_retry_time``).
    """
    model = model_for(G, schema)
    sch = model.schema
    ngroups, rgroups = neo4j_groups(model, model.rows(G))  # checks the whole graph before anything is written
    key = str(model.key)
    started = time.perf_counter()
    tx = 0
    pruned = (0, 0, 0)
    with bolt_errors(uri, user, password, database):
        driver = connect(uri, user, password, driver_options)
        try:
            with (
                driver.session(database=database) as session,
                task("Exporting to Neo4j", G.number_of_nodes() + G.number_of_edges()) as advance,
            ):
                tx += _apply_schema(session, sch)
                for ng in ngroups:
                    query = node_merge_query(sch, ng.label, ng.sanctioned)
                    for chunk in batches(ng.rows, batch_size):
                        _write(session, query + "\nRETURN count(*)", rows=chunk)
                        tx += 1
                        advance(len(chunk))
                for rg in rgroups:
                    query = relationship_merge_query(sch, rg.start, rg.type, rg.end)
                    for chunk in batches(rg.rows, batch_size):
                        written = _write(session, query + "\nRETURN count(r)", rows=chunk)
                        tx += 1
                        advance(len(chunk))
                        if written != len(chunk):
                            raise ExportError(
                                f"{rg.start} -[{rg.type}]-> {rg.end}: wrote {written} of {len(chunk)} relationships; "
                                "an endpoint is missing in the database (was a node deleted during the export?); run the export again"
                            )
                if prune:
                    pruned = _prune(session, G, batch_size, key)
                    tx += pruned[2]
        finally:
            driver.close()
    labels: dict[str, int] = {}
    for ng in ngroups:
        labels[ng.label] = labels.get(ng.label, 0) + len(ng.rows)
    types: dict[str, int] = {}
    for rg in rgroups:
        types[rg.type] = types.get(rg.type, 0) + len(rg.rows)
    return ExportReport(
        uri=safe_uri(uri),
        database=database,
        nodes=G.number_of_nodes(),
        relationships=G.number_of_edges(),
        pruned_nodes=pruned[0],
        pruned_relationships=pruned[1],
        transactions=tx,
        seconds=time.perf_counter() - started,
        labels=labels,
        types=types,
    )


def read_neo4j(
    uri: str,
    *,
    user: str,
    password: str,
    database: str | None = None,
    schema: Schema | None = None,
    driver_options: Mapping[str, Any] | None = None,
) -> nx.MultiDiGraph:
    """Read what cubamed exported back into a MultiDiGraph shaped like `graph.load()`'s.

    Only marked nodes and relationships are read. Node attributes: `label` (the schema label
    among the node's labels) and the properties except the key (`id`); edge key = the
    relationship's key, attributes `type` and the properties except the key and the marker.
    """
    model = model_for(None, schema)
    key = str(model.key)
    G = nx.MultiDiGraph()
    with bolt_errors(uri, user, password, database):
        driver = connect(uri, user, password, driver_options)
        try:
            with driver.session(database=database) as session:
                nodes = _read(
                    session,
                    f"MATCH (n:{MARKER_LABEL}) RETURN n.{quote_name(key)}, labels(n), properties(n)",
                    lambda r: (r[0], r[1], r[2]),
                )
                rels = _read(
                    session,
                    f"MATCH (a:{MARKER_LABEL})-[r]->(b:{MARKER_LABEL}) WHERE r.{MARKER_PROPERTY} = true "
                    "RETURN a.id, b.id, type(r), properties(r)",
                    lambda r: (r[0], r[1], r[2], r[3]),
                )
        finally:
            driver.close()
    for node_id, node_labels, props in nodes:
        label = next((lab for lab in node_labels if lab in model.labels), None)
        attrs = {k: v for k, v in props.items() if k != key}
        G.add_node(node_id, **{LABEL: label}, **attrs)
    for u, v, rtype, props in rels:
        attrs = {k: val for k, val in props.items() if k not in (key, MARKER_PROPERTY)}
        G.add_edge(u, v, key=props.get(key), **{TYPE: rtype}, **attrs)
    return G
