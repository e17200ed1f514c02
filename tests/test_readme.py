"""The README works when pasted: every shell block runs, as written, in a fresh copy of the project
(HOME and the cache in a temporary folder), and exits 0; the Python blocks run too.

A block that cannot run here says so on the line before it: ``<!-- readme-test: skip (why) -->``,
or ``<!-- readme-test: neo4j -->`` for one that needs a Neo4j server (run against the test
server, with its URI and password put in place of ``bolt://localhost:7687`` and ``'your
password'``). No other block is left out: a test fails on an unmarked block it does not run.
The real ``build/``, ``docs/`` and ``data/`` are never written: every command runs in the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import graph

from .conftest import ROOT

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
MARK = re.compile(r"<!-- readme-test: (.*?) -->\n$")
SHELL = {"sh", "console"}
KNOWN = SHELL | {"python", "yaml"}


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    body: str
    mark: str | None

    @property
    def script(self) -> str:
        """What a reader pastes: the block, or the `$ ` lines of a console block."""
        if self.lang == "console":
            return "\n".join(ln[2:] for ln in self.body.splitlines() if ln.startswith("$ ")) + "\n"
        return self.body

    @property
    def id(self) -> str:
        return f"README.md:{self.line}"


def blocks(text: str) -> list[Block]:
    out = []
    for m in FENCE.finditer(text):
        before = text[: m.start()]
        mark = MARK.search(before[-300:]) if before.endswith("-->\n") else None
        out.append(Block(before.count("\n") + 1, m.group(1), m.group(2), mark.group(1) if mark else None))
    return out


ALL = blocks(README.read_text(encoding="utf-8"))
SHELL_BLOCKS = [b for b in ALL if b.lang in SHELL]
PLAIN = [b for b in SHELL_BLOCKS if b.mark is None]
NEO4J = [b for b in SHELL_BLOCKS if b.mark == "neo4j"]


def test_every_block_has_a_known_language_and_every_mark_a_reason() -> None:
    assert SHELL_BLOCKS and PLAIN and NEO4J
    fences = [ln for ln in README.read_text(encoding="utf-8").splitlines() if ln.lstrip().startswith("```")]
    assert len(fences) == 2 * len(ALL), "a fence is not on a line of its own, or a block is not closed"
    for b in ALL:
        assert b.lang in KNOWN, f"{b.id}: a ```{b.lang} block; mark its language (sh, console, python or yaml)"
        if b.mark is not None:
            assert b.lang in SHELL, f"{b.id}: only shell blocks are marked"
            assert b.mark == "neo4j" or re.fullmatch(r"skip \(.{10,}\)", b.mark), f"{b.id}: mark {b.mark!r}; use 'neo4j' or 'skip (why)'"


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A fresh copy of the project (what a reader has after cloning), a HOME and a cache of its own."""
    base = tmp_path_factory.mktemp("readme")
    project = base / "project"
    project.mkdir()
    for name in ("data", "cypher", "examples", "tests/ftm/fixtures"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(README, project / "README.md")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(base / "home"),
        "XDG_CACHE_HOME": str(base / "cache"),
        "LANG": "C.UTF-8",
        "COLUMNS": "120",
    }
    (base / "home").mkdir()
    return {"dir": project, "env": env, "base": base}


