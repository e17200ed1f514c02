"""An independent oracle for the query library: each query of cypher/queries/ computed again with
networkx over `graph.load()`, and compared with its expected rows in tests/expected/.

The expected files are written from a real Neo4j (`CUBAMED_WRITE_EXPECTED=1`); the tests of
test_queries.py and tests/export check the embedded engine and Neo4j against them. Here the same
rows come from plain Python over the MultiDiGraph, with no Cypher engine at all, so a wrong
expected file (or a data change nobody reviewed) cannot pass by agreeing with itself.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx
import pytest

from .conftest import ROOT
from .test_data import CARIBBEAN_2020, NEWS

EXPECTED = ROOT / "tests" / "expected"
Row = dict[str, Any]
MISSIONS = {"cuban-medical-missions", "cuban-international-brigade", "integrated-health-program", "operacion-milagro", "mission-barrio-adentro"}
OCEANIA = {"oceania", "kiribati", "solomon-islands", "papua-new-guinea", "fiji", "vanuatu", "tuvalu", "nauru", "east-timor"}


def _edges(G: nx.MultiDiGraph, *types: str, start: str | None = None) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(from, to, key, attributes) of the relationships of these types (all types when none is given)."""
    for u, v, k, d in G.edges(keys=True, data=True):
        if (not types or d["type"] in types) and (start is None or u == start):
            yield u, v, k, d


def _name(G: nx.MultiDiGraph, n: str) -> Any:
    return G.nodes[n].get("name")


def q01(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {"destination": _name(G, b), "count": d.get("count"), "qualifier": d.get("count_qualifier"), "role": d.get("role"), "source": d["source_id"]}
        for _, b, _, d in _edges(G, "DEPLOYED_TO", start="cuba")
        if d.get("year") == 2020
    ]


def q02(G: nx.MultiDiGraph) -> list[Row]:
    by_year: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for _, b, _, d in _edges(G, "DEPLOYED_TO", start="cuba"):
        if d.get("year") is not None:
            by_year[d["year"]].append((b, d))
    return [
        {
            "year": year,
            "claims": len(rows),
            "destinations": len({b for b, _ in rows}),
            "workers_counted": sum(d["count"] for _, d in rows if d.get("count") is not None),
        }
        for year, rows in by_year.items()
    ]


def q03(G: nx.MultiDiGraph) -> list[Row]:
    def program(n: str) -> bool:
        return bool(G.nodes[n]["label"] == "Program")

    def touching(n: str) -> Iterator[tuple[str, str, str]]:
        """(other end, type, key) of every relationship of n, either way."""
        for _, o, k, d in G.out_edges(n, keys=True, data=True):
            yield o, d["type"], k
        for o, _, k, d in G.in_edges(n, keys=True, data=True):
            yield o, d["type"], k

    rows = set()
    for s in (n for n, d in G.nodes(data=True) if d.get("sanctioned") is True):
        for m, t, _ in touching(s):
            if program(m) and m in MISSIONS:
                rows.add((_name(G, s), t, "", "", _name(G, m)))
        for x, t1, k1 in touching(s):
            if not program(x):
                continue
            for m, t2, k2 in touching(x):
                if program(m) and m in MISSIONS and m != x and k2 != k1:
                    rows.add((_name(G, s), t1, _name(G, x), t2, _name(G, m)))
    return [dict(zip(["sanctioned", "link", "via", "link_onwards", "mission"], r, strict=True)) for r in rows]


def q04(G: nx.MultiDiGraph) -> list[Row]:
    rows = []
    for a, b in {(u, v) for u, v in G.edges()}:
        pairs = list(G[a][b].items())
        for k1, r1 in pairs:
            for k2, r2 in pairs:
                if (
                    r1["type"] == r2["type"]
                    and k1 < k2
                    and r1.get("count") is not None
                    and r2.get("count") is not None
                    and r1["count"] != r2["count"]
                    and r1.get("year", -1) == r2.get("year", -1)
                    and r1.get("role", "") == r2.get("role", "")
                ):
                    rows.append(
                        {
                            "actor": _name(G, a),
                            "relation": r1["type"],
                            "counterpart": _name(G, b),
                            "year": r1.get("year"),
                            "count_1": r1["count"],
                            "source_1": r1["source_id"],
                            "locator_1": r1["locator"],
                            "count_2": r2["count"],
                            "source_2": r2["source_id"],
                            "locator_2": r2["locator"],
                        }
                    )
    return rows


def q05(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {"program": _name(G, p), "action": d["type"], "actor": _name(G, a), "year": d.get("year"), "date": d.get("date"), "source": d["source_id"]}
        for a, p, _, d in _edges(G, "ESTABLISHED", "ENDED")
    ]


