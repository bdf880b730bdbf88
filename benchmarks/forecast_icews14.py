"""Benchmark: event forecasting on ICEWS14 against the strict recurrency baseline.

The standard single-step task: for each of the 7,371 test facts (s, r, o, t), rank every
entity as the answer of (s, r, ?, t) and of (?, r, o, t) (written (o, r^-1, ?, t)), so
14,742 queries; the history of a query is every fact before t (train, valid and earlier
test steps); time-aware filtered MRR and Hits@1/3/10. Both models run in this process:
the strict recurrency baseline psi of Gastinger et al. (IJCAI 2024; corrected table 2025:
MRR 36.0) with its decay lambda chosen per relation on the validation split, the combined
baseline psi+xi (published 37.4), and Tightrope's learned re-ranker
(:mod:`tightrope.events.forecast_ranker`), trained on the training split with settings
chosen on the validation split.

    python benchmarks/forecast_icews14.py [--data DIR] [--predictions out.jsonl]

``--predictions`` writes one JSON line per query, in query order (test file order, tail
queries first, then head queries): subject (the known entity), relation (the dataset's
relation id, not the inverse id), time (the dataset's own time value), direction,
answer and the ranked top 100 candidate ids of the unfiltered ranking.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from tightrope.events.forecast_eval import run_split, write_predictions
from tightrope.events.forecast_ranker import (
    RankerSettings,
    fit_ranker,
    ranker_scorer,
    select_baseline,
)
from tightrope.events.forecast_recurrency import baseline_scores
from tightrope.events.forecast_tkg import load_tkg, summarise_ranks

DEFAULT_DATA = (Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "icews-tkg"
                / "nec-tkg-forecasting-evaluation" / "ICEWS14")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--predictions", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    ds = load_tkg(args.data)
    log(f"{ds.name}: {len(ds.train)}/{len(ds.valid)}/{len(ds.test)} facts, "
        f"{ds.n_entities} entities, {ds.n_relations} relations")

    strict, combined = select_baseline(ds)
    log(f"baselines tuned on valid ({time.perf_counter() - t0:.0f} s)")
    t1 = time.perf_counter()
    base = run_split(ds, "test", lambda h, q, t: baseline_scores(h, q, t, ds.n_entities, strict))
    t_base = time.perf_counter() - t1
    comb = run_split(ds, "test",
                     lambda h, q, t: baseline_scores(h, q, t, ds.n_entities, combined))

    t2 = time.perf_counter()
    model = fit_ranker(ds, RankerSettings(seed=args.seed))
    log(f"ranker trained ({time.perf_counter() - t2:.0f} s)")
    t3 = time.perf_counter()
    ours = run_split(ds, "test", ranker_scorer(ds, model), keep_top=args.predictions is not None)
    t_ours = time.perf_counter() - t3

    b, c, m = (summarise_ranks(r.metrics) for r in (base, comb, ours))
    print(f"ICEWS14 test, time-aware filtered, {m.n_queries} queries "
          f"({len(ds.test)} facts x 2 directions)")
    print(b.line("strict recurrency (psi)"))
    print(c.line("combined recurrency (psi+xi)"))
    print(m.line("tightrope ranker"))
    print("published (Gastinger et al. 2025 corrected): psi 36.0, psi+xi 37.4; "
          "TLogic ~43, TiRGN 44.0")
    print(f"time: strict baseline test pass {t_base:.1f} s, ranker test pass {t_ours:.1f} s, "
          f"whole run {time.perf_counter() - t0:.0f} s")
    if args.predictions is not None and ours.top is not None:
        n = write_predictions(args.predictions, ds, ours.top)
        print(f"predictions: {n} queries written to {args.predictions}")
    assert np.isfinite(m.mrr) and np.isfinite(b.mrr)
    print(f"ratio: {m.mrr / b.mrr:.2f}x ({100 * m.mrr:.2f} vs {100 * b.mrr:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
