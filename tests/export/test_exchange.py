"""GraphML, GEXF and node-link JSON: round trips through networkx's own readers (types included),
exactly what those readers change by themselves, atomic writes, and the networkx, pandas,
Cytoscape and pyvis conversions keeping every attribute."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.errors import ExportError, ModelError
from graph.export import (
    generate_gexf,
    generate_graphml,
    generate_json,
    read_gexf,
    read_graph,
    read_graphml,
    read_json,
    write_gexf,
    write_graphml,
    write_json,
)
from graph.export.gexf import liststring, parse_liststring
from graph.schema import parse_schema

from ..conftest import FIXTURES

MINI = str(FIXTURES / "mini")

# --- helpers ---------------------------------------------------------------------------------------


def typed(x: Any) -> Any:
    """`x` with the type of every value spelled out, so that 10 and 10.0 compare different."""
    if isinstance(x, dict):
        return {k: typed(v) for k, v in x.items()}
    if isinstance(x, list):
        return [typed(v) for v in x]
    if isinstance(x, float) and math.isnan(x):
        return ("float", "nan")
    return (type(x).__name__, x)


def assert_equal_typed(H: nx.MultiDiGraph, G: nx.MultiDiGraph) -> None:
    """Same class, graph attributes, nodes and edges (with keys), every value of the same type."""
    assert type(H) is type(G)
    assert typed(H.graph) == typed(G.graph)
    assert {n: typed(d) for n, d in H.nodes(data=True)} == {n: typed(d) for n, d in G.nodes(data=True)}
    assert {(u, v, k): typed(d) for u, v, k, d in H.edges(keys=True, data=True)} == {
        (u, v, k): typed(d) for u, v, k, d in G.edges(keys=True, data=True)
    }


ALL_TYPES_SCHEMA = {
    "node_properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "aliases": {"type": "list[string]"},
    },
    "labels": {
        "Thing": {
            "properties": {
                "count": {"type": "int"},
                "share": {"type": "number"},
                "active": {"type": "bool"},
                "founded": {"type": "date"},
                "kind": {"type": "enum", "values": ["a", "b"]},
                "parent": {"type": "ref"},
                "note": {"type": "string"},
            }
        },
        "Doc": {"properties": {"title": {"type": "string"}}},
    },
    "relationship_properties": {
        "id": {"type": "string"},
        "source_id": {"type": "ref", "labels": ["Doc"]},
        "amount": {"type": "number"},
        "year": {"type": "int"},
        "tags": {"type": "list[string]"},
        "certain": {"type": "bool"},
        "when": {"type": "date"},
    },
    "relationships": {"LINKS": {"from": ["Thing"], "to": ["Thing"]}, "CITES": {"from": ["Thing"], "to": ["Doc"]}},
    "roles": {"key": "id", "name": "name", "aliases": "aliases", "provenance": "source_id", "title": "title"},
}


@pytest.fixture(scope="module")
def all_types(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, Any]:
    """A small graph with a value of every property type, awkward text, and undeclared attributes."""
    schema = parse_schema(ALL_TYPES_SCHEMA, tmp_path_factory.mktemp("schema") / "schema.yaml")
    G = nx.MultiDiGraph(name="all types", version=3, ratio=0.5, flags=["x", "y"])
    G.add_node(
        "a",
        label="Thing",
        name='Ünïcode "quoted" <&> \\ back',
        aliases=["St. Lucia", 'say "hi"', "back\\slash", "comma, inside", "[brackets]", ""],
        count=2**40,
        share=10.0,
        active=True,
        founded="2020-03",
        kind="a",
        parent="b",
        note="line one\nline two\r\nthird\ttabbed",
        centrality=0.25,  # undeclared float
        rank=3,  # undeclared int
        extra={"nested": [1, "two", None]},  # undeclared map: JSON text
        mixed_list=[1, "a"],  # undeclared, no single type
    )
    G.add_node("b", label="Thing", name="B", aliases=[], share=float("inf"), active=False, count=-5)
    G.add_node("d", label="Doc", name="D", title="A document")
    G.add_edge("a", "b", key="123", type="LINKS", source_id="d", amount=2.5, year=2020, tags=["x", "y"], certain=False, when="2020-01-02")
    G.add_edge("a", "b", key="k-2", type="LINKS", amount=3.0, weight_score=1.5)  # parallel edge; undeclared float
    G.add_edge("b", "a", key="k-3", type="LINKS", amount=float("-inf"))
    G.add_edge("a", "d", key="k-4", type="CITES")
    return G, schema


FORMATS: list[tuple[str, Callable[..., Path], Callable[[Path], nx.MultiDiGraph]]] = [
    ("graphml", write_graphml, read_graphml),
    ("gexf", write_gexf, read_gexf),
    ("json", write_json, read_json),
]


# --- round trips -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "write", "read"), [pytest.param(*f, id=f[0]) for f in FORMATS])
def test_curated_graph_round_trips_types_included(curated: nx.MultiDiGraph, tmp_path: Path, suffix: str, write: Any, read: Any) -> None:
    path = write(curated, tmp_path / f"g.{suffix}")
    assert_equal_typed(read(path), curated)
    assert_equal_typed(read_graph(path), curated)


@pytest.mark.parametrize(("suffix", "write", "read"), [pytest.param(*f, id=f[0]) for f in FORMATS])
def test_every_property_type_round_trips(
    all_types: tuple[nx.MultiDiGraph, Any], tmp_path: Path, suffix: str, write: Any, read: Any
) -> None:
    G, schema = all_types
    H = read(write(G, tmp_path / f"g.{suffix}", schema=schema))
    assert_equal_typed(H, G)
    assert H.nodes["a"]["count"] == 2**40 and type(H.nodes["b"]["share"]) is float and H.nodes["b"]["share"] == math.inf


def test_number_properties_are_always_decimals(tmp_path: Path) -> None:
    """`quantity` is `number` in the schema: an int in the graph is written, and read back, as a float."""
    G = graph.load(MINI)
    u, v, k = next(iter(G.edges(keys=True)))
    G.edges[u, v, k]["quantity"] = 10
    for suffix, write, read in FORMATS:
        H = read(write(G, tmp_path / f"q.{suffix}"))
        assert typed(H.edges[u, v, k]["quantity"]) == ("float", 10.0), suffix
    assert 'attr.name="quantity" attr.type="double"' in (tmp_path / "q.graphml").read_text(encoding="utf-8")


# --- what networkx's own readers change, exactly ---------------------------------------------------


def test_graphml_raw_reader_differs_only_where_documented(curated: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_graphml(curated, tmp_path / "g.graphml")
    raw = nx.read_graphml(path)
    assert type(raw) is nx.MultiDiGraph  # the curated graph has parallel relations
    assert raw.graph == {"node_default": {}, "edge_default": {}, **curated.graph}
    expected_nodes = {
        n: {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in d.items()} for n, d in curated.nodes(data=True)
    }
    assert dict(raw.nodes(data=True)) == expected_nodes
    assert typed(raw.nodes["saint-lucia"]["aliases"]) == ("str", '["St. Lucia"]')
    assert {(u, v, k): d for u, v, k, d in raw.edges(keys=True, data=True)} == {
        (u, v, k): d for u, v, k, d in curated.edges(keys=True, data=True)
    }


def test_graphml_raw_reader_turns_numeric_keys_into_ints_and_single_edges_into_a_digraph(
    all_types: tuple[nx.MultiDiGraph, Any], tmp_path: Path
) -> None:
    G, schema = all_types
    H = nx.MultiDiGraph(G.subgraph(["a", "d"]))  # one edge: no parallel relations
    path = write_graphml(H, tmp_path / "one.graphml", schema=schema)
    raw = nx.read_graphml(path)
    assert type(raw) is nx.DiGraph and raw.edges["a", "d"]["id"] == "k-4"
    path = write_graphml(G, tmp_path / "all.graphml", schema=schema)
    assert 123 in {k for *_, k in nx.read_graphml(path).edges(keys=True)}  # "123" read as an int
    assert "123" in {k for *_, k in read_graphml(path).edges(keys=True)}


def test_gexf_raw_reader_differs_only_where_documented(curated: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_gexf(curated, tmp_path / "g.gexf")
    raw = nx.read_gexf(path)
    assert type(raw) is nx.MultiDiGraph
    assert raw.graph == {"mode": "static", "node_default": {}, "edge_default": {}}
    for n, d in curated.nodes(data=True):
        expected = {k: liststring(v) if isinstance(v, list) else v for k, v in d.items() if k != "label"}
        assert raw.nodes[n] == expected | {"label": d["name"], "schema_label": d["label"]}
    for u, v, k, d in curated.edges(keys=True, data=True):
        assert raw.edges[u, v, k] == {p: x for p, x in d.items() if p != "type"} | {"label": d["type"], "id": k}


def test_json_raw_reader_gives_back_the_graph(curated: nx.MultiDiGraph, tmp_path: Path) -> None:
    path = write_json(curated, tmp_path / "g.json")
    assert_equal_typed(nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges"), curated)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(nx.node_link_data(curated, edges="edges")))


# --- exact output on a tiny graph --------------------------------------------------------------------


def _tiny() -> nx.MultiDiGraph:
    """Cuba and Saint Lucia of the mini graph, in that order, and the relation between them."""
    G = graph.load(MINI)
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in ("cuba", "saint-lucia"))
    H.add_edges_from((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if {u, v} == {"cuba", "saint-lucia"})
    return H


def test_graphml_golden() -> None:
    text = "".join(generate_graphml(_tiny()))
    assert text == (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        '  <key id="d0" for="graph" attr.name="schema_version" attr.type="long" />\n'
        '  <key id="d1" for="node" attr.name="label" attr.type="string" />\n'
        '  <key id="d2" for="node" attr.name="name" attr.type="string" />\n'
        '  <key id="d3" for="node" attr.name="aliases" attr.type="string"><desc>list[string] as a JSON array</desc></key>\n'
        '  <key id="d4" for="node" attr.name="iso3" attr.type="string" />\n'
        '  <key id="d5" for="edge" attr.name="type" attr.type="string" />\n'
        '  <key id="d6" for="edge" attr.name="source_id" attr.type="string" />\n'
        '  <key id="d7" for="edge" attr.name="locator" attr.type="string" />\n'
        '  <key id="d8" for="edge" attr.name="evidence" attr.type="string" />\n'
        '  <key id="d9" for="edge" attr.name="count" attr.type="long" />\n'
        '  <key id="d10" for="edge" attr.name="year" attr.type="long" />\n'
        '  <key id="d11" for="edge" attr.name="event" attr.type="string" />\n'
        '  <graph edgedefault="directed">\n'
        '    <data key="d0">1</data>\n'
        '    <node id="cuba"><data key="d1">State</data><data key="d2">Cuba</data><data key="d4">CUB</data></node>\n'
        '    <node id="saint-lucia"><data key="d1">State</data><data key="d2">Saint Lucia</data>'
        '<data key="d3">["St. Lucia"]</data><data key="d4">LCA</data></node>\n'
        '    <edge id="deployed-to-46a7edb4d244" source="cuba" target="saint-lucia"><data key="d5">DEPLOYED_TO</data>'
        '<data key="d6">news</data><data key="d9">113</data><data key="d10">2020</data><data key="d11">covid</data>'
        '<data key="d7">para. 8</data><data key="d8">Saint Lucia got 113 Cuban health workers.</data></edge>\n'
        "  </graph>\n</graphml>\n"
    )


def test_gexf_golden() -> None:
    text = "".join(generate_gexf(_tiny()))
    assert text.startswith(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
        '  <meta><creator>cubamed</creator><description>{"graph": {"schema_version": 1}, "json": {"node": [], "edge": []}}</description></meta>\n'
        '  <graph defaultedgetype="directed" mode="static">\n'
        '    <attributes class="node" mode="static">\n'
        '      <attribute id="0" title="schema_label" type="string" />\n'
        '      <attribute id="1" title="name" type="string" />\n'
        '      <attribute id="2" title="aliases" type="liststring" />\n'
        '      <attribute id="3" title="iso3" type="string" />\n'
        "    </attributes>\n"
    )
    assert (
        '      <node id="saint-lucia" label="Saint Lucia"><attvalues><attvalue for="0" value="State" />'
        '<attvalue for="1" value="Saint Lucia" /><attvalue for="2" value="[&quot;St. Lucia&quot;]" />'
        '<attvalue for="3" value="LCA" /></attvalues></node>\n'
    ) in text
    assert '<edge id="deployed-to-46a7edb4d244" source="cuba" target="saint-lucia" label="DEPLOYED_TO" kind="DEPLOYED_TO">' in text
    assert text.endswith("    </edges>\n  </graph>\n</gexf>\n")


@pytest.mark.parametrize(
    ("items", "text"),
    [
        pytest.param([], "[]", id="empty"),
        pytest.param(["a"], '["a"]', id="one"),
        pytest.param(["a, b", "[c]"], '["a, b", "[c]"]', id="separators-inside"),
        pytest.param(['say "hi"', "back\\slash", ""], '["say \\"hi\\"", "back\\\\slash", ""]', id="escapes-and-empty"),
    ],
)
def test_liststring_is_gephis_list_syntax(items: list[str], text: str) -> None:
    assert liststring(items) == text
    assert parse_liststring(text) == items


# --- refusals and atomic writes ---------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "write", "read"), [pytest.param(*f, id=f[0]) for f in FORMATS])
def test_a_graph_that_does_not_fit_the_schema_writes_nothing(tmp_path: Path, suffix: str, write: Any, read: Any) -> None:
    G = graph.load(MINI)
    G.add_node("robot", label="Robot", name="R2")
    with pytest.raises(ModelError, match="entity 'robot': label 'Robot' is not one of the schema's labels"):
        write(G, tmp_path / f"g.{suffix}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_a_control_character_is_refused_not_written_as_broken_xml(tmp_path: Path, suffix: str) -> None:
    G = graph.load(MINI)
    G.nodes["cuba"]["name"] = "Cu\x07ba"
    write = write_graphml if suffix == "graphml" else write_gexf
    with pytest.raises(
        ExportError, match=r"entity 'cuba'.*: the control character U\+0007 cannot be written in XML; remove it from the data"
    ):
        write(G, tmp_path / f"g.{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_a_property_with_two_types_across_labels_is_refused_with_both(tmp_path: Path) -> None:
    raw = {
        "node_properties": {"id": {"type": "string"}, "name": {"type": "string"}},
        "labels": {"A": {"properties": {"n": {"type": "int"}}}, "B": {"properties": {"n": {"type": "string"}}}},
        "relationship_properties": {},
        "relationships": {"R": {"from": ["A"], "to": ["B"]}},
    }
    schema = parse_schema(raw, tmp_path / "schema.yaml")
    G = nx.MultiDiGraph()
    G.add_node("a", label="A", name="a", n=1)
    with pytest.raises(ExportError) as info:
        write_graphml(G, tmp_path / "g.graphml", schema=schema)
    assert str(info.value) == (
        f"{tmp_path / 'schema.yaml'}: property n is int on A but string on B; "
        "an exchange format has one type per attribute: give it one type, or rename one of them"
    )
    assert not (tmp_path / "g.graphml").exists()


def test_gexf_refuses_names_it_reserves(tmp_path: Path) -> None:
    G = graph.load(MINI)
    u, v, k = next(iter(G.edges(keys=True)))
    G.edges[u, v, k]["weight"] = 2.0
    with pytest.raises(ExportError, match="edge attribute 'weight' cannot be written to GEXF"):
        write_gexf(G, tmp_path / "g.gexf")
    assert list(tmp_path.iterdir()) == []


def test_reserved_attribute_names_are_refused(tmp_path: Path) -> None:
    G = graph.load(MINI)
    u, v, k = next(iter(G.edges(keys=True)))
    G.edges[u, v, k]["source"] = "x"
    with pytest.raises(ModelError, match="attribute 'source' would be lost in networkx, pandas and the exchange formats; rename it"):
        write_json(G, tmp_path / "g.json")


def test_read_graph_needs_a_known_suffix(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"cannot tell the format from the suffix '\.txt'; use \.graphml, \.gexf or \.json"):
        read_graph(tmp_path / "g.txt")


def test_cli_writes_each_format(tmp_path: Path) -> None:
    for fmt, read in (("graphml", read_graphml), ("gexf", read_gexf), ("json", read_json)):
        out = tmp_path / f"g.{fmt}"
        result = CliRunner().invoke(main, ["export", fmt, str(out), "--data", MINI])
        assert (result.exit_code, result.output) == (0, f"Wrote 13 nodes and 8 relationships to {out}.\n")
        assert_equal_typed(read(out), graph.load(MINI))


# --- the tools notebook users have ---------------------------------------------------------------------


def _edge_attrs(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return sorted((d for *_, d in G.edges(data=True)), key=lambda d: json.dumps(d, sort_keys=True))


def test_no_attribute_is_named_as_networkx_reserves(curated: nx.MultiDiGraph) -> None:
    names = {k for _, d in curated.nodes(data=True) for k in d} | {k for *_, d in curated.edges(data=True) for k in d}
    assert not names & {"source", "target", "key", "id"}


def test_node_link_data_keeps_every_attribute(curated: nx.MultiDiGraph) -> None:
    data = nx.node_link_data(curated, edges="edges")
    assert {n["id"]: {k: v for k, v in n.items() if k != "id"} for n in data["nodes"]} == dict(curated.nodes(data=True))
    got = {
        (e["source"], e["target"], e["key"]): {k: v for k, v in e.items() if k not in ("source", "target", "key")} for e in data["edges"]
    }
    assert got == {(u, v, k): d for u, v, k, d in curated.edges(keys=True, data=True)}


def test_cytoscape_data_keeps_every_attribute(curated: nx.MultiDiGraph) -> None:
    data = nx.cytoscape_data(curated)
    nodes = {n["data"]["id"]: n["data"] for n in data["elements"]["nodes"]}
    for n, d in curated.nodes(data=True):
        assert {k: nodes[n][k] for k in d} == d  # plus Cytoscape's own id, value and name
        assert nodes[n]["name"] == d["name"]
    edges = {e["data"]["key"]: e["data"] for e in data["elements"]["edges"]}
    for u, v, k, d in curated.edges(keys=True, data=True):
        assert edges[k] == d | {"source": u, "target": v, "key": k}


def test_to_pandas_edgelist_keeps_every_attribute(curated: nx.MultiDiGraph) -> None:
    df = nx.to_pandas_edgelist(curated, edge_key="key")
    assert len(df) == curated.number_of_edges()
    for r in df.to_dict("records"):
        d = curated.edges[r["source"], r["target"], r["key"]]
        assert {k: v for k, v in r.items() if k not in ("source", "target", "key") and not (isinstance(v, float) and math.isnan(v))} == d


def test_pyvis_from_nx_keeps_every_attribute(curated: nx.MultiDiGraph) -> None:
    from pyvis.network import Network

    G = curated.copy()  # from_nx adds size and width to the graph it is given
    net = Network(directed=True)
    net.from_nx(G)
    nodes = {n["id"]: n for n in net.nodes}
    for n, d in curated.nodes(data=True):
        assert {k: nodes[n][k] for k in d} == d
    got = sorted(
        ({k: v for k, v in e.items() if k not in ("from", "to", "arrows", "width")} for e in net.edges),
        key=lambda d: json.dumps(d, sort_keys=True),
    )
    assert got == _edge_attrs(curated)


def test_frames_are_typed_by_the_schema(curated: nx.MultiDiGraph) -> None:
    edges = graph.edges_frame(curated)
    assert str(edges["count"].dtype) == "Int64" and str(edges["quantity"].dtype) == "float64"
    nodes = graph.nodes_frame(curated)
    assert str(nodes["sanctioned"].dtype) == "boolean"
    assert isinstance(edges, pd.DataFrame) and set(edges["id"]) == {k for *_, k in curated.edges(keys=True)}


# --- the XML text of one value, read back by an XML parser (ElementTree) -------------------------

_XML_ALLOWED = "\t\n\r \x7f\x80\ud7ff\ue000\ufffd\U00010000"
_XML_REFUSED = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('a & b < c > d "q" \'s\'', id="markup"),
        pytest.param("tab\there\nline\r\nend\r", id="whitespace"),
        pytest.param("&amp; &#13; ]]>", id="already-escaped-looking"),
        pytest.param(_XML_ALLOWED, id="edges-of-what-xml-allows"),
    ],
)
def test_xml_text_and_attribute_values_read_back_exactly(text: str) -> None:
    """An XML parser gives back the text: markup escaped, and tab, newline and CR kept (not normalised away)."""
    from xml.etree import ElementTree as ET

    from graph.export.exchange import xml_attr, xml_text

    elem = ET.fromstring(f'<a v="{xml_attr(text, "w")}">{xml_text(text, "w")}</a>')
    assert elem.get("v") == text
    assert elem.text == text


@pytest.mark.parametrize("char", [pytest.param(c, id=f"U+{ord(c):04X}") for c in _XML_REFUSED])
def test_every_character_xml_cannot_hold_is_refused_by_name(char: str) -> None:
    """XML 1.0's Char production: no C0 control but tab, LF and CR, and not U+FFFE or U+FFFF."""
    from xml.etree import ElementTree as ET

    from graph.export.exchange import xml_attr, xml_text

    with pytest.raises(ET.ParseError):  # the parser's own verdict: a document holding it cannot be read
        ET.fromstring(f"<a>x{char}y</a>".encode())
    for escape in (xml_text, xml_attr):
        with pytest.raises(ExportError) as err:
            escape(f"x{char}y", "entity 'e', 'name'")
        assert str(err.value) == f"entity 'e', 'name': the control character U+{ord(char):04X} cannot be written in XML; remove it from the data"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        pytest.param(1.5, "number", id="decimal"),
        pytest.param(3, "number", id="int-as-double"),
        pytest.param(1e300, "number", id="huge"),
        pytest.param(-0.0, "number", id="negative-zero"),
        pytest.param(float("inf"), "number", id="infinity"),
        pytest.param(float("-inf"), "number", id="minus-infinity"),
        pytest.param(2**63 - 1, "int", id="int64-max"),
        pytest.param(-(2**63), "int", id="int64-min"),
        pytest.param(True, "bool", id="true"),
        pytest.param(False, "bool", id="false"),
    ],
)
def test_a_scalar_is_written_as_the_xml_schema_type_reads_it(value: Any, kind: str) -> None:
    """double, long and boolean as xs:double / xs:long / xs:boolean spell them (Java's Double.parseDouble takes
    `Infinity`, and so does Python's float): each text read back gives the value."""
    from graph.export.exchange import scalar_text

    text = scalar_text(value, kind)
    assert text is not None
    if kind == "number":
        assert float(text) == value and math.copysign(1, float(text)) == math.copysign(1, value)
        assert "." in text or "e" in text or "Infinity" in text  # a double, never an integer's text
    elif kind == "int":
        assert int(text) == value
    else:
        assert text == {True: "true", False: "false"}[value]
    for other in ("string", "list[string]", "json"):
        assert scalar_text(value, other) is None


