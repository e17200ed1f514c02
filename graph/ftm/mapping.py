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

__all__ = ["MAPPING_FILE", "EntityRule", "MadeEntity", "Mapping", "RelationRule", "check_mapping", "load_mapping"]

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
    evidence: str = "{dataset} lists a link between {a} and {b}"  # the relation in plain words


@dataclass(frozen=True)
class MadeEntity:
    """An entity the loader makes itself (a dataset's Source, a sanctions authority): its label
    and fixed properties."""

    label: str
    fixed: dict[str, str] = field(default_factory=dict)


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
    state_property: str  # the node property holding a curated state's alpha-3 code
    authority: MadeEntity  # a sanctions authority that is no curated state
    source_property: str  # the relationship property naming a loaded relation's Source
    dataset: MadeEntity  # the Source entity a dataset becomes
    details: dict[str, str]  # relationship property -> the word introducing it in the evidence

    def known(self, schema: str) -> bool:
        return schema in self.entities or schema in self.relations or schema == self.sanction_schema


def _strings(spec: Any, where: str) -> dict[str, str]:
    if spec is None:
        return {}
    if not isinstance(spec, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in spec.items()):
        raise SchemaError(f"{where}: expected a mapping of names to names")
    return dict(spec)


def _relation(spec: dict[str, Any], source: str, target: str, where: str) -> RelationRule:
    said = {"evidence": str(spec["evidence"])} if "evidence" in spec else {}
    return RelationRule(spec["type"], source, target, _strings(spec.get("properties"), where), **said)


def _made(spec: dict[str, Any], where: str) -> MadeEntity:
    return MadeEntity(str(spec["label"]), _strings(spec.get("fixed"), where))


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
        relations = {name: _relation(spec, spec["from"], spec["to"], f"{where}: {name}") for name, spec in raw["relations"].items()}
        sanc, prov = raw["sanctions"], raw["provenance"]
        sanction = _relation(sanc, "", sanc["target"], f"{where}: sanctions")
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
            countries={str(k).lower(): str(v) for k, v in _strings(raw.get("country_iso3"), f"{where}: country_iso3").items()},
            state_property=str(sanc["state_property"]),
            authority=_made(sanc["authority_entity"], f"{where}: sanctions: authority_entity"),
            source_property=str(prov["source"]),
            dataset=_made(prov["dataset_entity"], f"{where}: provenance: dataset_entity"),
            details=_strings(prov.get("details"), f"{where}: provenance: details"),
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
    made = {"sanctions: authority_entity": mapping.authority, "provenance: dataset_entity": mapping.dataset}
    labelled: list[tuple[str, str, tuple[str, ...]]] = [
        *((name, rule.label, (*rule.properties.values(), *rule.fixed)) for name, rule in mapping.entities.items()),
        *((name, m.label, tuple(m.fixed)) for name, m in made.items()),
    ]
    for name, label, named in labelled:
        if label not in schema.labels:
            out.append(f"{name}: label {label!r} is not in the schema")
            continue
        props = schema.node_properties_of(label)
        out += [f"{name}: {label} has no property {p!r}" for p in named if p not in props]
    for name, link in [*mapping.relations.items(), (mapping.sanction_schema, mapping.sanction)]:
        if link.type not in schema.relationships:
            out.append(f"{name}: relationship type {link.type!r} is not in the schema")
        out += [f"{name}: no relationship property {p!r}" for p in link.properties.values() if p not in rel_props]
    out += [f"identifier {n!r} is not a node property" for n in mapping.identifiers if n not in schema.node_properties]
    if not any(mapping.state_property in schema.node_properties_of(label) for label in schema.labels):
        out.append(f"sanctions: state_property {mapping.state_property!r} is not a node property")
    out += [f"provenance: no relationship property {p!r}" for p in (mapping.source_property, *mapping.details) if p not in rel_props]
    return out
