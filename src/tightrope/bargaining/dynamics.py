"""Rounds of bargaining: one round as a pure function, a run, and how a run settles.

One round (Scholz et al. 2011, appendix steps 2–11):

1. with every r = 1, compute win probabilities, expected utilities and each actor's danger
   level; derive the risk exponents r (steps 2–9);
2. with those r, recompute probabilities and, from each receiver's point of view, the expected
   utilities of both sides of every dyad (step 10);
3. classify the offers and let every actor accept its best one, all at the same time (step 11).

A run repeats rounds from the initial positions. It *converges* when a round moves nobody (the
state is then a fixed point), *cycles* when it returns to an earlier state, and is otherwise
*unsettled* after the rounds allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tightrope._types import FloatArray
from tightrope.bargaining.actors import Actors
from tightrope.bargaining.model import (
    danger_levels,
    expected_utility,
    median_position,
    risk_exponents,
    weighted_mean,
    win_probability,
)
from tightrope.bargaining.offers import OFFER_NAMES, choose_offers, classify_offers
from tightrope.bargaining.variants import ModelOptions
from tightrope.progress import Progress

__all__ = [
    "RoundOutcome",
    "Settlement",
    "Trajectory",
    "bargaining_round",
    "settle",
    "simulate",
    "simulate_batch",
]

Status = Literal["converged", "cycle", "unsettled"]
#: Two states are the same when no position differs by more than this share of the span.
STATE_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class RoundOutcome:
    """What one round did (arrays may carry leading batch dimensions)."""

    positions: FloatArray  #: positions after the round
    offer: NDArray[np.int8]  #: accepted offer kind per actor (model.OFFER_NAMES codes)
    partner: NDArray[np.int64]  #: proposer of the accepted offer, −1 for none
    risk: FloatArray  #: risk exponents used in the round, in [0.5, 2]
    median: FloatArray  #: median position the round started from


def bargaining_round(
    x: ArrayLike, c: ArrayLike, s: ArrayLike, span: ArrayLike, options: ModelOptions
) -> RoundOutcome:
    """One round of the model for positions ``x`` (pure; batch dimensions allowed)."""
    xf = np.asarray(x, dtype=np.float64)
    cf = np.asarray(c, dtype=np.float64)
    sf = np.asarray(s, dtype=np.float64)
    sp = np.asarray(span, dtype=np.float64)
    w = cf * sf
    mu = median_position(xf, w)
    kw: dict[str, Any] = {"median": mu, "q": options.q, "t": options.t}
    p1 = win_probability(xf, w, sp, None, options.probability)
    r = risk_exponents(danger_levels(expected_utility(xf, sf, p1, sp, None, **kw)))
    p2 = win_probability(xf, w, sp, r, options.probability)
    eu_ij = expected_utility(xf, sf, p2, sp, r[..., :, None], **kw)
    eu_ji = np.swapaxes(expected_utility(xf, sf, p2, sp, r[..., None, :], **kw), -1, -2)
    kind, target = classify_offers(xf, eu_ij, eu_ji, options.capitulation)
    new_x, offer, partner = choose_offers(xf, kind, target, eu_ij, eu_ji, options.compromise)
    return RoundOutcome(new_x, offer, partner, r, mu)


@dataclass(frozen=True)
class Settlement:
    """How a run ended and the forecast it gives.

    ``median``/``mean`` are those of the final state (the fixed point when converged). For a
    cycle, the ranges span the states of one period; for an unsettled run, the last half of
    the rounds. ``round`` is the round after which the run converged or closed its cycle.
    ``median_avg``/``mean_avg`` average the states in that window: the point forecast used
    by the Monte Carlo summary (equal to ``median``/``mean`` when converged).
    """

    status: Status
    round: int
    period: int | None
    median: float
    mean: float
    median_range: tuple[float, float]
    mean_range: tuple[float, float]
    window: tuple[int, int]  #: first and last state index the ranges cover
    median_avg: float
    mean_avg: float

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "round": self.round,
            "period": self.period,
            "median": self.median,
            "mean": self.mean,
            "median_range": list(self.median_range),
            "mean_range": list(self.mean_range),
            "window": list(self.window),
            "median_avg": self.median_avg,
            "mean_avg": self.mean_avg,
        }


def settle(positions: FloatArray, medians: FloatArray, means: FloatArray,
           span: float) -> Settlement:
    """Classify a trajectory of states ``positions[t]`` (t = 0 initial) as settled or not."""
    tol = STATE_TOLERANCE * span
    last = positions.shape[0] - 1

    def make(status: Status, t: int, period: int | None, lo: int, hi: int) -> Settlement:
        med, mean = medians[lo:hi + 1], means[lo:hi + 1]
        return Settlement(status, t, period, float(medians[t]), float(means[t]),
                          (float(med.min()), float(med.max())),
                          (float(mean.min()), float(mean.max())), (lo, hi),
                          float(med.mean()), float(mean.mean()))

    for t in range(1, last + 1):
        gaps = np.max(np.abs(positions[:t] - positions[t]), axis=-1)  # vs states 0..t-1
        if gaps[t - 1] <= tol:
            return make("converged", t - 1, None, t - 1, t - 1)
        hits = np.flatnonzero(gaps <= tol)
        if hits.size:
            lo = int(hits[-1])
            return make("cycle", t, t - lo, lo, t - 1)
    return make("unsettled", last, None, max(last - max(1, (last + 1) // 2), 0), last)


@dataclass(frozen=True, eq=False)
class Trajectory:
    """A run: the state before round 1 (index 0) and after every round played."""

    names: tuple[str, ...]
    positions: FloatArray  #: (rounds + 1, n)
    offers: NDArray[np.int8]  #: (rounds, n)
    partners: NDArray[np.int64]  #: (rounds, n)
    risk: FloatArray  #: (rounds, n)
    medians: FloatArray  #: (rounds + 1,)
    means: FloatArray  #: (rounds + 1,)
    span: float
    options: ModelOptions
    settlement: Settlement

    @property
    def rounds(self) -> int:
        return int(self.offers.shape[0])

    def round_records(self) -> list[dict[str, Any]]:
        """Per round: median and mean after it, and every actor's move."""
        out: list[dict[str, Any]] = [{
            "round": 0, "median": float(self.medians[0]), "mean": float(self.means[0]),
            "actors": [{"actor": a, "position": float(self.positions[0, i])}
                       for i, a in enumerate(self.names)],
        }]
        for t in range(self.rounds):
            actors = []
            for i, a in enumerate(self.names):
                k = int(self.partners[t, i])
                actors.append({
                    "actor": a,
                    "position": float(self.positions[t + 1, i]),
                    "offer": OFFER_NAMES[int(self.offers[t, i])],
                    "partner": self.names[k] if k >= 0 else None,
                    "risk_exponent": float(self.risk[t, i]),
                })
            out.append({"round": t + 1, "median": float(self.medians[t + 1]),
                        "mean": float(self.means[t + 1]), "actors": actors})
        return out


