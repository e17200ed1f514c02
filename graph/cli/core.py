"""build, validate, stats, show, conflicts: each parses options, calls the library, prints."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import main

if TYPE_CHECKING:  # the library and rich are imported by the commands that run, so that --help stays light
    import networkx as nx
    from rich.console import Console
    from rich.table import Table

#: Qualifiers printed beside a claim besides the schema's figures.
_QUALIFIERS = ("role", "amount_period", "unit", "status", "claimed_by")

data_option = click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Data file or folder (repeatable; CSV and YAML merge). Default: the project's data/.",
)
schema_option = click.option("--schema", type=click.Path(path_type=Path), default=None, help="Schema file. Default: data/schema.yaml.")


def _console() -> Console:
    from rich.console import Console

    return Console(width=max(100, Console().width), soft_wrap=True)


def _summary_table(G: nx.MultiDiGraph) -> Table:
    from rich.table import Table

    from ..explore import summary

    s = summary(G)
    table = Table(title=f"cubamed graph: {G.number_of_nodes()} entities, {G.number_of_edges()} relationships")
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in sorted(s["labels"].items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row("label", label, str(n))
    for rtype, n in sorted(s["types"].items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row("relationship", rtype, str(n))
    table.add_row("marker", "Sanctioned", str(sum(s["sanctioned"].values())))
    return table


@main.command()
@data_option
@schema_option
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("build/cubamed.html"),
    show_default=True,
    help="Where to write the HTML explorer.",
)
def build(data: tuple[Path, ...], schema: Path | None, html_path: Path) -> None:
    """Load and validate the data, build the graph, print a summary and write the HTML explorer.

    Nothing is written when the data has problems.

    \b
    Example:
      cubamed build
      cubamed build --data data --data my/nodes.csv --data my/edges.csv --html mine.html
    """
    from ..build import load
    from .html import write_page

    G = load(*data, schema=schema)
    _console().print(_summary_table(G))
    write_page(G, html_path)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@schema_option
def validate(paths: tuple[Path, ...], schema: Path | None) -> None:
    """Check data files or folders against the schema; report every problem at once.

    \b
    Example:
      cubamed validate data/
      cubamed validate data/ my/nodes.csv my/edges.csv
    """
    from ..build import load

    G = load(*paths, schema=schema)
    click.echo(f"OK: {G.number_of_nodes()} entities and {G.number_of_edges()} relationships are valid.")


@main.command()
@data_option
@click.option("--markdown", is_flag=True, help="Print Markdown tables (as in the README).")
def stats(data: tuple[Path, ...], markdown: bool) -> None:
    """Print entities per label and relationships per type.

    \b
    Example:
      cubamed stats
      cubamed stats --markdown
    """
    from ..build import load
    from ..docs import generate_counts

    G = load(*data)
    if markdown:
        click.echo(generate_counts(G), nl=False)
    else:
        _console().print(_summary_table(G))


@main.command()
@schema_option
def schema(schema: Path | None) -> None:
    """Print the data dictionary (labels, properties, relationship types) as Markdown.

    \b
    Example:
      cubamed schema > data-dictionary.md
    """
    from ..docs import generate_data_dictionary
    from ..schema import load_schema

    click.echo(generate_data_dictionary(load_schema(schema)), nl=False)


def _figures(d: Mapping[Any, Any]) -> str:
    from ..schema import load_schema

    keys = (*load_schema().figures, *_QUALIFIERS)
    return ", ".join(f"{k}={_number(d[k])}" for k in keys if k in d and d[k] == d[k] and d[k] is not None)


def _number(v: Any) -> Any:
    """DataFrame columns with gaps hold whole numbers as floats; print 140, not 140.0."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


@main.command()
@click.argument("name")
@data_option
def show(name: str, data: tuple[Path, ...]) -> None:
    """Show one entity (by id, name or alias) and its relations both ways, with sources.

    \b
    Example:
      cubamed show "St. Lucia"
      cubamed show conviasa
    """
    from ..build import load
    from ..explore import relations, resolve

    G = load(*data)
    node = resolve(G, name)
    d = G.nodes[node]
    console = _console()
    console.print(f"[bold]{d.get('name')}[/bold] ({d['label']}, id: {node})", highlight=False)
    extra = {k: v for k, v in d.items() if k not in {"label", "name"}}
    for k, v in extra.items():
        console.print(f"  {k}: {', '.join(v) if isinstance(v, list) else v}", highlight=False, markup=False)
    rel = relations(G, node)
    console.print(f"\n{len(rel)} relations:", highlight=False)
    for r in rel.to_dict("records"):
        other = f"{r['other_name']} ({r['other']})"
        if r["direction"] == "out":
            head = f"-[{r['type']}]-> {other}"
        elif r["direction"] == "in":
            head = f"<-[{r['type']}]- {other}"
        else:  # a relation between others that names this entity as its program, event or claimant
            arrow = f" -[{r['type']}]-> "
            head = f"as {r['direction']} of: {r['other_name'].replace(' -> ', arrow)}"
        _print_claim(console, head, r)


def _print_claim(console: Console, head: str, r: Mapping[Any, Any]) -> None:
    console.print(f"  {head}   {_figures(r)}", highlight=False, markup=False)
    console.print(f"      source: {r['source_title']} ({r['locator']})", highlight=False, markup=False)
    console.print(f"      evidence: {r['evidence']}", highlight=False, markup=False)


@main.command("conflicts")
@data_option
def conflicts_cmd(data: tuple[Path, ...]) -> None:
    """List the claims that disagree (figures, years), each with its own source.

    \b
    Example:
      cubamed conflicts
    """
    from ..build import load
    from ..explore import conflicts
    from ..schema import load_schema

    G = load(*data)
    c = conflicts(G, schema=load_schema())
    console = _console()
    console.print(f"{c['group'].nunique() if len(c) else 0} groups of conflicting claims", highlight=False)
    for group, rows in c.groupby("group", sort=True) if len(c) else []:
        first = rows.iloc[0]
        title = f"claim {first['claim']}" if first["claim"] else f"{first['from_name']} -[{first['type']}]-> {first['to_name']}"
        console.print(f"\n#{group} {title}", highlight=False, markup=False)
        for r in rows.to_dict("records"):
            head = f"{r['from_name']} -[{r['type']}]-> {r['to_name']}" if first["claim"] else "claim:"
            _print_claim(console, head, r)
