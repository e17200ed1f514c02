"""Read the schema file (`data/schema.yaml`): the one place labels, relationship types,
their endpoints and property types are declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import SchemaError
from .locations import default_schema_path

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


def _property(name: str, spec: Any, where: str) -> Property:
    if not isinstance(spec, dict) or "type" not in spec:
        raise SchemaError(f"{where}: property {name!r} needs a mapping with a 'type'")
    if spec["type"] not in PROPERTY_TYPES:
        raise SchemaError(f"{where}: property {name!r} has unknown type {spec['type']!r}; use one of {sorted(PROPERTY_TYPES)}")
    return Property(
        name=name,
        type=spec["type"],
        required=bool(spec.get("required", False)),
        doc=str(spec.get("doc", "")),
        values=tuple(spec.get("values", ())),
        labels=tuple(spec.get("labels", ())),
        pattern=spec.get("pattern"),
        min=spec.get("min"),
    )


def _properties(specs: Any, where: str) -> dict[str, Property]:
    return {name: _property(name, spec, where) for name, spec in (specs or {}).items()}


def parse_schema(raw: Any, path: Path) -> Schema:
    """Build a Schema from the parsed YAML document `raw` read from `path`."""
    where = str(path)
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: the schema must be a mapping with 'labels' and 'relationships'")
    try:
        labels = {
            name: Label(
                name=name,
                doc=str(spec.get("doc", "")),
                properties=_properties(spec.get("properties"), f"{where}: label {name}"),
                color=spec.get("style", {}).get("color", "#999999"),
                shape=spec.get("style", {}).get("shape", "dot"),
            )
            for name, spec in raw["labels"].items()
        }
        rels = {
            name: RelationshipType(
                name=name,
                doc=str(spec.get("doc", "")),
                sources=tuple(spec["from"]),
                targets=tuple(spec["to"]),
                claim_key=tuple(spec.get("claim_key", ())),
                family=None if spec.get("family") is None else str(spec["family"]),
            )
            for name, spec in raw["relationships"].items()
        }
        style = raw.get("style") or {}
        families = {
            str(name): Family(name=str(name), doc=str(spec.get("doc", name)), color=str(spec["color"]))
            for name, spec in (style.get("families") or {}).items()
        }
        sanctioned_color = str((style.get("sanctioned") or {}).get("color", "#000000"))
        lo, hi = raw.get("year_range", [1900, 2100])
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise SchemaError(f"{where}: malformed schema ({exc!r}); compare with the layout documented at its top") from exc
    for rel in rels.values():
        for lab in (*rel.sources, *rel.targets):
            if lab not in labels:
                raise SchemaError(f"{where}: relationship {rel.name} names unknown label {lab!r}")
        if rel.family is not None and rel.family not in families:
            known = ", ".join(families) or "none declared"
            raise SchemaError(f"{where}: relationship {rel.name} names unknown family {rel.family!r}; style.families has: {known}")
    return Schema(
        path=path,
        version=int(raw.get("version", 1)),
        year_range=(int(lo), int(hi)),
        node_properties=_properties(raw.get("node_properties"), f"{where}: node_properties"),
        labels=labels,
        relationship_properties=_properties(raw.get("relationship_properties"), f"{where}: relationship_properties"),
        relationships=rels,
        figures=tuple(raw.get("figures", ())),
        sanctioned_label=str(raw.get("sanctioned_label", "Sanctioned")),
        families=families,
        sanctioned_color=sanctioned_color,
        raw=raw,
    )


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime: float) -> Schema:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read the schema file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: the schema file is not valid YAML: {exc}") from exc
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
