"""query: run Cypher on the embedded engine (no server) or on a Neo4j server; print a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..embedded.bounds import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT  # light modules: no engine, no pandas
from ..embedded.results import node_ids, to_text
from . import main
from .common import console, pass_project

if TYPE_CHECKING:
    from ..project import Project


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value``: the value read as JSON when it parses (numbers, true/false/null, lists), else as text.

    >>> parse_param("y=2020"), parse_param("name=Cuba"), parse_param('ids=["cuba","jamaica"]')
    (('y', 2020), ('name', 'Cuba'), ('ids', ['cuba', 'jamaica']))
    """
    name, sep, raw = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise click.BadParameter(f"{text!r}: write NAME=VALUE, e.g. -p year=2020", param_hint="-p")
    too_deep = click.BadParameter(f"{name.strip()}: the value nests more than {MAX_PARAM_DEPTH} deep; pass a flatter one", param_hint="-p")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise too_deep from None
    except ValueError:
        return name.strip(), raw
    if _depth(value) > MAX_PARAM_DEPTH:
        raise too_deep
    return name.strip(), value


#: Deepest list or map nesting a -p value may have.
MAX_PARAM_DEPTH = 32


def _depth(value: Any) -> int:
    """How deeply lists and maps nest in a JSON value (without recursion: the value may be deep)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        v, d = todo.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            todo.extend((c, d + 1) for c in (v.values() if isinstance(v, dict) else v))
    return deepest


def _read_query(file: Path) -> str:
    data = file.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise click.ClickException(f"{file}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the query file as UTF-8") from None


def _cell(v: Any) -> Any:
    return v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v, ensure_ascii=False, default=str)


def _render(names: list[str], rows: list[list[Any]], fmt: str, quiet: tuple[str, ...] = ()) -> None:
    """Print the rows as JSON, CSV or a table (where relationships leave out the `quiet` properties)."""
    if fmt == "json":
        click.echo(json.dumps([dict(zip(names, r, strict=False)) for r in rows], ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        writer.writerows([[_cell(v) for v in r] for r in rows])
        click.echo(buf.getvalue(), nl=False)
    else:
        from rich.table import Table

        table = Table(caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
        for name in names:
            table.add_column(name, overflow="fold")
        for r in rows:
            table.add_row(*(to_text(v, quiet) for v in r))
        console().print(table, markup=False, highlight=False)


def _html(out: Path, project: Project, rows: list[list[Any]]) -> None:
    """Draw the entities the query returned, and the relations among them, with the explorer."""
    from .html import write_page

    G = project.load()
    ids = node_ids(v for r in rows for v in r) & set(G.nodes)
    if not ids:
        raise click.UsageError("--html needs a query that returns nodes, relationships or paths")
    write_page(G.subgraph(ids).copy(), out, schema=project.schema)


@main.command("query")
@click.argument("cypher", required=False)
@click.option("-f", "--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Read the query from a file.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter $NAME (repeatable); JSON is typed.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True, help="Output format.")
@click.option("--write", is_flag=True, help="Allow write queries, on a throwaway copy (never on the data files).")
@pass_project
@click.option("--neo4j", "neo4j_uri", metavar="URI", help="Run on this Neo4j server instead (password: NEO4J_PASSWORD or a prompt).")
@click.option("--user", default="neo4j", show_default=True, help="Neo4j user, with --neo4j.")
@click.option("--database", default=None, help="Neo4j database, with --neo4j (default: the server's).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the returned subgraph (HTML).")
@click.option(
    "--timeout",
    default=DEFAULT_TIMEOUT,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Stop the embedded query after this long (0: never).",
)
@click.option(
    "--max-memory",
    default=DEFAULT_MAX_MEMORY,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="MB",
    help="Memory the embedded engine may use (0: its default, ~80% of RAM).",
)
def query_cmd(
    project: Project,
    cypher: str | None,
    file: Path | None,
    params: tuple[str, ...],
    fmt: str,
    write: bool,
    neo4j_uri: str | None,
    user: str,
    database: str | None,
    html_out: Path | None,
    timeout: float,
    max_memory: int,
) -> None:
    """Run a Cypher query on the graph, with no server (embedded engine, cached build).

    Neo4j idioms such as type(r), labels(n), n:Sanctioned and shortestPath() work; see
    docs/cypher-dialect.md. Read-only unless --write.

    \b
    Example:
      cubamed query "MATCH (c:State {name:'Cuba'})-[d:DEPLOYED_TO]->(s) WHERE d.year = 2020 RETURN s.name, d.count ORDER BY d.count DESC"
      cubamed query -f cypher/queries/01_deployments_in_year.cypher --format csv
      cubamed query 'MATCH (c:State {id: "cuba"})-[d:DEPLOYED_TO]->(s) WHERE d.year = $year RETURN s.name, d.count' -p year=2014
      cubamed query "MATCH (n:Sanctioned) RETURN n.name, labels(n)" --neo4j bolt://localhost:7687
      cubamed query "MATCH p=(a)-[*1..3]-(b) RETURN count(p)" --timeout 300 --max-memory 4096

    \b
    Put a query that uses $parameters in single quotes, so the shell leaves $year alone.
    """
    if (cypher is None) == (file is None):
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    text = cypher if cypher is not None else _read_query(file)  # type: ignore[arg-type]
    values = dict(parse_param(p) for p in params)
    if neo4j_uri:
        if write:
            raise click.UsageError("--write works only on the embedded engine's throwaway copy, not with --neo4j")
        from ..embedded.neo4j import neo4j_execute
        from .common import neo4j_password

        password = neo4j_password(user)
        names, rows = neo4j_execute(text, values, uri=neo4j_uri, user=user, password=password, schema=project.schema, database=database)
    else:
        with project.open_database(write=write, timeout=timeout, max_memory=max_memory) as db:
            names, rows = db.execute(text, values)
    m = project.model
    _render(names, rows, fmt, tuple(p for p in (m.provenance, m.locator, m.evidence) if p))
    if html_out is not None:
        _html(html_out, project, rows)
