"""Back-test of the market model: periods kept apart, the table's structure, the verdict rules
and the goal of issue 15."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tightrope import corridors
from tightrope.corridors.backtest import direction, observed_change, within
from tightrope.corridors.data import Observation, _observations, load_data
from tightrope.errors import InputError
from tightrope.ingest.yamlio import read_structured


@pytest.fixture(scope="module")
def result() -> corridors.BacktestResult:
    return corridors.backtest(runs=3, seed=11)


def _obs(**kw: object) -> Observation:
    base: dict[str, object] = {
        "id": "x", "what": "w", "period": "p", "quantity": "teu.northern", "change": "pct",
        "years": (2022, 2023), "before": 100.0, "after": 51.0, "unit": "TEU",
        "observed_text": "", "sources": ()}
    base.update(kw)
    return Observation(**base)  # type: ignore[arg-type]


def test_every_observation_has_a_row_with_band_and_flags(
        result: corridors.BacktestResult) -> None:
    j = result.to_json()
    assert j["schema"] == "tightrope.corridors.backtest/2"
    assert [r["id"] for r in j["rows"]] == [o.id for o in load_data().observations]
    for r in j["rows"]:
        assert r["observed"]["sources"]
        assert r["direction"] in {"right", "wrong", "flat"}
        assert isinstance(r["within_50pct"], bool)
        lo, hi = r["model"]["band"]
        assert lo is not None and hi is not None and lo <= hi
        assert r["miss_reason"] is None or r["miss_reason"].strip()
    assert j["manifest"]["parameters"]["runs"] == 3 and j["manifest"]["seed"] == 11


def test_calibration_and_back_test_periods_do_not_overlap(
        result: corridors.BacktestResult) -> None:
    j = result.to_json()
    cal_years = {int(t["target"].rsplit(".", 1)[1]) for t in j["calibration"]["targets"]}
    assert max(cal_years) <= 2021
    for r in j["rows"]:
        assert max(r["years"]) > 2021  # every compared change ends out of sample
    assert j["periods"] == {"calibration": [2019, 2021], "back_test": [2022, 2023, 2024]}


def test_the_calibration_fits_its_2019_2021_targets(result: corridors.BacktestResult) -> None:
    cal = result.calibration
    assert cal.converged
    assert all(abs(r) < 0.1 for r in cal.residuals.values())
    assert set(cal.targets) == {"northern_teu.2019", "northern_teu.2021", "middle_teu.2021",
                                "middle_t.2021"}


def test_the_goal_of_issue_15(result: corridors.BacktestResult) -> None:
    """Direction right in every row; >= 4 of the 6 headline rows within +/-50%."""
    g = result.goal()
    assert g["headline_rows"] == 6
    assert g["direction_right_in_every_row"]
    assert g["headline_within_50pct"] >= 4 and g["met"]
    # each missed row says what the model lacks
    missed = [r for r in result.rows if not r.hit]
    assert len(result.misses()) == len(missed)
    assert all(r.observation.lacks for r in missed)


def test_a_red_sea_closure_moves_prices_not_only_routes(
        result: corridors.BacktestResult) -> None:
    rows = {r.observation.id: r for r in result.rows}
    assert rows["red-sea-rates-2024"].model > 1.0  # the rate more than doubles
    assert rows["red-sea-cape-2024"].model > 0.8
    assert 8 < rows["red-sea-days-2024"].model < 15


def test_verdict_rules() -> None:
    o = _obs()
    assert observed_change(o) == pytest.approx(-0.49)
    assert direction(o, -0.3) == "right" and direction(o, 0.3) == "wrong"
    assert direction(o, 0.005) == "flat"
    assert within(o, -0.49 * 1.5) and within(o, -0.49 * 0.5)
    assert not within(o, -0.49 * 1.51) and not within(o, -0.49 * 0.49)
    assert not within(o, 0.49) and not within(o, math.inf)
    days = _obs(quantity="sea_days", change="diff", before=0.0, after=12.0, unit="days")
    assert observed_change(days) == 12 and direction(days, 0.05) == "flat"


def test_an_observation_inside_the_calibration_period_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "observed.yaml"
    f.write_text("observations:\n  - {id: a, what: w, period: p, quantity: teu.northern, "
                 "change: pct, years: [2019, 2021], before: 1, after: 2, unit: TEU, "
                 "observed_text: t, sources: [rzd-2021]}\n", encoding="utf-8")
    with pytest.raises(InputError, match="calibration period"):
        _observations(read_structured(f), dict(load_data().network.sources))
    f.write_text(f.read_text(encoding="utf-8").replace("quantity: teu.northern",
                                                       "quantity: teu.moon"), encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        _observations(read_structured(f), dict(load_data().network.sources))
