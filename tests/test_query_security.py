"""Read-only by construction: no query reaches a file, whatever surrounds the engine statement.

Each attempt runs through `EmbeddedDatabase.execute` (what `cubamed query` and `graph.query()` run)
on a copy of the cached database, read-only and with ``write=True``. It must raise `QueryError`,
leave the folder it names empty, never print the contents of the secret file, and leave the cache
file's bytes and modification time as they were. A seeded generator adds variants (comments,
case, whitespace, semicolons, strings, unicode) of every statement.
"""

from __future__ import annotations

import hashlib
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.embedded import open_database
from graph.embedded.cache import cached_database
from graph.embedded.cypher import server_refusal
from graph.errors import QueryError

from .conftest import FIXTURES

MINI = FIXTURES / "mini"
SECRET = "cubamed-secret-7f3a"

#: Engine statements that touch files or the database, each with {out} (a folder that must stay empty) and {secret} (a file to read).
STATEMENTS = [
    "COPY (MATCH (n:Entity) RETURN n.id) TO '{out}/x.csv'",
    "COPY Entity FROM '{secret}'",
    "LOAD FROM '{secret}' (header=false) RETURN *",
    "LOAD WITH HEADERS (a STRING) FROM '{secret}' RETURN *",
    "CHECKPOINT",
    "EXPORT DATABASE '{out}/db'",
    "IMPORT DATABASE '{out}/db'",
    "ATTACH '{out}/other.lbug' AS other (dbtype lbug)",
    "DETACH other",
    "INSTALL json",
    "LOAD EXTENSION json",
    "LOAD json",
    "UNINSTALL json",
    "CALL read_csv('{secret}') RETURN *",
    "CALL file_info('{secret}') RETURN *",
    "CALL show_tables() RETURN *",
    "RETURN read_csv('{secret}')",
    "MATCH (n) RETURN copy_csv(n.id, '{out}/x.csv')",
    "CREATE MACRO m(x) AS x",
    "CALL threads=1",
    "BEGIN TRANSACTION",
    "DROP TABLE Entity",
    "ALTER TABLE Entity ADD x STRING",
    "LOAD CSV FROM 'file://{secret}' AS r RETURN r",
    "USE other MATCH (n) RETURN n",
]
PREFIXES = ["", "/**/", "/* c */ ", "// c\n", " \t\n", "\u00a0", "\u2003", ";", "RETURN 1;", "MATCH (n) RETURN n; ", "RETURN '; ' AS x;"]


@pytest.fixture
def place(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    out = tmp_path / "out"
    out.mkdir()
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{SECRET}:x:1\n", encoding="utf-8")
    yield out, secret


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cache")
    cached_database([MINI], cache_dir=folder)
    return folder


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {f.name: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns) for f in sorted(folder.iterdir())}


def _attempt(cache: Path, query: str, out: Path, write: bool) -> None:
    before = _fingerprint(cache)
    with open_database(paths=[MINI], cache_dir=cache, write=write) as db, pytest.raises(QueryError) as err:
        db.execute(query)
    assert SECRET not in str(err.value)
    assert list(out.iterdir()) == []
    assert _fingerprint(cache) == before


@pytest.mark.parametrize("write", [pytest.param(False, id="read-only"), pytest.param(True, id="write")])
@pytest.mark.parametrize("statement", [pytest.param(s, id=s.split()[0] + "-" + str(i)) for i, s in enumerate(STATEMENTS)])
def test_engine_statements_never_run(cache: Path, place: tuple[Path, Path], statement: str, write: bool) -> None:
    out, secret = place
    _attempt(cache, "/**/" + statement.format(out=out, secret=secret), out, write)


