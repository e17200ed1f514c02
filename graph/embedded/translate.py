"""Translate a parsed Neo4j read query into the embedded engine's Cypher, with Neo4j's semantics. Pure.

`translate(text, schema, params)` parses `text` (`cypher.parse`) and emits a query for the engine
(ladybug) over the table layout of `ddl`: one node table `Entity` (the label in the column
`_cubamed_label`) and one relationship table `Relationship` (the type in `_cubamed_type`). Nothing
of the user's text reaches the engine: every name, literal and clause is re-emitted from the tree
(user variables become `v0, v1, ...`, columns `c0, c1, ...`, string and float literals become
parameters), and only the read clauses and functions listed here can be emitted. A construct with
no faithful translation raises `QueryRefused` (stable construct name, the query quoted with a
caret, and what to write instead) before anything runs.

Neo4j semantics kept on purpose, where the engine differs (docs/cypher-dialect.md is generated from
the corpus results; the engine's own bugs are pinned by tests/test_engine_bugs.py):

- labels, `Cubamed`, `Sanctioned`, types: predicates on the label/type columns and `sanctioned`;
- relationship uniqueness per MATCH: TRAIL for variable-length patterns, and pairwise inequality of
  every relationship of the clause;
- 0-based indexes and end-exclusive slices, negative from the end, out of range is null;
- `substring`, `toInteger` (truncates; null when it does not parse), `round` (half up), `trim`,
  `reverse` of a list, `sum` of nothing is 0, `x IN list` with nulls, quantifiers from counts,
  partial dates (`date('2008-09')`), `keys`/`properties` without absent properties;
- ORDER BY in WITH is kept before an aggregation (the engine drops it: silently wrong top-N).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import QueryError, QueryRefused
from ..model import model_of
from ..schema import Schema
from . import cypher as c

__all__ = ["ENTITY_MARKER", "NODE_TABLE", "REL_TABLE", "Columns", "Translation", "translate"]

#: The label every node cubamed exports to Neo4j carries besides its own (= graph.export.rows.MARKER_LABEL).
ENTITY_MARKER = "Cubamed"
#: The property every relationship cubamed exports to Neo4j carries (= graph.export.rows.MARKER_PROPERTY).
REL_MARKER = "_cubamed"
NODE_TABLE, REL_TABLE = "Entity", "Relationship"
LABEL_COLUMN, TYPE_COLUMN = "_cubamed_label", "_cubamed_type"
INT_FLAG = "_cubamed_int_"  # = ddl.INT_FLAG
MAX_HOPS = 30  # the engine's limit on variable-length patterns
DIALECT = "docs/cypher-dialect.md"

AGGREGATES = {"count", "sum", "avg", "min", "max", "collect", "stdev", "stdevp", "percentilecont", "percentiledisc"}
SCALAR_KINDS = {"string", "int", "float", "bool", "date", "number"}
_TYPED_SCALARS = SCALAR_KINDS - {"number"}  # the scalar kinds of a value of one type
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ENGINE_NAME = re.compile(r"\b[a-z]+[0-9]+\b")  # the translator's own variable names (`fresh`)


_LITERAL = re.compile(r"('(?:[^'\\]|\\.)*')")  # a string literal of engine text
_PROPERTY = re.compile(r"\b([a-z]+[0-9]+)\.(`[^`]*`|[A-Za-z_][A-Za-z0-9_]*)")  # a property of a translator's variable
_NULL_TEST = re.compile(r"(?<![\w.`])([a-z]+[0-9]+) IS (NOT )?NULL\b")  # a null test of a translator's variable


def _names(text: str) -> set[str]:
    """The translator's variable names in engine text (and any word shaped like one)."""
    return set(_ENGINE_NAME.findall(text))


@dataclass
class Translation:
    """What runs on the engine: the text, its parameters, and Neo4j's column names."""

    text: str
    params: dict[str, Any]
    columns: list[str]
    #: per column, a post-processing step applied in Python (None: the value as the engine gives it)
    post: list[str | None] = field(default_factory=list)
    #: a query to run first, whose rows go into the parameter `stage[0]` (an uncorrelated CALL { ... }),
    #: with the kinds of its columns (for a typed placeholder row when it has none)
    stage: tuple[str, Translation, list[str]] | None = None
    #: per column, the kind of the values the user gets (after `post`): node, rel, path, rels (a list
    #: of relationships), list[KIND], map or map{KEY,...}, string, int, float, number (either), bool,
    #: date, null, any; a UNION's column has the kind its parts share, nulls aside
    kinds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    """The engine's columns (name → engine type) of the node table and of the relationship table."""

    node: dict[str, str]
    rel: dict[str, str]


COLUMN_KINDS = {"STRING": "string", "INT64": "int", "DOUBLE": "float", "BOOLEAN": "bool", "BOOL": "bool", "STRING[]": "list[string]"}


@dataclass(frozen=True)
class ReturnItems:
    """A RETURN clause's engine text in three: ``RETURN [DISTINCT]``, its items (``expr AS c0``, then
    the hidden columns) and what follows them (ORDER BY, SKIP, LIMIT)."""

    head: str
    items: tuple[str, ...]
    tail: str
    shapes: tuple[Shape, ...]  # the shape of each column's values (`Shape`), the hidden columns aside
    aggregates: tuple[bool, ...]  # whether each column's item holds an aggregate

    def text(self) -> str:
        return self.head + ", ".join(self.items) + self.tail


@dataclass(frozen=True)
class Binding:
    engine: str
    kind: str  # node, rel, path, rels, list[...], map, string, int, float, bool, date, any
    ends: tuple[str, str] | None = None  # a relationship's pattern endpoints (engine variables), left to right
    shape: Shape | None = None  # a list or map's inner kinds (`Shape`), when WITH or UNWIND knows them
    utf8: bool | None = None  # a string (or strings) Neo4j holds as UTF-8 (True), as Java strings (False), or either (`utf8`)


def _kind_of_list(kind: str) -> str:
    return kind[5:-1] if kind.startswith("list[") else "any"


def _numeric(kind: str) -> bool:
    return kind in ("int", "float", "number")


def _label_logic(expr: c.LabelExpr, leaf: Any) -> str:
    """A label or type expression as a condition: and, or, not and % (true: every node has a label and
    every relationship a type) around `leaf(name)`."""
    if expr.op == "any":
        return "true"
    if expr.op in ("and", "or"):
        return "(" + f" {expr.op.upper()} ".join(_label_logic(p, leaf) for p in expr.parts) + ")"
    if expr.op == "not":
        return f"(NOT {_label_logic(expr.parts[0], leaf)})"
    return str(leaf(expr.name))


class Scope(dict[str, Binding]):
    pass


