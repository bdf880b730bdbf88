"""The corridor service: what the CLI, report, web dashboard, minefield and demo call.

>>> from tightrope import corridors
>>> [o.corridor for o in corridors.route("Xian", "Duisburg", k=2).options]
['suez', 'northern']
>>> corridors.route("Xian", "Duisburg", k=1, vot_usd_per_feu_day=1000).options[0].corridor
'northern'
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from tightrope.corridors.allocation import METHODS, Method
from tightrope.corridors.data import CorridorData, load_data, read_scenario_file
from tightrope.corridors.engine import Metrics, Progress, evaluate, monte_carlo
from tightrope.corridors.geometry import route_points
from tightrope.corridors.model import CENTRAL, HIGH, LOW, EdgeState, edge_state
from tightrope.corridors.network import Network
from tightrope.corridors.results import (
    DisruptionResult,
    FlowResult,
    RouteOption,
    RouteResult,
    corridor_manifest,
)
from tightrope.corridors.routing import Path as RoutePath
from tightrope.corridors.routing import k_best_paths
from tightrope.corridors.scenarios import Scenario, apply_scenarios
from tightrope.errors import InputError

__all__ = [
    "DEFAULT_SEED",
    "allocate",
    "disrupt",
    "list_scenarios",
    "resolve_scenarios",
    "route",
    "shipped_network",
]

DEFAULT_SEED: Final = 20240101


def shipped_network() -> Network:
    """The shipped corridor network."""
    return load_data().network


def list_scenarios() -> list[Scenario]:
    """The named scenarios shipped with Tightrope."""
    return list(load_data().scenarios.values())


def resolve_scenarios(names: Sequence[str], scenario_file: Path | None = None) -> list[Scenario]:
    """Scenarios by name (a user file's first, then the shipped ones). With a file and no
    names, every scenario in the file. Unknown names raise InputError with suggestions."""
    data = load_data()
    custom = read_scenario_file(scenario_file, data.network) if scenario_file else {}
    if scenario_file and not names:
        return list(custom.values())
    out = []
    for n in names:
        sc = custom.get(n) or data.scenarios.get(n)
        if sc is None:
            known = [*custom, *data.scenarios]
            close = difflib.get_close_matches(n, known, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise InputError(f"unknown scenario {n!r}{hint}",
                             expected="a shipped scenario name or one defined in the scenario file")
        out.append(sc)
    return out


def _method(method: str) -> Method:
    if method not in METHODS:
        raise InputError(f"unknown allocation method {method!r}", expected=" or ".join(METHODS))
    return method  # type: ignore[return-value]


def _check_runs(runs: int, demand_teu: float | None) -> None:
    if runs < 0:
        raise InputError(f"runs must not be negative, got {runs}")
    if demand_teu is not None and demand_teu < 0:
        raise InputError(f"demand must not be negative, got {demand_teu}",
                         expected="TEU per year, e.g. 12500000")


def route(origin: str, destination: str, *, k: int = 3, vot_usd_per_feu_day: float | None = None,
          scenarios: Sequence[str] = (), scenario_file: Path | None = None) -> RouteResult:
    """The ``k`` best routes from ``origin`` to ``destination`` by generalised cost per FEU.

    Node names match case- and accent-insensitively; unknown names raise InputError with
    suggestions. ``vot_usd_per_feu_day`` defaults to the model's route value of time
    (US$ 100 per FEU-day, an assumption). Bands put every edge at its low or high figure.
    """
    data = load_data()
    net = data.network
    a, b = net.resolve(origin), net.resolve(destination)
    if a.id == b.id:
        raise InputError(f"origin and destination are the same node ({a.name})")
    if k < 1:
        raise InputError(f"k must be at least 1, got {k}")
    if vot_usd_per_feu_day is not None and vot_usd_per_feu_day < 0:
        raise InputError("the value of time must not be negative")
    scen = resolve_scenarios(scenarios, scenario_file)
    draw = data.model.draw(CENTRAL)
    vot = draw.route_vot_usd_per_feu_day if vot_usd_per_feu_day is None else vot_usd_per_feu_day
    states = [apply_scenarios(net, edge_state(net, data.model.draw(s), s), scen, s)[0]
              for s in (CENTRAL, LOW, HIGH)]
    central = states[0]
    paths = k_best_paths(net, central, vot, [a.id], [b.id], k)
    options = [_option(net, p, i + 1, states, vot) for i, p in enumerate(paths)]
    keys = {key for p in paths for i in p.edges
            for key in (net.edges[i].rule, net.edges[i].capacity_teu.basis)}
    manifest = corridor_manifest("route", data.hash, "k-best (Yen)", tuple(s.name for s in scen),
                                 parameters={"k": k, "vot_usd_per_feu_day": vot})
    return RouteResult(a, b, vot, options, tuple(scen), manifest,
                       [s.to_dict() for s in net.sources_for(sorted(keys))])


def _option(net: Network, p: RoutePath, rank: int, states: list[EdgeState], vot: float
            ) -> RouteOption:
    c, lo, hi = states
    edges = [net.edges[i] for i in p.edges]
    modes = tuple(e.mode for e in edges)
    countries: list[str] = []
    for e, start in zip(edges, p.nodes, strict=False):
        seq = [iso for iso, _ in e.countries]
        for iso in (seq if start == e.a else seq[::-1]):
            if iso not in countries:
                countries.append(iso)
    days = p.total(c.days)
    return RouteOption(
        rank, tuple(net.node(n) for n in p.nodes), tuple(e.id for e in edges), p.corridor(net),
        modes, tuple(countries), sum(1 for e in edges if e.gauge_break),
        sum(1 for m0, m1 in itertools.pairwise(modes) if m0 != m1),
        sum(e.distance_km.central for e in edges), (days, p.total(lo.days), p.total(hi.days)),
        (p.total(c.cost), p.total(lo.cost), p.total(hi.cost)), p.total(c.risk), vot * days,
        p.total(c.gc(vot)), path=tuple(route_points(net, p.nodes, p.edges)))


def _flow_result(data: CorridorData, scen: Sequence[Scenario], method: Method,
                 demand_teu: float | None, metrics: Metrics | None, runs: int,
                 seed: int | None) -> FlowResult:
    ev = evaluate(data, scen, CENTRAL, method, demand_teu)
    manifest = corridor_manifest("flows", data.hash, method, tuple(s.name for s in scen), seed,
                                 runs, {"demand_teu": ev.summary.demand_teu})
    return FlowResult(data.network, data.model, ev, manifest, metrics)


def allocate(*, demand_teu: float | None = None, method: str = "mincost",
             scenarios: Sequence[str] = (), scenario_file: Path | None = None, runs: int = 0,
             seed: int = DEFAULT_SEED, progress: Progress | None = None) -> FlowResult:
    """Assign China -> Europe container demand (TEU/yr; default the sourced 12.5M) to routes.

    ``method`` is ``mincost`` (min-cost flow by cargo class) or ``logit`` (capacity-restrained
    logit over corridors). With ``runs`` > 0, a seeded Monte Carlo over every uncertain figure
    adds 5-95% bands.
    """
    m = _method(method)
    _check_runs(runs, demand_teu)
    data = load_data()
    scen = resolve_scenarios(scenarios, scenario_file)
    metrics = (monte_carlo(data, [scen], runs, seed, m, demand_teu, progress)[0]
               if runs else None)
    return _flow_result(data, scen, m, demand_teu, metrics, runs, seed if runs else None)


#: Monte Carlo runs of the market model in ``disrupt`` at most (each run re-calibrates).
MARKET_RUNS: Final = 10


def disrupt(scenarios: Sequence[str], *, scenario_file: Path | None = None,
            method: str = "mincost", demand_teu: float | None = None, runs: int = 200,
            seed: int = DEFAULT_SEED, progress: Progress | None = None,
            year: int = 2024, market: bool = True) -> DisruptionResult:
    """Baseline versus the named (and/or user-defined) scenarios applied together.

    Reports the reallocation by corridor, time and cost penalties, unserved demand, who gains
    transit revenue by country, and Kazakhstan's change, with paired 5-95% bands from a seeded
    Monte Carlo of ``runs`` draws (0 for central values only). With ``market`` (default), the
    calibrated market model adds the same disruption in ``year``'s conditions: containers and
    regional tonnes by corridor, the Middle Corridor's bottlenecks and headroom, who gains
    (bands from ``min(runs, MARKET_RUNS)`` = at most 10 re-calibrated runs).
    """
    m = _method(method)
    _check_runs(runs, demand_teu)
    if not scenarios and not scenario_file:
        raise InputError("name at least one scenario",
                         expected="e.g. russia-transit (see `tightrope corridors scenarios`)")
    data = load_data()
    scen = resolve_scenarios(scenarios, scenario_file)
    pre = post = None
    if runs:
        pre, post = monte_carlo(data, [[], scen], runs, seed, m, demand_teu, progress)
    base = _flow_result(data, [], m, demand_teu, pre, runs, seed if runs else None)
    hit = _flow_result(data, scen, m, demand_teu, post, runs, seed if runs else None)
    manifest = corridor_manifest("disrupt", data.hash, m, tuple(s.name for s in scen), seed,
                                 runs, {"demand_teu": hit.summary.demand_teu})
    impact = None
    if market:
        from tightrope.corridors.impact import market_impact

        impact = market_impact(scen, year=year, runs=min(runs, MARKET_RUNS), seed=seed)
    return DisruptionResult(base, hit, tuple(scen), manifest, pre, post, impact)
