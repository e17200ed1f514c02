"""Cypher without a server: the graph in an embedded engine (`ladybug`), cached on disk.

``graph.query(cypher, **params)`` returns a DataFrame; ``open_database()`` keeps a database open
for many queries. Queries are parsed (`cypher`) and translated (`translate`) into the engine's
dialect with Neo4j's semantics; the engine is imported only when a database is opened.
"""

from __future__ import annotations

from .database import EmbeddedDatabase, build_database, cached_database, default_cache_dir, open_database, query
from .ddl import generate_ddl
from .translate import translate

__all__ = [
    "EmbeddedDatabase",
    "build_database",
    "cached_database",
    "default_cache_dir",
    "generate_ddl",
    "open_database",
    "query",
    "translate",
]
