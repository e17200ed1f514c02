"""Long work reports progress: a bar on stderr when it is a terminal, nothing otherwise, and any
reporter a caller installs."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.export import write_cypher, write_gexf, write_graphml, write_json, write_neo4j_admin
from graph.progress import reporting, task, track

from .conftest import FIXTURES, ROOT

MINI = str(FIXTURES / "mini")


def _events(work: object) -> list[tuple[str, int, int | None]]:
    seen: list[tuple[str, int, int | None]] = []
    with reporting(lambda d, done, total: seen.append((d, done, total))):
        work()  # type: ignore[operator]
    return seen


def test_track_and_task_report_each_step() -> None:
    assert _events(lambda: list(track(["a", "b"], "Two"))) == [("Two", 0, 2), ("Two", 1, 2), ("Two", 2, 2)]

    def steps() -> None:
        with task("Chunks", total=5) as advance:
            advance(3)
            advance(2)

    assert _events(steps) == [("Chunks", 0, 5), ("Chunks", 3, 5), ("Chunks", 5, 5)]


def test_reporting_none_silences_and_nesting_restores() -> None:
    seen: list[str] = []
    with reporting(lambda d, *_: seen.append(d)):
        with reporting(None):
            list(track([1], "quiet"))
        list(track([1], "heard"))
    assert seen == ["heard", "heard"]


@pytest.mark.parametrize(
    ("name", "write"),
    [
        pytest.param("Writing the Cypher script", write_cypher, id="cypher"),
        pytest.param("Writing GraphML", write_graphml, id="graphml"),
        pytest.param("Writing GEXF", write_gexf, id="gexf"),
        pytest.param("Writing JSON nodes", write_json, id="json-nodes"),
        pytest.param("Writing JSON edges", write_json, id="json-edges"),
        pytest.param("Writing the import files", write_neo4j_admin, id="neo4j-admin"),
    ],
)
def test_every_file_export_reports_progress_to_the_end(mini: nx.MultiDiGraph, tmp_path: Path, name: str, write: object) -> None:
    events = _events(lambda: write(mini, tmp_path / "out"))  # type: ignore[operator]
    mine = [e for e in events if e[0] == name]
    assert mine[0][1] == 0 and mine[-1][1] == mine[-1][2] and mine[-1][2] > 0


def test_loading_reports_each_file() -> None:
    events = _events(lambda: graph.load(MINI))
    assert [e for e in events if e[0] == "Reading the data files"][-1] == ("Reading the data files", 3, 3)


def test_no_terminal_no_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "graphml", str(tmp_path / "g.graphml"), "--data", MINI])
    assert result.exit_code == 0 and result.stderr == ""


def test_a_terminal_gets_a_progress_bar_on_stderr(tmp_path: Path) -> None:
    """Run the real command with stderr on a pseudo-terminal: the bar is drawn there, stdout stays clean."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "100", "TERM": "xterm"}
    out = tmp_path / "g.gexf"
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph", "export", "gexf", str(out), "--data", MINI],
        stdout=subprocess.PIPE,
        stderr=secondary,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
    )
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        seen += chunk
    stdout = proc.communicate(timeout=60)[0].decode()
    os.close(primary)
    assert proc.returncode == 0
    assert stdout == f"Wrote 13 nodes and 8 relationships to {out}.\n"
    assert b"Writing GEXF" in seen
