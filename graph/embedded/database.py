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
from ..project import model_for
from ..schema import Schema
from .bounds import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, bound_error, buffer_pool_size, set_timeout, timeout_ms
from .cache import Scratch, fill, fingerprint, open_cache, writable_copy
from .hints import explain, write_refusal
from .results import InternalId, convert_rows, frame
from .rewrite import parameter_names, return_columns, rewrite, write_keyword

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["EmbeddedDatabase", "open_database", "query"]


class EmbeddedDatabase:
    """An open embedded database: `query()` runs Cypher (Neo4j idioms rewritten) and returns a DataFrame.

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
        self._scratch = scratch
        self._tables: dict[int, str] | None = None
        self.max_memory = max_memory
        self.set_timeout(timeout)

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
        """Run `cypher` as written by the user; return the column names and converted rows."""
        params = dict(params or {})
        keyword = write_keyword(cypher)
        if keyword and not self.writable:
            raise QueryError(write_refusal(keyword))
        missing = sorted(parameter_names(cypher) - params.keys())
        if missing:
            raise QueryError(f"missing parameter ${missing[0]}; pass it as -p {missing[0]}=VALUE (or {missing[0]}=... in Python)")
        text = rewrite(cypher, self.schema.labels, sanctioned=self.schema.sanctioned_label)
        started = time.monotonic()
        try:
            result = self._conn.execute(text, params)
        except RuntimeError as exc:
            bounded = bound_error(exc, timeout=self.timeout, max_memory=self.max_memory, seconds=time.monotonic() - started)
            if bounded is not None:
                raise bounded from None
            raise QueryError(f"Cypher error: {exc}\nhint: {explain(str(exc), cypher, self.schema)}") from None
        if isinstance(result, list):  # several statements: the last one's result
            result = result[-1]
        names, rows = result.get_column_names(), result.get_all()
        wanted = return_columns(cypher)
        if wanted and len(wanted) == len(names):
            names = wanted
        return names, convert_rows(rows, self._resolve)

    def query(self, cypher: str, params: Mapping[str, Any] | None = None, /, **more: Any) -> pd.DataFrame:
        """Run `cypher` with parameters `params` and `more`; one DataFrame column per RETURN item."""
        names, rows = self.execute(cypher, {**(params or {}), **more})
        return frame(rows, names)

    def _resolve(self, wanted: set[InternalId]) -> dict[InternalId, str]:
        if self._tables is None:
            shown = self._conn.execute("CALL show_tables() RETURN id, name").get_all()
            self._tables = {int(i): str(n) for i, n in shown}
        found: dict[InternalId, str] = {}
        for table in {t for t, _ in wanted}:
            offsets = [o for t, o in wanted if t == table]
            rows = self._conn.execute(
                f"MATCH (n:`{self._tables[table]}`) WHERE offset(id(n)) IN $o RETURN offset(id(n)), n.id", {"o": offsets}
            ).get_all()
            found.update({(table, int(o)): str(i) for o, i in rows})
        return found


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
