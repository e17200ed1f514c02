"""The explorer page as text: structure, no network references, escaping; and `cubamed html`."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
import warnings
from collections import Counter
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.errors import CubamedError, EntityNotFound
from graph.html import EmptyViewWarning, ReducedViewWarning, generate_html, page_script, select_view, write_html
from graph.project import Project
from graph.schema import load_schema

from ..conftest import FIXTURES, ROOT

RENAMED = FIXTURES / "renamed-roles"

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
    assert page.startswith('<!doctype html>\n<html lang="en">')
    assert page.rstrip().endswith("</html>")
    assert "Content-Security-Policy" in page
    data = page_data(page)
    assert len(data["entities"]) == 11  # 13 entities less the 2 source documents
    assert len(data["relations"]) == 8
    assert {n["id"] for n in data["entities"]} == {n for n, d in mini.nodes(data=True) if d["label"] != "Source"}


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
    assert next(n for n in data["entities"] if n["id"] == "cuba")["name"] == PAYLOAD  # the text survives intact
    assert PAYLOAD in [r["evidence"] for r in data["relations"]]


def test_sanctioned_entities_are_marked(mini: nx.MultiDiGraph) -> None:
    data = page_data(generate_html(mini))
    entities = {n["id"]: n for n in data["entities"]}
    assert entities["conviasa"]["sanctioned_by"] == ["United States"]
    assert entities["cuba"]["sanctioned_by"] is None
    schema = load_schema()
    assert data["sanctioned"] == {"label": schema.sanctioned_label, "color": schema.sanctioned_color}


def test_a_schema_without_sanctions_or_documents_gives_null_keys() -> None:
    G = Project(ROOT / "examples/hospitals/data", schema=ROOT / "examples/hospitals/schema.yaml").load()
    data = page_data(generate_html(G))
    assert (data["sanctioned"], data["source_label"]) == (None, None)
    one = next(e for e in data["entities"] if e["id"] == "hospital-one")
    assert (one["name"], one["aliases"], one["sanctioned_by"]) == ("Hospital One", ["H1", "St. Mary's"], None)
    assert one["properties"] == {"beds": 120, "public": True}
    r = next(r for r in data["relations"] if r["from"] == "hospital-one")
    assert (r["source"], r["locator"], r["evidence"], r["years"]) == (None, None, None, None)
    assert r["properties"] == {"since": 1950, "note": "The old one."}


def test_relations_carry_figures_source_and_evidence(mini: nx.MultiDiGraph) -> None:
    data = page_data(generate_html(mini))
    r = next(r for r in data["relations"] if r["from"] == "cuba" and r["to"] == "saint-lucia")
    assert r["type"] == "DEPLOYED_TO" and r["years"] == [2020, 2020]
    assert r["properties"] == {"count": 113, "year": 2020, "event": "COVID-19 pandemic (covid)"}  # schema order
    assert r["locator"] == "para. 8" and r["evidence"] == "Saint Lucia got 113 Cuban health workers."
    assert r["id"] in {k for _, _, k in mini.edges(keys=True)}
    assert data["sources"][r["source"]] == {"title": "A news article", "fields": [["kind", "news"]]}


def test_citations_carry_every_property_of_the_source(curated: nx.MultiDiGraph) -> None:
    sources = page_data(generate_html(curated))["sources"]
    king = curated.nodes["advocacy-2020-king"]
    assert sources["advocacy-2020-king"]["title"] == king["title"]
    fields = dict(sources["advocacy-2020-king"]["fields"])
    assert fields["publisher"] == king["publisher"] and fields["author"] == king["author"] and fields["date"] == str(king["date"])
    assert set(sources) == {s for _, _, s in curated.edges(data="source_id")}


def test_every_relation_is_in_one_bundle_of_its_pair_and_family(curated: nx.MultiDiGraph) -> None:
    data = page_data(generate_html(curated))
    schema = load_schema()
    relations, bundles = data["relations"], data["bundles"]
    members = sorted(i for b in bundles for i in b["relations"])
    assert members == list(range(len(relations))) == list(range(curated.number_of_edges()))
    for b in bundles:
        for i in b["relations"]:
            r = relations[i]
            assert {r["from"], r["to"]} == {b["from"], b["to"]} and schema.relationships[r["type"]].family == b["family"]
    pairs = {(frozenset((u, v)), schema.relationships[t].family) for u, v, t in curated.edges(data="type")}
    assert len(bundles) == len(pairs)
    # the bundles of one pair are fanned out: no two share a curve
    by_pair: dict = {}
    for b in bundles:
        by_pair.setdefault((b["from"], b["to"]), []).append(b["curve"])
    assert all(len(set(c)) == len(c) for c in by_pair.values())
    assert max(len(c) for c in by_pair.values()) >= 3  # Cuba and the World are joined in several families


def test_families_come_from_the_schema(curated: nx.MultiDiGraph) -> None:
    data = page_data(generate_html(curated))
    schema = load_schema()
    assert [(f["name"], f["doc"], f["color"]) for f in data["families"]] == [(f.name, f.doc, f.color) for f in schema.families.values()]
    drawn = {t["name"]: (f["name"], t["tally"]) for f in data["families"] for t in f["types"]}
    counts = Counter(t for _, _, t in curated.edges(data="type"))
    assert drawn == {t: (schema.relationships[t].family, n) for t, n in counts.items()}


def test_types_without_a_family_get_one_each(mini: nx.MultiDiGraph) -> None:
    schema = load_schema()
    plain = dataclasses.replace(
        schema, families={}, relationships={t: dataclasses.replace(r, family=None) for t, r in schema.relationships.items()}
    )
    families = page_data(generate_html(mini, schema=plain))["families"]
    assert sorted(f["name"] for f in families) == sorted({t for _, _, t in mini.edges(data="type")})
    assert len({f["color"] for f in families}) == len(families)


def test_shapes_do_not_overlap(curated: nx.MultiDiGraph) -> None:
    """Entities are pushed apart, with room between them to see and click the edge that joins them."""
    entities = page_data(generate_html(curated))["entities"]
    gaps = [math.dist((a["x"], a["y"]), (b["x"], b["y"])) - 1.15 * (a["size"] + b["size"]) for a, b in itertools.combinations(entities, 2)]
    assert min(gaps) >= 20


def test_the_script_names_no_label_type_or_property() -> None:
    """Label, type and property names reach the page only through its data, never as literals in its script."""
    schema = load_schema()
    script = re.sub(r"//[^\n]*", "", page_script())  # comments may name them
    script = re.sub(r'setAttribute\("[^"]*"', "", script)  # HTML attribute names (role) are not the schema's
    literals = set(re.findall(r'"((?:[^"\\\n]|\\.)*)"', script)) | set(re.findall(r"'((?:[^'\\\n]|\\.)*)'", script))
    properties = (
        set(schema.relationship_properties) | set(schema.node_properties) | {p for lab in schema.labels.values() for p in lab.properties}
    )
    assert literals & properties - {"id", "name"} == set()  # id and name are keys of the page data itself
    words = set(re.findall(r"\b\w+\b", script))
    named = set(schema.labels) | set(schema.relationships) | {schema.sanctioned_label} | set(schema.families)
    assert words & named == set()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param({}, "conviasa covid cuba elam jamaica lombardy maduro missions saint-lucia united-states venezuela", id="no-sources"),
        pytest.param(
            {"include_sources": True},
            "conviasa covid cuba elam encyclopedia jamaica lombardy maduro missions news saint-lucia united-states venezuela",
            id="sources",
        ),
        pytest.param({"focus": "St. Lucia"}, "cuba saint-lucia", id="focus-depth-1"),
        pytest.param({"focus": "conviasa", "depth": 2}, "conviasa missions united-states", id="focus-depth-2"),
        pytest.param({"focus": "covid", "depth": 3}, "covid", id="focus-isolated"),
        pytest.param({"labels": ["Person", "State"]}, "cuba jamaica maduro saint-lucia united-states venezuela", id="labels"),
        pytest.param({"types": ["SANCTIONED"]}, "conviasa united-states", id="types"),
        pytest.param({"years": (1990, 2000)}, "conviasa cuba elam maduro united-states venezuela", id="years-keep-undated"),
        pytest.param({"types": ["DEPLOYED_TO"], "focus": "Jamaica"}, "cuba jamaica", id="types-and-focus"),
        pytest.param({"focus": "St. Lucia", "labels": ["Program"]}, "saint-lucia", id="focus-of-a-label-left-out"),
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


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"labels": ["Statee"]}, "unknown label 'Statee'; the schema has: State, Region", id="label"),
        pytest.param({"types": ["FUNDS"]}, "unknown relationship type 'FUNDS'", id="type"),
    ],
)
def test_select_view_names_what_is_unknown(mini: nx.MultiDiGraph, options: dict, message: str) -> None:
    """The same messages from `select_view` itself (`generate_html` checks the labels on its own way)."""
    with pytest.raises(CubamedError, match=re.escape(message)):
        select_view(mini, **options)


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
    assert len(data["entities"]) == 20 and "n0" in {n["id"] for n in data["entities"]}
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
    drawn = [n["id"] for n in data["entities"]]
    index = data["index"]
    ids = drawn + [row[0] for row in index["entities"]]
    assert sorted(ids) == sorted(n for n in G if n != "src")  # every entity, once
    row = next(r for r in index["entities"] if r[0] == "n59")
    assert row[1:4] == ["Entity 59", ["E59"], index["labels"].index("Person")]
    assert row[4] == {"note": "n59"} and row[5] == ["Entity 0"]
    # the relations not drawn, and only they, with figures and source
    rels = {(ids[r[0]], ids[r[1]], index["types"][r[2]], r[9]) for r in index["relations"]}
    assert rels == {(u, v, t, k) for u, v, k, t in G.edges(keys=True, data="type") if not (u in drawn and v in drawn)}
    r = next(r for r in index["relations"] if ids[r[1]] == "n59" and index["types"][r[2]] == "DEPLOYED_TO")
    assert r[3:9] == [2059, 2059, "src", None, "says 59", {"count": 59, "year": 2059}]
    assert data["sources"]["src"]["title"] == "A report"


def random_multigraph(seed: int) -> nx.MultiDiGraph:
    """80 entities of two labels and 2 source documents, with parallel relations, loops and relations to the documents."""
    rng = __import__("random").Random(seed)
    G = nx.MultiDiGraph()
    for i in range(80):
        G.add_node(f"n{i:02d}", label=rng.choice(["State", "Person"]), name=f"N {i}", aliases=[], note=str(i))
    for s in ("s1", "s2"):
        G.add_node(s, label="Source", name=s, title=s)
    nodes = list(G)
    for j in range(160):
        u, v = rng.choice(nodes), rng.choice(nodes[:20] if j % 3 else nodes)  # some hubs, some ties
        G.add_edge(u, v, key=f"r{j}", type="DEPLOYED_TO")
    return G


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="whole"),
        pytest.param({"labels": ["Person"]}, id="labels"),
        pytest.param({"include_sources": True}, id="sources"),
        pytest.param({"years": (1000, 3000)}, id="years-copied-view"),  # the view is copied, then reduced (`_reduce`)
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reduced_view_draws_networkx_most_connected(seed: int, options: dict) -> None:
    """The reduced page, made without copying the view, draws what networkx's degrees in the copied view choose."""
    G = random_multigraph(seed)
    view = nx.MultiDiGraph(G.subgraph(select_view(G, **options)))  # networkx's own copy of the view
    degree = dict(view.degree())
    top = sorted(view, key=lambda x: (-degree[x], x))[:25]
    with pytest.warns(ReducedViewWarning) as caught:
        data = page_data(generate_html(G, max_nodes=25, **options))
    drawn = [e["id"] for e in data["entities"]]
    assert sorted(drawn) == sorted(top)
    inner = view.subgraph(top)
    assert sorted(r["id"] for r in data["relations"]) == sorted(k for _, _, k in inner.edges(keys=True))
    assert f"({inner.number_of_edges():,} of {view.number_of_edges():,} relations)" in str(caught[0].message)
    assert f"most connected of {view.number_of_nodes():,} entities" in data["note"]
    index = data["index"]
    ids = drawn + [row[0] for row in index["entities"]]
    assert sorted(ids) == sorted(view)  # every entity of the view, once
    assert [row[0] for row in index["entities"]] == [n for n in G if n in view and n not in top]  # in the graph's order
    rels = {(ids[r[0]], ids[r[1]], r[9]) for r in index["relations"]}
    assert rels == {(u, v, k) for u, v, k in view.edges(keys=True) if not (u in top and v in top)}
    assert data["total"] == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def test_index_leaves_relations_out_beyond_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graph.html._data.INDEX_BUDGET", 100)
    with pytest.warns(ReducedViewWarning):
        index = page_data(generate_html(beyond_the_cap(), max_nodes=20))["index"]
    assert index["relations"] is None and index["dropped"] is True
    assert len(index["entities"]) == 40  # the entities stay searchable


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
    assert {n["id"] for n in page_data(out.read_text(encoding="utf-8"))["entities"]} == {"saint-lucia", "cuba"}


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

    from graph.html import generate_html, show

    display = pytest.importorskip("IPython.display")
    shown: list = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj))
    show(mini, focus="St. Lucia")
    (obj,) = shown
    assert "<script" not in obj.data  # the whole page is an attribute value, escaped

    frames: list[dict[str, str | None]] = []

    class Frame(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "iframe":
                frames.append(dict(attrs))

    Frame().feed(obj.data)
    (frame,) = frames
    assert frame["srcdoc"] == generate_html(mini, focus="St. Lucia")  # the whole page, byte for byte
    assert frame["sandbox"] == "allow-scripts allow-downloads"


def test_cli_refuses_a_missing_folder(tmp_path) -> None:
    out = tmp_path / "nowhere" / "g.html"
    result = CliRunner().invoke(main, ["html", str(out), "--data", MINI])
    assert result.exit_code == 2
    assert (
        f"Invalid value for FILE: the folder '{out.parent}' does not exist; create it first (mkdir -p {out.parent}) or choose another path"
        in result.output
    )
    assert not out.parent.exists()


def test_build_says_it_created_the_folder(tmp_path) -> None:
    out = tmp_path / "build" / "cubamed.html"
    result = run("build", "--data", MINI, "--html", str(out))
    assert result.exit_code == 0, result.output
    assert f"Created the folder {out.parent} for the page." in result.output and out.exists()
    result = run("build", "--data", MINI, "--html", str(out))
    assert "Created the folder" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--types", "AWARDED"], "the options (types AWARDED) leave no entity", id="types"),
        pytest.param(
            ["--labels", "Person", "--years", "1900-1901"],
            "the options (labels Person; years 1900-1901) leave no entity",
            id="labels-years",
        ),
    ],
)
def test_cli_warns_when_the_filters_leave_nothing(tmp_path, args: list[str], message: str) -> None:
    out = tmp_path / "g.html"
    result = run("html", str(out), "--data", MINI, *args)
    assert result.exit_code == 0
    assert f"Warning: Nothing to draw: {message}. Loosen them and write the page again." in result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["entities"] == [] and message in data["note"]  # the page says so too


