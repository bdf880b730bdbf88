"""The threat ring: neighbours weighted by border, capability and posture; nearby conflicts.

For each land neighbour n of the focal country:

    b_n = border_km_n / sum border_km                       (CIA World Factbook)
    c_n = mean of the neighbour's share, among the neighbours, of: CINC (COW NMC v7.0, 2022),
          military spending in US$ (Factbook % of GDP x GDP), population, GDP (Factbook)
    h_n = hostility/posture, an analyst assumption in [0, 1] with a range (posture.yaml)
    threat_n = b_n * c_n * h_n / sum_m (b_m * c_m * h_m)

Proximity to conflict: for each conflict in ``conflicts.yaml`` active on the analysis date, the
number of land-border hops from the focal country to the nearest party (0 = a party, 1 = a
neighbour) and the great-circle distance from the focal capital to the fighting.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import deque
from dataclasses import dataclass
from importlib import resources
from typing import Any

from tightrope.ingest.yamlio import parse_structured
from tightrope.store import queries as q
from tightrope.store.db import Store

__all__ = ["ThreatRing", "threat_ring"]


@dataclass
class ThreatRing:
    neighbours: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    as_of: str

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "neighbours": self.neighbours, "conflicts": self.conflicts,
                "formula": "threat_n = b_n * c_n * h_n / sum(b*c*h); b = border share, "
                           "c = mean capability share among neighbours (CINC, military spending, "
                           "population, GDP), h = posture assumption"}


def _yaml(name: str) -> Any:
    text = resources.files("tightrope.data").joinpath("exposure", name).read_text("utf-8")
    return parse_structured(text, f"exposure/{name}").data


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _hops(store: Store, focal: str, targets: set[str], limit: int = 6) -> int | None:
    if focal in targets:
        return 0
    edges: dict[str, set[str]] = {}
    for a, b in q.border_pairs(store):
        edges.setdefault(a, set()).add(b)
        edges.setdefault(b, set()).add(a)
    seen = {focal}
    queue: deque[tuple[str, int]] = deque([(focal, 0)])
    while queue:
        node, d = queue.popleft()
        if d >= limit:
            continue
        for nxt in edges.get(node, ()):
            if nxt in targets:
                return d + 1
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, d + 1))
    return None


def _fact(store: Store, iso3: str, attr: str) -> dict[str, Any] | None:
    return q.fact(store, iso3, attr)


def threat_ring(store: Store, focal: str, as_of: dt.date | None = None) -> ThreatRing:
    """Neighbour threat weights and nearby conflicts for ``focal``."""
    as_of = as_of or dt.date(2025, 1, 1)
    borders = q.borders_of(store, focal)
    posture = _yaml("posture.yaml")
    default = posture["default"]
    mine = posture.get(focal, {})
    names = q.country_names(store)
    rows: list[dict[str, Any]] = []
    for b in borders:
        n = b["b"]
        cinc = q.capabilities_of(store, n)
        gdp = _fact(store, n, "gdp_usd_bn")
        mil = _fact(store, n, "military_spending_pct_gdp")
        pop = _fact(store, n, "population")
        caps = {
            "cinc": cinc[0]["cinc"] if cinc else None,
            "military_usd_bn": gdp["value"] * mil["value"] / 100 if gdp and mil else None,
            "population": pop["value"] if pop else None,
            "gdp_usd_bn": gdp["value"] if gdp else None,
        }
        cap_src = {
            "cinc": {"value": caps["cinc"], "source": cinc[0]["source"] if cinc else None,
                     "year": cinc[0]["year"] if cinc else None},
            "military_usd_bn": {"value": caps["military_usd_bn"],
                                "source": "CIA World Factbook (military spending % x GDP)",
                                "year": mil["year"] if mil else None},
            "population": {"value": caps["population"], "source": "CIA World Factbook",
                           "year": pop["year"] if pop else None},
            "gdp_usd_bn": {"value": caps["gdp_usd_bn"], "source": "CIA World Factbook",
                           "year": gdp["year"] if gdp else None},
        }
        h = mine.get(n, default)
        rows.append({"kind": "derived", "iso3": n, "name": names.get(n, n),
                     "border_km": b["value"], "source": b["source"], "year": b["year"],
                     "_caps": caps, "capability_inputs": cap_src,
                     "posture": {**h, "kind": "assumption", "assessed": n in mine}})
    total_km = sum(r["border_km"] for r in rows) or 1.0
    for key in ("cinc", "military_usd_bn", "population", "gdp_usd_bn"):
        s = sum(r["_caps"][key] or 0 for r in rows)
        for r in rows:
            v = r["_caps"][key]
            r.setdefault("_shares", []).append(v / s if v is not None and s > 0 else None)
    for r in rows:
        r.pop("_caps")
        known = [x for x in r.pop("_shares") if x is not None]
        r["border_share"] = r["border_km"] / total_km
        r["capability_share"] = sum(known) / len(known) if known else None
        c = r["capability_share"] if r["capability_share"] is not None else 0.0
        r["_raw"] = r["border_share"] * c * r["posture"]["value"]
        r["_lo"] = r["border_share"] * c * r["posture"]["low"]
        r["_hi"] = r["border_share"] * c * r["posture"]["high"]
    raw_total = sum(r["_raw"] for r in rows) or 1.0
    for r in rows:
        r["threat_weight"] = r.pop("_raw") / raw_total
        # band: this neighbour at the edge of its posture range, the others at their central value
        lo, hi = r.pop("_lo"), r.pop("_hi")
        others = raw_total - r["threat_weight"] * raw_total
        r["threat_band"] = [lo / (others + lo) if others + lo else 0.0,
                            hi / (others + hi) if others + hi else 0.0]
    rows.sort(key=lambda r: -r["threat_weight"])
    return ThreatRing(rows, _conflicts(store, focal, as_of), as_of.isoformat())


def _conflicts(store: Store, focal: str, as_of: dt.date) -> list[dict[str, Any]]:
    cap = q.capital_of(store, focal)
    out = []
    for c in _yaml("conflicts.yaml")["conflicts"]:
        start, end = c["start"], c["end"]
        active = start <= as_of and (end is None or end >= as_of)
        loc = c["location"]
        dist = (_haversine_km(cap["lat"], cap["lng"], loc["lat"], loc["lon"])
                if cap else None)
        out.append({"kind": "derived", "name": c["name"], "start": start.isoformat(),
                    "end": end.isoformat() if end else None, "active": active,
                    "parties": c["parties"], "border_hops": _hops(store, focal, set(c["parties"])),
                    "distance_km": round(dist) if dist is not None else None,
                    "from": cap["capital"] if cap else None,
                    "source": c["source"], "year": c["year"]})
    out.sort(key=lambda r: (not r["active"], r["border_hops"] if r["border_hops"] is not None
                            else 99, r["distance_km"] or 1e9))
    return out
