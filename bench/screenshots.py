"""Make the README's screenshots of the explorer (never run by the tests).

Writes the curated graph's page to a temporary folder, opens it in Debian's chromium (headless,
offline) at each size, sets up a view through the page's URL fragment (as a shared link would) and
saves one PNG per size into `--out` (default: docs/):

- 1400x900: the shortest path between Conviasa and the Cuban Medical Professional Parole program;
- 390x844: Conviasa selected on a phone, its details in the sheet over the map;
- with --all, also 768x1024 (Venezuela) and 844x390 (a relation between Cuba and Saint Lucia),
  the other sizes the browser tests check, to look at.

    python bench/screenshots.py [--out docs] [--all]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

import graph
from graph.html import write_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAROLE = "cuban-medical-professional-parole"
SIZES = [(1400, 900), (390, 844), (768, 1024), (844, 390)]


def views(G: object) -> dict[tuple[int, int], dict[str, str]]:
    """The view shown at each size, as the URL fragment's keys (what a shared link holds)."""
    lucia = min(k for u, v, k in G.edges(keys=True) if (u, v) == ("cuba", "saint-lucia"))  # type: ignore[attr-defined]
    return {
        (1400, 900): {"from": "conviasa", "to": PAROLE},
        (390, 844): {"entity": "conviasa"},
        (768, 1024): {"entity": "venezuela"},
        (844, 390): {"relation": lucia},
    }


def shoot(page_path: Path, out: Path, shots: dict[tuple[int, int], dict[str, str]]) -> list[Path]:
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for (w, h), view in shots.items():
            ctx = browser.new_context(viewport={"width": w, "height": h}, offline=True)
            page = ctx.new_page()
            page.goto(page_path.resolve().as_uri() + "#" + urlencode(view))
            _wait(page)
            if "entity" in view:  # centred in the part of the map the details leave free
                page.evaluate("(id) => cubamed.openEntity(id)", view["entity"])
            if "from" in view:  # picked again, as in the Path box: the view fits the paths
                page.evaluate("([a, b]) => cubamed.setPath(a, b)", [view["from"], view["to"]])
            page.wait_for_timeout(600)
            target = out / f"explorer-{w}x{h}.png"
            page.screenshot(path=str(target))
            written.append(target)
            ctx.close()
        browser.close()
    return written


def _wait(page: object) -> None:
    deadline = time.monotonic() + 30
    while not page.evaluate("!!(window.cubamed && window.cubamed.firstDraw !== null)"):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            raise SystemExit("the page did not draw within 30 s")
        page.wait_for_timeout(50)  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("docs"), help="folder for the PNG files (default: docs)")
    ap.add_argument("--all", action="store_true", help="also the two other sizes the browser tests check")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    G = graph.load()
    shots = {size: view for size, view in views(G).items() if args.all or size in SIZES[:2]}
    with tempfile.TemporaryDirectory() as tmp:
        page_path = write_html(G, Path(tmp) / "cubamed.html")
        for path in shoot(page_path, args.out, shots):
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
