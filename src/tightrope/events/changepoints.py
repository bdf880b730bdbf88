"""Change points in a monthly temperature series (PELT with a BIC-type penalty).

Method: the monthly mean Goldstein scores of the months that have events (months without
events are left out, not filled: an invented value would create or hide shifts) are segmented
by PELT (Killick, Fearnhead & Eckley 2012) with the least-squares cost ("l2": a change in
mean) and a minimum segment of ``min_size`` observed months, via the ``ruptures`` package
(Truong, Oudre & Vayatis 2020). The penalty, unless given, is ``pen = 2 * sigma^2 * ln(n)`` —
the BIC-type penalty for a change in mean of a Gaussian series of n values with variance
sigma^2 — with sigma estimated robustly from first differences,
``sigma = 1.4826 * MAD(diff(x)) / sqrt(2)``, so that the level shifts themselves do not
inflate it. A change point is reported as the first calendar month of the new segment.
Detection needs at least ``min_months`` months with events; otherwise none is reported and the
reason is given.

References:
    Killick, R., Fearnhead, P. & Eckley, I. A. (2012). Optimal detection of changepoints with a
    linear computational cost. JASA 107(500), 1590-1598.
    Truong, C., Oudre, L. & Vayatis, N. (2020). Selective review of offline change point
    detection methods. Signal Processing 167, 107299.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tightrope.errors import ParameterError

__all__ = ["ChangePointParams", "ChangePointResult", "detect_change_points"]


@dataclass(frozen=True, slots=True)
class ChangePointParams:
    """Parameters of the detection (see the module docstring)."""

    min_size: int = 3
    penalty: float | None = None
    min_months: int = 12

    def __post_init__(self) -> None:
        if self.min_size < 2:
            raise ParameterError("min_size", self.min_size, "a segment of at least 2 months")
        if self.penalty is not None and not self.penalty > 0:
            raise ParameterError("penalty", self.penalty, "a positive number")


@dataclass(frozen=True, slots=True)
class ChangePointResult:
    """Indices of the first month of each new segment, the penalty used, or why none."""

    breaks: tuple[int, ...]
    penalty: float | None
    note: str = ""


def _bic_penalty(signal: np.ndarray) -> float:
    d = np.diff(signal)
    mad = float(np.median(np.abs(d - np.median(d)))) if len(d) else 0.0
    sigma = 1.4826 * mad / math.sqrt(2)
    if sigma <= 0:
        sigma = float(np.std(signal)) or 1.0
    return 2.0 * sigma**2 * math.log(len(signal))


def detect_change_points(
    monthly_mean: np.ndarray, params: ChangePointParams | None = None
) -> ChangePointResult:
    """Change points of a monthly series with NaN for months without events."""
    p = params or ChangePointParams()
    x = np.asarray(monthly_mean, dtype=float)
    observed = np.flatnonzero(np.isfinite(x))
    have = len(observed)
    if have < max(p.min_months, 2 * p.min_size):
        return ChangePointResult((), None, f"too few months with events ({have} < {p.min_months})")
    signal = x[observed]
    pen = p.penalty if p.penalty is not None else _bic_penalty(signal)
    import ruptures  # imported here: it loads scipy.stats, most of the CLI's start-up time

    algo = ruptures.Pelt(model="l2", min_size=p.min_size, jump=1).fit(signal.reshape(-1, 1))
    ends = algo.predict(pen=pen)
    return ChangePointResult(tuple(int(observed[e]) for e in ends[:-1]), pen)
