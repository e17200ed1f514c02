"""Writers leave either the whole new file or the old one, never half of one."""

from __future__ import annotations

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
