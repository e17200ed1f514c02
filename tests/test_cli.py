"""The command line: thin commands, `Error: ...` with exit 1 on bad input, exit 2 on bad usage."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from graph.cli import main

from .conftest import FIXTURES

MINI = str(FIXTURES / "mini")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_prints_the_summary_and_writes_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default --html is relative: build/cubamed.html, here under tmp_path
    result = run("build", "--data", MINI)
    assert result.exit_code == 0, result.output
    assert "13 entities, 8" in result.output and "relationships" in result.output
    assert "│ relationship │ DEPLOYED_TO │      4 │" in result.output
    assert (tmp_path / "build" / "cubamed.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_validate_reports_every_problem_and_exits_1() -> None:
    result = run("validate", MINI, str(FIXTURES / "bad" / "several-problems"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: 3 problems found; nothing was built:\n")
    assert "Traceback" not in result.output


def test_validate_ok() -> None:
    result = run("validate", MINI)
    assert (result.exit_code, result.output) == (0, "OK: 13 entities and 8 relationships are valid.\n")


def test_show_finds_by_alias_and_lists_relations_with_sources() -> None:
    result = run("show", "St. Lucia", "--data", MINI)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Saint Lucia (State, id: saint-lucia)\n")
    assert "<-[DEPLOYED_TO]- Cuba" in result.output and "count=113, year=2020" in result.output
    assert "A news article (para. 8)" in result.output


def test_show_unknown_name_is_an_error_not_a_traceback() -> None:
    result = run("show", "Atlantis", "--data", MINI)
    assert result.exit_code == 1
    assert result.output == "Error: no entity is named 'Atlantis'; try a part of the name, or `cubamed stats` to list the labels\n"


def test_conflicts_lists_each_claim_with_its_source() -> None:
    result = run("conflicts", "--data", MINI)
    assert result.exit_code == 0
    assert "1 groups of conflicting claims" in result.output
    assert "count=150" in result.output and "count=140" in result.output


def test_usage_errors_exit_2() -> None:
    assert run("show").exit_code == 2
    assert run("no-such-command").exit_code == 2


@pytest.mark.parametrize("path", [pytest.param(p, id=" ".join(p) or "cubamed") for p, _ in [((), main), *_commands(main)]])
def test_every_command_is_documented_with_an_example(path: tuple[str, ...]) -> None:
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output, f"`cubamed {' '.join(path)} --help` has no example"


@pytest.mark.parametrize("path", [pytest.param(p, id=" ".join(p) or "cubamed") for p, _ in [((), main), *_commands(main)]])
def test_no_help_example_puts_a_parameter_in_double_quotes(path: tuple[str, ...]) -> None:
    """A `$name` inside double quotes is emptied by the shell before cubamed sees it."""
    import re

    help_text = run(*path, "--help").output
    assert not re.search(r'"[^"\n]*\$[A-Za-z_]\w*[^"\n]*"', help_text), f"`cubamed {' '.join(path)} --help`: use single quotes around $parameters"


def test_the_export_batch_size_default_is_the_exporters() -> None:
    from graph.cli.export import DEFAULT_BATCH_SIZE
    from graph.export.neo4j import DEFAULT_BATCH_SIZE as EXPORTER

    assert DEFAULT_BATCH_SIZE == EXPORTER
