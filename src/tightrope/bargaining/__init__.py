"""Bargaining forecasts: Bueno de Mesquita's expected-utility group-decision model.

As specified by Scholz, Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group
decision model", *Journal of Theoretical Politics* 23(4): 510–531. The core
(:mod:`~tightrope.bargaining.model`) is pure, vectorised NumPy; variants are named options
(:mod:`~tightrope.bargaining.variants`); :func:`forecast` is the service the CLI and web call.
See ``docs/bargaining.md``.
"""

from __future__ import annotations

from tightrope.bargaining.actors import FIELDS, Actors
from tightrope.bargaining.dynamics import (
    RoundOutcome,
    Settlement,
    Trajectory,
    bargaining_round,
    settle,
    simulate,
    simulate_batch,
)
from tightrope.bargaining.loader import EXAMPLES, example_path, load_actors
from tightrope.bargaining.model import (
    better_utility,
    danger_levels,
    expected_utility,
    failure_utility,
    median_position,
    risk_exponents,
    status_quo_utility,
    success_utility,
    vote_distances,
    votes,
    weighted_mean,
    win_probability,
    worse_utility,
)
from tightrope.bargaining.montecarlo import MonteCarloResult, monte_carlo, sample_inputs
from tightrope.bargaining.offers import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NO_OFFER,
    OFFER_NAMES,
    choose_offers,
    classify_offers,
)
from tightrope.bargaining.service import SCHEMA, ForecastResult, forecast
from tightrope.bargaining.variants import VARIANTS, ModelOptions, resolve_options

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "EXAMPLES",
    "FIELDS",
    "NO_OFFER",
    "OFFER_NAMES",
    "SCHEMA",
    "VARIANTS",
    "Actors",
    "ForecastResult",
    "ModelOptions",
    "MonteCarloResult",
    "RoundOutcome",
    "Settlement",
    "Trajectory",
    "bargaining_round",
    "better_utility",
    "choose_offers",
    "classify_offers",
    "danger_levels",
    "example_path",
    "expected_utility",
    "failure_utility",
    "forecast",
    "load_actors",
    "median_position",
    "monte_carlo",
    "resolve_options",
    "risk_exponents",
    "sample_inputs",
    "settle",
    "simulate",
    "simulate_batch",
    "status_quo_utility",
    "success_utility",
    "vote_distances",
    "votes",
    "weighted_mean",
    "win_probability",
    "worse_utility",
]