def test_an_empty_view_warns_in_python(mini: nx.MultiDiGraph) -> None:
    with pytest.warns(EmptyViewWarning, match=r"the options \(labels Person; types SANCTIONED\) leave no entity"):
        generate_html(mini, labels=["Person"], types=["SANCTIONED"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generate_html(mini, types=["SANCTIONED"])


def test_cli_sources_draws_the_documents(tmp_path) -> None:
    out = tmp_path / "g.html"
    assert run("html", str(out), "--data", MINI, "--sources").exit_code == 0
    data = page_data(out.read_text(encoding="utf-8"))
    documents = {e["id"]: e for e in data["entities"] if e["label"] == "Source"}
    assert sorted(documents) == ["encyclopedia", "news"]
    shape = {lab["name"]: lab["shape"] for lab in data["labels"]}["Source"]
    assert shape == "box" and documents["news"]["name"] == "A news article"  # drawn as a box holding its name
    assert set(data["sources"]) == {"encyclopedia", "news"}  # with the citation its details show


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"focus": "St. Lucia"}, id="defaults"),
        pytest.param({"focus": "Saint Lucia", "depth": 2, "labels": ["State", "Source"], "types": ["DEPLOYED_TO"], "years": (2020, 2020)}, id="view"),
        pytest.param({"include_sources": True, "max_nodes": 3, "title": "Three"}, id="page"),
    ],
)
def test_write_html_writes_what_generate_html_gives(mini: nx.MultiDiGraph, tmp_path, options: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReducedViewWarning)
        out = write_html(mini, tmp_path / "page.html", **options)
        assert out.read_text(encoding="utf-8") == generate_html(mini, **options)
        if "depth" in options:  # the option shows in the page
            assert out.read_text(encoding="utf-8") != generate_html(mini, **(options | {"depth": 1}))


