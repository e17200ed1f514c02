"""Turn the engine's result rows into plain Python values, in the shapes the Neo4j branch produces too.

- a node → ``{"_label": "State", "_labels": ["State", "Cubamed"], "id": "cuba", "name": "Cuba", ...}``
  (null properties left out, as Neo4j has no null properties; `_labels` are the labels Neo4j holds
  after `cubamed export neo4j`: the label, the `Cubamed` marker, and the schema's sanctioned label,
  `Sanctioned`, when sanctioned);
- a relationship → ``{"_type": "DEPLOYED_TO", "_start": "cuba", "_end": "jamaica", "_cubamed": True, "id": ..., ...}``
  (the `_cubamed` marker property, as Neo4j holds it);
- a path → ``{"_nodes": [node, ...], "_rels": [relationship, ...]}``;
- ``sum()`` of integers (INT128, a `Decimal` from the engine) → `int`, as in Neo4j;
- a date stays a `datetime.date` (Neo4j's driver gives its own date type; both print as ISO);
- ``properties(n)`` returned as a column → the dict of the node's (or relationship's) stored
  properties, with the `_cubamed: true` marker on relationships, as Neo4j holds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["InternalId", "convert_rows", "frame", "node_ids", "to_text"]

InternalId = tuple[int, int]  # (table id, offset)
LABEL_COLUMN, TYPE_COLUMN, MARKER_COLUMN = "_cubamed_label", "_cubamed_type", "_cubamed"  # = ddl's (kept light: no import)
ENTITY_MARKER = "Cubamed"  # the label the Neo4j export adds to every entity (and the schema's sanctioned label when sanctioned)
INT_FLAG = "_cubamed_int_"  # = ddl.INT_FLAG
Resolver = Callable[[set[InternalId]], dict[InternalId, str]]


def _iid(d: dict[str, Any]) -> InternalId:
    return int(d["table"]), int(d["offset"])


def _is_node(v: Any) -> bool:
    return isinstance(v, dict) and "_LABEL" in v and "_ID" in v and "_SRC" not in v


def _is_rel(v: Any) -> bool:
    return isinstance(v, dict) and "_SRC" in v and "_LABEL" in v


def _is_null_entity(v: Any) -> bool:
    """What the engine gives for a node or relationship of an unmatched OPTIONAL path: no id."""
    return (_is_node(v) or _is_rel(v)) and v.get("_ID") is None


def _walk(v: Any, nodes: dict[InternalId, str], ends: set[InternalId]) -> None:
    if _is_null_entity(v):
        return
    if _is_node(v):
        nodes[_iid(v["_ID"])] = v.get("id")
    elif _is_rel(v):
        ends.update((_iid(v["_SRC"]), _iid(v["_DST"])))
    elif isinstance(v, dict):
        for x in v.values():
            _walk(x, nodes, ends)
    elif isinstance(v, list):
        for x in v:
            _walk(x, nodes, ends)


class _Context(NamedTuple):
    ids: dict[InternalId, str]  # internal id -> entity id
    sanctioned: tuple[str, str] | None  # the schema's property marking sanctioned entities, and their extra label


def _props(v: dict[str, Any], ctx: _Context) -> dict[str, Any]:
    """The stored properties of a node or relationship; a value of a column holding integers and
    floats comes back as the integer it was when its flag (`_cubamed_int_<name>`) says so."""
    out = {k: _convert(x, ctx) for k, x in v.items() if not k.startswith("_") and x is not None}
    for k, x in out.items():
        if v.get(INT_FLAG + k) and isinstance(x, float):
            out[k] = int(x)
    return out


def _convert(v: Any, ctx: _Context) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if _is_null_entity(v):
        return None
    if _is_node(v):
        label = v.get(LABEL_COLUMN, v["_LABEL"])
        labels = [label, ENTITY_MARKER] + ([ctx.sanctioned[1]] if ctx.sanctioned and v.get(ctx.sanctioned[0]) else [])
        return {"_label": label, "_labels": labels, **_props(v, ctx)}
    if _is_rel(v):
        start, end = ctx.ids.get(_iid(v["_SRC"])), ctx.ids.get(_iid(v["_DST"]))
        return {"_type": v.get(TYPE_COLUMN, v["_LABEL"]), "_start": start, "_end": end, MARKER_COLUMN: True, **_props(v, ctx)}
    if isinstance(v, dict) and "_NODES" in v:
        if any(_is_null_entity(n) for n in v["_NODES"]):
            return None  # an unmatched OPTIONAL path
        return {"_nodes": _convert(v["_NODES"], ctx), "_rels": _convert(v["_RELS"], ctx)}
    if isinstance(v, dict):
        return {k: _convert(x, ctx) for k, x in v.items()}
    if isinstance(v, list):
        return [_convert(x, ctx) for x in v]
    return v


def _properties(v: Any) -> Any:
    """``properties(x)`` of a converted node or relationship: its stored properties, as Neo4j holds them."""
    if v is None:
        return None
    if "_type" in v:
        return {**{k: x for k, x in v.items() if not k.startswith("_")}, MARKER_COLUMN: True}
    return {k: x for k, x in v.items() if not k.startswith("_")}


def _first(v: Any) -> Any:
    """The first item of a list, None for an empty one (a relationship grouping key: `translate`)."""
    return v[0] if v else None


POST: dict[str, Callable[[Any], Any]] = {"properties": _properties, "first": _first}


def convert_rows(
    rows: list[list[Any]], resolve: Resolver, post: list[str | None] | None = None, *, sanctioned: tuple[str, str] | None = None
) -> list[list[Any]]:
    """Convert every value of `rows`; `resolve` maps the internal ids of relationship endpoints
    that the rows do not carry as nodes to entity ids (one query, only when needed); `post` names a
    step per column (`POST`); `sanctioned` is the schema's (property, label) of sanctioned entities."""
    nodes: dict[InternalId, str] = {}
    ends: set[InternalId] = set()
    _walk(rows, nodes, ends)
    missing = ends - nodes.keys()
    if missing:
        nodes.update(resolve(missing))
    ctx = _Context(nodes, sanctioned)
    steps = post or []
    width = len(steps) or (len(rows[0]) if rows else 0)
    out = []
    for row in rows:
        converted = [_convert(v, ctx) for v in row]
        for i, step in enumerate(steps):
            if step is None:
                continue
            if step.startswith("int:"):  # an integer of a column holding integers and floats
                flag = converted[width + int(step[4:])]
                converted[i] = int(converted[i]) if flag and converted[i] is not None else converted[i]
            else:
                converted[i] = POST[step](converted[i])
        out.append(converted[:width])
    return out


