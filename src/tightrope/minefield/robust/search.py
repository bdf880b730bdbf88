"""Multi-objective search over the levers: the Pareto front of per-power attitude floors.

Levers: one balancer attitude floor per great power (:class:`~tightrope.minefield.robust.
levers.PowerFloors`), each in the scenario's ``balancer.floor`` range. Objectives, each
averaged over a **fixed common set of futures** (a Latin hypercube drawn once from the
``search_futures`` stream) with the same engine seed for every candidate (common random
numbers, so two candidates differ only by their levers): expected gain (maximise),
P(catastrophe) (minimise), autonomy (maximise).

The optimiser is NSGA-II (Deb et al. 2002) from Platypus (Hadka, platypus-opt), the MOEA
library behind Rhodium. A whole generation is evaluated in one vectorised sweep: a custom
Platypus evaluator stacks candidates × futures along the engine's sample axis.

Platypus draws from Python's global ``random`` module and offers no generator argument; during
a search its modules see a private ``random.Random`` seeded from the ``search`` stream instead
(:func:`_platypus_random`), so nothing else in the process — a Dask scheduler thread, say —
can shift its draws, and the global ``random`` state is never touched.

References: Deb, Pratap, Agarwal & Meyarivan (2002), "A fast and elitist multiobjective genetic
algorithm: NSGA-II", *IEEE Trans. Evol. Comput.* 6, 182–197; Hadka (2015), Platypus,
https://github.com/Project-Platypus/Platypus; Kasprzyk et al. (2013), "Many objective robust
decision making", *Environmental Modelling & Software* 42, 55–71.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tightrope._types import FloatArray
from tightrope.minefield.robust.evaluate import Executor, Sweep, sweep
from tightrope.minefield.robust.levers import Policy, floor_lever
from tightrope.minefield.spec import Scenario
from tightrope.progress import Progress

__all__ = ["OBJECTIVES", "ParetoFront", "ParetoPoint", "SearchSettings", "search_levers"]

#: (outcome column, direction) of the three objectives.
OBJECTIVES = (("gain_mean", "maximize"), ("p_catastrophe", "minimize"),
              ("autonomy_mean", "maximize"))
_RANDOM_LOCK = threading.Lock()

@dataclass(frozen=True)
class SearchSettings:
    """Sizes of the search: population, generations, common futures and runs per future."""

    population: int = 24
    generations: int = 10
    futures: int = 24
    runs: int = 400

    @property
    def evaluations(self) -> int:
        return self.population * self.generations


@dataclass
class ParetoPoint:
    """A lever setting (floor per power) and its objectives over the common futures."""

    floors: dict[str, float]
    gain_mean: float
    p_catastrophe: float
    autonomy_mean: float
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "floors": {k: round(v, 4) for k, v in self.floors.items()},
                "gain_mean": self.gain_mean, "p_catastrophe": self.p_catastrophe,
                "autonomy_mean": self.autonomy_mean}


@dataclass
class ParetoFront:
    """Non-dominated lever settings (sorted by P(catastrophe)) and reference strategies."""

    powers: list[str]
    points: list[ParetoPoint]
    references: list[ParetoPoint]
    settings: SearchSettings
    evaluations: int
    seed: int
    floor_range: tuple[float, float]
    history: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        s = self.settings
        return {"algorithm": "NSGA-II (platypus-opt)", "levers": [f"floor.{p}" for p in
                                                                   self.powers],
                "floor_range": list(self.floor_range),
                "objectives": [{"outcome": o, "direction": d} for o, d in OBJECTIVES],
                "population": s.population, "generations": s.generations,
                "futures": s.futures, "runs": s.runs, "evaluations": self.evaluations,
                "seed": self.seed, "front": [p.to_json() for p in self.points],
                "references": [p.to_json() for p in self.references]}


#: Platypus modules that draw from the module-level ``random`` (platypus-opt 1.4).
_PLATYPUS_MODULES = ("platypus._math", "platypus.algorithms", "platypus.core",
                     "platypus.extensions", "platypus.operators", "platypus.types",
                     "platypus.weights")


@contextmanager
def _platypus_random(seed: int) -> Iterator[None]:
    """Give Platypus a private ``random.Random(seed)`` for the duration of a search.

    Platypus calls ``random.uniform`` etc. on the global module and takes no generator; seeding
    the global module would not be enough (a Dask scheduler thread in this process draws from it
    too, which made searches differ between engines), so the ``random`` name inside Platypus's
    modules is pointed at a private generator and restored afterwards, under a lock.
    """
    import importlib

    rng = random.Random(seed)
    with _RANDOM_LOCK:
        swapped = []
        for name in _PLATYPUS_MODULES:
            try:
                mod = importlib.import_module(name)
            except ImportError:
                continue
            if getattr(mod, "random", None) is random:
                mod.random = rng  # type: ignore[attr-defined]
                swapped.append(mod)
        try:
            yield
        finally:
            for mod in swapped:
                mod.random = random  # type: ignore[attr-defined]


def _stack(futures: Mapping[str, FloatArray], floors: FloatArray
           ) -> tuple[dict[str, FloatArray], FloatArray]:
    """Candidates × futures on one sample axis: futures tiled, floors repeated."""
    n, K = floors.shape[0], len(next(iter(futures.values())))
    vals = {k: np.tile(np.asarray(v, dtype=np.float64), n) for k, v in futures.items()}
    return vals, np.repeat(floors, K, axis=0)


def _objectives(sw: Sweep, n: int) -> FloatArray:
    """(n, 3) objectives: the mean of each outcome over the common futures."""
    return np.stack([sw.outcomes[o][0].reshape(n, -1).mean(axis=1) for o, _ in OBJECTIVES],
                    axis=1)


def _make_problem(P: int, lo: float, hi: float, cache: dict[tuple[float, ...], list[float]]
                  ) -> Any:
    from platypus import Direction, Problem, Real

    def fn(x: Sequence[float]) -> list[float]:
        return cache[tuple(float(v) for v in x)]

    prob = Problem(P, len(OBJECTIVES), function=fn)
    prob.types[:] = [Real(lo, hi) for _ in range(P)]
    prob.directions[:] = [Direction.MAXIMIZE if d == "maximize" else Direction.MINIMIZE
                          for _, d in OBJECTIVES]
    return prob


def search_levers(scenario: Scenario, futures: Mapping[str, FloatArray], settings: SearchSettings,
                  seed: int, search_seed: np.random.SeedSequence, horizon: int | None = None,
                  *, references: Sequence[Policy] = (), executor: Executor | None = None,
                  progress: Progress | None = None) -> ParetoFront:
    """Run NSGA-II over per-power floors on the common ``futures``; seeded and reproducible.

    ``seed`` is the engine seed (common random numbers); ``search_seed`` drives the optimiser.
    """
    from platypus import NSGAII, nondominated
    from platypus.evaluator import Evaluator

    powers = sorted(scenario.power_keys)  # the engine's canonical order
    lv = floor_lever(scenario)
    cache: dict[tuple[float, ...], list[float]] = {}
    seen: list[int] = []

    def evaluate(floors: FloatArray) -> FloatArray:
        vals, fl = _stack(futures, floors)
        sw = sweep(scenario, [Policy("search", "balancer")], vals, settings.runs, seed,
                   horizon, executor=executor, floors=fl)
        return _objectives(sw, floors.shape[0])

    class Batch(Evaluator):  # type: ignore[misc]
        def evaluate_all(self, jobs: list[Any], **kwargs: Any) -> list[Any]:
            xs = [tuple(float(v) for v in j.solution.variables) for j in jobs]
            new = [x for x in dict.fromkeys(xs) if x not in cache]
            if new:
                objs = evaluate(np.asarray(new, dtype=np.float64))
                cache.update({x: objs[i].tolist() for i, x in enumerate(new)})
            for j in jobs:
                j.run()
            seen.append(len(jobs))
            if progress is not None:
                progress(min(sum(seen), settings.evaluations), settings.evaluations)
            return jobs

    problem = _make_problem(len(powers), lv.low, lv.high, cache)
    py_seed = int(np.random.default_rng(search_seed).integers(2 ** 63 - 1))
    with _platypus_random(py_seed):
        alg = NSGAII(problem, population_size=settings.population, evaluator=Batch())
        alg.run(settings.evaluations)
        front = nondominated(alg.result)
    pts: dict[tuple[float, ...], ParetoPoint] = {}
    for s in front:
        x = tuple(float(v) for v in s.variables)
        g, p, a = cache[x]
        pts[x] = ParetoPoint(dict(zip(powers, x, strict=True)), g, p, a)
    points = sorted(pts.values(), key=lambda q: (q.p_catastrophe, -q.gain_mean))
    refs = _references(scenario, futures, settings, seed, horizon, references, executor,
                       powers)
    return ParetoFront(powers, points, refs, settings, alg.nfe, seed, (lv.low, lv.high), seen)


def _references(scenario: Scenario, futures: Mapping[str, FloatArray], settings: SearchSettings,
                seed: int, horizon: int | None, policies: Sequence[Policy],
                executor: Executor | None, powers: list[str]) -> list[ParetoPoint]:
    """The named strategies on the same futures and runs, to place them against the front."""
    if not policies:
        return []
    sw = sweep(scenario, list(policies), dict(futures), settings.runs, seed, horizon,
               executor=executor)
    out = []
    for k, pol in enumerate(sw.policies):
        g, p, a = (float(sw.outcomes[o][k].mean()) for o, _ in OBJECTIVES)
        fl = policies[k].lever_value(scenario)
        out.append(ParetoPoint({q: fl for q in powers} if fl == fl else {}, g, p, a, pol))
    return out
