"""The fast way of loading FtM files (`graph.ftm.direct`) makes the very graph of the general way
(records, `validate`, `build_graph`), compared node by node and edge by edge with networkx; and
where the general way finds a problem, the fast way gives up, so `graph.load` reports the same."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import graph
from graph.build import load_records
from graph.errors import ValidationError
from graph.ftm import read_ftm
from graph.ftm.direct import load_direct
from graph.ftm.mapping import Mapping, load_mapping
from graph.ftm.resolve import resolve
from graph.locations import data_dir
from graph.read import data_files, read_files
from graph.schema import load_schema
from graph.validate import columns

from .conftest import MAIN, OTHER

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"


def assert_same_graph(fast: nx.MultiDiGraph, general: nx.MultiDiGraph) -> None:
    """Equal as networkx sees graphs, and in every order a reader of the graph can see."""
    assert fast.graph == general.graph
    assert list(fast.nodes(data=True)) == list(general.nodes(data=True))
    assert list(fast.edges(keys=True, data=True)) == list(general.edges(keys=True, data=True))
    for n in general:  # adjacency order, both ways
        assert list(fast.succ[n]) == list(general.succ[n]) and list(fast.pred[n]) == list(general.pred[n])
    assert nx.utils.graphs_equal(fast, general)
    for (_, a), (_, b) in zip(fast.nodes(data=True), general.nodes(data=True), strict=True):  # 1 == 1.0 == True: the types too
        assert [type(v) for v in a.values()] == [type(v) for v in b.values()], a
    for (*_, a), (*_, b) in zip(fast.edges(keys=True, data=True), general.edges(keys=True, data=True), strict=True):
        assert [type(v) for v in a.values()] == [type(v) for v in b.values()], a


def _both(*paths: Path) -> tuple[nx.MultiDiGraph | None, nx.MultiDiGraph | None, list[tuple[str, int, str]] | None]:
    """(fast graph or None, general graph or None, the general way's problems or None)."""
    schema = load_schema()
    fast = load_direct(list(paths), schema)
    try:
        return fast, load_records(list(paths), schema), None
    except ValidationError as exc:
        return fast, None, [(p.file, p.line, p.message) for p in exc.problems]


@pytest.mark.parametrize(
    "paths",
    [
        pytest.param([data_dir(), MAIN, OTHER], id="curated-data-and-both-fixtures"),
        pytest.param([data_dir(), MAIN], id="curated-data-and-the-fixture"),
        pytest.param([MINI, MAIN.parent], id="mini-data-and-the-fixture-folder"),
    ],
)
def test_the_fast_way_makes_the_graph_of_the_general_way(paths: list[Path]) -> None:
    fast, general, problems = _both(*paths)
    assert problems is None and general is not None
    assert fast is not None, "the fixture is the plain case: the fast way must take it"
    assert_same_graph(fast, general)
    assert general.graph.get("notes")  # the unknown schema of the fixture is reported either way


def _synthetic(tmp_path: Path, entities: int, relations: int) -> Path:
    """A synthetic FtM file made by the benchmark's generator (bench/bench_ftm.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_ftm import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    src = tmp_path / "synthetic.ftm.json"
    generate(src, entities, relations)
    return src


def test_the_fast_way_makes_the_graph_of_the_general_way_on_the_synthetic_file(tmp_path: Path) -> None:
    src = _synthetic(tmp_path, 2_000, 4_000)
    fast, general, problems = _both(data_dir(), src)
    assert problems is None and general is not None and fast is not None
    assert_same_graph(fast, general)
    assert sum(1 for *_, t in general.edges(data="type") if t == "SANCTIONED") > 500


# --- random FtM files: the same graph, or the same problems -------------------------------------

_IDS = ["e-1", "e-2", "e-1", "e-2", "E-2", "cuba", "e 3", "dataset-list-a"]
_GOOD = st.sampled_from(["Acme", "Acme ", "é", "2020-02-29", "2020-03", "1999", "us", "ve", "cu", "Q42"])
_BAD = st.sampled_from(["  ", "", "a\nb", "a\tb", "x\x00", "\ud800", "2021-02-30", "1899", "Q0"])
_TEXT = st.one_of(_GOOD, _GOOD, _GOOD, _GOOD, _BAD)  # mostly the plain case, which the fast way takes
_PROPS = {
    "Person": ["name", "alias", "country", "nationality", "wikidataId"],
    "Company": ["name", "alias", "jurisdiction", "wikidataId"],
    "Airplane": ["name", "registrationNumber", "model", "serialNumber"],
    "Vessel": ["name", "imoNumber", "type", "flag"],
    "Sanction": ["entity", "country", "authority", "program", "startDate", "endDate", "reason"],
    "Ownership": ["owner", "asset", "role", "startDate"],
    "Directorship": ["director", "organization", "role", "endDate"],
    "Note": ["entity", "description"],
}
_REFS = {"entity", "owner", "asset", "director", "organization"}


@st.composite
def _ftm_line(draw: st.DrawFn) -> dict[str, Any]:
    schema = draw(st.sampled_from(sorted(_PROPS)))
    names = draw(st.lists(st.sampled_from(_PROPS[schema]), max_size=4, unique=True))
    props = {n: draw(st.lists(st.sampled_from(_IDS) if n in _REFS else _TEXT, min_size=1, max_size=2)) for n in names}
    line: dict[str, Any] = {"id": draw(st.sampled_from(_IDS)), "schema": schema, "properties": props}
    if draw(st.booleans()):
        line["datasets"] = draw(st.lists(st.sampled_from(["list_a", "list_b"]), min_size=1, max_size=2, unique=True))
    if draw(st.booleans()):
        line["first_seen"] = draw(st.sampled_from(["2023-01-01T00:00:00", "2023-01-01T00:00:00", "2023-02-30", "0000-01-01"]))
    return line


_RUNS = itertools.count()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(lines=st.lists(_ftm_line(), min_size=1, max_size=8), second=st.lists(_ftm_line(), max_size=3))
def test_on_random_files_the_fast_way_gives_the_same_graph_or_gives_up(tmp_path: Path, lines: list[Any], second: list[Any]) -> None:
    folder = tmp_path / str(next(_RUNS))
    folder.mkdir()
    (folder / "a.ftm.json").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    if second:
        (folder / "b.jsonl").write_text("".join(json.dumps(x) + "\n" for x in second), encoding="utf-8")
    fast, general, problems = _both(MINI, folder)
    event("problems" if problems else "fast way" if fast is not None else "the fast way gave up")
    if problems is not None:
        assert fast is None, "the general way found a problem the fast way let through"
        with pytest.raises(ValidationError) as err:
            graph.load(MINI, folder)
        assert [(p.file, p.line, p.message) for p in err.value.problems] == problems
        return
    assert general is not None
    if fast is not None:
        assert_same_graph(fast, general)
    assert_same_graph(graph.load(MINI, folder), general)


def test_the_fast_way_gives_up_on_a_value_the_general_way_refuses(tmp_path: Path) -> None:
    bad = {"id": "e-1", "schema": "Company", "properties": {"name": ["Acme"], "alias": ["Ac\u0007me"]}}
    (tmp_path / "list.ftm.json").write_text(json.dumps(bad) + "\n", encoding="utf-8")
    assert load_direct([MINI, tmp_path], load_schema()) is None
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert [p.message for p in err.value.problems] == ["'aliases' holds the control character U+0007 at character 3; remove it"]


# --- what `resolve` hands the fast way: the columns it gathers are those of its data ----------


def _clashing(mapping: Mapping) -> Mapping:
    """The mapping with relation properties mapped onto keys the facts' loop writes itself."""
    own = dataclasses.replace(mapping.relations["Ownership"], properties={"role": "locator", "startDate": "evidence"})
    return dataclasses.replace(mapping, relations={**mapping.relations, "Ownership": own})


@pytest.mark.parametrize("clash", [False, True], ids=["the-project-mapping", "properties-mapped-onto-locator-and-evidence"])
def test_resolve_gives_the_fast_way_the_general_ways_data_and_the_columns_of_its_facts(tmp_path: Path, clash: bool) -> None:
    src = _synthetic(tmp_path, 300, 600)
    mapping = _clashing(load_mapping()) if clash else load_mapping()
    files, problems = data_files([data_dir(), src, MAIN])
    curated, ftm, more = read_files(files)
    assert not problems and not more
    fast = resolve(read_ftm(ftm, mapping), curated, mapping, direct=True)
    general = resolve(read_ftm(ftm, mapping), curated, mapping).records
    # the general way's records: the curated ones, the loaded entities, the loaded facts, then
    # the authorities and Sources, which the fast way has as records too
    loaded = general[len(curated) : len(general) - (len(fast.records) - len(curated))]
    entities = [r.data for r in loaded if r.kind == "entity"]
    facts = [r.data for r in loaded if r.kind == "fact"]
    assert len(entities) + len(facts) == len(loaded) and entities and facts
    # each entity: its data less its id (label first), grouped by label in their order
    assert [(d["id"], {k: v for k, v in d.items() if k != "id"}) for d in entities] == list(
        zip(fast.entity_ids, fast.entity_data, strict=True)
    )
    assert all(next(iter(d)) == "label" for d in fast.entity_data)
    for label, (ids, datas) in fast.entity_groups.items():
        assert list(zip(ids, datas, strict=True)) == [(i, d) for i, d in zip(fast.entity_ids, fast.entity_data, strict=True) if d["label"] == label]
    assert sum(len(ids) for ids, _ in fast.entity_groups.values()) == len(fast.entity_ids)
    # each fact: its ends, id and data less them (type first), and the columns of that data
    assert [(d["from"], d["to"], d["id"], {k: v for k, v in d.items() if k not in ("from", "to", "id")}) for d in facts] == list(
        zip(fast.fact_starts, fast.fact_ends, fast.fact_ids, fast.fact_data, strict=True)
    )
    assert all(next(iter(d)) == "type" for d in fast.fact_data)
    assert fast.fact_columns == columns(fast.fact_data)
