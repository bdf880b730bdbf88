"""Back-test: the table's structure, the verdict rules, and what the model gets right."""

from __future__ import annotations

import math

import pytest

from tightrope import corridors
from tightrope.corridors.backtest import _magnitude, observed_change
from tightrope.corridors.data import Observation, load_data


@pytest.fixture(scope="module")
def result() -> corridors.BacktestResult:
    return corridors.backtest(runs=8, seed=11)


def test_every_observation_has_a_row_for_both_methods(result: corridors.BacktestResult) -> None:
    j = result.to_json()
    assert [r["id"] for r in j["rows"]] == [o.id for o in load_data().observations]
    for r in j["rows"]:
        assert set(r["model"]) == {"mincost", "logit"}
        assert r["observed"]["sources"]
        for v in r["model"].values():
            assert v["direction"] in {"right", "wrong", "flat (model)"}
            lo, hi = v["band"]
            assert lo is None or lo <= hi
    assert {s["id"] for s in j["sources"]} >= {"erai-2023", "diplomat-2024"}
    assert j["manifest"]["parameters"]["runs"] == 8 and j["manifest"]["seed"] == 11


def test_what_the_model_gets_right_and_wrong(result: corridors.BacktestResult) -> None:
    rows = {r.observation.id: r for r in result.rows}
    north = rows["northern-2022-2023"]
    for m in ("mincost", "logit"):
        assert north.direction[m] == "right" and -1 < north.model[m] < 0
        assert north.bound[m] == pytest.approx(-1.0)  # the closure bound empties the route
    cape = rows["red-sea-cape-2024"]
    assert all(cape.model[m] > 0.8 for m in cape.model)
    # the model has no market for ships: it cannot produce the 2024 spot-rate spike
    rates = rows["red-sea-rates-2024"]
    assert all(rates.magnitude[m] == "too small" for m in rates.model)
    assert any("Shanghai-Europe sea freight rate" in x for x in result.misses())


def test_observed_changes_and_verdict_rules() -> None:
    obs = {o.id: o for o in load_data().observations}
    assert observed_change(obs["northern-2022-2023"]) == pytest.approx(211100 / 410600 - 1)
    assert observed_change(obs["middle-2022-2023"]) == pytest.approx(0.8)
    o = obs["northern-2022-2023"]
    pre = {"corridor.northern": 500_000.0}
    assert _magnitude(o, -0.45, pre) == "close"
    assert _magnitude(o, -0.2, pre) == "too small"
    assert _magnitude(o, -0.95, pre) == "too large"
    assert _magnitude(o, 0.3, pre) == "wrong direction"
    assert _magnitude(o, -0.5, {"corridor.northern": 10.0}).startswith("not comparable")
    days = Observation("d", "w", "p", "sea_days_change", 0, 12, "days", "", (), (), (),
                       after_low=10, after_high=14)
    assert _magnitude(days, 11, {}) == "close" and _magnitude(days, 9, {}) == "too small"
    assert math.isclose(observed_change(days), 12)
