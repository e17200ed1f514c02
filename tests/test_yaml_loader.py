"""The YAML reader: values mean what they look like (YAML 1.2 core), ambiguous forms are refused, every refusal has its line."""

from __future__ import annotations

import math
from typing import Any

import pytest

from graph.yaml_loader import MAX_ALIAS_VALUES, MAX_DEPTH, YamlProblem, load_yaml


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("a: 2020", 2020, id="int"),
        pytest.param("a: -0", 0, id="minus-zero"),
        pytest.param("a: +7", 7, id="plus"),
        pytest.param("a: 9223372036854775808", 2**63, id="big-int-left-to-the-validator"),
        pytest.param("a: 1.5", 1.5, id="float"),
        pytest.param("a: -2.", -2.0, id="float-trailing-dot"),
        pytest.param("a: .5", 0.5, id="float-leading-dot"),
        pytest.param("a: 1e3", 1000.0, id="exponent"),
        pytest.param("a: 1.5E-2", 0.015, id="exponent-sign"),
        pytest.param("a: .inf", math.inf, id="inf"),
        pytest.param("a: -.Inf", -math.inf, id="minus-inf"),
        pytest.param("a: true", True, id="true"),
        pytest.param("a: FALSE", False, id="false"),
        pytest.param("a: ~", None, id="tilde"),
        pytest.param("a: null", None, id="null"),
        pytest.param("a:", None, id="empty"),
        pytest.param("a: 2020-02-30", "2020-02-30", id="date-is-text"),
        pytest.param("a: 2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00", id="timestamp-is-text"),
        pytest.param("a: '1:30'", "1:30", id="quoted-base-60"),
        pytest.param("a: !!str 0x1F", "0x1F", id="str-tag"),
        pytest.param("a: !!int 42", 42, id="int-tag"),
        pytest.param("a: !!float 3", 3.0, id="float-tag"),
        pytest.param("a: !!bool true", True, id="bool-tag"),
        pytest.param("a: y", "y", id="y-is-text"),
        pytest.param("a: <<", "<<", id="merge-as-value"),
        pytest.param("a: 1.2.3", "1.2.3", id="version-is-text"),
        pytest.param("a: 0", 0, id="zero"),
        pytest.param("a: 0.5", 0.5, id="zero-point-five"),
    ],
)
def test_scalars_resolve_by_the_yaml_1_2_core_schema(text: str, value: Any) -> None:
    got = load_yaml(text)[0]["a"]
    assert (type(got), got) == (type(value), value)


def test_nan_is_read_for_the_validator_to_refuse() -> None:
    assert math.isnan(load_yaml("a: .NaN")[0]["a"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a: 1:30", "1:30 is a base-60 number (1:30 is 90)", id="base-60"),
        pytest.param("a: -1:30:15.5", "-1:30:15.5 is a base-60 number (1:30 is 90)", id="base-60-float"),
        pytest.param("a: 0x1F", "0x1F is a hexadecimal number", id="hex"),
        pytest.param("a: 0o17", "0o17 is an octal number", id="octal"),
        pytest.param("a: 0b101", "0b101 is a binary number", id="binary"),
        pytest.param("a: 017", "017 is an octal number (017 is 15)", id="leading-zero"),
        pytest.param("a: 1_000", "1_000 is a number with digit separators", id="underscore"),
        pytest.param("a: 1.000_5", "1.000_5 is a number with digit separators", id="underscore-float"),
        pytest.param("a: yes", "yes is a boolean", id="yes"),
        pytest.param("a: Off", "Off is a boolean", id="off"),
    ],
)
def test_yaml_1_1_forms_are_refused_with_a_hint_to_quote(text: str, message: str) -> None:
    with pytest.raises(YamlProblem) as err:
        load_yaml("x: 1\n" + text)
    value = text.removeprefix("a: ")
    assert err.value.line == 2
    assert err.value.message.startswith(message + " to some YAML readers and text to others; ")
    assert f"quote it ('{value}') if it is text" in err.value.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("a: !!int abc", 1, "'abc' is not a whole number in decimal digits; write it as one", id="int-tag-text"),
        pytest.param("a: !!int 0x1F", 1, "'0x1F' is not a whole number in decimal digits; write it as one", id="int-tag-hex"),
        pytest.param("a: !!int " + "9" * 101, 1, "a number of 101 digits; numbers must fit in 64 bits (19 digits)", id="int-too-long"),
        pytest.param("a: !!float x", 1, "'x' is not a decimal number of at most 100 digits; write it as one", id="float-tag-text"),
        pytest.param("a: !!float X.inf", 1, "'X.inf' is not a decimal number of at most 100 digits; write it as one", id="float-tag-only-signs-before-inf"),
        pytest.param("a: !!bool yes", 1, "'yes' is not true or false; write true or false", id="bool-tag-yes"),
        pytest.param("\na: !!int [1]", 2, "the tag !!int needs a single value, not a list; remove the tag", id="int-tag-list"),
        pytest.param("a: !!bool {b: 1}", 1, "the tag !!bool needs a single value, not a mapping; remove the tag", id="bool-tag-map"),
        pytest.param("a: !!map x", 1, "the tag !!map needs a mapping, not a single value; remove the tag", id="map-tag-scalar"),
        pytest.param("a: !!map [1]", 1, "the tag !!map needs a mapping, not a list; remove the tag", id="map-tag-list"),
        pytest.param("a: !!binary aGk=", 1, "the tag !!binary is not used in cubamed's files; remove it (quote the value if it is text)", id="binary"),
        pytest.param("a: !local x", 1, "the tag !local is not used in cubamed's files; remove it (quote the value if it is text)", id="local-tag"),
        pytest.param("a: 1\n? {b: 1}\n: 2", 2, "a mapping is used as a key; remove the ':' after it, or quote the key", id="map-key"),
        pytest.param("a: 1\nb:\n  ? [x]\n  : 2", 3, "a list is used as a key; remove the ':' after it, or quote the key", id="list-key"),
        pytest.param("a: [1\nb: 2", 2, "not valid YAML: expected ',' or ']', but got ':'; fix the syntax (an unquoted ':' or a bad indent?)", id="syntax"),
        pytest.param("a: *nope", 1, "not valid YAML: found undefined alias 'nope'; fix the syntax (an unquoted ':' or a bad indent?)", id="undefined-alias"),
        pytest.param("a: 1\nb: \x07", 2, "the character U+0007 is not allowed in YAML; remove it", id="bell"),
        pytest.param("\na: 1\nb: \x07", 3, "the character U+0007 is not allowed in YAML; remove it", id="bell-after-a-blank-first-line"),
        pytest.param("a: 1\n---\nb: 2", 2, "not valid YAML: expected a single document in the stream, but found another document; fix the syntax (an unquoted ':' or a bad indent?)", id="two-documents"),
        pytest.param("a: &x [*x]", 1, "the alias *x is used inside its own anchor; write the value out", id="self-alias"),
        pytest.param("a: {<<: [1]}", 1, "a merge key '<<' must name a mapping or a list of mappings (expected a mapping for merging, but found scalar)", id="merge-list-of-scalars"),
    ],
)
def test_refusals_name_the_line_and_what_to_do(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlProblem) as err:
        load_yaml(text)
    assert (err.value.line, err.value.message) == (line, message)


