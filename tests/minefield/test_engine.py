"""The vectorised engine: reproducibility, agreement with the per-trajectory loop, batches."""

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
    StrategyState,
    compile_model,
    evaluate_batch,
    run_engine,
)
from tightrope.minefield.reference import (
    ScalarModel,
    TrajectoryDraws,
    run_trajectory,
    scalar_policy,
)
from tightrope.minefield.rng import BLOCK, Streams


def _fields(raw: Any) -> list[np.ndarray]:
    return [raw.catastrophe, raw.cat_quarter, raw.cat_kind, raw.cat_power, raw.cat_move,
            raw.cat_band, raw.gain, raw.autonomy, raw.cum_catastrophe]


def test_same_seed_same_results_other_seed_differs(tiny: Scenario) -> None:
    md = compile_model(tiny)
    a = run_engine(md, Balancer(0.1), 3000, 5)
    b = run_engine(md, Balancer(0.1), 3000, 5)
    c = run_engine(md, Balancer(0.1), 3000, 6)
    for x, y in zip(_fields(a), _fields(b), strict=True):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.gain, c.gain)
    assert a.fan is not None and np.array_equal(a.fan, b.fan, equal_nan=True)


@pytest.mark.parametrize("name", ["tiny", "kazakhstan"])
def test_engine_equals_per_trajectory_loop(name: str, request: pytest.FixtureRequest) -> None:
    """Fed the same random numbers, the float64 engine and the plain-Python loop agree on
    every trajectory: catastrophe, its quarter and kind, gain and autonomy."""
    sc: Scenario = request.getfixturevalue(name)
    md = compile_model(sc)
    R = 250
    strategies: list[Strategy] = [Balancer(sc.lever("balancer.floor").value), Isolation(),
                                  Bandwagon(sc.power_keys[1])]
    for st in strategies:
        raw = run_engine(md, st, R, 11, dtype=np.float64)
        streams = Streams(11, md.powers, md.shocks,
                          tuple(md.catastrophes[k] for k in md.econ_kind), R, 0, np.float64)
        qs = [streams.quarter() for _ in range(md.horizon)]
        sm, pol = ScalarModel(md), scalar_policy(st, md)
        for r in range(R):
            dr = TrajectoryDraws(*([getattr(q.powers, f)[:, r].tolist() for q in qs]
                                   for f in ("reward", "coerce", "catastrophe", "noise")),
                                 [q.shocks[:, r].tolist() for q in qs],
                                 [q.econ[:, r].tolist() for q in qs])
            o = run_trajectory(sm, pol, dr)
            assert o.catastrophe == raw.catastrophe[0, r]
            assert o.quarter == raw.cat_quarter[0, r] and o.kind == raw.cat_kind[0, r]
            assert o.gain == pytest.approx(raw.gain[0, r], abs=1e-9)
            assert o.autonomy == pytest.approx(raw.autonomy[0, r], abs=1e-9)
        assert 0 < raw.catastrophe.sum() < R  # the comparison covered both outcomes


def test_float32_agrees_with_float64_within_sampling_error(kazakhstan: Scenario) -> None:
    """The two precisions draw different random numbers; their estimates must agree."""
    md = compile_model(kazakhstan)
    a = run_engine(md, Isolation(), 6000, 3, analysis=False)
    b = run_engine(md, Isolation(), 6000, 3, dtype=np.float64, analysis=False)
    pa, pb = a.catastrophe.mean(), b.catastrophe.mean()
    se = np.sqrt(pa * (1 - pa) / 6000 + pb * (1 - pb) / 6000)
    assert abs(pa - pb) < 4 * se
    se_g = np.sqrt(a.gain.var() / 6000 + b.gain.var() / 6000)
    assert abs(a.gain.mean() - b.gain.mean()) < 4 * se_g


def test_chunks_of_whole_blocks_give_the_same_trajectories(tiny: Scenario) -> None:
    md = compile_model(tiny, horizon=3)
    whole = run_engine(md, Isolation(), BLOCK + 40, 9, analysis=False)
    first = run_engine(md, Isolation(), BLOCK, 9, analysis=False)
    rest = run_engine(md, Isolation(), 40, 9, first_run=BLOCK, analysis=False)
    np.testing.assert_array_equal(whole.gain[:, :BLOCK], first.gain)
    np.testing.assert_array_equal(whole.gain[:, BLOCK:], rest.gain)
    with pytest.raises(ValueError):
        run_engine(md, Isolation(), 10, 9, first_run=5)


