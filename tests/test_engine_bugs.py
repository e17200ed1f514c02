"""The embedded engine's own bugs that the translator routes around, shown on the raw engine.

Each test asserts that the bug is *still there* in ladybug (raw Cypher, no translation). When one
fails, the engine has fixed it: remove the workaround named in its docstring, then this test.
The translated queries are checked against Neo4j by the corpus (tests/cypher/).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

ladybug = pytest.importorskip("ladybug")

ALIASES = [
    ["ELAM", "Escuela Latinoamericana de Medicina"],
    ["ILO", "International Labor Organization"],
    ["HRW"],
    ["Obama", "President Obama"],
]


@pytest.fixture(scope="module")
def conn() -> Iterator[Any]:
    db = ladybug.Database(":memory:")
    c = ladybug.Connection(db)
    c.execute("CREATE NODE TABLE N(id STRING, kind STRING, aliases STRING[], PRIMARY KEY(id))")
    c.execute("CREATE REL TABLE R(FROM N TO N, k STRING)")
    for i in range(40):
        c.execute(
            "CREATE (:N {id: $id, kind: $kind, aliases: $a})",
            {"id": f"n{i}", "kind": "a" if i % 3 else "b", "a": ALIASES[i % len(ALIASES)]},
        )
    c.execute("MATCH (a:N {id: 'n0'}), (b:N {id: 'n1'}) CREATE (a)-[:R {k: 'x'}]->(b), (a)-[:R {k: 'loop'}]->(a)")
    yield c
    c.close()
    db.close()


def test_trim_corrupts_strings(conn: Any) -> None:
    """Workaround: functions._trim uses regexp_replace."""
    try:
        got = conn.execute("RETURN trim('    government') AS t").get_all()[0][0]
    except UnicodeDecodeError:
        return
    assert got != "government"


def test_reverse_of_a_list_gives_a_string(conn: Any) -> None:
    """Workaround: functions._reverse emits list_reverse for lists."""
    assert conn.execute("RETURN reverse([1, 2, 3]) AS r").get_all()[0][0] == "]3,2,1["


def test_lambdas_over_a_filtered_list_column_give_wrong_values(conn: Any) -> None:
    """list_filter, quantifiers and boolean lambdas over a list column of filtered rows.
    Workaround: Translator.lambda_source (concatenate with an empty list first), quantifiers from counts."""
    rows = conn.execute(
        "MATCH (n:N) WHERE n.kind = 'a' RETURN n.aliases, list_transform(n.aliases, x -> CASE WHEN x = 'ELAM' THEN 1 ELSE 0 END)"
    ).get_all()
    wrong = [r for r in rows if r[1] != [int(a == "ELAM") for a in r[0]]]
    fixed = conn.execute(
        "MATCH (n:N) WHERE n.kind = 'a' RETURN n.aliases,"
        " list_transform(list_concat(n.aliases, list_slice(n.aliases, 2, 1)), x -> CASE WHEN x = 'ELAM' THEN 1 ELSE 0 END)"
    ).get_all()
    assert wrong and all(r[1] == [int(a == "ELAM") for a in r[0]] for r in fixed)


def test_a_parameter_inside_a_list_lambda_crashes(conn: Any) -> None:
    """Workaround: Translator.e_param inlines parameter values inside lambdas."""
    with pytest.raises(RuntimeError, match=r"UNREACHABLE_CODE|Assertion"):
        conn.execute("RETURN list_transform(['a', 'b'], x -> CASE WHEN x = $p THEN 1 ELSE 0 END) AS r", {"p": "a"}).get_all()


def test_order_by_before_an_aggregation_is_dropped(conn: Any) -> None:
    """A wrong top-N: WITH ... ORDER BY ... LIMIT before sum() sums the first rows, not the largest.
    Workaround: Translator.with_clause adds a no-op UNWIND after such a WITH."""
    raw = "UNWIND [3, 1, 2, 5, 4, 9, 8, 7] AS x WITH x ORDER BY x DESC LIMIT 5 RETURN sum(x) AS s, collect(x) AS c"
    s, c = conn.execute(raw).get_all()[0]
    assert int(s) != 33 and c != [9, 8, 7, 5, 4]
    kept = raw.replace("LIMIT 5 RETURN", "LIMIT 5 UNWIND [0] AS keep RETURN")
    s, c = conn.execute(kept).get_all()[0]
    assert (int(s), c) == (33, [9, 8, 7, 5, 4])


def test_fixed_length_patterns_reuse_a_relationship(conn: Any) -> None:
    """Neo4j never binds one relationship twice in a MATCH. Workaround: Translator.match adds id(r1) <> id(r2)."""
    count = conn.execute("MATCH (a:N {id: 'n0'})-[r1]-(b)-[r2]-(c) WHERE id(r1) = id(r2) RETURN count(*)").get_all()[0][0]
    assert count > 0


def test_a_cast_in_a_case_branch_not_taken_still_fails(conn: Any) -> None:
    """Workaround: functions._to_integer casts only text that parses."""
    with pytest.raises(RuntimeError, match="Could not convert"):
        conn.execute("UNWIND ['7', 'abc'] AS s RETURN CASE WHEN s = '7' THEN cast(s, 'INT64') ELSE NULL END").get_all()


def test_list_of_mixed_numbers_becomes_floats(conn: Any) -> None:
    """Neo4j keeps [1, 2.5]. Workaround: Translator.e_listlit refuses such a list."""
    assert conn.execute("RETURN [1, 2.5] AS l").get_all()[0][0] == [1.0, 2.5]


def test_a_cached_prepared_statement_gives_wrong_answers_with_other_values() -> None:
    """The same 2-hop query with another parameter value: 0 rows instead of hundreds.
    Workaround: translate.engine_literal, every value goes into the query text."""
    import random

    import pyarrow as pa  # type: ignore[import-untyped]

    db = ladybug.Database(":memory:")
    c = ladybug.Connection(db)
    c.execute("CREATE NODE TABLE N(id INT64, PRIMARY KEY(id))")
    c.execute("CREATE REL TABLE R(FROM N TO N, t INT64)")
    rng = random.Random(1)
    n, m = 2000, 60000
    c.execute("COPY N FROM $d", {"d": pa.table({"id": pa.array(range(n), pa.int64())})})
    ends = {k: pa.array([rng.randrange(n) for _ in range(m)], pa.int64()) for k in ("from", "to")}
    c.execute("COPY R FROM $d", {"d": pa.table({**ends, "t": pa.array([rng.randrange(5) for _ in range(m)], pa.int64())})})
    query = "MATCH (a:N {id: $id})-[r1:R]->(b)-[r2:R]->(x) WHERE r1.t = 0 RETURN count(*)"
    cached = [c.execute(query, {"id": i}).get_all()[0][0] for i in (0, 1, 2)]
    literal = [c.execute(query.replace("$id", str(i))).get_all()[0][0] for i in (0, 1, 2)]
    c.close()
    db.close()
    assert cached[0] == literal[0] and cached != literal and all(x > 0 for x in literal)
