"""Mutation testing of cubamed's modules with mutmut: how many small bugs the tests catch.

    python bench/mutation.py                                  # the core modules (CORE below)
    python bench/mutation.py graph/read.py graph/schema.py   # any list of modules
    python bench/mutation.py graph/export/rows.py --tests tests/export/test_files.py --jobs 2
    python bench/mutation.py graph/read.py --keep /tmp/mut --only 'graph.read.x_read_csv*'   # a slice
    python bench/mutation.py graph/export/rows.py --keep /tmp/mut --recheck NAME... -k 'new_test'  # survivors vs new tests
    python bench/mutation.py graph/embedded/translate.py --sample 150 --seed 1 --keep /tmp/mut  # a random sample

A slow module is run in slices: `--keep DIR` keeps the scratch copy and mutmut's results in it, and
`--only PATTERN` (mutmut's mutant names, `*` as wildcard) runs only the matching mutants, again
even if they ran before (to show that a new test kills them). The table counts the mutants run
so far in DIR and says how many are still to run.

`--sample N` runs N mutants of each module drawn at random (`--seed`, so a run can be repeated),
for a module too slow to run whole on this machine: the score of a simple random sample estimates
the module's, and the table gives its 95% interval (Wilson's). The sample is drawn from every mutant
of the module, before anything runs, so which mutants run does not depend on the tests.

`--recheck NAME...` (with the `--keep DIR` of the run) is the quick way to see survivors killed by
new tests on a loaded machine: it copies the project's tests into DIR's mutants and runs them
against each named mutant (`-k` to run only the new tests), each in a child forked from one
pytest process that has imported them (so a cache one mutant filled cannot decide the next),
without mutmut's stats and clean-run phases, which take longer than the mutants themselves. It prints
`NAME: killed` or `NAME: survived` and leaves mutmut's results as they were.

mutmut rewrites each function into many mutants (an operator flipped, a constant changed, a
string altered, a call argument dropped) and runs, for each mutant, only the tests that reach the
mutated function (it records which tests call what first), in a forked process that has already
imported everything. A mutant is *killed* when a test fails. The score is killed / mutants.

Nothing in the project changes: the run happens in a scratch copy (the files git tracks, or the
whole tree without git), where mutmut writes its `mutants/` folder. The tests given to mutmut are
the modules' mirror tests (MIRROR below), without the `neo4j` and `browser` markers and without
the Hypothesis fuzzing (too slow to run once per mutant).

Survivors are printed with their diff. Those listed in `bench/mutation_equivalent.txt`
(`name: why it is equivalent`, then the mutant's change, `- LINE` and `+ LINE`, indented) are reported as
equivalent, and a listed one that no longer survives, or whose name now makes another change
(mutmut numbers a function's mutants in order: a change of the function renumbers them), is
flagged so the list stays true. The README's "Mutation testing" section quotes the
figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = Path(__file__).resolve().parent / "mutation_equivalent.txt"

#: The core modules of issue 10: reading, validating, building, exploring, the typed model, every
#: export, the embedded engine's translation of Cypher, and the page's Python side. All at once is
#: hours of work on 2 cores: run them by name, in slices (`--keep`, `--only`). export/neo4j.py is
#: reached only by the `neo4j`-marked tests, left out here: its mutants show as "no tests".
CORE = [
    "graph/read.py",
    "graph/yaml_loader.py",
    "graph/validate.py",
    "graph/build.py",
    "graph/schema.py",
    "graph/explore.py",
    "graph/model.py",
    *(f"graph/export/{name}.py" for name in ("__init__", "rows", "cypher_script", "neo4j_admin", "node_link", "graphml", "gexf")),
    *(f"graph/export/{name}.py" for name in ("exchange", "bolt", "neo4j")),
    "graph/embedded/translate.py",
    "graph/embedded/functions.py",
    "graph/embedded/cypher.py",
    "graph/html/__init__.py",
    "graph/html/_data.py",
]

#: The tests that pin each module down (tests mirror modules).
MIRROR = {
    # test_progress: the reading's progress label; tests/ftm/test_read.py: FollowTheMoney files read beside the rest
    "graph/read.py": [
        *("tests/test_read.py", "tests/test_validate.py", "tests/test_schema.py"),
        *("tests/test_progress.py", "tests/ftm/test_read.py"),
    ],
    "graph/yaml_loader.py": ["tests/test_read.py", "tests/test_validate.py", "tests/test_schema.py", "tests/test_yaml_loader.py"],
    "graph/validate.py": ["tests/test_validate.py", "tests/test_build.py"],
    "graph/build.py": ["tests/test_build.py", "tests/test_validate.py"],
    "graph/schema.py": ["tests/test_schema.py", "tests/test_validate.py", "tests/test_docs.py"],
    "graph/explore.py": ["tests/test_explore.py", "tests/test_cli.py", "tests/test_data.py"],
    "graph/model.py": ["tests/test_model.py", "tests/export/test_files.py", "tests/export/test_exchange.py", "tests/html/test_html.py"],
    "graph/files.py": ["tests/test_files.py"],
    # export/neo4j.py and most of bolt.py talk to a server: their tests are `neo4j`-marked, left out here.
    "graph/export/": ["tests/export/test_files.py", "tests/export/test_exchange.py", "tests/export/test_uri.py", "tests/test_progress.py"],
    # tests/cypher/test_recorded.py: the Cypher corpus judged against Neo4j's recorded answers (the
    # live corpus test, which needs a server, keeps the recording true), and reads every message a
    # corpus query gets word for word (tests/cypher/messages.txt); test_fuzz_recorded.py: the same
    # for the fuzz test's generated queries, which reach more of the type rules and functions (the
    # live fuzz test keeps that recording true); test_embedded.py's test_errors_name_what_to_do,
    # the unmarked tests of test_conversions.py (replace(), split() and toInteger() stopping with
    # their message) and test_regex.py read other messages exactly.
    "graph/embedded/": [
        "tests/test_embedded.py",
        "tests/test_queries.py",
        "tests/test_engine_bugs.py",
        "tests/test_query_security.py",
        "tests/cypher/test_recorded.py",
        "tests/cypher/test_fuzz_recorded.py",
        "tests/cypher/test_conversions.py",
        "tests/cypher/test_regex.py",
    ],
    "graph/html/": ["tests/html/test_html.py", "tests/html/test_palette.py"],
}

#: Modules that cannot change the embedded database of the curated data (they translate queries and
#: convert answers): for their mutants the database is built once, with the unmutated code, and
#: each mutant's tests copy it (tests/cypher/conftest.py), 5 s a mutant saved.
TRANSLATION = {f"graph/embedded/{name}.py" for name in ("translate", "cypher", "functions", "results", "hints")}

#: Tests that read the source text of graph/: in mutmut's copy it holds every mutant's code (a
#: string made upper case spells a relationship type), so they fail whatever the mutant.
SOURCE_TEXT_TESTS = ["tests/test_model.py::test_no_label_type_or_schema_property_is_spelled_out_in_the_code"]

STATUS = re.compile(r"^\s*(?P<name>[\w.ǁ]+__mutmut_\d+): (?P<status>.+?)\s*$")
KILLED = {"killed"}
NOT_RUN = {"not checked"}


def tests_for(modules: list[str]) -> list[str]:
    found: list[str] = []
    for m in modules:
        for prefix, tests in MIRROR.items():
            if m == prefix or (prefix.endswith("/") and m.startswith(prefix)):
                found += [t for t in tests if (ROOT / t).exists() and t not in found]
    return found or ["tests"]


def scratch_copy(target: Path) -> None:
    """The project's files into `target`: what git tracks (plus untracked, unignored files), else the tree."""
    listing = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"], capture_output=True, check=False
    )
    if listing.returncode == 0:
        for name in filter(None, listing.stdout.decode().split("\0")):
            src = ROOT / name
            if src.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target / name)
    else:
        ignore = shutil.ignore_patterns(".git", ".venv", ".cache", "mutants", "__pycache__", "build", "target")
        shutil.copytree(ROOT, target, ignore=ignore, dirs_exist_ok=True)


