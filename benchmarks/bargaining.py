"""Benchmark: vectorised bargaining rounds vs a straightforward per-pair Python loop.

Both run the same variant on the same random (seeded) problem in this process: the baseline is
:mod:`tightrope.bargaining.reference` (pure Python, loops over pairs and voters, O(n³) per
round); tightrope is :func:`tightrope.bargaining.simulate`. The positions after every round
must agree before a ratio is printed. Defaults: 500 actors × 20 rounds, variant ``scholz``
(the baseline takes tens of minutes at that size; ``--actors 150`` gives a quick check).

    python benchmarks/bargaining.py [--actors 500] [--rounds 20] [--variant scholz] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from tightrope.bargaining import VARIANTS, Actors, simulate
from tightrope.bargaining.reference import reference_round


def problem(n: int, seed: int) -> Actors:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    return Actors.from_columns(
        [f"a{i}" for i in range(n)],
        rng.uniform(0.1, 1.0, n),
        rng.uniform(0.0, 100.0, n),
        rng.uniform(0.1, 1.0, n),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="scholz")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="best-of repeats for tightrope")
    args = ap.parse_args()
    opt = VARIANTS[args.variant]
    actors = problem(args.actors, args.seed)

    best = float("inf")
    traj = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        traj = simulate(actors, opt, args.rounds, stop_when_settled=False)
        best = min(best, time.perf_counter() - t0)
    assert traj is not None
    print(f"tightrope (vectorised): {best:.3f} s for {args.actors} actors x {args.rounds} "
          f"rounds (best of {args.repeat})")

    x = [float(v) for v in actors.position]
    c = [float(v) for v in actors.capability]
    s = [float(v) for v in actors.salience]
    span = max(x) - min(x)
    states = [x]
    t0 = time.perf_counter()
    for r in range(args.rounds):
        x = reference_round(x, c, s, span, opt)[0]
        states.append(x)
        print(f"  baseline round {r + 1}/{args.rounds}: {time.perf_counter() - t0:.1f} s",
              file=sys.stderr, flush=True)
    base = time.perf_counter() - t0
    print(f"baseline (per-pair Python loop): {base:.1f} s")

    diff = float(np.max(np.abs(np.array(states) - traj.positions)))
    moved = int(np.count_nonzero(traj.offers))
    print(f"max |position difference| over all rounds: {diff:.3g} (span {span:.3g}); "
          f"{moved} accepted offers")
    if diff > 1e-9 * span:
        print("outputs differ: no ratio reported", file=sys.stderr)
        return 1
    print(f"ratio: {base / best:.0f}x (tightrope vectorised numpy vs per-pair Python loop, "
          f"{args.actors} actors x {args.rounds} rounds, {args.variant})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
