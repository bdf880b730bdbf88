"""Back-test of the market model, out of sample: calibrated on 2019 and 2021, run for 2022,
2023 and 2024, compared with every observed change in ``observed.yaml``.

Per row: the observed change, the model's change at central values and a 5-95% band over a
seeded Monte Carlo (every prior drawn from its range and the model re-calibrated on 2019-2021
for each draw, so the band carries the calibration's uncertainty), and two verdicts:

* direction - same sign as observed ('flat' when the model moves less than 1%, or 0.1 day);
* magnitude - the model's change within +/-50% of the observed change.

The goal (issue 15): the direction right in every row, the magnitude within +/-50% in at least
four of the six headline rows. Missed rows carry the reason written down, before the run, in
``observed.yaml`` (what the model lacks).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from tightrope.corridors.calibrate import Calibration, calibrated_run, run_sampler, solve_years
from tightrope.corridors.data import Observation, load_data
from tightrope.corridors.engine import Progress, bands
from tightrope.corridors.market import MarketState
from tightrope.corridors.results import SCHEMAS, corridor_manifest, num
from tightrope.errors import InputError
from tightrope.manifest import Manifest

__all__ = ["BacktestResult", "BacktestRow", "backtest", "model_change", "observed_change"]

FLAT: Final = {"pct": 0.01, "diff": 0.01}
FLAT_DAYS: Final = 0.1
WITHIN: Final = 0.5
YEARS: Final = (2021, 2022, 2023, 2024)


def observed_change(o: Observation) -> float:
    """The observed change: relative (``pct``) or a difference (``diff``)."""
    return o.after / o.before - 1 if o.change == "pct" else o.after - o.before


def model_change(o: Observation, states: Mapping[int, MarketState]) -> float:
    """The model's change between the row's two years."""
    a, b = (states[y].metric(o.quantity) for y in o.years)
    if o.change == "pct":
        return b / a - 1 if a > 0 else (math.inf if b > 0 else 0.0)
    return b - a


def direction(o: Observation, model: float) -> str:
    """'right', 'wrong' or 'flat' (the model hardly moves)."""
    tol = FLAT_DAYS if o.unit == "days" else FLAT[o.change]
    if not math.isfinite(model):
        return "right" if (model > 0) == (observed_change(o) > 0) else "wrong"
    if abs(model) < tol:
        return "flat"
    return "right" if (model > 0) == (observed_change(o) > 0) else "wrong"


def within(o: Observation, model: float) -> bool:
    """The model's change within +/-50% of the observed change."""
    obs = observed_change(o)
    if obs == 0 or not math.isfinite(model):
        return False
    return 1 - WITHIN <= model / obs <= 1 + WITHIN


@dataclass
class BacktestRow:
    """One observation against the model."""

    observation: Observation
    model: float
    band: tuple[float, float]
    levels: tuple[float, float]
    direction: str
    within_50pct: bool

    @property
    def hit(self) -> bool:
        return self.direction == "right" and self.within_50pct

    def to_dict(self) -> dict[str, Any]:
        o = self.observation
        pct = o.change == "pct"
        scale = 100.0 if pct else 1.0
        unit = "%" if pct else ("points" if o.unit == "share" else o.unit)
        return {
            "id": o.id, "what": o.what, "period": o.period, "headline": o.headline,
            "quantity": o.quantity, "years": list(o.years),
            "observed": {"text": o.observed_text, "before": o.before, "after": o.after,
                         "unit": o.unit, "change": num(scale * observed_change(o), 2),
                         "range": [num(o.after_low - o.before, 2), num(o.after_high - o.before, 2)]
                         if o.after_low is not None and o.after_high is not None else None,
                         "sources": list(o.sources)},
            "model": {"change": num(scale * self.model, 2),
                      "band": [num(scale * x, 2) for x in self.band],
                      "before": num(self.levels[0], 3), "after": num(self.levels[1], 3)},
            "change_unit": unit, "direction": self.direction,
            "direction_right": self.direction == "right",
            "within_50pct": self.within_50pct,
            "ratio_model_to_observed": num(self.model / observed_change(o), 2)
            if observed_change(o) and math.isfinite(self.model) else None,
            "caveat": o.caveat,
            "miss_reason": None if self.hit else o.lacks,
        }


