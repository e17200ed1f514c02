"""Turn the engine's error messages into messages that say what to do, using the schema's names."""

from __future__ import annotations

import difflib
import re

from ..schema import Schema
from .rewrite import ENTITY_MARKER, mask

__all__ = ["explain", "write_refusal"]

#: Neo4j functions the engine does not have, and what to write instead.
FUNCTIONS = {
    "ELEMENTID": "use n.id, the entity's stable id",
    "ID": "use n.id, the entity's stable id",
    "STARTNODE": "name the endpoints in the pattern, (a)-[r]->(b), and use a",
    "ENDNODE": "name the endpoints in the pattern, (a)-[r]->(b), and use b",
    "REDUCE": "use list_reduce(list, (acc, x) -> ...) or UNWIND with an aggregation",
    "PERCENTILECONT": "not available; compute it in pandas on the returned DataFrame",
    "STDEV": "use stddev_samp",
    "DATETIME": "dates are ISO strings; compare them as text or use date('2020-01-02')",
}

DIALECT = "docs/cypher-dialect.md"


def write_refusal(keyword: str) -> str:
    return (
        f"refused: the query writes ({keyword}); the embedded database is a read-only cache of the data files. "
        "Pass --write (write=True in Python) to run it on a throwaway copy; to change the graph, edit the files under data/."
    )


def _suggest(name: str, candidates: list[str]) -> str | None:
    by_upper = {c.upper(): c for c in candidates}
    close = difflib.get_close_matches(name.upper(), list(by_upper), n=1, cutoff=0.6)
    return by_upper[close[0]] if close else None


def _name_hint(name: str, cypher: str, schema: Schema) -> str:
    labels = [*schema.labels, schema.sanctioned_label, ENTITY_MARKER]
    types = list(schema.relationships)
    as_rel = re.search(rf"\[[^\]]*[:|]\s*{re.escape(name)}\b", mask(cypher)) is not None
    if as_rel and name in schema.labels:
        return f"{name} is a label, not a relationship type; relationship types: {', '.join(types)}"
    if not as_rel and name in schema.relationships:
        return f"{name} is a relationship type, not a label; write it in a relationship pattern: ()-[:{name}]->()"
    kind, pool = ("relationship type", types) if as_rel else ("label", labels)
    guess = _suggest(name, pool)
    if guess:
        return f"no {kind} {name}; did you mean {guess}?"
    return f"no {kind} {name}; the {kind}s are: {', '.join(pool)}"


def _unknown_names(cypher: str, schema: Schema) -> list[str]:
    """Labels or types written after a colon in a pattern that the schema does not know."""
    known = {*schema.labels, *schema.relationships, schema.sanctioned_label, ENTITY_MARKER}
    masked = mask(cypher)
    chains = re.findall(r"[(\[][^()\[\]{}]*?:\s*((?:\w+\s*\|\s*:?\s*)*\w+)", masked)
    names = [n.strip(" :") for chain in chains for n in chain.split("|")]
    return list(dict.fromkeys(n for n in names if n and n not in known))


def explain(message: str, cypher: str, schema: Schema) -> str:
    """The hint for the engine's error `message` on `cypher` (the query as the user wrote it)."""
    m = re.search(r"Table (\w+) does not exist", message) or re.search(r"Cannot bind (\w+) as a \w+ pattern label", message)
    if m:
        return _name_hint(m.group(1), cypher, schema)
    m = re.search(r"Cannot find property (\w+) for (\w+)", message)
    if m:
        prop, var = m.groups()
        per_label = (p for lab in schema.labels.values() for p in lab.properties)
        props = sorted({*schema.node_properties, *per_label, *schema.relationship_properties})
        guess = _suggest(prop, props)
        extra = f"did you mean {guess}? " if guess else ""
        return f"no property {prop} on {var}; {extra}the properties of each label and type are listed in data/schema.yaml"
    m = re.search(r"function (\w+) does not exist", message)
    if m:
        fn = m.group(1).upper()
        advice = FUNCTIONS.get(fn, f"see {DIALECT} for the functions that differ from Neo4j")
        return f"the embedded engine has no function {m.group(1).lower()}(); {advice}"
    masked = mask(cypher)
    if re.search(r"(?<![\w)\]])\[\s*\(", masked):
        advice = "use COUNT { MATCH ... } or OPTIONAL MATCH + collect"
        return f"pattern comprehensions [(a)-->(b) | ...] are not supported; {advice} (see {DIALECT})"
    if re.search(r"\w\s*\{\s*\.", masked):
        return f"map projections n{{.name}} are not supported; return {{name: n.name}} instead (see {DIALECT})"
    unknown = _unknown_names(cypher, schema)
    if unknown:
        return "; ".join(_name_hint(n, cypher, schema) for n in unknown)
    if "Parser exception" in message:
        return f"check the syntax near the caret; Neo4j-only syntax and its equivalents are listed in {DIALECT}"
    return f"see {DIALECT} for how the embedded engine's Cypher differs from Neo4j's"
