"""Read the schema file (`data/schema.yaml`): the one place labels, relationship types,
their endpoints and property types are declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import SchemaError, shown
from .locations import default_schema_path
from .read import MAX_YAML_BYTES, display_path, read_text
from .yaml_loader import YamlProblem, load_yaml

__all__ = ["Family", "Label", "Property", "RelationshipType", "Schema", "load_schema"]

PROPERTY_TYPES = {"string", "int", "number", "bool", "date", "list[string]", "enum", "ref"}
YEAR_PROPERTIES = ("year", "start_year", "end_year")


@dataclass(frozen=True)
class Property:
    """A declared property: its type and the constraints that go with it."""

    name: str
    type: str
    required: bool = False
    doc: str = ""
    values: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    pattern: str | None = None
    min: float | None = None

    @property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern) if self.pattern else None


@dataclass(frozen=True)
class Label:
    name: str
    doc: str
    properties: dict[str, Property]
    color: str = "#999999"
    shape: str = "dot"


@dataclass(frozen=True)
class RelationshipType:
    name: str
    doc: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    claim_key: tuple[str, ...] = ()
    family: str | None = None


@dataclass(frozen=True)
class Family:
    """A group of relationship types drawn in one colour (the schema's `style.families`)."""

    name: str
    doc: str
    color: str


@dataclass(frozen=True)
class Schema:
    """The data model. `node_properties` apply to every label; `labels[L].properties` add to them."""

    path: Path
    version: int
    year_range: tuple[int, int]
    node_properties: dict[str, Property]
    labels: dict[str, Label]
    relationship_properties: dict[str, Property]
    relationships: dict[str, RelationshipType]
    figures: tuple[str, ...] = ()
    sanctioned_label: str = "Sanctioned"
    families: dict[str, Family] = field(default_factory=dict)
    sanctioned_color: str = "#000000"
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def node_properties_of(self, label: str) -> dict[str, Property]:
        """Every property a node of `label` may carry, common ones first."""
        return {**self.node_properties, **self.labels[label].properties}

    def endpoint_pairs(self) -> list[tuple[str, str, str]]:
        """Every allowed (start label, type, end label) triple, in schema order."""
        return [(s, r.name, t) for r in self.relationships.values() for s in r.sources for t in r.targets]


class _Where:
    """Where in the schema file a declaration is, for messages: `schema.yaml:12: label State`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, node: Any, what: str, message: str, parent: Any = None, key: str | None = None) -> SchemaError:
        """The error at `node`'s line, else at the line of `key` in `parent`, else at `parent`'s."""
        line = getattr(node, "line", 0) or getattr(parent, "key_lines", {}).get(key, 0) or getattr(parent, "line", 0)
        where = f"{display_path(self.path)}:{line}" if line else display_path(self.path)
        head = f"{where}: {what}: " if what else f"{where}: "
        return SchemaError(f"{head}{message}; compare with the layout documented at the top of data/schema.yaml")

    def mapping(self, parent: Any, key: str, what: str, *, required: bool = False) -> dict[str, Any]:
        """`parent[key]`, which must be a mapping (an absent one is empty unless `required`)."""
        node = parent.get(key)
        if node is None and not required:
            return {}
        if not isinstance(node, dict):
            raise self.error(node, what, f"must be a mapping, got {shown(node)}", parent, key)
        return node

    def names(self, parent: Any, key: str, what: str) -> tuple[str, ...]:
        """`parent[key]`, which must be a list of names (absent: none)."""
        node = parent.get(key, [])
        if not isinstance(node, list) or not all(isinstance(n, str) for n in node):
            raise self.error(node, what, f"must be a list of names, e.g. [State, Region], got {shown(node)}", parent, key)
        return tuple(node)


def _property(name: str, specs: Any, where: _Where, what: str) -> Property:
    what = f"{what} property {name!r}"
    spec = where.mapping(specs, name, what, required=True)
    if spec.get("type") not in PROPERTY_TYPES:
        raise where.error(spec, what, f"needs a 'type', one of {', '.join(sorted(PROPERTY_TYPES))}; got {shown(spec.get('type'))}")
    values = where.names(spec, "values", f"{what} 'values'")
    if spec["type"] == "enum" and not values:
        raise where.error(spec, what, "an enum needs its 'values'")
    pattern, minimum, required = spec.get("pattern"), spec.get("min"), spec.get("required", False)
    if not isinstance(required, bool):
        raise where.error(spec, what, f"'required' must be true or false, got {shown(required)}")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise where.error(spec, what, f"'pattern' {shown(pattern)} is not a regular expression ({exc})") from None
    if minimum is not None and (not isinstance(minimum, (int, float)) or isinstance(minimum, bool) or minimum != minimum):
        raise where.error(spec, what, f"'min' must be a number, got {shown(minimum)}")
    return Property(
        name=name,
        type=spec["type"],
        required=required,
        doc=str(spec.get("doc", "")),
        values=values,
        labels=where.names(spec, "labels", f"{what} 'labels'"),
        pattern=pattern,
        min=minimum,
    )


def _properties(parent: Any, key: str, where: _Where, what: str) -> dict[str, Property]:
    specs = where.mapping(parent, key, f"{what} {key!r}" if what else repr(key))
    return {name: _property(name, specs, where, what or key) for name in specs}


def _label(name: str, specs: Any, where: _Where) -> Label:
    what = f"label {name}"
    spec = where.mapping(specs, name, what, required=True)
    style = where.mapping(spec, "style", f"{what} 'style'")
    return Label(
        name=name,
        doc=str(spec.get("doc", "")),
        properties=_properties(spec, "properties", where, what),
        color=str(style.get("color", "#999999")),
        shape=str(style.get("shape", "dot")),
    )


def _relationship(name: str, specs: Any, where: _Where, labels: dict[str, Label], families: dict[str, Family]) -> RelationshipType:
    what = f"relationship {name}"
    spec = where.mapping(specs, name, what, required=True)
    ends = {end: where.names(spec, end, f"{what} {end!r}") for end in ("from", "to")}
    for label in (*ends["from"], *ends["to"]):
        if label not in labels:
            raise where.error(spec, what, f"names unknown label {label!r}; declare it under 'labels'")
    family = spec.get("family")
    if family is not None and family not in families:
        known = ", ".join(families) or "none declared"
        raise where.error(spec, what, f"names unknown family {shown(family)}; style.families has: {known}", spec, "family")
    return RelationshipType(
        name=name,
        doc=str(spec.get("doc", "")),
        sources=ends["from"],
        targets=ends["to"],
        claim_key=where.names(spec, "claim_key", f"{what} 'claim_key'"),
        family=None if family is None else str(family),
    )


def _families(style: dict[str, Any], where: _Where) -> dict[str, Family]:
    specs = where.mapping(style, "families", "'style.families'")
    families = {}
    for name in specs:
        what = f"style family {name}"
        spec = where.mapping(specs, name, what, required=True)
        if not isinstance(spec.get("color"), str):
            raise where.error(spec, what, f"needs a 'color', e.g. \"#1f77b4\", got {shown(spec.get('color'))}")
        families[str(name)] = Family(name=str(name), doc=str(spec.get("doc", name)), color=spec["color"])
    return families


def parse_schema(raw: Any, path: Path) -> Schema:
    """Build a Schema from the parsed YAML document `raw` read from `path`.

    Raises `SchemaError` naming the file, the line (when `raw` came from the YAML reader) and the
    declaration that is wrong.
    """
    where = _Where(path)
    if not isinstance(raw, dict):
        raise where.error(raw, "", f"the schema must be a mapping with 'labels' and 'relationships', got {shown(raw)}")
    for key in ("labels", "relationships"):
        if key not in raw:
            raise where.error(raw, "", f"missing {key!r}")
    label_specs = where.mapping(raw, "labels", "'labels'", required=True)
    labels = {name: _label(name, label_specs, where) for name in label_specs}
    style = where.mapping(raw, "style", "'style'")
    families = _families(style, where)
    sanctioned_color = str(where.mapping(style, "sanctioned", "'style.sanctioned'").get("color", "#000000"))
    rel_specs = where.mapping(raw, "relationships", "'relationships'", required=True)
    rels = {name: _relationship(name, rel_specs, where, labels, families) for name in rel_specs}
    years = raw.get("year_range", [1900, 2100])
    if not (isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) and not isinstance(y, bool) for y in years)):
        raise where.error(years, "'year_range'", f"must be a list of two years, e.g. [1900, 2030], got {shown(years)}", raw, "year_range")
    version = raw.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise where.error(version, "'version'", f"must be a whole number, got {shown(version)}", raw, "version")
    return Schema(
        path=path,
        version=version,
        year_range=(years[0], years[1]),
        node_properties=_properties(raw, "node_properties", where, ""),
        labels=labels,
        relationship_properties=_properties(raw, "relationship_properties", where, ""),
        relationships=rels,
        figures=where.names(raw, "figures", "'figures'"),
        sanctioned_label=str(raw.get("sanctioned_label", "Sanctioned")),
        families=families,
        sanctioned_color=sanctioned_color,
        raw=raw,
    )


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime: float) -> Schema:
    text, problem = read_text(path, MAX_YAML_BYTES, "YAML")
    if text is None:
        raise SchemaError(f"{problem}" if problem else f"{display_path(path)}: cannot read the schema file")
    try:
        raw, duplicates = load_yaml(text)
    except YamlProblem as exc:
        raise SchemaError(f"{display_path(path)}:{exc.line}: {exc.message}") from None
    if duplicates:
        line, key = duplicates[0]
        raise SchemaError(f"{display_path(path)}:{line}: key {shown(key)} appears twice in one mapping; keep one")
    return parse_schema(raw, path)


def load_schema(path: str | Path | None = None) -> Schema:
    """Load the schema file (default: the project's `data/schema.yaml`).

    >>> schema = load_schema()
    >>> "DEPLOYED_TO" in schema.relationships
    True
    """
    p = Path(path) if path is not None else default_schema_path()
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise SchemaError(f"{p}: schema file not found; pass the path of a schema.yaml") from exc
    return _load_cached(p.resolve(), mtime)
