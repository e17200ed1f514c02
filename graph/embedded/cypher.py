"""A parser for the read part of Neo4j 5's Cypher: text in, a syntax tree out. Pure.

`parse(text)` tokenizes the query (comments and whitespace dropped, string escapes decoded,
keywords *not* decided by the tokenizer) and parses it by recursive descent after the openCypher 9
grammar with Neo4j 5's read additions (label expressions, `EXISTS {}`, `COUNT {}`, `CALL {}`, map
projection, pattern comprehension, `reduce`, quantifiers). A word is a keyword only where the
grammar expects one, so `AS end`, a variable named `export` or a map key `load:` are names.

Anything outside the read subset (a write clause, a procedure call, `LOAD CSV`, a clause the
engine has but Neo4j has not) raises `QueryRefused` naming the construct and what to write
instead; a malformed query raises `QueryError` with a caret under the place. The tree is a set of
small frozen dataclasses (`Expr`, `Pattern`, `Clause`, `Query`), each carrying the position of its
first token in the original text, so that messages can point into the query as it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field
from typing import Any, ClassVar, NamedTuple, dataclass_transform

from ..errors import QueryError, QueryRefused

__all__ = [
    "Call",
    "Case",
    "Clause",
    "Expr",
    "Lit",
    "Match",
    "NodePat",
    "Param",
    "Path",
    "Query",
    "RelPat",
    "Token",
    "Var",
    "parse",
    "server_refusal",
    "tokenize",
    "where_in",
]


# --- positions and messages ----------------------------------------------------------------------


def where_in(text: str, at: int, width: int = 1) -> str:
    """The line of `text` holding offset `at`, quoted, with a caret line under `width` characters."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)]
    column = at - start
    width = max(1, min(width, len(line) - column))
    return f'"{line}"\n {" " * column}{"^" * width}'


def syntax_error(text: str, at: int, what: str, width: int = 1) -> QueryError:
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return QueryError(f"Cypher syntax error: {what} (line {line}, column {column})\n{where_in(text, at, width)}")


# --- tokens --------------------------------------------------------------------------------------


class Token(NamedTuple):
    kind: str  # name, qname, string, int, float, param, op, end
    text: str  # the token as written (for names: the name; for strings: the decoded value)
    start: int
    end: int
    value: Any = None

    def word(self) -> str | None:
        """The upper-cased word of an unquoted name (a keyword candidate), else None."""
        return self.text.upper() if self.kind == "name" else None


_OPS = [
    "||",
    "..",
    "<=",
    ">=",
    "<>",
    "!=",
    "=~",
    "+=",
    "::",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    ":",
    "|",
    ";",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "=",
    "<",
    ">",
    "$",
    "&",
    "!",
]
# Unicode dashes and arrows Neo4j accepts in patterns and as minus are read as "-".
_DASHES = "\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_NUMBER = re.compile(r"0x[0-9A-Fa-f_]+|0o[0-7_]+|(?:\d[\d_]*\.\d[\d_]*|\.\d[\d_]*|\d[\d_]*)(?:[eE][+-]?\d+)?", re.I)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _string(text: str, i: int) -> tuple[str, int]:
    quote, j = text[i], i + 1
    out: list[str] = []
    while j < len(text):
        ch = text[j]
        if ch == quote:
            return "".join(out), j + 1
        if ch == "\\":
            nxt = text[j + 1 : j + 2]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                j += 2
                continue
            if nxt == "u":
                hexa = text[j + 2 : j + 6]
                if len(hexa) == 4 and all(c in "0123456789abcdefABCDEF" for c in hexa):
                    out.append(chr(int(hexa, 16)))
                    j += 6
                    continue
                raise syntax_error(text, j, "\\u takes four hexadecimal digits", 2)
            # Neo4j 5 keeps any other backslash as it is: '\q' is two characters, and so is '\U'
            # ('\U0001F600' is ten characters there, not an emoji: \U is no escape in Cypher 5).
            out.append(ch)
            j += 1
            continue
        out.append(ch)
        j += 1
    raise syntax_error(text, i, "a string that is never closed")


def _ends_operand(tokens: list[Token]) -> bool:
    """True when the last token ends an operand, so that a following '.5' is a property lookup, not a number."""
    return bool(tokens) and (tokens[-1].kind in ("name", "qname", "param") or tokens[-1].text in (")", "]", "}"))


def _number(text: str, start: int, end: int) -> Token:
    lit = text.replace("_", "")  # 1_000_000
    low = lit.lower()
    if low.startswith(("0x", "0o")):
        return Token("int", lit, start, end, int(low[2:], 16 if low[1] == "x" else 8))
    if lit.isdigit():
        return Token("int", lit, start, end, int(lit))
    return Token("float", lit, start, end, float(lit))


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an `end` token. Comments and whitespace are dropped."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("//", i):
            nl = text.find("\n", i)
            i = n if nl < 0 else nl + 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            if close < 0:
                raise syntax_error(text, i, "a comment that is never closed", 2)
            i = close + 2
        elif ch in "'\"":
            value, j = _string(text, i)
            tokens.append(Token("string", value, i, j))
            i = j
        elif ch == "`":
            j, out = i + 1, []
            while True:
                close = text.find("`", j)
                if close < 0:
                    raise syntax_error(text, i, "a backquoted name that is never closed")
                out.append(text[j:close])
                if text.startswith("``", close):
                    out.append("`")
                    j = close + 2
                    continue
                break
            name = "".join(out)
            if not name:
                raise syntax_error(text, i, "an empty backquoted name", 2)
            tokens.append(Token("qname", name, i, close + 1))
            i = close + 1
        elif ch.isdigit() or (ch == "." and text[i + 1 : i + 2].isdigit() and not _ends_operand(tokens)):
            m = _NUMBER.match(text, i)
            assert m is not None
            end = m.end()
            if end < n and (text[end].isalnum() or text[end] == "_"):
                raise syntax_error(text, i, f"invalid number {text[i : end + 1]!r}", end + 1 - i)
            tokens.append(_number(text[i:end], i, end))
            i = end
        elif ch.isalpha() or ch == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in "_"):
                j += 1
            tokens.append(Token("name", text[i:j], i, j))
            i = j
        elif ch == "$":
            j = i + 1
            if j < n and text[j] == "`":
                sub = tokenize(text[j:])[0]
                tokens.append(Token("param", sub.text, i, j + sub.end))
                i = j + sub.end
                continue
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            if j == i + 1:
                raise syntax_error(text, i, "a parameter needs a name: $name")
            tokens.append(Token("param", text[i + 1 : j], i, j))
            i = j
        elif ch in _DASHES:
            tokens.append(Token("op", "-", i, i + 1))
            i += 1
        elif ch in "\u27e8\u3008\ufe64\uff1c":
            tokens.append(Token("op", "<", i, i + 1))
            i += 1
        elif ch in "\u27e9\u3009\ufe65\uff1e":
            tokens.append(Token("op", ">", i, i + 1))
            i += 1
        else:
            for op in _OPS:
                if text.startswith(op, i):
                    tokens.append(Token("op", op, i, i + len(op)))
                    i += len(op)
                    break
            else:
                raise syntax_error(text, i, f"unexpected character {ch!r}")
    tokens.append(Token("end", "", n, n))
    return tokens