def test_mappings_remember_their_line_and_the_line_of_each_key() -> None:
    doc, duplicates = load_yaml("a: 1\nb:\n  c: 2\n  d: 3\n")
    assert (doc.line, doc.key_lines) == (1, {"a": 1, "b": 2})
    assert (doc["b"].line, doc["b"].key_lines) == (3, {"c": 3, "d": 4})
    assert duplicates == []


def test_keys_are_the_text_written_and_duplicates_are_listed() -> None:
    doc, duplicates = load_yaml("1: one\ntrue: yes-text\n'1': again\nx: 1\nx: 2\n".replace("yes-text", "'y'"))
    assert doc == {"1": "again", "true": "y", "x": 2}
    assert duplicates == [(3, "1"), (5, "x")]


def test_merge_keys_merge_and_explicit_keys_win_without_counting_as_duplicates() -> None:
    doc, duplicates = load_yaml("d: &d {x: 1, y: 2}\ne: &e {z: 3}\nf: {<<: [*d, *e], y: 9}\ng: {<<: *d}\n")
    assert doc["f"] == {"x": 1, "y": 9, "z": 3} and doc["g"] == {"x": 1, "y": 2}
    assert duplicates == []


def test_the_depth_limit_is_exact() -> None:
    assert load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH)[0] is not None
    with pytest.raises(YamlProblem, match=f"nested more than {MAX_DEPTH} deep"):
        load_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_the_alias_limit_is_exact() -> None:
    """An alias repeats its target's values (a list of n scalars is n + 1 values)."""
    n = MAX_ALIAS_VALUES // 2 - 1  # two aliases of a list of n scalars repeat 2 (n + 1) values
    items = ", ".join(["x"] * n)
    assert len(load_yaml(f"a: &a [{items}]\nb: [*a, *a]")[0]["b"]) == 2
    with pytest.raises(YamlProblem, match="repeat more than 100,000 values") as err:
        load_yaml(f"a: &a [{items}, x]\nb: [*a, *a]")
    assert err.value.line == 2


def test_the_digit_limit_is_exact() -> None:
    """100 characters are read as a number (the validator then refuses what is past 64 bits); 101 are refused here."""
    assert load_yaml("a: " + "9" * 100)[0]["a"] == int("9" * 100)
    assert load_yaml("a: !!float 1." + "0" * 98)[0]["a"] == 1.0
    with pytest.raises(YamlProblem) as err:
        load_yaml("a: !!float 1." + "0" * 99)
    assert err.value.line == 1
    assert err.value.message.endswith("' (101 characters) is not a decimal number of at most 100 digits; write it as one")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("a: +.inf", math.inf, id="plus-inf"),
        pytest.param("a: !!float -.INF", -math.inf, id="tagged-minus-inf"),
        pytest.param("a: !!float -3", -3.0, id="tagged-negative-int"),
        pytest.param("a: !!bool False", False, id="tagged-false"),
        pytest.param("a: !!int -12", -12, id="tagged-negative"),
    ],
)
def test_signs_and_tags_keep_their_meaning(text: str, value: Any) -> None:
    got = load_yaml(text)[0]["a"]
    assert (type(got), got) == (type(value), value)


def test_a_long_ambiguous_value_is_quoted_by_its_first_40_characters() -> None:
    value = "1" + ":00" * 20  # 61 characters of base 60
    with pytest.raises(YamlProblem) as err:
        load_yaml(f"a: {value}")
    first = "1:00:00:00:00:00:00:00:00:00:00:00:00:00"  # 40 characters
    assert err.value.message == (
        f"{first} is a base-60 number (1:30 is 90) to some YAML readers and text to others; "
        f"quote it ('{first}') if it is text, or write the number in plain decimal digits"
    )


def test_two_merge_keys_in_one_mapping_are_no_duplicate() -> None:
    doc, duplicates = load_yaml("d: &d {x: 1}\ne: &e {z: 3}\nf:\n  <<: *d\n  <<: *e\n  y: 2\n")
    assert (doc["f"], duplicates) == ({"x": 1, "z": 3, "y": 2}, [])
