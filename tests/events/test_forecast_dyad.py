"""The dyad class forecast: its maths, the CLI command and the calibration the docs report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.clirun import run
from tightrope.events.forecast_dyad import (
    DyadForecastParams,
    backtest,
    base_rate,
    climatology,
    forecast_shares,
)
from tightrope.store import open_store

counts_st = st.integers(1, 30).flatmap(
    lambda m: arrays(np.float64, (m, 4), elements=st.integers(0, 50).map(float)))
params_st = st.builds(DyadForecastParams, st.floats(0.5, 300), st.floats(0.05, 100),
                      st.sampled_from([0.5, 0.8, 0.9, 0.95]))


@settings(max_examples=80, deadline=None)
@given(counts_st, params_st, st.integers(1, 4))
def test_shares_sum_to_one_and_intervals_hold_the_point(counts: np.ndarray,
                                                         p: DyadForecastParams, h: int) -> None:
    pt, lo, hi, b = forecast_shares(counts, p, h)
    assert pt.shape == lo.shape == hi.shape == (h, 4)
    assert np.allclose(pt.sum(axis=1), 1.0)
    assert np.isclose(b.sum(), 1.0)
    assert (lo >= 0).all() and (hi <= 1).all()
    assert (lo <= pt + 1e-12).all() and (pt <= hi + 1e-12).all()


@settings(max_examples=50, deadline=None)
@given(counts_st, params_st)
def test_forecasts_further_ahead_move_toward_the_base_rate(counts: np.ndarray,
                                                           p: DyadForecastParams) -> None:
    pt, _, _, b = forecast_shares(counts, p, 3)
    dist = np.abs(pt - b).sum(axis=1)
    assert (np.diff(dist) <= 1e-12).all()


def test_a_month_of_one_class_pulls_the_forecast_to_it() -> None:
    counts = np.zeros((12, 4))
    counts[:, 0] = 5
    counts[-1] = [0, 0, 0, 20]
    short, _, _, _ = forecast_shares(counts, DyadForecastParams(1.0, 1.0), 1)
    long, _, _, _ = forecast_shares(counts, DyadForecastParams(240.0, 1.0), 1)
    assert short[0, 3] > 0.5 > long[0, 3]


def test_backtest_brier_of_a_perfect_and_a_stationary_series() -> None:
    counts = np.zeros((24, 2))
    counts[:, 0] = 10  # every event is class 0: the climatology is exact
    bt = backtest([counts], 12, DyadForecastParams(6.0, 1.0))
    assert bt.brier_base == 0.0 and bt.events == 120 and bt.months == 12
    # the model keeps a little base-rate weight on class 1 (half a Jeffreys event)
    assert 0 < bt.brier_model < 1e-3
    assert climatology(counts).tolist() == [1.0, 0.0]
    assert base_rate(counts)[1] > 0


@pytest.fixture
def store_copy(icews_db: Path, tmp_path: Path) -> Path:
    p = tmp_path / "copy.duckdb"
    shutil.copy(icews_db, p)
    return p


def test_forecast_command_json_table_png(store_copy: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(store_copy)]
    code, out, _ = run(["events", "forecast", "KAZ", "RUS", "--json", *db], capsys)
    assert code == 0
    d = json.loads(out)
    assert d["history_to"] == "2015-12"
    for part in ("quad_class", "cameo_root"):
        assert [x["source"] for x in d[part]] == ["KAZ", "RUS"]
        for direction in d[part]:
            assert [m["month"] for m in direction["months"]] == ["2016-01", "2016-02", "2016-03"]
            for m in direction["months"]:
                assert sum(c["p"] for c in m["classes"]) == pytest.approx(1, abs=1e-3)
                assert all(c["lo"] <= c["p"] <= c["hi"] for c in m["classes"])
    assert len(d["cameo_root"][0]["months"][0]["classes"]) == 20
    png = tmp_path / "f.png"
    code, out, err = run(["events", "forecast", "KAZ", "CHN", "--months", "2", "--png",
                          str(png), *db], capsys)
    assert code == 0 and "chart written" in err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "KAZ→CHN" in " ".join(out.split()) and "base rate" in out


def test_forecast_with_too_little_data_is_one_line_exit_4(store_copy: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    code, out, err = run(["events", "forecast", "KAZ", "BRA", "--db", str(store_copy)], capsys)
    assert code == 4 and out == ""
    assert "coded events between KAZ and BRA" in err and "at least 20" in err
    assert "Traceback" not in err
    code, _, err = run(["events", "forecast", "KAZ", "RUS", "--months", "0",
                        "--db", str(store_copy)], capsys)
    assert code == 2


def test_calibration_matches_what_docs_events_md_reports(icews_db: Path) -> None:
    """docs/events.md: 9 Kazakhstan dyads; on the 2015 held-out months (66 months with events,
    158 events) the forecast's Brier score is within 0.002 of climatology's (skill about 0)."""
    from tightrope.events.forecast_calibration import calibrate

    with open_store(icews_db, read_only=True) as s:
        c = calibrate(s)
    assert len(c.dyads) == 9 and "KAZ-RUS" in c.dyads
    assert (c.params.half_life_months, c.params.prior_events) == (240.0, 1.0)
    assert (c.held_out.months, c.held_out.events) == (66, 158)
    assert abs(c.held_out.brier_model - c.held_out.brier_base) < 0.002
    assert -0.05 < c.held_out.skill < 0.05
