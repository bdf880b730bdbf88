"""The multi-vector balance index.

For one channel, let ``d_i >= 0`` be the focal country's dependence on power ``i`` (only powers
whose cell is known). Shares ``p_i = d_i / sum_j d_j``; the Herfindahl–Hirschman index is
``H = sum_i p_i^2`` and, with ``n`` known powers, the balance index is

    B = (1 - H) / (1 - 1/n)        (n >= 2; 1 - normalised HHI)

B = 1 when dependence is spread evenly over the powers, B = 0 when a single power holds it all.

Why 1 − normalised HHI rather than normalised Shannon entropy: both are 1 for equal shares, 0
for one patron, symmetric in the powers and obey the Pigou–Dalton transfer principle (moving
dependence from a larger to a smaller power never lowers them). HHI weighs the largest shares
most, which is what a "single patron" reading needs, and it is the measure trade and
competition analysts already read (the normalised form is the one UNCTAD and the antitrust
literature use to compare markets with different numbers of firms).

References: Hirschman, A. O. (1945), *National Power and the Structure of Foreign Trade*;
Herfindahl, O. C. (1950), *Concentration in the Steel Industry*; Rhoades, S. A. (1993), "The
Herfindahl–Hirschman index", Federal Reserve Bulletin 79.

Unknown cells (NaN) are excluded from ``n`` — never counted as zero. With fewer than two known
powers, or zero total dependence, the index is undefined (NaN).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["balance_index", "balance_index_batch", "shares"]


def shares(d: ArrayLike) -> NDArray[np.float64]:
    """Dependence shares over the known powers (NaN stays NaN). Units: fractions summing to 1."""
    x = np.asarray(d, dtype=float)
    if np.any(x[~np.isnan(x)] < 0):
        raise ValueError("dependence values must be >= 0")
    total = np.nansum(x)
    if total <= 0:
        return np.full_like(x, np.nan)
    return np.asarray(x / total, dtype=float)


def balance_index(d: ArrayLike) -> float:
    """1 − normalised HHI of the known (non-NaN) entries of ``d``; NaN if undefined.

    >>> balance_index([1, 1, 1])
    1.0
    >>> balance_index([5, 0, 0])
    0.0
    >>> round(balance_index([0.5, 0.3, float("nan"), 0.2]), 4)
    0.93
    """
    x = np.asarray(d, dtype=float)
    return float(balance_index_batch(x[None, :])[0])


def balance_index_batch(d: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise balance index of a (samples, powers) array; NaN entries are unknown cells."""
    x = np.asarray(d, dtype=float)
    if x.ndim != 2:
        raise ValueError("expected a 2-D array (samples, powers)")
    if np.any(x[~np.isnan(x)] < 0):
        raise ValueError("dependence values must be >= 0")
    known = ~np.isnan(x)
    n = known.sum(axis=1)
    total = np.where(known, x, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(known, x, 0.0) / total[:, None]
        hhi = (p**2).sum(axis=1)
        out = (1.0 - hhi) / (1.0 - 1.0 / n)
    out = np.where((n >= 2) & (total > 0), out, np.nan)
    return np.clip(out, 0.0, 1.0)