@pytest.mark.parametrize(
    "items",
    [
        pytest.param([], id="empty"),
        pytest.param(["", ""], id="empty-items"),
        pytest.param(['\\"', '"\\', "\\\\n", "a\\"], id="backslashes-and-quotes-next-to-each-other"),
        pytest.param(["line\none", "tab\t", "é 古 😀", " , ", "]", "["], id="whitespace-unicode-separators"),
    ],
)
def test_a_liststring_is_read_by_a_json_reader_and_reads_a_json_writers_list(items: list[str]) -> None:
    """A liststring escapes only `\\` and `"`, as JSON does: json.loads (allowing raw control characters) reads
    it as the same list, and parse_liststring reads json.dumps' text of the list as the same list."""
    assert json.loads(liststring(items), strict=False) == items
    assert parse_liststring(liststring(items)) == items
    assert parse_liststring(" " + json.dumps([s for s in items if s.isprintable()], ensure_ascii=False) + "\n") == [
        s for s in items if s.isprintable()
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('"a", "b"', "not a list: '\"a\", \"b\"'", id="no-brackets"),
        pytest.param('["a"', "not a list: '[\"a\"'", id="no-closing-bracket"),
        pytest.param('"a"]', "not a list: '\"a\"]'", id="no-opening-bracket"),
        pytest.param('["a", b]', "unquoted list items in '[\"a\", b]'", id="unquoted-item"),
        pytest.param("[a]", "unquoted list items in '[a]'", id="only-unquoted"),
    ],
)
def test_a_liststring_that_is_not_one_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_liststring(text)
    assert str(err.value) == message


