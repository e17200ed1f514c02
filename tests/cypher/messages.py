"""The exact text of every error the embedded engine gives a corpus query: tests/cypher/messages.txt.

    python -m tests.cypher.messages     # rewrite the file from the current code (no server needed)

A refusal or a syntax error is text we write for the analyst: what is refused, the query quoted
as written with a caret under the construct, and what to write instead. The recorded corpus
(test_recorded.py) judges the outcome against Neo4j's answer, and a refusal only by its construct
and hint; this file holds every message whole, so that a changed word, hint or caret fails a test.
There is no oracle for our own words: the file is the reviewed text. Rewrite it only when a message
is meant to change (`python -m tests.cypher.record` rewrites it too) and read the diff before
committing: each block is one message, under the corpus id of the query that gets it.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from .corpus import Entry, load_corpus

__all__ = ["MESSAGES_FILE", "STALE", "dump_messages", "load_messages", "message_of", "on_each_entry", "write_messages"]

MESSAGES_FILE = Path(__file__).parent / "messages.txt"
STALE = "tests/cypher/messages.txt is stale: if the message is meant to change, run `python -m tests.cypher.messages` and review the diff"
_HEADER = re.compile(r"^=== (\S+)\n", re.M)
_PREAMBLE = "The embedded engine's message for each corpus query it refuses (written by `python -m tests.cypher.messages`).\n"

T = TypeVar("T")


def message_of(error: BaseException | None) -> str | None:
    """The text the analyst reads for an embedded error (None: no error, or not one of ours)."""
    from graph.errors import QueryError

    return str(error) if isinstance(error, QueryError) else None


def load_messages(path: Path = MESSAGES_FILE) -> dict[str, str]:
    """Corpus id → message, as the file holds them (empty when the file does not exist yet)."""
    if not path.exists():
        return {}
    parts = _HEADER.split(path.read_text(encoding="utf-8"))
    # parts: the preamble, then id, block, id, block ...; each block ends with the newline that
    # follows its message
    return {key: block[:-1] for key, block in zip(parts[1::2], parts[2::2], strict=True)}


def dump_messages(messages: Mapping[str, str]) -> str:
    for key, text in messages.items():
        if _HEADER.search(text):
            raise ValueError(f"the message of {key} holds a line that reads as a block's header: {text!r}")
    return _PREAMBLE + "".join(f"=== {key}\n{text}\n" for key, text in messages.items())


def on_each_entry(cache: Path, entries: list[Entry], run: Callable[[Any, Entry], T]) -> dict[str, tuple[Entry, T]]:
    """`run(db, entry)` for every entry, on the embedded database cached in `cache`, opened once;
    writes and file access (the `refusals` topic) on a copy of it each, as in the corpus test (a
    write that gets through would change it)."""
    import shutil

    from graph.embedded import open_database
    from graph.locations import data_dir

    out = {}
    with open_database(paths=[data_dir()], cache_dir=cache) as db:
        for entry in entries:
            if entry.topic != "refusals":
                out[entry.id] = (entry, run(db, entry))
                continue
            with tempfile.TemporaryDirectory() as tmp:
                copy = shutil.copytree(cache, Path(tmp) / "cache")
                with open_database(paths=[data_dir()], cache_dir=copy) as scratch:
                    out[entry.id] = (entry, run(scratch, entry))
    return out


def write_messages(errors: Mapping[str, BaseException | None], path: Path = MESSAGES_FILE) -> int:
    """Write the message of each corpus query's error (those that are ours) to `path`; how many."""
    messages = {key: text for key, error in errors.items() if (text := message_of(error)) is not None}
    path.write_text(dump_messages(messages), encoding="utf-8")
    return len(messages)


def main(argv: list[str] | None = None) -> int:
    from graph.embedded import cached_database
    from graph.locations import data_dir

    from .oracle import embedded_answer

    if argv:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        cached_database([data_dir()], cache_dir=cache)
        errors = on_each_entry(cache, load_corpus(), lambda db, e: embedded_answer(db, e.query, e.params).error)
    written = write_messages({key: error for key, (_, error) in errors.items()})
    print(f"{written} messages written to {MESSAGES_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