def test_write_html_uses_the_schema_given(tmp_path) -> None:
    schema = load_schema(RENAMED / "schema.yaml")
    G = nx.MultiDiGraph(graph.load(RENAMED / "data", schema=schema))  # a copy: it forgets its schema
    out = write_html(G, tmp_path / "page.html", schema=schema)
    assert out.read_text(encoding="utf-8") == generate_html(G, schema=schema)


@pytest.mark.parametrize(
    ("options", "given"),
    [
        pytest.param({"labels": ["Person", "Region"], "types": ["SANCTIONED", "EXPELLED"]}, "labels Person,Region; types SANCTIONED,EXPELLED", id="lists"),
        pytest.param({}, "none", id="no-option-on-an-empty-graph"),
    ],
)
def test_the_empty_view_warning_names_every_option_given(mini: nx.MultiDiGraph, options: dict, given: str) -> None:
    G = mini if options else nx.MultiDiGraph()
    with pytest.warns(EmptyViewWarning) as caught:
        generate_html(G, schema=load_schema(), **options)
    assert str(caught[0].message) == f"Nothing to draw: the options ({given}) leave no entity. Loosen them and write the page again."


def test_show_without_ipython_says_what_to_use_instead(mini: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from graph.html import show

    def no_ipython(name: str) -> None:
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", no_ipython)
    with pytest.raises(CubamedError) as err:
        show(mini)
    assert str(err.value) == "graph.html.show needs IPython (Jupyter); elsewhere use write_html(G, 'graph.html') and open the file"


def test_show_draws_a_frame_650_pixels_high_unless_told(mini: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.html import show

    display = pytest.importorskip("IPython.display")
    shown: list = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj))
    show(mini, focus="St. Lucia")
    show(mini, focus="St. Lucia", height=300)
    assert ["height:650px" in shown[0].data, "height:300px" in shown[1].data] == [True, True]


