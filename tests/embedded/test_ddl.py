"""graph.embedded.ddl's bulk-load tables: the column-wise path gives exactly what the value-by-value path gives.

`load_plan` converts the rows column by column in C++ and falls back to converting value by value
(`_property_columns` with `_cast`) when a value does not fit its column. Here random graphs, with
values of every kind in every column (wrong types, NaN, integers and floats mixed, booleans, keys
that are not text), are loaded both ways: the same columns, the same Arrow tables, or the same
error.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.embedded import ddl
from graph.embedded.cache import graph_counts
from graph.schema import load_schema

SCHEMA = load_schema()
NODE_KEYS = ["label", "name", "aliases", "iso3", "kind", "year", "title", "date", "sanctioned", "sanctioned_by", "undeclared"]
REL_KEYS = ["type", "source_id", "count", "amount_usd", "quantity", "year", "countries", "status", "claim", "undeclared"]

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.one_of(st.text(max_size=3), st.integers(0, 3)), max_size=3),
    st.tuples(st.text(max_size=3)),
)
# mostly well-typed, as graph.load() makes them, so that the column-wise path is taken
typical = {
    "label": st.sampled_from(["State", "Company", "Source"]),
    "type": st.sampled_from(["DEPLOYED_TO", "FUNDED"]),
    "name": st.text(max_size=5),
    "aliases": st.lists(st.text(max_size=3), max_size=2),
    "count": st.integers(0, 10),
    "year": st.integers(1960, 2030),
    "amount_usd": st.one_of(st.integers(0, 10), st.floats(0, 10), st.booleans()),  # a mixed column, with a bool in it
    "quantity": st.floats(allow_nan=True),
    "countries": st.integers(0, 50),
    "sanctioned": st.booleans(),
    "sanctioned_by": st.lists(st.text(max_size=3), max_size=2),
}


def attrs(keys: list[str], tag: str, typed: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Attribute dicts: `typed`, values of their column's type (mostly: the column-wise path), else anything."""

    def one(key: str) -> st.SearchStrategy[Any]:
        usual = typical.get(key, st.text(max_size=4))
        return usual if typed else st.one_of(usual, values)

    optional = st.fixed_dictionaries({}, optional={k: one(k) for k in keys if k != tag})
    if typed:
        return st.tuples(typical[tag], optional).map(lambda t: {tag: t[0], **t[1]})
    return st.tuples(st.one_of(typical[tag], values), st.booleans(), optional).map(
        lambda t: {tag: t[0], **t[2]} if t[1] or t[0] is not None else t[2]
    )


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    typed = draw(st.booleans())
    for i in range(draw(st.integers(0, 5))):
        G.add_node(f"n{i}", **draw(attrs(NODE_KEYS, "label", typed)))
    nodes = list(G)
    for j in range(draw(st.integers(0, 12)) if nodes else 0):
        key = draw(st.one_of(st.just(f"r{j}"), st.integers(100, 103), st.binary(max_size=2)))
        G.add_edge(draw(st.sampled_from(nodes)), draw(st.sampled_from(nodes)), key=key, **draw(attrs(REL_KEYS, "type", typed)))
    return G


def outcome(G: nx.MultiDiGraph) -> Any:
    try:
        plan = ddl.load_plan(G, SCHEMA)
    except Exception as exc:  # the error itself is what both paths must agree on
        return type(exc), str(exc)
    return plan.node_columns, plan.rel_columns, plan.nodes, plan.rels


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_column_wise_tables_are_those_of_the_value_by_value_path(G: nx.MultiDiGraph) -> None:
    fast = outcome(G)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(ddl, "_fast_columns", lambda *args: None)
        slow = outcome(G)
    assert fast[:2] == slow[:2]
    if isinstance(fast[0], dict):  # tables: equal schemas (types, column order) and values
        for got, want in zip(fast[2:], slow[2:], strict=True):
            assert (got is None) == (want is None)
            assert got is None or (got.schema == want.schema and got.to_pylist() == want.to_pylist())


def test_relationships_come_in_the_graphs_order_with_their_keys_as_text() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label="State")
    G.add_node("b", label="Company")
    G.add_edge("b", "a", key=7, type="FUNDED")
    G.add_edge("a", "b", key="k", type="DEPLOYED_TO")
    G.add_edge("a", "b", key=b"x", type="FUNDED")
    rels = ddl.load_plan(G, SCHEMA).rels
    assert rels is not None
    assert list(zip(rels["from"].to_pylist(), rels["to"].to_pylist(), rels["id"].to_pylist(), strict=True)) == [
        (u, v, str(k)) for u, v, k in G.edges(keys=True)
    ]
    assert rels["id"].to_pylist() == ["k", "b'x'", "7"]  # by start node, as networkx walks them


def test_a_mixed_number_column_flags_its_integers() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label="State")
    for key, amount in (("k1", 2), ("k2", 2.5), ("k3", None), ("k4", True)):
        G.add_edge("a", "a", key=key, type="FUNDED", amount_usd=amount)
    plan = ddl.load_plan(G, SCHEMA)
    assert plan.rels is not None
    assert plan.rel_columns["amount_usd"] == "DOUBLE" and plan.rel_columns[ddl.INT_FLAG + "amount_usd"] == "BOOLEAN"
    assert plan.rels["amount_usd"].to_pylist() == [2.0, 2.5, None, 1.0]
    assert plan.rels[ddl.INT_FLAG + "amount_usd"].to_pylist() == [True, False, False, True]


def test_counts_of_the_tables_are_the_graphs(mini: nx.MultiDiGraph) -> None:
    assert ddl.load_plan(mini, SCHEMA).counts() == graph_counts(mini)


def _small() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("a", label="State", name="A", iso3="AAA")
    G.add_node("b", label="State", name="B")
    G.add_edge("a", "b", key="r1", type="FUNDED", year=2020)
    G.add_edge("b", "a", key="r2", type="FUNDED", amount_usd=5.5)
    return G


def test_a_build_creates_only_the_relationship_columns_some_relationship_holds() -> None:
    plan = ddl.load_plan(_small(), SCHEMA)
    want_rels = {ddl.TYPE_COLUMN, ddl.MARKER_COLUMN, "id", "year", "amount_usd"}
    assert plan.node_columns == ddl.node_columns(SCHEMA)  # every node column: cheap, and read through maps
    assert set(plan.rel_columns) == want_rels
    # in the schema's order, as keys() and properties() list them
    assert list(plan.rel_columns) == [c for c in ddl.rel_columns(SCHEMA, {"year": "int"}) if c in want_rels]
    assert list(ddl.missing_columns(SCHEMA, plan.node_columns, plan.rel_columns)) == [
        f"ALTER TABLE `Relationship` ADD `{c}` {t}" for c, t in ddl.rel_columns(SCHEMA).items() if c not in want_rels
    ]


def test_a_write_may_set_a_property_no_row_held() -> None:
    from graph.embedded import open_database

    with open_database(_small(), write=True) as db:
        assert set(db.columns.rel) == set(ddl.rel_columns(SCHEMA, {"year": "int"}))
        db.query("MATCH ()-[r {id: 'r1'}]->() SET r.authority = 'OFAC', r.count = 3")
        db.query("MATCH (n {id: 'b'}) SET n.imo_number = '9'")
        _, rows = db.execute("MATCH (a)-[r]->(b) RETURN r.id, r.authority, r.count, b.imo_number ORDER BY r.id")
    assert rows == [["r1", "OFAC", 3, "9"], ["r2", None, None, None]]
