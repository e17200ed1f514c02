"""Benchmark the explorer page against pyvis's default output, in headless chromium.

For the curated graph and synthetic graphs of 200, 2,000 and 20,000 entities (3 relations each, the
attribute shape of `graph.load()`), our page and pyvis's default one are written and opened offline
(every non-file request aborted), ours `--repeat` times (the median first frame is reported), each
in a browser of its own: a child process of this script runs chromium, and is killed with its browser
if it has not reported `--cap` seconds (default 60) plus a margin after starting, so a page that hangs
the browser cannot hang the run. Measured: Python time to write the page, file size, time from
navigation start to the first drawn frame (the first canvas drawing call, then the next animation
frame), the page's main-thread CPU time before that frame (from a trace: it does not grow when other
processes load the machine), the JS heap used (CDP Performance.getMetrics), and at 2,000 entities the frame time while
panning (a mouse drag, frame intervals from requestAnimationFrame). Prints a markdown table.

    python bench/bench_html.py [--sizes 200,2000,20000] [--repeat 5] [--no-pyvis] [--cap 60] [--out /tmp/bench_html]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import Browser, sync_playwright
from pyvis.network import Network

import graph
from graph.html import ReducedViewWarning, write_html
from graph.schema import load_schema

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Records the first canvas drawing call and the animation frame after it; then unhooks itself.
FIRST_DRAW = """
(() => {
  const P = CanvasRenderingContext2D.prototype, names = ["arc", "fillText", "lineTo", "fill", "stroke", "drawImage"], orig = {};
  window.__firstDraw = null; window.__firstFrame = null;
  names.forEach((n) => { orig[n] = P[n]; P[n] = function (...a) {
    if (window.__firstDraw === null) {
      window.__firstDraw = performance.now();
      names.forEach((m) => { P[m] = orig[m]; });
      requestAnimationFrame(() => { window.__firstFrame = performance.now(); });
    }
    return orig[n].apply(this, a);
  }; });
})();
"""


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """n entities (labels in turn), about 3n relations of random types between random pairs, 20 sources."""
    rnd = random.Random(seed)
    sch = load_schema()
    labels = [lab for lab in sch.labels if lab != "Source"]
    types = list(sch.relationships)
    G = nx.MultiDiGraph()
    for s in range(20):
        G.add_node(f"source-{s}", label="Source", name=f"Source {s}", title=f"Report number {s} on medical missions", kind="news")
    ids = [f"entity-{i}" for i in range(n)]
    for i, node in enumerate(ids):
        G.add_node(node, label=labels[i % len(labels)], name=f"Entity {i}", aliases=[f"E{i}"], kind="x")
    # preferential attachment, so degrees vary as in real data
    targets = ids[:5]
    for i in range(3 * n):
        u = rnd.choice(ids)
        v = rnd.choice(targets) if rnd.random() < 0.5 else rnd.choice(ids)
        if u == v:
            continue
        targets.append(v)
        t = rnd.choice(types)
        G.add_edge(
            u, v, key=f"r{i}", type=t, source_id=f"source-{rnd.randrange(20)}", locator="para. 3",
            evidence=f"Entity {u} did something to {v} in a given year.", year=rnd.randint(1960, 2024), count=rnd.randint(1, 500),
        )
        if t == "SANCTIONED":
            G.nodes[v]["sanctioned"] = True
            G.nodes[v]["sanctioned_by"] = [u]
    return G


def write_ours(G: nx.MultiDiGraph, path: Path) -> tuple[Path, float, str]:
    t = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReducedViewWarning)
        write_html(G, path)
    note = "reduced to 2,000" if any(issubclass(w.category, ReducedViewWarning) for w in caught) else ""
    return path, time.perf_counter() - t, note


def write_pyvis(G: nx.MultiDiGraph, path: Path) -> tuple[Path, float, str]:
    """pyvis's default output (default physics, in_line resources), nodes and edges filled directly."""
    t = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.nodes = [
        {"id": n, "label": d.get("name", n), "shape": "dot", "color": "#97c2fc", "size": 10}
        for n, d in G.nodes(data=True)
        if d.get("label") != "Source"
    ]
    net.edges = [{"from": u, "to": v, "width": 1} for u, v in G.edges()]
    net.write_html(str(path))
    return path, time.perf_counter() - t, ""


