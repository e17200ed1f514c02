"""Build, cache and query the embedded database (the `ladybug` engine, imported lazily).

The database is a cache, never the source of truth: it is built from the data files with the
engine's bulk path (COPY from typed Arrow tables) into ``~/.cache/cubamed/embedded/<key>.lbug``, where the
key hashes the data files, the schema file, the engine version and `FORMAT`; an unchanged graph
is opened read-only without rebuilding.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import QueryError
from ..locations import data_dir
from ..read import data_files
from ..schema import Schema, load_schema
from .ddl import NODE_TABLE, REL_TABLE, copy_statement, load_plan
from .hints import engine_error
from .results import InternalId, convert_rows, frame
from .translate import Columns, engine_literal, translate

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["FORMAT", "EmbeddedDatabase", "build_database", "cache_key", "cached_database", "default_cache_dir", "open_database", "query"]

#: Bump when the table layout changes, so that old caches are not reused (2: one node and one relationship table).
FORMAT = 2
#: A value of each kind, for the one row (kept out by its flag) that types an empty parameter list.
PLACEHOLDERS: dict[str, Any] = {"string": "", "int": 0, "float": 0.0, "bool": False, "list[string]": [""], "list[int]": [0]}
#: How many cached databases to keep (older ones are removed after a build).
KEEP = 4


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/cubamed/embedded``, by default ``~/.cache/cubamed/embedded``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cubamed" / "embedded"


def cache_key(paths: Iterable[str | Path], schema: Schema) -> str:
    """A hash of the data files (names and contents), the schema file, the engine version and `FORMAT`."""
    import ladybug  # its version is part of the key (its storage format changes between releases)

    h = hashlib.sha256(f"cubamed-embedded {FORMAT} ladybug {ladybug.__version__}\n".encode())
    h.update(schema.path.read_bytes())
    files, _ = data_files(paths)  # a missing path is reported by the load that builds the cache
    for f in files:
        h.update(f"\n{f.resolve()}\n".encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:24]


def _create(conn: Any, G: nx.MultiDiGraph, schema: Schema) -> None:
    plan = load_plan(G, schema)  # one pass over the graph: columns and Arrow tables
    for statement in plan.ddl():
        conn.execute(statement)
    conn.execute("BEGIN TRANSACTION")  # one commit for both COPY statements
    if plan.nodes is not None:
        conn.execute(copy_statement(NODE_TABLE, plan.nodes.column_names), {"data": plan.nodes})
    if plan.rels is not None:
        conn.execute(copy_statement(REL_TABLE, plan.rels.column_names[2:]), {"data": plan.rels})
    conn.execute("COMMIT")


def build_database(G: nx.MultiDiGraph, path: str | Path, *, schema: Schema | None = None) -> None:
    """Create the embedded database at `path` (a file) from `G`: tables from the schema, then COPY."""
    import ladybug

    db = ladybug.Database(str(path), auto_checkpoint=False)  # one checkpoint at the end, not one per COPY
    conn = ladybug.Connection(db)
    try:
        _create(conn, G, schema or load_schema())
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
        db.close()


def cached_database(paths: Iterable[str | Path] = (), *, schema: Schema | None = None, cache_dir: str | Path | None = None) -> Path:
    """The path of the cached database of the data at `paths` (default: data/), built when missing."""
    sch = schema or load_schema()
    chosen = [Path(p) for p in paths] or [data_dir()]
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = folder / f"{cache_key(chosen, sch)}.lbug"
    if target.exists():
        return target
    from ..build import load  # networkx and the loader only when the cache must be built

    G = load(*chosen, schema=sch)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{target.stem}.{os.getpid()}.tmp"
    try:
        build_database(G, tmp, schema=sch)
        os.replace(tmp, target)
    finally:
        for leftover in folder.glob(f"{tmp.name}*"):
            leftover.unlink()
    for old in sorted(folder.glob("*.lbug"), key=lambda f: f.stat().st_mtime, reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


class EmbeddedDatabase:
    """An open embedded database: `query()` runs Cypher (Neo4j idioms rewritten) and returns a DataFrame.

    Read-only unless opened with ``write=True``, which works on a throwaway copy.
    """

    def __init__(self, db: Any, conn: Any, schema: Schema, *, path: Path | None, writable: bool, scratch: Path | None = None) -> None:
        self._db, self._conn, self.schema, self.path, self.writable = db, conn, schema, path, writable
        self._scratch = scratch
        self._columns: Columns | None = None

    @property
    def columns(self) -> Columns:
        """The columns of the node and relationship tables, as the engine holds them."""
        if self._columns is None:

            def info(table: str) -> dict[str, str]:
                rows = self._conn.execute(f"CALL table_info('{table}') RETURN name, type").get_all()
                return {str(n): str(t) for n, t in rows}

            self._columns = Columns(info(NODE_TABLE), info(REL_TABLE))
        return self._columns

    def __enter__(self) -> EmbeddedDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()
        self._db.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
        """Run `cypher` as written by the user; return Neo4j's column names and the converted rows.

        The query is parsed and translated first (`translate`): a refusal or a syntax error is
        raised before anything reaches the engine. Every error of the engine becomes a `QueryError`
        that quotes the query as written.
        """
        params = dict(params or {})
        t = translate(cypher, self.schema, params, write=self.writable, columns=self.columns)
        try:
            if t.stage is not None:  # an uncorrelated CALL { ... }: its rows first, as a parameter
                name, first, kinds = t.stage
                rows = self._conn.execute(first.text, first.params).get_all()
                placeholder = {f"c{i}": PLACEHOLDERS.get(k) for i, k in enumerate(kinds)}
                values = [{f"c{i}": v for i, v in enumerate(r)} for r in rows] or [placeholder]
                text = t.text.replace(f"${name}_count", str(len(rows))).replace(f"${name}", engine_literal(values))
            else:
                text = t.text
            result = self._conn.execute(text, t.params)
            if isinstance(result, list):  # never: the translation is one statement
                result = result[-1]
            rows = result.get_all()
            converted = convert_rows(rows, self._resolve, t.post)
        except Exception as exc:  # the engine raises RuntimeError, TypeError, ValueError, UnicodeDecodeError, ...
            raise QueryError(engine_error(exc, cypher, params)) from None
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
) -> EmbeddedDatabase:
    """Open the embedded database of `G` (built in memory) or of the data at `paths` (cached on disk).

    With ``write=True`` write queries are allowed, on an in-memory graph or a throwaway copy of the
    cache: nothing ever changes the data files or the cache.

    >>> with open_database(paths=["tests/fixtures/mini"]) as db:
    ...     db.query("MATCH (s:State {iso3: $code}) RETURN s.name", code="LCA")["s.name"].tolist()
    ['Saint Lucia']
    """
    import ladybug

    sch = schema if isinstance(schema, Schema) else load_schema(schema)
    if G is not None:
        db = ladybug.Database(":memory:")
        conn = ladybug.Connection(db)
        _create(conn, G, sch)
        return EmbeddedDatabase(db, conn, sch, path=None, writable=write)
    path = cached_database(paths, schema=sch, cache_dir=cache_dir)
    scratch = None
    if write:
        scratch = Path(tempfile.mkdtemp(prefix="cubamed-write-"))
        path = Path(shutil.copy2(path, scratch / path.name))
    db = ladybug.Database(str(path), read_only=not write)
    return EmbeddedDatabase(db, ladybug.Connection(db), sch, path=path, writable=write, scratch=scratch)


_OPEN: dict[tuple[Path, str], EmbeddedDatabase] = {}


def query(
    cypher: str,
    params: Mapping[str, Any] | None = None,
    /,
    *,
    G: nx.MultiDiGraph | None = None,
    paths: Iterable[str | Path] = (),
    cache_dir: str | Path | None = None,
    write: bool = False,
    **more: Any,
) -> pd.DataFrame:
    """Run a Cypher query on the graph without a server; return a DataFrame.

    Parameters are keyword arguments (or a mapping, for names such as `paths` or `write`).
    The curated data is used unless `G` or `paths` say otherwise. Read-only unless ``write=True``.

    >>> import graph
    >>> graph.query("MATCH (c:State {name: 'Cuba'})-[d:DEPLOYED_TO]->(s) WHERE d.year = $y "
    ...             "RETURN s.name, d.count ORDER BY d.count DESC", y=2020, paths=["tests/fixtures/mini"]).values.tolist()
    [['Jamaica', 150], ['Jamaica', 140], ['Saint Lucia', 113], ['Lombardy', 52]]
    """
    allp = {**(params or {}), **more}
    if G is not None or write:
        with open_database(G, paths=paths, cache_dir=cache_dir, write=write) as db:
            return db.query(cypher, allp)
    sch = load_schema()
    path = cached_database(paths, schema=sch, cache_dir=cache_dir)
    key = (path, str(sch.path))
    if key not in _OPEN:
        for stale in [k for k in _OPEN if k[1] == key[1]]:
            _OPEN.pop(stale).close()
        _OPEN[key] = open_database(paths=paths, schema=sch, cache_dir=cache_dir)
    return _OPEN[key].query(cypher, allp)
