"""Which loaded FollowTheMoney entity may be which curated entity: candidates with scores, for a
person to review. Nothing here merges anything: a merge happens on load, by a shared identifier
or by a reviewed decision in a `*decisions.yaml` file (`data/match-decisions.yaml`).

The score compares every name and alias of one side with every name and alias of the other
(whole names, so "Conviasa Regional" is not "Conviasa": a name-only token-set score calls them
equal), then weighs what else both records say: a country both name (or none in common), a
label that fits (or not), and identifiers of the same kind that differ (then they are not the
same, whatever the names).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ValidationError
from .ftm import is_decisions_file, is_ftm_file, load_mapping, read_ftm
from .ftm.read import FtmEntity
from .ftm.resolve import resolve
from .locations import data_dir
from .read import data_files, read_paths

__all__ = ["Candidate", "match", "name_similarity", "score"]

#: Words that say what kind of body a name is, not which one: left out when names are compared.
_NOISE = frozenset(
    "s a sa ca c v cv ltd llc inc co corp corporation company compania de del la el los las y and of the".split()  # noqa: SIM905
)
#: Labels that may name the same kind of body (a list's Company may be a curated Institution);
#: a list's LegalEntity may be any legal person, a State included.
_BODIES = frozenset({"Company", "Institution", "LegalEntity"})
_LEGAL = frozenset({*_BODIES, "State", "Person"})
_WORD = re.compile(r"[a-z0-9]+")


def _tokens(name: str) -> tuple[str, ...]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return tuple(t for t in _WORD.findall(folded) if t not in _NOISE)


def name_similarity(a: str, b: str) -> float:
    """How alike two whole names are, 0 to 1: the mean of the share of words they have in common
    (Dice) and the similarity of their letters; accents, case and legal forms do not count.

    >>> name_similarity("CONVIASA", "Conviasa"), round(name_similarity("Conviasa Regional", "Conviasa"), 2)
    (1.0, 0.65)
    """
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    common = len(set(ta) & set(tb))
    dice = 2 * common / (len(set(ta)) + len(set(tb)))
    letters = difflib.SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio()
    return (dice + letters) / 2


@dataclass(frozen=True)
class Side:
    """What one record says about itself: names, label, countries and identifiers."""

    names: tuple[str, ...]
    label: str
    countries: frozenset[str]
    identifiers: dict[str, str]


def score(a: Side, b: Side) -> tuple[float, str]:
    """The score of a pair (0 to 1) and the reasons, in words.

    >>> curated = Side(("Conviasa",), "Company", frozenset({"ve"}), {})
    >>> score(Side(("Conviasa Regional",), "Company", frozenset({"ve"}), {}), curated)
    (0.69, 'best names: Conviasa Regional ~ Conviasa (0.65); same country (ve)')
    """
    pair_labels = {a.label, b.label}
    if a.label != b.label and not pair_labels <= _BODIES and not ("LegalEntity" in pair_labels and pair_labels <= _LEGAL):
        return 0.0, f"labels {a.label} and {b.label} cannot be the same entity"
    for kind, ident in a.identifiers.items():
        if kind in b.identifiers and b.identifiers[kind] != ident:
            return 0.0, f"different {kind} ({ident} / {b.identifiers[kind]})"
    best, pair = max(((name_similarity(x, y), (x, y)) for x in a.names for y in b.names), default=(0.0, ("", "")))
    reasons = [f"best names: {pair[0]} ~ {pair[1]} ({best:.2f})"]
    value: float = best
    if a.countries and b.countries:
        if a.countries & b.countries:
            value += 0.1 * (1 - value)  # a tenth of the way to certain
            reasons.append(f"same country ({', '.join(sorted(a.countries & b.countries))})")
        else:
            value *= 0.5
            reasons.append(f"no country in common ({', '.join(sorted(a.countries))} / {', '.join(sorted(b.countries))})")
    if a.label != b.label:
        value *= 0.9
        reasons.append(f"labels differ ({a.label} / {b.label})")
    return round(min(value, 1.0), 2), "; ".join(reasons)


@dataclass(frozen=True)
class Candidate:
    """One pair to review: `status` is merged (identifier or decision), rejected (decision no) or suggested."""

    ftm_id: str
    ftm_name: str
    ftm_schema: str
    entity: str
    entity_name: str
    score: float
    status: str
    why: str


def _curated_side(d: dict[str, Any], identifiers: Iterable[str]) -> Side:
    names = (str(d.get("name", "")), *d.get("aliases", []))
    return Side(names, str(d.get("label")), frozenset(d.get("country_codes", [])), {k: d[k] for k in identifiers if d.get(k)})


def _ftm_side(ent: FtmEntity) -> Side:
    ids = {"wikidata_id": ent.wikidata_id} if ent.wikidata_id else {}
    return Side(tuple(ent.names), ent.label, frozenset(ent.countries), ids)


def match(*paths: str | Path, threshold: float = 0.5) -> list[Candidate]:
    """Candidate pairs (loaded FtM entity, curated entity) under `paths`, best first per entity.

    Lists the merges that happened (by identifier or by decision) with their score too, the
    pairs a decision rejected, and every other pair scoring at least `threshold`. Raises
    `ValidationError` when the files have problems.

    >>> fixture = data_dir().parent / "tests/ftm/fixtures/sanctions.ftm.json"
    >>> [(c.ftm_id, c.entity, c.status) for c in match(data_dir(), fixture) if c.entity == "conviasa"]
    [('fixture-conviasa', 'conviasa', 'merged (decision)'), ('fixture-conviasa-regional', 'conviasa', 'suggested')]
    """
    mapping = load_mapping()
    files, problems = data_files(paths or [data_dir()])
    ftm_files = [f for f in files if is_ftm_file(f) or is_decisions_file(f)]
    curated, more = read_paths([f for f in files if f not in ftm_files]) if len(ftm_files) < len(files) else ([], [])
    read = read_ftm(ftm_files, mapping)
    done = resolve(read, curated, mapping)
    problems += more + read.problems + done.problems
    if problems:
        raise ValidationError(problems)
    entities = {r.data["id"]: r.data for r in curated if r.kind == "entity" and r.data.get("label") != "Source"}
    sides = {cid: _curated_side(d, mapping.identifiers) for cid, d in entities.items()}
    by_token: dict[str, set[str]] = {}
    for cid, side in sides.items():
        for name in side.names:
            for t in _tokens(name):
                by_token.setdefault(t, set()).add(cid)
    rejected = {(d.ftm_id, d.entity) for d in read.decisions if not d.same}
    decided = {(d.ftm_id, d.entity) for d in read.decisions if d.same}
    out: list[Candidate] = []
    for ent in read.entities.values():
        side = _ftm_side(ent)
        pool = {cid for name in side.names for t in _tokens(name) for cid in by_token.get(t, ())}
        pool |= {e for f, e in rejected if f == ent.id} | ({done.merged[ent.id]} if ent.id in done.merged else set())
        rows = []
        for cid in pool & sides.keys():
            value, why = score(side, sides[cid])
            if done.merged.get(ent.id) == cid:
                status = "merged (decision)" if (ent.id, cid) in decided else "merged (identifier)"
            elif (ent.id, cid) in rejected:
                status = "rejected (decision)"
            elif value >= threshold:
                status = "suggested"
            else:
                continue
            rows.append(
                Candidate(
                    ent.id, side.names[0] if side.names else ent.id, ent.schema, cid, str(entities[cid].get("name")), value, status, why
                )
            )
        out += sorted(rows, key=lambda c: (-c.score, c.entity))
    return out