def test_batch_equals_one_sample_at_a_time(tiny: Scenario) -> None:
    rng = np.random.default_rng(0)
    unc = tiny.uncertainties()[:12]
    values = {p.name: rng.uniform(p.low, p.high, 3) for p in unc}
    out = evaluate_batch(tiny, "balancer", values, runs=800, seed=4)
    chunked = evaluate_batch(tiny, "balancer", values, runs=800, seed=4, max_trajectories=900)
    np.testing.assert_array_equal(out.p_catastrophe, chunked.p_catastrophe)
    np.testing.assert_array_equal(out.gain_mean, chunked.gain_mean)
    for s in range(3):
        md = compile_model(tiny, {k: v[s:s + 1] for k, v in values.items()})
        raw = run_engine(md, Balancer(tiny.lever("balancer.floor").value), 800, 4,
                         analysis=False)
        assert out.p_catastrophe[s] == raw.catastrophe.mean()
        assert out.gain_mean[s] == pytest.approx(raw.gain.mean(), rel=1e-12)
    total = sum(out.by_kind.values())
    np.testing.assert_allclose(total, out.p_catastrophe)
    assert out.p_catastrophe_ci().shape == (3, 2)


def test_balancer_floor_per_sample_is_a_lever(tiny: Scenario) -> None:
    floors = np.array([-0.5, 0.1, 0.4])
    out = evaluate_batch(tiny, Balancer(floors), {}, runs=600, seed=2)
    for s, f in enumerate(floors):
        one = evaluate_batch(tiny, Balancer(float(f)), {}, runs=600, seed=2)
        assert out.p_catastrophe[s] == one.p_catastrophe[0]


class _Alternate:
    name = "alternate"

    def choose(self, state: StrategyState) -> np.ndarray:
        cold = state.attitude[..., state.power("north")] < 0.2
        return np.where(cold, state.move("lean_north"), state.move("lean_east"))


def test_user_strategy_protocol(tiny: Scenario) -> None:
    st = _Alternate()
    assert isinstance(st, Strategy)
    raw = run_engine(compile_model(tiny), st, 500, 1)
    assert raw.move_share is not None
    used = raw.move_share[0].sum(axis=0)
    names = compile_model(tiny).moves
    assert used[names.index("lean_north")] > 0 and used[names.index("lean_east")] > 0
    assert used[names.index("hold")] == 0


def test_bad_user_strategy_is_refused(tiny: Scenario) -> None:
    class Bad:
        name = "bad"

        def choose(self, state: StrategyState) -> np.ndarray:
            return np.full((1, 3), 99)

    with pytest.raises(ValueError, match="bad"):
        run_engine(compile_model(tiny), Bad(), 10, 1)


def test_fixed_sequence_cycles_and_holds(tiny: Scenario) -> None:
    md = compile_model(tiny, horizon=5)
    cyc = run_engine(md, FixedSequence("z", ("lean_east", "lean_west")), 50, 1)
    hold = run_engine(md, FixedSequence("h", ("lean_east", "hold"), "hold_last"), 50, 1)
    e, w, h = md.move_index("lean_east"), md.move_index("lean_west"), md.move_index("hold")
    assert cyc.move_share is not None and hold.move_share is not None
    assert [int(np.argmax(cyc.move_share[0, t])) for t in range(5)] == [e, w, e, w, e]
    assert [int(np.argmax(hold.move_share[0, t])) for t in range(5)] == [e, h, h, h, h]


def test_runs_must_be_positive(tiny: Scenario) -> None:
    with pytest.raises(ValueError):
        run_engine(compile_model(tiny), Isolation(), 0, 1)


def test_lowest_bit_lookup() -> None:
    from tightrope.minefield.balancer import _lowest_bit

    rng = np.random.default_rng(1)
    for word, chunks, bits in ((np.uint16, 1, 16), (np.uint32, 2, 32), (np.uint64, 4, 63)):
        x = rng.integers(0, 2**62, 2000, dtype=np.uint64) >> rng.integers(0, 62, 2000,
                                                                           dtype=np.uint64)
        x = (x & np.uint64((1 << bits) - 1)).astype(word)
        x[:5] = 0
        got = _lowest_bit(x, chunks)
        want = [-1 if v == 0 else (int(v) & -int(v)).bit_length() - 1 for v in x.tolist()]
        assert got.tolist() == want


def test_zero_dependence_power_is_allowed(jordan: Scenario) -> None:
    """Iran's dependence ranges reach 0 in every channel: a sampled future may have d0 = 0."""
    zero = {f"powers.iran.dependence.{c}": [0.0] for c in jordan.channels}
    md = compile_model(jordan, zero)
    assert md.d0[0, md.power_index("iran")] == 0
    raw = run_engine(md, Isolation(), 300, 1, dtype=np.float64)
    assert np.isfinite(raw.gain).all() and np.isfinite(raw.autonomy).all()
    sm = ScalarModel(md)
    assert sm.rel_offset[md.power_index("iran")] == 1.0
