"""Rendering: PNG charts and Plotly figures from temperature results."""

from __future__ import annotations

from pathlib import Path

from tightrope.events import panel, temperature
from tightrope.report.events import panel_figure, plot_temperature, temperature_figure
from tightrope.store import open_store


def test_png_and_plotly(icews_db: Path, tmp_path: Path) -> None:
    with open_store(icews_db) as s:
        t = temperature(s, "KAZ", "IRN", "2005-01", "2015-12")
        p = panel(s, "KAZ", ["RUS", "CHN"], "2013-01", "2015-12")
    png = plot_temperature(t, tmp_path / "sub" / "t.png")
    assert png.read_bytes()[:4] == b"\x89PNG"
    fig = temperature_figure(t)
    names = [tr.name for tr in fig.data]
    assert "KAZ → IRN smoothed" in names and "IRN → KAZ monthly" in names
    assert len(panel_figure(p).data) == 4
