"""A seeded generator of random read queries over the schema and the data, and a shrinker.

In the spirit of the published differential testers of graph databases, from whose papers the
ideas (not the code) come:

- GDsmith (Lin et al., 2022): a query is a *skeleton* (patterns, clauses) completed with
  expressions; to get non-empty results, patterns are grown from paths that exist in the data
  and constants are values the matched elements hold;
- GDBMeter (Kamm et al., 2023), ternary logic partitioning: a predicate p appears as p, NOT p and
  p IS NULL, which exercises three-valued logic where engines differ most;
- GraphGenie (Jiang et al., 2024): the same question asked through another pattern shape
  (direction reversed, a label dropped or added, a variable-length hop).

Every query is valid for Neo4j by construction (labels, types and properties come from the
schema and the curated data), its final ORDER BY covers every returned column (so ties are
identical rows and the order is total), and LIMIT only follows such an ORDER BY.

A query is a `Query` value, rendered by `Query.text()`; `shrink` drops parts of it (WHERE
conjuncts, return items, pattern parts, ORDER BY/LIMIT, DISTINCT, OPTIONAL) while a predicate
still holds, and returns the smallest query found.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["Catalog", "Query", "generate", "shrink"]


# --- what the data holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Catalog:
    """Labels, relationship types and the property values the graph holds, in a stable order."""

    labels: tuple[str, ...]
    nodes: dict[str, tuple[dict[str, Any], ...]]  # label -> node property dicts (with id)
    edges: tuple[tuple[str, str, str, str, dict[str, Any]], ...]  # (type, start id, end id, start label, props)
    label_of: dict[str, str]
    types: tuple[str, ...]
    sanctioned: str

    @classmethod
    def from_graph(cls, G: Any, schema: Any) -> Catalog:
        nodes: dict[str, list[dict[str, Any]]] = {}
        label_of = {}
        for node, d in sorted(G.nodes(data=True), key=lambda x: str(x[0])):
            props = {k: v for k, v in d.items() if k != "label" and v is not None}
            nodes.setdefault(d["label"], []).append({"id": node, **props})
            label_of[node] = d["label"]
        edges = []
        for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: str(e[2])):
            props = {key: x for key, x in d.items() if key != "type" and x is not None}
            edges.append((d["type"], u, v, label_of[u], {"id": k, **props}))
        return cls(
            labels=tuple(schema.labels),
            nodes={k: tuple(v) for k, v in nodes.items()},
            edges=tuple(edges),
            label_of=label_of,
            types=tuple(schema.relationships),
            sanctioned=schema.sanctioned_label,
        )


# --- the query value -------------------------------------------------------------------------


def literal(v: Any) -> str:
    """`v` as a Cypher literal."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    raise TypeError(f"no literal for {v!r}")


@dataclass(frozen=True)
class NodePat:
    var: str
    label: str | None = None
    props: tuple[tuple[str, str], ...] = ()  # (key, rendered value)

    def text(self) -> str:
        inner = self.var + (f":{self.label}" if self.label else "")
        if self.props:
            inner += " {" + ", ".join(f"{k}: {v}" for k, v in self.props) + "}"
        return f"({inner})"


@dataclass(frozen=True)
class RelPat:
    var: str | None
    types: tuple[str, ...] = ()
    direction: str = "->"  # ->, <-, -
    hops: tuple[int, int] | None = None

    def text(self) -> str:
        inner = self.var or ""
        if self.types:
            inner += ":" + "|".join(self.types)
        if self.hops is not None:
            inner += f"*{self.hops[0]}..{self.hops[1]}"
        body = f"[{inner}]" if inner else ""
        if self.direction == "->":
            return f"-{body}->"
        if self.direction == "<-":
            return f"<-{body}-"
        return f"-{body}-"


@dataclass(frozen=True)
class Pattern:
    nodes: tuple[NodePat, ...]
    rels: tuple[RelPat, ...] = ()
    optional: bool = False
    path_var: str | None = None

    def text(self) -> str:
        out = self.nodes[0].text()
        for rel, node in zip(self.rels, self.nodes[1:], strict=True):
            out += rel.text() + node.text()
        if self.path_var:
            out = f"{self.path_var} = {out}"
        return ("OPTIONAL MATCH " if self.optional else "MATCH ") + out


