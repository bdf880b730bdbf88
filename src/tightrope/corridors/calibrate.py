"""Calibration of the market model on 2021 and earlier, and the year states it is run in.

Method (stated before the back-test was run; see docs/corridors.md): non-linear least squares
(``scipy.optimize.least_squares``, trust-region reflective) on log volumes. Four free
parameters - the container logit scale and the constants of the Northern route, the Middle
Corridor for containers and the Middle Corridor for regional cargo - are fitted to four
sourced targets: China-Europe-China rail transit via Russia in 2019 and 2021, Middle Corridor
containers in 2021 and Middle Corridor tonnes in 2021. The sea's inverse supply elasticity
comes from 2019 -> 2021 in closed form (:func:`tightrope.corridors.market.sea_gamma`).
Nothing from 2022 on enters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import numpy as np
from scipy.optimize import least_squares

from tightrope.corridors.data import CorridorData, load_data
from tightrope.corridors.market import (
    Attributes,
    Conditions,
    MarketParams,
    MarketState,
    network_attributes,
    params,
    solve,
)
from tightrope.corridors.market_data import CALIBRATED, MarketSpec
from tightrope.corridors.model import CENTRAL, KeyedSampler, Sampler
from tightrope.errors import InputError

__all__ = ["CALIBRATION_YEARS", "TEST_YEARS", "Calibration", "calibrate", "calibrated_run",
           "run_sampler", "solve_years", "year_conditions", "year_scenarios"]

CALIBRATION_YEARS: Final = (2019, 2021)
TEST_YEARS: Final = (2022, 2023, 2024)
#: Network scenarios that describe a year (on top of the market conditions).
_YEAR_SCENARIOS: Final = {2024: ("red-sea-risk",)}


def year_conditions(spec: MarketSpec, year: int, p: MarketParams) -> Conditions:
    """The exogenous state of a year: the sea rate index (2024 starts from 2023's level; its
    rise is the model's own), Russia avoidance and the Red Sea attacks."""
    if year in (2019, 2021):
        return Conditions(str(year), p[f"rate_index.{year}"], 0.0)
    if year == 2022:
        return Conditions("2022", p["rate_index.2022"], p["shocks.exposure_2022"])
    if year == 2023:
        return Conditions("2023", p["rate_index.2023"], 1.0)
    if year == 2024:
        return Conditions("2024", p["rate_index.2023"], 1.0, red_sea=True)
    raise InputError(f"no market conditions for {year}", expected="2019, 2021, 2022, 2023 or 2024")


def year_scenarios(year: int) -> tuple[str, ...]:
    return _YEAR_SCENARIOS.get(year, ())


@dataclass(frozen=True)
class Calibration:
    """Fitted parameters, the fit on each target (log residuals) and the sea's gamma."""

    values: Mapping[str, float]
    residuals: Mapping[str, float]
    targets: Mapping[str, float]
    modelled: Mapping[str, float]
    gamma: float
    converged: bool

    def to_dict(self) -> dict[str, Any]:
        return {"method": "least squares on log volumes (scipy trust-region reflective), "
                          "targets 2019 and 2021 only",
                "parameters": {k: round(v, 2) for k, v in self.values.items()},
                "targets": [{"target": k, "observed": round(self.targets[k]),
                             "modelled": round(self.modelled[k]),
                             "log_residual": round(self.residuals[k], 4)} for k in self.targets],
                "sea_inverse_supply_elasticity": round(self.gamma, 2),
                "converged": self.converged}


def _targets(spec: MarketSpec, s: Sampler) -> dict[str, float]:
    out = {}
    for name, by_year in spec.targets.items():
        for y, r in by_year.items():
            out[f"{name}.{y}"] = s.pick(f"market.target.{name}.{y}", r.low, r.value, r.high)
    return out


def _metric(st: MarketState, name: str) -> float:
    if name == "northern_teu":
        return st.teu["northern"]
    if name == "middle_teu":
        return st.teu["middle"]
    if name == "middle_t":
        return st.middle_t
    raise InputError(f"unknown calibration target {name!r}",
                     expected="northern_teu, middle_teu or middle_t")


def vots(p: MarketParams) -> dict[str, float]:
    return {c: p[f"container_demand.classes.{c}.vot_usd_per_feu_day"]
            for c in ("fast", "standard")}


def calibrate(data: CorridorData, spec: MarketSpec, s: Sampler = CENTRAL,
              start: Mapping[str, float] | None = None,
              attrs: Attributes | None = None) -> tuple[Calibration, MarketParams]:
    """Fit the free parameters to the 2019-2021 targets under the priors drawn by ``s``."""
    x0 = {k: v[0] for k, v in spec.calibrated.items()} | dict(start or {})
    p = params(spec, s, x0)
    if attrs is None:
        attrs = network_attributes(data, spec, [], s, vots(p))
    targets = _targets(spec, s)
    years = sorted({int(k.rsplit(".", 1)[1]) for k in targets})
    names = list(CALIBRATED)
    lo = np.array([_enc(n, spec.calibrated[n][1]) for n in names])
    hi = np.array([_enc(n, spec.calibrated[n][2]) for n in names])
    x_init = np.clip(np.array([_enc(n, x0[n]) for n in names]), lo + 1e-9, hi - 1e-9)

    def model(x: np.ndarray[Any, np.dtype[np.float64]]) -> tuple[MarketParams, dict[str, float]]:
        vals = {n: _dec(n, float(v)) for n, v in zip(names, x, strict=True)}
        q = MarketParams({**p.v, **vals}, p.caps, p.dcap, p.gamma)
        states = {y: solve(attrs, year_conditions(spec, y, q), q, bottlenecks=spec.bottlenecks)
                  for y in years}
        out = {k: _metric(states[int(k.rsplit(".", 1)[1])], k.rsplit(".", 1)[0])
               for k in targets}
        return q, out

    def resid(x: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        _, out = model(x)
        return np.array([math.log(max(out[k], 1e-6) / targets[k]) for k in targets])

    # residuals are log volumes: 1e-6 is far below the targets' own uncertainty
    fit = least_squares(resid, x_init, bounds=(lo, hi), x_scale="jac", max_nfev=200,
                        ftol=1e-6, xtol=1e-6, gtol=1e-6)
    q, out = model(fit.x)
    res = {k: math.log(max(out[k], 1e-6) / targets[k]) for k in targets}
    cal = Calibration({n: q[n] for n in names}, res, targets, out, q.gamma,
                      bool(fit.success) and max(abs(r) for r in res.values()) < 0.05)
    return cal, q


def _enc(name: str, x: float) -> float:
    """Scales are fitted in logs (positive), constants in thousands of dollars."""
    return math.log(x) if "scale" in name else x / 1000.0


def _dec(name: str, x: float) -> float:
    return math.exp(x) if "scale" in name else x * 1000.0


def solve_years(data: CorridorData, spec: MarketSpec, p: MarketParams, years: Sequence[int],
                s: Sampler = CENTRAL, base: Attributes | None = None
                ) -> dict[int, MarketState]:
    """The market in each year (test years use their year scenarios on the network)."""
    base = base or network_attributes(data, spec, [], s, vots(p))
    out: dict[int, MarketState] = {}
    cache: dict[tuple[str, ...], Attributes] = {(): base}
    for y in years:
        names = year_scenarios(y)
        if names not in cache:
            cache[names] = network_attributes(data, spec, [data.scenarios[n] for n in names], s,
                                              vots(p))
        out[y] = solve(cache[names], year_conditions(spec, y, p), p, reference=base,
                       bottlenecks=spec.bottlenecks)
    return out


def run_sampler(seed: int | None, run: int) -> Sampler:
    """Central values (``seed`` None) or run ``run`` of the seeded Monte Carlo."""
    return CENTRAL if seed is None else KeyedSampler(seed, run)


@lru_cache(maxsize=1024)
def calibrated_run(seed: int | None, run: int = 0
                   ) -> tuple[Calibration, MarketParams, Attributes]:
    """The calibration of one Monte Carlo run (or of central values), cached: every
    scenario and the back-test of the same run share it (draws are keyed, not ordered)."""
    data = load_data()
    spec = data.market
    s = run_sampler(seed, run)
    start = None if seed is None else dict(calibrated_run(None)[0].values)
    p0 = params(spec, s, {k: v[0] for k, v in spec.calibrated.items()} | dict(start or {}))
    attrs = network_attributes(data, spec, [], s, vots(p0))
    cal, p = calibrate(data, spec, s, start, attrs)
    return cal, p, attrs
