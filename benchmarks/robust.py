"""Benchmark: a robust-decision sweep through Tightrope vs EMA Workbench's sequential evaluator.

The same experiment — ``--samples`` Latin-hypercube futures of the shipped Kazakhstan scenario
(every uncertainty) × 4 strategies × ``--runs`` trajectories each, same seed — is run twice in
this process:

* tightrope — :func:`tightrope.minefield.robust.run_experiments`: whole blocks of futures go
  through the vectorised engine at once (local executor, one core);
* baseline — EMA Workbench 2.5.3's ``SequentialEvaluator`` calling the *same* engine as an EMA
  ``Model`` function, one experiment (one future × one strategy, ``--runs`` trajectories) at a
  time — the way EMA drives a simulation model. The futures are handed to EMA as explicit
  ``Scenario`` objects, so both evaluate identical experiments; the script checks that the
  outcomes agree. With ``--baseline-samples`` < ``--samples`` EMA runs a subsample and its time
  is extrapolated linearly (printed as such).

Both use the engine's vectorisation over trajectories; what differs is that Tightrope also
vectorises over futures, so the ratio is largest when each experiment has few runs (the fixed
per-call cost of 40 quarterly steps dominates) and shrinks toward ~2x at thousands of runs.
It also times PRIM on the resulting table (ours and EMA's, same data).

Both sides run on one core, so the sweep times are the process's CPU seconds, which other jobs
on a shared machine change less than wall time (by up to ~20 % between runs here). Tightrope's
sweep takes seconds, so it runs ``--repeat`` times and its median is used; EMA's run takes
minutes and averages over such swings by itself.
The last line is ``ratio: <N>x (<tightrope> vs <baseline>)``.

    python benchmarks/robust.py [--samples 1000] [--runs 200] [--baseline-samples 1000]
                                [--context] [--context-samples 100] [--repeat 3] [--dask]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import time
import warnings
from typing import Any

import numpy as np

from tightrope.minefield import compile_model, load_scenario, run_engine
from tightrope.minefield.robust import (
    ExperimentTable,
    Policy,
    Thresholds,
    discover,
    prim,
    prim_ema,
    resolve_policies,
    run_experiments,
)
from tightrope.minefield.spec import Scenario

STRATEGIES = "balancer,isolation,bandwagon:china,multi_vector_rotation"


def ema_baseline(sc: Scenario, table: ExperimentTable, policies: list[Policy], runs: int,
                 seed: int, n: int) -> tuple[float, dict[str, np.ndarray], Any]:
    """Seconds for ``n`` futures × policies through EMA's SequentialEvaluator; outcomes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import ema_workbench as ema

    names = table.names
    by_name = {p.name: p for p in policies}

    def model(**kw: Any) -> dict[str, float]:
        values = {names[j]: np.array([kw[f"u{j}"]]) for j in range(len(names))}
        md = compile_model(sc, values, samples=1)
        raw = run_engine(md, by_name[kw["strategy"]].build(sc), runs, seed, analysis=False)
        return {"p_catastrophe": float(raw.catastrophe.mean()),
                "gain_mean": float(raw.gain.mean()),
                "autonomy_mean": float(raw.autonomy.mean())}

    m = ema.Model("minefield", function=model)
    lo, hi = table.inputs.min(axis=0), table.inputs.max(axis=0)
    m.uncertainties = [ema.RealParameter(f"u{j}", float(lo[j]), float(hi[j]) + 1e-12)
                       for j in range(len(names))]
    m.levers = [ema.CategoricalParameter("strategy", [p.name for p in policies])]
    m.outcomes = [ema.ScalarOutcome(k) for k in ("p_catastrophe", "gain_mean", "autonomy_mean")]
    scenarios = [ema.Scenario(name=i, **{f"u{j}": float(table.inputs[i, j])
                                        for j in range(len(names))}) for i in range(n)]
    pols = [ema.Policy(p.name, strategy=p.name) for p in policies]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.process_time()
        with ema.SequentialEvaluator(m) as ev:
            experiments, outcomes = ev.perform_experiments(scenarios=scenarios, policies=pols)
        seconds = time.process_time() - t0
    return seconds, outcomes, experiments


def agreement(table: ExperimentTable, outcomes: dict[str, np.ndarray], experiments: Any) -> float:
    """Largest |difference| in P(catastrophe) between the two runs of the same experiments."""
    worst = 0.0
    for k, (fut, pol) in enumerate(zip(experiments["scenario"], experiments["policy"],
                                       strict=True)):
        ours = table.outcome("p_catastrophe", str(pol))[int(fut)]
        worst = max(worst, abs(ours - outcomes["p_catastrophe"][k]))
    return worst


