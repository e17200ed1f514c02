"""The comparison rule of the differential tests (tests/cypher/compare.py, querytext.py), pinned
down on hand-made answers: an oracle that let a wrong answer through would prove nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from graph.errors import QueryError

from .compare import (
    Answer,
    canonical_embedded,
    canonical_json,
    compare_answers,
    fits_kind,
    judge,
    kind_misfits,
    known_kind,
    order_problem,
    tie_groups,
    unorder,
)
from .querytext import shape


def rows(*values: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(tuple(canonical_embedded(v) for v in r) for r in values)


def answer(columns: list[str], *values: tuple[object, ...]) -> Answer:
    return Answer(tuple(columns), rows(*values))


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(1, 1.0, id="int-is-not-float"),
        pytest.param(1, True, id="int-is-not-bool"),
        pytest.param(2, Decimal(2), id="decimal-is-a-bug"),
        pytest.param("1", 1, id="string-is-not-int"),
        pytest.param(None, "", id="null-is-not-empty"),
        pytest.param([1, 2], [2, 1], id="lists-in-order"),
        pytest.param(dt.date(2008, 9, 1), "2008-09-01", id="date-is-not-string"),
        pytest.param({"a": 1}, {"a": 1, "b": None}, id="map-keys-exactly"),
    ],
)
def test_values_of_another_type_or_order_differ(a: object, b: object) -> None:
    assert canonical_embedded(a) != canonical_embedded(b)


def test_a_node_is_its_label_set_and_properties() -> None:
    one = canonical_embedded({"_labels": ["State", "Cubamed"], "id": "cuba", "name": "Cuba"})
    same = canonical_embedded({"_labels": ["Cubamed", "State"], "name": "Cuba", "id": "cuba"})
    assert one == same
    assert one != canonical_embedded({"_label": "State", "id": "cuba", "name": "Cuba"})  # no marker label
    assert one != canonical_embedded({"_labels": ["State", "Cubamed"], "id": "cuba"})


def test_a_relationship_is_its_type_endpoints_and_properties() -> None:
    rel = {"_type": "SANCTIONED", "_start": "united-states", "_end": "conviasa", "id": "s-1", "_cubamed": True}
    assert canonical_embedded(rel) == ("rel", "SANCTIONED", "united-states", "conviasa", ("map", (("_cubamed", ("bool", True)), ("id", ("str", "s-1")))))
    assert canonical_embedded(rel) != canonical_embedded({**rel, "_start": "conviasa", "_end": "united-states"})


def test_json_form_of_temporal_values_is_their_iso_text() -> None:
    value = canonical_embedded({"when": dt.date(2008, 9, 1), "date": "x"})
    assert canonical_json(value) == ("map", (("date", ("str", "x")), ("when", ("str", "2008-09-01"))))
    assert canonical_json(("duration", 14, 3, 0, 0)) == ("str", "P1Y2M3D")


# --- rows ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "fits"),
    [
        ("int", ("int", 1), True),
        ("int", ("float", 1.0), False),
        ("float", ("int", 1), False),
        ("number", ("float", 1.5), True),
        ("string", ("str", "1"), True),
        ("string", ("int", 1), False),
        ("bool", ("int", 1), False),
        ("date", ("str", "2020-01-01"), False),
        ("int", None, True),  # a null fits every kind
        ("null", ("int", 1), False),
        ("any", ("map", ()), True),
        ("list[int]", ("list", (("int", 1), None)), True),
        ("list[int]", ("list", (("int", 1), ("str", "a"))), False),
        ("list[string]", ("str", "a"), False),
        ("rels", ("list", (("rel", "FUNDED", "a", "b", ("map", ())),)), True),
        ("rels", ("list", (("node", ("State",), ("map", ())),)), False),
        ("map{a,b}", ("map", (("a", None), ("b", ("int", 1)))), True),
        ("map{a,b}", ("map", (("a", None),)), False),
        ("map{}", ("map", ()), True),
        ("map{}", ("map", (("a", None),)), False),
        ("map", ("map", (("z", None),)), True),
        ("node", ("rel", "FUNDED", "a", "b", ("map", ())), False),
        ("XXintXX", ("int", 1), False),  # a kind the rule does not know fits nothing
    ],
)
def test_a_kind_fits_the_values_of_its_type(kind: str, value: object, fits: bool) -> None:
    assert fits_kind(kind, value) is fits


def test_kind_misfits_names_each_column_with_its_first_value_of_another_kind() -> None:
    answer = Answer(("n", "s"), ((("int", 1), None), (("float", 2.5), ("str", "a")), (("str", "x"), ("int", 3))))
    assert kind_misfits(answer, ["int", "string"]) == ["n: int, Neo4j gave ('float', 2.5)", "s: string, Neo4j gave ('int', 3)"]
    assert kind_misfits(answer, ["any", "any"]) == []
    assert kind_misfits(answer, ["int"]) == ["1 kinds for the columns ['n', 's']"]


@pytest.mark.parametrize(
    ("kind", "known"),
    [("int", True), ("number", True), ("null", True), ("rels", True), ("map", True), ("map{a,b}", True), ("map{}", True),
     ("list[list[date]]", True), ("list[map{a}]", True), ("FLOAT", False), ("list[FLOAT]", False), ("XXmapXX", False),
     ("list[int", False), ("mapping", False)],
)
def test_a_kind_is_known_only_as_the_translation_writes_it(kind: str, known: bool) -> None:
    assert known_kind(kind) is known


def test_kind_misfits_names_a_column_of_nulls_whose_kind_is_misspelt() -> None:
    answer = Answer(("p", "q"), ((None, None),))
    assert kind_misfits(answer, ["FLOAT", "float"]) == ["p: FLOAT is no kind"]


def test_rows_compare_as_a_multiset_without_order() -> None:
    neo = answer(["x"], (1,), (2,), (2,))
    assert compare_answers(neo, answer(["x"], (2,), (1,), (2,)), keys=None, tolerant=False) is None
    assert compare_answers(neo, answer(["x"], (1,), (1,), (2,)), keys=None, tolerant=False) is not None
    assert compare_answers(neo, answer(["y"], (1,), (2,), (2,)), keys=None, tolerant=False) == "columns differ: Neo4j ['x'], embedded ['y']"


def test_ordered_rows_may_permute_only_within_ties() -> None:
    neo = answer(["k", "v"], (1, "a"), (1, "b"), (2, "c"))
    assert compare_answers(neo, answer(["k", "v"], (1, "b"), (1, "a"), (2, "c")), keys=[0], tolerant=False) is None
    moved = answer(["k", "v"], (2, "c"), (1, "a"), (1, "b"))
    assert compare_answers(neo, moved, keys=[0], tolerant=False) == "same rows, other order (first at row 0)"
    assert tie_groups(neo.rows, [0]) == [(0, 2), (2, 3)]


def test_floats_are_exact_unless_the_query_aggregates() -> None:
    neo, near = answer(["a"], (0.1 + 0.2,)), answer(["a"], (0.3,))
    assert compare_answers(neo, near, keys=None, tolerant=False) is not None
    assert compare_answers(neo, near, keys=None, tolerant=True) is None
    assert compare_answers(neo, answer(["a"], (0.3001,)), keys=None, tolerant=True) is not None
    assert compare_answers(answer(["a"], (1,)), answer(["a"], (1.0,)), keys=None, tolerant=True) is not None


def test_unordered_lists_are_sorted_before_comparing() -> None:
    a, b = rows((["b", "a"], [2, 1])), rows((["a", "b"], [2, 1]))
    assert unorder(a, frozenset({0})) == unorder(b, frozenset({0}))
    assert unorder(a, frozenset({1})) != unorder(b, frozenset({1}))


def test_limit_over_ties_is_not_a_fair_test() -> None:
    neo = answer(["k", "v"], (1, "a"), (1, "b"))
    assert order_problem(neo, [0], paginated=True, has_order=True) is not None
    assert order_problem(neo, [0, 1], paginated=True, has_order=True) is None
    assert order_problem(neo, [0], paginated=False, has_order=True) is None
    assert order_problem(neo, None, paginated=True, has_order=True) is not None


# --- outcomes --------------------------------------------------------------------------------


def test_outcomes() -> None:
    neo = answer(["x"], (1,))
    assert judge(neo, answer(["x"], (1,)), keys=None, tolerant=False).kind == "identical"
    assert judge(neo, answer(["x"], (2,)), keys=None, tolerant=False).kind == "wrong"
    assert judge(neo, Answer(error=UnicodeDecodeError("utf-8", b"", 0, 1, "x")), keys=None, tolerant=False).kind == "crash"
    refusal = QueryError('cannot run reduce(...) in "RETURN reduce(a = 0, x IN xs | a + x)"\nhint: use UNWIND and sum()')
    assert judge(neo, Answer(error=refusal), keys=None, tolerant=False).kind == "unsupported"
    assert judge(neo, Answer(error=refusal), keys=None, tolerant=False, refused="reduce(").kind == "refused"
    assert judge(neo, Answer(error=refusal), keys=None, tolerant=False, refused="percentileDisc(").kind == "bad-refusal"
    unhinted = QueryError("cannot run reduce(")
    assert judge(neo, Answer(error=unhinted), keys=None, tolerant=False, refused="reduce(").kind == "bad-refusal"
    rejected = Answer(error=RuntimeError("syntax error"))
    assert judge(rejected, Answer(error=refusal), keys=None, tolerant=False, neo4j_error=True).kind == "both-refuse"
    assert judge(rejected, neo, keys=None, tolerant=False, neo4j_error=True).kind == "wrong"


# --- reading the query -----------------------------------------------------------------------


def test_order_keys_map_to_returned_columns() -> None:
    form = shape("MATCH (s:State) RETURN s.name AS name, size(s.name) ORDER BY size( s.name ) DESC, name LIMIT 3")
    assert form.order_keys == ("size(s.name)", "name")
    assert form.key_columns(["name", "size(s.name)"]) == [1, 0]
    assert form.paginated
    assert shape("MATCH (s) RETURN s.name ORDER BY s.iso3").key_columns(["s.name"]) is None
    assert shape("MATCH (s) RETURN s.name AS n ORDER BY s.name").key_columns(["n"]) == [0]


def test_only_the_final_return_counts() -> None:
    form = shape("MATCH (s) WITH s ORDER BY s.x LIMIT 2 RETURN s.name AS `the name` // ORDER BY s.name\n")
    assert [i.name for i in form.items] == ["the name"]
    assert form.order_keys == ()
    union = shape("RETURN 1 AS x ORDER BY x UNION RETURN 2 AS x ORDER BY x LIMIT 1")
    assert union.union and union.key_columns(["x"]) is None and union.sort_columns(["x"]) == [0]
    sub = shape("CALL { MATCH (n) RETURN n ORDER BY n.id LIMIT 1 } RETURN n.id")
    assert sub.order_keys == () and not sub.paginated


def test_keywords_are_known_by_position() -> None:
    form = shape("MATCH (n) RETURN n.order AS `order`, {limit: 1} AS m ORDER BY `order`")
    assert [i.name for i in form.items] == ["order", "m"]
    assert form.order_keys == ("`order`",)
    assert not form.paginated


def test_unordered_lists_are_collect_without_a_prior_order_labels_and_keys() -> None:
    form = shape("MATCH (n) WITH n.kind AS k, collect(n.id) AS ids RETURN k, ids, labels(n), keys(n), size(ids), [1, 2]")
    assert form.unordered_columns == {1, 2, 3, 4}
    ordered = shape("MATCH (n) WITH n ORDER BY n.id RETURN collect(n.id) AS ids, COLLECT { MATCH (m) RETURN m } AS ms")
    assert ordered.unordered_columns == set()
    assert shape("MATCH (p) RETURN COLLECT { MATCH (p)-->(x) RETURN x.id } AS xs").unordered_columns == {0}


def test_float_aggregates_are_detected() -> None:
    assert shape("MATCH (n) RETURN avg(n.x)").float_aggregate
    assert shape("MATCH (n) RETURN stDevP(n.x), n.sum").float_aggregate
    assert not shape("MATCH (n) RETURN n.sum, count(*)").float_aggregate


# --- Neo4j's recorded answer (results.json), the oracle of test_recorded.py ---------------------

RECORDABLE = [
    1, 1.0, True, 0, -0.5, float("nan"), 2**62, "", "1", None,
    [1, [2.0, None], "x"], {"a": 1, "b": [True, None]}, dt.date(2008, 9, 1), dt.datetime(2020, 1, 2, 3, 4, 5),
    {"_label": "State", "id": "cuba", "names": ["Cuba", "República de Cuba"]},
    {"_type": "DEPLOYED_TO", "_start": "cuba", "_end": "venezuela", "count": 0},
]


@pytest.mark.parametrize("value", [pytest.param(v, id=repr(v)[:40]) for v in RECORDABLE])
def test_a_recorded_answer_reads_back_equal_and_of_the_same_type(value: object) -> None:
    import json

    live = answer(["v"], (value,))
    back = Answer.from_json(json.loads(json.dumps(live.to_json())))
    assert back.columns == live.columns
    # equal as the comparison sees it (nan is not equal to itself as a float, its canonical form is)
    assert compare_answers(live, back, keys=None, tolerant=False) is None
    for other in RECORDABLE:
        if canonical_embedded(other) != canonical_embedded(value):
            assert compare_answers(answer(["v"], (other,)), back, keys=None, tolerant=False) is not None


def test_a_recorded_error_reads_back_as_an_error_with_its_code() -> None:
    class Neo4jError(Exception):
        code = "Neo.ClientError.Statement.SyntaxError"

    back = Answer.from_json(Answer(error=Neo4jError("bad")).to_json())
    assert back.error is not None and str(back.error) == "Neo.ClientError.Statement.SyntaxError"


@pytest.mark.parametrize(
    ("query", "recorded", "live", "drifted"),
    [
        pytest.param("RETURN 1 AS a", answer(["a"], (1,)), answer(["a"], (1,)), False, id="same"),
        pytest.param("RETURN 1 AS a", answer(["a"], (1,)), answer(["a"], (2,)), True, id="other-value"),
        pytest.param("RETURN 1 AS a", answer(["a"], (1,)), answer(["b"], (1,)), True, id="other-column"),
        pytest.param("RETURN 1 AS a", answer(["a"], (1,)), answer(["a"], (1.0,)), True, id="other-type"),
        pytest.param("UNWIND [1, 2] AS a RETURN a", answer(["a"], (1,), (2,)), answer(["a"], (2,), (1,)), False, id="unordered"),
        pytest.param("UNWIND [1, 2] AS a RETURN a ORDER BY a", answer(["a"], (1,), (2,)), answer(["a"], (2,), (1,)), True, id="ordered"),
        pytest.param("RETURN 1 AS a", answer(["a"], (1,)), answer(["a"], (1,), (1,)), True, id="one-row-more"),
        pytest.param("RETURN 1 AS a", answer(["a"], (1,)), Answer(error=RuntimeError("x")), True, id="now-an-error"),
        pytest.param("RETURN 1 AS a", Answer(error=RuntimeError("x")), answer(["a"], (1,)), True, id="no-longer-an-error"),
    ],
)
def test_the_live_corpus_test_sees_a_recording_that_drifted(query: str, recorded: Answer, live: Answer, drifted: bool) -> None:
    from .oracle import recording_differs

    assert (recording_differs(recorded, live, query) is not None) == drifted
