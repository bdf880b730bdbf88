"""Relation temperature: the monthly dyadic event series between a focal state and a power.

``temperature(store, "KAZ", "RUS", "2005-01", "2015-12")`` returns both directions (focal ->
power and power -> focal) as :class:`~tightrope.events.series.DyadSeries`: event counts,
mentions-weighted mean Goldstein scores, QuadClass shares, a smoothed series and change points
(formulas in :mod:`tightrope.events.series`, method in :mod:`tightrope.events.changepoints`).
A power may be a bloc of the store's ``blocs`` table (``EUU``: the member states and the EU's
own institutions). ``panel`` does the same for several powers. ``engine="dask"`` computes the
monthly sums from a Parquet export with Dask (:mod:`tightrope.events.scale`) instead of DuckDB.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tightrope.errors import DataUnavailableError, InputError, StoreError
from tightrope.events.aggregate import duckdb_monthly
from tightrope.events.changepoints import ChangePointParams
from tightrope.events.months import MonthRange
from tightrope.events.series import DyadSeries, MonthlyAggregate, build_series
from tightrope.ingest.codes import country_codes
from tightrope.manifest import Input, Manifest
from tightrope.store.db import Store
from tightrope.store.eventqueries import event_inputs, event_span, events_per_dataset
from tightrope.store.events import ensure_events_schema
from tightrope.store.queries import bloc_members

__all__ = ["DEFAULT_POWERS", "ENGINES", "Panel", "Party", "Temperature", "panel", "resolve_party",
           "temperature"]

#: Powers of ``tightrope events panel`` when none are given.
DEFAULT_POWERS = ("RUS", "CHN", "USA", "EUU", "TUR", "IRN")
ENGINES = ("duckdb", "dask")


@dataclass(frozen=True, slots=True)
class Party:
    """A state or a bloc: its code and the actor codes that count as it."""

    code: str
    members: tuple[str, ...]


def resolve_party(store: Store, code: str) -> Party:
    """A country (name, ISO2 or ISO3) or a bloc code of the store's ``blocs`` table."""
    up = code.strip().upper()
    members = bloc_members(store, up)
    if members:
        return Party(up, (up, *members))
    if up == "EUU" and not store.is_loaded("world"):
        raise StoreError("bloc membership (EUU) needs the world data: run 'tightrope data load'")
    iso3 = country_codes().resolve(code)
    return Party(iso3, (iso3,))