def test_write_html_to_a_folder_says_it_cannot_write(mini: nx.MultiDiGraph, tmp_path) -> None:
    with pytest.raises(CubamedError) as err:
        write_html(mini, tmp_path, focus="ELAM")
    assert str(err.value) == f"{tmp_path}: cannot write the page (Is a directory); choose a writable path"
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_a_graph_of_exactly_max_nodes_is_drawn_whole(mini: nx.MultiDiGraph) -> None:
    view = select_view(mini)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        generate_html(mini, max_nodes=len(view))
    with pytest.warns(ReducedViewWarning) as caught:
        generate_html(mini, max_nodes=len(view) - 1)
    kept = view.subgraph(n for n in view if n != "covid")  # the least connected: the event no relation joins
    assert str(caught[0].message) == (
        f"This page draws the {len(view) - 1} most connected of {len(view)} entities "
        f"({kept.number_of_edges()} of {view.number_of_edges()} relations): a page drawing more would not stay responsive. "
        "The search covers all of them; for any other part, write a focused view: cubamed html FILE --focus NAME --depth 1"
    )


def test_a_reduced_page_draws_the_most_connected_entities_ties_by_id(mini: nx.MultiDiGraph) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReducedViewWarning)
        drawn = {n: {e["id"] for e in page_data(generate_html(mini, max_nodes=n))["entities"]} for n in (2, 3)}
    assert drawn == {2: {"cuba", "conviasa"}, 3: {"cuba", "conviasa", "jamaica"}}  # cuba 5 relations; conviasa and jamaica 2


