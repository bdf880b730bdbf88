"""Evaluate policies × futures × trajectories with the vectorised engine, in bounded chunks.

A sweep is cut into :class:`Task` objects — one policy on a block of consecutive futures
(parameter samples) — and each task calls
:func:`~tightrope.minefield.engine.run_engine` on chunks of at most ``chunk_trajectories``
futures × runs, so memory stays bounded whatever the sweep size. Every engine call uses the
same seed: the engine's random streams are keyed by name and trajectory block, not by sample
(:mod:`tightrope.minefield.rng`), so every future and every policy sees the same luck (common
random numbers) and an outcome does not depend on how futures are cut into tasks or chunks,
nor on which worker runs them. That is why the local and the Dask runs give identical tables.

Outcomes per future (units): ``p_catastrophe`` (share of trajectories, [0, 1]), ``gain_mean``
and ``gain_p10`` (cumulative gain over the horizon, percentage points of one year's GDP: mean
and 10th percentile over trajectories), ``autonomy_mean`` (mean balance index in [0, 1]) and
``p_<kind>`` per catastrophe kind.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import numpy as np

from tightrope._types import FloatArray
from tightrope.minefield.engine import run_engine
from tightrope.minefield.model import compile_model
from tightrope.minefield.robust.levers import Policy, PowerFloors
from tightrope.minefield.spec import Scenario
from tightrope.minefield.strategies import Strategy
from tightrope.progress import Progress

__all__ = [
    "CHUNK_TRAJECTORIES",
    "OUTCOMES",
    "TASK_TRAJECTORIES",
    "LocalExecutor",
    "Sweep",
    "SweepStats",
    "Task",
    "TaskResult",
    "plan_tasks",
    "run_task",
    "sweep",
]

#: Outcome columns every evaluation returns (plus ``p_<catastrophe kind>``).
OUTCOMES: Final = ("p_catastrophe", "gain_mean", "gain_p10", "autonomy_mean")
#: Futures × runs per engine call (bounds memory: ~0.2 kB per trajectory).
CHUNK_TRAJECTORIES: Final = 1 << 16
#: Futures × runs per task (a unit of work for an executor; a few seconds of engine time).
TASK_TRAJECTORIES: Final = 1 << 19
#: smallest task when a progress callback listens (fine steps, still vectorised)
PROGRESS_TRAJECTORIES: Final = 1 << 12

@dataclass(frozen=True)
class Task:
    """One policy on futures ``start .. start + n - 1``; ``floors`` (n, P) are per-future
    power floors for a :class:`~tightrope.minefield.robust.levers.PowerFloors` search."""

    index: int
    policy: Policy
    start: int
    values: dict[str, FloatArray]
    floors: FloatArray | None = None

    @property
    def size(self) -> int:
        if self.floors is not None:
            return int(self.floors.shape[0])
        return len(next(iter(self.values.values())))


@dataclass
class TaskResult:
    """Outcome columns of one task and the seconds it took."""

    index: int
    outcomes: dict[str, FloatArray]
    seconds: float


def _strategy(scenario: Scenario, task: Task, lo: int, hi: int) -> Strategy:
    if task.floors is not None:
        return PowerFloors(task.floors[lo:hi], scenario.respect_red_lines,
                           name=task.policy.name)
    return task.policy.build(scenario)


def run_task(scenario: Scenario, task: Task, runs: int, seed: int, horizon: int | None,
             chunk_trajectories: int = CHUNK_TRAJECTORIES) -> TaskResult:
    """Evaluate one task (on any worker): chunked engine calls, outcome columns per future."""
    t0 = time.perf_counter()
    n = task.size
    per = max(1, chunk_trajectories // max(runs, 1))
    parts: dict[str, list[FloatArray]] = {}
    for lo in range(0, n, per):
        hi = min(n, lo + per)
        vals = {k: v[lo:hi] for k, v in task.values.items()}
        md = compile_model(scenario, vals, samples=hi - lo, horizon=horizon)
        raw = run_engine(md, _strategy(scenario, task, lo, hi), runs, seed, analysis=False)
        cols = {"p_catastrophe": raw.catastrophe.mean(axis=1),
                "gain_mean": raw.gain.mean(axis=1),
                "gain_p10": np.quantile(raw.gain, 0.1, axis=1),
                "autonomy_mean": raw.autonomy.mean(axis=1)}
        for i, kind in enumerate(md.catastrophes):
            cols[f"p_{kind}"] = (raw.cat_kind == i).mean(axis=1)
        for name, v in cols.items():
            parts.setdefault(name, []).append(np.asarray(v, dtype=np.float64))
    out = {k: np.concatenate(v) for k, v in parts.items()}
    return TaskResult(task.index, out, time.perf_counter() - t0)


def plan_tasks(policies: Sequence[Policy], values: Mapping[str, FloatArray], runs: int,
               task_trajectories: int = TASK_TRAJECTORIES,
               floors: FloatArray | None = None) -> list[Task]:
    """Cut policies × futures into tasks of at most ``task_trajectories`` futures × runs.

    With ``floors`` (S, P) there is one policy (the search) and one floor vector per future.
    """
    S = int(floors.shape[0]) if floors is not None else len(next(iter(values.values())))
    per = max(1, task_trajectories // max(runs, 1))
    tasks: list[Task] = []
    for pol in policies:
        for lo in range(0, S, per):
            hi = min(S, lo + per)
            vals = {k: np.asarray(v[lo:hi]) if np.size(v) == S else np.asarray(v)
                    for k, v in values.items()}
            fl = floors[lo:hi] if floors is not None else None
            tasks.append(Task(len(tasks), pol, lo, vals, fl))
    return tasks


@dataclass
class SweepStats:
    """How a sweep ran: engine, tasks, wall time and the scheduler overhead estimate.

    ``overhead_s`` = wall − Σ task seconds / workers (what the scheduler, transfers and idle
    workers cost); ``noop_ms_per_task`` is a measured round trip of an empty task.
    """

    engine: str
    tasks: int
    workers: int
    wall_s: float
    task_s: float
    noop_ms_per_task: float | None = None

    @property
    def overhead_s(self) -> float:
        return max(0.0, self.wall_s - self.task_s / max(self.workers, 1))

    def to_json(self) -> dict[str, Any]:
        return {"engine": self.engine, "tasks": self.tasks, "workers": self.workers,
                "wall_s": round(self.wall_s, 4), "task_s": round(self.task_s, 4),
                "overhead_s": round(self.overhead_s, 4),
                "overhead_share": round(self.overhead_s / self.wall_s, 4) if self.wall_s else 0,
                "noop_ms_per_task": self.noop_ms_per_task}


class Executor(Protocol):
    """Runs tasks somewhere; yields results in any order."""

    name: str
    workers: int

    def run(self, scenario: Scenario, tasks: list[Task], runs: int, seed: int,
            horizon: int | None, chunk_trajectories: int) -> Iterator[TaskResult]: ...


@dataclass
class LocalExecutor:
    """Tasks one after the other in this process (the default)."""

    name: str = "local"
    workers: int = 1

    def run(self, scenario: Scenario, tasks: list[Task], runs: int, seed: int,
            horizon: int | None, chunk_trajectories: int) -> Iterator[TaskResult]:
        for t in tasks:
            yield run_task(scenario, t, runs, seed, horizon, chunk_trajectories)


@dataclass
class Sweep:
    """Outcomes of policies × futures: ``outcomes[name]`` has shape (policies, futures)."""

    policies: list[str]
    outcomes: dict[str, FloatArray]
    stats: SweepStats
    runs: int
    seed: int
    extra: dict[str, Any] = field(default_factory=dict)


def sweep(scenario: Scenario, policies: Sequence[Policy], values: Mapping[str, FloatArray],
          runs: int, seed: int, horizon: int | None = None, *, executor: Executor | None = None,
          floors: FloatArray | None = None, task_trajectories: int = TASK_TRAJECTORIES,
          chunk_trajectories: int = CHUNK_TRAJECTORIES,
          progress: Progress | None = None) -> Sweep:
    """Evaluate every policy on every future (``values``: S values per parameter).

    Reproducible from ``seed`` and independent of the executor and of the task/chunk sizes.
    """
    ex: Executor = executor if executor is not None else LocalExecutor()
    S = (int(floors.shape[0]) if floors is not None
         else len(next(iter(values.values()))))
    if ex.workers > 1:  # at least ~4 tasks per worker, for balance (results do not change)
        total = S * runs * len(policies)
        task_trajectories = min(task_trajectories,
                                max(chunk_trajectories, total // (4 * ex.workers)))
    if progress is not None and ex.workers == 1:  # ~20 progress steps (results do not change)
        task_trajectories = min(task_trajectories,
                                max(S * runs * len(policies) // 20, PROGRESS_TRAJECTORIES))
        chunk_trajectories = min(chunk_trajectories, task_trajectories)
    tasks = plan_tasks(policies, values, runs, task_trajectories, floors)
    out: dict[str, FloatArray] = {}
    t0 = time.perf_counter()
    busy = 0.0
    for done, res in enumerate(ex.run(scenario, tasks, runs, seed, horizon,
                                      chunk_trajectories), start=1):
        t = tasks[res.index]
        k = policies.index(t.policy)
        for name, col in res.outcomes.items():
            if name not in out:
                out[name] = np.full((len(policies), S), np.nan)
            out[name][k, t.start:t.start + t.size] = col
        busy += res.seconds
        if progress is not None:
            progress(done, len(tasks))
    stats = SweepStats(ex.name, len(tasks), ex.workers, time.perf_counter() - t0, busy,
                       getattr(ex, "noop_ms_per_task", None))
    return Sweep([p.name for p in policies], out, stats, runs, seed)
