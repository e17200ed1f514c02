"""Fixtures of the embedded-engine tests: a cache of the curated data built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.cache import open_cache
from graph.locations import data_dir

DATA = data_dir()


@pytest.fixture(scope="session")
def curated_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the proved cache of the curated data (copy it before damaging it)."""
    folder = tmp_path_factory.mktemp("curated-cache")
    db, _ = open_cache([DATA], cache_dir=folder)
    db.close()
    return folder
