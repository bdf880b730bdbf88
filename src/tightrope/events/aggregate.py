"""Monthly sums of one dyad direction, from the DuckDB store (the embedded default engine).

The same sums are computed over Parquet by :func:`tightrope.events.scale.dask_monthly`; both
return rows with :data:`tightrope.events.series.AGG_COLUMNS` and must agree exactly on counts.
Weights: ``w = max(coalesce(num_mentions, 1), 1)`` for events with a Goldstein score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tightrope.events.months import MonthRange
from tightrope.store.db import Store

__all__ = ["MONTHLY_SQL", "duckdb_monthly"]

MONTHLY_SQL = """
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


def duckdb_monthly(
    store: Store,
    sources: Sequence[str],
    targets: Sequence[str],
    months: MonthRange,
    datasets: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Monthly sums of events from any of ``sources`` to any of ``targets`` (ISO3 codes)."""
    params: dict[str, Any] = {
        "sources": list(sources), "targets": list(targets),
        "start": months.first_day, "end": months.last_day,
    }
    extra = ""
    if datasets:
        extra = "AND dataset IN (SELECT unnest($datasets))"
        params["datasets"] = list(datasets)
    cur = store.con.execute(MONTHLY_SQL.format(datasets=extra), params)
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
