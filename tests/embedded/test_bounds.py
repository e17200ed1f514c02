"""graph.embedded.bounds: a query that runs too long or needs too much memory is stopped with a clear error.

The runaway query is the issue's: every path of up to 4 hops on the curated graph (it passed 4 GB
in 28 s with no bound).
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.embedded import open_database
from graph.embedded.bounds import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, bound_error
from graph.errors import QueryError

from .conftest import DATA

RUNAWAY = "MATCH p=(a)-[*1..4]-(b) RETURN count(p)"
ADVICE = "bound the pattern (a variable-length [*1..3] rather than [*] or [*1..6]), start from fewer nodes, or add LIMIT"
TIMED_OUT = f"the query ran longer than the timeout (1 s) and was stopped; {ADVICE}; or raise the timeout with --timeout SECONDS (timeout= in Python; 0 for none)"
OUT_OF_MEMORY = (
    re.escape("the query needed more than the memory limit (256 MB) and was stopped after ")
    + r"\d+\.\d s"
    + re.escape(f"; {ADVICE}; or raise the limit with --max-memory MB (max_memory= in Python)")
)


def test_a_runaway_query_stops_at_the_timeout_and_the_database_still_answers(curated_cache: Path, curated: nx.MultiDiGraph) -> None:
    with open_database(paths=[DATA], cache_dir=curated_cache, timeout=1) as db:
        with pytest.raises(QueryError) as info:
            db.query(RUNAWAY)
        assert str(info.value) == TIMED_OUT
        assert db.query("MATCH (n) RETURN count(n)").iloc[0, 0] == curated.number_of_nodes()


def test_a_runaway_query_stops_at_the_memory_limit(curated_cache: Path) -> None:
    with open_database(paths=[DATA], cache_dir=curated_cache, timeout=None, max_memory=256) as db, pytest.raises(QueryError) as info:
        db.query(RUNAWAY)
    assert re.fullmatch(OUT_OF_MEMORY, str(info.value)), str(info.value)


def test_graph_query_takes_the_bounds(curated_cache: Path) -> None:
    with pytest.raises(QueryError) as info:
        graph.query(RUNAWAY, paths=[DATA], cache_dir=curated_cache, timeout=1)
    assert str(info.value) == TIMED_OUT
    assert graph.query("RETURN 1 AS one", paths=[DATA], cache_dir=curated_cache, timeout=0)["one"].tolist() == [1]


def test_cli_timeout_is_one_error_line(curated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(curated_cache.parent / "cli-cache"))
    (curated_cache.parent / "cli-cache" / "cubamed").mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(main, ["query", "--data", str(DATA), "--timeout", "1", RUNAWAY])
    assert (result.exit_code, result.output) == (1, f"Error: {TIMED_OUT}\n")


def test_bounds_are_on_by_default(curated_cache: Path) -> None:
    with open_database(paths=[DATA], cache_dir=curated_cache) as db:
        assert (db.timeout, db.max_memory) == (DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY) == (60.0, 2048)
    help_text = CliRunner().invoke(main, ["query", "--help"]).output
    assert "[default: 60.0; x>=0]" in help_text and "[default: 2048; x>=0]" in help_text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"timeout": -1}, re.escape("timeout must be 0 (none) or more seconds, not -1"), id="negative-timeout"),
        pytest.param({"max_memory": -1}, re.escape("max_memory must be 0 (the engine's default) or more megabytes, not -1"), id="negative-memory"),
        pytest.param({"max_memory": 2**40}, r"max_memory 1099511627776 MB is more than this machine's memory \(\d+ MB\); give less \(0: the engine's default\)", id="more-than-ram"),
    ],
)
def test_bad_bounds_are_clear_errors(options: dict[str, int], message: str, mini: nx.MultiDiGraph) -> None:
    with pytest.raises(QueryError) as info:
        open_database(mini, **options)  # type: ignore[arg-type]
    assert re.fullmatch(message, str(info.value))


def test_an_interruption_before_the_timeout_is_not_called_a_timeout() -> None:
    interrupted = RuntimeError("Interrupted.")
    assert bound_error(interrupted, timeout=60, max_memory=None, seconds=3.0) is None  # Ctrl-C, say
    assert bound_error(interrupted, timeout=None, max_memory=None, seconds=300.0) is None
    assert str(bound_error(interrupted, timeout=60, max_memory=None, seconds=60.1)).startswith("the query ran longer than the timeout (60 s)")
    assert bound_error(RuntimeError("Binder exception: x"), timeout=1, max_memory=1, seconds=9.0) is None
