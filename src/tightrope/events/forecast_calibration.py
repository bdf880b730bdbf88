"""Calibration of the dyad class forecast on Kazakhstan's dyads.

``scripts/forecast_calibration.py`` runs it and prints the report.

Monthly QuadClass counts of every Kazakhstan dyad with at least :data:`MIN_EVENTS` events, both
directions, are forecast one month ahead. The half-life and base-rate weight are chosen on the
tuning months; the held-out months are scored once, against the climatology (each series'
base rate from the months before), with the Brier score over events, its skill score and a
reliability table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tightrope._types import FloatArray
from tightrope.events.forecast_dyad import (
    MIN_EVENTS,
    Backtest,
    DyadForecastParams,
    backtest,
)
from tightrope.events.forecast_service import direction_counts
from tightrope.events.months import MonthRange
from tightrope.store.db import Store

__all__ = ["HALF_LIVES", "KAZ_PARTNERS", "PRIOR_EVENTS", "Calibration", "calibrate"]

#: Partners tried (a dyad is kept with >= MIN_EVENTS events over both directions).
KAZ_PARTNERS = ("RUS", "CHN", "USA", "UZB", "KGZ", "TJK", "TKM", "TUR", "IRN", "UKR", "BLR",
                "DEU", "FRA", "GBR", "JPN", "KOR", "IND", "AFG", "AZE", "GEO", "ARM", "MNG")
HALF_LIVES = (1.0, 3.0, 6.0, 12.0, 24.0, 60.0, 120.0, 240.0)
PRIOR_EVENTS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


@dataclass(frozen=True)
class Calibration:
    """Chosen parameters, tuning and held-out scores, and the dyads used."""

    dyads: list[str]
    params: DyadForecastParams
    tuning: Backtest
    held_out: Backtest
    tune_months: MonthRange
    test_months: MonthRange

    def to_dict(self) -> dict[str, Any]:
        def bt(b: Backtest) -> dict[str, Any]:
            return {"months_scored": b.months, "events": b.events,
                    "brier_model": round(b.brier_model, 4),
                    "brier_climatology": round(b.brier_base, 4),
                    "brier_skill": round(b.skill, 4), "reliability": b.reliability}
        return {"dyads": self.dyads,
                "half_life_months": self.params.half_life_months,
                "base_rate_weight_events": self.params.prior_events,
                "tuning_months": [self.tune_months.start, self.tune_months.end],
                "held_out_months": [self.test_months.start, self.test_months.end],
                "tuning": bt(self.tuning), "held_out": bt(self.held_out)}


def _series(store: Store, history: MonthRange) -> tuple[list[str], list[FloatArray]]:
    months = history.months()
    names, out = [], []
    for p in KAZ_PARTNERS:
        dirs = [("KAZ", p), (p, "KAZ")]
        counts = []
        for a, b in dirs:
            quad = direction_counts(store, [a], [b])[0]
            counts.append(np.array([quad.get(m, np.zeros(4)) for m in months]))
        if sum(float(c.sum()) for c in counts) >= MIN_EVENTS:
            names.append(f"KAZ-{p}")
            out.extend(counts)
    return names, out


def calibrate(store: Store, history: MonthRange = MonthRange("2005-01", "2015-12"),
              tune_from: str = "2008-01", test_from: str = "2015-01") -> Calibration:
    """Choose the parameters on months ``tune_from`` .. before ``test_from``; score the rest."""
    months = history.months()
    i_tune, i_test = months.index(tune_from), months.index(test_from)
    names, series = _series(store, history)
    best: tuple[float, DyadForecastParams, Backtest] | None = None
    for hl in HALF_LIVES:
        for k in PRIOR_EVENTS:
            p = DyadForecastParams(hl, k)
            b = backtest(series, i_tune, p, stop=i_test)
            if best is None or b.brier_model < best[0]:
                best = (b.brier_model, p, b)
    assert best is not None
    held = backtest(series, i_test, best[1])
    return Calibration(names, best[1], best[2], held,
                       MonthRange(tune_from, months[i_test - 1]),
                       MonthRange(test_from, history.end))
