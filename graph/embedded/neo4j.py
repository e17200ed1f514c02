"""Run the same query on a Neo4j server (official driver), with results in the embedded engine's shapes.

Nodes, relationships and paths become the dicts of `results` (with the labels and the `_cubamed`
property Neo4j holds), so `cubamed query --neo4j URI` prints what the embedded run prints.
Read-only: the query runs in a read transaction (the server refuses writes there), and what a read
transaction still allows but reads files or the network (`LOAD CSV`, procedure calls, namespaced
functions such as APOC's loaders) is refused before sending (`cypher.server_refusal`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..schema import Schema
from .cypher import server_refusal
from .translate import ENTITY_MARKER

__all__ = ["neo4j_execute"]


def _endpoints(v: Any, out: set[str]) -> None:
    """The element ids of relationship endpoints the driver gave without their properties."""
    from neo4j.graph import Path, Relationship

    if isinstance(v, Relationship):
        out.update(n.element_id for n in (v.start_node, v.end_node) if n is not None and n.get("id") is None)
    elif isinstance(v, Path):
        for r in v.relationships:
            _endpoints(r, out)
    elif isinstance(v, list | tuple):
        for x in v:
            _endpoints(x, out)
    elif isinstance(v, dict):
        for x in v.values():
            _endpoints(x, out)


def _convert(v: Any, labels: set[str], ids: dict[str, str] | None = None) -> Any:
    from neo4j.graph import Node, Path, Relationship

    ids = ids or {}

    if isinstance(v, Node):
        own = sorted(set(v.labels) & labels) or sorted(set(v.labels) - {ENTITY_MARKER})
        label = own[0] if own else None
        others = sorted(set(v.labels) - {label})
        return {"_label": label, "_labels": ([label] if label else []) + others, **{k: _convert(x, labels) for k, x in v.items()}}
    if isinstance(v, Relationship):
        start, end = v.start_node, v.end_node
        return {
            "_type": v.type,
            "_start": (start.get("id") or ids.get(start.element_id)) if start is not None else None,
            "_end": (end.get("id") or ids.get(end.element_id)) if end is not None else None,
            **{k: _convert(x, labels, ids) for k, x in v.items()},
        }
    if isinstance(v, Path):
        return {"_nodes": [_convert(n, labels, ids) for n in v.nodes], "_rels": [_convert(r, labels, ids) for r in v.relationships]}
    if isinstance(v, list):
        return [_convert(x, labels, ids) for x in v]
    if isinstance(v, dict):
        return {k: _convert(x, labels, ids) for k, x in v.items()}
    if hasattr(v, "iso_format"):  # neo4j.time types
        return v.iso_format()
    return v


def neo4j_execute(
    cypher: str,
    params: Mapping[str, Any] | None,
    *,
    uri: str,
    user: str,
    password: str,
    schema: Schema,
    database: str | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """Run `cypher` on the Neo4j at `uri` in a read transaction; return column names and rows."""
    import neo4j

    from ..export.bolt import bolt_errors, connect  # the exporter's scheme check and one-line messages

    refusal = server_refusal(cypher)
    if refusal is not None:
        raise refusal
    with bolt_errors(uri, user, password, database), connect(uri, user, password) as driver:
        records, _, keys = driver.execute_query(cypher, dict(params or {}), database_=database, routing_=neo4j.RoutingControl.READ)
        wanted: set[str] = set()
        _endpoints([rec.values() for rec in records], wanted)
        ids: dict[str, str] = {}
        if wanted:  # a relationship returned without its endpoints: their entity ids, as the embedded run gives them
            found, _, _ = driver.execute_query(
                "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS e, n.id AS id",
                {"ids": sorted(wanted)},
                database_=database,
                routing_=neo4j.RoutingControl.READ,
            )
            ids = {r["e"]: r["id"] for r in found}
    labels = set(schema.labels)
    return list(keys), [[_convert(v, labels, ids) for v in rec.values()] for rec in records]
