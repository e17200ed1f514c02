"""The corpus of read queries: YAML files under tests/cypher/corpus/, one per topic.

Each file is a list of entries::

    - id: str-substring                 # unique across the corpus, used as the test id
      construct: substring(s, start, length)   # what it exercises, as the dialect doc names it
      query: |                          # Cypher as a Neo4j user writes it
        RETURN substring('hello world', 1, 3) AS s
      params: {i: 1}                    # optional: parameters, any YAML type (a date is a date)
      refused: "percentileDisc("       # optional: the engine must refuse, quoting this text
      reason: no faithful translation   #   ... why (required with refused)
      instead: "write ... instead"      #   ... how to write it so it runs (required with refused)
      neo4j_error: true                 # optional: Neo4j itself rejects the query; so must we
      issue: substring is 1-based       # optional: the "Measured on main" failure it reproduces

The topic is the file's name. Nothing here runs a query; `tests/cypher/oracle.py` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["CORPUS_DIR", "RESULTS_FILE", "TOPICS", "Entry", "Recorded", "dump_results", "load_corpus", "load_results"]

CORPUS_DIR = Path(__file__).parent / "corpus"

#: The topics in the order the dialect doc lists them (file name → heading).
TOPICS = {
    "clauses": "Clauses: MATCH, OPTIONAL MATCH, WHERE, WITH, UNWIND, RETURN",
    "patterns": "Patterns: labels, directions, properties, label expressions",
    "paths": "Paths: variable length, shortest paths, path functions",
    "strings": "Strings",
    "lists": "Lists",
    "maps": "Maps",
    "quantifiers": "Predicates and quantifiers",
    "temporal": "Temporal values",
    "subqueries": "Subqueries: EXISTS, COUNT, COLLECT, CALL",
    "union": "UNION",
    "aggregation": "Aggregation",
    "ordering": "Ordering, SKIP and LIMIT",
    "parameters": "Parameters",
    "nulls": "Null semantics",
    "types": "Types, conversions and entity functions",
    "syntax": "Syntax: reserved words, comments, case",
    "measured": "The 50 queries measured on main (issue 8)",
    "refusals": "Writes and file access",
    "errors": "Errors and refusals: a query for each message",
}

_FIELDS = {"id", "construct", "query", "params", "refused", "reason", "instead", "neo4j_error", "issue"}


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    construct: str
    query: str
    params: dict[str, Any] = field(default_factory=dict)
    refused: str | None = None
    reason: str | None = None
    instead: str | None = None
    neo4j_error: bool = False
    issue: str | None = None


def _entry(raw: Any, topic: str, where: str) -> Entry:
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: an entry is a mapping with id, construct and query")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_FIELDS)}")
    for name in ("id", "construct", "query"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ValueError(f"{where}: `{name}` is required (a non-empty string)")
    if raw.get("refused") is not None:
        if raw["refused"] not in raw["query"]:
            raise ValueError(f"{where} ({raw['id']}): `refused` must be a piece of the query text")
        if not raw.get("reason") or not raw.get("instead"):
            raise ValueError(f"{where} ({raw['id']}): an expected refusal needs `reason` and `instead`")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise ValueError(f"{where} ({raw['id']}): `params` is a mapping")
    return Entry(
        id=raw["id"],
        topic=topic,
        construct=raw["construct"].strip(),
        query=raw["query"].strip(),
        params=params,
        refused=raw.get("refused"),
        reason=raw.get("reason"),
        instead=raw.get("instead"),
        neo4j_error=bool(raw.get("neo4j_error", False)),
        issue=raw.get("issue"),
    )


def load_corpus(folder: Path = CORPUS_DIR) -> list[Entry]:
    """Every entry of every topic file, in topic order; raises ValueError on a malformed entry."""
    files = sorted(folder.glob("*.yaml"))
    unknown = [f.stem for f in files if f.stem not in TOPICS]
    if unknown:
        raise ValueError(f"corpus files {unknown} are not topics; add them to tests/cypher/corpus.py TOPICS")
    entries: list[Entry] = []
    for topic in TOPICS:
        path = folder / f"{topic}.yaml"
        if not path.exists():
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(raw, list):
            raise ValueError(f"{path}: a corpus file is a list of entries")
        entries += [_entry(r, topic, f"{path.name} entry {i + 1}") for i, r in enumerate(raw)]
    seen: set[str] = set()
    for e in entries:
        if e.id in seen:
            raise ValueError(f"corpus id {e.id!r} is used twice")
        seen.add(e.id)
    return entries


RESULTS_FILE = Path(__file__).parent / "results.json"


@dataclass(frozen=True)
class Recorded:
    """The outcome of one corpus query on the current code, as `python -m tests.cypher.record` wrote it."""

    outcome: str
    detail: str = ""
    translated: str | None = None  # the text the engine ran, when the translation changed it
    cli: str = ""  # the outcome of `cubamed query --neo4j` against the driver (compare.py's kinds)
    cli_detail: str = ""
    #: Neo4j's answer, canonical (`compare.Answer.to_json`): the oracle of the server-free mirror
    #: test (tests/cypher/test_recorded.py); the live corpus test checks it against the server.
    neo4j: dict[str, Any] | None = None


def load_results(path: Path = RESULTS_FILE) -> dict[str, Recorded]:
    """The recorded outcomes (empty when the file does not exist yet)."""
    import json

    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {k: Recorded(**v) for k, v in raw["outcomes"].items()}


def dump_results(outcomes: dict[str, Recorded], engine: str) -> str:
    """The results file's text: one entry per line, in corpus order, so a diff shows what changed."""
    import json

    lines = []
    for key, rec in outcomes.items():
        body: dict[str, Any] = {"outcome": rec.outcome, "detail": rec.detail, "cli": rec.cli, "cli_detail": rec.cli_detail}
        if rec.translated is not None:
            body["translated"] = rec.translated
        if rec.neo4j is not None:
            body["neo4j"] = rec.neo4j
        lines.append(f"  {json.dumps(key)}: {json.dumps(body, ensure_ascii=False)}")
    return '{"engine": ' + json.dumps(engine) + ', "outcomes": {\n' + ",\n".join(lines) + "\n}}\n"
