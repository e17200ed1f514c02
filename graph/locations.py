"""Where the project's data lives. Nothing is read here; these only compute paths."""

from __future__ import annotations

from pathlib import Path

__all__ = ["cypher_dir", "data_dir", "default_schema_path"]

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


def data_dir() -> Path:
    """The curated data: `data/` of the checkout, or the copy packed into the wheel."""
    return _first_existing(_PACKAGE.parent / "data", _PACKAGE / "_data")


def cypher_dir() -> Path:
    """The Cypher files: `cypher/` of the checkout, or the copy packed into the wheel."""
    return _first_existing(_PACKAGE.parent / "cypher", _PACKAGE / "_cypher")


def default_schema_path() -> Path:
    return data_dir() / "schema.yaml"
