"""Fixtures of the differential tests: the embedded engine on the curated data, and the oracle."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import cached_database, open_database
from graph.locations import data_dir

from .oracle import Neo4jOracle


@pytest.fixture(scope="session")
def embedded_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the embedded database of the curated data (built once).

    bench/mutation.py builds it once, with the unmutated code, for the mutants of modules that
    cannot change the database (the translation: see TRANSLATION there), and names it in
    CUBAMED_PREBUILT_EMBEDDED_CACHE: each mutant's run then copies it rather than spend seconds
    building the same database again."""
    folder = tmp_path_factory.mktemp("embedded-cache")
    prebuilt = os.environ.get("CUBAMED_PREBUILT_EMBEDDED_CACHE")
    if prebuilt:
        return Path(shutil.copytree(prebuilt, folder, dirs_exist_ok=True))
    cached_database([data_dir()], cache_dir=folder)
    return folder


@pytest.fixture(scope="session")
def embedded_db(embedded_cache: Path) -> Iterator[Any]:
    """The curated data in the embedded engine, opened as `graph.query()` opens it (cached, read-only)."""
    with open_database(paths=[data_dir()], cache_dir=embedded_cache) as db:
        yield db


@pytest.fixture
def scratch_db(embedded_cache: Path, tmp_path: Path) -> Iterator[Any]:
    """Like `embedded_db`, on a copy of the cache: for queries that may damage it (a CHECKPOINT
    that gets through leaves the file needing recovery)."""
    folder = Path(shutil.copytree(embedded_cache, tmp_path / "cache"))
    with open_database(paths=[data_dir()], cache_dir=folder) as db:
        yield db


@pytest.fixture(scope="module")
def oracle(curated_neo4j: Any) -> Iterator[Neo4jOracle]:
    """Neo4j 5.26 holding the curated graph, exported with `graph.export.export_neo4j`."""
    found = Neo4jOracle(curated_neo4j.uri, curated_neo4j.user, curated_neo4j.password)
    try:
        yield found
    finally:
        found.close()
