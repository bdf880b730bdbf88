"""Monte Carlo over the actors' inputs: a distribution of forecasts instead of one number.

Each input with a [low, high] range is drawn from a triangular distribution with its stated
value as the mode (the value is the analyst's best guess, the range how far off it might be);
inputs without a range stay fixed. Draws are independent across inputs. Every run then plays
the same number of rounds, all runs at once as one batched array computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tightrope._types import FloatArray
from tightrope.bargaining.actors import FIELDS, Actors
from tightrope.bargaining.dynamics import settle, simulate_batch
from tightrope.bargaining.variants import ModelOptions
from tightrope.manifest import rng_name
from tightrope.progress import Progress

__all__ = ["MonteCarloResult", "monte_carlo", "sample_inputs", "triangular"]

#: Cap on runs × actors² per batch, to bound memory (~16 arrays of this many floats).
_BATCH_CELLS = 2_000_000
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def triangular(low: FloatArray, mode: FloatArray, high: FloatArray,
               u: FloatArray) -> FloatArray:
    """Inverse CDF of the triangular distribution at ``u`` in [0, 1]; low == high gives low."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    f = np.where(width > 0, (mode - low) / safe, 0.0)
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.asarray(np.where(width > 0, np.where(u < f, left, right), low), dtype=np.float64)


def sample_inputs(actors: Actors, runs: int,
                  rng: np.random.Generator) -> dict[str, FloatArray]:
    """Draw ``runs`` input sets; returns capability, position, salience arrays (runs, n)."""
    value = {"capability": actors.capability, "position": actors.position,
             "salience": actors.salience}
    out = {}
    for f in FIELDS:
        u = rng.random((runs, actors.n))
        out[f] = triangular(actors.low[f][None, :], value[f][None, :],
                            actors.high[f][None, :], u)
    return out


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Per-run point forecasts (see :class:`~tightrope.bargaining.dynamics.Settlement`)."""

    runs: int
    seed: int
    rounds: int
    medians: FloatArray  #: (runs,) median forecast per run (window average if not converged)
    means: FloatArray  #: (runs,) weighted-mean forecast per run
    status: tuple[str, ...]  #: "converged", "cycle" or "unsettled" per run
    rng: str = ""  #: the generator the inputs were drawn with (for the manifest)

    def summary(self) -> dict[str, Any]:
        """Quantiles of the forecasts and the share of runs that converged, cycled or not."""
        def q(a: FloatArray) -> dict[str, float]:
            return {f"p{round(p * 100):02d}": float(v)
                    for p, v in zip(QUANTILES, np.quantile(a, QUANTILES), strict=True)}

        return {
            "runs": self.runs,
            "seed": self.seed,
            "rounds": self.rounds,
            "median": q(self.medians),
            "mean": q(self.means),
            "status_share": {k: self.status.count(k) / self.runs
                             for k in ("converged", "cycle", "unsettled")},
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.summary(), "per_run": {"median": self.medians.tolist(),
                                              "mean": self.means.tolist(),
                                              "status": list(self.status)}}


def monte_carlo(
    actors: Actors,
    options: ModelOptions,
    rounds: int,
    runs: int,
    seed: int,
    progress: Progress | None = None,
) -> MonteCarloResult:
    """Sample inputs ``runs`` times (seeded) and bargain each sample for ``rounds`` rounds."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    draws = sample_inputs(actors, runs, rng)
    batch = max(1, _BATCH_CELLS // max(actors.n**2, 1))
    if progress is not None:  # about 20 progress steps; each draw is independent of batching
        batch = min(batch, max(1, -(-runs // 20)))
    medians = np.empty(runs)
    means = np.empty(runs)
    status: list[str] = []
    done = 0
    for start in range(0, runs, batch):
        stop = min(start + batch, runs)
        sl = slice(start, stop)
        pos, med, mean, span = simulate_batch(draws["position"][sl], draws["capability"][sl],
                                              draws["salience"][sl], options, rounds)
        for b in range(stop - start):
            st = settle(pos[b], med[b], mean[b], float(span[b]))
            medians[start + b] = st.median_avg
            means[start + b] = st.mean_avg
            status.append(st.status)
        done = stop
        if progress is not None:
            progress(done, runs)
    return MonteCarloResult(runs, seed, rounds, medians, means, tuple(status), rng_name(rng))
