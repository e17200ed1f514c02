"""Run one query on Neo4j (the oracle) and on the embedded engine, and judge the pair.

The rule is in `tests/cypher/compare.py`; this module only runs things:

- `Neo4jOracle` holds one driver on a server loaded with the curated graph, runs each query in a
  read transaction (notifications off) and turns records into canonical rows;
- `embedded_answer` runs the query through ``EmbeddedDatabase.execute``;
- `differential` runs both and returns the `Outcome` with both answers;
- `against` runs the embedded engine only and judges it against a given Neo4j answer (the one
  recorded in tests/cypher/results.json, for the server-free mirror test).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .compare import Answer, Outcome, canonical_embedded, canonical_json, canonical_neo4j, judge, order_problem, unorder
from .querytext import shape

__all__ = ["Neo4jOracle", "Result", "against", "cli_neo4j_differential", "differential", "embedded_answer", "recording_differs"]


class Neo4jOracle:
    """The real Neo4j, holding the curated graph; `run(query, params)` gives its `Answer`."""

    def __init__(self, uri: str, user: str, password: str) -> None:
        import neo4j

        self._neo4j = neo4j
        self.uri, self.user, self.password = uri, user, password
        self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), notifications_min_severity="OFF")
        records, _, _ = self.driver.execute_query("MATCH (n) RETURN elementId(n) AS e, n.id AS id", routing_=neo4j.RoutingControl.READ)
        self.entity_ids: dict[str, str] = {r["e"]: r["id"] for r in records}

    def close(self) -> None:
        self.driver.close()

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> Answer:
        try:
            records, _, keys = self.driver.execute_query(query, dict(params or {}), routing_=self._neo4j.RoutingControl.READ)
        except self._neo4j.exceptions.Neo4jError as exc:
            return Answer(error=exc)
        rows = tuple(tuple(canonical_neo4j(v, self.entity_ids) for v in r.values()) for r in records)
        return Answer(tuple(keys), rows)


def embedded_answer(db: Any, query: str, params: Mapping[str, Any] | None = None) -> Answer:
    """The engine's answer through ``EmbeddedDatabase.execute``; any exception is kept, not raised."""
    try:
        names, rows = db.execute(query, dict(params or {}))
    except Exception as exc:  # judged: QueryError is a refusal, anything else a crash
        return Answer(error=exc)
    return Answer(tuple(names), tuple(tuple(canonical_embedded(v) for v in r) for r in rows))


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    neo4j: Answer
    embedded: Answer

    def report(self, query: str, params: Mapping[str, Any] | None = None) -> str:
        return (
            f"{self.outcome.kind}: {self.outcome.detail}\n--- query ---\n{query}\n"
            + (f"--- params --- {dict(params)}\n" if params else "")
            + f"--- Neo4j ---\n{self.neo4j.show()}\n--- embedded ---\n{self.embedded.show()}"
        )


def differential(
    oracle: Neo4jOracle,
    db: Any,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    refused: str | None = None,
    neo4j_error: bool = False,
) -> Result:
    """Run `query` on both engines and judge the pair by the rule of `compare`.

    Raises AssertionError when the query is not a fair test (see `compare.order_problem`).
    """
    return against(oracle.run(query, params), db, query, params, refused=refused, neo4j_error=neo4j_error)


def against(
    neo: Answer,
    db: Any,
    query: str,
    params: Mapping[str, Any] | None = None,
    *,
    refused: str | None = None,
    neo4j_error: bool = False,
) -> Result:
    """Run `query` on the embedded engine and judge it against Neo4j's answer `neo` (live, or as
    `python -m tests.cypher.record` recorded it), by the rule of `compare`."""
    form = shape(query)
    emb = embedded_answer(db, query, params)
    keys = form.key_columns(list(neo.columns)) if neo.error is None else None
    if neo.error is None:
        sort = form.sort_columns(list(neo.columns))
        problem = order_problem(neo, sort, paginated=form.paginated, has_order=bool(form.order_keys), union=form.union)
        if problem:
            raise AssertionError(f"not a fair test: {problem}\n{query}")
        neo = Answer(neo.columns, unorder(neo.rows, form.unordered_columns))
    if emb.error is None:
        emb = Answer(emb.columns, unorder(emb.rows, form.unordered_columns))
    outcome = judge(neo, emb, keys=keys, tolerant=form.float_aggregate, refused=refused, neo4j_error=neo4j_error)
    return Result(outcome, neo, emb)


