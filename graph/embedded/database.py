"""Open and query the embedded database (the `ladybug` engine, imported lazily).

The database is a cache, never the source of truth: `graph.embedded.cache` builds it from the
data files, keeps it on disk and proves it against its manifest on every open. Every query is
bounded (`graph.embedded.bounds`): a timeout and a memory limit.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..locations import data_dir
from ..model import model_of
from ..project import model_for
from ..schema import Schema
from . import conversions
from .bounds import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, bound_error, buffer_pool_size, set_timeout, timeout_ms
from .cache import Scratch, fill, fingerprint, open_cache, writable_copy
from .ddl import NODE_TABLE, REL_TABLE, missing_columns
from .hints import engine_error
from .results import InternalId, convert_rows, frame
from .translate import Columns, engine_literal, rows_literal, translate

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["EmbeddedDatabase", "open_database", "query"]

#: A value of each kind, for the one row (kept out by its flag) that types an empty parameter list.
PLACEHOLDERS: dict[str, Any] = {"string": "", "int": 0, "float": 0.0, "bool": False, "list[string]": [""], "list[int]": [0]}


class EmbeddedDatabase:
    """An open embedded database: `query()` runs Cypher (translated with Neo4j's semantics) and returns a DataFrame.

    Read-only unless opened with ``write=True``, which works on a throwaway copy. Every query
    stops after `timeout` seconds (see `graph.embedded.bounds`; the memory limit is the engine
    database's, set when it was opened).
    """

    def __init__(
        self,
        db: Any,
        conn: Any,
        schema: Schema,
        *,
        path: Path | None,
        writable: bool,
        scratch: Scratch | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_memory: int | None = None,
    ) -> None:
        self._db, self._conn, self.schema, self.path, self.writable = db, conn, schema, path, writable
        conversions.register(conn)  # Neo4j's conversions of strings, which the translation calls
        self._scratch = scratch
        self._columns: Columns | None = None
        m = model_of(schema)
        self._sanctioned = (m.sanctioned, m.sanctioned_label) if m.sanctioned and m.sanctioned_label else None
        self.max_memory = max_memory
        self.set_timeout(timeout)
        if writable:  # a write may set any property of the schema: add the columns the build left out
            for statement in missing_columns(schema, self.columns.node, self.columns.rel):
                self._conn.execute(statement)
            self._columns = None

    @property
    def columns(self) -> Columns:
        """The columns of the node and relationship tables, as the engine holds them."""
        if self._columns is None:

            def info(table: str) -> dict[str, str]:
                rows = self._conn.execute(f"CALL table_info('{table}') RETURN name, type").get_all()
                return {str(n): str(t) for n, t in rows}

            self._columns = Columns(info(NODE_TABLE), info(REL_TABLE))
        return self._columns

    def set_timeout(self, seconds: float | None) -> None:
        """Stop each later query after `seconds` (None or 0: never)."""
        set_timeout(self._conn, seconds)
        self.timeout = seconds

    def __enter__(self) -> EmbeddedDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._conn.close()
            self._db.close()
        finally:
            if self._scratch is not None:
                self._scratch.close()

    def execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run `cypher` as written by the user; return Neo4j's column names and the converted rows.

        The query is parsed and translated first (`translate`): a refusal or a syntax error is
        raised before anything reaches the engine. Every error of the engine becomes a `QueryError`
        that quotes the query as written; a query stopped by a bound (`graph.embedded.bounds`) says
        which and how to stay inside it.
        """
        params = dict(params or {})
        t = translate(cypher, self.schema, params, write=self.writable, columns=self.columns)
        started = time.monotonic()
        try:
            if t.stage is not None:  # an uncorrelated CALL { ... }: its rows first, as a parameter
                name, first, kinds = t.stage
                rows = self._conn.execute(first.text, first.params).get_all()
                values = [list(r) for r in rows] or [[PLACEHOLDERS.get(k) for k in kinds]]
                text = t.text.replace(f"${name}_count", str(len(rows))).replace(f"${name}", rows_literal(values, kinds))
            else:
                text = t.text
            result = self._conn.execute(text, t.params)
            if isinstance(result, list):  # never: the translation is one statement
                result = result[-1]
            rows = result.get_all()
            converted = convert_rows(rows, self._resolve, t.post, sanctioned=self._sanctioned)
        except Exception as exc:  # the engine raises RuntimeError, TypeError, ValueError, UnicodeDecodeError, ...
            bounded = bound_error(exc, timeout=self.timeout, max_memory=self.max_memory, seconds=time.monotonic() - started)
            if bounded is not None:
                raise bounded from None
            raise QueryError(engine_error(exc, cypher)) from None
        return t.columns, converted

    def query(self, cypher: str, params: Mapping[str, Any] | None = None, /, **more: Any) -> pd.DataFrame:
        """Run `cypher` with parameters `params` and `more`; one DataFrame column per RETURN item."""
        names, rows = self.execute(cypher, {**(params or {}), **more})
        return frame(rows, names)

    def _resolve(self, wanted: set[InternalId]) -> dict[InternalId, str]:
        offsets = sorted(o for _, o in wanted)
        rows = self._conn.execute(f"MATCH (n:{NODE_TABLE}) WHERE offset(id(n)) IN {engine_literal(offsets)} RETURN id(n), n.id").get_all()
        return {(int(i["table"]), int(i["offset"])): str(e) for i, e in rows}


def open_database(
    G: nx.MultiDiGraph | None = None,
    *,
    paths: Iterable[str | Path] = (),
    schema: Schema | str | Path | None = None,
    cache_dir: str | Path | None = None,
    write: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
) -> EmbeddedDatabase:
    """Open the embedded database of `G` (built in memory) or of the data at `paths` (cached on disk).

    With ``write=True`` write queries are allowed, on an in-memory graph or a throwaway copy of the
    cache (removed on close): nothing ever changes the data files or the cache. Each query stops
    after `timeout` seconds, and the engine uses at most `max_memory` megabytes (None or 0: no
    limit, the engine's default); hitting either raises `QueryError`.

    >>> with open_database(paths=["tests/fixtures/mini"]) as db:
    ...     db.query("MATCH (s:State {iso3: $code}) RETURN s.name", code="LCA")["s.name"].tolist()
    ['Saint Lucia']
    """
    import ladybug

    model = model_for(G, schema)
    sch = model.schema
    if G is not None:
        model.check(G)  # a graph of another schema: one clear error, not the engine's catalog exception
    pool, _ = buffer_pool_size(max_memory), timeout_ms(timeout)  # both checked before anything is built
    scratch = None
    if G is not None:
        db, path = ladybug.Database(":memory:", buffer_pool_size=pool), None
        conn = ladybug.Connection(db)
        fill(conn, G, sch)
        conn.close()
    elif write:
        db, path, scratch = writable_copy(paths, schema=sch, cache_dir=cache_dir, buffer_pool_size=pool)
    else:
        db, path = open_cache(paths, schema=sch, cache_dir=cache_dir, buffer_pool_size=pool)
    try:
        conn = ladybug.Connection(db)
        return EmbeddedDatabase(db, conn, sch, path=path, writable=write, scratch=scratch, timeout=timeout, max_memory=max_memory)
    except BaseException:
        db.close()
        if scratch is not None:
            scratch.close()
        raise


_OPEN: dict[tuple[str, str, int | None], EmbeddedDatabase] = {}


def query(
    cypher: str,
    params: Mapping[str, Any] | None = None,
    /,
    *,
    G: nx.MultiDiGraph | None = None,
    paths: Iterable[str | Path] = (),
    schema: Schema | str | Path | None = None,
    cache_dir: str | Path | None = None,
    write: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory: int | None = DEFAULT_MAX_MEMORY,
    **more: Any,
) -> pd.DataFrame:
    """Run a Cypher query on the graph without a server; return a DataFrame.

    Parameters are keyword arguments (or a mapping, for names such as `paths`, `schema`, `write` or
    `timeout`). The curated data is used unless `G` or `paths` say otherwise; the schema is the one `G`
    was loaded with, unless `schema` says otherwise. Read-only unless ``write=True``. The query stops
    after `timeout` seconds and within `max_memory` megabytes (see `open_database`).

    >>> import graph
    >>> graph.query("MATCH (c:State {name: 'Cuba'})-[d:DEPLOYED_TO]->(s) WHERE d.year = $y "
    ...             "RETURN s.name, d.count ORDER BY d.count DESC", y=2020, paths=["tests/fixtures/mini"]).values.tolist()
    [['Jamaica', 150], ['Jamaica', 140], ['Saint Lucia', 113], ['Lombardy', 52]]
    """
    allp = {**(params or {}), **more}
    if G is not None or write:
        with open_database(G, paths=paths, schema=schema, cache_dir=cache_dir, write=write, timeout=timeout, max_memory=max_memory) as db:
            return db.query(cypher, allp)
    sch = model_for(None, schema).schema
    chosen = list(paths)
    key = (fingerprint([Path(p) for p in chosen] or [data_dir()], sch).key + f" {cache_dir}", str(sch.path), max_memory)
    if key not in _OPEN:
        for stale in [k for k in _OPEN if k[1] == key[1]]:
            _OPEN.pop(stale).close()
        _OPEN[key] = open_database(paths=chosen, schema=sch, cache_dir=cache_dir, max_memory=max_memory)
    _OPEN[key].set_timeout(timeout)
    return _OPEN[key].query(cypher, allp)
