"""Browser fixtures: Debian's chromium, headless, driven by Playwright (no browser download).

Without /usr/bin/chromium the browser tests skip with a how-to; with CI=true they fail instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = "Debian's chromium is missing: run `apt-get install -y chromium` to enable the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: browser tests must run in CI)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # dev dependency

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@dataclass
class OpenedPage:
    """A page opened from a file with the network blocked, and what it tried and said."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """open_page(path, size=(w, h), fragment="") -> OpenedPage, drawn (window.cubamed.firstDraw set), every non-file request aborted."""
    contexts = []

    def _open(path: Path, size: tuple[int, int] = (1400, 900), fragment: str = "", **context: Any) -> OpenedPage:
        ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, offline=True, **context)
        contexts.append(ctx)
        page = ctx.new_page()
        opened = OpenedPage(page)

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
        # polled from here: the page's CSP forbids the eval that page.wait_for_function relies on
        deadline = time.monotonic() + 30
        while not page.evaluate("!!(window.cubamed && window.cubamed.firstDraw !== null)"):
            if time.monotonic() > deadline:
                pytest.fail(f"{path.name} was not drawn within 30 s; errors: {opened.errors}")
            page.wait_for_timeout(50)
        return opened

    yield _open
    for ctx in contexts:
        ctx.close()
