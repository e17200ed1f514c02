"""One scenario folder per class of bad input: each gives its exact message, and nothing is built."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import ValidationError

from .conftest import FIXTURES

BAD = FIXTURES / "bad"
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
]


def _shown(path: Path) -> str:
    from graph.read import display_path

    return display_path(path)


@pytest.mark.parametrize(("case", "message"), CASES)
def test_bad_input_gives_exact_message_and_builds_nothing(case: str, message: str) -> None:
    expected = f"{_shown(BAD / case)}/{message.format(mini=_shown(MINI))}"
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / case)
    assert [str(p) for p in err.value.problems] == [expected]
    assert str(err.value) == f"1 problem found; nothing was built:\n  {expected}"


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
