"""Writing files so that nothing half-written is ever left behind."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import ExportError

__all__ = ["write_generated", "write_text_atomic"]


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


def write_generated(target: str | Path, chunks: Iterator[str], *, what: str, encoding: str = "utf-8") -> Path:
    """Write what a ``generate_*`` function yields to `target`, atomically.

    The first chunk is produced before the file is opened, so a graph the generator refuses
    (it checks the whole graph before yielding) leaves no file at all; a failure later leaves
    `target` as it was. A file system error becomes an `ExportError` naming `what` was written.
    """
    path = Path(target)
    first = next(chunks)
    try:
        write_text_atomic(path, itertools.chain([first], chunks), encoding=encoding)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write the {what} ({exc.strerror}); choose another path") from exc
    return path
