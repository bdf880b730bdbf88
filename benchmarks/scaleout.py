"""Benchmark: ``events temperature`` over a large GDELT-shaped data set, DuckDB vs Dask.

Generates ``--rows`` (default 100 million) seeded, GDELT-shaped events straight into a
temporary folder as Parquet in the layout ``tightrope events export-parquet`` writes (one
folder per year, several files each), loads the same files into a fresh DuckDB store, and
runs the command twice, each in its own process:

* ``tightrope events temperature KAZ RUS --json`` — the store, DuckDB;
* ``tightrope events temperature KAZ RUS --json --engine dask --parquet DIR --scheduler
  tcp://…`` — Dask, on a ``LocalCluster`` of 2 worker processes started here; the command
  connects to its scheduler address exactly as it would to a scheduler on another machine.

Both outputs must agree. Nothing is kept: the folder is removed at the end. The data are
synthetic (:mod:`tightrope.events.synthetic`: dates 2005-2015, 18 countries, the CAMEO
table's codes and scores); the values mean nothing. The last line is
``ratio: <N>x (<dask> vs <duckdb>)``: the Dask time over the DuckDB time.

    python benchmarks/scaleout.py [--rows 100000000] [--batch 5000000] [--seed 0] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from tightrope.events.synthetic import SYNTHETIC_COUNTRIES
from tightrope.ingest.cameo import cameo_table
from tightrope.store import open_store
from tightrope.store.events import ensure_events_schema

FIRST, LAST = np.datetime64("2005-01-01"), np.datetime64("2015-12-31")


def batch_table(rng: np.random.Generator, n: int, first_id: int) -> pa.Table:
    """``n`` events with the columns of the Parquet export (plus ``year``)."""
    table = cameo_table()
    codes = np.array([c for c in table.codes if len(c) > 2])
    gold = np.array([table.codes[c].goldstein for c in codes])
    quad = np.array([table.codes[c].quad_class for c in codes], dtype=np.int8)
    countries = pa.array([c or None for c in SYNTHETIC_COUNTRIES], pa.string())
    days = rng.integers(FIRST.astype(np.int64), LAST.astype(np.int64) + 1, n)
    pick = rng.integers(0, len(codes), n)
    a1 = countries.take(pa.array(rng.integers(0, len(countries), n)))
    a2 = countries.take(pa.array(rng.integers(0, len(countries), n)))
    date = pa.array(days.astype(np.int32), pa.date32())
    return pa.table({
        "id_space": pa.array(np.full(n, "gdelt")), "event_id": np.arange(first_id, first_id + n),
        "dataset": pa.array(np.full(n, "gdelt")), "event_date": date,
        "source_actor": a1, "source_iso3": a1, "target_actor": a2, "target_iso3": a2,
        "cameo_code": pa.array(codes[pick]), "quad_class": quad[pick],
        "event_label": pa.nulls(n, pa.string()), "goldstein": gold[pick],
        "num_mentions": rng.integers(1, 21, n, dtype=np.int32),
        "file_id": np.ones(n, dtype=np.int32), "line": np.arange(first_id, first_id + n),
        "year": (days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
                 ).astype(np.int32),
    })


def generate(out: Path, rows: int, batch: int, seed: int) -> float:
    """Write the data set; returns seconds."""
    t0 = time.perf_counter()
    seqs = np.random.SeedSequence(seed).spawn(-(-rows // batch))
    for b, seq in enumerate(seqs):
        n = min(batch, rows - b * batch)
        tbl = batch_table(np.random.default_rng(seq), n, b * batch + 1)
        years = tbl.column("year").to_numpy()
        order = np.argsort(years, kind="stable")
        tbl, years = tbl.take(order), years[order]
        for y in np.unique(years):
            lo, hi = np.searchsorted(years, [y, y + 1])
            part = out / f"year={y}"
            part.mkdir(parents=True, exist_ok=True)
            pq.write_table(tbl.slice(lo, hi - lo).drop_columns(["year"]),
                           part / f"part-{b:04d}.parquet")
        print(f"  generated {min(rows, (b + 1) * batch):,} of {rows:,} rows "
              f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    return time.perf_counter() - t0


def load_store(db: Path, parquet: Path) -> float:
    t0 = time.perf_counter()
    with open_store(db) as store:
        ensure_events_schema(store.con)
        glob = str(parquet / "*" / "*.parquet").replace("'", "''")
        store.con.execute(
            "INSERT INTO events SELECT id_space, event_id, dataset, event_date, source_actor, "
            "source_iso3, target_actor, target_iso3, cameo_code, event_label, quad_class, "
            "goldstein, 'event', num_mentions, file_id, line "
            f"FROM read_parquet('{glob}', hive_partitioning = true)")
    return time.perf_counter() - t0


def cli(args: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", "from tightrope.cli.app import main; main()",
                          *args], capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - t0
    if out.returncode:
        raise SystemExit(f"tightrope {' '.join(args)} failed ({out.returncode}): "
                         f"{out.stderr.strip()[-400:]}")
    start = out.stdout.find("{")
    if start > 0:  # something printed before the JSON document: show it, parse the rest
        print(f"  note: 'tightrope {args[1]}' wrote {out.stdout[:start]!r} to standard output "
              "before its JSON", flush=True)
    return seconds, json.loads(out.stdout[max(start, 0):])


def series(result: dict[str, Any]) -> list[Any]:
    return [result[k][f] for k in ("focal_to_power", "power_to_focal")
            for f in ("events", "mean_goldstein")]


def same(a: list[Any], b: list[Any]) -> bool:
    x = np.array([[np.nan if v is None else v for v in s] for s in a], dtype=float)
    y = np.array([[np.nan if v is None else v for v in s] for s in b], dtype=float)
    return x.shape == y.shape and bool(np.allclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--batch", type=int, default=5_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, help="write here and keep it (default: a temp dir)")
    a = ap.parse_args()
    from distributed import Client, LocalCluster

    # a kill (SIGTERM) unwinds like Ctrl-C, so the temporary folder is removed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with tempfile.TemporaryDirectory(dir=a.keep.parent if a.keep else None) as tmp_dir:
        tmp = a.keep or Path(tmp_dir)
        free = shutil.disk_usage(tmp.parent if a.keep else tmp).free
        need = a.rows * 60  # bytes: Parquet ~20 B/row, the DuckDB store ~30 B/row, slack
        if need > free:
            print(f"not enough disk: {a.rows:,} rows need ~{need / 1e9:.0f} GB, "
                  f"{free / 1e9:.0f} GB free", file=sys.stderr)
            return 1
        parquet, db = tmp / "parquet", tmp / "store.duckdb"
        t_gen = generate(parquet, a.rows, a.batch, a.seed)
        size = sum(f.stat().st_size for f in parquet.rglob("*.parquet"))
        files = len(list(parquet.rglob("*.parquet")))
        t_load = load_store(db, parquet)
        print(f"data: {a.rows:,} GDELT-shaped events (seed {a.seed}), {files} Parquet files, "
              f"{size / 1e9:.2f} GB, written in {t_gen:.0f} s; loaded into a DuckDB store "
              f"({db.stat().st_size / 1e9:.2f} GB) in {t_load:.0f} s", flush=True)
        env = {**os.environ, "TIGHTROPE_DB": str(db)}
        query = ["events", "temperature", "KAZ", "RUS", "--from", "2005-01", "--to", "2015-12",
                 "--json", "--db", str(db)]
        t_duck, r_duck = cli(query, env)
        print(f"events temperature KAZ RUS, DuckDB (the store): {t_duck:.1f} s", flush=True)
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                          dashboard_address="127.0.0.1:0") as cluster, \
                Client(cluster):  # type: ignore[no-untyped-call]
            t_dask, r_dask = cli([*query, "--engine", "dask", "--parquet", str(parquet),
                                  "--scheduler", cluster.scheduler_address], env)
        agree = same(series(r_duck), series(r_dask))
        n = sum(r_duck["focal_to_power"]["events"]) + sum(r_duck["power_to_focal"]["events"])
        print(f"events temperature KAZ RUS, Dask (LocalCluster, 2 worker processes, via "
              f"--scheduler): {t_dask:.1f} s; both read {n:,} KAZ-RUS events out of "
              f"{a.rows:,}; same monthly series: {agree}", flush=True)
        if not agree:
            return 1
    print(f"ratio: {t_dask / t_duck:.1f}x (Dask {t_dask:.1f} s vs DuckDB {t_duck:.1f} s, "
          f"{a.rows:,} rows, each including the command's start-up)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
