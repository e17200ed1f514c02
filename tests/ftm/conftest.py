"""Shared helpers of the FollowTheMoney tests: the fixture's paths and the library requirement."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.locations import data_dir

FIXTURES = Path(__file__).parent / "fixtures"
MAIN = FIXTURES / "sanctions.ftm.json"
OTHER = FIXTURES / "other-list.ftm.jsonl.gz"


def require_followthemoney() -> None:
    """Skip without the library (`pip install -e .[ftm]`); in CI (CI=true) it must be there."""
    try:
        import followthemoney  # noqa: F401
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but followthemoney is not installed; .ci/run installs it with `pip install -e .[ftm]`", pytrace=False)
        pytest.skip("needs the followthemoney library: pip install -e .[ftm]")


@pytest.fixture(scope="session")
def listed() -> nx.MultiDiGraph:
    """The curated data joined to both fixture files (loaded once per session)."""
    return graph.load(data_dir(), MAIN, OTHER)


# A script that writes the fixture with followthemoney (run by test_fixture.py), not a test module:
# pytest's doctest collection would import it, and fail where the optional library is missing.
collect_ignore = ["make_fixture.py"]