@dataclass
class BacktestResult:
    rows: list[BacktestRow]
    calibration: Calibration
    manifest: Manifest
    sources: list[dict[str, Any]] = field(default_factory=list)

    def goal(self) -> dict[str, Any]:
        """The issue's goal: direction right in every row, >= 4 of 6 headline rows within
        +/-50%."""
        head = [r for r in self.rows if r.observation.headline]
        n_within = sum(r.within_50pct for r in head)
        right = all(r.direction == "right" for r in self.rows)
        return {"direction_right_in_every_row": right,
                "headline_rows": len(head), "headline_within_50pct": n_within,
                "met": right and n_within >= 4}

    def misses(self) -> list[str]:
        """Plain sentences on the rows the model misses, with what it lacks."""
        out = []
        for r in self.rows:
            if r.hit:
                continue
            o = r.observation
            how = (f"direction {r.direction}" if r.direction != "right" else
                   "magnitude outside +/-50%")
            out.append(f"{o.what} ({o.period}): {how} (model {_fmt(o, r.model)}, observed "
                       f"{_fmt(o, observed_change(o))}). {o.lacks}".strip())
        return out

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMAS["backtest"], "rows": [r.to_dict() for r in self.rows],
                "goal": self.goal(), "misses": self.misses(),
                "calibration": self.calibration.to_dict(),
                "periods": {"calibration": [2019, 2021], "back_test": [2022, 2023, 2024]},
                "verdicts": "direction: same sign as observed (under 1% or 0.1 day is flat); "
                            "magnitude: model change within +/-50% of the observed change; "
                            "band: 5-95% over draws of every prior, re-calibrated each draw",
                "sources": self.sources, "manifest": self.manifest.to_dict()}


def _fmt(o: Observation, x: float) -> str:
    if o.change == "pct":
        return f"{100 * x:+.0f}%"
    return f"{x:+.2f} {o.unit}" if o.unit != "days" else f"{x:+.1f} days"


def run_years(seed: int | None, run: int = 0) -> tuple[Calibration, dict[int, MarketState]]:
    """Calibrate (cached per run) and solve the market for 2021-2024."""
    data = load_data()
    cal, p, attrs = calibrated_run(seed, run)
    return cal, solve_years(data, data.market, p, YEARS, run_sampler(seed, run), attrs)


def backtest(*, runs: int = 100, seed: int = 20240101, progress: Progress | None = None
             ) -> BacktestResult:
    """Every observation of ``observed.yaml`` against the calibrated market model."""
    if runs < 0:
        raise InputError(f"runs must not be negative, got {runs}")
    data = load_data()
    obs = data.observations
    cal, central = run_years(None)
    draws: list[list[float]] = [[] for _ in obs]
    for i in range(runs):
        _, st = run_years(seed, i)
        for j, o in enumerate(obs):
            draws[j].append(model_change(o, st))
        if progress:
            progress(i + 1, runs)
    rows = []
    for j, o in enumerate(obs):
        m = model_change(o, central)
        lo, _, hi = bands(np.array(draws[j])) if runs else (math.nan, math.nan, math.nan)
        levels = (central[o.years[0]].metric(o.quantity), central[o.years[1]].metric(o.quantity))
        rows.append(BacktestRow(o, m, (lo, hi), levels, direction(o, m), within(o, m)))
    sids = sorted({s for o in obs for s in o.sources})
    sources = [data.network.sources[s].to_dict() for s in sids if s in data.network.sources]
    manifest = corridor_manifest("backtest", data.hash,
                                 "market model (nested logit, capacity-restrained)", (), seed,
                                 runs, {"calibration_years": [2019, 2021],
                                        "test_years": [2022, 2023, 2024]})
    return BacktestResult(rows, cal, manifest, sources)
