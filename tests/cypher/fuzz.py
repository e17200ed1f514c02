"""Run generated queries (tests/cypher/generate.py) on Neo4j and the embedded engine; shrink mismatches.

Used by tests/cypher/test_fuzz.py (the seeded CI run) and bench/fuzz_cypher.py (the long run).

The refusals the CI run finds on the current code (queries Neo4j answers and the embedded engine
refuses with a message and a hint) are recorded in tests/cypher/fuzz_known.json (by position in
the seeded sequence, with a hash of the query text, the kind and the shrunk query), so that the CI
test tells a known refusal from a new mismatch without shrinking again, and fails when the file no
longer matches what happens. Only refusals can be known: a wrong answer or a crash is never
tolerated (`TOLERATED`), whatever the file says.

The same run also records Neo4j's canonical answer to each CI query, with the outcome, in
tests/cypher/fuzz_answers.json.gz (`write_answers`): the oracle of the server-free mirror
tests/cypher/test_fuzz_recorded.py, which mutation testing runs. The live CI test checks that the
server still gives the recorded answers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compare import Answer
from .generate import Catalog, Query, generate, renamed, shrink
from .oracle import Neo4jOracle, differential
from .querytext import shape

__all__ = [
    *("ANSWERS_FILE", "CI_COUNT", "CI_SEED", "KNOWN_FILE", "REFRESH", "TOLERATED", "Answered", "FuzzReport", "Known", "Mismatch"),
    *("dump_answers", "dump_known", "load_answers", "load_known", "run_fuzz", "write_answers"),
]

#: The CI run: this seed, this many queries.
CI_SEED = 20260601
CI_COUNT = 500
#: A shrinking step that makes Neo4j return more rows than this is not taken: dropping a label or
#: a predicate can turn a small answer into thousands of rows, which only slows the search.
SHRINK_MAX_ROWS = 300
KNOWN_FILE = Path(__file__).parent / "fuzz_known.json"
ANSWERS_FILE = Path(__file__).parent / "fuzz_answers.json.gz"  # 2 MB of JSON, 70 kB gzipped
#: The command that rewrites both files from a run on Neo4j.
REFRESH = "python bench/fuzz_cypher.py --record-known"
#: The only kind of mismatch the known file may hold: a refusal (with a hint) of a query Neo4j answers.
#: A silent wrong answer ("wrong") or an engine crash is a failure of the CI run, always.
TOLERATED = frozenset({"unsupported"})


def text_hash(q: Query) -> str:
    return hashlib.sha256((q.text() + json.dumps(q.params, sort_keys=True, default=str)).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Known:
    """A mismatch recorded for the CI run: which query (position and hash), what kind, its shrunk form."""

    index: int
    hash: str
    kind: str
    smallest: str


@dataclass(frozen=True)
class Answered:
    """One CI query as recorded: position, hash of its text, the outcome on the embedded engine
    then, and Neo4j's canonical answer (rows sorted when the query has no ORDER BY)."""

    index: int
    hash: str
    outcome: str
    neo4j: Answer


def stable(neo4j: Answer, query: str) -> Answer:
    """`neo4j` with its rows in a fixed order when the query fixes none (Neo4j's order may change
    from run to run; the comparison of such answers ignores it), so a recording is reproducible."""
    if neo4j.error is not None or shape(query).order_keys:
        return neo4j
    return Answer(neo4j.columns, tuple(sorted(neo4j.rows, key=lambda r: json.dumps(r, default=str))))


@dataclass(frozen=True)
class Mismatch:
    index: int
    query: Query  # as generated
    smallest: Query | None  # after shrinking, showing the same kind of failure (None: known, not shrunk)
    kind: str
    detail: str
    report: str  # both answers of the smallest query
    recorded: str | None = None  # a known mismatch: the shrunk query the known file holds

    @property
    def smallest_text(self) -> str:
        if self.smallest is not None:
            return self.smallest.text()
        return self.recorded if self.recorded is not None else self.query.text()


