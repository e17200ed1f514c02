"""The loaded graph held to followthemoney's own reading of the same file: what each node and
relationship must hold is taken from the library's entity API (`model.get_proxy`: its ids,
schemata, values, countries, and each edge schema's own source and target properties), never
from our reader, so a fast reader that drops, mixes up or misreads a value fails here.

The synthetic file of bench/bench_ftm.py is the plain case `graph.load` takes the fast way
(`graph.ftm.direct`); the fixture has merges, an unknown schema and two files (the general way
for some of it): the entities it does not merge are held to the library the same way.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

import graph
from graph.ftm.direct import load_direct
from graph.ftm.mapping import load_mapping
from graph.ftm.resolve import dataset_source_id, node_id
from graph.locations import data_dir
from graph.schema import load_schema

from .conftest import MAIN, require_followthemoney

ROOT = Path(__file__).resolve().parents[2]
NAME_PROPERTIES = ("name", "alias", "weakAlias", "previousName")


def _read_by_the_library(path: Path) -> Iterator[tuple[dict[str, Any], Any]]:
    """Each line as the json module reads it (for OpenSanctions' own fields: datasets, dates)
    and as followthemoney's proxy."""
    require_followthemoney()
    from followthemoney import model

    for text in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(text)
        yield raw, model.get_proxy(raw)


def _nodes_of_ftm_ids(G: nx.MultiDiGraph) -> dict[str, str]:
    """FtM id -> the node that lists it in its provenance (`ftm_ids`)."""
    return {i: n for n, d in G.nodes(data=True) for i in d.get("ftm_ids", ())}


def _check_against_the_library(G: nx.MultiDiGraph, path: Path, *, merged: frozenset[str] = frozenset()) -> dict[str, int]:
    """Every mapped entity and relation of `path` (less the entities of the `merged` FtM ids)
    in `G` as the library reads it; returns how many of each were checked."""
    mapping = load_mapping()
    where = _nodes_of_ftm_ids(G)
    checked = {"entities": 0, "relations": 0, "sanctions": 0}
    states = {d["iso3"]: n for n, d in G.nodes(data=True) if d.get("label") == "State" and "iso3" in d}
    for raw, proxy in _read_by_the_library(path):
        schema = proxy.schema.name
        datasets = [dataset_source_id(d) for d in raw.get("datasets") or [path.name.split(".")[0]]]
        if schema in mapping.entities and proxy.id not in merged:
            node = G.nodes[node_id(proxy.id)]
            assert node["label"] == mapping.entities[schema].label
            assert node["ftm_schema"] == schema and node["ftm_ids"] == [proxy.id]
            names = [n.strip() for n in ([raw["caption"]] if raw.get("caption") else []) + [v for p in NAME_PROPERTIES for v in proxy.get(p)]]
            assert [node["name"], *node.get("aliases", [])] == list(dict.fromkeys(n for n in names if n))
            assert set(node.get("country_codes", [])) == set(proxy.countries)
            for ftm_prop, prop in mapping.entities[schema].properties.items():
                assert node.get(prop) == proxy.first(ftm_prop), (proxy.id, prop)
            assert node["datasets"] == datasets
            for seen in ("first_seen", "last_seen"):
                assert node.get(seen) == (raw[seen][:10] if raw.get(seen) else None)
            checked["entities"] += 1
        elif proxy.schema.edge and schema in mapping.relations:
            rule = mapping.relations[schema]
            start, end = proxy.first(proxy.schema.source_prop.name), proxy.first(proxy.schema.target_prop.name)
            key = node_id(proxy.id) if len(datasets) == 1 else f"{node_id(proxy.id)}--{datasets[0].removeprefix('dataset-')}"
            edge = G.edges[where[start], where[end], key]
            assert edge["type"] == rule.type and edge["locator"] == proxy.id
            assert edge["source_id"] == datasets[0]
            for ftm_prop, prop in rule.properties.items():
                assert edge.get(prop) == proxy.first(ftm_prop), (proxy.id, prop)
            checked["relations"] += 1
        elif schema == "Sanction":
            target = where[proxy.first("entity")]
            (start,) = [u for u, _, k in G.in_edges(target, keys=True) if k == node_id(proxy.id)]
            edge = G.edges[start, target, node_id(proxy.id)]
            assert edge["type"] == "SANCTIONED" and edge["locator"] == proxy.id
            assert edge.get("sanction_program") == proxy.first("program") and edge.get("start_date") == proxy.first("startDate")
            state = states.get(mapping.countries.get(proxy.first("country") or "", ""))
            assert start == state if state else G.nodes[start]["name"] == proxy.first("authority")
            assert G.nodes[target]["sanctioned"] is True and start in G.nodes[target]["sanctioned_by"]
            checked["sanctions"] += 1
    return checked


def test_the_synthetic_file_loads_as_followthemoney_reads_it(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_ftm import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    src = tmp_path / "synthetic.ftm.json"
    counts = generate(src, 3_000, 6_000)
    assert load_direct([data_dir(), src], load_schema()) is not None, "the synthetic file is the plain case: the fast way takes it"
    G = graph.load(data_dir(), src)
    checked = _check_against_the_library(G, src)
    assert checked == {
        "entities": sum(n for s, n in counts.items() if s in load_mapping().entities),
        "relations": sum(n for s, n in counts.items() if s in load_mapping().relations),
        "sanctions": counts["Sanction"],
    }
    loaded = {n for n, d in G.nodes(data=True) if "ftm_ids" in d}
    assert loaded == {node_id(p.id) for _, p in _read_by_the_library(src) if p.schema.name in load_mapping().entities}
    assert _nodes_of_ftm_ids(G) == {p.id: node_id(p.id) for _, p in _read_by_the_library(src) if p.schema.name in load_mapping().entities}


def test_the_fixture_entities_not_merged_load_as_followthemoney_reads_them() -> None:
    G = graph.load(data_dir(), MAIN)
    merged = frozenset(i for i, n in _nodes_of_ftm_ids(G).items() if n != node_id(i))
    checked = _check_against_the_library(G, MAIN, merged=merged)
    assert merged and checked["entities"] and checked["relations"] and checked["sanctions"]
