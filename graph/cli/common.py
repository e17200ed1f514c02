"""What the commands share: the project context, the terminal console and the Neo4j password.

The project context (`graph.project.Project`) is made once by the group from
``cubamed --data D --schema S.yaml COMMAND``; each command that reads data also takes its own
``--data`` and ``--schema``, which win over the group's. Nothing heavy is imported here.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from ..project import Project

__all__ = ["DATA_HELP", "SCHEMA_HELP", "console", "data_option", "neo4j_password", "pass_project", "schema_option"]

F = TypeVar("F", bound=Callable[..., Any])

DATA_HELP = "Data file or folder (repeatable; YAML, CSV and FollowTheMoney .json/.jsonl[.gz] merge). Default: the project's data/."
SCHEMA_HELP = "Schema file. Default: data/schema.yaml."

data_option = click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), help=DATA_HELP)
schema_option = click.option("--schema", type=click.Path(dir_okay=False, path_type=Path), default=None, help=SCHEMA_HELP)


def current_project() -> Project:
    """The project the group made (``cubamed --data ... --schema ...``), or the default one."""
    from ..project import Project

    found = click.get_current_context().find_object(Project)
    return found if found is not None else Project()


def pass_project(f: F) -> F:
    """Give the command its own ``--data``/``--schema`` and call it with the project as first argument."""

    @functools.wraps(f)
    def run(*args: Any, data: tuple[Path, ...] = (), schema: Path | None = None, **kwargs: Any) -> Any:
        return f(current_project().with_options(data=data, schema=schema), *args, **kwargs)

    return data_option(schema_option(run))  # type: ignore[return-value]


def console() -> Console:
    """A console at least 100 columns wide, so that tables do not fold in narrow terminals or pipes."""
    from rich.console import Console

    return Console(width=max(100, Console().width), soft_wrap=True)


def neo4j_password(user: str) -> str:
    """The Neo4j password: NEO4J_PASSWORD, or else a prompt that does not echo it."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        password = click.prompt(f"Password for {user}", hide_input=True, default="", show_default=False)
    return password
