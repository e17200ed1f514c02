"""Read curated YAML and analysts' CSV files into records that carry their file and line.

Reading only parses; it checks nothing the schema decides (that is `validate`). Problems met
while parsing (malformed YAML or CSV, a file of the wrong shape) are collected, not raised, so
one run reports every problem of every file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = ["LIST_SEPARATOR", "Record", "data_files", "display_path", "read_paths"]

#: Separator of list values (aliases) inside one CSV cell.
LIST_SEPARATOR = ";"
NODE_COLUMNS = ("id", "label", "name")
EDGE_COLUMNS = ("type", "from", "to")


@dataclass(frozen=True)
class Record:
    """One entity or fact as written in a file, before validation.

    `text` is True for CSV records, whose values are all strings still to be typed by the schema.
    """

    kind: str  # "entity", "fact", or "note" (what the FollowTheMoney reader left out, said once)
    file: str
    line: int
    index: int
    data: dict[str, Any]
    text: bool = False

    def describe(self) -> str:
        d = self.data
        if self.kind == "entity":
            ident = d.get("id")
            return f"entity {ident!r}" if isinstance(ident, str) and ident else f"entity #{self.index}"
        parts = [str(d.get(k)) for k in ("type", "from") if d.get(k) is not None]
        arrow = f" -> {d.get('to')}" if d.get("to") is not None else ""
        inner = " ".join(parts) + arrow
        return f"fact #{self.index} ({inner})" if inner else f"fact #{self.index}"


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except (OSError, ValueError):
        return str(path)


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on."""

    line = 0


class _LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with line numbers on mappings and duplicate keys reported."""

    duplicate_keys: list[tuple[int, str]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_LineDict]:
    data = _LineDict()
    data.line = node.start_mark.line + 1
    yield data
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str) and key in seen:
            loader.duplicate_keys.append((key_node.start_mark.line + 1, key))
        seen.add(key)
    data.update({str(k): v for k, v in loader.construct_mapping(node, deep=True).items()})


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _plain(value: Any) -> Any:
    """YAML values as plain Python: dates as ISO text, mappings as dicts."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read_yaml(path: Path) -> tuple[list[Record], list[Problem]]:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(shown, 0, "", f"cannot read the file ({exc}); check that it is UTF-8 text")]
    loader = None
    try:
        loader = _LineLoader(text)
        loader.duplicate_keys = []
        doc = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "syntax error"
        return [], [Problem(shown, line, "", f"not valid YAML: {what}; fix the syntax (an unquoted ':' or a bad indent?)")]
    except yaml.YAMLError as exc:
        return [], [Problem(shown, 0, "", f"not valid YAML: {exc}; fix the syntax")]
    finally:
        if loader is not None:
            loader.dispose()
    problems = [Problem(shown, line, "", f"key {key!r} appears twice in one mapping; keep one") for line, key in loader.duplicate_keys]
    if not isinstance(doc, dict) or not ({"entities", "facts"} & doc.keys()):
        return [], [
            *problems,
            Problem(shown, 1, "", "expected a mapping with an 'entities' or a 'facts' list; see the README's 'Adding a fact'"),
        ]
    kind = "entity" if "entities" in doc else "fact"
    items = doc.get("entities" if kind == "entity" else "facts")
    defaults = {"label": doc["label"]} if kind == "entity" and "label" in doc else {}
    if kind == "fact" and "source" in doc:
        defaults = {"source_id": doc["source"]}
    if not isinstance(items, list):
        return [], [
            *problems,
            Problem(shown, getattr(doc, "line", 1), "", f"'{'entities' if kind == 'entity' else 'facts'}' must be a list of records"),
        ]
    records = []
    for i, item in enumerate(items, 1):
        line = getattr(item, "line", 0) or getattr(doc, "line", 1)
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, f"{kind} #{i}", f"expected a mapping of properties, got {_plain(item)!r}"))
            continue
        records.append(Record(kind, shown, line, i, {**defaults, **_plain(dict(item))}))
    return records, problems


