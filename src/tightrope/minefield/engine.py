"""The vectorised Monte-Carlo engine: all trajectories (and parameter samples) step together.

State arrays are laid out ``(samples S, powers P, runs R)``; one Python loop runs over quarters,
none over trajectories. Each quarter (symbols as in :mod:`tightrope.minefield.model`):

1. shocks start with probability ``1 − exp(−rate)`` and stay active ``duration`` quarters;
2. the strategy picks a move ``m`` per trajectory;
3. attitudes: ``a ← clip(a + κ(a0 − a) + Δa_m + Δa_shock + σ ε, −1, 1)``, ε standard logistic
   scaled to unit variance; dependences ``d ← (d + κ_d (d0 − d)) (1 + Δd_m)``;
4. reactions on two ordered-logit ladders (McCullagh 1980), one draw each per power; a power
   that climbs to rung k has taken the steps below too (effects add up along the ladder):
   ``P(reward ≥ k) = σ(c_k + β_r (a − a0) + b_shock)`` and
   ``P(coercion ≥ k) = σ(c_k + β_c (a0 − a) + β_l lev0 (d/d0 − 1) + ρ·[red line crossed]
   − Σ_q w_qp (a_q⁺ − a0_q⁺) + b_shock)``; the highest rung reached acts;
5. gain += move gain + reward gains − coercion losses × d/d0 + shock gains;
   rewards raise dependence and the rewarding power's attitude;
6. catastrophe (absorbing): each coercion rung climbed may lead to its catastrophe kind, with
   combined chance ``1 − Π_{j<=k} (1 − q_j)`` for a climb to rung k (one draw);
   an economic trigger fires with its hazard while cumulative gain is below its threshold;
7. autonomy = 1 − normalised HHI of d (:func:`~tightrope.minefield.autonomy.autonomy_index`),
   counted as 0 after a catastrophe.

Coercion changes only gain and catastrophe, never attitudes or dependences, so with common
random numbers raising any coercion probability can only add coercion events and lower gain:
P(catastrophe) cannot fall (for strategies that do not read the realised gain).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tightrope.minefield.autonomy import autonomy_index
from tightrope.minefield.kernel import FusedTables, have_numba, quarter_kernel, shock_kernel
from tightrope.minefield.model import Model
from tightrope.minefield.rng import Streams
from tightrope.minefield.spec import COERCION_RUNGS, REWARD_RUNGS
from tightrope.minefield.strategies import Strategy, StrategyState
from tightrope.progress import Progress

__all__ = ["FAN_QUANTILES", "GAIN_PARTS", "Kernel", "RawOutcome", "run_engine"]

#: The per-quarter update: fused and compiled with Numba, or one NumPy operation at a time.
Kernel = Literal["numba", "numpy"]

FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Sources of the cumulative gain, in the order of ``RawOutcome.gain_parts``.
GAIN_PARTS = ("moves", "rewards", "coercion", "shocks")

@dataclass
class RawOutcome:
    """Per-trajectory outcomes (S, R) and per-quarter aggregates of one engine run."""

    model: Model
    strategy: str
    seed: int
    runs: int
    catastrophe: NDArray[np.bool_]
    cat_quarter: NDArray[np.int16]  # -1: none
    cat_kind: NDArray[np.int16]  # index into model.catastrophes, -1: none
    cat_power: NDArray[np.int16]  # reacting power (canonical index), -1: economy / none
    cat_move: NDArray[np.int16]  # move in the quarter of the catastrophe
    cat_band: NDArray[np.int16]  # attitude band of the reacting power before that move
    gain: NDArray[np.float64]  # cumulative, pct of annual GDP
    autonomy: NDArray[np.float64]  # mean over quarters, in [0, 1]
    cum_catastrophe: NDArray[np.float64]  # (S, T) share with a catastrophe by quarter end
    gain_parts: NDArray[np.float64]  # (4, S) mean cumulative gain by source (0 w/o analysis)
    move_share: NDArray[np.float64] | None = None  # (S, T, M) among surviving trajectories
    fan: NDArray[np.float64] | None = None  # (S, T+1, P, Q) attitude quantiles (survivors)
    exposure: NDArray[np.int64] | None = None  # (S, M, P, B) surviving trajectory-quarters


def _flat_index(level: NDArray[np.int8], offs: NDArray[np.intp]) -> NDArray[np.intp]:
    out: NDArray[np.intp] = level + offs
    return out


class _Tables:
    """Model arrays cast to the engine's dtype and shaped to broadcast with (S, P, R)."""

    def __init__(self, md: Model, dt: np.dtype[np.floating]) -> None:
        S, P, M = md.samples, len(md.powers), len(md.moves)
        def c(x: NDArray[Any]) -> NDArray[np.floating]:
            out: NDArray[np.floating] = np.ascontiguousarray(x, dtype=dt)
            return out

        self.a0 = c(md.a0[:, :, None])
        self.a0_pos = c(np.maximum(md.a0, 0)[:, :, None])
        # a power the focal country does not depend on at all: leverage never changes (rel = 1)
        with np.errstate(divide="ignore"):
            self.inv_d0 = c(np.where(md.d0 > 0, 1.0 / md.d0, 0.0)[:, :, None])
        self.rel_offset = c((md.d0 <= 0)[:, :, None]) if np.any(md.d0 <= 0) else None
        self.bl = c((md.beta_l * md.lev0)[:, :, None])
        self.beta_c, self.beta_r = c(md.beta_c[:, :, None]), c(md.beta_r[:, :, None])
        self.rho = c(md.rho[:, :, None])
        self.kappa = c(md.reversion[:, None, None])
        self.kappa_d = c(md.dep_reversion[:, None, None]) if np.any(md.dep_reversion) else None
        self.d0 = c(md.d0[:, :, None])
        self.sigma = c(md.noise[:, None, None])
        self.cut_r = [c(md.reward_cut[:, :, k, None]) for k in range(len(REWARD_RUNGS))]
        self.cut_c = [c(md.coerce_cut[:, :, k, None]) for k in range(len(COERCION_RUNGS))]
        # (deterring power q, deterred power p, weight (S, 1)) for the non-zero pairs only
        self.deter = [(q, p, c(md.deter[:, q, p, None])) for q in range(P) for p in range(P)
                      if np.any(md.deter[:, q, p])]
        kr, kc = len(REWARD_RUNGS) + 1, len(COERCION_RUNGS) + 1
        sp = np.arange(S)[:, None] * P + np.arange(P)[None, :]
        self.offs_r = (sp * kr)[:, :, None].astype(np.intp)
        self.offs_c = (sp * kc)[:, :, None].astype(np.intp)
        self.offs_m = (sp * M)[:, :, None].astype(np.intp)
        self.offs_gain = (np.arange(S) * M)[:, None].astype(np.intp)
        self.reward_gain, self.reward_dep = c(md.reward_gain.ravel()), c(md.reward_dep.ravel())
        self.reward_att = c(md.reward_att.ravel())
        self.has_reward_att = bool(np.any(md.reward_att))
        self.coerce_loss, self.cat_prob = c(md.coerce_loss.ravel()), c(md.cat_prob.ravel())
        self.single = S == 1
        self.move_att = self._moves(md.move_att, c)
        self.move_dep = self._moves(md.move_dep, c)
        self.crossed = self._moves(md.crossed, c)
        self.move_gain = c(md.move_gain.ravel())
        self.shock_p = c(md.shock_p[:, :, None])
        self.shock_dur = md.shock_dur[:, :, None].astype(np.int16)
        self.shock_gain = c(md.shock_gain[:, :, None])
        self.shock_with_gain = [h for h in range(md.shock_gain.shape[1])
                                if np.any(md.shock_gain[:, h])]
        # per shock: (h, effect (S, P, 1)) for shocks with a non-zero effect
        self.shock_att = _nonzero(md.shock_att, c)
        self.shock_coerce = _nonzero(md.shock_coerce, c)
        self.shock_reward = _nonzero(md.shock_reward, c)
        self.per_use = [(h, int(md.per_use_move[h]), int(md.per_use_cap[h]),
                         c(md.per_use_gain[:, h, None])) for h in range(len(md.shocks))
                        if md.per_use_move[h] >= 0]
        self.econ_thr = c(md.econ_threshold[:, :, None])
        self.econ_haz = c(md.econ_hazard[:, :, None])


    def _moves(self, x: NDArray[Any], cast: Callable[[NDArray[Any]], NDArray[np.floating]]
               ) -> NDArray[np.floating]:
        """(S, M, P) move effects as a (P, M) table (one sample) or a flat (S, P, M) one."""
        t = np.swapaxes(x, 1, 2)
        return cast(t[0]) if self.single else cast(t.ravel())

    def by_move(self, table: NDArray[np.floating], idx: NDArray[np.intp]) -> NDArray[np.floating]:
        """Gather a move table for the chosen moves -> (S, P, R)."""
        if self.single:
            out: NDArray[np.floating] = np.take(table, idx[0], axis=1)[None]
            return out
        return np.take(table, idx)


