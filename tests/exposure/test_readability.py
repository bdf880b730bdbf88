"""Exposure figures: every power in the threat-ring table is drawn; ticks are readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.exposure import ExposureResult, ExposureSettings, exposure_profile
from tightrope.report.exposure import exposure_figures
from tightrope.store import open_store


@pytest.fixture(scope="module", params=["KAZ", "VNM"])
def res(request: pytest.FixtureRequest, loaded_db: Path) -> ExposureResult:
    with open_store(loaded_db, read_only=True) as s:
        return exposure_profile(s, request.param, ExposureSettings(runs=200, seed=3))


def test_threat_ring_draws_every_neighbour_in_the_table(res: ExposureResult) -> None:
    fig = exposure_figures(res)["threat"]
    drawn = {x for tr in fig.data for x in tr.x}
    table = {n["name"] for n in res.threat.neighbours}
    assert table and drawn == table


def test_threat_ring_tick_labels_differ(res: ExposureResult) -> None:
    fig = exposure_figures(res)["threat"]
    labels = list(fig.layout.yaxis.ticktext)
    assert len(labels) > 1 and len(set(labels)) == len(labels)


def test_balance_points_inside_their_drawn_band(res: ExposureResult) -> None:
    import math

    from tightrope.report.exposure import BAND_CAPTION

    fig = exposure_figures(res)["balance"]
    bar = fig.data[0]
    m = res.matrix
    mc_lo = [*m.channel_band[0], m.overall_band[0]]
    mc_hi = [*m.channel_band[1], m.overall_band[1]]
    checked = 0
    for v, up, down, lo, hi in zip(bar.y, bar.error_y.array, bar.error_y.arrayminus, mc_lo,
                                   mc_hi, strict=True):
        if v is None:
            continue
        assert up >= 0 and down >= 0  # the point lies inside [v - down, v + up]
        assert v - down <= lo + 1e-12 or math.isnan(lo)  # ... which covers the MC band
        assert v + up >= hi - 1e-12 or math.isnan(hi)
        checked += 1
    assert checked >= 3
    assert BAND_CAPTION in fig.layout.title.text.replace("<br>", " ")


def test_drawn_band_contains_point_and_band() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from tightrope.report.exposure import drawn_band

    unit = st.floats(0, 1)

    @given(unit, unit, unit)
    def check(v: float, a: float, b: float) -> None:
        lo, hi = drawn_band(v, min(a, b), max(a, b))
        assert lo <= v <= hi and lo <= min(a, b) and hi >= max(a, b)

    check()