def test_page_data_is_compact_json_that_keeps_accents_as_they_are(mini: nx.MultiDiGraph) -> None:
    page = generate_html(mini)
    assert '{"id":"maduro","name":"Nicolás Maduro",' in page  # no spaces, no \\u00e1: the page stays small


def test_entity_properties_are_json_values_schema_ones_first_then_by_name(mini: nx.MultiDiGraph) -> None:
    """The page data's rule for values: text, numbers and booleans stay, a tuple or list is a list (items by the
    same rule), a number that is not finite is null (JSON has none), anything else is its text; None is left
    out. Read back with json.loads from the page itself."""
    import datetime as dt

    class Count(int):  # an int of another type (as numpy's or an IntEnum): still a number
        pass

    G = mini.copy()
    G.nodes["cuba"].update(
        tally=Count(3), ratio=float("nan"), top=float("inf"), share=0.5, pair=(1, "a"), when=dt.date(2020, 1, 2),
        nested=[1.5, float("-inf"), ("x",)], flag=False, count=0, none=None, names=["b", "a"], one={"x"},
    )  # fmt: skip
    cuba = next(e for e in page_data(generate_html(G))["entities"] if e["id"] == "cuba")
    assert list(cuba["properties"].items()) == [
        ("iso3", "CUB"),  # declared by the schema for State: first
        ("count", 0),
        ("flag", False),
        ("names", ["b", "a"]),
        ("nested", [1.5, None, ["x"]]),
        ("one", ["x"]),  # a set: a list
        ("pair", [1, "a"]),
        ("ratio", None),
        ("share", 0.5),
        ("tally", 3),
        ("top", None),
        ("when", "2020-01-02"),
    ]


