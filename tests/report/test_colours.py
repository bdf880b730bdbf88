"""Every line of the multi-series charts has its own (colour, line style), told apart at a
glance: cumulative P(catastrophe), bargaining positions, temperature panels."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex

from tightrope.bargaining import forecast, load_actors
from tightrope.minefield import compare
from tightrope.report.bargaining import positions_figure
from tightrope.report.minefield import _cumulative_figure
from tightrope.report.palette import style

from .styles import assert_distinguishable


def test_palette_itself() -> None:
    assert_distinguishable([style(i) for i in range(32)])


def test_cumulative_catastrophe_lines() -> None:
    comp = compare("kazakhstan-2023", "all", runs=100, seed=1)
    fig = _cumulative_figure(comp.results)
    assert len(fig.data) == len(comp.results) >= 8
    assert_distinguishable([(tr.line.color, tr.line.dash or "solid") for tr in fig.data])


@pytest.mark.parametrize("example", ["kaz-sanctions", "ec-car-emissions"])
def test_bargaining_actor_lines(example: str) -> None:
    res = forecast(load_actors(example))
    fig = positions_figure(res)
    ax = fig.axes[0]
    names = set(res.trajectory.names)
    lines = [ln for ln in ax.get_lines() if ln.get_label() in names]
    assert len(lines) == len(names) > 8
    assert_distinguishable([(to_hex(ln.get_color()), str(ln.get_linestyle())) for ln in lines])