def one(sc: Scenario, policies: list[Policy], samples: int, runs: int, seed: int,
        baseline_samples: int, repeat: int) -> tuple[float, float, ExperimentTable, bool]:
    times = []
    for _ in range(repeat):  # a few seconds each: the median of several, EMA's one long run
        t0 = time.process_time()
        table = run_experiments(sc, policies, samples, runs, seed)
        times.append(time.process_time() - t0)
    t_ours = float(np.median(times))
    n = min(baseline_samples, samples)
    t_base, outcomes, experiments = ema_baseline(sc, table, policies, runs, seed, n)
    diff = agreement(table, outcomes, experiments)
    extrapolated = n < samples
    t_full = t_base * samples / n
    exps = samples * len(policies)
    runs_s = ", ".join(f"{t:.2f}" for t in times)
    print(f"runs {runs:>5}: tightrope {t_ours:7.2f} CPU s (median of {runs_s}) for {exps:,} "
          f"experiments ({exps / t_ours:,.0f}/s); EMA sequential "
          + (f"{t_base:.2f} s for {n * len(policies):,} experiments, extrapolated to "
             f"{t_full:.2f} s" if extrapolated else f"{t_base:.2f} s")
          + f" ({n * len(policies) / t_base:,.0f}/s); ratio {t_full / t_ours:.1f}x; "
          f"max |ΔP(cat)| on the same experiments {diff:.2g}", flush=True)
    return t_ours, t_full, table, extrapolated


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--baseline-samples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--strategies", default=STRATEGIES)
    ap.add_argument("--context", action="store_true",
                    help="also time 50 and 1,000 runs per experiment (EMA on --context-samples "
                         "futures, extrapolated)")
    ap.add_argument("--context-samples", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3,
                    help="tightrope sweeps per setting; the median is used (default 3)")
    ap.add_argument("--dask", action="store_true", help="also time --engine dask (2 workers)")
    a = ap.parse_args()
    sc = load_scenario("kazakhstan-2023")
    policies = resolve_policies(sc, a.strategies)
    print(f"{sc.title}: {len(sc.uncertainties())} uncertainties, {a.samples:,} futures × "
          f"{len(policies)} strategies ({', '.join(p.name for p in policies)}), "
          f"{sc.horizon} quarters, seed {a.seed}", flush=True)
    # load the compiled engine kernel (Numba's cache) before timing: both sides call the same
    # engine, and without this the first timed side pays the one-off load for both
    t0 = time.process_time()
    run_experiments(sc, policies, 4, 10, a.seed)
    print(f"warm-up (engine kernel loaded, not timed below): {time.process_time() - t0:.2f} CPU s",
          flush=True)
    if a.context:
        for r in (50, 1000):
            one(sc, policies, a.samples, r, a.seed, a.context_samples, a.repeat)
    t_ours, t_base, table, extrapolated = one(sc, policies, a.samples, a.runs, a.seed,
                                              a.baseline_samples, a.repeat)
    th = Thresholds()
    top = policies[0].name
    p = table.outcome("p_catastrophe", top)
    g = table.outcome("gain_mean", top)
    y = (p >= th.max_p_catastrophe) | (g <= th.min_gain)
    if 0 < y.mean() < 1:  # the same cases through both PRIMs, every dimension peeled
        t0 = time.perf_counter()
        ours = prim(table.inputs, y, table.names, screening=False, max_qp=None)
        t_ours_prim = time.perf_counter() - t0
        t0 = time.perf_counter()
        e = prim_ema(table.inputs, y, table.names, max_qp=None)
        t_ema_prim = time.perf_counter() - t0
        same = {q.name for q in ours.restrictions} == {q.name for q in e.restrictions}
        print(f"PRIM on {table.futures:,} futures × {len(table.names)} uncertainties "
              f"(failures of {top}, {y.mean():.0%}): tightrope {t_ours_prim:.3f} s (coverage "
              f"{ours.box.coverage:.0%}, density {ours.box.density:.0%}, {ours.box.res_dim} "
              f"dims) vs EMA Workbench {t_ema_prim:.3f} s (coverage {e.box.coverage:.0%}, "
              f"density {e.box.density:.0%}, {e.box.res_dim} dims); same dimensions: {same}")
    t0 = time.perf_counter()
    box = discover(table, top, th)
    if box is not None:
        print(f"PRIM as `tightrope robust` runs it (screening, pruning, the definition in "
              f"docs/robust.md): {time.perf_counter() - t0:.3f} s, coverage "
              f"{box.box.coverage:.0%}, density {box.box.density:.0%}, {box.box.res_dim} dims")
    if a.dask:
        from tightrope.minefield.robust.distributed import dask_executor

        with dask_executor(2, processes=True) as ex:
            t0 = time.perf_counter()
            d = run_experiments(sc, policies, a.samples, a.runs, a.seed, executor=ex)
            t_d = time.perf_counter() - t0
        same = all(np.array_equal(d.outcomes[k], table.outcomes[k]) for k in table.outcomes)
        st = d.stats
        assert st is not None
        print(f"dask LocalCluster (2 processes, started in {ex.startup_s:.1f} s): {t_d:.2f} s, "
              f"{st.tasks} tasks, scheduler overhead {st.overhead_s:.2f} s "
              f"({st.overhead_s / st.wall_s:.1%}), empty-task round trip "
              f"{ex.noop_ms_per_task:.1f} ms; identical table: {same}")
    note = " (EMA time extrapolated from a subsample)" if extrapolated else ""
    print(f"headline: {a.samples:,} futures × {len(policies)} strategies × {a.runs} runs{note}")
    print(f"ratio: {t_base / t_ours:.1f}x ({t_ours:.2f} CPU s vs {t_base:.2f} CPU s)")


if __name__ == "__main__":
    main()