def frame(rows: list[list[Any]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame that keeps integers as integers, also in columns with nulls (pandas `Int64`)."""
    import pandas as pd

    data: dict[int, Any] = {}
    for i in range(len(columns)):
        values = [r[i] for r in rows]
        present = [v for v in values if v is not None]
        if present and len(present) < len(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            data[i] = pd.array(values, dtype="Int64")
        else:
            data[i] = pd.Series(values, dtype=object).infer_objects()
    df = pd.DataFrame(data, index=range(len(rows)))
    df.columns = pd.Index(columns)  # positional: names may repeat (RETURN a.id, a.id)
    return df


def node_ids(values: Iterable[Any]) -> set[str]:
    """The entity ids of every node, relationship endpoint and path in `values` (for drawing)."""
    found: set[str] = set()

    def visit(v: Any) -> None:
        if isinstance(v, dict):
            if "_label" in v and isinstance(v.get("id"), str):
                found.add(v["id"])
            for key in ("_start", "_end"):
                if isinstance(v.get(key), str):
                    found.add(v[key])
            for x in v.values():
                visit(x)
        elif isinstance(v, list):
            for x in v:
                visit(x)

    for v in values:
        visit(v)
    return found


_QUIET = frozenset({"id", "_start", "_end", "_type", MARKER_COLUMN})


def _node_text(n: dict[str, Any]) -> str:
    name = f' "{n["name"]}"' if "name" in n else ""
    return f"({n.get('id', '')}:{n.get('_label')}{name})"


def _rel_text(r: dict[str, Any], quiet: frozenset[str]) -> str:
    props = ", ".join(f"{k}: {to_text(v)}" for k, v in r.items() if k not in quiet)
    return f"[:{r['_type']}{' {' + props + '}' if props else ''}]"


def to_text(v: Any, quiet: Iterable[str] = ()) -> str:
    """One value as readable text: ``(cuba:State "Cuba")``, ``(cuba)-[:DEPLOYED_TO {year: 2020}]->(jamaica)``.
    A relationship's id and the `quiet` properties (its provenance, say) are left out.

    >>> to_text({"_nodes": [{"_label": "State", "id": "a"}, {"_label": "State", "id": "b"}],
    ...          "_rels": [{"_type": "T", "_start": "b", "_end": "a", "year": 1}]})
    '(a:State)<-[:T {year: 1}]-(b:State)'
    """
    if v is None or (isinstance(v, float) and v != v):
        return ""
    hide = _QUIET.union(quiet)
    if isinstance(v, dict) and "_nodes" in v:
        nodes, out = v["_nodes"], _node_text(v["_nodes"][0]) if v["_nodes"] else ""
        for prev, rel, node in zip(nodes, v["_rels"], nodes[1:], strict=False):
            forward = rel.get("_start") == prev.get("id")
            out += f"-{_rel_text(rel, hide)}->" if forward else f"<-{_rel_text(rel, hide)}-"
            out += _node_text(node)
        return out
    if isinstance(v, dict) and "_label" in v:
        return _node_text(v)
    if isinstance(v, dict) and "_type" in v:
        return f"({v.get('_start')})-{_rel_text(v, hide)}->({v.get('_end')})"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {to_text(x, hide)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(to_text(x, hide) for x in v) + "]"
    return str(v)
