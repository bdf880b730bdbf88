"""Benchmark: the vectorised minefield engine vs a per-trajectory Python loop of the same model.

Both run in this process on the shipped Kazakhstan scenario with the balancer strategy:

* tightrope — ``run_engine`` on all trajectories at once (float32, one core), with its fused
  Numba kernel; the same call with ``kernel="numpy"`` (the engine before the kernel, one NumPy
  operation at a time over all trajectories) is timed too and must give identical outcomes;
* baseline — :func:`tightrope.minefield.reference.run_trajectory`, one trajectory and one
  power at a time in plain Python, drawing its random numbers with ``random.Random``. It runs
  on a subsample (``--loop-runs``); its time per trajectory is extrapolated to ``--runs``.

The two must agree on P(catastrophe) within sampling error (a two-proportion z-test, |z| < 4).

The RNG-only bound is the time to draw just the random numbers the trajectory-steps need
(:class:`tightrope.minefield.rng.Streams`, the engine's own streams: four numbers per power,
one per shock and economic trigger, the logistic noise transform), with nothing simulated; the
engine's throughput is reported as a fraction of it (1.0 would be an engine that costs nothing
beyond its random numbers). Everything here runs on one core, so the ratios are taken on the
process's CPU time, which other jobs on a shared machine barely change (wall times are printed
too); engine timings are the best of ``--repeat`` interleaved runs.
The last line is ``ratio: <N>x (<tightrope> vs <baseline>)``.

    python benchmarks/minefield.py [--runs 100000] [--horizon 40] [--loop-runs 3000] [--repeat 3]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: no threaded BLAS anywhere
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import math
import random
import sys
import time

import numpy as np

from tightrope.minefield import Balancer, compile_model, load_scenario, run_engine
from tightrope.minefield.model import Model
from tightrope.minefield.reference import (
    ScalarModel,
    TrajectoryDraws,
    run_trajectory,
    scalar_policy,
)
from tightrope.minefield.rng import Streams

SCALE = math.sqrt(3.0) / math.pi


def _draws(rnd: random.Random, T: int, P: int, H: int, E: int) -> TrajectoryDraws:
    def u() -> float:
        return rnd.random() or 5e-324  # strictly inside (0, 1) like the engine's

    def block(n: int) -> list[list[float]]:
        return [[u() for _ in range(n)] for _ in range(T)]

    noise = [[SCALE * math.log(x / (1 - x)) for x in row] for row in block(P)]
    return TrajectoryDraws(block(P), block(P), block(P), noise, block(H), block(E))


def baseline(md: object, strategy: Balancer, runs: int, seed: int) -> tuple[float, int]:
    """Seconds and number of catastrophes for ``runs`` trajectories of the Python loop."""
    sm = ScalarModel(md)  # type: ignore[arg-type]
    policy = scalar_policy(strategy, md)  # type: ignore[arg-type]
    rnd = random.Random(seed)
    t0 = time.process_time()
    cats = 0
    for _ in range(runs):
        dr = _draws(rnd, sm.T, sm.P, sm.H, sm.E)
        cats += run_trajectory(sm, policy, dr).catastrophe
    return time.process_time() - t0, cats


def draw_only(md: Model, runs: int, seed: int) -> None:
    """Draw every quarter's random numbers as the engine does, and nothing else."""
    streams = Streams(seed, md.powers, md.shocks,
                      tuple(md.catastrophes[k] for k in md.econ_kind), runs, 0)
    for _ in range(md.horizon):
        streams.quarter()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--horizon", type=int, default=40)
    ap.add_argument("--loop-runs", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sc = load_scenario("kazakhstan-2023")
    md = compile_model(sc, horizon=args.horizon)
    floor = sc.lever("balancer.floor").value
    steps = args.runs * args.horizon
    print(f"scenario kazakhstan-2023: {len(md.powers)} powers, {len(md.moves)} moves, "
          f"{len(md.shocks)} shocks; strategy balancer (floor {floor:g}); "
          f"{args.runs:,} trajectories x {args.horizon} quarters = {steps:,} trajectory-steps")

    run_engine(md, Balancer(floor, sc.respect_red_lines), 2_000, args.seed)  # warm-up, compile
    best: dict[str, tuple[float, float]] = {}
    raws = {}
    for _ in range(args.repeat):
        for name in ("numba", "numpy", "rng"):
            st = Balancer(floor, sc.respect_red_lines)
            t0, c0 = time.perf_counter(), time.process_time()
            if name == "rng":
                draw_only(md, args.runs, args.seed)
            else:
                raws[name] = run_engine(md, st, args.runs, args.seed, analysis=False,
                                        kernel=name)  # type: ignore[arg-type]
            t = (time.perf_counter() - t0, time.process_time() - c0)
            old = best.get(name, t)
            best[name] = (min(old[0], t[0]), min(old[1], t[1]))
    same = all(np.array_equal(getattr(raws["numba"], f), getattr(raws["numpy"], f))
               for f in ("catastrophe", "cat_quarter", "cat_kind", "gain", "autonomy"))
    (t_vec, c_vec), (t_np, c_np), (t_rng, c_rng) = best["numba"], best["numpy"], best["rng"]
    raw = raws["numba"]
    p_vec = float(raw.catastrophe.mean())
    print(f"tightrope (Numba kernel): {t_vec:.3f} s ({c_vec:.3f} CPU s), "
          f"{steps / c_vec / 1e6:.2f} M trajectory-steps/s (CPU), P(catastrophe) = {p_vec:.4f}")
    print(f"tightrope before the kernel (NumPy path): {t_np:.3f} s ({c_np:.3f} CPU s), "
          f"{steps / c_np / 1e6:.2f} M trajectory-steps/s (CPU); identical outcomes: {same}")
    print(f"RNG-only bound (the engine's streams, nothing simulated): {t_rng:.3f} s "
          f"({c_rng:.3f} CPU s), {steps / c_rng / 1e6:.2f} M trajectory-steps/s (CPU)")
    print(f"engine throughput / RNG-only bound (CPU time): {c_rng / c_vec:.0%} (goal >= 50%: "
          f"{'met' if c_rng / c_vec >= 0.5 else 'MISSED'}); vs the NumPy path: "
          f"{c_np / c_vec:.2f}x (goal >= 2x: {'met' if c_np / c_vec >= 2 else 'MISSED'})")
    if not same:
        print("the Numba kernel and the NumPy path differ", file=sys.stderr)
        raise SystemExit(1)

    n = min(args.loop_runs, args.runs)
    t_loop, cats = baseline(md, Balancer(floor, sc.respect_red_lines), n, args.seed)
    p_loop = cats / n
    per_traj = t_loop / n
    t_loop_all = per_traj * args.runs
    print(f"baseline (per-trajectory Python loop): {n:,} trajectories in {t_loop:.2f} CPU s "
          f"= {per_traj * 1e3:.3f} ms each, {n * args.horizon / t_loop / 1e3:.1f} k "
          f"trajectory-steps/s; extrapolated to {args.runs:,}: {t_loop_all:.1f} s; "
          f"P(catastrophe) = {p_loop:.4f}")

    se = math.sqrt(p_vec * (1 - p_vec) / args.runs + p_loop * (1 - p_loop) / n)
    z = (p_vec - p_loop) / se if se > 0 else 0.0
    verdict = "agree" if abs(z) < 4 else "DISAGREE"
    print(f"check: P(catastrophe) {p_vec:.4f} vs {p_loop:.4f}, z = {z:+.2f} -> {verdict} "
          "within sampling error")
    print(f"targets: >= 50x -> {'met' if t_loop_all / c_vec >= 50 else 'MISSED'}; "
          f">= 5 M trajectory-steps/s (CPU time) -> "
          f"{'met' if steps / c_vec >= 5e6 else 'MISSED'}")
    print(f"ratio: {t_loop_all / c_vec:.0f}x (tightrope {c_vec:.2f} CPU s vs per-trajectory "
          f"Python loop {t_loop_all:.0f} CPU s, extrapolated from {n:,} trajectories)")


if __name__ == "__main__":
    main()
