"""Build a :class:`Profile` for one country from the store.

The JSON form (``Profile.to_json``) is a stable, documented schema (``docs/schemas/profile.md``,
version ``PROFILE_SCHEMA``): later fields may be added, existing ones keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from tightrope.errors import StoreError
from tightrope.store import queries as q
from tightrope.store.db import Store

__all__ = ["PROFILE_SCHEMA", "Profile", "build_profile"]

PROFILE_SCHEMA: Final = "tightrope.profile/1"


def _value(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: row[k] for k in ("kind", "value", "unit", "source", "year") if k in row
    }
    out["where"] = row.get("where_read")
    if row.get("kind") == "unknown":
        out["reason"] = row.get("note")
    elif row.get("low") != row.get("high"):
        out["low"], out["high"] = row["low"], row["high"]
    if row.get("note") and row.get("kind") != "unknown":
        out["note"] = row["note"]
    return out


@dataclass
class Profile:
    """Everything the store knows about one country, each figure with its provenance."""

    iso3: str
    name: str
    iso2: str | None
    facts: dict[str, dict[str, Any]]
    borders: list[dict[str, Any]]
    seas: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    trade: dict[str, list[dict[str, Any]]]
    ethnic_groups: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    ties: list[dict[str, Any]]
    events: list[dict[str, Any]]
    parse_issues: list[dict[str, Any]]
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def littoral_states(self) -> list[str]:
        """ISO3 codes of the states on the shared seas whose littoral list is curated (a treaty
        source, e.g. the Caspian), the country itself included. Seas known only from Factbook
        coastline notes (the desiccated Aral Sea) are in ``seas`` but not in this list."""
        shared = [s for s in self.seas if len(s["littoral_states"]) > 1 and s["curated"]]
        return sorted({c for s in shared for c in s["littoral_states"]})

    def unknowns(self) -> list[dict[str, Any]]:
        out = [
            {"field": k, "reason": v.get("reason")}
            for k, v in self.facts.items()
            if v["kind"] == "unknown"
        ]
        out += [
            {
                "field": f"ties.{t['channel']}.{t['indicator']}.{t['to']}",
                "reason": t["value"].get("reason"),
            }
            for t in self.ties
            if t["value"]["kind"] == "unknown"
        ]
        out += [
            {
                "field": f"coastline.{s['sea']}.shoreline_km.{c['iso3']}",
                "reason": c["shoreline_km"].get("reason"),
            }
            for s in self.seas
            for c in s["shorelines"]
            if c["shoreline_km"]["kind"] == "unknown"
        ]
        return out

    def to_json(self) -> dict[str, Any]:
        total = sum(b["length_km"] for b in self.borders)
        own = self.facts.get("land_boundaries_km", {})
        if own.get("kind") == "fact":
            # the Factbook's own total; the note says when the listed borders sum to another
            borders_total = {"value": own["value"], "formula": "the Factbook's own total",
                             "parts_sum_km": total, "source": own["source"],
                             "year": own["year"], "note": own.get("note", "")}
        else:
            borders_total = {"value": total, "formula": "sum of borders[].length_km",
                             "source": self.borders[0]["source"] if self.borders else None,
                             "year": self.borders[0]["year"] if self.borders else None}
        return {
            "schema": PROFILE_SCHEMA,
            "country": {"iso3": self.iso3, "name": self.name, "iso2": self.iso2},
            **self.facts,
            "borders": self.borders,
            "borders_total_km": borders_total,
            "coastline": {
                "seas": self.seas,
                "littoral_states": self.littoral_states,
                "co_littoral_states": [c for c in self.littoral_states if c != self.iso3],
            },
            "memberships": self.memberships,
            "trade": self.trade,
            "ethnic_groups": self.ethnic_groups,
            "resources": self.resources,
            "ties": self.ties,
            "events": self.events,
            "unknowns": self.unknowns(),
            "parse_issues": self.parse_issues,
            **self.extras,
        }


def build_profile(store: Store, iso3: str) -> Profile:
    """The profile of ``iso3`` (already resolved). Raises StoreError if the store is empty."""
    if not store.is_loaded("world"):
        raise StoreError(f"{store.path}: the store is empty; run 'tightrope data load'")
    c = q.country(store, iso3)
    if c is None:
        raise StoreError(f"{store.path}: no country {iso3} in the store")
    names = q.country_names(store) | q.bloc_names(store)
    names["WLD"] = "World (totals)"
    facts = {
        r["attribute"]: _value(r)
        for r in q.facts_for(store, iso3)
    }
    borders = [
        {
            "iso3": r["b"],
            "name": names.get(r["b"], r["b"]),
            "length_km": r["value"],
            "source": r["source"],
            "year": r["year"],
            "where": r["where_read"],
            **({"note": r["note"]} if r["note"] else {}),
        }
        for r in q.borders_of(store, iso3)
    ]
    seas = []
    for sea in q.seas_of(store, iso3):
        members = q.sea_shores(store, sea)
        lit_src = next((m["littoral_source"] for m in members if m["littoral_source"]), None)
        lit_year = next((m["littoral_year"] for m in members if m["littoral_year"]), None)
        seas.append(
            {
                "sea": sea,
                "shoreline_km": _value(next(m for m in members if m["iso3"] == iso3)),
                "littoral_states": [m["iso3"] for m in members],
                "curated": lit_src is not None,
            "littoral_source": lit_src or "CIA World Factbook (coastline notes)",
                "littoral_year": lit_year or next((m["year"] for m in members if m["year"]), None),
                "shorelines": [{"iso3": m["iso3"], "shoreline_km": _value(m)} for m in members],
            }
        )
    memberships = [
        {k: r[k] for k in ("org", "kind", "status", "joined", "source", "year")}
        | ({"note": r["note"]} if r["note"] else {})
        for r in q.memberships_of(store, iso3)
    ]
    trade: dict[str, list[dict[str, Any]]] = {"exports": [], "imports": []}
    for r in q.trade_partners_of(store, iso3):
        trade[r["flow"]].append(
            {
                "iso3": r["partner"],
                "name": names.get(r["partner"]),
                "share": r["share"],
                "source": r["source"],
                "year": r["year"],
            }
            # a store loaded before corrections were read has no note column
            | ({"note": r["note"]} if r.get("note") else {})
        )
    # a store loaded before bounds were read has no such columns ('data load' adds them)
    ethnic = [
        {"group": r["grp"], "share": r["share"], "low": r.get("low"), "high": r.get("high"),
         "note": r.get("note"), "source": r["source"], "year": r["year"]}
        for r in q.ethnic_groups_of(store, iso3)
    ]
    resources = [
        {"name": r["name"], "source": r["source"], "year": r["year"]}
        for r in q.resources_of(store, iso3)
    ]
    ties = [
        {
            "to": r["dst"],
            "to_name": names.get(r["dst"], r["dst"]),
            "channel": r["channel"],
            "indicator": r["indicator"],
            "year": r["tie_year"],
            "value": _value(r) | ({"rationale": r["rationale"]} if r["rationale"] else {}),
        }
        for r in q.ties_from(store, iso3)
    ]
    events = [
        {
            "date": r["date"].isoformat(),
            "actor": r["actor"],
            "target": r["target"],
            "description": r["description"],
            "source": r["source"],
            "year": r["year"],
        }
        for r in q.curated_events_of(store, iso3)
    ]
    issues = [
        {k: r[k] for k in ("file", "field", "reason")}
        for r in q.parse_issues_of(store, iso3)
    ]
    return Profile(
        iso3,
        c["name"],
        c["iso2"],
        facts,
        borders,
        seas,
        memberships,
        trade,
        ethnic,
        resources,
        ties,
        events,
        issues,
    )
