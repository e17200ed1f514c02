"""cubamed: a graph of the actors and relations of Cuban medical internationalism.

>>> import graph
>>> G = graph.load()                      # networkx.MultiDiGraph of the curated data
>>> graph.resolve(G, "St. Lucia")
'saint-lucia'
>>> rel = graph.relations(G, "saint-lucia")   # DataFrame: figures, source, evidence
>>> df = graph.query("MATCH (s:State) RETURN count(s) AS states")   # embedded Cypher, no server
>>> bool(df["states"][0] > 50)
True

Nothing is read at import time; every path is a parameter with the project's data as default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .build import build_graph, load
from .connections import paths
from .embedded import query
from .errors import CubamedError, EntityNotFound, ModelError, Problem, SchemaError, ValidationError
from .explore import collapse, conflicts, edges_frame, ego, find, nodes_frame, relations, resolve, summary
from .html import show, write_html
from .project import Project, ViewOptions
from .schema import Schema, load_schema

if TYPE_CHECKING:
    from .export import read_gexf, read_graph, read_graphml, read_json, write_gexf, write_graphml, write_json

__all__ = [
    "CubamedError",
    "EntityNotFound",
    "ModelError",
    "Problem",
    "Project",
    "Schema",
    "SchemaError",
    "ValidationError",
    "ViewOptions",
    "build_graph",
    "collapse",
    "conflicts",
    "edges_frame",
    "ego",
    "find",
    "load",
    "load_schema",
    "nodes_frame",
    "paths",
    "query",
    "read_gexf",
    "read_graph",
    "read_graphml",
    "read_json",
    "relations",
    "resolve",
    "show",
    "summary",
    "write_gexf",
    "write_graphml",
    "write_html",
    "write_json",
]

#: The exchange formats, imported when first used (graph.export imports the Neo4j driver).
_EXPORTS = ("read_gexf", "read_graph", "read_graphml", "read_json", "write_gexf", "write_graphml", "write_json")


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from . import export

        return getattr(export, name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
__version__ = "0.1.0"
