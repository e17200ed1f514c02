"""Check records against the schema and turn them into typed entities and facts.

Every problem is collected with its file, line and record, so a single run reports all of
them. Nothing here touches a graph: `build` only ever sees input that passed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem
from .read import LIST_SEPARATOR, Record
from .schema import YEAR_PROPERTIES, Property, Schema

__all__ = ["Entity", "Fact", "fact_id", "validate_records"]

_DATE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_INT = re.compile(r"^[+-]?\d+$")
#: Properties that make up a fact's identity; figures (count, amounts) and wording are not in it,
#: so correcting a figure or rephrasing evidence keeps the id and updates the fact in place.
IDENTITY = ("type", "from", "to", "source_id", "locator", "year", "date", "role", "status")
#: Names in the hashed identity that differ from the property's name: `source_id` was called
#: `source` when the ids were first minted, and ids must not change when a property is renamed.
_IDENTITY_NAMES = {"source_id": "source"}
#: Relationship properties renamed since 0.1, with the name to use now.
RENAMED = {"source": "source_id"}
_TYPE_NAMES = {
    "string": "text",
    "int": "a whole number",
    "number": "a number",
    "bool": "true or false",
    "date": "an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, quoted)",
    "list[string]": "a list of text, e.g. [St. Lucia, Saint Lucia]",
    "ref": "the id of an entity",
}


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    props: dict[str, Any]
    file: str
    line: int


@dataclass(frozen=True)
class Fact:
    id: str
    type: str
    start: str
    end: str
    props: dict[str, Any]
    file: str
    line: int


@dataclass
class _Run:
    schema: Schema
    problems: list[Problem] = field(default_factory=list)
    # per label (and for relationships), computed once per run, not once per record
    _props: dict[str, dict[str, Property]] = field(default_factory=dict)
    _required: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def add(self, rec: Record, message: str) -> None:
        self.problems.append(Problem(rec.file, rec.line, rec.describe(), message))

    def props_of(self, label: str) -> dict[str, Property]:
        if label not in self._props:
            self._props[label] = self.schema.node_properties_of(label)
        return self._props[label]

    def required(self, props: dict[str, Property]) -> tuple[str, ...]:
        key = id(props)
        if key not in self._required:
            self._required[key] = tuple(n for n, p in props.items() if p.required)
        return self._required[key]


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _bad(prop: Property, value: Any) -> str:
    return f"{prop.name!r} must be {_TYPE_NAMES.get(prop.type, prop.type)}, got {_show(value)}"


def coerce(prop: Property, value: Any, text: bool) -> tuple[Any, str | None]:
    """Type `value` by its declaration. Returns (value, None) or (None, what is wrong)."""
    given = value  # the message is made only when needed: loading a million FtM entities types ten million values
    t = prop.type
    if t == "int":
        if text and isinstance(value, str) and _INT.match(value):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            return None, _bad(prop, given)
    elif t == "number":
        if text and isinstance(value, str):
            try:
                value = float(value) if not _INT.match(value) else int(value)
            except ValueError:
                return None, _bad(prop, given)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
            return None, _bad(prop, given)
    elif t == "bool":
        if text and isinstance(value, str) and value.lower() in {"true", "false"}:
            value = value.lower() == "true"
        if not isinstance(value, bool):
            return None, _bad(prop, given)
    elif t == "list[string]":
        if text and isinstance(value, str):
            value = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, _bad(prop, given)
    elif t == "date":
        m = _DATE.match(value) if isinstance(value, str) else None
        if not m:
            return None, _bad(prop, given)
    elif t == "enum":
        if value not in prop.values:
            return None, f"{prop.name!r} must be one of {', '.join(prop.values)}, got {_show(value)}{_suggest(value, prop.values)}"
    elif not isinstance(value, str) or not value.strip():  # string, ref
        return None, _bad(prop, given)
    if prop.regex and not prop.regex.match(value):
        return None, f"{prop.name!r} {_show(value)} does not match the pattern {prop.pattern}"
    if prop.min is not None and isinstance(value, (int, float)) and value < prop.min:
        return None, f"{prop.name!r} must be at least {prop.min:g}, got {value}"
    return value, None


_YEARS = frozenset({*YEAR_PROPERTIES, "date"})


def _year_problem(schema: Schema, name: str, value: Any) -> str | None:
    lo, hi = schema.year_range
    year = int(value[:4]) if name == "date" else value if name in YEAR_PROPERTIES else None
    if isinstance(year, int) and not lo <= year <= hi:
        return f"{name!r} {value} is outside {lo}-{hi}; check for a typo"
    return None


def _typed(run: _Run, rec: Record, props: dict[str, Property], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in rec.data.items():
        if name in {"label", "type", "from", "to"}:
            continue
        prop = props.get(name)
        if prop is None and name in RENAMED and RENAMED[name] in props:
            run.add(rec, f"{name!r} is now called {RENAMED[name]!r} (networkx and pandas reserve {name!r} for an edge's start); rename it")
            continue
        if prop is None:
            run.add(rec, f"unknown property {name!r} for {what}{_suggest(name, props)}; declare it in the schema or remove it")
            continue
        typed, err = coerce(prop, value, rec.text)
        err = err or (_year_problem(run.schema, name, typed) if name in _YEARS else None)
        if err:
            run.add(rec, err)
        else:
            out[name] = typed
    renamed = {RENAMED[n] for n in rec.data if n in RENAMED}  # already reported under its old name
    missing = [n for n in run.required(props) if n not in rec.data and n not in renamed]
    if missing:
        where = "the record" if "source_id" not in missing else "the record (or 'source:' at the top of the file)"
        run.add(rec, f"missing required {', '.join(repr(m) for m in missing)}; add {'it' if len(missing) == 1 else 'them'} to {where}")
    return out


def fact_id(type_: str, start: str, end: str, props: dict[str, Any]) -> str:
    """A fact's id, deterministic from its identity: the same fact always gets the same id."""
    key = {"type": type_, "from": start, "to": end} | {_IDENTITY_NAMES.get(k, k): props[k] for k in IDENTITY if k in props}
    digest = hashlib.blake2b(json.dumps(key, sort_keys=True).encode(), digest_size=6).hexdigest()
    return f"{type_.lower().replace('_', '-')}-{digest}"


