"""Reading files: only regular files, bounded in size, depth and aliases; every command lists data files one way."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph
from graph import read
from graph.cli import main
from graph.errors import ValidationError
from graph.read import data_files, display_path

from .conftest import FIXTURES

MINI = FIXTURES / "mini"
FACT = "  - {type: DEPLOYED_TO, from: cuba, to: jamaica, locator: para. 1, evidence: Doctors went to Jamaica.}\n"


def _problems(*paths: Path) -> list[str]:
    with pytest.raises(ValidationError) as err:
        graph.load(MINI, *paths)
    return [str(p) for p in err.value.problems]


# --- odd entries in a data folder ----------------------------------------------------------------

ODD_ENTRIES: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (
        lambda p: os.mkfifo(p / "pipe.yaml"),
        "pipe.yaml: a named pipe (FIFO) named like a data file; cubamed reads only regular files: rename it or move it out of the data folder",
    ),
    "folder": (
        lambda p: (p / "sub.yaml").mkdir(),
        "sub.yaml: a folder named like a data file; cubamed reads only regular files: rename it or move it out of the data folder",
    ),
    "dangling-link": (
        lambda p: (p / "link.csv").symlink_to("nowhere.csv"),
        "link.csv: a link to 'nowhere.csv', which does not exist; fix the link or remove it",
    ),
    "link-loop": (
        lambda p: (p / "loop.yaml").symlink_to("loop.yaml"),
        "loop.yaml: cannot be read (Too many levels of symbolic links); fix it or move it out of the data folder",
    ),
    "device": (
        lambda p: (p / "null.yaml").symlink_to("/dev/null"),
        "null.yaml: a device named like a data file; cubamed reads only regular files: rename it or move it out of the data folder",
    ),
}


@pytest.fixture
def data_with(tmp_path: Path) -> Callable[..., tuple[Path, str]]:
    """data_with(kind) -> (a copy of the mini data holding that odd entry, the problem line `validate` prints).

    With `cache_first=True` the embedded engine's cache of the same data is built before the entry
    is added, so that a command which trusted the cache would not see the entry.
    """

    def make(kind: str, *, cache_first: bool = False) -> tuple[Path, str]:
        data = tmp_path / "data"
        shutil.copytree(MINI, data)
        if cache_first:
            assert CliRunner().invoke(main, ["query", "RETURN 1", "--data", str(data)]).exit_code == 0
        create, message = ODD_ENTRIES[kind]
        create(data)
        return data, f"{display_path(data)}/{message}"

    return make


@pytest.mark.parametrize("kind", list(ODD_ENTRIES))
def test_an_odd_entry_is_a_problem_naming_it_and_is_never_opened(data_with: Callable[..., tuple[Path, str]], kind: str) -> None:
    data, message = data_with(kind)
    files, problems = data_files([data])
    assert [str(p) for p in problems] == [message]
    assert sorted(f.name for f in files) == ["entities.yaml", "facts.yaml", "others.yaml"]


COMMANDS = [
    pytest.param(lambda d, out: ["validate", str(d)], id="validate"),
    pytest.param(lambda d, out: ["build", "--data", str(d), "--html", str(out / "page.html")], id="build"),
    pytest.param(lambda d, out: ["stats", "--data", str(d)], id="stats"),
    pytest.param(lambda d, out: ["show", "cuba", "--data", str(d)], id="show"),
    pytest.param(lambda d, out: ["conflicts", "--data", str(d)], id="conflicts"),
    pytest.param(lambda d, out: ["query", "MATCH (n) RETURN count(n)", "--data", str(d)], id="query"),
    pytest.param(lambda d, out: ["html", str(out / "page.html"), "--data", str(d)], id="html"),
    pytest.param(lambda d, out: ["export", "cypher", str(out / "g.cypher"), "--data", str(d)], id="export-cypher"),
]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling-link"])
def test_every_command_refuses_odd_entries_as_validate_does(
    data_with: Callable[..., tuple[Path, str]], tmp_path: Path, kind: str, command: Callable[[Path, Path], list[str]]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = command(Path("DATA"), out)
    data, message = data_with(kind, cache_first=args[0] == "query")
    result = CliRunner().invoke(main, command(data, out))
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: 1 problem found; nothing was built:\n  {message}\n"
    assert list(out.iterdir()) == []


@pytest.fixture
def nobody_folder() -> Iterator[Path]:
    """A folder another user can enter (for the unreadable-file test run as that user)."""
    folder = Path(tempfile.mkdtemp(prefix="cubamed-unreadable-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def test_an_unreadable_file_is_a_problem_naming_it(nobody_folder: Path) -> None:
    data = nobody_folder / "data"
    shutil.copytree(MINI, data)
    data.chmod(0o755)
    for f in data.iterdir():
        f.chmod(0o644)
    (data / "facts.yaml").chmod(0o000)
    expected = f"{data}/facts.yaml: cannot be read (permission denied); give yourself read permission or move it out of the data folder"
    assert _problems_as_another_user(data) == [expected]


def test_a_folder_that_cannot_be_listed_is_a_problem_naming_it(nobody_folder: Path) -> None:
    """The kernel's own refusal (run as `nobody` when the tests run as root): a subfolder without
    read permission is named, with the reason the system gives."""
    import graph.ftm.read  # noqa: F401 - imported before `nobody` looks (it may not read this Python's own files)

    data = nobody_folder / "data"
    shutil.copytree(MINI, data)
    data.chmod(0o755)
    for f in data.iterdir():
        f.chmod(0o644)
    (data / "locked").mkdir(mode=0o000)
    (data / "locked").chmod(0o000)
    try:
        expected = f"{data}/locked: cannot list this folder (Permission denied); fix its permissions or move it out"
        assert _problems_as_another_user(data) == [expected]
    finally:
        (data / "locked").chmod(0o755)


def _problems_as_another_user(data: Path) -> list[str]:
    """data_files' problems, looked for by the unprivileged user `nobody` when the tests run as root (root reads anything)."""
    if os.geteuid() != 0:
        return [str(p) for p in data_files([data])[1]]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child drops to nobody, looks, reports through the pipe and exits at once
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(write_end, "\n".join(str(p) for p in data_files([data])[1]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        out = fh.read().decode()
    os.waitpid(pid, 0)
    return out.splitlines()


def test_a_missing_path_and_a_wrong_suffix_are_problems(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not data")
    (tmp_path / "empty").mkdir()
    files, problems = data_files([tmp_path / "nope", tmp_path / "notes.txt", tmp_path / "empty", tmp_path / "nope.yaml"])
    assert files == []
    assert [(Path(p.file).name, p.message) for p in problems] == [
        ("nope", "no such file or folder; check the path"),
        ("notes.txt", "not a .yaml, .yml, .csv or FollowTheMoney (.json, .jsonl, .gz) file; rename it or leave it out"),
        ("empty", "no .yaml, .csv or FollowTheMoney .json files in this folder; point at the data folder"),
        ("nope.yaml", "no such file or folder; check the path"),
    ]


def test_folders_are_searched_in_order_and_the_schema_is_skipped(tmp_path: Path) -> None:
    for name in ["b/z.yaml", "a/y.csv", "schema.yaml", "x.yml", "a/readme.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    files, problems = data_files([tmp_path])
    assert ([f.relative_to(tmp_path).as_posix() for f in files], problems) == (["a/y.csv", "b/z.yaml", "x.yml"], [])


# --- bombs: size, depth, aliases ---------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_YAML_BYTES", 2**20)
    monkeypatch.setattr(read, "MAX_CSV_BYTES", 2**20)
    (tmp_path / "facts.yaml").write_text("source: news\nfacts:\n" + FACT * (2**20 // len(FACT) + 1))
    (tmp_path / "edges.csv").write_text("type,from,to\n" + "DEPLOYED_TO,cuba,jamaica\n" * (2**20 // 24))
    shown = display_path(tmp_path)
    assert _problems(tmp_path) == [
        f"{shown}/edges.csv: the file is 1.0 MiB; cubamed reads CSV files up to 1 MiB: split it into several files",
        f"{shown}/facts.yaml: the file is 1.0 MiB; cubamed reads YAML files up to 1 MiB: split it into several files",
    ]


def test_the_size_limits_leave_room_for_real_files() -> None:
    assert read.MAX_YAML_BYTES == 16 * 2**20 and read.MAX_CSV_BYTES == 2**30


def _yaml_problem(tmp_path: Path, text: str) -> str:
    (tmp_path / "facts.yaml").write_text(text, encoding="utf-8")
    (problem,) = _problems(tmp_path)
    return problem.removeprefix(display_path(tmp_path) + "/")


DEEP = "lists and mappings are nested more than 32 deep; cubamed's files need at most 5 levels"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("source: news\nfacts: " + "[" * 20_000 + "]" * 20_000 + "\n", f"facts.yaml:2: {DEEP}", id="flow-list-20000-deep"),
        pytest.param("source: news\nfacts:\n" + "".join("  " * i + "-\n" for i in range(1, 3000)), f"facts.yaml:34: {DEEP}", id="block-3000-deep"),
        pytest.param("source: news\nfacts:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 900)), f"facts.yaml:33: {DEEP}", id="maps-900-deep"),
        pytest.param("source: news\nfacts: [" + "{a: " * 900 + "1" + "}" * 900 + "]\n", f"facts.yaml:2: {DEEP}", id="flow-maps-900-deep"),
    ],
)
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, text: str, message: str) -> None:
    assert _yaml_problem(tmp_path, text) == message


def _laughs(levels: int, width: int) -> str:
    """A "billion laughs" file: each level is a list of `width` aliases of the level below."""
    lines = ["source: news", "l0: &l0 [lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"facts: *l{levels}", ""])


def test_a_billion_laughs_is_refused_while_parsing(tmp_path: Path) -> None:
    text = _laughs(9, 9)
    assert len(text) < 700  # 9**9 = 387 million values once expanded
    message = "aliases (*name) repeat more than 100,000 values in this file (an alias bomb?); write the values out, or use fewer aliases"
    assert _yaml_problem(tmp_path, text) == f"facts.yaml:7: {message}"  # at l5, the first level past 100,000


def test_an_alias_bomb_as_a_record_gives_a_short_message(tmp_path: Path) -> None:
    # below the alias limit, but its text would be long: the message quotes it cut
    text = _laughs(4, 9).replace("facts: *l4", "facts: [*l4]")
    problem = _yaml_problem(tmp_path, text)
    assert problem.startswith("facts.yaml:1: fact #1: expected a mapping of properties, got [[[[['lol'], ['lol'], ['lol'],")
    assert problem.endswith("… (9 items)") and len(problem) < 200


def test_aliases_below_the_limit_are_read(tmp_path: Path) -> None:
    shared = "source: news\nshared: &aliases [" + ", ".join(f"a{i}" for i in range(1000)) + "]\n"
    states = "".join(f"  - {{id: s{i}, name: S{i}, iso3: SSS, aliases: *aliases}}\n" for i in range(99))
    (tmp_path / "states.yaml").write_text(shared + "label: State\nentities:\n" + states, encoding="utf-8")
    G = graph.load(MINI, tmp_path)
    assert len(G.nodes["s98"]["aliases"]) == 1000
    G.nodes["s1"]["aliases"].append("changed")  # each entity has its own list, not the shared one
    assert len(G.nodes["s2"]["aliases"]) == 1000


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    assert _yaml_problem(tmp_path, "source: news\nfacts: &f [*f]\n") == "facts.yaml:2: the alias *f is used inside its own anchor; write the value out"


def test_a_fifo_named_on_the_command_line_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = CliRunner().invoke(main, ["validate", str(MINI), str(tmp_path / "pipe.yaml")])
    assert result.exit_code == 1
    assert result.output.endswith(
        "pipe.yaml: a named pipe (FIFO) named like a data file; cubamed reads only regular files: rename it or move it out of the data folder\n"
    )


# --- what a CSV or YAML file becomes: records with their line, index and data ---------------------


def _read(tmp_path: Path, name: str, text: str) -> tuple[list[tuple[str, int, int, dict[str, object], bool]], list[str]]:
    """read_paths on one file: (kind, line, index, data, text) per record, and the problems as `line: record: message`."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    records, problems = read.read_paths([tmp_path / name])
    assert all(r.file == display_path(tmp_path / name) for r in [*records, *problems])
    return [(r.kind, r.line, r.index, r.data, r.text) for r in records], [f"{p.line}: {p.record}: {p.message}" for p in problems]


def test_csv_rows_keep_their_line_cells_are_stripped_and_blank_rows_skipped(tmp_path: Path) -> None:
    text = ' id , label,name ,aliases\ncuba,State, Cuba ,\n\n , ,,\ntwo,State,"Two\nLines",A;B\nlucia,State,Saint Lucia," St. Lucia "\n'
    records, problems = _read(tmp_path, "nodes.csv", text)
    assert problems == []
    assert records == [
        ("entity", 2, 1, {"id": "cuba", "label": "State", "name": "Cuba"}, True),  # the empty cell is no value
        ("entity", 5, 4, {"id": "two", "label": "State", "name": "Two\nLines", "aliases": "A;B"}, True),  # a cell over two lines
        ("entity", 7, 5, {"id": "lucia", "label": "State", "name": "Saint Lucia", "aliases": "St. Lucia"}, True),
    ]


def test_line_breaks_inside_a_quoted_cell_are_kept_as_written(tmp_path: Path) -> None:
    """Python's csv module wants the text unchanged (newline=''): a CRLF inside quotes is part of the cell."""
    records, problems = _read(tmp_path, "nodes.csv", 'id,label,name\r\ntwo,State,"Two\r\nLines"\r\nend,State,End\r\n')
    assert problems == []
    assert [(line, data["name"]) for _, line, _, data, _ in records] == [(2, "Two\r\nLines"), (4, "End")]


def test_old_mac_line_endings_are_line_endings(tmp_path: Path) -> None:
    records, problems = _read(tmp_path, "nodes.csv", "id,label,name\rcuba,State,Cuba\rend,State,End\r")
    assert (problems, [(line, data["id"]) for _, line, _, data, _ in records]) == ([], [(2, "cuba"), (3, "end")])


def test_a_csv_with_the_edge_columns_holds_facts(tmp_path: Path) -> None:
    records, problems = _read(tmp_path, "edges.csv", "type,from,to,count,id,label,name\nDEPLOYED_TO,cuba,jamaica,3,,,\n")
    assert (records, problems) == ([("fact", 2, 1, {"type": "DEPLOYED_TO", "from": "cuba", "to": "jamaica", "count": "3"}, True)], [])


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param("", ["1: : empty CSV file; the first row must be a header (see the README's 'Your own data')"], id="empty"),
        pytest.param("\n\n", ["1: : header must have columns id, label, name (nodes) or type, from, to (edges); found none"], id="blank-lines"),
        pytest.param(
            "id,label,nom\ncuba,State,Cuba\n",
            ["1: : header must have columns id, label, name (nodes) or type, from, to (edges); found 'id, label, nom'"],
            id="a-column-missing",
        ),
        pytest.param(
            "type,from,to\nFUNDED,cuba,jamaica\nFUNDED,cuba,\"jam\"aica\n",
            ["3: : malformed CSV (',' expected after '\"'); check the quoting"],
            id="text-after-a-quote",
        ),
        pytest.param("type,from,to\n\"FUNDED,cuba,jamaica\n", ["2: : malformed CSV (unexpected end of data); check the quoting"], id="quote-never-closed"),
        pytest.param('type,"from"x,to\nFUNDED,cuba,jamaica\n', ["1: : malformed CSV (',' expected after '\"'); check the quoting"], id="malformed-header"),
        pytest.param(
            "id,label,name,name,label\ncuba,State,Cuba,Cuba,State\n",
            ["1: : column 'label' appears twice in the header; keep one"],
            id="two-duplicate-columns-name-the-first-in-order",
        ),
        pytest.param(
            "id,label,name\ncuba,State\njamaica,State,Jamaica,JAM\n",
            [
                "2: entity #1: row has 2 fields but the header has 3; quote values that contain commas",
                "3: entity #2: row has 4 fields but the header has 3; quote values that contain commas",
            ],
            id="rows-of-the-wrong-length",
        ),
    ],
)
def test_csv_problems_name_the_line(tmp_path: Path, text: str, problems: list[str]) -> None:
    assert _read(tmp_path, "nodes.csv", text)[1] == problems


def test_yaml_records_get_the_file_defaults_their_line_and_index(tmp_path: Path) -> None:
    text = "label: State\nentities:\n  - {id: cuba, name: Cuba}\n  -\n    id: usa\n    label: Region\n    aliases: [US]\n"
    records, problems = _read(tmp_path, "entities.yaml", text)
    assert problems == []
    assert records == [
        ("entity", 3, 1, {"label": "State", "id": "cuba", "name": "Cuba"}, False),
        ("entity", 5, 2, {"label": "Region", "id": "usa", "aliases": ["US"]}, False),  # a record's own label wins
    ]
    assert type(records[0][3]) is dict and type(records[1][3]["aliases"]) is list  # plain values, no loader classes


def test_yaml_facts_get_the_file_source(tmp_path: Path) -> None:
    """The file's `source:` goes with every fact as its header; the validator puts it under the provenance role."""
    (tmp_path / "facts.yaml").write_text("source: news\nlabel: State\nfacts:\n  - {type: FUNDED, source_id: encyclopedia}\n  - {type: FUNDED}\n", encoding="utf-8")
    records, problems = read.read_paths([tmp_path / "facts.yaml"])
    assert problems == []
    assert [(r.data, r.header) for r in records] == [
        ({"source_id": "encyclopedia", "type": "FUNDED"}, {"source": "news"}),
        ({"type": "FUNDED"}, {"source": "news"}),
    ]


def test_a_file_with_entities_and_facts_gives_both(tmp_path: Path) -> None:
    (tmp_path / "all.yaml").write_text(
        "label: State\nsource: news\nentities:\n  - {id: a}\nfacts:\n  - {type: FUNDED, from: a, to: a}\n", encoding="utf-8"
    )
    records, problems = read.read_paths([tmp_path / "all.yaml"])
    assert problems == []
    assert [(r.kind, r.line, r.data, r.header) for r in records] == [
        ("entity", 4, {"label": "State", "id": "a"}, {}),
        ("fact", 6, {"type": "FUNDED", "from": "a", "to": "a"}, {"source": "news"}),
    ]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        pytest.param("- a\n", ["1: : expected a mapping with an 'entities' or a 'facts' list; see the README's 'Adding a fact'"], id="a-list"),
        pytest.param("label: State\n", ["1: : expected a mapping with an 'entities' or a 'facts' list; see the README's 'Adding a fact'"], id="no-records"),
        pytest.param("\n\nentities: {id: cuba}\n", ["3: : 'entities' must be a list of records"], id="entities-not-a-list"),
        pytest.param("source: news\nfacts: x\n", ["1: : 'facts' must be a list of records"], id="facts-not-a-list"),
        pytest.param(
            "x: 1\nx: 2\nfacts: 3\n",
            ["2: : key 'x' appears twice in one mapping; keep one", "1: : 'facts' must be a list of records"],
            id="duplicates-are-kept-with-the-shape-problem",
        ),
        pytest.param(
            # only mappings remember their line: a list or a value in place of a record is named by its index, at the document's line
            "\nentities:\n  - {id: a}\n  - [b]\n  - c\n",
            ["2: entity #2: expected a mapping of properties, got ['b']", "2: entity #3: expected a mapping of properties, got 'c'"],
            id="records-not-mappings",
        ),
        pytest.param("facts: [x]\n", ["1: fact #1: expected a mapping of properties, got 'x'"], id="a-flow-list-item-has-the-line-of-its-list"),
        pytest.param(
            "entities: []\nfact:\n  - {type: FUNDED}\n",
            ["3: : records under the key 'fact' would be lost; put them under 'entities' or 'facts'"],
            id="records-under-a-misspelt-key-are-named-not-lost",
        ),
        pytest.param("entities: []\nshared: [a, b]\nmore: {x: 1}\n", [], id="other-keys-may-hold-what-anchors-share"),
        pytest.param("facts:\n  ? [x]\n  : 2\n", ["2: : a list is used as a key; remove the ':' after it, or quote the key"], id="yaml-refused-names-no-record"),
    ],
)
def test_yaml_problems_name_the_line(tmp_path: Path, text: str, problems: list[str]) -> None:
    assert _read(tmp_path, "facts.yaml", text)[1] == problems


# --- how a record is named in messages --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data", "named"),
    [
        pytest.param("entity", {"id": "cuba"}, "entity 'cuba'", id="entity-by-its-id"),
        pytest.param("entity", {"id": ""}, "entity #3", id="entity-with-an-empty-id"),
        pytest.param("entity", {"id": 7}, "entity #3", id="entity-whose-id-is-no-text"),
        pytest.param("fact", {"type": "DEPLOYED_TO", "from": "cuba", "to": "jamaica"}, "fact #3 (DEPLOYED_TO cuba -> jamaica)", id="fact"),
        pytest.param("fact", {"type": "DEPLOYED_TO", "from": "cuba"}, "fact #3 (DEPLOYED_TO cuba)", id="fact-without-to"),
        pytest.param("fact", {"locator": "p. 1"}, "fact #3", id="fact-without-type-or-ends"),
        pytest.param("fact", {"type": "R", "from": "x" * 60}, "fact #3 (R " + "x" * 60 + ")", id="sixty-characters-as-written"),
        pytest.param("fact", {"type": "R", "from": "x" * 61}, "fact #3 (R '" + "x" * 61 + "')", id="sixty-one-characters-quoted"),
        pytest.param("fact", {"type": "R", "from": "a\tb"}, "fact #3 (R 'a\\tb')", id="a-tab-quoted"),
        pytest.param("fact", {"type": 5, "to": "jamaica"}, "fact #3 (5 -> jamaica)", id="type-no-text"),
    ],
)
def test_a_record_is_named_by_its_id_or_its_type_and_ends(kind: str, data: dict[str, object], named: str) -> None:
    assert read.Record(kind, "f.yaml", 1, 3, data).describe() == named


def test_a_socket_named_like_a_data_file_is_a_problem_and_never_opened(tmp_path: Path) -> None:
    with contextlib.chdir(tmp_path), socket.socket(socket.AF_UNIX) as sock:  # relative: a socket path holds 107 bytes at most
        sock.bind("sock.yaml")
        assert data_files([tmp_path]) == (
            [],
            [
                read.Problem(
                    display_path(tmp_path / "sock.yaml"),
                    0,
                    "",
                    "a socket named like a data file; cubamed reads only regular files: rename it or move it out of the data folder",
                )
            ],
        )


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        pytest.param(stat.S_IFBLK | 0o600, "a device", id="block-device"),
        pytest.param(stat.S_IFCHR | 0o600, "a device", id="character-device"),
        pytest.param(stat.S_IFSOCK | 0o600, "a socket", id="socket"),
        pytest.param(0o600, "a special file", id="no-file-type"),  # stat's S_IFMT is 0: no kind Linux has
    ],
)
def test_an_entry_that_is_no_regular_file_is_named_by_its_kind(mode: int, kind: str) -> None:
    assert read._odd_kind(mode) == kind


