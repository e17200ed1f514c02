"""One typed model of rows between the graph and every target.

`Model(schema)` reads the schema once: the labels, the relationship types and their endpoint
pairs, the type of every property, and the *roles* some names play (`roles:` in the schema file:
which property is an entity's name, which one names the document a fact comes from, which
relationship type marks its target as sanctioned, ...). `model.rows(G)` then turns a
`MultiDiGraph` into typed rows, checking it against the schema in one pass and reporting every
problem at once. The Bolt export, the Cypher script, the neo4j-admin files, the GraphML, GEXF and
node-link files, the DataFrames and the CLI only *format* these rows; no target decides on its own
what a missing value or an unknown label means.

**The graph's own names.** A node's schema label is its attribute ``label`` and a relationship's
type its attribute ``type`` (`LABEL`, `TYPE`); the node key is the entity's id and the edge key the
relationship's id (the schema's ``key`` role), never an attribute. No attribute may be named
``source``, ``target`` or ``key`` (`RESERVED`): networkx, pandas, Cytoscape and pyvis use those
names for an edge's ends and key, and would silently overwrite or refuse them.

**The conversion rule** (`Model.convert`), the same for every target:

- ``None``, a float NaN and pandas' ``NA``/``NaT`` mean "no value": the property is left out.
- A declared property gets the Python type of its schema type: ``string``, ``enum`` and ``ref``
  are `str`; ``date`` is an ISO `str` (a `datetime.date` becomes its ISO text; partial dates such
  as ``2020-03`` stay as written); ``int`` is `int` (a float with no fractional part, as pandas
  leaves whole numbers in columns with gaps, becomes an `int`); ``number`` is always a `float`
  (``10`` becomes ``10.0``), so one property never mixes integers and decimals; ``bool`` is
  `bool`; ``list[string]`` is a `list` of `str` (a tuple becomes a list, a set a sorted list).
  NumPy scalars become the Python scalar. Anything else is a problem (`ModelError`), never a
  silent cast.
- Infinity stays a `float` (``number`` only); each target writes it in its own syntax.
- An undeclared attribute (one a notebook user added) keeps its value, normalised the same way:
  NumPy scalars to Python, dates to ISO text, tuples to lists, sets to sorted lists, inside
  lists and maps too. Targets that need one type per column (GraphML, GEXF) infer it with
  `infer_type`.

Nothing here reads a file or opens a connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import ModelError, Problem, SchemaError
from .schema import Property, Schema

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = [
    "LABEL",
    "RESERVED",
    "TYPE",
    "Column",
    "GraphRows",
    "Model",
    "NodeGroup",
    "NodeRow",
    "RelationGroup",
    "RelationRow",
    "infer_type",
    "is_missing",
    "model_of",
    "no_gc",
    "normalise",
    "one_type_each",
    "plain_type",
]

LABEL = "label"
"""The node attribute holding the entity's schema label."""
TYPE = "type"
"""The edge attribute holding the relationship's type."""
RESERVED = ("source", "target", "key")
"""Attribute names networkx, pandas, Cytoscape and pyvis use for an edge's ends and key."""

_ROLE_NAMES = (
    "key",
    "name",
    "aliases",
    "provenance",
    "title",
    "locator",
    "evidence",
    "claim",
    "qualifiers",
    "year",
    "span",
    "date",
    "sanctions",
    "sanctioned",
    "sanctioned_by",
)


@dataclass(frozen=True)
class Column:
    """A property as the targets see it: its name, its schema type, and whether the schema declares it."""

    name: str
    type: str
    declared: bool = True
    doc: str = ""


@dataclass(slots=True)
class NodeRow:
    """One entity: its id, its schema label and its properties (converted; absent values left out)."""

    id: str
    label: str
    properties: dict[str, Any]


@dataclass(slots=True)
class RelationRow:
    """One relationship: its id, type, ends (ids and labels) and properties (converted)."""

    id: str
    type: str
    start: str
    end: str
    start_label: str
    end_label: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class NodeGroup:
    """The rows of one label, sanctioned or not (one static Neo4j MERGE serves each group)."""

    label: str
    sanctioned: bool
    rows: list[NodeRow]


@dataclass(frozen=True)
class RelationGroup:
    """The rows of one (start label, type, end label)."""

    start: str
    type: str
    end: str
    rows: list[RelationRow]