@dataclass(frozen=True)
class Item:
    expr: str
    alias: str | None
    aggregate: bool = False
    uses: frozenset[str] = frozenset()  # variables it reads

    def text(self) -> str:
        return f"{self.expr} AS {self.alias}" if self.alias else self.expr

    @property
    def key(self) -> str:
        return self.alias or self.expr


@dataclass(frozen=True)
class Pred:
    text: str
    uses: frozenset[str]


@dataclass(frozen=True)
class Query:
    patterns: tuple[Pattern, ...]
    where: tuple[Pred, ...] = ()
    items: tuple[Item, ...] = ()
    distinct: bool = False
    order: tuple[str, ...] = ()  # DESC flags per item, "" or " DESC"; empty: no ORDER BY
    skip: int | None = None
    limit: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        lines = [p.text() for p in self.patterns]
        if self.where:  # after the last pattern (of an OPTIONAL MATCH, it filters what that one matches)
            lines.append("WHERE " + " AND ".join(f"({p.text})" for p in self.where))
        ret = "RETURN " + ("DISTINCT " if self.distinct else "") + ", ".join(i.text() for i in self.items)
        lines.append(ret)
        if self.order:
            lines.append("ORDER BY " + ", ".join(i.key + d for i, d in zip(self.items, self.order, strict=True)))
        if self.skip is not None:
            lines.append(f"SKIP {self.skip}")
        if self.limit is not None:
            lines.append(f"LIMIT {self.limit}")
        return "\n".join(lines)

    def variables(self) -> set[str]:
        out = set()
        for p in self.patterns:
            out |= {n.var for n in p.nodes}
            out |= {r.var for r in p.rels if r.var}
            if p.path_var:
                out.add(p.path_var)
        return out


# --- generation ------------------------------------------------------------------------------


