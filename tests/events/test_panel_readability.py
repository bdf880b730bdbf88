"""Temperature panels for readers: distinct lines, a y-axis label with units, change points
drawn as vertical lines in the row they belong to."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.report.styles import assert_distinguishable
from tightrope.events import panel
from tightrope.events.temperature import Panel
from tightrope.report.events import panel_figure
from tightrope.store import open_store

POWERS = ["RUS", "CHN", "USA", "EUU", "TUR", "IRN"]


@pytest.fixture(scope="module")
def pan(icews_db: Path) -> Panel:
    with open_store(icews_db, read_only=True) as s:
        return panel(s, "KAZ", POWERS, "2008-01", "2015-12")


def test_lines_are_distinguishable(pan: Panel) -> None:
    fig = panel_figure(pan)
    assert len(fig.data) == 2 * len(POWERS)
    assert_distinguishable([(tr.line.color, tr.line.dash or "solid") for tr in fig.data])


def test_y_axes_have_a_label_with_units(pan: Panel) -> None:
    fig = panel_figure(pan)
    axes = [fig.layout[k] for k in fig.layout if str(k).startswith("yaxis")]
    assert len(axes) == len(POWERS)
    for ax in axes:
        assert "Goldstein" in ax.title.text and "10" in ax.title.text


def test_change_points_are_drawn(pan: Panel) -> None:
    listed = [(row, str(cp["month"])) for row, t in enumerate(pan.results, start=1)
              for s in (t.outbound, t.inbound) for cp in s.change_points]
    assert listed, "the fixture should have change points to draw"
    fig = panel_figure(pan)
    drawn: list[tuple[int, str]] = []
    for shape in fig.layout.shapes:
        sh: Any = shape
        if sh.type == "line" and sh.x0 == sh.x1:
            xref = sh.xref or "x"
            row = int(xref[1:].split(" ")[0] or 1) if xref != "x" else 1
            drawn.append((row, str(sh.x0)))
    assert sorted(drawn) == sorted(listed)


def test_mean_goldstein_to_three_figures(pan: Panel) -> None:
    from tightrope.report.events import panel_section

    html = panel_section(pan, [])
    cells = re.findall(r"<td>[\d,]+</td><td>([^<]*)</td>", html)
    assert len(cells) == 2 * len(POWERS)
    for c in cells:
        if c != "unknown":
            digits = c.replace("\u2212", "").replace(".", "").lstrip("0")
            assert len(digits) <= 3, c