def measure(browser: Browser, path: Path, cap: float, pan: bool) -> dict[str, Any]:
    # bypass_csp: our page forbids eval, which Playwright's polling uses; both pages are measured alike
    ctx = browser.new_context(viewport={"width": 1400, "height": 850}, bypass_csp=True)
    page = ctx.new_page()
    blocked: list[str] = []
    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.add_init_script(FIRST_DRAW)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    out: dict[str, Any] = {"blocked": len(blocked)}
    try:
        browser.start_tracing(page=page, categories=TRACED)
        page.goto(path.resolve().as_uri(), timeout=cap * 1000, wait_until="commit")
        page.wait_for_function("window.__firstFrame !== null", timeout=cap * 1000, polling=50)
        out["first_frame_ms"] = page.evaluate("window.__firstFrame")
        out["cpu_ms"] = main_thread_cpu(json.loads(browser.stop_tracing()), out["first_frame_ms"])
        page.wait_for_timeout(500)
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        out["heap_mb"] = metrics["JSHeapUsedSize"] / 1e6
        if pan:
            out["pan_ms"] = pan_frames(page)
            if page.evaluate("!!(window.cubamed && cubamed.network)"):
                page.evaluate("cubamed.network.setOptions({interaction: {hideEdgesOnDrag: false, hideEdgesOnZoom: false}})")
                out["pan_edges_ms"] = pan_frames(page)
    except Exception as exc:  # a timeout: the page did not draw within the cap
        out["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    out["blocked"] = len(blocked)
    return out  # the context is left open: closing a page that hangs the browser would hang here


TRACED = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "blink.user_timing", "loading"]


def main_thread_cpu(trace: dict[str, Any], first_frame_ms: float) -> float | None:
    """CPU time (ms) of the page's main thread from navigation start to the first frame.

    The sum of the thread time (`tdur`) of its tasks, which, unlike the time to the first frame, does
    not grow when other processes take the machine's cores. None when the trace lacks the marks.
    """
    events = trace["traceEvents"]
    main = {(e["pid"], e["tid"]) for e in events if e.get("ph") == "M" and e.get("args", {}).get("name") == "CrRendererMain"}
    starts = [
        e["ts"]
        for e in events
        if e.get("name") == "navigationStart"
        and (e["pid"], e["tid"]) in main
        and str(e.get("args", {}).get("data", {}).get("documentLoaderURL", "")).startswith("file:")
    ]
    if not starts:
        return None
    t0 = starts[-1]
    end = t0 + first_frame_ms * 1000
    tasks = [e for e in events if (e["pid"], e["tid"]) in main and e.get("name") == "RunTask" and e.get("ph") == "X"]
    return sum(e.get("tdur", 0) for e in tasks if t0 <= e["ts"] <= end) / 1000


