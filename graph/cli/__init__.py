"""The `cubamed` command line: thin commands over the library, one error boundary.

Library errors (`CubamedError`) become `Error: ...` and exit code 1; usage errors exit 2;
a traceback means a bug.
"""

from __future__ import annotations

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
@click.version_option(package_name="cubamed")
def main() -> None:
    """cubamed: the actors and relations of Cuban medical internationalism as a graph.

    \b
    Example:
      cubamed build              # validate data/, build the graph, print a summary
      cubamed show "St. Lucia"   # one entity and its relations, with sources
    """


from . import core, export, html, path, query

__all__ = ["core", "export", "html", "main", "path", "query"]
