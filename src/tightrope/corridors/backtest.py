"""Back-test: run the scenarios that match what happened and compare with the record.

Each observation in ``observed.yaml`` names a 'before' and an 'after' model state and a metric.
For both allocation methods the model's change (central values, and a paired 5-95% band over a
seeded Monte Carlo) is set beside the observed change, with two verdicts:

* direction — does the model move the same way (changes under 1% count as flat)?
* magnitude — model/observed ratio within [2/3, 3/2] is 'close'; below is 'too small', above
  'too large'; for an observed range (days), inside the range is 'close'. When the model
  carries almost nothing on the corridor before, a percentage is meaningless and is reported
  as 'not comparable'.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from tightrope.corridors.allocation import METHODS, Method
from tightrope.corridors.analysis import flat_metrics
from tightrope.corridors.data import CorridorData, Observation, load_data
from tightrope.corridors.engine import Metrics, Progress, bands, evaluate, monte_carlo
from tightrope.corridors.network import CORRIDOR_NAMES
from tightrope.corridors.results import SCHEMAS, corridor_manifest, num
from tightrope.corridors.scenarios import Scenario
from tightrope.errors import InputError
from tightrope.manifest import Manifest

__all__ = ["BacktestResult", "BacktestRow", "backtest", "observed_change"]

#: Below this many TEU on a corridor before, a percentage change is not meaningful.
TINY_TEU: Final = 5000.0
FLAT: Final = 0.01


def observed_change(o: Observation) -> float:
    """The observed change in the metric's own terms."""
    if o.metric in ("corridor_change", "sea_cost_change"):
        return o.after / o.before - 1
    if o.metric == "cape_share":
        return o.after
    return o.after - o.before


def model_change(o: Observation, pre: dict[str, float], post: dict[str, float]) -> float:
    """The model's change for an observation from flat metrics of the two states."""
    if o.metric == "corridor_change":
        a, b = pre[f"corridor.{o.corridor}"], post[f"corridor.{o.corridor}"]
        return b / a - 1 if a > 0 else (math.inf if b > 0 else 0.0)
    if o.metric == "cape_share":
        return post["cape_share"]
    if o.metric == "sea_days_change":
        return post["sea_mean_days"] - pre["sea_mean_days"]
    if o.metric == "sea_cost_change":
        return post["sea_mean_freight_usd"] / pre["sea_mean_freight_usd"] - 1
    raise InputError(f"observation {o.id}: unknown metric {o.metric!r}")


def _direction(o: Observation, model: float, pre: dict[str, float]) -> str:
    obs = observed_change(o)
    if o.metric == "cape_share":
        model = model - (pre["cape_share"] if math.isfinite(pre["cape_share"]) else 0.0)
        obs = obs - o.before
    tol = FLAT if o.metric in ("corridor_change", "sea_cost_change", "cape_share") else 0.1
    if not math.isfinite(model) and model > 0:
        return "right" if obs > 0 else "wrong"
    if abs(model) < tol:
        return "flat (model)"
    return "right" if (model > 0) == (obs > 0) else "wrong"


def _magnitude(o: Observation, model: float, pre: dict[str, float]) -> str:
    if o.metric == "corridor_change" and pre[f"corridor.{o.corridor}"] < TINY_TEU:
        return f"not comparable (model: {pre[f'corridor.{o.corridor}']:,.0f} TEU before)"
    if o.after_low is not None and o.after_high is not None:
        lo, hi = o.after_low - o.before, o.after_high - o.before
        return "close" if lo <= model <= hi else ("too small" if model < lo else "too large")
    obs = observed_change(o)
    if obs == 0 or not math.isfinite(model):
        return "not comparable"
    r = model / obs
    if r <= 0:
        return "wrong direction"
    return "close" if 2 / 3 <= r <= 1.5 else ("too small" if r < 2 / 3 else "too large")


@dataclass
class BacktestRow:
    """One observation against the model, by allocation method."""

    observation: Observation
    model: dict[str, float]
    band: dict[str, tuple[float, float]]
    bound: dict[str, float]
    levels: dict[str, tuple[float, float]]
    direction: dict[str, str]
    magnitude: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        o = self.observation
        pct = o.metric in ("corridor_change", "sea_cost_change")
        scale = 100.0 if pct else 1.0
        unit = "%" if pct else ("share" if o.metric == "cape_share" else "days")
        return {
            "id": o.id, "what": o.what, "period": o.period, "metric": o.metric,
            "corridor": CORRIDOR_NAMES.get(o.corridor) if o.corridor else None,
            "observed": {"text": o.observed_text, "before": o.before, "after": o.after,
                         "unit": o.unit, "change": num(scale * observed_change(o), 2),
                         "change_unit": unit, "sources": list(o.sources)},
            "pre": list(o.pre), "post": list(o.post), "bound_scenarios": list(o.bound),
            "model": {m: {"change": num(scale * self.model[m], 2),
                          "band": [num(scale * x, 2) for x in self.band[m]]
                          if m in self.band else None,
                          "bound_change": num(scale * self.bound[m], 2)
                          if m in self.bound else None,
                          "teu_before": num(self.levels[m][0], 0) if m in self.levels else None,
                          "teu_after": num(self.levels[m][1], 0) if m in self.levels else None,
                          "direction": self.direction[m], "magnitude": self.magnitude[m]}
                      for m in self.model},
            "caveat": o.caveat,
        }


