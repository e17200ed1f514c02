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

import re
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
    quote_name,
    relationship_groups,
    relationship_merge_query,
    schema_statements,
)

__all__ = ["BOLT_SCHEMES", "DEFAULT_BATCH_SIZE", "ExportReport", "check_uri", "export_neo4j", "read_neo4j"]

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


_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def _safe_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages."""
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return _USERINFO.sub(r"\1***@", uri)
    if "@" in parts.netloc:
        host = f"[{host}]" if ":" in host else host
        netloc = f"{host}:{port}" if port is not None else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return uri


def _scrub(text: str, password: str | None) -> str:
    """`text` with the password and any URI's user:password@ part blanked out."""
    text = _USERINFO.sub(r"\1***@", text)
    return text.replace(password, "***") if password else text


def _first_line(exc: BaseException, password: str | None) -> str:
    lines = str(exc).strip().splitlines()
    return _scrub(lines[0].rstrip(" :") if lines else type(exc).__name__, password)


BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def check_uri(uri: str) -> None:
    """Raise `ExportError` unless `uri` is a Neo4j URI the driver takes: a Bolt scheme, a valid port, no password in it.

    >>> check_uri("bolt://localhost:7687")
    >>> check_uri("bolt://localhost:port")
    Traceback (most recent call last):
    ...
    graph.errors.ExportError: cannot use Neo4j URI bolt://localhost:port: the port must be a number from 1 to 65535, not 'port'
    """
    where = _safe_uri(uri)
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise ExportError(f"cannot use Neo4j URI {where}: the scheme must be one of {', '.join(s + '://' for s in BOLT_SCHEMES)}")
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        raise ExportError(f"cannot use Neo4j URI {where}: {exc}; write it as {scheme}://HOST:PORT") from None
    if "@" in parts.netloc:
        raise ExportError(
            f"cannot use Neo4j URI {where}: it holds a user name or password; "
            "give the URI without them, the user with --user and the password in NEO4J_PASSWORD (or at the prompt)"
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        port = parts.netloc.rpartition(":")[2]
        raise ExportError(f"cannot use Neo4j URI {where}: the port must be a number from 1 to 65535, not {port!r}") from None


@contextmanager
def _errors(uri: str, user: str, password: str | None, database: str | None) -> Iterator[None]:
    """Turn the driver's exceptions into one-line `ExportError`s that never contain the password."""
    where = _safe_uri(uri)
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
        msg = _scrub((exc.message or str(exc)).splitlines()[0], password)
        raise ExportError(f"Neo4j at {where} failed: {code}: {msg}") from exc
    except (nex.ConfigurationError, nex.DriverError, ValueError) as exc:
        raise ExportError(
            f"cannot use Neo4j URI {where}: {_first_line(exc, password)}; "
            "use neo4j://, neo4j+s://, bolt:// or bolt+s:// with a host and port"
        ) from exc


def _driver(uri: str, user: str, password: str, options: Mapping[str, Any] | None = None) -> neo4j.Driver:
    check_uri(uri)
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


def _gone_nodes(session: neo4j.Session, G: nx.MultiDiGraph) -> list[str]:
    """The ids of the marked nodes that are no longer in `G`."""
    ids = _read(session, f"MATCH (n:{MARKER_LABEL}) RETURN n.id", lambda r: r[0])
    return sorted(i for i in ids if i not in G)


def _show_node(labels: list[str], node_id: Any, element_id: str) -> str:
    own = "".join(f":{quote_name(lab)}" for lab in labels if lab != MARKER_LABEL)
    return f"({own} {{id: {node_id!r}}})" if node_id is not None else f"({own} elementId {element_id!r})"


def _foreign_relationships(session: neo4j.Session, ids: list[str]) -> list[str]:
    """The relationships not marked as cubamed's that touch the marked nodes `ids`, one line each."""
    query = (
        f"UNWIND $ids AS id MATCH (:{MARKER_LABEL} {{id: id}})-[r]-() "
        f"WHERE r.{MARKER_PROPERTY} IS NULL OR r.{MARKER_PROPERTY} <> true "
        "WITH DISTINCT r WITH r, startNode(r) AS a, endNode(r) AS b "
        "RETURN labels(a), a.id, elementId(a), type(r), labels(b), b.id, elementId(b) ORDER BY a.id, type(r), b.id"
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


def _prune(session: neo4j.Session, G: nx.MultiDiGraph, batch_size: int, *, detach: bool) -> _Pruned:
    """Delete the marked relationships, then the marked nodes, that are not in `G` (and duplicates).

    Without `detach` a node is deleted with a plain DELETE, which Neo4j refuses while any
    relationship is attached: what cubamed did not create is never deleted. Counts are the server's.
    """
    tx_count = 0
    gone_nodes = _gone_nodes(session, G)
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
    nodes = relationships = foreign = 0
    for chunk in batches([{"e": e} for e in gone], batch_size):
        relationships += _deleting(session, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.e DELETE r", rows=chunk)[1]
        tx_count += 1
    delete = "DETACH DELETE n" if detach else "DELETE n"
    for chunk in batches([{"id": i} for i in gone_nodes], batch_size):
        try:
            n, r = _deleting(session, f"UNWIND $rows AS row MATCH (n:{MARKER_LABEL} {{id: row.id}}) {delete}", rows=chunk)
        except nex.ConstraintError as exc:  # a relationship was attached since the check
            raise ExportError(
                f"--prune stopped: a relationship that cubamed did not create was attached to a node it was deleting "
                f"during the export ({_first_line(exc, None)}); it was kept. So far {nodes} nodes and {relationships} "
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
    sch = schema or load_schema()
    ngroups = node_groups(G, sch)  # checks every label and triple before anything is written
    rgroups = relationship_groups(G, sch)
    started = time.perf_counter()
    tx = 0
    pruned = _Pruned()
    with _errors(uri, user, password, database):
        driver = _driver(uri, user, password, driver_options)
        try:
            with driver.session(database=database) as session:
                if prune and not detach:
                    gone = _gone_nodes(session, G)
                    foreign = _foreign_relationships(session, gone) if gone else []
                    if foreign:
                        raise _refusal(foreign, len(gone))
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
                    pruned = _prune(session, G, batch_size, detach=detach)
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
        uri=_safe_uri(uri),
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
