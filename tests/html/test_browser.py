"""The explorer page in a real browser (Debian's chromium, headless), opened from a file, offline.

Structural checks of a page we do not draw ourselves: what the page shows is compared with the
graph (networkx), never with the page data it was written from.
"""

from __future__ import annotations

import itertools
import struct
import zlib
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
PAROLE = "cuban-medical-professional-parole"


@pytest.fixture(scope="module")
def main_page(curated: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(curated, tmp_path_factory.mktemp("html") / "cubamed.html")


def details_text(page: Any) -> str:
    return str(page.locator("#details-body").inner_text())


def test_page_draws_offline_without_errors(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    opened = open_page(main_page)
    assert opened.errors == []
    assert opened.requests == []
    view = select_view(curated)
    drawn = opened.page.evaluate("[cubamed.nodes.length, cubamed.network.body.nodeIndices.length, cubamed.shownRelationIds().length]")
    assert drawn == [view.number_of_nodes(), view.number_of_nodes(), view.number_of_edges()]
    # every entity is drawn; only the source documents are left out, and no relation
    assert view.number_of_edges() == curated.number_of_edges() == 319
    assert view.number_of_nodes() == sum(1 for _, lab in curated.nodes(data="label") if lab != "Source")
    # one drawn edge per pair of entities and family: fewer lines than relations, each relation in one
    pairs = {(frozenset((u, v)), graph.load_schema().relationships[t].family) for u, v, t in curated.edges(data="type")}
    assert opened.page.evaluate("cubamed.edges.length") == len(pairs)
    assert opened.page.locator("#legend-labels li").count() == len({lab for _, lab in view.nodes(data="label")})


def test_search_answers_enter_and_arrow_keys(open_page: Any, main_page: Path) -> None:
    page = open_page(main_page).page
    page.fill("#search", "st. luc")
    assert page.locator("#results button").first.inner_text().startswith("Saint Lucia")
    page.press("#search", "Enter")
    assert page.evaluate("cubamed.network.getSelectedNodes()") == ["saint-lucia"]
    assert page.locator("#details-body h3").inner_text() == "Saint Lucia"
    assert "Also: St. Lucia" in details_text(page)
    # centred: the entity sits in the middle of the map
    x, y = page.evaluate("(() => { const d = cubamed.network.canvasToDOM(cubamed.network.getPosition('saint-lucia')); return [d.x, d.y]; })()")
    w, h = page.evaluate("[document.getElementById('graph').clientWidth, document.getElementById('graph').clientHeight]")
    assert abs(x - w / 2) < 5 and abs(y - h / 2) < 5
    # arrow keys move through the results; Enter picks the active one
    page.fill("#search", "cuba")
    names = page.locator("#results button > span:first-child").all_inner_texts()
    assert len(names) >= 3
    page.press("#search", "ArrowDown")
    page.press("#search", "ArrowDown")
    page.press("#search", "ArrowUp")
    assert page.locator("#results button.active > span:first-child").inner_text() == names[1]
    page.press("#search", "Enter")
    assert page.locator("#details-body h3").inner_text() == names[1]
    assert page.locator("#results button").count() == 0


def test_label_filter_hides_exactly_that_label(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    page.locator('input[data-label="State"]').uncheck()
    hidden = set(page.evaluate("cubamed.hiddenNodeIds()"))
    states = {n for n, lab in curated.nodes(data="label") if lab == "State"}
    assert hidden == states
    assert page.evaluate("cubamed.nodes.get({filter: n => n.hidden}).length") == len(states)
    # relations touching a hidden entity are hidden too; the others stay
    shown = set(page.evaluate("cubamed.shownRelationIds()"))
    assert shown == {k for u, v, k in curated.edges(keys=True) if u not in states and v not in states}
    page.locator('input[data-label="State"]').check()
    assert page.evaluate("cubamed.hiddenNodeIds()") == []


def test_legend_filters_by_family_and_by_type(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    schema = graph.load_schema()
    aid = {t for t, r in schema.relationships.items() if r.family == "aid"}
    assert "DEPLOYED_TO" in aid and "SANCTIONED" not in aid
    page.locator('input[data-family="aid"]').uncheck()
    shown = set(page.evaluate("cubamed.shownRelationIds()"))
    assert shown == {k for _, _, k, t in curated.edges(keys=True, data="type") if t not in aid}
    # one type of the family back: the family's box is neither checked nor unchecked
    page.locator("li.family:has(input[data-family='aid']) button.expand").click()
    page.locator('input[data-type="TRAINED"]').check()
    assert page.evaluate("document.querySelector('input[data-family=\"aid\"]').indeterminate") is True
    shown = set(page.evaluate("cubamed.shownRelationIds()"))
    assert shown == {k for _, _, k, t in curated.edges(keys=True, data="type") if t not in aid or t == "TRAINED"}
    # the details of a selection follow the filters
    page.evaluate("cubamed.selectEntity('venezuela', false)")
    listed = page.locator("#details-body [data-relation]").evaluate_all("els => els.map(e => e.getAttribute('data-relation'))")
    around = {k for u, v, k in curated.edges(keys=True) if "venezuela" in (u, v)}
    assert set(listed) == around & shown
    page.locator('input[data-family="aid"]').check()
    listed = page.locator("#details-body [data-relation]").evaluate_all("els => els.map(e => e.getAttribute('data-relation'))")
    assert set(listed) == around


def test_year_range_keeps_both_bounds(open_page: Any, tmp_path: Path) -> None:
    page = open_page(write_html(graph.load(FIXTURES / "mini"), tmp_path / "mini.html")).page
    page.evaluate("cubamed.setYears(1990, 2000)")
    shown = page.evaluate("cubamed.shownRelationIds()")
    types = {r["id"]: r["type"] for r in page.evaluate("cubamed.data.relations")}
    assert sorted(types[i] for i in shown) == ["ESTABLISHED", "LEADER_OF", "SANCTIONED"]
    # a relation of 1998 stays when the range starts or ends in 1998, and goes when it starts in 1999
    established = next(i for i, t in types.items() if t == "ESTABLISHED")
    for lo, hi, kept in [(1998, 1998, True), (1990, 1998, True), (1998, 2022, True), (1999, 2022, False), (1990, 1997, False)]:
        page.evaluate(f"cubamed.setYears({lo}, {hi})")
        assert (established in page.evaluate("cubamed.shownRelationIds()")) is kept, (lo, hi)


# ---- every relation reachable ----------------------------------------------------------------

# A point of the drawn edge `id` that the map gives to this edge (no entity, no other edge on top,
# also 1 px around it), looked for along the edge at four zooms; in whole page pixels, for the mouse.
CLICK_POINT = """(id) => {
  const net = cubamed.network, e = net.body.edges[id], rect = document.getElementById('graph').getBoundingClientRect();
  const loop = e.fromId === e.toId ? e.edgeType._getCircleData() : null;  // a self-relation: a circle beside its entity
  for (const scale of [1.5, 3, 6, 10]) {
    for (let k = 0; k <= 18; k++) {
      const t = 0.5 + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * 0.05;
      const at = loop ? {x: loop[0] + loop[2] * Math.cos(2 * Math.PI * t), y: loop[1] + loop[2] * Math.sin(2 * Math.PI * t)} : e.edgeType.getPoint(t);
      net.moveTo({position: at, scale: scale, animation: false});
      const d = net.canvasToDOM(at), x = Math.round(d.x), y = Math.round(d.y);
      const around = [[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]].map(([dx, dy]) => ({x: x + dx, y: y + dy}));
      if (around.every(q => net.getEdgeAt(q) === id && net.getNodeAt(q) === undefined)) return [rect.left + x, rect.top + y];
    }
  }
  return null;
}"""


def test_every_relation_can_be_clicked_and_shows_its_details(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    """Click each drawn edge with the mouse: its details show every one of its relations, so all 319 are reached."""
    page = open_page(main_page).page
    relations = {k: (u, v, d) for u, v, k, d in curated.edges(keys=True, data=True)}
    by_edge: dict[str, list[str]] = {}
    for rid in relations:
        by_edge.setdefault(page.evaluate("(r) => cubamed.bundleOf(r)", rid), []).append(rid)
    reached = set()
    for edge, rids in by_edge.items():
        at = page.evaluate(CLICK_POINT, edge)
        assert at is not None, f"no point of {edge} can be clicked"
        page.mouse.click(*at)
        selected = page.evaluate("cubamed.state.selected")
        assert selected == ({"kind": "relation", "id": rids[0]} if len(rids) == 1 else {"kind": "bundle", "id": selected["id"]}), edge
        shown = page.evaluate("Object.fromEntries([...document.querySelectorAll('#details-body [data-relation]')].map(e => [e.getAttribute('data-relation'), e.innerText]))")
        assert sorted(shown) == sorted(rids), edge  # the click opened this edge's relations, all of them
        for rid, text in shown.items():
            u, v, d = relations[rid]
            assert d["type"] in text and curated.nodes[u]["name"] in text and curated.nodes[v]["name"] in text, rid
            assert d["evidence"] in text and curated.nodes[d["source_id"]]["title"] in text and d["locator"] in text, rid
            reached.add(rid)
    assert reached == set(relations) and len(reached) == 319


def test_hover_and_click_name_the_same_relations(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    """The tooltip of a drawn edge and the details its click opens speak of the same relations."""
    page = open_page(main_page).page
    for a, b, t in [("cuba", "world", "TRAINED"), ("united-states", "conviasa", "SANCTIONED")]:
        rid = next(k for u, v, k, ty in curated.edges(keys=True, data="type") if {u, v} == {a, b} and ty == t)
        edge = page.evaluate("(r) => cubamed.bundleOf(r)", rid)
        at = page.evaluate(CLICK_POINT, edge)
        page.mouse.move(at[0] - 40, at[1] - 40)
        page.mouse.move(*at)
        tooltip = page.locator("#tooltip")
        assert tooltip.is_visible()
        text = tooltip.inner_text()
        page.mouse.click(*at)
        listed = page.locator("#details-body [data-relation]").evaluate_all("els => els.map(e => e.getAttribute('data-relation'))")
        assert rid in listed
        types = sorted({curated.edges[u, v, k]["type"] for u, v, k in curated.edges(keys=True) if k in listed})
        assert all(ty in text for ty in types) and t in text, (text, types)
        assert (f"Click to list all {len(listed)}." if len(listed) > 1 else "Click for its source.") in text


def test_one_relation_of_a_bundle_shows_alone(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    world = [k for u, v, k, t in curated.edges(keys=True, data="type") if {u, v} == {"cuba", "world"} and t == "DEPLOYED_TO"]
    rid = sorted(world)[0]
    page.evaluate("(r) => cubamed.selectBundle(+cubamed.bundleOf(r).slice(1))", rid)
    page.locator(f'#details-body [data-relation="{rid}"] button.small').click()
    assert page.evaluate("cubamed.state.selected") == {"kind": "relation", "id": rid}
    assert page.locator("#details-body [data-relation]").count() == 1
    # and a link leads back to the rest of its bundle
    page.locator("#details-body > button.link").click()
    assert page.locator("#details-body [data-relation]").count() > 1


# ---- any screen --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(390, 844), (768, 1024), (844, 390), (1400, 900)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_layout_fits_the_screen(open_page: Any, main_page: Path, size: tuple[int, int]) -> None:
    opened = open_page(main_page, size=size)
    page = opened.page
    assert opened.errors == []
    box = page.locator("#graph").bounding_box()
    assert box["width"] >= 300 and box["height"] >= 250, box
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]  # nothing sticks out sideways
    drawn = page.evaluate("cubamed.drawnNames.length")
    assert drawn >= 5  # the map is drawn and named
    # the filters are reachable: a column, or a drawer its button opens over the map
    years = page.locator("#years-box")
    if size[0] < 1100:
        assert not page.locator("#filters").evaluate("e => e.getBoundingClientRect().right > 0")
        page.click("#show-filters")
        page.wait_for_timeout(250)
    rect = years.bounding_box()
    assert rect["x"] >= 0 and rect["y"] + rect["height"] <= size[1], rect  # the year range is on screen, above the fold
    page.keyboard.press("Escape")
    page.wait_for_timeout(250)
    # selecting shows the details (a column, or a sheet over the lower part of the map) and keeps the map usable
    page.evaluate("cubamed.selectEntity('conviasa', true)")
    page.wait_for_timeout(250)
    d = page.locator("#details").bounding_box()
    assert d["x"] >= 0 and d["x"] + d["width"] <= size[0] + 1 and d["y"] < size[1]
    assert page.locator("#details-body h3").inner_text() == "Conviasa"
    assert page.locator("#details-body h3").is_visible()
    x, y = page.evaluate("(() => { const r = document.getElementById('graph').getBoundingClientRect(); const d = cubamed.network.canvasToDOM(cubamed.network.getPosition('conviasa')); return [r.left + d.x, r.top + d.y]; })()")
    assert 0 <= x <= size[0] and 0 <= y < (d["y"] if d["y"] > box["y"] + 50 else size[1])  # not under the sheet


# ---- sanctioned at a glance --------------------------------------------------------------------

RING_PIXELS = """(id) => {
  const net = cubamed.network, canvas = document.querySelector('#graph canvas'), ctx = canvas.getContext('2d');
  net.moveTo({position: net.getPosition(id), scale: 1.5, animation: false});
  net.redraw();
  const ratio = canvas.width / canvas.clientWidth, c = net.canvasToDOM(net.getPosition(id));
  const r = net.body.nodes[id].options.size * net.getScale();
  const at = (rad, a) => Array.from(ctx.getImageData(Math.round((c.x + rad * Math.cos(a)) * ratio), Math.round((c.y + rad * Math.sin(a)) * ratio), 1, 1).data);
  const angles = Array.from({length: 24}, (_, i) => i * Math.PI / 12);
  return {centre: at(0, 0), white: angles.map(a => at(r * 1.12 + 2.5, a)), dark: angles.map(a => at(r * 1.12 + 5.5, a))};
}"""


def test_sanctioned_ring_shows_on_a_red_company(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    assert curated.nodes["conviasa"]["sanctioned"] and curated.nodes["conviasa"]["label"] == "Company"
    px = page.evaluate(RING_PIXELS, "conviasa")
    r, g, b, _ = px["centre"]
    assert r > 180 and g < 80 and b < 80  # the company is drawn red
    dark = sum(1 for p in px["dark"] if max(p[:3]) < 60 and p[3] > 200)
    light = sum(1 for p in px["white"] if min(p[:3]) > 200 and p[3] > 200)
    assert dark >= 20 and light >= 20, px  # a black ring around a white one, all the way round
    # an entity that is not sanctioned has no such ring
    assert not curated.nodes["brazil"].get("sanctioned")
    px = page.evaluate(RING_PIXELS, "brazil")
    assert sum(1 for p in px["dark"] if max(p[:3]) < 60 and p[3] > 200) <= 4


# ---- how is X connected to Y ---------------------------------------------------------------------


def test_path_between_conviasa_and_the_parole_program(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    page.click("#show-path")
    page.fill("#path-from", "conviasa")
    page.press("#path-from", "Enter")
    assert page.evaluate("document.activeElement.id") == "path-to"
    page.fill("#path-to", "Cuban Medical Professional Parole")
    page.press("#path-to", "Enter")
    expected = sorted(nx.all_shortest_paths(curated.to_undirected(as_view=True), "conviasa", PAROLE))
    listed = page.locator("#details-body section.path").evaluate_all("els => els.map(e => e.getAttribute('data-path').split(' '))")
    assert sorted(listed) == expected
    # each step lists every relation joining its two entities, with its source
    for path in expected:
        for u, v in itertools.pairwise(path):
            joining = {k for a, b, k in curated.edges(keys=True) if {a, b} == {u, v}}
            step = page.locator(f'#details-body section.path[data-path="{" ".join(path)}"] li').nth(path.index(u))
            shown = step.locator("[data-relation]").evaluate_all("els => els.map(e => e.getAttribute('data-relation'))")
            assert set(shown) == joining
            assert "Source: " in step.inner_text()
    # the path is highlighted: its entities at full strength, the rest dimmed
    on_path = {n for p in expected for n in p}
    opacity = {n["id"]: n.get("opacity", 1) for n in page.evaluate("cubamed.nodes.get()")}
    assert {n for n, o in opacity.items() if o == 1} == on_path
    assert {n["id"] for n in page.evaluate("cubamed.drawnNames")} >= on_path


def test_page_paths_equal_networkx_between_random_pairs(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    U = curated.subgraph(n for n, lab in curated.nodes(data="label") if lab != "Source").to_undirected(as_view=True)
    ids = sorted(U)
    pairs = [(ids[i * 7 % len(ids)], ids[i * 13 % len(ids)]) for i in range(1, 40)]
    for a, b in pairs:
        got = page.evaluate("([a, b]) => cubamed.shortestPaths(a, b)", [a, b])
        if not nx.has_path(U, a, b):
            assert got is None
        else:
            assert sorted(got) == sorted(nx.all_shortest_paths(U, a, b)), (a, b)


# ---- views worth sharing -------------------------------------------------------------------------


def test_a_copied_link_reopens_the_same_view(open_page: Any, main_page: Path) -> None:
    page = open_page(main_page).page
    page.evaluate("cubamed.setLabel('Event', false); cubamed.setType('TRAINED', false); cubamed.setYears(2000, 2010)")
    page.evaluate("cubamed.selectEntity('venezuela', true); cubamed.network.moveTo({scale: 1.7, animation: false})")
    page.evaluate("cubamed.setPath('conviasa', 'cuba')")
    page.evaluate("cubamed.selectRelation(cubamed.data.relations.find(r => r.from === 'cuba' && r.to === 'venezuela').id)")
    page.wait_for_timeout(400)
    url = page.url
    assert "#" in url and url.startswith("file://")
    before = page.evaluate("[cubamed.state.selected, cubamed.state.lo, cubamed.state.hi, cubamed.state.path, cubamed.hiddenNodeIds().sort(), cubamed.shownRelationIds().sort(), cubamed.network.getScale(), cubamed.network.getViewPosition()]")
    details = details_text(page)
    again = open_page(main_page, fragment=url.split("#", 1)[1]).page
    after = again.evaluate("[cubamed.state.selected, cubamed.state.lo, cubamed.state.hi, cubamed.state.path, cubamed.hiddenNodeIds().sort(), cubamed.shownRelationIds().sort(), cubamed.network.getScale(), cubamed.network.getViewPosition()]")
    assert after[:6] == before[:6]
    assert after[6] == pytest.approx(before[6], rel=1e-3)
    assert after[7]["x"] == pytest.approx(before[7]["x"], abs=0.2) and after[7]["y"] == pytest.approx(before[7]["y"], abs=0.2)
    assert details_text(again) == details
    assert not again.locator('input[data-label="Event"]').is_checked()
    assert before[0]["kind"] == "relation" and before[1:3] == [2000, 2010]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking its signature, every chunk's CRC and the image data."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
            depth, colour = body[8], body[9]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
        if kind == b"IEND":
            break
    assert size is not None and pos == len(data)
    channels = {2: 3, 6: 4}[colour]
    assert depth == 8 and len(zlib.decompress(idat)) == size[1] * (1 + size[0] * channels)
    return size


def test_save_the_view_as_png(open_page: Any, main_page: Path, tmp_path: Path) -> None:
    page = open_page(main_page, device_scale_factor=2).page
    with page.expect_download() as info:
        page.click("#save-png")
    out = tmp_path / "view.png"
    info.value.save_as(out)
    assert info.value.suggested_filename == "cubamed.png"
    canvas = page.evaluate("(() => { const c = document.querySelector('#graph canvas'); return [c.width, c.height]; })()")
    assert list(png_size(out.read_bytes())) == canvas
    assert canvas[0] >= 2 * 700  # drawn at the screen's pixel density


# ---- keyboard ----------------------------------------------------------------------------------


def test_keyboard_pans_zooms_and_clears(open_page: Any, main_page: Path) -> None:
    page = open_page(main_page).page
    page.focus("#graph")
    assert page.evaluate("document.activeElement.id") == "graph"
    view = page.evaluate("cubamed.network.getViewPosition()")
    scale = page.evaluate("cubamed.network.getScale()")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    moved = page.evaluate("cubamed.network.getViewPosition()")
    assert moved["x"] == pytest.approx(view["x"] + 80 / scale) and moved["y"] == pytest.approx(view["y"] + 80 / scale)
    page.keyboard.press("+")
    assert page.evaluate("cubamed.network.getScale()") == pytest.approx(scale * 1.25)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert page.evaluate("cubamed.network.getScale()") == pytest.approx(scale / 1.25)
    page.evaluate("cubamed.selectEntity('cuba', false)")
    page.focus("#graph")
    page.keyboard.press("Escape")
    assert page.evaluate("cubamed.state.selected") is None
    assert page.evaluate("cubamed.nodes.get().every(n => (n.opacity ?? 1) === 1)")


# ---- names ---------------------------------------------------------------------------------------


def overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(boxes) for j, b in enumerate(boxes[:i]) if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


@pytest.mark.parametrize("scale", [None, 0.8, 1.5, 3.0, 6.0])
def test_names_never_overlap(open_page: Any, main_page: Path, scale: float | None) -> None:
    page = open_page(main_page).page
    if scale is not None:
        page.evaluate(f"cubamed.network.moveTo({{position: cubamed.network.getPosition('havana'), scale: {scale}, animation: false}}); cubamed.network.redraw()")
    named = page.evaluate("cubamed.drawnNames")
    assert len(named) >= (10 if scale is None or scale < 3 else 2)
    assert overlaps([n["box"] for n in named]) == []
    if scale is None:  # at the fitted view the hubs are named
        assert "cuba" in {n["id"] for n in named}


NAME_BOX = "(id) => { const n = cubamed.drawnNames.find(n => n.id === id); return n ? n.box : null; }"
TO_PAGE = "(id) => { const r = document.getElementById('graph').getBoundingClientRect(), d = cubamed.network.canvasToDOM(cubamed.network.getPosition(id)); return [r.left + d.x, r.top + d.y]; }"


def test_names_and_rings_follow_the_map_and_a_dragged_entity(open_page: Any, main_page: Path) -> None:
    page = open_page(main_page).page
    page.evaluate("cubamed.network.moveTo({position: cubamed.network.getPosition('venezuela'), scale: 1.2, animation: false})")
    page.wait_for_timeout(100)
    before = page.evaluate(NAME_BOX, "venezuela")
    x, y = page.evaluate(TO_PAGE, "venezuela")
    # drag the map from an empty spot: the names move with it
    spot = next((sx, sy) for sx, sy in [(x + dx, y + dy) for dx in (-150, 150, 0) for dy in (-150, 150, 0)]
                if page.evaluate("([a, b]) => { const r = document.getElementById('graph').getBoundingClientRect(); const p = {x: a - r.left, y: b - r.top}; return cubamed.network.getNodeAt(p) === undefined && cubamed.network.getEdgeAt(p) === undefined; }", [sx, sy]))
    page.mouse.move(*spot)
    page.mouse.down()
    page.mouse.move(spot[0] + 60, spot[1] + 40, steps=6)
    page.mouse.up()
    page.wait_for_timeout(150)
    after = page.evaluate(NAME_BOX, "venezuela")
    assert after[0] - before[0] == pytest.approx(60, abs=1.5) and after[1] - before[1] == pytest.approx(40, abs=1.5)
    # drag the entity itself: its name and its ring go with it
    x, y = page.evaluate(TO_PAGE, "venezuela")
    ring = next(r for r in page.evaluate("cubamed.rings") if r["id"] == "venezuela")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 50, y + 30, steps=6)
    page.mouse.up()
    page.wait_for_timeout(150)
    moved = page.evaluate(NAME_BOX, "venezuela")
    assert moved[0] - after[0] == pytest.approx(-50, abs=1.5) and moved[1] - after[1] == pytest.approx(30, abs=1.5)
    ring2 = next(r for r in page.evaluate("cubamed.rings") if r["id"] == "venezuela")
    assert (ring2["x"] - ring["x"], ring2["y"] - ring["y"]) == (pytest.approx(-50, abs=1.5), pytest.approx(30, abs=1.5))


def test_a_highlighted_neighbour_always_has_its_name(open_page: Any, main_page: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(main_page).page
    for entity in ["venezuela", "conviasa", "elam", "united-states"]:
        page.evaluate(f"cubamed.selectEntity('{entity}', true); cubamed.network.redraw()")
        neighbours = set(nx.ego_graph(curated.to_undirected(as_view=True), entity, 1))
        in_view = set(page.evaluate("""(() => { const net = cubamed.network, el = document.getElementById('graph');
            return cubamed.data.entities.filter(e => { const d = net.canvasToDOM({x: e.x, y: e.y});
              return d.x > 0 && d.y > 0 && d.x < el.clientWidth && d.y < el.clientHeight; }).map(e => e.id); })()"""))
        named = {n["id"] for n in page.evaluate("cubamed.drawnNames")}
        assert (neighbours & in_view) <= named, (entity, (neighbours & in_view) - named)


# ---- safety and reduced pages ----------------------------------------------------------------------


def test_injected_markup_shows_as_text_and_runs_nothing(open_page: Any, tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("src", label="Source", name="A source " + XSS, title="A source " + XSS, kind="news", url="javascript:alert(1)")
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
    details = details_text(page)
    assert "Evil " + XSS in details and "Also: " + XSS in details
    assert "Evidence " + XSS in details and "Source: A source " + XSS in details
    assert page.locator("#details-body a").count() == 0  # a javascript: address is no link
    page.evaluate("cubamed.selectRelation('r1')")
    assert "Evidence " + XSS in details_text(page)
    page.hover("#graph")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.requests == [] and seen == []


def test_citation_shows_title_publisher_date_link_locator(open_page: Any, tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("doc", label="Source", name="Doc", title="A Report on Brigades", publisher="The Courier", date="2020-04-30", kind="news", url="https://example.org/report")
    G.add_node("a", label="State", name="Alpha", aliases=[], iso3="AAA")
    G.add_node("b", label="State", name="Beta", aliases=[], iso3="BBB")
    G.add_edge("a", "b", key="r1", type="DEPLOYED_TO", source_id="doc", locator="para. 4", evidence="Alpha sent 40 doctors to Beta.", count=40, year=2020, amount_usd=1500000.5)
    page = open_page(write_html(G, tmp_path / "cite.html")).page
    page.evaluate("cubamed.selectRelation('r1')")
    citation = page.locator("#details-body .citation")
    text = citation.inner_text()
    assert "A Report on Brigades" in text and "publisher: The Courier" in text and "date: 2020-04-30" in text and "at para. 4" in text
    link = citation.locator("a")
    assert link.inner_text() == "A Report on Brigades"
    assert link.get_attribute("href") == "https://example.org/report" and link.get_attribute("rel") == "noopener noreferrer"
    assert "Alpha sent 40 doctors to Beta." in details_text(page)
    assert "count: 40 · year: 2020 · amount usd: 1,500,000.5" in details_text(page)  # figures in schema order, years ungrouped


def test_sources_are_drawn_as_readable_boxes(open_page: Any, tmp_path: Path, curated: nx.MultiDiGraph) -> None:
    page = open_page(write_html(curated, tmp_path / "sources.html", include_sources=True)).page
    sources = sorted(n for n, lab in curated.nodes(data="label") if lab == "Source")
    boxes = {n["id"]: n for n in page.evaluate("cubamed.nodes.get()") if n["id"] in sources}
    assert sorted(boxes) == sources
    assert all(boxes[s]["label"] == curated.nodes[s]["name"] and boxes[s]["shape"] == "box" for s in sources)
    # the names are drawn at a readable size (at least 11 px on screen) at the fitted zoom and zoomed out
    threshold = page.evaluate("cubamed.data.options.nodes.scaling.label.drawThreshold")
    for zoom in [None, 0.2]:
        if zoom:
            page.evaluate(f"cubamed.network.moveTo({{scale: {zoom}, animation: false}}); cubamed.network.redraw()")
            page.wait_for_timeout(100)
        px = page.evaluate(f"cubamed.nodes.get({sources!r}).map(n => n.font.size * cubamed.network.getScale())")
        assert all(p >= max(11, threshold) for p in px), (zoom, px)
    # a click on one lists and lights up the relations it supports
    page.evaluate("cubamed.selectEntity('advocacy-2020-king', true)")
    cited = {k for _, _, k, s in curated.edges(keys=True, data="source_id") if s == "advocacy-2020-king"}
    listed = page.locator("#details-body [data-relation]").evaluate_all("els => els.map(e => e.getAttribute('data-relation'))")
    assert set(listed) == cited
    assert "Cited by " + str(len(cited)) + " relations" in details_text(page)


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
    assert page.evaluate("cubamed.state.selected") == {"kind": "entity", "id": "n59"}
    assert page.evaluate("cubamed.network.getSelectedNodes()") == []
    details = details_text(page)
    assert "Entity 59" in details and "Person · id: n59" in details and "Not drawn" in details
    assert "Sanctioned by Entity 0" in details and "Also: E59" in details
    assert page.locator("#details-body code").inner_text() == "cubamed html n59.html --focus n59 --depth 1"
    assert "2 relations" in details
    assert "DEPLOYED_TO" in details and "count: 59 · year: 2059" in details and "Source: A report" in details and "says 59" in details
    # its drawn neighbour is highlighted, the rest dimmed; its link selects it on the map
    assert page.evaluate("cubamed.nodes.get('n0').opacity ?? 1") == 1 and page.evaluate("cubamed.nodes.get('n10').opacity") < 1
    page.locator("#details-body button.link", has_text="Entity 0").first.click()
    assert page.evaluate("cubamed.network.getSelectedNodes()") == ["n0"]
    # a drawn entity lists its relations with entities not drawn too
    details = details_text(page)
    assert "more relations with entities not drawn" in details
    drawn = page.evaluate("cubamed.data.relations.filter(r => r.from === 'n0' || r.to === 'n0').length")
    assert drawn + int(details.split(" more relation")[0].split("\n")[-1]) == G.degree("n0")
    # an undrawn entity reached through a link opens too
    page.locator("#details-body button.link.undrawn", has_text="Entity 1").first.click()
    assert page.evaluate("cubamed.state.selected") == {"kind": "entity", "id": "n1"} and "Not drawn" in details_text(page)
    assert opened.errors == [] and opened.requests == []
