"""Benchmark: event store (ingest + monthly dyadic aggregation) vs plain pandas on the CSV.

Generates N GDELT 2.0-shaped rows (61 TAB-separated fields, ~180 bytes a line, default 2
million) in a temporary folder, then, in this process:

1. cold: tightrope ingests the file into a fresh DuckDB store and aggregates all dyads by month
   (count, mentions-weighted Goldstein sums, QuadClass counts); pandas does ``read_csv`` +
   ``groupby`` for the same aggregation. Both results must agree.
2. repeated: 10 different dyad / month-range queries, answered by tightrope from the store
   (``tightrope.events.aggregate.duckdb_monthly``, the code path of ``events temperature``) and
   by pandas re-reading the CSV each time (what a script without a store does). Must agree.

Peak memory (max RSS, from ``os.wait4``) is measured by re-running the cold step of each side
in its own child process, since DuckDB and Arrow allocate outside Python's tracemalloc.
The last line is the ratio for the repeated-query case (the cold ratio is printed above it).

    python benchmarks/events_ingest.py [--rows 2000000] [--seed 0]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tightrope.events.aggregate import duckdb_monthly
from tightrope.events.months import MonthRange
from tightrope.events.synthetic import gdelt_table, write_gdelt
from tightrope.store import open_store
from tightrope.store.events import ingest_events

#: 0-based GDELT positions used by the pandas baseline.
COLS = {1: "SQLDATE", 7: "Actor1CountryCode", 17: "Actor2CountryCode", 29: "QuadClass",
        30: "GoldsteinScale", 31: "NumMentions"}
AGG = ["events", "weight", "weighted_goldstein", "scored", "q1", "q2", "q3", "q4"]

ALL_DYADS_SQL = """
SELECT source_iso3, target_iso3, strftime(event_date, '%Y-%m') AS month, count(*) AS events,
    sum(greatest(coalesce(num_mentions, 1), 1)) AS weight,
    sum(goldstein * greatest(coalesce(num_mentions, 1), 1)) AS weighted_goldstein,
    count(goldstein) AS scored,
    count(*) FILTER (WHERE quad_class = 1) AS q1, count(*) FILTER (WHERE quad_class = 2) AS q2,
    count(*) FILTER (WHERE quad_class = 3) AS q3, count(*) FILTER (WHERE quad_class = 4) AS q4
FROM events WHERE source_iso3 IS NOT NULL AND target_iso3 IS NOT NULL
GROUP BY ALL
"""

QUERIES = [("KAZ", "RUS", "2005-01", "2015-12"), ("RUS", "KAZ", "2008-01", "2009-12"),
           ("KAZ", "CHN", "2010-01", "2012-06"), ("CHN", "KAZ", "2005-01", "2007-12"),
           ("USA", "KAZ", "2011-01", "2015-12"), ("KAZ", "TUR", "2006-03", "2014-09"),
           ("IRN", "KAZ", "2013-01", "2013-12"), ("JOR", "ISR", "2005-01", "2015-12"),
           ("DEU", "RUS", "2012-01", "2015-12"), ("KAZ", "UZB", "2009-01", "2011-12")]


def read_pandas(csv: Path) -> pd.DataFrame:
    df = pd.read_csv(csv, sep="\t", header=None, usecols=list(COLS),
                     dtype={7: "string", 17: "string"})
    return df.rename(columns=COLS)


def aggregate_pandas(df: pd.DataFrame) -> pd.DataFrame:
    df = df.dropna(subset=["Actor1CountryCode", "Actor2CountryCode"])
    w = df["NumMentions"].fillna(1).clip(lower=1)
    out = pd.DataFrame({
        "source_iso3": df["Actor1CountryCode"], "target_iso3": df["Actor2CountryCode"],
        "month": (df["SQLDATE"] // 100).astype(str).str.replace(r"^(\d{4})(\d{2})$", r"\1-\2",
                                                                 regex=True),
        "events": 1, "weight": w, "weighted_goldstein": df["GoldsteinScale"] * w,
        "scored": df["GoldsteinScale"].notna().astype(int),
        **{f"q{q}": (df["QuadClass"] == q).astype(int) for q in range(1, 5)},
    })
    return out.groupby(["source_iso3", "target_iso3", "month"], as_index=False)[AGG].sum()


def pandas_query(csv: Path, src: str, dst: str, months: MonthRange) -> pd.DataFrame:
    df = read_pandas(csv)
    lo, hi = int(months.first_day.strftime("%Y%m%d")), int(months.last_day.strftime("%Y%m%d"))
    df = df[(df["Actor1CountryCode"] == src) & (df["Actor2CountryCode"] == dst)
            & (df["SQLDATE"] >= lo) & (df["SQLDATE"] <= hi)]
    return aggregate_pandas(df).drop(columns=["source_iso3", "target_iso3"])


def _norm(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    df = df[keys + AGG].astype({c: "float64" for c in AGG})
    return df.sort_values(keys).reset_index(drop=True)


def _same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> bool:
    a, b = _norm(a, keys), _norm(b, keys)
    return (len(a) == len(b) and all((a[k].astype(str) == b[k].astype(str)).all() for k in keys)
            and np.allclose(a[AGG].to_numpy(), b[AGG].to_numpy(), rtol=1e-9, atol=1e-6))


def tightrope_cold(csv: Path, db: Path) -> tuple[float, float, pd.DataFrame]:
    with open_store(db) as store:
        t0 = time.perf_counter()
        ingest_events(store, [csv])
        t1 = time.perf_counter()
        agg = store.con.execute(ALL_DYADS_SQL).df()
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1, agg


def _vm_hwm_kb() -> int:
    """Peak resident set of this process image (Linux /proc; exec starts it afresh)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(kind: str, csv: Path, db: Path) -> None:
    base = _vm_hwm_kb()
    if kind == "tightrope":
        tightrope_cold(csv, db)
    else:
        aggregate_pandas(read_pandas(csv))
    print(f"{base} {_vm_hwm_kb()}")


