"""The autonomy (balance) index: 1 − normalised Herfindahl–Hirschman index of dependence shares.

For a focal country with dependences ``d_1 … d_n >= 0`` on ``n >= 2`` powers, shares are
``s_i = d_i / Σ_j d_j``, ``HHI = Σ_i s_i²`` and

    autonomy = (1 − HHI) / (1 − 1/n)

It is 1 when dependence is spread evenly over the powers and 0 when one power holds it all.
The minefield engine evaluates it every quarter for every trajectory; the exposure module may
reuse :func:`autonomy_index` for the same quantity (it is the same formula as its balance index).

Units: dependences in any common non-negative unit (only shares matter); the index is a
dimensionless number in [0, 1].

References: Hirschman, A. O. (1945), *National Power and the Structure of Foreign Trade*;
Herfindahl, O. C. (1950), *Concentration in the Steel Industry*; Rhoades, S. A. (1993), "The
Herfindahl–Hirschman index", Federal Reserve Bulletin 79, 188–189.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["autonomy_index"]


def autonomy_index(dependence: ArrayLike, axis: int = -1) -> NDArray[np.floating]:
    """1 − normalised HHI of ``dependence`` along ``axis`` (the powers axis).

    Works on any array shape, e.g. ``(runs, powers)`` or ``(samples, powers, runs)`` with
    ``axis=1``; the result drops that axis and keeps the input's float precision. Rows whose
    total dependence is 0 get NaN (no dependence at all: autonomy is undefined, not 1).

    >>> float(autonomy_index([1.0, 1.0, 1.0]))
    1.0
    >>> float(autonomy_index([2.0, 0.0, 0.0]))
    0.0
    >>> round(float(autonomy_index([0.5, 0.3, 0.2])), 4)
    0.93
    """
    d = np.asarray(dependence)
    if not np.issubdtype(d.dtype, np.floating):
        d = d.astype(np.float64)
    n = d.shape[axis]
    if n < 2:
        raise ValueError("the autonomy index needs at least two powers")
    total = d.sum(axis=axis)
    sq = np.square(d).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        hhi = sq / np.square(total)
        out = (1.0 - hhi) * (n / (n - 1.0))
    out = np.where(total > 0, np.clip(out, 0.0, 1.0), np.nan)
    return out.astype(d.dtype, copy=False)