# --- the tree ------------------------------------------------------------------------------------


@dataclass_transform(eq_default=True, frozen_default=True, field_specifiers=(field,))
class _Fields:
    """A node of the tree: its fields as declared (positional, in order), and `at`, the offset of its
    first token in the query (keyword only, left out of equality).

    Like a frozen dataclass, without generating code for each class at import time: the ~35
    classes made `import` of this module the largest share of a `cubamed query` run.
    """

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls) -> None:
        fields: list[str] = []
        defaults: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            for name in vars(klass).get("__annotations__", {}):
                if name.startswith("_") or name == "at":
                    continue
                if name not in fields:
                    fields.append(name)
                if name in vars(klass):
                    defaults[name] = vars(klass)[name]
        cls._fields, cls._defaults = tuple(fields), defaults

    def __init__(self, *args: Any, at: int = 0, **kwargs: Any) -> None:
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__} takes {len(self._fields)} fields, not {len(args)}")
        values = dict(zip(self._fields, args, strict=False))
        for name in self._fields[len(args) :]:
            if name in kwargs:
                values[name] = kwargs.pop(name)
            elif name in self._defaults:
                values[name] = self._defaults[name]
            else:
                raise TypeError(f"{type(self).__name__} needs the field {name}")
        if kwargs:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(kwargs))}")
        values["at"] = at
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, f) for f in self._fields)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in ('at', *self._fields))})"


class Node(_Fields):
    at: int = field(default=0, compare=False, kw_only=True)


class Expr(Node):
    """An expression."""


class Lit(Expr):
    value: Any  # None, bool, int, float, str


class Param(Expr):
    name: str


class Var(Expr):
    name: str


class Prop(Expr):
    subject: Expr
    key: str


class Index(Expr):
    subject: Expr
    index: Expr


class Slice(Expr):
    subject: Expr
    lo: Expr | None
    hi: Expr | None


class Call(Expr):
    name: str  # as written, dotted for namespaced functions
    args: tuple[Expr, ...]
    distinct: bool = False
    star: bool = False  # count(*)


class Unary(Expr):
    op: str  # NOT, -, +
    operand: Expr


class Binary(Expr):
    op: str  # OR XOR AND = <> < > <= >= + - * / % ^ IN STARTS ENDS CONTAINS =~
    left: Expr
    right: Expr


class IsNull(Expr):
    operand: Expr
    negated: bool


class ListLit(Expr):
    items: tuple[Expr, ...]


class MapLit(Expr):
    items: tuple[tuple[str, Expr], ...]


class Case(Expr):
    subject: Expr | None
    whens: tuple[tuple[Expr, Expr], ...]
    default: Expr | None


class ListComp(Expr):
    var: str
    source: Expr
    where: Expr | None
    project: Expr | None


class Quantifier(Expr):
    kind: str  # all any none single
    var: str
    source: Expr
    where: Expr


class Reduce(Expr):
    acc: str
    init: Expr
    var: str
    source: Expr
    step: Expr


class LabelTest(Expr):
    subject: Expr
    labels: LabelExpr


class MapProjection(Expr):
    var: str
    items: tuple[
        tuple[str, str, Expr | None], ...
    ]  # (kind, key, expr): ("prop", k, None), ("all", "*", None), ("var", name, None), ("kv", k, e)


class PatternComp(Expr):
    pattern: Path
    where: Expr | None
    project: Expr


class PatternPredicate(Expr):
    pattern: Path


class Subquery(Expr):
    kind: str  # EXISTS, COUNT, COLLECT
    query: Query | None  # a full subquery, or
    patterns: tuple[Path, ...] = ()  # the short form: patterns with an optional WHERE
    where: Expr | None = None


class LabelExpr(Node):
    """A label or type expression: `op` is name, and, or, not, any (`%`); `name` for a leaf."""

    op: str
    name: str = ""
    parts: tuple[LabelExpr, ...] = ()

    def names(self) -> list[str]:
        return [self.name] if self.op == "name" else [n for p in self.parts for n in p.names()]


class NodePat(Node):
    var: str | None
    labels: LabelExpr | None
    props: Expr | None  # MapLit or Param
    where: Expr | None = None


class RelPat(Node):
    var: str | None
    direction: str  # "->", "<-", "-"
    types: LabelExpr | None
    props: Expr | None
    length: tuple[int | None, int | None] | None = None  # None: one hop; (lo, hi) for *lo..hi
    where: Expr | None = None


class Path(Node):
    var: str | None
    elements: tuple[NodePat | RelPat, ...]  # node, rel, node, rel, node ...
    shortest: str | None = None  # "shortestPath" or "allShortestPaths"

    def nodes(self) -> list[NodePat]:
        return [e for e in self.elements if isinstance(e, NodePat)]

    def rels(self) -> list[RelPat]:
        return [e for e in self.elements if isinstance(e, RelPat)]


class Clause(Node):
    """A clause of a single query."""


class Match(Clause):
    optional: bool
    patterns: tuple[Path, ...]
    where: Expr | None


class Unwind(Clause):
    expr: Expr
    var: str


class Item(Node):
    expr: Expr
    alias: str | None
    text: str  # the item as written (Neo4j's column name when there is no alias)

    @property
    def name(self) -> str:
        return self.alias if self.alias is not None else self.text


class Order(Node):
    expr: Expr
    descending: bool


