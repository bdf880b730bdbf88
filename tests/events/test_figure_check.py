"""The figure check (tests/report/test_figure_check.py) on the relation-temperature figures:
the report's and briefing's PNGs and the Plotly panel the dashboard's events route returns."""

from __future__ import annotations

from pathlib import Path

from tests.report.test_figure_check import check_mpl, check_plotly
from tightrope.events import panel, temperature
from tightrope.report.events import (
    panel_figure,
    plot_panel,
    plot_temperature,
    temperature_figure,
)
from tightrope.store import open_store


def test_temperature_figures_meet_the_standard(icews_db: Path, tmp_path: Path,
                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    saved: list[Figure] = []
    savefig = Figure.savefig

    def keep(self: Figure, *a: object, **k: object) -> None:
        saved.append(self)
        savefig(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "savefig", keep)
    with open_store(icews_db) as s:
        t = temperature(s, "KAZ", "RUS", "2005-01", "2015-12")
        p = panel(s, "KAZ", ["RUS", "CHN", "USA", "EUU", "TUR", "IRN"], "2005-01", "2015-12")
    plot_temperature(t, tmp_path / "t.png")
    plot_panel(p, tmp_path / "p.png")
    assert len(saved) == 2
    for i, fig in enumerate(saved):
        check_mpl(fig, f"temperature png {i}")
    check_plotly(temperature_figure(t), "temperature figure")
    check_plotly(panel_figure(p), "panel figure (dashboard events route)")
