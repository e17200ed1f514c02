"""The fast way to load FollowTheMoney files: node and edge attributes straight from the mapped
data, checked a column at a time, with no record, typed entity or per-value check in between.

`graph.load` tries it first when FtM files are among its paths. The FtM data is the very data
the general way (`graph.build.load_records`: records, `validate`, `build_graph`) would hold in
its records (`graph.ftm.resolve` makes both); what differs is only how it is checked and built:

- each label's entities, and the facts, a column at a time (`graph.validate.columns_accepted`:
  every value one its quick test keeps as it is, every required property given);
- the ids unique, every relation's ends and references present with labels the schema allows,
  asked of sets and dicts, not record by record;
- node attributes are the data less its id, edge attributes the data `resolve` gives apart from
  the fact's ends and id: what `build_graph` makes of values that validation keeps as they are.

The curated records, the merged ones and the Sources and authorities the loader makes go the
general way (`validate_records`, `node_items`). At the first thing that is not the plain case (a
problem of any file, a value the quick tests do not take, a duplicate id, a reference to check
record by record) it gives up and returns None, and `load` goes the general way, which finds and
words every problem: so the problems, their order and their wording never depend on this module.
tests/ftm/test_direct.py holds the two ways to the same graph, node by node and edge by edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import Any

import networkx as nx

from ..build import assemble, edge_items, node_items
from ..model import LABEL, TYPE, model_of
from ..read import Record, data_files, read_files
from ..schema import Schema
from ..validate import columns, columns_accepted, validate_records
from .mapping import load_mapping
from .read import is_ftm_file
from .resolve import resolve

__all__ = ["load_direct"]

#: What a record's data holds besides its properties (`graph.validate`'s record keys).
_NOT_PROPERTIES = frozenset({LABEL, TYPE, "from", "to"})


def load_direct(paths: Iterable[str | Path], schema: Schema) -> nx.MultiDiGraph | None:
    """The graph of `paths` built the fast way, or None when it does not apply (no FtM file) or
    anything is not the plain case; then the general way must run (it raises what is wrong)."""
    files, problems = data_files(paths)
    if problems or not any(is_ftm_file(f) for f in files):
        return None
    curated, ftm, problems = read_files(files)
    if problems:
        return None
    mapping = load_mapping()
    key = model_of(schema).key
    if any({TYPE, "from", "to", key} & set(rule.properties.values()) for rule in (mapping.sanction, *mapping.relations.values())):
        return None  # a loaded property that would stand for a fact's type, end or id: not the plain case
    from . import read_ftm  # the package's reader (decision files too)

    read = read_ftm(ftm, mapping)
    if read.problems:
        return None
    done = resolve(read, curated, mapping, direct=True)
    if done.problems:
        return None
    return _build(done.records, len(curated), done.entity_data, done.fact_data, done.notes, schema)


def _build(
    records: list[Record],
    n_curated: int,
    entity_data: list[dict[str, Any]],
    fact_data: list[tuple[str, str, str, dict[str, Any]]],
    notes: list[str],
    schema: Schema,
) -> nx.MultiDiGraph | None:
    model = model_of(schema)
    key = model.key
    entities, facts, problems = validate_records(records, schema)
    if problems or len(entities) != sum(1 for r in records if r.kind == "entity"):
        return None
    # the checks `validate_records` would make of the loaded data, a column at a time
    by_label: dict[str, list[dict[str, Any]]] = {}
    for d in entity_data:
        by_label.setdefault(d[LABEL], []).append(d)
    labels = {e.id: e.label for e in entities}
    for label, datas in by_label.items():
        cols = columns(datas)
        ids = cols.get(key, ())
        if len(ids) != len(datas):  # an entity without its id
            return None
        if cols.keys() & _NOT_PROPERTIES - {LABEL}:  # keys the general way leaves out of the properties
            return None
        if not columns_accepted(schema, len(datas), cols, label):
            return None
        labels.update(dict.fromkeys(ids, label))
    if len(labels) != len(entities) + len(entity_data):  # a duplicate id
        return None
    # `resolve` writes each entity's data label first: the data less its id is the attribute dict of the general way
    if not all(map(LABEL.__eq__, map(next, map(iter, entity_data)))):
        return None
    if fact_data:
        starts, ends, fids, datas = map(list, zip(*fact_data, strict=True))
        # each fact's type first (then its properties, as the general way orders them)
        if not all(map(TYPE.__eq__, map(next, map(iter, datas)))):
            return None
        cols = columns(datas)
        if key in cols or "from" in cols or "to" in cols or LABEL in cols:
            return None  # (`load_direct` made sure no loaded property is one of these)
        cols[key] = fids
        types = cols.get(TYPE, [])
        if len(types) != len(datas) or {*map(type, types)} != {str}:
            return None
        if not columns_accepted(schema, len(datas), cols, None):
            return None
        fact_ids = {f.id for f in facts}
        fact_ids.update(fids)
        if len(fact_ids) != len(facts) + len(fids):
            return None
        if not _references_hold(schema, starts, ends, types, cols, labels):
            return None
    # the order of the general way: curated entities, loaded ones, then those the loader made
    n_entities = sum(1 for r in records[:n_curated] if r.kind == "entity")
    loaded_nodes = [(d.pop(key), d) for d in entity_data]
    nodes = chain(node_items(model, entities[:n_entities]), loaded_nodes, node_items(model, entities[n_entities:]))
    edges = edge_items(model, facts)
    edges += fact_data
    G = assemble(nodes, edges, schema, ends_are_nodes=True)  # (`labels` holds every node's id, and every end is among them)
    if notes:  # what the FollowTheMoney reader left out, said once (graph.ftm)
        G.graph["notes"] = "\n".join(notes)
    return G


def _references_hold(
    schema: Schema, starts: list[Any], ends: list[Any], types: list[str], cols: dict[str, list[Any]], labels: dict[str, str]
) -> bool:
    """True when every loaded fact's type is declared, its ends and references are entities, and
    their labels are those the schema allows (what `graph.validate`'s reference check asks), asked
    of columns: the distinct (start label, type, end label) triples, the distinct references."""
    if {*map(type, starts), *map(type, ends)} != {str}:
        return False
    try:  # (an end that is no entity: KeyError; no set of all the ends first, one pass less over millions)
        triples = set(zip(map(labels.__getitem__, starts), types, map(labels.__getitem__, ends), strict=True))
    except KeyError:
        return False
    rels = schema.relationships
    for s, rtype, t in triples:
        rel = rels.get(rtype)
        if rel is None or s not in rel.sources or t not in rel.targets:
            return False
    for name, prop in schema.relationship_properties.items():
        if prop.type != "ref" or name not in cols:
            continue
        targets = set(cols[name])  # strings: the column check asked
        if not labels.keys() >= targets or (prop.labels and not {labels[t] for t in targets} <= set(prop.labels)):
            return False
    return True
