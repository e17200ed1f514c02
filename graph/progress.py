"""Progress of long work: a bar on stderr when it is a terminal, nothing otherwise.

Library code reports through two small hooks and never decides where the report goes:

    from graph.progress import task, track

    for f in track(files, "Reading data files"):        # an iterable, counted as it is consumed
        ...
    with task("Exporting relationships", total=n) as advance:   # or explicit steps
        for chunk in chunks:
            ...
            advance(len(chunk))

Where it goes is the *reporter*: by default a `rich` progress bar on stderr (transient: it is
gone once the work ends) when stderr is a terminal, and nothing when it is not (a pipe, a log,
CI, a notebook). ``with reporting(callback): ...`` sends every step to ``callback(description,
completed, total)`` instead (tests use it; so can a notebook or another front end), and
``with reporting(None): ...`` silences everything.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

__all__ = ["Reporter", "reporting", "task", "track"]

T = TypeVar("T")

Reporter = Callable[[str, int, "int | None"], None]
"""Receives (description, steps completed so far, total steps or None) after each step."""

_DEFAULT: Any = object()
_REPORTER: ContextVar[Any] = ContextVar("cubamed_progress_reporter", default=_DEFAULT)


@contextlib.contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Within the block, send progress to `reporter` (None: report nothing)."""
    token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(token)


@contextlib.contextmanager
def _rich_bar(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        handle = bar.add_task(description, total=total)
        yield lambda n: bar.advance(handle, n)


@contextlib.contextmanager
def task(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A unit of long work; the block gets ``advance(n)`` to call after each `n` steps."""
    reporter = _REPORTER.get()
    if reporter is _DEFAULT:
        if sys.stderr is not None and sys.stderr.isatty():
            with _rich_bar(description, total) as bar_advance:
                yield bar_advance
        else:
            yield lambda n: None
        return
    if reporter is None:
        yield lambda n: None
        return
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        reporter(description, done, total)

    reporter(description, 0, total)
    yield advance


def track(items: Iterable[T], description: str, *, total: int | None = None) -> Iterator[T]:
    """Yield `items`, one step each (total: `len(items)` when it has one)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with task(description, total) as advance:
        for item in items:
            yield item
            advance(1)