@dataclass
class FuzzReport:
    seed: int
    count: int
    seconds: float = 0.0
    passed: int = 0
    empty: int = 0  # queries whose Neo4j answer has no rows
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (query, why): generator bugs
    mismatches: list[Mismatch] = field(default_factory=list)
    known: list[Mismatch] = field(default_factory=list)  # mismatches recorded in the known file (not shrunk again)
    answers: dict[int, Answered] = field(default_factory=dict)  # every valid query: Neo4j's answer and the outcome

    def distinct(self) -> dict[str, Mismatch]:
        """One new mismatch per shrunk query text."""
        out: dict[str, Mismatch] = {}
        for m in self.mismatches:
            out.setdefault(m.smallest_text, m)
        return out

    def summary(self) -> str:
        kinds: dict[str, int] = {}
        for m in [*self.mismatches, *self.known]:
            kinds[m.kind] = kinds.get(m.kind, 0) + 1
        return (
            f"seed {self.seed}: {self.count} queries in {self.seconds:.1f} s; {self.passed} identical, "
            f"{len(self.mismatches) + len(self.known)} mismatches ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items())) or 'none'}; "
            f"{len(self.known)} known, {len(self.mismatches)} new, {len(self.distinct())} distinct new after shrinking), "
            f"{len(self.invalid)} invalid; {self.empty} queries had no rows on Neo4j"
        )


