"""The `cubamed` command line: thin commands over the library, one error boundary.

Library errors (`CubamedError`) become `Error: ...` and exit code 1; usage errors exit 2;
a traceback means a bug.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import CubamedError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CubamedError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--data", "data", multiple=True, type=click.Path(path_type=Path), help="Data file or folder for every command (repeatable).")
@click.option("--schema", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Schema file for every command.")
@click.version_option(package_name="cubamed")
@click.pass_context
def main(ctx: click.Context, data: tuple[Path, ...], schema: Path | None) -> None:
    """cubamed: the actors and relations of Cuban medical internationalism as a graph.

    --data and --schema given before the command hold for it (default: data/ and
    data/schema.yaml); a command's own --data and --schema win over them.

    \b
    Example:
      cubamed build              # validate data/, build the graph, print a summary
      cubamed show "St. Lucia"   # one entity and its relations, with sources
      cubamed --data my-data --schema my-schema.yaml stats
    """
    from ..project import Project

    ctx.obj = Project(data, schema=schema)


from . import core, export, html, match, path, query

__all__ = ["core", "export", "html", "main", "match", "path", "query"]
