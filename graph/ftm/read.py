"""Read FollowTheMoney entity files, line by line, into compact entities and links.

One JSON object per line (`.ftm.json`, `.json`, `.jsonl`, any of them gzipped), read as a stream:
memory grows with what is kept for the graph, not with the file. A bad line adds a problem
naming the file and line and is skipped, so one run reports every bad line; the caller builds
nothing when there is any. Entities of schemata the mapping does not name are counted.

When the `followthemoney` library is installed (`pip install -e .[ftm]`), each entity is also
checked against its model: a schema or property FollowTheMoney does not know is a problem.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import msgspec
import yaml

from ..errors import Problem
from .mapping import Mapping

__all__ = ["FTM_SUFFIXES", "FtmEntity", "FtmLink", "FtmRead", "is_decisions_file", "is_ftm_file", "read_decisions", "read_ftm_file"]

#: File names the reader takes as FtM entity files (also with `.gz` after them).
FTM_SUFFIXES = (".json", ".jsonl")
DECISIONS_SUFFIX = "decisions.yaml"
#: Mapped values up to this long are kept once each (`read_ftm_file`): roles, dates, programs,
#: models repeat across a million lines; one string each is less memory for the graph to hold
#: and read again (its column checks)
_SHORT = 40
_DAYS_KEPT = 100_000
#: The FtM properties whose values are an entity's names, after its caption (the first is its name).
_NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")


def is_ftm_file(path: Path) -> bool:
    name = path.name.lower()
    name = name[:-3] if name.endswith(".gz") else name
    return name.endswith(FTM_SUFFIXES)


def is_decisions_file(path: Path) -> bool:
    return path.name.lower().endswith(DECISIONS_SUFFIX)


class FtmEntity(msgspec.Struct, gc=False):
    """An FtM entity that becomes a node (Person, Company, Airplane, ...). A msgspec struct: made
    in C (a dataclass's `__init__` is a Python call, a million of them a second of the load);
    never tracked by the cyclic collector (it holds no cycle)."""

    id: str
    schema: str
    label: str
    names: list[str]
    props: dict[str, str]
    countries: list[str]
    tokens: list[str]  # its id, referents and identifier values: what identifiers are matched on
    wikidata_id: str | None
    datasets: list[str]
    first_seen: str | None
    last_seen: str | None
    file: str
    line: int


class FtmLink(msgspec.Struct, gc=False):
    """An FtM edge entity (Ownership, ...) or a Sanction: it becomes a relationship (a struct, as `FtmEntity`)."""

    id: str
    schema: str
    type: str
    source: str | None  # FtM id of the start; None for a Sanction (country/authority give it)
    target: str
    props: dict[str, str]
    countries: list[str]
    authority: str | None
    datasets: list[str]
    first_seen: str | None
    last_seen: str | None
    source_url: str | None
    file: str
    line: int


@dataclass(frozen=True)
class Decision:
    """A reviewed answer to "is FtM entity `ftm_id` the curated entity `entity`?"."""

    ftm_id: str
    entity: str
    same: bool
    file: str
    line: int


@dataclass
class FtmRead:
    """Everything read from FtM files and decision files, before it is merged with the curated data."""

    entities: dict[str, FtmEntity] = field(default_factory=dict)
    links: list[FtmLink] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)
    unmapped_ids: set[str] = field(default_factory=set)
    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0


def _open(path: Path) -> BinaryIO | gzip.GzipFile:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return path.open("rb")


@lru_cache(maxsize=1)
def _ftm_model() -> Any:
    """followthemoney's model when the library is installed, else None."""
    try:
        from followthemoney import model
    except ImportError:
        return None
    return model


def _schemata_cache_file() -> Path | None:
    """Where the table of `_ftm_schemata` is kept for the installed followthemoney (None without
    it): the cache folder, the file named after the library's version and the names, sizes and
    times of its schema files, so that another version or an edited schema makes a new table."""
    spec = importlib.util.find_spec("followthemoney")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "schema"
    try:
        version = importlib.metadata.version("followthemoney")
        files = sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in folder.iterdir())
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    key = hashlib.blake2b(repr((str(folder), version, files)).encode(), digest_size=8).hexdigest()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cubamed" / f"ftm-schemata-{version}-{key}.json"


