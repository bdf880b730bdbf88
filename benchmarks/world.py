"""Benchmark: the world balance index for every Factbook country, with its bands.

Goal (issue 14): every country with its band in under 60 s on a 2-core machine. The baseline
is the per-country exposure profile (the earlier index, one country at a time), timed on a
sample and scaled to all countries; the two indices measure different things, so only the
time is compared.

    python benchmarks/world.py [--runs 1000] [--sample 5] [--db STORE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tightrope.exposure import ExposureSettings, exposure_profile
from tightrope.exposure.world import world_balance
from tightrope.store import load_world, open_store


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--sample", type=int, default=5)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if args.db is None:
            with open_store(db) as s:
                load_world(s)
        with open_store(db, read_only=True) as s:
            t0 = time.perf_counter()
            w = world_balance(s, runs=args.runs)
            t_world = time.perf_counter() - t0
            n = len(w.countries)
            sample = [c.iso3 for c in w.countries[: args.sample]]
            t0 = time.perf_counter()
            for iso in sample:
                exposure_profile(s, iso, ExposureSettings(runs=args.runs))
            t_base = (time.perf_counter() - t0) / len(sample) * n
    print(f"world: {n} countries with bands ({args.runs} draws) in {t_world:.1f} s "
          f"(budget 60 s: {'met' if t_world < 60 else 'NOT met'})")
    print(f"baseline: per-country exposure profile, {t_base:.1f} s for {n} countries "
          f"(scaled from {len(sample)})")
    print(f"ratio: {t_base / t_world:.1f}x (world index vs per-country profiles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
