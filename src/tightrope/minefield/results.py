"""Results of a simulation: P(catastrophe) with a Wilson interval, gain and autonomy
distributions, attitude fan charts, what the strategy did, and the first-mistake table.

References: Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
inference", JASA 22, 209–212 (the score interval used for P(catastrophe)).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tightrope.manifest import Input, Manifest
from tightrope.minefield.engine import FAN_QUANTILES, GAIN_PARTS, RawOutcome
from tightrope.minefield.rng import engine_rng_name
from tightrope.minefield.spec import Scenario

__all__ = ["GAIN_QUANTILES", "SimulationResult", "band_labels", "scenario_inputs",
           "summarise", "wilson"]

GAIN_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (default 95%).

    >>> lo, hi = wilson(0, 100)
    >>> lo == 0.0 and 0.03 < hi < 0.04
    True
    """
    if n <= 0:
        raise ValueError("n must be positive")
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # the interval always contains p; guard against rounding at p = 0 or 1
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def band_labels(edges: tuple[float, ...] | NDArray[np.float64]) -> list[str]:
    """Readable attitude bands for the edges, e.g. ['< -0.5', '-0.5 to 0', ...]."""
    e = [float(x) for x in edges]
    if not e:
        return ["any"]
    out = [f"< {e[0]:g}"]
    out += [f"{lo:g} to {hi:g}" for lo, hi in itertools.pairwise(e)]
    out.append(f">= {e[-1]:g}")
    return out


