"""The engine's per-quarter update (steps 3 to 7 of :mod:`tightrope.minefield.engine`), fused.

The NumPy path makes one pass over the ``(S, P, R)`` state per operation (some forty passes
and temporaries a quarter). Here the same arithmetic runs once per trajectory, compiled with
Numba, reading and writing each trajectory's state once a quarter. Every operation is done in
the engine's dtype and in the same order as the NumPy path, so both give identical results for
the same seed (the tests compare them bit for bit). The logits of the reaction draws are taken
by NumPy before the kernel: NumPy's float32 ``log`` and the C library's may differ in the last
bit, and only then do the two paths agree exactly.

Numba is optional: without it (or with ``kernel="numpy"``) the engine runs its NumPy path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["compiled", "have_numba", "quarter_kernel", "shock_kernel"]

#: Trajectories per tile of the quarter kernel.
TILE = 256

_compiled: dict[str, Callable[..., Any]] = {}


def have_numba() -> bool:
    """True if Numba imports (the fused kernel is available)."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def _shock(t: int, u: NDArray[Any], shock_p: NDArray[Any], dur: NDArray[Any],
           left: NDArray[Any], onset: NDArray[Any], active: NDArray[Any]) -> None:
    """Onset draws (S, H, R), remaining quarters and the active flags of every shock."""
    S, H, R = left.shape
    for s in range(S):
        for h in range(H):
            p, du = shock_p[s, h], dur[s, h]
            for r in range(R):
                on = u[h, r] < p
                onset[s, h, r] = on
                if on and du > left[s, h, r]:
                    left[s, h, r] = du
                active[s, h, r] = left[s, h, r] > 0