class _Gen:
    def __init__(self, catalog: Catalog, rng: random.Random) -> None:
        self.c, self.r = catalog, rng
        self.params: dict[str, Any] = {}
        self.kinds: dict[str, str] = {}  # variable -> node, rel, path, rels (var-length list)
        self.node_label: dict[str, str | None] = {}
        self.samples: dict[str, list[dict[str, Any]]] = {}  # variable -> property dicts it may hold
        self.last_node = ""  # the entity the last pattern ends at

    def const(self, v: Any) -> str:
        if self.r.random() < 0.2 and not isinstance(v, list):
            name = f"p{len(self.params)}"
            self.params[name] = v
            return f"${name}"
        return literal(v)

    # patterns, grown from a path that exists (GDsmith's non-empty strategy)
    def pattern(self, index: int, optional: bool, start: str | None = None) -> Pattern:
        """A pattern grown from an edge of the data (from one at `start`, when given)."""
        c, r = self.c, self.r
        if start is None:
            _, u, v, _, props = r.choice(c.edges)
        else:
            e = r.choice([e for e in c.edges if start in (e[1], e[2])])
            u, v, props = start, (e[2] if e[1] == start else e[1]), e[4]
        forward = [start is None or e[1] == start]  # per hop: does the data's edge point along the chain?
        self.last_node = v
        hops = 1 if r.random() < 0.75 else 2
        chain = [u, v]
        rel_props = [props]
        if hops == 2:
            follow = [e for e in c.edges if e[1] == v or e[2] == v]
            e2 = r.choice(follow)
            chain.append(e2[2] if e2[1] == v else e2[1])
            forward.append(e2[1] == v)
            rel_props.append(e2[4])
            self.last_node = chain[-1]
        nodes, rels = [], []
        for i, node in enumerate(chain):
            var = f"n{index}{i}"
            label = c.label_of[node] if r.random() < 0.7 else None
            if label and r.random() < 0.08:
                label = f"{label}:{c.sanctioned}" if r.random() < 0.5 else "Cubamed"
            pprops: tuple[tuple[str, str], ...] = ()
            if i == 0 and r.random() < 0.35:
                pprops = (("id", self.const(node)),)
            nodes.append(NodePat(var, label, pprops))
            self.kinds[var] = "node"
            self.node_label[var] = c.label_of[node] if label else None
            # constants from the very element the pattern was grown from (non-empty results), or its label's
            own = [d for d in c.nodes[c.label_of[node]] if d["id"] == node]
            self.samples[var] = own if r.random() < 0.7 else list(c.nodes[c.label_of[node]]) if label else [d for ds in c.nodes.values() for d in ds]
        for i in range(len(chain) - 1):
            var = f"r{index}{i}" if r.random() < 0.8 else None
            t = rel_props[i]
            types = (self._type_of(t),) if r.random() < 0.75 else ()
            if types and r.random() < 0.15:
                types = (*types, r.choice(c.types))
            # mostly the data's direction; sometimes undirected or reversed (GraphGenie's other shapes)
            along = "->" if forward[i] else "<-"
            direction = along if r.random() < 0.7 else "-" if r.random() < 0.67 else {"->": "<-", "<-": "->"}[along]
            hops_range = None
            if r.random() < 0.12 and (types or nodes[i].props):
                hops_range = (1, 2)
            rels.append(RelPat(var, tuple(dict.fromkeys(types)), direction, hops_range))
            if var:
                self.kinds[var] = "rels" if hops_range else "rel"
                same = [rel_props[i]] if r.random() < 0.7 else [e[4] for e in c.edges if not types or e[0] in types]
                self.samples[var] = same
        # the direction was chosen at random: reading it the other way is the GraphGenie move,
        # and it may match nothing, which is a fine test too
        path_var = f"path{index}" if r.random() < 0.15 else None
        if path_var:
            self.kinds[path_var] = "path"
        return Pattern(tuple(nodes), tuple(rels), optional, path_var)

    def _type_of(self, props: dict[str, Any]) -> str:
        for e in self.c.edges:
            if e[4] is props:
                return e[0]
        raise LookupError("edge not in catalog")

    def _value_of(self, var: str) -> tuple[str, Any] | None:
        """A (property, value) the elements `var` may hold (a value the data has)."""
        samples = self.samples.get(var) or []
        if not samples:
            return None
        d = self.r.choice(samples)
        keys = sorted(k for k in d if k not in ("evidence",))
        if not keys:
            return None
        k = self.r.choice(keys)
        return k, d[k]

    def scalar_expr(self, var: str) -> tuple[str, Any] | None:
        """An expression over `var` and a value it may take (to pick constants that match)."""
        kv = self._value_of(var)
        if kv is None:
            return None
        k, v = kv
        base = f"{var}.{k}"
        r = self.r
        if isinstance(v, str) and r.random() < 0.35:
            fn = r.choice(["toUpper", "toLower", "size", "trim", "left", "right", "substring", "reverse"])
            a, b = r.randint(0, 4), r.randint(0, 6)
            if fn == "left":
                return f"left({base}, {b})", v[:b]
            if fn == "right":
                return f"right({base}, {b})", v[len(v) - b :] if b else ""
            if fn == "substring":
                return f"substring({base}, {a}, {b})", v[a : a + b]
            value = {"toUpper": v.upper(), "toLower": v.lower(), "size": len(v), "trim": v.strip(), "reverse": v[::-1]}[fn]
            return f"{fn}({base})", value
        if isinstance(v, list) and r.random() < 0.5:
            fn = r.choice(["size({b})", "head({b})", "last({b})", "{b}[0]", "{b}[-1]", "{b}[1..]", "[a IN {b} WHERE size(a) > 3]"])
            value: Any = {"size({b})": len(v), "head({b})": v[0], "last({b})": v[-1], "{b}[0]": v[0], "{b}[-1]": v[-1]}.get(fn, v)
            return fn.format(b=base), value
        if isinstance(v, (int, float)) and not isinstance(v, bool) and r.random() < 0.3:
            fn = r.choice(["{b} + 1", "{b} * 2", "{b} / 2", "abs({b})", "toFloat({b})", "{b} % 7"])
            return fn.format(b=base), v
        if r.random() < 0.1:  # a default of any kind: the engine gives CASE and coalesce() one type
            same = {bool: "false", int: "0", float: "0.5", str: "'none'", list: "[]"}.get(type(v))
            default = same if same and r.random() < 0.7 else r.choice(["0", "0.5", "''", "false", "[]", "[0]", "{k: 0}"])
            form = r.choice(["coalesce({b}, {d})", "CASE WHEN {b} IS NULL THEN {d} ELSE {b} END", "CASE WHEN {b} IS NOT NULL THEN {b} END"])
            return form.format(b=base, d=default), v
        return base, v

    def predicate(self, variables: list[str]) -> Pred | None:
        r = self.r
        nodes = [v for v in variables if self.kinds.get(v) in ("node", "rel")]
        if not nodes:
            return None
        var = r.choice(nodes)
        roll = r.random()
        if roll < 0.08 and self.kinds[var] == "node":
            lab = r.choice([*self.c.labels, self.c.sanctioned])
            return Pred(f"{var}:{lab}", frozenset({var}))
        if roll < 0.12 and self.kinds[var] == "rel":
            return Pred(f"type({var}) = {self.const(r.choice(self.c.types))}", frozenset({var}))
        found = self.scalar_expr(var)
        if found is None:
            return None
        expr, v = found
        if isinstance(v, bool):
            text = f"{expr} = {self.const(r.choice([True, False]))}"
        elif isinstance(v, (int, float)):
            op = r.choice(["=", "<>", "<", "<=", ">", ">="])
            text = f"{expr} {op} {self.const(v)}"
        elif isinstance(v, str):
            op = r.choice(["=", "<>", "<", ">=", "STARTS WITH", "ENDS WITH", "CONTAINS", "IN"])
            cut = r.randint(0, max(0, len(v) - 1))
            if op == "CONTAINS":
                text = f"{expr} CONTAINS {self.const(v[cut : cut + 3])}"
            elif op == "STARTS WITH":
                text = f"{expr} STARTS WITH {self.const(v[:cut])}"
            elif op == "ENDS WITH":
                text = f"{expr} ENDS WITH {self.const(v[cut:])}"
            elif op == "IN":
                text = f"{expr} IN {literal([v, 'zz', None] if r.random() < 0.3 else [v, 'zz'])}"
            else:
                text = f"{expr} {op} {self.const(v)}"
        elif isinstance(v, list):
            text = f"{self.const(v[0] if v else 'x')} IN {expr}"
        else:
            text = f"{expr} IS NULL"
        if r.random() < 0.2:
            text = f"{var}.{r.choice(['year', 'count', 'kind', 'aliases', 'date'])} IS {'' if r.random() < 0.5 else 'NOT '}NULL"
        # ternary logic partitioning: p, NOT p, p IS NULL
        wrap = r.random()
        if wrap < 0.15:
            text = f"NOT ({text})"
        elif wrap < 0.22:
            text = f"({text}) IS NULL"
        elif wrap < 0.27:
            text = f"coalesce({text}, false)"
        return Pred(text, frozenset({var}))

    def where(self, variables: list[str]) -> tuple[Pred, ...]:
        r = self.r
        preds = []
        for _ in range(r.choice([0, 1, 1, 1, 2, 3])):
            p = self.predicate(variables)
            if p is None:
                continue
            if preds and r.random() < 0.3:  # combine with OR / XOR into one conjunct
                q = preds.pop()
                op = r.choice(["OR", "XOR"])
                p = Pred(f"({q.text}) {op} ({p.text})", q.uses | p.uses)
            preds.append(p)
        return tuple(preds)

    def items(self, variables: list[str]) -> tuple[tuple[Item, ...], bool]:
        r = self.r
        aggregate = r.random() < 0.3
        out: list[Item] = []
        scalars = True
        n = r.randint(1, 3)
        candidates = [v for v in variables if self.kinds.get(v) in ("node", "rel")]
        for i in range(n):
            var = r.choice(candidates)
            roll = r.random()
            if roll < 0.1 and self.kinds[var] == "node":
                expr = f"labels({var})"
                scalars = False
            elif roll < 0.15 and self.kinds[var] == "rel":
                expr = f"type({var})"
            elif roll < 0.2 and self.kinds[var] == "node":
                expr = f"{var}:{r.choice([*self.c.labels, self.c.sanctioned])}"
            elif roll < 0.24:
                expr = var
                scalars = False
            else:
                found = self.scalar_expr(var)
                expr = found[0] if found else f"{var}.id"
                if found and isinstance(found[1], list) and not expr.startswith(("size", "head", "last")) and "[0]" not in expr and "[-1]" not in expr:
                    scalars = False
                if expr.startswith("split("):
                    scalars = False
            alias = f"c{i}" if r.random() < 0.75 else None
            out.append(Item(expr, alias, uses=frozenset({var})))
        paths = [v for v in variables if self.kinds.get(v) == "path"]
        if paths and r.random() < 0.5:
            p = r.choice(paths)
            out.append(Item(f"length({p})", f"c{len(out)}", uses=frozenset({p})))
        if aggregate:
            var = r.choice(candidates)
            found = self.scalar_expr(var)
            inner = found[0] if found else f"{var}.id"
            fn = r.choice(["count(*)", "count({x})", "count(DISTINCT {x})", "min({x})", "max({x})", "collect({x})", "collect(DISTINCT {x})"])
            if found and isinstance(found[1], (int, float)) and not isinstance(found[1], bool) and not inner.startswith(("toString", "split")):
                fn = r.choice([fn, "sum({x})", "avg({x})"])
            expr = fn.format(x=inner)
            if fn.startswith("collect"):
                scalars = False
            out.append(Item(expr, f"c{len(out)}", aggregate=True, uses=frozenset({var})))
        # no two items with one name
        seen: set[str] = set()
        unique = []
        for item in out:
            if item.key not in seen:
                seen.add(item.key)
                unique.append(item)
        return tuple(unique), scalars

    def query(self) -> Query:
        r = self.r
        patterns = [self.pattern(0, False)]
        if r.random() < 0.25:
            patterns.append(self.pattern(1, r.random() < 0.6, start=self.last_node))
            # join the second pattern to the first through a shared variable
            first = patterns[1].nodes[0]
            patterns[1] = replace(patterns[1], nodes=(replace(first, var=patterns[0].nodes[-1].var, label=None, props=()), *patterns[1].nodes[1:]))
        variables = sorted(Query(tuple(patterns)).variables())
        where = self.where(variables)
        items, scalars = self.items(variables)
        distinct = r.random() < 0.2 and not any(i.aggregate for i in items)
        order: tuple[str, ...] = ()
        skip = limit = None
        if scalars and r.random() < 0.6:
            order = tuple(r.choice(["", " DESC"]) for _ in items)
            if r.random() < 0.4:
                limit = r.randint(1, 8) if r.random() < 0.95 else 0
                if r.random() < 0.3:
                    skip = r.randint(1, 4)
        return _used_params(Query(tuple(patterns), where, items, distinct, order, skip, limit, dict(self.params)))