@dataclass
class SimulationResult:
    """One strategy on one scenario. ``to_json()`` gives the documented JSON form."""

    scenario: str
    title: str
    strategy: str
    seed: int
    runs: int
    horizon: int
    powers: list[str]  # file order
    p_catastrophe: float
    ci: tuple[float, float]
    by_kind: dict[str, float]
    cum_catastrophe: list[float]
    gain: dict[str, Any]
    autonomy: dict[str, Any]
    fan: dict[str, dict[str, list[float | None]]]
    move_share: dict[str, list[float]]
    first_mistakes: list[dict[str, Any]]
    manifest: Manifest
    catastrophe_flags: NDArray[np.bool_] = field(repr=False, default_factory=lambda: np.zeros(0,
                                                                                      bool))
    gains: NDArray[np.float64] = field(repr=False, default_factory=lambda: np.zeros(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "title": self.title, "strategy": self.strategy,
            "seed": self.seed, "runs": self.runs, "horizon_quarters": self.horizon,
            "p_catastrophe": self.p_catastrophe,
            "p_catastrophe_ci95": list(self.ci),
            "p_catastrophe_by_kind": self.by_kind,
            "cumulative_p_catastrophe": self.cum_catastrophe,
            "gain_pct_gdp": self.gain, "autonomy": self.autonomy,
            "attitude_fan": self.fan, "move_share": self.move_share,
            "first_mistakes": self.first_mistakes, "manifest": self.manifest.to_dict(),
        }


def _fan(raw: RawOutcome, order: list[str]) -> dict[str, dict[str, list[float | None]]]:
    if raw.fan is None:
        return {}
    out: dict[str, dict[str, list[float | None]]] = {}
    for p in order:
        i = raw.model.power_index(p)
        out[p] = {f"q{round(q * 100):02d}": [None if math.isnan(x) else round(float(x), 4)
                                            for x in raw.fan[0, :, i, k]]
                  for k, q in enumerate(FAN_QUANTILES)}
    return out


def _first_mistakes(raw: RawOutcome, scenario: Scenario, top: int = 15) -> list[dict[str, Any]]:
    """Which move, in which state of the reacting power, came right before catastrophe.

    Rows are (move, reacting power, its attitude band before the move, catastrophe kind) with
    the count, the share of all catastrophes and — when exposures are known — the rate per
    1,000 surviving trajectory-quarters spent in that (move, power band) state.
    """
    md = raw.model
    cat = raw.catastrophe[0]
    n = int(cat.sum())
    if n == 0:
        return []
    labels = band_labels(md.bands)
    keys = np.stack([raw.cat_move[0][cat], raw.cat_power[0][cat], raw.cat_band[0][cat],
                     raw.cat_kind[0][cat]], axis=1).astype(np.int64)
    uniq, counts = np.unique(keys, axis=0, return_counts=True)
    rows = []
    for (m, p, b, k), c in zip(uniq, counts, strict=True):
        exposure = None
        if raw.exposure is not None:
            ex = raw.exposure[0]
            exposure = int(ex[m, p, b]) if p >= 0 else int(ex[m, 0, :].sum())
        row = {
            "move": md.moves[m], "move_label": scenario.moves[m].label,
            "reacting_power": md.powers[p] if p >= 0 else "economy",
            "attitude_band": labels[b] if b >= 0 else "n/a",
            "catastrophe": md.catastrophes[k], "count": int(c),
            "share_of_catastrophes": round(int(c) / n, 4),
            "exposure_quarters": exposure,
            "rate_per_1000": round(1000 * int(c) / exposure, 3) if exposure else None,
        }
        rows.append(row)
    rows.sort(key=lambda r: (-r["count"], r["move"]))
    return rows[:top]


def _dist(x: NDArray[np.float64], qs: tuple[float, ...], bins: int = 40) -> dict[str, Any]:
    counts, edges = np.histogram(x, bins=bins)
    return {"mean": float(x.mean()), "sd": float(x.std()),
            "quantiles": {f"q{round(q * 100):02d}": float(v)
                          for q, v in zip(qs, np.quantile(x, qs), strict=True)},
            "histogram": {"edges": [float(e) for e in edges], "counts": counts.tolist()}}


def scenario_inputs(scenario: Scenario) -> tuple[Input, ...]:
    """The scenario file as a manifest input (none for a scenario built in memory)."""
    return (Input(scenario.source or scenario.key, scenario.sha256),) if scenario.sha256 else ()


def summarise(raw: RawOutcome, scenario: Scenario, extra: dict[str, Any] | None = None
              ) -> SimulationResult:
    """Turn one engine run (a single parameter sample) into a :class:`SimulationResult`."""
    if raw.model.samples != 1:
        raise ValueError("summarise() takes a single-sample run; use evaluate_batch for many")
    md = raw.model
    cat = raw.catastrophe[0]
    k = int(cat.sum())
    by_kind = {c: float(np.mean(raw.cat_kind[0] == i)) for i, c in enumerate(md.catastrophes)}
    order = list(scenario.power_keys)
    move_share = ({m: [round(float(x), 5) for x in raw.move_share[0, :, i]]
                   for i, m in enumerate(md.moves)} if raw.move_share is not None else {})
    manifest = Manifest(
        "simulate", scenario_inputs(scenario), raw.seed, engine_rng_name(),
        {"scenario": scenario.key, "strategy": raw.strategy, "runs": raw.runs,
         "horizon_quarters": md.horizon, "parameters": len(scenario.params),
         "uncertainties": len(scenario.uncertainties()),
         "engine": "tightrope.minefield.engine (vectorised, float32)", **(extra or {})})
    return SimulationResult(
        scenario=scenario.key, title=scenario.title, strategy=raw.strategy, seed=raw.seed,
        runs=raw.runs, horizon=md.horizon, powers=order, p_catastrophe=k / raw.runs,
        ci=wilson(k, raw.runs), by_kind=by_kind,
        cum_catastrophe=[round(float(x), 6) for x in raw.cum_catastrophe[0]],
        gain={**_dist(raw.gain[0], GAIN_QUANTILES),
              "by_source": {k: float(raw.gain_parts[i, 0]) for i, k in enumerate(GAIN_PARTS)}},
        autonomy=_dist(raw.autonomy[0], GAIN_QUANTILES, bins=20),
        fan=_fan(raw, order), move_share=move_share,
        first_mistakes=_first_mistakes(raw, scenario), manifest=manifest,
        catastrophe_flags=cat.copy(), gains=raw.gain[0].copy(),
    )
