"""Cypher without a server: the graph in an embedded engine (`ladybug`), cached on disk.

``graph.query(cypher, **params)`` returns a DataFrame; ``open_database()`` keeps a database open
for many queries. The engine is imported only when a database is opened. The cache proves itself
on every open (`graph.embedded.cache`); queries are bounded in time and memory (`graph.embedded.bounds`).
"""

from __future__ import annotations

from .cache import build_database, cached_database, default_cache_dir
from .database import EmbeddedDatabase, open_database, query
from .ddl import generate_ddl
from .rewrite import rewrite

__all__ = [
    "EmbeddedDatabase",
    "build_database",
    "cached_database",
    "default_cache_dir",
    "generate_ddl",
    "open_database",
    "query",
    "rewrite",
]
