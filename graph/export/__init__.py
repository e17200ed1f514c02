"""Exports of the graph to Neo4j: one module per target, one public entry point each.

- `neo4j`: `export_neo4j(G, uri, ...)` over Bolt (idempotent MERGE batches) and `read_neo4j`.
- `cypher_script`: `generate_cypher(G)` / `write_cypher(G, path)`, a script for cypher-shell.
- `neo4j_admin`: `generate_neo4j_admin(G)` / `write_neo4j_admin(G, dir)`, CSV files for
  ``neo4j-admin database import full``.
- `rows`: what they share: the marker, the value conversion rule, the static queries.

Importing this package opens nothing; the Neo4j driver is only used when `export_neo4j` or
`read_neo4j` is called.
"""

from __future__ import annotations

from .cypher_script import generate_cypher, write_cypher
from .neo4j import ExportReport, export_neo4j, read_neo4j
from .neo4j_admin import generate_neo4j_admin, write_neo4j_admin
from .rows import MARKER_LABEL, MARKER_PROPERTY, neo4j_value

__all__ = [
    "MARKER_LABEL",
    "MARKER_PROPERTY",
    "ExportReport",
    "export_neo4j",
    "generate_cypher",
    "generate_neo4j_admin",
    "neo4j_value",
    "read_neo4j",
    "write_cypher",
    "write_neo4j_admin",
]
