"""Monthly forecast of what a dyad's next events will be: CAMEO root class and QuadClass shares.

For one direction (A -> B) the forecast for month h ahead is the distribution of that month's
events over the classes (20 CAMEO roots, or the 4 QuadClasses): probabilities that sum to 1.

Model (a discounted Dirichlet-multinomial, West and Harrison's discount-factor idea applied
to class counts): with n_c(m) the events of class c in month m,

    a_c = sum_m 2^(-age(m) / H) n_c(m) + kappa * b_c,     p_c = a_c / sum_c a_c

where age(m) is the number of months between m and the forecast month (so forecasts further
ahead lean more on the base rate), H is the half-life in months, kappa the weight of the base
rate in pseudo-events and b_c the base rate: the dyad's share of class c over its whole
history, with half an event added to each class (Jeffreys). The interval of p_c is the
equal-tailed ``level`` interval of its Beta(a_c, sum a - a_c) marginal, widened to contain
p_c when the Beta is so skewed that the mean falls outside it.

The base rate ("climatology") is also the reference forecast of the calibration: see
:func:`backtest`, which scores one-month-ahead forecasts on held-out months with the Brier
score over events and a reliability table (Brier 1950; Wilks, *Statistical Methods in the
Atmospheric Sciences*, ch. 8).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import beta

from tightrope._types import FloatArray
from tightrope.errors import DataUnavailableError, ParameterError
from tightrope.events.months import MonthRange
from tightrope.manifest import Manifest

__all__ = [
    "DEFAULT_PARAMS",
    "MIN_EVENTS",
    "QUAD_NAMES",
    "ROOTS",
    "Backtest",
    "ClassForecast",
    "DyadForecastParams",
    "backtest",
    "forecast_shares",
    "month_after",
]

#: CAMEO root classes (two-digit codes 01..20) and QuadClasses (1..4).
ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict"}
#: Fewest events (both directions together) a dyad needs for a forecast.
MIN_EVENTS = 20


@dataclass(frozen=True)
class DyadForecastParams:
    """Half-life of past counts (months), base-rate weight (pseudo-events), interval level."""

    half_life_months: float = 6.0
    prior_events: float = 4.0
    level: float = 0.9

    def __post_init__(self) -> None:
        if not 0.1 <= self.half_life_months <= 600:
            raise ParameterError("half-life (months)", self.half_life_months, "0.1 to 600")
        if not 0.01 <= self.prior_events <= 1e6:
            raise ParameterError("base-rate weight (events)", self.prior_events, "0.01 to 1e6")
        if not 0.5 <= self.level < 1:
            raise ParameterError("interval level", self.level, "0.5 to below 1")


#: Chosen by ``scripts/forecast_calibration.py`` (lowest Brier score on Kazakhstan dyads,
#: ICEWS05-15 files, months 2008-01..2014-12; 2015 held out): a 240-month half-life and one
#: pseudo-event of base rate, i.e. nearly the long-run class mix. See docs/events.md.
DEFAULT_PARAMS = DyadForecastParams(half_life_months=240.0, prior_events=1.0)


def base_rate(counts: FloatArray) -> FloatArray:
    """Each class's share of all past events, with half an event added to every class.

    >>> base_rate(np.array([[3.0, 0.0], [1.0, 0.0]])).tolist()
    [0.9, 0.1]
    """
    tot = counts.sum(axis=0) + 0.5
    out: FloatArray = tot / tot.sum()
    return out


def climatology(counts: FloatArray) -> FloatArray:
    """The sample climatology: each class's share of all past events (uniform if none).

    >>> climatology(np.array([[3.0, 0.0], [1.0, 0.0]])).tolist()
    [1.0, 0.0]
    """
    tot = counts.sum(axis=0)
    out: FloatArray = tot / tot.sum() if tot.sum() > 0 else np.full(len(tot), 1 / len(tot))
    return out


def forecast_shares(counts: FloatArray, params: DyadForecastParams, horizon: int
                    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Point, lower, upper (each ``horizon`` x classes) and the base rate (classes).

    ``counts`` is months x classes, oldest first, ending with the last observed month;
    row h - 1 of the result is the month h after it.
    """
    if counts.ndim != 2 or counts.shape[0] == 0 or (counts < 0).any():
        raise ValueError("counts must be a non-empty months x classes array of counts >= 0")
    n_months = counts.shape[0]
    ages = np.arange(n_months, 0, -1, dtype=np.float64)  # last observed month: age 1
    b = base_rate(counts)
    tail = (1 - params.level) / 2
    pts, los, his = [], [], []
    for h in range(1, horizon + 1):
        w = np.exp2(-(ages + h - 1) / params.half_life_months)
        a = (w[:, None] * counts).sum(axis=0) + params.prior_events * b
        tot = a.sum()
        p = a / tot
        lo = beta.ppf(tail, a, tot - a)
        hi = beta.ppf(1 - tail, a, tot - a)
        pts.append(p)
        los.append(np.minimum(lo, p))
        his.append(np.maximum(hi, p))
    return np.array(pts), np.array(los), np.array(his), b


def month_after(month: str, k: int = 1) -> str:
    """The month ``k`` months after 'YYYY-MM'.

    >>> month_after("2015-12"), month_after("2015-01", 13)
    ('2016-01', '2016-02')
    """
    y, m = (int(x) for x in month.split("-"))
    idx = y * 12 + (m - 1) + k
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


