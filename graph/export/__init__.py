"""Exports of the graph: one module per target, each with a pure ``generate_*`` and a ``write_*``.

To a Neo4j server:

- `neo4j`: `export_neo4j(G, uri, ...)` over Bolt (idempotent MERGE batches) and `read_neo4j`.
- `cypher_script`: `generate_cypher(G)` / `write_cypher(G, path)`, a script for cypher-shell.
- `neo4j_admin`: `generate_neo4j_admin(G)` / `write_neo4j_admin(G, dir)`, CSV files for
  ``neo4j-admin database import full``.
- `rows`: what they share: the marker, Neo4j's values, the static queries, the constraints;
  `bolt`: the connection.

To the tools notebook users already have (each with a reader that gives back an equal graph):

- `graphml`: `write_graphml` / `read_graphml` (Cytoscape, yEd, Gephi).
- `gexf`: `write_gexf` / `read_gexf` (Gephi).
- `node_link`: `write_json` / `read_json` (networkx's node-link JSON; D3).

Every target formats the typed rows of `graph.model`. Importing this package opens nothing and
does not import the Neo4j driver: the Neo4j targets are imported when first named.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .gexf import generate_gexf, read_gexf, write_gexf
from .graphml import generate_graphml, read_graphml, write_graphml
from .node_link import generate_json, read_json, write_json

if TYPE_CHECKING:
    import networkx as nx

    from .cypher_script import generate_cypher, write_cypher
    from .neo4j import ExportReport, export_neo4j, read_neo4j
    from .neo4j_admin import generate_neo4j_admin, write_neo4j_admin
    from .rows import MARKER_LABEL, MARKER_PROPERTY, neo4j_value

__all__ = [
    "MARKER_LABEL",
    "MARKER_PROPERTY",
    "READERS",
    "ExportReport",
    "export_neo4j",
    "generate_cypher",
    "generate_gexf",
    "generate_graphml",
    "generate_json",
    "generate_neo4j_admin",
    "neo4j_value",
    "read_gexf",
    "read_graph",
    "read_graphml",
    "read_json",
    "read_neo4j",
    "write_cypher",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_neo4j_admin",
]

#: The Neo4j targets, imported when first used: `neo4j` imports the driver.
_NEO4J = {
    "ExportReport": "neo4j",
    "export_neo4j": "neo4j",
    "read_neo4j": "neo4j",
    "generate_cypher": "cypher_script",
    "write_cypher": "cypher_script",
    "generate_neo4j_admin": "neo4j_admin",
    "write_neo4j_admin": "neo4j_admin",
    "MARKER_LABEL": "rows",
    "MARKER_PROPERTY": "rows",
    "neo4j_value": "rows",
}


def __getattr__(name: str) -> Any:
    if name in _NEO4J:
        return getattr(import_module(f"{__name__}.{_NEO4J[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


READERS = {".graphml": read_graphml, ".gexf": read_gexf, ".json": read_json}
"""The reader of each exchange format, by file suffix."""


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML, GEXF or node-link JSON file cubamed wrote, by its suffix, into an equal graph."""
    from ..errors import ExportError

    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise ExportError(f"{p}: cannot tell the format from the suffix {p.suffix!r}; use .graphml, .gexf or .json")
    return reader(p)
