"""export neo4j | cypher | neo4j-admin: each parses options, calls one library function, prints."""

from __future__ import annotations

import os
from pathlib import Path

import click

from . import main
from .core import data_option


@main.group()
def export() -> None:
    """Export the graph to Neo4j: over Bolt, as a cypher-shell script or as neo4j-admin files.

    \b
    Example:
      NEO4J_PASSWORD=secret cubamed export neo4j --uri bolt://localhost:7687
      cubamed export cypher cubamed.cypher
      cubamed export neo4j-admin import/
    """


def neo4j_password(user: str) -> str:
    """The Neo4j password: NEO4J_PASSWORD, or else a prompt that does not echo it."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        password = click.prompt(f"Password for {user}", hide_input=True, default="", show_default=False)
    return password


@export.command("neo4j")
@click.option("--uri", default="bolt://localhost:7687", show_default=True, help="Server URI (neo4j+s:// for Aura and clusters).")
@click.option("--user", default="neo4j", show_default=True, help="User name.")
@click.option("--database", default=None, help="Database name. Default: the server's default database.")
@click.option("--prune", is_flag=True, help="Delete what cubamed exported earlier that is no longer in the data (nothing else).")
@click.option("--batch-size", default=None, type=click.IntRange(min=1), help="Rows per transaction.  [default: 10000, the exporter's]")
@data_option
def neo4j_cmd(uri: str, user: str, database: str | None, prune: bool, batch_size: int | None, data: tuple[Path, ...]) -> None:
    """Export the graph to a running Neo4j over Bolt; running it again changes nothing.

    The password comes from the environment variable NEO4J_PASSWORD, or else a prompt that
    does not echo it. Constraints and indexes (cypher/schema.cypher) are created first.

    \b
    Example:
      export NEO4J_PASSWORD=secret
      cubamed export neo4j --uri bolt://localhost:7687 --user neo4j
      cubamed export neo4j --uri neo4j+s://xxxx.databases.neo4j.io --prune
    """
    from ..build import load
    from ..export import export_neo4j
    from ..export.neo4j import DEFAULT_BATCH_SIZE

    G = load(*data)
    size = batch_size or DEFAULT_BATCH_SIZE
    report = export_neo4j(G, uri, user=user, password=neo4j_password(user), database=database, batch_size=size, prune=prune)
    click.echo(str(report))


@export.command("cypher")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@data_option
def cypher_cmd(file: Path, data: tuple[Path, ...]) -> None:
    """Write a Cypher script of the graph that `cypher-shell -f FILE` loads (idempotent).

    \b
    Example:
      cubamed export cypher cubamed.cypher
      cypher-shell -a bolt://localhost:7687 -u neo4j -f cubamed.cypher
    """
    from ..build import load
    from ..export import write_cypher

    G = load(*data)
    path = write_cypher(G, file)
    click.echo(f"Wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} relationships to {path}.")


@export.command("neo4j-admin")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@data_option
def neo4j_admin_cmd(directory: Path, data: tuple[Path, ...]) -> None:
    """Write CSV files and import.sh for `neo4j-admin database import full` (Neo4j 5).

    \b
    Example:
      cubamed export neo4j-admin import/
      NEO4J_HOME=/opt/neo4j sh import/import.sh neo4j
    """
    from ..build import load
    from ..export import write_neo4j_admin

    G = load(*data)
    path = write_neo4j_admin(G, directory)
    click.echo(f"Wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} relationships to {path}/; run {path}/import.sh to load them.")
