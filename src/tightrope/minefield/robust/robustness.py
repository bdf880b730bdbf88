"""Robustness of each strategy across futures: expectation, worst decile, regret, satisficing.

Inputs are outcome matrices of shape (K strategies, F futures). Per strategy k:

* expected gain ``mean_f g[k, f]`` and its **worst decile** ``q_0.1,f g[k, f]`` (the expected
  gain in the future at the 10th percentile across futures);
* the distribution of P(catastrophe) across futures (mean, median, 90th percentile, max);
* **regret** (Savage 1951) in each future against the best strategy *in that future*:
  ``R^g[k, f] = max_j g[j, f] − g[k, f]`` for gain and ``R^p[k, f] = p[k, f] − min_j p[j, f]``
  for P(catastrophe); reported as the 90th percentile and the maximum over futures;
* **satisficing** (Simon 1956; Lempert & Collins 2007): the share of futures where
  ``p[k, f] < max_p_catastrophe`` and ``g[k, f] > min_gain``.

Ranking (most robust first): higher satisficing share, then lower 90th-percentile regret on
P(catastrophe), then higher expected gain, then the name — so the ranking never depends on the
order strategies are listed in.

Units: gain in percentage points of one year's GDP (cumulative over the horizon);
probabilities and shares in [0, 1]; autonomy in [0, 1].

References: Savage (1951), "The theory of statistical decision", JASA 46, 55–67; Lempert &
Collins (2007), "Managing the risk of uncertain threshold responses", *Risk Analysis* 27,
1009–1026; Lempert, Popper & Bankes (2003), RAND MR-1626.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tightrope._types import FloatArray
from tightrope.errors import InputError

__all__ = ["StrategyRobustness", "Thresholds", "explain", "rank", "regret", "satisficing",
           "summarise"]



@dataclass(frozen=True)
class Thresholds:
    """The user's satisficing criteria: P(catastrophe) below ``max_p_catastrophe`` (share of
    trajectories, [0, 1]) and expected gain above ``min_gain`` (pct points of annual GDP)."""

    max_p_catastrophe: float = 0.2
    min_gain: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 < self.max_p_catastrophe <= 1.0:
            raise InputError(f"P(catastrophe) threshold {self.max_p_catastrophe:g}",
                             where="max_p_catastrophe", expected="a share in (0, 1]")
        if not math.isfinite(self.min_gain):
            raise InputError(f"gain threshold {self.min_gain}", where="min_gain",
                             expected="a finite number")

    def describe(self) -> str:
        return (f"P(catastrophe) < {self.max_p_catastrophe:.0%} and expected gain > "
                f"{self.min_gain:+g} pp of GDP")


def regret(values: FloatArray, maximize: bool) -> FloatArray:
    """Regret of each strategy (rows) in each future (columns) against the best in that future.

    >>> regret(np.array([[1.0, 5.0], [3.0, 2.0]]), maximize=True).tolist()
    [[2.0, 0.0], [0.0, 3.0]]
    """
    v = np.asarray(values, dtype=np.float64)
    out: FloatArray = (v.max(axis=0, keepdims=True) - v) if maximize else (v - v.min(axis=0,
                                                                             keepdims=True))
    return out


def satisficing(p_catastrophe: FloatArray, gain: FloatArray, th: Thresholds) -> FloatArray:
    """Share of futures (columns) meeting both thresholds, per strategy (rows), in [0, 1]."""
    ok = (np.asarray(p_catastrophe) < th.max_p_catastrophe) & (np.asarray(gain) > th.min_gain)
    out: FloatArray = ok.mean(axis=1)
    return out


@dataclass
class StrategyRobustness:
    """One strategy's robustness statistics across futures (units in the module docstring)."""

    strategy: str
    rank: int
    gain_mean: float
    gain_worst_decile: float
    p_catastrophe_mean: float
    p_catastrophe_median: float
    p_catastrophe_p90: float
    p_catastrophe_max: float
    autonomy_mean: float
    regret_gain_p90: float
    regret_gain_max: float
    regret_p_catastrophe_p90: float
    regret_p_catastrophe_max: float
    satisficing: float
    best_share: float  # share of futures where it has the lowest P(catastrophe)

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def summarise(names: Sequence[str], p_catastrophe: FloatArray, gain: FloatArray,
              autonomy: FloatArray, th: Thresholds) -> list[StrategyRobustness]:
    """Robustness statistics per strategy, ranked (see the module docstring)."""
    p, g, a = (np.asarray(x, dtype=np.float64) for x in (p_catastrophe, gain, autonomy))
    if p.shape != g.shape or p.shape != a.shape or p.ndim != 2 or p.shape[0] != len(names):
        raise ValueError("outcome matrices must all have shape (strategies, futures)")
    rg, rp = regret(g, True), regret(p, False)
    sat = satisficing(p, g, th)
    best = (p == p.min(axis=0, keepdims=True)).mean(axis=1)
    rows = [StrategyRobustness(
        strategy=n, rank=0, gain_mean=float(g[k].mean()),
        gain_worst_decile=float(np.quantile(g[k], 0.1)),
        p_catastrophe_mean=float(p[k].mean()), p_catastrophe_median=float(np.median(p[k])),
        p_catastrophe_p90=float(np.quantile(p[k], 0.9)), p_catastrophe_max=float(p[k].max()),
        autonomy_mean=float(a[k].mean()), regret_gain_p90=float(np.quantile(rg[k], 0.9)),
        regret_gain_max=float(rg[k].max()),
        regret_p_catastrophe_p90=float(np.quantile(rp[k], 0.9)),
        regret_p_catastrophe_max=float(rp[k].max()), satisficing=float(sat[k]),
        best_share=float(best[k])) for k, n in enumerate(names)]
    return rank(rows)


