"""Reading FtM files: the fixture joins the curated data; bad lines give exact errors and build nothing."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.errors import ValidationError
from graph.ftm import read as ftm_read
from graph.locations import data_dir
from graph.read import data_files, display_path

from .conftest import MAIN, OTHER, require_followthemoney

ROOT = Path(__file__).parent.parent
BAD = ROOT / "fixtures" / "bad-ftm"
MINI = ROOT / "fixtures" / "mini"


def test_conviasa_is_one_node_with_the_curated_and_the_listed_relations(listed: nx.MultiDiGraph) -> None:
    assert [n for n, d in listed.nodes(data=True) if d.get("name") == "Conviasa"] == ["conviasa"]
    sources = sorted(d["source_id"] for *_, d in listed.in_edges("conviasa", data=True) if d["type"] == "SANCTIONED")
    assert sources == ["dataset-cubamed-fixture", "dataset-cubamed-fixture-other", "news-2020-caribbean-brigades"]
    out = {(v, d["type"], d["source_id"]) for _, v, d in listed.out_edges("conviasa", data=True)}
    assert ("cuban-international-brigade", "TRANSPORTED", "news-2020-caribbean-brigades") in out
    assert ("fixture-aircraft-1", "OWNS", "dataset-cubamed-fixture") in out


def test_every_loaded_fact_has_its_provenance(listed: nx.MultiDiGraph) -> None:
    loaded = [(u, v, d) for u, v, d in listed.edges(data=True) if d["source_id"].startswith("dataset-")]
    assert len(loaded) == 7
    for _, _, d in loaded:
        assert listed.nodes[d["source_id"]]["kind"] == "dataset"
        assert d["locator"].startswith("fixture-")  # the FtM entity id
        assert d["first_seen"] == "2020-02-08" and d["last_seen"] == "2024-06-01"
        assert d["evidence"].startswith("The dataset cubamed_fixture")
    sanction = listed.edges["united-states", "conviasa", "fixture-san-conviasa"]
    assert sanction == {
        "type": "SANCTIONED",
        "sanction_program": "VENEZUELA-EO13884",
        "authority": "Office of Foreign Assets Control",
        "start_date": "2020-02-07",
        "provisions": "Block",
        "source_id": "dataset-cubamed-fixture",
        "locator": "fixture-san-conviasa",
        "first_seen": "2020-02-08",
        "last_seen": "2024-06-01",
        "source_url": "https://ofac.treasury.gov/",
        "evidence": "The dataset cubamed_fixture lists Conviasa as sanctioned by United States "
        "(program VENEZUELA-EO13884, authority Office of Foreign Assets Control, from 2020-02-07, measures Block).",
    }


def test_listed_entities_keep_where_they_came_from(listed: nx.MultiDiGraph) -> None:
    plane = listed.nodes["fixture-aircraft-1"]
    assert plane["label"] == "Aircraft" and plane["registration"] == "YV-FIXTURE-1" and plane["model"] == "Embraer E190"
    assert (
        plane["ftm_ids"] == ["fixture-aircraft-1"]
        and plane["ftm_schema"] == "Airplane"
        and plane["datasets"] == ["dataset-cubamed-fixture"]
    )
    assert plane["sanctioned_by"] == ["united-states"]
    conviasa = listed.nodes["conviasa"]
    assert conviasa["name"] == "Conviasa" and conviasa["label"] == "Company"  # the curated name and label stay
    assert conviasa["aliases"] == [
        "Consorcio Venezolano de Industrias Aeronauticas y Servicios Aereos, S.A.",
        "CONVIASA",
        "Conviasa Airlines",
    ]
    assert conviasa["datasets"] == ["dataset-cubamed-fixture", "dataset-cubamed-fixture-other"]


def test_the_unknown_schema_is_reported_not_dropped_silently(listed: nx.MultiDiGraph) -> None:
    assert "fixture-address-1" not in listed
    assert listed.graph["notes"].splitlines()[0] == (
        "1 FollowTheMoney entities of schemata the mapping does not name were left out: Address (1); map them in ftm-mapping.yaml to load them"
    )


def test_gzip_and_plain_files_read_the_same(tmp_path: Path) -> None:
    plain = tmp_path / "other.ftm.jsonl"
    with gzip.open(OTHER, "rb") as src:
        plain.write_bytes(src.read())
    zipped = tmp_path / "sanctions.json.gz"
    zipped.write_bytes(gzip.compress(MAIN.read_bytes()))
    a, b = graph.load(data_dir(), MAIN, OTHER), graph.load(data_dir(), zipped, plain)
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


@pytest.mark.parametrize("dataset", ["us_ofac_sdn", "us_cuba_sanctions", "sanctions"])
def test_a_dataset_the_mapping_knows_loads_with_its_title_and_address(tmp_path: Path, dataset: str) -> None:
    """The datasets named in data/ftm-mapping.yaml, as OpenSanctions' files name them, become Sources
    with the mapping's title and address (which must pass the schema's url pattern)."""
    import json

    from graph.ftm import dataset_source_id, load_mapping

    line = {"id": "os-acme", "schema": "Company", "datasets": [dataset], "properties": {"name": ["Acme Airways"]}}
    f = tmp_path / "list.ftm.json"
    f.write_text(json.dumps(line) + "\n", encoding="utf-8")
    G = graph.load(data_dir(), f)
    known = load_mapping().datasets[dataset]
    source = G.nodes[dataset_source_id(dataset)]
    assert (source["title"], source["url"], source["kind"]) == (known["title"], known["url"], "dataset")
    assert G.nodes["os-acme"]["datasets"] == [dataset_source_id(dataset)]


def test_folders_find_ftm_files_and_skip_the_mapping(tmp_path: Path) -> None:
    shutil.copy(MAIN, tmp_path / "a.ftm.json")
    shutil.copy(OTHER, tmp_path / "b.jsonl.gz")
    (tmp_path / "notes.txt").write_text("not data")
    files, problems = data_files([tmp_path, data_dir()])
    names = [f.name for f in files]
    assert problems == [] and names[:2] == ["a.ftm.json", "b.jsonl.gz"]
    assert "ftm-mapping.yaml" not in names and "schema.yaml" not in names and "match-decisions.yaml" in names


CASES = [
    pytest.param(
        "not-json",
        "list.ftm.json:2: not valid JSON (Expecting property name enclosed in double quotes at character 37); each line must be one FollowTheMoney entity",
        id="not-json",
    ),
    pytest.param(
        "not-an-object",
        "list.ftm.json:2: expected a JSON object (one FollowTheMoney entity per line); fix or remove the line",
        id="not-an-object",
    ),
    pytest.param(
        "missing-schema",
        "list.ftm.json:2: entity 'co-2': missing 'schema' (every FollowTheMoney entity has an id and a schema); fix or remove the line",
        id="missing-schema",
    ),
    pytest.param(
        "value-not-a-list",
        "list.ftm.json:2: entity 'co-2': property 'name' must be a list of strings, got \"Not A List\"; fix or remove the line",
        id="value-not-a-list",
    ),
    pytest.param(
        "edge-without-end",
        "list.ftm.json:2: entity 'own-1': Ownership entity without 'asset'; give the id of the entity it points at, or remove the line",
        id="edge-without-end",
    ),
    pytest.param(
        "unknown-endpoint",
        "list.ftm.json:2: entity 'own-1': 'asset' refers to 'co-9', which no loaded file holds; load the file that lists it",
        id="unknown-endpoint",
    ),
    pytest.param(
        "bad-date",
        "list.ftm.json:1: entity 'co-2': 'first_seen' must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD, quoted), got '2020-13-01'",
        id="bad-date",
    ),
    pytest.param(
        "not-gzip",
        "list.ftm.json.gz: cannot read the file (Unknown compression method); it must be UTF-8 JSON lines, optionally gzipped",
        id="not-gzip",
    ),
]


@pytest.mark.parametrize(("case", "message"), CASES)
def test_a_bad_line_gives_file_line_and_what_to_do_and_builds_nothing(case: str, message: str) -> None:
    expected = f"{display_path(BAD / case)}/{message}"
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / case)
    assert [str(p) for p in err.value.problems] == [expected]
    assert str(err.value) == f"1 problem found; nothing was built:\n  {expected}"


def test_one_bad_line_does_not_lose_the_report_of_the_others() -> None:
    shown = display_path(BAD / "several-bad-lines" / "list.ftm.jsonl.gz")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / "several-bad-lines", BAD / "value-not-a-list")
    assert [str(p) for p in err.value.problems] == [
        f"{shown}:1: not valid JSON (Expecting property name enclosed in double quotes at character 37); each line must be one FollowTheMoney entity",
        f"{shown}:3: entity 'co-3': missing 'schema' (every FollowTheMoney entity has an id and a schema); fix or remove the line",
        f"{shown}:4: entity 'own-1': 'asset' refers to 'co-9', which no loaded file holds; load the file that lists it",
        f"{display_path(BAD / 'value-not-a-list')}/list.ftm.json:2: entity 'co-2': property 'name' must be a list of strings, got \"Not A List\"; fix or remove the line",
    ]


def test_bad_decisions_are_reported_with_their_line() -> None:
    shown = display_path(BAD / "bad-decision" / "my-decisions.yaml")
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / "bad-decision")
    assert [str(p) for p in err.value.problems] == [
        f"{shown}:2: decision #1: needs ftm_id (text), entity (an entity id) and same (yes or no)",
        f"{shown}:3: decision co-1 / nowhere: no curated entity has the id 'nowhere'; fix the id",
    ]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        pytest.param(
            "unknown-property",
            "entity 'co-2': schema Company has no property 'nmae'; check the spelling (`ftm ref Company` lists them); fix or remove the line",
            id="property",
        ),
        pytest.param(
            "unknown-schema-name",
            "entity 'co-2': 'Compnay' is not a FollowTheMoney schema; check the spelling (`ftm ref` lists them); fix or remove the line",
            id="schema",
        ),
    ],
)
def test_with_the_library_a_schema_or_property_it_does_not_know_is_a_problem(case: str, message: str) -> None:
    require_followthemoney()
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, BAD / case)
    assert [str(p) for p in err.value.problems] == [f"{display_path(BAD / case)}/list.ftm.json:1: {message}"]


def test_without_the_library_an_unknown_schema_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ftm_read, "_ftm_schemata", lambda: None)
    G = graph.load(MINI, BAD / "unknown-schema-name")
    assert G.graph["notes"].startswith("1 FollowTheMoney entities of schemata the mapping does not name were left out: Compnay (1);")
    assert "co-2" not in G


def test_the_same_entity_in_two_files_is_one_node(listed: nx.MultiDiGraph) -> None:
    # fixture-conviasa is in both files (two datasets); merged into one curated node, names from both
    assert listed.nodes["conviasa"]["ftm_ids"] == ["fixture-conviasa"]
    assert "Conviasa Airlines" in listed.nodes["conviasa"]["aliases"]  # only the second file has it


def test_the_embedded_engine_answers_on_the_listed_graph(listed: nx.MultiDiGraph, tmp_path: Path) -> None:
    rows = graph.query(
        "MATCH (s:State)-[r:SANCTIONED]->(c:Company {id: 'conviasa'}) RETURN r.source_id AS source, r.start_date AS start ORDER BY source",
        G=listed,
        cache_dir=tmp_path,
    )
    assert rows.fillna("-").values.tolist() == [
        ["dataset-cubamed-fixture", "2020-02-07"],
        ["dataset-cubamed-fixture-other", "2020-02-10"],
        ["news-2020-caribbean-brigades", "-"],
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param(
            '{"id": "co-9", "schema": "Company", "properties": {"name": ["Lone \\ud800 half"]}}',
            "'name' holds U+D800 at character 6, half a UTF-16 pair no file or database can store; fix the escape",
            id="lone-surrogate",
        ),
        pytest.param('{"id": "co-9", "schema": "Company", "caption": NaN, "properties": {"name": ["Odd Caption"]}}', None, id="nan"),
        pytest.param(
            '{"id": "co-9", "schema": "Company", "target": 123456789012345678901234567890, "properties": {"name": ["Big"]}}',
            None,
            id="big-integer",
        ),
        pytest.param(
            '{"id": "co-9", "schema": "Company", "properties": {"name": [123456789012345678901234567890]}}',
            "property 'name' must be a list of strings, got [123456789012345678901234567890]; fix or remove the line",
            id="big-integer-as-a-name",
        ),
        pytest.param(
            '{"id": "co-9", "schema": "Company", "properties": {"name": ["First"], "name": ["Second"]}, "schema": "Company"}',
            None,
            id="duplicate-keys",
        ),
        pytest.param('{"id": "co-9", "schema": "Company", "caption": 12, "properties": {"name": ["Numbered"]}}', None, id="caption-a-number"),
        pytest.param(
            '{"id": "co-9", "schema": "Company", "datasets": "one_list", "properties": {"name": ["Acme"]}}',
            "'datasets' must be a list of strings; fix or remove the line",
            id="datasets-a-text",
        ),
    ],
)
def test_lines_msgspec_refuses_or_reads_otherwise_are_read_as_the_json_module_reads_them(
    tmp_path: Path, line: str, message: str | None
) -> None:
    (tmp_path / "list.ftm.json").write_text(line + "\n", encoding="utf-8")
    if message is None:
        node = graph.load(MINI, tmp_path).nodes["co-9"]
        by_json = json.loads(line)
        assert node["ftm_schema"] == by_json["schema"]
        assert node["name"] == (by_json["caption"] if isinstance(by_json.get("caption"), str) else by_json["properties"]["name"][0])
        return
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert [p.message for p in err.value.problems] == [message]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_lines_end_as_the_text_mode_ends_them(tmp_path: Path, end: str) -> None:
    """The reader reads bytes; its lines are those Python's text mode reads (universal newlines),
    so a bad line's number and message are what the json module says of that line."""
    lines = [
        '{"id": "co-8", "schema": "Company", "properties": {"name": ["Eight"]}}',
        '{"id": "co-9", "schema": "Company", "properties": {"name": [9]}}',
        '{"id": "co-10", ',
    ]
    (tmp_path / "list.ftm.json").write_bytes(end.join(lines).encode("utf-8") + end.encode())
    with (tmp_path / "list.ftm.json").open(encoding="utf-8") as fh:
        texts = list(fh)  # the reference: the text mode's lines
    assert len(texts) == 3
    try:
        json.loads(texts[2])
    except json.JSONDecodeError as exc:
        broken = f"not valid JSON ({exc.msg} at character {exc.pos + 1}); each line must be one FollowTheMoney entity"
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    assert [(p.line, p.message) for p in err.value.problems] == [
        (2, "property 'name' must be a list of strings, got [9]; fix or remove the line"),
        (3, broken),
    ]


def test_bytes_that_are_no_utf8_name_their_line(tmp_path: Path) -> None:
    good = b'{"id": "co-8", "schema": "Company", "properties": {"name": ["Eight"]}}\n'
    (tmp_path / "list.ftm.json").write_bytes(good + good.replace(b"Eight", b"\xffight"))
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, tmp_path)
    [problem] = err.value.problems
    assert problem.line == 2
    assert problem.message.startswith("cannot read the file ('utf-8' codec can't decode byte 0xff")