def _quarter(m: Any, a: Any, d: Any, gain: Any, parts: Any, auto_sum: Any, alive: Any,
             left: Any, uses: Any, onset: Any, active: Any,
             lr: Any, lc: Any, ucat: Any, noise: Any, econ: Any,
             c: Any, a0: Any, a0_pos: Any, inv_d0: Any, rel_off: Any, bl: Any, beta_c: Any,
             beta_r: Any, rho: Any, kappa: Any, kappa_d: Any, d0: Any, sigma: Any,
             cut_r: Any, cut_c: Any, deter: Any, deter_on: Any,
             reward_gain: Any, reward_dep: Any, reward_att: Any, coerce_loss: Any,
             cat_prob: Any, cat_kind_tab: Any, move_att: Any, move_dep: Any, crossed: Any,
             move_gain: Any, shock_gain: Any, gain_h: Any, shock_att: Any, att_h: Any,
             shock_coerce: Any, coerce_h: Any, shock_reward: Any, reward_h: Any,
             pu_h: Any, pu_move: Any, pu_cap: Any, pu_g: Any,
             econ_thr: Any, econ_haz: Any, econ_kind: Any, bands: Any, flags: Any,
             t: int, cat_q: Any, cat_kind: Any, cat_power: Any, cat_move: Any,
             cat_band: Any) -> None:
    """One quarter for every trajectory; see the engine's module docstring for the model.

    Trajectories go in tiles of :data:`TILE`; within a tile each stage runs over one power's
    row at a time, so memory is read in a few sequential streams (one trajectory at a time
    across all powers and shocks would touch dozens of rows at once and wait on memory).
    """
    S, P, R = a.shape
    zero, one, lo, n_hhi = c[0], c[1], c[2], c[3]  # 0, 1, -1, n / (n - 1) in the dtype
    has_rel_off, has_kappa_d, has_reward_att, analysis = flags[0], flags[1], flags[2], flags[3]
    Kr, Kc, NB = cut_r.shape[2], cut_c.shape[2], len(bands)
    U, E = len(pu_h), econ.shape[0]
    a_prev = np.empty((P, TILE), a.dtype)
    rel = np.empty((P, TILE), a.dtype)
    acc = np.empty(TILE, a.dtype)
    z = np.empty(TILE, a.dtype)
    g_rew = np.empty(TILE, a.dtype)
    g_coe = np.empty(TILE, a.dtype)
    tmp = np.empty(TILE, a.dtype)
    # per power, the reward ladder's dependence and attitude effects and the coercion
    # ladder's catastrophe chance at the rung reached (used after the gains)
    sel_dep = np.empty((P, TILE), a.dtype)
    sel_att = np.empty((P, TILE), a.dtype)
    sel_cat = np.empty((P, TILE), a.dtype)
    lvl_c = np.empty((P, TILE), np.int32)  # int64 counts would halve the climb's SIMD width
    mu = np.empty(TILE, np.uint32)
    hit = np.empty((P, TILE), np.bool_)
    any_hit = np.empty(TILE, np.bool_)
    for s in range(S):
        kap, kd, sig = kappa[s], kappa_d[s], sigma[s]
        for r0 in range(0, R, TILE):
            n = min(TILE, R - r0)
            r1 = r0 + n
            mt = m[s, r0:r1]
            # the moves as unsigned indices: with a signed index every table look-up also
            # tests for a negative (wrap-around) index
            for i in range(n):
                mu[i] = mt[i]
            # attitudes and dependences after the move
            for p in range(P):
                _shock_sum(acc, n, zero, shock_att[s, :, p], att_h, onset[s, :, r0:r1])
                ar, dr_, ap, rl = a[s, p, r0:r1], d[s, p, r0:r1], a_prev[p], rel[p]
                nz, ma, md_ = noise[p, r0:r1], move_att[s, p], move_dep[s, p]
                base, dbase, inv, off = a0[s, p], d0[s, p], inv_d0[s, p], rel_off[s, p]
                # the chosen move's entries first, in a loop of their own: an indexed load in
                # the update below would keep it from vectorising
                va, vd = tmp, g_rew  # g_rew is free until the reactions
                for i in range(n):
                    va[i] = ma[mu[i]]
                    vd[i] = md_[mu[i]]
                for i in range(n):
                    x = ar[i]
                    ap[i] = x
                    x = x + kap * (base - x)
                    x = x + va[i]
                    x = x + sig * nz[i]
                    x = x + acc[i]
                    x = lo if x < lo else x
                    ar[i] = one if x > one else x
                    y = dr_[i]
                    if has_kappa_d:
                        y = y + kd * (dbase - y)
                    y = y * (one + vd[i])
                    dr_[i] = y
                    q = y * inv
                    if has_rel_off:
                        q = q + off
                    rl[i] = q
            # reactions: two ordered-logit ladders per power
            for i in range(n):
                g_rew[i] = zero
                g_coe[i] = zero
            for p in range(P):
                ar, base = a[s, p, r0:r1], a0[s, p]
                _shock_sum(acc, n, zero, shock_reward[s, :, p], reward_h, active[s, :, r0:r1])
                b, lrr = beta_r[s, p], lr[p, r0:r1]
                gtab, dtab, atab = reward_gain[s, p], reward_dep[s, p], reward_att[s, p]
                sd, sa = sel_dep[p], sel_att[p]
                g0, d0_, a0_ = gtab[0], dtab[0], atab[0]
                for i in range(n):
                    z[i] = lrr[i] - (b * (ar[i] - base) + acc[i])
                    tmp[i] = g0
                    sd[i] = d0_
                    sa[i] = a0_
                # climb the ladder: the cuts do not increase, so the rungs reached are a
                # prefix and the last one reached selects the table entry (= table[count])
                for j in range(Kr):
                    cut, gj, dj, aj = cut_r[s, p, j], gtab[j + 1], dtab[j + 1], atab[j + 1]
                    for i in range(n):
                        up = z[i] < cut
                        tmp[i] = gj if up else tmp[i]
                        sd[i] = dj if up else sd[i]
                        sa[i] = aj if up else sa[i]
                for i in range(n):
                    g_rew[i] = g_rew[i] + tmp[i]
                b, w_l, w_rho, rl, cr = beta_c[s, p], bl[s, p], rho[s, p], rel[p], crossed[s, p]
                for i in range(n):
                    z[i] = cr[mu[i]]
                for i in range(n):
                    eta = b * (base - ar[i])
                    eta = eta + w_l * (rl[i] - one)
                    z[i] = eta + w_rho * z[i]
                for qq in range(P):
                    if deter_on[qq, p]:
                        w, qbase, aq = deter[s, qq, p], a0_pos[s, qq], a[s, qq, r0:r1]
                        for i in range(n):
                            x = aq[i]
                            x = zero if x < zero else x
                            z[i] = z[i] - w * (x - qbase)
                _shock_sum(acc, n, zero, shock_coerce[s, :, p], coerce_h, active[s, :, r0:r1])
                lcc, lv, ltab, ptab = lc[p, r0:r1], lvl_c[p], coerce_loss[s, p], cat_prob[s, p]
                sc_ = sel_cat[p]
                l0, p0 = ltab[0], ptab[0]
                for i in range(n):
                    z[i] = lcc[i] - (z[i] + acc[i])
                    lv[i] = 0
                    tmp[i] = l0
                    sc_[i] = p0
                for j in range(Kc):
                    cut, lj, pj = cut_c[s, p, j], ltab[j + 1], ptab[j + 1]
                    for i in range(n):
                        up = z[i] < cut
                        lv[i] += up
                        tmp[i] = lj if up else tmp[i]
                        sc_[i] = pj if up else sc_[i]
                rl = rel[p]
                for i in range(n):
                    g_coe[i] = g_coe[i] + tmp[i] * rl[i]
            # gains: moves, rewards, coercion, shocks (those with a gain, then per-use ones)
            _shock_sum(acc, n, zero, shock_gain[s], gain_h, onset[s, :, r0:r1])
            for u in range(U):
                h, g, cap, on, us = pu_h[u], pu_g[s, u], pu_cap[u], onset[s, pu_h[u], r0:r1], \
                    uses[u, s, r0:r1]
                for i in range(n):  # uses and caps are whole numbers held in the float dtype
                    k_ = us[i]
                    k_ = cap if k_ > cap else k_
                    acc[i] = acc[i] + (g * k_ if on[i] else zero)
            al, gn, mg = alive[s, r0:r1], gain[s, r0:r1], move_gain[s]
            for i in range(n):
                g_mv = mg[mu[i]]
                total = ((g_mv + g_rew[i]) + -g_coe[i]) + acc[i]
                gn[i] = gn[i] + (total if al[i] else zero)
            if analysis:
                for i in range(n):
                    if al[i]:
                        r = r0 + i
                        parts[0, s, r] = parts[0, s, r] + move_gain[s, mt[i]]
                        parts[1, s, r] = parts[1, s, r] + g_rew[i]
                        parts[2, s, r] = parts[2, s, r] + -g_coe[i]
                        parts[3, s, r] = parts[3, s, r] + acc[i]
            # dependences after rewards (and, for the autonomy index, their sum and sum of
            # squares, in power order), attitudes after rewards, catastrophe draws
            for i in range(n):
                any_hit[i] = False
                g_rew[i] = zero  # Σ d
                g_coe[i] = zero  # Σ d²
            for p in range(P):
                dr_, sd = d[s, p, r0:r1], sel_dep[p]
                for i in range(n):
                    y = dr_[i] * (one + sd[i])
                    dr_[i] = y
                    g_rew[i] = g_rew[i] + y
                    g_coe[i] = g_coe[i] + y * y
                if has_reward_att:
                    ar, sa = a[s, p, r0:r1], sel_att[p]
                    for i in range(n):
                        x = ar[i] + sa[i]
                        x = lo if x < lo else x
                        ar[i] = one if x > one else x
                uc, sc_, hp = ucat[p, r0:r1], sel_cat[p], hit[p]
                for i in range(n):
                    h_ = uc[i] < sc_[i]
                    hp[i] = h_
                    any_hit[i] = any_hit[i] | h_
            # a trajectory can only end this quarter if a power's catastrophe draw hit or an
            # economic trigger's conditions hold: flag those without branching (this
            # vectorises), then run the scalar bookkeeping below for the flagged few only
            gn = gain[s, r0:r1]
            for e in range(E):
                thr, haz, ue = econ_thr[s, e], econ_haz[s, e], econ[e, r0:r1]
                for i in range(n):
                    any_hit[i] = any_hit[i] | ((gn[i] < thr) & (ue[i] < haz))
            for i in range(n):
                if not any_hit[i]:
                    continue
                r = r0 + i
                mv = mt[i]
                # catastrophes: the highest-climbing hit power is blamed, the kind is that of
                # the lowest rung whose cumulative chance exceeds the draw
                hit_any = False
                for p in range(P):
                    hit_any = hit_any | hit[p, i]
                if hit_any and alive[s, r]:
                    worst, best = 0, -1
                    for p in range(P):
                        score = lvl_c[p, i] + 1 if hit[p, i] else 0
                        if score > best:
                            worst, best = p, score
                    uc_ = ucat[worst, r]
                    rung = 1
                    for j in range(1, Kc + 1):
                        if uc_ < cat_prob[s, worst, j]:
                            rung = j
                            break
                    rung = min(rung, lvl_c[worst, i])
                    band = 0
                    for j in range(NB):
                        if bands[j] <= a_prev[worst, i]:
                            band = j + 1
                    cat_q[s, r] = t
                    cat_kind[s, r] = cat_kind_tab[worst, rung]
                    cat_power[s, r] = worst
                    cat_move[s, r] = mv
                    cat_band[s, r] = band
                    alive[s, r] = False
                for e in range(E):
                    if alive[s, r] and gain[s, r] < econ_thr[s, e] and \
                            econ[e, r] < econ_haz[s, e]:
                        cat_q[s, r] = t
                        cat_kind[s, r] = econ_kind[e]
                        cat_power[s, r] = -1
                        cat_move[s, r] = mv
                        cat_band[s, r] = -1
                        alive[s, r] = False
            for u in range(U):
                mvu, us = pu_move[u], uses[u, s, r0:r1]
                for i in range(n):
                    us[i] = us[i] + (one if mt[i] == mvu else zero)
            # autonomy = 1 − normalised HHI of d, summed over surviving quarters
            au = auto_sum[s, r0:r1]
            for i in range(n):
                tot = g_rew[i]
                v = (one - g_coe[i] / (tot * tot)) * n_hhi
                v = zero if v < zero else v
                v = one if v > one else v
                v = v if tot > zero else c[4]  # no dependence at all: autonomy undefined
                au[i] = au[i] + (v if al[i] else zero)
            for h in range(left.shape[1]):
                lf = left[s, h, r0:r1]
                for i in range(n):
                    x_ = lf[i] - 1
                    lf[i] = x_ if x_ > 0 else 0