@dataclass(frozen=True)
class GraphRows:
    """Every node and relationship of a graph as typed rows, in the graph's order."""

    nodes: list[NodeRow]
    relations: list[RelationRow]
    graph: dict[str, Any] = field(default_factory=dict)


# --- the conversion rule ----------------------------------------------------------------------


@contextlib.contextmanager
def no_gc(*, kept: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while rows are made: a million new dicts would trigger
    collections that each walk the whole graph, for nothing (rows hold no cycles).

    `kept`: what was made is kept (a loaded graph). Then it goes straight to the oldest
    generation at the end (`gc.freeze` then `gc.unfreeze`, unless the caller froze objects
    itself), where only full collections walk it; else the first young collection after would
    walk all of it, then the middle generation's again, before it got there."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if kept and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def is_missing(v: Any) -> bool:
    """None, a float NaN, or pandas' NA / NaT: no value."""
    if v is None:
        return True
    if isinstance(v, float):
        return v != v
    return type(v).__name__ in ("NAType", "NaTType")


def _numpy_scalar(v: Any) -> Any:
    """The Python scalar of a NumPy scalar (anything with `.item()` from numpy), else `v`."""
    if type(v).__module__ == "numpy" and hasattr(v, "item"):
        return v.item()
    return v


def normalise(v: Any) -> Any:
    """An undeclared value in plain Python: see the module docstring. Missing values give None."""
    if is_missing(v):
        return None
    v = _numpy_scalar(v)
    if isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [normalise(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return [normalise(x) for x in sorted(v, key=repr)]
    if isinstance(v, Mapping):
        return {str(k): normalise(x) for k, x in v.items()}
    return v


class _Bad(Exception):
    """A value that does not fit its declared type (turned into a Problem by the caller)."""


def _to_str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise _Bad("text")


def _to_date(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    raise _Bad("an ISO date")


def _to_int(v: Any) -> int:
    v = _numpy_scalar(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    raise _Bad("a whole number")


def _to_float(v: Any) -> float:
    v = _numpy_scalar(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    raise _Bad("a number")


def _to_bool(v: Any) -> bool:
    v = _numpy_scalar(v)
    if isinstance(v, bool):
        return v
    raise _Bad("true or false")


def _to_strings(v: Any) -> list[str]:
    items = sorted(v) if isinstance(v, (set, frozenset)) and all(isinstance(x, str) for x in v) else v
    if isinstance(items, (list, tuple)) and all(isinstance(x, str) for x in items):
        return list(items)
    raise _Bad("a list of text")


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "string": _to_str,
    "enum": _to_str,
    "ref": _to_str,
    "date": _to_date,
    "int": _to_int,
    "number": _to_float,
    "bool": _to_bool,
    "list[string]": _to_strings,
}


def infer_type(values: Iterable[Any]) -> str:
    """The one type that holds every (normalised, present) value of an undeclared column.

    ``bool``, ``int``, ``number`` (ints and floats together), ``string``, ``list[string]``, or
    ``json`` for anything else (maps, lists of other things, mixed kinds): written as JSON text.
    """
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("bool")
        elif isinstance(v, int):
            kinds.add("int")
        elif isinstance(v, float):
            kinds.add("number")
        elif isinstance(v, str):
            kinds.add("string")
        elif isinstance(v, list) and all(isinstance(x, str) for x in v):
            kinds.add("list[string]")
        else:
            kinds.add("json")
    if kinds <= {"int", "number"} and kinds:
        return "number" if "number" in kinds else "int"
    if len(kinds) == 1:
        return kinds.pop()
    return "json" if kinds else "string"


def one_type_each(declared: Iterable[tuple[str, str, str]]) -> tuple[dict[str, str], str | None]:
    """Node properties declared per label, ``(label, name, type)``, as one type per name (first
    declaration order), for targets with one column or attribute per name; and, when a name has
    two types, what clashes (``"property beds is int on Hospital but string on City"``), for the
    target to raise in its own words.

    >>> one_type_each([("A", "x", "int"), ("B", "x", "int"), ("B", "y", "string")])
    ({'x': 'int', 'y': 'string'}, None)
    >>> one_type_each([("A", "x", "int"), ("B", "x", "string")])[1]
    'property x is int on A but string on B'
    """
    types: dict[str, str] = {}
    first: dict[str, str] = {}
    for label, name, t in declared:
        if name in types and types[name] != t:
            return types, f"property {name} is {types[name]} on {first[name]} but {t} on {label}"
        types.setdefault(name, t)
        first.setdefault(name, label)
    return types, None


# --- the model ---------------------------------------------------------------------------------


class Model:
    """The schema as every target needs it. Build it once per schema (`model_of` caches it)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.labels: tuple[str, ...] = tuple(schema.labels)
        self.types: tuple[str, ...] = tuple(schema.relationships)
        self.endpoint_pairs: tuple[tuple[str, str, str], ...] = tuple(schema.endpoint_pairs())
        self._pairs = set(self.endpoint_pairs)
        self._may_match = {(a, b) for a, lab in schema.labels.items() for b in lab.may_match}
        self.sanctioned_label: str | None = schema.sanctioned_label or None
        self.figures: tuple[str, ...] = schema.figures
        roles = schema.raw.get("roles") or {}
        if not isinstance(roles, dict):
            raise SchemaError(f"{schema.path}: 'roles' must be a mapping of role to name; see the comment above it in data/schema.yaml")
        unknown = sorted(set(roles) - set(_ROLE_NAMES))
        if unknown:
            raise SchemaError(f"{schema.path}: unknown role {unknown[0]!r} under 'roles'; the roles are {', '.join(_ROLE_NAMES)}")
        self._roles = roles
        # the readers take an entity's and a relationship's key from this column, so a schema that
        # leaves the role out still has it
        self.key: str = self._one("key") or "id"
        self.name: str | None = self._one("name")
        self.aliases: str | None = self._one("aliases")
        self.provenance: str | None = self._one("provenance")
        self.title: str | None = self._one("title")
        self.locator: str | None = self._one("locator")
        self.evidence: str | None = self._one("evidence")
        self.claim: str | None = self._one("claim")
        self.year: str | None = self._one("year")
        self.date: str | None = self._one("date")
        self.sanctions: str | None = self._one("sanctions")
        self.sanctioned: str | None = self._one("sanctioned")
        self.sanctioned_by: str | None = self._one("sanctioned_by")
        self.qualifiers: tuple[str, ...] = self._many("qualifiers")
        span = self._many("span")
        if span and len(span) != 2:
            raise SchemaError(f"{schema.path}: role 'span' must name two properties, the first and the last year")
        self.span: tuple[str, str] | None = (span[0], span[1]) if span else None
        rel_props = schema.relationship_properties
        prov = rel_props.get(self.provenance) if self.provenance else None
        self.document_label: str | None = prov.labels[0] if prov is not None and prov.labels else None
        self.mentions: tuple[str, ...] = tuple(n for n, p in rel_props.items() if p.type == "ref" and n != self.provenance)
        """Relationship properties that name an entity besides the ends and the document."""
        identity = schema.identity if schema.identity is not None else tuple(n for n in rel_props if n != self.key)
        self.identity: dict[str, str] = {n: rel_props[n].formerly or n for n in identity}
        """The relationship properties a fact's id is made of (besides its type and ends), each with the name it
        is hashed under: its old name when it was renamed, so that a rename changes no id."""
        self._node_columns = {label: self._columns_of_label(label) for label in self.labels}
        self._relation_columns = {n: self._column(p) for n, p in rel_props.items() if n != self.key}
        # name -> the Python type a value of the column already has when nothing needs converting
        self._node_plain = {label: _plain_types(cols) for label, cols in self._node_columns.items()}
        self._relation_plain = _plain_types(self._relation_columns)
        self._check_names()

    # roles ----------------------------------------------------------------------------------------

    def _one(self, role: str) -> str | None:
        value = self._roles.get(role)
        if value is not None and not isinstance(value, str):
            raise SchemaError(f"{self.schema.path}: role {role!r} must name one property or type, not {value!r}")
        return value

    def _many(self, role: str) -> tuple[str, ...]:
        value = self._roles.get(role) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SchemaError(f"{self.schema.path}: role {role!r} must be a list of property names, not {value!r}")
        return tuple(value)

    def _check_names(self) -> None:
        where = self.schema.path
        node_props = {n for label in self.labels for n in self.schema.node_properties_of(label)}
        rel_props = set(self.schema.relationship_properties)
        for prop in sorted((node_props | rel_props) - {self.key}):
            if prop in RESERVED or prop in (LABEL, TYPE):
                raise SchemaError(
                    f"{where}: property {prop!r} cannot be used: networkx, pandas, Cytoscape and pyvis use it for an edge's "
                    "ends and key (and 'label'/'type' hold the schema label and relationship type); rename it"
                )
        checks = [
            ("name", self.name, node_props),
            ("aliases", self.aliases, node_props),
            ("provenance", self.provenance, rel_props),
            ("locator", self.locator, rel_props),
            ("evidence", self.evidence, rel_props),
            ("claim", self.claim, rel_props),
            ("year", self.year, rel_props),
            ("date", self.date, rel_props),
            *(("qualifiers", q, rel_props) for q in self.qualifiers),
            *(("span", s, rel_props) for s in self.span or ()),
        ]
        for role, name, allowed in checks:
            if name is not None and name not in allowed:
                raise SchemaError(f"{where}: role {role!r} names {name!r}, which the schema does not declare; declare it or fix the role")
        if self.title is not None and (self.document_label is None or self.title not in self.schema.labels[self.document_label].properties):
            raise SchemaError(f"{where}: role 'title' names {self.title!r}, which is not a property of the documents' label")
        if self.sanctions is not None and self.sanctions not in self.schema.relationships:
            raise SchemaError(f"{where}: role 'sanctions' names {self.sanctions!r}, which is not a relationship type")
        if (self.sanctions is None) != (self.sanctioned is None):
            raise SchemaError(f"{where}: roles 'sanctions' and 'sanctioned' go together; give both or neither")

    # columns --------------------------------------------------------------------------------------

    @staticmethod
    def _column(p: Property) -> Column:
        return Column(p.name, p.type, True, p.doc)

    def _columns_of_label(self, label: str) -> dict[str, Column]:
        cols = {n: self._column(p) for n, p in self.schema.node_properties_of(label).items() if n != self.key}
        if self.sanctioned:
            cols[self.sanctioned] = Column(self.sanctioned, "bool", True, "True for the targets of a sanctions relationship.")
        if self.sanctioned_by:
            cols[self.sanctioned_by] = Column(self.sanctioned_by, "list[string]", True, "The ids of who sanctioned it.")
        return cols

    def node_columns(self, label: str) -> dict[str, Column]:
        """The declared properties of a node of `label`, in schema order: common ones, its own, then derived ones."""
        return self._node_columns[label]

    def relation_columns(self) -> dict[str, Column]:
        """The declared relationship properties, in schema order (the key left out)."""
        return self._relation_columns

    def all_node_columns(self) -> dict[str, Column]:
        """Every declared node property of every label, once, in schema order (a property's first declaration wins)."""
        out: dict[str, Column] = {}
        for label in self.labels:
            for n, c in self._node_columns[label].items():
                out.setdefault(n, c)
        return out

    # conversion -----------------------------------------------------------------------------------

    def convert(self, column: Column | None, value: Any) -> Any:
        """One value by the conversion rule: None when missing; raises `ValueError` when it does not fit."""
        if is_missing(value):
            return None
        if column is None or not column.declared:
            return normalise(value)
        try:
            return _CONVERT[column.type](value)
        except _Bad as bad:
            raise ValueError(f"{column.name!r} must be {bad} (schema type {column.type}), got {value!r}") from None

    def _properties(
        self,
        attrs: Mapping[str, Any],
        columns: Mapping[str, Column],
        plain: Mapping[str, type],
        skip: str,
        what: Callable[[], str],
        problems: list[Problem],
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in attrs.items():
            if type(v) is plain.get(k):  # the common case: a declared property already of its type
                out[k] = v
                continue
            if k == skip or v is None:
                continue
            if k in RESERVED or k == self.key:
                problems.append(
                    Problem("", 0, what(), f"attribute {k!r} would be lost in networkx, pandas and the exchange formats; rename it")
                )
                continue
            try:
                c = self.convert(columns.get(k), v)
            except ValueError as exc:
                problems.append(Problem("", 0, what(), str(exc)))
                continue
            if c is not None:
                out[k] = c
        return out

    # rows -----------------------------------------------------------------------------------------

    @staticmethod
    def raise_problems(problems: list[Problem]) -> None:
        """Raise `ModelError` when `problems` is not empty."""
        if problems:
            raise ModelError(problems)

    def _label_problem(self, node: Any, label: Any) -> str:
        return (
            f"label {label!r} is not one of the schema's labels ({', '.join(self.labels)}); fix the data, or give the schema "
            f"the graph was built with (schema= in Python, --schema on the command line; this one is {self.schema.path})"
        )

    def node_row(self, node: Any, attrs: Mapping[str, Any], problems: list[Problem]) -> NodeRow | None:
        """One node as a row; what is wrong goes to `problems` (and None is returned for a bad id or label)."""
        label = attrs.get(LABEL)
        if not isinstance(node, str):
            problems.append(Problem("", 0, f"entity {node!r}", "ids must be text"))
            return None
        if label not in self._node_columns:
            problems.append(Problem("", 0, f"entity {node!r}", self._label_problem(node, label)))
            return None
        props = self._properties(attrs, self._node_columns[label], self._node_plain[label], LABEL, lambda: f"entity {node!r}", problems)
        return NodeRow(node, label, props)

    def relation_row(
        self, u: Any, v: Any, key: Any, attrs: Mapping[str, Any], start_label: str, end_label: str, problems: list[Problem]
    ) -> RelationRow | None:
        """One relationship as a row, its ends' labels given; what is wrong goes to `problems`."""
        rtype = attrs.get(TYPE)

        def what() -> str:
            return f"relationship {key!r} ({u} -[{rtype}]-> {v})"

        if (start_label, rtype, end_label) not in self._pairs:
            problems.append(
                Problem(
                    "",
                    0,
                    what(),
                    f"{start_label} -[{rtype}]-> {end_label} is not allowed by the schema ({self.schema.path}); fix the data or the schema",
                )
            )
            return None
        props = self._properties(attrs, self._relation_columns, self._relation_plain, TYPE, what, problems)
        return RelationRow(key if type(key) is str else str(key), str(rtype), u, v, start_label, end_label, props)

    def rows(self, G: nx.MultiDiGraph) -> GraphRows:
        """Every node and relationship of `G` as typed rows; raises `ModelError` listing every problem.

        Problems: a node whose label the schema does not declare, a relationship whose (start
        label, type, end label) it does not allow, a value that does not fit its declared type, an
        attribute with a reserved name, an id that is not text.
        """
        problems: list[Problem] = []
        nodes: list[NodeRow] = []
        labels: dict[Any, str] = {}
        relations: list[RelationRow] = []
        with no_gc():
            for node, attrs in G.nodes(data=True):
                row = self.node_row(node, attrs, problems)
                if row is not None:
                    labels[node] = row.label
                    nodes.append(row)
            for u, v, key, attrs in G.edges(keys=True, data=True):
                if u in labels and v in labels:  # else the node's problem is reported already
                    rel = self.relation_row(u, v, key, attrs, labels[u], labels[v], problems)
                    if rel is not None:
                        relations.append(rel)
        if problems:
            raise ModelError(problems)
        return GraphRows(nodes, relations, {str(k): normalise(v) for k, v in G.graph.items()})

    def check(self, G: nx.MultiDiGraph) -> None:
        """Raise `ModelError` when `G` does not fit the schema (see `rows`)."""
        self.rows(G)

    def node_groups(self, rows: GraphRows) -> list[NodeGroup]:
        """Nodes grouped by (label, sanctioned), labels in schema order, unsanctioned first."""
        groups: dict[tuple[str, bool], list[NodeRow]] = {}
        for r in rows.nodes:
            groups.setdefault((r.label, self.is_sanctioned(r)), []).append(r)
        order = {label: i for i, label in enumerate(self.labels)}
        return [NodeGroup(lab, s, rs) for (lab, s), rs in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))]

    def relation_groups(self, rows: GraphRows) -> list[RelationGroup]:
        """Relationships grouped by (start label, type, end label), in the schema's endpoint order."""
        groups: dict[tuple[str, str, str], list[RelationRow]] = {}
        for r in rows.relations:
            groups.setdefault((r.start_label, r.type, r.end_label), []).append(r)
        return [RelationGroup(s, t, e, groups[(s, t, e)]) for (s, t, e) in self.endpoint_pairs if (s, t, e) in groups]

    def is_sanctioned(self, row: NodeRow) -> bool:
        return bool(self.sanctioned and row.properties.get(self.sanctioned))

    def may_be_same(self, a: str, b: str) -> bool:
        """Whether entities labelled `a` and `b` may be one entity: the same label, or either lists the other
        under `may_match` in the schema (a sanctions list's LegalEntity may be a curated Company)."""
        return a == b or (a, b) in self._may_match or (b, a) in self._may_match

    # what the tools show ------------------------------------------------------------------------

    def name_of(self, node: str, attrs: Mapping[str, Any]) -> str:
        """An entity's display name: its name property, else its id."""
        value = attrs.get(self.name) if self.name else None
        return str(value) if value is not None else str(node)

    def names_of(self, node: str, attrs: Mapping[str, Any]) -> list[str]:
        """Every name an entity is found by: its id, its name and its aliases."""
        aliases = attrs.get(self.aliases) if self.aliases else None
        return [str(node), self.name_of(node, attrs), *(str(a) for a in (aliases or []))]

    def document_title(self, G: nx.MultiDiGraph, document: Any) -> Any:
        """The title of the document `document` (an id) names, or None when it is not in `G`."""
        if document is None or document not in G:
            return None
        attrs = G.nodes[document]
        return attrs.get(self.title) if self.title else None

    def years(self, attrs: Mapping[str, Any]) -> tuple[int, int] | None:
        """The span of years a relationship holds: its year, else its span, else the year of its date."""
        if self.year and attrs.get(self.year) is not None:
            y = int(attrs[self.year])
            return y, y
        given = [int(attrs[k]) for k in self.span or () if attrs.get(k) is not None]
        if given:
            return min(given), max(given)
        date = attrs.get(self.date) if self.date else None
        if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
            return int(date[:4]), int(date[:4])
        return None

    def describe(self) -> dict[str, Any]:
        """What a page or a client needs to know of the schema, as JSON-ready data (no names to spell out)."""
        return {
            "labels": [{"name": lab.name, "doc": lab.doc, "color": lab.color, "shape": lab.shape} for lab in self.schema.labels.values()],
            "types": [{"name": r.name, "doc": r.doc} for r in self.schema.relationships.values()],
            "figures": list(self.figures),
            "qualifiers": list(self.qualifiers),
            "mentions": list(self.mentions),
            "roles": {role: getattr(self, role) for role in _ROLE_NAMES if role not in ("qualifiers", "span")}
            | {"span": list(self.span or ()), "document_label": self.document_label, "sanctioned_label": self.sanctioned_label},
        }

    def text(self, value: Any) -> str:
        """A value as a terminal cell: lists joined by ", ", whole floats without ".0"."""
        if isinstance(value, list):
            return ", ".join(self.text(v) for v in value)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)

    # DataFrames ---------------------------------------------------------------------------------

    def frame(self, records: list[dict[str, Any]], lead: list[str], columns: Mapping[str, Column]) -> pd.DataFrame:
        """A DataFrame of `records`: `lead` columns first, then the declared ones in schema order, then the rest sorted.

        Declared ``int`` columns are pandas' nullable ``Int64`` and ``bool`` ones ``boolean``,
        so a gap does not turn 140 into 140.0; ``number`` columns are ``float64``.
        """
        import pandas as pd

        present: set[str] = set()
        for r in records:
            present.update(r)
        order = [c for c in lead if c in present or not records]
        order += [c for c in columns if c in present and c not in order]
        order += sorted(c for c in present if c not in order)
        df = pd.DataFrame(records, columns=order)
        dtypes: dict[str, Any] = {"int": "Int64", "bool": "boolean", "number": "float64"}
        for name, col in columns.items():
            if name in df.columns and col.type in dtypes:
                df[name] = df[name].astype(dtypes[col.type])
        return df


_PLAIN: dict[str, type] = {"string": str, "enum": str, "ref": str, "date": str, "int": int, "number": float, "bool": bool}


def plain_type(column: Column) -> type | None:
    """The Python type a value of a declared `column` has when the conversion rule keeps it as it
    is: `str`, `int`, `float`, `bool`, or `list` for ``list[string]`` (whose items must be `str`
    too); None for an undeclared column."""
    if not column.declared:
        return None
    return list if column.type == "list[string]" else _PLAIN.get(column.type)


def _plain_types(columns: Mapping[str, Column]) -> dict[str, type]:
    return {name: _PLAIN[c.type] for name, c in columns.items() if c.type in _PLAIN}


_MODELS: dict[int, tuple[Schema, Model]] = {}


def model_of(schema: Schema) -> Model:
    """The `Model` of `schema`, built once per schema object."""
    hit = _MODELS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    model = Model(schema)
    if len(_MODELS) >= 16:
        _MODELS.pop(next(iter(_MODELS)))
    _MODELS[id(schema)] = (schema, model)  # the schema is held, so its id is not reused while cached
    return model
