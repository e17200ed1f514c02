"""The embedded database's cache on disk: built from the data files, proved on every open.

The data files are the truth; the database is a copy that must prove itself each time it is used,
and is rebuilt from the data when anything is in doubt (with one line on stderr saying why).

The cache folder (``$XDG_CACHE_HOME/cubamed/embedded``, by default ``~/.cache/cubamed/embedded``)
holds, per key (a hash of the data files, the schema file, the engine version and `FORMAT`):

- ``<key>.lbug``: the database, the engine's single file;
- ``<key>.json``: its manifest (`Manifest`): the fingerprint the key is made of, the file's size
  and SHA-256, and the node count of every label and the relationship count of every type;
- ``.<key>.<pid>-<token>.tmp*``: a build in progress. A build writes there, checks the engine's
  counts against the graph's, syncs the file, writes the manifest the same way, renames both into
  place and syncs the folder;
- ``build.lock``: locked (``flock``) by the process that builds, so processes started together
  build once and a build never removes another's files. The lock dies with its process, so what
  a killed build leaves is removed by the next build.

Opening (`open_cache`) proves the pair: no leftover of an interrupted write beside the file
(``.wal``, ``.shadow``, a pending checkpoint), a manifest for this fingerprint, the same size and
SHA-256, then the engine's own counts per label and type. Anything else (an empty, truncated,
zeroed, foreign or garbage file, a folder in its place, a file written in place) means a rebuild.
When the folder cannot be written (read-only, a file in its way, no home), the database is built in
memory for the run, with one line saying so. `writable_copy` gives ``--write`` a throwaway copy
that is removed on every exit path; the copy of a process killed outright is removed by the next
``--write`` run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import QueryError, ValidationError
from ..locations import data_dir
from ..project import model_for
from ..read import data_files
from ..schema import Schema
from .ddl import LABEL_COLUMN, NODE_TABLE, REL_TABLE, TYPE_COLUMN, LoadPlan, copy_statement, load_plan

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "FORMAT",
    "KEEP",
    "Fingerprint",
    "Manifest",
    "Scratch",
    "build_database",
    "cache_key",
    "cached_database",
    "copy_plan",
    "default_cache_dir",
    "engine_counts",
    "fill",
    "fingerprint",
    "graph_counts",
    "open_cache",
    "writable_copy",
]

#: Bump when the table layout or the macros change, so that old caches are not reused
#: (2: one node and one relationship table, `graph.embedded.ddl`; 3: only the relationship columns some row holds).
FORMAT = 3
#: How many cached databases to keep (older ones are removed after a build).
KEEP = 4
#: Files the engine keeps beside a database while writing or checkpointing it. A cache is written
#: once, checkpointed and closed, so any of them beside a cache file means an interrupted write.
_SIDECARS = ("wal", "shadow", "wal.checkpoint", "checkpoint")
_MISSING = "it does not exist"  # the one reason to build without a word
_BUILD_LOCK = "build.lock"
#: How long to wait for another process's build (seconds) before building in memory instead.
_LOCK_PATIENCE = 600.0
_SCRATCH_PREFIX = "cubamed-write-"
_SCRATCH_LOCK = "owner.lock"
#: A scratch folder without its lock file is only removed when older than this (seconds): the lock
#: is created right after the folder, and folders of versions without a lock are all older.
_SCRATCH_GRACE = 3600.0
_CHUNK = 1 << 20

log = logging.getLogger(__name__)


def _say(message: str) -> None:
    """One line on stderr (through `logging`, so a program can silence or redirect it)."""
    log.warning("cubamed: %s", " ".join(message.split()))


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/cubamed/embedded``, by default ``~/.cache/cubamed/embedded``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cubamed" / "embedded"


# --- what the cache is of --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What a cached database is built from; `key` names its files."""

    format: int
    engine: str
    schema_sha256: str
    data_sha256: str

    @property
    def key(self) -> str:
        text = f"cubamed-embedded {self.format} ladybug {self.engine} {self.schema_sha256} {self.data_sha256}"
        return hashlib.sha256(text.encode()).hexdigest()[:24]


def fingerprint(paths: Iterable[str | Path], schema: Schema) -> Fingerprint:
    """Hash the data files (names and contents) and the schema file, with the engine version and `FORMAT`.

    A missing path or an entry that is not a regular file is refused here, as `validate` refuses
    it, even when a cache of the other files exists (else it would be silently left out).
    """
    data = hashlib.sha256()
    files, problems = data_files(paths)
    if problems:
        raise ValidationError(problems)
    for f in files:
        data.update(f"\n{f.resolve()}\n".encode())
        if f.is_file():
            data.update(f.read_bytes())
        else:
            data.update(b"<not a regular file>")
    schema_hash = hashlib.sha256(schema.path.read_bytes()).hexdigest()
    return Fingerprint(FORMAT, version("ladybug"), schema_hash, data.hexdigest())


