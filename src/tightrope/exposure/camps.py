"""Balance over camps: the lean margin of a state's ties to rival poles.

For one channel, ``t_k`` in [0, 1] is the state's tie to camp ``k`` (NaN: camp not applicable,
e.g. the state is that pole). With ``t_(1) >= t_(2)`` the two strongest known ties,

    B = 1 - (t_(1) - t_(2))

B = 1 when the two strongest ties are equal (including no tie at all), 0 when one camp holds a
full tie and no other camp any. Unlike 1 - normalised HHI of shares, the margin keeps
magnitude: a weak tie to one camp is a weak lean, not a single patron.

Portfolio (method v2, the headline): each camp's tie is first averaged over the known
channels, ``T_k = sum_c w_c t_ck / sum_c w_c``, and the margin is taken between the two
strongest camps, ``P = 1 - (T_(1) - T_(2))``. A state tied to one camp in security and to a
rival camp in trade leans on each channel but spreads its portfolio.

Hedging index (method v3, the headline): evenness and magnitude are both necessary, so

    H = sqrt(P * T_(2)),   P = 1 - (T_(1) - T_(2))

``T_(2)`` is the second camp's portfolio tie. Weak ties everywhere give a low H (v2's P gave
them 1); a state tied equally and fully to two camps gives 1.

>>> ties = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # channel x camp
>>> float(lean_balance(portfolio_ties(ties, np.ones(2))))
1.0

>>> float(hedging_index(np.array([0.0, 0.0, 0.0])))
0.0
>>> float(hedging_index(np.array([1.0, 0.25, 0.0])))  # P = 0.25, T_(2) = 0.25
0.25

>>> float(lean_balance(np.array([1.0, 0.0, 0.0])))
0.0
>>> float(lean_balance(np.array([0.5, 0.5, 0.1])))
1.0
>>> float(lean_balance(np.array([0.0, 0.0, 0.0])))
1.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["hedging_index", "lean_balance", "lean_interval", "portfolio_ties", "second_tie",
           "weighted_overall"]


def lean_balance(t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise ``1 - (t_(1) - t_(2))`` over the last axis; NaN entries are not applicable.

    Fewer than two known entries give NaN. Values outside [0, 1] are rejected.
    """
    x = np.asarray(t, dtype=float)
    known = ~np.isnan(x)
    if np.any((x[known] < 0) | (x[known] > 1)):
        raise ValueError("ties must lie in [0, 1]")
    s = np.sort(np.where(known, x, -np.inf), axis=-1)
    top, second = s[..., -1], s[..., -2] if x.shape[-1] >= 2 else np.full(x.shape[:-1], -np.inf)
    ok = known.sum(axis=-1) >= 2
    with np.errstate(invalid="ignore"):
        out = 1.0 - (top - second)
    return np.asarray(np.where(ok, out, np.nan), dtype=float)


def lean_interval(lo: NDArray[np.float64], hi: NDArray[np.float64]
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Exact range of :func:`lean_balance` when each tie lies anywhere in [lo, hi].

    The largest margin puts one camp at its high end and the others at their low ends; the
    smallest takes the camp with the highest low end at that low end and its strongest rival at
    its high end (zero if the rival can reach it).
    """
    lo_ = np.asarray(lo, dtype=float)
    hi_ = np.asarray(hi, dtype=float)
    if lo_.shape != hi_.shape:
        raise ValueError("lo and hi must have the same shape")
    if np.any(lo_[~np.isnan(lo_)] > hi_[~np.isnan(hi_)]):
        raise ValueError("lo must not exceed hi")
    k = lo_.shape[-1]
    known = ~np.isnan(lo_)
    lo_f = np.where(known, lo_, -np.inf)
    hi_f = np.where(known, hi_, -np.inf)
    max_m = np.full(lo_.shape[:-1], -np.inf)
    min_m = np.full(lo_.shape[:-1], np.inf)
    for a in range(k):
        others = [j for j in range(k) if j != a]
        lo_o = lo_f[..., others].max(axis=-1)
        hi_o = hi_f[..., others].max(axis=-1)
        with np.errstate(invalid="ignore"):
            max_m = np.where(known[..., a], np.maximum(max_m, hi_f[..., a] - lo_o), max_m)
            # camp a on top at its low end, the strongest rival at its high end (capped at a)
            cand = np.maximum(0.0, lo_f[..., a] - hi_o)
        min_m = np.where(known[..., a] & (lo_f[..., a] >= lo_o), np.minimum(min_m, cand), min_m)
    ok = known.sum(axis=-1) >= 2
    low_b = np.where(ok, 1.0 - np.clip(max_m, 0.0, 1.0), np.nan)
    high_b = np.where(ok, 1.0 - np.clip(min_m, 0.0, 1.0), np.nan)
    return low_b, high_b


def weighted_overall(idx: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weighted mean over the last axis of the known (non-NaN) channel indices."""
    x = np.asarray(idx, dtype=float)
    ok = ~np.isnan(x)
    ww = np.where(ok, np.broadcast_to(w, x.shape), 0.0)
    den = ww.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (np.where(ok, x, 0.0) * ww).sum(axis=-1) / den
    return np.asarray(np.where(den > 0, out, np.nan), dtype=float)


def portfolio_ties(ties: NDArray[np.float64], w: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each camp's tie averaged over channels: ``ties`` (..., channels, camps), ``w``
    broadcastable to (..., channels); NaN ties are left out of their camp's mean. A camp with
    no known tie on any channel is NaN.
    """
    x = np.asarray(ties, dtype=float)
    if x.ndim < 2:
        raise ValueError("ties must have a channel and a camp axis")
    ww = np.asarray(w, dtype=float)[..., None]
    if np.any(ww < 0):
        raise ValueError("weights must be >= 0")
    ok = ~np.isnan(x)
    wk = np.where(ok, np.broadcast_to(ww, x.shape), 0.0)
    den = wk.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.clip((np.where(ok, x, 0.0) * wk).sum(axis=-2) / den, 0.0, 1.0)
    return np.asarray(np.where(den > 0, out, np.nan), dtype=float)


def second_tie(t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise second-largest known entry over the last axis; NaN with fewer than two."""
    x = np.asarray(t, dtype=float)
    known = ~np.isnan(x)
    if x.shape[-1] < 2:
        return np.full(x.shape[:-1], np.nan)
    s = np.sort(np.where(known, x, -np.inf), axis=-1)[..., -2]
    return np.asarray(np.where(known.sum(axis=-1) >= 2, s, np.nan), dtype=float)


def hedging_index(t: NDArray[np.float64]) -> NDArray[np.float64]:
    """Method v3's headline over the last axis (camp ties in [0, 1], NaN not applicable):
    ``sqrt(P * T_(2))`` with ``P = 1 - (T_(1) - T_(2))`` (:func:`lean_balance`) and ``T_(2)``
    the second-strongest tie. NaN with fewer than two known ties."""
    p = lean_balance(t)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.sqrt(np.clip(p * second_tie(t), 0.0, 1.0)), dtype=float)