def _nonzero(x: NDArray[np.float64], cast: Callable[[NDArray[np.float64]], NDArray[np.floating]]
             ) -> list[tuple[int, NDArray[np.floating]]]:
    return [(h, cast(x[:, h, :, None])) for h in range(x.shape[1]) if np.any(x[:, h])]


def _weighted(effects: list[tuple[int, NDArray[np.floating]]], on: NDArray[np.bool_],
              shape: tuple[int, int, int], dt: np.dtype[np.floating]
              ) -> NDArray[np.floating] | None:
    """Σ_h effect_h (S, P, 1) × on_h (S, R) -> (S, P, R); None when no shock has an effect."""
    if not effects:
        return None
    out = np.zeros(shape, dtype=dt)
    for h, eff in effects:
        out += eff * on[:, None, h, :]
    return out


def _logit(u: NDArray[np.floating]) -> NDArray[np.floating]:
    out = u / (1 - u)
    np.log(out, out=out)
    return out


def _logit_in_place(u: NDArray[np.floating], scratch: NDArray[np.floating]
                    ) -> NDArray[np.floating]:
    """:func:`_logit` written over ``u`` (the same operations, so the same values), with no
    new array: fresh arrays of this size cost more in page faults than the arithmetic."""
    np.subtract(1, u, out=scratch)
    np.divide(u, scratch, out=u)
    np.log(u, out=u)
    return u