def test_a_problem_of_a_data_file_is_kept_when_followthemoney_files_are_read_beside_it(tmp_path: Path) -> None:
    shutil.copy(Path(__file__).parent / "ftm" / "fixtures" / "sanctions.ftm.json", tmp_path)
    (tmp_path / "z-broken.yaml").write_text("entities: [\n", encoding="utf-8")  # listed after the FollowTheMoney file
    records, problems = read.read_paths([tmp_path])
    assert any(r.kind == "entity" for r in records)
    assert [p.file for p in problems if p.file.endswith("broken.yaml")] == [display_path(tmp_path / "z-broken.yaml")]


def test_a_file_gone_between_listing_and_reading_is_a_problem_naming_it(tmp_path: Path) -> None:
    """`read_text` on a path that cannot be opened (removed after `data_files` listed it): the
    problem names it, with the system's own reason (`os.strerror`)."""
    import errno

    gone = tmp_path / "gone.yaml"
    text, problem = read.read_text(gone, 1000, "YAML")
    assert text is None and problem is not None
    assert str(problem) == (
        f"{display_path(gone)}: cannot open the file ({os.strerror(errno.ENOENT)}); check that it exists and that you may read it"
    )


def test_display_path_is_relative_to_the_working_directory_inside_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """As the user would type it: `os.path.relpath` inside the working directory, the path as given outside it."""
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "data" / "facts.yaml") == os.path.join("data", "facts.yaml")
    outside = tmp_path.parent / "elsewhere.yaml"
    assert display_path(outside) == str(outside)