def cache_key(paths: Iterable[str | Path], schema: Schema) -> str:
    """The key of the cached database of the data at `paths` with `schema` (see `fingerprint`)."""
    return fingerprint(paths, schema).key


def graph_counts(G: nx.MultiDiGraph) -> tuple[dict[str, int], dict[str, int]]:
    """(nodes per label, relationships per type) of `G`, sorted by name."""
    nodes = Counter(str(d["label"]) for _, d in G.nodes(data=True))
    rels = Counter(str(d["type"]) for _, _, d in G.edges(data=True))
    return dict(sorted(nodes.items())), dict(sorted(rels.items()))


def engine_counts(conn: Any) -> tuple[dict[str, int], dict[str, int]]:
    """(nodes per label, relationships per type) as the engine counts them on connection `conn`."""
    nodes = conn.execute(f"MATCH (n:{NODE_TABLE}) RETURN n.{LABEL_COLUMN}, count(*)").get_all()
    rels = conn.execute(f"MATCH ()-[r:{REL_TABLE}]->() RETURN r.{TYPE_COLUMN}, count(*)").get_all()
    return dict(sorted((str(k), int(v)) for k, v in nodes)), dict(sorted((str(k), int(v)) for k, v in rels))


@dataclass(frozen=True)
class Manifest:
    """The manifest beside a cached database: what it was built from and what it must hold."""

    fingerprint: Fingerprint
    size: int
    sha256: str
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse a manifest; `ValueError` when it is not one (bad JSON, missing or ill-typed fields)."""
        raw = json.loads(text)
        try:
            fp = Fingerprint(**raw["fingerprint"])
            manifest = cls(fp, raw["size"], raw["sha256"], raw["nodes"], raw["relationships"])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a manifest ({exc})") from None
        ok = (
            isinstance(manifest.size, int)
            and isinstance(manifest.sha256, str)
            and all(isinstance(k, str) and isinstance(v, int) for d in (manifest.nodes, manifest.relationships) for k, v in d.items())
        )
        if not ok:
            raise ValueError("not a manifest (ill-typed fields)")
        return manifest


# --- building ----------------------------------------------------------------------------------------


def fill(conn: Any, G: nx.MultiDiGraph, schema: Schema) -> tuple[dict[str, int], dict[str, int]]:
    """Create the engine's two tables for `schema` on connection `conn` and COPY `G` into them;
    return (nodes per label, relationships per type) loaded."""
    plan = load_plan(G, schema)  # one pass over the graph: columns and Arrow tables
    copy_plan(conn, plan)
    return plan.counts()


def copy_plan(conn: Any, plan: LoadPlan) -> None:
    """The engine's part of a build: the two tables, and one COPY into each, in one transaction."""
    for statement in plan.ddl():
        conn.execute(statement)
    conn.execute("BEGIN TRANSACTION")  # one commit for both COPY statements
    if plan.nodes is not None:
        conn.execute(copy_statement(NODE_TABLE, plan.nodes.column_names), {"data": plan.nodes})
    if plan.rels is not None:
        conn.execute(copy_statement(REL_TABLE, plan.rels.column_names[2:]), {"data": plan.rels})
    conn.execute("COMMIT")


def _check_counts(conn: Any, want: tuple[dict[str, int], dict[str, int]]) -> None:
    got = engine_counts(conn)
    if got != want:
        raise QueryError(
            f"the embedded engine holds {sum(got[0].values())} nodes and {sum(got[1].values())} relationships after loading "
            f"{sum(want[0].values())} and {sum(want[1].values())}; nothing was cached. This is a bug: please report it "
            "(graph.load() and query --neo4j are not affected)"
        )


