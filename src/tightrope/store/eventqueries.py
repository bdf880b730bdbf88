"""Read queries over the coded event tables (``events``, ``event_files``).

A dyad is given as two collections of ISO3 codes (a state, or the members of a bloc); months
as first and last day (inclusive). Monthly sums weight each scored event by
``w = max(coalesce(num_mentions, 1), 1)``; :func:`tightrope.events.scale.dask_monthly` computes
the same sums over a Parquet export and must agree exactly on counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tightrope.store.db import Store
from tightrope.store.queries import Row, _marks, table_names

__all__ = [
    "EventSpan",
    "event_count",
    "event_files",
    "event_inputs",
    "event_span",
    "events_for_dyad",
    "events_per_dataset",
    "export_events_parquet",
    "has_events",
    "monthly_class_counts",
    "monthly_sums",
]

_MONTHLY = """
SELECT strftime(event_date, '%Y-%m') AS month,
    count(*) AS events,
    sum(CASE WHEN goldstein IS NOT NULL THEN greatest(coalesce(num_mentions, 1), 1) END)
        AS weight,
    sum(goldstein * greatest(coalesce(num_mentions, 1), 1)) AS weighted_goldstein,
    count(goldstein) AS scored,
    count(*) FILTER (WHERE quad_class = 1) AS q1,
    count(*) FILTER (WHERE quad_class = 2) AS q2,
    count(*) FILTER (WHERE quad_class = 3) AS q3,
    count(*) FILTER (WHERE quad_class = 4) AS q4
FROM events
WHERE source_iso3 IN (SELECT unnest($sources)) AND target_iso3 IN (SELECT unnest($targets))
    AND event_date BETWEEN $start AND $end {datasets}
GROUP BY 1 ORDER BY 1
"""


@dataclass(frozen=True, slots=True)
class EventSpan:
    """First and last month (``YYYY-MM``) with an event."""

    first: str
    last: str


def _rows(store: Store, sql: str, params: dict[str, Any]) -> list[Row]:
    cur = store.con.execute(sql, params)
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def has_events(store: Store, iso3: str | None = None) -> bool:
    """Whether the store holds coded events (with ``iso3`` as source or target, if given)."""
    if "events" not in table_names(store):
        return False
    if iso3 is None:
        return bool(store.query("SELECT 1 FROM events LIMIT 1"))
    return bool(store.query("SELECT 1 FROM events WHERE source_iso3 = ? OR target_iso3 = ? "
                            "LIMIT 1", [iso3, iso3]))


def event_count(store: Store) -> int:
    """Rows of ``events``."""
    (n,) = store.con.execute("SELECT count(*) FROM events").fetchone() or (0,)
    return int(n)


def event_span(store: Store, members: Collection[str]) -> EventSpan | None:
    """Months of the first and last event with any of ``members`` as source or target."""
    row = store.con.execute(
        "SELECT strftime(min(event_date), '%Y-%m'), strftime(max(event_date), '%Y-%m') "
        "FROM events WHERE source_iso3 IN (SELECT unnest($m)) "
        "OR target_iso3 IN (SELECT unnest($m))", {"m": list(members)}).fetchone()
    if not row or row[0] is None:
        return None
    return EventSpan(str(row[0]), str(row[1]))


def event_files(store: Store) -> list[Row]:
    """Every ingested file (file, file_sha256), by file name."""
    return store.query("SELECT file, file_sha256 FROM event_files ORDER BY file")


def event_inputs(store: Store) -> list[Row]:
    """Files that stored at least one event (file, file_sha256, dataset), by file name."""
    return store.query(
        "SELECT DISTINCT file, file_sha256, dataset FROM event_files WHERE stored > 0 "
        "ORDER BY file")


def events_per_dataset(store: Store, a: Collection[str], b: Collection[str],
                       first: dt.date, last: dt.date) -> dict[str, int]:
    """Events per dataset between ``a`` and ``b`` (both directions), ``first``..``last``."""
    rows = store.con.execute(
        "SELECT dataset, count(*) FROM events WHERE event_date BETWEEN $s AND $e AND ("
        "(source_iso3 IN (SELECT unnest($a)) AND target_iso3 IN (SELECT unnest($b))) OR "
        "(source_iso3 IN (SELECT unnest($b)) AND target_iso3 IN (SELECT unnest($a)))) "
        "GROUP BY 1 ORDER BY 1",
        {"s": first, "e": last, "a": list(a), "b": list(b)}).fetchall()
    return {str(d): int(n) for d, n in rows}


def monthly_sums(store: Store, sources: Sequence[str], targets: Sequence[str],
                 first: dt.date, last: dt.date, datasets: Sequence[str] | None = None
                 ) -> list[Row]:
    """Per month with events from any of ``sources`` to any of ``targets``: ``month``,
    ``events``, ``weight``, ``weighted_goldstein``, ``scored`` and ``q1``..``q4``."""
    params: dict[str, Any] = {"sources": list(sources), "targets": list(targets),
                              "start": first, "end": last}
    extra = ""
    if datasets:
        extra = "AND dataset IN (SELECT unnest($datasets))"
        params["datasets"] = list(datasets)
    return _rows(store, _MONTHLY.format(datasets=extra), params)


def events_for_dyad(store: Store, sources: Collection[str], targets: Collection[str],
                    start: dt.date, end: dt.date, limit: int) -> list[Row]:
    """The ``limit`` strongest (largest |Goldstein|) events from ``sources`` to ``targets``
    with ``start <= event_date < end``."""
    s, t = list(sources), list(targets)
    sp, tp = _marks(s), _marks(t)
    return store.query(
        f"""SELECT event_date, source_actor, target_actor, event_label, cameo_code,
                   goldstein, dataset
            FROM events WHERE source_iso3 IN ({sp}) AND target_iso3 IN ({tp})
            AND event_date >= ? AND event_date < ?
            ORDER BY abs(goldstein) DESC NULLS LAST, event_date LIMIT ?""",
        [*s, *t, start, end, limit])


def export_events_parquet(store: Store, out_dir: Path, columns: Sequence[str]) -> None:
    """Write ``columns`` of ``events`` plus ``year`` to ``out_dir`` as Parquet, one folder
    per year (hive layout), oldest first."""
    known = {r["column_name"] for r in store.query(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'")}
    bad = [c for c in columns if c not in known]
    if bad:
        raise ValueError(f"no column(s) {bad} in events")  # a caller's bug, not user input
    cols = ", ".join(columns)
    target = str(out_dir).replace("'", "''")
    store.con.execute(
        f"COPY (SELECT {cols}, year(event_date) AS year FROM events ORDER BY event_date) "
        f"TO '{target}' (FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE)")


def monthly_class_counts(store: Store, sources: Sequence[str], targets: Sequence[str]
                         ) -> list[Row]:
    """Events from any of ``sources`` to any of ``targets`` per month, CAMEO root (first two
    digits of the code, NULL when uncoded) and QuadClass: ``month``, ``root``, ``quad``, ``n``."""
    return _rows(store, """
        SELECT strftime(event_date, '%Y-%m') AS month, substr(cameo_code, 1, 2) AS root,
               quad_class AS quad, count(*) AS n
        FROM events
        WHERE source_iso3 IN (SELECT unnest($sources)) AND target_iso3 IN (SELECT unnest($targets))
        GROUP BY ALL ORDER BY 1, 2, 3""", {"sources": list(sources), "targets": list(targets)})
