"""Check records against the schema and turn them into typed entities and facts.

Every problem is collected with its file, line and record, so a single run reports all of
them. Nothing here touches a graph: `build` only ever sees input that passed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain
from typing import Any

from .errors import Problem, shown
from .model import LABEL, TYPE, Model, model_of
from .read import FILE_SOURCE, LIST_SEPARATOR, Record
from .schema import Property, Schema

__all__ = ["Entity", "Fact", "columns", "columns_accepted", "fact_id", "validate_records"]

_DATE = re.compile(r"([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?")
_INT = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_DIGITS = 100  # longer text is no number any target holds (and Python refuses past 4,300 digits)
#: The integers every target holds (Neo4j, the embedded engine, Arrow, JSON readers: 64 bits, signed).
INT64 = (-(2**63), 2**63 - 1)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
#: A record's own keys (its label or type, its ends), which are not properties.
_RECORD_KEYS = frozenset({LABEL, TYPE, "from", "to"})
#: What networkx and pandas take a reserved attribute name (`graph.model.RESERVED`) for, to say why a property was renamed.
_RESERVED_FOR = {"source": "an edge's start", "target": "an edge's end", "key": "an edge's key"}
_TYPE_NAMES = {
    "string": "text",
    "int": "a whole number",
    "number": "a finite number",
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
    model: Model
    problems: list[Problem] = field(default_factory=list)
    # per label (and for relationships), computed once per run, not once per record
    _props: dict[str, dict[str, Property]] = field(default_factory=dict)
    _required: dict[int, tuple[str, ...]] = field(default_factory=dict)
    _renamed: dict[int, dict[str, str]] = field(default_factory=dict)
    _headers_refused: set[str] = field(default_factory=set)
    _accepts: dict[int, dict[str, Callable[[Any], bool]]] = field(default_factory=dict)
    _columns: dict[int, dict[str, Callable[[list[Any]], bool]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = self.model
        #: properties that are one line of text: no line breaks or tabs (free text such as evidence may hold them)
        self.one_line = frozenset(n for n in (m.key, m.name, m.aliases) if n)
        #: properties that hold a year, on entities too (the year and span roles name them), and the date whose year is checked
        self.years = frozenset(n for n in (m.year, *(m.span or ())) if n)
        self.date = m.date

    def add(self, rec: Record, message: str) -> None:
        self.problems.append(Problem(rec.file, rec.line, rec.describe(), message))

    def with_header(self, rec: Record) -> Record:
        """`rec` with its file's top-level ``source:`` as its provenance, unless it names its own."""
        if FILE_SOURCE not in rec.header:
            return rec
        provenance = self.model.provenance
        if provenance is None:
            if rec.file not in self._headers_refused:  # said once per file
                self._headers_refused.add(rec.file)
                self.add(
                    rec,
                    f"{FILE_SOURCE!r} at the top of the file names the document of its facts, but {self.schema.path.name} has no "
                    "'provenance' role to put it in; remove it, or name the property under 'roles:' in the schema",
                )
            return rec
        if provenance in rec.data:
            return rec
        return replace(rec, data={provenance: rec.header[FILE_SOURCE], **rec.data})

    def props_of(self, label: str) -> dict[str, Property]:
        if label not in self._props:
            self._props[label] = self.schema.node_properties_of(label)
        return self._props[label]

    def accepts(self, props: dict[str, Property]) -> dict[str, Callable[[Any], bool]]:
        """Per property, a quick test of a value `coerce` would keep as it is (see `_accepts`)."""
        key = id(props)
        if key not in self._accepts:
            self._accepts[key] = {n: ok for n, p in props.items() if n not in _RECORD_KEYS and (ok := _accepts(p, self)) is not None}
        return self._accepts[key]

    def column_tests(self, props: dict[str, Property]) -> dict[str, Callable[[list[Any]], bool]]:
        """Per property, the quick test of a whole column of values (see `_column_test`)."""
        key = id(props)
        if key not in self._columns:
            self._columns[key] = {
                n: test for n, p in props.items() if n not in _RECORD_KEYS and (test := _column_test(p, self)) is not None
            }
        return self._columns[key]

    def required(self, props: dict[str, Property]) -> tuple[str, ...]:
        key = id(props)
        if key not in self._required:
            self._required[key] = tuple(n for n, p in props.items() if p.required)
        return self._required[key]

    def renamed(self, props: dict[str, Property]) -> dict[str, str]:
        """Old name -> name now, of the properties in `props` the schema says were renamed (`formerly`)."""
        key = id(props)
        if key not in self._renamed:
            self._renamed[key] = {p.formerly: n for n, p in props.items() if p.formerly}
        return self._renamed[key]


