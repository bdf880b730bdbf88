"""The balancer: best expected gain subject to every power's attitude staying above a floor.

This is the op-ed's "caution, prudence, balance": each quarter take the most lucrative move
that leaves no great power's expected attitude below a floor (the floor is a lever the robust
analysis searches), never crossing a red line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from tightrope.minefield.kernel import compiled
from tightrope.minefield.model import Model
from tightrope.minefield.spec import MAX_MOVES
from tightrope.minefield.strategies import Moves, StrategyState

__all__ = ["Balancer"]

#: The lowest set bit is looked up 16 bits at a time.
CHUNK = 16


@lru_cache(maxsize=1)
def _lowest_bit_table() -> NDArray[np.int8]:
    """Index of the lowest set bit of every 16-bit word (-1 for 0)."""
    x = np.arange(1 << CHUNK, dtype=np.int64)
    low = x & -x
    out = np.full(1 << CHUNK, -1, dtype=np.int8)
    out[1:] = np.log2(low[1:]).astype(np.int8)
    return out


@dataclass(frozen=True)
class _Plan:
    """Per-model precomputation: distinct thresholds per power and their prefix bitmasks."""

    order: NDArray[np.intp]  # (S, M) moves by expected gain, best first
    thresholds: list[NDArray[np.float64]]  # per power: (S, G_p) distinct, ascending
    prefix: list[NDArray[np.unsignedinteger]]  # per power: (S, G_p + 1) flat-able masks
    allowed_bits: NDArray[np.unsignedinteger]  # (S,) moves crossing no red line
    repair: NDArray[np.intp]  # (S, P) allowed move raising the power's attitude most
    chunks: int  # 16-bit chunks in a mask
    #: The same plan padded into uniform arrays for the compiled kernel: thresholds
    #: (P, S, G) with +inf after each power's last one (never reached), prefix masks
    #: (P, S, G + 1) and the allowed moves' mask, all as uint64.
    flat_thresholds: NDArray[np.float64]
    flat_prefix: NDArray[np.uint64]
    flat_allowed: NDArray[np.uint64]


def _plan(md: Model, floor: NDArray[np.float64], respect_red_lines: bool) -> _Plan:
    S, M, P = md.move_att.shape
    if M > MAX_MOVES:  # the scenario parser enforces the limit; a bug if reached
        raise ValueError(f"the balancer handles at most {MAX_MOVES} moves")
    chunks = -(-M // CHUNK)
    word = {1: np.uint16, 2: np.uint32}.get(chunks, np.uint64)
    order = np.argsort(-md.move_gain, axis=1, kind="stable")
    rank = np.argsort(order, axis=1)
    bits = np.left_shift(np.uint64(1), rank.astype(np.uint64))  # (S, M)
    thresh = floor[:, None, None] - md.move_att  # (S, M, P)
    by_t = np.argsort(thresh, axis=1, kind="stable")
    sorted_t = np.take_along_axis(thresh, by_t, axis=1)  # (S, M, P)
    prefix = np.bitwise_or.accumulate(np.take_along_axis(bits[:, :, None], by_t, axis=1), 1)
    ts, ps = [], []
    for p in range(P):
        col = sorted_t[:, :, p]
        # keep the last of each run of equal thresholds (equal in every sample)
        last = np.append(np.any(col[:, 1:] != col[:, :-1], axis=0), True)
        ts.append(np.ascontiguousarray(col[:, last]))
        pre = np.zeros((S, int(last.sum()) + 1), dtype=word)
        pre[:, 1:] = prefix[:, last, p]
        ps.append(pre)
    allowed: NDArray[np.bool_] = (np.logical_not(np.any(md.crossed, axis=2))
                                  if respect_red_lines else np.ones((S, M), dtype=bool))
    allowed[~allowed.any(axis=1)] = True  # every move crosses a line: ignore red lines
    allowed_bits = np.bitwise_or.reduce(np.where(allowed, bits, np.uint64(0)), axis=1)
    lift = np.where(allowed[:, :, None], md.move_att, -np.inf)  # (S, M, P)
    repair = np.stack([np.lexsort((rank, -lift[:, :, p]), axis=1)[:, 0] for p in range(P)],
                      axis=1)
    G = max(t.shape[1] for t in ts)
    flat_t = np.full((P, S, G), np.inf)
    flat_p = np.zeros((P, S, G + 1), dtype=np.uint64)
    for p in range(P):
        flat_t[p, :, :ts[p].shape[1]] = ts[p]
        flat_p[p, :, :ps[p].shape[1]] = ps[p]
    return _Plan(order, ts, ps, allowed_bits.astype(word), repair, chunks, flat_t, flat_p,
                 allowed_bits.astype(np.uint64))


def _choose_compiled(a: NDArray[np.floating], kappa: NDArray[np.floating],
                     a0: NDArray[np.floating], thresholds: NDArray[np.floating],
                     prefix: NDArray[np.uint64], allowed: NDArray[np.uint64],
                     order: NDArray[np.intp], repair: NDArray[np.intp],
                     out: NDArray[np.intp]) -> None:
    """:meth:`Balancer.choose` for every trajectory, compiled with Numba (same arithmetic in
    the same dtype and order, so the same moves).

    Per tile of trajectories and per power: the expected attitude, the number of thresholds
    it reaches (a count of comparisons, which vectorises, instead of a search) and an AND of
    that prefix mask; then the lowest set bit, or the repair move when no bit is left.
    """
    S, P, R = a.shape
    G = thresholds.shape[2]
    tile = 512
    base = np.empty((P, tile), a.dtype)
    k = np.empty(tile, np.uint32)  # unsigned: the prefix look-up needs no wrap-around test
    mask = np.empty(tile, np.uint64)
    lowest = np.empty(tile, np.float64)
    exponent = lowest.view(np.uint64)
    for s in range(S):
        kap = kappa[s]
        for r0 in range(0, R, tile):
            n = min(tile, R - r0)
            for i in range(n):
                mask[i] = allowed[s]
            for p in range(P):
                ar, bp, ref, th, pre = a[s, p, r0:r0 + n], base[p], a0[s, p], thresholds[p, s], \
                    prefix[p, s]
                for i in range(n):
                    x = ar[i]
                    bp[i] = x + kap * (ref - x)
                    k[i] = 0
                for g in range(G):
                    t = th[g]
                    for i in range(n):
                        k[i] += bp[i] >= t
                for i in range(n):
                    mask[i] &= pre[k[i]]
            # the lowest set bit's index without a loop or branch (this vectorises): isolate
            # the bit, convert it to a float (a power of two, exact) and read its exponent
            for i in range(n):
                w = mask[i]
                lowest[i] = np.float64(w & (~w + np.uint64(1)))
            for i in range(n):
                if mask[i] == 0:  # repair the relationship furthest below the floor
                    worst, low = 0, base[0, i]
                    for p in range(1, P):
                        if base[p, i] < low:
                            worst, low = p, base[p, i]
                    out[s, r0 + i] = repair[s, worst]
                else:
                    out[s, r0 + i] = order[s, (exponent[i] >> np.uint64(52)) - np.uint64(1023)]


def _lowest_bit(mask: NDArray[np.unsignedinteger], chunks: int) -> NDArray[np.intp]:
    """Index of the lowest set bit of every mask (-1 where the mask is 0).

    The lowest 16 bits are looked up for every mask; higher chunks only for the masks still
    unresolved (few: bits are ranked by gain, so the best moves sit in the low chunk).
    """
    table = _lowest_bit_table()
    word = mask.dtype.type
    rank: NDArray[np.intp] = np.take(table, (mask & word(0xFFFF)).astype(np.intp)).astype(np.intp)
    if chunks == 1:
        return rank
    flat, rflat = mask.ravel(), rank.ravel()
    todo = np.flatnonzero(rflat < 0)
    for c in range(1, chunks):
        if not len(todo):
            break
        part = (flat[todo] >> word(CHUNK * c)) & word(0xFFFF)
        bit = np.take(table, part.astype(np.intp))
        found = bit >= 0
        rflat[todo[found]] = bit[found].astype(np.intp) + CHUNK * c
        todo = todo[~found]
    return rflat.reshape(mask.shape)


@dataclass
class Balancer:
    """Best expected gain subject to every power's expected attitude staying above ``floor``.

    Each quarter, for every trajectory, the expected next attitude after move m is
    ``a + κ (a0 − a) + Δa_m`` (reversion κ, move effect Δa_m; the noise has mean 0). Among the
    moves keeping it >= floor for every power (and, if ``respect_red_lines``, crossing no red
    line) the one with the highest expected direct gain is taken (ties: catalogue order). If
    none qualifies, it repairs the relationship furthest below the floor: the allowed move that
    raises that power's attitude most (ties: more gain). ``floor`` may be one number or one per
    sample (it is a lever).

    Vectorised with bitmasks: for power p the feasible moves are those whose threshold
    ``floor − Δa_mp`` is at most its expected attitude — a prefix of the moves sorted by
    threshold — so one count per power and an AND of prefix masks give every trajectory's
    feasible set; its lowest bit (bits are ranked by gain, found with a 16-bit lookup table) is
    the choice. When the engine runs its compiled kernel (``state.compiled``) the same
    choice is made by a compiled loop over trajectories (:func:`_choose_compiled`), with the
    same arithmetic, so the moves are identical (tested against this form).
    """

    floor: float | NDArray[np.floating] = 0.0
    respect_red_lines: bool = True
    name: str = "balancer"
    #: The last model planned for and its plan. The model itself is held (not its ``id``):
    #: CPython reuses the id of a freed object, so an id key could serve a dead model's plan
    #: to a new model allocated at the same address.
    _cached: tuple[Model, _Plan] | None = field(default=None, repr=False, compare=False)

    def plan(self, md: Model) -> _Plan:
        if self._cached is None or self._cached[0] is not md:
            floor = np.broadcast_to(np.asarray(self.floor, dtype=np.float64), (md.samples,))
            self._cached = (md, _plan(md, floor, self.respect_red_lines))
        return self._cached[1]

    def choose(self, state: StrategyState) -> Moves:
        md = state.model
        a = state.attitude_by_power
        dt = a.dtype
        S, P, R = a.shape
        plan = self.plan(md)
        if state.compiled:
            out = np.empty((S, R), dtype=np.intp)
            kernel = compiled("balancer", _choose_compiled)
            kernel(a, md.reversion.astype(dt), md.a0.astype(dt),
                   plan.flat_thresholds.astype(dt), plan.flat_prefix, plan.flat_allowed,
                   plan.order, plan.repair, out)
            return out
        base = a + md.reversion.astype(dt)[:, None, None] * (md.a0.astype(dt)[:, :, None] - a)
        mask = np.broadcast_to(plan.allowed_bits[:, None], (S, R)).copy()
        for p in range(P):
            t = plan.thresholds[p].astype(dt)
            G = t.shape[1]
            k = np.zeros((S, R), dtype=np.int8)
            for g in range(G):
                k += base[:, p, :] >= t[:, g, None]
            idx = k + (np.arange(S) * (G + 1))[:, None] if S > 1 else k
            mask &= np.take(plan.prefix[p].ravel(), idx)
        rank = _lowest_bit(mask, plan.chunks)
        none = rank < 0
        np.maximum(rank, 0, out=rank)
        chosen = (np.take(plan.order[0], rank) if S == 1
                  else np.take_along_axis(plan.order, rank, axis=1))
        if none.any():  # repair the relationship furthest below the floor
            if S == 1:
                r_i = np.flatnonzero(none[0])
                sub = np.take(base[0], r_i, axis=1)  # (P, n)
            else:
                s_i, r_i = np.nonzero(none)
                sub = base[s_i, :, r_i].T
            low_att = sub[0].copy()
            worst = np.zeros(len(r_i), dtype=np.intp)
            for p in range(1, P):
                lower = sub[p] < low_att
                np.minimum(low_att, sub[p], out=low_att)
                worst[lower] = p
            if S == 1:
                chosen[0, r_i] = np.take(plan.repair[0], worst)
            else:
                chosen[s_i, r_i] = plan.repair[s_i, worst]
        return chosen
