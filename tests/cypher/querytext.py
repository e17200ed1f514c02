"""What the comparison rule needs to know about a query's text, read from its tokens.

The oracle does not trust the engine's parser (that is what it tests), so it has this small
tokenizer of its own. It only answers three questions about a read query:

- the final RETURN's items (expression text and alias) and the final ORDER BY's keys, so that rows
  are compared in order exactly when the ORDER BY is on returned columns;
- which returned columns hold lists whose order no query fixes: ``collect(...)`` (or a
  ``COLLECT {}`` subquery) with no ORDER BY before it, ``labels(...)`` and ``keys(...)``;
- whether the query aggregates floats (``avg``, ``sum``, ``stDev``, ``stDevP``, ``percentileCont``),
  where the two engines may add in another order.

Keywords are known by position: a word counts as a clause keyword only at nesting depth 0 of its
(sub)query and not after a ``.`` or inside a map literal's key position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Shape", "Token", "shape", "tokens"]

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>//[^\n]*|/\*.*?\*/)
      | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<quoted>`(?:[^`]|``)*`)
      | (?P<param>\$\w+)
      | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<op>\.\.|<>|<=|>=|=~|->|<-|\S)""",
    re.S | re.X,
)

_FLOAT_AGGREGATES = {"avg", "sum", "stdev", "stdevp", "percentilecont"}
_UNORDERED_FUNCTIONS = {"labels", "keys"}


@dataclass(frozen=True)
class Token:
    kind: str  # string, quoted, param, number, word, op
    text: str
    depth: int  # nesting depth of ( [ { before this token

    @property
    def word(self) -> str:
        """The upper-cased text of a word token, else ''."""
        return self.text.upper() if self.kind == "word" else ""


def tokens(cypher: str) -> list[Token]:
    """The tokens of `cypher` without whitespace and comments, each with its nesting depth."""
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(cypher):
        kind = m.lastgroup or "op"
        if kind in ("ws", "comment"):
            continue
        text = m.group()
        if kind == "op" and text in ")]}":
            depth -= 1
        out.append(Token(kind, text, depth))
        if kind == "op" and text in "([{":
            depth += 1
    return out


def _text(toks: list[Token]) -> str:
    """Tokens joined without whitespace: the form in which two spellings of one expression compare equal."""
    return "".join(t.text for t in toks)


def _split(toks: list[Token], depth: int) -> list[list[Token]]:
    items: list[list[Token]] = [[]]
    for t in toks:
        if t.kind == "op" and t.text == "," and t.depth == depth:
            items.append([])
        else:
            items[-1].append(t)
    return [i for i in items if i]


def _is_keyword(toks: list[Token], i: int, word: str) -> bool:
    t = toks[i]
    if t.word != word:
        return False
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if prev is not None and prev.kind == "op" and prev.text in (".", "$"):
        return False  # n.order, a property
    return not (nxt is not None and nxt.kind == "op" and nxt.text == ":")  # {order: 1}, a map key


@dataclass(frozen=True)
class Item:
    expression: str  # whitespace-free text
    alias: str | None
    tokens: tuple[Token, ...] = field(repr=False)

    @property
    def name(self) -> str:
        return self.alias if self.alias is not None else self.expression


@dataclass(frozen=True)
class Shape:
    """What the comparison needs to know about a query (see the module docstring)."""

    union: bool
    items: tuple[Item, ...]  # the final RETURN's items; empty for RETURN *
    order_keys: tuple[str, ...]  # the final ORDER BY's keys, whitespace-free, without ASC/DESC
    paginated: bool  # SKIP or LIMIT after the final RETURN
    unordered_columns: frozenset[int]  # positions of columns whose lists have no fixed order
    float_aggregate: bool

    def key_columns(self, columns: list[str]) -> list[int] | None:
        """The column position of every final ORDER BY key, or None when a key is not a returned
        column or the ORDER BY sorts only the last part of a UNION."""
        return None if self.union else self.sort_columns(columns)

    def sort_columns(self, columns: list[str]) -> list[int] | None:
        """The column position of every ORDER BY key of the last RETURN (of a UNION's last part too),
        or None when there is no ORDER BY or a key is not a returned column."""
        if not self.order_keys:
            return None
        spaced = [re.sub(r"\s+", "", c) for c in columns]
        found = []
        for key in self.order_keys:
            at = None
            for i, item in enumerate(self.items):
                if key in (item.expression, item.alias):
                    at = i
                    break
            if at is None and key in spaced:
                at = spaced.index(key)
            if at is None:
                return None
            found.append(at)
        return found


