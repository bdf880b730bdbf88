"""The back-test design: fit years never see test years; scores carry their intervals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tightrope.evidence import backtest as bt
from tightrope.evidence.mids import CLASSES, dyad_years


def test_forecasts_do_not_read_the_test_years(shared_data: Path) -> None:
    d = dyad_years(shared_data, CLASSES["russia_post_soviet"]).assign(
        y=lambda x: (x.hostlev >= 4).astype(int))
    fit, test = d[d.year <= bt.FIT_LAST_YEAR], d[d.year > bt.FIT_LAST_YEAR]
    p1, c1 = bt._pooled_forecast(fit, test, "y", ["a", "b"], 0)
    flipped = test.assign(y=1 - test.y)  # changing every test outcome changes no forecast
    p2, c2 = bt._pooled_forecast(fit, flipped, "y", ["a", "b"], 0)
    assert np.array_equal(p1, p2) and c1 == c2
    assert test.year.min() == 2008 and fit.year.max() == 2007


def test_mid_backtest_reports_skill_with_intervals(shared_data: Path) -> None:
    rows = bt.mid_backtest(shared_data, seed=0, reps=100)
    keys = {r.key for r in rows}
    assert {"mid.russia_post_soviet.force", "mid.china_neighbours.onset",
            "mid.russia_and_china.display"} <= keys
    for r in rows:
        j = r.to_json()
        lo, hi = j["skill_interval"]
        assert lo <= j["skill"] <= hi or j["events"] == 0
        assert j["n"] == {"russia": 7 * 14, "china": 7 * 16}.get(r.key.split(".")[1][:5],
                                                                  j["n"])
        assert j["bootstrap"]["seed"] == 0


def test_icews_backtest_uses_data_before_2014_for_the_static_forecast(
        shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tightrope.evidence import icews

    real = icews.coercion_quarters(shared_data)
    rows = {r.key.rsplit(".", 1)[1]: r for r in bt.icews_backtest(shared_data, seed=0,
                                                                  reps=50)}
    # blank every 2014-15 outcome and every temperature after 2014Q1 (the 2014Q1 bin is
    # computed from 2013 events): the static forecasts must not move, the others must
    blanked = real.copy()
    blanked.loc[blanked.quarter >= pd.Period("2014Q1", freq="Q"), "coercion"] = 0
    blanked.loc[blanked.quarter >= pd.Period("2014Q2", freq="Q"), "bin"] = "none"
    monkeypatch.setattr(bt, "coercion_quarters", lambda _s: blanked)
    again = {r.key.rsplit(".", 1)[1]: r for r in bt.icews_backtest(shared_data, seed=0,
                                                                   reps=50)}

    def forecasts(r: bt.BacktestRow) -> list[tuple[int, float]]:
        return [(b["n"], round(b["forecast"], 12)) for b in r.score.reliability]

    assert forecasts(rows["static"]) == forecasts(again["static"])
    assert forecasts(rows["one_quarter_ahead"]) != forecasts(again["one_quarter_ahead"])
    assert rows["static"].score.n == 8 * 17


def test_loco_scores_every_country_once(shared_data: Path) -> None:
    rows = bt.loco_backtest(shared_data, seed=0, reps=50)
    assert [r.key for r in rows] == ["mid_loco.force", "mid_loco.occupation_or_war"]
    assert all(r.score.clusters >= 25 for r in rows)