def build_database(G: nx.MultiDiGraph, path: str | Path, *, schema: Schema | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Create the embedded database at `path` (a file) from `G`: tables from the schema, then COPY.

    The engine's counts per label and type are checked against those of the rows loaded (which are
    `graph_counts(G)`) before it is closed; they are returned, for the manifest.
    """
    import ladybug

    db = ladybug.Database(str(path), auto_checkpoint=False)  # one checkpoint at the end, not one per COPY
    conn = ladybug.Connection(db)
    try:
        counts = fill(conn, G, model_for(G, schema).schema)
        _check_counts(conn, counts)
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
        db.close()
    return counts


def _sha256(fh: IO[bytes]) -> str:
    h = hashlib.sha256()
    while chunk := fh.read(_CHUNK):
        h.update(chunk)
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # Windows cannot open a folder; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _leftovers_of(target: Path) -> list[Path]:
    """The engine's files of an interrupted write beside `target` (WAL, shadow, pending checkpoint)."""
    return sorted(p for p in target.parent.glob(f"{target.name}.*") if any(p.name[len(target.name) + 1 :].startswith(s) for s in _SIDECARS))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _build_into(folder: Path, G: nx.MultiDiGraph, schema: Schema, fp: Fingerprint) -> Path:
    """Build `G` under a temporary name, then sync and rename it and its manifest into place."""
    target = folder / f"{fp.key}.lbug"
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    tmp_db, tmp_manifest = folder / f".{fp.key}.{token}.tmp", folder / f".{fp.key}.{token}.json.tmp"
    try:
        nodes, rels = build_database(G, tmp_db, schema=schema)
        with open(tmp_db, "rb") as fh:
            os.fsync(fh.fileno())
            digest = _sha256(fh)
        manifest = Manifest(fp, tmp_db.stat().st_size, digest, nodes, rels)
        with open(tmp_manifest, "w", encoding="utf-8") as fh:
            fh.write(manifest.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        for stale in _leftovers_of(target):  # a WAL the engine would replay into the new file
            _remove(stale)
        if target.is_dir() and not target.is_symlink():  # a folder in its place
            shutil.rmtree(target)
        os.replace(tmp_db, target)
        os.replace(tmp_manifest, target.with_suffix(".json"))
        _fsync_dir(folder)
    finally:
        for leftover in folder.glob(f".{fp.key}.{token}.*"):
            _remove(leftover)
    return target


# --- the build lock ------------------------------------------------------------------------------


def _can_lock() -> bool:
    """Whether `_flock` locks (POSIX). Without it, nothing is removed that another process may be using."""
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - Windows
        return False
    return True


@contextlib.contextmanager
def _flock(path: Path, *, wait: float) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on `path` (created if needed), waiting up to `wait` seconds; yields whether it is held.

    The lock dies with its process (even under kill -9). Without ``fcntl`` (Windows) nothing is
    locked and it yields True: builds are then not serialised (the manifest check still guards
    every open), and no leftovers are removed (see `_can_lock`).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield True
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        yield True
    finally:
        os.close(fd)  # closing releases the lock


def _sweep(folder: Path) -> None:
    """Remove what interrupted builds left, and the caches beyond the `KEEP` most recent.

    Called with the folder's build lock held: no other process is building, so every temporary
    file is a leftover.
    """
    for p in _temporary_files(folder) if _can_lock() else []:
        _remove(p)
    caches = sorted(folder.glob("*.lbug"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in caches[KEEP:]:
        for p in [old, *_leftovers_of(old), old.with_suffix(".json")]:
            _remove(p)


def _temporary_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp*"))


def _tidy(folder: Path) -> None:
    """Remove what killed builds left when nobody is building (the build lock is free); else leave it."""
    if not _can_lock() or not _temporary_files(folder):
        return
    try:
        with _flock(folder / _BUILD_LOCK, wait=0) as free:
            for p in _temporary_files(folder) if free else []:
                _remove(p)
    except OSError as exc:
        _say(f"cannot remove the leftovers of an interrupted build in {folder} ({_first_line(exc)})")


# --- opening -----------------------------------------------------------------------------------------


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_manifest(target: Path) -> Manifest | str:
    try:
        return Manifest.from_json(target.with_suffix(".json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "it has no manifest"
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"its manifest is unreadable ({_first_line(exc)})"


@dataclass(frozen=True)
class _Proved:
    db: Any
    path: Path
    manifest: Manifest


def _prove(target: Path, fp: Fingerprint, buffer_pool_size: int) -> _Proved | str:
    """Open `target` read-only and prove it against its manifest: the open database, or why not (`_MISSING`)."""
    import ladybug

    if not target.exists() and not target.is_symlink():
        return _MISSING
    if not target.is_file():
        return "it is not a regular file"
    leftovers = _leftovers_of(target)
    if leftovers:
        return f"an interrupted write left {', '.join(p.name for p in leftovers)} beside it"
    manifest = _read_manifest(target)
    if isinstance(manifest, str):
        return manifest
    if manifest.fingerprint != fp:
        return "its manifest is for other data, schema or engine"
    try:
        with open(target, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size != manifest.size:
                return f"it has {size} bytes where its manifest says {manifest.size}"
            if _sha256(fh) != manifest.sha256:
                return "its SHA-256 differs from its manifest's (the file was changed or damaged)"
            db = ladybug.Database(str(target), read_only=True, buffer_pool_size=buffer_pool_size)
            if os.stat(target).st_ino != os.fstat(fh.fileno()).st_ino:
                db.close()
                return "it was replaced while being checked"
    except OSError as exc:
        return f"it cannot be read ({_first_line(exc)})"
    except (RuntimeError, ValueError, IndexError) as exc:  # what the engine raises for a file it refuses
        return f"the engine cannot open it ({_first_line(exc)})"
    conn = ladybug.Connection(db)
    try:
        counts = engine_counts(conn)
    except (RuntimeError, ValueError, IndexError) as exc:
        counts = None
        reason = f"the engine cannot read it ({_first_line(exc)})"
    finally:
        conn.close()
    if counts != (manifest.nodes, manifest.relationships):
        db.close()
        if counts is None:
            return reason
        found = f"{sum(counts[0].values())} nodes and {sum(counts[1].values())} relationships"
        return f"the engine counts {found} in it, its manifest {sum(manifest.nodes.values())} and {sum(manifest.relationships.values())}"
    return _Proved(db, target, manifest)


def _in_memory(G: nx.MultiDiGraph, schema: Schema, buffer_pool_size: int) -> Any:
    import ladybug

    db = ladybug.Database(":memory:", buffer_pool_size=buffer_pool_size)
    conn = ladybug.Connection(db)
    try:
        fill(conn, G, schema)
    except BaseException:
        conn.close()
        db.close()
        raise
    conn.close()
    return db


def _unusable(where: str, exc: BaseException | str) -> None:
    reason = exc if isinstance(exc, str) else _first_line(exc)
    _say(f"cannot use {where} ({reason}); the database is built in memory for this run")


def _load(paths: list[Path], schema: Schema) -> nx.MultiDiGraph:
    """The graph of the data files: networkx and the loader are imported only when a build needs them."""
    from ..build import load

    return load(*paths, schema=schema)


def _open(paths: Iterable[str | Path], schema: Schema | None, cache_dir: str | Path | None, buffer_pool_size: int) -> _Proved | Any:
    """The proved cache (`_Proved`), or an in-memory database when the cache folder cannot be used."""
    sch = model_for(None, schema).schema
    chosen = [Path(p) for p in paths] or [data_dir()]
    fp = fingerprint(chosen, sch)
    try:
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    except RuntimeError as exc:  # Path.home() with no HOME and no user entry
        _unusable("a cache folder", exc)
        return _in_memory(_load(chosen, sch), sch, buffer_pool_size)
    target = folder / f"{fp.key}.lbug"
    proved = _prove(target, fp, buffer_pool_size)
    if not isinstance(proved, str):
        _tidy(folder)
        return proved
    with contextlib.ExitStack() as stack:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            held = stack.enter_context(_flock(folder / _BUILD_LOCK, wait=_LOCK_PATIENCE))
        except OSError as exc:
            _unusable(f"the cache folder {folder}", exc)
            return _in_memory(_load(chosen, sch), sch, buffer_pool_size)
        if not held:
            _unusable(f"the cache folder {folder}", f"another process has been building there for {_LOCK_PATIENCE:.0f} s")
            return _in_memory(_load(chosen, sch), sch, buffer_pool_size)
        proved = _prove(target, fp, buffer_pool_size)  # another process may have built it meanwhile
        if not isinstance(proved, str):
            return proved
        if proved != _MISSING:
            _say(f"rebuilding the embedded cache {target} from the data files: {proved}")
        G = _load(chosen, sch)
        try:
            _sweep(folder)
            _build_into(folder, G, sch, fp)
        except OSError as exc:  # a full disk, a read-only folder
            _unusable(f"the cache folder {folder}", exc)
            return _in_memory(G, sch, buffer_pool_size)
        proved = _prove(target, fp, buffer_pool_size)
        if isinstance(proved, str):
            raise QueryError(
                f"the embedded cache {target} fails its check right after its build ({proved}); this is a bug: please report it"
            )
        return proved


def open_cache(
    paths: Iterable[str | Path] = (),
    *,
    schema: Schema | None = None,
    cache_dir: str | Path | None = None,
    buffer_pool_size: int = 0,
) -> tuple[Any, Path | None]:
    """The engine database of the data at `paths` (default: data/), opened from the cache, and its path.

    The cached file is proved against its manifest (see the module's docstring): when it is
    missing it is built, when it is in doubt it is rebuilt from the data files, with one line on
    stderr saying why. When the cache folder cannot be used, the database is built in memory (the
    path is then None), with one line saying so. The database is read-only, except an in-memory
    one. `buffer_pool_size` (bytes, 0 = the engine's default) bounds the engine's memory.
    """
    opened = _open(paths, schema, cache_dir, buffer_pool_size)
    return (opened.db, opened.path) if isinstance(opened, _Proved) else (opened, None)


def cached_database(paths: Iterable[str | Path] = (), *, schema: Schema | None = None, cache_dir: str | Path | None = None) -> Path:
    """The path of the proved cached database of the data at `paths` (default: data/), built when needed.

    Raises `QueryError` when the cache folder cannot be used (`open_cache` builds in memory instead).
    """
    db, path = open_cache(paths, schema=schema, cache_dir=cache_dir)
    db.close()
    if path is None:
        raise QueryError("the embedded cache folder cannot be used; set XDG_CACHE_HOME to a writable folder")
    return path


# --- throwaway copies for --write --------------------------------------------------------------------


class Scratch:
    """A private temporary folder for a throwaway copy, locked while in use; `close()` removes it."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=_SCRATCH_PREFIX))
        self._lock = contextlib.ExitStack()
        try:
            self._lock.enter_context(_flock(self.path / _SCRATCH_LOCK, wait=0))
        except BaseException:
            shutil.rmtree(self.path)
            raise

    def close(self) -> None:
        self._lock.close()
        try:
            if self.path.exists():
                shutil.rmtree(self.path)
        except OSError as exc:
            _say(f"could not remove the throwaway copy {self.path} ({_first_line(exc)}); the next --write run removes it")

    @staticmethod
    def sweep() -> None:
        """Remove this user's scratch folders whose process is gone (their lock is free)."""
        if not _can_lock():
            return
        now = time.time()
        for folder in Path(tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*"):
            try:
                st = folder.lstat()
                if not folder.is_dir() or folder.is_symlink() or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
                    continue
                lock = folder / _SCRATCH_LOCK
                if not lock.exists():  # an older version's folder, or one a second old
                    if now - st.st_mtime > _SCRATCH_GRACE:
                        shutil.rmtree(folder)
                    continue
                with _flock(lock, wait=0) as free:
                    if free:
                        shutil.rmtree(folder)
            except FileNotFoundError:
                continue  # removed meanwhile by another process's sweep
            except OSError as exc:
                _say(f"could not remove the old throwaway copy {folder} ({_first_line(exc)})")


def writable_copy(
    paths: Iterable[str | Path] = (),
    *,
    schema: Schema | None = None,
    cache_dir: str | Path | None = None,
    buffer_pool_size: int = 0,
) -> tuple[Any, Path | None, Scratch | None]:
    """A writable database of the data: a throwaway copy of the proved cache, its path and its `Scratch`.

    The copy is checked against the cache's manifest and gets the user's default permissions (a
    read-only cache file gives a writable copy). On any failure, or interruption, the scratch folder
    is removed before the error propagates; the caller closes the `Scratch` when done. When the
    cache is in memory there is nothing to copy: that database is returned as is (path and scratch
    None).
    """
    import ladybug

    opened = _open(paths, schema, cache_dir, buffer_pool_size)
    if not isinstance(opened, _Proved):
        return opened, None, None
    opened.db.close()
    Scratch.sweep()
    scratch = Scratch()
    try:
        copy = scratch.path / opened.path.name
        h = hashlib.sha256()
        with open(opened.path, "rb") as src, open(copy, "wb") as dst:
            while chunk := src.read(_CHUNK):
                h.update(chunk)
                dst.write(chunk)
        if h.hexdigest() != opened.manifest.sha256:
            raise QueryError(f"the embedded cache {opened.path} changed while it was copied for --write; run the query again")
        try:
            return ladybug.Database(str(copy), buffer_pool_size=buffer_pool_size), copy, scratch
        except (RuntimeError, ValueError, IndexError) as exc:
            raise QueryError(
                f"the embedded engine cannot open the throwaway copy for --write ({_first_line(exc)}); nothing was left behind"
            ) from None
    except BaseException:
        scratch.close()
        raise
