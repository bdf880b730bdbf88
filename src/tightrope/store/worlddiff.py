"""What changed in the world tables between two loads: countries, borders, trade partners,
memberships and the headline facts (population, GDP, military spending).

A :class:`WorldSnapshot` is read from the store before a load and after it; :func:`diff_world`
compares them. Numbers compare equal when they differ by less than one part in a million.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tightrope.store.db import Store

__all__ = ["Change", "WorldDiff", "WorldSnapshot", "diff_world", "snapshot"]

#: The facts compared, with their unit for the printed line.
FACTS = {"population": "persons", "gdp_usd_bn": "USD bn",
         "military_spending_pct_gdp": "% of GDP", "area_km2": "km²"}


@dataclass(frozen=True)
class WorldSnapshot:
    """The comparable content of the world tables at one moment."""

    countries: dict[str, str] = field(default_factory=dict)
    facts: dict[tuple[str, str], float | None] = field(default_factory=dict)
    borders: dict[tuple[str, str], float | None] = field(default_factory=dict)
    partners: dict[tuple[str, str], tuple[tuple[str, float | None], ...]] = field(
        default_factory=dict)
    memberships: dict[str, frozenset[str]] = field(default_factory=dict)
    origin: str = ""


def _has(store: Store, table: str) -> bool:
    return bool(store.query("SELECT 1 FROM information_schema.tables WHERE table_name = ?",
                            [table]))


def snapshot(store: Store) -> WorldSnapshot:
    """The world tables as they are now (empty when nothing is loaded)."""
    if not _has(store, "countries"):
        return WorldSnapshot()
    countries = {r["iso3"]: r["name"] for r in store.query("SELECT iso3, name FROM countries")}
    facts = {(r["iso3"], r["attribute"]): r["value"] for r in store.query(
        "SELECT iso3, attribute, value FROM country_facts WHERE attribute IN "
        "(SELECT unnest(?))", [list(FACTS)])}
    borders = {(r["a"], r["b"]): r["value"] for r in store.query(
        "SELECT a, b, value FROM borders WHERE a < b")}
    partners: dict[tuple[str, str], list[tuple[str, float | None]]] = {}
    for r in store.query("SELECT iso3, flow, partner, share FROM trade_partners "
                         "ORDER BY iso3, flow, share DESC NULLS LAST, partner"):
        partners.setdefault((r["iso3"], r["flow"]), []).append((r["partner"], r["share"]))
    members: dict[str, set[str]] = {}
    for r in store.query("SELECT iso3, org FROM memberships"):
        members.setdefault(r["iso3"], set()).add(r["org"])
    loads = store.query("SELECT origin FROM loads WHERE dataset = 'world'")
    return WorldSnapshot(countries, facts, borders,
                         {k: tuple(v) for k, v in partners.items()},
                         {k: frozenset(v) for k, v in members.items()},
                         str(loads[0]["origin"]) if loads else "")


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


@dataclass(frozen=True)
class Change:
    """One changed item: its kind, the country (or pair) and the old and new text."""

    kind: str
    where: str
    old: str
    new: str

    def line(self) -> str:
        return f"{self.kind} {self.where}: {self.old} → {self.new}"


@dataclass(frozen=True)
class WorldDiff:
    """Every change, grouped by kind; ``counts`` per kind."""

    changes: list[Change]

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.kind] = out.get(c.kind, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "changes": [c.__dict__ for c in self.changes]}


def _num(v: float | None) -> str:
    """Whole numbers in full with thousands separators, others to six significant digits.

    >>> _num(20432662.0), _num(0.45273), _num(None)
    ('20,432,662', '0.45273', 'unknown')
    """
    if v is None:
        return "unknown"
    if float(v).is_integer() and abs(v) < 1e15:
        return f"{v:,.0f}"
    return f"{v:,.6g}"


def _partners(p: tuple[tuple[str, float | None], ...] | None) -> str:
    if not p:
        return "none"
    return ", ".join(f"{k} {s:.0%}" if s is not None else k for k, s in p)


def _keyed(kind: str, old: dict[Any, Any], new: dict[Any, Any], fmt: Any,
           same: Any = None) -> list[Change]:
    eq = same or (lambda a, b: a == b)
    out = []
    for key in sorted(set(old) | set(new), key=str):
        a, b = old.get(key), new.get(key)
        if key in old and key in new and eq(a, b):
            continue
        where = key if isinstance(key, str) else "–".join(key)
        out.append(Change(kind, where, fmt(a) if key in old else "absent",
                          fmt(b) if key in new else "absent"))
    return out


def diff_world(old: WorldSnapshot, new: WorldSnapshot) -> WorldDiff:
    """The changes from ``old`` to ``new``, countries first, then borders, facts, trade
    partners and memberships."""
    ch = _keyed("country", old.countries, new.countries, lambda v: v)
    ch += _keyed("border", old.borders, new.borders, lambda v: f"{_num(v)} km", _same)
    for attr, unit in FACTS.items():
        ch += _keyed(attr, {k[0]: v for k, v in old.facts.items() if k[1] == attr},
                     {k[0]: v for k, v in new.facts.items() if k[1] == attr},
                     lambda v, u=unit: f"{_num(v)} {u}", _same)
    ch += _keyed("trade partners", old.partners, new.partners, _partners)
    ch += _keyed("memberships", old.memberships, new.memberships,
                 lambda v: ", ".join(sorted(v)) or "none")
    return WorldDiff(ch)