def q06(G: nx.MultiDiGraph) -> list[Row]:
    paths = list(nx.all_shortest_paths(G.to_undirected(as_view=True), "conviasa", "saint-lucia"))
    hops = len(paths[0]) - 1
    assert hops <= 6  # the query's bound
    return [{"hops": hops, "on_a_shortest_chain": name} for name in {_name(G, n) for p in paths for n in p}]


def q07(G: nx.MultiDiGraph) -> list[Row]:
    groups: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for _, s, dk, _ in _edges(G, "DEPLOYED_TO", start="cuba"):
        if G.nodes[s]["label"] != "State":
            continue
        for _, target, _, x in _edges(G, "EXPELLED", start=s):
            groups[(_name(G, s), _name(G, target), x.get("status"), x.get("year"), x["source_id"])].add(dk)
    keys = ["state", "expelled", "status", "year", "source"]
    return [{**dict(zip(keys, g, strict=True)), "deployment_claims": len(ds)} for g, ds in groups.items()]


def q08(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {
            "payer": _name(G, a),
            "payee": _name(G, b),
            "amount_usd": f.get("amount_usd"),
            "period": f.get("amount_period"),
            "year": f.get("year"),
            "status": f.get("status"),
            "claimed_by": f.get("claimed_by"),
            "what": f.get("role"),
            "source": f["source_id"],
        }
        for a, b, _, f in _edges(G, "FUNDED")
    ]


def q09(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {
            "destination": _name(G, b),
            "defector": _name(G, a),
            "count": r.get("count"),
            "qualifier": r.get("count_qualifier"),
            "year": r.get("year"),
            "date": r.get("date"),
            "status": r.get("status"),
            "who": r.get("role"),
            "source": r["source_id"],
        }
        for a, b, _, r in _edges(G, "DEFECTED_TO")
    ]


def q10(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {"giver": _name(G, a), "winner": _name(G, b), "award": r.get("role"), "count": r.get("count"), "year": r.get("year"), "event": r.get("event"), "source": r["source_id"]}
        for a, b, _, r in _edges(G, "AWARDED")
    ]


def q11(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {"critic": _name(G, a), "target": _name(G, b), "criticism": r.get("role"), "year": r.get("year"), "claimed_by": r.get("claimed_by"), "source": r["source_id"]}
        for a, b, _, r in _edges(G, "CRITICIZED")
        if b in {"cuba", "cuban-medical-missions"}
    ]


def q12(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {
            "place": _name(G, b),
            "relation": r["type"],
            "count": r.get("count"),
            "qualifier": r.get("count_qualifier"),
            "who": r.get("role"),
            "year": r.get("year"),
            "date": r.get("date"),
            "status": r.get("status"),
        }
        for _, b, _, r in _edges(G, "TRAINED", "DEPLOYED_TO", start="cuba")
        if b in OCEANIA or r.get("program") == "pacific-medical-scholarships"
    ]


def q13(G: nx.MultiDiGraph) -> list[Row]:
    types = ("DEPLOYED_TO", "TREATED", "SUPPLIED", "OFFERED_AID_TO", "TRAINED", "TRANSPORTED", "ESTABLISHED")
    return [
        {"event": _name(G, r["event"]), "event_year": G.nodes[r["event"]].get("year"), "action": r["type"], "target": _name(G, b), "count": r.get("count"), "role": r.get("role")}
        for _, b, _, r in _edges(G, *types, start="cuba")
        if r.get("event") is not None and G.nodes[r["event"]]["label"] == "Event"
    ]


def q14(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {"asker": _name(G, a), "asked": _name(G, b), "year": r.get("year"), "date": r.get("date"), "status": r.get("status"), "event": r.get("event")}
        for a, b, _, r in _edges(G, "REQUESTED_AID_FROM")
        if b in {"cuba", "cuban-medical-missions"}
    ]


def q15(G: nx.MultiDiGraph) -> list[Row]:
    def american(a: str) -> bool:
        if a in {"united-states", "us-state-department"}:
            return True
        for _, o, _, d in _edges(G, "LEADER_OF", "AFFILIATED_WITH", start=a):
            if o == "united-states" and G.nodes[o]["label"] == "State":
                return True
            if d["type"] == "AFFILIATED_WITH" and o == "us-state-department" and G.nodes[o]["label"] == "Institution":
                return True
        return False

    counts = Counter(
        (_name(G, a), r["type"], _name(G, b))
        for a, b, _, r in _edges(G)
        if american(a) and r["type"] not in {"LEADER_OF", "AFFILIATED_WITH", "LOCATED_IN", "PART_OF"}
    )
    return [{"actor": a, "action": t, "target": b, "claims": n} for (a, t, b), n in counts.items()]


