"""Benchmark: vectorised bargaining vs a straightforward per-pair Python loop.

Both run the same variant on the same random (seeded) problems in this process; the baseline
is :mod:`tightrope.bargaining.reference` (pure Python, loops over pairs and voters, O(n³) per
round) and its positions must agree with tightrope's before a ratio is printed. The loop is
too slow to run in full, so it runs a part and its time is extrapolated linearly (its cost per
round, and per Monte Carlo run, does not depend on the state: every pair and voter is visited):

1. large: ``--actors`` (500) actors × ``--rounds`` (20) rounds with
   :func:`tightrope.bargaining.simulate`; the loop plays the first ``--baseline-rounds`` (1)
   rounds, its time per round is multiplied by ``--rounds``.
2. typical: ``--mc-actors`` (50) actors with ±20 % input ranges × ``--mc-runs`` (1,000)
   Monte Carlo runs of ``--rounds`` rounds with :func:`tightrope.bargaining.monte_carlo`; the
   loop plays ``--baseline-runs`` (5) of the sampled runs in full, its time per run is
   multiplied by ``--mc-runs``.

The last line is ``ratio: <N>x (<tightrope> vs <baseline>)`` for the large case.

    python benchmarks/bargaining.py [--actors 500] [--rounds 20] [--variant scholz] [--seed 0]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import sys
import time

import numpy as np

from tightrope.bargaining import VARIANTS, Actors, simulate
from tightrope.bargaining.dynamics import simulate_batch
from tightrope.bargaining.montecarlo import monte_carlo, sample_inputs
from tightrope.bargaining.reference import reference_round
from tightrope.bargaining.variants import ModelOptions


def problem(n: int, seed: int, spread: float = 0.0) -> Actors:
    """``n`` random actors; with ``spread`` > 0 every input gets a ± ``spread`` range."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    c, x, s = rng.uniform(0.1, 1.0, n), rng.uniform(0.0, 100.0, n), rng.uniform(0.1, 1.0, n)
    low = high = None
    if spread:
        low = {"capability": c * (1 - spread), "position": np.maximum(x - 100 * spread, 0),
               "salience": s * (1 - spread)}
        high = {"capability": c * (1 + spread), "position": np.minimum(x + 100 * spread, 100),
                "salience": np.minimum(s * (1 + spread), 1.0)}
    return Actors.from_columns([f"a{i}" for i in range(n)], c, x, s, low=low, high=high)


def loop(x0: list[float], c: list[float], s: list[float], rounds: int,
         opt: ModelOptions) -> list[list[float]]:
    """Positions after each round, by the per-pair loop."""
    span = max(x0) - min(x0)
    states = [x0]
    for _ in range(rounds):
        states.append(reference_round(states[-1], c, s, span, opt)[0])
    return states


def large(args: argparse.Namespace, opt: ModelOptions) -> tuple[float, float]:
    actors = problem(args.actors, args.seed)
    best = float("inf")
    traj = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        traj = simulate(actors, opt, args.rounds, stop_when_settled=False)
        best = min(best, time.perf_counter() - t0)
    assert traj is not None
    print(f"large, tightrope (vectorised): {best:.3f} s for {args.actors} actors x "
          f"{args.rounds} rounds (best of {args.repeat})")
    k = min(args.baseline_rounds, args.rounds)
    t0 = time.perf_counter()
    states = loop([float(v) for v in actors.position], [float(v) for v in actors.capability],
                  [float(v) for v in actors.salience], k, opt)
    part = time.perf_counter() - t0
    base = part / k * args.rounds
    span = float(np.ptp(actors.position))
    diff = float(np.max(np.abs(np.array(states) - traj.positions[: k + 1])))
    print(f"large, baseline (per-pair Python loop): {part:.1f} s for the first {k} of "
          f"{args.rounds} rounds, extrapolated to {args.rounds} rounds: {base:.0f} s; "
          f"max |position difference| over those rounds {diff:.3g} (span {span:.3g})")
    if diff > 1e-9 * span:
        print("outputs differ: no ratio reported", file=sys.stderr)
        raise SystemExit(1)
    return best, base


def typical(args: argparse.Namespace, opt: ModelOptions) -> None:
    actors = problem(args.mc_actors, args.seed + 1, spread=0.2)
    t0 = time.perf_counter()
    mc = monte_carlo(actors, opt, args.rounds, args.mc_runs, args.seed)
    t_mc = time.perf_counter() - t0
    draws = sample_inputs(actors, args.mc_runs,
                          np.random.default_rng(np.random.SeedSequence(args.seed)))
    k = min(args.baseline_runs, args.mc_runs)
    pos = simulate_batch(draws["position"][:k], draws["capability"][:k],
                         draws["salience"][:k], opt, args.rounds)[0]
    t0 = time.perf_counter()
    diff = 0.0
    for b in range(k):
        states = loop(draws["position"][b].tolist(), draws["capability"][b].tolist(),
                      draws["salience"][b].tolist(), args.rounds, opt)
        diff = max(diff, float(np.max(np.abs(np.array(states) - pos[b]))))
    part = time.perf_counter() - t0
    base = part / k * args.mc_runs
    ok = diff <= 1e-9 * 100
    print(f"typical: {args.mc_actors} actors x {args.mc_runs:,} Monte Carlo runs x "
          f"{args.rounds} rounds: tightrope monte_carlo {t_mc:.2f} s (median forecast "
          f"{np.median(mc.medians):.1f}); per-pair loop {part:.1f} s for {k} runs, extrapolated "
          f"to {args.mc_runs:,}: {base:.0f} s; max |position difference| on those runs "
          f"{diff:.3g} -> {'agree' if ok else 'DIFFER'}; ratio {base / t_mc:.0f}x")
    if not ok:
        raise SystemExit(1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--baseline-rounds", type=int, default=1)
    ap.add_argument("--mc-actors", type=int, default=50)
    ap.add_argument("--mc-runs", type=int, default=1000)
    ap.add_argument("--baseline-runs", type=int, default=5)
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="scholz")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="best-of repeats for tightrope")
    args = ap.parse_args()
    opt = VARIANTS[args.variant]
    typical(args, opt)
    best, base = large(args, opt)
    print(f"ratio: {base / best:.0f}x (tightrope vectorised numpy vs per-pair Python loop, "
          f"{args.actors} actors x {args.rounds} rounds, {args.variant}; the loop's time "
          f"extrapolated from {min(args.baseline_rounds, args.rounds)} round(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
