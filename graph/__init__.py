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

from .build import build_graph, load
from .connections import paths
from .embedded import query
from .errors import CubamedError, EntityNotFound, Problem, SchemaError, ValidationError
from .explore import conflicts, edges_frame, ego, find, nodes_frame, relations, resolve, summary
from .html import show, write_html
from .schema import Schema, load_schema

__all__ = [
    "CubamedError",
    "EntityNotFound",
    "Problem",
    "Schema",
    "SchemaError",
    "ValidationError",
    "build_graph",
    "conflicts",
    "edges_frame",
    "ego",
    "find",
    "load",
    "load_schema",
    "nodes_frame",
    "paths",
    "query",
    "relations",
    "resolve",
    "show",
    "summary",
    "write_html",
]
__version__ = "0.1.0"
