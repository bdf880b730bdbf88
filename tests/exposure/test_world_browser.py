"""The world page renders offline in headless chromium: the map is drawn, the table sorts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import external, offline_page
from tests.clirun import run


@pytest.mark.browser
def test_world_page_renders_offline_and_sorts(loaded_db: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "world.html"
    code, _, _ = run(["world", "--html", str(out), "--runs", "50", "--db", str(loaded_db)],
                     capsys)
    assert code == 0
    with offline_page(out, "document.querySelectorAll('#world-map .choroplethlocation')"
                           ".length > 150") as (page, requests, errors):
        first = page.locator("table.sortable tbody tr").first.locator("td").nth(3).inner_text()
        page.locator("table.sortable th", has_text="iso3").click()
        after = page.locator("table.sortable tbody tr").first.locator("td").nth(3).inner_text()
    assert errors == []
    assert after == "ABW" and first != after  # sorted by code, ascending
    assert external(requests) == []
