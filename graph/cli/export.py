"""export neo4j | cypher | neo4j-admin | graphml | gexf | json: each parses options, calls one library function, prints."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import main
from .common import neo4j_password, pass_project

if TYPE_CHECKING:
    from ..project import Project

#: Rows per transaction of `export neo4j` (graph.export.neo4j.DEFAULT_BATCH_SIZE; kept here so --help imports no driver).
DEFAULT_BATCH_SIZE = 10_000


@main.group()
def export() -> None:
    """Export the graph: to Neo4j (over Bolt, as a cypher-shell script or as neo4j-admin files),
    or as GraphML, GEXF or node-link JSON for Cytoscape, yEd, Gephi and networkx.

    \b
    Example:
      NEO4J_PASSWORD=secret cubamed export neo4j --uri bolt://localhost:7687
      cubamed export cypher cubamed.cypher
      cubamed export neo4j-admin import/
      cubamed export graphml cubamed.graphml
    """


@export.command("neo4j")
@click.option("--uri", default="bolt://localhost:7687", show_default=True, help="Server URI (neo4j+s:// for Aura and clusters).")
@click.option("--user", default="neo4j", show_default=True, help="User name.")
@click.option("--database", default=None, help="Database name. Default: the server's default database.")
@click.option("--prune", is_flag=True, help="Delete what cubamed exported earlier that is no longer in the data (nothing else).")
@click.option("--detach", is_flag=True, help="With --prune: also delete the relationships others attached to those nodes.")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(min=1), help="Rows per transaction.")
@pass_project
def neo4j_cmd(project: Project, uri: str, user: str, database: str | None, prune: bool, detach: bool, batch_size: int) -> None:
    """Export the graph to a running Neo4j over Bolt; running it again changes nothing.

    The password comes from the environment variable NEO4J_PASSWORD, or else a prompt that
    does not echo it (never from the URI). Constraints and indexes (cypher/schema.cypher) are
    created first. --prune deletes only nodes and relationships cubamed created; it refuses,
    listing them, when others' relationships are attached to a node it would delete, unless
    --detach.

    \b
    Example:
      export NEO4J_PASSWORD=secret
      cubamed export neo4j --uri bolt://localhost:7687 --user neo4j
      cubamed export neo4j --uri neo4j+s://xxxx.databases.neo4j.io --prune
    """
    from ..export.bolt import check_uri
    from ..export.neo4j import export_neo4j

    if detach and not prune:
        raise click.UsageError("--detach needs --prune")
    check_uri(uri)  # before asking for a password
    G = project.load()
    password = neo4j_password(user)
    report = export_neo4j(
        G, uri, user=user, password=password, database=database, batch_size=batch_size, prune=prune, detach=detach, schema=project.schema
    )
    click.echo(str(report))


def _wrote(G_nodes: int, G_edges: int, path: Path, extra: str = "") -> None:
    click.echo(f"Wrote {G_nodes} nodes and {G_edges} relationships to {path}{extra}.")


@export.command("cypher")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def cypher_cmd(project: Project, file: Path) -> None:
    """Write a Cypher script of the graph that `cypher-shell -f FILE` loads (idempotent).

    \b
    Example:
      cubamed export cypher cubamed.cypher
      cypher-shell -a bolt://localhost:7687 -u neo4j -f cubamed.cypher
    """
    from ..export.cypher_script import write_cypher

    G = project.load()
    path = write_cypher(G, file, schema=project.schema)
    _wrote(G.number_of_nodes(), G.number_of_edges(), path)


@export.command("neo4j-admin")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_project
def neo4j_admin_cmd(project: Project, directory: Path) -> None:
    """Write CSV files and import.sh for `neo4j-admin database import full` (Neo4j 5).

    \b
    Example:
      cubamed export neo4j-admin import/
      NEO4J_HOME=/opt/neo4j sh import/import.sh neo4j
    """
    from ..export.neo4j_admin import write_neo4j_admin

    G = project.load()
    path = write_neo4j_admin(G, directory, schema=project.schema)
    _wrote(G.number_of_nodes(), G.number_of_edges(), path, f"/; run {path}/import.sh to load them")


def _exchange(project: Project, module: str, writer: str, file: Path, **options: object) -> None:
    """Load the project's graph, write it with `graph.export.<module>.<writer>`, say where it went."""
    from importlib import import_module

    G = project.load()
    path = getattr(import_module(f"graph.export.{module}"), writer)(G, file, schema=project.schema, **options)
    _wrote(G.number_of_nodes(), G.number_of_edges(), path)


@export.command("graphml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def graphml_cmd(project: Project, file: Path) -> None:
    """Write the graph as GraphML (Cytoscape, yEd, Gephi, networkx); graph.read_graphml reads it back.

    Lists (aliases) are JSON arrays in string attributes, declared so in each key's <desc>.

    \b
    Example:
      cubamed export graphml cubamed.graphml
    """
    _exchange(project, "graphml", "write_graphml", file)


@export.command("gexf")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_project
def gexf_cmd(project: Project, file: Path) -> None:
    """Write the graph as GEXF 1.3 for Gephi; graph.read_gexf reads it back.

    Nodes are labelled with their names; the schema label is the attribute schema_label, and
    each edge's label and kind are its relationship type.

    \b
    Example:
      cubamed export gexf cubamed.gexf
    """
    _exchange(project, "gexf", "write_gexf", file)


@export.command("json")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--indent", type=click.IntRange(min=0), default=None, help="Indent the JSON by this many spaces (default: one line).")
@pass_project
def json_cmd(project: Project, file: Path, indent: int | None) -> None:
    """Write the graph as node-link JSON, as networkx writes it (nx.node_link_graph reads it back).

    \b
    Example:
      cubamed export json cubamed.json
      cubamed export json cubamed.json --indent 2
    """
    _exchange(project, "node_link", "write_json", file, indent=indent)