def generate(catalog: Catalog, seed: int, count: int) -> Iterator[Query]:
    """`count` queries, the same ones for the same seed and data."""
    rng = random.Random(seed)
    for _ in range(count):
        yield _Gen(catalog, random.Random(rng.getrandbits(64))).query()


# --- shrinking -------------------------------------------------------------------------------


def _swap(items: tuple[Any, ...], i: int, new: Any) -> tuple[Any, ...]:
    return (*items[:i], new, *items[i + 1 :])


def _smaller(q: Query) -> Iterator[Query]:
    """Queries one step smaller than `q` (some may be invalid: the caller checks)."""
    for i in range(len(q.where)):
        yield replace(q, where=q.where[:i] + q.where[i + 1 :])
    if q.skip is not None:
        yield replace(q, skip=None)
    if q.limit is not None:
        yield replace(q, limit=None)
    if q.distinct:
        yield replace(q, distinct=False)
    if len(q.items) > 1:
        for i in range(len(q.items)):
            keep = q.items[:i] + q.items[i + 1 :]
            yield replace(q, items=keep, order=q.order[:i] + q.order[i + 1 :] if q.order else ())
    if q.order and q.skip is None and q.limit is None:
        yield replace(q, order=())
    for i in range(len(q.patterns)) if len(q.patterns) > 1 else ():
        yield replace(q, patterns=q.patterns[:i] + q.patterns[i + 1 :])
    for pi, p in enumerate(q.patterns):
        if p.optional:
            yield replace(q, patterns=_swap(q.patterns, pi, replace(p, optional=False)))
        if p.path_var:
            yield replace(q, patterns=_swap(q.patterns, pi, replace(p, path_var=None)))
        if p.rels:  # drop the last hop
            yield replace(q, patterns=_swap(q.patterns, pi, replace(p, nodes=p.nodes[:-1], rels=p.rels[:-1])))
            yield replace(q, patterns=_swap(q.patterns, pi, replace(p, nodes=p.nodes[1:], rels=p.rels[1:])))
        for ni, n in enumerate(p.nodes):
            simpler = []
            if n.props:
                simpler.append(replace(n, props=()))
            if n.label:
                simpler.append(replace(n, label=None))
            for s in simpler:
                yield replace(q, patterns=_swap(q.patterns, pi, replace(p, nodes=_swap(p.nodes, ni, s))))
        for ri, rel in enumerate(p.rels):
            simpler_rels = []
            if rel.hops:
                simpler_rels.append(replace(rel, hops=None))
            if len(rel.types) > 1:
                simpler_rels.append(replace(rel, types=rel.types[:1]))
            if rel.types:
                simpler_rels.append(replace(rel, types=()))
            if rel.direction != "->":
                simpler_rels.append(replace(rel, direction="->"))
            for s in simpler_rels:
                yield replace(q, patterns=_swap(q.patterns, pi, replace(p, rels=_swap(p.rels, ri, s))))


