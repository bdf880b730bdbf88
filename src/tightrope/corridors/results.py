"""Result objects of the corridor service, each with ``to_json()`` (schemas in ``SCHEMAS``).

Numbers in the JSON are central values (every uncertain figure at its central value) with,
where a Monte Carlo ran, a 5-95% band. Units are in the key names: ``teu`` per year,
``usd_per_feu``, ``days``, ``usd`` per year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from tightrope.corridors.analysis import FOCAL
from tightrope.corridors.engine import Evaluation, Metrics, bands, rng_description
from tightrope.corridors.model import ModelAssumptions
from tightrope.corridors.network import CORRIDOR_NAMES, Network, Node
from tightrope.corridors.scenarios import Scenario
from tightrope.manifest import Input, Manifest

__all__ = ["SCHEMAS", "DisruptionResult", "FlowResult", "RouteOption", "RouteResult",
           "corridor_manifest", "num"]

SCHEMAS: Final = {
    "route": "tightrope.corridors.route/1",
    "flows": "tightrope.corridors.flows/1",
    "disrupt": "tightrope.corridors.disrupt/2",
    "backtest": "tightrope.corridors.backtest/2",
}


def num(x: float | None, nd: int = 1) -> float | None:
    """Rounded, with NaN and infinities as None (JSON has neither)."""
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), nd)


def corridor_manifest(command: str, data_sha256: str, method: str = "",
                      scenarios: tuple[str, ...] = (), seed: int | None = None, runs: int = 0,
                      parameters: dict[str, Any] | None = None) -> Manifest:
    """The manifest of a corridor result: the shipped data files' hash is the input; method,
    scenarios and runs are parameters; a seed only when Monte Carlo runs were made."""
    return Manifest(f"corridors.{command}",
                    (Input("tightrope corridor data files", data_sha256),),
                    seed if runs else None, rng_description() if runs else None,
                    {"method": method or None, "scenarios": list(scenarios), "runs": runs,
                     **(parameters or {})})


def _band(metrics: Metrics | None, key: str, nd: int = 1) -> list[float | None] | None:
    if not metrics or key not in metrics:
        return None
    lo, _, hi = bands(metrics[key])
    return [num(lo, nd), num(hi, nd)]


def _dband(pre: Metrics | None, post: Metrics | None, key: str, nd: int = 1
           ) -> list[float | None] | None:
    if not pre or not post or key not in pre:
        return None
    lo, _, hi = bands(post[key] - pre[key])
    return [num(lo, nd), num(hi, nd)]


@dataclass(frozen=True)
class RouteOption:
    """One of the k best routes between two nodes, for one FEU."""

    rank: int
    nodes: tuple[Node, ...]
    edges: tuple[str, ...]
    corridor: str
    modes: tuple[str, ...]
    countries: tuple[str, ...]
    gauge_breaks: int
    mode_changes: int
    distance_km: float
    days: tuple[float, float, float]
    freight_usd: tuple[float, float, float]
    risk_usd: float
    time_value_usd: float
    gc_usd: float
    closed_edges: tuple[str, ...] = ()
    #: the drawn line, (lat, lon) points along every leg's waypoints on great circles
    path: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d, f = self.days, self.freight_usd
        return {
            "rank": self.rank, "route": [n.name for n in self.nodes],
            "nodes": [n.id for n in self.nodes], "edges": list(self.edges),
            "corridor": self.corridor, "corridor_name": CORRIDOR_NAMES.get(self.corridor),
            "modes": list(self.modes), "countries": list(self.countries),
            "gauge_breaks": self.gauge_breaks, "mode_changes": self.mode_changes,
            "distance_km": round(self.distance_km),
            "days": {"value": num(d[0]), "low": num(d[1]), "high": num(d[2])},
            "freight_usd_per_feu": {"value": num(f[0], 0), "low": num(f[1], 0),
                                    "high": num(f[2], 0)},
            "risk_premium_usd_per_feu": num(self.risk_usd, 0),
            "time_value_usd_per_feu": num(self.time_value_usd, 0),
            "generalised_cost_usd_per_feu": num(self.gc_usd, 0),
            "path": [[lon, lat] for lat, lon in self.path],
        }


@dataclass
class RouteResult:
    """The k best routes from one node to another by generalised cost per FEU."""

    origin: Node
    destination: Node
    vot_usd_per_feu_day: float
    options: list[RouteOption]
    scenarios: tuple[Scenario, ...]
    manifest: Manifest
    sources: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMAS["route"], "origin": self.origin.to_dict(),
            "destination": self.destination.to_dict(),
            "value_of_time_usd_per_feu_day": self.vot_usd_per_feu_day,
            "formula": "generalised cost = freight + value of time x days + risk premium "
                       "(per FEU, summed over edges); bands: every edge at its low / high",
            "scenarios": [s.to_dict() for s in self.scenarios],
            "routes": [o.to_dict() for o in self.options],
            "sources": self.sources, "manifest": self.manifest.to_dict(),
        }


@dataclass
class FlowResult:
    """Demand assigned to the network: corridors, countries, Kazakhstan's transit and revenue."""

    network: Network
    model: ModelAssumptions
    evaluation: Evaluation
    manifest: Manifest
    metrics: Metrics | None = None

    @property
    def summary(self) -> Any:
        return self.evaluation.summary

    def transit_teu(self, iso3: str = FOCAL) -> float:
        """TEU per year on routes that cross the country (central values)."""
        return float(self.summary.country_teu.get(iso3, 0.0))

    def revenue_usd(self, iso3: str = FOCAL) -> float:
        """Transit revenue retained by the country, US$ per year (central values)."""
        return float(self.summary.country_revenue_usd.get(iso3, 0.0))

    def corridor_rows(self) -> list[dict[str, Any]]:
        s = self.summary
        per: dict[str, list[float]] = {}
        for r in s.routes:
            acc = per.setdefault(r.corridor, [0.0, 0.0, 0.0])
            acc[0] += r.teu
            acc[1] += r.teu * r.days
            acc[2] += r.teu * r.freight_usd
        rows = []
        for c, name in CORRIDOR_NAMES.items():
            teu = s.corridor_teu.get(c, 0.0)
            if teu <= 0 and not (self.metrics and np.any(self.metrics[f"corridor.{c}"] > 0)):
                continue
            t, dd, ff = per.get(c, [0.0, 0.0, 0.0])
            rows.append({"corridor": c, "name": name, "teu": num(teu, 0),
                         "share": num(teu / s.served_teu if s.served_teu else 0.0, 4),
                         "teu_band": _band(self.metrics, f"corridor.{c}", 0),
                         "mean_days": num(dd / t) if t else None,
                         "mean_freight_usd_per_feu": num(ff / t, 0) if t else None})
        return rows

    def country_rows(self) -> list[dict[str, Any]]:
        s = self.summary
        isos = sorted(set(s.country_teu) | set(s.country_revenue_usd),
                      key=lambda c: -s.country_revenue_usd.get(c, 0.0))
        return [{"iso3": c, "teu": num(s.country_teu.get(c, 0.0), 0),
                 "revenue_usd": num(s.country_revenue_usd.get(c, 0.0), 0),
                 "revenue_band_usd": _band(self.metrics, f"revenue.{c}", 0)} for c in isos]

    def focal(self) -> dict[str, Any]:
        teu, rev = self.transit_teu(), self.revenue_usd()
        return {"iso3": FOCAL, "transit_teu": num(teu, 0),
                "transit_teu_band": _band(self.metrics, f"teu.{FOCAL}", 0),
                "revenue_usd": num(rev, 0),
                "revenue_band_usd": _band(self.metrics, f"revenue.{FOCAL}", 0),
                "revenue_per_transit_feu_usd": num(rev / (teu / 2), 0) if teu > 0 else None,
                "formula": "sum over Kazakh legs of FEU x freight per FEU x Kazakhstan's share "
                           "of the leg x domestic retention (an assumption, see model)"}

    def to_json(self) -> dict[str, Any]:
        s = self.summary
        ev = self.evaluation
        return {
            "schema": SCHEMAS["flows"], "method": s.method,
            "demand": {**self.model.demand_dict(), "value": s.demand_teu},
            "served_teu": num(s.served_teu, 0), "unserved_teu": num(s.unserved_teu, 0),
            "mean_days": num(s.mean_days, 2), "mean_days_band": _band(self.metrics, "mean_days", 2),
            "mean_freight_usd_per_feu": num(s.mean_freight_usd, 0),
            "mean_freight_band": _band(self.metrics, "mean_freight_usd", 0),
            "corridors": self.corridor_rows(),
            "by_class": {k: {c: num(v, 0) for c, v in d.items()}
                         for k, d in s.class_corridor_teu.items()},
            "focal": self.focal(), "countries": self.country_rows(),
            "routes": [r.to_dict(self.network) for r in s.routes[:15]],
            "edges": [{"id": e.id, "teu": num(float(s.edge_teu[i]), 0),
                       "capacity_teu": num(float(ev.state.capacity[i]), 0),
                       "open": bool(ev.state.open[i])}
                      for i, e in enumerate(self.network.edges)],
            "scenarios": [sc.to_dict() for sc in ev.scenarios],
            "effects": [e.to_dict() for e in ev.effects.values()],
            "cargo_classes": [{"name": c.name, "share": c.share,
                               "vot_usd_per_feu_day": c.vot_usd_per_feu_day}
                              for c in ev.draw.classes],
            "assumptions": self.model.assumptions(),
            "sources": self.sources(),
            "manifest": self.manifest.to_dict(),
        }

    def sources(self) -> list[dict[str, Any]]:
        """Sources behind the demand, the edges that carry flow and the scenarios."""
        net = self.network
        used = [e for i, e in enumerate(net.edges) if self.summary.edge_teu[i] > 0]
        keys = sorted({k for e in used for k in (e.rule, e.capacity_teu.basis)})
        ids = [self.model.demand.provenance.source]
        ids += [sid for sc in self.evaluation.scenarios for sid in sc.sources]
        out = {s.id: s.to_dict() for s in net.sources_for(keys)}
        for sid in ids:
            if sid in net.sources:
                out.setdefault(sid, net.sources[sid].to_dict())
        return list(out.values())