def _suggest(word: Any, choices: Any) -> str:
    if not isinstance(word, str) or len(word) > 100:
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _bad_character(prop: Property, text: str, one_line: bool) -> str | None:
    """What is wrong with a character of `text`, or None. Free text may hold tabs and line breaks."""
    pattern = _CONTROL_ONE_LINE if one_line or prop.type == "ref" else _CONTROL  # enums and dates are checked whole before
    found = pattern.search(text)
    if found is None:
        return None
    char, at = found.group(), found.start() + 1
    if "\ud800" <= char <= "\udfff":
        return f"{prop.name!r} holds U+{ord(char):04X} at character {at}, half a UTF-16 pair no file or database can store; fix the escape"
    what = "a line break or tab" if char in "\n\r\t" else f"the control character U+{ord(char):04X}"
    return f"{prop.name!r} holds {what} at character {at}; remove it"


def _integer(prop: Property, value: Any, bad: str) -> tuple[Any, str | None]:
    if not isinstance(value, int) or isinstance(value, bool):
        return None, bad
    if not INT64[0] <= value <= INT64[1]:
        return None, f"{prop.name!r} must fit in 64 bits ({INT64[0]} to {INT64[1]}), got {shown(value)}"
    return value, None


#: Stands for "not of the property's type" until `coerce` words the message.
_BAD = "\x00bad"


