"""PRIM recovers a planted box; it agrees with EMA Workbench's PRIM on the same data."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tightrope.minefield.robust import prim, prim_ema


def planted(n: int = 1500, d: int = 8, noise: float = 0.0, seed: int = 1
            ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Cases of interest where x0 > 0.6 and x3 < 0.3 (18% of a uniform cube), plus noise."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, d))
    y = (x[:, 0] > 0.6) & (x[:, 3] < 0.3)
    flip = rng.random(n) < noise
    return x, y ^ flip, [f"x{j}" for j in range(d)]


def test_planted_box_is_recovered() -> None:
    x, y, names = planted()
    r = prim(x, y, names, threshold=0.9)
    box = r.box
    assert {q.name for q in r.restrictions} == {"x0", "x3"}
    assert box.coverage >= 0.9 and box.density >= 0.9
    lim = {q.name: q for q in r.restrictions}
    assert lim["x0"].low == pytest.approx(0.6, abs=0.05) and lim["x0"].high == lim["x0"].full_high
    assert lim["x3"].high == pytest.approx(0.3, abs=0.05) and lim["x3"].low == lim["x3"].full_low
    assert all(q.qp < 1e-6 for q in r.restrictions)


def test_trajectory_trades_coverage_for_density() -> None:
    x, y, names = planted(noise=0.05)
    r = prim(x, y, names, paste=False)
    tr = r.trajectory
    assert tr[0].coverage == 1.0 and tr[0].mass == 1.0 and tr[0].res_dim == 0
    assert tr[0].density == pytest.approx(y.mean())
    cov = [s.coverage for s in tr]
    mass = [s.mass for s in tr]
    assert all(a >= b for a, b in itertools.pairwise(cov))  # peeling only removes
    assert all(a > b for a, b in itertools.pairwise(mass))
    assert min(mass) >= 0.05 - 1e-12
    assert max(s.density for s in tr) > 0.85
    assert r.to_json()["box"]["coverage"] == r.box.coverage


def test_noise_dimension_is_not_significant() -> None:
    x, y, names = planted(noise=0.1, n=800, seed=4)
    r = prim(x, y, names, threshold=0.7)
    # the two planted dimensions are restricted, strongly; the six noise dimensions are not
    assert {q.name for q in r.restrictions} == {"x0", "x3"}
    assert all(q.qp < 1e-6 for q in r.restrictions)


def test_needs_cases_of_interest() -> None:
    x, _, names = planted()
    with pytest.raises(ValueError, match="no case"):
        prim(x, np.zeros(len(x), dtype=bool), names)
    with pytest.raises(ValueError, match="names"):
        prim(x, np.ones(len(x), dtype=bool), names[:-1])


@pytest.mark.slow
def test_agrees_with_ema_workbench() -> None:
    pytest.importorskip("ema_workbench")
    x, y, names = planted(n=1000, d=6)
    ours = prim(x, y, names)
    theirs = prim_ema(x, y, names)
    assert theirs.backend == "ema_workbench"
    assert {q.name for q in ours.restrictions} == {q.name for q in theirs.restrictions}
    assert ours.box.coverage == pytest.approx(theirs.box.coverage, abs=0.05)
    assert ours.box.density == pytest.approx(theirs.box.density, abs=0.05)
    assert abs(len(ours.trajectory) - len(theirs.trajectory)) <= 5


def test_screening_keeps_the_planted_dimensions_among_many() -> None:
    x, y, names = planted(n=600, d=60, seed=7)  # 58 pure-noise dimensions
    r = prim(x, y, names)
    assert set(r.screened) == {"x0", "x3"}
    assert {q.name for q in r.restrictions} == {"x0", "x3"}
    unscreened = prim(x, y, names, screening=False, max_qp=None)
    assert unscreened.screened == [] and unscreened.box.res_dim >= r.box.res_dim
