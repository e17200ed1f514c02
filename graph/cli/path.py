"""path: how two entities are connected (the shortest paths, direction ignored)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from . import main
from .common import pass_project

if TYPE_CHECKING:
    from ..project import Project


@main.command("path")
@click.argument("a")
@click.argument("b")
@click.option("--max", "limit", type=click.IntRange(min=1), default=20, show_default=True, help="Most paths to list.")
@pass_project
def path_cmd(project: Project, a: str, b: str, limit: int) -> None:
    """Show how two entities (ids, names or aliases) are connected: every shortest path between
    them, direction ignored, each step with its relations, figures, source and evidence.

    The explorer's Path box and graph.paths(G, a, b) give the same paths.

    \b
    Example:
      cubamed path Conviasa "Cuban Medical Professional Parole program"
      cubamed path ELAM "St. Lucia" --max 5
    """
    from ..connections import describe_paths, paths

    G = project.load()
    found = paths(G, a, b, limit=limit + 1)
    if not found:
        click.echo(f"No path connects {a!r} and {b!r}: they are in parts of the graph that no relation joins.")
        return
    for line in describe_paths(G, found[:limit], more=len(found) > limit):
        click.echo(line)