def _ladder(z: NDArray[np.floating], cuts: list[NDArray[np.floating]]) -> NDArray[np.int8]:
    """Number of rungs reached: #{k : z < cut_k} (cuts non-increasing, so a prefix)."""
    level = np.zeros(z.shape, dtype=np.int8)
    for cut in cuts:
        level += z < cut
    return level


def run_engine(md: Model, strategy: Strategy, runs: int, seed: int, *, first_run: int = 0,
               dtype: type[np.floating] = np.float32, analysis: bool = True,
               fan_runs: int = 10_000, progress: Progress | None = None,
               kernel: Kernel | None = None) -> RawOutcome:
    """Simulate ``runs`` trajectories for every parameter sample in ``md``.

    Reproducible from ``seed`` (see :mod:`tightrope.minefield.rng`); ``analysis`` adds the
    per-quarter move shares, attitude fan charts and first-mistake exposures. ``kernel``
    picks the per-quarter update: ``"numba"`` (fused, compiled; :mod:`~.kernel`) or
    ``"numpy"``; both give identical results. The default is Numba when it is installed.
    """
    if runs < 1:
        raise ValueError("runs must be >= 1")
    fused = have_numba() if kernel is None else kernel == "numba"
    dt = np.dtype(dtype)
    S, P, M, H, T = md.samples, len(md.powers), len(md.moves), len(md.shocks), md.horizon
    E = len(md.econ_kind)
    tb = _Tables(md, dt)
    streams = Streams(seed, md.powers, md.shocks, tuple(md.catastrophes[k] for k in md.econ_kind),
                      runs, first_run, dtype)
    a = np.broadcast_to(tb.a0, (S, P, runs)).copy()
    d = np.broadcast_to(md.d0[:, :, None].astype(dt), (S, P, runs)).copy()
    gain = np.zeros((S, runs), dtype=dt)
    gain_parts = np.zeros((len(GAIN_PARTS), S, runs), dtype=dt)
    auto_sum = np.zeros((S, runs), dtype=dt)
    alive = np.ones((S, runs), dtype=bool)
    left = np.zeros((S, H, runs), dtype=np.int16)
    uses = {h: np.zeros((S, runs), dtype=np.int16) for h, _, _, _ in tb.per_use}
    cat_q = np.full((S, runs), -1, dtype=np.int16)
    cat_kind, cat_power = cat_q.copy(), cat_q.copy()
    cat_move, cat_band = cat_q.copy(), cat_q.copy()
    cum = np.zeros((S, T))
    F = min(runs, fan_runs)
    B = len(md.bands) + 1
    hist = np.full((T + 1, S, P, F), np.nan) if analysis else None
    if hist is not None:
        hist[0] = a[:, :, :F]
    move_share = np.zeros((S, T, M)) if analysis else None
    exposure = np.zeros(S * M * P * B, dtype=np.int64) if analysis else None
    bands = md.bands.astype(dt)
    if fused:
        ft = FusedTables(md, dt)
        ft.flags[3] = analysis
        shock_step, quarter_step = shock_kernel(), quarter_kernel()
        onset = np.zeros((S, H, runs), dtype=bool)
        active = np.zeros((S, H, runs), dtype=bool)
        uses_f = np.zeros((ft.n_per_use, S, runs), dtype=dt)
        scratch = np.empty((P, runs), dtype=dt)  # the logits are taken in place, through it
    for t in range(T):
        dr = streams.quarter()
        alive_start = alive.copy()
        if fused:
            shock_step(t, dr.shocks, ft.shock_p, ft.shock_dur, left, onset, active)
            state = StrategyState(t, md, a, d, gain, alive, active, compiled=True)
            m = _checked_moves(strategy, state, S, runs, M)
            a_prev = a.copy() if analysis else a
            pw = dr.powers
            quarter_step(m, a, d, gain, gain_parts, auto_sum, alive, left, uses_f, onset,
                         active, _logit_in_place(pw.reward, scratch),
                         _logit_in_place(pw.coerce, scratch), pw.catastrophe,
                         pw.noise, dr.econ, ft.consts, *ft.args, ft.flags, t,
                         cat_q, cat_kind, cat_power, cat_move, cat_band)
            cum[:, t] = 1.0 - alive.mean(axis=1)
            if analysis:
                _analyse(t, md, a, a_prev, m, alive_start, alive, hist, move_share, exposure,
                         bands, F)
            if progress is not None:
                progress(t + 1, T)
            continue
        shock_gain = np.zeros((S, runs), dtype=dt)
        att_shock = coerce_boost = reward_boost = None
        if H:
            onset = dr.shocks[None] < tb.shock_p  # (S, H, R)
            np.maximum(left, onset * tb.shock_dur, out=left)
            active = left > 0
            att_shock = _weighted(tb.shock_att, onset, (S, P, runs), dt)
            coerce_boost = _weighted(tb.shock_coerce, active, (S, P, runs), dt)
            reward_boost = _weighted(tb.shock_reward, active, (S, P, runs), dt)
            for h in tb.shock_with_gain:
                shock_gain += onset[:, h] * tb.shock_gain[:, h]
            for h, _, cap, g in tb.per_use:
                shock_gain += onset[:, h] * g * np.minimum(uses[h], cap)
        else:
            active = np.zeros((S, 0, runs), dtype=bool)
        state = StrategyState(t, md, a, d, gain, alive, active)
        m = _checked_moves(strategy, state, S, runs, M)
        a_prev = a.copy()
        idx = m[:, None, :] + tb.offs_m if S > 1 else m
        pw = dr.powers
        # attitudes and dependences after the move
        a += tb.kappa * (tb.a0 - a)
        a += tb.by_move(tb.move_att, idx)
        a += tb.sigma * pw.noise
        if att_shock is not None:
            a += att_shock
        np.clip(a, -1, 1, out=a)
        if tb.kappa_d is not None:  # deals expire: dependence drifts back toward d0
            d += tb.kappa_d * (tb.d0 - d)
        d *= 1 + tb.by_move(tb.move_dep, idx)
        rel = d * tb.inv_d0
        if tb.rel_offset is not None:
            rel += tb.rel_offset
        # reactions: two ordered-logit ladders per power
        eta = tb.beta_r * (a - tb.a0)
        if reward_boost is not None:
            eta += reward_boost
        level_r = _ladder(_logit(pw.reward) - eta, tb.cut_r)
        eta = tb.beta_c * (tb.a0 - a)
        eta += tb.bl * (rel - 1)
        eta += tb.rho * tb.by_move(tb.crossed, idx)
        for q, p, w in tb.deter:
            eta[:, p] -= w * (np.maximum(a[:, q], 0) - tb.a0_pos[:, q])
        if coerce_boost is not None:
            eta += coerce_boost
        level_c = _ladder(_logit(pw.coerce) - eta, tb.cut_c)
        ir, ic = _flat_index(level_r, tb.offs_r), _flat_index(level_c, tb.offs_c)
        parts = (np.take(tb.move_gain, m + tb.offs_gain), np.take(tb.reward_gain, ir).sum(axis=1),
                 -(np.take(tb.coerce_loss, ic) * rel).sum(axis=1), shock_gain)
        gain += np.where(alive, ((parts[0] + parts[1]) + parts[2]) + parts[3], 0)
        if analysis:  # keep the sources apart for the report
            for i, part in enumerate(parts):
                gain_parts[i] += np.where(alive, part, 0)
        d *= 1 + np.take(tb.reward_dep, ir)
        if tb.has_reward_att:
            a += np.take(tb.reward_att, ir)
            np.clip(a, -1, 1, out=a)
        # catastrophes
        hit = pw.catastrophe < np.take(tb.cat_prob, ic)
        new = hit.any(axis=1) & alive
        if new.any():
            _record_hits(new, hit, level_c, pw.catastrophe, tb, md, a_prev, bands, t, m, cat_q,
                         cat_kind, cat_power, cat_move, cat_band)
            alive &= ~new
        for e in range(E):
            fire = alive & (gain < tb.econ_thr[:, e]) & (dr.econ[e] < tb.econ_haz[:, e])
            if fire.any():
                minus = np.full_like(m, -1)
                _record(fire, t, np.full_like(m, md.econ_kind[e]), minus, m, minus,
                        cat_q, cat_kind, cat_power, cat_move, cat_band)
                alive &= ~fire
        auto_sum += np.where(alive, autonomy_index(d, axis=1), 0)
        cum[:, t] = 1.0 - alive.mean(axis=1)
        if H:
            left -= 1
            np.maximum(left, 0, out=left)
        for h, mv, _, _ in tb.per_use:
            uses[h] += m == mv
        if analysis:
            _analyse(t, md, a, a_prev, m, alive_start, alive, hist, move_share, exposure, bands,
                     F)
        if progress is not None:
            progress(t + 1, T)
    return RawOutcome(
        model=md, strategy=strategy.name, seed=seed, runs=runs, catastrophe=cat_q >= 0,
        cat_quarter=cat_q, cat_kind=cat_kind, cat_power=cat_power, cat_move=cat_move,
        cat_band=cat_band, gain=gain.astype(np.float64),
        autonomy=auto_sum.astype(np.float64) / T, cum_catastrophe=cum,
        gain_parts=gain_parts.astype(np.float64).mean(axis=2), move_share=move_share,
        fan=_fan(hist) if hist is not None else None,
        exposure=exposure.reshape(S, M, P, B) if exposure is not None else None,
    )


