"""cubamed match: the decoy is suggested and never merged; scores put the real airline first."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from graph.cli import main
from graph.locations import data_dir
from graph.match import Side, match, name_similarity, score

from .conftest import MAIN, OTHER


def test_the_decoy_is_suggested_and_not_merged() -> None:
    found = {(c.ftm_id, c.entity): c for c in match(data_dir(), MAIN, OTHER)}
    decoy = found["fixture-conviasa-regional", "conviasa"]
    real = found["fixture-conviasa", "conviasa"]
    assert (decoy.status, real.status) == ("suggested", "merged (decision)")
    assert real.score == 1.0 and decoy.score == 0.69
    assert found["fixture-venezuela", "venezuela"].status == "merged (identifier)"


def test_name_similarity_counts_whole_names_not_shared_words() -> None:
    assert name_similarity("Petróleos de Venezuela, S.A.", "PETROLEOS DE VENEZUELA") == 1.0
    assert round(name_similarity("Conviasa Regional", "Conviasa"), 2) == 0.65
    assert name_similarity("S.A.", "Conviasa") == 0.0


def test_what_besides_the_name_changes_the_score() -> None:
    curated = Side(("Conviasa",), "Company", frozenset({"ve"}), {"wikidata_id": "Q1"})
    assert score(Side(("Conviasa",), "Company", frozenset({"ve"}), {}), curated)[0] == 1.0
    assert score(Side(("Conviasa Regional",), "Company", frozenset({"ve"}), {}), curated)[0] == 0.69
    assert score(Side(("Conviasa Regional",), "Company", frozenset({"co"}), {}), curated)[0] == 0.33
    assert score(Side(("Conviasa",), "Company", frozenset(), {"wikidata_id": "Q2"}), curated) == (0.0, "different wikidata_id (Q2 / Q1)")
    assert score(Side(("Conviasa",), "Aircraft", frozenset(), {}), curated) == (
        0.0,
        "labels Aircraft and Company cannot be the same entity",
    )
    assert score(Side(("Conviasa",), "LegalEntity", frozenset(), {}), curated)[0] == 0.9


def test_match_command_lists_candidates_and_the_line_to_add(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["match", str(data_dir()), str(MAIN)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "3 candidate pairs (score >= 0.5, merges and decisions included)"
    assert "0.69  suggested: Conviasa Regional (Company, fixture-conviasa-regional) ~ Conviasa (conviasa)" in lines
    assert (
        "      review, then add to data/match-decisions.yaml:  - {ftm_id: fixture-conviasa-regional, entity: conviasa, same: yes}   # or no"
        in lines
    )


def test_build_reports_the_unknown_schema(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(data_dir()), str(MAIN)])
    assert result.exit_code == 0, result.output
    assert (
        "Note: 1 FollowTheMoney entities of schemata the mapping does not name were left out: Address (1); map them in ftm-mapping.yaml to load them"
        in result.output
    )


def test_a_bad_line_is_an_error_on_the_command_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ftm.json"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--data", str(MAIN), "--data", str(bad), "--html", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "Error: " in result.output and f"{bad}:1: entity 'x': missing 'schema'" in result.output
    assert not (tmp_path / "x.html").exists()