def _vis_blocks(bundle: str, key: str) -> list[str]:
    """The bodies of every `key:{...}` of vis-network's bundle (its option schema, `allOptions`, among them)."""
    out = []
    for m in re.finditer(rf"[{{,]{re.escape(key)}:\{{", bundle):
        i, depth = m.end(), 1
        while depth:
            depth += {"{": 1, "}": -1}.get(bundle[i], 0)
            i += 1
        out.append(bundle[m.end() : i - 1])
    return out


def _vis_own_level(block: str) -> str:
    """A body's own level (nested bodies left out), and its `__type__` list."""
    kept, depth = [], 0
    for c in block:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0 and c not in "{}":
            kept.append(c)
    return "".join(kept) + "," + ",".join(re.findall(r"__type__:\{([^{}]*)\}", block))


def _vis_option_problems(options: dict, bundle: str, path: str = "") -> list[str]:
    kind = {bool: "boolean", int: "number", float: "number", str: "string"}
    bad = []
    for k, v in options.items():
        blocks = _vis_blocks(bundle, k)
        if not blocks:
            bad.append(f"{path}{k}: not an option vis-network knows")
        elif isinstance(v, dict):
            bad += _vis_option_problems(v, bundle, f"{path}{k}.")
        elif not any(re.search(rf"(^|,){kind.get(type(v), type(v).__name__)}:", _vis_own_level(b)) for b in blocks):
            bad.append(f"{path}{k}: {v!r} is not of a type vis-network's option schema takes")
    return bad


def test_page_options_are_options_vis_network_knows_with_their_types(mini: nx.MultiDiGraph) -> None:
    """vis-network checks its options against its own schema (`allOptions`, in the bundle pyvis
    ships): every name the page passes is one it declares, every value of a type it lists there
    (`hideEdgesOnDrag` a boolean, not null). A misspelt option is otherwise ignored in silence."""
    from importlib import resources

    bundle = (resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")
    options = page_data(generate_html(mini))["options"]
    assert _vis_option_problems(options, bundle) == []
    assert _vis_option_problems({"nodes": {"widthConstrant": {"maximum": 1}}, "interaction": {"hover": None}}, bundle) == [
        "nodes.widthConstrant: not an option vis-network knows",
        "interaction.hover: None is not of a type vis-network's option schema takes",
    ]


def test_line_and_paragraph_separators_in_names_are_escaped_in_the_page_data() -> None:
    """U+2028 and U+2029 end a line in JavaScript source before ES2019: the page's JSON holds
    them escaped (`_script_json`), and `json.loads` gives the names back unchanged."""
    G = nx.MultiDiGraph()
    G.add_node("a", label="State", name="line\u2028sep", aliases=["para\u2029sep"])
    page = generate_html(G)
    block = re.search(r'<script id="cubamed-data" type="application/json">(.*?)</script>', page, re.DOTALL)
    assert block and "\u2028" not in block.group(1) and "\u2029" not in block.group(1)
    (entity,) = page_data(page)["entities"]
    assert entity["name"] == "line\u2028sep"
    assert "para\u2029sep" in json.dumps(page_data(page), ensure_ascii=False)
