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
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO, Any

import orjson
import yaml

from ..errors import Problem
from .mapping import Mapping

__all__ = ["FTM_SUFFIXES", "FtmEntity", "FtmLink", "FtmRead", "is_decisions_file", "is_ftm_file", "read_decisions", "read_ftm_file"]

#: File names the reader takes as FtM entity files (also with `.gz` after them).
FTM_SUFFIXES = (".json", ".jsonl")
DECISIONS_SUFFIX = "decisions.yaml"


def is_ftm_file(path: Path) -> bool:
    name = path.name.lower()
    name = name[:-3] if name.endswith(".gz") else name
    return name.endswith(FTM_SUFFIXES)


def is_decisions_file(path: Path) -> bool:
    return path.name.lower().endswith(DECISIONS_SUFFIX)


@dataclass(slots=True)
class FtmEntity:
    """An FtM entity that becomes a node (Person, Company, Airplane, ...)."""

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


@dataclass(slots=True)
class FtmLink:
    """An FtM edge entity (Ownership, ...) or a Sanction: it becomes a relationship."""

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


def _open(path: Path) -> IO[str]:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


@lru_cache(maxsize=1)
def _ftm_model() -> Any:
    """followthemoney's model when the library is installed, else None."""
    try:
        from followthemoney import model
    except ImportError:
        return None
    return model


@lru_cache(maxsize=256)
def _model_properties(schema: str) -> frozenset[str] | None:
    model = _ftm_model()
    sch = model.get(schema) if model is not None else None
    return frozenset(sch.properties) if sch is not None else None


def _first(props: dict[str, list[str]], name: str) -> str | None:
    values = props.get(name)
    return values[0] if values else None


def _firsts(props: dict[str, list[str]], names: dict[str, str]) -> dict[str, str]:
    """The first value of each FtM property of `names` the entity has (and is not empty), under its new name."""
    return {dst: vs[0] for src, dst in names.items() if (vs := props.get(src)) and vs[0]}


