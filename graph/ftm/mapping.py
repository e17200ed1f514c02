"""The FollowTheMoney mapping (`data/ftm-mapping.yaml`): which FtM schema becomes which label or
relationship type, and which FtM property fills which property. Data, not code: this module only
reads and checks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import SchemaError
from ..locations import data_dir
from ..schema import Schema

__all__ = ["MAPPING_FILE", "EntityRule", "Mapping", "RelationRule", "check_mapping", "load_mapping"]

MAPPING_FILE = "ftm-mapping.yaml"


@dataclass(frozen=True)
class EntityRule:
    label: str
    properties: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RelationRule:
    type: str
    source: str  # FtM property holding the start's id
    target: str  # FtM property holding the end's id
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapping:
    path: Path
    entities: dict[str, EntityRule]
    relations: dict[str, RelationRule]
    sanction_schema: str
    sanction: RelationRule  # source is unused: the sanctioning state comes from country/authority
    country_properties: tuple[str, ...]
    identifiers: dict[str, tuple[str, tuple[str, ...]]]  # name -> (id template, FtM properties)
    datasets: dict[str, dict[str, str]]
    countries: dict[str, str]  # ISO alpha-2 (lower case) -> alpha-3

    def known(self, schema: str) -> bool:
        return schema in self.entities or schema in self.relations or schema == self.sanction_schema


def _strings(spec: Any, where: str) -> dict[str, str]:
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in spec.items()):
        raise SchemaError(f"{where}: expected a mapping of names to names")
    return dict(spec)


def parse_mapping(raw: Any, path: Path) -> Mapping:
    """Build a Mapping from the parsed YAML `raw` read from `path`; SchemaError when malformed."""
    where = str(path)
    try:
        entities = {
            name: EntityRule(
                spec["label"], _strings(spec.get("properties"), f"{where}: {name}"), _strings(spec.get("fixed"), f"{where}: {name}")
            )
            for name, spec in raw["entities"].items()
        }
        relations = {
            name: RelationRule(spec["type"], spec["from"], spec["to"], _strings(spec.get("properties"), f"{where}: {name}"))
            for name, spec in raw["relations"].items()
        }
        sanc = raw["sanctions"]
        sanction = RelationRule(sanc["type"], "", sanc["target"], _strings(sanc.get("properties"), f"{where}: sanctions"))
        identifiers = {
            name: (str(spec.get("ids", "{value}")), tuple(spec.get("properties", ())))
            for name, spec in (raw.get("identifiers") or {}).items()
        }
        datasets = {str(k): _strings(v, f"{where}: datasets: {k}") for k, v in (raw.get("datasets") or {}).items()}
        return Mapping(
            path=path,
            entities=entities,
            relations=relations,
            sanction_schema=str(sanc["schema"]),
            sanction=sanction,
            country_properties=tuple(raw.get("country_properties", ())),
            identifiers=identifiers,
            datasets=datasets,
            countries={str(k).lower(): str(v) for k, v in _strings(raw.get("countries"), f"{where}: countries").items()},
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise SchemaError(f"{where}: malformed FollowTheMoney mapping ({exc!r}); compare with the layout documented at its top") from exc


@lru_cache(maxsize=4)
def _load_cached(path: Path, mtime: float) -> Mapping:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaError(f"{path}: cannot read the FollowTheMoney mapping ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise SchemaError(f"{path}: the FollowTheMoney mapping is not valid YAML: {exc}") from exc
    return parse_mapping(raw, path)


def load_mapping(path: str | Path | None = None) -> Mapping:
    """Load the FtM mapping (default: the project's `data/ftm-mapping.yaml`).

    >>> load_mapping().entities["Airplane"].label
    'Aircraft'
    """
    p = Path(path) if path is not None else data_dir() / MAPPING_FILE
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise SchemaError(f"{p}: FollowTheMoney mapping not found; pass the path of an ftm-mapping.yaml") from exc
    return _load_cached(p.resolve(), mtime)


def check_mapping(mapping: Mapping, schema: Schema) -> list[str]:
    """What the mapping names that the schema does not declare (empty when they agree)."""
    out = []
    rel_props = schema.relationship_properties
    for name, rule in mapping.entities.items():
        if rule.label not in schema.labels:
            out.append(f"{name}: label {rule.label!r} is not in the schema")
            continue
        props = schema.node_properties_of(rule.label)
        out += [f"{name}: {rule.label} has no property {p!r}" for p in (*rule.properties.values(), *rule.fixed) if p not in props]
    for name, link in [*mapping.relations.items(), (mapping.sanction_schema, mapping.sanction)]:
        if link.type not in schema.relationships:
            out.append(f"{name}: relationship type {link.type!r} is not in the schema")
        out += [f"{name}: no relationship property {p!r}" for p in link.properties.values() if p not in rel_props]
    out += [f"identifier {n!r} is not a node property" for n in mapping.identifiers if n not in schema.node_properties]
    return out