@lru_cache(maxsize=1)
def _ftm_schemata() -> dict[str, frozenset[str]] | None:
    """Each FollowTheMoney schema's property names (None without the library), as its model
    gives them. Importing the library and building its model take 0.8 CPU-seconds, more than
    reading 30,000 lines: the table is kept in the cache folder (`_schemata_cache_file`) and read
    from there when it is whole; anything amiss with that file, and it is made again from the model."""
    cache = _schemata_cache_file()
    if cache is not None:
        try:
            kept = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        if (
            isinstance(kept, dict)
            and kept
            and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in kept.values())
        ):
            return {name: frozenset(props) for name, props in kept.items()}
    model = _ftm_model()
    if model is None:
        return None
    table = {name: frozenset(schema.properties) for name, schema in model.schemata.items()}
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            part = cache.with_suffix(f".{os.getpid()}.part")
            part.write_text(json.dumps({k: sorted(v) for k, v in table.items()}), encoding="utf-8")
            part.replace(cache)  # whole or not there: a reader never sees half a table
        except OSError:
            pass  # a cache folder that cannot be written: the model is asked each time
    return table


def _model_properties(schema: str) -> frozenset[str] | None:
    table = _ftm_schemata()
    return table.get(schema) if table is not None else None


def _shape_problem(obj: Any) -> str | None:
    """What is wrong with the shape of one parsed line, or None."""
    if not isinstance(obj, dict):
        return "expected a JSON object (one FollowTheMoney entity per line)"
    for key in ("id", "schema"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            return f"missing {key!r} (every FollowTheMoney entity has an id and a schema)"
    props = obj.get("properties", {})
    if type(props) is not dict:
        return "'properties' must be an object of lists of strings"
    for name, values in props.items():
        if type(values) is not list or any(type(v) is not str for v in values):
            return f"property {name!r} must be a list of strings, got {json.dumps(values)[:60]}"
    for key in ("datasets", "referents"):
        value = obj.get(key, ())
        if type(value) not in (list, tuple) or any(type(v) is not str for v in value):
            return f"{key!r} must be a list of strings"
    return None


def _model_problem(obj: dict[str, Any]) -> str | None:
    if _ftm_schemata() is None:
        return None
    known = _model_properties(obj["schema"])
    if known is None:
        return f"{obj['schema']!r} is not a FollowTheMoney schema; check the spelling (`ftm ref` lists them)"
    props = obj.get("properties", {})
    if known.issuperset(props):
        return None
    unknown = sorted(set(props) - known)
    if unknown:
        return f"schema {obj['schema']} has no property {unknown[0]!r}; check the spelling (`ftm ref {obj['schema']}` lists them)"
    return None


class _Line(msgspec.Struct, gc=False):
    """The fields of one FtM line the loader reads. msgspec checks their types while it parses, in
    C: a line it decodes into this is as `_shape_problem` wants it (the other fields are skipped,
    `caption` and the dates taken as they come)."""

    id: str
    schema: str
    properties: dict[str, list[str]] = {}
    datasets: list[str] = []
    referents: list[str] = []
    caption: Any = None
    first_seen: Any = None
    last_seen: Any = None


_DECODE = msgspec.json.Decoder(_Line).decode


def _line_of(obj: dict[str, Any]) -> _Line:
    """A line the json module read and the checks passed, as the fast way reads it."""
    return _Line(
        obj["id"],
        obj["schema"],
        obj.get("properties", {}),
        obj.get("datasets", []),
        obj.get("referents", []),
        obj.get("caption"),
        obj.get("first_seen"),
        obj.get("last_seen"),
    )


def _slow_line(text: str, n: int, shown: str, problems: list[Problem]) -> _Line | None:
    """A line msgspec refused (or whose id, schema or properties it could not vouch for), read by
    the json module and checked field by field, so that what is accepted and every message are
    exactly the json module's (it takes lone surrogates, NaN and big integers)."""
    if not text.strip():
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        what = f"not valid JSON ({exc.msg} at character {exc.pos + 1}); each line must be one FollowTheMoney entity"
        problems.append(Problem(shown, n, "", what))
        return None
    bad = _shape_problem(obj) or _model_problem(obj)
    if bad:
        ident = obj.get("id") if isinstance(obj, dict) else None
        problems.append(Problem(shown, n, f"entity {ident!r}" if isinstance(ident, str) else "", f"{bad}; fix or remove the line"))
        return None
    return _line_of(obj)


def _lines(path: Path, shown: str, problems: list[Problem]) -> Iterator[tuple[int, _Line]]:
    """Each good line of the file with its number; each bad one adds a problem.

    msgspec parses a line straight into `_Line`, its types checked as it goes (2.5 times faster
    than orjson then a check in Python, bench/bench_ftm.py), from its bytes (a third faster than
    from text: it checks the UTF-8 itself); what is left to ask here is the id and schema not
    blank and the properties known to FollowTheMoney's model. The lines are those the text mode
    reads (a lone carriage return ends a line too, `_text_lines`); bytes that are no UTF-8 stop
    the reading with a problem naming their line."""
    schemata = _ftm_schemata()
    decode = _DECODE
    n = 0
    try:
        with _open(path) as fh:
            for raw in fh:
                n += 1
                if b"\r" in raw and (raw.find(b"\r") != len(raw) - 2 or not raw.endswith(b"\n")):  # rare: not a plain \r\n end
                    texts = _text_lines(raw)
                    for i, text in enumerate(texts):
                        line = _line(text, n + i, shown, problems, schemata)
                        if line is not None:
                            yield n + i, line
                    n += len(texts) - 1
                    continue
                try:  # the plain case, as `_line` has it (a line it does not take goes there, and is asked again)
                    line = decode(raw)
                except msgspec.DecodeError:
                    line = None
                if (
                    line is not None
                    and line.id.strip()
                    and line.schema.strip()
                    and (schemata is None or ((known := schemata.get(line.schema)) is not None and known.issuperset(line.properties)))
                ):
                    yield n, line
                    continue
                line = _line(raw, n, shown, problems, schemata)
                if line is not None:
                    yield n, line
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        at = n if isinstance(exc, UnicodeDecodeError) else 0
        problems.append(Problem(shown, at, "", f"cannot read the file ({exc}); it must be UTF-8 JSON lines, optionally gzipped"))


def _text_lines(raw: bytes) -> list[str]:
    """The lines the text mode makes of `raw` (universal newlines: \\r, \\n and \\r\\n end a line,
    each end read as \\n)."""
    return io.StringIO(raw.decode("utf-8"), newline=None).readlines()


def _line(data: bytes | str, n: int, shown: str, problems: list[Problem], schemata: dict[str, frozenset[str]] | None) -> _Line | None:
    """Line `n` (its bytes, or its text), or None when it is blank or bad (then a problem is added)."""
    try:
        line = _DECODE(data)
    except msgspec.DecodeError:  # (its ValidationError too: a field of another type; and bytes that are no UTF-8)
        line = None
    if line is not None and line.id.strip() and line.schema.strip():
        if schemata is None:
            return line
        known = schemata.get(line.schema)
        if known is not None and known.issuperset(line.properties):
            return line
    if isinstance(data, bytes):
        text = data.decode("utf-8")  # (UnicodeDecodeError: `_lines` says the file cannot be read)
        if text.endswith("\r\n"):
            text = text[:-2] + "\n"  # as the text mode reads it: json's messages count characters
    else:
        text = data
    return _slow_line(text, n, shown, problems)


def read_ftm_file(path: Path, shown: str, mapping: Mapping, into: FtmRead) -> None:
    """Read one FtM file into `into` (entities merged by id across files, links appended).

    One loop over millions of lines: the per-entity and per-link work is written in it (a call
    with a dozen arguments costs as much as what it does), and the few distinct dates are kept
    once each (`_day`), as are schema names, country codes and short mapped values, not once per line: fewer
    objects for the graph to hold."""
    into.files += 1
    default_datasets = [path.name.split(".")[0]]
    ident_props = [(tpl, props) for tpl, props in mapping.identifiers.values() if props]
    entity_rules, relation_rules, sanction_schema = mapping.entities, mapping.relations, mapping.sanction_schema
    country_properties = mapping.country_properties
    entities, links, problems = into.entities, into.links, into.problems
    days: dict[str, str] = {}  # a date or time as given -> its date (`_day`)
    one_day: dict[str, str] = {}  # a date -> the one string kept for it
    schemata: dict[str, str] = {}  # an entity's schema name -> the one string kept for it
    codes: dict[str, str] = {}  # a country code as given -> the one lower-case string kept for it
    short: dict[str, str] = {}  # a short mapped value (a role, a date, a program, a model) -> the one string kept for it
    lists: dict[str, list[str]] = {}  # a link's one dataset -> the one list kept for it (links' lists are only read)
    for n, obj in _lines(path, shown, problems):
        schema, props = obj.schema, obj.properties
        datasets = obj.datasets or default_datasets
        first, last = obj.first_seen, obj.last_seen  # the date of a text (any other value: none)
        first = (days.get(first) or _day(first, days, one_day)) if type(first) is str and first else None
        last = (days.get(last) or _day(last, days, one_day)) if type(last) is str and last else None
        rule = entity_rules.get(schema)
        if rule is not None:
            caption = obj.caption
            names = [caption] if isinstance(caption, str) and caption.strip() else []
            for key in _NAME_PROPERTIES:
                if key in props:
                    names += props[key]
            tokens = [obj.id, *obj.referents]
            for tpl, keys in ident_props:
                for k in keys:
                    if k in props:
                        tokens += [tpl.format(value=v) for v in props[k]]
            countries = []
            for k in country_properties:
                if k in props:
                    for c in props[k]:
                        code = codes.get(c)
                        if code is None:
                            code = codes[c] = c.lower()
                        countries.append(code)
            ent = FtmEntity(
                obj.id,
                schemata.setdefault(schema, schema),
                rule.label,
                names,
                _firsts(props, rule.properties, short) if rule.properties else {},
                countries,
                tokens,
                vs[0] if (vs := props.get("wikidataId")) else None,
                list(datasets),
                first,
                last,
                shown,
                n,
            )
            old = entities.get(ent.id)
            if old is None:
                entities[ent.id] = ent
            else:
                _merge_entity(old, ent)
            continue
        is_sanction = schema == sanction_schema
        link_rule = mapping.sanction if is_sanction else relation_rules.get(schema)
        if link_rule is None:
            into.unmapped[schema] += 1
            into.unmapped_ids.add(obj.id)
            continue
        source = None if is_sanction else (vs[0] if (vs := props.get(link_rule.source)) else None)
        target = vs[0] if (vs := props.get(link_rule.target)) else None
        if not target or not (is_sanction or source):  # (asked first: a million links have both)
            missing = [p for p, v in (("" if is_sanction else link_rule.source, source), (link_rule.target, target)) if p and not v]
            if missing:
                what = f"{schema} entity without {missing[0]!r}; give the id of the entity it points at, or remove the line"
                problems.append(Problem(shown, n, f"entity {obj.id!r}", what))
                continue
        assert target is not None
        mapped: dict[str, str] = {}  # (`_firsts`)
        for src, dst in link_rule.properties.items():
            if (vs := props.get(src)) and (v := vs[0]):
                if len(v) <= _SHORT:
                    v = short.setdefault(v, v)
                mapped[dst] = v
        if len(datasets) == 1:
            one = lists.get(datasets[0])
            datasets = one if one is not None else lists.setdefault(datasets[0], datasets)
        links.append(
            FtmLink(
                obj.id,
                schema,
                link_rule.type,
                source,
                target,
                mapped,
                [c.lower() for c in vs] if (vs := props.get("country")) else [],
                vs[0] if (vs := props.get("authority")) else None,
                datasets,
                first,
                last,
                vs[0] if (vs := props.get("sourceUrl")) else None,
                shown,
                n,
            )
        )


def _day(given: str, days: dict[str, str], one_day: dict[str, str]) -> str:
    """The date of a non-empty `first_seen` or `last_seen` as given (its first ten characters),
    as the one string `one_day` keeps for it; `days` remembers it for the next line that gives
    the same text, up to `_DAYS_KEPT` texts (times to the second may all differ)."""
    day = given[:10]
    day = one_day.setdefault(day, day)
    if len(days) < _DAYS_KEPT:
        days[given] = day
    return day


def _firsts(props: dict[str, list[str]], mapped: dict[str, str], short: dict[str, str]) -> dict[str, str]:
    """The first value of each FtM property of `mapped` that has one, under its mapped name (a
    short one as the string `short` keeps for it)."""
    out = {}
    for src, dst in mapped.items():
        vs = props.get(src)
        if vs and (v := vs[0]):
            out[dst] = short.setdefault(v, v) if len(v) <= _SHORT else v
    return out


def _merge_entity(old: FtmEntity, ent: FtmEntity) -> None:
    """The same FtM id in another file (or dataset): one entity, names and provenance united."""
    old.names += [x for x in ent.names if x not in old.names]
    old.props = {**ent.props, **old.props}
    old.countries += [c for c in ent.countries if c not in old.countries]
    old.tokens += [t for t in ent.tokens if t not in old.tokens]
    old.datasets += [d for d in ent.datasets if d not in old.datasets]
    old.first_seen = min(filter(None, (old.first_seen, ent.first_seen)), default=None)
    old.last_seen = max(filter(None, (old.last_seen, ent.last_seen)), default=None)
    old.wikidata_id = old.wikidata_id or ent.wikidata_id


def read_decisions(path: Path, shown: str, into: FtmRead) -> None:
    """Read a reviewed decisions file: `decisions:` a list of {ftm_id, entity, same: yes|no}."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        into.problems.append(Problem(shown, 0, "", f"cannot read the file ({exc}); check that it is UTF-8 text"))
        return
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        into.problems.append(Problem(shown, mark.line + 1 if mark else 0, "", f"not valid YAML: {exc.problem}; fix the syntax"))
        return
    items = None
    if isinstance(root, yaml.MappingNode):
        items = next((v for k, v in root.value if k.value == "decisions"), None)
    if not isinstance(items, yaml.SequenceNode):
        into.problems.append(Problem(shown, 1, "", "expected 'decisions:' and a list of {ftm_id, entity, same: yes or no}; see the README"))
        return
    for i, node in enumerate(items.value, 1):
        line = node.start_mark.line + 1
        data = yaml.SafeLoader(yaml.serialize(node)).get_single_data() if isinstance(node, yaml.MappingNode) else None
        ok = (
            isinstance(data, dict)
            and isinstance(data.get("ftm_id"), str)
            and isinstance(data.get("entity"), str)
            and isinstance(data.get("same"), bool)
        )
        if not ok:
            into.problems.append(Problem(shown, line, f"decision #{i}", "needs ftm_id (text), entity (an entity id) and same (yes or no)"))
            continue
        assert isinstance(data, dict)
        into.decisions.append(Decision(data["ftm_id"], data["entity"], data["same"], shown, line))
