"""One evaluation of the network under scenarios, and seeded Monte Carlo over them.

A run draws every uncertain figure once (edge figures by basis, model assumptions, scenario
parameters) and evaluates each requested state with that same draw, so differences between
states are paired rather than blurred by independent noise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tightrope._types import FloatArray
from tightrope.corridors.allocation import Allocation, Method, allocate, candidate_paths
from tightrope.corridors.analysis import FlowSummary, flat_metrics, summarise
from tightrope.corridors.data import CorridorData
from tightrope.corridors.model import (
    CENTRAL,
    EdgeState,
    ModelDraw,
    RandomSampler,
    Sampler,
    edge_state,
)
from tightrope.corridors.routing import Path
from tightrope.corridors.scenarios import Effect, Scenario, apply_scenarios
from tightrope.manifest import rng_name
from tightrope.progress import Progress

__all__ = ["Evaluation", "Metrics", "Progress", "bands", "evaluate", "monte_carlo",
           "rng_description", "route_set", "run_generator"]

Metrics = dict[str, FloatArray]


@dataclass
class Evaluation:
    """A state of the network, its allocation and the summary."""

    scenarios: tuple[Scenario, ...]
    draw: ModelDraw
    state: EdgeState
    effects: dict[str, Effect]
    allocation: Allocation
    summary: FlowSummary


def evaluate(data: CorridorData, scenarios: Sequence[Scenario], s: Sampler = CENTRAL,
             method: Method = "mincost", demand_teu: float | None = None,
             paths: Sequence[Path] | None = None) -> Evaluation:
    """Apply the scenarios to the shipped network under a sampler and allocate the demand."""
    net, model = data.network, data.model
    draw = model.draw(s)
    base = edge_state(net, draw, s)
    state, effects = apply_scenarios(net, base, scenarios, s)
    demand = model.demand.value if demand_teu is None else demand_teu
    alloc = allocate(net, state, draw, demand, model.origins, model.destinations, method,
                     paths=paths, penalty_usd=model.unserved_penalty_usd)
    return Evaluation(tuple(scenarios), draw, state, effects, alloc,
                      summarise(net, state, draw, alloc))


def route_set(data: CorridorData, scenarios: Sequence[Scenario]) -> list[Path]:
    """Candidate routes for the logit at central values (reused across Monte Carlo runs)."""
    net, model = data.network, data.model
    draw = model.draw(CENTRAL)
    state, _ = apply_scenarios(net, edge_state(net, draw, CENTRAL), scenarios, CENTRAL)
    return candidate_paths(net, state, draw, model.origins, model.destinations)


def run_generator(child: np.random.SeedSequence) -> np.random.Generator:
    """The generator of one Monte Carlo run."""
    return np.random.default_rng(child)


def rng_description() -> str:
    """What the Monte Carlo draws with, read from a generator made by :func:`run_generator`."""
    return (rng_name(run_generator(np.random.SeedSequence(0)))
            + ", one SeedSequence(seed).spawn(runs) child per run")


def monte_carlo(data: CorridorData, states: Sequence[Sequence[Scenario]], runs: int, seed: int,
                method: Method = "mincost", demand_teu: float | None = None,
                progress: Progress | None = None) -> list[Metrics]:
    """Flat metrics of every state over ``runs`` seeded draws (one array per metric).

    ``np.random.SeedSequence(seed).spawn(runs)`` gives each run its own stream, so run ``i``
    is the same whatever the number of runs.
    """
    countries = data.network.countries()
    paths = [route_set(data, st) if method == "logit" else None for st in states]
    rows: list[list[dict[str, float]]] = [[] for _ in states]
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(runs)):
        sampler = RandomSampler(run_generator(child))
        for j, st in enumerate(states):
            ev = evaluate(data, st, sampler, method, demand_teu, paths[j])
            rows[j].append(flat_metrics(ev.summary, countries))
        if progress:
            progress(i + 1, runs)
    return [{k: np.array([r[k] for r in rs]) for k in (rs[0] if rs else {})} for rs in rows]


def bands(values: FloatArray, q: tuple[float, float] = (5, 95)) -> tuple[float, float, float]:
    """(low, median, high) percentiles, ignoring NaN; NaNs when nothing is finite."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return (float("nan"),) * 3
    lo, mid, hi = np.percentile(v, [q[0], 50, q[1]])
    return float(lo), float(mid), float(hi)