def rank(rows: list[StrategyRobustness]) -> list[StrategyRobustness]:
    """Sort most robust first and number the ranks 1..K (order-independent)."""
    ordered = sorted(rows, key=lambda r: (-r.satisficing, r.regret_p_catastrophe_p90,
                                          -r.gain_mean, r.strategy))
    for i, r in enumerate(ordered, start=1):
        r.rank = i
    return ordered


def explain(rows: list[StrategyRobustness], th: Thresholds, futures: int,
            meets: Mapping[str, NDArray[np.bool_]] | None = None) -> list[str]:
    """Plain sentences: who ranks first and why, and how the others compare.

    ``meets`` (strategy -> per-future satisficing flags) makes the close-call check a paired
    one (the same futures); without it the standard error of two independent shares is used,
    which is larger (conservative).
    """
    if not rows:
        return []
    top = rows[0]
    lines = [
        f"Across {futures:,} futures sampled from every assumption range, {top.strategy} is the "
        f"most robust: it meets the thresholds ({th.describe()}) in {top.satisficing:.1%} of "
        f"futures; its P(catastrophe) is at most {top.regret_p_catastrophe_p90:.1%} above the "
        f"best strategy of each future in 90% of futures; expected gain "
        f"{top.gain_mean:+.2f} pp (worst decile {top.gain_worst_decile:+.2f} pp).",
    ]
    if all(r.satisficing == 0 for r in rows):
        lines.append(f"No strategy meets the thresholds in any future ({th.describe()}): the "
                     "ranking rests on regret. Loosen the thresholds to see satisficing shares.")
    if len(rows) > 1:
        second = rows[1]
        lines.append(f"Runner-up {second.strategy}: satisficing {second.satisficing:.1%}, "
                     f"P(catastrophe) regret p90 {second.regret_p_catastrophe_p90:.1%}, "
                     f"expected gain {second.gain_mean:+.2f} pp.")
        if meets is not None and top.strategy in meets and second.strategy in meets:
            d = meets[top.strategy].astype(float) - meets[second.strategy].astype(float)
            se = float(d.std(ddof=1) / math.sqrt(len(d))) if len(d) > 1 else math.inf
        else:  # two independent binomial shares: an upper bound for paired futures
            se = math.sqrt((top.satisficing * (1 - top.satisficing)
                            + second.satisficing * (1 - second.satisficing)) / max(futures, 1))
        if top.satisficing > 0 and top.satisficing - second.satisficing <= 2 * se:
            lines.append(f"A close call: the satisficing shares of {top.strategy} and "
                         f"{second.strategy} differ by less than two standard errors "
                         f"({2 * se:.1%}, paired over the same futures); weigh their regret "
                         "and expected gain too.")
        safest = min(rows, key=lambda r: (r.p_catastrophe_mean, r.strategy))
        richest = max(rows, key=lambda r: (r.gain_mean, r.strategy))
        if safest is not top:
            lines.append(f"{safest.strategy} has the lowest average P(catastrophe) "
                         f"({safest.p_catastrophe_mean:.1%}) but ranks {safest.rank}.")
        if richest is not top:
            lines.append(f"{richest.strategy} has the highest expected gain "
                         f"({richest.gain_mean:+.2f} pp) but ranks {richest.rank}.")
        worst = rows[-1]
        lines.append(f"Least robust: {worst.strategy} (P(catastrophe) "
                     f"{worst.p_catastrophe_mean:.0%} on average, {worst.p_catastrophe_p90:.0%} "
                     "or more in the worst tenth of futures).")
    return lines
