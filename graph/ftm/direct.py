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
from ..read import data_files, read_files
from ..schema import Schema
from ..validate import columns, columns_accepted, validate_records
from .mapping import load_mapping
from .read import is_ftm_file
from .resolve import Resolved, resolve

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
    return _build(done, len(curated), schema)


def _build(done: Resolved, n_curated: int, schema: Schema) -> nx.MultiDiGraph | None:
    records, entity_data, notes = done.records, done.entity_data, done.notes
    model = model_of(schema)
    key = model.key
    entities, facts, problems = validate_records(records, schema)
    if problems or len(entities) != sum(1 for r in records if r.kind == "entity"):
        return None
    # the checks `validate_records` would make of the loaded data, a column at a time; `resolve`
    # writes each entity's data label first, and gives it less its id: the node's attributes of
    # the general way
    if key != "id":
        return None  # (`resolve` names the id so)
    labels = {e.id: e.label for e in entities}
    for label, (ids, datas) in done.entity_groups.items():
        cols = columns(datas)
        if cols.keys() & _NOT_PROPERTIES - {LABEL} or key in cols:  # keys the general way leaves out of the properties
            return None
        cols[key] = ids
        if not columns_accepted(schema, len(datas), cols, label):
            return None
        labels.update(dict.fromkeys(ids, label))
    if len(labels) != len(entities) + len(entity_data):  # a duplicate id
        return None
    starts, ends, fids, datas = done.fact_starts, done.fact_ends, done.fact_ids, done.fact_data
    types: list[str] = []
    if datas:
        # `resolve` writes each fact's type first (then its properties, as the general way orders
        # them), and gives the data's columns as it made them
        cols = dict(done.fact_columns)
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
    loaded_nodes = zip(done.entity_ids, entity_data, strict=True)
    nodes = chain(node_items(model, entities[:n_entities]), loaded_nodes, node_items(model, entities[n_entities:]))
    edges = edge_items(model, facts)
    edge_types: list[object] = [data.get(TYPE) for *_, data in edges]  # (the few curated facts)
    edges += zip(starts, ends, fids, datas, strict=True)
    edge_types += types
    # (`labels` holds every node's id, and every end is among them)
    G = assemble(nodes, edges, schema, ends_are_nodes=True, types=edge_types)
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
