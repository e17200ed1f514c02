"""Join what was read from FtM files to the curated records: merge by identifier (or by a
reviewed decision, never by name alone), turn FtM entities and links into records with their
provenance, and say in plain words what each loaded fact claims.

The output is ordinary `Record`s, so the validator and `build_graph` treat loaded entities and
facts exactly like curated ones.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import Problem
from ..read import Record
from ..validate import columns
from .mapping import Mapping, RelationRule
from .read import FtmEntity, FtmLink, FtmRead

__all__ = ["Resolved", "dataset_source_id", "node_id", "resolve"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_QID = re.compile(r"^Q[1-9][0-9]*$")
#: a relation rule, its `_Run._details`, and per dataset: its Source's id, its title and `_templates`
_RuleOf = tuple[RelationRule, list[tuple[str, str]], dict[str, tuple[str, str, str, str, str]]]


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-") or "x"


def node_id(ftm_id: str) -> str:
    """The graph id of an FtM entity: its own id when it is already a slug, else a slug of it
    with a short hash of the original (so ids differing only in case stay apart).

    >>> node_id("ofac-12345"), node_id("NK-22AFzu")
    ('ofac-12345', 'nk-22afzu-b9ec445d')
    """
    if _SLUG.match(ftm_id):
        return ftm_id
    return f"{_slug(ftm_id)}-{hashlib.blake2b(ftm_id.encode(), digest_size=4).hexdigest()}"


@lru_cache(maxsize=4096)
def dataset_source_id(dataset: str) -> str:
    """The id of the Source entity a dataset becomes: ``us_ofac_sdn`` -> ``dataset-us-ofac-sdn``."""
    return f"dataset-{_slug(dataset)}"


@dataclass
class Resolved:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)  # FtM id -> curated id
    #: with ``direct=True``: the ids and data of the loaded (not merged) entities, and the loaded facts,
    #: which are then not among `records` (`graph.ftm.direct` builds the graph from them)
    entity_ids: list[Any] = field(default_factory=list)
    entity_data: list[dict[str, Any]] = field(default_factory=list)  # (their data less the id: the node's attributes)
    #: the same ids and data by label (the data's own, after its mapped and fixed properties), in their order
    entity_groups: dict[str, tuple[list[Any], list[dict[str, Any]]]] = field(default_factory=dict)
    #: the loaded facts' starts, ends, ids and data (the data less those three), in their order
    fact_starts: list[str] = field(default_factory=list)
    fact_ends: list[str] = field(default_factory=list)
    fact_ids: list[str] = field(default_factory=list)
    fact_data: list[dict[str, Any]] = field(default_factory=list)
    #: each key of the facts' data and its values in the facts' order (what `graph.validate.columns`
    #: makes of `fact_data`), gathered as the facts are made: the data is not read again
    fact_columns: dict[str, list[Any]] = field(default_factory=dict)


def _identifier_index(curated: list[Record], mapping: Mapping) -> dict[str, str]:
    index: dict[str, str] = {}
    for rec in curated:
        for name, (tpl, _) in mapping.identifiers.items():
            value = rec.data.get(name)
            if isinstance(value, str) and value.strip() and isinstance(rec.data.get("id"), str):
                index[tpl.format(value=value.strip())] = rec.data["id"]
    return index


def _merges(read: FtmRead, curated: list[Record], mapping: Mapping, out: Resolved) -> None:
    """Which FtM entity is which curated entity: by identifier, then by reviewed decision."""
    index = _identifier_index(curated, mapping)
    curated_ids = {r.data.get("id") for r in curated}
    for ent in read.entities.values():
        for t in ent.tokens:  # (a plain loop first: a million entities, next to none of them curated)
            if t in index:
                break
        else:
            continue
        hits = sorted({index[t] for t in ent.tokens if t in index})
        if len(hits) > 1:
            out.problems.append(
                Problem(
                    ent.file,
                    ent.line,
                    f"entity {ent.id!r}",
                    f"its identifiers match several curated entities ({', '.join(hits)}); fix their identifiers",
                )
            )
        elif hits:
            out.merged[ent.id] = hits[0]
    for d in read.decisions:
        if d.ftm_id not in read.entities:
            continue  # a decision about an entity of a file not loaded this time
        where = (d.file, d.line, f"decision {d.ftm_id} / {d.entity}")
        if d.entity not in curated_ids:
            out.problems.append(Problem(*where, f"no curated entity has the id {d.entity!r}; fix the id"))
        elif d.same and out.merged.get(d.ftm_id, d.entity) != d.entity:
            out.problems.append(Problem(*where, f"the identifiers already merge it into {out.merged[d.ftm_id]!r}; remove this decision"))
        elif not d.same and out.merged.get(d.ftm_id) == d.entity:
            out.problems.append(Problem(*where, "the identifiers say it is the same entity; fix the identifiers or remove this decision"))
        elif d.same:
            out.merged[d.ftm_id] = d.entity


def _source_record(dataset: str, mapping: Mapping, file: str, line: int) -> Record:
    known = mapping.datasets.get(dataset, {})
    data = {
        "label": mapping.dataset.label,
        "id": dataset_source_id(dataset),
        "name": known.get("title", f"FollowTheMoney dataset {dataset}"),
        "title": known.get("title", f"FollowTheMoney dataset {dataset}"),
        **mapping.dataset.fixed,
    }
    data |= {k: known[k] for k in ("publisher", "url") if k in known}
    return Record("entity", file, line, 0, data)


def _fold_into(data: dict[str, Any], ent: FtmEntity) -> dict[str, Any]:
    """A curated entity's data with what a merged FtM entity adds: its names as aliases, its
    countries, and where it was listed. The curated name, label and properties stay."""
    out = dict(data)
    known = {data.get("name"), *data.get("aliases", [])}
    extra = [n.strip() for n in ent.names if n.strip() and n.strip() not in known]
    if extra:
        out["aliases"] = [*data.get("aliases", []), *dict.fromkeys(extra)]
    for key, values in (
        ("country_codes", ent.countries),
        ("ftm_ids", [ent.id]),
        ("datasets", [dataset_source_id(d) for d in ent.datasets]),
    ):
        merged = [*out.get(key, []), *(v for v in values if v not in out.get(key, []))]
        if merged:
            out[key] = list(dict.fromkeys(merged))
    if ent.first_seen and (not out.get("first_seen") or ent.first_seen < out["first_seen"]):
        out["first_seen"] = ent.first_seen
    if ent.last_seen and (not out.get("last_seen") or ent.last_seen > out["last_seen"]):
        out["last_seen"] = ent.last_seen
    return out


def evidence(rule: RelationRule, details: dict[str, str], dataset: str, a: str, b: str, props: dict[str, Any]) -> str:
    """The loaded fact in plain words, built from the claim itself (never the list's wording):
    the rule's `evidence` phrase, then the `details` (relationship property -> word) it holds.

    >>> rule = RelationRule("T", "", "entity", evidence="{dataset} lists {b} as sanctioned by {a}")
    >>> evidence(rule, {"program": "program"}, "The SDN list", "United States", "Conviasa", {"program": "VENEZUELA-EO13884"})
    'The SDN list lists Conviasa as sanctioned by United States (program VENEZUELA-EO13884).'
    """
    text = rule.evidence.format(dataset=dataset, a=a, b=b)
    return _with_details(text, [f"{word} {props[key]}" for key, word in details.items() if props.get(key)])


def _templates(phrase: str, title: str) -> tuple[str, str, str]:
    """An evidence phrase with the dataset's title set in, as two %-templates of what
    ``phrase.format(dataset=title, a=a, b=b)`` and then `_with_details` make: with the details
    said (a third ``%s``) and without them; the first item says the order the names go in
    ("ab" or "ba"), or is "" when the phrase is not one of those plain ones (then `format` it is).

    >>> _templates("{dataset} lists {b} as sanctioned by {a} (100%)", "The SDN list")
    ('ba', 'The SDN list lists %s as sanctioned by %s (100%%) (%s).', 'The SDN list lists %s as sanctioned by %s (100%%).')
    """
    parts, order = [], ""
    try:
        fields = list(string.Formatter().parse(phrase))
    except ValueError:  # (`format` says what is wrong with it)
        return "", "", ""
    for literal, name, spec, conversion in fields:
        parts.append(literal.replace("%", "%%"))
        if name is None:
            continue
        if spec or conversion or name not in ("dataset", "a", "b"):
            return "", "", ""
        if name == "dataset":
            parts.append(title.replace("%", "%%"))
        else:
            parts.append("%s")
            order += name
    if order not in ("ab", "ba"):
        return "", "", ""
    text = "".join(parts)
    return order, f"{text} (%s).", f"{text}."


def _with_details(text: str, said: list[str]) -> str:
    return f"{text} ({', '.join(said)})." if said else f"{text}."


def resolve(read: FtmRead, curated: list[Record], mapping: Mapping, *, direct: bool = False) -> Resolved:
    """Merge FtM entities into the curated `records` and turn the rest into records.

    Returns the records to validate (curated ones updated by merges, then loaded ones), the
    problems (conflicting identifiers or decisions, links to entities no file holds) and notes
    (schemata the mapping does not name, links to them, sanctions without an authority).
    With `direct`, the loaded entities and facts come as their data alone (`Resolved.entity_data`,
    `Resolved.fact_data`): the same data the records would hold, in the same order.
    """
    out = Resolved()
    _merges(read, curated, mapping, out)
    run = _Run(read, mapping, out, direct)
    run.curated(curated)
    run.entities()
    run.links(read.links)
    out.records += run.authorities.values()
    out.records += [_source_record(ds, mapping, f, n) for ds, (f, n) in sorted(run.datasets.items())]
    out.notes += run.notes()
    return out


class _Run:
    """The state of one resolve: graph ids and names so far, datasets met, counts of what was left out."""

    def __init__(self, read: FtmRead, mapping: Mapping, out: Resolved, direct: bool = False) -> None:
        self.read, self.mapping, self.out, self.direct = read, mapping, out, direct
        #: FtM id -> (graph id, name): one lookup per end of a link, not one for its id and one
        #: for its name (each a likely cache miss among millions of entities)
        self.ends: dict[str, tuple[str, str]] = {}
        self.names: dict[str, str] = {}  # graph id -> name (of the curated entities and the authorities made)
        self.iso3: dict[str, str] = {}  # curated States by iso3
        self.datasets: dict[str, tuple[str, int]] = {}  # dataset -> where first met
        self.authorities: dict[str, Record] = {}
        self.skipped_links = 0
        self.no_authority = 0
        self.details_of: dict[int, list[tuple[str, str]]] = {}  # id(rule) -> `_details`

    def curated(self, curated: list[Record]) -> None:
        merged_into: dict[str, list[FtmEntity]] = {}
        for fid, into in self.out.merged.items():
            merged_into.setdefault(into, []).append(self.read.entities[fid])
        for rec in curated:
            d = rec.data
            cid = d.get("id")
            if rec.kind == "entity" and isinstance(cid, str):
                if cid in merged_into:
                    data = d
                    for ent in merged_into[cid]:
                        data = _fold_into(data, ent)
                    rec = Record(rec.kind, rec.file, rec.line, rec.index, data, rec.text)
                self.names[cid] = str(d.get("name", cid))
                code = d.get(self.mapping.state_property)
                if isinstance(code, str):
                    self.iso3[code] = cid
            self.out.records.append(rec)
        names = self.names
        self.ends.update((fid, (cid, names.get(cid, cid))) for fid, cid in self.out.merged.items())

    def entities(self) -> None:
        """Each loaded entity (not merged) as its data. One loop with its lookups in locals: the
        data is made here, in this order, with no call per entity."""
        ends, names, datasets, merged, mapping = self.ends, self.names, self.datasets, self.out.merged, self.mapping
        direct = self.direct
        add_id, add = self.out.entity_ids.append, self.out.entity_data.append
        groups = self.out.entity_groups
        fixed_of = {schema: rule.fixed for schema, rule in mapping.entities.items()}
        is_slug, is_qid = _SLUG.match, _QID.match
        source_ids: dict[str, str] = {}  # dataset -> `dataset_source_id`
        for ent in self.read.entities.values():
            eid = ent.id
            if eid in merged:
                for ds in ent.datasets:
                    if ds not in datasets:
                        datasets[ds] = (ent.file, ent.line)
                continue
            found = []  # its names, stripped, blanks left out
            for n in ent.names:
                n = n.strip()
                if n:
                    found.append(n)
            if len(found) > 1:
                found = list(dict.fromkeys(found))
            name = found[0] if found else ent.props.get("registration") or eid
            gid = eid if is_slug(eid) else node_id(eid)
            data: dict[str, Any] = {"label": ent.label, "id": gid, "name": name}
            if len(found) > 1:
                data["aliases"] = found[1:]
            fixed = fixed_of[ent.schema]
            if fixed:
                data |= fixed
            if ent.props:
                data |= ent.props
            countries = ent.countries
            if countries:
                data["country_codes"] = countries if len(countries) == 1 else list(dict.fromkeys(countries))
            if ent.wikidata_id and is_qid(ent.wikidata_id):
                data["wikidata_id"] = ent.wikidata_id
            data["ftm_ids"] = [eid]
            data["ftm_schema"] = ent.schema
            sources = []
            for ds in ent.datasets:
                sid = source_ids.get(ds)
                if sid is None:  # (a dataset met for the first time: where it was met too)
                    sid = source_ids[ds] = dataset_source_id(ds)
                    if ds not in datasets:
                        datasets[ds] = (ent.file, ent.line)
                sources.append(sid)
            data["datasets"] = sources
            if ent.first_seen:
                data["first_seen"] = ent.first_seen
            if ent.last_seen:
                data["last_seen"] = ent.last_seen
            if direct:  # its id apart, and the data in its label's group (a mapped or fixed property may be called so)
                gid, name, label = data.pop("id"), data["name"], data["label"]
                add_id(gid)
                add(data)
                group = groups.get(label)
                if group is None:
                    group = groups[label] = ([], [])
                group[0].append(gid)
                group[1].append(data)
            else:
                gid, name = data["id"], data["name"]
            ends[eid] = (gid, name)
            if gid in names:  # (`names` is read for the curated sanctioning States and the authorities made
                names[gid] = name  # later: a loaded entity's name matters only where its id is one of them)
            if not direct:
                self.out.records.append(Record("entity", ent.file, ent.line, ent.line, data))

    def links(self, links: list[FtmLink]) -> None:
        """Each link as a fact (or a problem, or counted as left out), in their order. One loop
        with its lookups held in locals: there are millions of links."""
        ends, names, unmapped, mapping = self.ends, self.names, self.read.unmapped_ids, self.mapping
        sanction, relations, source_property = mapping.sanction, mapping.relations, mapping.source_property
        datasets = self.datasets
        # each rule, its `_details`, and per dataset what its facts say of it: its Source's id,
        # its title and the rule's `_templates` of it (made when the rule meets it first)
        sanction_of: _RuleOf = (sanction, self._details(sanction), {})
        rule_of: dict[str, _RuleOf] = {schema: (rule, self._details(rule), {}) for schema, rule in relations.items()}
        # (authority, countries) -> `_sanctioner` and its name
        sanctioners: dict[tuple[str | None, tuple[str, ...]], tuple[str, str] | None] = {}
        is_slug = _SLUG.match
        direct, out = self.direct, self.out
        # with `direct`, each fact's ends, id and data go to lists, and its values to their columns
        # as it is made (`Resolved.fact_columns`); a mapped property called as a key the loop
        # writes itself would be written twice: then the columns are made of the data at the end
        add_start, add_end, add_id, add_data = out.fact_starts.append, out.fact_ends.append, out.fact_ids.append, out.fact_data.append
        own_keys = {"type", source_property, "locator", "first_seen", "last_seen", "source_url", "evidence"}
        gather = direct and not any(own_keys & set(rule.properties.values()) for rule in (sanction, *relations.values()))
        col: defaultdict[str, list[Any]] = defaultdict(list)
        add_type, add_source, add_locator = col["type"].append, col[source_property].append, col["locator"].append
        add_first, add_last, add_url = col["first_seen"].append, col["last_seen"].append, col["source_url"].append
        add_evidence = col["evidence"].append
        for link in links:
            source, target = link.source, link.target
            if unmapped and (target in unmapped or source in unmapped):
                self.skipped_links += 1
                continue
            to = ends.get(target)
            start_name = ends.get(source) if source is not None else None
            if to is None or (source is not None and start_name is None):
                rule = sanction if source is None else relations[link.schema]
                missing = source if source is not None and start_name is None else target
                prop = rule.source if missing == source else rule.target
                what = f"{prop!r} refers to {missing!r}, which no loaded file holds; load the file that lists it"
                self.out.problems.append(Problem(link.file, link.line, f"entity {link.id!r}", what))
                continue
            if source is None:
                rule, details, of_dataset = sanction_of
                known = (link.authority, tuple(link.countries))
                if known in sanctioners:
                    start_name = sanctioners[known]
                else:
                    made = self._sanctioner(link)
                    start_name = sanctioners[known] = None if made is None else (made, names.get(made, made))
                if start_name is None:
                    self.no_authority += 1
                    continue
            else:
                rule, details, of_dataset = rule_of[link.schema]
            assert start_name is not None
            (start, a), (end, b) = start_name, to
            props = link.props
            said = ""  # the details it gives in words, once for all its datasets (a loop: a comprehension is a call in Python 3.11)
            if details:
                words = []
                for key, word in details:
                    value = props.get(key)
                    if value:
                        words.append(f"{word} {value}")
                said = ", ".join(words)
            lid = link.id
            base, one = lid if is_slug(lid) else node_id(lid), len(link.datasets) == 1
            for ds in link.datasets:
                known_ds = of_dataset.get(ds)
                if known_ds is None:
                    title = mapping.datasets.get(ds, {}).get("title", f"The dataset {ds}")
                    known_ds = of_dataset[ds] = (dataset_source_id(ds), title, *_templates(rule.evidence, title))
                    if ds not in datasets:
                        datasets[ds] = (link.file, link.line)
                sid, title, order, with_said, without = known_ds
                fid = base if one else f"{base}--{_slug(ds)}"
                if order == "ab":  # (`_with_details` of the phrase's `format`, as one % each)
                    evidence = with_said % (a, b, said) if said else without % (a, b)
                elif order == "ba":
                    evidence = with_said % (b, a, said) if said else without % (b, a)
                else:
                    text = rule.evidence.format(dataset=title, a=a, b=b)
                    evidence = f"{text} ({said})." if said else f"{text}."
                if direct:  # its ends and id apart (`graph.ftm.direct`): the data less them is the edge's attributes
                    data: dict[str, Any] = {"type": link.type, **props, source_property: sid, "locator": lid}
                else:
                    data = {"type": link.type, "from": start, "to": end, "id": fid}
                    data |= {**props, source_property: sid, "locator": lid}
                if link.first_seen:
                    data["first_seen"] = link.first_seen
                if link.last_seen:
                    data["last_seen"] = link.last_seen
                if link.source_url:
                    data["source_url"] = link.source_url
                data["evidence"] = evidence
                if not direct:
                    out.records.append(Record("fact", link.file, link.line, link.line, data))
                    continue
                add_start(start)
                add_end(end)
                add_id(fid)
                add_data(data)
                if gather:  # the values as they went into `data`, key by key
                    add_type(link.type)
                    for key, value in props.items():
                        col[key].append(value)
                    add_source(sid)
                    add_locator(lid)
                    if link.first_seen:
                        add_first(link.first_seen)
                    if link.last_seen:
                        add_last(link.last_seen)
                    if link.source_url:
                        add_url(link.source_url)
                    add_evidence(evidence)
        if direct:
            out.fact_columns = {k: vs for k, vs in col.items() if vs} if gather else columns(out.fact_data)

    def _details(self, rule: RelationRule) -> list[tuple[str, str]]:
        """The mapping's `details` (property, word) that facts of `rule` can hold, in their order: a
        fact's properties are those of its rule's `properties`, so `evidence` finds no other."""
        found = self.details_of.get(id(rule))
        if found is None:
            can = set(rule.properties.values())
            found = self.details_of[id(rule)] = [(k, w) for k, w in self.mapping.details.items() if k in can]
        return found

    def _sanctioner(self, link: FtmLink) -> str | None:
        """The entity that imposed a Sanction: the curated State of its country, else an
        Institution named after its authority (made once per authority)."""
        for country in link.countries:
            state = self.iso3.get(self.mapping.countries.get(country, ""))
            if state:
                return state
        countries = ", ".join(c.upper() for c in link.countries)
        label = link.authority or (f"Sanctions authority ({countries})" if countries else None)
        if not label:
            return None
        aid = f"authority-{_slug(label)}"
        if aid not in self.authorities:
            made = self.mapping.authority
            data: dict[str, Any] = {"label": made.label, "id": aid, "name": label, **made.fixed, "ftm_schema": link.schema}
            if link.countries:
                data["country_codes"] = list(dict.fromkeys(link.countries))
            self.authorities[aid] = Record("entity", link.file, link.line, link.line, data)
            self.names[aid] = label
        return aid

    def notes(self) -> list[str]:
        notes = []
        unmapped = self.read.unmapped
        if unmapped:
            listed = ", ".join(f"{s} ({n:,})" for s, n in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])))
            notes.append(
                f"{sum(unmapped.values()):,} FollowTheMoney entities of schemata the mapping does not name were left out: {listed}; "
                f"map them in {self.mapping.path.name} to load them"
            )
        if self.skipped_links:
            notes.append(f"{self.skipped_links:,} FollowTheMoney relations point at those entities and were left out too")
        if self.no_authority:
            notes.append(f"{self.no_authority:,} Sanction entities name neither a country nor an authority and were left out")
        if self.out.merged:
            notes.append(f"{len(self.out.merged):,} FollowTheMoney entities merged into curated ones (identifiers or reviewed decisions)")
        return notes
