"""Monthly dyadic temperature series from monthly sums (pure numpy; no database).

For the events from A to B in month t (i indexes the events, g_i their Goldstein score in
[-10, 10], m_i the number of mentions where the format has them, else 1):

* count            n_t = number of events (scored or not);
* mean Goldstein   G_t = sum_i w_i g_i / sum_i w_i with w_i = max(m_i, 1), over scored events;
                   undefined (None) when no event of the month has a score;
* QuadClass shares s_{q,t} = (events with QuadClass q) / (events with a QuadClass), q = 1..4;
* overall          the same weighted mean over the whole range;
* smoothed         S_t = sum_{k=t-W+1..t} sum_i w_i g_i / sum_{k=t-W+1..t} sum_i w_i, a trailing
                   W-month window (W = ``window``), i.e. the mentions-weighted mean of the last
                   W months' events; undefined when the window holds no scored event.

Because every G_t and S_t is a weighted mean of scores in [-10, 10] with positive weights, both
lie in [-10, 10]; the shares are non-negative and sum to 1 in every month with a classified
event. Months without events are undefined, never 0 (a quiet month is not a neutral one).

References:
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data. JCR 36(2).
    O'Brien, S. P. (2010). Crisis Early Warning and Decision Support: Contemporary Approaches
    and Thoughts on Future Research. International Studies Review 12(1) (ICEWS aggregation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tightrope.errors import ParameterError
from tightrope.events.changepoints import ChangePointParams, detect_change_points
from tightrope.ingest.cameo import QUAD_NAMES

__all__ = ["AGG_COLUMNS", "DyadSeries", "MonthlyAggregate", "build_series"]

#: Columns of a monthly aggregate, as every engine returns them.
AGG_COLUMNS = ("month", "events", "weight", "weighted_goldstein", "scored",
               "q1", "q2", "q3", "q4")


@dataclass(frozen=True)
class MonthlyAggregate:
    """Monthly sums for one direction of a dyad, aligned to ``months`` (zeros when none)."""

    months: tuple[str, ...]
    events: np.ndarray
    weight: np.ndarray
    weighted_goldstein: np.ndarray
    scored: np.ndarray
    quad: np.ndarray  # shape (4, n_months)

    @classmethod
    def from_rows(
        cls, rows: Sequence[Mapping[str, Any]], months: Sequence[str]
    ) -> MonthlyAggregate:
        """From rows with :data:`AGG_COLUMNS` (months absent from ``rows`` are zero)."""
        pos = {m: i for i, m in enumerate(months)}
        n = len(months)
        arr = {c: np.zeros(n) for c in AGG_COLUMNS[1:]}
        for r in rows:
            i = pos.get(str(r["month"]))
            if i is None:
                continue
            for c in AGG_COLUMNS[1:]:
                arr[c][i] += float(r[c] or 0)
        return cls(tuple(months), arr["events"].astype(np.int64), arr["weight"],
                   arr["weighted_goldstein"], arr["scored"].astype(np.int64),
                   np.vstack([arr[f"q{q}"] for q in range(1, 5)]).astype(np.int64))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def _trailing(x: np.ndarray, window: int) -> np.ndarray:
    c = np.concatenate(([0.0], np.cumsum(x)))
    idx = np.arange(1, len(x) + 1)
    return c[idx] - c[np.maximum(idx - window, 0)]


def _opt(x: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else round(float(v), 6) for v in x]


@dataclass(frozen=True)
class DyadSeries:
    """One direction of a dyad, month by month (None = no events that month)."""

    source: str
    target: str
    months: tuple[str, ...]
    events: tuple[int, ...]
    mean_goldstein: tuple[float | None, ...]
    smoothed_goldstein: tuple[float | None, ...]
    quad_shares: dict[str, tuple[float | None, ...]]
    change_points: tuple[dict[str, Any], ...]
    change_point_penalty: float | None
    change_point_note: str
    overall_goldstein: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "target": self.target, "months": list(self.months),
            "events": list(self.events), "mean_goldstein": list(self.mean_goldstein),
            "smoothed_goldstein": list(self.smoothed_goldstein),
            "quad_shares": {k: list(v) for k, v in self.quad_shares.items()},
            "change_points": list(self.change_points),
            "change_point_penalty": self.change_point_penalty,
            "change_point_note": self.change_point_note,
            "overall_goldstein": self.overall_goldstein,
        }


def build_series(
    agg: MonthlyAggregate,
    source: str,
    target: str,
    *,
    window: int = 3,
    change_points: ChangePointParams | None = None,
) -> DyadSeries:
    """Temperature series of one direction from its monthly sums (formulas in the module doc)."""
    if window < 1:
        raise ParameterError("window", window, "a smoothing window of at least 1 month")
    mean = _ratio(agg.weighted_goldstein, agg.weight)
    smooth = _ratio(_trailing(agg.weighted_goldstein, window), _trailing(agg.weight, window))
    classified = agg.quad.sum(axis=0)
    shares = {QUAD_NAMES[q + 1]: tuple(_opt(_ratio(agg.quad[q].astype(float),
                                                   classified.astype(float))))
              for q in range(4)}
    cp = detect_change_points(mean, change_points)
    bounds = [0, *cp.breaks, len(agg.months)]
    points = []
    for k, b in enumerate(cp.breaks):
        before = slice(bounds[k], b)
        after = slice(b, bounds[k + 2])
        points.append({
            "month": agg.months[b],
            "mean_before": _opt(_ratio(agg.weighted_goldstein[before].sum(keepdims=True),
                                       agg.weight[before].sum(keepdims=True)))[0],
            "mean_after": _opt(_ratio(agg.weighted_goldstein[after].sum(keepdims=True),
                                      agg.weight[after].sum(keepdims=True)))[0],
        })
    overall = _opt(_ratio(agg.weighted_goldstein.sum(keepdims=True),
                          agg.weight.sum(keepdims=True)))[0]
    return DyadSeries(source, target, agg.months, tuple(int(v) for v in agg.events),
                      tuple(_opt(mean)), tuple(_opt(smooth)), shares, tuple(points),
                      None if cp.penalty is None else round(cp.penalty, 6), cp.note, overall)