class Projection(Clause):
    """WITH or RETURN."""

    kind: str  # WITH, RETURN
    distinct: bool
    star: bool
    items: tuple[Item, ...]
    order: tuple[Order, ...] = ()
    skip: Expr | None = None
    limit: Expr | None = None
    where: Expr | None = None


class Write(Clause):
    """A write clause, parsed only for --write (which runs on a throwaway copy)."""

    kind: str  # CREATE, MERGE, SET, REMOVE, DELETE, DETACH DELETE
    patterns: tuple[Path, ...] = ()
    items: tuple[tuple[Expr, Expr | None], ...] = ()  # SET target = value; REMOVE target
    exprs: tuple[Expr, ...] = ()  # DELETE


class CallSubquery(Clause):
    query: Query
    imports: tuple[str, ...] | None = None  # CALL (a, b) { ... }; None for the older form


class SingleQuery(Node):
    clauses: tuple[Clause, ...]


class Query(Node):
    parts: tuple[SingleQuery, ...]
    union_all: tuple[bool, ...] = ()  # one per UNION between parts


# --- refusals ------------------------------------------------------------------------------------

#: Clause keywords outside the read subset: construct name and what to write instead.
WRITE_CLAUSES = {
    "CREATE": "write",
    "MERGE": "write",
    "SET": "write",
    "DELETE": "write",
    "DETACH": "write",
    "REMOVE": "write",
    "FOREACH": "write",
    "DROP": "write",
    "ALTER": "write",
}
#: Engine statements (ladybug) and server commands that are not Cypher reads at all.
ADMIN_CLAUSES = {
    "COPY",
    "LOAD",
    "EXPORT",
    "IMPORT",
    "ATTACH",
    "DETACH",
    "INSTALL",
    "CHECKPOINT",
    "USE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SHOW",
    "TERMINATE",
    "GRANT",
    "DENY",
    "REVOKE",
    "START",
    "STOP",
    "ENABLE",
    "EXPLAIN",
    "PROFILE",
    "FINISH",
    "FILTER",
    "LET",
    "ORDER",
    "INSERT",
    "COMMENT",
    "ANALYZE",
}


def refuse(text: str, at: int, width: int, construct: str, message: str, hint: str) -> QueryRefused:
    """The refusal of `construct` at offset `at` of the query `text`: what, where (quoted as written) and what to write instead."""
    return QueryRefused(f"refused ({construct}): {message}\n{where_in(text, at, width)}\nhint: {hint}", construct=construct, hint=hint)


# --- the parser ----------------------------------------------------------------------------------

_COMPARE = {"=", "<>", "!=", "<", ">", "<=", ">="}
_CLAUSE_END = {"MATCH", "OPTIONAL", "WITH", "RETURN", "UNWIND", "UNION", "CALL", "WHERE", "ORDER", "SKIP", "LIMIT", "OFFSET"}


