"""The minefield: Monte-Carlo simulation of a middle power's moves and great-power reactions.

Declare a scenario as data (powers, moves, reactions, shocks, catastrophes, objectives; every
number sourced or an assumption with a range), then simulate many futures at once::

    from tightrope.minefield import load_scenario, simulate
    result = simulate(load_scenario("kazakhstan-2023"), "balancer", runs=100_000, seed=7)
    result.p_catastrophe, result.ci, result.to_json()

The model, formulas and the scenario format are documented in docs/minefield.md.
"""

from tightrope.minefield.autonomy import autonomy_index
from tightrope.minefield.balancer import Balancer
from tightrope.minefield.engine import RawOutcome, run_engine
from tightrope.minefield.model import Model, compile_model
from tightrope.minefield.registry import all_strategies, resolve_strategy
from tightrope.minefield.results import SimulationResult, wilson
from tightrope.minefield.service import (
    BatchOutcomes,
    Comparison,
    compare,
    evaluate_batch,
    load_scenario,
    shipped_scenarios,
    simulate,
)
from tightrope.minefield.spec import Scenario
from tightrope.minefield.strategies import (
    Bandwagon,
    FixedSequence,
    Isolation,
    Strategy,
    StrategyState,
)

__all__ = [
    "Balancer",
    "Bandwagon",
    "BatchOutcomes",
    "Comparison",
    "FixedSequence",
    "Isolation",
    "Model",
    "RawOutcome",
    "Scenario",
    "SimulationResult",
    "Strategy",
    "StrategyState",
    "all_strategies",
    "autonomy_index",
    "compare",
    "compile_model",
    "evaluate_batch",
    "load_scenario",
    "resolve_strategy",
    "run_engine",
    "shipped_scenarios",
    "simulate",
    "wilson",
]
