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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
import networkx as nx
from neo4j import exceptions as nex

from ..errors import ExportError
from ..schema import Schema, load_schema
from .rows import (
    MARKER_LABEL,
    MARKER_PROPERTY,
    batches,
    node_groups,
    node_merge_query,
    relationship_groups,
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


def _safe_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparsable URI>"
    if parts.password is not None or parts.username is not None:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return uri


def _scrub(text: str, password: str | None) -> str:
    return text.replace(password, "***") if password else text


def _first_line_of(exc: BaseException, password: str | None) -> str:
    lines = str(exc).strip().splitlines()
    return _scrub(lines[0].rstrip(" :") if lines else type(exc).__name__, password)


@contextmanager
def _errors(uri: str, user: str, password: str | None, database: str | None) -> Iterator[None]:
    """Turn the driver's exceptions into one-line `ExportError`s that never contain the password."""
    where = _safe_uri(uri)
    try:
        in_uri = urlsplit(uri).password  # a password written into the URI is as secret as the other
    except ValueError:
        in_uri = None

    def _first_line(exc: BaseException, password: str | None) -> str:
        return _scrub(_first_line_of(exc, password), in_uri)

    try:
        yield
    except nex.AuthError as exc:
        raise ExportError(
            f"Neo4j at {where} refused the credentials of user {user!r}; check --user and the password (NEO4J_PASSWORD)"
        ) from exc
    except (nex.ServiceUnavailable, nex.SessionExpired) as exc:
        raise ExportError(
            f"cannot reach Neo4j at {where}; check that the server is running and that the URI's scheme, host and port are right; "
            f"an export cut short is completed by running it again ({_first_line(exc, password)})"
        ) from exc
    except nex.Neo4jError as exc:
        code = exc.code or ""
        if code.endswith("DatabaseNotFound"):
            raise ExportError(
                f"Neo4j at {where} has no database {database!r}; check --database "
                "(Community Edition has only 'neo4j'; SHOW DATABASES lists them)"
            ) from exc
        msg = _scrub(_scrub((exc.message or str(exc)).splitlines()[0], password), in_uri)
        raise ExportError(f"Neo4j at {where} failed: {code}: {msg}") from exc
    except (nex.ConfigurationError, nex.DriverError, ValueError) as exc:
        raise ExportError(
            f"cannot use Neo4j URI {where}: {_first_line(exc, password)}; "
            "use neo4j://, neo4j+s://, bolt:// or bolt+s:// with a host and port"
        ) from exc


BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def _driver(uri: str, user: str, password: str, options: Mapping[str, Any] | None = None) -> neo4j.Driver:
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise ExportError(f"cannot use Neo4j URI {_safe_uri(uri)}: the scheme must be one of {', '.join(s + '://' for s in BOLT_SCHEMES)}")
    driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), **dict(options or {}))
    try:
        driver.verify_connectivity()
    except BaseException:
        driver.close()
        raise
    return driver


def _write(session: neo4j.Session, query: str, **params: Any) -> Any:
    def work(tx: neo4j.ManagedTransaction) -> Any:
        record = tx.run(query, params).single()
        return record[0] if record is not None else None

    return session.execute_write(work)


def _read(session: neo4j.Session, query: str, convert: Callable[[neo4j.Record], T], **params: Any) -> list[T]:
    def work(tx: neo4j.ManagedTransaction) -> list[T]:
        return [convert(r) for r in tx.run(query, params)]

    return session.execute_read(work)


def _apply_schema(session: neo4j.Session) -> int:
    statements = schema_statements()
    for stmt in statements:
        _write(session, stmt)
    session.run("CALL db.awaitIndexes(300)").consume()
    return len(statements)


def _prune(session: neo4j.Session, G: nx.MultiDiGraph, batch_size: int) -> tuple[int, int, int]:
    """Delete marked nodes and relationships not in `G` (and duplicates); return (nodes, rels, transactions)."""
    tx_count = 0
    ids = _read(session, f"MATCH (n:{MARKER_LABEL}) RETURN n.id", lambda r: r[0])
    gone_nodes = [i for i in ids if i not in G]
    for chunk in batches([{"id": i} for i in gone_nodes], batch_size):
        _write(session, f"UNWIND $rows AS row MATCH (n:{MARKER_LABEL} {{id: row.id}}) DETACH DELETE n RETURN count(*)", rows=chunk)
        tx_count += 1
    rels = _read(
        session,
        f"MATCH (a:{MARKER_LABEL})-[r]->(b:{MARKER_LABEL}) WHERE r.{MARKER_PROPERTY} = true RETURN elementId(r), a.id, b.id, type(r), r.id",
        lambda r: (r[0], (r[1], r[2], r[3], r[4])),
    )
    seen: set[tuple[Any, ...]] = set()
    gone: list[str] = []
    for eid, (u, v, t, k) in rels:
        if (u, v, t, k) in seen or not (G.has_edge(u, v, k) and G.edges[u, v, k].get("type") == t):
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
    sch = schema or load_schema()
    ngroups = node_groups(G, sch)  # checks every label and triple before anything is written
    rgroups = relationship_groups(G, sch)
    started = time.perf_counter()
    tx = 0
    pruned = (0, 0, 0)
    with _errors(uri, user, password, database):
        driver = _driver(uri, user, password, driver_options)
        try:
            with driver.session(database=database) as session:
                tx += _apply_schema(session)
                for ng in ngroups:
                    query = node_merge_query(sch, ng.label, ng.sanctioned)
                    for chunk in batches(ng.rows, batch_size):
                        _write(session, query + "\nRETURN count(*)", rows=chunk)
                        tx += 1
                for rg in rgroups:
                    query = relationship_merge_query(sch, rg.start, rg.type, rg.end)
                    for chunk in batches(rg.rows, batch_size):
                        written = _write(session, query + "\nRETURN count(r)", rows=chunk)
                        tx += 1
                        if written != len(chunk):
                            raise ExportError(
                                f"{rg.start} -[{rg.type}]-> {rg.end}: wrote {written} of {len(chunk)} relationships; "
                                "an endpoint is missing in the database (was a node deleted during the export?); run the export again"
                            )
                if prune:
                    pruned = _prune(session, G, batch_size)
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
        uri=_safe_uri(uri),
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
    among the node's labels) and the properties except `id`; edge key = the relationship's `id`,
    attributes `type` and the properties except `id` and the marker.
    """
    sch = schema or load_schema()
    G = nx.MultiDiGraph()
    with _errors(uri, user, password, database):
        driver = _driver(uri, user, password, driver_options)
        try:
            with driver.session(database=database) as session:
                nodes = _read(
                    session,
                    f"MATCH (n:{MARKER_LABEL}) RETURN n.id, labels(n), properties(n)",
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
        label = next((lab for lab in node_labels if lab in sch.labels), None)
        attrs = {k: v for k, v in props.items() if k != "id"}
        G.add_node(node_id, label=label, **attrs)
    for u, v, rtype, props in rels:
        attrs = {k: val for k, val in props.items() if k not in ("id", MARKER_PROPERTY)}
        G.add_edge(u, v, key=props.get("id"), type=rtype, **attrs)
    return G