def _alias(item: list[Token]) -> tuple[list[Token], str | None]:
    if len(item) >= 3 and item[-2].word == "AS" and item[-2].depth == item[0].depth and item[-1].kind in ("word", "quoted"):
        alias = item[-1].text
        if item[-1].kind == "quoted":
            alias = alias[1:-1].replace("``", "`")
        return item[:-2], alias
    return item, None


def _projection_items(toks: list[Token], start: int) -> tuple[list[list[Token]], int]:
    """The items of the WITH/RETURN clause whose keyword is at `start`, and where the clause ends."""
    depth = toks[start].depth
    i = start + 1
    if i < len(toks) and toks[i].word == "DISTINCT":
        i += 1
    end = i
    stops = {"ORDER", "SKIP", "LIMIT", "UNION", "WHERE", "MATCH", "OPTIONAL", "WITH", "RETURN", "UNWIND", "CALL"}
    while end < len(toks):
        t = toks[end]
        if t.depth < depth or (t.depth == depth and ((t.word in stops and _is_keyword(toks, end, t.word)) or t.text == ";")):
            break
        end += 1
    return _split(toks[i:end], depth), end


def _collects(item: list[Token], toks: list[Token], position: dict[int, int]) -> list[int]:
    """Positions (in `toks`) of the collect(...) calls and COLLECT {} subqueries in `item`."""
    found = []
    for j, t in enumerate(item[:-1]):
        nxt = item[j + 1]
        if t.word == "COLLECT" and nxt.kind == "op" and nxt.text in "({":
            found.append(position[id(t)])
    return found


def shape(cypher: str) -> Shape:
    """Read `cypher`'s final RETURN, ORDER BY and collect()s (see the module docstring)."""
    toks = tokens(cypher)
    position = {id(t): i for i, t in enumerate(toks)}
    union_at = [i for i, t in enumerate(toks) if t.depth == 0 and _is_keyword(toks, i, "UNION")]
    orders = [i for i, t in enumerate(toks) if _is_keyword(toks, i, "ORDER") and i + 1 < len(toks) and toks[i + 1].word == "BY"]

    # Aliases of collected lists, from every WITH/RETURN at any depth.
    unordered_aliases: set[str] = set()
    for i, t in enumerate(toks):
        if t.word in ("WITH", "RETURN") and _is_keyword(toks, i, t.word):
            for item in _projection_items(toks, i)[0]:
                expr, alias = _alias(item)
                starts = _collects(expr, toks, position)
                if alias and any(not any(o < s for o in orders) for s in starts):
                    unordered_aliases.add(alias)

    part = union_at[-1] + 1 if union_at else 0
    returns = [i for i in range(part, len(toks)) if toks[i].depth == 0 and _is_keyword(toks, i, "RETURN")]
    items: list[Item] = []
    unordered: set[int] = set()
    order_keys: list[str] = []
    paginated = False
    if returns:
        raw, end = _projection_items(toks, returns[-1])
        for n, item in enumerate(raw):
            expr, alias = _alias(item)
            items.append(Item(_text(expr), alias, tuple(expr)))
            collected = any(not any(o < s for o in orders) for s in _collects(expr, toks, position))
            words = {t.text for t in expr if t.kind == "word"}
            calls = {expr[j].word.lower() for j in range(len(expr) - 1) if expr[j + 1].text == "("}
            if collected or words & unordered_aliases or calls & _UNORDERED_FUNCTIONS:
                unordered.add(n)
        if len(raw) == 1 and _text(raw[0]) == "*":
            items = []
        rest = toks[end:]
        if len(rest) >= 2 and rest[0].word == "ORDER" and rest[1].word == "BY":
            tail = []
            for t in rest[2:]:
                if (t.depth == 0 and t.word in ("SKIP", "LIMIT")) or t.text == ";":
                    break
                tail.append(t)
            for key in _split(tail, 0):
                if key and key[-1].word in ("ASC", "DESC", "ASCENDING", "DESCENDING") and key[-1].depth == 0:
                    key = key[:-1]
                order_keys.append(_text(key))
        paginated = any(t.depth == 0 and t.word in ("SKIP", "LIMIT") for t in rest)
    calls = {toks[j].word.lower() for j in range(len(toks) - 1) if toks[j + 1].text == "("}
    return Shape(
        union=bool(union_at),
        items=tuple(items),
        order_keys=tuple(order_keys),
        paginated=paginated,
        unordered_columns=frozenset(unordered),
        float_aggregate=bool(calls & _FLOAT_AGGREGATES),
    )
