"""The page data: the one JSON object the explorer's scripts read (escaped into the page later).

Every label, type and property name the page shows comes from here (read from the schema's model:
its labels, types, figures and roles, and from the graph); the scripts under `js/` only know these keys:

- `entities`: ``{id, name, label, aliases, x, y, size, sanctioned_by, properties}`` per drawn entity;
  `sanctioned_by` lists names (``null`` when not sanctioned); `properties` are the rest, in schema order.
- `relations`: ``{id, from, to, type, years, source, locator, evidence, properties}``; `years` is
  ``[first, last]`` or ``null``; `properties` are the figures and qualifiers in schema order
  (references given as "name (id)").
- `bundles`: one drawn edge per pair of entities and relation family: ``{from, to, family,
  relations, curve}``; `relations` indexes `relations`; `curve` fans out the bundles of one pair
  (0: straight; the sign says which side). Longest first: the page draws them in this order.
- `labels`: ``{name, color, shape, tally, doc}``; `families`: ``{name, doc, color, types: [{name, doc,
  tally}]}`` (`tally`: how many are drawn); `sources`: ``{id: {title, fields: [[property, value], ...]}}``.
- `sanctioned`: ``{label, color}``: the schema's marker label (else its sanctioned property) and the
  colour of the ring, or ``null`` when the schema has no sanctions role; `source_label`: the label of
  the documents relations cite (``null`` without a provenance role).
- `years` ``[first, last]`` or ``null``, `note`, `total`, `index` (entities not drawn), `options` (vis-network).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

import networkx as nx

from ..model import LABEL, TYPE, Model
from ._layout import separate, spring_positions

__all__ = ["INDEX_BUDGET", "Undrawn", "page_data"]

INDEX_BUDGET = 16_000_000
"""Most bytes of page data for the relations of entities a reduced page does not draw; beyond it, only their index entries."""

# Colours for the relation types of a schema that declares no families: Okabe-Ito, then greys.
_FALLBACK = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#666666", "#999999"]
_FAN = 0.35  # roundness between neighbouring bundles of one pair


def _plain(value: Any) -> Any:
    """A JSON-friendly copy: lists stay lists, numbers stay numbers, anything else becomes text."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # the common cases first: one call per entity
        return value
    if kind is list:
        for v in value:
            if type(v) is not str:
                break
        else:  # a list of text, as most are: no copy of each item
            return list(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def _ordered(d: dict[str, Any], rank: dict[str, int], skip: set[str]) -> dict[str, Any]:
    """`d` less `skip` and None, the schema's properties first in schema order (`rank`), any others after."""
    keys = sorted((k for k, v in d.items() if k not in skip and v is not None), key=lambda k: (rank.get(k, len(rank)), k))
    return {k: _plain(d[k]) for k in keys}


def _text(d: dict[str, Any], role: str | None) -> str | None:
    """The value of the property a role names, as text (None when the role or the value is missing)."""
    value = d.get(role) if role else None
    return None if value is None else str(value)


class _Pages:
    """What the page data is made of, for one graph `G` (the whole graph: names, sources) and a model."""

    def __init__(self, G: nx.MultiDiGraph, model: Model) -> None:
        self.G = G
        self.model = m = model
        sch = model.schema
        self.rel_order = {p: i for i, p in enumerate(sch.relationship_properties)}
        node_order = [*sch.node_properties, *(p for lab in sch.labels.values() for p in lab.properties)]
        self.node_order = {p: i for i, p in reversed(list(enumerate(node_order)))}  # a shared name ranks first where it first appears
        # what the page shows in its own place: the rest of an entity's properties are listed, and the rest
        # of a relation's are its figures and qualifiers
        self.skip_node = {n for n in (LABEL, m.key, m.name, m.aliases, m.sanctioned, m.sanctioned_by) if n}
        self.skip_source = self.skip_node | ({m.title} if m.title else set())
        self.skip_relation = {n for n in (TYPE, m.key, m.provenance, m.locator, m.evidence) if n}
        self.sources: dict[str, dict[str, Any]] = {}
        self._node_keys: dict[tuple[str, ...], list[str]] = {}

    def name_of(self, node: Any) -> str:
        return self.model.name_of(node, self.G.nodes[node]) if node in self.G else str(node)

    def aliases(self, d: dict[str, Any]) -> list[str]:
        return [str(a) for a in (d.get(self.model.aliases) if self.model.aliases else None) or []]

    def node_properties(self, d: dict[str, Any]) -> dict[str, Any]:
        """As `_ordered(d, self.node_order, self.skip_node)`; the order is worked out once per set of keys."""
        names = tuple(d)
        keys = self._node_keys.get(names)
        if keys is None:
            keys = self._node_keys[names] = sorted(
                (k for k in names if k not in self.skip_node), key=lambda k: (self.node_order.get(k, len(self.node_order)), k)
            )
        return {k: v if type(v) is str else _plain(v) for k in keys if (v := d[k]) is not None}

    def sanctioned_by(self, d: dict[str, Any]) -> list[str] | None:
        m = self.model
        if not (m.sanctioned and d.get(m.sanctioned)):
            return None
        return [self.name_of(s) for s in (d.get(m.sanctioned_by) if m.sanctioned_by else None) or []]

    def relation_properties(self, d: dict[str, Any]) -> dict[str, Any]:
        """Figures and qualifiers, in schema order; references as "name (id)"."""
        props = _ordered(d, self.rel_order, self.skip_relation)
        for ref in self.model.mentions:
            if ref in props and d[ref] in self.G:
                props[ref] = f"{self.name_of(d[ref])} ({d[ref]})"
        return props

    def source(self, src: Any) -> str | None:
        """The source's id, recorded with its citation (title and the rest of its properties)."""
        if src is None:
            return None
        key = str(src)
        if key not in self.sources and src in self.G:
            d = self.G.nodes[src]
            props = _ordered(d, self.node_order, self.skip_source)
            title = self.model.document_title(self.G, src) or self.name_of(src)
            self.sources[key] = {"title": str(title), "fields": [[k, v] for k, v in props.items()]}
        return key

    def relation(self, u: Any, v: Any, k: Any, d: dict[str, Any]) -> dict[str, Any]:
        m = self.model
        span = m.years(d)
        return {
            "id": str(k),
            "from": str(u),
            "to": str(v),
            "type": str(d.get(TYPE, "")),
            "years": list(span) if span else None,
            "source": self.source(d.get(m.provenance) if m.provenance else None),
            "locator": _text(d, m.locator),
            "evidence": _text(d, m.evidence),
            "properties": self.relation_properties(d),
        }


class Undrawn(NamedTuple):
    """What a reduced page does not draw: its entities as (id, properties), its relations as (u, v, key, properties)."""

    nodes: list[tuple[Any, dict[str, Any]]]
    edges: Iterator[tuple[Any, Any, Any, dict[str, Any]]]

    @classmethod
    def of(cls, H: nx.MultiDiGraph, full: nx.MultiDiGraph) -> Undrawn:
        """The part of `full` not in `H` (a subgraph of it)."""
        edges = ((u, v, k, d) for u, v, k, d in full.edges(keys=True, data=True) if not (u in H and v in H))
        return cls([(n, d) for n, d in full.nodes(data=True) if n not in H], edges)


def _families(model: Model, type_counts: Counter[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The legend's families with their types (schema order), and the family of each type drawn."""
    sch = model.schema
    families: dict[str, dict[str, Any]] = {
        f.name: {"name": f.name, "doc": f.doc, "color": f.color, "types": []} for f in sch.families.values()
    }
    family_of: dict[str, str] = {}
    spare = iter(_FALLBACK * (1 + len(type_counts) // len(_FALLBACK)))
    known = [t for t in sch.relationships if t in type_counts] + sorted(t for t in type_counts if t not in sch.relationships)
    for t in known:
        rel = sch.relationships.get(t)
        fam = rel.family if rel is not None and rel.family is not None else None
        if fam is None:  # no family in the schema: the type is a family of its own
            fam = t
            families[fam] = {"name": fam, "doc": t, "color": next(spare), "types": []}
        families[fam]["types"].append({"name": t, "doc": rel.doc if rel else "", "tally": type_counts[t]})
        family_of[t] = fam
    return [f for f in families.values() if f["types"]], family_of


def _bundles(relations: list[dict[str, Any]], family_of: dict[str, str], family_rank: dict[str, int]) -> list[dict[str, Any]]:
    """One edge per unordered pair and family, its relations listed; the bundles of a pair fanned out."""
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(relations):
        a, b = sorted((r["from"], r["to"]))
        groups[(a, b, family_of[r["type"]])].append(i)
    by_pair: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, b, fam in groups:
        by_pair[(a, b)].append(fam)
    out = []
    for (a, b, fam), members in groups.items():
        fams = sorted(by_pair[(a, b)], key=lambda f: family_rank[f])
        offset = fams.index(fam) - (len(fams) - 1) / 2
        out.append({"from": a, "to": b, "family": fam, "relations": members, "curve": round(offset * _FAN, 3)})
    return out


def page_data(
    G: nx.MultiDiGraph,
    H: nx.MultiDiGraph,
    model: Model,
    *,
    note: str | None,
    title: str,
    seed: int,
    undrawn: Undrawn | None = None,
) -> dict[str, Any]:
    """The page data for drawing `H` (a view of `G`); `undrawn` is what the view holds beyond `H`, for the index."""
    pages = _Pages(G, model)
    sch = model.schema
    degree = dict(H.degree())
    size = {node: round(min(40.0, 8.0 + 4.0 * math.sqrt(degree[node])), 1) for node in H}
    pos = spring_positions(list(H), [(u, v) for u, v in H.edges()], seed=seed, scale=max(300.0, 60.0 * math.sqrt(len(H))))
    pos = separate(pos, {n: s * 1.15 for n, s in size.items()})  # shapes apart, with room to see and click what joins them
    entities: list[dict[str, Any]] = []
    for node, d in H.nodes(data=True):
        x, y = round(pos[node][0]), round(pos[node][1])  # whole numbers: vis-network keeps no fractions
        entities.append(
            {
                "id": str(node),
                "name": model.name_of(node, d),
                "label": str(d.get(LABEL, "")),
                "aliases": pages.aliases(d),
                "x": x,
                "y": y,
                "size": size[node],
                "sanctioned_by": pages.sanctioned_by(d),
                "properties": pages.node_properties(d),
            }
        )
    relations = [pages.relation(u, v, k, d) for u, v, k, d in H.edges(keys=True, data=True)]
    type_counts = Counter(r["type"] for r in relations)
    families, family_of = _families(model, type_counts)
    bundles = _bundles(relations, family_of, {f["name"]: i for i, f in enumerate(families)})
    # the longest drawn first, so a short edge is never under a long one passing over it: each stays clickable
    at: dict[str, tuple[float, float]] = {e["id"]: (e["x"], e["y"]) for e in entities}
    bundles.sort(key=lambda b: -math.dist(at[b["from"]], at[b["to"]]))
    # source documents drawn as entities (with include_sources) show their citation when clicked
    for node, lab in H.nodes(data=LABEL):
        if model.document_label is not None and lab == model.document_label:
            pages.source(node)
    label_counts = Counter(e["label"] for e in entities)
    spans = [r["years"] for r in relations if r["years"]]
    big = len(bundles) > 3000 or len(entities) > 1000
    options = {
        "autoResize": True,
        "physics": {"enabled": False, "solver": "barnesHut", "stabilization": {"enabled": False}},
        "layout": {"improvedLayout": False},
        # names are drawn by the page itself (js/names.js); only box shapes carry theirs inside
        "nodes": {
            "font": {"size": 12, "face": "system-ui, sans-serif", "color": "#222222", "multi": False},
            "scaling": {"label": {"drawThreshold": 6}},
            "widthConstraint": {"maximum": 180},
        },
        "edges": {
            "smooth": False,
            "width": 1.2,
            "hoverWidth": 1.5,
            "selectionWidth": 2,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}, "from": {"enabled": False, "scaleFactor": 0.5}},
            "font": {"size": 10, "strokeWidth": 3, "color": "#333333", "align": "middle"},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big, "keyboard": False},
    }
    index = None
    if undrawn is not None and undrawn.nodes:
        index = _index(pages, H, undrawn, INDEX_BUDGET)
    return {
        "title": title,
        "entities": entities,
        "relations": relations,
        "bundles": bundles,
        "sources": pages.sources,
        "options": options,
        "note": note,
        "index": index,
        "total": {"nodes": G.number_of_nodes(), "edges": _edge_count(G)},
        "labels": [
            {"name": name, "color": lab.color, "shape": lab.shape, "tally": label_counts[name], "doc": lab.doc}
            for name, lab in sch.labels.items()
            if label_counts[name]
        ],
        "families": families,
        "sanctioned": {"label": model.sanctioned_label or model.sanctioned, "color": sch.sanctioned_color} if model.sanctioned else None,
        "source_label": model.document_label,
        "years": [min(s[0] for s in spans), max(s[1] for s in spans)] if spans else None,
    }


def _edge_count(G: nx.MultiDiGraph) -> int:
    """`G.number_of_edges()` without networkx's degree view (a second per million entities less)."""
    if not (G.is_directed() and G.is_multigraph()):
        return int(G.number_of_edges())
    return sum(len(keyed) for nbrs in G._succ.values() for keyed in nbrs.values())


def _index(pages: _Pages, H: nx.MultiDiGraph, undrawn: Undrawn, budget: int) -> dict[str, Any]:
    """The entities not drawn (not in `H`), for search, and the relations not drawn, for their details.

    Compact: `entities` rows [id, name, aliases, label number, properties, sanctioned by] (label
    numbers index `labels`); `relations` rows [from, to, type number, first year, last year, source
    id, locator, evidence, properties, id], where from/to number the drawn entities (in the order of
    the page's entities) and then the rows of `entities`. Relations are left out (`relations` null,
    `dropped` true) when they would take more than `budget` bytes.
    """
    model = pages.model
    number = {n: i for i, n in enumerate(H)}
    start = len(number)
    for i, (n, _) in enumerate(undrawn.nodes):
        number[n] = start + i
    labels = sorted({str(d.get(LABEL, "")) for _, d in undrawn.nodes} | set(model.labels))
    label_no = {lab: i for i, lab in enumerate(labels)}
    name_of, aliases, props, sanctioned_by = model.name_of, pages.aliases, pages.node_properties, pages.sanctioned_by
    rows = [[str(n), name_of(n, d), aliases(d), label_no[str(d.get(LABEL, ""))], props(d), sanctioned_by(d)] for n, d in undrawn.nodes]
    types: list[str] = []
    type_no: dict[str, int] = {}
    rels: list[list[Any]] = []
    dropped = False
    known_sources = set(pages.sources)
    size = 0
    for u, v, k, d in undrawn.edges:
        r = pages.relation(u, v, k, d)
        if r["type"] not in type_no:
            type_no[r["type"]] = len(types)
            types.append(r["type"])
        y0, y1 = r["years"] or (None, None)
        row = [number[u], number[v], type_no[r["type"]], y0, y1, r["source"], r["locator"], r["evidence"], r["properties"], r["id"]]
        size += len(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        if size > budget:
            dropped = True
            break
        rels.append(row)
    if dropped:  # the citations of relations left out are not needed
        for key in set(pages.sources) - known_sources:
            del pages.sources[key]
    return {"entities": rows, "labels": labels, "types": types, "relations": None if dropped else rels, "dropped": dropped}
