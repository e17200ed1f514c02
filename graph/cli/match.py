"""match: the loaded FollowTheMoney entities that may be curated ones, with scores, for review."""

from __future__ import annotations

from pathlib import Path

import click

from . import main


@main.command("match")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Lowest score listed as a suggestion.")
def match_cmd(paths: tuple[Path, ...], threshold: float) -> None:
    """List which loaded FollowTheMoney entities may be curated ones, with scores; merge nothing.

    PATHS are data files and folders as for `build` (default: data/). A merge happens only by a
    shared identifier or by a reviewed `same: yes` in data/match-decisions.yaml; each suggestion
    prints the line to add there once you have checked it.

    \b
    Example:
      cubamed match data tests/ftm/fixtures/sanctions.ftm.json
      cubamed match data us_ofac_sdn.ftm.json --threshold 0.8
    """
    from ..match import match

    found = match(*paths, threshold=threshold)
    click.echo(f"{len(found)} candidate pairs (score >= {threshold:g}, merges and decisions included)")
    for c in found:
        click.echo(f"\n{c.score:.2f}  {c.status}: {c.ftm_name} ({c.ftm_schema}, {c.ftm_id}) ~ {c.entity_name} ({c.entity})")
        click.echo(f"      {c.why}")
        if c.status == "suggested":
            click.echo(
                f"      review, then add to data/match-decisions.yaml:  - {{ftm_id: {c.ftm_id}, entity: {c.entity}, same: yes}}   # or no"
            )
