"""Queries for the world balance index: every country's ties in one pass per table."""

from __future__ import annotations

from typing import Any

from tightrope.store.db import Store
from tightrope.store.queries import _marks

__all__ = [
    "all_alliances",
    "all_countries",
    "camp_ties",
    "system_states",
]


def all_countries(store: Store) -> list[dict[str, Any]]:
    """Every Factbook country: iso3, name, ordered by iso3."""
    return store.query("SELECT iso3, name FROM countries ORDER BY iso3")


def all_alliances(store: Store) -> list[dict[str, Any]]:
    """ATOP obligations in force (directed dyads)."""
    return store.query("SELECT a, b, defense, offense, neutral, nonagg, consul, year, source "
                       "FROM alliances")


def system_states(store: Store) -> set[str]:
    """States of the interstate system (those with COW capability figures)."""
    return {r["iso3"] for r in store.query("SELECT DISTINCT iso3 FROM capabilities")}


def camp_ties(store: Store, channels: tuple[str, ...]) -> list[dict[str, Any]]:
    """Curated ties of the given channels (share indicators), every focal country."""
    return store.query(f"SELECT src, dst, channel, indicator, kind, value, low, high, source, "
                       f"tie_year FROM ties WHERE channel IN ({_marks(channels)})",
                       list(channels))

