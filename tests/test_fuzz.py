"""Property-based: random and mangled files give clear errors (ValidationError), never a traceback.

In CI (`CI=true`) Hypothesis runs derandomized (the profile in tests/conftest.py): the same examples
every run. The cases it once found are kept as `@example`s so they run everywhere, every time.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import graph
from graph.errors import ValidationError
from graph.schema import load_schema

from .conftest import FIXTURES

MINI = FIXTURES / "mini"
SCHEMA = load_schema()
KEYS = sorted(
    {"type", "from", "to", "label", "id", "name", *SCHEMA.relationship_properties, *SCHEMA.node_properties, "iso3", "kind", "title"}
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["cuba", "jamaica", "State", "DEPLOYED_TO", "news", "2020", "2020-02-30", "many", ""]),
    st.dates().map(str),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6
)
records = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
documents = st.one_of(
    st.fixed_dictionaries({"facts": st.lists(records, max_size=4)}, optional={"source": values}),
    st.fixed_dictionaries({"entities": st.lists(records, max_size=4)}, optional={"label": values}),
    values,
)


def _load_only_clear_errors(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "extra"
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        try:
            graph.load(MINI, folder)
        except ValidationError as exc:
            assert exc.problems, "a ValidationError always lists its problems"
            for p in exc.problems:
                assert p.file and p.message, p


@SETTINGS
@given(documents)
def test_random_yaml_documents(doc: object) -> None:
    _load_only_clear_errors({"random.yaml": yaml.safe_dump(doc, allow_unicode=True)})


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["x.yaml", "x.csv"]))
@example(b"facts:\n  - {type: DEPLOYED_TO, from: cuba}:\n", "x.yaml")  # a mapping as a key: was TypeError: unhashable type
@example(b"facts:\n  - ? [a, b]\n    : 1\n", "x.yaml")  # a list as a key: was TypeError: unhashable type: 'list'
@example(b"facts: [{date: 2020-02-30}]\n", "x.yaml")  # was ValueError from PyYAML's date constructor
@example(b"a: &a [*a, *a]\nfacts: *a\n", "x.yaml")  # an alias inside its own anchor
@example(b"facts: " + b"[" * 5000 + b"]" * 5000, "x.yaml")  # was RecursionError
@example(b"\xef\xbb\xbfid,label,name\nx,State,X\n", "x.csv")  # Excel's byte-order mark
@example(b"type,from,to\nA,\x00,b\n", "x.csv")  # a NUL byte in a cell
@example(b"type,from,to,count\nA,b,c," + b"9" * 5000 + b"\n", "x.csv")  # past Python's 4,300-digit limit
def test_random_bytes(blob: bytes, name: str) -> None:
    _load_only_clear_errors({name: blob})


def _mangle(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["cut", "insert", "dup_line", "swap_lines"]))
        lines = text.splitlines(keepends=True)
        if op == "cut" and text:
            i = data.draw(st.integers(0, len(text) - 1))
            text = text[:i] + text[i + data.draw(st.integers(1, 15)) :]
        elif op == "insert":
            i = data.draw(st.integers(0, len(text)))
            text = (
                text[:i]
                + data.draw(st.sampled_from([":", "-", '"', "'", "{", "[", ",", "\n", "  ", "\t", "#", "&a", "*a", "!!python/object:x"]))
                + text[i:]
            )
        elif op == "dup_line" and lines:
            i = data.draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "".join(lines)
        elif len(lines) > 1:
            i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    return text


MANGLE_FILES = ["entities.yaml", "others.yaml", "facts.yaml", "../csv/nodes.csv", "../csv/edges.csv"]


def _mangled_file_problems(name: str, mangled: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "mini"
        shutil.copytree(MINI, folder)
        (folder / Path(name).name).write_text(mangled, encoding="utf-8")
        try:
            graph.load(folder)
        except ValidationError as exc:
            assert all(p.file and p.message for p in exc.problems)


@pytest.mark.parametrize(
    ("name", "mangled"),
    [
        # found by Hypothesis with --hypothesis-seed 2 and 12: a fact used as a key (TypeError: unhashable type)
        pytest.param("facts.yaml", "source: news\nfacts:\n  - {type: DEPLOYED_TO, from: cuba, to: jamaica}:\n", id="fact-as-key"),
        pytest.param("facts.yaml", "source: news\nfacts:\n  - [a, b]: 1\n", id="list-as-key"),
    ],
)
def test_found_cases_of_mangled_files(name: str, mangled: str) -> None:
    _mangled_file_problems(name, mangled)


@SETTINGS
@given(st.data(), st.sampled_from(MANGLE_FILES))
def test_mangled_valid_files(data: st.DataObject, name: str) -> None:
    source = (MINI / name).resolve()
    mangled = _mangle(source.read_text(encoding="utf-8"), data)
    _mangled_file_problems(name, mangled)


YAML_PIECES = st.sampled_from(["- ", ": ", "? ", "&a ", "*a", "<<: ", "!!int ", "!!map ", "[", "]", "{", "}", ",", "\n", "  ", "'", '"', "#", "1:30", "0x1F", "yes", ".inf", "2020-02-30", "x"])


@SETTINGS
@given(st.lists(YAML_PIECES, max_size=40).map("".join))
@example("? - a\n  - b\n: c\n")
@example("<<: [*a]\n")
@example("a: !!float [1]\n")
def test_yaml_text_is_read_or_refused_with_a_line(text: str) -> None:
    from graph.yaml_loader import YamlProblem, load_yaml

    try:
        load_yaml(text)
    except YamlProblem as exc:
        assert exc.line >= 0 and exc.message.endswith(tuple("abcdefghijklmnopqrstuvwxyz)'")), exc.message


def test_no_example_has_a_time_limit() -> None:
    """A slow example on a loaded machine is no failure (speed is measured under bench/): the profile
    tests/conftest.py loads, in CI and elsewhere, has no deadline, and tests that set their own
    example counts keep it."""
    assert settings.default.deadline is None
    assert settings(max_examples=3).deadline is None
