"""Compare Cypher parsers on this project's queries: how many they parse, and how fast.

    pip install graphglot==0.14.3 antlr4-cypher==0.1.2 cypher-guard==3.0.0 cypherast==0.1.12   # candidates
    python bench/bench_parsers.py

The queries: every `.cypher` file of `cypher/queries/`, every query of the corpus
`tests/cypher/corpus/*.yaml`, plus the Neo4j idioms of issue 8 (map projection, pattern comprehension, COUNT {}, CALL {},
reduce, quantifiers, reserved words as aliases, ...). A parser "covers" a query when it accepts it
without error (for cubamed's own parser: when it parses and translates, or refuses the query by
name, which is also an answer). Time: median over the queries of the median of 5 parses, in ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parent.parent

IDIOMS = [
    "MATCH (n:State) RETURN n {.name, .iso3} AS s",
    "MATCH (n:State {id: 'cuba'}) RETURN [(n)-[:DEPLOYED_TO]->(m) | m.name] AS places",
    "MATCH (n) WHERE COUNT { (n)-->() } > 3 RETURN n.name",
    "MATCH (n) WHERE EXISTS { (n)-[:SANCTIONED]->() } RETURN n.name",
    "MATCH (n:State) CALL { WITH n MATCH (n)-->(m) RETURN count(m) AS c } RETURN n.name, c",
    "CALL { MATCH (n:State) RETURN n.name AS x UNION MATCH (n:Program) RETURN n.name AS x } RETURN x ORDER BY x",
    "RETURN reduce(acc = 0, x IN [1, 2, 3] | acc + x) AS total",
    "MATCH (n) WHERE all(a IN n.aliases WHERE size(a) > 2) AND any(a IN n.aliases WHERE a STARTS WITH 'E') RETURN n.name",
    "MATCH (a)-[r]->(b) RETURN a.name AS end, type(r) AS set, b.name AS copy",
    "RETURN substring('hello world', 1, 3), [10, 20, 30][$i], toInteger(2.7), reverse([1, 2, 3])",
    "MATCH p = shortestPath((a {id: 'cuba'})-[*..6]-(b {id: 'conviasa'})) RETURN length(p), [n IN nodes(p) | n.name]",
    "MATCH (n) WITH n ORDER BY n.name RETURN collect(n.name)[0..3] AS first",
    "MATCH ()-[r]->() RETURN startNode(r).name, endNode(r).name, elementId(r) LIMIT 1",
    "RETURN date('2008-09').year, duration('P1Y2M').months",
    "MATCH (n:Sanctioned|Company) WHERE n:Company OR n:State RETURN labels(n), keys(n)",
    "MATCH (n) RETURN n.name ORDER BY n.name SKIP 5 LIMIT 5",
    "UNWIND [1, 2, 3] AS x WITH x WHERE x > 1 RETURN x, CASE WHEN x = 2 THEN 'two' ELSE 'other' END",
]


def queries() -> list[tuple[str, dict[str, Any]]]:
    """(query, parameters): the query library, the corpus (with its parameters), the idioms."""
    import yaml

    files = sorted((ROOT / "cypher" / "queries").glob("*.cypher"))
    corpus = [
        e
        for f in sorted((ROOT / "tests" / "cypher" / "corpus").glob("*.yaml"))
        for e in yaml.safe_load(f.read_text(encoding="utf-8")) or []
    ]
    return (
        [(f.read_text(encoding="utf-8"), {}) for f in files]
        + [(e["query"], e.get("params") or {}) for e in corpus]
        + [(q, {"i": 1}) for q in IDIOMS]
    )


def _graphglot() -> Callable[[str], Any]:
    from graphglot.dialect.base import Dialect  # type: ignore[import-not-found]

    dialect = Dialect.get_or_raise("neo4j")
    return lambda q: dialect.parse(q)


def _cypherast() -> Callable[[str], Any]:
    import cypherast  # type: ignore[import-not-found]

    return lambda q: cypherast.parse(q)


def _cypher_guard() -> Callable[[str], Any]:
    import cypher_guard  # type: ignore[import-not-found]

    def parse(q: str) -> Any:
        if cypher_guard.has_parser_errors(q):
            raise ValueError("parser errors")

    return parse


def _antlr() -> Callable[[str], Any]:
    from antlr4 import CommonTokenStream, InputStream  # type: ignore[import-not-found]
    from antlr4.error.ErrorListener import ErrorListener  # type: ignore[import-not-found]
    from antlr4_cypher import CypherLexer, CypherParser  # type: ignore[import-not-found]

    class Raise(ErrorListener):  # type: ignore[misc]
        def syntaxError(self, *args: Any) -> None:
            raise ValueError(args[-2])

    def parse(q: str) -> Any:
        lexer = CypherLexer(InputStream(q))
        lexer.removeErrorListeners()
        lexer.addErrorListener(Raise())
        parser = CypherParser(CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(Raise())
        return parser.script()

    return parse


def _cubamed() -> Callable[[str], Any]:
    from graph.embedded.translate import translate
    from graph.errors import QueryError
    from graph.schema import load_schema

    schema = load_schema()

    def parse(q: str) -> Any:
        try:
            return translate(q, schema, CURRENT_PARAMS)
        except QueryError as exc:
            if "refused" not in str(exc):  # a named refusal is a covered query; a syntax error is not
                raise

    return parse


CURRENT_PARAMS: dict[str, Any] = {}  # the parameters of the query being parsed (a translation needs them)

PARSERS: dict[str, Callable[[], Callable[[str], Any]]] = {
    "graphglot 0.14.3 (pure Python)": _graphglot,
    "antlr4-cypher 0.1.2 (ANTLR4 Python runtime)": _antlr,
    "cypher-guard 3.0.0 (Rust, syntax check only)": _cypher_guard,
    "cypherast 0.1.12 (pure Python)": _cypherast,
    "cubamed's own (graph/embedded/cypher.py, parse + translate)": _cubamed,
}


def main() -> None:
    texts = queries()
    print(f"\n### Parsers: {len(texts)} queries ({len(IDIOMS)} of them the issue's idioms)\n")
    print("| parser | parsed | of the idioms | median ms per query | slowest ms |\n|---|---:|---:|---:|---:|")
    for name, make in PARSERS.items():
        try:
            parse = make()
        except ImportError as exc:
            print(f"| {name} | not installed ({exc.name}) | | | |")
            continue
        ok = idioms = 0
        times = []
        for i, (q, params) in enumerate(texts):
            CURRENT_PARAMS.clear()
            CURRENT_PARAMS.update(params)
            try:
                parse(q)
            except Exception:  # any failure of a candidate counts as not parsed
                continue
            ok += 1
            idioms += i >= len(texts) - len(IDIOMS)
            runs = []
            for _ in range(5):
                t = time.perf_counter()
                parse(q)
                runs.append((time.perf_counter() - t) * 1000)
            times.append(statistics.median(runs))
        med = f"{statistics.median(times):.2f}" if times else ""
        slow = f"{max(times):.2f}" if times else ""
        print(f"| {name} | {ok} / {len(texts)} | {idioms} / {len(IDIOMS)} | {med} | {slow} |")


if __name__ == "__main__":
    main()