def _shock_sum(acc: Any, n: int, zero: Any, effect: Any, used: Any, on: Any) -> None:
    """acc = Σ_h effect_h · on_h over the shocks with an effect, in catalogue order.

    The first shock's pass writes ``zero + (effect or zero)`` directly (the value a pass over
    zeros would give, -0.0 included), so there is no separate pass to clear ``acc``.
    """
    if len(used) == 0:
        for i in range(n):
            acc[i] = zero
        return
    h = used[0]
    e, row = zero + effect[h], on[h]
    z0 = zero + zero
    for i in range(n):
        acc[i] = e if row[i] else z0
    for k in range(1, len(used)):
        e, row = effect[used[k]], on[used[k]]
        for i in range(n):
            acc[i] = acc[i] + (e if row[i] else zero)


def compiled(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` compiled with Numba, once per process under ``name`` (Numba caches the machine
    code on disk). Numba must be installed (:func:`have_numba`)."""
    if name not in _compiled:
        import numba

        global _shock_sum  # the quarter kernel calls it: it must be compiled first
        if not hasattr(_shock_sum, "py_func"):
            _shock_sum = numba.njit(_shock_sum, cache=True, nogil=True, error_model="numpy",
                                    inline="always")
        _compiled[name] = numba.njit(fn, cache=True, nogil=True, error_model="numpy")
    return _compiled[name]


def shock_kernel() -> Callable[..., Any]:
    """The compiled shock update (Numba must be installed)."""
    return compiled("shock", _shock)


def quarter_kernel() -> Callable[..., Any]:
    """The compiled per-quarter update (Numba must be installed)."""
    return compiled("quarter", _quarter)


class FusedTables:
    """The model's arrays in the engine's dtype, laid out for the kernels."""

    def __init__(self, md: Any, dt: np.dtype[np.floating]) -> None:
        def c(x: NDArray[Any]) -> NDArray[Any]:
            return np.ascontiguousarray(x, dtype=dt)

        def ix(x: list[int]) -> NDArray[np.int64]:
            return np.array(x, dtype=np.int64)

        def used(x: NDArray[np.float64]) -> list[int]:
            return [h for h in range(x.shape[1]) if np.any(x[:, h])]

        P = len(md.powers)
        for name, cuts in (("reward", md.reward_cut), ("coercion", md.coerce_cut)):
            # the kernel climbs each ladder by the last rung reached, which is the number of
            # rungs reached only if the cuts do not increase (the model nests them)
            with np.errstate(invalid="ignore"):  # -inf - -inf for rungs left out
                if np.any(np.diff(c(cuts), axis=-1) > 0):
                    raise ValueError(f"the {name} ladder's cuts increase along the ladder")
        with np.errstate(divide="ignore"):
            inv_d0 = np.where(md.d0 > 0, 1.0 / md.d0, 0.0)
        self.args = (
            c(md.a0), c(np.maximum(md.a0, 0)), c(inv_d0), c(md.d0 <= 0),
            c(md.beta_l * md.lev0), c(md.beta_c), c(md.beta_r), c(md.rho), c(md.reversion),
            c(md.dep_reversion), c(md.d0), c(md.noise), c(md.reward_cut), c(md.coerce_cut),
            c(md.deter), np.ascontiguousarray(np.any(md.deter != 0, axis=0)),
            c(md.reward_gain), c(md.reward_dep), c(md.reward_att), c(md.coerce_loss),
            c(md.cat_prob), np.ascontiguousarray(md.cat_kind, dtype=np.int64),
            c(np.swapaxes(md.move_att, 1, 2)), c(np.swapaxes(md.move_dep, 1, 2)),
            c(np.swapaxes(md.crossed, 1, 2)), c(md.move_gain),
            c(md.shock_gain), ix(used(md.shock_gain)),
            c(md.shock_att), ix(used(md.shock_att)),
            c(md.shock_coerce), ix(used(md.shock_coerce)),
            c(md.shock_reward), ix(used(md.shock_reward)),
            ix(self.per_use_shocks(md)), ix([int(md.per_use_move[h])
                                            for h in self.per_use_shocks(md)]),
            c(np.array([md.per_use_cap[h] for h in self.per_use_shocks(md)])),
            c(md.per_use_gain[:, self.per_use_shocks(md)]),
            c(md.econ_threshold), c(md.econ_hazard),
            np.ascontiguousarray(md.econ_kind, dtype=np.int64), c(md.bands),
        )
        self.consts = c(np.array([0.0, 1.0, -1.0, P / (P - 1.0), np.nan]))
        self.flags = np.array([bool(np.any(md.d0 <= 0)), bool(np.any(md.dep_reversion)),
                               bool(np.any(md.reward_att)), False,
                               bool(used(md.shock_att)), bool(used(md.shock_coerce)),
                               bool(used(md.shock_reward))])
        self.n_per_use = len(self.per_use_shocks(md))
        self.shock_p, self.shock_dur = c(md.shock_p), md.shock_dur.astype(np.int16)

    @staticmethod
    def per_use_shocks(md: Any) -> list[int]:
        return [h for h in range(len(md.shocks)) if md.per_use_move[h] >= 0]
