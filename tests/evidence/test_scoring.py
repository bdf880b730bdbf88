"""Brier score, skill against climatology, reliability and the dyad bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.errors import ParameterError
from tightrope.evidence.scoring import brier, reliability, score


def test_perfect_forecast_has_skill_one_and_climatology_zero() -> None:
    y = np.array([0, 0, 1, 0, 1, 0, 0, 0], dtype=float)
    cl = np.arange(8)
    perfect = score(y.copy(), 0.25, y, cl, seed=0, reps=50)
    assert perfect.brier == 0 and perfect.skill == pytest.approx(1.0)
    same = score(np.full(8, 0.25), 0.25, y, cl, seed=0, reps=50)
    assert same.skill == pytest.approx(0.0) and not same.has_skill
    assert "NO" in same.verdict()


def test_bootstrap_is_seeded_and_reported() -> None:
    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.1).astype(float)
    p = np.clip(y * 0.5 + 0.05, 0, 1)
    cl = np.repeat(np.arange(20), 10)
    a, b = score(p, 0.1, y, cl, seed=3, reps=100), score(p, 0.1, y, cl, seed=3, reps=100)
    assert (a.skill_low, a.skill_high) == (b.skill_low, b.skill_high)
    assert a.to_json()["bootstrap"] == {"reps": 100, "seed": 3, "resamples": "dyads"}
    assert a.skill_low <= a.skill <= a.skill_high


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=60))
def test_reliability_bins_cover_every_forecast(rows: list[tuple[float, bool]]) -> None:
    p = np.array([r[0] for r in rows])
    y = np.array([float(r[1]) for r in rows])
    tab = reliability(p, y)
    assert sum(b["n"] for b in tab) == len(p)
    for b in tab:
        assert b["low"] <= b["forecast"] <= b["high"] and 0 <= b["observed"] <= 1
    assert 0 <= brier(p, y) <= 1


def test_bad_forecasts_are_refused() -> None:
    with pytest.raises(ParameterError):
        score(np.array([1.2]), 0.1, np.array([1.0]), np.array([0]))
    with pytest.raises(ParameterError):
        brier(np.array([]), np.array([]))
