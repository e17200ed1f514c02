"""Shared fixtures, and the session check that the suite leaves the user's files alone.

Live-service fixtures live in their own plugins (listed in `pytest_plugins`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import settings

import graph

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
#: Folders of the user's work and output: no test may change a file in them.
WATCHED = ("build", "docs", "data")

pytest_plugins: list[str] = ["tests.conftest_neo4j"]

# In CI every run tries the same examples (a red CI is then a real regression, never a draw);
# elsewhere Hypothesis explores new ones each run (`--hypothesis-seed=N` replays a run). No example
# has a time limit in either: Hypothesis's default deadline (200 ms an example) failed runs on a
# loaded machine, and speed is measured by the scripts under bench/, never by a test.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("local"), derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "local")


def _git(root: Path, *args: str) -> str | None:
    """The output of a git command in `root`, or None where there is no git or no repository."""
    if shutil.which("git") is None:
        return None
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


def snapshot(root: Path = ROOT) -> dict[str, str]:
    """A hash of every watched file and every file git tracks under `root`, plus git's status."""
    files = {p for folder in WATCHED for p in (root / folder).rglob("*") if p.is_file()}
    tracked = _git(root, "ls-files", "-z")
    if tracked is not None:
        files |= {root / name for name in tracked.split("\0") if name and (root / name).is_file()}
    state = {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}
    status = _git(root, "status", "--porcelain", "--untracked-files=all")
    if status is not None:
        state["(git status)"] = status
    return state


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The names whose hash differs, appeared or went between two snapshots."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


_BEFORE = pytest.StashKey[dict[str, str]]()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.stash[_BEFORE] = snapshot()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.stash.get(_BEFORE, None)
    if before is None:
        return
    changed = changed_files(before, snapshot())
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"the tests changed the user's files (they must write under tmp_path only): {', '.join(changed)}"
        if reporter is not None:
            reporter.write("\n")
            reporter.write_line(f"ERROR: {message}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The embedded engine's cache goes under the session's temporary folder, not the user's ~/.cache."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


def _graph_scope(fixture_name: str, config: pytest.Config) -> str:
    """Loaded once per session; once per test in a mutation run (bench/mutation.py), where only the
    tests that reach a mutated function run: a graph built by another test would hide the mutant."""
    return "function" if os.environ.get("CUBAMED_FIXTURES_PER_TEST") == "1" else "session"


@pytest.fixture(scope=_graph_scope)
def curated() -> nx.MultiDiGraph:
    """The project's curated graph (data/), loaded once per test session."""
    return graph.load()


@pytest.fixture(scope=_graph_scope)
def mini() -> nx.MultiDiGraph:
    """A small valid graph (tests/fixtures/mini) for tests that need known contents."""
    return graph.load(FIXTURES / "mini")
