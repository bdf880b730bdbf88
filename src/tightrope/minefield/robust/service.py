"""``robust_analysis``: the whole study in one call, for the CLI, the web dashboard and the demo.

Stages (each seeded from its own stream of ``seed``, each on the chosen executor):

1. **experiments** — Latin-hypercube futures × strategies × runs (:mod:`.experiments`);
2. **robustness** — expected gain, worst decile, P(catastrophe) across futures, regret,
   satisficing; ranked and explained (:mod:`.robustness`);
3. **scenario discovery** — a PRIM box per strategy for the futures where it fails, and one
   for those where it succeeds when success is the rarer case (:mod:`.prim`);
4. **search** — NSGA-II over per-power floors on common futures (:mod:`.search`);
5. **sensitivity** — Sobol' indices of P(catastrophe) for the top strategy (:mod:`.sensitivity`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from tightrope import __version__
from tightrope._types import FloatArray
from tightrope.errors import InputError
from tightrope.minefield.robust.design import UncertaintySpace, latin_hypercube, streams
from tightrope.minefield.robust.evaluate import Executor, LocalExecutor, sweep
from tightrope.minefield.robust.experiments import ExperimentTable, run_experiments
from tightrope.minefield.robust.levers import Policy, resolve_policies
from tightrope.minefield.robust.prim import PrimResult, prim
from tightrope.minefield.robust.robustness import (
    StrategyRobustness,
    Thresholds,
    explain,
    summarise,
)
from tightrope.minefield.robust.search import ParetoFront, SearchSettings, search_levers
from tightrope.minefield.robust.sensitivity import (
    GroupMode,
    SobolResult,
    block_groups,
    screen_groups,
    sobol_design,
    sobol_indices,
)
from tightrope.minefield.service import load_scenario
from tightrope.minefield.spec import Scenario
from tightrope.progress import Progress, Stages

__all__ = ["RobustResult", "RobustSettings", "discover", "discover_success", "robust_analysis"]

Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class RobustSettings:
    """Everything that shapes a study besides the scenario and the seed.

    Search and Sobol' runs default to ``min(runs, 400)`` and ``min(runs, 500)``: their
    objectives are averages over many futures, so fewer trajectories per future suffice.
    """

    samples: int = 1000
    runs: int = 2000
    horizon: int | None = None
    strategies: str | tuple[str, ...] = "all"
    thresholds: Thresholds = field(default_factory=Thresholds)
    search: SearchSettings | None = None
    sobol_n: int = 128
    sobol_runs: int | None = None
    sobol_groups: GroupMode = "block"
    sobol_strategy: str | None = None
    prim_density: float = 0.8
    prim_alpha: float = 0.05

    def search_settings(self) -> SearchSettings:
        return self.search or SearchSettings(runs=min(self.runs, 400),
                                             futures=min(24, self.samples))

    def to_json(self) -> dict[str, Any]:
        s = self.search_settings()
        return {"samples": self.samples, "runs": self.runs, "horizon": self.horizon,
                "strategies": self.strategies if isinstance(self.strategies, str)
                else list(self.strategies),
                "thresholds": {"max_p_catastrophe": self.thresholds.max_p_catastrophe,
                               "min_gain": self.thresholds.min_gain},
                "search": {"population": s.population, "generations": s.generations,
                           "futures": s.futures, "runs": s.runs},
                "sobol": {"base_samples": self.sobol_n, "runs": self.sobol_run_count(),
                          "groups": self.sobol_groups, "strategy": self.sobol_strategy},
                "prim": {"density_threshold": self.prim_density, "peel_alpha": self.prim_alpha}}

    def sobol_run_count(self) -> int:
        return self.sobol_runs if self.sobol_runs is not None else min(self.runs, 500)


@dataclass
class RobustResult:
    """The study's results; ``to_json()`` is what ``--json`` and the web API return."""

    scenario: Scenario
    seed: int
    engine: str
    settings: RobustSettings
    table: ExperimentTable
    robustness: list[StrategyRobustness]
    explanation: list[str]
    boxes: dict[str, PrimResult]
    pareto: ParetoFront | None
    sobol: SobolResult | None
    timings: dict[str, float]
    engine_stats: dict[str, Any]
    success_boxes: dict[str, PrimResult] = field(default_factory=dict)

    @property
    def top(self) -> str:
        return self.robustness[0].strategy

    def to_json(self) -> dict[str, Any]:
        t = self.table
        return {
            "scenario": self.scenario.key, "title": self.scenario.title, "seed": self.seed,
            "engine": self.engine, "tightrope_version": __version__,
            "settings": self.settings.to_json(),
            "experiments": {"futures": t.futures, "policies": t.policies,
                            "uncertainties": len(t.names), "manifest": t.manifest.to_dict(),
                            "outcomes": {p: {"p_catastrophe": _r(t.outcome("p_catastrophe", p)),
                                             "gain_mean": _r(t.outcome("gain_mean", p)),
                                             "autonomy_mean": _r(t.outcome("autonomy_mean", p))}
                                         for p in t.policies}},
            "robustness": [r.to_json() for r in self.robustness],
            "explanation": self.explanation,
            "scenario_discovery": {k: v.to_json() for k, v in self.boxes.items()},
            "success_boxes": {k: v.to_json() for k, v in self.success_boxes.items()},
            "pareto": self.pareto.to_json() if self.pareto else None,
            "sobol": self.sobol.to_json() if self.sobol else None,
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
            "engine_stats": self.engine_stats,
        }


