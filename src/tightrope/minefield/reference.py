"""A straightforward per-trajectory implementation of the same model, in plain Python.

It exists to check the vectorised engine (tests feed both the same random numbers and compare
trajectory by trajectory) and as the baseline of ``benchmarks/minefield.py``. It follows
:mod:`tightrope.minefield.engine` step by step, one trajectory and one power at a time, with
Python floats; it supports the built-in strategies (balancer, bandwagon, isolation, fixed
sequences), each re-implemented per trajectory.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tightrope.minefield.balancer import Balancer
from tightrope.minefield.model import Model
from tightrope.minefield.strategies import Strategy, StrategyState

__all__ = ["ScalarModel", "TrajectoryDraws", "TrajectoryOutcome", "run_trajectory",
           "scalar_policy"]

Vec = list[float]


@dataclass
class TrajectoryDraws:
    """All random numbers of one trajectory, quarter by quarter (lists of lists)."""

    reward: list[Vec]  # [t][p] uniforms
    coerce: list[Vec]
    catastrophe: list[Vec]
    noise: list[Vec]  # unit-variance logistic
    shocks: list[Vec]  # [t][h] uniforms
    econ: list[Vec]  # [t][e] uniforms


@dataclass
class TrajectoryOutcome:
    catastrophe: bool
    quarter: int
    kind: int
    gain: float
    autonomy: float


class ScalarModel:
    """The (single-sample) model as nested Python lists."""

    def __init__(self, md: Model) -> None:
        if md.samples != 1:
            raise ValueError("the reference loop takes one parameter sample")
        def g(x: Any) -> Any:
            return np.asarray(x)[0].tolist()

        self.P, self.M, self.H = len(md.powers), len(md.moves), len(md.shocks)
        self.T, self.E = md.horizon, len(md.econ_kind)
        self.a0, self.d0, self.lev0 = g(md.a0), g(md.d0), g(md.lev0)
        self.inv_d0 = [1.0 / x if x > 0 else 0.0 for x in self.d0]
        self.rel_offset = [0.0 if x > 0 else 1.0 for x in self.d0]
        self.beta_c, self.beta_r, self.beta_l, self.rho = (g(md.beta_c), g(md.beta_r),
                                                           g(md.beta_l), g(md.rho))
        self.cut_r, self.cut_c = g(md.reward_cut), g(md.coerce_cut)
        self.reward_gain, self.reward_dep = g(md.reward_gain), g(md.reward_dep)
        self.reward_att, self.coerce_loss = g(md.reward_att), g(md.coerce_loss)
        self.cat_prob, self.cat_kind = g(md.cat_prob), md.cat_kind.tolist()
        self.deter = [(q, p, float(md.deter[0, q, p])) for q in range(self.P)
                      for p in range(self.P) if md.deter[0, q, p] != 0]
        self.move_gain, self.move_att = g(md.move_gain), g(md.move_att)
        self.move_dep, self.crossed = g(md.move_dep), g(md.crossed)
        self.shock_p, self.shock_dur, self.shock_gain = (g(md.shock_p), g(md.shock_dur),
                                                         g(md.shock_gain))
        self.shock_att, self.shock_coerce = g(md.shock_att), g(md.shock_coerce)
        self.shock_reward = g(md.shock_reward)
        self.per_use = [(h, int(md.per_use_move[h]), int(md.per_use_cap[h]),
                         float(md.per_use_gain[0, h])) for h in range(self.H)
                        if md.per_use_move[h] >= 0]
        self.kappa, self.sigma = float(md.reversion[0]), float(md.noise[0])
        self.kappa_d = float(md.dep_reversion[0])
        self.econ_kind = md.econ_kind.tolist()
        self.econ_thr, self.econ_haz = g(md.econ_threshold), g(md.econ_hazard)


Policy = Callable[[int, Vec], int]


def scalar_policy(strategy: Strategy, md: Model) -> Policy:
    """A per-trajectory version of a built-in strategy: (quarter, attitudes) -> move."""
    sm = ScalarModel(md)
    if isinstance(strategy, Balancer):
        return _scalar_balancer(strategy, sm, md)
    # the other built-ins do not read the state: ask the vectorised one once per quarter
    cache: dict[int, int] = {}

    def fixed(t: int, a: Vec) -> int:
        if t not in cache:
            z = np.zeros((1, sm.P, 1))
            st = StrategyState(t, md, z, z, np.zeros((1, 1)), np.ones((1, 1), bool),
                               np.zeros((1, sm.H, 1), bool))
            cache[t] = int(np.asarray(strategy.choose(st))[0, 0])
        return cache[t]

    return fixed


def _scalar_balancer(b: Balancer, sm: ScalarModel, md: Model) -> Policy:
    floor = float(np.asarray(b.floor).ravel()[0])
    order = sorted(range(sm.M), key=lambda m: -sm.move_gain[m])
    allowed = [not any(sm.crossed[m]) if b.respect_red_lines else True for m in range(sm.M)]
    if not any(allowed):
        allowed = [True] * sm.M
    thresh = [[floor - sm.move_att[m][p] for p in range(sm.P)] for m in range(sm.M)]
    rank = {m: i for i, m in enumerate(order)}

    def repair_for(p: int) -> int:
        best = [m for m in range(sm.M) if allowed[m]]
        return min(best, key=lambda m: (-sm.move_att[m][p], rank[m]))

    repair = [repair_for(p) for p in range(sm.P)]

    def choose(t: int, a: Vec) -> int:
        base = [a[p] + sm.kappa * (sm.a0[p] - a[p]) for p in range(sm.P)]
        for m in order:
            if allowed[m] and all(base[p] >= thresh[m][p] for p in range(sm.P)):
                return m
        worst = min(range(sm.P), key=lambda p: base[p])  # first of the lowest
        return repair[worst]

    return choose


def _ladder(z: float, cuts: Sequence[float]) -> int:
    return sum(1 for c in cuts if z < c)


def _logit(u: float) -> float:
    return math.log(u / (1.0 - u))


def run_trajectory(sm: ScalarModel, policy: Policy, dr: TrajectoryDraws) -> TrajectoryOutcome:
    """One trajectory of the minefield model, quarter by quarter, power by power."""
    P, H = sm.P, sm.H
    a, d = list(sm.a0), list(sm.d0)
    gain = auto = 0.0
    left = [0] * H
    uses = {h: 0 for h, _, _, _ in sm.per_use}
    for t in range(sm.T):
        onset = [dr.shocks[t][h] < sm.shock_p[h] for h in range(H)]
        for h in range(H):
            if onset[h]:
                left[h] = max(left[h], sm.shock_dur[h])
        active = [x > 0 for x in left]
        shock_gain = sum(sm.shock_gain[h] for h in range(H) if onset[h])
        for h, _, cap, g in sm.per_use:
            if onset[h]:
                shock_gain += g * min(uses[h], cap)
        m = policy(t, a)
        for p in range(P):  # the same order of additions as the engine
            a[p] += sm.kappa * (sm.a0[p] - a[p])
            a[p] += sm.move_att[m][p]
            a[p] += sm.sigma * dr.noise[t][p]
            a[p] += sum(sm.shock_att[h][p] for h in range(H) if onset[h])
            a[p] = min(1.0, max(-1.0, a[p]))
            if sm.kappa_d:
                d[p] += sm.kappa_d * (sm.d0[p] - d[p])
            d[p] *= 1 + sm.move_dep[m][p]
        rel = [d[p] * sm.inv_d0[p] + sm.rel_offset[p] for p in range(P)]
        lr, lc = [0] * P, [0] * P
        for p in range(P):
            eta = sm.beta_r[p] * (a[p] - sm.a0[p])
            eta += sum(sm.shock_reward[h][p] for h in range(H) if active[h])
            lr[p] = _ladder(_logit(dr.reward[t][p]) - eta, sm.cut_r[p])
        for p in range(P):
            eta = sm.beta_c[p] * (sm.a0[p] - a[p])
            eta += sm.beta_l[p] * sm.lev0[p] * (rel[p] - 1)
            eta += sm.rho[p] * sm.crossed[m][p]
            for q, pp, w in sm.deter:
                if pp == p:
                    eta -= w * (max(a[q], 0.0) - max(sm.a0[q], 0.0))
            eta += sum(sm.shock_coerce[h][p] for h in range(H) if active[h])
            lc[p] = _ladder(_logit(dr.coerce[t][p]) - eta, sm.cut_c[p])
        gain += ((sm.move_gain[m] + sum(sm.reward_gain[p][lr[p]] for p in range(P)))
                 + -sum(sm.coerce_loss[p][lc[p]] * rel[p] for p in range(P))) + shock_gain
        for p in range(P):
            d[p] *= 1 + sm.reward_dep[p][lr[p]]
            a[p] = min(1.0, max(-1.0, a[p] + sm.reward_att[p][lr[p]]))
        worst, kind = -1, -1
        for p in range(P):
            if dr.catastrophe[t][p] < sm.cat_prob[p][lc[p]] and (worst < 0 or lc[p] > lc[worst]):
                worst = p
        if worst >= 0:  # the lowest rung whose cumulative chance exceeds the draw
            u = dr.catastrophe[t][worst]
            rung = next(j for j in range(1, lc[worst] + 1) if u < sm.cat_prob[worst][j])
            kind = sm.cat_kind[worst][rung]
        if worst < 0:
            for e in range(sm.E):
                if gain < sm.econ_thr[e] and dr.econ[t][e] < sm.econ_haz[e]:
                    kind = sm.econ_kind[e]
                    break
        if kind >= 0:
            return TrajectoryOutcome(True, t, kind, gain, auto / sm.T)
        total, sq = sum(d), sum(x * x for x in d)
        auto += max(0.0, min(1.0, (1 - sq / (total * total)) * (P / (P - 1.0))))
        for h in range(H):
            left[h] = max(0, left[h] - 1)
        for h, mv, _, _ in sm.per_use:
            uses[h] += m == mv
    return TrajectoryOutcome(False, -1, -1, gain, auto / sm.T)
