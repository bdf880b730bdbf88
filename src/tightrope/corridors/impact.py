"""What a disruption means for Kazakhstan, from the calibrated market model.

For a year's conditions (default 2023, the latest with every input observed) the market is
solved without and with the scenarios: container TEU and regional tonnes by corridor, the sea
rate, the bottlenecks (which binds, its queue and shadow price), transit revenue by country
(who gains and who loses, US$ a year) and Kazakhstan's revenue by corridor. The Middle
Corridor's **headroom** says which bottleneck binds first as its traffic grows and at what
volume. Bands: 5-95% of the paired change over a seeded Monte Carlo that re-calibrates the
model on 2019-2021 in every run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

import numpy as np

from tightrope.corridors.backtest import run_years
from tightrope.corridors.calibrate import (
    Calibration,
    calibrate,
    calibrated_run,
    run_sampler,
    solve_years,
    vots,
    year_scenarios,
)
from tightrope.corridors.data import CorridorData, load_data
from tightrope.corridors.engine import Progress, bands
from tightrope.corridors.market import (
    MarketState,
    network_attributes,
    params,
    solve,
)
from tightrope.corridors.model import Sampler
from tightrope.corridors.network import CORRIDOR_NAMES
from tightrope.corridors.scenarios import Scenario
from tightrope.errors import InputError

__all__ = ["MarketImpact", "headroom", "market_impact", "move_gain", "run_year"]

YEARS: Final = (2021, 2022, 2023, 2024)
_MIDDLE_BOTTLENECKS: Final = ("china-kazakhstan", "caspian", "caucasus-onward")


def _solve_pair(data: CorridorData, scen: Sequence[Scenario], year: int, seed: int | None,
                run: int = 0, sampler: Sampler | None = None
                ) -> tuple[Calibration, MarketState, MarketState]:
    spec = data.market
    if sampler is None:
        cal, p, base_attrs = calibrated_run(seed, run)
        s = run_sampler(seed, run)
    else:
        s = sampler
        p0 = params(spec, s, {k: v[0] for k, v in spec.calibrated.items()})
        base_attrs = network_attributes(data, spec, [], s, vots(p0))
        cal, p = calibrate(data, spec, s, None, base_attrs)
    before = solve_years(data, spec, p, [year], s, base_attrs)[year]
    names = [data.scenarios[n] for n in year_scenarios(year)]
    attrs = network_attributes(data, spec, [*names, *scen], s, vots(p))
    after = solve(attrs, before.conditions, p, reference=base_attrs,
                  bottlenecks=spec.bottlenecks)
    return cal, before, after


def headroom(st: MarketState) -> list[dict[str, Any]]:
    """The Middle Corridor's bottlenecks in the order they bind as its traffic grows.

    For each: spare capacity, and the Middle Corridor tonnage at which it fills if the
    corridor's traffic grows while other traffic through it stays put (containers counted
    at the model's tonnes per TEU).
    """
    tpt = st.t_per_teu
    mid_t = st.middle_t
    rows = []
    for ld in st.loads:
        if ld.key not in _MIDDLE_BOTTLENECKS:
            continue
        spare = max(0.0, ld.capacity - ld.flow)
        spare_t = spare * (tpt if ld.unit == "teu" else 1.0)
        if ld.key == "caucasus-onward":
            # containers only: the corridor's tonnage grows in proportion
            share = st.teu.get("middle", 0.0) * tpt / mid_t if mid_t > 0 else 0.0
            at = mid_t + spare_t / share if share > 0 else math.inf
        else:
            at = mid_t + spare_t
        rows.append({**ld.to_dict(), "spare": round(spare),
                     "middle_t_when_binding": round(at) if math.isfinite(at) else None})
    rows.sort(key=lambda r: math.inf if r["middle_t_when_binding"] is None
              else r["middle_t_when_binding"])
    for i, r in enumerate(rows):
        r["binds_first"] = i == 0
    return rows


def _corridor_rows(a: MarketState, b: MarketState) -> list[dict[str, Any]]:
    rows = []
    for c in ("northern", "middle", "suez", "cape"):
        x0, x1 = a.teu.get(c, 0.0), b.teu.get(c, 0.0)
        rows.append({"corridor": c, "name": CORRIDOR_NAMES[c], "unit": "TEU/yr",
                     "before": round(x0), "after": round(x1), "change": round(x1 - x0),
                     "change_pct": round(100 * (x1 / x0 - 1), 1) if x0 > 0 else None})
    for k, name in (("via_russia", "Regional cargo via Russia"),
                    ("middle", "Regional cargo, Middle Corridor")):
        x0, x1 = a.regional_t.get(k, 0.0), b.regional_t.get(k, 0.0)
        rows.append({"corridor": f"regional.{k}", "name": name, "unit": "t/yr",
                     "before": round(x0), "after": round(x1), "change": round(x1 - x0),
                     "change_pct": round(100 * (x1 / x0 - 1), 1) if x0 > 0 else None})
    x0, x1 = a.middle_t, b.middle_t
    rows.append({"corridor": "middle_t", "name": "Middle Corridor, all cargo", "unit": "t/yr",
                 "before": round(x0), "after": round(x1), "change": round(x1 - x0),
                 "change_pct": round(100 * (x1 / x0 - 1), 1) if x0 > 0 else None})
    return rows


@dataclass
class MarketImpact:
    """Market model before and after the scenarios in one year's conditions, with bands."""

    year: int
    scenarios: tuple[str, ...]
    before: MarketState
    after: MarketState
    calibration: Calibration
    runs: int = 0
    seed: int | None = None
    draws: dict[str, list[float]] = field(default_factory=dict)

    def band(self, key: str) -> list[float | None] | None:
        v = self.draws.get(key)
        if not v:
            return None
        lo, _, hi = bands(np.array(v))
        return [_r(lo), _r(hi)]

    def who_gains(self) -> list[dict[str, Any]]:
        """Transit revenue by country, before, after and change (US$ a year), gainers first."""
        a, b = self.before.revenue_usd, self.after.revenue_usd
        rows: list[dict[str, Any]] = []
        for iso in sorted(set(a) | set(b)):
            r0, r1 = a.get(iso, 0.0), b.get(iso, 0.0)
            if abs(r1 - r0) < 1:
                continue
            rows.append({"iso3": iso, "before_usd": round(r0), "after_usd": round(r1),
                         "change_usd": round(r1 - r0),
                         "change_band_usd": self.band(f"revenue.{iso}"),
                         "gains": r1 > r0})
        rows.sort(key=lambda r: -float(r["change_usd"]))
        return rows

    def kazakhstan(self) -> dict[str, Any]:
        a, b = self.before, self.after
        by = sorted(set(a.kaz_revenue_by_corridor) | set(b.kaz_revenue_by_corridor))
        return {
            "transit_teu": {"before": round(a.teu["northern"] + a.teu["middle"]),
                            "after": round(b.teu["northern"] + b.teu["middle"])},
            "revenue_usd": {"before": round(a.revenue_usd.get("KAZ", 0.0)),
                            "after": round(b.revenue_usd.get("KAZ", 0.0)),
                            "change": round(b.revenue_usd.get("KAZ", 0.0)
                                            - a.revenue_usd.get("KAZ", 0.0)),
                            "change_band": self.band("revenue.KAZ")},
            "revenue_by_corridor_usd": [
                {"corridor": c, "before": round(a.kaz_revenue_by_corridor.get(c, 0.0)),
                 "after": round(b.kaz_revenue_by_corridor.get(c, 0.0))} for c in by],
            "formula": "containers: TEU/2 x freight per FEU on Kazakh legs x Kazakhstan's share "
                       "x domestic retention; regional cargo: tonnes x Kazakh rail and port "
                       "revenue per tonne (an assumption)"}

    def to_json(self) -> dict[str, Any]:
        bott = {ld.key: ld for ld in self.after.loads}
        binding = [ld.to_dict() for ld in self.after.loads if ld.to_dict()["binding"]]
        return {
            "year": self.year, "scenarios": list(self.scenarios),
            "conditions": {"sea_rate_index_before": round(self.before.rate_index, 3),
                           "sea_rate_index_after": round(self.after.rate_index, 3),
                           "cape_share_before": round(self.before.cape_share, 3),
                           "cape_share_after": round(self.after.cape_share, 3)},
            "corridors": self._with_bands(_corridor_rows(self.before, self.after)),
            "middle_corridor": {
                "teu_change": round(self.after.teu["middle"] - self.before.teu["middle"]),
                "teu_change_band": self.band("teu.middle"),
                "t_change": round(self.after.middle_t - self.before.middle_t),
                "t_change_band": self.band("middle_t"),
                "gains": self.after.middle_t > self.before.middle_t,
                "headroom_before": headroom(self.before),
                "headroom_after": headroom(self.after)},
            "bottlenecks_after": [ld.to_dict() for ld in bott.values()],
            "binding_after": binding,
            "who_gains": self.who_gains(), "kazakhstan": self.kazakhstan(),
            "calibration": self.calibration.to_dict(),
            "runs": self.runs, "seed": self.seed,
            "band": "5th-95th percentile of the paired change; the model is re-calibrated on "
                    "2019-2021 in every run" if self.runs else None,
        }

    def _with_bands(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for r in rows:
            key = r["corridor"]
            r["change_band"] = self.band(key if key == "middle_t" else
                                         f"teu.{key}" if "." not in key else key)
        return rows


def _r(x: float) -> float | None:
    return round(x) if math.isfinite(x) else None


def _draw_keys(a: MarketState, b: MarketState) -> dict[str, float]:
    out = {f"teu.{c}": b.teu.get(c, 0.0) - a.teu.get(c, 0.0) for c in a.teu}
    out["middle_t"] = b.middle_t - a.middle_t
    for k in ("via_russia", "middle"):
        out[f"regional.{k}"] = b.regional_t.get(k, 0.0) - a.regional_t.get(k, 0.0)
    for iso in set(a.revenue_usd) | set(b.revenue_usd):
        out[f"revenue.{iso}"] = b.revenue_usd.get(iso, 0.0) - a.revenue_usd.get(iso, 0.0)
    return out


def market_impact(scenarios: Sequence[Scenario], *, year: int = 2023, runs: int = 0,
                  seed: int = 20240101, progress: Progress | None = None) -> MarketImpact:
    """The market before and after ``scenarios`` in ``year``'s conditions."""
    if year not in YEARS:
        raise InputError(f"no market conditions for year {year}",
                         expected=", ".join(map(str, YEARS)))
    if runs < 0:
        raise InputError(f"runs must not be negative, got {runs}")
    data = load_data()
    cal, before, after = _solve_pair(data, scenarios, year, None)
    draws: dict[str, list[float]] = {}
    for i in range(runs):
        _, a, b = _solve_pair(data, scenarios, year, seed, i)
        for k, v in _draw_keys(a, b).items():
            draws.setdefault(k, []).append(v)
        if progress:
            progress(i + 1, runs)
    return MarketImpact(year, tuple(s.name for s in scenarios), before, after, cal, runs,
                        seed if runs else None, draws)


@lru_cache(maxsize=8)
def move_gain(name: str = "middle-corridor-reform", year: int = 2023
              ) -> dict[str, Any]:
    """A corridor move's payoff for the Minefield, in percentage points of GDP per quarter.

    The change of Kazakhstan's transit revenue (US$ a year) when the scenario ``name`` is
    applied in ``year``'s conditions, over four quarters and over GDP (market.yaml, revenue).
    ``low`` and ``high`` put every market prior at its low or high end (re-calibrated).
    """
    data = load_data()
    if name not in data.scenarios:
        raise InputError(f"unknown corridor scenario {name!r}",
                         expected=", ".join(sorted(data.scenarios)))
    scen = [data.scenarios[name]]
    gdp = data.market.priors["revenue.gdp_usd"].value
    vals = []
    for s in (None, _Edge("low"), _Edge("high")):
        _, a, b = _solve_pair(data, scen, year, None, sampler=s)
        vals.append((b.revenue_usd.get("KAZ", 0.0) - a.revenue_usd.get("KAZ", 0.0))
                    / 4 / gdp * 100)
    v, lo, hi = vals[0], min(vals), max(vals)
    return {"value": round(v, 5), "low": round(min(lo, v), 5), "high": round(max(hi, v), 5),
            "unit": "pct_gdp per quarter",
            "rationale": f"Corridor market model: change of Kazakhstan's transit revenue when "
                         f"'{name}' is applied in {year}'s conditions, a quarter of a year over "
                         "GDP ($288bn, CIA World Factbook 2024 est.); low/high with every "
                         "market prior at one end of its range."}


class _Edge:
    """Every market prior at its low or high end (network figures at their centre)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def pick(self, key: str, low: float, mode: float, high: float) -> float:
        if key.startswith("market.") and not key.startswith("market.target."):
            return low if self.where == "low" else high
        return mode


def run_year(year: int) -> MarketState:
    """The central market of one year (calibrated on 2019-2021)."""
    return run_years(None)[1][year]
