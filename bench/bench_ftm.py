"""Benchmark loading FollowTheMoney entity files at scale (not a timed test).

Writes a synthetic FtM file shaped like OpenSanctions' exports (default 1,000,000 entities and
2,000,000 relation entities: Ownership, Directorship, Family, UnknownLink and Sanction; Person,
Company, Organization, LegalEntity, Airplane and Vessel entities), then measures, in one run:

- load: `graph.load(data/, FILE)` (read, merge, validate, build the MultiDiGraph), entities/s;
- embedded: `graph.embedded.build_database` from that graph;
- bolt: `cubamed export neo4j` into an empty local Neo4j 5.26 (tests/neo4j_server.py);
- admin: writing `cubamed export neo4j-admin` files (wall and CPU seconds of this process), then
  Neo4j's real importer on them as their import.sh runs it, in a JVM of its own (wall and CPU
  seconds of that child, JVM start included; `_run_importer`), and the ratio of the two both ways;
- ftm-bulk: `ftm export-neo4j-bulk` on the same file, then the importer on its files with its
  Neo4j 3 command corrected for Neo4j 5;
- ftm-cypher: `ftm export-cypher` on the same file, then cypher-shell (Maven Central's
  org.neo4j:cypher-shell) on the first statements of its script: its MERGEs carry no label, so
  no index serves them and each scans every node; the full script is not run (see the output);
- html: `cubamed html` (the explorer's reduced view) on the loaded graph.

    python bench/bench_ftm.py --entities 10000 --relations 20000            # development size
    python bench/bench_ftm.py                                              # the full size
    python bench/bench_ftm.py --steps load,embedded --entities 100000 --relations 200000

Needs `pip install -e .[ftm]` for the ftm-* steps, Java 17 and Maven for the Neo4j steps.
Prints a Markdown table; figures also go to WORKDIR/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import graph  # noqa: E402
from graph.locations import data_dir  # noqa: E402

STEPS = ("load", "embedded", "bolt", "admin", "ftm-bulk", "ftm-cypher", "html")
IMPORT_ARGS = ["--array-delimiter=|", "--multiline-fields=true", "--id-type=string"]
NODE_MIX = [("Person", 45), ("Company", 30), ("Organization", 5), ("LegalEntity", 10), ("Airplane", 5), ("Vessel", 5)]
COUNTRIES = ["ve", "cu", "ru", "ir", "co", "pa", "es", "us"]


def _entity(schema: str, i: int, rng: random.Random) -> dict[str, Any]:
    country = rng.choice(COUNTRIES)
    props: dict[str, list[str]] = {"name": [f"{schema} {i} {rng.choice(['Alpha', 'Beta', 'Gamma', 'Delta'])}"], "country": [country]}
    if i % 3 == 0:
        props["alias"] = [f"{schema[:3].upper()}-{i}"]
    if schema == "Airplane":
        props["registrationNumber"] = [f"YV{i}"]
        props["model"] = ["Embraer E190"]
    elif schema == "Vessel":
        props["imoNumber"] = [f"IMO{9000000 + i}"]
        props.pop("country")
        props["flag"] = [country]
    return {"id": f"e-{i}", "schema": schema, "properties": props}


def generate(path: Path, n_entities: int, n_relations: int, seed: int = 12) -> dict[str, int]:
    """Write the synthetic file; returns the count per schema."""
    rng = random.Random(seed)
    schemata = [s for s, w in NODE_MIX for _ in range(w)]
    kinds: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    extra = {"datasets": ["synthetic_list"], "first_seen": "2023-01-01T00:00:00", "last_seen": "2024-06-01T00:00:00"}
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_entities):
            schema = schemata[i % len(schemata)]
            kinds.setdefault(schema, []).append(i)
            counts[schema] = counts.get(schema, 0) + 1
            fh.write(json.dumps({**_entity(schema, i, rng), **extra}) + "\n")
        people = kinds["Person"]
        bodies = kinds["Company"] + kinds["Organization"] + kinds["LegalEntity"]
        assets = kinds["Company"] + kinds["Airplane"] + kinds["Vessel"]
        owners = kinds["Company"] + kinds["LegalEntity"] + people
        anything = list(range(n_entities))
        plan: list[tuple[str, str, str, list[int], list[int]]] = [
            ("Ownership", "owner", "asset", owners, assets),
            ("Directorship", "director", "organization", people, bodies),
            ("Family", "person", "relative", people, people),
            ("UnknownLink", "subject", "object", bodies + people, bodies + people),
        ]
        for j in range(n_relations):
            k = j % 10
            if k < 2:  # a fifth are Sanctions
                props = {"entity": [f"e-{rng.choice(anything)}"], "program": ["SYN-PROGRAM"], "startDate": ["2020-02-07"]}
                props |= (
                    {"country": ["us"], "authority": ["Office of Foreign Assets Control"]}
                    if k == 0
                    else {"country": ["eu"], "authority": ["Council of the EU"]}
                )
                schema = "Sanction"
            else:
                schema, src, dst, a, b = plan[(k - 2) % len(plan)]
                props = {
                    src: [f"e-{rng.choice(a)}"],
                    dst: [f"e-{rng.choice(b)}"],
                    ("relationship" if schema == "Family" else "role"): ["synthetic"],
                }
            counts[schema] = counts.get(schema, 0) + 1
            fh.write(json.dumps({"id": f"r-{j}", "schema": schema, "properties": props, **extra}) + "\n")
    return counts


def _ftm() -> str:
    """The `ftm` command of this Python environment (followthemoney's CLI)."""
    beside = Path(sys.executable).parent / "ftm"
    return str(beside) if beside.exists() else "ftm"


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _maxrss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def _cpu_with_children() -> float:
    """CPU seconds (user and system) of this process and of the children it has waited for."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))


def _import_seconds(home: Path) -> float | None:
    """The importer's own 'IMPORT DONE in ...' figure from the launcher's log."""
    return _import_seconds_in((home / "logs" / "launcher.log").read_text(encoding="utf-8", errors="replace"))


def _import_seconds_in(log: str) -> float | None:
    """The importer's own 'IMPORT DONE in ...' figure in its output."""
    m = re.search(r"IMPORT DONE in ((?:\d+h )?(?:\d+m )?\d+s(?: \d+ms)?)", log) or re.search(r"IMPORT DONE in (\d+ms)", log)
    if not m:
        return None
    total = 0.0
    for value, unit in re.findall(r"(\d+)(h|ms|m|s)", m.group(1)):
        total += int(value) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[unit]
    return total


def _run_importer(folder: Path, home: Path, expected: tuple[int, int]) -> dict[str, Any]:
    """Run `neo4j-admin database import full` on the files `cubamed export neo4j-admin` wrote into
    `folder`, as its import.sh does (the same files in the same order, the same options), in a JVM of
    its own: the importer's command class from the Neo4j the tests embed (bench/neo4j_import), with
    the JVM's default heap and compiler, as neo4j-admin runs. Returns the child's wall and CPU
    seconds (user + system, all its threads, JVM start included: the writer's figures likewise cover
    all it does) and the importer's own "IMPORT DONE in" figure; raises when the import fails or its
    counts are not the graph's."""
    from tests.neo4j_server import JAR, JVM_FLAGS, build_jar

    build_jar()
    classes = home / "classes"
    shutil.rmtree(home, ignore_errors=True)
    classes.mkdir(parents=True)
    source = ROOT / "bench" / "neo4j_import" / "Neo4jImport.java"
    subprocess.run(["javac", "-cp", str(JAR), "-d", str(classes), str(source)], check=True)
    specs = re.findall(r"--(?:nodes|relationships)=\S+", (folder / "import.sh").read_text(encoding="utf-8"))
    opens = [f for f in JVM_FLAGS if f.startswith("--add-opens")]
    cmd = ["java", *opens, "-cp", f"{JAR}{os.pathsep}{classes}", "Neo4jImport", str(home / "db"), *specs]
    cmd += [*IMPORT_ARGS, "--overwrite-destination=true", f"--report-file={home / 'import.report'}", "neo4j"]
    log = home / "import.log"
    t0 = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"the importer failed (exit {proc.returncode}), see {log}:\n{text[-3000:]}")
    counts = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships", text)
    if counts is None or (int(counts[1]), int(counts[2])) != expected:
        raise RuntimeError(f"the importer did not import the graph's {expected[0]} nodes and {expected[1]} relationships, see {log}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "own": _import_seconds_in(text)}


class _Rows:
    """The table so far; each row is also appended to a file at once, so a long run that is
    stopped keeps the figures it had."""

    def __init__(self, path: Path) -> None:
        self.items: list[tuple[str, str]] = []
        self.path = path

    def append(self, row: tuple[str, str]) -> None:
        self.items.append(row)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(f"| {row[0]} | {row[1]} |\n")
        print(f"| {row[0]} | {row[1]} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=1_000_000)
    ap.add_argument("--relations", type=int, default=2_000_000)
    ap.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated, from {', '.join(STEPS)}")
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="keep files here (default: a temp dir, removed after); a run there again reuses its input",
    )
    ap.add_argument("--cypher-shell-statements", type=int, nargs="+", default=[1, 4_000, 16_000])
    args = ap.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-ftm-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"entities": args.entities, "relations": args.relations}
    rows = _Rows(work / "rows.md")
    total = args.entities + args.relations
    try:
        src = work / "synthetic.ftm.json"
        made = work / "synthetic.counts.json"  # the size it was written for, and its counts
        size = [args.entities, args.relations]
        kept = json.loads(made.read_text()) if made.exists() and src.exists() else None
        if kept is not None and kept["size"] == size:  # --workdir given again: the same input, not written twice
            counts = kept["counts"]
            rows.append(("the synthetic file (kept from a run before)", f"{src.stat().st_size / 1e6:.0f} MB, {counts}"))
        else:
            made.unlink(missing_ok=True)
            secs, counts = _timed(lambda: generate(src, args.entities, args.relations))
            made.write_text(json.dumps({"size": size, "counts": counts}))
            results["generate_s"] = secs
            rows.append(("write the synthetic file", f"{secs:.1f} s, {src.stat().st_size / 1e6:.0f} MB, {counts}"))
        results["counts"] = counts
        G = None
        if any(s in steps for s in ("load", "embedded", "bolt", "admin", "html")):
            cpu0 = time.process_time()
            secs, G = _timed(lambda: graph.load(data_dir(), src))
            results["load_cpu_s"] = cpu = time.process_time() - cpu0
            results["load_s"] = secs
            results["load_rate"] = total / secs
            results["load_maxrss_gb"] = _maxrss_gb()
            rows.append(
                (
                    "graph.load (read, merge, validate, build)",
                    f"{secs:.1f} s = {total / secs:,.0f} FtM entities/s ({cpu:.1f} s CPU = {total / cpu:,.0f}/CPU-s); "
                    f"graph {G.number_of_nodes():,} nodes, {G.number_of_edges():,} relationships; "
                    f"peak RSS {results['load_maxrss_gb']:.1f} GB",
                )
            )
        if "embedded" in steps and G is not None:
            from graph.embedded import build_database

            secs, _ = _timed(lambda: build_database(G, work / "embedded.db"))
            results["embedded_s"] = secs
            rows.append(("embedded engine: build_database from the graph", f"{secs:.1f} s"))
            shutil.rmtree(work / "embedded.db", ignore_errors=True)
            (work / "embedded.db").unlink(missing_ok=True)
        if "html" in steps and G is not None:
            from graph.html import write_html

            cpu0 = time.process_time()
            secs, _ = _timed(lambda: write_html(G, work / "page.html"))
            results["html_s"] = secs
            results["html_cpu_s"] = cpu = time.process_time() - cpu0
            rows.append(
                (
                    "explorer: write the reduced view (`cubamed html`)",
                    f"{secs:.1f} s ({cpu:.1f} s CPU), {(work / 'page.html').stat().st_size / 1e6:.0f} MB",
                )
            )
        server = None
        if any(s in steps for s in ("bolt", "ftm-bulk", "ftm-cypher")):
            from tests.neo4j_server import Neo4jServer

            server = Neo4jServer(home=work / "neo4j-home")
        try:
            if "admin" in steps and G is not None:
                from graph.export import write_neo4j_admin

                cpu0 = _cpu_with_children()  # the writer forks a child on a large graph: its CPU counts too
                secs, folder = _timed(lambda: write_neo4j_admin(G, work / "admin"))
                write_cpu = _cpu_with_children() - cpu0
                imp = _run_importer(folder, work / "admin-home", (G.number_of_nodes(), G.number_of_edges()))
                results |= {
                    "admin_write_s": secs,
                    "admin_write_cpu_s": write_cpu,
                    "admin_import_s": imp["own"],
                    "admin_import_wall_s": imp["wall"],
                    "admin_import_cpu_s": imp["cpu"],
                }
                rows.append(("`cubamed export neo4j-admin`: write the files", f"{secs:.1f} s ({write_cpu:.1f} s CPU)"))
                rows.append(
                    (
                        "  then `neo4j-admin database import full` on them (a JVM of its own)",
                        f"{imp['wall']:.1f} s ({imp['cpu']:.1f} s CPU; the importer's own figure {imp['own']} s)",
                    )
                )
                rows.append(
                    (
                        "  write / import",
                        f"{secs / imp['wall']:.2f} in wall, {write_cpu / imp['cpu']:.2f} in CPU (target at most 0.5)",
                    )
                )
            if "ftm-bulk" in steps and server is not None:
                out = work / "ftm-bulk"
                secs, _ = _timed(lambda: subprocess.run([_ftm(), "export-neo4j-bulk", "-i", str(src), "-o", str(out)], check=True))
                script = (out / "neo4j_import.sh").read_text()
                specs = re.findall(r"--(nodes|relationships)=(\S+)", script)
                results["ftm_bulk_export_s"] = secs
                rows.append(
                    (
                        "`ftm export-neo4j-bulk`: write the files",
                        f"{secs:.1f} s; its script: `{script.splitlines()[0].strip()} ...` (Neo4j 3 syntax)",
                    )
                )
                t0 = time.perf_counter()
                try:
                    imported = server.import_files(
                        nodes=[out / f for k, f in specs if k == "nodes"],
                        relationships=[out / f for k, f in specs if k == "relationships"],
                        home=work / "ftm-bulk-home",
                        extra_args=["--id-type=string", "--multiline-fields=true"],
                    )
                    wall = time.perf_counter() - t0
                    imported.close()
                    imp = _import_seconds(work / "ftm-bulk-home")
                    results |= {"ftm_bulk_import_s": imp, "ftm_bulk_import_wall_s": wall}
                    rows.append(
                        (
                            "  then the importer, command corrected for Neo4j 5",
                            f"{imp} s (importer's figure; {wall:.1f} s with server start)",
                        )
                    )
                except RuntimeError as exc:
                    results["ftm_bulk_import_error"] = str(exc)[-2000:]
                    rows.append(("  then the importer, command corrected for Neo4j 5", f"failed: {str(exc)[-300:]}"))
            if "ftm-cypher" in steps and server is not None:
                script = work / "ftm.cypher"
                secs, _ = _timed(lambda: subprocess.run([_ftm(), "export-cypher", "-i", str(src), "-o", str(script)], check=True))
                results["ftm_cypher_export_s"] = secs
                rows.append(("`ftm export-cypher`: write the script", f"{secs:.1f} s"))
                from tests.export.test_neo4j import _cypher_shell_classpath  # the tests' way to get cypher-shell

                classpath = _cypher_shell_classpath(work)
                if classpath is None:
                    rows.append(("  cypher-shell", "could not be fetched from Maven Central; not run"))
                else:
                    runs = []
                    with script.open(encoding="utf-8") as fh:
                        head = [next(fh) for _ in range(max(args.cypher_shell_statements))]
                    for n in args.cypher_shell_statements:
                        server.clear()
                        part = work / f"ftm-{n}.cypher"
                        part.write_text("".join(head[:n]), encoding="utf-8")
                        cmd = [
                            "java",
                            "-cp",
                            classpath,
                            "org.neo4j.shell.Main",
                            "-a",
                            server.uri,
                            "-u",
                            server.user,
                            "--format",
                            "plain",
                            "-f",
                            str(part),
                        ]
                        secs, proc = _timed(
                            lambda cmd=cmd: subprocess.run(
                                cmd, capture_output=True, text=True, env={**os.environ, "NEO4J_PASSWORD": server.password}
                            )
                        )
                        runs.append((n, secs, proc.returncode))
                        rows.append(
                            (
                                f"  cypher-shell on its first {n:,} statements",
                                f"{secs:.1f} s = {n / secs:,.0f} statements/s (exit {proc.returncode})",
                            )
                        )
                    results["ftm_cypher_shell"] = runs
            if "bolt" in steps and server is not None and G is not None:
                from graph.export import export_neo4j

                secs, _ = _timed(lambda: export_neo4j(G, server.uri, user=server.user, password=server.password))
                results["bolt_s"] = secs
                rows.append(
                    ("`cubamed export neo4j` (Bolt, empty database)", f"{secs:.1f} s = {G.number_of_edges() / secs:,.0f} relationships/s")
                )
                server.clear()
        finally:
            if server is not None:
                server.close()
    finally:
        (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
        print(f"\n{args.entities:,} entities + {args.relations:,} relation entities (files in {work})\n")
        print("| step | figure |\n| --- | --- |")
        for step, figure in rows.items:
            print(f"| {step} | {figure} |")
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
