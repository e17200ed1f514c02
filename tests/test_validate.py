"""One scenario folder per class of bad input: each gives its exact message, and nothing is built."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graph
from graph.errors import ValidationError
from graph.model import model_of
from graph.schema import Property, load_schema
from graph.validate import (
    _CONTROL,
    _CONTROL_ONE_LINE,
    _accepts,
    _column_test,
    _holds_control,
    _Run,
    _year_problem,
    coerce,
    columns,
    fact_id,
)

from .conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad"
GOOD = FIXTURES / "good"
MINI = FIXTURES / "mini"

CASES = [
    pytest.param(
        "unknown-label",
        "entities.yaml:2: entity 'atlantis': unknown label 'Stat'; use one of State, Region, Program, Person, Institution, Company, LegalEntity, Aircraft, Vessel, Event, Source (did you mean 'State'?)",
        id="unknown-label",
    ),
    pytest.param(
        "unknown-type",
        "facts.yaml:3: fact #1 (DEPLOYED cuba -> jamaica): unknown relationship type 'DEPLOYED'; use one declared in schema.yaml (did you mean 'DEPLOYED_TO'?)",
        id="unknown-type",
    ),
    pytest.param(
        "forbidden-endpoints",
        "facts.yaml:3: fact #1 (DEPLOYED_TO maduro -> jamaica): DEPLOYED_TO may not go from Person 'maduro' to State 'jamaica'; the schema allows State, Program, Institution -> State, Region",
        id="forbidden-endpoints",
    ),
    pytest.param(
        "unknown-reference",
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamica): 'to' refers to 'jamica', which no entity has as id; add the entity or fix the id (did you mean 'jamaica'?)",
        id="unknown-reference",
    ),
    pytest.param(
        "duplicate-id",
        "entities.yaml:3: entity 'cuba': duplicate id 'cuba', first defined at {mini}/entities.yaml:4; give one of them another id",
        id="duplicate-id",
    ),
    pytest.param("duplicate-key", "entities.yaml:5: key 'name' appears twice in one mapping; keep one", id="duplicate-key"),
    pytest.param(
        "wrong-type", "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): 'count' must be a whole number, got 'many'", id="wrong-type"
    ),
    pytest.param(
        "csv-wrong-type",
        "edges.csv:3: fact #2 (DEPLOYED_TO cuba -> saint-lucia): 'count' must be a whole number, got 'many'",
        id="csv-wrong-type",
    ),
    pytest.param(
        "year-out-of-range",
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): 'year' 2200 is outside 1900-2030; check for a typo",
        id="year-out-of-range",
    ),
    pytest.param(
        "missing-source",
        "facts.yaml:2: fact #1 (DEPLOYED_TO cuba -> jamaica): missing required 'source_id'; add it to the record (or 'source:' at the top of the file)",
        id="missing-source",
    ),
    pytest.param(
        "missing-type",  # no type: nothing to suggest a spelling for
        "facts.yaml:3: fact #1 (cuba -> jamaica): missing 'type'; use one declared in schema.yaml",
        id="missing-type",
    ),
    pytest.param(
        "only-figures",  # every property without a quick column test (validate.column_tests): the records are typed one by one
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): missing required 'source_id', 'locator', 'evidence'; add them to the record (or 'source:' at the top of the file)",
        id="only-figures",
    ),
    pytest.param(
        "missing-locator",
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): missing required 'locator'; add it to the record",
        id="missing-locator",
    ),
    pytest.param(
        "missing-evidence",
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): missing required 'evidence'; add it to the record",
        id="missing-evidence",
    ),
    pytest.param(
        "ref-wrong-label",
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): 'event' must refer to an entity labelled Event, but 'cuba' is a State",
        id="ref-wrong-label",
    ),
    pytest.param(
        "unknown-property",
        "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): unknown property 'cuont' for DEPLOYED_TO (did you mean 'count'?); declare it in the schema or remove it",
        id="unknown-property",
    ),
    pytest.param(
        "malformed-yaml",
        "facts.yaml:5: not valid YAML: expected <block end>, but found '<block mapping start>'; fix the syntax (an unquoted ':' or a bad indent?)",
        id="malformed-yaml",
    ),
    pytest.param(
        "old-source-column",
        "edges.csv:2: fact #1 (DEPLOYED_TO cuba -> jamaica): 'source' is now called 'source_id' (networkx and pandas reserve 'source' for an edge's start); rename it",
        id="old-source-column",
    ),
    pytest.param(
        "malformed-csv", "edges.csv:2: fact #1: row has 7 fields but the header has 6; quote values that contain commas", id="malformed-csv"
    ),
    pytest.param("key-is-a-mapping", "facts.yaml:3: a mapping is used as a key; remove the ':' after it, or quote the key", id="key-is-a-mapping"),
    pytest.param("key-is-a-list", "facts.yaml:4: a list is used as a key; remove the ':' after it, or quote the key", id="key-is-a-list"),
    pytest.param(
        "lone-surrogate",
        "entities.yaml:3: entity 'surrogate-land': 'name' holds U+D800 at character 5, half a UTF-16 pair no file or database can store; fix the escape",
        id="lone-surrogate",
    ),
    pytest.param(
        "csv-beyond-64-bits",
        "edges.csv:2: fact #1 (DEPLOYED_TO cuba -> jamaica): 'count' must fit in 64 bits (-9223372036854775808 to 9223372036854775807), got 99999999999999999999",
        id="csv-beyond-64-bits",
    ),
    pytest.param(
        "yaml11-base-60",
        "facts.yaml:3: 1:30 is a base-60 number (1:30 is 90) to some YAML readers and text to others; quote it ('1:30') if it is text, or write the number in plain decimal digits",
        id="yaml11-base-60",
    ),
    pytest.param(
        "yaml11-octal",
        "facts.yaml:3: 0o17 is an octal number to some YAML readers and text to others; quote it ('0o17') if it is text, or write the number in plain decimal digits",
        id="yaml11-octal",
    ),
    pytest.param(
        "yaml11-hexadecimal",
        "facts.yaml:3: 0x1F is a hexadecimal number to some YAML readers and text to others; quote it ('0x1F') if it is text, or write the number in plain decimal digits",
        id="yaml11-hexadecimal",
    ),
    pytest.param(
        "yaml11-leading-zero",
        "facts.yaml:3: 017 is an octal number (017 is 15) to some YAML readers and text to others; quote it ('017') if it is text, or write the number in plain decimal digits",
        id="yaml11-leading-zero",
    ),
    pytest.param(
        "yaml11-boolean",
        "entities.yaml:3: NO is a boolean to some YAML readers and text to others; quote it ('NO') if it is text, or write true or false",
        id="yaml11-boolean",
    ),
    pytest.param("csv-duplicate-column", "edges.csv:1: column 'count' appears twice in the header; keep one", id="csv-duplicate-column"),
    pytest.param(
        "duplicate-relationship-id",
        "facts.yaml:4: fact #2 (DEPLOYED_TO cuba -> saint-lucia): duplicate relationship id 'the-same-id', first defined at {here}/facts.yaml:3; give one of them another id",
        id="duplicate-relationship-id",
    ),
    pytest.param(
        "merge-key-misuse",
        "facts.yaml:3: a merge key '<<' must name a mapping or a list of mappings (expected a mapping or list of mappings for merging, but found scalar)",
        id="merge-key-misuse",
    ),
    pytest.param(
        "unknown-tag", "facts.yaml:3: the tag !!timestamp is not used in cubamed's files; remove it (quote the value if it is text)", id="unknown-tag"
    ),
    pytest.param("not-utf8", "facts.yaml:3: not UTF-8 text (byte 0xe9); save the file as UTF-8", id="not-utf8"),
    pytest.param("unprintable-character", "facts.yaml:3: the character U+0001 is not allowed in YAML; remove it", id="unprintable-character"),
]

#: Scenario folders with several bad records: every one is reported, in line order.
MULTI_CASES = [
    pytest.param(
        "impossible-dates",
        [
            "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): 'date' '2020-02-30' is not a date of the calendar; check the day, month and year",
            "facts.yaml:4: fact #2 (DEPLOYED_TO cuba -> jamaica): 'date' must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, quoted), got '2020-13-01'",
            "facts.yaml:5: fact #3 (DEPLOYED_TO cuba -> jamaica): 'date' '0000-01-01' is not a date of the calendar; check the day, month and year",
            "facts.yaml:6: fact #4 (DEPLOYED_TO cuba -> jamaica): 'date' '2020-02-30' is not a date of the calendar; check the day, month and year",
            "facts.yaml:7: fact #5 (DEPLOYED_TO cuba -> jamaica): 'date' '2021-02-29' is not a date of the calendar; check the day, month and year",
        ],
        id="impossible-dates",
    ),
    pytest.param(
        "non-finite-numbers",
        [
            "facts.yaml:3: fact #1 (FUNDED venezuela -> cuba): 'amount_usd' must be a finite number, got inf",
            "facts.yaml:4: fact #2 (FUNDED venezuela -> cuba): 'amount_usd' must be a finite number, got inf",
            "facts.yaml:5: fact #3 (DEPLOYED_TO cuba -> jamaica): 'count' must be a whole number, got inf",
            "facts.yaml:6: fact #4 (FUNDED venezuela -> cuba): 'quantity' must be a finite number, got nan",
        ],
        id="non-finite-numbers",
    ),
    pytest.param(
        "csv-non-finite-numbers",
        [
            "edges.csv:2: fact #1 (FUNDED venezuela -> cuba): 'amount_usd' must be a finite number, got inf",
            "edges.csv:3: fact #2 (FUNDED venezuela -> cuba): 'amount_usd' must be a finite number, got 'inf'",
            "edges.csv:4: fact #3 (FUNDED venezuela -> cuba): 'amount_usd' must be a finite number, got 'nan'",
            "edges.csv:5: fact #4 (DEPLOYED_TO cuba -> jamaica): 'count' must be a whole number, got '1e3'",
        ],
        id="csv-non-finite-numbers",
    ),
    pytest.param(
        "beyond-64-bits",  # 2**63 - 1 on line 3 is accepted
        [
            "facts.yaml:4: fact #2 (DEPLOYED_TO cuba -> jamaica): 'count' must fit in 64 bits (-9223372036854775808 to 9223372036854775807), got 9223372036854775808",
            "facts.yaml:5: fact #3 (FUNDED venezuela -> cuba): 'amount_usd' must fit in 64 bits (-9223372036854775808 to 9223372036854775807), got -9223372036854775809",
        ],
        id="beyond-64-bits",
    ),
    pytest.param(
        "control-characters",
        [
            "entities.yaml:3: entity 'trailing-newline\\n': 'id' holds a line break or tab at character 17; remove it",
            "entities.yaml:4: entity 'bad-iso': 'iso3' 'BAD\\n' does not match the pattern ^[A-Z]{{3}}$",
            "entities.yaml:5: entity 'nul-name': 'name' holds the control character U+0000 at character 4; remove it",
            "entities.yaml:6: entity 'bell-name': 'name' holds the control character U+0007 at character 5; remove it",
            "entities.yaml:7: entity 'tab-name': 'name' holds a line break or tab at character 4; remove it",
        ],
        id="control-characters",
    ),
    pytest.param(
        "csv-control-characters",
        [
            "nodes.csv:2: entity 'nul-land': 'name' holds the control character U+0000 at character 4; remove it",
            "nodes.csv:3: entity 'escape-land': 'name' holds the control character U+001B at character 7; remove it",
        ],
        id="csv-control-characters",
    ),
    pytest.param(
        "year-bounds",  # 1900, 2030, 2030-12-31 and count 0 (lines 4, 5, 9, 10) are accepted: the bounds are inclusive
        [
            "facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): 'year' 1899 is outside 1900-2030; check for a typo",
            "facts.yaml:6: fact #4 (DEPLOYED_TO cuba -> jamaica): 'year' 2031 is outside 1900-2030; check for a typo",
            "facts.yaml:7: fact #5 (DEPLOYED_TO cuba -> jamaica): 'year' 0 is outside 1900-2030; check for a typo",
            "facts.yaml:8: fact #6 (DEPLOYED_TO cuba -> jamaica): 'date' '1899-12-31' is outside 1900-2030; check for a typo",
            "facts.yaml:11: fact #9 (DEPLOYED_TO cuba -> jamaica): 'count' must be at least 0, got -1",
        ],
        id="year-bounds",
    ),
]


def _shown(path: Path) -> str:
    from graph.read import display_path

    return display_path(path)


@pytest.mark.parametrize(("case", "message"), CASES)
def test_bad_input_gives_exact_message_and_builds_nothing(case: str, message: str) -> None:
    expected = f"{_shown(BAD / case)}/{message.format(mini=_shown(MINI), here=_shown(BAD / case))}"
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / case)
    assert [str(p) for p in err.value.problems] == [expected]
    assert str(err.value) == f"1 problem found; nothing was built:\n  {expected}"


@pytest.mark.parametrize(("case", "messages"), MULTI_CASES)
def test_bad_records_each_give_their_exact_message(case: str, messages: list[str]) -> None:
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / case)
    assert [str(p) for p in err.value.problems] == [f"{_shown(BAD / case)}/{m.format()}" for m in messages]


def test_the_boundaries_of_every_range_are_accepted(tmp_path: Path) -> None:
    """year 1900 and 2030, the last day of 2030, count 0 and the largest 64-bit count all load."""
    bounds = {"year: 1900": "p1", "year: 2030": "p2", "date: '2030-12-31'": "p3", "count: 0": "p4", "count: 9223372036854775807": "p5"}
    facts = "".join(f"  - {{type: DEPLOYED_TO, from: cuba, to: jamaica, {v}, locator: {loc}, evidence: On the boundary.}}\n" for v, loc in bounds.items())
    (tmp_path / "facts.yaml").write_text("source: news\nfacts:\n" + facts, encoding="utf-8")
    G = graph.load(MINI, tmp_path)
    got = {d["locator"]: {k: d[k] for k in ("year", "date", "count") if k in d} for _, _, d in G.edges(data=True) if d["locator"] in bounds.values()}
    assert got == {"p1": {"year": 1900}, "p2": {"year": 2030}, "p3": {"date": "2030-12-31"}, "p4": {"count": 0}, "p5": {"count": 2**63 - 1}}


def test_excel_csv_with_a_byte_order_mark_is_read() -> None:
    G = graph.load(MINI, GOOD / "excel-bom")
    assert G.nodes["bom-land"] == {"label": "State", "name": "Bom Land", "iso3": "BOM"}
    assert [d["count"] for _, _, d in G.in_edges("bom-land", data=True)] == [7]


def test_yaml_merge_keys_are_read() -> None:
    G = graph.load(MINI, GOOD / "merge-keys")
    merged = sorted(((v, d["count"], d["year"], d["event"], d["locator"]) for _, v, d in G.out_edges("cuba", data=True) if d.get("count") in {53, 141}))
    assert merged == [("jamaica", 141, 2020, "covid", "para. 10"), ("lombardy", 53, 2020, "covid", "para. 9")]


def test_a_huge_value_gives_a_short_message(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text("source: news\nfacts:\n  - " + "x" * 100_000 + "\n", encoding="utf-8")
    (tmp_path / "more.yaml").write_text("source: news\nfacts:\n  - {type: DEPLOYED_TO, from: cuba, to: jamaica, count: [" + "1, " * 50_000 + "1]}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert len(str(err.value)) < 1000
    assert [p.message[:60] for p in err.value.problems] == [
        "expected a mapping of properties, got 'xxxxxxxxxxxxxxxxxxxxx",
        "'count' must be a whole number, got [1, 1, 1, 1, 1, 1, 1, 1,",
        "missing required 'locator', 'evidence'; add them to the reco",
    ]
    assert err.value.problems[0].message.endswith("…' (100000 characters)")


def test_the_message_lists_at_most_200_problems_and_keeps_them_all(tmp_path: Path) -> None:
    facts = "".join(f"  - {{type: DEPLOYED_TO, from: cuba, to: jamaica, count: many, locator: p{i}, evidence: e}}\n" for i in range(250))
    (tmp_path / "facts.yaml").write_text("source: news\nfacts:\n" + facts, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert len(err.value.problems) == 250
    lines = str(err.value).splitlines()
    assert len(lines) == 1 + 200 + 1
    assert lines[-1] == "  ... and 50 more; fix these first, or validate one file at a time"


def test_every_problem_of_a_run_is_reported_together() -> None:
    folder = _shown(BAD / "several-problems")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / "several-problems", BAD / "unknown-label")
    assert [str(p) for p in err.value.problems] == [
        f"{folder}/facts.yaml:3: fact #1 (DEPLOYED_TO cuba -> jamaica): 'count' must be at least 0, got -3",
        f"{folder}/facts.yaml:4: fact #2 (FUNDED cuba -> nowhere): 'to' refers to 'nowhere', which no entity has as id; add the entity or fix the id",
        f"{folder}/facts.yaml:5: fact #3 (DEPLOYED_TO cuba -> jamaica): 'date' must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, quoted), got '2020-13-01'",
        f"{_shown(BAD / 'unknown-label')}/entities.yaml:2: entity 'atlantis': unknown label 'Stat'; use one of State, Region, Program, Person, Institution, Company, LegalEntity, Aircraft, Vessel, Event, Source (did you mean 'State'?)",
    ]
    assert str(err.value).startswith("4 problems found; nothing was built:\n")


def test_missing_path_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as err:
        graph.load(tmp_path / "nope")
    assert [p.message for p in err.value.problems] == ["no such file or folder; check the path"]


def test_fact_ids_are_deterministic_and_survive_a_changed_figure(tmp_path: Path) -> None:
    first = set(graph.load(MINI).edges(keys=True))
    again = set(graph.load(MINI).edges(keys=True))
    assert first == again
    changed = tmp_path / "mini"
    changed.mkdir()
    for f in MINI.iterdir():
        (changed / f.name).write_text(f.read_text().replace("count: 113", "count: 114"))
    G = graph.load(changed)
    assert set(G.edges(keys=True)) == first
    assert G.edges["cuba", "saint-lucia", next(iter(G["cuba"]["saint-lucia"]))]["count"] == 114


@pytest.mark.parametrize(
    ("record", "message"),
    [
        pytest.param(
            "{type: DEPLOYED_TO, from: cuba, to: jamaica, event: \"covid\\n\", locator: p, evidence: e}",
            "'event' holds a line break or tab at character 6; remove it",
            id="line-break-in-a-reference",
        ),
        pytest.param(
            "{type: DEPLOYED_TO, from: cuba, to: jamaica, locator: \"p\\x7f1\", evidence: e}",
            "'locator' holds the control character U+007F at character 2; remove it",
            id="delete-character",
        ),
        pytest.param(
            "{type: DEPLOYED_TO, from: cuba, to: jamaica, locator: p, evidence: \"the end \\udfff\"}",
            "'evidence' holds U+DFFF at character 9, half a UTF-16 pair no file or database can store; fix the escape",
            id="last-surrogate",
        ),
        pytest.param(
            "{type: DEPLOYED_TO, from: cuba, to: jamaica, locator: p, evidence: \"two\\nlines\\tand a tab\"}", None, id="free-text-may-break-lines"
        ),
        pytest.param("{type: 5, from: cuba, to: jamaica, locator: p, evidence: e}", "unknown relationship type 5; use one declared in schema.yaml", id="type-not-text"),
        pytest.param(  # the smallest 64-bit integer fits: the range check lets it through to the schema's min
            "{type: FUNDED, from: venezuela, to: cuba, amount_usd: -9223372036854775808, locator: p, evidence: e}",
            "'amount_usd' must be at least 0, got -9223372036854775808",
            id="smallest-64-bit-integer",
        ),
    ],
)
def test_characters_and_odd_values_in_single_records(tmp_path: Path, record: str, message: str | None) -> None:
    (tmp_path / "facts.yaml").write_text(f"source: news\nfacts:\n  - {record}\n", encoding="utf-8")
    if message is None:
        assert graph.load(MINI, tmp_path).number_of_edges() == 9
        return
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert [p.message for p in err.value.problems] == [message]


def _renamed_locator_schema(tmp_path: Path) -> Path:
    """The project's schema with `locator` renamed `place` (declared `formerly: locator`)."""
    text = (ROOT / "data" / "schema.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("  locator: {type: string,", "  place: {type: string, formerly: locator,"),
        ("  locator: locator ", "  locator: place   "),
        ("identity: [source_id, locator,", "identity: [source_id, place,"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "schema.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_property_renamed_in_the_schema_changes_no_id(tmp_path: Path) -> None:
    schema = _renamed_locator_schema(tmp_path)
    data = tmp_path / "mini"
    data.mkdir()
    for f in MINI.iterdir():
        (data / f.name).write_text(f.read_text(encoding="utf-8").replace("locator:", "place:"), encoding="utf-8")
    before = graph.load(MINI)
    after = graph.Project(data, schema=schema).load()
    assert sorted(after.edges(keys=True)) == sorted(before.edges(keys=True))
    assert {d["place"] for *_, d in after.edges(data=True)} == {d["locator"] for *_, d in before.edges(data=True)}
    with pytest.raises(ValidationError) as err:
        graph.Project(MINI, schema=schema).load()
    assert {p.message for p in err.value.problems} == {"'locator' is now called 'place'; rename it"}


def _hospitals(tmp_path: Path, facts: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "places.yaml").write_text((ROOT / "examples/hospitals/data/places.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (data / "links.yaml").write_text(facts, encoding="utf-8")
    return data


def test_a_schema_without_identity_tells_facts_apart_by_every_property(tmp_path: Path) -> None:
    schema = ROOT / "examples/hospitals/schema.yaml"
    twins = "facts:\n  - {type: TWINNED_WITH, from: springfield, to: shelbyville, since: 1990}\n"
    data = _hospitals(tmp_path, twins + "  - {type: TWINNED_WITH, from: springfield, to: shelbyville, since: 1991}\n")
    assert graph.Project(data, schema=schema).load().number_of_edges() == 2
    (data / "links.yaml").write_text(twins + twins.removeprefix("facts:\n"), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.Project(data, schema=schema).load()
    assert [p.message[:40] for p in err.value.problems] == ["duplicate relationship id 'twinned-with-"]


def test_a_file_source_without_a_provenance_role_is_refused_once_per_file(tmp_path: Path) -> None:
    facts = "source: somewhere\nfacts:\n" + "".join(
        f"  - {{type: TWINNED_WITH, from: springfield, to: shelbyville, since: {y}}}\n" for y in (1990, 1991)
    )
    data = _hospitals(tmp_path, facts)
    with pytest.raises(ValidationError) as err:
        graph.Project(data, schema=ROOT / "examples/hospitals/schema.yaml").load()
    assert [(p.line, p.message) for p in err.value.problems] == [
        (
            3,
            "'source' at the top of the file names the document of its facts, but schema.yaml has no 'provenance' role to put it in; "
            "remove it, or name the property under 'roles:' in the schema",
        )
    ]


# --- the quick accept of a million loaded values agrees with `coerce` ------------------------------

_TEXT = st.text(alphabet=st.sampled_from(["a", " ", "-", "0", "9", "\n", "\t", "\x00", "\x7f", "\x85", "\ud800", "é", "S", "E"]), max_size=6)
_VALUES = st.one_of(
    _TEXT,
    st.from_regex(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", fullmatch=True),
    st.sampled_from(["0000", "2020-02-29", "2021-02-29", "2020-04-31", "2020-12-28", "1899", "1900-01-01", "Cuba", "CUB"]),
    st.lists(_TEXT, max_size=3),
    st.integers(),
    st.booleans(),
    st.none(),
)


def _run() -> _Run:
    schema = load_schema()
    return _Run(schema, model_of(schema))


def _dated(run: _Run, name: str) -> bool:
    return name in run.years or name == run.date


def _all_properties() -> list[Property]:
    schema = load_schema()
    props = {(p.name, p.type): p for p in [*schema.node_properties.values(), *schema.relationship_properties.values()]}
    for label in schema.labels.values():
        props |= {(p.name, p.type): p for p in label.properties.values()}
    return list(props.values())


@settings(max_examples=300)
@given(prop=st.sampled_from(_all_properties()), value=_VALUES, text=st.booleans())
def test_what_the_quick_accept_takes_coerce_keeps_unchanged(prop: Property, value: object, text: bool) -> None:
    run = _run()
    ok = _accepts(prop, run)
    if ok is not None and ok(value):
        assert coerce(prop, value, text, one_line=prop.name in run.one_line) == (value, None)
        assert not _dated(run, prop.name) or _year_problem(run, prop.name, value) is None


@settings(max_examples=300)
@given(prop=st.sampled_from(_all_properties()), values=st.lists(_VALUES, max_size=5))
def test_the_column_test_says_what_the_quick_accept_says_of_every_value(prop: Property, values: list[object]) -> None:
    """`graph.ftm.direct` and `validate_records` check a million loaded values a column at a time."""
    run = _run()
    ok, column = _accepts(prop, run), _column_test(prop, run)
    assert (ok is None) == (column is None)
    if ok is not None and column is not None:
        assert column(values) == all(map(ok, values))


@pytest.mark.parametrize("control", [_CONTROL, _CONTROL_ONE_LINE], ids=["control", "control-one-line"])
def test_the_control_check_finds_what_the_pattern_finds(control: re.Pattern[str]) -> None:
    """ASCII texts are asked as bytes (`_holds_control`); every character, alone and inside ASCII
    and non-ASCII text, gets the pattern's own answer."""
    for c in map(chr, range(0x10000)):
        for text in (c, f"ab {c} cd", f"é {c}", f"{c}\x01"):
            assert _holds_control(text, control) == (control.search(text) is not None), repr(text)


@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c", "label"]), st.integers(), max_size=4), max_size=6))
def test_columns_are_each_keys_values_in_order(datas: list[dict[str, int]]) -> None:
    expected = {k: [d[k] for d in datas if k in d] for k in {k for d in datas for k in d}}
    assert columns(datas) == expected


def test_the_quick_accept_serves_the_loaded_types() -> None:
    """Text, dates, enums and lists are what a million loaded values are; each has its quick test."""
    run = _run()
    by_type = {p.type: _accepts(p, run) for p in _all_properties() if not _dated(run, p.name)}
    assert {t for t, ok in by_type.items() if ok is not None} >= {"string", "ref", "date", "enum", "list[string]"}


_TRICKY = ["0000", "0000-01-01", "2020-02-29", "2021-02-29", "2020-04-31", "2020-04-30", "1899", "1900-01-01", "a\nb", "a\tb", " ", "\ud800", "x"]


def test_the_quick_accept_agrees_with_coerce_on_tricky_values() -> None:
    run = _run()
    for prop in _all_properties():
        ok = _accepts(prop, run)
        for value in [*_TRICKY, [*_TRICKY[-5:]], ["x", "y"]]:
            if ok is not None and ok(value):
                assert coerce(prop, value, False, one_line=prop.name in run.one_line) == (value, None), (prop.name, value)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        pytest.param(  # every item of a list is checked, not only the first
            '{id: tab-land, name: Tab Land, iso3: TAB, aliases: [Tab Land, "Tab\\tLand"]}',
            "'aliases' holds a line break or tab at character 4; remove it",
            id="tab-in-the-second-alias",
        ),
    ],
)
def test_odd_values_in_single_entities(tmp_path: Path, record: str, message: str) -> None:
    (tmp_path / "entities.yaml").write_text(f"label: State\nentities:\n  - {record}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert [p.message for p in err.value.problems] == [message]


_INT_PROP = Property("n", "int")
_NUMBER = Property("x", "number")
_BOOL = Property("b", "bool")  # no bool property in data/schema.yaml: declared here
_LIST = Property("aliases", "list[string]")
_DATE = Property("d", "date")
_ENUM = Property("e", "enum", values=("alpha", "beta"))
_TEXT = Property("s", "string")
_ISO = Property("iso3", "string", pattern="^[A-Z]{3}$")
_HALF = Property("q", "number", min=0.5)


@pytest.mark.parametrize(
    ("prop", "value", "text", "expected"),
    [
        # CSV cells (text=True) are typed by the declaration; YAML values (text=False) must already have the type
        pytest.param(_INT_PROP, "42", True, 42, id="int-from-text"),
        pytest.param(_INT_PROP, "-7", True, -7, id="negative-int-from-text"),
        pytest.param(_INT_PROP, 42, False, 42, id="int"),
        pytest.param(_INT_PROP, "42", False, "'n' must be a whole number, got '42'", id="text-in-yaml-is-no-int"),
        pytest.param(_INT_PROP, True, False, "'n' must be a whole number, got True", id="bool-is-no-int"),
        pytest.param(_INT_PROP, "4.0", True, "'n' must be a whole number, got '4.0'", id="decimal-is-no-int"),
        pytest.param(_NUMBER, "5", True, 5, id="whole-number-stays-int"),
        pytest.param(_NUMBER, "2.5", True, 2.5, id="decimal-from-text"),
        pytest.param(_NUMBER, "-1.5e2", True, -150.0, id="exponent-from-text"),
        pytest.param(_NUMBER, ".5", True, 0.5, id="leading-dot"),
        pytest.param(_NUMBER, 2.5, False, 2.5, id="float"),
        pytest.param(_NUMBER, 3, False, 3, id="int-is-a-number"),
        pytest.param(_NUMBER, "5", False, "'x' must be a finite number, got '5'", id="text-in-yaml-is-no-number"),
        pytest.param(_NUMBER, float("-inf"), False, "'x' must be a finite number, got -inf", id="minus-infinity"),
        pytest.param(_NUMBER, "five", True, "'x' must be a finite number, got 'five'", id="word-is-no-number"),
        pytest.param(_BOOL, "TRUE", True, True, id="true-from-text"),
        pytest.param(_BOOL, "false", True, False, id="false-from-text"),
        pytest.param(_BOOL, True, False, True, id="bool"),
        pytest.param(_BOOL, "yes", True, "'b' must be true or false, got 'yes'", id="yes-is-no-bool"),
        pytest.param(_BOOL, "true", False, "'b' must be true or false, got 'true'", id="text-in-yaml-is-no-bool"),
        pytest.param(_BOOL, 1, False, "'b' must be true or false, got 1", id="one-is-no-bool"),
        pytest.param(_LIST, " St. Lucia ;Saint Lucia;; ", True, ["St. Lucia", "Saint Lucia"], id="list-from-text"),
        pytest.param(_LIST, ["St. Lucia"], False, ["St. Lucia"], id="list"),
        pytest.param(_LIST, "St. Lucia", False, "'aliases' must be a list of text, e.g. [St. Lucia, Saint Lucia], got 'St. Lucia'", id="text-is-no-list"),
        pytest.param(_LIST, ["a", " "], False, "'aliases' must be a list of text, e.g. [St. Lucia, Saint Lucia], got ['a', ' ']", id="blank-item"),
        pytest.param(_LIST, ["a", 1], False, "'aliases' must be a list of text, e.g. [St. Lucia, Saint Lucia], got ['a', 1]", id="number-item"),
        pytest.param(_DATE, "2020", True, "2020", id="year"),
        pytest.param(_DATE, "2020-02", False, "2020-02", id="month"),
        pytest.param(_DATE, "2020-02-29", False, "2020-02-29", id="leap-day"),
        pytest.param(_DATE, "2020-12-31", False, "2020-12-31", id="last-day"),
        pytest.param(_DATE, "2021-02-29", False, "'d' '2021-02-29' is not a date of the calendar; check the day, month and year", id="no-leap-day"),
        pytest.param(_DATE, "2020-2", False, "'d' must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, quoted), got '2020-2'", id="short-month"),
        pytest.param(_DATE, 2020, False, "'d' must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, quoted), got 2020", id="int-is-no-date"),
        pytest.param(_ENUM, "beta", False, "beta", id="enum"),
        pytest.param(_ENUM, "betta", False, "'e' must be one of alpha, beta, got 'betta' (did you mean 'beta'?)", id="enum-typo"),
        pytest.param(_ENUM, "gamma", True, "'e' must be one of alpha, beta, got 'gamma'", id="enum-unknown"),
        pytest.param(_TEXT, "x", False, "x", id="text"),
        pytest.param(_TEXT, " ", False, "'s' must be text, got ' '", id="blank-text"),
        pytest.param(_TEXT, 5, False, "'s' must be text, got 5", id="number-is-no-text"),
        pytest.param(_ISO, "CUB", False, "CUB", id="pattern"),
        pytest.param(_ISO, "CUBA", False, "'iso3' 'CUBA' does not match the pattern ^[A-Z]{3}$", id="pattern-mismatch"),
        pytest.param(_HALF, 0.5, False, 0.5, id="at-the-min"),
        pytest.param(_HALF, 0.25, False, "'q' must be at least 0.5, got 0.25", id="below-the-min"),
    ],
)
def test_coerce_types_a_value_by_its_declaration(prop: Property, value: Any, text: bool, expected: Any) -> None:
    """The value and its Python type, or the exact message; what each type means is data/schema.yaml's header."""
    got, err = coerce(prop, value, text)
    if isinstance(expected, str) and expected.startswith(f"'{prop.name}'"):
        assert (got, err) == (None, expected)
    else:
        assert (type(got), got, err) == (type(expected), expected, None)


@pytest.mark.parametrize("digits", [99, 100, 101])
def test_numbers_of_up_to_100_digits_are_read_as_numbers(digits: int) -> None:
    """Up to 100 digits the text is a number (too big for 64 bits); past it, the text is no number at all."""
    text = "9" * digits
    _, as_int = coerce(_INT_PROP, text, True)
    _, as_number = coerce(_NUMBER, text, True)
    if digits <= 100:
        assert as_int.startswith("'n' must fit in 64 bits (-9223372036854775808 to 9223372036854775807), got 999")
        assert as_number.startswith("'x' must fit in 64 bits (-9223372036854775808 to 9223372036854775807), got 999")
    else:
        assert as_int.startswith("'n' must be a whole number, got '999")
        assert as_number.startswith("'x' must be a finite number, got '999")


def test_every_property_of_a_record_is_checked_after_an_unknown_or_renamed_one(tmp_path: Path) -> None:
    """One record, three problems after good values: none stops the checks of the properties after it."""
    record = "{type: DEPLOYED_TO, from: cuba, to: jamaica, locator: p. 1, evidence: x., source: news, bogus: 1, count: -1, year: 1066}"
    (tmp_path / "facts.yaml").write_text(f"source: news\nfacts:\n  - {record}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert sorted(p.message for p in err.value.problems) == [
        "'count' must be at least 0, got -1",
        "'source' is now called 'source_id' (networkx and pandas reserve 'source' for an edge's start); rename it",
        "'year' 1066 is outside 1900-2030; check for a typo",
        "unknown property 'bogus' for DEPLOYED_TO; declare it in the schema or remove it",
    ]


def test_an_entity_without_a_label_is_told_where_to_give_it(tmp_path: Path) -> None:
    (tmp_path / "entities.yaml").write_text("entities:\n  - {id: atlantis, name: Atlantis}\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert [str(p) for p in err.value.problems] == [
        f"{_shown(tmp_path)}/entities.yaml:2: entity 'atlantis': missing 'label'; give it on the record or as 'label:' at the top of the file"
    ]


def test_a_fact_id_is_the_documented_hash_of_its_identity() -> None:
    """The recipe of `fact_id`'s docstring, spelled out: ids live in users' Neo4j databases, so a
    change of key names, key order, hash or digest size (every id changing) must fail here."""
    identity = {"source_id": "source", "locator": "locator", "year": "year"}
    props = {"source_id": "news", "locator": "para. 8", "count": 113, "evidence": "Doctors went."}
    hashed = b'{"from": "cuba", "locator": "para. 8", "source": "news", "to": "saint-lucia", "type": "DEPLOYED_TO"}'
    expected = "deployed-to-" + hashlib.blake2b(hashed, digest_size=6).hexdigest()
    assert fact_id("DEPLOYED_TO", "cuba", "saint-lucia", props, identity) == expected
    assert len(expected) == len("deployed-to-") + 12


def test_each_entity_and_fact_keeps_the_file_and_line_it_came_from() -> None:
    """`Entity.line` and `Fact.line` are the lines of their records in the file, found here by
    searching the file's text for each id (entities) and for a fact's evidence."""
    from graph.read import read_paths
    from graph.validate import validate_records

    records, problems = read_paths([MINI])
    entities, facts, more = validate_records(records, load_schema())
    assert problems == [] and more == []
    for e in entities:
        lines = Path(e.file).read_text(encoding="utf-8").splitlines()
        assert f"id: {e.id}," in lines[e.line - 1], (e.id, e.file, e.line)
    for f in facts:
        lines = Path(f.file).read_text(encoding="utf-8").splitlines()
        assert f"evidence: {f.props['evidence']}" in lines[f.line - 1], (f.id, f.file, f.line)


def test_coerce_keeps_line_breaks_unless_asked_for_one_line() -> None:
    """`coerce`'s docstring: line breaks and tabs are refused only with `one_line` (or in a reference)."""
    text = Property("note", "string")
    assert coerce(text, "line one\nline two\tend", False) == ("line one\nline two\tend", None)
    assert coerce(text, "line one\nline two", False, one_line=True)[1] == "'note' holds a line break or tab at character 9; remove it"
