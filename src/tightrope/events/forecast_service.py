"""``dyad_forecast(store, "KAZ", "RUS")``: the class forecast of a dyad from the store's events.

The history runs from the dyad's first month with an event (either direction) to the last
month with an event of either party (with anyone); the forecast months follow it. Model and
intervals: :mod:`tightrope.events.forecast_dyad`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tightrope._types import FloatArray
from tightrope.errors import DataUnavailableError, ParameterError
from tightrope.events.forecast_dyad import (
    DEFAULT_PARAMS,
    QUAD_NAMES,
    ROOTS,
    DyadForecast,
    DyadForecastParams,
    class_forecast,
    require_events,
)
from tightrope.events.months import MonthRange
from tightrope.events.temperature import resolve_party
from tightrope.ingest.cameo import cameo_table
from tightrope.manifest import Manifest
from tightrope.store.db import Store
from tightrope.store.eventqueries import event_span, has_events, monthly_class_counts

__all__ = ["MAX_MONTHS", "direction_counts", "dyad_forecast", "forecast_block"]

#: Longest forecast horizon, months.
MAX_MONTHS = 24


def direction_counts(store: Store, sources: Sequence[str], targets: Sequence[str]
                     ) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Per month: QuadClass counts (4) and CAMEO root counts (20) from sources to targets."""
    quad: dict[str, FloatArray] = {}
    root: dict[str, FloatArray] = {}
    for row in monthly_class_counts(store, sources, targets):
        m, n = str(row["month"]), float(row["n"])
        if row["quad"] is not None and 1 <= int(row["quad"]) <= 4:
            quad.setdefault(m, np.zeros(4))[int(row["quad"]) - 1] += n
        if row["root"] in ROOTS:
            root.setdefault(m, np.zeros(len(ROOTS)))[ROOTS.index(str(row["root"]))] += n
    return quad, root


def dyad_forecast(store: Store, a: str, b: str, months: int = 3,
                  params: DyadForecastParams = DEFAULT_PARAMS) -> DyadForecast:
    """Forecast both directions of the dyad ``a``-``b`` for ``months`` months."""
    if not 1 <= months <= MAX_MONTHS:
        raise ParameterError("months ahead", months, f"a whole number 1 to {MAX_MONTHS}")
    pa, pb = resolve_party(store, a), resolve_party(store, b)
    if not has_events(store):
        raise DataUnavailableError(
            f"no coded events in the store at {store.path}; load event files (GDELT, ICEWS) "
            "with 'tightrope events ingest FILE…' first")
    ab = direction_counts(store, pa.members, pb.members)
    ba = direction_counts(store, pb.members, pa.members)
    n = int(sum(v.sum() for v in ab[0].values()) + sum(v.sum() for v in ba[0].values()))
    require_events(pa.code, pb.code, n, str(store.path))
    seen = sorted(set(ab[0]) | set(ba[0]))
    # the history ends with the last month of data on either party, not only on the dyad
    span = event_span(store, (*pa.members, *pb.members))
    history = MonthRange(seen[0], max(seen[-1], span.last if span else seen[-1]))
    names = cameo_table()
    root_labels = []
    for r in ROOTS:
        c = names.get(r)
        root_labels.append(c.name.capitalize() if c else r)
    quad_classes = tuple(str(q) for q in QUAD_NAMES)
    quad_labels = tuple(QUAD_NAMES.values())
    quad = (class_forecast(pa.code, pb.code, ab[0], history, quad_classes, quad_labels,
                           params, months),
            class_forecast(pb.code, pa.code, ba[0], history, quad_classes, quad_labels,
                           params, months))
    root = (class_forecast(pa.code, pb.code, ab[1], history, ROOTS, root_labels, params, months),
            class_forecast(pb.code, pa.code, ba[1], history, ROOTS, root_labels, params, months))
    return DyadForecast(pa.code, pb.code, history, quad, root, params,
                        Manifest("events.forecast", parameters={
                            "a": pa.code, "b": pb.code, "months": months,
                            "half_life_months": params.half_life_months,
                            "prior_events": params.prior_events, "level": params.level}))


def forecast_block(store: Store, focal: str, powers: Sequence[str]) -> list[dict[str, object]]:
    """Next month's QuadClass forecast of ``focal`` with each power, both directions, for a
    page or a briefing: one row per direction, or one row with a ``note`` when the store holds
    too little for that dyad."""
    rows: list[dict[str, object]] = []
    for p in powers:
        try:
            f = dyad_forecast(store, focal, p, 1)
        except DataUnavailableError as e:
            rows.append({"dyad": f"{focal}-{p}", "note": e.one_line()})
            continue
        for q in f.quad:
            rows.append({"dyad": f"{focal}-{p}", "direction": f"{q.source}→{q.target}",
                         "month": q.months[0], "events_in_history": q.events,
                         "classes": [{"label": lab, "p": round(float(q.p[0, j]), 3),
                                      "lo": round(float(q.lo[0, j]), 3),
                                      "hi": round(float(q.hi[0, j]), 3),
                                      "base_rate": round(float(q.base[j]), 3)}
                                     for j, lab in enumerate(q.labels)]})
    return rows
