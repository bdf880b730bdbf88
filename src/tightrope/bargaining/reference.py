"""A plain per-pair Python transcription of one bargaining round (no NumPy).

It restates :func:`tightrope.bargaining.dynamics.bargaining_round` loop by loop, the way the
model is usually written down (Scholz et al. 2011; github.com/jmckib/bdm-scholz-expected-utility-
model). It exists to cross-check the vectorised code in tests and as the baseline of
``benchmarks/bargaining.py``; it is O(n³) per round and far too slow for large problems.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tightrope.bargaining.offers import CAPITULATION, COMPROMISE, CONFRONTATION, NO_OFFER
from tightrope.bargaining.variants import ModelOptions

__all__ = ["reference_round", "reference_run"]


def _median(x: Sequence[float], w: Sequence[float]) -> float:
    best, best_cost = math.inf, math.inf
    for j in range(len(x)):
        cost = sum(sorted(w[k] * abs(x[k] - x[j]) for k in range(len(x))))
        if cost < best_cost - 1e-12 * abs(best_cost) or (
            abs(cost - best_cost) <= 1e-12 * abs(best_cost) and x[j] < best
        ):
            best, best_cost = x[j], cost
    return best


def _probabilities(x: list[float], w: list[float], r: list[float], span: float,
                   rule: str) -> list[list[float]]:
    n = len(x)
    # dist[j][k]: voter k's distaste (|x_k - x_j| / span) ** r_k for position j
    dist = [[(abs(x[k] - x[j]) / span) ** r[k] for k in range(n)] for j in range(n)]
    total = 0.0
    if rule == "all-pairs":  # absolute votes of every voter over every ordered pair
        for k in range(n):
            row = [dist[j][k] for j in range(n)]
            voter = 0.0
            for da in row:
                for db in row:
                    voter += abs(db - da)
            total += w[k] * voter
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if x[i] == x[j]:
                continue
            pos = neg = 0.0
            for wk, dj, di in zip(w, dist[j], dist[i], strict=True):
                v = wk * (dj - di)  # voter k's vote for x_i against x_j
                if v > 0:
                    pos += v
                else:
                    neg -= v
            if rule == "all-pairs":
                p[i][j] = pos / total if total > 0 else 0.0
            elif rule == "pairwise":
                p[i][j] = pos / (pos + neg) if pos + neg > 0 else 0.0
            else:
                p[i][j] = max(pos - neg, 0.0) / (pos + neg) if pos + neg > 0 else 0.0
    return p


def _eu(a: int, b: int, rr: float, x: list[float], s: list[float], p: list[list[float]],
        span: float, mu: float, opt: ModelOptions) -> float:
    d = abs(x[a] - x[b]) / span
    us = 2 - 4 * (0.5 - 0.5 * d) ** rr
    uf = 2 - 4 * (0.5 + 0.5 * d) ** rr
    eu = s[b] * (p[a][b] * us + (1 - p[a][b]) * uf) + (1 - s[b]) * us
    eu -= opt.q * (2 - 4 * 0.5 ** rr)
    if opt.q < 1:
        dm = abs(x[a] - mu) / span
        t = (1.0 if dm < d else 0.0) if isinstance(opt.t, str) else opt.t
        ub = 2 - 4 * max(0.5 - 0.25 * (dm + d), 0.0) ** rr
        uw = 2 - 4 * (0.5 + 0.25 * (dm + d)) ** rr
        eu -= (1 - opt.q) * (t * ub + (1 - t) * uw)
    return float(eu)


def reference_round(x: Sequence[float], c: Sequence[float], s: Sequence[float], span: float,
                    opt: ModelOptions) -> tuple[list[float], list[int], list[int], list[float]]:
    """One round: new positions, offer codes, partners (−1 none) and risk exponents."""
    x, s = list(x), list(s)
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    mu = _median(x, w)
    ones = [1.0] * n
    p = _probabilities(x, w, ones, span, opt.probability)
    danger = [sum(sorted(_eu(a, b, 1.0, x, s, p, span, mu, opt) for a in range(n) if a != b))
              for b in range(n)]
    hi, lo = max(danger), min(danger)
    r = []
    for d in danger:
        flat = hi - lo <= 1e-12 * max(abs(hi) + abs(lo), 1e-300)
        big_r = 0.0 if flat else min(max((2 * d - hi - lo) / (hi - lo), -1.0), 1.0)
        r.append((1 - big_r / 3) / (1 + big_r / 3))
    p = _probabilities(x, w, r, span, opt.probability)
    new_x, offers, partners = list(x), [NO_OFFER] * n, [-1] * n
    for i in range(n):
        best: tuple[int, float, float, float, int] | None = None  # rank, key, -eji, target, j
        for j in range(n):
            if x[i] == x[j]:
                continue
            eij = _eu(i, j, r[i], x, s, p, span, mu, opt)
            eji = _eu(j, i, r[i], x, s, p, span, mu, opt)
            if eji > eij > 0:
                code, target = CONFRONTATION, x[j]
            elif eji > 0 > eij and eji > abs(eij):
                code, target = COMPROMISE, x[i] + (x[j] - x[i]) * abs(eij) / eji
            elif eji > 0 > eij and opt.capitulation == "printed":
                code, target = CAPITULATION, x[j]
            else:
                continue
            if code == COMPROMISE and opt.compromise == "weighted-position":
                key = (abs(eij) * x[i] + abs(eji) * x[j]) / (abs(eij) + abs(eji))
            else:
                key = abs(target - x[i])
            rank = {CONFRONTATION: 0, COMPROMISE: 1, CAPITULATION: 2}[code]
            cand = (rank, key, -eji, target, j)
            if best is None or cand[:4] < best[:4]:
                best = cand
        if best is not None:
            rank, _, _, target, j = best
            new_x[i] = target
            offers[i] = (CONFRONTATION, COMPROMISE, CAPITULATION)[rank]
            partners[i] = j
    return new_x, offers, partners, r


def reference_run(x0: Sequence[float], c: Sequence[float], s: Sequence[float],
                  opt: ModelOptions, rounds: int) -> list[list[float]]:
    """States after each of ``rounds`` rounds (index 0 is the initial state)."""
    x = [float(v) for v in x0]
    span = max(x) - min(x)
    states = [x]
    for _ in range(rounds):
        x = reference_round(x, c, s, span, opt)[0]
        states.append(x)
    return states