def run_fuzz(
    oracle: Neo4jOracle,
    db: Any,
    catalog: Catalog,
    *,
    seed: int,
    count: int,
    known: dict[int, Known] | None = None,
    shrink_budget: int = 40,
    max_shrinks: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> FuzzReport:
    """Run `count` queries of `seed` on both engines; shrink each new mismatch (at most
    `shrink_budget` candidate runs each, and at most `max_shrinks` mismatches: the rest are kept
    as generated). A mismatch that `known` records (same position, text and kind) is counted as
    known and not shrunk again."""
    known = known or {}
    report = FuzzReport(seed, count)
    began = time.perf_counter()
    seen: dict[str, str | None] = {}  # query text -> failing kind (None: passes or invalid), across shrinks

    def kind_of(candidate: Query) -> str | None:
        key = candidate.text() + repr(sorted(candidate.params.items()))
        if key not in seen:
            try:
                r = differential(oracle, db, candidate.text(), candidate.params)
                seen[key] = None if r.outcome.passed or len(r.neo4j.rows) > SHRINK_MAX_ROWS else r.outcome.kind
            except AssertionError:
                seen[key] = None
        return seen[key]

    for index, q in enumerate(generate(catalog, seed, count)):
        if progress is not None and index % 100 == 0:
            progress(index)
        text = q.text()
        try:
            result = differential(oracle, db, text, q.params)
        except AssertionError as exc:  # Neo4j rejects it, or it is not a fair test: a generator bug
            report.invalid.append((text, str(exc).splitlines()[0]))
            continue
        if not result.neo4j.rows:
            report.empty += 1
        report.answers[index] = Answered(index, text_hash(q), result.outcome.kind, stable(result.neo4j, text))
        if result.outcome.passed:
            report.passed += 1
            continue
        kind = result.outcome.kind
        rec = known.get(index)
        if rec is not None and rec.hash == text_hash(q) and rec.kind == kind and kind in TOLERATED:
            report.known.append(Mismatch(index, q, None, kind, result.outcome.detail, "", rec.smallest))
            continue
        if max_shrinks is not None and len(report.mismatches) >= max_shrinks:
            smallest = q
        else:
            smallest = shrink(q, lambda c, kind=kind: kind_of(c) == kind, budget=shrink_budget)
            if kind_of(renamed(smallest)) == kind:
                smallest = renamed(smallest)
        final = differential(oracle, db, smallest.text(), smallest.params)
        report.mismatches.append(Mismatch(index, q, smallest, kind, final.outcome.detail, final.report(smallest.text(), smallest.params)))
    report.seconds = time.perf_counter() - began
    return report


def load_known(path: Path = KNOWN_FILE) -> tuple[dict[str, Any], dict[int, Known]]:
    """The known file's header (seed, count, engine) and its mismatches by position."""
    if not path.exists():
        return {}, {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if k != "mismatches"}, {m["index"]: Known(**m) for m in raw["mismatches"]}


def dump_known(report: FuzzReport, engine: str) -> str:
    """The known file for `report` (every refusal of it, shrunk; never a wrong answer): one mismatch per line."""
    rows = []
    for m in sorted([*report.mismatches, *report.known], key=lambda m: m.index):
        if m.kind not in TOLERATED:
            continue
        rows.append(json.dumps({"index": m.index, "hash": text_hash(m.query), "kind": m.kind, "smallest": m.smallest_text}, ensure_ascii=False))
    head = json.dumps({"seed": report.seed, "count": report.count, "engine": engine})[:-1]
    return head + ', "mismatches": [\n' + ",\n".join(rows) + "\n]}\n"


def dump_answers(report: FuzzReport, engine: str) -> str:
    """The answers file for `report`: a header line, then one query per line (position, hash,
    outcome, Neo4j's answer as `Answer.to_json` writes it), in order: the same run gives the same bytes."""
    rows = [
        json.dumps({"index": a.index, "hash": a.hash, "outcome": a.outcome, "neo4j": a.neo4j.to_json()}, ensure_ascii=False)
        for _, a in sorted(report.answers.items())
    ]
    head = json.dumps({"seed": report.seed, "count": report.count, "engine": engine})[:-1]
    return head + ', "answers": [\n' + ",\n".join(rows) + "\n]}\n"


def write_answers(report: FuzzReport, engine: str, path: Path = ANSWERS_FILE) -> None:
    """`dump_answers` gzipped into `path`, without a time stamp (so the same run gives the same bytes)."""
    path.write_bytes(gzip.compress(dump_answers(report, engine).encode("utf-8"), mtime=0))


def load_answers(path: Path = ANSWERS_FILE) -> tuple[dict[str, Any], dict[int, Answered]]:
    """The answers file's header (seed, count, engine) and its queries by position."""
    if not path.exists():
        return {}, {}
    raw = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    answers = {a["index"]: Answered(a["index"], a["hash"], a["outcome"], Answer.from_json(a["neo4j"])) for a in raw["answers"]}
    return {k: v for k, v in raw.items() if k != "answers"}, answers


def findings_markdown(report: FuzzReport, engine: str, command: str) -> str:
    """The findings of a run, grouped by kind and shrunk query, as Markdown."""
    groups: dict[str, list[Mismatch]] = {}
    for m in report.mismatches:
        groups.setdefault(m.smallest_text, []).append(m)
    out = [
        "# Findings of the random query generator",
        "",
        f"<!-- Written by `{command}`; rerun it to refresh. -->",
        "",
        f"Engine: {engine}. {report.summary()}.",
        "",
        "Each mismatch was shrunk (WHERE conjuncts, return items, pattern parts, ORDER BY/LIMIT,",
        "DISTINCT and OPTIONAL dropped while the same kind of failure remained); below, one entry",
        "per shrunk query, most frequent first, with both answers of the shrunk query.",
        "",
    ]
    for kind in ("wrong", "crash", "unsupported", "bad-refusal"):
        mine = sorted(((t, ms) for t, ms in groups.items() if ms[0].kind == kind), key=lambda x: (-len(x[1]), x[0]))
        if not mine:
            continue
        out += [f"## {kind}: {sum(len(ms) for _, ms in mine)} queries, {len(mine)} shrunk forms", ""]
        for _, ms in mine:
            report_text = ms[0].report if len(ms[0].report) < 1500 else ms[0].report[:1500] + " ..."
            out += [f"- {len(ms)} quer{'y' if len(ms) == 1 else 'ies'} (first at #{ms[0].index}):", ""]
            out += ["    " + line for line in report_text.splitlines()]
            out.append("")
    if report.invalid:
        out += ["## Invalid queries (generator bugs)", ""]
        out += [f"- `{' '.join(t.split())}`: {why}" for t, why in report.invalid[:50]]
    return "\n".join(out).rstrip() + "\n"
