"""The balancer's compiled ``choose`` picks exactly the moves of its NumPy form."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.minefield import Balancer, Scenario, compile_model
from tightrope.minefield.kernel import have_numba
from tightrope.minefield.strategies import StrategyState

pytestmark = pytest.mark.skipif(not have_numba(), reason="Numba is not installed")


def _state(md: object, a: np.ndarray, compiled: bool) -> StrategyState:
    S, _, R = a.shape
    z = np.zeros((S, R), dtype=a.dtype)
    return StrategyState(0, md, a, a, z, z == 0,  # type: ignore[arg-type]
                         np.zeros((S, 0, R), dtype=bool), compiled=compiled)


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), samples=st.integers(1, 3),
       runs=st.integers(1, 1500), wide=st.booleans(), red_lines=st.booleans(),
       ties=st.booleans())
def test_compiled_choose_equals_numpy(kazakhstan: Scenario, seed: int, samples: int, runs: int,
                                      wide: bool, red_lines: bool, ties: bool) -> None:
    """Random attitudes and floors per sample, float32 and float64, more runs than one tile.

    Floors up to 0.9 leave many trajectories with no move keeping every power above the
    floor (the repair branch); the Kazakhstan scenario has 17 moves, so feasible sets can
    have their lowest bit above the first 16 (the NumPy form's second lookup chunk). With
    ``ties`` every power has the same reference attitude and attitudes take three values, so
    several powers are often equally far below the floor (the repair goes to the first).
    """
    rng = np.random.default_rng(seed)
    md = compile_model(kazakhstan, {p.name: rng.uniform(p.low, p.high, samples)
                                    for p in kazakhstan.uncertainties()})
    shape = (samples, len(md.powers), runs)
    if ties:
        md = replace(md, a0=np.zeros_like(md.a0))
        a64 = rng.choice([-1.0, -0.5, 0.0], shape)
    else:
        a64 = rng.uniform(-1, 1, shape)
    b = Balancer(rng.uniform(-0.5, 0.9, samples), red_lines)
    a = a64.astype(np.float64 if wide else np.float32)
    expect = b.choose(_state(md, a, compiled=False))
    got = b.choose(_state(md, a, compiled=True))
    np.testing.assert_array_equal(got, expect)


def test_both_branches_are_exercised(kazakhstan: Scenario) -> None:
    """Repairs, and choices ranked past the 16th move (the NumPy form's second 16-bit chunk).

    Gains are reordered so that the safest move (highest smallest attitude effect) earns the
    least: under a high floor it is often the only feasible move, and it is ranked last.
    """
    base = compile_model(kazakhstan)
    md = replace(base, move_gain=base.move_att.min(axis=2))
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (1, len(md.powers), 20_000)).astype(np.float32)
    b = Balancer(0.5, respect_red_lines=False)
    m = b.choose(_state(md, a, compiled=True))
    plan = b.plan(md)
    rank = np.argsort(plan.order[0])[m[0]]
    expected = a[0] + md.reversion[0] * (md.a0[0, :, None] - a[0])
    floor_met = np.all(expected + md.move_att[0][m[0]].T >= 0.5, axis=0)
    assert (~floor_met).any()  # repairs happened
    assert (rank >= 16).any()  # some choices sit in the second 16-bit chunk
    np.testing.assert_array_equal(m, b.choose(_state(md, a, compiled=False)))
