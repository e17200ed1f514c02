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
The public names are imported when first used (module ``__getattr__``), so ``import graph`` and
the command line do not pay for pandas, networkx, pyvis or the Neo4j driver they may not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import CubamedError, EntityNotFound, ModelError, Problem, SchemaError, ValidationError

if TYPE_CHECKING:
    from .build import build_graph, load
    from .connections import paths
    from .embedded import query
    from .explore import collapse, conflicts, edges_frame, ego, find, nodes_frame, relations, resolve, summary
    from .export import read_gexf, read_graph, read_graphml, read_json, write_gexf, write_graphml, write_json
    from .html import show, write_html
    from .project import Project, ViewOptions
    from .schema import Schema, load_schema

#: public name → the module that defines it, imported when first used (the exchange formats come
#: through graph.export, which imports the Neo4j driver)
_LAZY = {
    "build_graph": ".build",
    "load": ".build",
    "query": ".embedded",
    "paths": ".connections",
    "collapse": ".explore",
    "conflicts": ".explore",
    "edges_frame": ".explore",
    "ego": ".explore",
    "find": ".explore",
    "nodes_frame": ".explore",
    "relations": ".explore",
    "resolve": ".explore",
    "summary": ".explore",
    **dict.fromkeys(("read_gexf", "read_graph", "read_graphml", "read_json", "write_gexf", "write_graphml", "write_json"), ".export"),
    "show": ".html",
    "write_html": ".html",
    "Project": ".project",
    "ViewOptions": ".project",
    "Schema": ".schema",
    "load_schema": ".schema",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

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
__version__ = "0.1.0"