def _r(a: FloatArray) -> list[float]:
    return [round(float(x), 5) for x in a]


def discover(table: ExperimentTable, policy: str, th: Thresholds, *, density: float = 0.8,
             alpha: float = 0.05) -> PrimResult | None:
    """PRIM box of the futures where ``policy`` fails.

    Failing means missing a threshold. PRIM describes a minority best (Bryant & Lempert
    2010), so when the strategy fails in more than half of the futures (or in none) the cases
    of interest are its worst fifth of futures by P(catastrophe) instead, and the box's
    ``definition`` says so. None if even that is degenerate (P(catastrophe) constant).
    """
    p = table.outcome("p_catastrophe", policy)
    g = table.outcome("gain_mean", policy)
    fail = (p >= th.max_p_catastrophe) | (g <= th.min_gain)
    share = float(fail.mean())
    definition = f"{policy} fails: not ({th.describe()}) ({share:.0%} of futures)"
    if share > 0.5 or share == 0:
        q = float(np.quantile(p, 0.8))
        fail = p >= q
        definition = (f"{policy} misses the thresholds in {share:.0%} of futures; the box "
                      f"describes its worst futures by P(catastrophe) (>= {q:.1%}: "
                      f"{fail.mean():.0%} of futures)")
        if fail.all() or not fail.any():
            return None
    return prim(table.inputs, fail, table.names, peel_alpha=alpha, paste_alpha=alpha,
                threshold=density, definition=definition)


def discover_success(table: ExperimentTable, policy: str, th: Thresholds, *,
                     density: float = 0.8, alpha: float = 0.05) -> PrimResult | None:
    """PRIM box of the futures where ``policy`` meets the thresholds, when those are a
    minority of at least 5% and 20 futures: what must be true for the strategy to work."""
    p = table.outcome("p_catastrophe", policy)
    g = table.outcome("gain_mean", policy)
    ok = (p < th.max_p_catastrophe) & (g > th.min_gain)
    share = float(ok.mean())
    if not 0.05 <= share <= 0.5 or ok.sum() < 20:
        return None
    return prim(table.inputs, ok, table.names, peel_alpha=alpha, paste_alpha=alpha,
                threshold=density,
                definition=f"{policy} succeeds: {th.describe()} ({share:.0%} of futures)")


@contextmanager
def _executor(engine: Engine, workers: int | None, processes: bool, scheduler: str | None
              ) -> Iterator[Executor]:
    if engine == "local":
        yield LocalExecutor()
        return
    if engine != "dask":
        raise InputError(f"engine {engine!r}", where="engine", expected="local or dask")
    import os

    from tightrope.minefield.robust.distributed import dask_executor

    with dask_executor(workers or os.cpu_count() or 1, processes=processes,
                       scheduler=scheduler) as ex:
        yield ex


def _sobol(sc: Scenario, space: UncertaintySpace, table: ExperimentTable, policy: Policy,
           st: RobustSettings, seed: int, ex: Executor, progress: Progress | None
           ) -> SobolResult:
    ss = streams(seed)
    if st.sobol_groups == "block":
        groups = block_groups(space.names)
    elif st.sobol_groups == "screen":
        groups = screen_groups(space.names, table.inputs,
                               table.outcome("p_catastrophe", policy.name))
    elif st.sobol_groups == "parameter":
        groups = list(space.names)
    else:
        raise InputError(f"Sobol' grouping {st.sobol_groups!r}", where="sobol_groups",
                         expected="block, screen or parameter")
    problem, unit = sobol_design(groups, st.sobol_n, ss["sobol"])
    sw = sweep(sc, [policy], space.from_unit(unit), st.sobol_run_count(), seed, st.horizon,
               executor=ex, progress=progress)
    return sobol_indices(problem, sw.outcomes["p_catastrophe"][0], ss["bootstrap"],
                         strategy=policy.name, mode=st.sobol_groups)


def _discovery(table: ExperimentTable, rows: list[StrategyRobustness], st: RobustSettings
               ) -> tuple[dict[str, PrimResult], dict[str, PrimResult]]:
    """Failure and success boxes per strategy (those PRIM can describe)."""
    kw = {"density": st.prim_density, "alpha": st.prim_alpha}
    fails = {r.strategy: discover(table, r.strategy, st.thresholds, **kw) for r in rows}
    wins = {r.strategy: discover_success(table, r.strategy, st.thresholds, **kw) for r in rows}
    return ({k: v for k, v in fails.items() if v is not None},
            {k: v for k, v in wins.items() if v is not None})


