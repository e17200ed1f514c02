"""The session check of tests/conftest.py: a test that changes the user's files fails the run."""

from __future__ import annotations

from pathlib import Path

from .conftest import changed_files, snapshot


def test_snapshot_sees_a_changed_added_or_removed_file_in_a_watched_folder(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "cubamed.html").write_text("the user's page")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.yaml").write_text("facts: []")
    (tmp_path / "elsewhere.txt").write_text("not watched, not tracked")
    before = snapshot(tmp_path)
    assert sorted(before) == ["build/cubamed.html", "data/facts.yaml"]  # no git here: only the watched folders
    assert changed_files(before, snapshot(tmp_path)) == []
    (tmp_path / "build" / "cubamed.html").write_text("the 13-entity test graph")
    (tmp_path / "data" / "facts.yaml").unlink()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "screenshot.png").write_bytes(b"\x89PNG")
    (tmp_path / "elsewhere.txt").write_text("changed")
    assert changed_files(before, snapshot(tmp_path)) == ["build/cubamed.html", "data/facts.yaml", "docs/screenshot.png"]


def test_the_project_snapshot_covers_tracked_files_when_git_is_there() -> None:
    state = snapshot()
    assert "data/schema.yaml" in state
    if "(git status)" in state:  # git is installed and this is a clone: tracked files are hashed too
        assert "graph/read.py" in state and "pyproject.toml" in state
