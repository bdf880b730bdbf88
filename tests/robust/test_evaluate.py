"""Sweeps: chunking and executors never change a number; per-power floors extend the balancer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tightrope.errors import InputError
from tightrope.minefield import Balancer, Scenario, compile_model, run_engine
from tightrope.minefield.robust import (
    OUTCOMES,
    PowerFloors,
    SearchSettings,
    UncertaintySpace,
    latin_hypercube,
    load_table,
    resolve_policies,
    run_experiments,
    search_levers,
    streams,
    sweep,
)
from tightrope.minefield.robust.distributed import dask_executor


def futures(sc: Scenario, n: int, seed: int = 0) -> dict[str, np.ndarray]:
    sp = UncertaintySpace.of(sc)
    return sp.from_unit(latin_hypercube(n, sp.dim, np.random.default_rng(seed)))


def test_chunking_never_changes_a_number(kazakhstan: Scenario) -> None:
    pols = resolve_policies(kazakhstan, "balancer,bandwagon:china")
    vals = futures(kazakhstan, 12)
    a = sweep(kazakhstan, pols, vals, 50, 7, horizon=12)
    b = sweep(kazakhstan, pols, vals, 50, 7, horizon=12, task_trajectories=160,
              chunk_trajectories=60)
    assert b.stats.tasks > a.stats.tasks
    assert set(OUTCOMES) <= set(a.outcomes)
    for k in a.outcomes:
        assert np.array_equal(a.outcomes[k], b.outcomes[k]), k
    p = a.outcomes["p_catastrophe"]
    assert p.shape == (2, 12) and np.all((p >= 0) & (p <= 1))
    kinds = sum(v for k, v in a.outcomes.items() if k.startswith("p_") and k != "p_catastrophe")
    assert np.allclose(kinds, p)  # one kind per catastrophe


def test_equal_power_floors_are_the_balancer(kazakhstan: Scenario) -> None:
    md = compile_model(kazakhstan, futures(kazakhstan, 4), samples=4, horizon=16)
    for floor in (-0.2, 0.3):
        ref = run_engine(md, Balancer(floor), 300, 11, analysis=False)
        ours = run_engine(md, PowerFloors(np.full(len(md.powers), floor)), 300, 11,
                          analysis=False)
        assert np.array_equal(ref.catastrophe, ours.catastrophe)
        assert np.array_equal(ref.gain, ours.gain)


def test_raising_one_power_floor_changes_the_moves(kazakhstan: Scenario) -> None:
    md = compile_model(kazakhstan, horizon=12)
    fl = np.full(len(md.powers), -0.5)
    hi = fl.copy()
    hi[md.power_index("russia")] = 0.6
    a = run_engine(md, PowerFloors(fl), 500, 2)
    b = run_engine(md, PowerFloors(hi), 500, 2)
    assert a.move_share is not None and b.move_share is not None
    assert not np.allclose(a.move_share, b.move_share)


def test_dask_equals_local(kazakhstan: Scenario) -> None:
    pols = resolve_policies(kazakhstan, "balancer,isolation")
    vals = futures(kazakhstan, 10, seed=3)
    local = sweep(kazakhstan, pols, vals, 40, 9, horizon=10, task_trajectories=120)
    with dask_executor(2, processes=False) as ex:
        assert ex.noop_ms_per_task is not None and ex.noop_ms_per_task > 0
        remote = sweep(kazakhstan, pols, vals, 40, 9, horizon=10, task_trajectories=120,
                       executor=ex)
    assert remote.stats.engine == "dask" and remote.stats.tasks == local.stats.tasks > 2
    for k in local.outcomes:
        assert np.array_equal(local.outcomes[k], remote.outcomes[k]), k


def test_search_is_reproducible_and_its_front_is_nondominated(kazakhstan: Scenario) -> None:
    fut = futures(kazakhstan, 4, seed=1)
    ss = SearchSettings(population=6, generations=2, futures=4, runs=30)
    refs = resolve_policies(kazakhstan, "balancer")
    a = search_levers(kazakhstan, fut, ss, 3, streams(3)["search"], 8, references=refs)
    b = search_levers(kazakhstan, fut, ss, 3, streams(3)["search"], 8, references=refs)
    assert [p.to_json() for p in a.points] == [p.to_json() for p in b.points]
    assert a.evaluations >= 12 and len(a.points) >= 1
    lo, hi = a.floor_range
    for p in a.points:
        assert all(lo <= v <= hi for v in p.floors.values())
        assert 0 <= p.p_catastrophe <= 1
    # no front point is dominated by another front point
    for p in a.points:
        for q in a.points:
            assert not (q.gain_mean > p.gain_mean and q.p_catastrophe < p.p_catastrophe
                        and q.autonomy_mean > p.autonomy_mean)
    assert a.references[0].label == "balancer"


def test_table_round_trip_with_manifest(kazakhstan: Scenario, tmp_path: Path) -> None:
    pols = resolve_policies(kazakhstan, "balancer@0.1,isolation")
    t = run_experiments(kazakhstan, pols, 6, 20, 4, horizon=6)
    assert t.policies == ["balancer@0.1", "isolation"]
    assert t.floors[0] == 0.1 and np.isnan(t.floors[1])
    pq, _man = t.save(tmp_path / "out")
    back = load_table(tmp_path / "out")
    assert back.policies == t.policies and back.names == t.names
    assert np.array_equal(back.inputs, t.inputs)
    for k, v in t.outcomes.items():
        assert np.array_equal(back.outcomes[k], v)
    m = back.manifest
    assert m.seed == 4 and m.inputs[0].sha256 == kazakhstan.sha256
    assert m.parameters["sampler"]["name"] == "latin_hypercube"
    assert m.parameters["table"]["rows"] == 12
    frame = t.frame()
    assert len(frame) == 12 and "powers.russia.attitude" in frame.columns
    pq.write_bytes(pq.read_bytes()[:-8] + b"tampered")
    with pytest.raises(InputError, match="hash"):
        load_table(tmp_path / "out")


def test_same_seed_same_table_other_seed_other_table(kazakhstan: Scenario) -> None:
    pols = resolve_policies(kazakhstan, "balancer")
    a = run_experiments(kazakhstan, pols, 5, 20, 1, horizon=6)
    b = run_experiments(kazakhstan, pols, 5, 20, 1, horizon=6)
    c = run_experiments(kazakhstan, pols, 5, 20, 2, horizon=6)
    assert np.array_equal(a.inputs, b.inputs)
    assert np.array_equal(a.outcomes["gain_mean"], b.outcomes["gain_mean"])
    assert not np.array_equal(a.inputs, c.inputs)


def test_policy_names_are_checked(kazakhstan: Scenario) -> None:
    assert [p.name for p in resolve_policies(kazakhstan, "all")][:2] == ["balancer", "isolation"]
    for bad in ("isolation@0.2", "balancer@9", "balancer@x", "balancer,balancer", "nope"):
        with pytest.raises(InputError):
            resolve_policies(kazakhstan, bad)
