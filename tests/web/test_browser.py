"""End to end in Debian's chromium: the dashboard page, offline, on loopback only."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser import chromium_page, external


@pytest.mark.browser
def test_profile_and_compare_pages(live_server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server + "/")
        page.wait_for_selector("#profile-title", timeout=30_000)
        assert page.inner_text("#profile-title") == "Kazakhstan (KAZ)"
        page.wait_for_function(
            "document.querySelectorAll('#profile-map .choroplethlocation').length > 20")
        assert "7,644" in page.inner_text("#profile-tables")
        summary = page.inner_text("#profile-summary")
        assert "Balance between camps" in summary and "tie: Russia" in summary
        assert re.search(r"rank \d+ of \d+", summary)
        page.screenshot(path=str(os.environ.get("TIGHTROPE_SHOTS", tmp_path)) + "/profile.png",
                        full_page=True)

        page.fill("#country", "Jordan")
        page.click("#profile-form button")
        page.wait_for_function("document.querySelector('#profile-title').textContent"
                               ".includes('JOR')")
        assert "Saudi Arabia" in page.inner_text("#profile-tables")

        page.fill("#country", "Narnia")
        page.click("#profile-form button")
        page.wait_for_function("document.querySelector('#profile-msg').textContent"
                               ".includes('unknown country')")
        assert "error" in (page.get_attribute("#profile-msg", "class") or "")

        page.click("#tabs button[data-page=compare]")
        page.wait_for_function("document.querySelectorAll('#compare-chart .point').length > 10",
                               timeout=30_000)
        assert "Mongolia" in page.inner_text("#compare-table")
        page.screenshot(path=str(tmp_path / "compare.png"))
    assert errors == []
    assert external(requests) == []
    assert all(u.startswith(live_server) or u.startswith("data:") for u in requests)


@pytest.mark.browser
def test_bargaining_page(live_server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server + "/")
        page.wait_for_selector("#tabs button[data-page=bargain]:not([hidden])")
        page.click("#tabs button[data-page=bargain]")
        page.wait_for_function("document.querySelector('#bargain-table').value.length > 50")
        page.fill("#bargain-runs", "50")
        page.click("#bargain-form button[type=submit]")
        page.wait_for_selector("#bargain-result", timeout=300_000)
        page.wait_for_function("document.querySelectorAll('#bargain-chart .scatterlayer .trace')"
                               ".length > 5")
        assert "median" in page.inner_text("#bargain-result")
        page.screenshot(path=str(tmp_path / "bargain.png"), full_page=True)
    assert errors == []
    assert external(requests) == []


@pytest.mark.browser
def test_corridors_page(live_server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server + "/")
        page.wait_for_selector("#tabs button[data-page=corridors]:not([hidden])")
        page.click("#tabs button[data-page=corridors]")
        page.wait_for_selector("#route-from option", state="attached")
        page.click("#route-form button")
        page.wait_for_function("document.querySelectorAll('#route-map .scattergeo').length > 0",
                               timeout=30_000)
        assert "Duisburg" in page.inner_text("#route-table")
        page.fill("#disrupt-runs", "3")
        page.click("#disrupt-form button[type=submit]")
        page.wait_for_selector("#disrupt-result", timeout=300_000)
        page.wait_for_function("document.querySelectorAll('#disrupt-map .scattergeo').length > 0")
        assert "Kazakhstan" in page.inner_text("#disrupt-result")
        page.screenshot(path=str(tmp_path / "corridors.png"), full_page=True)
    assert errors == []
    assert external(requests) == []


@pytest.mark.browser
def test_minefield_page_runs_a_small_simulation(live_server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(live_server + "/")
        page.wait_for_selector("#tabs button[data-page=simulate]:not([hidden])")
        page.click("#tabs button[data-page=simulate]")
        page.wait_for_selector("#sim-strategy option", state="attached")
        page.fill("#sim-runs", "500")
        page.click("#sim-form button[type=submit]")
        page.wait_for_selector("#sim-result", timeout=300_000)
        page.wait_for_function("document.querySelectorAll('#sim-pcat .point').length >= 4")
        page.wait_for_function("document.querySelectorAll('#sim-fan .scatterlayer .trace')"
                               ".length >= 6")
        assert "balancer" in page.inner_text("#sim-result")
        assert page.locator("#sim-result table tr").count() >= 2
        assert page.locator("#sim-mistakes tr").count() > 1
        page.screenshot(path=str(tmp_path / "minefield.png"), full_page=True)
        # robust analysis: the Pareto front draws
        page.fill("#rob-samples", "8")
        page.fill("#rob-runs", "20")
        page.click("#rob-form button[type=submit]")
        page.wait_for_function("document.querySelectorAll('#rob-pareto .point').length > 3",
                               timeout=120_000)
        assert "most robust" in page.inner_text("#rob-summary")
        # cancel works from the page
        page.fill("#sim-runs", "20000")
        page.click("#sim-form button[type=submit]")
        page.wait_for_selector("#sim-cancel:not([hidden])")
        page.click("#sim-cancel")
        page.wait_for_function("document.querySelector('#sim-msg').textContent"
                               ".includes('cancelled')", timeout=30_000)
    assert errors == []
    assert external(requests) == []
