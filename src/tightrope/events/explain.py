"""The events behind a change point: what happened in the months around it.

For a change point in a dyad's monthly series, list the coded events of that dyad from the
month before to the month after the break, the strongest first (largest |Goldstein|), and the
curated events (with their sources) of either party within three months. Descriptive: it shows
what the data contain around the break, not a causal claim.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tightrope.store import eventqueries
from tightrope.store.db import Store
from tightrope.store.queries import curated_events_near

__all__ = ["explain_change_points", "explain_panel", "has_events"]


def _month_start(month: str, shift: int) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    m += shift
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return dt.date(y, m, 1)


def explain_change_points(store: Store, source_members: list[str], target_members: list[str],
                          change_points: list[dict[str, Any]], top: int = 5
                          ) -> list[dict[str, Any]]:
    """For each change point: the strongest coded events of the dyad around it and the
    curated events of the parties within three months."""
    out = []
    for cp in change_points:
        start, end = _month_start(cp["month"], -1), _month_start(cp["month"], 2)
        coded = eventqueries.events_for_dyad(store, source_members, target_members, start, end,
                                             top)
        near_start, near_end = _month_start(cp["month"], -3), _month_start(cp["month"], 4)
        curated = curated_events_near(store, [*source_members, *target_members], near_start,
                                      near_end)
        out.append({
            **cp,
            "window": [start.isoformat(), end.isoformat()],
            "coded_events": [{**r, "event_date": r["event_date"].isoformat()} for r in coded],
            "curated_events": [{**r, "date": r["date"].isoformat()} for r in curated],
        })
    return out


def explain_panel(store: Store, panel_dict: dict[str, Any], top: int = 5
                  ) -> list[dict[str, Any]]:
    """Explanations for every change point of every dyad in a panel (``Panel.to_dict()``)."""
    out = []
    for t in panel_dict["temperatures"]:
        for side, src, dst in (("focal_to_power", "focal_members", "power_members"),
                               ("power_to_focal", "power_members", "focal_members")):
            s = t[side]
            for x in explain_change_points(store, t[src], t[dst], s["change_points"], top):
                out.append({"dyad": f"{s['source']} → {s['target']}", **x})
    return out


def has_events(store: Store, iso3: str) -> bool:
    """Whether the store holds coded events with ``iso3`` as source or target."""
    return eventqueries.has_events(store, iso3)
