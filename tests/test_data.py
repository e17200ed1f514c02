"""The curated graph holds what the three documents state, each fact with its source."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

import graph

NEWS = "news-2020-caribbean-brigades"
CARIBBEAN_2020 = {
    "jamaica": 140,
    "saint-lucia": 113,
    "barbados": 101,
    "saint-vincent-and-the-grenadines": 16,
    "antigua-and-barbuda": 29,
    "dominica": 35,
    "saint-kitts-and-nevis": 34,
    "grenada": 5,
}


def _edges(
    G: nx.MultiDiGraph, rtype: str, *, start: str | None = None, end: str | None = None
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for u, v, d in G.edges(data=True):
        if d["type"] == rtype and start in (None, u) and end in (None, v):
            yield u, v, d


def test_more_than_fifty_states(curated: nx.MultiDiGraph) -> None:
    states = [n for n, label in curated.nodes(data="label") if label == "State"]
    assert len(states) > 50


@pytest.mark.parametrize(("state", "count"), [pytest.param(s, c, id=s) for s, c in CARIBBEAN_2020.items()])
def test_the_eight_caribbean_deployments_of_2020(curated: nx.MultiDiGraph, state: str, count: int) -> None:
    claims = [d for _, _, d in _edges(curated, "DEPLOYED_TO", start="cuba", end=state) if d["source_id"] == NEWS]
    assert [(d["count"], d.get("year"), d["event"]) for d in claims] == [(count, 2020, "covid-19-pandemic")]


def test_the_caribbean_teams_add_up_to_the_stated_total(curated: nx.MultiDiGraph) -> None:
    totals = [
        d["count"]
        for _, v, d in _edges(curated, "DEPLOYED_TO", start="cuba")
        if d["source_id"] == NEWS and curated.nodes[v]["label"] == "Region"
    ]
    assert sum(CARIBBEAN_2020.values()) in totals


def test_conviasa_is_sanctioned_by_the_united_states(curated: nx.MultiDiGraph) -> None:
    conviasa = curated.nodes["conviasa"]
    assert conviasa["label"] == "Company" and conviasa["sanctioned"] is True
    assert "united-states" in conviasa["sanctioned_by"]
    assert any(True for _ in _edges(curated, "TRANSPORTED", start="conviasa"))


def test_parole_program_created_and_ended_with_dates(curated: nx.MultiDiGraph) -> None:
    program = "cuban-medical-professional-parole"
    created = {u: d for u, _, d in _edges(curated, "ESTABLISHED", end=program)}
    ended = {u: d for u, _, d in _edges(curated, "ENDED", end=program)}
    assert created.keys() == {"george-w-bush"}  # "the United States under George W. Bush created" it
    assert {d.get("date") for d in created.values()} == {"2006-08"}
    assert ended.keys() == {"barack-obama"}
    assert {d.get("date") for d in ended.values()} == {"2017-01-12"}


def test_elam_founded_in_1998_in_response_to_hurricane_mitch(curated: nx.MultiDiGraph) -> None:
    (u, _, d), *_ = _edges(curated, "ESTABLISHED", end="elam")
    assert (u, d["year"], d["event"]) == ("cuba", 1998, "hurricane-mitch")


def test_conflicting_figures_are_separate_claims_with_their_sources(curated: nx.MultiDiGraph) -> None:
    c = graph.conflicts(curated)
    assert c["group"].nunique() >= 3
    # the Lombardy brigade: 52 in the advocacy article, "over 50" in the encyclopedia
    lombardy = c[c["to"] == "lombardy"]
    assert set(lombardy["source_id"]) == {"advocacy-2020-king", "encyclopedia-cuban-medical-internationalism"}
    assert 52 in set(lombardy["count"])


def test_every_relationship_has_source_locator_and_evidence(curated: nx.MultiDiGraph) -> None:
    for _, _, k, d in curated.edges(keys=True, data=True):
        assert curated.nodes[d["source_id"]]["label"] == "Source", k
        assert d["locator"].strip() and len(d["evidence"].split()) >= 4, k


def test_every_source_contributes_facts(curated: nx.MultiDiGraph) -> None:
    sources = {n for n, label in curated.nodes(data="label") if label == "Source"}
    used = {d for *_, d in curated.edges(data="source_id")}
    assert sources == used and len(sources) == 3
