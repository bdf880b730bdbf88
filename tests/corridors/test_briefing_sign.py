"""Issue 15: the briefing printed 'Largest gainer EGY (+-364 m)' when the top change was a loss."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tightrope import corridors
from tightrope.report.briefing import _corridors


def test_largest_gainer_has_one_sign(tmp_path: Path) -> None:
    dis = corridors.disrupt(["red-sea-risk"], runs=0, market=False)
    top = max(dis.to_json()["who_gains"], key=lambda g: g["revenue_change_usd"])
    bt = corridors.backtest(runs=0)
    b = SimpleNamespace(results={"corridors": {"disruptions": {"red-sea-risk": dis},
                                               "backtest": bt}},
                        settings=SimpleNamespace(seed=1))
    html, md = _corridors(b, tmp_path, {})  # type: ignore[arg-type]
    text = html + "\n".join(md)
    assert "+-" not in text and "-+" not in text and "+\u2212" not in text
    sign = "+" if top["revenue_change_usd"] > 0 else "\u2212"  # a true minus sign (U+2212)
    assert f"{top['iso3']} ({sign}" in text
