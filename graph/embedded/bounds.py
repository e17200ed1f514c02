"""Bounds on an embedded query: a timeout and a memory limit, and the errors that say how to stay inside them.

The engine enforces both: the timeout through the connection (``set_query_timeout``; the query
is interrupted), the memory limit as the size of the database's buffer pool (what a query cannot
allocate there makes it fail). Without them a pattern such as ``MATCH p=(a)-[*1..4]-(b)`` on the
154-node graph ran for minutes and passed 4 GB.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import QueryError

__all__ = ["DEFAULT_MAX_MEMORY", "DEFAULT_TIMEOUT", "bound_error", "buffer_pool_size", "set_timeout", "timeout_ms"]

DEFAULT_TIMEOUT = 60.0
"""Seconds a query may run (None or 0: no limit)."""
DEFAULT_MAX_MEMORY = 2048
"""Megabytes the engine may use for a database, its data pages and its queries (None or 0: the engine's default, ~80% of RAM)."""

_ADVICE = "bound the pattern (a variable-length [*1..3] rather than [*] or [*1..6]), start from fewer nodes, or add LIMIT"


def timeout_ms(seconds: float | None) -> int:
    """The engine's timeout (milliseconds; 0 = none) for `seconds` (None or 0: none)."""
    if seconds is not None and seconds < 0:
        raise QueryError(f"timeout must be 0 (none) or more seconds, not {seconds}")
    return round(seconds * 1000) if seconds else 0


def set_timeout(conn: Any, seconds: float | None) -> None:
    """Make the queries on engine connection `conn` stop after `seconds` (None or 0: never)."""
    conn.set_query_timeout(timeout_ms(seconds))


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows) or no such name
        return None


def buffer_pool_size(max_memory: int | None) -> int:
    """The engine's ``buffer_pool_size`` (bytes; 0 = its default) for a limit of `max_memory` megabytes."""
    if max_memory is not None and max_memory < 0:
        raise QueryError(f"max_memory must be 0 (the engine's default) or more megabytes, not {max_memory}")
    size = max_memory * 2**20 if max_memory else 0
    physical = _physical_memory()
    if physical is not None and size > physical:
        raise QueryError(
            f"max_memory {max_memory} MB is more than this machine's memory ({physical // 2**20} MB); give less (0: the engine's default)"
        )
    return size


def bound_error(exc: BaseException, *, timeout: float | None, max_memory: int | None, seconds: float) -> QueryError | None:
    """The `QueryError` for an engine error that means a bound was hit (after `seconds`), or None for any other error."""
    text = str(exc)
    if "buffer pool is full" in text:
        limit = f"the memory limit ({max_memory} MB)" if max_memory else "the engine's memory"
        return QueryError(
            f"the query needed more than {limit} and was stopped after {seconds:.1f} s; {_ADVICE}; "
            "or raise the limit with --max-memory MB (max_memory= in Python)"
        )
    if text.strip().rstrip(".") == "Interrupted" and timeout and seconds >= timeout * 0.9:
        return QueryError(
            f"the query ran longer than the timeout ({timeout:g} s) and was stopped; {_ADVICE}; "
            "or raise the timeout with --timeout SECONDS (timeout= in Python; 0 for none)"
        )
    return None
