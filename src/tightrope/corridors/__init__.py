"""Corridors: the Eurasian trade-route network under disruption.

Routes between China and Europe (Northern via Russia, the Middle Corridor across the Caspian,
the Southern route via Iran, the sea via Suez or the Cape) as a network with sourced or
assumed figures; k-best routes by generalised cost; demand allocation by min-cost flow or
capacity-restrained logit; named and user-defined disruptions with seeded Monte Carlo; a
back-test against what happened in 2022-24. See ``docs/corridors.md``.

The calibrated **market model** (nested logit with a sanctions premium distributed across
shippers, congestion at the bottlenecks, a sea-freight supply response; calibrated on 2019 and
2021) drives the back-test, ``market_impact`` (what a disruption means for Kazakhstan) and
``move_gain`` (the Minefield payoff of a corridor move).

Service API (returns result objects with ``.to_json()``)::

    from tightrope import corridors
    corridors.route("Xian", "Duisburg", k=3)
    corridors.allocate(method="logit", runs=100, seed=1)
    corridors.disrupt(["russia-transit"], runs=200, seed=1)
    corridors.backtest(runs=100)
    corridors.market_impact([...], year=2024)
    corridors.move_gain("middle-corridor-reform")
"""

from tightrope.corridors.allocation import METHODS
from tightrope.corridors.analysis import FOCAL
from tightrope.corridors.backtest import BacktestResult, BacktestRow, backtest
from tightrope.corridors.impact import MarketImpact, market_impact, move_gain
from tightrope.corridors.network import CORRIDOR_NAMES, RISK_TAGS, Edge, Network, Node
from tightrope.corridors.results import DisruptionResult, FlowResult, RouteOption, RouteResult
from tightrope.corridors.scenarios import Scenario
from tightrope.corridors.service import (
    DEFAULT_SEED,
    allocate,
    disrupt,
    list_scenarios,
    resolve_scenarios,
    route,
    shipped_network,
)

__all__ = [
    "CORRIDOR_NAMES",
    "DEFAULT_SEED",
    "FOCAL",
    "METHODS",
    "RISK_TAGS",
    "BacktestResult",
    "BacktestRow",
    "DisruptionResult",
    "Edge",
    "FlowResult",
    "MarketImpact",
    "Network",
    "Node",
    "RouteOption",
    "RouteResult",
    "Scenario",
    "allocate",
    "backtest",
    "disrupt",
    "list_scenarios",
    "market_impact",
    "move_gain",
    "resolve_scenarios",
    "route",
    "shipped_network",
]

from tightrope._entry import make_callable

# calling the package, ``tightrope.corridors(...)``, calls :func:`tightrope.api.corridors`
make_callable(__name__)
