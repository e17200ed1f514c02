"""Shared fixtures. Live-service fixtures live in their own plugins (listed in pytest_plugins)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import graph

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent

pytest_plugins: list[str] = ["tests.conftest_neo4j"]


@pytest.fixture(scope="session")
def curated() -> nx.MultiDiGraph:
    """The project's curated graph (data/), loaded once per test session."""
    return graph.load()


@pytest.fixture(scope="session")
def mini() -> nx.MultiDiGraph:
    """A small valid graph (tests/fixtures/mini) for tests that need known contents."""
    return graph.load(FIXTURES / "mini")
