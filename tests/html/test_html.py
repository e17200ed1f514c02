"""The explorer page as text: structure, no network references, escaping; and `cubamed html`."""

from __future__ import annotations

import json
import re
import warnings

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import CubamedError, EntityNotFound
from graph.html import ReducedViewWarning, generate_html, select_view, write_html

from ..conftest import FIXTURES

MINI = str(FIXTURES / "mini")
PAYLOAD = "</script><script>alert(1)</script><img src=x onerror=alert(1)>"


def page_data(page: str) -> dict:
    m = re.search(r'<script id="cubamed-data" type="application/json">(.*?)</script>', page, re.DOTALL)
    assert m, "the data block is missing"
    return json.loads(m.group(1))


def outside_assets(page: str) -> str:
    """The page less the inlined vendor script/style and the data block: what we write ourselves."""
    return re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", page, flags=re.DOTALL)


def test_page_is_a_complete_document(mini: nx.MultiDiGraph) -> None:
    page = generate_html(mini)
    assert page.startswith("<!doctype html>\n<html lang=\"en\">")
    assert page.rstrip().endswith("</html>")
    assert "Content-Security-Policy" in page
    data = page_data(page)
    assert len(data["nodes"]) == 11  # 13 entities less the 2 source documents
    assert len(data["edges"]) == 8
    assert {n["id"] for n in data["nodes"]} == {n for n, d in mini.nodes(data=True) if d["label"] != "Source"}


def test_no_network_references(mini: nx.MultiDiGraph) -> None:
    page = generate_html(mini)
    assert not re.search(r"https?://", outside_assets(page))
    # the inlined vis-network names URLs only in licence comments and the SVG namespace, never to load
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert not re.search(r"url\(\s*[\"']?https?:", page)
    assert "@import" not in page
    assert "bootstrap" not in page.lower()


def test_data_cannot_close_the_script(mini: nx.MultiDiGraph) -> None:
    G = mini.copy()
    G.nodes["cuba"]["name"] = PAYLOAD
    G.nodes["cuba"]["aliases"] = [PAYLOAD]
    u, v, k = next((u, v, k) for u, v, k in G.edges(keys=True) if u == "cuba")
    G.edges[u, v, k]["evidence"] = PAYLOAD
    page = generate_html(G)
    assert page.count("</script>") == 3  # data, vis-network, page script: none from the data
    assert "<img src=x" not in page
    assert "\\u003c/script\\u003e" in page
    data = page_data(page)
    assert next(n for n in data["nodes"] if n["id"] == "cuba")["label"] == PAYLOAD  # the text survives intact
    assert PAYLOAD in [e["p"].get("evidence") for e in data["edges"]]


def test_sanctioned_entities_are_marked(mini: nx.MultiDiGraph) -> None:
    nodes = {n["id"]: n for n in page_data(generate_html(mini))["nodes"]}
    assert nodes["conviasa"]["borderWidth"] == 4 and nodes["conviasa"]["color"]["border"] == "#e00000"
    assert nodes["conviasa"]["sb"] == ["United States"]
    assert nodes["cuba"]["borderWidth"] == 1


def test_relations_carry_figures_source_and_evidence(mini: nx.MultiDiGraph) -> None:
    data = page_data(generate_html(mini))
    e = next(e for e in data["edges"] if e["from"] == "cuba" and e["to"] == "saint-lucia")
    assert e["t"] == "DEPLOYED_TO" and e["y0"] == e["y1"] == 2020
    assert e["p"]["count"] == 113 and e["p"]["event"] == "COVID-19 pandemic (covid)"
    assert data["sources"][e["s"]] == "A news article"
    assert e["p"]["evidence"] == "Saint Lucia got 113 Cuban health workers."


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param({}, "conviasa covid cuba elam jamaica lombardy maduro missions saint-lucia united-states venezuela", id="no-sources"),
        pytest.param({"include_sources": True}, "conviasa covid cuba elam encyclopedia jamaica lombardy maduro missions news saint-lucia united-states venezuela", id="sources"),
        pytest.param({"focus": "St. Lucia"}, "cuba saint-lucia", id="focus-depth-1"),
        pytest.param({"focus": "conviasa", "depth": 2}, "conviasa missions united-states", id="focus-depth-2"),
        pytest.param({"focus": "covid", "depth": 3}, "covid", id="focus-isolated"),
        pytest.param({"labels": ["Person", "State"]}, "cuba jamaica maduro saint-lucia united-states venezuela", id="labels"),
        pytest.param({"types": ["SANCTIONED"]}, "conviasa united-states", id="types"),
        pytest.param({"years": (1990, 2000)}, "conviasa cuba elam maduro united-states venezuela", id="years-keep-undated"),
        pytest.param({"types": ["DEPLOYED_TO"], "focus": "Jamaica"}, "cuba jamaica", id="types-and-focus"),
    ],
)
def test_select_view(mini: nx.MultiDiGraph, options: dict, expected: str) -> None:
    assert sorted(select_view(mini, **options)) == expected.split()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"labels": ["Statee"]}, "unknown label 'Statee'; the schema has: State, Region", id="label"),
        pytest.param({"types": ["FUNDS"]}, "unknown relationship type 'FUNDS'", id="type"),
        pytest.param({"years": (2010, 1998)}, "is not (first, last) with first <= last", id="years"),
    ],
)
def test_bad_options(mini: nx.MultiDiGraph, options: dict, message: str) -> None:
    with pytest.raises(CubamedError, match=re.escape(message)):
        generate_html(mini, **options)


def test_unknown_focus(mini: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFound, match="no entity is named 'nobody'"):
        generate_html(mini, focus="nobody")


