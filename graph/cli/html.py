"""html: write the interactive explorer page (one offline HTML file)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import networkx as nx

from ..html import EmptyViewWarning, ReducedViewWarning, write_html
from . import main
from .common import pass_project

if TYPE_CHECKING:
    from ..project import Project


def _names(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> list[str] | None:
    """Repeatable and comma-separated: --labels State,Program --labels Person."""
    names = [v.strip() for item in value for v in item.split(",") if v.strip()]
    return names or None


def _years(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", value)
    if not m:
        raise click.BadParameter(f"{value!r} is not a year range; write FIRST-LAST, e.g. 1998-2010, or one year, e.g. 2020")
    lo, hi = int(m[1]), int(m[2] or m[1])
    if lo > hi:
        raise click.BadParameter(f"{value!r} ends before it starts; write FIRST-LAST, e.g. 1998-2010")
    return lo, hi


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--focus", metavar="NAME", help="Only what lies around this entity (id, name or alias).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True, help="Hops around --focus.")
@click.option("--labels", multiple=True, callback=_names, metavar="LABEL[,LABEL]", help="Only entities of these labels (repeatable).")
@click.option("--types", multiple=True, callback=_names, metavar="TYPE[,TYPE]", help="Only relations of these types (repeatable).")
@click.option("--years", callback=_years, metavar="FIRST-LAST", help="Only relations that hold in these years (those without a year stay).")
@click.option(
    "--sources",
    "include_sources",
    is_flag=True,
    help="Also draw the source documents, as labelled boxes; a click lists what each one supports.",
)
@pass_project
def html(
    project: Project,
    file: Path,
    focus: str | None,
    depth: int,
    labels: list[str] | None,
    types: list[str] | None,
    years: tuple[int, int] | None,
    include_sources: bool,
) -> None:
    """Write the interactive explorer: one HTML file that works offline.

    Search, a legend that filters by label and relation family or type, a year range, the
    shortest paths between two entities, and a details panel with every relation's figures,
    evidence and citation. The view (selection, filters, years, zoom) lives in the page's URL, so a
    copied link reopens it; a button saves it as PNG. Beyond 2,000 entities the page draws the most
    connected ones (and says so); its search still finds every entity. Filters that leave nothing
    give a warning; FILE's folder must exist.

    \b
    Example:
      cubamed html cubamed.html
      cubamed html lucia.html --focus "St. Lucia" --depth 2
      cubamed html missions.html --types DEPLOYED_TO,TRAINED --years 1998-2010
    """
    from ..project import ViewOptions

    check_folder(file, "FILE")
    labels_, types_ = (tuple(labels) if labels else None), (tuple(types) if types else None)
    view = ViewOptions(focus=focus, depth=depth, labels=labels_, types=types_, years=years, include_sources=include_sources)
    write_page(project.load(), file, schema=project.schema, **view.options())


def check_folder(file: Path, name: str) -> None:
    """Refuse a page in a folder that does not exist (a mistyped path), before any work is done."""
    folder = file.parent
    if not folder.is_dir():
        raise click.BadParameter(
            f"the folder {str(folder)!r} does not exist; create it first (mkdir -p {folder}) or choose another path", param_hint=name
        )


def write_page(G: nx.MultiDiGraph, file: Path, **options: Any) -> Path:
    """`write_html`, with a reduced or empty view's warning printed as `Warning: ...` and where the page went."""
    made = not file.parent.is_dir()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReducedViewWarning)
        warnings.simplefilter("always", EmptyViewWarning)
        path = write_html(G, file, **options)
    for w in caught:
        if issubclass(w.category, (ReducedViewWarning, EmptyViewWarning)):
            click.echo(f"Warning: {w.message}", err=True)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if made:
        click.echo(f"Created the folder {path.parent} for the page.", err=True)
    click.echo(f"Wrote {path} ({path.stat().st_size / 1e6:.1f} MB). Open it in a browser; it needs no network.", err=True)
    return path