def simulate(
    actors: Actors,
    options: ModelOptions,
    rounds: int,
    *,
    stop_when_settled: bool = True,
    progress: Progress | None = None,
) -> Trajectory:
    """Play up to ``rounds`` rounds from the actors' positions (deterministic)."""
    if rounds < 1:
        raise ValueError("rounds must be at least 1")
    c, s = actors.capability, actors.salience
    w = c * s
    x = np.array(actors.position, dtype=np.float64)
    span = float(x.max() - x.min())
    states, offers, partners, risks = [x], [], [], []
    for t in range(rounds):
        out = bargaining_round(x, c, s, span, options)
        x = out.positions
        states.append(x)
        offers.append(out.offer)
        partners.append(out.partner)
        risks.append(out.risk)
        if progress is not None:
            progress(t + 1, rounds)
        if stop_when_settled and _closes(states, span):
            break
    pos = np.array(states)
    med = median_position(pos, w)
    mean = weighted_mean(pos, w)
    return Trajectory(actors.names, pos, np.array(offers), np.array(partners), np.array(risks),
                      med, mean, span, options, settle(pos, med, mean, span))


def _closes(states: list[FloatArray], span: float) -> bool:
    """Whether the last state repeats an earlier one (fixed point or cycle)."""
    tol = STATE_TOLERANCE * span
    last = states[-1]
    return any(float(np.max(np.abs(last - prev))) <= tol for prev in states[:-1])


def simulate_batch(
    x0: ArrayLike, c: ArrayLike, s: ArrayLike, options: ModelOptions, rounds: int,
    progress: Progress | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Many runs at once: inputs (B, n); returns positions (B, rounds+1, n), medians and
    means (B, rounds+1) and spans (B,). All runs play every round."""
    x = np.array(x0, dtype=np.float64)
    cf = np.asarray(c, dtype=np.float64)
    sf = np.asarray(s, dtype=np.float64)
    span = x.max(axis=-1) - x.min(axis=-1)
    states = [x]
    for t in range(rounds):
        x = bargaining_round(x, cf, sf, span, options).positions
        states.append(x)
        if progress is not None:
            progress(t + 1, rounds)
    pos = np.stack(states, axis=-2)
    w = (cf * sf)[..., None, :]
    return pos, median_position(pos, w), weighted_mean(pos, w), span