def _variants(seed: int, n: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(n):
        statement = rng.choice(STATEMENTS)
        words = statement.split(" ")
        cased = [w if "{" in w else "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in w) for w in words]
        gaps = [rng.choice([" ", "  ", "\n", "/**/", " /* x */ ", "\t"]) for _ in cased]
        body = "".join(w + g for w, g in zip(cased, gaps, strict=True)).rstrip()
        yield rng.choice(PREFIXES) + body + rng.choice(["", ";", " ;", "; RETURN 1", "//"])


@pytest.mark.parametrize("write", [pytest.param(False, id="read-only"), pytest.param(True, id="write")])
def test_random_variants_never_run(cache: Path, place: tuple[Path, Path], write: bool) -> None:
    out, secret = place
    before = _fingerprint(cache)
    with open_database(paths=[MINI], cache_dir=cache, write=write) as db:
        for query in _variants(seed=8 + write, n=300):
            with pytest.raises(QueryError) as err:
                db.execute(query.format(out=out, secret=secret))
            assert SECRET not in str(err.value), query
            assert list(out.iterdir()) == [], query
    assert _fingerprint(cache) == before


def test_reads_that_look_like_writes_still_run(cache: Path) -> None:
    with open_database(paths=[MINI], cache_dir=cache) as db:
        names, rows = db.execute("MATCH (copy:State {id: 'cuba'})-[load]->(export) RETURN copy.name AS set, {checkpoint: 1} AS end LIMIT 1")
    assert names == ["set", "end"] and rows[0] == ["Cuba", {"checkpoint": 1}]


def test_the_cli_never_writes_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = tmp_path / "x.csv"
    result = CliRunner().invoke(main, ["query", "--data", str(MINI), f"/**/COPY (MATCH (n:State) RETURN n.id) TO '{target}'"])
    assert result.exit_code == 1 and "refused (COPY statement)" in result.output and not target.exists()
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)


@pytest.mark.parametrize(
    ("query", "construct"),
    [
        pytest.param("/**/LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "LOAD CSV", id="load-csv"),
        pytest.param("load\ncsv with headers from 'https://example.org/x.csv' AS r RETURN r", "LOAD CSV", id="load-csv-url"),
        pytest.param("CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value", "procedure call", id="procedure"),
        pytest.param("CALL db.labels()", "procedure call", id="db-procedure"),
        pytest.param("RETURN apoc.util.md5(['x']) AS h", "namespaced function", id="plugin-function"),
    ],
)
def test_neo4j_refuses_file_and_network_access(query: str, construct: str) -> None:
    refusal = server_refusal(query)
    assert refusal is not None and refusal.construct == construct and "hint: " in str(refusal)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param(
            "RETURN apoc.util.md5(['x']) AS h",
            "refused (namespaced function): apoc.util.md5() is a plugin function, which may read files or the network\n"
            "\"RETURN apoc.util.md5(['x']) AS h\"\n"
            "        ^^^^^^^^^^^^^\n"
            "hint: use Neo4j's built-in functions",
            id="plugin-function",
        ),
        pytest.param(
            "MATCH (n) CALL db.labels() YIELD label RETURN label",
            "refused (procedure call): procedure calls can read files and the network (Neo4j allows some in a read transaction)\n"
            "\"MATCH (n) CALL db.labels() YIELD label RETURN label\"\n"
            "           ^^^^^^^\n"
            "hint: write a MATCH query; for the schema see `cubamed schema`",
            id="procedure-after-a-clause",
        ),
        pytest.param(
            "WITH 1 AS x LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
            "refused (LOAD CSV): LOAD CSV reads files or URLs (Neo4j allows it in a read transaction)\n"
            "\"WITH 1 AS x LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r\"\n"
            "             ^^^^^^^^\n"
            "hint: load the file with pandas, or put its rows in a parameter: UNWIND $rows AS row",
            id="load-csv-after-a-clause",
        ),
    ],
)
def test_a_refusal_before_the_server_points_at_what_it_refuses(query: str, message: str) -> None:
    """`cubamed query --neo4j` refuses these before sending: the caret spans the construct
    (the function's whole dotted name, CALL and the procedure's first name, LOAD CSV)."""
    assert str(server_refusal(query)) == message


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("MATCH (n {load: 'csv'}) RETURN n.call AS load, date.truncate('month', date()) AS d", id="names"),
        pytest.param("MATCH (n) CALL { WITH n RETURN 1 AS one } RETURN n", id="call-subquery"),
        pytest.param("RETURN 'LOAD CSV' AS s // CALL db.labels()", id="strings-and-comments"),
        pytest.param("RETURN $call AS x, $`load` AS csv", id="parameters-named-like-keywords"),
    ],
)
def test_neo4j_lets_reads_through(query: str) -> None:
    assert server_refusal(query) is None