def _used_params(q: Query) -> Query:
    text = q.text()
    return replace(q, params={k: v for k, v in q.params.items() if f"${k}" in text})


_NAME = re.compile(r"(?<![\w$.])(n\d\d|r\d\d|path\d|c\d)(?!\w)")


def renamed(q: Query) -> Query:
    """`q` with its variables and aliases numbered again in order of appearance (n0, r0, path0, c0),
    so that two shrunk queries that differ only in names read the same."""
    names: dict[str, str] = {}
    for found in _NAME.finditer(q.text()):
        old = found.group(1)
        if old not in names:
            prefix = old.rstrip("0123456789")
            names[old] = f"{prefix}{sum(1 for n in names.values() if n.rstrip('0123456789') == prefix)}"

    def sub(text: str) -> str:
        return _NAME.sub(lambda m: names[m.group(1)], text)

    def node(n: NodePat) -> NodePat:
        return replace(n, var=sub(n.var))

    def rel(r: RelPat) -> RelPat:
        return replace(r, var=sub(r.var) if r.var else None)

    patterns = tuple(
        replace(p, nodes=tuple(map(node, p.nodes)), rels=tuple(map(rel, p.rels)), path_var=sub(p.path_var) if p.path_var else None)
        for p in q.patterns
    )
    where = tuple(Pred(sub(p.text), frozenset(sub(u) for u in p.uses)) for p in q.where)
    items = tuple(replace(i, expr=sub(i.expr), alias=sub(i.alias) if i.alias else None, uses=frozenset(sub(u) for u in i.uses)) for i in q.items)
    return replace(q, patterns=patterns, where=where, items=items)


