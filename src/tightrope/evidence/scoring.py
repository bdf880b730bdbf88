"""Scores of probability forecasts of binary events: Brier, skill, reliability, bootstrap.

* Brier score ``BS = mean((p - y)^2)`` (Brier 1950); lower is better.
* Brier skill score against climatology ``BSS = 1 - BS / BS_clim`` where the climatological
  forecast is the base rate fitted on the training period; ``BSS <= 0`` means no skill.
* Intervals: a cluster bootstrap that resamples whole dyads (their years or quarters stay
  together, since they are not independent), seeded; percentile intervals.
* Reliability: forecasts binned by fixed edges; per bin the mean forecast, the observed
  frequency and the count (Murphy & Winkler 1977).

*References*: Brier, G. W. (1950), *Monthly Weather Review* 78(1): 1-3; Murphy, A. H. &
R. L. Winkler (1977), *Applied Statistics* 26(1): 41-47; Wilks, D. S. (2011), *Statistical
Methods in the Atmospheric Sciences*, 3rd ed., ch. 8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tightrope.errors import ParameterError

__all__ = ["RELIABILITY_EDGES", "Score", "brier", "reliability", "score"]

#: Bin edges of the reliability table (probability of the event).
RELIABILITY_EDGES = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


def brier(p: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """Mean squared difference of forecast probabilities and 0/1 outcomes.

    >>> brier(np.array([1.0, 0.0]), np.array([1.0, 1.0]))
    0.5
    """
    if len(p) == 0:
        raise ParameterError("forecasts", 0, "at least one forecast to score")
    return float(np.mean((np.asarray(p) - np.asarray(y)) ** 2))


@dataclass(frozen=True, slots=True)
class Score:
    """Brier score, climatology's, skill and the skill's bootstrap interval."""

    brier: float
    brier_clim: float
    skill: float
    skill_low: float
    skill_high: float
    n: int
    events: int
    clusters: int
    base_rate: float
    reps: int
    seed: int
    level: float
    reliability: list[dict[str, Any]]

    @property
    def has_skill(self) -> bool:
        """True only when the whole interval of the skill lies above zero."""
        return self.skill_low > 0

    def verdict(self) -> str:
        if self.events == 0:
            return "no event in the test period: skill cannot be assessed"
        if self.has_skill:
            return "skill: the interval lies above zero"
        if self.skill_high < 0:
            return "NO skill: worse than the climatological base rate"
        return "NO demonstrated skill: the interval includes zero"

    def to_json(self) -> dict[str, Any]:
        return {"brier": self.brier, "brier_climatology": self.brier_clim,
                "skill": self.skill, "skill_interval": [self.skill_low, self.skill_high],
                "interval_level": self.level, "n": self.n, "events": self.events,
                "clusters": self.clusters, "base_rate": self.base_rate,
                "bootstrap": {"reps": self.reps, "seed": self.seed, "resamples": "dyads"},
                "verdict": self.verdict(), "reliability": self.reliability}


def _skill(p: NDArray[np.float64], c: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    bc = float(np.mean((c - y) ** 2))
    return float("nan") if bc == 0 else 1.0 - float(np.mean((p - y) ** 2)) / bc


def reliability(p: NDArray[np.float64], y: NDArray[np.float64],
                edges: tuple[float, ...] = RELIABILITY_EDGES) -> list[dict[str, Any]]:
    """Per forecast bin: range, count, mean forecast and observed frequency."""
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    out = []
    for i in range(len(edges) - 1):
        m = idx == i
        if m.any():
            out.append({"low": edges[i], "high": edges[i + 1], "n": int(m.sum()),
                        "forecast": float(p[m].mean()), "observed": float(y[m].mean())})
    return out


def score(p: NDArray[np.float64], clim: NDArray[np.float64] | float, y: NDArray[np.float64],
          clusters: NDArray[Any], *, seed: int = 0, reps: int = 2000,
          level: float = 0.90) -> Score:
    """Score forecasts ``p`` against climatology ``clim`` on outcomes ``y``, with intervals.

    ``clusters`` labels the unit each row belongs to (a dyad); the bootstrap resamples them.
    """
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    c = np.broadcast_to(np.asarray(clim, dtype=np.float64), p.shape)
    if p.shape != y.shape or len(clusters) != len(p):
        raise ParameterError("forecasts", len(p), f"{len(y)} outcomes and cluster labels")
    if np.any((p < 0) | (p > 1)) or np.any((y != 0) & (y != 1)):
        raise ParameterError("forecasts", "out of range", "probabilities in [0, 1], 0/1 "
                             "outcomes")
    if reps < 1:
        raise ParameterError("bootstrap repetitions", reps, "a whole number >= 1")
    codes, inv = np.unique(np.asarray(clusters), return_inverse=True)
    rows = [np.flatnonzero(inv == g) for g in range(len(codes))]
    rng = np.random.default_rng(seed)
    sk = np.empty(reps)
    for r in range(reps):
        take = np.concatenate([rows[g] for g in rng.integers(0, len(rows), len(rows))])
        sk[r] = _skill(p[take], c[take], y[take])
    sk = sk[np.isfinite(sk)]
    lo, hi = ((float("nan"), float("nan")) if len(sk) == 0 else
              tuple(float(x) for x in np.quantile(sk, [(1 - level) / 2, (1 + level) / 2])))
    return Score(brier(p, y), brier(c, y), _skill(p, c, y), lo, hi, len(p), int(y.sum()),
                 len(rows), float(c.mean()), reps, seed, level, reliability(p, y))