def _date(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and value else None


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
    if _ftm_model() is None:
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


_LIST_TYPE = frozenset({list})


def _well_formed(obj: Any, model: Any, known_of: dict[str, frozenset[str] | None]) -> bool:
    """True when the line is surely fine: a quick test of what `_shape_problem` and `_model_problem`
    check (False says only: ask them). Every property value, the datasets and the referents are
    asked at once: all lists (one set of their types), of strings only (one `"".join` of them all,
    which refuses anything but text, in C: a million lines have ten million values).
    `known_of` caches `_model_properties` per schema."""
    if type(obj) is not dict:
        return False
    ident, schema, props = obj.get("id"), obj.get("schema"), obj.get("properties", {})
    if type(ident) is not str or type(schema) is not str or type(props) is not dict or not ident.strip() or not schema.strip():
        return False
    lists = [*props.values(), obj.get("datasets", []), obj.get("referents", [])]
    if not {*map(type, lists)} <= _LIST_TYPE:
        return False
    try:
        "".join(chain.from_iterable(lists))
    except TypeError:
        return False
    if model is None:
        return True
    if schema in known_of:
        known = known_of[schema]
    else:
        known = known_of[schema] = _model_properties(schema)
    return known is not None and known.issuperset(props)


def _parse(text: str) -> Any:
    """One line parsed: by orjson (4x faster than the json module), but by the json module when
    orjson refuses it or when the line is not well formed, so that what is accepted and every
    message are exactly the json module's (it takes lone surrogates, NaN and big integers)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _lines(path: Path, shown: str, problems: list[Problem]) -> Iterator[tuple[int, dict[str, Any]]]:
    model = _ftm_model()
    known_of: dict[str, frozenset[str] | None] = {}
    try:
        with _open(path) as fh:
            for n, text in enumerate(fh, 1):
                try:
                    obj = _parse(text)
                    if _well_formed(obj, model, known_of):
                        yield n, obj
                        continue
                    if not text.strip():
                        continue
                    obj = json.loads(text)  # what the checks below see and show is the json module's reading
                except json.JSONDecodeError as exc:  # the json module's (orjson's are caught in `_parse`)
                    if text.strip():
                        what = f"not valid JSON ({exc.msg} at character {exc.pos + 1}); each line must be one FollowTheMoney entity"
                        problems.append(Problem(shown, n, "", what))
                    continue
                bad = _shape_problem(obj) or _model_problem(obj)
                if bad:
                    ident = obj.get("id") if isinstance(obj, dict) else None
                    problems.append(
                        Problem(shown, n, f"entity {ident!r}" if isinstance(ident, str) else "", f"{bad}; fix or remove the line")
                    )
                    continue
                yield n, obj
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        problems.append(Problem(shown, 0, "", f"cannot read the file ({exc}); it must be UTF-8 JSON lines, optionally gzipped"))


def read_ftm_file(path: Path, shown: str, mapping: Mapping, into: FtmRead) -> None:
    """Read one FtM file into `into` (entities merged by id across files, links appended)."""
    into.files += 1
    default_dataset = path.name.split(".")[0]
    ident_props = [(tpl, props) for tpl, props in mapping.identifiers.values() if props]
    for n, obj in _lines(path, shown, into.problems):
        schema: str = obj["schema"]
        props: dict[str, list[str]] = obj.get("properties") or {}
        datasets = obj.get("datasets") or [default_dataset]
        first, last = _date(obj.get("first_seen")), _date(obj.get("last_seen"))
        rule = mapping.entities.get(schema)
        if rule is not None:
            _add_entity(into, obj, schema, props, rule.label, mapping, ident_props, datasets, first, last, shown, n)
            continue
        link_rule = mapping.relations.get(schema)
        is_sanction = schema == mapping.sanction_schema
        if link_rule is None and not is_sanction:
            into.unmapped[schema] += 1
            into.unmapped_ids.add(obj["id"])
            continue
        rule_ = mapping.sanction if is_sanction else link_rule
        assert rule_ is not None
        source = None if is_sanction else _first(props, rule_.source)
        target = _first(props, rule_.target)
        if not target or not (is_sanction or source):  # (asked first: a million links have both)
            missing = [p for p, v in (("" if is_sanction else rule_.source, source), (rule_.target, target)) if p and not v]
            if missing:
                what = f"{schema} entity without {missing[0]!r}; give the id of the entity it points at, or remove the line"
                into.problems.append(Problem(shown, n, f"entity {obj['id']!r}", what))
                continue
        assert target is not None
        into.links.append(
            FtmLink(
                id=obj["id"],
                schema=schema,
                type=rule_.type,
                source=source,
                target=target,
                props=_firsts(props, rule_.properties),
                countries=[c.lower() for c in props.get("country", [])],
                authority=_first(props, "authority"),
                datasets=datasets,
                first_seen=first,
                last_seen=last,
                source_url=_first(props, "sourceUrl"),
                file=shown,
                line=n,
            )
        )


def _add_entity(
    into: FtmRead,
    obj: dict[str, Any],
    schema: str,
    props: dict[str, list[str]],
    label: str,
    mapping: Mapping,
    ident_props: list[tuple[str, tuple[str, ...]]],
    datasets: list[str],
    first: str | None,
    last: str | None,
    shown: str,
    n: int,
) -> None:
    rule = mapping.entities[schema]
    caption = obj.get("caption")
    names = [caption] if isinstance(caption, str) and caption.strip() else []
    for key in ("name", "alias", "weakAlias", "previousName"):
        names += props.get(key, ())
    tokens = [obj["id"], *(obj.get("referents") or ())]
    for tpl, keys in ident_props:
        tokens += [tpl.format(value=v) for k in keys for v in props.get(k, ())]
    ent = FtmEntity(
        id=obj["id"],
        schema=schema,
        label=label,
        names=names,
        props=_firsts(props, rule.properties),
        countries=[c.lower() for k in mapping.country_properties for c in props.get(k, ())],
        tokens=tokens,
        wikidata_id=_first(props, "wikidataId"),
        datasets=list(datasets),
        first_seen=first,
        last_seen=last,
        file=shown,
        line=n,
    )
    old = into.entities.get(ent.id)
    if old is None:
        into.entities[ent.id] = ent
        return
    # the same FtM id in another file (or dataset): one entity, names and provenance united
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
