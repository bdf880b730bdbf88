"""Robust strategies under deep uncertainty: exploratory modelling on the minefield engine.

Every assumption range of a scenario is an uncertainty; strategies and their settings (the
balancer's attitude floor, one floor per power) are levers. The study evaluates strategies ×
thousands of sampled futures × trajectories with the vectorised engine, then asks which
strategy holds up (robustness, regret, satisficing), which lever settings are Pareto-optimal
(NSGA-II), which futures make a strategy fail (PRIM boxes) and which uncertainties drive the
risk (Sobol' indices)::

    from tightrope.minefield.robust import robust_analysis
    result = robust_analysis("kazakhstan-2023", samples=64, runs=200, seed=3)
    result.robustness[0].strategy, result.to_json()

Methods and references: docs/robust.md (Lempert et al. 2003; Kwakkel 2017; Friedman & Fisher
1999; Bryant & Lempert 2010; Saltelli 2002, 2010).
"""

from tightrope.minefield.robust.design import UncertaintySpace, latin_hypercube, streams
from tightrope.minefield.robust.evaluate import (
    OUTCOMES,
    LocalExecutor,
    Sweep,
    SweepStats,
    Task,
    plan_tasks,
    run_task,
    sweep,
)
from tightrope.minefield.robust.experiments import ExperimentTable, load_table, run_experiments
from tightrope.minefield.robust.levers import Policy, PowerFloors, resolve_policies
from tightrope.minefield.robust.prim import PrimResult, PrimStep, Restriction, prim, prim_ema
from tightrope.minefield.robust.robustness import (
    StrategyRobustness,
    Thresholds,
    explain,
    rank,
    regret,
    satisficing,
    summarise,
)
from tightrope.minefield.robust.search import (
    ParetoFront,
    ParetoPoint,
    SearchSettings,
    search_levers,
)
from tightrope.minefield.robust.sensitivity import (
    SobolResult,
    block_groups,
    screen_groups,
    sobol_design,
    sobol_indices,
)
from tightrope.minefield.robust.service import (
    RobustResult,
    RobustSettings,
    discover,
    discover_success,
    robust_analysis,
)

__all__ = [
    "OUTCOMES",
    "ExperimentTable",
    "LocalExecutor",
    "ParetoFront",
    "ParetoPoint",
    "Policy",
    "PowerFloors",
    "PrimResult",
    "PrimStep",
    "Restriction",
    "RobustResult",
    "RobustSettings",
    "SearchSettings",
    "SobolResult",
    "StrategyRobustness",
    "Sweep",
    "SweepStats",
    "Task",
    "Thresholds",
    "UncertaintySpace",
    "block_groups",
    "discover",
    "discover_success",
    "explain",
    "latin_hypercube",
    "load_table",
    "plan_tasks",
    "prim",
    "prim_ema",
    "rank",
    "regret",
    "resolve_policies",
    "robust_analysis",
    "run_experiments",
    "run_task",
    "satisficing",
    "screen_groups",
    "search_levers",
    "sobol_design",
    "sobol_indices",
    "streams",
    "summarise",
    "sweep",
]
