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
from tightrope.store.eventqueries import monthly_sums

__all__ = ["duckdb_monthly"]


def duckdb_monthly(
    store: Store,
    sources: Sequence[str],
    targets: Sequence[str],
    months: MonthRange,
    datasets: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Monthly sums of events from any of ``sources`` to any of ``targets`` (ISO3 codes)."""
    return monthly_sums(store, sources, targets, months.first_day, months.last_day, datasets)