def test_large_graph_is_reduced_and_says_so() -> None:
    G = nx.MultiDiGraph()
    for i in range(60):
        G.add_node(f"n{i}", label="State", name=f"State {i}", aliases=[])
    for i in range(1, 60):
        G.add_edge("n0", f"n{i}", key=f"r{i}", type="DEPLOYED_TO")
    with pytest.warns(ReducedViewWarning, match="draws the 20 most connected of 60 entities"):
        page = generate_html(G, max_nodes=20)
    data = page_data(page)
    assert len(data["nodes"]) == 20 and "n0" in {n["id"] for n in data["nodes"]}
    assert "20 most connected of 60" in data["note"] and "The search covers all of them" in data["note"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert page_data(generate_html(G, max_nodes=None))["index"] is None


def beyond_the_cap() -> nx.MultiDiGraph:
    """60 entities in a star around n0, plus a chain n1-n2-...; 1 source; relations with figures."""
    G = nx.MultiDiGraph()
    G.add_node("src", label="Source", name="Src", title="A report", kind="news")
    for i in range(60):
        G.add_node(f"n{i}", label="Person" if i % 2 else "State", name=f"Entity {i}", aliases=[f"E{i}"], note=f"n{i}")
    for i in range(1, 60):
        G.add_edge("n0", f"n{i}", key=f"r{i}", type="DEPLOYED_TO", source_id="src", year=2000 + i, count=i, evidence=f"says {i}")
    for i in range(1, 59):
        G.add_edge(f"n{i}", f"n{i + 1}", key=f"c{i}", type="TRAINED", source_id="src", locator="p. 2")
    G.nodes["n59"].update(sanctioned=True, sanctioned_by=["n0"])
    return G


def test_reduced_page_indexes_every_entity_and_relation() -> None:
    G = beyond_the_cap()
    with pytest.warns(ReducedViewWarning):
        data = page_data(generate_html(G, max_nodes=20))
    drawn = [n["id"] for n in data["nodes"]]
    index = data["index"]
    ids = drawn + [row[0] for row in index["n"]]
    assert sorted(ids) == sorted(n for n in G if n != "src")  # every entity, once
    row = next(r for r in index["n"] if r[0] == "n59")
    assert row[1:4] == ["Entity 59", ["E59"], index["labels"].index("Person")]
    assert row[4] == {"note": "n59"} and row[5] == ["Entity 0"]
    # the relations not drawn, and only they, with figures and source
    rels = {(ids[r[0]], ids[r[1]], index["types"][r[2]]) for r in index["r"]}
    assert rels == {(u, v, t) for u, v, t in G.edges(data="type") if not (u in drawn and v in drawn)}
    r = next(r for r in index["r"] if ids[r[1]] == "n59" and index["types"][r[2]] == "DEPLOYED_TO")
    assert r[3:6] == [2059, 2059, "src"] and r[6] == {"year": 2059, "count": 59, "evidence": "says 59"}
    assert data["sources"]["src"] == "A report"


def test_index_leaves_relations_out_beyond_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.html.INDEX_BUDGET", 100)
    with pytest.warns(ReducedViewWarning):
        index = page_data(generate_html(beyond_the_cap(), max_nodes=20))["index"]
    assert index["r"] is None and index["dropped"] is True
    assert len(index["n"]) == 40  # the entities stay searchable


def test_write_html(mini: nx.MultiDiGraph, tmp_path) -> None:
    out = write_html(mini, tmp_path / "sub" / "page.html", focus="ELAM")
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_writes_the_page(tmp_path) -> None:
    out = tmp_path / "g.html"
    result = run("html", str(out), "--data", MINI, "--focus", "St. Lucia", "--labels", "State,Region", "--years", "2020")
    assert result.exit_code == 0, result.output
    assert f"Wrote {out}" in result.output
    assert {n["id"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]} == {"saint-lucia", "cuba"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(["--labels", "Statee"], 1, "Error: unknown label 'Statee'; the schema has:", id="unknown-label"),
        pytest.param(["--years", "2010-1998"], 2, "'2010-1998' ends before it starts; write FIRST-LAST", id="reversed-years"),
        pytest.param(["--years", "recently"], 2, "'recently' is not a year range", id="bad-years"),
        pytest.param(["--focus", "nobody"], 1, "Error: no entity is named 'nobody'", id="unknown-focus"),
    ],
)
def test_cli_bad_options(tmp_path, args: list[str], code: int, message: str) -> None:
    out = tmp_path / "g.html"
    result = CliRunner().invoke(main, ["html", str(out), "--data", MINI, *args])
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_cli_help_has_an_example() -> None:
    result = run("html", "--help")
    assert "Example:" in result.output and "cubamed html" in result.output


def test_show_displays_the_whole_page_in_a_sandboxed_iframe(mini: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    """The srcdoc attribute, unescaped as a browser does, is the whole page: not a prefix cut at the first quote."""
    from html.parser import HTMLParser

    from graph.html import generate_html, show

    display = pytest.importorskip("IPython.display")
    shown: list = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj))
    show(mini, focus="St. Lucia")
    (obj,) = shown
    frames: list[dict[str, str | None]] = []

    class Frames(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "iframe":
                frames.append(dict(attrs))

    Frames().feed(obj.data)
    (frame,) = frames
    page = generate_html(mini, focus="St. Lucia")
    assert len(page) > 100_000 and '"' in page
    assert frame["srcdoc"] == page
    assert frame["sandbox"] == "allow-scripts"
    assert "<script" not in obj.data  # the whole page is an attribute value, escaped
