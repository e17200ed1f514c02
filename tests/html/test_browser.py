"""The explorer page in a real browser (headless chromium), opened from a file with the network blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import graph
from graph.html import ReducedViewWarning, select_view, write_html

from ..conftest import FIXTURES
from .test_html import beyond_the_cap

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def main_graph(curated: nx.MultiDiGraph) -> tuple[str, nx.MultiDiGraph]:
    """The curated graph; when data/ does not load, these tests fail with its problems (no fallback)."""
    return "curated", curated


@pytest.fixture(scope="module")
def main_page(main_graph: tuple[str, nx.MultiDiGraph], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(main_graph[1], tmp_path_factory.mktemp("html") / "cubamed.html")


def test_page_draws_offline_without_errors(open_page: Any, main_page: Path, main_graph: tuple[str, nx.MultiDiGraph]) -> None:
    opened = open_page(main_page)
    assert opened.errors == []
    assert opened.requests == []
    view = select_view(main_graph[1])
    drawn = opened.page.evaluate("[cubamed.nodes.length, cubamed.edges.length, cubamed.network.body.nodeIndices.length]")
    assert drawn == [view.number_of_nodes(), view.number_of_edges(), view.number_of_nodes()]
    # every entity is drawn; only the source documents are left out, and no relation
    assert view.number_of_edges() == main_graph[1].number_of_edges()
    assert view.number_of_nodes() == sum(1 for _, lab in main_graph[1].nodes(data="label") if lab != "Source")
    assert opened.page.locator("#legend-labels li").count() == len({lab for _, lab in view.nodes(data="label")})


def test_search_finds_and_selects_st_lucia(open_page: Any, main_page: Path) -> None:
    page = open_page(main_page).page
    page.fill("#search", "st. luc")
    assert page.locator("#results button").first.inner_text().startswith("Saint Lucia")
    page.press("#search", "Enter")
    assert page.evaluate("cubamed.network.getSelectedNodes()") == ["saint-lucia"]
    assert page.locator("#details h3").inner_text() == "Saint Lucia"
    assert "Also: St. Lucia" in page.locator("#details").inner_text()
    assert "Source: " in page.locator("#details").inner_text()
    # centred: the node sits in the middle of the canvas
    x, y = page.evaluate("(() => { const p = cubamed.network.getPosition('saint-lucia'); const d = cubamed.network.canvasToDOM(p); return [d.x, d.y]; })()")
    w, h = page.evaluate("[document.getElementById('graph').clientWidth, document.getElementById('graph').clientHeight]")
    assert abs(x - w / 2) < 5 and abs(y - h / 2) < 5


def test_label_filter_hides_exactly_that_label(open_page: Any, main_page: Path, main_graph: tuple[str, nx.MultiDiGraph]) -> None:
    page = open_page(main_page).page
    page.locator('input[data-label="State"]').uncheck()
    hidden = set(page.evaluate("cubamed.hiddenNodeIds()"))
    states = {n for n, lab in main_graph[1].nodes(data="label") if lab == "State"}
    assert hidden == states
    assert page.evaluate("cubamed.nodes.get({filter: n => n.hidden}).length") == len(states)
    # relations touching a hidden entity are hidden too; the others stay
    edges = page.evaluate("cubamed.edges.get().map(e => [e.from, e.to, !!e.hidden])")
    assert all(h == (a in states or b in states) for a, b, h in edges)
    page.locator('input[data-label="State"]').check()
    assert page.evaluate("cubamed.hiddenNodeIds()") == []


def test_year_range_hides_relations_outside_it(open_page: Any, tmp_path: Path) -> None:
    page = open_page(write_html(graph.load(FIXTURES / "mini"), tmp_path / "mini.html")).page
    page.evaluate("cubamed.setYears(1990, 2000)")
    shown = page.evaluate("cubamed.edges.get({filter: e => !e.hidden}).map(e => [e.t, e.y0])")
    assert sorted(shown, key=str) == sorted([["ESTABLISHED", 1998], ["SANCTIONED", None], ["LEADER_OF", None]], key=str)


def test_injected_markup_shows_as_text_and_runs_nothing(open_page: Any, tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("src", label="Source", name="A source " + XSS, title="A source " + XSS, kind="news")
    G.add_node("evil", label="State", name="Evil " + XSS, aliases=[XSS], iso3="EVL")
    G.add_node("cuba", label="State", name="Cuba", aliases=[], iso3="CUB")
    G.add_edge("cuba", "evil", key="r1", type="DEPLOYED_TO", source_id="src", locator=XSS, evidence="Evidence " + XSS, year=2001, role=XSS)
    opened = open_page(write_html(G, tmp_path / "xss.html"))
    page = opened.page
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.fill("#search", "evil")
    assert page.locator("#results button").first.inner_text().startswith("Evil " + XSS)
    page.press("#search", "Enter")
    details = page.locator("#details").inner_text()
    assert "Evil " + XSS in details and "Also: " + XSS in details
    assert "Evidence " + XSS in details and "Source: A source " + XSS in details
    page.evaluate("cubamed.selectEdge('e0')")
    assert "Evidence " + XSS in page.locator("#details").inner_text()
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.requests == [] and seen == []


NAMED = "cubamed.nodes.get().filter(n => n.font && n.font.size * cubamed.network.getScale() >= cubamed.data.options.nodes.scaling.label.drawThreshold).map(n => n.id)"


def test_names_show_for_hubs_at_first_and_for_all_zoomed_in(open_page: Any, main_page: Path, main_graph: tuple[str, nx.MultiDiGraph]) -> None:
    page = open_page(main_page).page
    assert abs(page.evaluate("cubamed.network.getScale()") / page.evaluate("cubamed.fitScale") - 1) < 0.05  # names were sized for this view
    named = page.evaluate(NAMED)
    assert 5 <= len(named) <= 40
    view = select_view(main_graph[1])
    hub = max(view, key=view.degree)
    assert hub in named
    # zoomed in, every entity is named, at most 18 px high
    page.evaluate("cubamed.network.moveTo({scale: 2, animation: false}); cubamed.capNames()")
    assert len(page.evaluate(NAMED)) == view.number_of_nodes()
    assert page.evaluate("Math.max(...cubamed.nodes.get().map(n => n.font.size)) * cubamed.network.getScale()") <= 18.01


def test_search_beyond_the_cap_opens_an_entity_not_drawn(open_page: Any, tmp_path: Path) -> None:
    G = beyond_the_cap()
    with pytest.warns(ReducedViewWarning):
        path = write_html(G, tmp_path / "big.html", max_nodes=20)
    opened = open_page(path)
    page = opened.page
    assert page.evaluate("[cubamed.nodeCount, cubamed.indexedCount]") == [20, 40]
    page.fill("#search", "e59")  # an alias of an entity not drawn
    assert page.locator("#results button").first.inner_text() == "Entity 59Person · E59 · not drawn"
    page.press("#search", "Enter")
    assert page.evaluate("cubamed.state.selected") == "n59"
    assert page.evaluate("cubamed.network.getSelectedNodes()") == []
    details = page.locator("#details").inner_text()
    assert "Entity 59" in details and "Person · id: n59" in details and "Not drawn" in details
    assert "Sanctioned by Entity 0" in details and "Also: E59" in details
    assert page.locator("#details code").inner_text() == "cubamed html n59.html --focus n59 --depth 1"
    assert "2 relations" in details
    assert "DEPLOYED_TO" in details and "count: 59 · year: 2059" in details and "Source: A report" in details and "says 59" in details
    # its drawn neighbour is highlighted, the rest dimmed; its link selects it on the map
    assert page.evaluate("cubamed.nodes.get('n0').opacity") == 1 and page.evaluate("cubamed.nodes.get('n10').opacity") < 1
    page.locator("#details button.link", has_text="Entity 0").click()
    assert page.evaluate("cubamed.network.getSelectedNodes()") == ["n0"]
    # a drawn entity lists its relations with entities not drawn too
    details = page.locator("#details").inner_text()
    assert "more relations with entities not drawn" in details
    drawn = page.evaluate("cubamed.edges.get().filter(e => e.from === 'n0' || e.to === 'n0').length")
    assert drawn + int(details.split(" more relation")[0].split("\n")[-1]) == G.degree("n0")
    # an undrawn entity reached through a link opens too
    page.locator("#details button.link.undrawn", has_text="Entity 1").first.click()
    assert page.evaluate("cubamed.state.selected") == "n1" and "Not drawn" in page.locator("#details").inner_text()
    assert opened.errors == [] and opened.requests == []


def test_year_range_bounds_are_inclusive(open_page: Any, tmp_path: Path) -> None:
    """ELAM's founding (1998) sits on each bound in turn: shown on it, hidden one year past it."""
    page = open_page(write_html(graph.load(FIXTURES / "mini"), tmp_path / "mini.html")).page

    def shown(lo: int, hi: int) -> bool:
        page.evaluate(f"cubamed.setYears({lo}, {hi})")
        return bool(page.evaluate("cubamed.edges.get({filter: e => !e.hidden && e.t === 'ESTABLISHED'}).length === 1"))

    assert [shown(1998, 2000), shown(1990, 1998), shown(1998, 1998), shown(1999, 2000), shown(1990, 1997)] == [True, True, True, False, False]