def _run(block: Block, copy: dict[str, Any], script: str | None = None, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the block; a console block's stderr goes with its stdout, as a terminal shows both."""
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script if script is not None else block.script],
        cwd=copy["dir"],
        env={**copy["env"], **(extra_env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if block.lang == "console" else subprocess.PIPE,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("block", [pytest.param(b, id=b.id) for b in PLAIN])
def test_shell_block_runs_as_pasted(block: Block, copy: dict[str, Any]) -> None:
    result = _run(block, copy)
    assert result.returncode == 0, f"{block.id} failed:\n{block.script}\n--- output:\n{(result.stderr or result.stdout)[-3000:]}"
    if block.lang == "console":  # the output the README shows, up to its "...", is what the command prints
        shown = [ln for ln in block.body.splitlines()[1:] if not ln.startswith("$ ")]
        shown = shown[: shown.index("...")] if "..." in shown else shown
        assert result.stdout.splitlines()[: len(shown)] == shown


def _cypher_shell(bin_dir: Path, tmp: Path) -> None:
    """A `cypher-shell` on PATH: the real one from Maven Central (org.neo4j:cypher-shell 5.26)."""
    from .neo4j_server import cypher_shell_classpath

    classpath = cypher_shell_classpath(tmp)
    if classpath is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but cypher-shell could not be fetched with Maven", pytrace=False)
        pytest.skip("cypher-shell (org.neo4j:cypher-shell:5.26.0) could not be fetched with Maven; the README's cypher-shell block did not run")
    script = bin_dir / "cypher-shell"
    script.write_text(f'#!/bin/sh\nexec java -cp "{classpath}" org.neo4j.shell.Main "$@"\n')
    script.chmod(0o755)


@pytest.mark.neo4j
def test_neo4j_blocks_run_against_the_test_server(neo4j_db: Any, copy: dict[str, Any], tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _cypher_shell(bin_dir, tmp_path)
    env = {"PATH": f"{bin_dir}{os.pathsep}{copy['env']['PATH']}"}
    # in README order and in one shell, as a reader pastes them into one terminal: the export
    # (which exports NEO4J_PASSWORD), then the query library through cypher-shell
    script = "".join(b.script for b in NEO4J)
    script = script.replace("bolt://localhost:7687", neo4j_db.uri).replace("'your password'", f"'{neo4j_db.password}'")
    result = _run(NEO4J[0], copy, script, env)
    assert result.returncode == 0, f"{', '.join(b.id for b in NEO4J)} failed:\n{script}\n--- stderr:\n{result.stderr[-3000:]}"
    assert "Exported " in result.stdout
    from graph.export import read_neo4j

    assert read_neo4j(neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password).number_of_edges() == graph.load().number_of_edges()


def test_python_blocks_run(copy: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook examples run in order, in the copy (graph.show, which needs Jupyter, is recorded instead)."""
    shown: list[Any] = []
    monkeypatch.chdir(copy["dir"])
    monkeypatch.setenv("XDG_CACHE_HOME", copy["env"]["XDG_CACHE_HOME"])
    monkeypatch.setattr(graph, "show", lambda G, **kw: shown.append(G))
    namespace: dict[str, Any] = {}
    for b in (b for b in ALL if b.lang == "python"):
        exec(compile(b.body, b.id, "exec"), namespace)  # our own README
    assert len(shown) == 1 and "conviasa" in shown[0]
    assert (copy["dir"] / "cubamed.gexf").exists()


def test_adding_a_fact_adds_a_fact_the_data_does_not_have(tmp_path: Path) -> None:
    """The 'Adding a fact' example, pasted into a copy of data/, validates and adds one new relation."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Adding a fact") : text.index("## Your own data")]
    fact, entities = [b.body for b in blocks(section) if b.lang == "yaml"]
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "facts" / "readme-example.yaml").write_text(fact, encoding="utf-8")
    for line in entities.splitlines():
        target = re.search(r"# in (data/\S+)", line)
        assert target, line
        path = tmp_path / target.group(1)
        path.write_text(path.read_text(encoding="utf-8") + line.split("#")[0].rstrip() + "\n", encoding="utf-8")
    before = graph.load()
    after = graph.load(data)
    assert after.number_of_edges() == before.number_of_edges() + 1
    (new,) = [(u, v, d["type"]) for u, v, k, d in after.edges(keys=True, data=True) if not before.has_edge(u, v, k)]
    assert not any(before.has_edge(new[0], new[1], k) for k in after[new[0]][new[1]] if before.has_node(new[0]))
    assert new == ("michael-voss", "bbc-news", "AFFILIATED_WITH")
