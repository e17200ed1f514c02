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
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import QueryError, ValidationError
from ..locations import data_dir
from ..read import data_files
from ..schema import Schema, load_schema
from .ddl import copy_statement, generate_ddl, node_tables, rel_tables
from .hints import explain, write_refusal
from .results import InternalId, convert_rows, frame
from .rewrite import parameter_names, return_columns, rewrite, write_keyword

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["FORMAT", "EmbeddedDatabase", "build_database", "cache_key", "cached_database", "default_cache_dir", "open_database", "query"]

#: Bump when the table layout or the macros change, so that old caches are not reused.
FORMAT = 1
#: How many cached databases to keep (older ones are removed after a build).
KEEP = 4


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/cubamed/embedded``, by default ``~/.cache/cubamed/embedded``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cubamed" / "embedded"


def cache_key(paths: Iterable[str | Path], schema: Schema) -> str:
    """A hash of the data files (names and contents), the schema file, the engine version and `FORMAT`."""
    h = hashlib.sha256(f"cubamed-embedded {FORMAT} ladybug {version('ladybug')}\n".encode())
    h.update(schema.path.read_bytes())
    files, problems = data_files(paths)
    if problems:  # refused as `validate` refuses them, even when a cache of the other files exists
        raise ValidationError(problems)
    for f in files:
        h.update(f"\n{f.resolve()}\n".encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:24]


def _create(conn: Any, G: nx.MultiDiGraph, schema: Schema) -> None:
    for statement in generate_ddl(schema):
        conn.execute(statement)
    # One transaction for every COPY (one per label and per endpoint pair): committing each one
    # to disk costs ~0.1 s, which made 1M relationships in 200 groups take minutes.
    conn.execute("BEGIN TRANSACTION")
    for label, table in node_tables(G, schema):
        conn.execute(copy_statement(label, table.column_names), {"data": table})
    for rtype, start, end, table in rel_tables(G, schema):
        conn.execute(copy_statement(rtype, table.column_names[2:], start, end), {"data": table})
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
    from ..build import load

    sch = schema or load_schema()
    chosen = [Path(p) for p in paths] or [data_dir()]
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = folder / f"{cache_key(chosen, sch)}.lbug"
    if target.exists():
        return target
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
        self._tables: dict[int, str] | None = None

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
        """Run `cypher` as written by the user; return the column names and converted rows."""
        params = dict(params or {})
        keyword = write_keyword(cypher)
        if keyword and not self.writable:
            raise QueryError(write_refusal(keyword))
        missing = sorted(parameter_names(cypher) - params.keys())
        if missing:
            raise QueryError(f"missing parameter ${missing[0]}; pass it as -p {missing[0]}=VALUE (or {missing[0]}=... in Python)")
        text = rewrite(cypher, self.schema.labels, sanctioned=self.schema.sanctioned_label)
        try:
            result = self._conn.execute(text, params)
        except RuntimeError as exc:
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
