"""The fused Numba kernel gives exactly the NumPy engine's results for the same seed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tightrope.minefield import (
    Balancer,
    Bandwagon,
    FixedSequence,
    Isolation,
    Scenario,
    Strategy,
    compile_model,
    run_engine,
)
from tightrope.minefield.kernel import have_numba
from tightrope.minefield.rng import BLOCK

pytestmark = pytest.mark.skipif(not have_numba(), reason="Numba is not installed")

FIELDS = ("catastrophe", "cat_quarter", "cat_kind", "cat_power", "cat_move", "cat_band", "gain",
          "autonomy", "cum_catastrophe", "gain_parts", "move_share", "fan", "exposure")


def _assert_identical(x: Any, y: Any) -> None:
    for f in FIELDS:
        u, v = getattr(x, f), getattr(y, f)
        assert (u is None) == (v is None), f
        if u is not None:
            assert u.dtype == v.dtype, f
            np.testing.assert_array_equal(u, v, err_msg=f, strict=True)


def _strategies(sc: Scenario) -> list[Strategy]:
    moves = [m.key for m in sc.moves]
    return [Balancer(sc.lever("balancer.floor").value, sc.respect_red_lines), Isolation(),
            Bandwagon(sc.power_keys[0]), FixedSequence("fixed", tuple(moves[:3]))]


@pytest.mark.parametrize("name", ["tiny", "kazakhstan", "jordan"])
@pytest.mark.parametrize("seed", [1, 2024])
def test_numba_kernel_equals_numpy_engine(name: str, seed: int,
                                          request: pytest.FixtureRequest) -> None:
    """Every strategy, both precisions, with and without the analysis outputs."""
    sc: Scenario = request.getfixturevalue(name)
    md = compile_model(sc)
    for st in _strategies(sc):
        for dtype, analysis in ((np.float32, True), (np.float64, False)):
            kw: dict[str, Any] = {"dtype": dtype, "analysis": analysis, "fan_runs": 200}
            x = run_engine(md, st, 600, seed, kernel="numpy", **kw)
            y = run_engine(md, st, 600, seed, kernel="numba", **kw)
            _assert_identical(x, y)
            assert 0 < x.catastrophe.sum() < x.catastrophe.size  # both outcomes covered


def test_numba_kernel_equals_numpy_engine_on_sampled_parameters(kazakhstan: Scenario) -> None:
    """Several parameter samples at once (the robust sweeps' layout), every uncertainty."""
    rng = np.random.default_rng(5)
    values = {p.name: rng.uniform(p.low, p.high, 6) for p in kazakhstan.uncertainties()}
    md = compile_model(kazakhstan, values)
    floors = rng.uniform(-0.3, 0.5, 6)
    for st in (Balancer(floors, True), Isolation()):
        x = run_engine(md, st, 700, 3, kernel="numpy", fan_runs=200)
        y = run_engine(md, st, 700, 3, kernel="numba", fan_runs=200)
        _assert_identical(x, y)


def test_numba_kernel_equals_numpy_engine_past_a_block(tiny: Scenario) -> None:
    """Runs starting in a later stream block, and a run count that is not a whole tile."""
    md = compile_model(tiny, horizon=5)
    for first_run, runs in ((0, 1), (BLOCK, 999)):
        x = run_engine(md, Isolation(), runs, 4, first_run=first_run, kernel="numpy")
        y = run_engine(md, Isolation(), runs, 4, first_run=first_run, kernel="numba")
        _assert_identical(x, y)


def test_kernel_refuses_ladders_whose_cuts_increase(tiny: Scenario) -> None:
    """The kernel reads the rung reached from the last cut passed, so it needs cuts that do
    not increase along a ladder (compile_model nests them); anything else is refused."""
    from dataclasses import replace

    from tightrope.minefield.kernel import FusedTables

    md = compile_model(tiny)
    FusedTables(md, np.dtype(np.float32))  # the compiled model passes
    for field in ("reward_cut", "coerce_cut"):
        bad = replace(md, **{field: getattr(md, field)[..., ::-1].copy()})
        with pytest.raises(ValueError, match="increase along the ladder"):
            FusedTables(bad, np.dtype(np.float32))