@dataclass
class DisruptionResult:
    """Baseline and disrupted allocations, their differences and who gains, with bands."""

    baseline: FlowResult
    disrupted: FlowResult
    scenarios: tuple[Scenario, ...]
    manifest: Manifest
    pre: Metrics | None = None
    post: Metrics | None = None
    market: Any = None  # tightrope.corridors.impact.MarketImpact (imported lazily)

    def delta_revenue_usd(self, iso3: str = FOCAL) -> float:
        return self.disrupted.revenue_usd(iso3) - self.baseline.revenue_usd(iso3)

    def delta_transit_teu(self, iso3: str = FOCAL) -> float:
        return self.disrupted.transit_teu(iso3) - self.baseline.transit_teu(iso3)

    def corridor_deltas(self) -> list[dict[str, Any]]:
        b, d = self.baseline.summary, self.disrupted.summary
        rows = []
        for c, name in CORRIDOR_NAMES.items():
            x0, x1 = b.corridor_teu.get(c, 0.0), d.corridor_teu.get(c, 0.0)
            if x0 <= 0 and x1 <= 0:
                continue
            rows.append({"corridor": c, "name": name, "baseline_teu": num(x0, 0),
                         "disrupted_teu": num(x1, 0), "change_teu": num(x1 - x0, 0),
                         "change_pct": num(100 * (x1 / x0 - 1), 1) if x0 > 0 else None,
                         "change_band_teu": _dband(self.pre, self.post, f"corridor.{c}", 0)})
        return rows

    def penalties(self) -> dict[str, Any]:
        b, d = self.baseline.summary, self.disrupted.summary
        return {
            "mean_days": {"baseline": num(b.mean_days, 2), "disrupted": num(d.mean_days, 2),
                          "change": num(d.mean_days - b.mean_days, 2),
                          "change_band": _dband(self.pre, self.post, "mean_days", 2)},
            "mean_freight_usd_per_feu": {
                "baseline": num(b.mean_freight_usd, 0), "disrupted": num(d.mean_freight_usd, 0),
                "change": num(d.mean_freight_usd - b.mean_freight_usd, 0),
                "change_band": _dband(self.pre, self.post, "mean_freight_usd", 0)},
            "unserved_teu": {"baseline": num(b.unserved_teu, 0),
                             "disrupted": num(d.unserved_teu, 0),
                             "change_band": _dband(self.pre, self.post, "unserved_teu", 0)},
        }

    def who_gains(self) -> list[dict[str, Any]]:
        """Countries by change of transit revenue (largest gain first)."""
        b, d = self.baseline.summary, self.disrupted.summary
        isos = set(b.country_revenue_usd) | set(d.country_revenue_usd)
        net, model = self.baseline.network, self.baseline.model
        role = {net.node(n).iso3: "destination" for n in model.destinations}
        role.update({net.node(n).iso3: "origin" for n in model.origins})
        rows = []
        for c in isos:
            r0, r1 = b.country_revenue_usd.get(c, 0.0), d.country_revenue_usd.get(c, 0.0)
            t0, t1 = b.country_teu.get(c, 0.0), d.country_teu.get(c, 0.0)
            if abs(r1 - r0) < 1 and abs(t1 - t0) < 1:
                continue
            rows.append({"iso3": c, "role": role.get(c, "transit"),
                         "revenue_change_usd": num(r1 - r0, 0),
                         "revenue_change_band_usd": _dband(self.pre, self.post, f"revenue.{c}", 0),
                         "baseline_revenue_usd": num(r0, 0), "disrupted_revenue_usd": num(r1, 0),
                         "teu_change": num(t1 - t0, 0), "baseline_teu": num(t0, 0),
                         "disrupted_teu": num(t1, 0)})
        rows.sort(key=lambda r: -(r["revenue_change_usd"] or 0))
        return rows

    def focal(self) -> dict[str, Any]:
        return {"iso3": FOCAL, "transit_teu_change": num(self.delta_transit_teu(), 0),
                "transit_teu_change_band": _dband(self.pre, self.post, f"teu.{FOCAL}", 0),
                "revenue_change_usd": num(self.delta_revenue_usd(), 0),
                "revenue_change_band_usd": _dband(self.pre, self.post, f"revenue.{FOCAL}", 0),
                "baseline": self.baseline.focal(), "disrupted": self.disrupted.focal()}

    def to_json(self) -> dict[str, Any]:
        ev = self.disrupted.evaluation
        return {
            "schema": SCHEMAS["disrupt"],
            "scenarios": [s.to_dict() for s in self.scenarios],
            "effects": [e.to_dict() for e in ev.effects.values()],
            "corridors": self.corridor_deltas(), "penalties": self.penalties(),
            "focal": self.focal(), "who_gains": self.who_gains(),
            "band": "5th-95th percentile of the paired change over the Monte Carlo runs"
                    if self.pre else None,
            "baseline": self.baseline.to_json(), "disrupted": self.disrupted.to_json(),
            "market": self.market.to_json() if self.market is not None else None,
            "manifest": self.manifest.to_dict(),
        }