class Parser:
    def __init__(self, text: str, *, write: bool = False) -> None:
        self.text, self.write = text, write
        self.tokens = tokenize(text)
        self.i = 0
        #: in the WHERE of a list or pattern comprehension, `|` ends a label test and starts the
        #: projection, as in Neo4j: `[x IN xs WHERE x:Region | x.id]` (inside brackets or parentheses, not)
        self.bar_ends_label = False

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def next(self) -> Token:
        t = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return t

    def is_op(self, *ops: str, k: int = 0) -> bool:
        t = self.peek(k) if k else self.tok
        return t.kind == "op" and t.text in ops

    def is_word(self, *words: str, k: int = 0) -> bool:
        t = self.peek(k) if k else self.tok
        return t.word() in words

    def accept_op(self, op: str) -> bool:
        if self.is_op(op):
            self.next()
            return True
        return False

    def accept_word(self, *words: str) -> bool:
        if self.is_word(*words):
            self.next()
            return True
        return False

    def error(self, what: str, tok: Token | None = None) -> QueryError:
        t = tok or self.tok
        found = "the end of the query" if t.kind == "end" else repr(self.text[t.start : t.end])
        return syntax_error(self.text, t.start, f"{what}, found {found}", max(1, t.end - t.start))

    def expect_op(self, op: str) -> Token:
        if not self.is_op(op):
            raise self.error(f"expected {op!r}")
        return self.next()

    def expect_word(self, word: str) -> Token:
        if not self.is_word(word):
            raise self.error(f"expected {word}")
        return self.next()

    def name(self, what: str = "a name") -> str:
        t = self.tok
        if t.kind in ("name", "qname"):
            self.next()
            return t.text
        raise self.error(f"expected {what}")

    def source(self, start: int) -> str:
        """The query text from offset `start` to the end of the last token read."""
        return self.text[start : self.tokens[self.i - 1].end]

    def refuse_here(self, construct: str, message: str, hint: str, tok: Token | None = None, width: int | None = None) -> QueryRefused:
        t = tok or self.tok
        return refuse(self.text, t.start, width or max(1, t.end - t.start), construct, message, hint)

    # queries
    def statement(self) -> Query:
        q = self.query()
        if self.accept_op(";") and self.tok.kind != "end":
            raise self.refuse_here(
                "several statements",
                "several statements separated by ';'",
                "run one query at a time (one cubamed query call, or one graph.query() call each)",
            )
        if self.tok.kind != "end":
            raise self.unexpected_clause()
        return q

    def query(self, in_braces: bool = False) -> Query:
        start = self.tok.start
        parts = [self.single_query(in_braces)]
        flags = []
        while self.accept_word("UNION"):
            flags.append(self.accept_word("ALL"))
            if not flags[-1]:
                self.accept_word("DISTINCT")
            parts.append(self.single_query(in_braces))
        return Query(tuple(parts), tuple(flags), at=start)

    def single_query(self, in_braces: bool) -> SingleQuery:
        start = self.tok.start
        clauses: list[Clause] = []
        while True:
            clause = self.clause()
            if clause is None:
                break
            clauses.append(clause)
            if isinstance(clause, Projection) and clause.kind == "RETURN":
                break
        if not clauses:
            raise self.unexpected_clause()
        last = clauses[-1]
        writes = any(isinstance(x, Write) for x in clauses)
        if not in_braces and not writes and not (isinstance(last, Projection) and last.kind == "RETURN"):
            raise self.error("a query must end with RETURN")
        return SingleQuery(tuple(clauses), at=start)

    def unexpected_clause(self) -> QueryError:
        t = self.tok
        word = t.word()
        if word in WRITE_CLAUSES or (word == "DETACH" and self.is_word("DELETE", k=1)):
            return self.refuse_here(
                "write clause",
                f"{word} writes to the graph; the embedded database is a read-only cache of the data files",
                "pass --write (write=True in Python) to run it on a throwaway copy; to change the graph, edit the files under data/",
            )
        if word == "LOAD" and self.is_word("CSV", k=1):
            return self.refuse_here(
                "LOAD CSV", "LOAD CSV reads files or URLs", "load your own data with --data my/nodes.csv my/edges.csv (see the README)"
            )
        if word in ADMIN_CLAUSES:
            return self.refuse_here(
                f"{word} statement",
                f"{word} is not a Cypher read clause",
                "write a read query: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN, UNION and read subqueries",
            )
        if t.kind == "end":
            return self.error("expected a clause (MATCH, WITH, UNWIND, RETURN, ...)")
        return self.error("expected a clause (MATCH, OPTIONAL MATCH, WITH, UNWIND, CALL { ... }, RETURN)")

    def clause(self) -> Clause | None:
        t = self.tok
        word = t.word()
        if word == "MATCH" or (word == "OPTIONAL" and self.is_word("MATCH", k=1)):
            return self.match()
        if word == "UNWIND":
            self.next()
            expr = self.expr()
            self.expect_word("AS")
            return Unwind(expr, self.name("a variable after AS"), at=t.start)
        if word in ("WITH", "RETURN"):
            return self.projection()
        if word == "CALL":
            return self.call()
        if self.write and (word in ("CREATE", "MERGE", "SET", "REMOVE", "DELETE") or (word == "DETACH" and self.is_word("DELETE", k=1))):
            return self.write_clause()
        if t.kind == "end" or self.is_op("}") or word == "UNION" or self.is_op(";"):
            return None
        raise self.unexpected_clause()

    def write_clause(self) -> Write:
        """CREATE, MERGE, SET, REMOVE, [DETACH] DELETE: parsed only with write=True (a throwaway copy)."""
        t = self.next()
        word = t.word()
        assert word is not None
        if word in ("CREATE", "MERGE"):
            patterns = [self.path()]
            while word == "CREATE" and self.accept_op(","):
                patterns.append(self.path())
            if word == "MERGE" and self.is_word("ON"):
                raise self.refuse_here("MERGE ON", "MERGE ... ON CREATE / ON MATCH is not translated", "use MERGE, then SET")
            return Write(word, patterns=tuple(patterns), at=t.start)
        if word == "DETACH":
            self.next()
            word = "DETACH DELETE"
        if word in ("DELETE", "DETACH DELETE"):
            exprs = [self.expr()]
            while self.accept_op(","):
                exprs.append(self.expr())
            return Write(word, exprs=tuple(exprs), at=t.start)
        items: list[tuple[Expr, Expr | None]] = []
        while True:
            target = self.postfix()
            if word == "SET":
                if not self.accept_op("="):
                    raise self.refuse_here("SET form", "only SET n.property = value is translated", "write SET n.property = value")
                items.append((target, self.expr()))
            else:
                items.append((target, None))
            if not self.accept_op(","):
                break
        return Write(word, items=tuple(items), at=t.start)

    def call(self) -> Clause:
        t = self.next()
        imports: tuple[str, ...] | None = None
        if self.is_op("("):
            self.next()
            names: list[str] = []
            if self.is_op("*"):
                raise self.refuse_here("CALL (*)", "CALL (*) { ... } imports every variable", "name the variables: CALL (a, b) { ... }")
            while not self.is_op(")"):
                names.append(self.name("a variable"))
                if not self.accept_op(","):
                    break
            self.expect_op(")")
            imports = tuple(names)
        if not self.is_op("{"):
            return self.procedure(t)
        self.next()
        body = self.query(in_braces=True)
        self.expect_op("}")
        if self.is_word("IN") and self.is_word("TRANSACTIONS", k=1):
            raise self.refuse_here("CALL IN TRANSACTIONS", "CALL { ... } IN TRANSACTIONS is for writes", "drop IN TRANSACTIONS")
        return CallSubquery(body, imports, at=t.start)

    def procedure(self, call: Token) -> Clause:
        start = self.tok.start
        parts = [self.name("a procedure name or {")]
        while self.accept_op("."):
            parts.append(self.name("a procedure name"))
        name = ".".join(parts)
        raise refuse(
            self.text,
            call.start,
            self.tokens[self.i - 1].end - call.start,
            "procedure call",
            f"procedure calls (CALL {name}) are not run: procedures can read files and the network,"
            " and the embedded engine has none of Neo4j's",
            "for the labels, types and properties see `cubamed schema`; for data, write a MATCH query" if start else "write a MATCH query",
        )

    def match(self) -> Match:
        t = self.tok
        optional = self.accept_word("OPTIONAL")
        self.expect_word("MATCH")
        patterns = [self.path()]
        while self.accept_op(","):
            patterns.append(self.path())
        where = self.expr() if self.accept_word("WHERE") else None
        return Match(optional, tuple(patterns), where, at=t.start)

    def projection(self) -> Projection:
        t = self.next()
        kind = t.word()
        assert kind is not None
        distinct = self.accept_word("DISTINCT")
        star = False
        items: list[Item] = []
        if self.is_op("*"):
            self.next()
            star = True
            if not self.accept_op(","):
                return self.projection_tail(kind, distinct, star, items, t)
        while True:
            start = self.tok.start
            expr = self.expr()
            text = self.source(start)
            alias = None
            if self.accept_word("AS"):
                alias = self.name("a name after AS")
            elif kind == "WITH" and not isinstance(expr, Var):
                raise syntax_error(self.text, start, "an expression in WITH must be aliased (use AS)", max(1, len(text)))
            items.append(Item(expr, alias, text, at=start))
            if not self.accept_op(","):
                break
        return self.projection_tail(kind, distinct, star, items, t)

    def projection_tail(self, kind: str, distinct: bool, star: bool, items: list[Item], t: Token) -> Projection:
        order: list[Order] = []
        if self.is_word("ORDER"):
            self.next()
            self.expect_word("BY")
            while True:
                start = self.tok.start
                expr = self.expr()
                desc = False
                if self.accept_word("DESC", "DESCENDING"):
                    desc = True
                else:
                    self.accept_word("ASC", "ASCENDING")
                order.append(Order(expr, desc, at=start))
                if not self.accept_op(","):
                    break
        skip = self.expr() if self.accept_word("SKIP", "OFFSET") else None
        limit = self.expr() if self.accept_word("LIMIT") else None
        where = None
        if kind == "WITH" and self.accept_word("WHERE"):
            where = self.expr()
        return Projection(kind, distinct, star, tuple(items), tuple(order), skip, limit, where, at=t.start)

    # patterns
    def path(self) -> Path:
        start = self.tok.start
        var = None
        if self.tok.kind in ("name", "qname") and self.is_op("=", k=1):
            var = self.name()
            self.next()
        if self.is_word("SHORTESTPATH", "ALLSHORTESTPATHS") and self.is_op("(", k=1):
            kind = "allShortestPaths" if self.tok.word() == "ALLSHORTESTPATHS" else "shortestPath"
            self.next()
            self.next()
            inner = self.path_elements()
            self.expect_op(")")
            return Path(var, inner, kind, at=start)
        if self.is_word("SHORTEST", "ALL", "ANY") and not self.is_op("(", k=1):
            raise self.refuse_here(
                "path selector",
                "GQL path selectors (SHORTEST k, ALL SHORTEST, ANY) are not translated",
                "use shortestPath(...) or allShortestPaths(...)",
            )
        return Path(var, self.path_elements(), None, at=start)

    def path_elements(self) -> tuple[NodePat | RelPat, ...]:
        elements: list[NodePat | RelPat] = [self.node()]
        while self.is_op("-", "<"):
            elements.append(self.rel())
            elements.append(self.node())
        return tuple(elements)

    def node(self) -> NodePat:
        t = self.tok
        if not self.is_op("("):
            raise self.error("expected a node pattern '('")
        self.next()
        if self.is_op("(") or (self.tok.kind in ("name", "qname") and self.is_op("(", k=1)):
            raise self.refuse_here(
                "quantified path pattern",
                "parenthesized and quantified path patterns ((a)-->(b)){1,3} are not translated",
                "use a variable-length relationship: (a)-[*1..3]->(b)",
            )
        var = None
        if self.tok.kind in ("name", "qname") and not (
            self.tok.kind == "name" and self.tok.word() == "WHERE" and not self.is_op(")", ":", "{", k=1)
        ):
            var = self.name()
        labels = self.label_expr() if self.is_op(":", "&") or (self.is_op("IS") and False) else None
        if self.is_word("IS") and var is not None:
            raise self.refuse_here("IS label", "n IS Label is not translated", "write (n:Label)")
        props = self.props()
        where = self.expr() if self.accept_word("WHERE") else None
        self.expect_op(")")
        return NodePat(var, labels, props, where, at=t.start)

    def props(self) -> Expr | None:
        if self.is_op("{"):
            return self.map_literal()
        if self.tok.kind == "param":
            t = self.next()
            return Param(t.text, at=t.start)
        return None

    def rel(self) -> RelPat:
        t = self.tok
        left = False
        if self.accept_op("<"):
            left = True
        self.expect_op("-")
        var = None
        types = None
        props = None
        length = None
        where = None
        if self.accept_op("["):
            if self.tok.kind in ("name", "qname") and not (self.tok.word() == "WHERE" and not self.is_op("]", ":", "{", "*", k=1)):
                var = self.name()
            if self.is_op(":"):
                types = self.label_expr(rel=True)
            if self.is_op("*"):
                length = self.var_length()
            props = self.props()
            if self.accept_word("WHERE"):
                where = self.expr()
            self.expect_op("]")
            self.expect_op("-")
        elif self.is_op("-"):
            self.next()
        else:
            raise self.error("expected a relationship pattern")
        right = self.accept_op(">")
        direction = "->" if right and not left else "<-" if left and not right else "-"
        if length is None and (self.is_op("{") or (self.is_op("+", "*") and self.is_op("(", k=1))):
            length = self.rel_quantifier()  # a quantified relationship -[:T]->{1,3}: Neo4j's [:T*1..3]
        return RelPat(var, direction, types, props, length, where, at=t.start)

    def rel_quantifier(self) -> tuple[int | None, int | None]:
        """`{m,n}`, `{m,}`, `{,n}`, `{n}`, `+` (one or more), `*` (none or more) after a relationship."""
        if self.accept_op("+"):
            return (1, None)
        if self.accept_op("*"):
            return (0, None)
        self.expect_op("{")
        lo = int(self.next().value) if self.tok.kind == "int" else None
        hi = lo
        if self.accept_op(","):
            hi = int(self.next().value) if self.tok.kind == "int" else None
        self.expect_op("}")
        return (0 if lo is None else lo, hi)

    def var_length(self) -> tuple[int | None, int | None]:
        self.expect_op("*")
        lo = hi = None
        if self.tok.kind == "int":
            lo = int(self.next().value)
            hi = (int(self.next().value) if self.tok.kind == "int" else None) if self.accept_op("..") else lo
        elif self.accept_op(".."):
            hi = int(self.next().value) if self.tok.kind == "int" else None
        elif self.tok.kind == "float":
            raise self.error("expected *min..max")
        return (lo, hi)

    def label_expr(self, rel: bool = False, *, test: bool = False) -> LabelExpr:
        """`:A:B` (and), `:A|B` or `:A|:B` (or), `:A&B`, `:!A`, `:(A|B)`; `test`: a label test in an
        expression (`n:A`), which a `|` ends in the WHERE of a comprehension (`bar_ends_label`)."""
        start = self.tok.start
        self.expect_op(":")
        bar = not (test and self.bar_ends_label)
        expr = self.label_or(bar)
        while self.is_op(":") and not rel:
            self.next()
            expr = LabelExpr("and", parts=(expr, self.label_or(bar)), at=start)
        return expr

    def label_or(self, bar: bool = True) -> LabelExpr:
        start = self.tok.start
        parts = [self.label_and()]
        while bar and self.accept_op("|"):
            self.accept_op(":")
            parts.append(self.label_and())
        return parts[0] if len(parts) == 1 else LabelExpr("or", parts=tuple(parts), at=start)

    def label_and(self) -> LabelExpr:
        start = self.tok.start
        parts = [self.label_not()]
        while self.accept_op("&"):
            parts.append(self.label_not())
        return parts[0] if len(parts) == 1 else LabelExpr("and", parts=tuple(parts), at=start)

    def label_not(self) -> LabelExpr:
        start = self.tok.start
        if self.accept_op("!"):
            return LabelExpr("not", parts=(self.label_not(),), at=start)
        if self.accept_op("("):
            inner = self.label_or()
            self.expect_op(")")
            return inner
        if self.accept_op("%"):
            return LabelExpr("any", at=start)  # any label (type): every node has one, every relationship has one
        return LabelExpr("name", self.name("a label or relationship type"), at=start)

    # expressions
    def expr(self) -> Expr:
        return self.or_expr()

    def logical(self, word: str, operand: Callable[[], Expr]) -> Expr:
        """`operand (word operand)*`, left-associative: OR over XOR over AND."""
        left = operand()
        while self.is_word(word):
            t = self.next()
            left = Binary(word, left, operand(), at=t.start)
        return left

    def or_expr(self) -> Expr:
        return self.logical("OR", self.xor_expr)

    def xor_expr(self) -> Expr:
        return self.logical("XOR", self.and_expr)

    def and_expr(self) -> Expr:
        return self.logical("AND", self.not_expr)

    def not_expr(self) -> Expr:
        if self.is_word("NOT"):
            t = self.next()
            return Unary("NOT", self.not_expr(), at=t.start)
        return self.comparison()

    def comparison(self) -> Expr:
        first = self.predicate_expr()
        terms: list[Expr] = []
        left = first
        while self.is_op(*_COMPARE):
            if self.is_op("!="):  # Neo4j 5 knows no such operator (GQL's, taken by later versions)
                raise syntax_error(self.text, self.tok.start, "unknown operator '!=': Cypher's inequality is <>", 2)
            t = self.next()
            op = t.text
            right = self.predicate_expr()
            terms.append(Binary(op, left, right, at=t.start))
            left = right
        if not terms:
            return first
        out = terms[0]
        for term in terms[1:]:  # a < b < c means a < b AND b < c
            out = Binary("AND", out, term, at=term.at)
        return out

    def predicate_expr(self) -> Expr:
        """An operand and at most one predicate: Neo4j 5's grammar takes one (`x IN a IN b` and
        `s STARTS WITH 'a' IS NULL` are syntax errors there), and `=~` binds tighter than `=`."""
        left = self.additive()
        t = self.tok
        if self.is_word("IS"):
            self.next()
            negated = self.accept_word("NOT")
            if not self.accept_word("NULL"):
                raise self.refuse_here(
                    "IS type predicate",
                    "IS [NOT] :: TYPE and IS NORMALIZED are not translated",
                    "test the value another way, e.g. x IS NOT NULL",
                )
            left = IsNull(left, negated, at=t.start)
        elif self.is_op("=~"):
            self.next()
            left = Binary("=~", left, self.additive(), at=t.start)
        elif self.is_word("IN", "CONTAINS") or (self.is_word("STARTS", "ENDS") and self.is_word("WITH", k=1)):
            op = str(self.next().word())
            if op in ("STARTS", "ENDS"):
                op += " " + str(self.next().word())
            left = Binary(op, left, self.additive(), at=t.start)
        elif self.is_op("::"):
            raise self.refuse_here("type predicate", "x :: TYPE is not translated", "test the value another way, e.g. x IS NOT NULL")
        else:
            return left
        if self.is_word("IS", "IN", "CONTAINS") or self.is_op("=~") or (self.is_word("STARTS", "ENDS") and self.is_word("WITH", k=1)):
            raise self.error("Neo4j 5 takes one predicate (IS NULL, IN, STARTS WITH, =~ ...) per operand: put the first in parentheses")
        return left

    def additive(self) -> Expr:
        left = self.multiplicative()
        while self.is_op("+", "-", "||"):
            t = self.next()
            left = Binary("+" if t.text == "||" else t.text, left, self.multiplicative(), at=t.start)
        return left

    def multiplicative(self) -> Expr:
        left = self.power()
        while self.is_op("*", "/", "%"):
            t = self.next()
            left = Binary(t.text, left, self.power(), at=t.start)
        return left

    def power(self) -> Expr:
        left = self.unary()
        while self.is_op("^"):  # left-associative, as in openCypher: 2^3^2 = 64
            t = self.next()
            left = Binary("^", left, self.unary(), at=t.start)
        return left

    def unary(self) -> Expr:
        if self.is_op("-", "+"):
            t = self.next()
            operand = self.unary()
            if (
                t.text == "-"
                and isinstance(operand, Lit)
                and isinstance(operand.value, (int, float))
                and not isinstance(operand.value, bool)
            ):
                return Lit(-operand.value, at=t.start)
            return Unary(t.text, operand, at=t.start)
        return self.postfix()

    def postfix(self) -> Expr:
        expr = self.atom()
        while True:
            t = self.tok
            if self.is_op("."):
                self.next()
                expr = Prop(expr, self.name("a property name"), at=t.start)
            elif self.is_op("["):
                self.next()
                lo = None if self.is_op("..") else self.expr()
                if self.accept_op(".."):
                    hi = None if self.is_op("]") else self.expr()
                    self.expect_op("]")
                    expr = Slice(expr, lo, hi, at=t.start)
                else:
                    self.expect_op("]")
                    assert lo is not None
                    expr = Index(expr, lo, at=t.start)
            elif self.is_op(":") and isinstance(expr, Var | Prop | Index):
                expr = LabelTest(expr, self.label_expr(test=True), at=t.start)
            else:
                return expr

    def atom(self) -> Expr:
        t = self.tok
        if t.kind == "int" or t.kind == "float":
            self.next()
            return Lit(t.value, at=t.start)
        if t.kind == "string":
            self.next()
            return Lit(t.text, at=t.start)
        if t.kind == "param":
            self.next()
            return Param(t.text, at=t.start)
        if self.is_op("["):
            return self.bracket()
        if self.is_op("{"):
            return self.map_literal()
        if self.is_op("("):
            return self.parenthesized()
        if t.kind == "qname":
            self.next()
            return self.after_name(Var(t.text, at=t.start))
        if t.kind != "name":
            raise self.error("expected an expression")
        word = t.word()
        if word == "NULL":
            self.next()
            return Lit(None, at=t.start)
        if word in ("TRUE", "FALSE"):
            self.next()
            return Lit(word == "TRUE", at=t.start)
        if word == "CASE":
            return self.case()
        if word in ("EXISTS", "COUNT", "COLLECT") and self.is_op("{", k=1):
            return self.subquery()
        if (
            word in ("ALL", "ANY", "NONE", "SINGLE")
            and self.is_op("(", k=1)
            and self.peek(2).kind in ("name", "qname")
            and self.is_word("IN", k=3)
        ):
            return self.quantifier()
        if word == "REDUCE" and self.is_op("(", k=1):
            return self.reduce()
        if word in ("SHORTESTPATH", "ALLSHORTESTPATHS") and self.is_op("(", k=1):
            return PatternPredicate(self.path(), at=t.start)
        if word in ("NOT",):
            raise self.error("expected an expression")
        # a function call: name(.name)*(
        j, parts = self.i, [t.text]
        k = 1
        while self.is_op(".", k=k) and self.peek(k + 1).kind in ("name", "qname"):
            parts.append(self.peek(k + 1).text)
            k += 2
        if self.is_op("(", k=k):
            self.i = j + k
            return self.call_args(".".join(parts), t)
        self.next()
        return self.after_name(Var(t.text, at=t.start))

    def after_name(self, var: Var) -> Expr:
        if self.is_op("{"):  # map projection n {.name, ...}
            return self.map_projection(var)
        return var

    def call_args(self, name: str, t: Token) -> Expr:
        self.expect_op("(")
        if name.upper() == "TRIM" and (self.is_word("LEADING", "TRAILING", "BOTH") or self.trim_from_ahead()):
            return self.trim_args(t)
        if name.upper() == "COUNT" and self.is_op("*"):
            self.next()
            self.expect_op(")")
            return Call(name, (), star=True, at=t.start)
        distinct = self.accept_word("DISTINCT")
        args: list[Expr] = []
        while not self.is_op(")"):
            args.append(self.expr())
            if not self.accept_op(","):
                break
        self.expect_op(")")
        return Call(name, tuple(args), distinct=distinct, at=t.start)

    def trim_from_ahead(self) -> bool:
        """trim('x' FROM s): a FROM at depth 0 before the closing parenthesis."""
        depth, k = 0, 0
        while True:
            tok = self.peek(k)
            if tok.kind == "end":
                return False
            if tok.kind == "op" and tok.text in "([{":
                depth += 1
            elif tok.kind == "op" and tok.text in ")]}":
                if depth == 0:
                    return False
                depth -= 1
            elif depth == 0 and tok.word() == "FROM":
                return True
            k += 1

    def trim_args(self, t: Token) -> Expr:
        """trim([LEADING | TRAILING | BOTH] [chars FROM] s) as btrim / ltrim / rtrim(s, chars)."""
        mode = self.next().word() if self.is_word("LEADING", "TRAILING", "BOTH") else "BOTH"
        chars: Expr | None = None
        if not self.accept_word("FROM"):
            chars = self.expr()  # Neo4j: after LEADING, TRAILING or BOTH, the characters need a FROM
            self.expect_word("FROM")
            source = self.expr()
        else:
            source = self.expr()
        self.expect_op(")")
        name = {"LEADING": "ltrim", "TRAILING": "rtrim", "BOTH": "btrim"}[mode or "BOTH"]
        return Call(name, (source,) if chars is None else (source, chars), at=t.start)

    def bracket(self) -> Expr:
        saved, self.bar_ends_label = self.bar_ends_label, False
        try:
            return self.bracket_inside()
        finally:
            self.bar_ends_label = saved

    def comprehension_where(self) -> Expr | None:
        """The WHERE of a list or pattern comprehension, where `|` ends a label test."""
        if not self.accept_word("WHERE"):
            return None
        self.bar_ends_label = True
        try:
            return self.expr()
        finally:
            self.bar_ends_label = False

    def bracket_inside(self) -> Expr:
        t = self.next()  # [
        # list comprehension [x IN list WHERE ... | ...]
        if self.tok.kind in ("name", "qname") and self.is_word("IN", k=1):
            var = self.name()
            self.next()
            source = self.expr()
            where = self.comprehension_where()
            project = self.expr() if self.accept_op("|") else None
            self.expect_op("]")
            return ListComp(var, source, where, project, at=t.start)
        # pattern comprehension [p = (a)-->(b) WHERE ... | expr]
        if (self.is_op("(") and self.looks_like_pattern()) or (
            self.tok.kind in ("name", "qname") and self.is_op("=", k=1) and self.is_op("(", k=2)
        ):
            path = self.path()
            where = self.comprehension_where()
            self.expect_op("|")
            project = self.expr()
            self.expect_op("]")
            return PatternComp(path, where, project, at=t.start)
        items: list[Expr] = []
        while not self.is_op("]"):
            items.append(self.expr())
            if not self.accept_op(","):
                break
        self.expect_op("]")
        return ListLit(tuple(items), at=t.start)

    def looks_like_pattern(self) -> bool:
        """At '(': does a relationship pattern follow the node pattern? (Else it is a parenthesized expression.)"""
        depth, k = 0, 0
        while True:
            t = self.peek(k)
            if t.kind == "end":
                return False
            if t.kind == "op" and t.text in "([{":
                depth += 1
            elif t.kind == "op" and t.text in ")]}":
                depth -= 1
                if depth == 0:
                    nxt, after = self.peek(k + 1), self.peek(k + 2)
                    if nxt.kind == "op" and nxt.text == "-" and after.kind == "op" and after.text in ("-", "[", ">"):
                        return True
                    return nxt.kind == "op" and nxt.text == "<" and after.kind == "op" and after.text == "-"
            k += 1

    def parenthesized(self) -> Expr:
        t = self.tok
        if self.looks_like_pattern():
            return PatternPredicate(self.path(), at=t.start)
        self.next()
        saved, self.bar_ends_label = self.bar_ends_label, False
        try:
            inner = self.expr()
        finally:
            self.bar_ends_label = saved
        self.expect_op(")")
        return inner

    def map_literal(self) -> MapLit:
        t = self.expect_op("{")
        items: list[tuple[str, Expr]] = []
        while not self.is_op("}"):
            key = self.name("a map key")
            self.expect_op(":")
            items.append((key, self.expr()))
            if not self.accept_op(","):
                break
        self.expect_op("}")
        return MapLit(tuple(items), at=t.start)

    def map_projection(self, var: Var) -> MapProjection:
        self.expect_op("{")
        items: list[tuple[str, str, Expr | None]] = []
        while not self.is_op("}"):
            if self.accept_op("."):
                if self.accept_op("*"):
                    items.append(("all", "*", None))
                else:
                    items.append(("prop", self.name("a property name"), None))
            elif self.tok.kind in ("name", "qname") and self.is_op(":", k=1):
                key = self.name()
                self.next()
                items.append(("kv", key, self.expr()))
            else:
                items.append(("var", self.name("a property, key: value or variable"), None))
            if not self.accept_op(","):
                break
        self.expect_op("}")
        return MapProjection(var.name, tuple(items), at=var.at)

    def case(self) -> Case:
        t = self.next()
        subject = None if self.is_word("WHEN") else self.expr()
        whens: list[tuple[Expr, Expr]] = []
        while self.accept_word("WHEN"):
            cond = self.expr()
            self.expect_word("THEN")
            whens.append((cond, self.expr()))
        if not whens:
            raise self.error("expected WHEN")
        default = self.expr() if self.accept_word("ELSE") else None
        self.expect_word("END")
        return Case(subject, tuple(whens), default, at=t.start)

    def quantifier(self) -> Quantifier:
        t = self.next()
        self.expect_op("(")
        var = self.name()
        self.expect_word("IN")
        source = self.expr()
        if not self.accept_word("WHERE"):
            raise self.error(f"expected WHERE in {t.text}(x IN list WHERE predicate)")
        where = self.expr()
        self.expect_op(")")
        kind = t.word()
        assert kind is not None
        return Quantifier(kind.lower(), var, source, where, at=t.start)

    def reduce(self) -> Reduce:
        t = self.next()
        self.expect_op("(")
        acc = self.name()
        self.expect_op("=")
        init = self.expr()
        self.expect_op(",")
        var = self.name()
        self.expect_word("IN")
        source = self.expr()
        self.expect_op("|")
        step = self.expr()
        self.expect_op(")")
        return Reduce(acc, init, var, source, step, at=t.start)

    def subquery(self) -> Subquery:
        t = self.next()
        kind = t.word()
        assert kind is not None
        self.expect_op("{")
        if self.is_word("MATCH", "OPTIONAL", "WITH", "UNWIND", "CALL", "RETURN") or (
            self.tok.kind == "name" and self.tok.word() in WRITE_CLAUSES | dict.fromkeys(ADMIN_CLAUSES)
        ):
            body = self.query(in_braces=True)
            self.expect_op("}")
            return Subquery(kind, body, at=t.start)
        patterns = [self.path()]
        while self.accept_op(","):
            patterns.append(self.path())
        where = self.expr() if self.accept_word("WHERE") else None
        self.expect_op("}")
        return Subquery(kind, None, tuple(patterns), where, at=t.start)