_JAVA_DOUBLE = re.compile(r"[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?))")  # Double.valueOf's grammar (no hex)
_LEXICAL = {"boolean": re.compile(r"true|false"), "long": re.compile(r"-?\d+"), "double": _JAVA_DOUBLE}


def test_every_typed_value_is_spelled_as_java_readers_of_graphml_and_gexf_read_it(all_types: tuple[nx.MultiDiGraph, Any]) -> None:
    """Gephi, yEd and Cytoscape read GraphML/GEXF in Java: a boolean is `true`/`false` (not Python's `True`), a
    double what Double.valueOf takes (`Infinity`, not Python's `inf`), a long only digits. Checked on the raw
    text, read with ElementTree, of every typed value in both formats."""
    from xml.etree import ElementTree as ET

    G, schema = all_types
    seen = Counter()
    graphml = ET.fromstring("".join(generate_graphml(G, schema=schema)))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    types = {k.get("id"): k.get("attr.type") for k in graphml.iterfind("g:key", ns)}
    for d in graphml.iter("{http://graphml.graphdrawing.org/xmlns}data"):
        kind = types[d.get("key")]
        if kind in _LEXICAL:
            assert _LEXICAL[kind].fullmatch(d.text or ""), (kind, d.text)
            seen["graphml", kind, d.text] += 1
    gexf = ET.fromstring("".join(generate_gexf(G, schema=schema)))
    ns = {"x": "http://gexf.net/1.3"}
    types = {(a.get("id"), c.get("class")): a.get("type") for c in gexf.iter("{http://gexf.net/1.3}attributes") for a in c}
    for scope in ("node", "edge"):
        for elem in gexf.iter(f"{{http://gexf.net/1.3}}{scope}"):
            for av in elem.iterfind("x:attvalues/x:attvalue", ns):
                kind = types[(av.get("for"), scope)]
                if kind in _LEXICAL:
                    assert _LEXICAL[kind].fullmatch(av.get("value")), (kind, av.get("value"))
                    seen["gexf", kind, av.get("value")] += 1
    for fmt in ("graphml", "gexf"):  # the fixture's awkward values were all met
        for kind, text in [("boolean", "true"), ("boolean", "false"), ("double", "Infinity"), ("double", "-Infinity"), ("long", str(2**40))]:
            assert seen[fmt, kind, text], (fmt, kind, text)


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
@pytest.mark.parametrize(
    ("prop", "value"),
    [
        pytest.param("iso3", "bad\uffff", id="text"),
        pytest.param("aliases", ["ok", "bad\uffff"], id="list"),
        pytest.param("extra", {"k": "bad\uffff"}, id="json"),
    ],
)
def test_a_control_character_in_a_property_names_the_record_and_property(
    tmp_path: Path, suffix: str, prop: str, value: Any
) -> None:
    G = graph.load(MINI)
    G.nodes["cuba"][prop] = value
    write = write_graphml if suffix == "graphml" else write_gexf
    with pytest.raises(ExportError) as err:
        write(G, tmp_path / f"g.{suffix}")
    # (JSON text escapes C0 controls itself, \u0001, but keeps U+FFFF, which XML cannot hold)
    assert str(err.value) == f"entity 'cuba', '{prop}': the control character U+FFFF cannot be written in XML; remove it from the data"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", ["graphml", "gexf"])