def _search(sc: Scenario, space: UncertaintySpace, policies: list[Policy], st: RobustSettings,
            seed: int, ex: Executor, progress: Progress | None) -> ParetoFront:
    ss = st.search_settings()
    unit = latin_hypercube(ss.futures, space.dim,
                           np.random.default_rng(streams(seed)["search_futures"]))
    return search_levers(sc, space.from_unit(unit), ss, seed, streams(seed)["search"],
                         st.horizon, references=policies, executor=ex,
                         progress=progress)


def _stages(progress: Progress | None, st: RobustSettings, policies: int,
            space: UncertaintySpace, search: bool, sensitivity: bool) -> Stages:
    """The study's stages weighted by the trajectories each simulates (the Sobol' design size
    is estimated with one group per parameter block when groups come from screening)."""
    weights = {"experiments": float(st.samples * policies * st.runs)}
    if search:
        ss = st.search_settings()
        weights["search"] = float(ss.evaluations * ss.futures * ss.runs)
    if sensitivity:
        groups = (len(space.names) if st.sobol_groups == "parameter"
                  else len(set(block_groups(space.names))))
        weights["sobol"] = float(st.sobol_n * (groups + 2) * st.sobol_run_count())
    return Stages(progress, weights)


def robust_analysis(scenario: Scenario | str | Path, samples: int = 1000, runs: int = 2000,
                    seed: int = 0, engine: Engine = "local", progress: Progress | None = None,
                    *, settings: RobustSettings | None = None, search: bool = True,
                    sensitivity: bool = True, workers: int | None = None,
                    processes: bool = True, scheduler: str | None = None,
                    strategies: str | Sequence[str] | None = None) -> RobustResult:
    """Run the robust-decision study on a scenario; reproducible from ``seed``.

    ``samples`` futures × strategies × ``runs`` trajectories (``settings`` overrides sizes and
    thresholds); ``engine="dask"`` runs every sweep on a Dask cluster (a new LocalCluster of
    ``workers``, or ``scheduler``) and gives the same numbers as ``"local"``. ``progress``
    sees the whole study on one scale, its message naming the stage (``experiments``,
    ``search``, ``sobol``).

    >>> r = robust_analysis("kazakhstan-2023", samples=8, runs=20, seed=1, search=False,
    ...                     sensitivity=False, strategies="balancer,isolation")
    >>> sorted(x.strategy for x in r.robustness)
    ['balancer', 'isolation']
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    st = replace(settings or RobustSettings(), samples=samples, runs=runs)
    if strategies is not None:
        st = replace(st, strategies=strategies if isinstance(strategies, str)
                     else tuple(strategies))
    policies = resolve_policies(sc, st.strategies)
    space = UncertaintySpace.of(sc)
    timings: dict[str, float] = {}
    stages = _stages(progress, st, len(policies), space, search, sensitivity)
    with _executor(engine, workers, processes, scheduler) as ex:
        t0 = time.perf_counter()
        table = run_experiments(sc, policies, st.samples, st.runs, seed, st.horizon,
                                space=space, executor=ex,
                                progress=stages.stage("experiments"))
        timings["experiments"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        rows = summarise(table.policies, table.outcomes["p_catastrophe"],
                         table.outcomes["gain_mean"], table.outcomes["autonomy_mean"],
                         st.thresholds)
        boxes, wins = _discovery(table, rows, st)
        timings["robustness_and_prim"] = time.perf_counter() - t0
        pareto = None
        if search:
            t0 = time.perf_counter()
            pareto = _search(sc, space, policies, st, seed, ex, stages.stage("search"))
            timings["search"] = time.perf_counter() - t0
        sob = None
        if sensitivity:
            t0 = time.perf_counter()
            name = st.sobol_strategy or rows[0].strategy
            pol = next((p for p in policies if p.name == name), None) or resolve_policies(
                sc, [name])[0]
            sob = _sobol(sc, space, table, pol, st, seed, ex, stages.stage("sobol"))
            timings["sobol"] = time.perf_counter() - t0
        stats = table.stats.to_json() if table.stats else {}
        if hasattr(ex, "startup_s"):
            stats["startup_s"] = ex.startup_s
    th = st.thresholds
    meets = {p: (table.outcome("p_catastrophe", p) < th.max_p_catastrophe)
             & (table.outcome("gain_mean", p) > th.min_gain) for p in table.policies}
    return RobustResult(sc, seed, ex.name, st, table, rows,
                        explain(rows, th, table.futures, meets), boxes, pareto, sob,
                        timings, stats, wins)
