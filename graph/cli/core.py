"""build, validate, stats, show, conflicts, schema: each parses options, calls the library, prints."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import main
from .common import console, pass_project, schema_option

if TYPE_CHECKING:
    import networkx as nx
    from rich.console import Console
    from rich.table import Table

    from ..model import Model
    from ..project import Project


def _summary_table(G: nx.MultiDiGraph, model: Model) -> Table:
    from rich.table import Table

    from ..explore import summary

    s = summary(G, schema=model.schema)
    table = Table(title=f"cubamed graph: {G.number_of_nodes()} entities, {G.number_of_edges()} relationships")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("number", justify="right")
    for label, n in sorted(s["labels"].items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row("label", label, str(n))
    for rtype, n in sorted(s["types"].items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row("relationship", rtype, str(n))
    if model.sanctioned:
        table.add_row("marker", model.sanctioned_label, str(sum(s["sanctioned"].values())))
    return table


@main.command()
@pass_project
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("build/cubamed.html"),
    show_default=True,
    help="Where to write the HTML explorer.",
)
def build(project: Project, html_path: Path) -> None:
    """Load and validate the data, build the graph, print a summary and write the HTML explorer.

    Nothing is written when the data has problems.

    \b
    Example:
      cubamed build
      cubamed build --data data --data examples/nodes.csv --data examples/edges.csv --html mine.html
    """
    from .html import write_page

    G = project.load()
    console().print(_summary_table(G, project.model))
    _notes(G)
    write_page(G, html_path, schema=project.schema)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@schema_option
def validate(paths: tuple[Path, ...], schema: Path | None) -> None:
    """Check data files or folders against the schema; report every problem at once.

    \b
    Example:
      cubamed validate data/
      cubamed validate data/ examples/nodes.csv examples/edges.csv
    """
    from .common import current_project

    G = current_project().with_options(data=paths, schema=schema).load()
    click.echo(f"OK: {G.number_of_nodes()} entities and {G.number_of_edges()} relationships are valid.")
    _notes(G)


@main.command()
@pass_project
@click.option("--markdown", is_flag=True, help="Print Markdown tables (as in the README).")
def stats(project: Project, markdown: bool) -> None:
    """Print entities per label and relationships per type.

    \b
    Example:
      cubamed stats
      cubamed stats --markdown
    """
    from ..docs import generate_counts

    G = project.load()
    if markdown:
        click.echo(generate_counts(G, project.schema), nl=False)
    else:
        console().print(_summary_table(G, project.model))


@main.command()
@schema_option
def schema(schema: Path | None) -> None:
    """Print the data dictionary (labels, properties, relationship types) as Markdown.

    \b
    Example:
      cubamed schema > data-dictionary.md
    """
    from ..docs import generate_data_dictionary
    from .common import current_project

    click.echo(generate_data_dictionary(current_project().with_options(schema=schema).schema), nl=False)


def _notes(G: nx.MultiDiGraph) -> None:
    """What the FollowTheMoney reader left out or merged (unmapped schemata, ...), on stderr."""
    for line in str(G.graph.get("notes", "")).splitlines():
        click.echo(f"Note: {line}", err=True)


def _figures(model: Model, d: Mapping[str, Any]) -> str:
    keys = (*model.figures, *model.qualifiers)
    return ", ".join(f"{k}={model.text(d[k])}" for k in keys if k in d)


@main.command()
@click.argument("name")
@pass_project
def show(project: Project, name: str) -> None:
    """Show one entity (by id, name or alias) and its relations both ways, with sources.

    \b
    Example:
      cubamed show "St. Lucia"
      cubamed show conviasa
    """
    from ..explore import relation_rows, resolve
    from ..model import LABEL

    G = project.load()
    model = project.model
    node = resolve(G, name)
    d = G.nodes[node]
    out = console()
    out.print(f"[bold]{model.name_of(node, d)}[/bold] ({d[LABEL]}, id: {node})", highlight=False)
    for k, v in d.items():
        if k not in {LABEL, model.name}:
            out.print(f"  {k}: {model.text(v)}", highlight=False, markup=False)
    rows = relation_rows(G, node)
    out.print(f"\n{len(rows)} relations:", highlight=False)
    for r in rows:
        other = f"{r['other_name']} ({r['other']})"
        if r["direction"] == "out":
            head = f"-[{r['type']}]-> {other}"
        elif r["direction"] == "in":
            head = f"<-[{r['type']}]- {other}"
        else:  # a relation between others that names this entity as its program, event or claimant
            arrow = f" -[{r['type']}]-> "
            head = f"as {r['direction']} of: {r['other_name'].replace(' -> ', arrow)}"
        _print_claim(out, model, head, r)


def _print_claim(out: Console, model: Model, head: str, r: Mapping[str, Any]) -> None:
    out.print(f"  {head}   {_figures(model, r)}", highlight=False, markup=False)
    where = f" ({r[model.locator]})" if model.locator and model.locator in r else ""
    if "source_title" in r or where:
        out.print(f"      source: {r.get('source_title', '')}{where}", highlight=False, markup=False)
    if model.evidence and model.evidence in r:
        out.print(f"      evidence: {r[model.evidence]}", highlight=False, markup=False)


@main.command("conflicts")
@pass_project
def conflicts_cmd(project: Project) -> None:
    """List the claims that disagree (figures, years), each with its own source.

    \b
    Example:
      cubamed conflicts
    """
    from ..explore import conflict_rows

    G = project.load()
    model = project.model
    rows = conflict_rows(G)
    groups: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
    out = console()
    out.print(f"{len(groups)} groups of conflicting claims", highlight=False)
    for group, claims in groups.items():
        first = claims[0]
        title = f"claim {first['claim']}" if first["claim"] else f"{first['from_name']} -[{first['type']}]-> {first['to_name']}"
        out.print(f"\n#{group} {title}", highlight=False, markup=False)
        for r in claims:
            head = f"{r['from_name']} -[{r['type']}]-> {r['to_name']}" if first["claim"] else "claim:"
            _print_claim(out, model, head, r)
