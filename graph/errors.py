"""The one exception family of cubamed.

The library raises these; only the CLI turns them into exit codes. Every message names the
file, the line or record, and what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_SHOWN_PROBLEMS",
    "CubamedError",
    "EntityNotFound",
    "ExportError",
    "ModelError",
    "Problem",
    "QueryError",
    "QueryRefused",
    "SchemaError",
    "ValidationError",
    "shown",
]

#: How many problems a ValidationError's message lists (all of them stay in `problems`).
MAX_SHOWN_PROBLEMS = 200
#: How many characters of a value a message quotes.
MAX_SHOWN_CHARS = 80


def shown(value: Any) -> str:
    """A value as a message quotes it: text in quotes, anything else as written, cut to a readable length.

    >>> shown("cuba"), shown(2200), shown("x" * 100)[-22:]
    ("'cuba'", '2200', "xxx…' (100 characters)")
    """
    text = repr(value) if isinstance(value, (str, list, dict)) else str(value)
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    size = f"{len(value)} {'characters' if isinstance(value, str) else 'items'}" if isinstance(value, (str, list, dict)) else "cut"
    return f"{text[: MAX_SHOWN_CHARS - 1]}…{text[-1] if isinstance(value, str) else ''} ({size})"


class CubamedError(Exception):
    """Base class of every error cubamed raises on purpose."""


class SchemaError(CubamedError):
    """The schema file itself is missing or malformed."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input: where it is, which record, what is wrong and what to do."""

    file: str
    line: int
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.record}: {self.message}" if self.record else f"{where}: {self.message}"


class ValidationError(CubamedError):
    """The input has one or more problems; nothing was built.

    `problems` holds all of them, in file and line order, so one run reports everything.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found; nothing was built:"
        lines = [head, *(f"  {p}" for p in self.problems[:MAX_SHOWN_PROBLEMS])]
        if n > MAX_SHOWN_PROBLEMS:
            lines.append(f"  ... and {n - MAX_SHOWN_PROBLEMS} more; fix these first, or validate one file at a time")
        super().__init__("\n".join(lines))


class ModelError(CubamedError):
    """A graph does not fit the schema a target was given: an undeclared label, a relationship the
    schema does not allow, a value of the wrong type, an attribute with a reserved name.

    `problems` holds all of them, so one run reports everything; nothing was written or built.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.record, p.message))
        n = len(self.problems)
        head = f"the graph does not fit the schema ({n} problem{'s' if n != 1 else ''}); nothing was done:"
        super().__init__("\n".join([head, *(f"  {p.record}: {p.message}" for p in self.problems)]))


class EntityNotFound(CubamedError, LookupError):
    """No entity has that id, name or alias."""


class ExportError(CubamedError):
    """An export could not be written: the server, the credentials, the database or the file."""


class QueryError(CubamedError):
    """A Cypher query was refused (it writes) or the engine rejected it; the message carries a hint."""


class QueryRefused(QueryError):
    """A construct of a Cypher query that the embedded engine will not run as Neo4j would.

    `construct` is a stable name (docs/cypher-dialect.md lists them) and `hint` what to write
    instead; the message quotes the query as written, with a caret under the construct.
    """

    def __init__(self, message: str, *, construct: str, hint: str) -> None:
        super().__init__(message)
        self.construct, self.hint = construct, hint