def q16(G: nx.MultiDiGraph) -> list[Row]:
    by_place: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _, b, _, r in _edges(G, "DEPLOYED_TO", start="cuba"):
        by_place[b].append(r)
    rows = [
        {
            "destination": _name(G, b),
            "claims": len(rs),
            "largest_count": max((r["count"] for r in rs if r.get("count") is not None), default=None),
            "sources": len({r["source_id"] for r in rs}),
        }
        for b, rs in by_place.items()
    ]
    return sorted(rows, key=lambda r: (-r["claims"], r["destination"]))[:10]


def q17(G: nx.MultiDiGraph) -> list[Row]:
    counts = Counter(
        (G.nodes[r["source_id"]]["title"], G.nodes[r["source_id"]]["kind"], r["type"]) for _, _, _, r in _edges(G) if G.nodes[r["source_id"]]["label"] == "Source"
    )
    return [{"source": s, "kind": k, "relation": t, "facts": n} for (s, k, t), n in counts.items()]


def q18(G: nx.MultiDiGraph) -> list[Row]:
    counts = Counter((_name(G, r["claimed_by"]), r["type"]) for _, _, _, r in _edges(G) if r.get("claimed_by") is not None and r["claimed_by"] in G)
    return [{"claimant": c, "relation": t, "claims": n} for (c, t), n in counts.items()]


def q19(G: nx.MultiDiGraph) -> list[Row]:
    return [
        {
            "giver": _name(G, a),
            "relation": r["type"],
            "receiver": _name(G, b),
            "program": r.get("program"),
            "count": r.get("count"),
            "quantity": r.get("quantity"),
            "unit": r.get("unit"),
            "amount_usd": r.get("amount_usd"),
            "year": r.get("year"),
            "what": r.get("role"),
        }
        for a, b, _, r in _edges(G)
        if (a, b) in {("venezuela", "cuba"), ("cuba", "venezuela")}
    ]


def q20(G: nx.MultiDiGraph) -> list[Row]:
    rows = []
    for p, led, _, lead in _edges(G, "LEADER_OF"):
        if G.nodes[p]["label"] != "Person":
            continue
        others = [(r["type"], _name(G, o)) for _, o, _, r in _edges(G, start=p) if r["type"] != "LEADER_OF"] or [(None, None)]
        rows += [{"person": _name(G, p), "leads": _name(G, led), "year": lead.get("year"), "date": lead.get("date"), "also": t, "target": o} for t, o in others]
    return rows


ORACLES: dict[str, Callable[[nx.MultiDiGraph], list[Row]]] = {
    "01_deployments_in_year": q01,
    "02_deployments_per_year": q02,
    "03_sanctioned_links_to_missions": q03,
    "04_conflicting_figures": q04,
    "05_established_and_ended": q05,
    "06_shortest_path": q06,
    "07_received_and_expelled": q07,
    "08_funding_flows": q08,
    "09_defections": q09,
    "10_awards": q10,
    "11_critics": q11,
    "12_oceania_training": q12,
    "13_events_responded_to": q13,
    "14_requests_for_aid": q14,
    "15_us_actions": q15,
    "16_busiest_destinations": q16,
    "17_claims_per_source": q17,
    "18_attributed_claims": q18,
    "19_oil_for_doctors": q19,
    "20_leaders": q20,
}


def _plain(v: Any) -> Any:
    """Neo4j's JSON writes 7500000.0 where Python holds 7500000.5 or 7500000: compare numbers as numbers."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _bag(rows: list[Row]) -> list[str]:
    return sorted(json.dumps({k: _plain(v) for k, v in r.items()}, sort_keys=True, ensure_ascii=False) for r in rows)


def test_every_query_has_an_oracle() -> None:
    assert sorted(ORACLES) == sorted(p.stem for p in (ROOT / "cypher" / "queries").glob("*.cypher"))


@pytest.mark.parametrize("name", list(ORACLES))
def test_expected_rows_agree_with_networkx(curated: nx.MultiDiGraph, name: str) -> None:
    expected = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))
    got = ORACLES[name](curated)
    assert got, f"the oracle of {name} finds nothing in the curated data"
    assert sorted(got[0]) == sorted(expected["columns"])
    assert _bag(got) == _bag(expected["rows"])


def test_the_caribbean_figures_of_the_news_article_are_in_query_01(curated: nx.MultiDiGraph) -> None:
    """Second oracle, from the source document itself: the eight 2020 teams the news article reports, and their total."""
    rows = json.loads((EXPECTED / "01_deployments_in_year.json").read_text(encoding="utf-8"))["rows"]
    news = {r["destination"]: r["count"] for r in rows if r["source"] == NEWS}
    teams = {curated.nodes[state]["name"]: count for state, count in CARIBBEAN_2020.items()}
    assert news == {**teams, "Caribbean": 473}  # and the article's total, which is their sum
    assert sum(teams.values()) == 473
