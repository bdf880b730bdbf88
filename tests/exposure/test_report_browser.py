"""The exposure report renders offline in headless chromium: map and charts drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import external, offline_page
from tightrope.cli.app import main


@pytest.mark.browser
@pytest.mark.parametrize("country", ["KAZ", "JOR"])
def test_report_renders_offline(country: str, loaded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / f"{country}.html"
    png = tmp_path / "png"
    with pytest.raises(SystemExit) as e:
        main(["report", country, "--html", str(out), "--out", str(png), "--db", str(loaded_db),
              "--runs", "300"])
        raise SystemExit(0)
    assert e.value.code == 0
    assert {p.name for p in png.iterdir()} == {"exposure_heatmap.png", "exposure_balance.png",
                                               "exposure_bars.png", "exposure_map.png"}
    with offline_page(out, "document.querySelectorAll('#map .choroplethlocation').length > 20"
                      ) as (page, requests, errors):
        countries = page.locator("#map .choroplethlocation").count()
        heat = page.locator("#heatmap .hm, #heatmap image").count()
        bars = page.locator("#bars .point").count()
        balance = page.locator("#balance .point").count()
        page.screenshot(path=str(tmp_path / f"{country}.png"), full_page=False)
    assert errors == []
    assert countries > 20  # the powers' members, neighbours and the focal country
    assert heat >= 1 and bars >= 10 and balance == 8
    assert external(requests) == []
    assert any(u.startswith("file://") for u in requests)
