"""Read curated YAML and analysts' CSV files into records that carry their file and line.

Reading only parses; it checks nothing the schema decides (that is `validate`). Problems met
while parsing (malformed YAML or CSV, a file of the wrong shape) are collected, not raised, so
one run reports every problem of every file.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, shown
from .yaml_loader import YamlProblem, load_yaml

__all__ = [
    "FILE_SOURCE",
    "LIST_SEPARATOR",
    "MAX_CSV_BYTES",
    "MAX_YAML_BYTES",
    "Record",
    "data_files",
    "display_path",
    "read_files",
    "read_paths",
    "read_text",
]

#: Separator of list values (aliases) inside one CSV cell.
LIST_SEPARATOR = ";"
NODE_COLUMNS = ("id", "label", "name")
DATA_SUFFIXES = (".yaml", ".yml", ".csv")
#: Largest files read. The curated YAML files are under 100 KiB; analysts' CSV tables may be large.
MAX_YAML_BYTES = 16 * 2**20
MAX_CSV_BYTES = 1024 * 2**20
EDGE_COLUMNS = ("type", "from", "to")
#: The top-level key of a fact file that names the document every fact in it comes from.
FILE_SOURCE = "source"


@dataclass(frozen=True)
class Record:
    """One entity or fact as written in a file, before validation.

    `text` is True for CSV records, whose values are all strings still to be typed by the schema.
    `header` holds what a fact file's top level gives every fact in it: ``source`` (`FILE_SOURCE`),
    the document the facts come from unless one names its own (the validator puts it under the
    schema's provenance property).
    """

    kind: str  # "entity", "fact", or "note" (what the FollowTheMoney reader left out, said once)
    file: str
    line: int
    index: int
    data: dict[str, Any]
    text: bool = False
    header: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        d = self.data
        if self.kind == "entity":
            ident = d.get("id")
            return f"entity {shown(ident)}" if isinstance(ident, str) and ident else f"entity #{self.index}"
        parts = [_short(d.get(k)) for k in ("type", "from") if d.get(k) is not None]
        arrow = f" -> {_short(d.get('to'))}" if d.get("to") is not None else ""
        inner = " ".join(parts) + arrow
        return f"fact #{self.index} ({inner})" if inner else f"fact #{self.index}"


def _short(value: Any) -> str:
    """A value as a record's description names it: plain text as written, anything else quoted; cut when long."""
    return value if isinstance(value, str) and len(value) <= 60 and value.isprintable() else shown(value)


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop, before Python 3.13
        return str(path)


def _plain(value: Any) -> Any:
    """YAML values as plain Python: `LineDict`s as dicts, shared lists copied."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def read_text(path: Path, limit: int, what: str) -> tuple[str | None, Problem | None]:
    """The file's text, or the problem that stops it being read (never waits on a pipe or a device)."""
    shown_path = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        return None, Problem(shown_path, 0, "", f"cannot open the file ({exc.strerror}); check that it exists and that you may read it")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # a folder, or replaced between listing and opening
        os.close(fd)
        return None, Problem(shown_path, 0, "", f"{_odd_kind(info.st_mode)}, not a regular file; cubamed reads only regular files")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > limit:
            return None, Problem(
                shown_path,
                0,
                "",
                f"the file is {info.st_size / 2**20:.1f} MiB; cubamed reads {what} files up to {limit / 2**20:.0f} MiB: "
                "split it into several files",
            )
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            return None, Problem(shown_path, 0, "", f"cannot read the file ({exc.strerror}); check the disk and try again")
        if len(data) > limit:  # it grew while being read
            return None, Problem(shown_path, 0, "", f"the file grew past {limit / 2**20:.0f} MiB while being read; try again")
    hint = " (in Excel: Save As, CSV UTF-8)" if what == "CSV" else ""
    try:
        return data.decode("utf-8-sig"), None  # a byte-order mark (Excel's "CSV UTF-8") is not part of the text
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(shown_path, line, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8{hint}")


def _read_yaml(path: Path) -> tuple[list[Record], list[Problem]]:
    shown_path = display_path(path)
    text, problem = read_text(path, MAX_YAML_BYTES, "YAML")
    if text is None:
        return [], [problem] if problem else []
    try:
        doc, duplicates = load_yaml(text)
    except YamlProblem as exc:
        return [], [Problem(shown_path, exc.line, "", exc.message)]
    problems = [Problem(shown_path, line, "", f"key {shown(key)} appears twice in one mapping; keep one") for line, key in duplicates]
    if not isinstance(doc, dict) or not ({"entities", "facts"} & doc.keys()):
        return [], [
            *problems,
            Problem(shown_path, 1, "", "expected a mapping with an 'entities' or a 'facts' list; see the README's 'Adding a fact'"),
        ]
    # other keys may hold what anchors share (`shared: &aliases [...]`), but records under one are lost: a typo
    for k, v in doc.items():
        if k not in _TOP_LEVEL and isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            line = getattr(v[0], "line", 0) or getattr(doc, "line", 1)
            problems.append(
                Problem(
                    shown_path, line, "", f"records under the key {shown(_plain(k))} would be lost; put them under 'entities' or 'facts'"
                )
            )
    records = []
    for kind, key in (("entity", "entities"), ("fact", "facts")):
        if key in doc:
            records += _yaml_records(doc, kind, key, shown_path, problems)
    return records, problems


#: What a YAML data file may hold at its top: entities (with a default `label`) and facts (with the
#: default `source` of the facts).
_TOP_LEVEL = ("entities", "label", "facts", FILE_SOURCE)


def _yaml_records(doc: Any, kind: str, key: str, shown_path: str, problems: list[Problem]) -> list[Record]:
    items = doc[key]
    defaults = {"label": doc["label"]} if kind == "entity" and "label" in doc else {}
    header = {FILE_SOURCE: _plain(doc[FILE_SOURCE])} if kind == "fact" and FILE_SOURCE in doc else {}
    if not isinstance(items, list):
        problems.append(Problem(shown_path, getattr(doc, "line", 1), "", f"{key!r} must be a list of records"))
        return []
    records = []
    for i, item in enumerate(items, 1):
        line = getattr(item, "line", 0) or getattr(doc, "line", 1)
        if not isinstance(item, dict):
            problems.append(Problem(shown_path, line, f"{kind} #{i}", f"expected a mapping of properties, got {shown(_plain(item))}"))
            continue
        records.append(Record(kind, shown_path, line, i, {**defaults, **_plain(dict(item))}, header=header))
    return records


def _read_csv(path: Path) -> tuple[list[Record], list[Problem]]:
    shown_path = display_path(path)
    text, problem = read_text(path, MAX_CSV_BYTES, "CSV")
    if text is None:
        return [], [problem] if problem else []
    rows: list[tuple[int, list[str]]] = []
    try:
        rows.extend(_csv_rows(io.StringIO(text, newline="")))
    except csv.Error as exc:
        line = rows[-1][0] + 1 if rows else 1
        return [], [Problem(shown_path, line, "", f"malformed CSV ({exc}); check the quoting")]
    if not rows:
        return [], [Problem(shown_path, 1, "", "empty CSV file; the first row must be a header (see the README's 'Your own data')")]
    (_, header), body = rows[0], rows[1:]
    header = [h.strip() for h in header]
    if all(c in header for c in EDGE_COLUMNS):
        kind = "fact"
    elif all(c in header for c in NODE_COLUMNS):
        kind = "entity"
    else:
        return [], [
            Problem(
                shown_path,
                1,
                "",
                f"header must have columns {', '.join(NODE_COLUMNS)} (nodes) or {', '.join(EDGE_COLUMNS)} (edges); "
                f"found {shown(', '.join(header)) if header else 'none'}",
            )
        ]
    problems = []
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(Problem(shown_path, 1, "", f"column {shown(dupes[0])} appears twice in the header; keep one"))
    records = []
    for i, (line, row) in enumerate(body, 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    shown_path,
                    line,
                    f"{kind} #{i}",
                    f"row has {len(row)} fields but the header has {len(header)}; quote values that contain commas",
                )
            )
            continue
        data = {h: cell.strip() for h, cell in zip(header, row, strict=True) if cell.strip() != ""}
        records.append(Record(kind, shown_path, line, i, data, text=True))
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


def _odd_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _entry_problem(path: Path) -> str | None:
    """Why `path`, named like a data file, cannot be read as one; None when it is a regular, readable file.

    Looks with stat only: a pipe or a device is never opened (opening a FIFO waits for a writer).
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"a link to {os.readlink(path)!r}, which does not exist; fix the link or remove it"
        return "no such file or folder; check the path"
    except OSError as exc:
        return f"cannot be read ({exc.strerror}); fix it or move it out of the data folder"
    if not stat.S_ISREG(mode):
        return f"{_odd_kind(mode)} named like a data file; cubamed reads only regular files: rename it or move it out of the data folder"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied); give yourself read permission or move it out of the data folder"
    return None


#: Files in a data folder that configure the loading rather than hold data.
CONFIG_FILES = {"schema.yaml", "ftm-mapping.yaml"}


def _is_data_path(p: Path) -> bool:
    """Named like a data file: YAML, CSV, or FollowTheMoney JSON lines (maybe gzipped)."""
    from .ftm import is_ftm_file

    return p.suffix in DATA_SUFFIXES or is_ftm_file(p)


def _is_data_name(name: str) -> bool:
    return name not in CONFIG_FILES and _is_data_path(Path(name))


def data_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The data files under `paths` (folders searched, `schema.yaml` and `ftm-mapping.yaml`
    skipped), and the problems met.

    The one listing of data files: every command reads through it. Only regular files are
    listed; anything else named like a data file (a folder called `sub.yaml`, a link to nothing,
    a pipe, a device, an unreadable file) is a problem naming it, and is never opened.
    """
    files: list[Path] = []
    problems: list[Problem] = []

    def refuse(path: Path, message: str) -> None:
        problems.append(Problem(display_path(path), 0, "", message))

    for p in map(Path, paths):
        if p.is_dir():
            found = []
            walk_errors: list[OSError] = []
            for folder, dirs, names in os.walk(p, onerror=walk_errors.append):
                dirs.sort()
                found += [Path(folder, n) for n in names + dirs if _is_data_name(n)]
            for exc in walk_errors:
                refuse(Path(exc.filename), f"cannot list this folder ({exc.strerror}); fix its permissions or move it out")
            for f in sorted(found):
                why = _entry_problem(f)
                if why:
                    refuse(f, why)
                else:
                    files.append(f)
            if not found and not walk_errors:
                refuse(p, "no .yaml, .csv or FollowTheMoney .json files in this folder; point at the data folder")
        elif not _is_data_path(p) and (p.is_file() or not p.exists()):
            exists = p.exists()
            refuse(
                p,
                "not a .yaml, .yml, .csv or FollowTheMoney (.json, .jsonl, .gz) file; rename it or leave it out"
                if exists
                else "no such file or folder; check the path",
            )
        else:
            why = _entry_problem(p)
            if why:
                refuse(p, why)
            else:
                files.append(p)
    return files, problems


def read_paths(paths: Iterable[str | Path]) -> tuple[list[Record], list[Problem]]:
    """Read every YAML, CSV and FollowTheMoney file under `paths` (files or folders) into records.

    Returns the records and the problems met; a file with a syntax error adds problems and
    no records. `schema.yaml` is skipped in folders. FollowTheMoney files and match decisions
    are joined to the rest by `graph.ftm` (records of kind ``note`` say what it left out).
    """
    from .ftm import join_ftm

    files, problems = data_files(paths)
    records, ftm, more = read_files(files)
    problems += more
    if ftm:
        records, probs = join_ftm(ftm, records)
        problems += probs
    return records, problems


def read_files(files: list[Path]) -> tuple[list[Record], list[Path], list[Problem]]:
    """Read the YAML and CSV files of `files` (as `data_files` lists them) into records; the
    FollowTheMoney and decision files among them are returned, not read (`graph.ftm` reads them)."""
    from .ftm import is_decisions_file, is_ftm_file
    from .progress import track

    records: list[Record] = []
    problems: list[Problem] = []
    ftm = [f for f in files if is_ftm_file(f) or is_decisions_file(f)]
    for f in track(files, "Reading the data files"):
        if f in ftm:
            continue
        recs, probs = _read_csv(f) if f.suffix == ".csv" else _read_yaml(f)
        records += recs
        problems += probs
    return records, ftm, problems