#: Namespaces of Neo4j's own functions; any other dotted function (apoc.load.json, ...) may reach files or the network.
BUILTIN_NAMESPACES = {"date", "datetime", "localdatetime", "time", "localtime", "duration", "point", "vector"}


def server_refusal(text: str) -> QueryRefused | None:
    """What a Neo4j *read* transaction would still run but that reads files or the network, or None.

    `LOAD CSV`, procedure calls (`CALL db.x()`, `CALL apoc.load.json(...)`) and namespaced functions
    outside Neo4j's own (`apoc.load.*`, plugins). Decided on tokens, so comments, strings, case and
    names (`load` as a map key, `n.call`) do not fool it; writes are left to the server's read
    transaction, which refuses them.

    >>> server_refusal("MATCH (n) RETURN n.load, {csv: 1} AS call") is None
    True
    >>> server_refusal("/**/load csv FROM 'file:///etc/passwd' AS r RETURN r").construct
    'LOAD CSV'
    """
    tokens = tokenize(text)
    for i, t in enumerate(tokens[:-1]):
        prev = tokens[i - 1] if i else None
        if prev is not None and prev.kind == "op" and prev.text in (".", ":"):
            continue  # a property, a label or type (a parameter, `$call`, is one token of its own)
        nxt = tokens[i + 1]
        if nxt.kind == "op" and nxt.text == ":" and t.kind in ("name", "qname"):
            continue  # a map key
        word = t.word()
        if word == "LOAD" and nxt.word() == "CSV":
            return refuse(
                text,
                t.start,
                nxt.end - t.start,
                "LOAD CSV",
                "LOAD CSV reads files or URLs (Neo4j allows it in a read transaction)",
                "load the file with pandas, or put its rows in a parameter: UNWIND $rows AS row",
            )
        if word == "CALL" and nxt.kind in ("name", "qname"):
            return refuse(
                text,
                t.start,
                nxt.end - t.start,
                "procedure call",
                "procedure calls can read files and the network (Neo4j allows some in a read transaction)",
                "write a MATCH query; for the schema see `cubamed schema`",
            )
        if t.kind in ("name", "qname") and nxt.kind == "op" and nxt.text == ".":
            j, chain = i, [t.text]
            while tokens[j + 1].kind == "op" and tokens[j + 1].text == "." and tokens[j + 2].kind in ("name", "qname"):
                chain.append(tokens[j + 2].text)
                j += 2
            after = tokens[j + 1]
            if after.kind == "op" and after.text == "(" and chain[0].lower() not in BUILTIN_NAMESPACES:
                name = ".".join(chain)
                return refuse(
                    text,
                    t.start,
                    after.start - t.start,
                    "namespaced function",
                    f"{name}() is a plugin function, which may read files or the network",
                    "use Neo4j's built-in functions",
                )
    return None


def parse(text: str, *, write: bool = False) -> Query:
    """The syntax tree of `text`, a Cypher read query; `QueryRefused` or `QueryError` otherwise.

    >>> q = parse("MATCH (n:State) WHERE n.name STARTS WITH 'C' RETURN n.name AS end")
    >>> q.parts[0].clauses[1].items[0].alias
    'end'
    """
    if not text.strip():
        raise QueryError("the query is empty")
    return Parser(text, write=write).statement()
