"""Writers leave either the whole new file or the old one, never half of one."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.files import write_text_atomic


def test_writes_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "page.html"
    assert write_text_atomic(target, ["<!doctype html>", "\n", "é"]) == target
    assert target.read_text(encoding="utf-8") == "<!doctype html>\né"
    assert [p.name for p in target.parent.iterdir()] == ["page.html"]


def test_failure_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "script.cypher"
    target.write_text("old", encoding="utf-8")

    def chunks() -> Iterator[str]:
        yield "new part"
        raise RuntimeError("the generator failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        write_text_atomic(target, chunks())
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["script.cypher"]


def test_the_written_file_is_readable_by_everyone_whatever_the_umask(tmp_path: Path) -> None:
    """0644 like any file the user saves (mkstemp alone would leave 0600: unreadable by a web server or a colleague)."""
    old = os.umask(0o077)
    try:
        target = write_text_atomic(tmp_path / "page.html", ["x"])
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