def _read_csv(path: Path) -> tuple[list[Record], list[Problem]]:
    shown = display_path(path)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(_csv_rows(fh))
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(shown, 0, "", f"cannot read the file ({exc}); save it as UTF-8 CSV")]
    except csv.Error as exc:
        return [], [Problem(shown, 0, "", f"malformed CSV ({exc}); check the quoting")]
    if not rows:
        return [], [Problem(shown, 1, "", "empty CSV file; the first row must be a header (see the README's 'Your own data')")]
    (_, header), body = rows[0], rows[1:]
    header = [h.strip() for h in header]
    if all(c in header for c in EDGE_COLUMNS):
        kind = "fact"
    elif all(c in header for c in NODE_COLUMNS):
        kind = "entity"
    else:
        return [], [
            Problem(
                shown,
                1,
                "",
                f"header must have columns {', '.join(NODE_COLUMNS)} (nodes) or {', '.join(EDGE_COLUMNS)} (edges); "
                f"found {', '.join(header) or 'none'}",
            )
        ]
    problems = []
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(Problem(shown, 1, "", f"column {dupes[0]!r} appears twice in the header; keep one"))
    records = []
    for i, (line, row) in enumerate(body, 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    shown,
                    line,
                    f"{kind} #{i}",
                    f"row has {len(row)} fields but the header has {len(header)}; quote values that contain commas",
                )
            )
            continue
        data = {h: cell.strip() for h, cell in zip(header, row, strict=True) if cell.strip() != ""}
        records.append(Record(kind, shown, line, i, data, text=True))
    return records, problems


def _csv_rows(fh: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the line each starts on (a quoted cell may span lines)."""
    counter = _LineCounter(fh)
    reader = csv.reader(counter, strict=True)
    while True:
        start = counter.next_line
        try:
            row = next(reader)
        except StopIteration:
            return
        yield start, row


class _LineCounter:
    def __init__(self, lines: Iterable[str]) -> None:
        self._it = iter(lines)
        self.next_line = 1

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.next_line += 1
        return line


#: Files in a data folder that configure the loading rather than hold data.
CONFIG_FILES = {"schema.yaml", "ftm-mapping.yaml"}


def _is_data_file(p: Path) -> bool:
    from .ftm import is_ftm_file

    return p.suffix in {".yaml", ".yml", ".csv"} or is_ftm_file(p)


def data_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The YAML, CSV and FollowTheMoney files under `paths` (folders searched, `schema.yaml` and
    `ftm-mapping.yaml` skipped), and the problems met."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and _is_data_file(f) and f.name not in CONFIG_FILES)
            files += found
            if not found:
                what = "no .yaml, .csv or FollowTheMoney .json files in this folder; point at the data folder"
                problems.append(Problem(display_path(p), 0, "", what))
        elif p.is_file():
            if not _is_data_file(p):
                what = "not a .yaml, .yml, .csv or FollowTheMoney (.json, .jsonl, .gz) file; rename it or leave it out"
                problems.append(Problem(display_path(p), 0, "", what))
            else:
                files.append(p)
        else:
            problems.append(Problem(display_path(p), 0, "", "no such file or folder; check the path"))
    return files, problems


def read_paths(paths: Iterable[str | Path]) -> tuple[list[Record], list[Problem]]:
    """Read every YAML, CSV and FollowTheMoney file under `paths` (files or folders) into records.

    Returns the records and the problems met; a file with a syntax error adds problems and
    no records. `schema.yaml` is skipped in folders. FollowTheMoney files and match decisions
    are joined to the rest by `graph.ftm` (records of kind ``note`` say what it left out).
    """
    from .ftm import is_decisions_file, is_ftm_file, join_ftm
    from .progress import track

    files, problems = data_files(paths)
    records: list[Record] = []
    ftm = [f for f in files if is_ftm_file(f) or is_decisions_file(f)]
    for f in track(files, "Reading the data files"):
        if f in ftm:
            continue
        recs, probs = _read_csv(f) if f.suffix == ".csv" else _read_yaml(f)
        records += recs
        problems += probs
    if ftm:
        records, probs = join_ftm(ftm, records)
        problems += probs
    return records, problems