def recording_differs(recorded: Answer, live: Answer, query: str) -> str | None:
    """None when Neo4j's recorded answer (tests/cypher/results.json) is what the server says now
    (both with `differential`'s unordering), else what differs: the guard that keeps the
    server-free mirror test's oracle true."""
    if recorded.error is not None or live.error is not None:
        same = recorded.error is not None and live.error is not None and str(recorded.error) == Answer(error=live.error).to_json()["error"]
        return None if same else f"recorded {recorded.show()}; Neo4j now {live.show()}"
    form = shape(query)
    keys = form.key_columns(list(live.columns))
    from .compare import compare_answers

    difference = compare_answers(live, recorded, keys=keys, tolerant=form.float_aggregate)
    return None if difference is None else f"{difference}: recorded {recorded.show()}; Neo4j now {live.show()}"


class CliError(Exception):
    """`cubamed query --neo4j` exited 1 with an ``Error: ...`` line (a clear refusal, like QueryError)."""


def cli_params(params: Mapping[str, Any]) -> list[str] | None:
    """``-p name=JSON`` options for `params`, or None when a value has no JSON form (a date)."""
    import json

    out = []
    for name, value in params.items():
        try:
            text = json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            return None
        out += ["-p", f"{name}={text}"]
    return out


def cli_neo4j_answer(oracle: Neo4jOracle, query: str, options: list[str]) -> Answer:
    """What ``cubamed query QUERY --neo4j URI --format json`` prints, read back from its JSON.

    The columns are the keys of the first row (JSON objects), so a query with no rows has none.
    """
    import json

    from click.testing import CliRunner

    from graph.cli import main

    uri, user, password = oracle.uri, oracle.user, oracle.password
    args = ["query", query, "--neo4j", uri, "--user", user, "--format", "json", *options]
    result = CliRunner().invoke(main, args, env={"NEO4J_PASSWORD": password})
    if result.exit_code == 1 and result.stderr.startswith("Error: "):
        return Answer(error=CliError(result.stderr.strip()))
    if result.exit_code != 0:
        return Answer(error=result.exception or RuntimeError(f"exit {result.exit_code}: {result.output}"))
    rows = json.loads(result.stdout)
    columns = tuple(rows[0]) if rows else ()
    return Answer(columns, tuple(tuple(canonical_embedded(v) for v in r.values()) for r in rows))


def cli_neo4j_differential(oracle: Neo4jOracle, query: str, params: Mapping[str, Any], *, refused: str | None = None) -> Outcome:
    """Judge `cubamed query --neo4j` against the driver on the same server, by the rule of `compare`
    with values as JSON carries them (temporal values are ISO strings there)."""
    options = cli_params(params)
    if options is None:
        return Outcome("not-applicable", "a parameter has no JSON form for -p")
    form = shape(query)
    driver = oracle.run(query, params)
    cli = cli_neo4j_answer(oracle, query, options)
    if isinstance(cli.error, CliError):
        if driver.error is not None:
            return Outcome("both-refuse", str(cli.error).splitlines()[0])
        if refused is not None and refused in str(cli.error):
            return Outcome("refused", str(cli.error).splitlines()[0])
        return Outcome("unsupported", str(cli.error).splitlines()[0])
    if cli.error is not None:
        return Outcome("crash", f"{type(cli.error).__name__}: {cli.error}")
    if driver.error is not None:
        return Outcome("wrong", "Neo4j rejects the query, the CLI printed rows")
    rows = tuple(tuple(canonical_json(v) for v in r) for r in unorder(driver.rows, form.unordered_columns))
    columns = driver.columns if driver.rows else ()
    keys = form.key_columns(list(driver.columns))
    from .compare import compare_answers

    difference = compare_answers(
        Answer(columns, rows), Answer(cli.columns, unorder(cli.rows, form.unordered_columns)), keys=keys, tolerant=form.float_aggregate
    )
    return Outcome("identical") if difference is None else Outcome("wrong", difference)
