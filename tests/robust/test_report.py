"""The robust report: every chart is in the offline page; the PNG is written."""

from __future__ import annotations

from pathlib import Path

from tightrope.minefield.robust import RobustResult
from tightrope.report.robust import robust_html, write_robust_png


def test_html_has_every_chart_and_table(small_study: RobustResult) -> None:
    page = robust_html(small_study)
    for div in ('id="distribution"', 'id="pareto"', 'id="prim-tradeoff-0f"', 'id="prim-box-0f"',
                'id="sobol"'):
        assert div in page, div
    for text in ("Robustness", "Pareto front", "Scenario discovery", "Sobol", "quasi-p",
                 small_study.robustness[0].strategy, "Provenance"):
        assert text in page, text
    assert "<script src=" not in page  # offline: plotly.js is inlined


def test_png(small_study: RobustResult, tmp_path: Path) -> None:
    out = tmp_path / "robust.png"
    write_robust_png(small_study, out)
    assert out.read_bytes()[:4] == b"\x89PNG" and out.stat().st_size > 20_000
