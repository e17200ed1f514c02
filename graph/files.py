"""Writing files so that nothing half-written is ever left behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_text_atomic"]


def write_text_atomic(target: Path, chunks: Iterable[str], *, encoding: str = "utf-8") -> Path:
    """Write `chunks` to a temporary file beside `target`, then rename it into place.

    On any failure (including one raised while producing the chunks) the temporary file is removed
    and `target` is left as it was. OSError propagates for the caller to explain.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