def peak_rss_mb(kind: str, csv: Path, db: Path) -> tuple[float, float]:
    """(peak RSS, peak RSS after imports) of a child doing the cold step, MB.

    Read from the child's own /proc VmHWM: ``ru_maxrss`` of a vfork'ed child would include the
    parent's peak, which Linux carries over at exec.
    """
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--csv", str(csv),
                          "--db", str(db)], capture_output=True, text=True, check=True)
    base, peak = (int(x) for x in out.stdout.split()[-2:])
    return peak / 1024, base / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--child", choices=["tightrope", "pandas"], help=argparse.SUPPRESS)
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.csv, args.db)
        return 0

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        csv = tmp / "events.export.CSV"
        rng = np.random.default_rng(np.random.SeedSequence(args.seed))
        write_gdelt(csv, gdelt_table(rng, args.rows))
        mb = csv.stat().st_size / 1e6
        print(f"data: {args.rows:,} GDELT 2.0-shaped rows, {mb:,.0f} MB (seed {args.seed})")

        t_ingest, t_agg, tr_agg = tightrope_cold(csv, tmp / "store.duckdb")
        t0 = time.perf_counter()
        pd_agg = aggregate_pandas(read_pandas(csv))
        t_pd = time.perf_counter() - t0
        keys = ["source_iso3", "target_iso3", "month"]
        assert _same(tr_agg, pd_agg, keys), "cold aggregates differ"
        t_tr = t_ingest + t_agg
        print(f"cold, tightrope: ingest {t_ingest:.2f} s ({args.rows / t_ingest:,.0f} rows/s, "
              f"{mb / t_ingest:,.0f} MB/s) + all-dyad monthly aggregation {t_agg:.2f} s "
              f"= {t_tr:.2f} s ({len(tr_agg):,} dyad-months)")
        print(f"cold, pandas read_csv + groupby: {t_pd:.2f} s")
        print(f"cold ratio: {t_pd / t_tr:.2f}x (tightrope {t_tr:.2f} s vs pandas {t_pd:.2f} s; "
              "below 1 means pandas is faster for a one-off aggregation from CSV)")

        t_q = 0.0
        t_p = 0.0
        with open_store(tmp / "store.duckdb", read_only=True) as store:
            for src, dst, a, b in QUERIES:
                months = MonthRange(a, b)
                t0 = time.perf_counter()
                rows = duckdb_monthly(store, [src], [dst], months)
                t_q += time.perf_counter() - t0
                t0 = time.perf_counter()
                ref = pandas_query(csv, src, dst, months)
                t_p += time.perf_counter() - t0
                assert _same(pd.DataFrame(rows, columns=["month", *AGG]), ref, ["month"]), \
                    f"query {src}->{dst} {a}..{b} differs"
        print(f"repeated: {len(QUERIES)} dyad/month-range queries: tightrope store "
              f"{t_q:.3f} s, pandas re-reading the CSV {t_p:.2f} s")

        rss_tr, base_tr = peak_rss_mb("tightrope", csv, tmp / "child.duckdb")
        rss_pd, base_pd = peak_rss_mb("pandas", csv, tmp / "unused.duckdb")
        print(f"peak memory (VmHWM of a child process doing the cold step; after imports "
              f"alone: {base_tr:,.0f} / {base_pd:,.0f} MB): tightrope {rss_tr:,.0f} MB, "
              f"pandas {rss_pd:,.0f} MB (tightrope/pandas {rss_tr / rss_pd:.2f})")
    print(f"ratio: {t_p / t_q:.1f}x (tightrope {t_q:.3f} s for {len(QUERIES)} queries from the "
          f"store vs pandas {t_p:.2f} s re-reading the CSV)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
