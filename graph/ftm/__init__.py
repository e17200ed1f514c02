"""FollowTheMoney / OpenSanctions entity files as data: read, mapped by `data/ftm-mapping.yaml`,
merged into the curated entities by identifier or reviewed decision, with provenance on every fact.

`graph.read.read_paths` hands FtM files (`.ftm.json`, `.json`, `.jsonl`, gzipped or not) and
decision files (`*decisions.yaml`) here, so every command and `graph.load` that takes a data path
reads them:

>>> import graph
>>> from graph.locations import data_dir
>>> G = graph.load(data_dir(), data_dir().parent / "tests/ftm/fixtures/sanctions.ftm.json")
>>> sorted({d["source_id"] for *_, d in G.in_edges("conviasa", data=True) if d["type"] == "SANCTIONED"})
['dataset-cubamed-fixture', 'news-2020-caribbean-brigades']
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem
from ..read import Record, display_path
from .mapping import Mapping, check_mapping, load_mapping
from .read import FtmRead, is_decisions_file, is_ftm_file, read_decisions, read_ftm_file
from .resolve import dataset_source_id, evidence, node_id, resolve

__all__ = [
    "Mapping",
    "check_mapping",
    "dataset_source_id",
    "evidence",
    "is_decisions_file",
    "is_ftm_file",
    "join_ftm",
    "load_mapping",
    "node_id",
    "read_ftm",
]


def read_ftm(files: Iterable[Path], mapping: Mapping | None = None) -> FtmRead:
    """Read FtM entity files and decision files (line by line) into one `FtmRead`."""
    mp = mapping or load_mapping()
    out = FtmRead()
    for f in files:
        if is_decisions_file(f):
            read_decisions(f, display_path(f), out)
        else:
            read_ftm_file(f, display_path(f), mp, out)
    return out


def join_ftm(files: Iterable[Path], curated: list[Record], mapping: Mapping | None = None) -> tuple[list[Record], list[Problem]]:
    """The curated records joined with the FtM files: merged, mapped, with provenance.

    Returns the records (notes on what was left out come as records of kind ``note``) and every
    problem met; the caller builds nothing when there is one.
    """
    mp = mapping or load_mapping()
    read = read_ftm(files, mp)
    done = resolve(read, curated, mp)
    notes = [Record("note", "", 0, i, {"message": m}) for i, m in enumerate(done.notes, 1)]
    return done.records + notes, read.problems + done.problems
