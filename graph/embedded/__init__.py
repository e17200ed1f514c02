"""Cypher without a server: the graph in an embedded engine (`ladybug`), cached on disk.

``graph.query(cypher, **params)`` returns a DataFrame; ``open_database()`` keeps a database open
for many queries. Queries are parsed (`cypher`) and translated (`translate`) into the engine's
dialect with Neo4j's semantics; the engine is imported only when a database is opened, and the
names below only when first used. The cache proves itself on every open (`graph.embedded.cache`);
queries are bounded in time and memory (`graph.embedded.bounds`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .cache import build_database, cached_database, default_cache_dir
    from .database import EmbeddedDatabase, open_database, query
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

_LAZY = {name: ".database" for name in ("EmbeddedDatabase", "open_database", "query")} | {
    **dict.fromkeys(("build_database", "cached_database", "default_cache_dir"), ".cache"),
    "generate_ddl": ".ddl",
    "translate": ".translate",
}

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())