def test_json_text_keeps_accents_and_writes_infinity_as_pythons_json_does(tmp_path: Path, suffix: str) -> None:
    """What a person sees in Gephi or yEd is the raw text: accents as they are (not \\u00ef), and an infinite number
    as `Infinity` (Python's json, which read_graphml/read_gexf use). Read with networkx's own readers."""
    G = graph.load(MINI)
    G.nodes["cuba"].update(extra={"k": "Haïti", "n": float("inf")}, mixed=[float("-inf"), "é"])
    if suffix == "graphml":
        raw = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    else:
        raw = nx.read_gexf(write_gexf(G, tmp_path / "g.gexf"), node_type=str)
    assert raw.nodes["cuba"]["extra"] == '{"k": "Haïti", "n": Infinity}'
    assert raw.nodes["cuba"]["mixed"] == '[-Infinity, "é"]'


# --- node-link JSON beyond the round trip ------------------------------------------------------------


def test_json_keeps_text_as_written_and_indents_only_on_request(curated: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Accented names stay as they are written (not `\\u00f3` escapes), the default is one line, and
    `indent` gives the layout `json.dumps` gives for the same data."""
    names = [d["name"] for _, d in curated.nodes(data=True) if not d["name"].isascii()]
    assert names, "the curated data has accented names"
    flat = write_json(curated, tmp_path / "flat.json").read_text(encoding="utf-8")
    assert flat.count("\n") == 1 and flat.endswith("\n")
    assert all(json.dumps(n, ensure_ascii=False) in flat for n in names)
    assert "\\u00" not in flat
    pretty = write_json(curated, tmp_path / "pretty.json", indent=2).read_text(encoding="utf-8")
    assert json.loads(pretty) == json.loads(flat)
    assert pretty == json.dumps(json.loads(flat), ensure_ascii=False, indent=2) + "\n"
    assert "".join(generate_json(curated, indent=2)) == pretty


def test_read_json_gives_a_multidigraph_of_any_node_link_file(tmp_path: Path) -> None:
    """A node-link file of an undirected simple graph (another tool's) reads as a MultiDiGraph with
    its nodes, attributes and both directions of each edge, as `nx.MultiDiGraph(G)` makes them."""
    U = nx.Graph(name="other")
    U.add_node("a", label="State", name="A")
    U.add_edge("a", "b", weight=2)
    path = tmp_path / "u.json"
    path.write_text(json.dumps(nx.node_link_data(U, edges="edges")), encoding="utf-8")
    G = read_json(path)
    assert isinstance(G, nx.MultiDiGraph)
    assert dict(G.nodes(data=True)) == {"a": {"label": "State", "name": "A"}, "b": {}}
    assert sorted((u, v, d["weight"]) for u, v, d in G.edges(data=True)) == [("a", "b", 2), ("b", "a", 2)]
    assert G.graph == {"name": "other"}


def test_json_read_and_write_errors_name_the_file(tmp_path: Path, mini: nx.MultiDiGraph) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [', encoding="utf-8")
    with pytest.raises(ExportError, match=rf"^{re.escape(str(bad))}: cannot read it as node-link JSON \("):
        read_json(bad)
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / "file" / "g.json"
    with pytest.raises(ExportError, match=rf"^{re.escape(str(target))}: cannot write the JSON file \("):
        write_json(mini, target)


def test_json_of_a_graph_loaded_with_its_own_schema_uses_that_schema(tmp_path: Path) -> None:
    """The schema a graph was loaded with types its JSON when none is given: `called`, `also` and
    the sanctions marks of the renamed-roles schema are written, as networkx's reader sees them."""
    renamed = FIXTURES / "renamed-roles"
    G = graph.load(renamed / "data", schema=renamed / "schema.yaml")
    back = nx.node_link_graph(json.loads(write_json(G, tmp_path / "g.json").read_text(encoding="utf-8")), edges="edges")
    assert {n: d for n, d in back.nodes(data=True)} == {n: {k: v for k, v in d.items() if v is not None} for n, d in G.nodes(data=True)}


@pytest.mark.parametrize(("suffix", "write", "what"), [("graphml", write_graphml, "GraphML"), ("gexf", write_gexf, "GEXF")])
def test_graphml_and_gexf_write_errors_name_the_file_and_format(tmp_path: Path, mini: nx.MultiDiGraph, suffix: str, write: Any, what: str) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / "file" / f"g.{suffix}"
    with pytest.raises(ExportError, match=rf"^{re.escape(str(target))}: cannot write the {what} file \("):
        write(mini, target)


def test_graphml_and_gexf_of_a_graph_loaded_with_its_own_schema_use_that_schema(tmp_path: Path) -> None:
    """As for JSON: the schema a graph was loaded with types its GraphML and GEXF when none is
    given; networkx's own readers see every property of the renamed-roles schema, typed."""
    renamed = FIXTURES / "renamed-roles"
    G = graph.load(renamed / "data", schema=renamed / "schema.yaml")
    expected = {n: {k: v for k, v in d.items() if v is not None and k != "label"} for n, d in G.nodes(data=True)}
    back = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert {n: {k: v for k, v in d.items() if k != "label"} for n, d in back.nodes(data=True)} == {
        n: {k: json.dumps(v) if isinstance(v, list) else v for k, v in d.items()} for n, d in expected.items()
    }
    back = nx.read_gexf(write_gexf(G, tmp_path / "g.gexf"), node_type=str)
    assert {n: d["schema_label"] for n, d in back.nodes(data=True)} == {n: d["label"] for n, d in G.nodes(data=True)}
    assert {n: d.get("beds") for n, d in back.nodes(data=True)} == {n: d.get("beds") for n, d in G.nodes(data=True)}


def test_read_gexf_reads_a_file_networkx_wrote(tmp_path: Path) -> None:
    """A GEXF file from another tool (here networkx's writer: no <description> in its <meta>) reads
    as networkx's own reader reads it, with no graph attributes."""
    G = nx.MultiDiGraph()
    G.add_node("a", name="A", count=3)
    G.add_edge("a", "b", key="k", weight=1.5)
    path = tmp_path / "other.gexf"
    nx.write_gexf(G, path)
    ours, theirs = read_gexf(path), nx.read_gexf(path, node_type=str)
    assert dict(ours.nodes(data=True)) == {n: {k: v for k, v in d.items() if k != "label"} for n, d in theirs.nodes(data=True)}
    assert [(u, v, d["weight"]) for u, v, d in ours.edges(data=True)] == [("a", "b", 1.5)]
    assert ours.graph == {}


def test_a_property_declared_for_another_label_keeps_that_type_when_it_fits(tmp_path: Path) -> None:
    """`share` (number) and `note` (string) are declared for Thing only; on a Doc an int fits a
    number (networkx's reader gives the float back) but not a string (written as JSON text)."""
    schema = parse_schema(ALL_TYPES_SCHEMA, tmp_path / "schema.yaml")
    G = nx.MultiDiGraph()
    G.add_node("t", label="Thing", name="T", share=0.5, note="text")
    G.add_node("d", label="Doc", name="D", share=3, note=7)
    back = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml", schema=schema))
    assert back.nodes["d"]["share"] == 3.0 and type(back.nodes["d"]["share"]) is float
    assert back.nodes["d"]["note"] == "7" and back.nodes["t"]["note"] == '"text"'
