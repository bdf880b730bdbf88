"""Debian's chromium driven by Playwright, for the browser tests (no browser download)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL = ("file://", "data:", "about:", "blob:", "http://127.0.0.1", "http://localhost",
         "ws://127.0.0.1")


@contextmanager
def chromium_page() -> Iterator[tuple[Any, list[str]]]:
    """A page plus the list of every URL it requested; non-local requests are aborted."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (scripts/setup installs it)")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def guard(route: Any) -> None:
                url = route.request.url
                requests.append(url)
                if url.startswith(LOCAL):
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", guard)
            yield page, requests
        finally:
            browser.close()


def external(requests: list[str]) -> list[str]:
    return [u for u in requests if not u.startswith(LOCAL)]


@contextmanager
def offline_page(html: Path, ready_js: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A self-contained HTML file opened from disk, once ``ready_js`` holds: the page, every URL
    it requested and the script errors it raised."""
    text = html.read_text(encoding="utf-8")
    assert "<script src=" not in text and "<link " not in text  # everything inline
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(html.as_uri())
        page.wait_for_function(ready_js, timeout=30_000)
        yield page, requests, errors