def _checked_moves(strategy: Strategy, state: StrategyState, S: int, runs: int, M: int
                   ) -> NDArray[np.intp]:
    m = np.asarray(strategy.choose(state))
    if m.shape != (S, runs) or m.min() < 0 or m.max() >= M:
        raise ValueError(f"strategy {strategy.name!r} returned moves of shape {m.shape} "
                         f"with values outside 0..{M - 1}")
    out: NDArray[np.intp] = m.astype(np.intp, copy=False)
    return out


def _fan(hist: NDArray[np.float64]) -> NDArray[np.float64]:
    """Quantiles over surviving trajectories, (S, T+1, P, Q); NaN once none survive."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: nobody survives
        q = np.nanquantile(hist, FAN_QUANTILES, axis=3)
    out: NDArray[np.float64] = q.transpose(2, 1, 3, 0)
    return out


def _record_hits(new: NDArray[np.bool_], hit: NDArray[np.bool_], level_c: NDArray[np.int8],
                 u_cat: NDArray[np.floating], tb: _Tables, md: Model, a_prev: NDArray[np.floating],
                 bands: NDArray[np.floating], t: int, m: NDArray[np.intp],
                 *out: NDArray[np.int16]) -> None:
    """Record coercion-triggered catastrophes: the highest-climbing hit power is blamed and
    the kind is that of the lowest rung whose cumulative chance exceeds its draw."""
    s_i, r_i = np.nonzero(new)
    score = hit[s_i, :, r_i] * (level_c[s_i, :, r_i] + 1)  # (n, P)
    worst = np.argmax(score, axis=1)
    lv = level_c[s_i, worst, r_i].astype(np.intp)
    u = u_cat[worst, r_i]
    cum = tb.cat_prob.reshape(md.cat_prob.shape)[s_i, worst]  # (n, Kc+1), engine dtype
    rung = np.argmax(u[:, None] < cum[:, 1:], axis=1) + 1
    rung = np.minimum(rung, lv)
    band = np.searchsorted(bands, a_prev[s_i, worst, r_i], side="right")
    cat_q, cat_kind, cat_power, cat_move, cat_band = out
    cat_q[s_i, r_i] = t
    cat_kind[s_i, r_i] = md.cat_kind[worst, rung]
    cat_power[s_i, r_i] = worst
    cat_move[s_i, r_i] = m[s_i, r_i]
    cat_band[s_i, r_i] = band


def _record(new: NDArray[np.bool_], t: int, kind: NDArray[np.integer],
            power: NDArray[np.integer], move: NDArray[np.integer], band: NDArray[np.integer],
            cat_q: NDArray[np.int16], cat_kind: NDArray[np.int16],
            cat_power: NDArray[np.int16], cat_move: NDArray[np.int16],
            cat_band: NDArray[np.int16]) -> None:
    cat_q[new] = t
    cat_kind[new] = kind[new]
    cat_power[new] = power[new]
    cat_move[new] = move[new]
    cat_band[new] = band[new]


def _analyse(t: int, md: Model, a: NDArray[np.floating], a_prev: NDArray[np.floating],
             m: NDArray[np.intp], was_alive: NDArray[np.bool_], is_alive: NDArray[np.bool_],
             hist: NDArray[np.float64] | None,
             move_share: NDArray[np.float64] | None, exposure: NDArray[np.int64] | None,
             bands: NDArray[np.floating], F: int) -> None:
    """Per-quarter bookkeeping for the report (only when ``analysis`` is on)."""
    S, P, _ = a.shape
    M, B = len(md.moves), len(bands) + 1
    if hist is not None:
        hist[t + 1] = np.where(is_alive[:, None, :F], a[:, :, :F], np.nan)
    if move_share is not None:
        for s in range(S):
            counts = np.bincount(m[s][was_alive[s]], minlength=M)
            move_share[s, t] = counts / max(1, counts.sum())
    if exposure is not None:
        band = np.searchsorted(bands, a_prev, side="right")  # (S, P, R)
        key = ((np.arange(S)[:, None, None] * M + m[:, None, :]) * P
               + np.arange(P)[None, :, None]) * B + band
        exposure += np.bincount(key[np.broadcast_to(was_alive[:, None, :], key.shape)],
                                minlength=exposure.size)
