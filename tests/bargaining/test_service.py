"""The forecast service, the Monte Carlo and the chart."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tightrope.bargaining as bargaining
from tightrope.bargaining import EXAMPLES, SCHEMA, forecast, load_actors, sample_inputs
from tightrope.bargaining.montecarlo import triangular
from tightrope.errors import InputError


def test_public_api_is_declared() -> None:
    for name in bargaining.__all__:
        assert hasattr(bargaining, name), name


def test_forecast_json_is_complete_and_serialisable() -> None:
    res = forecast("ec-car-emissions", "bdm", rounds=5)
    doc = json.loads(json.dumps(res.to_json()))
    assert doc["schema"] == SCHEMA
    man = doc["manifest"]
    variant = man["parameters"]["variant"]
    assert variant["name"] == "bdm" and variant["probability"] == "pairwise"
    assert len(man["inputs"][0]["sha256"]) == 64 and man["seed"] is None
    assert doc["rounds"][0]["round"] == 0 and len(doc["rounds"]) == res.trajectory.rounds + 1
    actor = doc["rounds"][1]["actors"][0]
    assert set(actor) == {"actor", "position", "offer", "partner", "risk_exponent"}
    assert doc["forecast"]["status"] in {"converged", "cycle", "unsettled"}
    assert doc["monte_carlo"] is None


@pytest.mark.parametrize("name", list(EXAMPLES))
@pytest.mark.parametrize("variant", ["scholz", "bdm"])
def test_examples_run(name: str, variant: str) -> None:
    res = forecast(name, variant, rounds=25)
    st = res.trajectory.settlement
    lo, hi = res.actors.position.min(), res.actors.position.max()
    assert lo <= st.median_range[0] <= st.median_range[1] <= hi
    assert lo <= st.mean_range[0] <= st.mean_range[1] <= hi
    assert np.all((res.trajectory.risk >= 0.5) & (res.trajectory.risk <= 2.0))


def test_stops_early_when_settled() -> None:
    res = forecast("kaz-middle-corridor", rounds=200)
    st = res.trajectory.settlement
    assert st.status in ("converged", "cycle")
    assert res.trajectory.rounds == st.round < 200


def test_monte_carlo_is_seeded() -> None:
    a = forecast("kaz-sanctions", rounds=15, runs=40, seed=7).monte_carlo
    b = forecast("kaz-sanctions", rounds=15, runs=40, seed=7).monte_carlo
    c = forecast("kaz-sanctions", rounds=15, runs=40, seed=8).monte_carlo
    assert a is not None and b is not None and c is not None
    np.testing.assert_array_equal(a.medians, b.medians)
    assert not np.array_equal(a.means, c.means)
    s = a.summary()
    q = [s["mean"][k] for k in ("p05", "p25", "p50", "p75", "p95")]
    assert q == sorted(q)
    assert sum(s["status_share"].values()) == pytest.approx(1.0)
    assert s["seed"] == 7


def test_monte_carlo_needs_ranges_or_spread() -> None:
    with pytest.raises(InputError, match="needs input ranges"):
        forecast("ec-car-emissions", runs=10)
    res = forecast("ec-car-emissions", rounds=5, runs=10, seed=1, spread=0.1)
    assert res.monte_carlo is not None and res.to_json()["manifest"]["parameters"]["runs"] == 10


def test_sampling_respects_ranges_and_mode() -> None:
    a = load_actors("kaz-sanctions")
    d = sample_inputs(a, 4000, np.random.default_rng(0))
    for f in ("capability", "position", "salience"):
        assert np.all(d[f] >= a.low[f]) and np.all(d[f] <= a.high[f])
    mean = d["position"].mean(axis=0)
    expected = (a.low["position"] + a.position + a.high["position"]) / 3  # triangular mean
    np.testing.assert_allclose(mean, expected, atol=0.6)
    assert triangular(np.array(2.0), np.array(2.0), np.array(2.0), np.array(0.3)) == 2.0


def test_bad_rounds_and_variant() -> None:
    with pytest.raises(InputError, match="rounds"):
        forecast("ec-car-emissions", rounds=0)
    with pytest.raises(InputError, match="unknown variant"):
        forecast("ec-car-emissions", "nash")
    with pytest.raises(InputError, match=r"Q is 1.5 \(expected a number in \[0, 1\]\)"):
        forecast("ec-car-emissions", q=1.5)


def test_chart_is_a_png(tmp_path: Path) -> None:
    from tightrope.report.bargaining import write_positions_png

    res = forecast("kaz-latin-script", rounds=10, runs=20, seed=1)
    p = write_positions_png(res, tmp_path / "chart.png")
    assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert p.stat().st_size > 10_000
