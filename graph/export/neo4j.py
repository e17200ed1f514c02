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
completes them to the exact graph.

**Prune.** With ``prune=True`` the nodes and relationships cubamed wrote (marked) that are no
longer in the data are deleted, and nothing else: before anything is written, the relationships
that other tools or users attached to the nodes it would delete are listed, and the export is
refused while there are any, unless ``detach=True`` says to delete them too. Nodes are deleted
with a plain ``DELETE``, which Neo4j refuses for a node that still has a relationship, so a
relationship attached meanwhile is never deleted either. The report gives the server's own
counts of everything deleted.

**URIs.** The URI is checked before the driver sees it (scheme, port, no ``user:password@``:
the password goes in its own argument), and no message or report ever contains a password.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import neo4j
import networkx as nx
from neo4j.exceptions import ConstraintError

from ..errors import ExportError
from ..model import LABEL, TYPE
from ..progress import task
from ..project import model_for
from ..schema import Schema
from .bolt import BOLT_SCHEMES, bolt_errors, connect, first_line, safe_uri
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
    pruned_foreign_relationships: int = 0
    transactions: int = 0
    seconds: float = 0.0
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        db = f" (database {self.database})" if self.database else ""
        foreign = (
            f" ({self.pruned_foreign_relationships} of them not created by cubamed, deleted with --detach)"
            if self.pruned_foreign_relationships
            else ""
        )
        pruned = (
            f"; pruned {self.pruned_nodes} nodes and {self.pruned_relationships} relationships{foreign}"
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


@dataclass(frozen=True)
class _Pruned:
    nodes: int = 0
    relationships: int = 0
    foreign: int = 0
    transactions: int = 0


def _deleting(session: neo4j.Session, query: str, **params: Any) -> tuple[int, int]:
    """Run a deleting `query` in a managed write transaction; (nodes, relationships) deleted, as the server counts them."""

    def work(tx: neo4j.ManagedTransaction) -> tuple[int, int]:
        counters = tx.run(query, params).consume().counters
        return counters.nodes_deleted, counters.relationships_deleted

    return session.execute_write(work)


def _gone_nodes(session: neo4j.Session, G: nx.MultiDiGraph, key: str) -> list[str]:
    """The keys of the marked nodes that are no longer in `G`."""
    ids = _read(session, f"MATCH (n:{MARKER_LABEL}) RETURN n.{quote_name(key)}", lambda r: r[0])
    return sorted(i for i in ids if i not in G)


def _show_node(labels: list[str], node_id: Any, element_id: str) -> str:
    own = "".join(f":{quote_name(lab)}" for lab in labels if lab != MARKER_LABEL)
    return f"({own} {{id: {node_id!r}}})" if node_id is not None else f"({own} elementId {element_id!r})"


def _foreign_relationships(session: neo4j.Session, ids: list[str], key: str) -> list[str]:
    """The relationships not marked as cubamed's that touch the marked nodes `ids`, one line each."""
    kq = quote_name(key)
    query = (
        f"UNWIND $ids AS id MATCH (:{MARKER_LABEL} {{{kq}: id}})-[r]-() "
        f"WHERE r.{MARKER_PROPERTY} IS NULL OR r.{MARKER_PROPERTY} <> true "
        "WITH DISTINCT r WITH r, startNode(r) AS a, endNode(r) AS b "
        f"RETURN labels(a), a.{kq}, elementId(a), type(r), labels(b), b.{kq}, elementId(b) ORDER BY a.{kq}, type(r), b.{kq}"
    )
    return _read(
        session,
        query,
        lambda r: f"{_show_node(r[0], r[1], r[2])}-[:{quote_name(r[3])}]->{_show_node(r[4], r[5], r[6])}",
        ids=ids,
    )


def _refusal(foreign: list[str], gone: int) -> ExportError:
    shown = [f"  {line}" for line in foreign[:_LISTED]]
    if len(foreign) > _LISTED:
        shown.append(f"  ... and {len(foreign) - _LISTED} more")
    n = len(foreign)
    return ExportError(
        "\n".join(
            [
                f"--prune refused: it would delete {n} relationship{'s' if n != 1 else ''} that cubamed did not create, "
                f"attached to {gone} node{'s' if gone != 1 else ''} no longer in the data; nothing was written or deleted:",
                *shown,
                "Delete or move them yourself, or run again with --prune --detach (prune=True, detach=True in Python) "
                "to delete them with those nodes, or without --prune to keep the nodes.",
            ]
        )
    )


#: How many foreign relationships a prune refusal lists.
_LISTED = 10


def _prune(session: neo4j.Session, G: nx.MultiDiGraph, batch_size: int, key: str, *, detach: bool) -> _Pruned:
    """Delete the marked relationships, then the marked nodes, that are not in `G` (and duplicates).

    Without `detach` a node is deleted with a plain DELETE, which Neo4j refuses while any
    relationship is attached: what cubamed did not create is never deleted. Counts are the server's.
    """
    tx_count = 0
    kq = quote_name(key)
    gone_nodes = _gone_nodes(session, G, key)
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
    nodes = relationships = foreign = 0
    for chunk in batches([{"e": e} for e in gone], batch_size):
        relationships += _deleting(session, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.e DELETE r", rows=chunk)[1]
        tx_count += 1
    delete = "DETACH DELETE n" if detach else "DELETE n"
    for chunk in batches([{"id": i} for i in gone_nodes], batch_size):
        try:
            n, r = _deleting(session, f"UNWIND $rows AS row MATCH (n:{MARKER_LABEL} {{{kq}: row.id}}) {delete}", rows=chunk)
        except ConstraintError as exc:  # a relationship was attached since the check
            raise ExportError(
                f"--prune stopped: a relationship that cubamed did not create was attached to a node it was deleting "
                f"during the export ({first_line(exc, None)}); it was kept. So far {nodes} nodes and {relationships} "
                "relationships were deleted; run the export again to see the foreign relationships"
            ) from exc
        nodes, foreign, tx_count = nodes + n, foreign + r, tx_count + 1
    return _Pruned(nodes, relationships + foreign, foreign, tx_count)


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
    detach: bool = False,
) -> ExportReport:
    """Write `G` to the Neo4j at `uri` (any scheme the driver knows: neo4j+s:// for Aura and clusters).

    Idempotent: a second run leaves the same graph; a changed property is updated in place
    (``SET n = row`` also removes properties no longer in the data); with `prune`, marked nodes
    and relationships absent from `G` are deleted, and nothing else: when relationships that
    cubamed did not create are attached to those nodes, it refuses before writing anything and
    lists them, unless `detach` says to delete them too. Raises `ExportError` with a one-line
    message (never containing a password) when the URI, the server, the credentials or the
    database is wrong.
    `driver_options` go to `neo4j.GraphDatabase.driver` (e.g. ``max_transaction_retry_time``).
    """
    if detach and not prune:
        raise ExportError("detach deletes the relationships attached to the nodes a prune deletes; it needs prune (--prune --detach)")
    model = model_for(G, schema)
    sch = model.schema
    ngroups, rgroups = neo4j_groups(model, model.rows(G))  # checks the whole graph before anything is written
    key = str(model.key)
    started = time.perf_counter()
    tx = 0
    pruned = _Pruned()
    with bolt_errors(uri, user, password, database):
        driver = connect(uri, user, password, driver_options)
        try:
            with (
                driver.session(database=database) as session,
                task("Exporting to Neo4j", G.number_of_nodes() + G.number_of_edges()) as advance,
            ):
                if prune and not detach:
                    gone = _gone_nodes(session, G, key)
                    foreign = _foreign_relationships(session, gone, key) if gone else []
                    if foreign:
                        raise _refusal(foreign, len(gone))
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
                    pruned = _prune(session, G, batch_size, key, detach=detach)
                    tx += pruned.transactions
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
        pruned_nodes=pruned.nodes,
        pruned_relationships=pruned.relationships,
        pruned_foreign_relationships=pruned.foreign,
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
                    f"RETURN a.{quote_name(key)}, b.{quote_name(key)}, type(r), properties(r)",
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