class Translator:
    def __init__(self, text: str, schema: Schema, params: dict[str, Any], columns: Columns | None = None) -> None:
        self.text, self.schema, self.user_params = text, schema, params
        self.params: dict[str, Any] = {}
        self.counter = 0
        self.labels = set(schema.labels)
        self.types = set(schema.relationships)
        #: the node property marking sanctioned entities (the schema's role), if the schema has one
        self.sanctioned = model_of(schema).sanctioned
        from .ddl import node_columns, rel_columns

        full = Columns(node_columns(schema), rel_columns(schema))
        columns = columns or full
        hidden = {LABEL_COLUMN, TYPE_COLUMN}
        #: the schema's properties that have no column in this database (no row held them when it was
        #: built): (kind, name) → engine type, read as a typed null
        self.absent = {("node", k): t for k, t in full.node.items() if k not in columns.node and k not in hidden}
        self.absent |= {("rel", k): t for k, t in full.rel.items() if k not in columns.rel and k not in hidden}
        self.node_props = {k: COLUMN_KINDS.get(v, "any") for k, v in columns.node.items() if k not in hidden and not k.startswith(INT_FLAG)}
        self.rel_props = {k: COLUMN_KINDS.get(v, "any") for k, v in columns.rel.items() if k not in hidden and not k.startswith(INT_FLAG)}
        #: number properties holding integers and floats: (kind, name); their INT_FLAG column says which
        self.mixed = {("node", k[len(INT_FLAG) :]) for k in columns.node if k.startswith(INT_FLAG)}
        self.mixed |= {("rel", k[len(INT_FLAG) :]) for k in columns.rel if k.startswith(INT_FLAG)}
        #: WITH variables holding a sum() that may have added no value: engine variable -> the variable
        #: of its flag (true: no value, Neo4j's integer 0 where the engine has 0.0)
        self.int_flags: dict[str, str] = {}
        self.hidden_columns = 0  # columns after the last RETURN's own: flags and grouping keys
        self.value_context = False  # True while a WITH or RETURN item's value is translated
        self.column_kinds: list[str] = []  # the kinds of the last RETURN's columns
        self.result_kinds: list[str] = []  # the kinds of the last query's columns, over its UNION parts
        self.current_scope = Scope()
        #: the items of the RETURN that ends the query part being translated, for a UNION to retype
        self.return_items: ReturnItems | None = None
        self.union = False  # translating a part of a UNION (its RETURN works out each column's shape)
        self.dialect = DIALECT
        self.lambdas = 0  # depth of list lambdas being emitted
        self.pending_rel: tuple[str, str] | None = None
        #: the relationship patterns count_subquery turned round, by id; the dict keeps them alive, so
        #: that no later pattern gets the same id (a freed pattern's id is reused: a wrong condition)
        self.reversed: dict[int, c.RelPat] = {}
        self.undirected: list[tuple[str, bool, str, str]] = []
        self.match_vars: list[str] = []
        self.optional = False  # translating an OPTIONAL MATCH
        self.position_indexes: set[str] = set()  # the indexes of lambdas over positions (by_position)
        self.ordered_rows = False  # a WITH ... ORDER BY came before: the rows an aggregation reads are in order
        self.row_vars: list[str] | None = []
        #: a query run first, whose rows the main query reads from a parameter (an uncorrelated CALL {})
        self.stage: tuple[str, Translation, list[str]] | None = None

    # --- helpers ---------------------------------------------------------------------------------

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def refuse(self, node: c.Node | int, construct: str, message: str, hint: str, width: int | None = None) -> QueryRefused:
        at = node if isinstance(node, int) else node.at
        if width is None:
            m = re.match(r"[\w$`]+|.", self.text[at:], re.S)
            width = len(m.group()) if m else 1
        return c.refuse(self.text, at, width, construct, message, hint)

    def error(self, node: c.Node, message: str) -> QueryError:
        return c.syntax_error(self.text, node.at, message)

    def literal(self, value: Any, node: c.Node) -> str:
        """`value` as engine text; `QueryRefused` for a value the engine cannot hold as Neo4j does."""
        try:
            return engine_literal(value)
        except ValueError as exc:
            raise self.refuse(node, "parameter value", str(exc), "pass numbers, strings, booleans, dates, and lists of one type") from None

    # --- queries ---------------------------------------------------------------------------------

    def query(self, q: c.Query, outer: Scope | None = None, subquery: bool = False) -> tuple[str, list[str], list[str | None]]:
        texts: list[str] = []
        columns: list[str] | None = None
        post: list[str | None] = []
        shapes: set[tuple[tuple[str | None, ...], int]] = set()
        kinds: list[list[str]] = []
        returns: list[ReturnItems | None] = []
        outer_union, self.union = self.union, len(q.parts) > 1
        for part in q.parts:
            self.hidden_columns = 0
            text, cols, post = self.single(part, Scope(outer or {}), subquery)
            kinds.append(list(self.column_kinds))
            returns.append(self.return_items)
            if columns is not None and cols != columns:
                raise self.error(part, "all parts of a UNION must return the same column names")
            columns = cols
            shapes.add((tuple(post), self.hidden_columns))
            if len(shapes) > 1:  # the engine's UNION needs as many columns; one post step applies to all
                raise self.refuse(
                    part,
                    "UNION of parts post-processed differently",
                    "a UNION is not translated when only some of its parts return a relationship beside an "
                    "aggregate, a sum(), a CASE holding an aggregate, or a number property holding integers and "
                    "floats in the same column",
                    "run the parts as separate queries, or return the same kind of value in that column of every part",
                )
            texts.append(text)
        self.union = outer_union
        if len(set(q.union_all)) > 1:
            raise self.error(q, "UNION and UNION ALL cannot be mixed")
        for col in range(min((len(k) for k in kinds), default=0)):
            held = [k[col] for k in kinds if k[col] in _TYPED_SCALARS]
            if len(set(held)) > 1:  # Neo4j: a column of values of each type; the engine's column has one
                at = q.parts[next(i for i, k in enumerate(kinds) if k[col] in _TYPED_SCALARS and k[col] != held[0])]
                named = list(dict.fromkeys(kind_words(k) for k in held))
                words = ", ".join(named[:-1]) + " and " + named[-1]
                raise self.refuse(
                    at,
                    "UNION of values of several types",
                    f"the column {columns[col] if columns else col} of this UNION holds {words} values, "
                    "which the engine cannot put in one column",
                    "convert it in every part so that it has one type: RETURN toString(x) AS x, toFloat(n) AS n",
                )
        self.result_kinds = [_shared_kind([k[col] for k in kinds]) for col in range(min((len(k) for k in kinds), default=0))]
        if len(texts) > 1:
            texts = self.typed_union_columns(q, texts, kinds, returns, columns or [])
        joined = texts[0]
        for i, text in enumerate(texts[1:]):
            joined += (" UNION ALL " if q.union_all[i] else " UNION ") + text
        return joined, columns or [], post

    def typed_union_columns(
        self, q: c.Query, texts: list[str], kinds: list[list[str]], returns: list[ReturnItems | None], names: list[str]
    ) -> list[str]:
        """The parts of a UNION (`texts`), each column given one engine type over all parts.

        Neo4j's UNION column holds values of any type; the engine's has one, and fails ("c0 has data
        type INT64 but ANY was expected") or converts. So: values the engine would convert (maps of
        other keys, lists of other items, a node beside a number) are refused; a null (the literal,
        or a variable or expression holding it), an empty list, or a list or map holding them, which
        the engine types on its own (ANY, INT64[], STRUCT(a STRING)), is cast to the type the other
        parts give that column (`_typed_by`: a cast that converts no value)."""
        if any(r is None for r in returns):
            return texts
        parts = [r for r in returns if r is not None]
        out = list(texts)
        for col, name in enumerate(names):
            try:
                common = common_shape([r.shapes[col] for r in parts])
            except MixedKinds as m:
                at = next(i for i in range(len(parts)) if not _one_shape([r.shapes[col] for r in parts[: i + 1]]))
                entity = {"node", "rel", "path"} & {m.inner[0], m.inner[1]}
                hint = "return the same kind of value in every part, such as a property (x.name) in each" if entity else m.hint
                item, width = _column_item(q.parts[at], col)
                raise self.refuse(
                    item,
                    "UNION of values of several types",
                    f"the column {name} of this UNION holds {_a(describe_shape(m.a))} and {_a(describe_shape(m.b))}, "
                    "which the engine cannot put in one column (it would convert one of them)",
                    hint + ", or run the parts as separate queries",
                    width=width,
                ) from None
            engine = engine_type_of_shape(common)
            only_empty = all(r.items[col] == f"[] AS c{col}" or kinds[i][col] == "null" for i, r in enumerate(parts))
            if engine is None and common in (("list", "any"), ("list", "null")) and only_empty:
                engine = "INT64[]"  # every value an empty list or null: the engine's own type of []
            nulls = [i for i, k in enumerate(kinds) if k[col] == "null"]
            if engine is None and nulls and common in _NULL_ENTITIES:
                words = kind_words(str(common))
                item, width = _column_item(q.parts[nulls[0]], col)
                raise self.refuse(
                    item,
                    f"UNION of a null and {_a(words)}",
                    f"the column {name} of this UNION is null in one part and {_a(words)} in another, "
                    "which the engine cannot put in one column",
                    f"make that part's null a {words} too, from a match that finds nothing: "
                    f"{_NULL_ENTITIES[str(common)].format(name=name)}; or run the parts as separate queries",
                    width=width,
                )
            if engine is None:
                continue
            if common not in (("list", "any"), ("list", "null")):
                self.result_kinds[col] = kind_of_shape(common)  # the type every part now gives it
            for i, r in enumerate(parts):
                text, suffix = r.items[col], f" AS c{col}"
                if not out[i].endswith(r.text()):  # never: a part's RETURN is its last clause
                    continue
                if r.shapes[col] != common and (_typed_by(r.shapes[col], common) or text == f"[]{suffix}"):
                    items = list(r.items)
                    typed = self.typed_column(text.removesuffix(suffix), engine, r.shapes[col], kinds[i][col], r.aggregates[col])
                    items[col] = typed + suffix
                    retyped = ReturnItems(r.head, tuple(items), r.tail, r.shapes, r.aggregates)
                    out[i] = out[i].removesuffix(r.text()) + retyped.text()
                    parts[i] = retyped
        return out

    def typed_column(self, value: str, engine: str, shape: Shape, kind: str, aggregate: bool) -> str:
        """A UNION part's column `value` (of `shape` and `kind`) as the engine type `engine`.

        A null that is not an aggregate's is the null literal cast: the engine's CAST of a variable
        holding null retypes the variable (two casts of it give both the second type). An aggregate
        of nulls stays in the text (it groups the rows), its value already typed by the aggregate's
        translation (max(CAST(v AS INT64))), which a CAST to DATE cannot convert: its null is made
        anew, and a list of nulls (collect()) made of new ones."""
        if kind == "null" and not aggregate:
            return f"CAST(NULL AS {engine})"
        if kind == "null":
            return _typed_null(value, engine)
        if aggregate and shape == ("list", "null") and engine.endswith("[]"):
            x = self.fresh("x")
            return f"list_transform({value}, {x} -> CAST(NULL AS {engine[:-2]}))"
        return f"CAST({value} AS {engine})"

    def single(self, sq: c.SingleQuery, scope: Scope, subquery: bool) -> tuple[str, list[str], list[str | None]]:
        self.row_vars = []  # the variables that tell the rows apart, while only MATCH clauses have run
        self.return_items = None
        out: list[str] = []
        columns: list[str] = []
        post: list[str | None] = []
        clauses = list(sq.clauses)
        for clause in clauses:
            if isinstance(clause, c.Match):
                text = self.match(clause, scope)
                # the engine joins a MATCH onto the rows of an earlier reading clause wrongly (fewer
                # rows; tests/test_engine_bugs.py): a WITH * between them makes it join right
                out.append(text if not out or out[-1].startswith("WITH") else f"WITH * {text}")
            elif isinstance(clause, c.Unwind):
                self.row_vars = None
                expr, kind = self.expr(clause.expr, scope)
                single = kind in SCALAR_KINDS or kind in ("node", "rel") or kind.startswith("map")
                var = self.fresh()
                if single:
                    # Neo4j: UNWIND of a value that is not a list gives one row, none when it is null
                    # (the engine wants a list)
                    out.append(f"UNWIND [{expr}] AS {var}")
                    if not isinstance(clause.expr, c.Lit):
                        out.append(f"WITH * WHERE {var} IS NOT NULL")
                    kind = f"list[{kind}]"
                else:
                    # UNWIND null: no rows, as UNWIND [] (the engine types the variable of a null list otherwise)
                    out.append(f"UNWIND {'[]' if expr == 'NULL' else expr} AS {var}")
                items = self.shape(clause.expr, scope, kind) if not single else None
                item = items[1] if isinstance(items, tuple) and items[0] == "list" and isinstance(items[1], tuple) else None
                # the item of a list of nulls is null (the engine types it INT64, and a CASE casts the value beside it)
                each = "null" if items == ("list", "null") else _kind_of_list(kind)
                scope[clause.var] = Binding(var, each, shape=item, utf8=self.utf8(clause.expr, scope))
            elif isinstance(clause, c.Projection) and clause.kind == "WITH":
                self.row_vars = None
                text, scope = self.with_clause(clause, scope)
                out.append(text)
            elif isinstance(clause, c.Projection):
                text, columns, post = self.return_clause(clause, scope)
                out.append(text)
            elif isinstance(clause, c.Write):
                out.append(self.write_clause(clause, scope))
            elif isinstance(clause, c.CallSubquery):
                out.append(self.call_subquery(clause, scope, first=not out))
        return " ".join(out), columns, post

    # --- MATCH -----------------------------------------------------------------------------------

    def match(self, m: c.Match, scope: Scope, *, inline: bool = False) -> str:
        """MATCH or OPTIONAL MATCH; `inline` inside EXISTS { } or COUNT { } (no clause may follow it there)."""
        conds: list[str] = []
        paths: list[str] = []
        rels: list[tuple[str, bool]] = []  # (engine variable, variable-length)
        self.optional = m.optional
        self.undirected = []  # (engine variable, variable-length, left node, right node) of this MATCH
        self.match_vars = []
        keys_before = list(self.row_vars) if self.row_vars is not None else []
        distinct_rows = self.row_vars is not None  # only MATCH clauses so far: no two rows are alike
        outer = list(dict.fromkeys(n for b in scope.values() for n in (b.engine, *(b.ends or ()))))
        earlier = set(scope)  # the user's variables bound before this MATCH
        guards = [g for path in m.patterns if (g := self.shortest_ends(path, scope, inline)) is not None]
        for path in m.patterns:
            paths.append(self.path(path, scope, conds, rels))
        for i, (a, a_var) in enumerate(rels):  # Neo4j: no relationship twice in one MATCH
            for b, b_var in rels[i + 1 :]:
                if not a_var and not b_var:
                    conds.append(f"id({a}) <> id({b})")
                # the ids of a trail's relationships as a property, not with a lambda (which gives
                # wrong values on some rows: tests/test_engine_bugs.py)
                elif a_var and b_var:
                    conds.append(f"NOT list_has_any(properties(rels({a}), '_ID'), properties(rels({b}), '_ID'))")
                else:
                    many, one = (a, b) if a_var else (b, a)
                    conds.append(f"NOT list_contains(properties(rels({many}), '_ID'), id({one}))")
        hoisted = ""
        if m.where is not None:
            where, where_scope = m.where, scope
            if m.optional and not inline:
                # Parts reading only earlier variables, beside the pattern's own, computed before
                # (hoist_outer_reads below catches what is left of them in the engine's text).
                hoisted, where, where_scope = self.hoist_earlier_values(m.where, scope, earlier)
            pred = self.predicate(where, where_scope)
            pattern_names = _names(" ".join(paths))
            if m.optional and not inline and not _names(pred) & (pattern_names - set(outer)):
                # The engine gets an OPTIONAL MATCH wrong when its WHERE reads only variables bound
                # before it (some outer rows lose their matches; tests/test_engine_bugs.py). Such a
                # condition is one value per outer row: computed before, it is right.
                h = self.fresh("h")
                hoisted += f"WITH *, ({pred}) AS {h} "
                pred = h
            elif m.optional and not inline:
                # With the pattern's own variables, a property of an earlier variable, read where it
                # is null on some rows, turns the whole condition wrong (`a.kind = 'x' OR b.kind IS
                # NULL` loses matches), also when the pattern names that variable (`(a)<-[r]-(b)
                # WHERE (a.aliases IS NULL XOR b.year IS NOT NULL) AND c.id = 'x'`); so does a null
                # test of an earlier variable itself (`a IS NOT NULL`, and `a:Vessel`, which tests
                # it): matches are lost (tests/test_engine_bugs.py). Read through a one-item list
                # computed before, the same values are right.
                lifted, pred = self.hoist_outer_reads(pred, set(outer))
                hoisted += lifted
            conds.append(pred)
        text = hoisted + ("OPTIONAL MATCH " if m.optional else "MATCH ") + ", ".join(paths)
        if conds:
            # The engine splits a conjunction and pushes its parts into the pattern's scans, and
            # some of those come out wrong (tests/test_engine_bugs.py): a range on a string in a
            # 2-hop pattern keeps one node; an OPTIONAL MATCH testing an outer variable IS NULL
            # matches nothing. Compared with true, the condition is one filter, and right.
            text += " WHERE (" + " AND ".join(f"({x})" for x in conds) + ") = true"
        if guards:
            from .functions import SHORTEST_SAME_NODE, unless

            stop = " OR ".join(guards)
            text = f"WITH * WHERE {unless(stop, SHORTEST_SAME_NODE, 'true')} " + text
        if self.undirected and not inline and any(many for _, many, _, _ in self.undirected):
            return self.one_path_per_trail(m, text, scope, keys_before, outer, distinct_rows)
        if self.undirected and not inline:
            text += " " + self.one_row_per_loop(scope, keys_before)
        return text

    def shortest_ends(self, path: c.Path, scope: Scope, inline: bool) -> str | None:
        """For shortestPath(...) or allShortestPaths(...): None when its two ends cannot be one node,
        else the engine condition that they are, on which the query stops (both ends bound before
        this MATCH); refused otherwise. Neo4j fails there ("The shortest path algorithm does not
        work when the start and end nodes are the same"), the engine finds no path."""
        if not path.shortest:
            return None
        first, last = path.nodes()[0], path.nodes()[-1]
        if _apart(first, last, self.schema.sanctioned_label):
            return None
        if first.var is not None and last.var is not None and {first.var, last.var} <= set(scope) and first.var != last.var and not inline:
            a, b = scope[first.var].engine, scope[last.var].engine
            return f"id({a}) = id({b})"
        raise self.refuse(
            path,
            "shortestPath whose ends may be one node",
            f"{path.shortest}() between ends that may be the same node: Neo4j fails there, the embedded engine finds no path",
            "bind both ends first and tell them apart: MATCH (a {id: 'x'}), (b:State) WHERE a <> b "
            "MATCH p = shortestPath((a)-[*..6]-(b))",
            len(path.shortest),
        )

    def hoist_earlier_values(self, where: c.Expr, scope: Scope, earlier: set[str]) -> tuple[str, c.Expr, Scope]:
        """An OPTIONAL MATCH's `where` with each largest part that reads only the variables
        `earlier` (bound before the MATCH; a value, a node or a relationship, not a bare variable) replaced by a
        variable read from a list made in a WITH before (``WITH *, [startNode(r).id = a.id] AS h3``),
        that WITH, and the scope holding those variables. The engine gets such parts wrong beside
        the pattern's own variables (lost matches: tests/test_engine_bugs.py), in more shapes than a
        property or a null test (`startNode(r).id = a.id`, `startNode(r) = c`). Nothing changes when all of `where`
        reads earlier variables (`match` computes it whole before) or none does."""
        made: list[str] = []
        inner = Scope(scope)
        plain_kinds = SCALAR_KINDS | {f"list[{k}]" for k in SCALAR_KINDS} | {"node", "rel"}

        def lift(e: c.Expr) -> c.Expr:
            names = _free_names(e)
            if names is None:  # it binds names of its own (a list comprehension, a subquery): as it is
                return e
            if names and names <= earlier and not isinstance(e, c.Var | c.Lit | c.Param):
                text, kind = self.expr(e, scope)
                if kind in plain_kinds:
                    h = self.fresh("h")
                    made.append(f"[{text}] AS {h}")
                    inner[f" {h}"] = Binding(f"list_extract({h}, 1)", kind)  # no user variable has a space
                    return c.Var(f" {h}", at=e.at)
            return _rebuild(e, lift)

        names = _free_names(where)
        if not names or names <= earlier:
            return "", where, scope
        out = lift(where)
        return ("WITH *, " + ", ".join(made) + " " if made else ""), out, inner

    def hoist_outer_reads(self, pred: str, names: set[str]) -> tuple[str, str]:
        """`pred` with every property of the variables `names`, and every null test of one of them,
        read from a list made in a WITH before (``WITH *, [v1.`kind`] AS h2, [v1 IS NULL] AS h3`` then
        ``list_extract(h2, 1)``), outside string literals; and that WITH."""
        made: dict[str, str] = {}

        def read(text: str) -> str:
            if text not in made:
                made[text] = self.fresh("h")
            return f"list_extract({made[text]}, 1)"

        def lift(m: re.Match[str]) -> str:
            return read(m.group(0)) if m.group(1) in names else m.group(0)

        def lift_null(m: re.Match[str]) -> str:
            if m.group(1) not in names:
                return m.group(0)
            null = read(f"{m.group(1)} IS NULL")
            return f"(NOT {null})" if m.group(2) else null

        parts = _LITERAL.split(pred)  # odd items are the literals, kept as they are
        out = "".join(part if i % 2 else _NULL_TEST.sub(lift_null, _PROPERTY.sub(lift, part)) for i, part in enumerate(parts))
        if not made:
            return "", pred
        return "WITH *, " + ", ".join(f"[{text}] AS {h}" for text, h in made.items()) + " ", out

    def one_path_per_trail(self, m: c.Match, text: str, scope: Scope, keys_before: list[str], outer: list[str], distinct_rows: bool) -> str:
        """A MATCH with an undirected variable-length relationship, with Neo4j's paths: each once.

        The engine gives some undirected trails twice (those through a self-loop, and others), not
        2**loops times, so they cannot be weighted (`one_row_per_loop`): the rows are made distinct
        over every variable, and the rows before the MATCH are counted first (and unwound after)
        unless only MATCH clauses came before (then no two rows are alike).
        """
        if any(not many for _, many, _, _ in self.undirected):
            raise self.refuse(
                m,
                "undirected relationships",
                "an undirected variable-length relationship with another undirected relationship in one MATCH is not translated",
                "give one of them a direction: -[*1..2]-> or <-[r]-",
                len("OPTIONAL MATCH" if m.optional else "MATCH"),
            )
        names: list[str] = []
        for b in scope.values():
            names.extend((b.engine, *(b.ends or ())))
        keys = list(dict.fromkeys([*names, *keys_before, *self.match_vars]))
        if distinct_rows or not outer:
            return f"{text} WITH DISTINCT {', '.join(keys)}"
        copies, again = self.fresh("d"), self.fresh("u")
        return (
            f"WITH {', '.join(outer)}, count(*) AS {copies} {text} WITH DISTINCT {', '.join(keys)}, {copies} "
            f"UNWIND range(1, {copies}) AS {again} WITH {', '.join(keys)}"
        )

    def one_row_per_loop(self, scope: Scope, keys_before: list[str]) -> str:
        """Clauses after a MATCH with undirected relationships, so that a self-loop binds once.

        The engine walks an undirected relationship from a node to itself both ways and gives two
        identical rows; Neo4j binds it once (k such relationships: 2**k rows for Neo4j's 1). The
        rows are grouped by every variable (an undirected relationship by its id: the engine tells
        its two walks apart), each weighted 1 / 2**k, and the sum of the weights (the rows Neo4j has)
        is unwound again. (Variable-length ones: `one_path_per_trail`.)
        """
        loops = [f"(CASE WHEN id({left}) = id({right}) THEN 1 ELSE 0 END)" for _, _, left, right in self.undirected]
        single = [var for var, _, _, _ in self.undirected]
        names: list[str] = []
        for b in scope.values():
            names.append(b.engine)
            names.extend(b.ends or ())
        names = list(dict.fromkeys([*names, *keys_before, *self.match_vars]))
        keys = [n for n in names if n not in single]
        weight, again = self.fresh("w"), self.fresh("u")
        group = [*keys, *(f"id({v}) AS {v}_id" for v in single), *(f"collect({v}) AS {v}_all" for v in single)]
        restore = [*keys, *(f"CASE WHEN size({v}_all) = 0 THEN NULL ELSE list_extract({v}_all, 1) END AS {v}" for v in single)]
        total = " + ".join(loops)
        return (
            f"WITH {', '.join(group)}, sum(1.0 / pow(2, {total})) AS {weight} "
            f"UNWIND range(1, CAST(round({weight}, 0) AS INT64)) AS {again} WITH {', '.join(restore)}"
        )

    def path(self, path: c.Path, scope: Scope, conds: list[str], rels: list[tuple[str, bool]]) -> str:
        parts: list[str] = []
        node_vars: list[str] = []
        pending: list[tuple[int, str, str]] = []  # (position, user name, engine variable) of one-hop relationships
        undirected: list[tuple[int, str, bool]] = []  # (position, engine variable, variable-length) of undirected ones
        for position, el in enumerate(path.elements):
            if isinstance(el, c.NodePat):
                text = self.node_pattern(el, scope, conds)
                node_vars.append(text[1 : text.index(":")])
                parts.append(text)
            else:
                self.pending_rel = None
                before = len(rels)
                parts.append(self.rel_pattern(el, scope, conds, rels, path))
                if self.pending_rel is not None:
                    pending.append((position, *self.pending_rel))
                if el.direction == "-" and len(rels) > before:
                    undirected.append((position, *rels[-1]))
        for position, name, var in pending:  # a relationship at position p joins nodes p // 2 and p // 2 + 1
            scope[name] = Binding(var, "rel", (node_vars[position // 2], node_vars[position // 2 + 1]))
        for position, var, many in undirected:
            self.undirected.append((var, many, node_vars[position // 2], node_vars[position // 2 + 1]))
        for position, el in enumerate(path.elements):
            if id(el) in self.reversed:  # the <- form of an undirected relationship (count_subquery): not a loop
                conds.append(f"id({node_vars[position // 2]}) <> id({node_vars[position // 2 + 1]})")
        self.match_vars.extend(node_vars)
        self.match_vars.extend(v for v, _ in rels)
        text = "".join(parts)
        if path.var is not None:
            if path.var in scope:
                raise self.refuse(path, "path variable rebound", f"the path variable {path.var} is already bound", "use a new name")
            var = self.fresh()
            # an OPTIONAL path is null when unmatched: its first relationship (or its node) is then null
            first = re.search(r"\[(\w+):", text)
            own = first.group(1) if first else node_vars[0]
            anchor = (own, own) if self.optional else None
            scope[path.var] = Binding(var, "path", anchor)
            text = f"{var} = {text}"
        return text

    def node_pattern(self, n: c.NodePat, scope: Scope, conds: list[str]) -> str:
        if n.var is not None and n.var in scope:
            b = scope[n.var]
            if b.kind not in ("node", "any"):
                raise self.error(n, f"variable {n.var} is not a node")
            var = b.engine
        else:
            var = self.fresh()
            if n.var is not None:
                scope[n.var] = Binding(var, "node")
            if self.row_vars is not None:
                self.row_vars.append(var)
        inline: list[str] = []
        if n.labels is not None:
            conds.append(self.label_condition(n.labels, var))
        if n.props is not None:
            self.property_map(n.props, var, "node", scope, conds, inline)
        if n.where is not None:
            conds.append(self.predicate(n.where, scope))
        props = " {" + ", ".join(inline) + "}" if inline else ""
        return f"({var}:{NODE_TABLE}{props})"

    def property_map(self, props: c.Expr, var: str, kind: str, scope: Scope, conds: list[str], inline: list[str] | None) -> None:
        if isinstance(props, c.Param):  # Neo4j 5 rejects it, map or not, before it looks at the value
            raise self.error(
                props, f"a parameter map cannot stand in a MATCH pattern: write a literal map, e.g. {{id: ${props.name}.id}}"
            )
        assert isinstance(props, c.MapLit)
        for key, value_expr in props.items:
            expr, _ = self.expr(value_expr, scope)
            if self.property_kind(key, kind) is None:
                conds.append(f"({expr}) IS NOT NULL AND false")  # Neo4j: no node has it, so none matches
                continue
            constant = isinstance(value_expr, c.Lit) and value_expr.value is not None
            if isinstance(value_expr, c.Param):
                constant = self.param_value(value_expr) is not None
            if inline is not None and constant:
                inline.append(f"`{key}`: {expr}")
            else:
                conds.append(f"{var}.`{key}` = {expr}")

    def label_condition(self, expr: c.LabelExpr, var: str) -> str:
        def leaf(name: str) -> str:
            if name == ENTITY_MARKER:
                return "true"
            if name == self.schema.sanctioned_label:
                return f"coalesce({var}.`{self.sanctioned}`, false)" if self.sanctioned else "false"
            if name in self.labels:
                return f"{var}.{LABEL_COLUMN} = '{name}'"
            return "false"  # Neo4j: a label no node has matches nothing

        return _label_logic(expr, leaf)

    def type_condition(self, expr: c.LabelExpr, var: str) -> str:
        # Neo4j: a type no relationship has matches nothing
        return _label_logic(expr, lambda name: f"{var}.{TYPE_COLUMN} = '{name}'" if name in self.types else "false")

    def rel_pattern(self, r: c.RelPat, scope: Scope, conds: list[str], rels: list[tuple[str, bool]], path: c.Path) -> str:
        if r.var is not None and r.var in scope:
            raise self.refuse(
                r,
                "relationship variable rebound",
                f"the relationship variable {r.var} is already bound",
                "compare in WHERE instead: r2 = r",
            )
        var = self.fresh()
        left = "<-" if r.direction == "<-" else "-"
        right = "->" if r.direction == "->" else "-"
        if r.length is None:
            if path.shortest:
                raise self.refuse(
                    r, "shortestPath without *", "shortestPath needs a variable-length relationship", "write shortestPath((a)-[*..6]-(b))"
                )
            if r.var is not None:
                scope[r.var] = Binding(var, "rel")  # its endpoints are known once the path is read
                self.pending_rel = (r.var, var)
            if r.types is not None:
                conds.append(self.type_condition(r.types, var))
            inline: list[str] = []
            if r.props is not None:
                self.property_map(r.props, var, "rel", scope, conds, inline)
            if r.where is not None:
                conds.append(self.predicate(r.where, scope))
            rels.append((var, False))
            if self.row_vars is not None:
                self.row_vars.append(var)
            props = " {" + ", ".join(inline) + "}" if inline else ""
            return f"{left}[{var}:{REL_TABLE}{props}]{right}"
        lo, hi = r.length
        lo = 1 if lo is None else lo
        if hi is None and not path.shortest:
            raise self.refuse(
                r, "unbounded variable-length pattern", "a variable-length pattern without an upper bound", "give a bound: [*..6]", 1
            )
        if hi is not None and hi > MAX_HOPS:
            raise self.refuse(
                r, "too many hops", f"at most {MAX_HOPS} hops on the embedded engine", f"give a bound up to {MAX_HOPS}: [*..6]", 1
            )
        if r.where is not None:
            raise self.refuse(
                r,
                "WHERE in a variable-length relationship",
                "WHERE inside [*..] is not translated",
                "filter with all(r IN relationships(p) WHERE ...)",
            )
        self.row_vars = None  # a variable-length match is not a grouping key
        inner: list[str] = []
        x = self.fresh("x")
        if r.types is not None:
            inner.append(self.type_condition(r.types, x))
        if r.props is not None:
            self.property_map(r.props, x, "rel", scope, inner, None)
        if path.shortest:
            if lo > 1:
                raise self.refuse(r, "shortestPath minimum", "shortestPath with a minimum length above 1", "use [*..n] or [*1..n]")
            if lo == 0:  # the engine's shortest paths start at one hop
                raise self.refuse(
                    r,
                    "shortestPath minimum",
                    "shortestPath with a minimum length of 0 is not translated (Neo4j's path from a node to itself has length 0)",
                    "use [*1..n]: between two different nodes it finds the same paths",
                )
            mode = "ALL SHORTEST" if path.shortest == "allShortestPaths" else "SHORTEST"
            bounds = f" {lo}..{hi}" if hi is not None else f" {lo}..{MAX_HOPS}"
            if r.var is not None:
                scope[r.var] = Binding(var, "rels")
        else:
            mode = "TRAIL"
            bounds = f" {lo}..{hi}"
            if r.var is not None:
                scope[r.var] = Binding(var, "rels")
            rels.append((var, True))
        pred = f" ({x}, {self.fresh('y')} | WHERE {' AND '.join(inner)})" if inner else ""
        return f"{left}[{var}:{REL_TABLE}* {mode}{bounds}{pred}]{right}"

    # --- CALL { ... } -----------------------------------------------------------------------------

    def call_subquery(self, call: c.CallSubquery, scope: Scope, first: bool) -> str:
        q = call.query
        body = q.parts[0].clauses
        imports: tuple[str, ...]
        if call.imports is not None:
            imports = call.imports
        elif (
            isinstance(body[0], c.Projection)
            and body[0].kind == "WITH"
            and all(isinstance(i.expr, c.Var) and i.alias in (None, i.expr.name) for i in body[0].items)
            and not (body[0].order or body[0].where or body[0].skip or body[0].limit or body[0].distinct)
        ):
            imports = tuple(i.name for i in body[0].items) if not body[0].star else tuple(scope)
            body = body[1:]
        else:
            imports = ()
        if not imports:
            if not first:
                raise self.refuse(
                    call,
                    "CALL subquery after other clauses",
                    "a CALL { ... } that imports nothing is translated only as the first clause",
                    "start the query with it, or import the variables: CALL (x) { ... }",
                    4,
                )
            return self.staged_call(call, scope)
        return self.correlated_call(call, body, imports, scope)

    def staged_call(self, call: c.CallSubquery, scope: Scope) -> str:
        """CALL { A UNION B } ...: the subquery runs first; its rows come back as a parameter."""
        if self.stage is not None:
            raise self.refuse(
                call, "several CALL subqueries", "only one uncorrelated CALL { ... } per query is translated", "split the query", 4
            )
        inner = Translator(self.text, self.schema, self.user_params)
        inner.node_props, inner.rel_props, inner.mixed, inner.absent = self.node_props, self.rel_props, self.mixed, self.absent
        text, names, post = inner.query(call.query)
        kinds = inner.result_kinds  # over the UNION's parts: a null in one, an integer in another is an integer
        if any(p is not None for p in post) or any(
            k in ("node", "rel", "path", "rels") or k.startswith(("map", "list[node", "list[rel")) for k in kinds
        ):
            raise self.refuse(
                call,
                "CALL subquery returning nodes",
                "a CALL { ... } that imports nothing is translated only when it returns plain values "
                "(not nodes, relationships, paths or maps)",
                "return properties: RETURN n.id AS id (or a map's values: RETURN m.key AS key)",
                4,
            )
        param = "cubamed_rows"
        self.stage = (param, Translation(text, inner.params, names, post), kinds)
        row = self.fresh("r")
        parts = []
        for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
            var = self.fresh()
            parts.append(f"{row}.c{i} AS {var}")
            scope[name] = Binding(var, kind if kind != "null" else "any")
        self.row_vars = None
        # an empty list of rows has no type: one placeholder row comes with it, and the slice drops it
        return f"UNWIND list_slice(${param}, 1, ${param}_count) AS {row} WITH {', '.join(parts)}"

    def correlated_call(self, call: c.CallSubquery, body: tuple[c.Clause, ...], imports: tuple[str, ...], scope: Scope) -> str:
        """CALL { WITH x MATCH ... RETURN ... } per outer row, inlined: MATCH clauses, then a WITH."""
        hint = "write it as OPTIONAL MATCH ... WITH x, count(y) AS n, or COUNT { ... } for a count"
        if len(call.query.parts) > 1:
            raise self.refuse(
                call, "CALL subquery with UNION", "a CALL { ... UNION ... } that imports variables is not translated", hint, 4
            )
        *matches, last = body
        if (
            not matches
            or not all(isinstance(m, c.Match) for m in matches)
            or not (isinstance(last, c.Projection) and last.kind == "RETURN")
        ):
            raise self.refuse(call, "CALL subquery", "a CALL { ... } is translated when it is MATCH clauses then RETURN", hint, 4)
        if last.order or last.skip is not None or last.limit is not None or last.distinct or last.star:
            raise self.refuse(
                call,
                "CALL subquery with ORDER BY or LIMIT",
                "ORDER BY, SKIP, LIMIT or DISTINCT inside CALL { ... } is not translated",
                "sort and limit after the CALL, or use collect() and slice",
                4,
            )
        missing = [n for n in imports if n not in scope]
        if missing:
            raise c.syntax_error(self.text, call.at, f"variable {missing[0]} is not defined", 4)
        inner = Scope({n: scope[n] for n in imports})
        aggregating = any(self.has_aggregate(i.expr) for i in last.items)
        out: list[str] = []
        keys = list(self.row_vars) if self.row_vars is not None else None
        self.row_vars = None  # the inner MATCH adds no grouping key
        if aggregating:
            if keys is None or len(matches) != 1 or any(b.kind in ("path", "rels") for b in scope.values()):
                raise self.refuse(
                    call,
                    "aggregating CALL subquery",
                    "an aggregating CALL { ... } is translated only right after MATCH clauses, with one MATCH inside",
                    hint,
                    4,
                )
            m = matches[0]
            assert isinstance(m, c.Match)
            out.append("WITH * " + self.match(c.Match(True, m.patterns, m.where, at=m.at), inner))  # one row per outer row, as CALL gives
            if any(isinstance(i.expr, c.Call) and i.expr.star for i in last.items):
                raise self.refuse(
                    call,
                    "count(*) in CALL subquery",
                    "count(*) inside an aggregating CALL { ... } is not translated",
                    "count a variable of the pattern: count(y)",
                    4,
                )
            carried = list(dict.fromkeys([*keys, *(b.engine for b in scope.values())]))
        else:
            for m in matches:
                assert isinstance(m, c.Match)
                out.append("WITH * " + self.match(m, inner))  # see `single`: the engine's MATCH after MATCH
            carried = list(dict.fromkeys(b.engine for b in scope.values()))
        parts = list(carried)
        for item in last.items:
            if item.alias is None and not isinstance(item.expr, c.Var):
                raise c.syntax_error(self.text, item.at, "an expression returned by CALL { ... } must be aliased (use AS)", len(item.text))
            expr, kind = self.valued(item.expr, inner)
            var = self.fresh()
            parts.append(f"{expr} AS {var}")
            scope[item.name] = Binding(var, kind)
            if (empty := self.empty_sum_test(item.expr, kind, inner)) is not None:  # see with_clause
                self.int_flags[var] = self.fresh("f")
                parts.append(f"{empty} AS {self.int_flags[var]}")
        self.row_vars = None
        return " ".join(out) + " WITH " + ", ".join(parts)

    # --- writes (only with write=True, on a throwaway copy) --------------------------------------

    def write_clause(self, w: c.Write, scope: Scope) -> str:
        if w.kind in ("CREATE", "MERGE"):
            return f"{w.kind} " + ", ".join(self.write_path(p, scope) for p in w.patterns)
        if w.kind in ("DELETE", "DETACH DELETE"):
            return f"{w.kind} " + ", ".join(self.expr(e, scope)[0] for e in w.exprs)
        parts = []
        for target, value in w.items:
            if not isinstance(target, c.Prop):
                raise self.refuse(target, f"{w.kind} form", f"only {w.kind} n.property is translated", f"write {w.kind} n.property")
            subject, kind = self.expr(target.subject, scope)
            if self.property_kind(target.key, kind) is None or target.key in ("id", REL_MARKER):
                raise self.refuse(
                    target,
                    "unknown property",
                    f"{target.key} is not a property the schema lets you set",
                    "set a property of data/schema.yaml",
                )
            text = self.expr(value, scope)[0] if value is not None else "NULL"
            parts.append(f"{subject}.`{target.key}` = {text}")
        return "SET " + ", ".join(parts)

    def write_path(self, path: c.Path, scope: Scope) -> str:
        out: list[str] = []
        for el in path.elements:
            if isinstance(el, c.NodePat):
                if el.var is not None and el.var in scope:
                    out.append(f"({scope[el.var].engine})")
                    continue
                var = self.fresh()
                if el.var is not None:
                    scope[el.var] = Binding(var, "node")
                names = el.labels.names() if el.labels is not None else []
                own = [n for n in names if n in self.labels]
                if len(own) != 1 or (el.labels is not None and el.labels.op not in ("name", "and")):
                    raise self.refuse(
                        el,
                        "node without one label",
                        "a new node needs exactly one label of the schema",
                        "write (n:State {id: ..., name: ...})",
                    )
                props = [f"`{LABEL_COLUMN}`: '{own[0]}'"]
                if self.schema.sanctioned_label in names and self.sanctioned:
                    props.append(f"`{self.sanctioned}`: true")
                props += self.write_props(el.props, "node", scope)
                out.append(f"({var}:{NODE_TABLE} {{{', '.join(props)}}})")
            else:
                if el.length is not None or el.types is None or el.types.op != "name" or el.types.name not in self.types:
                    raise self.refuse(
                        el,
                        "relationship without one type",
                        "a new relationship needs exactly one type of the schema",
                        "write (a)-[:DEPLOYED_TO {...}]->(b)",
                    )
                if el.direction == "-":
                    raise self.refuse(el, "undirected relationship", "a new relationship needs a direction", "write -[:T]-> or <-[:T]-")
                var = self.fresh()
                if el.var is not None:
                    scope[el.var] = Binding(var, "rel")
                props = [f"`{TYPE_COLUMN}`: '{el.types.name}'", f"`{REL_MARKER}`: true", *self.write_props(el.props, "rel", scope)]
                body = f"[{var}:{REL_TABLE} {{{', '.join(props)}}}]"
                out.append(f"<-{body}-" if el.direction == "<-" else f"-{body}->")
        return "".join(out)

    def write_props(self, props: c.Expr | None, kind: str, scope: Scope) -> list[str]:
        if props is None:
            return []
        if not isinstance(props, c.MapLit):
            raise self.refuse(
                props,
                "property map parameter",
                "a parameter as the property map of a new node is not translated",
                "write the properties: {id: $id, name: $name}",
            )
        out = []
        for key, value in props.items:
            if self.property_kind(key, kind) is None or key == REL_MARKER:
                raise self.refuse(
                    props, "unknown property", f"{key} is not a property of the schema", "use the properties of data/schema.yaml"
                )
            out.append(f"`{key}`: {self.expr(value, scope)[0]}")
        return out

    # --- WITH / RETURN ---------------------------------------------------------------------------

    def items(self, p: c.Projection, scope: Scope) -> list[c.Item]:
        items = list(p.items)
        if p.star:
            star = [c.Item(c.Var(name, at=p.at), None, name, at=p.at) for name in sorted(scope)]
            if not star and p.kind == "RETURN":
                raise self.error(p, "RETURN * needs at least one variable")
            items = star + items
        return items

    def with_clause(self, p: c.Projection, scope: Scope) -> tuple[str, Scope]:
        items = self.items(p, scope)
        new = Scope()
        parts: list[str] = []
        carried: list[str] = []
        aggregating = any(self.has_aggregate(i.expr) for i in items)
        for item in items:
            expr, kind = self.valued(item.expr, scope)
            name = item.alias if item.alias is not None else item.text
            if (aggregating or p.distinct) and (plain := self.plain_null_path(item.expr, scope)):
                var = self.fresh()  # (path functions no longer take it: the engine then fails, loudly)
                parts.append(f"{plain} AS {var}")
            elif (aggregating or p.distinct) and kind == "rel" and isinstance(item.expr, c.Var):
                # The engine's WITH grouping by a relationship (or DISTINCT) puts every null of an
                # OPTIONAL MATCH in a group of its own; a CASE gives it a null it compares as equal
                var = self.fresh()
                parts.append(f"CASE WHEN {expr} IS NULL THEN NULL ELSE {expr} END AS {var}")
            elif isinstance(item.expr, c.Var) and item.alias in (None, item.expr.name) and not (
                (aggregating or p.distinct) and scope[item.expr.name].kind == "rels"
            ):
                # passed on as it is: a variable-length relationship stays one (its list is rels(v))
                var, kind = scope[item.expr.name].engine, scope[item.expr.name].kind
                parts.append(var)
            else:
                var = self.fresh()
                parts.append(f"{expr} AS {var}")
            if name in new:
                raise self.error(item, f"the name {name} is projected twice")
            new[name] = Binding(
                var, kind, shape=self.shape(item.expr, scope, kind) if _composite(kind) else None, utf8=self.utf8(item.expr, scope)
            )
            if (empty := self.empty_sum_test(item.expr, kind, scope)) is not None:
                self.int_flags[var] = self.fresh("f")
                parts.append(f"{empty} AS {self.int_flags[var]}")
            elif isinstance(item.expr, c.Var) and scope[item.expr.name].engine in self.int_flags:
                self.int_flags[var] = self.int_flags[scope[item.expr.name].engine]
                carried.append(self.int_flags[var])
            if not (aggregating or p.distinct) and isinstance(item.expr, c.Var) and self.plain_null_path(item.expr, scope):
                # an OPTIONAL path passed on keeps the relationship that tells whether it matched
                anchor = scope[item.expr.name].ends
                assert anchor is not None
                carried.append(anchor[0])
                new[name] = Binding(var, kind, anchor)
        parts += [v for v in dict.fromkeys(carried) if v not in parts]
        if any(self.aggregate_in_case(i.expr) for i in items):
            parts.append(f"count(*) * 0 AS {self.fresh('agg')}")  # see aggregate_in_case
        text = "WITH " + ("DISTINCT " if p.distinct else "") + ", ".join(parts)
        order_scope = Scope({**({} if aggregating or p.distinct else scope), **new})
        if p.order:
            text += " ORDER BY " + ", ".join(self.order_item(o, order_scope) for o in p.order)
        if p.skip is not None:
            text += f" SKIP {self.bound(p.skip, scope)}"
        elif p.order:
            text += " SKIP 0"  # the engine takes ORDER BY in WITH only with SKIP or LIMIT
        if p.limit is not None:
            text += f" LIMIT {self.bound(p.limit, scope)}"
        if p.order:
            self.ordered_rows = True
            # The engine drops an ORDER BY that an aggregation follows, even before LIMIT (a wrong
            # top-N, and collect() out of order); a no-op UNWIND after it keeps it.
            text += f" UNWIND [0] AS {self.fresh('keep')}"
        if p.where is not None:
            text += " WITH * WHERE " + self.predicate(p.where, new)
        return text, new

    def order_item(self, o: c.Order, scope: Scope, columns: dict[c.Expr, Binding] | None = None) -> str:
        if columns and o.expr in columns:
            text, kind = columns[o.expr].engine, columns[o.expr].kind
        else:
            text, kind = self.expr(o.expr, scope)
        if kind == "string":
            text = self.string_key(o.expr, text, scope, columns)
        elif kind in ("float", "number"):
            # Neo4j sorts NaN after every number (and before null); the engine puts it among them
            direction = " DESC" if o.descending else ""
            return f"(CASE WHEN {text} IS NULL THEN 2 WHEN {text} <> {text} THEN 1 ELSE 0 END){direction}, {text}{direction}"
        elif kind == "list[string]":
            # the engine cannot order lists; joined with a separator below every letter, strings of a
            # list sort as Neo4j sorts the lists (item by item, a prefix first)
            text = self.string_key(o.expr, f"list_to_string('\x01', {text})", scope, columns)
        elif kind.startswith("list") or kind.startswith("map") or kind in ("node", "rel", "path", "rels"):
            raise self.refuse(
                o,
                "ORDER BY a list, node or map",
                "ORDER BY a list (other than of strings), node, relationship or map is not translated",
                "order by a property, size(list) or a list of strings",
            )
        return text + (" DESC" if o.descending else "")

    def constant(self, e: c.Expr) -> Any:
        """The value of an integer expression of literals and parameters (LIMIT 1 + 2), else None."""
        if isinstance(e, c.Lit):
            return e.value
        if isinstance(e, c.Param):
            return self.param_value(e)
        if isinstance(e, c.Binary) and e.op in ("+", "-", "*"):
            a, b = self.constant(e.left), self.constant(e.right)
            if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and not isinstance(b, bool):
                return a + b if e.op == "+" else a - b if e.op == "-" else a * b
        return None

    def bound(self, e: c.Expr, scope: Scope) -> str:
        value = self.constant(e)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return self.literal(value, e)  # refused beyond 64 bits, as every value
        raise self.refuse(
            e, "SKIP/LIMIT expression", "SKIP and LIMIT need a non-negative integer or parameter", "write LIMIT 10 or LIMIT $n"
        )

    def return_clause(self, p: c.Projection, scope: Scope) -> tuple[str, list[str], list[str | None]]:
        items = self.items(p, scope)
        parts: list[str] = []
        columns: list[str] = []
        post: list[str | None] = []
        by_expr: dict[c.Expr, Binding] = {}
        flags: list[str] = []
        keys: list[str] = []
        kinds: list[str] = []
        shapes: list[Shape] = []
        self.column_kinds = kinds
        aliases = Scope()
        aggregates = tuple(self.has_aggregate(i.expr) for i in items)
        aggregating = any(aggregates)
        for i, item in enumerate(items):
            col = f"c{i}"
            step = None
            target = item.expr
            if isinstance(target, c.Call) and target.name.lower() == "properties" and len(target.args) == 1:
                inner_kind = self.kind(target.args[0], scope)
                if inner_kind in ("node", "rel"):
                    step, target = "properties", target.args[0]
            if isinstance(target, c.MapProjection) and target.items == (("all", "*", None),) and target.var in scope:
                var = target.var
                step, target = ("properties", c.Var(var, at=target.at)) if scope[var].kind in ("node", "rel") else (step, target)
            if isinstance(target, c.Prop) and isinstance(target.subject, c.Var) and target.subject.name in scope:
                b = scope[target.subject.name]
                if (b.kind, target.key) in self.mixed:  # Neo4j's integers come back as integers
                    step = f"int:{len(flags)}"
                    flags.append(f"{b.engine}.`{INT_FLAG}{target.key}`")
                    expr, kind = f"{b.engine}.`{target.key}`", "number"
                else:
                    expr, kind = self.valued(target, scope)
            else:
                expr, kind = self.valued(target, scope)
            if plain := self.plain_null_path(target, scope):
                expr = plain
            if aggregating and kind == "rel" and isinstance(target, c.Var):
                # The engine's RETURN grouping by a relationship beside an aggregate can give every row
                # an empty relationship (all properties at their defaults): group by its id instead,
                # collect it, and keep the first of the list (none: a null of OPTIONAL MATCH)
                keys.append(f"id({expr})")
                expr, step = f"collect({expr})", "first"
            if step is None and isinstance(target, c.Var) and scope[target.name].engine in self.int_flags:
                step = f"int:{len(flags)}"  # a sum() of a WITH (sum_of_nothing)
                flags.append(self.int_flags[scope[target.name].engine])
            if step is None and (empty := self.empty_sum_test(target, kind, scope)) is not None:
                step = f"int:{len(flags)}"
                flags.append(empty)
            parts.append(f"{expr} AS {col}")
            columns.append(item.name)
            kinds.append(kind)
            shapes.append(self.column_shape(target, scope, kind) if step is None and self.union else shape_of_kind(kind))
            post.append(step)
            by_expr.setdefault(item.expr, Binding(col, kind, utf8=self.utf8(item.expr, scope)))
            if item.alias is not None:
                aliases[item.alias] = Binding(col, kind, utf8=self.utf8(item.expr, scope))
        parts += [f"{flag} AS f{i}" for i, flag in enumerate(flags)]  # after the columns; read by the post steps
        if any(self.aggregate_in_case(i.expr) for i in items):
            keys.append("count(*) * 0")  # see aggregate_in_case
        parts += [f"{key} AS g{i}" for i, key in enumerate(keys)]  # grouping keys only, dropped by convert_rows
        self.hidden_columns = len(flags) + len(keys)
        if len(set(columns)) < len(columns):
            dup = next(n for n in columns if columns.count(n) > 1)
            raise self.error(p, f"the column {dup} is returned twice (Neo4j refuses it); give one of them another name with AS")
        head = "RETURN " + ("DISTINCT " if p.distinct else "")
        tail = ""
        order_scope = Scope({**({} if aggregating or p.distinct else scope), **aliases})
        if p.order:
            tail += " ORDER BY " + ", ".join(self.order_item(o, order_scope, by_expr) for o in p.order)
        if p.skip is not None:
            tail += f" SKIP {self.bound(p.skip, scope)}"
        if p.limit is not None:
            tail += f" LIMIT {self.bound(p.limit, scope)}"
        self.return_items = ReturnItems(head, tuple(parts), tail, tuple(shapes), aggregates)
        return self.return_items.text(), columns, post

    def column_shape(self, e: c.Expr, scope: Scope, kind: str) -> Shape:
        """The shape of a RETURN item of a UNION part (for `typed_union_columns`); its kind's where the
        item's parts cannot be looked into."""
        try:
            return self.shape(e, scope, kind)
        except (MixedKinds, QueryError):
            return shape_of_kind(kind)

    def plain_null_path(self, e: c.Expr, scope: Scope) -> str | None:
        """For a variable of an OPTIONAL path, the path that is a plain null when unmatched, else None.

        The engine gives an unmatched OPTIONAL path as a path of null nodes, which DISTINCT and
        grouping keys tell apart (one group per row); Neo4j has one null."""
        b = scope.get(e.name) if isinstance(e, c.Var) else None
        if b is None or b.kind != "path" or b.ends is None:
            return None
        return f"(CASE WHEN {b.ends[0]} IS NULL THEN NULL ELSE {b.engine} END)"

    def float_sum(self, e: c.Expr, kind: str, scope: Scope) -> bool:
        """True for a sum() of values that are not integers, or a variable a WITH made of one: 0.0
        in the engine when it adds nothing, the integer 0 in Neo4j (fixed afterwards only when
        the sum itself is a result column)."""
        if kind == "int":
            return False
        if self.sum_of_nothing(e):
            return True
        b = scope.get(e.name) if isinstance(e, c.Var) else None
        return b is not None and b.engine in self.int_flags

    def float_sum_refusal(self, e: c.Expr) -> QueryRefused:
        return self.refuse(
            e,
            "sum() of numbers inside an expression",
            "a sum() of no values is the integer 0 in Neo4j, and the engine's is the float 0.0, so an expression over it would change type",
            "make the type explicit, toFloat(sum(x)) + 1, or return the sum on its own and compute with it afterwards",
        )

    def empty_sum_test(self, e: c.Expr, kind: str, scope: Scope) -> str | None:
        """For a sum() whose values may not be integers, the engine's test that it added none
        (``count(x) = 0``): Neo4j's sum() of no values is the integer 0, where the engine's column of
        floats gives 0.0, and a post step or a later RETURN reads the test; else None."""
        if kind == "int" or not self.sum_of_nothing(e):
            return None
        assert isinstance(e, c.Call)
        value, vk = self.valued(e.args[0], scope)
        if vk == "null":  # sum(null): no value added; the engine cannot count an untyped null
            return "true"
        return f"count({value}) = 0"

    @staticmethod
    def sum_of_nothing(e: c.Expr) -> bool:
        """True for a RETURN or WITH item that is a sum() of one argument (0 when it adds no value)."""
        return isinstance(e, c.Call) and e.name.lower() == "sum" and not e.star and len(e.args) == 1

    def has_aggregate(self, e: Any) -> bool:
        return _inside(e, lambda x: isinstance(x, c.Call) and x.name.lower() in AGGREGATES)

    def aggregate_in_case(self, e: Any) -> bool:
        """Whether `e` holds a CASE holding an aggregate: the engine folds a CASE whose condition it
        knows to be constant (`CASE WHEN false THEN count(*) END`, a parameter, a variable projected
        from a literal) and then no longer aggregates, one row per row where Neo4j has one in all; a
        hidden `count(*) * 0` beside it keeps the rows grouped (0 in every row: UNION's distinct rows
        stay the same)."""
        return _inside(e, lambda x: isinstance(x, c.Case) and self.has_aggregate(x))

    # --- expressions -----------------------------------------------------------------------------

    def predicate(self, e: c.Expr, scope: Scope) -> str:
        text, _ = self.expr(e, scope)
        return text

    def kind(self, e: c.Expr, scope: Scope) -> str:
        saved = (dict(self.params), self.counter)
        try:
            return self.expr(e, scope)[1]
        finally:
            self.params, self.counter = saved

    def param_value(self, p: c.Param) -> Any:
        if p.name not in self.user_params:
            raise QueryError(f"missing parameter ${p.name}; pass it as -p {p.name}=VALUE (or {p.name}=... in Python)")
        return self.user_params[p.name]

    def expr(self, e: c.Expr, scope: Scope) -> tuple[str, str]:
        method = getattr(self, "e_" + type(e).__name__.lower(), None)
        if method is None:
            raise self.refuse(e, type(e).__name__, f"{type(e).__name__} is not translated", f"see {DIALECT}")
        out: tuple[str, str] = method(e, scope)
        return out

    def e_lit(self, e: c.Lit, scope: Scope) -> tuple[str, str]:
        return self.literal(e.value, e), _value_kind(e.value)

    def e_param(self, e: c.Param, scope: Scope) -> tuple[str, str]:
        value = self.param_value(e)
        try:
            value_shape(value)
        except MixedKinds as m:
            raise self.refuse(
                e,
                "parameter value",
                f"the parameter ${e.name} holds a list mixing {m}; the engine gives a list one type and would "
                "convert some of them (Neo4j keeps each as it is)",
                m.hint + ", or run it on Neo4j with --neo4j",
            ) from None
        if not _NAME.match(e.name) or e.name.startswith("cubamed_"):
            raise self.refuse(
                e,
                "parameter name",
                f"the parameter name ${e.name} is not usable here",
                "name parameters with letters, digits and _, not starting with cubamed_ (the translation's own names)",
            )
        return self.literal(value, e), _value_kind(value)  # as text: see engine_literal

    def e_var(self, e: c.Var, scope: Scope) -> tuple[str, str]:
        if e.name not in scope:
            raise c.syntax_error(self.text, e.at, f"variable {e.name} is not defined", len(e.name))
        b = scope[e.name]
        if b.kind == "rels":
            return f"rels({b.engine})", "list[rel]"
        return b.engine, b.kind

    def property_kind(self, key: str, kind: str) -> str | None:
        """The kind of property `key` of a node or relationship; None when no such column exists
        (Neo4j: the property is null)."""
        props = self.node_props if kind == "node" else self.rel_props if kind == "rel" else {**self.node_props, **self.rel_props}
        return props.get(key)

    def absent_property(self, key: str, kind: str) -> tuple[str, str] | None:
        """A schema property of a node or relationship that no row of this database holds, so has no
        column: a null of the column's type and its kind (what the empty column gave); else None."""
        engine_type = self.absent.get((kind, key))
        if engine_type is None:
            return None
        return f"CAST(NULL AS {engine_type})", COLUMN_KINDS.get(engine_type, "any")

    def own_property(self, e: c.Prop, scope: Scope) -> c.Prop:
        """properties(x).k as x.k, for a node, relationship, map or null x (the function itself is
        translated only as a RETURN column); any other property read as it is."""
        inner = e.subject
        if isinstance(inner, c.Call) and inner.name.lower() == "properties" and len(inner.args) == 1 and not inner.distinct:
            kind = self.kind(inner.args[0], scope)
            if kind in ("node", "rel", "null") or kind.startswith("map"):
                return self.own_property(c.Prop(inner.args[0], e.key, at=e.at), scope)
        return e

    def e_prop(self, e: c.Prop, scope: Scope) -> tuple[str, str]:
        e = self.own_property(e, scope)
        subject, kind = self.expr(e.subject, scope)
        if kind in ("node", "rel"):
            prop_kind = self.property_kind(e.key, kind)
            if prop_kind is None:
                return self.absent_property(e.key, kind) or ("NULL", "null")  # Neo4j: an absent property is null
            if (kind, e.key) in self.mixed and self.value_context:
                raise self.refuse(
                    e,
                    "integer and float property",
                    f"{e.key} holds integers and floats; the engine keeps them all as floats, Neo4j each as it is",
                    f"return it as is (RETURN x.{e.key}), or convert it first: sum(toFloat(x.{e.key})), toFloat(x.{e.key}) * 2",
                )
            return f"{_wrap(subject)}.`{e.key}`", prop_kind
        if kind.startswith("map"):
            known = self.shape(e.subject, scope, kind)
            keys = keys_of_map(kind, known)
            if keys is not None and e.key not in keys:
                return "NULL", "null"  # Neo4j: a missing key is null
            value = dict(known[1]).get(e.key, "any") if isinstance(known, tuple) and known[0] == "map" else "any"
            if value == "null":  # the engine types a null in a map as a string: `CASE ... ELSE 2 END` gave '2'
                if self.has_aggregate(e.subject):  # the aggregate must stay in the text, and with it the string
                    raise self.refuse(
                        e,
                        "a null read from a map holding an aggregate",
                        f"the value under `{e.key}` is null, which the engine types as a string beside the aggregate",
                        "write null in its place",
                    )
                return "NULL", "null"
            return f"{_wrap(subject)}.{quoted(e.key)}", kind_of_shape(value)
        if kind == "date":
            return self.date_accessor(e, subject)
        if kind == "null":  # Neo4j: a property of null is null; the engine cannot read one of a null
            return "NULL", "null"
        if kind in ("path", "rels") or kind.startswith("list") or kind in SCALAR_KINDS:
            raise self.error(e, f"cannot read the property {e.key} of {_a(kind_words(kind))}")
        return f"{_wrap(subject)}.{quoted(e.key)}", "any"

    def date_accessor(self, e: c.Prop, subject: str) -> tuple[str, str]:
        from .functions import DATE_FIELDS

        key = e.key.lower()
        if key in DATE_FIELDS:  # the engine's week is ISO's, as Neo4j's
            return f"date_part('{key}', {subject})", "int"
        if key == "dayofweek":  # Neo4j: Monday 1 .. Sunday 7; the engine: Sunday 0
            return f"(CASE WHEN date_part('dow', {subject}) = 0 THEN 7 ELSE date_part('dow', {subject}) END)", "int"
        raise self.refuse(
            e, "date accessor", f"the date accessor .{e.key} is not translated", "use .year, .month, .day, .quarter, .week or .dayOfWeek"
        )

    def e_index(self, e: c.Index, scope: Scope) -> tuple[str, str]:
        subject, kind = self.expr(e.subject, scope)
        if (
            kind in ("node", "rel")
            or kind.startswith("map")
            or (isinstance(e.index, c.Lit) and isinstance(e.index.value, str))
            or (isinstance(e.index, c.Param) and isinstance(self.param_value(e.index), str))
        ):
            key = e.index.value if isinstance(e.index, c.Lit) else self.param_value(e.index) if isinstance(e.index, c.Param) else None
            if not isinstance(key, str):
                raise self.refuse(
                    e, "dynamic property access", "n[expression] with a computed key is not translated", "write n.key or n['key']"
                )
            return self.e_prop(c.Prop(e.subject, key, at=e.at), scope)
        index, ikind = self.expr(e.index, scope)
        if ikind not in ("int", "any", "null"):
            raise self.error(e.index, "a list index must be an integer")
        self.check_listed(e, kind, "an index")
        if (isinstance(e.subject, c.ListLit) and not e.subject.items) or (
            self.shape(e.subject, scope, kind) == ("list", "null") and not self.has_aggregate(e.subject)
        ):  # [][i], head([]), [null][i], [[null]][0][i]: null (the engine types it INT64, and casts a CASE's other values)
            return "NULL", "null"
        if kind == "null":  # Neo4j: null[i] is null; the engine cannot index a null that is no list
            return "NULL", "null"
        size = f"size({subject})"
        constant = self.constant(e.index)
        if isinstance(constant, int) and not isinstance(constant, bool):  # xs[0], xs[-1]: the subject fewer times
            # the engine's list_slice counts 1-based, and negative positions from the end, as Neo4j's -1
            j = str(constant + 1) if constant >= 0 else f"({constant})"
            inside = f"{size} >= {constant + 1 if constant >= 0 else -constant}"
        else:
            j = f"(CASE WHEN {index} >= 0 THEN {index} + 1 ELSE {size} + {index} + 1 END)"
            inside = f"{j} >= 1 AND {j} <= {size}"
        elem = _kind_of_list(kind)
        if elem in SCALAR_KINDS:  # list_max of the one-item slice: null when it is empty
            plain = isinstance(constant, int) and not isinstance(constant, bool) and constant >= 0
            item = _null_kept(subject, kind, lambda s: f"list_max(list_slice({s}, {j}, {j}))")
            return (item if plain else f"(CASE WHEN {inside} THEN {item} END)"), elem
        if elem == "null":
            return "NULL", "null"
        # list_max is for scalars; list_any_value gives a default (not null) for an empty slice and
        # for a null item: list_unique (the distinct items that are not null) tells them apart
        def any_item(s: str) -> str:
            one = f"list_slice({s}, {j}, {j})"
            return f"(CASE WHEN list_unique({one}) > 0 THEN list_any_value({one}) END)"

        item = _null_kept(subject, kind, any_item)
        return f"(CASE WHEN {inside} THEN {item} ELSE NULL END)", elem

    def check_listed(self, e: c.Index | c.Slice, kind: str, what: str) -> None:
        """Neo4j's type mismatch for an index or slice of a value that is no list (the engine reads a
        number or a map as its text, and slices that: `{a: 1}[0..1]` was '{')."""
        if kind not in ("any", "null", "rels") and not kind.startswith("list"):
            raise self.error(e, f"{what} needs a list, not {_a(kind_words(kind))}: Neo4j rejects it")

    def e_slice(self, e: c.Slice, scope: Scope) -> tuple[str, str]:
        subject, kind = self.expr(e.subject, scope)
        if kind == "string":
            raise self.refuse(e, "string slice", "slices of strings are not Cypher", "use substring(s, start, length)")
        self.check_listed(e, kind, "a slice")
        size = f"size({subject})"

        def position(bound: c.Expr | None, default: str) -> str:
            if bound is None:
                return default
            value = self.constant(bound)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return str(value)  # the engine clamps to the list itself
            b, _ = self.expr(bound, scope)
            # Neo4j: 0-based, negative from the end, clamped to [0, size]
            return f"(CASE WHEN {b} >= {size} THEN {size} WHEN {b} >= 0 THEN {b} WHEN {size} + {b} >= 0 THEN {size} + {b} ELSE 0 END)"

        bounds = [b for b in (e.lo, e.hi) if b is not None]
        if any(isinstance(b, c.Lit) and b.value is None for b in bounds):
            return "NULL", kind  # Neo4j: a null bound makes the slice null
        lo = position(e.lo, "0")
        hi = position(e.hi, "2147483647")
        if lo.isdigit() and hi.isdigit():  # literal bounds: no CASE for the bounds
            first, last = (str(int(lo) + 1), hi) if int(hi) > int(lo) else ("2", "1")
            return _null_kept(subject, kind, lambda s: f"list_slice({s}, {first}, {last})"), kind
        unknown = " OR ".join(f"{self.expr(b, scope)[0]} IS NULL" for b in bounds if self.constant(b) is None)
        return (
            f"(CASE WHEN {unknown or 'false'} THEN NULL WHEN {hi} <= {lo} THEN list_slice({subject}, 2, 1)"
            f" ELSE {_null_kept(subject, kind, lambda s: f'list_slice({s}, {lo} + 1, {hi})')} END)",
            kind,
        )

    def e_unary(self, e: c.Unary, scope: Scope) -> tuple[str, str]:
        inner, kind = self.expr(e.operand, scope)
        if e.op == "NOT":
            return f"(NOT {_wrap(inner)})", "bool"
        if e.op == "-" and self.float_sum(e.operand, kind, scope):
            raise self.float_sum_refusal(e.operand)
        return (f"(-{_wrap(inner)})" if e.op == "-" else inner), kind

    def plain(self, e: c.Expr, scope: Scope) -> tuple[str, str]:
        """`e` translated where its own value does not reach a result (a comparison's operand, an aggregate's argument)."""
        saved, self.value_context = self.value_context, False
        try:
            return self.expr(e, scope)
        finally:
            self.value_context = saved

    def valued(self, e: c.Expr, scope: Scope) -> tuple[str, str]:
        """`e` translated as a WITH or RETURN item, whose value reaches the result."""
        saved, self.value_context = self.value_context, True
        try:
            return self.expr(e, scope)
        finally:
            self.value_context = saved

    def e_binary(self, e: c.Binary, scope: Scope) -> tuple[str, str]:
        op = e.op
        if op in ("=", "<>"):
            ids = [self.identity(x, scope) for x in (e.left, e.right)]
            if ids[0] is not None and ids[1] is not None:  # id(a) = id(b): only identity matters
                return f"({ids[0]} {op} {ids[1]})", "bool"
            lists = [_list_value(x, self) for x in (e.left, e.right)]
            if lists[0] is not None and lists[1] is not None and (None in lists[0] or None in lists[1]):
                # lists holding nulls compare with Neo4j's three-valued rule (the engine says [1, null] = [1, null])
                same = _cypher_equal(lists[0], lists[1])
                result = same if op == "=" or same is None else not same
                return self.literal(result, e), "bool"
        comparing = op in ("=", "<>", "<", ">", "<=", ">=", "IN", "STARTS WITH", "ENDS WITH", "CONTAINS", "=~", "AND", "OR", "XOR")
        left, lk = self.plain(e.left, scope) if comparing else self.expr(e.left, scope)
        right, rk = self.plain(e.right, scope) if comparing else self.expr(e.right, scope)
        if op in ("+", "-", "*", "/", "%"):
            sums = [self.float_sum(x, k, scope) for x, k in ((e.left, lk), (e.right, rk))]
            if (sums[0] and (rk == "int" or sums[1])) or (sums[1] and lk == "int"):
                raise self.float_sum_refusal(e.left if sums[0] else e.right)
        if op in ("AND", "OR", "XOR"):
            return f"({left} {op} {right})", "bool"
        if op in ("=", "<>"):
            if lk in ("node", "rel") and rk in ("node", "rel"):
                return f"(id({left}) {op} id({right}))", "bool"
            if _composite(lk) or _composite(rk):
                shapes = (self.shape(e.left, scope, lk), self.shape(e.right, scope, rk))
                equal = self.composite_equal(e, (left, lk), (right, rk), shapes)
                return (equal if op == "=" else f"(NOT {equal})"), "bool"
            if _two_types(lk, rk):
                return _unless_null(left, right, "false" if op == "=" else "true"), "bool"
            if lk == rk == "any":
                raise self.refuse(
                    e,
                    "= of values of unknown type",
                    f"{op} of two values whose type the translation does not know is not translated "
                    "(lists or maps holding nulls compare differently on the engine)",
                    "convert both sides first (toString(a) = toString(b)), or compare known values",
                )
            return f"({left} {op} {right})", "bool"
        if op in ("<", ">", "<=", ">="):
            # Neo4j: values of two types do not compare (the engine casts one of them), nor a null,
            # which the engine may have typed otherwise (the variable of UNWIND [null] is an INT64)
            if _two_types(lk, rk) or "null" in (lk, rk):
                return _unless_null(left, right, "CAST(NULL AS BOOL)"), "bool"
            if lk == rk == "string":
                left, right = self.string_pair((e.left, left), (e.right, right), scope)
            # (not a number written out, nor random(), which would be drawn once for each mention)
            nans = [x for x, k in ((left, lk), (right, rk)) if k in ("float", "number", "any") and _may_be_nan(x)]
            if nans:  # Neo4j: a comparison with NaN is false; the engine holds NaN less than any number
                numbers = " AND ".join(f"{x} = {x}" for x in nans)
                return f"(CASE WHEN {left} IS NULL OR {right} IS NULL THEN NULL ELSE {left} {op} {right} AND {numbers} END)", "bool"
            return f"({left} {op} {right})", "bool"
        if op == "IN":
            if _composite(lk) and rk.startswith("list["):  # a list or map among lists or maps: = item by item
                if not isinstance(e.right, c.ListLit):  # the engine's lambdas cannot hold the comparison's own
                    raise self.refuse(
                        e,
                        "IN of a list or map",
                        "a list or map IN a list that is not written out is not translated (the engine compares nulls as values)",
                        "write the list out: x IN [[1, 2], [3]], or compare sizes and items",
                    )
                mine = self.shape(e.left, scope, lk)
                tests = []
                for item in e.right.items:
                    other = self.plain(item, scope)
                    tests.append(self.composite_equal(e, (left, lk), other, (mine, self.shape(item, scope, other[1]))))
                if not tests:
                    return "false", "bool"
                found, unsure = " OR ".join(f"{t} = true" for t in tests), " OR ".join(f"{t} IS NULL" for t in tests)
                return f"(CASE WHEN {found} THEN true WHEN {unsure} THEN NULL ELSE false END)", "bool"
            return self.membership(e, left, right, lk, rk), "bool"
        if op in ("STARTS WITH", "ENDS WITH", "CONTAINS") and not {lk, rk} <= {"string", "any"}:
            # Neo4j: null unless both sides are strings (the engine casts a number to text)
            return _unless_null(left, right, "CAST(NULL AS BOOL)"), "bool"
        if op == "CONTAINS":  # the engine: 'abc' CONTAINS '' is false (Neo4j: true)
            return f"(({left} CONTAINS {right}) OR ({right} = '' AND {left} IS NOT NULL))", "bool"
        if op in ("STARTS WITH", "ENDS WITH"):
            return f"({left} {op} {right})", "bool"
        if op == "=~":
            if "null" in (lk, rk):
                return _unless_null(left, right, "CAST(NULL AS BOOL)"), "bool"
            for side, kind in ((e.left, lk), (e.right, rk)):
                if kind in ("int", "float", "number", "bool") or kind.startswith("list"):
                    if isinstance(side, c.Prop):  # Neo4j: a stored value that is not a string matches as null
                        return "NULL", "bool"
                    raise self.refuse(  # Neo4j: "Type mismatch: expected String" before it runs
                        side,
                        "=~ on a value that is not a string",
                        f"=~ compares strings; this side is of type {kind}",
                        "convert it first: toString(x) =~ '...'",
                    )
            return f"regexp_full_match({left}, {self.regex(e.right)})", "bool"
        if "null" in (lk, rk) and op in ("+", "-", "*", "/", "%", "^", "STARTS WITH", "ENDS WITH", "CONTAINS", "=~"):
            if self.has_aggregate(e.left) or self.has_aggregate(e.right):  # it must stay, or nothing groups the rows
                return _unless_null(left, right, "CAST(NULL AS BOOL)"), "null"
            return "NULL", "null"  # Neo4j: null in, null out
        if "date" in (lk, rk) and not (op == "+" and (lk.startswith("list") or rk.startswith("list"))):
            date_with = rk if lk == "date" else lk
            date_with = KIND_WORDS.get(date_with, date_with)
            raise self.refuse(  # Neo4j: "Type mismatch: expected Duration"; the engine adds days to a date
                e,
                "arithmetic on a date",
                f"{op} of a date and {_a(date_with)}: Neo4j adds and subtracts only durations to a date, and durations are not translated",
                "compute with the parts of the date: date(r.date).year + 1, or compare dates: date(a) < date(b)",
            )
        if op == "^":
            return f"pow({left}, {right})", "float"
        if op == "+":
            if lk.startswith("list") or rk.startswith("list"):
                self.one_item_type(e, lk, rk, scope)
            if lk.startswith("list") and rk.startswith("list"):
                return f"list_concat({left}, {right})", lk
            if lk.startswith("list"):
                return f"list_append({left}, {right})", lk
            if rk.startswith("list"):
                return f"list_prepend({right}, {left})", rk
            # the engine's concat treats null as '' (Neo4j: null): guarded, see functions.NULL_GUARDED
            from .functions import null_guard

            if lk == "string" and rk == "string":
                return null_guard(f"concat({left}, {right})", [left, right]), "string"
            if "string" in (lk, rk):
                if lk in ("int", "string") and rk in ("int", "string"):
                    return null_guard(f"concat(cast({left}, 'STRING'), cast({right}, 'STRING'))", [left, right]), "string"
                raise self.refuse(
                    e,
                    "string + number",
                    "string + float or + a value of unknown type is not translated",
                    "convert first: toString(x) + 'text'",
                )
        if op in ("+", "-", "*", "/", "%"):
            kind = "float" if "float" in (lk, rk) else "int" if lk == rk == "int" else "any"
            return f"({left} {op} {right})", kind
        raise self.error(e, f"operator {op} is not translated")

    def one_item_type(self, e: c.Binary, lk: str, rk: str, scope: Scope) -> None:
        """Refuse list + value (or list + list) whose items would be of two types, or maps of other
        keys, or lists of such: Neo4j's list holds them as they are, the engine's list has one type
        (it fails, converts them, or renames a map's keys: `[{a: 1}] + [{b: 2}]` gave {a: 2})."""
        hint = (
            "convert first so that all items have one type: xs + toString(x), [i IN xs | toFloat(i)] + 1.5; "
            "or return the list and the value as two columns"
        )
        items = [_kind_of_list(k) if k.startswith("list") else k for k in (lk, rk)]
        if set(items) <= _TYPED_SCALARS and items[0] != items[1]:
            words = [kind_words(k) for k in items]
            raise self.refuse(
                e,
                "list + value of another type",
                f"+ of a list and {_a(words[1] if lk.startswith('list') else words[0])} (items: {words[0]} and {words[1]}) "
                "makes a list holding values of two types, which the engine cannot hold (its lists have one type)",
                hint,
            )
        shapes = [self.shape(x, scope, k) for x, k in ((e.left, lk), (e.right, rk))]
        held = [
            (s[1] if isinstance(s, tuple) and s[0] == "list" else "any") if k.startswith("list") else s
            for s, k in zip(shapes, (lk, rk), strict=True)
        ]
        if not _one_shape(held):
            raise self.refuse(
                e,
                "list + value of another type",
                f"+ makes a list holding {_a(describe_shape(held[0]))} and {_a(describe_shape(held[1]))}, which the engine "
                "cannot hold together (its lists have one type: it fails, converts the values, or renames the keys of the maps)",
                "write every map with the same keys, in the same order, and one type per key; " + hint,
            )

    def composite_equal(
        self, e: c.Expr, left: tuple[str, str], right: tuple[str, str], shapes: tuple[Shape, Shape] | None = None
    ) -> str:
        """`=` of lists or maps with Neo4j's rule, item by item: false where two items differ, else null
        where an item is null (`[1, null] = [1, null]` and `[1, null] = [1, 2]` are null, `[1, null] =
        [2, null]` false); the engine compares nulls as values. A map's values are compared by the same
        rule when their `shapes` say they are lists or maps (`{a: [1, null]} = {a: [1, null]}` is null);
        lists of lists, maps of unknown keys, and map values that may be lists or maps on both sides
        without a known shape, whose nulls may hide deeper, are refused."""
        (a, ak), (b, bk) = left, right
        for kind in (ak, bk):
            if (kind.startswith("list[") and kind[5:-1] not in SCALAR_KINDS | {"any", "null"}) or (
                kind.startswith("map") and map_keys(kind) is None
            ):
                raise self.refuse(
                    e,
                    "= of nested lists or maps",
                    "= and <> of lists of lists, or of maps whose keys the translation does not know, are not translated "
                    "(the engine compares their nulls as values)",
                    "compare the values one by one: m.a = n.a AND m.b = n.b"
                    if kind.startswith("map")
                    else "compare the items: all(i IN range(0, size(a) - 1) WHERE a[i] = b[i])",
                )
        unknown = f"{a} IS NULL OR {b} IS NULL"
        if ak.startswith("map") != bk.startswith("map"):
            return f"(CASE WHEN {unknown} THEN NULL ELSE false END)"
        if ak.startswith("map"):
            keys, other = map_keys(ak) or [], map_keys(bk) or []
            if sorted(keys) != sorted(other):
                return f"(CASE WHEN {unknown} THEN NULL ELSE false END)"
            if not keys:  # two empty maps
                return f"(CASE WHEN {unknown} THEN NULL ELSE true END)"
            mine, theirs = (dict(s[1]) if isinstance(s, tuple) and s[0] == "map" else {} for s in shapes or ("any", "any"))
            differs, nulls_ = [], []
            for k in keys:
                x, y = f"{a}.`{k}`", f"{b}.`{k}`"
                sx, sy = mine.get(k, "any"), theirs.get(k, "any")
                either_null = f"{x} IS NULL OR {y} IS NULL"
                if _other_types(sx, sy):  # Neo4j: values of two types are not equal (the engine may cast one)
                    differs.append(f"(CASE WHEN {either_null} THEN 0 ELSE 1 END)")
                    nulls_.append(f"(CASE WHEN {either_null} THEN 1 ELSE 0 END)")
                    continue
                if isinstance(sx, tuple) or isinstance(sy, tuple):  # a list or map: its nulls count too
                    known = sx if isinstance(sx, tuple) else sy
                    sx, sy = (sx if isinstance(sx, tuple) else known), (sy if isinstance(sy, tuple) else known)
                    sub = self.composite_equal(e, (x, kind_of_shape(sx)), (y, kind_of_shape(sy)), (sx, sy))
                    differs.append(f"(CASE WHEN {sub} = false THEN 1 ELSE 0 END)")
                    nulls_.append(f"(CASE WHEN {sub} IS NULL THEN 1 ELSE 0 END)")
                    continue
                if sx == sy == "any" and shapes is not None:
                    raise self.refuse(
                        e,
                        "= of maps of unknown values",
                        f"= and <> of maps whose value under `{k}` may be a list or a map on both sides are not translated "
                        "(the engine compares the nulls inside as values)",
                        "compare the values one by one: m.a = n.a AND m.b = n.b",
                    )
                differs.append(f"(CASE WHEN {x} <> {y} THEN 1 ELSE 0 END)")
                nulls_.append(f"(CASE WHEN {either_null} THEN 1 ELSE 0 END)")
            differ, nulls = " + ".join(differs), " + ".join(nulls_)
            return f"(CASE WHEN {unknown} THEN NULL WHEN {differ} > 0 THEN false WHEN {nulls} > 0 THEN NULL ELSE true END)"
        i = self.fresh("i")
        shorter = f"(CASE WHEN size({a}) < size({b}) THEN size({a}) ELSE size({b}) END)"
        x, y = f"list_extract({a}, {i})", f"list_extract({b}, {i})"
        # items of two types (`[1, 2] = ['a', 'b']`) differ wherever neither is null, and a list of nulls
        # equals nothing: the engine, which cannot compare them (it casts one to the other's type), is not asked
        left_items, right_items = (_item_kind(k, s) for k, s in zip((ak, bk), shapes or ("any", "any"), strict=True))
        apart = "null" in (left_items, right_items) or _two_types(left_items, right_items)
        unequal = f"{x} IS NOT NULL AND {y} IS NOT NULL" if apart else f"{x} <> {y}"
        differ = f"list_sum(list_transform(range(1, {shorter}), {i} -> CASE WHEN {unequal} THEN 1 ELSE 0 END))"
        nulls = f"list_sum(list_transform(range(1, {shorter}), {i} -> CASE WHEN {x} IS NULL OR {y} IS NULL THEN 1 ELSE 0 END))"
        return (
            f"(CASE WHEN {unknown} THEN NULL WHEN size({a}) <> size({b}) THEN false WHEN size({a}) = 0 THEN true"
            f" WHEN {differ} > 0 THEN false WHEN {nulls} > 0 THEN NULL ELSE true END)"
        )

    def utf8(self, e: c.Expr, scope: Scope) -> bool | None:
        """How Neo4j 5 holds the string (or the strings of the list) `e`, which decides how it orders
        them: as UTF-8 (True: literals, stored properties, and what substring(), trim(), coalesce(),
        list items ... make of them), ordered by code points against another such string; as Java
        strings (False: parameters, toUpper(), toLower(), replace(), split(), most `+`), ordered by
        UTF-16 code units, against any string; None where it depends on the data. Measured on Neo4j
        5.26 (`tests/cypher/corpus/ordering.yaml`)."""
        if isinstance(e, c.Lit):
            return True
        if isinstance(e, c.Param):
            return False
        if isinstance(e, c.Var):
            bound = scope.get(e.name)
            return bound.utf8 if bound is not None else None
        if isinstance(e, c.Prop):
            e = self.own_property(e, scope)
            if isinstance(e.subject, c.MapLit):
                value = dict(e.subject.items).get(e.key)
                return True if value is None else self.utf8(value, scope)
            return True if self.kind(e.subject, scope) in ("node", "rel") else None
        if isinstance(e, c.ListLit):
            return _same([self.utf8(v, scope) for v in e.items])
        if isinstance(e, c.Case):
            return _same([self.utf8(v, scope) for _, v in e.whens] + ([self.utf8(e.default, scope)] if e.default is not None else []))
        if isinstance(e, c.Index | c.Slice):
            return self.utf8(e.subject, scope)
        if isinstance(e, c.ListComp):
            inner = Scope(scope)
            inner[e.var] = Binding("", _kind_of_list(self.kind(e.source, scope)), utf8=self.utf8(e.source, scope))
            return self.utf8(e.project if e.project is not None else c.Var(e.var, at=e.at), inner)
        if isinstance(e, c.Call):
            name = e.name.lower()
            if name in ("type", "labels") and all(ch < "\ue000" for word in self.types | self.labels for ch in word):
                return True  # names of the schema, all before U+E000: both of Neo4j's orders agree on them
            if name in JAVA_STRING_FUNCTIONS:
                return False
            if name == "coalesce":
                return _same([self.utf8(a, scope) for a in e.args])
            return self.utf8(e.args[0], scope) if name in UTF8_KEEPING_FUNCTIONS and e.args else None
        if isinstance(e, c.Binary) and e.op == "+":
            if isinstance(e.left, c.Lit) and e.left.value == "":
                return self.utf8(e.right, scope)  # '' + s is s itself
            # two UTF-8 strings make one, a Java string on either side makes one (the literal '' is one)
            held = [False if isinstance(x, c.Lit) and x.value == "" else self.utf8(x, scope) for x in (e.left, e.right)]
            return False if False in held else _same(held)
        return None

    def string_key(self, e: c.Expr, text: str, scope: Scope, columns: dict[c.Expr, Binding] | None = None) -> str:
        """`text` (the translation of the string `e`) as a key the engine orders as Neo4j orders it
        (`utf8`): as it is, by UTF-16 code units, or stopping the query where Neo4j's order is unknown
        and a character from U+E000 on could change it."""
        held = columns[e].utf8 if columns and e in columns else self.utf8(e, scope)
        if held is True:
            return text
        return utf16_order(text) if held is False else unsure_order(text)

    def string_pair(self, left: tuple[c.Expr, str], right: tuple[c.Expr, str], scope: Scope) -> tuple[str, str]:
        """Two strings compared with <, >, <= or >=, as the engine must compare them to give Neo4j's
        answer: by code points when Neo4j holds both as UTF-8, else by UTF-16 code units (`utf8`)."""
        held = [self.utf8(x, scope) for x, _ in (left, right)]
        if held == [True, True]:
            return left[1], right[1]
        if False in held:
            return utf16_order(left[1]), utf16_order(right[1])
        return unsure_order(left[1]), unsure_order(right[1])

    def identity(self, e: c.Expr, scope: Scope) -> str | None:
        """For id(x) or elementId(x) of a node or relationship: the engine's identity of x, else None."""
        if isinstance(e, c.Call) and e.name.lower() in ("id", "elementid") and len(e.args) == 1:
            x, kind = self.expr(e.args[0], scope)
            if kind in ("node", "rel"):
                return f"id({x})"
        return None

    def membership(self, e: c.Binary, left: str, right: str, lk: str, rk: str) -> str:
        if rk == "null":  # Neo4j: x IN null is null (the engine cannot type a null list)
            return _unless_null(left, "NULL", "CAST(NULL AS BOOL)")
        # Neo4j: a value is in no list of another type (the engine casts one side, or fails)
        other = _two_types(lk, _kind_of_list(rk))
        nullable = not (isinstance(e.right, c.ListLit) and all(isinstance(i, c.Lit) and i.value is not None for i in e.right.items))
        if isinstance(e.right, c.Param):
            value = self.param_value(e.right)
            nullable = not isinstance(value, list) or any(v is None for v in value)
        if not nullable and not other:
            return f"(CASE WHEN size({right}) = 0 THEN false ELSE {left} IN {right} END)"
        # Neo4j: null when the value is not found but the list holds a null (or the value is null)
        nulls = f"list_sum(list_transform({self.lambda_source(right, rk)}, x -> CASE WHEN x IS NULL THEN 1 ELSE 0 END))"
        found = "" if other else f" WHEN list_contains({right}, {left}) THEN true"
        return (
            f"(CASE WHEN {right} IS NULL THEN NULL WHEN size({right}) = 0 THEN false{found}"
            f" WHEN {left} IS NULL OR {nulls} > 0 THEN NULL ELSE false END)"
        )

    def e_isnull(self, e: c.IsNull, scope: Scope) -> tuple[str, str]:
        if isinstance(e.operand, c.Call) and e.operand.name.lower() in ("id", "elementid") and len(e.operand.args) == 1:
            e = c.IsNull(e.operand.args[0], e.negated, at=e.at)  # id(n) is null exactly when n is
        path = scope.get(e.operand.name) if isinstance(e.operand, c.Var) else None
        if path is not None and path.kind == "path" and path.ends is not None:  # an unmatched OPTIONAL path
            return f"({path.ends[0]} IS {'NOT ' if e.negated else ''}NULL)", "bool"
        inner, _ = self.plain(e.operand, scope)
        return f"({_wrap(inner)} IS {'NOT ' if e.negated else ''}NULL)", "bool"

    def e_listlit(self, e: c.ListLit, scope: Scope) -> tuple[str, str]:
        parts = [self.expr(i, scope) for i in e.items]
        kinds = {k for _, k in parts} - {"null"}
        if {"int", "float"} <= kinds:
            raise self.refuse(
                e,
                "mixed list",
                "a list of integers and floats becomes all floats on the embedded engine",
                "write every number as a float: [1.0, 2.5]",
            )
        types = {"number" if _numeric(k) else k for k in kinds & SCALAR_KINDS}
        if len(types) > 1:  # [1, 'a', true] came back as ['1', 'a', 'True'], without a word
            raise self.refuse(
                e,
                "mixed list",
                f"a list holding values of several types ({', '.join(sorted(types))}) becomes a list of strings on the embedded engine",
                "keep one type per list, or convert them first: [toString(1), 'a']",
            )
        self.one_shape(e, e.items, scope, "a list", [k for _, k in parts])
        # items that differ only by their nulls and empty lists ({a: null} beside {a: 1}) typed as the others
        parts = typed_empty_lists(parts, [self.shape(i, scope, k) for i, (_, k) in zip(e.items, parts, strict=True)])
        kinds = {k for _, k in parts} - {"null"}
        elem = kinds.pop() if len(kinds) == 1 else "any"
        if not parts:
            return "[]", "list[any]"
        return "[" + ", ".join(p for p, _ in parts) + "]", f"list[{elem}]"

    def e_maplit(self, e: c.MapLit, scope: Scope) -> tuple[str, str]:
        if not e.items:
            return EMPTY_MAP, "map{}"
        return "{" + ", ".join(f"{quoted(k)}: {self.expr(v, scope)[0]}" for k, v in e.items) + "}", map_kind([k for k, _ in e.items])

    def shape(self, e: c.Expr, scope: Scope, kind: str | None = None) -> Shape:
        """The shape of `e` (see `Shape`): literal maps and lists item by item, parameters by value,
        anything else by its kind (`kind`, when the caller has translated `e` already)."""
        if isinstance(e, c.MapLit):
            return ("map", tuple((k, self.shape(v, scope)) for k, v in e.items))
        if isinstance(e, c.ListLit):
            return ("list", common_shape([self.shape(i, scope) for i in e.items]))
        if isinstance(e, c.Param) and e.name in self.user_params:
            return value_shape(self.user_params[e.name])
        if isinstance(e, c.Var) and (bound := scope.get(e.name)) is not None and bound.shape is not None:
            return bound.shape
        if isinstance(e, c.MapProjection) and e.var in scope:
            return self.projection_shape(e, scope)
        if isinstance(e, c.Case):  # the shape its values share
            values = [v for _, v in e.whens] + ([e.default] if e.default is not None else [])
            try:
                return common_shape([self.shape(v, scope) for v in values])
            except MixedKinds:
                pass
        if isinstance(e, c.ListComp) and e.project is None:  # a filter keeps the items' shape
            return self.shape(e.source, scope)
        if isinstance(e, c.ListComp) and e.project is not None:  # a list of what it projects
            saved = (dict(self.params), self.counter)
            try:
                source = self.shape(e.source, scope)
                item = source[1] if isinstance(source, tuple) and source[0] == "list" else "any"
                _, within = self.lambda_scope(e.var, kind_of_shape(item), scope)
                within[e.var] = Binding(within[e.var].engine, kind_of_shape(item), shape=item if isinstance(item, tuple) else None)
                return ("list", self.shape(e.project, within))
            finally:
                self.params, self.counter = saved
        if isinstance(e, c.Index | c.Prop | c.Call | c.Slice):  # through lists and maps whose shape is known
            inner = self.known_shape(e, scope)
            if inner is not None:
                return inner
        return shape_of_kind(kind if kind is not None else self.kind(e, scope))

    def known_shape(self, e: c.Index | c.Prop | c.Call | c.Slice, scope: Scope) -> Shape | None:
        """The shape of an item, slice, value or collect() of a list or map whose shape is known
        beyond its kind (a map's values, kept by WITH), else None."""
        if isinstance(e, c.Call):
            name = e.name.lower()
            if name == "collect" and len(e.args) == 1:
                return ("list", self.shape(e.args[0], scope))
            if name in ("head", "last") and len(e.args) == 1:  # an item of the list: its shape
                items = self.shape(e.args[0], scope)
                return items[1] if isinstance(items, tuple) and items[0] == "list" and isinstance(items[1], tuple) else None
            if name == "coalesce" and e.args:  # the shape its arguments share (a mix is refused by coalesce)
                try:
                    common = common_shape([self.shape(a, scope) for a in e.args])
                except MixedKinds:
                    return None
                return common if isinstance(common, tuple) else None
            return None
        outer = self.shape(e.subject, scope)
        if not isinstance(outer, tuple):
            return None
        if isinstance(e, c.Slice):
            return outer if outer[0] == "list" else None
        if isinstance(e, c.Index) and outer[0] == "list":
            return outer[1] if isinstance(outer[1], tuple) else None
        key = e.key if isinstance(e, c.Prop) else e.index.value if isinstance(e.index, c.Lit) else None
        if outer[0] == "map" and isinstance(key, str):
            value = dict(outer[1]).get(key)
            return value if isinstance(value, tuple) else None
        return None

    def one_shape(self, node: c.Node, values: Sequence[c.Expr], scope: Scope, what: str, kinds: Sequence[str] | None = None) -> None:
        """Refuse `values` held together in one engine value (`what`) when the engine would convert one
        of them (`common_shape`): the answer would differ from Neo4j's without a word. `kinds`: the
        values' kinds, when the caller has translated them already."""
        try:
            known: Sequence[str | None] = kinds if kinds is not None else [None] * len(values)
            common_shape([self.shape(v, scope, k) for v, k in zip(values, known, strict=True)])
        except MixedKinds as m:
            raise self.refuse(
                node,
                "values of several types",
                f"{what} holding {_a(describe_shape(m.a))} and {_a(describe_shape(m.b))}: the embedded engine gives it one "
                "type and converts the others (Neo4j keeps each as it is)",
                m.hint,
            ) from None

    def regex(self, e: c.Expr) -> str:
        """The pattern `e` of `=~` (Java's syntax) as the engine's (RE2), same meaning (`regex.py`)."""
        from .regex import RegexRefused, java_to_re2

        pattern = self.constant(e)
        if not isinstance(pattern, str):
            raise self.refuse(
                e,
                "a regular expression read from the data",
                "=~ is translated with a pattern written in the query or passed as a parameter",
                "pass the pattern as a parameter: s =~ $pattern",
            )
        try:
            return self.literal(java_to_re2(pattern), e)
        except RegexRefused as exc:
            message = f"{exc.construct} means something else, or nothing, to the engine"
            raise self.refuse(e, f"regular expression: {exc.construct}", message, exc.hint) from None

    def e_case(self, e: c.Case, scope: Scope) -> tuple[str, str]:
        self.one_shape(e, [v for _, v in e.whens] + ([e.default] if e.default is not None else []), scope, "a CASE")
        kinds: set[str] = set()
        out = "CASE"
        if e.subject is not None:
            # CASE x WHEN v: Neo4j's x = v (null matches nothing, lists item by item, NaN nothing),
            # which the engine's own form is not (CASE x WHEN null matched every row). The subject is
            # then read once per WHEN: a random one would be drawn again each time.
            subject, _ = self.expr(e.subject, scope)
            if "random()" in subject or "gen_random_uuid()" in subject:
                raise self.refuse(
                    e.subject,
                    "CASE of a random value",
                    "CASE x WHEN ... of a value drawn at random is not translated",
                    "draw it first: WITH toInteger(rand() * 3) AS x RETURN CASE x WHEN ... END",
                )
        conds, values = [], []
        for cond, value in e.whens:
            if e.subject is not None:
                cond = c.Binary("=", e.subject, cond, at=cond.at)
            ct, _ = self.expr(cond, scope)
            conds.append(f"({ct}) = true")  # the engine takes a CASE-valued condition as false (tests/test_engine_bugs.py)
            values.append(self.expr(value, scope))
        if e.default is not None:
            values.append(self.expr(e.default, scope))
        branches = [v for _, v in e.whens] + ([e.default] if e.default is not None else [])
        values = typed_empty_lists(values, [self.shape(b, scope, k) for b, (_, k) in zip(branches, values, strict=True)])
        for ct, (vt, vk) in zip(conds, values, strict=False):
            kinds.add(vk)
            out += f" WHEN {ct} THEN {vt}"
        if e.default is not None:
            kinds.add(values[-1][1])
            out += f" ELSE {values[-1][0]}"
        kinds.discard("null")
        return out + " END", kinds.pop() if len(kinds) == 1 else "any"

    @staticmethod
    def lambda_source(source: str, kind: str = "any") -> str:
        """`source` as a freshly built list: the engine's lambdas give wrong values on some rows of a
        list that comes straight from a column or a slice (tests/test_engine_bugs.py); concatenated
        with an empty list of its own type they do not."""
        return f"list_concat({source}, {_empty(source, kind)})"

    def lambda_scope(self, var: str, kind: str, scope: Scope) -> tuple[str, Scope]:
        engine = self.fresh("x")
        inner = Scope(scope)
        inner[var] = Binding(engine, kind)
        return engine, inner

    def by_position(self, var: str, source: str, kind: str, scope: Scope) -> tuple[str, Scope] | None:
        """For a list of nodes or relationships: an index `i` over it and a scope where `var` is its
        i-th item (`list_extract(source, i)`), else None. The engine's lambdas over such a list read
        the properties of other items (of nodes(p) and relationships(p) of a variable-length path
        even when it is copied first: tests/test_engine_bugs.py); over its positions they do not."""
        if _kind_of_list(kind) not in ("node", "rel"):
            return None
        i = self.fresh("i")
        self.position_indexes.add(i)
        inner = Scope(scope)
        inner[var] = Binding(f"list_extract({source}, {i})", _kind_of_list(kind))
        return i, inner

    def lambda_over(self, e: c.ListComp | c.Quantifier | c.Reduce, scope: Scope) -> tuple[str, str]:
        """The source list of a comprehension, quantifier or reduce, refused when it is itself made
        by a lambda over positions (`by_position`): the engine's lambdas over it read other rows."""
        source, kind = self.expr(e.source, scope)
        if _names(source) & self.position_indexes:
            raise self.refuse(
                e.source,
                "list expression over nodes or relationships in another one",
                "a list comprehension, quantifier or reduce over a list made from nodes or relationships by another one "
                "fails or gives wrong values on the embedded engine",
                "make the inner list in a WITH first: WITH p, [r IN relationships(p) | r.year] AS years RETURN ... years ...",
            )
        return source, kind

    def e_listcomp(self, e: c.ListComp, scope: Scope) -> tuple[str, str]:
        source, kind = self.lambda_over(e, scope)
        if kind == "null":
            return "NULL", "null"  # Neo4j: over a null list, null
        positions = self.by_position(e.var, source, kind, scope)
        if positions is not None:
            i, inner = positions
            out = f"range(1, size({source}))"
            if e.where is not None:
                cond, _ = self.in_lambda(e.where, inner)
                out = f"(CASE WHEN size({source}) = 0 THEN CAST([] AS INT64[]) ELSE list_filter({out}, {i} -> ({cond}) = true) END)"
            proj, pk = self.in_lambda(e.project, inner) if e.project is not None else (f"list_extract({source}, {i})", _kind_of_list(kind))
            if pk == "bool":
                raise self.list_of_booleans(e)
            proj = _NULL_ITEM if pk == "null" else proj
            return f"(CASE WHEN {source} IS NULL THEN NULL ELSE list_transform({out}, {i} -> {proj}) END)", f"list[{pk}]"
        source = self.lambda_source(source, kind)
        elem = _kind_of_list(kind)
        x, inner = self.lambda_scope(e.var, elem, scope)
        out = source
        if e.where is not None:
            cond, _ = self.in_lambda(e.where, inner)
            # a fresh list again: projected straight from the filter's list_reduce, nodes and
            # relationships lose their properties (n.name gave '' for every item)
            out = self.filtered(source, x, cond, kind)
            out = self.lambda_source(out, kind) if e.project is not None else out
        if e.project is not None:
            proj, pk = self.in_lambda(e.project, inner)
            if pk == "bool":
                raise self.list_of_booleans(e)
            proj = _NULL_ITEM if pk == "null" else proj
            return f"list_transform({out}, {x} -> {proj})", f"list[{pk}]"
        return out, kind

    def list_of_booleans(self, e: c.ListComp) -> QueryRefused:
        return self.refuse(
            e,
            "list of booleans",
            "a list comprehension that yields booleans gives wrong values on the embedded engine",
            "yield numbers or strings instead: [x IN xs | CASE WHEN ... THEN 1 ELSE 0 END]",
        )

    def in_lambda(self, e: c.Expr, scope: Scope) -> tuple[str, str]:
        if self.lambdas:
            raise self.refuse(
                e,
                "nested list expression",
                "a list comprehension, quantifier or reduce inside another one gives wrong values or fails on the embedded engine",
                "UNWIND the outer list and aggregate, or compute the inner part in a WITH first",
            )
        self.lambdas += 1
        try:
            return self.expr(e, scope)
        finally:
            self.lambdas -= 1

    def filtered(self, source: str, x: str, cond: str, kind: str) -> str:
        # The engine's lambdas give wrong booleans on list columns (tests/test_engine_bugs.py): the
        # list is copied first (lambda_source). The condition is compared with true, since the
        # engine takes a CASE-valued condition as false. Flattening one-item lists with list_reduce
        # instead lost every row's own values once the condition read a variable of the row.
        # Over an empty list the engine's list_filter gives items of other rows ([2020, 2020] for a
        # collect() of nothing but nulls): an empty list stays one. It also gets its null mask wrong
        # on the rows of a one-relationship pattern (over b.aliases in (a)-[r]->(b), 175 of 319 rows:
        # a null list came back [] and a list null; tests/test_engine_bugs.py): the list it filters
        # is never null, and a CASE puts the null back.
        kept = _null_kept(source, kind, lambda s: f"list_filter({self.lambda_source(s, kind)}, {x} -> ({cond}) = true)")
        return f"(CASE WHEN size({source}) = 0 THEN {_empty(source, kind)} ELSE {kept} END)"

    def e_quantifier(self, e: c.Quantifier, scope: Scope) -> tuple[str, str]:
        source, kind = self.lambda_over(e, scope)
        if kind == "null":
            return "NULL", "null"  # Neo4j: over a null list, null
        positions = self.by_position(e.var, source, kind, scope)
        if positions is not None:
            x, inner = positions
            items = f"range(1, size({source}))"
        else:
            source = self.lambda_source(source, kind)
            x, inner = self.lambda_scope(e.var, _kind_of_list(kind), scope)
            items = source
        cond, _ = self.in_lambda(e.where, inner)
        true = f"coalesce(list_sum(list_transform({items}, {x} -> CASE WHEN ({cond}) = true THEN 1 ELSE 0 END)), 0)"
        unknown = f"coalesce(list_sum(list_transform({items}, {x} -> CASE WHEN ({cond}) IS NULL THEN 1 ELSE 0 END)), 0)"
        n = f"size({source})"
        body = {
            "any": f"CASE WHEN {true} > 0 THEN true WHEN {unknown} > 0 THEN NULL ELSE false END",
            "all": f"CASE WHEN {n} - {true} - {unknown} > 0 THEN false WHEN {unknown} > 0 THEN NULL ELSE true END",
            "none": f"CASE WHEN {true} > 0 THEN false WHEN {unknown} > 0 THEN NULL ELSE true END",
            "single": f"CASE WHEN {true} > 1 THEN false WHEN {unknown} > 0 THEN NULL ELSE {true} = 1 END",
        }[e.kind]
        return f"(CASE WHEN {source} IS NULL THEN NULL ELSE {body} END)", "bool"

    def e_reduce(self, e: c.Reduce, scope: Scope) -> tuple[str, str]:
        source, kind = self.lambda_over(e, scope)
        if kind == "null":
            return "NULL", "null"  # Neo4j: over a null list, null
        if _kind_of_list(kind) in ("node", "rel"):  # the engine's lambdas read other items' properties (by_position)
            raise self.refuse(
                e,
                "reduce over nodes or relationships",
                "reduce() over a list of nodes or relationships is not translated (the engine's lambdas read the wrong items)",
                "reduce over their properties: reduce(t = 0, x IN [n IN nodes(p) | n.count] | t + x)",
            )
        init, ik = self.expr(e.init, scope)
        acc = self.fresh("a")
        x = self.fresh("x")
        inner = Scope(scope)
        inner[e.acc] = Binding(acc, ik)
        inner[e.var] = Binding(x, _kind_of_list(kind))
        step, sk = self.in_lambda(e.step, inner)
        # list_reduce takes no initial value and fails on an empty list: fold over [init] + the
        # list, after turning each item into the accumulator's shape is not possible in general, so
        # only accumulators of the items' own type are translated.
        if ik != _kind_of_list(kind) and not (_numeric(ik) and _numeric(_kind_of_list(kind))):
            raise self.refuse(
                e,
                "reduce",
                "reduce() whose accumulator differs in type from the list items is not translated",
                "use UNWIND + an aggregation",
            )
        return f"list_reduce({self.lambda_source(f'list_prepend({source}, {init})', kind)}, ({acc}, {x}) -> {step})", sk

    def e_labeltest(self, e: c.LabelTest, scope: Scope) -> tuple[str, str]:
        subject, kind = self.expr(e.subject, scope)
        if kind == "rel":  # Neo4j: of a null relationship, a type is null, % true (the engine: an unknown type false)
            def leaf(name: str) -> str:
                if name in self.types:
                    return f"{subject}.{TYPE_COLUMN} = '{name}'"
                return f"(CASE WHEN {subject} IS NULL THEN NULL ELSE false END)"

            return f"({_label_logic(e.labels, leaf)})", "bool"
        return f"(CASE WHEN {subject} IS NULL THEN NULL ELSE {self.label_condition(e.labels, subject)} END)", "bool"

    def e_mapprojection(self, e: c.MapProjection, scope: Scope) -> tuple[str, str]:
        if e.var not in scope:
            raise c.syntax_error(self.text, e.at, f"variable {e.var} is not defined", len(e.var))
        b = scope[e.var]
        if b.kind == "null":  # Neo4j: a projection of null is null
            return "NULL", "null"
        if b.kind not in ("node", "rel", "any") and not b.kind.startswith("map"):
            raise self.error(e, f"a map projection needs a map, a node or a relationship, not {_a(kind_words(b.kind))}: Neo4j rejects it")
        fields: list[str] = []
        for kind, key, value in e.items:
            if kind == "prop" and b.kind.startswith("map"):  # as m.key: a key the map lacks is null
                fields.append(f"{quoted(key)}: {self.e_prop(c.Prop(c.Var(e.var, at=e.at), key, at=e.at), scope)[0]}")
            elif kind == "prop":
                known = b.kind not in ("node", "rel") or self.property_kind(key, b.kind) is not None
                absent = None if known else self.absent_property(key, b.kind)
                fields.append(f"{quoted(key)}: {b.engine}.`{key}`" if known else f"{quoted(key)}: {absent[0] if absent else 'NULL'}")
            elif kind == "kv":
                assert value is not None
                fields.append(f"{quoted(key)}: {self.expr(value, scope)[0]}")
            elif kind == "var":
                fields.append(f"{quoted(key)}: {self.expr(c.Var(key, at=e.at), scope)[0]}")
            else:
                raise self.refuse(
                    e,
                    "map projection .*",
                    "n {.*} (all properties) is not translated",
                    "list the properties: n {.name, .id}, or return properties(n)",
                )
        last = {key: i for i, (_, key, _) in enumerate(e.items)}  # Neo4j: the last of a key wins
        fields = [field for i, field in enumerate(fields) if last[e.items[i][1]] == i]
        keys = list(last)
        text = "{" + ", ".join(fields) + "}" if fields else EMPTY_MAP
        if b.kind in ("node", "rel") or b.kind.startswith("map"):  # Neo4j: a projection of null is null (the engine: a map of nulls)
            text = f"(CASE WHEN {b.engine} IS NULL THEN NULL ELSE {text} END)"
        return text, map_kind(keys)

    def projection_shape(self, e: c.MapProjection, scope: Scope) -> Shape:
        """The shape of a map projection: each property's kind, each value's shape."""
        b = scope[e.var]
        subject = self.shape(c.Var(e.var, at=e.at), scope) if b.kind not in ("node", "rel") else None
        fields = dict(subject[1]) if isinstance(subject, tuple) and subject[0] == "map" else None
        values: list[tuple[str, Shape]] = []
        for kind, key, value in e.items:
            if kind == "prop" and fields is not None:  # a map's value, null where it has no such key (as Neo4j)
                values.append((key, fields.get(key, "null")))
            elif kind == "prop":
                known = self.property_kind(key, b.kind) if b.kind in ("node", "rel") else None
                absent = "null" if b.kind in ("node", "rel") else "any"  # Neo4j: an absent property is null
                values.append((key, shape_of_kind(known) if known is not None else absent))
            else:
                values.append((key, self.shape(value if value is not None else c.Var(key, at=e.at), scope)))
        return ("map", tuple(dict(values).items()))  # the last of a key wins

    def e_subquery(self, e: c.Subquery, scope: Scope) -> tuple[str, str]:
        if e.kind == "COLLECT":
            raise self.refuse(e, "COLLECT subquery", "COLLECT { ... } is not translated", "use OPTIONAL MATCH ... WITH ..., collect(x)", 7)
        if e.query is not None:
            q = e.query
            ok = len(q.parts) == 1 and all(isinstance(cl, c.Match) and not cl.optional for cl in q.parts[0].clauses[:-1])
            last = q.parts[0].clauses[-1] if len(q.parts) == 1 else None
            if (
                ok
                and isinstance(last, c.Projection)
                and last.kind == "RETURN"
                and not last.distinct
                and not self.has_aggregate_items(last)
                and not last.order
                and last.skip is None
                and last.limit is None
            ):
                matches = [cl for cl in q.parts[0].clauses[:-1] if isinstance(cl, c.Match)]
            elif ok and isinstance(last, c.Match) and not last.optional:
                matches = [cl for cl in q.parts[0].clauses if isinstance(cl, c.Match)]
            else:
                raise self.refuse(
                    e,
                    f"{e.kind} subquery",
                    f"{e.kind} {{ ... }} with clauses other than MATCH ... WHERE is not translated",
                    f"write {e.kind} {{ MATCH pattern WHERE condition }}",
                    len(e.kind),
                )
            if len(matches) != 1:
                raise self.refuse(
                    e,
                    f"{e.kind} subquery",
                    f"{e.kind} {{ ... }} with several MATCH clauses is not translated",
                    "put the patterns in one MATCH, separated by commas",
                    len(e.kind),
                )
            m = matches[0]
        else:
            m = c.Match(False, e.patterns, e.where, at=e.at)
        # The subquery's MATCH is translated in the middle of the MATCH around it (its WHERE): what
        # `match` keeps of the clause it translates must be the outer one's again afterwards, or
        # the outer MATCH loses its own undirected relationships (a self-loop counted twice).
        saved = (self.undirected, self.match_vars, self.optional)
        try:
            if e.kind == "COUNT":
                return self.count_subquery(e, m, scope), "int"
            body = self.match(m, Scope(scope), inline=True)
            return f"{e.kind} {{ {body} }}", "bool"
        finally:
            self.undirected, self.match_vars, self.optional = saved

    def count_subquery(self, e: c.Subquery, m: c.Match, scope: Scope) -> str:
        """COUNT { ... }; with undirected relationships, the sum of its directed forms.

        Inside COUNT { } the engine takes only MATCH ... WHERE, so a self-loop walked both ways
        (see `one_row_per_loop`) cannot be grouped away: each undirected relationship is counted
        as -> plus <- between two different nodes instead.
        """
        hops = [r for p in m.patterns for r in p.rels() if r.direction == "-"]
        if any(r.length is not None for r in hops) or len(hops) > 3:
            raise self.refuse(
                e,
                "undirected COUNT subquery",
                "COUNT { ... } over a variable-length or more than three undirected relationships is not translated",
                "give the relationships a direction, or MATCH the pattern and count(*)",
                5,
            )
        counts = []
        for mask in range(2 ** len(hops)):
            flipped = {id(h) for i, h in enumerate(hops) if mask >> i & 1}
            directed = {id(h): "<-" if id(h) in flipped else "->" for h in hops}

            def turn(el: c.NodePat | c.RelPat, directed: dict[int, str] = directed) -> c.NodePat | c.RelPat:
                if isinstance(el, c.RelPat) and id(el) in directed:
                    turned = c.RelPat(el.var, directed[id(el)], el.types, el.props, el.length, el.where, at=el.at)
                    if directed[id(el)] == "<-":
                        self.reversed[id(turned)] = turned
                    return turned
                return el

            patterns = tuple(c.Path(p.var, tuple(turn(el) for el in p.elements), p.shortest, at=p.at) for p in m.patterns)
            body = self.match(c.Match(m.optional, patterns, m.where, at=m.at), Scope(scope), inline=True)
            counts.append(f"COUNT {{ {body} }}")
        return counts[0] if len(counts) == 1 else "(" + " + ".join(counts) + ")"

    def has_aggregate_items(self, p: c.Projection) -> bool:
        return any(self.has_aggregate(i.expr) for i in p.items)

    def e_patternpredicate(self, e: c.PatternPredicate, scope: Scope) -> tuple[str, str]:
        if e.pattern.shortest:
            raise self.refuse(
                e,
                "shortestPath in an expression",
                "shortestPath() as an expression is not translated",
                "MATCH p = shortestPath(...) and use p",
            )
        return self.e_subquery(c.Subquery("EXISTS", None, (e.pattern,), None, at=e.at), scope)

    def e_patterncomp(self, e: c.PatternComp, scope: Scope) -> tuple[str, str]:
        raise self.refuse(
            e,
            "pattern comprehension",
            "pattern comprehensions [(a)-->(b) | ...] are not translated",
            "use COUNT { (a)-->(b) } for a count, or OPTIONAL MATCH + collect()",
        )

    def e_call(self, e: c.Call, scope: Scope) -> tuple[str, str]:
        from .functions import call

        return call(self, e, scope)


_BINDING = (c.ListComp, c.Quantifier, c.Reduce, c.PatternComp, c.PatternPredicate, c.Subquery, c.MapProjection)


def _apart(a: c.NodePat, b: c.NodePat, marker: str | None) -> bool:
    """Whether two node patterns cannot match one node: different literal ids, or one label each
    (every node has one label of the schema besides the markers: the entity marker, and `marker`,
    the schema's sanctioned label), and not the same."""
    if a.var is not None and a.var == b.var:
        return False

    def literal_id(n: c.NodePat) -> Any:
        items = dict(n.props.items) if isinstance(n.props, c.MapLit) else {}
        value = items.get("id")
        return value.value if isinstance(value, c.Lit) and isinstance(value.value, str) else None

    def label(n: c.NodePat) -> str | None:
        own = n.labels is not None and n.labels.op == "name" and n.labels.name not in (ENTITY_MARKER, marker)
        return n.labels.name if own and n.labels is not None else None

    ids, labels = (literal_id(a), literal_id(b)), (label(a), label(b))
    return (None not in ids and ids[0] != ids[1]) or (None not in labels and labels[0] != labels[1])


#: The fields that hold a condition, where a pattern may stand as one (as it may under AND, OR, XOR, NOT).
_CONDITIONS = {
    (c.Match, "where"), (c.Projection, "where"), (c.NodePat, "where"), (c.RelPat, "where"), (c.ListComp, "where"),
    (c.Quantifier, "where"), (c.Subquery, "where"), (c.PatternComp, "where"),
}


def pattern_as_value(node: Any, condition: bool = False) -> c.PatternPredicate | None:
    """The first pattern of `node` (a tree of the parser) that stands where a value is expected
    (`RETURN (a)-->() AS x`, `coalesce((a)-->(), false)`), which Neo4j 5 rejects; None if none does."""
    if isinstance(node, tuple):
        return next((found for x in node if (found := pattern_as_value(x, condition)) is not None), None)
    if isinstance(node, c.PatternPredicate):  # (shortestPath(...) is a path, a value)
        return None if condition or node.pattern.shortest else node
    if isinstance(node, c.Case):
        for when, then in node.whens:
            found = pattern_as_value(when, node.subject is None) or pattern_as_value(then)
            if found is not None:
                return found
        return pattern_as_value((node.subject, node.default))
    if not isinstance(node, c.Node):
        return None
    logic = (isinstance(node, c.Binary) and node.op in ("AND", "OR", "XOR")) or (isinstance(node, c.Unary) and node.op == "NOT")
    for name in node._fields:
        inside = logic or (type(node), name) in _CONDITIONS  # (RETURN NOT (a)-->() is Neo4j's too)
        found = pattern_as_value(getattr(node, name), inside)
        if found is not None:
            return found
    return None


def _free_names(e: c.Expr) -> set[str] | None:
    """The variables `e` reads; None when it binds names of its own or reads a pattern."""
    if isinstance(e, _BINDING):
        return None
    if isinstance(e, c.Var):
        return {e.name}
    out: set[str] = set()
    for child in (x for name in e._fields for x in _children(getattr(e, name))):
        names = _free_names(child)
        if names is None:
            return None
        out |= names
    return out


def _children(value: Any) -> list[c.Expr]:
    if isinstance(value, tuple):
        return [x for v in value for x in _children(v)]
    if isinstance(value, c.Expr):
        return [value]
    if isinstance(value, c.Node):
        return [x for f in value._fields for x in _children(getattr(value, f))]
    return []


def _rebuild(e: c.Expr, f: Any) -> c.Expr:
    """`e` with each expression directly under it replaced by `f(child)`."""

    def under(value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(under(v) for v in value)
        return f(value) if isinstance(value, c.Expr) else value

    return type(e)(**{name: under(getattr(e, name)) for name in e._fields}, at=e.at)


def _wrap(text: str) -> str:
    return text if re.fullmatch(r"[\w$.`]+", text) else f"({text})"


#: The character that orders a key after every character beyond U+FFFF, and the characters from
#: U+E000 to U+FFFF as a regex group (`utf16_order`).
LAST, HIGH_BMP = "\U0010ffff", "([\\x{E000}-\\x{FFFF}])"


#: Functions whose string Neo4j holds as it holds their first argument (UTF-8 or Java), and functions
#: that always make a Java string (measured on Neo4j 5.26; see `Translator.utf8`).
UTF8_KEEPING_FUNCTIONS = {
    *("substring", "left", "right", "trim", "ltrim", "rtrim", "btrim", "reverse", "tostring"),
    *("head", "last", "min", "max", "collect"),
}
JAVA_STRING_FUNCTIONS = {"toupper", "tolower", "upper", "lower", "replace", "split"}


def _same(held: list[bool | None]) -> bool | None:
    """True when every string is held as UTF-8, False when every one as a Java string, else None."""
    return True if all(h is True for h in held) else False if all(h is False for h in held) else None


def unsure_order(text: str) -> str:
    """`text` as it is, but the query stops where it holds a character from U+E000 on, where the two
    orders Neo4j may use differ (`Translator.utf8`)."""
    from .functions import ORDER_UNSURE, unless

    high = engine_literal("[\\x{E000}-\\x{10FFFF}]")
    return unless(f"regexp_matches({text}, {high})", ORDER_UNSURE, text)


def utf16_order(text: str) -> str:
    """The string `text` as a key that the engine orders as Neo4j orders Java strings (`Translator.utf8`):
    by UTF-16 code units, where a character from U+E000 to U+FFFF comes after every character beyond U+FFFF (two
    code units from U+D800); the engine orders by code points. Each such character gets U+10FFFF
    (the last code point) before it, and U+10FFFF itself becomes U+10FFFF U+0001, so that it stays
    after the other characters beyond U+FFFF and before those. `from_utf16_order` undoes it."""
    last, last_one, high, after = (engine_literal(v) for v in (LAST, LAST + "\x01", HIGH_BMP, LAST + "\\1"))
    return f"regexp_replace(regexp_replace({text}, {last}, {last_one}, 'g'), {high}, {after}, 'g')"


def from_utf16_order(key: str) -> str:
    """The string whose `utf16_order` key is `key` (for min() and max() of strings)."""
    marked, back, last_one, last = (engine_literal(v) for v in (LAST + HIGH_BMP, "\\1", LAST + "\x01", LAST))
    high = f"regexp_replace({key}, {marked}, {back}, 'g')"
    return f"regexp_replace({high}, {last_one}, {last}, 'g')"


def engine_literal(value: Any) -> str:
    """`value` (a parameter, a literal of the query, a row of a first stage) as engine text.

    Every value reaches the engine as text, never as an engine parameter: ladybug's cache of
    prepared statements gives wrong answers when a query runs again with other values (a 2-hop
    count on 1M relationships: 112, then 0; see the README), and it crashes on a parameter inside
    a list lambda. Strings are escaped here, so no value can end a literal.
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"the integer {value} is out of the 64-bit range")
        return str(value) if value >= 0 else f"({value})"
    if isinstance(value, Decimal):
        return engine_literal(int(value) if value == value.to_integral_value() else float(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("NaN and infinite floats are not translated")
        text = repr(value)
        text = text if re.fullmatch(r"-?\d+\.\d+", text) else f"cast('{text}', 'DOUBLE')"
        return f"({text})" if value < 0 else text
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"date('{value.isoformat()}')"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(engine_literal(v) for v in value) + "]"
    if isinstance(value, dict) and not value:
        return EMPTY_MAP
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return "{" + ", ".join(f"{quoted(k)}: {engine_literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"the value {value!r} cannot be used here")


#: Neo4j's empty map {}: the engine has no empty map literal, and its empty STRUCT (struct_pack())
#: crashes the process under DISTINCT, UNION, grouping and collect(DISTINCT); its empty MAP does not.
#: The translation knows a map by its keys (kind ``map{}``), so the value's type is never read.
EMPTY_MAP = "map([], [])"

#: a list lambda's value that is always null (`[x IN l | null]`), typed as the engine types the null
#: in [null] (a lambda's untyped null fails: "Trying to a create a vector with ANY type")
_NULL_ITEM = "CAST(NULL AS INT64)"

#: the engine's type of a value of a kind, for a null or an empty list that must have one
_ENGINE_TYPES = {"string": "STRING", "int": "INT64", "float": "DOUBLE", "bool": "BOOL", "date": "DATE"}
ENGINE_LIST_TYPES = {f"list[{kind}]": f"{engine}[]" for kind, engine in _ENGINE_TYPES.items()}


def engine_type(kind: str) -> str | None:
    """The engine's type of the values of `kind` (a scalar, or a list of them at any depth), else None."""
    return engine_type_of_shape(shape_of_kind(kind))


def engine_type_of_shape(s: Shape) -> str | None:
    """The engine's type of values of shape `s`: a scalar's, a list's of a known item type, a map's
    whose keys are plain names and values of known types (a STRUCT), the empty map's (`EMPTY_MAP`);
    None where the shape does not tell it."""
    if isinstance(s, str):
        return _ENGINE_TYPES.get(s)
    if s[0] == "list":
        inner = engine_type_of_shape(s[1])
        return None if inner is None else f"{inner}[]"
    if not s[1]:
        return "MAP(INT64, INT64)"
    fields = [(k, engine_type_of_shape(v)) for k, v in s[1]]
    if any(t is None or not _NAME.match(k) for k, t in fields):
        return None
    return "STRUCT(" + ", ".join(f"`{k}` {t}" for k, t in fields) + ")"


def rows_literal(rows: list[list[Any]], kinds: list[str]) -> str:
    """The rows of a first stage (an uncorrelated CALL { }) as an engine list of maps, keys c0, c1, ...;
    a null cast to its column's type (the engine types a null in a map literal as a string, and then
    cannot hold the next row's integer beside it: "STRUCT(c0 STRING) but expected STRUCT(c0 INT64)")."""

    def cell(value: Any, kind: str) -> str:
        typed = engine_type(kind) if value is None or value == [] else None
        return f"CAST({engine_literal(value)} AS {typed})" if typed else engine_literal(value)

    maps = ("{" + ", ".join(f"`c{i}`: {cell(v, k)}" for i, (v, k) in enumerate(zip(row, kinds, strict=True))) + "}" for row in rows)
    return "[" + ", ".join(maps) + "]"


def typed_empty_lists(values: list[tuple[str, str]], shapes: list[Shape] | None = None) -> list[tuple[str, str]]:
    """The alternatives of a CASE or coalesce(), the empty list literal `[]` among lists of one known
    type cast to it (the engine types `[]` as a list of integers, and then fails: "has data type
    STRING[] but expected INT64[]"); as they are otherwise. `shapes`: the values' shapes, which tell
    the type of a list of maps (a STRUCT's fields) where the kind does not, and find the other
    values that differ from the others only by their nulls and empty lists (`[null]`, a variable
    holding [], ``{a: null}``): those are cast too (`_typed_by`: a cast that converts no value)."""
    if shapes is not None and len(shapes) == len(values):
        try:
            common = common_shape(shapes)
        except MixedKinds:
            common = "any"
        engine = engine_type_of_shape(common) if isinstance(common, tuple) else _ENGINE_TYPES.get(str(common))
        if engine is not None:
            return [
                (_typed_null(t, engine) if s == "null" else f"CAST({t} AS {engine})", kind_of_shape(common))
                if t != "NULL" and s != common and _typed_by(s, common)
                else (t, k)
                for (t, k), s in zip(values, shapes, strict=True)
            ]
    kinds = {k for t, k in values if t != "[]" and k != "null"}
    if len(kinds) != 1 or not any(t == "[]" for t, _ in values):
        return values
    kind = kinds.pop()
    engine = engine_type(kind) if kind.startswith("list[") else None
    if engine is None:
        return values
    return [(f"CAST([] AS {engine})", kind) if t == "[]" else (t, k) for t, k in values]


def _typed_null(value: str, engine: str) -> str:
    """`value`, always null but typed by the engine as it chose (an INT64 for an item of `[null]`,
    a STRING for a null in a map), as a null of type `engine`: a new one, since the engine casts an
    INT64 to no DATE, BOOL or list, and a CAST of a variable retypes the variable everywhere; the
    value stays in the text (an aggregate in it still groups the rows)."""
    return f"(CASE WHEN {value} IS NULL THEN CAST(NULL AS {engine}) END)"


def _empty(source: str, kind: str) -> str:
    """An empty list of the type of `source` (of kind `kind`): a typed literal when the kind says,
    else a slice of `source` that is always empty."""
    typed = ENGINE_LIST_TYPES.get(kind)
    return f"CAST([] AS {typed})" if typed else f"list_slice({source}, 2, 1)"


def _null_kept(subject: str, kind: str, make: Callable[[str], str]) -> str:
    """`make(list)` of `subject`, a list, null where `subject` is. The engine's list_slice and
    list_filter get their null mask wrong on some rows after a relationship or an OPTIONAL MATCH
    (a null list gives a list, a list null: tests/test_engine_bugs.py), so they are given a list
    that is never null where its type is known, and the null is put back by a CASE."""
    empty = _empty(subject, kind)
    never_null = f"coalesce({subject}, {empty})" if empty.startswith("CAST") else subject
    return f"(CASE WHEN {subject} IS NULL THEN NULL ELSE {make(never_null)} END)"


def _list_value(e: c.Expr, t: Translator) -> list[Any] | None:
    """The value of a list literal of literals, or of a list parameter, else None."""
    if isinstance(e, c.ListLit) and all(isinstance(i, c.Lit) for i in e.items):
        return [i.value for i in e.items if isinstance(i, c.Lit)]
    if isinstance(e, c.Param):
        value = t.param_value(e)
        return value if isinstance(value, list) else None
    return None


def _cypher_equal(a: Any, b: Any) -> bool | None:
    """Neo4j's `=` on two constant values: null when it depends on a null."""
    if a is None or b is None:
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        results = [_cypher_equal(x, y) for x, y in zip(a, b, strict=True)]
        return False if False in results else None if None in results else True
    return bool(a == b and type(a) is type(b)) if isinstance(a, bool) or isinstance(b, bool) else bool(a == b)


def _may_be_nan(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?", text) is None and "random()" not in text


def _composite(kind: str) -> bool:
    return kind.startswith(("list", "map"))


def quoted(name: str) -> str:
    """`name` (a map key) as an engine name, in backquotes, a backquote in it doubled."""
    return "`" + name.replace("`", "``") + "`"


def map_kind(keys: list[str]) -> str:
    """The kind of a map with `keys` (``map{a,b}``); ``map`` (keys unknown) where a key holds a comma,
    which the kind cannot tell from two keys."""
    return "map{" + ",".join(keys) + "}" if not any("," in k for k in keys) else "map"


def keys_of_map(kind: str, shape: Shape) -> list[str] | None:
    """The keys of a map of `kind` and `shape`: its kind's, else its shape's (a key holding a comma
    leaves the kind without keys); None where neither tells them."""
    keys = map_keys(kind)
    if keys is None and isinstance(shape, tuple) and shape[0] == "map":
        keys = [k for k, _ in shape[1]]
    return keys


def map_keys(kind: str) -> list[str] | None:
    """The keys of a map whose keys the translation knows (kind ``map{a,b}``), else None."""
    if not kind.startswith("map{"):
        return None
    return kind[4:-1].split(",") if kind != "map{}" else []


#: The kind of a value with what the engine types inside it: a kind (``int``, ``node``, ...),
#: ``("list", shape)`` (one element type) or ``("map", ((key, shape), ...))`` (one type per key, in order).
Shape = str | tuple[Any, ...]


class MixedKinds(Exception):
    """Two values that one engine list or expression cannot hold as Neo4j does (`common_shape`)."""

    def __init__(self, a: Shape, b: Shape, inner: tuple[Shape, Shape] | None = None) -> None:
        super().__init__(f"{describe_shape(a)} and {describe_shape(b)}")
        self.a, self.b = a, b
        self.inner = inner or (a, b)  # the two values inside them that differ

    @property
    def hint(self) -> str:
        a, b = self.inner
        if {a, b} <= {"int", "float", "number"}:
            return "write every number as a float (2.0, toFloat(x)) or every one as an integer (toInteger(x))"
        if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] == "map":
            return "write every map with the same keys, in the same order, and one type per key"
        return "give every value one type: convert them with toString(), toFloat() or toInteger()"


def _two_types(a: str, b: str, known: AbstractSet[str] = SCALAR_KINDS) -> bool:
    """Whether values of kinds `a` and `b`, both among `known` (the scalar kinds), are surely of two
    types: an integer and a string, not an integer and a float, nor a value of unknown kind."""
    return {a, b} <= known and a != b and not (_numeric(a) and _numeric(b))


def _unless_null(left: str, right: str, value: str) -> str:
    """`value` for a comparison of values of two types, null where either is null (as Neo4j). The
    operands stay in the text: an aggregate in one must still group the rows (a constant did not:
    `RETURN count(n) = 'a'` gave one row per node). A side that is the null literal is left out of
    the test (the engine folds `x IS NULL OR NULL IS NULL` to true, and drops the aggregate in x)."""
    sides = [x for x in (left, right) if x != "NULL"]
    if len(sides) < 2:
        value = "CAST(NULL AS BOOL)"
    if not sides:
        return value
    return f"(CASE WHEN {' OR '.join(f'{_wrap(x)} IS NULL' for x in sides)} THEN NULL ELSE {value} END)"


def _other_types(a: Shape, b: Shape) -> bool:
    """`_two_types` of shapes: also a list and a map, or a list and a string."""
    x, y = (s[0] if isinstance(s, tuple) else s for s in (a, b))
    return _two_types(x, y, SCALAR_KINDS | {"list", "map"})


def _inside(e: Any, found: Callable[[c.Expr], bool]) -> bool:
    """Whether `found` holds for expression `e` or one inside it (in its fields, tuples of them
    too), not looking into subqueries and pattern comprehensions, which are queries of their own."""
    if isinstance(e, c.Subquery | c.PatternComp):
        return False
    if isinstance(e, c.Expr):
        return found(e) or any(_inside(v, found) for v in vars(e).values() if isinstance(v, c.Expr | tuple))
    if isinstance(e, tuple):
        return any(_inside(v, found) for v in e)
    return False


def _item_kind(kind: str, shape: Shape) -> str:
    """The kind of a list's items: its shape's where that says more (`[null]` is a list of nulls)."""
    if isinstance(shape, tuple) and shape[0] == "list" and isinstance(shape[1], str):
        return shape[1]
    return kind[5:-1] if kind.startswith("list[") else "any"


def kind_of_shape(s: Shape) -> str:
    """The translated kind of a shape (`shape_of_kind`'s inverse, a map's value shapes left out)."""
    if isinstance(s, tuple):
        return f"list[{kind_of_shape(s[1])}]" if s[0] == "list" else map_kind([k for k, _ in s[1]])
    return s


def shape_of_kind(kind: str) -> Shape:
    """The shape a translated kind tells (a list's element kind; a map's keys, with values unknown)."""
    if kind.startswith("list[") and kind.endswith("]"):
        return ("list", shape_of_kind(kind[5:-1]))
    keys = map_keys(kind)
    if keys is not None:
        return ("map", tuple((k, "any") for k in keys))
    return "any" if kind == "map" else kind


def value_shape(v: Any) -> Shape:
    """The shape of a Python value (a parameter); `MixedKinds` for a list whose items differ."""
    if isinstance(v, dict):
        return ("map", tuple((str(k), value_shape(x)) for k, x in v.items()))
    if isinstance(v, list | tuple):
        return ("list", common_shape([value_shape(x) for x in v]))
    return _value_kind(v)


def common_shape(shapes: list[Shape]) -> Shape:
    """The one shape the engine gives values of `shapes` held together (a list's items, CASE's
    branches, coalesce's arguments); `MixedKinds` when it would convert one of them: an integer
    beside a float becomes a float, or a float an integer; a number beside a string becomes a
    string; maps are matched key by key in order, so other keys or another order rename them. Nulls
    and kinds the translation does not know fit any shape."""
    known = [s for s in shapes if s not in ("null", "any")]
    if not known:
        return "null" if all(s == "null" for s in shapes) else "any"
    out = known[0]
    for s in known[1:]:
        out = _join_shapes(out, s)
    return out


#: a null node, relationship or path, as the engine types them (for a UNION's hint)
_NULL_ENTITIES = {
    "node": "OPTIONAL MATCH (x:Nothing) RETURN x AS {name}",
    "rel": "OPTIONAL MATCH ()-[x:NOTHING]->() RETURN x AS {name}",
    "path": "OPTIONAL MATCH x = ()-[:NOTHING]->() RETURN x AS {name}",
}


def _typed_by(part: Shape, common: Shape) -> bool:
    """Whether values of shape `part` are values of shape `common` once their nulls and empty lists
    are typed (a cast of them converts no value): `[]` and `[null]` for a list of dates,
    ``{a: null}`` for ``{a: int}``; not where `part` holds a value of unknown type."""
    if part == common or part == "null":
        return True
    if isinstance(part, tuple) and isinstance(common, tuple) and part[0] == common[0]:
        if part[0] == "list":
            return _typed_by(part[1], common[1])
        keys = [k for k, _ in part[1]] == [k for k, _ in common[1]]
        return keys and all(_typed_by(x, y) for (_, x), (_, y) in zip(part[1], common[1], strict=True))
    return False


def _column_item(part: c.SingleQuery, col: int) -> tuple[c.Node, int | None]:
    """Where a refusal about column `col` of a UNION part points: the item its RETURN writes there
    (node and width), or the part where RETURN * makes the columns."""
    last = part.clauses[-1] if part.clauses else None
    if isinstance(last, c.Projection) and not last.star and col < len(last.items):
        item = last.items[col]
        return item.expr, len(item.text)
    return part, None


def _one_shape(shapes: list[Shape]) -> bool:
    """Whether the engine can hold values of `shapes` together (`common_shape`)."""
    try:
        common_shape(shapes)
    except MixedKinds:
        return False
    return True


def _join_shapes(a: Shape, b: Shape) -> Shape:
    if a == b:
        return a
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0]:
        if a[0] == "list":
            try:
                return ("list", common_shape([a[1], b[1]]))
            except MixedKinds as m:
                raise MixedKinds(a, b, m.inner) from None
        if [k for k, _ in a[1]] == [k for k, _ in b[1]]:
            try:
                return ("map", tuple((k, common_shape([x, y])) for (k, x), (_, y) in zip(a[1], b[1], strict=True)))
            except MixedKinds as m:
                raise MixedKinds(a, b, m.inner) from None
    raise MixedKinds(a, b)


def _a(words: str) -> str:
    return ("an " if words[:1] in "aeiou" else "a ") + words


#: A kind of value (`Binding.kind`) in the words of a message, where its name is not one.
KIND_WORDS = {"int": "integer", "bool": "boolean", "rel": "relationship", "rels": "list", "null": "null"}


def kind_words(kind: str) -> str:
    """A kind of value in words, without what it holds: ``integer`` for ``int``, ``map`` for ``map{a,b}``."""
    base = kind.split("[")[0].split("{")[0]
    return KIND_WORDS.get(base, base)


def describe_shape(s: Shape) -> str:
    """`s` in words: ``int``, ``list of float``, ``map {a: int, b: string}``."""
    if isinstance(s, tuple):
        if s[0] == "list":
            return f"list of {describe_shape(s[1])}"
        return "map {" + ", ".join(f"{k}: {describe_shape(x)}" for k, x in s[1]) + "}"
    return {"rel": "relationship", "rels": "list of relationship"}.get(s, s)


def _value_kind(v: Any) -> str:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return "date"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        kinds = {_value_kind(x) for x in v} - {"null"}
        return f"list[{kinds.pop()}]" if len(kinds) == 1 else "list[any]"
    if isinstance(v, dict):
        return map_kind(list(v)) if all(isinstance(k, str) for k in v) else "map"
    return "any"


def translate(
    text: str, schema: Schema, params: dict[str, Any] | None = None, *, write: bool = False, columns: Columns | None = None
) -> Translation:
    """The engine query for the Neo4j read query `text` on the graph of `schema`.

    >>> from graph.schema import load_schema
    >>> t = translate("MATCH (s:State {id: 'cuba'}) RETURN s.name AS end", load_schema())
    >>> t.text, t.columns
    ("MATCH (v1:Entity {`id`: 'cuba'}) WHERE ((v1._cubamed_label = 'State')) = true RETURN v1.`name` AS c0", ['end'])
    """
    tree = c.parse(text, write=write)
    t = Translator(text, schema, dict(params or {}), columns)
    misplaced = pattern_as_value(tree)
    if misplaced is not None:  # Neo4j 5: "A pattern expression should only be used in order to test the existence of a pattern"
        raise t.refuse(
            misplaced,
            "pattern as a value",
            "a pattern stands where a value is expected: Neo4j 5 takes a pattern only as a condition (WHERE, AND, OR, NOT, CASE WHEN)",
            "test it as a condition, or write EXISTS { (a)-->() } for its value, COUNT { (a)-->() } for how many",
        )
    body, names, post = t.query(tree)
    return Translation(body, t.params, names, post, t.stage, [_after_post(k, step) for k, step in zip(t.result_kinds, post, strict=True)])


def _shared_kind(kinds: list[str]) -> str:
    """The kind of a column whose UNION parts give values of `kinds`: theirs when they agree, nulls aside."""
    held = set(kinds) - {"null"} or {"null"}
    return held.pop() if len(held) == 1 else "any"


def _after_post(kind: str, step: str | None) -> str:
    """The kind of a column's values after its post step (`results.convert_rows`)."""
    if step == "properties":
        return "map"
    if step is not None and step.startswith("int:"):
        return "number"  # a float column whose integers become ints again
    return kind