@dataclass
class BacktestResult:
    rows: list[BacktestRow]
    manifest: Manifest
    sources: list[dict[str, Any]] = field(default_factory=list)

    def misses(self) -> list[str]:
        """Plain sentences on where the model misses (for reports)."""
        out = []
        for r in self.rows:
            o = r.observation
            bad = {m: (r.direction[m], r.magnitude[m]) for m in r.model
                   if r.direction[m] != "right" or r.magnitude[m] != "close"}
            if bad:
                how = "; ".join(f"{m}: direction {d}, magnitude {g}" for m, (d, g) in bad.items())
                out.append(f"{o.what} ({o.period}): {how}. {o.caveat}".strip())
        return out

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMAS["backtest"], "rows": [r.to_dict() for r in self.rows],
                "misses": self.misses(), "sources": self.sources,
                "verdicts": "direction: same sign (|change| < 1% is flat); magnitude: "
                            "model/observed in [2/3, 3/2] is close",
                "manifest": self.manifest.to_dict()}


def _states(obs: Sequence[Observation], data: CorridorData) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    for o in obs:
        for st in (o.pre, o.post):
            if st not in keys:
                keys.append(st)
    return keys


def backtest(*, runs: int = 100, seed: int = 20240101, progress: Progress | None = None
             ) -> BacktestResult:
    """Every observation of ``observed.yaml`` against the model, for both methods."""
    if runs < 0:
        raise InputError(f"runs must not be negative, got {runs}")
    data = load_data()
    obs = data.observations
    keys = _states(obs, data)
    scen = {k: [data.scenarios[n] for n in k] for k in keys}
    bound_keys = {o.bound for o in obs if o.bound}
    countries = data.network.countries()
    central: dict[tuple[str, str | tuple[str, ...]], dict[str, float]] = {}
    for m in METHODS:
        for k in {*keys, *bound_keys}:
            sc: list[Scenario] = [data.scenarios[n] for n in k]
            central[(m, k)] = flat_metrics(evaluate(data, sc, method=m).summary, countries)
    mc: dict[Method, list[Metrics]] = {}
    if runs:
        done = [0]
        total = runs * len(METHODS)

        def tick(i: int, n: int, message: str = "") -> None:
            if progress:
                progress(done[0] + i, total, "back-test Monte Carlo")

        for m in METHODS:
            mc[m] = monte_carlo(data, [scen[k] for k in keys], runs, seed, m, progress=tick)
            done[0] += runs
    rows = [_row(o, keys, central, mc) for o in obs]
    sids = sorted({s for o in obs for s in o.sources})
    sources = [data.network.sources[s].to_dict() for s in sids if s in data.network.sources]
    manifest = corridor_manifest("backtest", data.hash, "both",
                                 tuple(sorted({n for k in keys for n in k})), seed, runs)
    return BacktestResult(rows, manifest, sources)


def _row(o: Observation, keys: list[tuple[str, ...]],
         central: dict[tuple[str, str | tuple[str, ...]], dict[str, float]],
         mc: dict[Method, list[Metrics]]) -> BacktestRow:
    model: dict[str, float] = {}
    band: dict[str, tuple[float, float]] = {}
    bound: dict[str, float] = {}
    levels: dict[str, tuple[float, float]] = {}
    direction: dict[str, str] = {}
    magnitude: dict[str, str] = {}
    for m in METHODS:
        pre, post = central[(m, o.pre)], central[(m, o.post)]
        model[m] = model_change(o, pre, post)
        direction[m] = _direction(o, model[m], pre)
        magnitude[m] = _magnitude(o, model[m], pre)
        if o.corridor:
            levels[m] = (pre[f"corridor.{o.corridor}"], post[f"corridor.{o.corridor}"])
        if o.bound:
            bound[m] = model_change(o, pre, central[(m, o.bound)])
        if m in mc:
            a, b = mc[m][keys.index(o.pre)], mc[m][keys.index(o.post)]
            n = len(next(iter(a.values())))
            vals = np.array([model_change(o, {k: float(v[i]) for k, v in a.items()},
                                          {k: float(v[i]) for k, v in b.items()})
                             for i in range(n)])
            lo, _, hi = bands(vals)
            band[m] = (lo, hi)
    return BacktestRow(o, model, band, bound, levels, direction, magnitude)