def pan_frames(page: Any) -> tuple[float, float]:
    """Mean and 95th-percentile frame interval (ms) during a 2-second mouse drag across the canvas."""
    page.evaluate(
        "window.__frames = [];"
        "(function loop(t) { window.__frames.push(t);"
        " if (window.__frames.length < 100000) requestAnimationFrame(loop); })(performance.now())"
    )
    box = page.evaluate(
        "(() => { const r = document.querySelector('canvas').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    x, y = box
    page.mouse.move(x, y)
    page.mouse.down()
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < 2.0:
        i += 1
        page.mouse.move(x + 150 * ((i % 40) / 40 - 0.5), y + 80 * ((i % 25) / 25 - 0.5))
    page.mouse.up()
    frames = page.evaluate("window.__frames")
    page.evaluate("window.__frames.length = 100000")
    gaps = [b - a for a, b in itertools.pairwise(frames)][1:]
    if not gaps:
        return (float("nan"), float("nan"))
    gaps.sort()
    return statistics.mean(gaps), gaps[int(0.95 * (len(gaps) - 1))]


def measure_alone(path: Path, cap: float, pan: bool) -> dict[str, Any]:
    """`measure` in a child process with a browser of its own; killed, browser and all, if it overruns."""
    marker = f"--bench-html-run={uuid.uuid4().hex}"  # chromium ignores it; it names this run's browser process
    cmd = [sys.executable, __file__, "--measure", str(path), "--cap", str(cap), f"--marker={marker}", *(["--pan"] if pan else [])]
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + cap + 45
        reported = False
        while child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
            out.seek(0)
            if not reported and "\n{" in "\n" + out.read():
                reported = True  # the result is in; closing the browser gets 10 s
                deadline = min(deadline, time.monotonic() + 10)
        if child.poll() is None:
            child.terminate()  # playwright's driver then closes the browser; if not, it is killed below
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for pid in _pids_with(marker):
            os.kill(pid, signal.SIGKILL)
        out.seek(0)
        lines = [line for line in out.read().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": f"no report within {cap + 45:.0f} s: killed", "blocked": 0}


def _pids_with(marker: str) -> list[int]:
    """Processes whose command line holds `marker` (this run's browser, when it outlived its driver)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def child(path: Path, cap: float, pan: bool, marker: str) -> None:
    """Measure one page in a fresh browser and print the result as one JSON line, before closing anything."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, marker])
        print(json.dumps(measure(browser, path, cap, pan)), flush=True)
        browser.close()


def measure_repeated(path: Path, cap: float, pan: bool, repeat: int) -> dict[str, Any]:
    """`measure_alone` `repeat` times (pan measured once); the median first frame, and all of them."""
    runs = [measure_alone(path, cap, pan=pan and i == 0) for i in range(repeat)]
    res = dict(runs[0])
    frames = [r["first_frame_ms"] for r in runs if "first_frame_ms" in r]
    if len(frames) == len(runs):
        res["first_frame_ms"] = statistics.median(frames)
        res["first_frames_ms"] = frames
    cpu = [r["cpu_ms"] for r in runs if r.get("cpu_ms") is not None]
    if cpu:
        res["cpu_ms"] = statistics.median(cpu)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200,2000,20000")
    ap.add_argument("--cap", type=float, default=60.0, help="seconds pyvis gets to draw")
    ap.add_argument("--repeat", type=int, default=5, help="opens of each cubamed page (the median first frame is reported)")
    ap.add_argument("--no-pyvis", action="store_true", help="leave out pyvis's default pages (they take the --cap each)")
    ap.add_argument("--out", type=Path, default=None, help="folder for the pages (default: a temporary one)")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child: measure this page
    ap.add_argument("--pan", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--marker", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        child(args.measure, args.cap, args.pan, args.marker)
        return
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_html_"))
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    cases: list[tuple[str, nx.MultiDiGraph]] = [("curated", graph.load())]
    cases += [(f"{n:,}", synthetic(n)) for n in (int(s) for s in args.sizes.split(","))]
    for label, G in cases:
        n = sum(1 for _, lab in G.nodes(data="label") if lab != "Source")
        writers = [("cubamed", write_ours, 60.0, args.repeat)]
        if not args.no_pyvis and label != "curated":
            writers.append(("pyvis default", write_pyvis, args.cap, 1))
        for name, writer, cap, repeat in writers:
            path, secs, note = writer(G, out / f"{name.split()[0]}-{label}.html")
            res = measure_repeated(path, cap, pan=(n == 2000), repeat=repeat)
            rows.append((label, name, note, secs, path.stat().st_size / 1e6, res, cap))
            print(f"# {label} {name}: {res}", flush=True)
    print()
    print(
        "| entities | page | write (s) | file (MB) | first frame (median) | main-thread CPU before it | JS heap (MB) "
        "| pan frame mean / p95 (ms) | pan, edges drawn (ms) | requests blocked |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, name, note, secs, mb, res, cap in rows:
        first = f"{res['first_frame_ms'] / 1000:.2f} s" if "first_frame_ms" in res else f">{cap:.0f} s"
        heap = f"{res['heap_mb']:.0f}" if "heap_mb" in res else "–"
        cpu = f"{res['cpu_ms'] / 1000:.2f} s" if res.get("cpu_ms") is not None else "–"
        pan = f"{res['pan_ms'][0]:.0f} / {res['pan_ms'][1]:.0f}" if "pan_ms" in res else "–"
        pan2 = f"{res['pan_edges_ms'][0]:.0f} / {res['pan_edges_ms'][1]:.0f}" if "pan_edges_ms" in res else "–"
        page = f"{name} ({note})" if note else name
        print(f"| {label} | {page} | {secs:.2f} | {mb:.2f} | {first} | {cpu} | {heap} | {pan} | {pan2} | {res['blocked']} |")


if __name__ == "__main__":
    main()
