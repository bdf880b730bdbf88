"""The expected-utility model as pure, vectorised functions over arrays.

Notation follows Scholz, Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group
decision model", *Journal of Theoretical Politics* 23(4): 510–531, after Bueno de Mesquita
(1994), "Political forecasting: an expected utility method", in Bueno de Mesquita & Stokman
(eds.), *European Community Decision Making*, Yale UP.

Every function accepts arrays with any leading batch shape ``(...)`` and actors on the last
axis (``(..., n)``); pairwise quantities are ``(..., n, n)`` with the first actor index on the
second-to-last axis. Symbols:

* ``x`` positions (issue units), ``c`` capabilities (any positive scale), ``s`` saliences in
  [0, 1], ``w = c·s`` voting weights, ``r`` risk exponents in [0.5, 2];
* ``span`` the range of the initial positions (issue units), fixed for a run;
* ``P[i, j]`` the probability that i prevails when i challenges j;
* ``EU[a, b]`` the expected utility to a of challenging b.

Sums are taken in an order fixed by the values (sorted), not by the input order, so relabelling
the actors gives bit-identical results. Offers and the choice among them are in
:mod:`tightrope.bargaining.offers`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from tightrope._types import FloatArray, IntArray
from tightrope.bargaining.variants import ProbabilityRule, TRule

__all__ = [
    "better_utility",
    "danger_levels",
    "expected_utility",
    "failure_utility",
    "median_position",
    "risk_exponents",
    "status_quo_utility",
    "success_utility",
    "vote_distances",
    "votes",
    "weighted_mean",
    "win_probability",
    "worse_utility",
]


def _f(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def _ordered_sum(a: FloatArray, axis: int) -> FloatArray:
    """Sum after sorting along ``axis``: independent of the order of the terms."""
    return np.asarray(np.sort(a, axis=axis).sum(axis=axis), dtype=np.float64)


def _pair_distance(x: FloatArray, span: FloatArray) -> FloatArray:
    """``|x_a − x_b| / span`` for every ordered pair, shape (..., n, n). Unit: share of span."""
    return np.abs(x[..., :, None] - x[..., None, :]) / span[..., None, None]


def weighted_mean(x: ArrayLike, w: ArrayLike) -> FloatArray:
    """The weighted mean position Σ w_k x_k / Σ w_k (issue units); NaN if all weights are 0.

    >>> float(weighted_mean([4.0, 10.0], [1.0, 3.0]))
    8.5
    """
    xf, wf = _f(x), _f(w)
    num = _ordered_sum(wf * xf, axis=-1)
    den = _ordered_sum(wf, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(num / den, dtype=np.float64)


def median_position(x: ArrayLike, w: ArrayLike) -> FloatArray:
    """The median voter position μ: the actor position that wins the most pairwise votes.

    Scholz et al. (2011, §3.2): position j beats position l by Σ_k w_k (|x_k − x_l| −
    |x_k − x_j|) / span. Summed over all l this is a constant minus n·Σ_k w_k |x_k − x_j|, so
    the winner is the actor position minimising the weighted absolute distance — the weighted
    median. Exact ties go to the lowest position. Units: issue units.

    >>> float(median_position([4.0, 7.0, 10.0], [0.248, 0.093, 0.336]))
    7.0
    """
    xf, wf = _f(x), _f(w)
    cost = _ordered_sum(wf[..., :, None] * np.abs(xf[..., :, None] - xf[..., None, :]), axis=-2)
    best = cost.min(axis=-1, keepdims=True)
    tied = cost <= best + 1e-12 * np.maximum(np.abs(best), 1e-300)
    return np.asarray(np.where(tied, xf, np.inf).min(axis=-1), dtype=np.float64)


def vote_distances(x: ArrayLike, span: ArrayLike, r: ArrayLike | None = None) -> FloatArray:
    """``D[..., k, j] = (|x_k − x_j| / span) ** r_k``: voter k's distaste for position j.

    Voter k's vote for i against j is ``w_k (D[k, j] − D[k, i])`` (Scholz et al. 2011, §4).
    ``r=None`` means r = 1 (linear). Units: dimensionless.
    """
    d = _pair_distance(_f(x), _f(span))
    if r is None:
        return d
    return np.asarray(d ** _f(r)[..., :, None], dtype=np.float64)


def votes(x: ArrayLike, w: ArrayLike, span: ArrayLike, r: ArrayLike | None = None) -> FloatArray:
    """``V[..., i, j] = Σ_k v_k(i, j)``: the net weighted vote for position i against j.

    Because each vote is a difference, the sum is ``T_j − T_i`` with ``T_j = Σ_k w_k D[k, j]``
    (O(n²)). Positive when the actors as a whole prefer x_i. Units: weight (c·s) units.
    Reference: Scholz et al. (2011), §3.2 (the vote) and §4.

    >>> votes([0.0, 10.0], [1.0, 3.0], 10.0).tolist()
    [[0.0, -2.0], [2.0, 0.0]]
    """
    wf = _f(w)
    d = vote_distances(x, span, r)
    total = _ordered_sum(wf[..., :, None] * d, axis=-2)
    return np.asarray(total[..., None, :] - total[..., :, None], dtype=np.float64)


def _count_sorted(xs: FloatArray, m: FloatArray, side: str) -> IntArray:
    """For each batch, how many of the sorted ``xs`` lie below (or at, side='right') each m."""
    n = xs.shape[-1]
    flat_x = xs.reshape(-1, n)
    flat_m = m.reshape(flat_x.shape[0], -1)
    out = np.empty(flat_m.shape, dtype=np.int64)
    for b in range(flat_x.shape[0]):
        out[b] = np.searchsorted(flat_x[b], flat_m[b], side=side)  # type: ignore[call-overload]
    return out.reshape(m.shape)


def _positive_votes(
    x: FloatArray, wd: FloatArray, order: IntArray
) -> FloatArray:
    """``N[i, j] = Σ_k max(0, w_k (D[k, j] − D[k, i]))`` in O(n² log n).

    Voter k prefers i to j exactly when it lies on i's side of the midpoint (x_i + x_j)/2, so
    the voters counted form a prefix or a suffix of the voters sorted by position; prefix sums
    of ``w_k D[k, ·]`` over the sorted voters give every N[i, j] by two look-ups.
    """
    n = x.shape[-1]
    xs = np.take_along_axis(x, order, axis=-1)
    wds = np.take_along_axis(wd, order[..., :, None], axis=-2)
    cum = np.zeros((*x.shape[:-1], n + 1, n))
    cum[..., 1:, :] = np.cumsum(wds, axis=-2)
    below = x[..., :, None] < x[..., None, :]
    above = x[..., :, None] > x[..., None, :]
    # midpoints in sorted order make the binary searches cache-friendly; then map back
    mid_s = 0.5 * (xs[..., :, None] + xs[..., None, :])
    inv = np.argsort(order, axis=-1)
    rows, cols = inv[..., :, None], inv[..., None, :]

    def unsort(a: IntArray) -> IntArray:
        a = np.take_along_axis(a, np.broadcast_to(rows, a.shape), axis=-2)
        return np.take_along_axis(a, np.broadcast_to(cols, a.shape), axis=-1)

    idx = np.where(below, unsort(_count_sorted(xs, mid_s, "left")),
                   unsort(_count_sorted(xs, mid_s, "right")))
    at_j = np.take_along_axis(cum, idx, axis=-2)
    at_i = np.swapaxes(np.take_along_axis(cum, np.swapaxes(idx, -1, -2), axis=-2), -1, -2)
    total = cum[..., n, :]
    n_below = at_j - at_i
    n_above = (total[..., None, :] - at_j) - (total[..., :, None] - at_i)
    votes = np.where(below, n_below, np.where(above, n_above, 0.0))
    return np.asarray(np.maximum(votes, 0.0), dtype=np.float64)


def win_probability(
    x: ArrayLike,
    w: ArrayLike,
    span: ArrayLike,
    r: ArrayLike | None = None,
    rule: ProbabilityRule = "all-pairs",
) -> FloatArray:
    """``P[..., i, j]``: probability that i prevails over j (0 when x_i = x_j).

    Votes are ``v_k(i, j) = w_k [(|x_k − x_j|/span)^{r_k} − (|x_k − x_i|/span)^{r_k}]``.
    ``rule`` (see :mod:`tightrope.bargaining.variants`):

    * ``"all-pairs"``: Σ_k max(0, v_k(i, j)) / Σ_k Σ_a Σ_b |v_k(a, b)| (replication code);
    * ``"pairwise"``: Σ_k max(0, v_k(i, j)) / Σ_k |v_k(i, j)| (printed; P_ij + P_ji = 1);
    * ``"net"``: max(0, Σ_k v_k(i, j)) / Σ_k |v_k(i, j)| (D. Masad's reading).

    Units: probability in [0, 1]. References: Scholz et al. (2011) §4; Bueno de Mesquita (1994).
    """
    xf, wf, sp = _f(x), _f(w), _f(span)
    d = vote_distances(xf, sp, r)
    wd = wf[..., :, None] * d
    rr = np.ones_like(xf) if r is None else np.broadcast_to(_f(r), xf.shape)
    order = np.lexsort((rr, wf, xf), axis=-1).astype(np.int64)
    pos = _positive_votes(xf, wd, order)
    if rule == "all-pairs":
        n = xf.shape[-1]
        coef = 2.0 * np.arange(1, n + 1) - n - 1.0
        per_voter = 2.0 * (np.sort(wd, axis=-1) * coef).sum(axis=-1)
        den = _ordered_sum(per_voter, axis=-1)[..., None, None]
        num = pos
    elif rule == "pairwise":
        den = pos + np.swapaxes(pos, -1, -2)
        num = pos
    elif rule == "net":
        den = pos + np.swapaxes(pos, -1, -2)
        num = np.maximum(pos - np.swapaxes(pos, -1, -2), 0.0)
    else:
        raise ValueError(f"unknown probability rule {rule!r}")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)
    return np.asarray(np.clip(p, 0.0, 1.0), dtype=np.float64)


def success_utility(dist: ArrayLike, r: ArrayLike = 1.0) -> FloatArray:
    """U^s = 2 − 4 (0.5 − 0.5·d)^r: a's utility of winning against b, d = |x_a − x_b|/span.

    Units: utils, from 2 − 4·0.5^r at d = 0 up to 2 at d = 1. Reference: Scholz et al. (2011).
    """
    return np.asarray(2.0 - 4.0 * (0.5 - 0.5 * _f(dist)) ** _f(r), dtype=np.float64)


def failure_utility(dist: ArrayLike, r: ArrayLike = 1.0) -> FloatArray:
    """U^f = 2 − 4 (0.5 + 0.5·d)^r: a's utility of losing a challenge against b."""
    return np.asarray(2.0 - 4.0 * (0.5 + 0.5 * _f(dist)) ** _f(r), dtype=np.float64)


def better_utility(dist_median: ArrayLike, dist: ArrayLike, r: ArrayLike = 1.0) -> FloatArray:
    """U^b = 2 − 4 (0.5 − 0.25 (|x_a − μ| + |x_a − x_b|)/span)^r: no challenge, things improve."""
    base = 0.5 - 0.25 * (_f(dist_median) + _f(dist))
    return np.asarray(2.0 - 4.0 * np.maximum(base, 0.0) ** _f(r), dtype=np.float64)


def worse_utility(dist_median: ArrayLike, dist: ArrayLike, r: ArrayLike = 1.0) -> FloatArray:
    """U^w = 2 − 4 (0.5 + 0.25 (|x_a − μ| + |x_a − x_b|)/span)^r: no challenge, things worsen."""
    base = 0.5 + 0.25 * (_f(dist_median) + _f(dist))
    return np.asarray(2.0 - 4.0 * base ** _f(r), dtype=np.float64)


def status_quo_utility(r: ArrayLike = 1.0) -> FloatArray:
    """U^sq = 2 − 4·0.5^r: utility of the status quo (0 for a risk-neutral actor)."""
    return np.asarray(2.0 - 4.0 * 0.5 ** _f(r), dtype=np.float64)


def expected_utility(
    x: ArrayLike,
    s: ArrayLike,
    p: ArrayLike,
    span: ArrayLike,
    r: ArrayLike | None = None,
    *,
    median: ArrayLike | None = None,
    q: float = 1.0,
    t: TRule = 1.0,
) -> FloatArray:
    """``EU[..., a, b]``: expected utility to a of challenging b (diagonal set to 0).

    EU = s_b [P_ab U^s + (1 − P_ab) U^f] + (1 − s_b) U^s − Q U^sq − (1 − Q)[T U^b + (1 − T) U^w]

    (Scholz et al. 2011, expected utility of a challenge minus that of not challenging).
    ``r`` is the exponent used for each pair, broadcast to (..., n, n) — a matrix, because the
    model evaluates both sides of a dyad with the *receiver's* exponent; None means r = 1.
    ``median`` (μ) is needed only when Q < 1; ``t`` is a number or ``"median-distance"``.
    """
    xf, sf, sp = _f(x), _f(s), _f(span)
    dist = _pair_distance(xf, sp)
    rr: ArrayLike = 1.0 if r is None else _f(r)
    us = success_utility(dist, rr)
    uf = failure_utility(dist, rr)
    pf = _f(p)
    sb = sf[..., None, :]
    eu = sb * (pf * us + (1.0 - pf) * uf) + (1.0 - sb) * us - q * status_quo_utility(rr)
    if q < 1.0:
        if median is None:
            raise ValueError("the median position is needed when Q < 1")
        dmu = np.abs(xf - _f(median)[..., None])[..., :, None] / sp[..., None, None]
        if isinstance(t, str):
            tt: FloatArray | float = (dmu < dist).astype(np.float64)
        else:
            tt = float(t)
        ub = better_utility(dmu, dist, rr)
        uw = worse_utility(dmu, dist, rr)
        eu = eu - (1.0 - q) * (tt * ub + (1.0 - tt) * uw)
    n = xf.shape[-1]
    eu = np.array(eu, dtype=np.float64)
    eu[..., np.arange(n), np.arange(n)] = 0.0
    return eu


def danger_levels(eu: ArrayLike) -> FloatArray:
    """``D_i = Σ_{j ≠ i} EU[j, i]``: how much the others expect to gain by challenging i.

    Computed with every r = 1 (Scholz et al. 2011, §5 "security"). Units: utils.
    """
    e = np.array(eu, dtype=np.float64)
    n = e.shape[-1]
    e[..., np.arange(n), np.arange(n)] = 0.0
    return _ordered_sum(e, axis=-2)


def risk_exponents(danger: ArrayLike) -> FloatArray:
    """r_i = (1 − R_i/3)/(1 + R_i/3) with R_i = (2 D_i − D_max − D_min)/(D_max − D_min).

    R in [−1, 1] maps to r in [0.5, 2]: the most endangered actor gets r = 0.5. When every
    danger level is equal, R = 0 and r = 1. Reference: Scholz et al. (2011), §5.

    >>> [round(float(v), 3) for v in risk_exponents([0.0, 1.0, 2.0])]
    [2.0, 1.0, 0.5]
    """
    d = _f(danger)
    hi = d.max(axis=-1, keepdims=True)
    lo = d.min(axis=-1, keepdims=True)
    spread = hi - lo
    flat = spread <= 1e-12 * np.maximum(np.abs(hi) + np.abs(lo), 1e-300)
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(flat, 0.0, (2.0 * d - hi - lo) / np.where(flat, 1.0, spread))
    big_r = np.clip(big_r, -1.0, 1.0)
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0), dtype=np.float64)