def _typed_value(prop: Property, value: Any, text: bool, bad: str) -> tuple[Any, str | None]:
    """The value converted to the property's type, or what is wrong; no range or pattern checks yet."""
    t = prop.type
    if t == "int":
        if text and isinstance(value, str) and len(value) <= _MAX_DIGITS and _INT.fullmatch(value):
            value = int(value)
        return _integer(prop, value, bad)
    if t == "number":
        if text and isinstance(value, str) and len(value) <= _MAX_DIGITS and _NUMBER.fullmatch(value):
            value = int(value) if _INT.fullmatch(value) else float(value)
        if isinstance(value, float):
            return (value, None) if math.isfinite(value) else (None, f"{prop.name!r} must be a finite number, got {value}")
        return _integer(prop, value, bad)
    if t == "bool":
        if text and isinstance(value, str) and value.lower() in {"true", "false"}:
            value = value.lower() == "true"
        return (value, None) if isinstance(value, bool) else (None, bad)
    if t == "list[string]":
        if text and isinstance(value, str):
            value = [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]
        ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        return (value, None) if ok else (None, bad)
    if t == "date":
        m = _DATE.fullmatch(value) if isinstance(value, str) else None
        if not m:
            return None, bad
        year, month, day = (int(g) if g else 1 for g in m.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            return None, f"{prop.name!r} {shown(value)} is not a date of the calendar; check the day, month and year"
        return value, None
    if t == "enum":
        if value not in prop.values:
            return None, f"{prop.name!r} must be one of {', '.join(prop.values)}, got {shown(value)}{_suggest(value, prop.values)}"
        return value, None
    if not isinstance(value, str) or not value.strip():  # string, ref
        return None, bad
    return value, None


def coerce(prop: Property, value: Any, text: bool, *, one_line: bool = False) -> tuple[Any, str | None]:
    """Type `value` by its declaration. Returns (value, None) or (None, what is wrong).

    Values are checked against what every target can hold: 64-bit integers, finite numbers,
    dates of the calendar, text without control characters or lone surrogates (nor line breaks
    and tabs when `one_line`, or in a reference).
    """
    given = value
    value, err = _typed_value(prop, value, text, _BAD)
    if err is _BAD:  # the message is made only when needed: loading a million FtM entities types ten million values
        err = f"{prop.name!r} must be {_TYPE_NAMES.get(prop.type, prop.type)}, got {shown(given)}"
    if err:
        return None, err
    for item in value if isinstance(value, list) else [value]:
        err = _bad_character(prop, item, one_line) if isinstance(item, str) else None
        if err:
            return None, err
    if prop.regex and isinstance(value, str) and not prop.regex.fullmatch(value):
        return None, f"{prop.name!r} {shown(value)} does not match the pattern {prop.pattern}"
    if prop.min is not None and isinstance(value, (int, float)) and value < prop.min:
        return None, f"{prop.name!r} must be at least {prop.min:g}, got {value}"
    return value, None


def _accepts(prop: Property, run: _Run) -> Callable[[Any], bool] | None:
    """A quick test that says True only for values `coerce` keeps unchanged with no problem (and
    no year problem): what a million loaded entities mostly hold. Anything else, True or not,
    goes through `coerce`, which words the problem, so both ways give the same result.

    None for the types where no quick test pays (numbers, booleans) and for the year properties.
    """
    if prop.name in run.years or prop.name == run.date:
        return None
    control = _CONTROL_ONE_LINE if prop.name in run.one_line or prop.type == "ref" else _CONTROL
    regex = prop.regex
    if prop.type in ("string", "ref"):
        if regex is None:
            return lambda v: type(v) is str and bool(v.strip()) and control.search(v) is None
        return lambda v: type(v) is str and bool(v.strip()) and control.search(v) is None and regex.fullmatch(v) is not None
    if prop.type == "date" and regex is None:
        # the calendar check is left to `coerce` for days past the 28th and the year 0
        return lambda v: type(v) is str and _DATE.fullmatch(v) is not None and v[8:10] <= "28" and not v.startswith("0000")
    if prop.type == "enum":
        good = frozenset(x for x in prop.values if coerce(prop, x, False) == (x, None))
        return lambda v: type(v) is str and v in good
    if prop.type == "list[string]":
        return lambda v: type(v) is list and all(type(x) is str and x.strip() and control.search(x) is None for x in v)
    return None


def _texts_ok(texts: Sequence[Any], control: re.Pattern[str], regex: re.Pattern[str] | None) -> bool:
    """What `_accepts` asks of each text (a `str`, not blank, no control character, the pattern
    matched), asked of a column at once: one type set, one strip each, one search over the texts
    joined by a space (itself no control character, so the search finds one iff a text holds one)."""
    if not texts:
        return True
    return (
        {*map(type, texts)} == {str}
        and all(map(str.strip, texts))
        and not _holds_control(" ".join(texts), control)
        and (regex is None or all(map(regex.fullmatch, texts)))
    )


@lru_cache(maxsize=8)
def _ascii_not_found(control: re.Pattern[str]) -> bytes:
    """The ASCII characters the `control` pattern does not find, as bytes."""
    return bytes(c for c in range(128) if control.match(chr(c)) is None)


def _holds_control(text: str, control: re.Pattern[str]) -> bool:
    """``control.search(text) is not None``. An ASCII text (Python knows it is without looking)
    is asked as bytes with every character the pattern does not find deleted: what is left is
    what it finds (eight times faster than the search on the evidence of a million facts)."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ascii_not_found(control)))
    return control.search(text) is not None


def _column_test(prop: Property, run: _Run) -> Callable[[list[Any]], bool] | None:
    """The quick test of `_accepts`, asked of a whole column: ``test(values)`` is
    ``all(map(ok, values))`` for the property's ``ok`` (a property-based test holds them equal),
    at a fraction of its cost on a million loaded values. None where `_accepts` has no test."""
    ok = _accepts(prop, run)
    if ok is None:
        return None
    control = _CONTROL_ONE_LINE if prop.name in run.one_line or prop.type == "ref" else _CONTROL
    if prop.type in ("string", "ref"):
        return lambda vs: _texts_ok(vs, control, prop.regex)
    if prop.type == "list[string]":
        return lambda vs: not vs or ({*map(type, vs)} == {list} and _texts_ok(list(chain.from_iterable(vs)), control, None))
    # dates and enums: few distinct values in many rows; each distinct one is asked once
    return lambda vs: not vs or ({*map(type, vs)} == {str} and all(map(ok, set(vs))))


def _year_problem(run: _Run, name: str, value: Any) -> str | None:
    lo, hi = run.schema.year_range
    year = int(value[:4]) if name == run.date else value if name in run.years else None
    if isinstance(year, int) and not lo <= year <= hi:
        return f"{name!r} {shown(value)} is outside {lo}-{hi}; check for a typo"
    return None


def _typed(run: _Run, rec: Record, props: dict[str, Property], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    renamed = run.renamed(props)
    accepts = run.accepts(props)
    for name, value in rec.data.items():
        ok = accepts.get(name)
        if ok is not None and ok(value):
            out[name] = value
            continue
        if name in _RECORD_KEYS:
            continue
        prop = props.get(name)
        if prop is None and name in renamed:
            why = f" (networkx and pandas reserve {name!r} for {_RESERVED_FOR[name]})" if name in _RESERVED_FOR else ""
            run.add(rec, f"{name!r} is now called {renamed[name]!r}{why}; rename it")
            continue
        if prop is None:
            run.add(rec, f"unknown property {name!r} for {what}{_suggest(name, props)}; declare it in the schema or remove it")
            continue
        typed, err = coerce(prop, value, rec.text, one_line=name in run.one_line)
        err = err or (_year_problem(run, name, typed) if name in run.years or name == run.date else None)
        if err:
            run.add(rec, err)
        else:
            out[name] = typed
    reported = {renamed[n] for n in rec.data if n in renamed}  # already reported under its old name
    missing = [n for n in run.required(props) if n not in rec.data and n not in reported]
    if missing:
        where = "the record (or 'source:' at the top of the file)" if run.model.provenance in missing else "the record"
        run.add(rec, f"missing required {', '.join(repr(m) for m in missing)}; add {'it' if len(missing) == 1 else 'them'} to {where}")
    return out


def _untyped(rec: Record) -> dict[str, Any]:
    """What `_typed` returns for a record whose every value its quick test accepts: the values as they are."""
    return {k: v for k, v in rec.data.items() if k not in _RECORD_KEYS}


def columns(datas: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Each key of these dicts and its values, in the order of the dicts that hold it. One pass
    over the dicts (not one per key): a million dicts are read from memory once, not ten times."""
    cols: defaultdict[str, list[Any]] = defaultdict(list)
    for d in datas:
        for k, v in d.items():
            cols[k].append(v)
    return dict(cols)


def all_accepted(run: _Run, datas: list[dict[str, Any]], props: dict[str, Property]) -> bool:
    """True when `_typed` would keep every value of every record data of `datas` unchanged and
    find no problem: each key a record key or a property with a quick test, each column passing
    it, each required property given. Asked a column at a time; False only says: type them one by one."""
    if not datas:
        return False
    return _columns_accepted(run, len(datas), columns(datas), props)


def _columns_accepted(run: _Run, n: int, cols: dict[str, list[Any]], props: dict[str, Property]) -> bool:
    """`all_accepted` of `n` record datas given as their `columns`."""
    names = cols.keys() - _RECORD_KEYS
    tests = run.column_tests(props)
    if not names <= tests.keys():
        return False
    if not all(tests[name](cols[name]) for name in names):
        return False
    return all(len(cols.get(name, ())) == n for name in run.required(props))


def columns_accepted(schema: Schema, n: int, cols: dict[str, list[Any]], label: str | None) -> bool:
    """True when validating `n` record datas (entities of `label`, or facts when None), given as
    their `columns` (a key in every data has `n` values), would keep every value as it is and find
    no problem in any of them (`all_accepted`); the label or type column is not asked, nor are
    references between records and unique ids."""
    run = _Run(schema, model_of(schema))
    if label is None:
        return bool(n) and _columns_accepted(run, n, cols, schema.relationship_properties)
    return bool(n) and label in schema.labels and _columns_accepted(run, n, cols, run.props_of(label))


def fact_id(type_: str, start: str, end: str, props: dict[str, Any], identity: dict[str, str]) -> str:
    """A fact's id, deterministic from its identity: the same fact always gets the same id.

    `identity` maps the properties that make up a fact's identity (besides its type and ends) to
    the name each is hashed under (`Model.identity`). Figures and wording are left out of it in
    the project's schema, so correcting a figure or rephrasing evidence keeps the id and updates
    the fact in place; a renamed property is hashed under its old name, so the rename changes no id.
    """
    key = {"type": type_, "from": start, "to": end} | {hashed: props[k] for k, hashed in identity.items() if k in props}
    digest = hashlib.blake2b(json.dumps(key, sort_keys=True).encode(), digest_size=6).hexdigest()
    return f"{type_.lower().replace('_', '-')}-{digest}"


def _entity(run: _Run, rec: Record, checked: set[tuple[str, str]] | None = None) -> Entity | None:
    """`rec` as a typed entity, or None (its problems added to `run`); `checked`: the (file,
    label) groups whose every value `all_accepted` passed."""
    label = rec.data.get(LABEL)
    if label is None:
        run.add(rec, "missing 'label'; give it on the record or as 'label:' at the top of the file")
        return None
    if not isinstance(label, str) or label not in run.schema.labels:
        run.add(rec, f"unknown label {shown(label)}; use one of {', '.join(run.schema.labels)}{_suggest(label, run.schema.labels)}")
        return None
    props = _untyped(rec) if checked and (rec.file, label) in checked else _typed(run, rec, run.props_of(label), label)
    key = run.model.key
    if key not in props:
        return None
    return Entity(props[key], label, props, rec.file, rec.line)


def _fact(run: _Run, rec: Record, checked: set[tuple[str, str]] | None = None) -> tuple[Fact, Record] | None:
    """`rec` as a typed fact and the record as validated, or None; `checked` as for `_entity` (file, type)."""
    rec = run.with_header(rec)
    rtype = rec.data.get(TYPE)
    if not isinstance(rtype, str) or rtype not in run.schema.relationships:
        hint = _suggest(rtype, run.schema.relationships) if rtype else ""
        what = f"unknown relationship type {shown(rtype)}" if rtype else "missing 'type'"
        run.add(rec, f"{what}; use one declared in {run.schema.path.name}{hint}")
        return None
    props = _untyped(rec) if checked and (rec.file, rtype) in checked else _typed(run, rec, run.schema.relationship_properties, rtype)
    ends = {}
    for end in ("from", "to"):
        v = rec.data.get(end)
        if not isinstance(v, str) or not v.strip():
            run.add(rec, f"missing {end!r}; give the id of the entity the relationship {'starts' if end == 'from' else 'ends'} at")
        else:
            ends[end] = v
    if len(ends) < 2:
        return None
    rid = props.pop(run.model.key, None) or fact_id(rtype, ends["from"], ends["to"], props, run.model.identity)
    return Fact(rid, rtype, ends["from"], ends["to"], props, rec.file, rec.line), rec


def _check_refs(run: _Run, entities: dict[str, Entity], facts: list[tuple[Fact, Record]]) -> None:
    schema = run.schema
    ref_props = {n for n, p in schema.relationship_properties.items() if p.type == "ref"}
    for fact, rec in facts:
        refs = [("from", fact.start), ("to", fact.end)]
        refs += [(n, v) for n, v in fact.props.items() if n in ref_props]
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
    run = _Run(schema, model_of(schema))
    # Each file's entities of each label, and its facts of each type, are first checked a column
    # at a time: where every value passes (a million loaded entities), `_typed`'s call per value
    # is skipped; anything else goes through it, which words every problem as before.
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        if r.kind == "entity" and type(label := r.data.get(LABEL)) is str and label in run.schema.labels:
            groups.setdefault((r.file, label), []).append(r)
    checked = {key for key, recs in groups.items() if all_accepted(run, [r.data for r in recs], run.props_of(key[1]))}
    ents = [(e, r) for r in records if r.kind == "entity" and (e := _entity(run, r, checked)) is not None]
    fact_records = [r for r in records if r.kind == "fact"]
    facts_checked: set[tuple[str, str]] = set()
    if run.model.provenance is not None:  # then `with_header` reports nothing: done before the column check
        fact_records = [run.with_header(r) for r in fact_records]
        groups = {}
        for r in fact_records:
            if type(rtype := r.data.get(TYPE)) is str:
                groups.setdefault((r.file, rtype), []).append(r)
        props = run.schema.relationship_properties
        facts_checked = {key for key, recs in groups.items() if all_accepted(run, [r.data for r in recs], props)}
    facts = [f for r in fact_records if (f := _fact(run, r, facts_checked)) is not None]
    _check_unique(run, [(e.id, r) for e, r in ents], "id")
    _check_unique(run, [(f.id, r) for f, r in facts], "relationship id")
    by_id: dict[str, Entity] = {}
    for e, _ in ents:
        by_id.setdefault(e.id, e)
    _check_refs(run, by_id, facts)
    return [e for e, _ in ents], [f for f, _ in facts], run.problems
