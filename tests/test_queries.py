"""The analyst query library (cypher/queries/) gives its expected rows on the embedded engine,
and the same rows on a real Neo4j loaded with `export_neo4j` (parity, row for row)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.embedded import open_database
from graph.embedded.database import EmbeddedDatabase
from graph.embedded.neo4j import neo4j_execute
from graph.schema import load_schema

from .conftest import ROOT

QUERIES = sorted((ROOT / "cypher" / "queries").glob("*.cypher"))
EXPECTED = ROOT / "tests" / "expected"


def _ordered(cypher: str) -> bool:
    """True when the query's final result is sorted (an ORDER BY after the last WITH)."""
    text = re.sub(r"//[^\n]*", "", cypher)
    tail = re.split(r"\bWITH\b", text, flags=re.IGNORECASE)[-1]
    return re.search(r"\bORDER\s+BY\b", tail, flags=re.IGNORECASE) is not None


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _rows(names: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(names, map(_plain, r), strict=True)) for r in rows]


def _compare(got: list[dict[str, Any]], want: list[dict[str, Any]], ordered: bool) -> None:
    if ordered:
        assert got == want
    else:
        assert sorted(map(repr, got)) == sorted(map(repr, want))


def test_query_library_has_at_least_15_commented_queries() -> None:
    assert len(QUERIES) >= 15
    for q in QUERIES:
        assert q.read_text(encoding="utf-8").startswith("// "), f"{q.name} must start with a comment saying what it answers"


def _module_scope(fixture_name: str, config: pytest.Config) -> str:
    """Once per module; once per test in a mutation run, where `curated` is built per test
    (tests/conftest.py `_graph_scope`) and a module fixture could not use it."""
    return "function" if os.environ.get("CUBAMED_FIXTURES_PER_TEST") == "1" else "module"


@pytest.fixture(scope=_module_scope)
def embedded(curated: nx.MultiDiGraph) -> Iterator[EmbeddedDatabase]:
    with open_database(curated) as db:
        yield db


@pytest.mark.parametrize("path", [pytest.param(q, id=q.stem) for q in QUERIES])
def test_embedded_gives_the_expected_rows(embedded: EmbeddedDatabase, path: Path) -> None:
    cypher = path.read_text(encoding="utf-8")
    expected = json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))
    names, rows = embedded.execute(cypher, {})
    assert names == expected["columns"]
    _compare(_rows(names, rows), expected["rows"], _ordered(cypher))


@pytest.mark.neo4j
@pytest.mark.parametrize("path", [pytest.param(q, id=q.stem) for q in QUERIES])
def test_same_rows_on_neo4j_and_embedded(curated_neo4j: Any, embedded: EmbeddedDatabase, path: Path) -> None:
    cypher = path.read_text(encoding="utf-8")
    server = curated_neo4j
    n_names, n_rows = neo4j_execute(cypher, None, uri=server.uri, user=server.user, password=server.password, schema=load_schema())
    e_names, e_rows = embedded.execute(cypher, {})
    assert n_names == e_names
    _compare(_rows(e_names, e_rows), _rows(n_names, n_rows), _ordered(cypher))