@dataclass(frozen=True)
class Temperature:
    """Both directions of one dyad over a month range, with parameters and a manifest."""

    focal: Party
    power: Party
    months: MonthRange
    outbound: DyadSeries
    inbound: DyadSeries
    parameters: dict[str, Any]
    manifest: Manifest = field(default_factory=lambda: Manifest("events.temperature"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "focal": self.focal.code, "power": self.power.code,
            "focal_members": list(self.focal.members), "power_members": list(self.power.members),
            "from": self.months.start, "to": self.months.end,
            "focal_to_power": self.outbound.to_dict(), "power_to_focal": self.inbound.to_dict(),
            "parameters": self.parameters, "manifest": self.manifest.to_dict(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Panel:
    """Temperatures of one focal state with several powers."""

    focal: Party
    results: tuple[Temperature, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"focal": self.focal.code, "powers": [r.power.code for r in self.results],
                "temperatures": [r.to_dict() for r in self.results]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, default=str)


def _data_months(store: Store, focal: Party) -> MonthRange:
    span = event_span(store, focal.members)
    if span is None:
        raise DataUnavailableError(
            f"no events involving {focal.code} in {store.path}; run 'tightrope events ingest'")
    return MonthRange(span.first, span.last)


def _inputs(store: Store) -> list[dict[str, Any]]:
    return event_inputs(store)


def _datasets(store: Store, a: Party, b: Party, months: MonthRange) -> dict[str, int]:
    """Events per dataset in the dyad (both directions) over the range."""
    return events_per_dataset(store, a.members, b.members, months.first_day, months.last_day)


def _monthly(
    store: Store, engine: str, parquet: Path | None, client: Any,
    src: Party, dst: Party, months: MonthRange, datasets: Sequence[str] | None,
) -> MonthlyAggregate:
    if engine == "duckdb":
        rows = duckdb_monthly(store, src.members, dst.members, months, datasets)
    else:
        from tightrope.events.scale import dask_monthly

        if parquet is None:
            raise InputError("the dask engine needs a Parquet export of the events",
                             expected="a Parquet folder written by 'tightrope events "
                             "export-parquet'")
        rows = dask_monthly(parquet, src.members, dst.members, months, datasets, client=client)
    return MonthlyAggregate.from_rows(rows, months.months())


def temperature(
    store: Store,
    focal: str,
    power: str,
    start: str | None = None,
    end: str | None = None,
    *,
    window: int = 3,
    change_points: ChangePointParams | None = None,
    datasets: Sequence[str] | None = None,
    engine: str = "duckdb",
    parquet: Path | None = None,
    client: Any = None,
) -> Temperature:
    """Monthly temperature of focal -> power and power -> focal.

    Units: counts of events; Goldstein scores on the -10 (most conflictual) ... +10 (most
    cooperative) scale; shares in [0, 1]. ``start``/``end`` are 'YYYY-MM' (default: the months
    of the focal state's events in the store). ``window`` is the trailing smoothing window in
    months. References: see :mod:`tightrope.events.series` and
    :mod:`tightrope.events.changepoints`.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", expected=" or ".join(ENGINES))
    if window < 1:
        raise InputError(f"smoothing window {window} is not a number of months",
                         expected="an integer >= 1")
    ensure_events_schema(store.con)
    a, b = resolve_party(store, focal), resolve_party(store, power)
    if a.code == b.code:
        raise InputError(f"focal and power are both {a.code}", expected="two different parties")
    if start is None or end is None:
        span = _data_months(store, a)
        months = MonthRange(start or span.start, end or span.end)
    else:
        months = MonthRange(start, end)
    cp = change_points or ChangePointParams()
    out = build_series(_monthly(store, engine, parquet, client, a, b, months, datasets),
                       a.code, b.code, window=window, change_points=cp)
    back = build_series(_monthly(store, engine, parquet, client, b, a, months, datasets),
                        b.code, a.code, window=window, change_points=cp)
    params = {"window_months": window, "change_points": {
        "method": "ruptures.Pelt(model='l2', jump=1)", "min_size": cp.min_size,
        "penalty": cp.penalty if cp.penalty is not None else "2*sigma^2*ln(n), sigma from MAD",
        "min_months": cp.min_months}, "datasets": list(datasets) if datasets else "all",
        "weights": "max(NumMentions, 1) where present, else 1"}
    where: dict[str, Any] = {"engine": engine}
    inputs: tuple[Input, ...] = ()
    if engine == "duckdb":
        rows = _inputs(store)
        inputs = tuple(Input(r["file"], r["file_sha256"]) for r in rows)
        where.update(store=str(store.path), datasets={r["file"]: r["dataset"] for r in rows},
                     dyad_events_by_dataset=_datasets(store, a, b, months))
    else:
        where.update(parquet=str(parquet))
    manifest = Manifest("events.temperature", inputs, parameters={**params, **where})
    return Temperature(a, b, months, out, back, params, manifest)


def panel(
    store: Store,
    focal: str,
    powers: Sequence[str] = DEFAULT_POWERS,
    start: str | None = None,
    end: str | None = None,
    **options: Any,
) -> Panel:
    """:func:`temperature` of ``focal`` with each power, over one common month range."""
    if not powers:
        raise InputError("no powers given", expected="e.g. RUS,CHN,USA,EUU,TUR,IRN")
    ensure_events_schema(store.con)
    a = resolve_party(store, focal)
    if start is None or end is None:
        span = _data_months(store, a)
        start, end = start or span.start, end or span.end
    return Panel(a, tuple(temperature(store, focal, p, start, end, **options) for p in powers))