def _entity(run: _Run, rec: Record) -> Entity | None:
    label = rec.data.get("label")
    if label is None:
        run.add(rec, "missing 'label'; give it on the record or as 'label:' at the top of the file")
        return None
    if not isinstance(label, str) or label not in run.schema.labels:
        run.add(rec, f"unknown label {_show(label)}; use one of {', '.join(run.schema.labels)}{_suggest(label, run.schema.labels)}")
        return None
    props = _typed(run, rec, run.props_of(label), label)
    if "id" not in props:
        return None
    return Entity(props["id"], label, props, rec.file, rec.line)


def _fact(run: _Run, rec: Record) -> tuple[Fact, Record] | None:
    rtype = rec.data.get("type")
    if not isinstance(rtype, str) or rtype not in run.schema.relationships:
        hint = _suggest(rtype, run.schema.relationships) if rtype else ""
        what = f"unknown relationship type {_show(rtype)}" if rtype else "missing 'type'"
        run.add(rec, f"{what}; use one declared in {run.schema.path.name}{hint}")
        return None
    props = _typed(run, rec, run.schema.relationship_properties, rtype)
    ends = {}
    for end in ("from", "to"):
        v = rec.data.get(end)
        if not isinstance(v, str) or not v.strip():
            run.add(rec, f"missing {end!r}; give the id of the entity the relationship {'starts' if end == 'from' else 'ends'} at")
        else:
            ends[end] = v
    if len(ends) < 2:
        return None
    rid = props.pop("id", None) or fact_id(rtype, ends["from"], ends["to"], props)
    return Fact(rid, rtype, ends["from"], ends["to"], props, rec.file, rec.line), rec


def _check_refs(run: _Run, entities: dict[str, Entity], facts: list[tuple[Fact, Record]]) -> None:
    schema = run.schema
    for fact, rec in facts:
        refs = [("from", fact.start), ("to", fact.end)]
        refs += [(n, v) for n, v in fact.props.items() if schema.relationship_properties[n].type == "ref"]
        for name, target in refs:
            ent = entities.get(target)
            allowed = schema.relationship_properties[name].labels if name in fact.props else ()
            if ent is None:
                run.add(
                    rec,
                    f"{name!r} refers to {target!r}, which no entity has as id; add the entity or fix the id{_suggest(target, entities)}",
                )
            elif allowed and ent.label not in allowed:
                run.add(rec, f"{name!r} must refer to an entity labelled {' or '.join(allowed)}, but {target!r} is a {ent.label}")
        rel = schema.relationships[fact.type]
        s, t = entities.get(fact.start), entities.get(fact.end)
        if s and t and (s.label not in rel.sources or t.label not in rel.targets):
            run.add(
                rec,
                f"{fact.type} may not go from {s.label} {s.id!r} to {t.label} {t.id!r}; "
                f"the schema allows {', '.join(rel.sources)} -> {', '.join(rel.targets)}",
            )


def _check_unique(run: _Run, items: list[tuple[str, Record]], what: str) -> None:
    first: dict[str, Record] = {}
    for ident, rec in items:
        if ident in first:
            prev = first[ident]
            run.add(rec, f"duplicate {what} {ident!r}, first defined at {prev.file}:{prev.line}; give one of them another id")
        else:
            first[ident] = rec


def validate_records(records: list[Record], schema: Schema) -> tuple[list[Entity], list[Fact], list[Problem]]:
    """Validate every record; return the entities and facts that passed and all problems found."""
    run = _Run(schema)
    ents = [(e, r) for r in records if r.kind == "entity" and (e := _entity(run, r)) is not None]
    facts = [f for r in records if r.kind == "fact" and (f := _fact(run, r)) is not None]
    _check_unique(run, [(e.id, r) for e, r in ents], "id")
    _check_unique(run, [(f.id, r) for f, r in facts], "relationship id")
    by_id: dict[str, Entity] = {}
    for e, _ in ents:
        by_id.setdefault(e.id, e)
    _check_refs(run, by_id, facts)
    return [e for e, _ in ents], [f for f, _ in facts], run.problems