def _big_steps(q: Query) -> Iterator[Query]:
    """Large cuts, tried first (most mismatches have one small cause): no WHERE, no ORDER BY,
    SKIP, LIMIT or DISTINCT, one pattern, one return item."""
    yield replace(q, where=())
    yield replace(q, order=(), skip=None, limit=None, distinct=False)
    if len(q.patterns) > 1:
        yield replace(q, patterns=q.patterns[:1])
    if len(q.items) > 1:
        for i, item in enumerate(q.items):
            yield replace(q, items=(item,), order=q.order[i : i + 1] if q.order else ())


def _valid(q: Query) -> bool:
    known = q.variables()
    return all(i.uses <= known for i in q.items) and all(p.uses <= known for p in q.where)


def shrink(q: Query, still_fails: Callable[[Query], bool], *, budget: int = 200) -> Query:
    """The smallest query reachable from `q` by dropping parts while `still_fails` holds
    (large cuts first, then one part at a time, at most `budget` candidate runs). Candidates that
    use a dropped variable are skipped."""
    best = q
    tries = 0
    for _ in range(2):  # two big cuts, the second on what the first left
        for candidate in map(_used_params, _big_steps(best)):
            if tries < budget and _valid(candidate) and candidate.text() != best.text():
                tries += 1
                if still_fails(candidate):
                    best = candidate
                    break
    improved = True
    while improved and tries < budget:
        improved = False
        for candidate in _smaller(best):
            candidate = _used_params(candidate)
            if not _valid(candidate):
                continue
            tries += 1
            if still_fails(candidate):
                best = candidate
                improved = True
                break
            if tries >= budget:
                break
    return best
