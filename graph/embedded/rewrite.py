"""A small rewrite layer that lets common Neo4j Cypher idioms run on the embedded engine.

Pure text in, text out; string literals, comments and backquoted names are never touched.
Each rewrite is listed, with what stays different, in docs/cypher-dialect.md:

- ``shortestPath((a)-[:T*..5]-(b))`` → ``(a)-[:T* SHORTEST 1..5]-(b)`` (and ``allShortestPaths``
  → ``ALL SHORTEST``);
- the marker labels: ``(n:State:Sanctioned)`` → ``(n:State {sanctioned: true})``, ``(n:Cubamed)``
  → ``(n)``; label predicates ``WHERE n:State`` → ``label(n) = 'State'``, ``n:Sanctioned`` →
  ``coalesce(n.sanctioned, false)``;
- ``labels(n)`` → ``neo4j_labels(n)`` (a macro returning a list, the marker included);
- 0-based list indexes and slices with literal bounds: ``xs[0]`` → ``xs[1]``, ``xs[0..2]`` → ``xs[1..2]``;
- list comprehensions → ``list_transform`` / ``list_filter``; a RETURN alias that shadows a variable used
  by ORDER BY is renamed (Neo4j sorts by the alias);
- ``exists(n.prop)`` → ``n.prop IS NOT NULL``; ``split(`` → ``string_split(``;
- ``sum(x)`` → ``coalesce(sum(x), 0)`` (Neo4j's sum of no values is 0).

The other Neo4j functions the engine lacks (``type``, ``toInteger``, ``head``, ...) are macros
stored in the database (`ddl.MACROS`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ENTITY_MARKER", "mask", "parameter_names", "return_columns", "rewrite", "write_keyword"]

#: The label every node cubamed exports to Neo4j carries besides its own; here it matches any node.
ENTITY_MARKER = "Cubamed"  # = graph.export.rows.MARKER_LABEL (a test checks); not imported, to keep this module light

_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/", re.S)
_WRITE = re.compile(
    r"(?<![\w.$\x00])(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|COPY|ALTER|INSTALL|LOAD|ATTACH|IMPORT|EXPORT|CHECKPOINT|FOREACH)\b",
    re.I,
)
_ID = r"[A-Za-z_\x00][\w\x00]*"


def mask(cypher: str) -> str:
    """`cypher` with string literals, comments and backquoted names blanked out (same length).

    Literals become NUL characters, so positions in the mask are positions in the query.
    """
    return _LITERAL.sub(lambda m: "\x00" * len(m.group()), cypher)


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def write_keyword(cypher: str) -> str | None:
    """The first keyword that makes `cypher` a write (or load/admin) query, upper-cased, or None."""
    m = _WRITE.search(mask(cypher))
    return m.group(1).upper() if m else None


def parameter_names(cypher: str) -> set[str]:
    """The `$name` parameters `cypher` uses."""
    return set(re.findall(r"\$(\w+)", mask(cypher)))


def _closing(masked: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(masked)):
        if masked[i] in "([{":
            depth += 1
        elif masked[i] in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _shortest_paths(cypher: str) -> str:
    masked = mask(cypher)
    edits: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\b(all)?shortestPaths?\s*\(", masked, re.I):
        close = _closing(masked, m.end() - 1)
        star = re.compile(r"\*\s*(\d*)\s*(\.\.)?\s*(\d*)").search(masked, m.end(), close)
        if close < 0 or star is None:
            continue
        upper = star.group(3) if star.group(2) else star.group(1)
        kind = "ALL SHORTEST" if m.group(1) else "SHORTEST"
        bounds = f" 1..{upper}" if upper else ""
        edits += [(m.start(), m.end(), ""), (close, close + 1, ""), (star.start(), star.end(), f"* {kind}{bounds}")]
    return _apply(cypher, edits)


def _node_markers(cypher: str, labels: set[str], sanctioned: str) -> str:
    masked = mask(cypher)
    edits: list[tuple[int, int, str]] = []
    pattern = re.compile(rf"\(\s*({_ID})?\s*((?::\s*{_ID}\s*)+)(?:(\{{)|(?=\)|WHERE\b))", re.I)
    for m in pattern.finditer(masked):
        chain = [x.strip() for x in m.group(2).split(":")[1:]]
        if not {sanctioned, ENTITY_MARKER} & set(chain) or not set(chain) <= labels | {sanctioned, ENTITY_MARKER}:
            continue
        kept = "".join(f":{x}" for x in chain if x not in (sanctioned, ENTITY_MARKER))
        var = cypher[m.start(1) : m.end(1)] if m.group(1) else ""
        new = f"({var}{kept}"
        if sanctioned in chain:
            new += " {sanctioned: true, " if m.group(3) else " {sanctioned: true}"
        elif m.group(3):
            new += " {"
        edits.append((m.start(), m.end(), new))
    return _apply(cypher, edits)


def _label_predicates(cypher: str, labels: set[str], sanctioned: str) -> str:
    masked = mask(cypher)
    edits: list[tuple[int, int, str]] = []
    pattern = re.compile(rf"(?<![\w\x00.$])({_ID})\s*((?::\s*{_ID}\s*(?:\|\s*{_ID}\s*)*)+)")
    for m in pattern.finditer(masked):
        before = masked[: m.start()].rstrip()
        after = masked[m.end() :].lstrip()
        in_pattern = before.endswith("(") and (after[:1] in (")", "{") or re.match(r"WHERE\b", after, re.I))
        if in_pattern or before.endswith(("[", "{", ",")):
            continue  # a node or relationship pattern, or a map key
        var = cypher[m.start(1) : m.end(1)]
        terms = []
        for group in m.group(2).split(":")[1:]:
            alts = [a.strip() for a in group.split("|")]
            if not set(alts) <= labels | {sanctioned, ENTITY_MARKER}:
                break
            if alts == [sanctioned]:
                terms.append(f"coalesce({var}.sanctioned, false)")
            elif alts == [ENTITY_MARKER]:
                terms.append("true")
            elif len(alts) == 1:
                terms.append(f"label({var}) = '{alts[0]}'")
            else:
                terms.append(f"label({var}) IN [{', '.join(repr(a) for a in alts)}]")
        else:
            trailing = m.group(2)[len(m.group(2).rstrip()) :]
            edits.append((m.start(), m.end(), "(" + " AND ".join(terms) + ")" + trailing))
    return _apply(cypher, edits)


def _top_level(masked: str, pattern: str) -> re.Match[str] | None:
    depth = 0
    for i, ch in enumerate(masked):
        depth += (ch in "([{") - (ch in ")]}")
        if depth == 0:
            m = re.compile(pattern, re.I).match(masked, i)
            if m:
                return m
    return None


def _comprehensions(cypher: str) -> str:
    for _ in range(50):  # one comprehension per pass, the rightmost (innermost) first
        masked = mask(cypher)
        found = list(re.finditer(rf"(?<![\w\x00)\]])\[\s*({_ID})\s+IN\s", masked, re.I))
        close = _closing(masked, found[-1].start()) if found else -1
        if close < 0:
            return cypher
        m = found[-1]
        var, body, inner = cypher[m.start(1) : m.end(1)], cypher[m.end() : close], masked[m.end() : close]
        bar = _top_level(inner, r"\|")
        proj = body[bar.end() :].strip() if bar else None
        head, head_masked = (body[: bar.start()], inner[: bar.start()]) if bar else (body, inner)
        where = _top_level(head_masked, r"\sWHERE\s")
        items = head[: where.start()].strip() if where else head.strip()
        expr = f"list_filter({items}, {var} -> {head[where.end() :].strip()})" if where else items
        if proj is not None:
            expr = f"list_transform({expr}, {var} -> {proj})"
        cypher = cypher[: m.start()] + expr + cypher[close + 1 :]
    return cypher


def _alias_clashes(cypher: str) -> str:
    """``RETURN actor.name AS actor ORDER BY actor``: Neo4j sorts by the alias, the engine by the
    variable `actor` (and fails on a node); rename such aliases (the columns keep their names)."""
    masked = mask(cypher)
    returns = [m for m in re.finditer(r"\bRETURN\b", masked, re.I)]
    order = re.search(r"\bORDER\s+BY\b", masked[returns[-1].end() :], re.I) if returns else None
    if not order:
        return cypher
    at = returns[-1].end() + order.end()
    clause = masked[returns[-1].end() : at]
    edits = []
    for alias in set(re.findall(r"\bAS\s+([A-Za-z_]\w*)", clause, re.I)):
        if not re.search(rf"(?<![\w.]){alias}\s*\.", masked[: returns[-1].end()] + clause):
            continue  # not also a variable
        for m in re.finditer(rf"\bAS\s+({alias})\b", clause, re.I):
            s = returns[-1].end() + m.start(1)
            edits.append((s, s + len(alias), f"{alias}_"))
        for m in re.finditer(rf"(?<![\w.$]){alias}\b(?!\s*[.(])", masked[at:]):
            edits.append((at + m.start(), at + m.end(), f"{alias}_"))
    return _apply(cypher, edits)


def _list_indexes(cypher: str) -> str:
    masked = mask(cypher)
    edits: list[tuple[int, int, str]] = []
    for m in re.finditer(r"(?<=[\w\x00)\]])\[\s*(\d+)\s*\]", masked):
        edits.append((m.start(), m.end(), f"[{int(m.group(1)) + 1}]"))
    for m in re.finditer(r"(?<=[\w\x00)\]])\[\s*(-?\d+)?\s*\.\.\s*(-?\d+)?\s*\]", masked):
        lo, hi = m.group(1), m.group(2)
        start = "" if lo is None else str(int(lo) + 1 if int(lo) >= 0 else int(lo))
        end = "" if hi is None else str(int(hi) if int(hi) >= 0 else int(hi) - 1)
        edits.append((m.start(), m.end(), f"[{start}..{end}]"))
    return _apply(cypher, edits)


def _functions(cypher: str) -> str:
    masked = mask(cypher)
    edits: list[tuple[int, int, str]] = []
    for m in re.finditer(r"(?<![\w.])sum\s*\(", masked, re.I):
        close = _closing(masked, m.end() - 1)
        if close > 0:  # Neo4j's sum() of no values is 0, the engine's is null
            edits += [(m.start(), m.start(), "coalesce("), (close + 1, close + 1, ", 0)")]
    for m in re.finditer(r"(?<![\w.])labels\s*\(", masked, re.I):
        edits.append((m.start(), m.end(), "neo4j_labels("))
    for m in re.finditer(r"(?<![\w.])split\s*\(", masked, re.I):
        edits.append((m.start(), m.end(), "string_split("))
    for m in re.finditer(rf"(?<![\w.])exists\s*\(\s*({_ID}\s*\.\s*{_ID})\s*\)", masked, re.I):
        edits.append((m.start(), m.end(), f"{cypher[m.start(1) : m.end(1)]} IS NOT NULL"))
    return _apply(cypher, edits)


def rewrite(cypher: str, labels: Iterable[str], *, sanctioned: str = "Sanctioned") -> str:
    """Rewrite the Neo4j idioms of `cypher` for the embedded engine; `labels` are the schema's.

    >>> rewrite("MATCH (n:State:Sanctioned) WHERE m:State RETURN labels(n), xs[0]", ["State"])
    "MATCH (n:State {sanctioned: true}) WHERE (label(m) = 'State') RETURN neo4j_labels(n), xs[1]"
    >>> rewrite("MATCH p = shortestPath((a)-[*..4]-(b)) RETURN p", [])
    'MATCH p = (a)-[* SHORTEST 1..4]-(b) RETURN p'
    """
    known = set(labels)
    text = _comprehensions(_alias_clashes(cypher))
    text = _shortest_paths(text)
    text = _node_markers(text, known, sanctioned)
    text = _label_predicates(text, known, sanctioned)
    text = _list_indexes(text)
    return _functions(text)


def _split_top(text: str, masked: str, sep: str = ",") -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(masked):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def return_columns(cypher: str) -> list[str] | None:
    """The column names Neo4j gives the result of `cypher`: each RETURN item's alias or its text.

    None when they cannot be told from the text (``RETURN *``, no RETURN).

    >>> return_columns("MATCH (s) RETURN DISTINCT s.name, count(*) AS n ORDER BY n")
    ['s.name', 'n']
    """
    masked = mask(cypher)
    depth, last = 0, None
    for m in re.finditer(r"[()\[\]{}]|\bRETURN\b", masked, re.I):
        tok = m.group()
        if tok in "([{":
            depth += 1
        elif tok in ")]}":
            depth -= 1
        elif depth == 0:
            last = m.end()
    if last is None:
        return None
    tail = re.search(r"\b(ORDER\s+BY|SKIP|LIMIT|UNION)\b|;", masked[last:], re.I)
    end = last + tail.start() if tail else len(cypher)
    text, body = cypher[last:end], masked[last:end]
    lead = re.match(r"\s*DISTINCT\b", body, re.I)
    if lead:
        text, body = text[lead.end() :], body[lead.end() :]
    names = []
    for item in _split_top(text, body):
        item = item.strip()
        alias = re.search(r"\s+AS\s+(`(?:[^`]|``)+`|\w+)\s*$", item, re.I)
        name = alias.group(1) if alias else item
        if name == "*":
            return None
        names.append(name[1:-1].replace("``", "`") if name.startswith("`") else name)
    return names