@dataclass(frozen=True)
class ClassForecast:
    """One direction's forecast over ``classes`` for each month in ``months``."""

    source: str
    target: str
    classes: tuple[str, ...]
    labels: tuple[str, ...]
    months: tuple[str, ...]
    p: FloatArray
    lo: FloatArray
    hi: FloatArray
    base: FloatArray
    events: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "events_in_history": self.events,
            "months": [
                {"month": m, "classes": [
                    {"class": c, "label": lab, "p": round(float(self.p[i, j]), 4),
                     "lo": round(float(self.lo[i, j]), 4), "hi": round(float(self.hi[i, j]), 4),
                     "base_rate": round(float(self.base[j]), 4)}
                    for j, (c, lab) in enumerate(zip(self.classes, self.labels, strict=True))]}
                for i, m in enumerate(self.months)],
        }


def class_forecast(source: str, target: str, month_counts: dict[str, FloatArray],
                   history: MonthRange, classes: Sequence[str], labels: Sequence[str],
                   params: DyadForecastParams, horizon: int) -> ClassForecast:
    """The forecast of one direction from per-month class counts over ``history``."""
    months = history.months()
    k = len(classes)
    counts = np.array([month_counts.get(m, np.zeros(k)) for m in months], dtype=np.float64)
    p, lo, hi, b = forecast_shares(counts, params, horizon)
    ahead = tuple(month_after(history.end, h) for h in range(1, horizon + 1))
    return ClassForecast(source, target, tuple(classes), tuple(labels), ahead, p, lo, hi, b,
                         int(counts.sum()))


@dataclass(frozen=True)
class DyadForecast:
    """Both directions, by QuadClass and by CAMEO root, with parameters and a manifest."""

    a: str
    b: str
    history: MonthRange
    quad: tuple[ClassForecast, ClassForecast]
    root: tuple[ClassForecast, ClassForecast]
    params: DyadForecastParams
    manifest: Manifest = field(default_factory=lambda: Manifest("events.forecast"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "history_from": self.history.start,
            "history_to": self.history.end,
            "model": "discounted Dirichlet-multinomial over monthly class counts",
            "parameters": {"half_life_months": self.params.half_life_months,
                           "base_rate_weight_events": self.params.prior_events,
                           "interval_level": self.params.level},
            "quad_class": [d.to_dict() for d in self.quad],
            "cameo_root": [d.to_dict() for d in self.root],
            "manifest": self.manifest.to_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def require_events(a: str, b: str, n: int, where: str) -> None:
    """A clear error when the dyad has fewer than :data:`MIN_EVENTS` events."""
    if n < MIN_EVENTS:
        raise DataUnavailableError(
            f"only {n} coded events between {a} and {b} in the store at {where}; a forecast "
            f"needs at least {MIN_EVENTS} (load more event files with 'tightrope events "
            "ingest')")


@dataclass(frozen=True)
class Backtest:
    """Brier scores over events of held-out months, and a reliability table."""

    months: int
    events: int
    brier_model: float
    brier_base: float
    reliability: list[dict[str, float]]

    @property
    def skill(self) -> float:
        """Brier skill score against the base rate: 1 - model / base (> 0: better)."""
        return 1.0 - self.brier_model / self.brier_base


def _brier(p: FloatArray, y: FloatArray) -> float:
    """Sum over the month's events of sum_c (p_c - [event is c])^2."""
    n = float(y.sum())
    return n * float((p ** 2).sum()) - 2.0 * float((p * y).sum()) + n


def backtest(series: Sequence[FloatArray], first_test: int, params: DyadForecastParams,
             bins: int = 10, stop: int | None = None) -> Backtest:
    """One-month-ahead forecasts for months ``first_test`` up to ``stop`` (excluded; default:
    the end) of every series.

    Each series is months x classes (one direction of one dyad); a month is forecast from
    the months before it only, and so is the reference, the sample climatology (each class's
    share of the series' past events, no pseudo-counts).
    Reliability pools (forecast p_c, observed share of class c) over events into ``bins``
    equal-width bins of p.
    """
    bm = bb = 0.0
    n_events = n_months = 0
    edges = np.linspace(0, 1, bins + 1)
    sum_p, sum_y, sum_w = np.zeros(bins), np.zeros(bins), np.zeros(bins)
    for counts in series:
        end = counts.shape[0] if stop is None else min(stop, counts.shape[0])
        for i in range(max(first_test, 1), end):
            y = counts[i]
            if y.sum() == 0:
                continue
            p = forecast_shares(counts[:i], params, 1)[0][0]
            bm += _brier(p, y)
            bb += _brier(climatology(counts[:i]), y)
            n_events += int(y.sum())
            n_months += 1
            k = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
            np.add.at(sum_p, k, p * y.sum())
            np.add.at(sum_y, k, y)
            np.add.at(sum_w, k, np.full(len(p), y.sum()))
    if n_events == 0:
        raise DataUnavailableError("no events in the held-out months to score")
    rel = [{"bin_lo": float(edges[j]), "bin_hi": float(edges[j + 1]),
            "mean_forecast": float(sum_p[j] / sum_w[j]), "observed": float(sum_y[j] / sum_w[j]),
            "weight_events": float(sum_w[j])}
           for j in range(bins) if sum_w[j] > 0]
    return Backtest(n_months, n_events, bm / n_events, bb / n_events, rel)