def configure(target: Path, modules: list[str], tests: list[str]) -> None:
    quoted = lambda xs: "[" + ", ".join(f'"{x}"' for x in xs) + "]"  # noqa: E731
    deselect = [arg for t in SOURCE_TEXT_TESTS for arg in ("--deselect", t)]
    # graph/ file by file, without the mutated modules: mutmut copies `also_copy` over its mutants/
    # folder after `sample` has generated the mutants there, which put the modules back as they were
    # and made mutmut generate every mutant a second time.
    package = sorted(p.relative_to(target).as_posix() for p in (target / "graph").rglob("*") if p.is_file())
    also_copy = [*(p for p in package if p not in modules), "data", "cypher", "tests", "examples", "README.md", "docs", "bench"]
    for name in package:  # mutmut copies a file into its folder, which must exist
        (target / "mutants" / name).parent.mkdir(parents=True, exist_ok=True)
    config = f"""

[tool.mutmut]
source_paths = {quoted(modules)}
also_copy = {quoted(also_copy)}
pytest_add_cli_args = {quoted(["-m", "not neo4j and not browser", "-p", "no:cacheprovider", "-o", "addopts=--strict-markers", *deselect])}
pytest_add_cli_args_test_selection = {quoted(tests)}
# Not "fork": mutmut's main process has run the whole suite once (to record which tests reach
# which function), so a worker forked from it would inherit the schema cached by load_schema()
# from the unmutated code, and mutants of the schema parser would pass for survivors.
process_isolation = "forkserver"
# mutmut stops a mutant after half its CPU budget in wall-clock time: on a shared machine, with the
# run niced, a mutant that fails its first test still took longer than that, and counted as a
# timeout. Four times mutmut's default leaves room; a real endless loop is still stopped.
timeout_multiplier = 60.0
"""
    with (target / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write(config)


#: Run in the scratch copy: mutmut's own generation of each module's mutants (what `mutmut run` does
#: first), which lists their names in `mutants/<module>.meta` before any of them runs.
_GENERATE = """
import os, sys
from pathlib import Path
from mutmut.__main__ import create_mutants_for_file
for name in sys.argv[1:]:
    out = Path("mutants") / name
    os.makedirs(out.parent, exist_ok=True)
    result = create_mutants_for_file(Path(name), out)
    if result.error:
        raise result.error
"""


def sample(work: Path, modules: list[str], size: int, seed: int, env: dict[str, str]) -> list[str]:
    """`size` mutant names of each module, drawn at random with `seed` from all of the module's mutants."""
    subprocess.run([sys.executable, "-c", _GENERATE, *modules], cwd=work, env=env, check=True)
    rng = random.Random(seed)
    chosen: list[str] = []
    for module in modules:
        names = sorted(json.loads((work / "mutants" / f"{module}.meta").read_text(encoding="utf-8"))["exit_code_by_key"])
        chosen += rng.sample(names, min(size, len(names)))
    return chosen


def wilson(killed: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% interval of a proportion seen as `killed` of `n` (Wilson's score interval)."""
    if n == 0:
        return 0.0, 1.0
    p = killed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def module_of(name: str) -> str:
    """`graph.read.x__read_csv__mutmut_3` -> `graph/read.py`."""
    dotted = re.split(r"\.xǁ|\.x_", name, maxsplit=1)[0]
    path = dotted.replace(".", "/")
    return f"{path}.py" if not (ROOT / path).is_dir() else f"{path}/__init__.py"


def equivalents() -> dict[str, tuple[str, list[str]]]:
    """The listed equivalent mutants: name -> (why, the mutant's change as recorded: `- LINE` and
    `+ LINE`, the lines it takes out and puts in, indented under the entry).

    mutmut numbers a function's mutants in order, so a change of the function renumbers them and a
    name may come to mean another mutant: the recorded change is how the script tells (`change_of`)."""
    if not EQUIVALENT.exists():
        return {}
    listed: dict[str, tuple[str, list[str]]] = {}
    name = ""
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if re.match(r"    [-+]( |$)", line) and name:
            listed[name][1].append(line.strip())
        elif line.strip() and not line.startswith("#"):
            name, _, why = line.partition(":")
            name = name.strip()
            listed[name] = (why.strip(), [])
    return listed


def change_of(work: Path, name: str) -> list[str] | None:
    """The lines mutant `name` takes out of its function and puts in (`- LINE`, `+ LINE`, stripped),
    read from mutmut's mutated copy of the module in `work`; None when no such mutant was generated."""
    import difflib

    function = name.rsplit(".", 1)[1]
    original = re.sub(r"__mutmut_\d+$", "__mutmut_orig", function)
    source = (work / "mutants" / module_of(name)).read_text(encoding="utf-8")

    def body(func: str) -> list[str] | None:
        indent = "    " if "ǁ" in func else ""  # a method's mutants are methods of a class mutmut adds
        found = re.search(rf"^{indent}def {re.escape(func)}\(.*?(?=^{indent}def |^def |^class |^{indent}mutants_|\Z)", source, re.S | re.M)
        return found.group().splitlines()[1:] if found else None

    mutated, unchanged = body(function), body(original)
    if mutated is None or unchanged is None:
        return None
    diff = difflib.unified_diff(unchanged, mutated, lineterm="", n=0)
    return [f"{line[0]} {line[1:].strip()}".rstrip() for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def check_equivalents(work: Path, listed: dict[str, tuple[str, list[str]]], modules: set[str]) -> set[str]:
    """The listed names of `modules` that still make the recorded change (printing those that do
    not, and those recorded without one); only these count as equivalent."""
    good = set()
    for name, (_, change) in listed.items():
        if module_of(name) not in modules:
            continue
        now = change_of(work, name)
        if not change:
            print(f"listed as equivalent without its change (add these lines under it, indented: {now}): {name}")
        elif now != change:
            print(f"listed as equivalent, but {name} now makes another change ({now}, listed {change}): find its new name")
        else:
            good.add(name)
    return good


#: Run in `mutants/`: each mutant's name in MUTANT_UNDER_TEST (mutmut's switch, read at every call of a
#: mutated function), then the tests; the modules are imported once, so a mutant costs its tests only.
_RECHECK = """
import os, sys, pytest
names, args = sys.argv[1].split(), sys.argv[2:]
base = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not neo4j and not browser", *args]
with open(os.devnull, "w") as quiet:
    saved, sys.stdout = sys.stdout, quiet
    try:
        pytest.main([*base, "--collect-only"])  # imports the tests and the modules once, runs nothing
    finally:
        sys.stdout = saved
for name in names:
    # Each mutant in a child forked from here: what one mutant leaves in a cache (load_schema's
    # lru_cache holds the Schema a mutant built) cannot make the next one fail, or pass.
    pid = os.fork()
    if pid == 0:
        os.environ["MUTANT_UNDER_TEST"] = name
        sys.stdout = open(os.devnull, "w")
        os._exit(int(pytest.main(base)))
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    print(f"{name}: {'survived' if code == 0 else 'killed' if code == 1 else f'pytest exit {code}'}", flush=True)
"""


def recheck(work: Path, names: list[str], tests: list[str], select: str | None) -> int:
    """The named mutants of the run kept in `work`, against the tests as they are now in the project."""
    mutants = work / "mutants"
    if not mutants.is_dir():
        print(f"{work}: no mutants/ folder here; run bench/mutation.py with --keep {work} first", file=sys.stderr)
        return 2
    shutil.rmtree(mutants / "tests", ignore_errors=True)
    shutil.copytree(ROOT / "tests", mutants / "tests", ignore=shutil.ignore_patterns("__pycache__", "target"))
    env = {**os.environ, "XDG_CACHE_HOME": str(work / ".cache"), "PYTHONDONTWRITEBYTECODE": "1", "CUBAMED_FIXTURES_PER_TEST": "1"}
    deselect = [arg for t in SOURCE_TEXT_TESTS for arg in ("--deselect", t)]
    args = [*tests, *deselect, *(["-k", select] if select else [])]
    return subprocess.run([sys.executable, "-c", _RECHECK, " ".join(names), *args], cwd=mutants, env=env, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", default=CORE, help="files to mutate (default: the core modules)")
    parser.add_argument("--tests", nargs="+", help="test files to run (default: the modules' mirror tests)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="mutants run at once (default: one per core)")
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--show", action="store_true", help="print the diff of every survivor")
    parser.add_argument("--only", nargs="+", metavar="PATTERN", help="run only these mutants (names, `*` as wildcard), again if run before")
    parser.add_argument(
        "--recheck",
        nargs="+",
        metavar="NAME",
        help="with --keep: run these mutants (full names) of an earlier run against the project's current tests, in one "
        "pytest process, without mutmut (no stats or clean run first); mutmut's own results are left as they were",
    )
    parser.add_argument("--sample", type=int, metavar="N", help="run N mutants of each module, drawn at random (see --seed)")
    parser.add_argument("--seed", type=int, default=0, help="with --sample: the seed of the draw (default 0)")
    parser.add_argument("-k", dest="select", metavar="EXPRESSION", help="with --recheck: only the tests pytest's -k selects (the new ones)")
    args = parser.parse_args()
    if args.recheck:
        if args.keep is None:
            parser.error("--recheck needs --keep DIR, the folder of the run that made the mutants")
        return recheck(args.keep, args.recheck, args.tests or tests_for(args.modules), args.select)

    if importlib.util.find_spec("mutmut") is None:
        parser.error("mutmut is not installed: `python -m pip install --group mutation` (from the project's folder) installs it")
    tests = args.tests or tests_for(args.modules)
    work = args.keep or Path(tempfile.mkdtemp(prefix="cubamed-mutation-"))
    work.mkdir(parents=True, exist_ok=True)
    scratch_copy(work)
    configure(work, args.modules, tests)
    # CUBAMED_FIXTURES_PER_TEST: the graph fixtures are built per test (see tests/conftest.py), since
    # mutmut runs only the tests that reached a function, and a shared graph was built by another.
    env = {**os.environ, "XDG_CACHE_HOME": str(work / ".cache"), "PYTHONDONTWRITEBYTECODE": "1", "CUBAMED_FIXTURES_PER_TEST": "1"}
    mutmut = [sys.executable, "-m", "mutmut"]
    if set(args.modules) <= TRANSLATION:
        prebuilt = work / ".prebuilt-embedded-cache"
        build = (
            "import sys; from graph.embedded import cached_database; from graph.locations import data_dir;"
            " cached_database([data_dir()], cache_dir=sys.argv[1])"
        )
        subprocess.run([sys.executable, "-c", build, str(prebuilt)], cwd=work, env={**env, "PYTHONPATH": str(work)}, check=True)
        env["CUBAMED_PREBUILT_EMBEDDED_CACHE"] = str(prebuilt)
    only = args.only or []
    if args.sample:
        if args.only:
            parser.error("--sample and --only: choose one")
        only = sample(work, args.modules, args.sample, args.seed, env)
        print(f"a random sample (seed {args.seed}) of {len(only)} mutants", flush=True)
    print(f"mutating {', '.join(args.modules)}\nwith the tests {' '.join(tests)}\nin {work}", flush=True)
    start = time.monotonic()
    try:
        command = [*mutmut, "run", "--max-children", str(args.jobs), *only]
        run = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
            return run.returncode
        elapsed = time.monotonic() - start
        listing = subprocess.run([*mutmut, "results", "--all", "true"], cwd=work, env=env, capture_output=True, text=True, check=True)
        status = {m["name"]: m["status"] for m in map(STATUS.match, listing.stdout.splitlines()) if m}
        listed = equivalents()
        checked = check_equivalents(work, listed, {module_of(n) for n in status})
        per_module: dict[str, Counter[str]] = defaultdict(Counter)
        survivors = []
        for name, st in sorted(status.items()):
            c = per_module[module_of(name)]
            if st in NOT_RUN:
                c["not run"] += 1
                continue
            if st in {"timeout", "segfault"}:  # an endless loop stopped by a limit, or a limit hit by chance: look at it
                c["timeout"] += 1
                continue
            c["mutants"] += 1
            if st in KILLED:
                c["killed"] += 1
            elif name in checked:
                c["equivalent"] += 1
            else:
                c["survived"] += 1
                survivors.append((name, st))
        run_so_far = sum(c["mutants"] for c in per_module.values())
        print(f"\n{run_so_far} of {len(status)} mutants run so far; this run took {elapsed / 60:.1f} min ({args.jobs} at once)\n")
        print(
            "| module | mutants run | killed | equivalent | survived | stopped | not run yet | score (95% interval) "
            "| without the equivalent |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for module, c in sorted(per_module.items()):
            live = c["mutants"] - c["equivalent"]
            low, high = wilson(c["killed"], c["mutants"])
            score = f"{c['killed'] / c['mutants']:.1%} ({low:.1%} to {high:.1%})" if c["mutants"] else "-"
            print(
                f"| `{module}` | {c['mutants']} | {c['killed']} | {c['equivalent']} | {c['survived']} | {c['timeout']} | {c['not run']} | "
                f"{score} | {c['killed'] / live if live else 1:.1%} |"
            )
        ran = {module_of(n) for n, st in status.items() if st not in NOT_RUN}
        stale = [n for n in listed if module_of(n) in ran and (n not in status or status[n] in KILLED)]
        for name in stale:
            print(f"listed as equivalent but not a survivor any more: {name}; remove it from {EQUIVALENT.name}")
        if survivors:
            print(f"\n{len(survivors)} survivors (kill each with a test, or list it in {EQUIVALENT.name} with the reason):")
        for name, st in survivors:
            print(f"  {name}: {st}")
            if args.show:
                diff = subprocess.run([*mutmut, "show", name], cwd=work, env=env, capture_output=True, text=True, check=False).stdout
                print("    " + diff.strip().replace("\n", "\n    "))
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
