"""Beyond one machine: Parquet export of the event store and the monthly sums on Dask.

DuckDB stays the embedded default. For archives too large for one machine (the GDELT event
archive is hundreds of GB), ``export_parquet`` writes the ``events`` table as Parquet files
partitioned by year (``year=2005/...``), and :func:`dask_monthly` computes exactly the monthly
sums of :func:`tightrope.events.aggregate.duckdb_monthly` with ``dask.dataframe`` — on a local
cluster or on any ``dask.distributed`` scheduler the caller's ``Client`` points to.

Why Dask rather than Spark: Dask is a pip package (no JVM; Spark needs Java and ~0.5 GB), it
reads the same Parquet with the same pandas semantics as the rest of Tightrope, and a
``LocalCluster`` starts inside a test process in about two seconds, so CI runs the very code
path a cluster runs. Spark's SQL engine is stronger for joins across huge tables, which this
query (filter + group-by on one table) does not need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tightrope.errors import InputError
from tightrope.events.months import MonthRange
from tightrope.events.series import AGG_COLUMNS
from tightrope.extras import require_extra
from tightrope.store.db import Store
from tightrope.store.eventqueries import event_count, export_events_parquet
from tightrope.store.events import ensure_events_schema

__all__ = ["PARQUET_COLUMNS", "ExportSummary", "dask_client", "dask_monthly", "export_parquet"]

#: Columns exported (everything the temperature query needs, plus provenance).
PARQUET_COLUMNS = ("id_space", "event_id", "dataset", "event_date", "source_actor",
                   "source_iso3", "target_actor", "target_iso3", "cameo_code", "quad_class",
                   "event_label", "goldstein", "num_mentions", "file_id", "line")


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """Rows and files written."""

    out_dir: Path
    rows: int
    files: int


def export_parquet(store: Store, out_dir: Path, *, overwrite: bool = False) -> ExportSummary:
    """Write ``events`` to ``out_dir`` as Parquet partitioned by year (hive layout)."""
    ensure_events_schema(store.con)
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise InputError("the output folder is not empty", source=str(out_dir),
                         expected="an empty or new folder, or overwrite allowed")
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = event_count(store)
    export_events_parquet(store, out_dir, PARQUET_COLUMNS)
    files = len(list(out_dir.rglob("*.parquet")))
    return ExportSummary(out_dir, int(rows), files)


def _partition_sums(
    pdf: pd.DataFrame,
    sources: list[str],
    targets: list[str],
    first: dt.date,
    last: dt.date,
    datasets: list[str] | None,
) -> pd.DataFrame:
    """Monthly sums of one partition (plain pandas; the same formulas as
    :func:`tightrope.store.eventqueries.monthly_sums`)."""
    date = pd.to_datetime(pdf["event_date"])
    keep = (pdf["source_iso3"].isin(sources) & pdf["target_iso3"].isin(targets)
            & (date >= pd.Timestamp(first)) & (date <= pd.Timestamp(last)))
    if datasets is not None:
        keep &= pdf["dataset"].isin(datasets)
    p = pdf[keep.fillna(False).to_numpy(dtype=bool)]
    w = p["num_mentions"].astype("float64").fillna(1.0).clip(lower=1.0)
    g = p["goldstein"].astype("float64")
    scored = g.notna()
    quad = p["quad_class"].astype("float64")
    out = pd.DataFrame({
        "month": pd.to_datetime(p["event_date"]).dt.strftime("%Y-%m").astype("object"),
        "events": 1.0,
        "weight": w.where(scored, 0.0),
        "weighted_goldstein": (g * w).fillna(0.0),
        "scored": scored.astype("float64"),
        **{f"q{q}": (quad == q).astype("float64") for q in range(1, 5)},
    })
    return out.groupby("month").sum().astype("float64").reset_index()


def dask_monthly(
    parquet: Path,
    sources: Sequence[str],
    targets: Sequence[str],
    months: MonthRange,
    datasets: Sequence[str] | None = None,
    *,
    client: Any = None,
) -> list[dict[str, Any]]:
    """Monthly sums (:data:`AGG_COLUMNS`) from a Parquet export, computed by Dask.

    ``client`` is a ``distributed.Client``; None uses Dask's default (threaded) scheduler.
    """
    require_extra("dask", "the Dask engine")
    import dask.dataframe as dd

    if not parquet.is_dir() or not any(parquet.rglob("*.parquet")):
        raise InputError("no Parquet export here", source=str(parquet),
                         expected="a folder written by 'tightrope events export-parquet'")
    first, last = months.first_day, months.last_day
    df = dd.read_parquet(
        str(parquet),
        columns=["event_date", "source_iso3", "target_iso3", "dataset", "quad_class",
                 "goldstein", "num_mentions"],
        filters=[("year", "in", list(range(first.year, last.year + 1)))],
    )
    meta = pd.DataFrame({"month": pd.Series(dtype="object"),
                         **{c: pd.Series(dtype="float64") for c in AGG_COLUMNS[1:]}})
    sums = df.map_partitions(_partition_sums, list(sources), list(targets), first, last,
                             list(datasets) if datasets else None, meta=meta)
    grouped = sums.groupby("month").sum()
    result = client.compute(grouped).result() if client is not None else grouped.compute()
    result = result.rename_axis("month").reset_index().sort_values("month")
    return [
        {c: (str(r["month"]) if c == "month" else float(r[c])) for c in AGG_COLUMNS}
        for _, r in result.iterrows()
    ]


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler`` (e.g. 'tcp://host:8786') when given, else to a
    LocalCluster of ``workers`` threads in this process, closed on exit."""
    require_extra("dask", "the Dask engine")
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with LocalCluster(  # type: ignore[no-untyped-call]
        # the scheduler's HTTP endpoint on a free loopback port: a fixed 8787 fails whenever
        # another cluster (or any program) holds it
        n_workers=1, threads_per_worker=max(workers, 1), processes=False,
        dashboard_address="127.0.0.1:0",
    ) as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client
