"""What an allocation means: volumes by corridor, time and cost per container, and who earns.

Transit revenue of a country is what shippers pay for the legs on its territory that stays
there:

    revenue_c = sum over edges e of  FEU_e * freight_e * share_{e,c} * retention

with FEU_e = TEU_e / 2 the flow on the edge, freight_e in US$/FEU, ``share_{e,c}`` the
country's share of the edge (km, or weights for sea and ferry legs) and ``retention`` the
assumed share that stays with national railways, ports and ferry operators.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from tightrope.corridors.allocation import Allocation
from tightrope.corridors.model import EdgeState, ModelDraw
from tightrope.corridors.network import CORRIDOR_NAMES, Network

__all__ = ["FOCAL", "FlowSummary", "RouteFlow", "flat_metrics", "summarise"]

#: The focal transit country of the Tightrope worked case.
FOCAL: Final = "KAZ"
SEA: Final = ("suez", "cape")


@dataclass(frozen=True, slots=True)
class RouteFlow:
    """A route with its flow (all classes), per-FEU days, freight and risk premium."""

    nodes: tuple[str, ...]
    edges: tuple[str, ...]
    corridor: str
    teu: float
    days: float
    freight_usd: float
    risk_usd: float

    def to_dict(self, net: Network) -> dict[str, Any]:
        return {"route": [net.node(n).name for n in self.nodes], "nodes": list(self.nodes),
                "edges": list(self.edges), "corridor": self.corridor,
                "corridor_name": CORRIDOR_NAMES.get(self.corridor, self.corridor),
                "teu": round(self.teu, 1), "days": round(self.days, 2),
                "freight_usd_per_feu": round(self.freight_usd), "risk_usd_per_feu":
                round(self.risk_usd)}


@dataclass
class FlowSummary:
    """Aggregates of one allocation (TEU per year; days and US$ per FEU, flow-weighted)."""

    method: str
    demand_teu: float
    served_teu: float
    unserved_teu: float
    corridor_teu: dict[str, float]
    class_corridor_teu: dict[str, dict[str, float]]
    mean_days: float
    mean_freight_usd: float
    mean_risk_usd: float
    sea_mean_days: float
    sea_mean_freight_usd: float
    country_teu: dict[str, float]
    country_revenue_usd: dict[str, float]
    edge_teu: NDArray[np.float64]
    routes: list[RouteFlow] = field(default_factory=list)

    @property
    def focal_teu(self) -> float:
        return self.country_teu.get(FOCAL, 0.0)

    @property
    def focal_revenue_usd(self) -> float:
        return self.country_revenue_usd.get(FOCAL, 0.0)

    def corridor_share(self, corridor: str) -> float:
        return self.corridor_teu.get(corridor, 0.0) / self.served_teu if self.served_teu else 0.0

    def cape_share(self) -> float:
        """Share of the sea-routed flow that sails round the Cape."""
        sea = sum(self.corridor_teu.get(c, 0.0) for c in SEA)
        return self.corridor_teu.get("cape", 0.0) / sea if sea > 0 else math.nan


def _wmean(values: list[float], weights: list[float]) -> float:
    w = sum(weights)
    return sum(v * x for v, x in zip(values, weights, strict=True)) / w if w > 0 else math.nan


def summarise(net: Network, state: EdgeState, draw: ModelDraw, alloc: Allocation
              ) -> FlowSummary:
    """Corridor volumes, mean time and cost, country throughput and transit revenue."""
    corridor: dict[str, float] = defaultdict(float)
    by_class: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    routes: dict[tuple[int, ...], list[float]] = {}
    days, freight, risk, w = [], [], [], []
    sea_days, sea_freight, sea_w = [], [], []
    country_teu: dict[str, float] = defaultdict(float)
    for f in alloc.flows:
        c = f.path.corridor(net)
        corridor[c] += f.teu
        by_class[f.cargo_class][c] += f.teu
        d, fr, rk = (f.path.total(x) for x in (state.days, state.cost, state.risk))
        days.append(d)
        freight.append(fr)
        risk.append(rk)
        w.append(f.teu)
        if c in SEA:
            sea_days.append(d)
            sea_freight.append(fr)
            sea_w.append(f.teu)
        for iso in {iso for i in f.path.edges for iso, _ in net.edges[i].countries}:
            country_teu[iso] += f.teu
        acc = routes.setdefault(f.path.edges, [0.0, d, fr, rk])
        acc[0] += f.teu
    revenue: dict[str, float] = defaultdict(float)
    for i, e in enumerate(net.edges):
        if alloc.edge_teu[i] <= 0:
            continue
        paid = alloc.edge_teu[i] / 2 * state.cost[i] * draw.retention_share
        for iso, sh in e.shares().items():
            revenue[iso] += paid * sh
    route_list = []
    for edges, (teu, d, fr, rk) in routes.items():
        p = next(f.path for f in alloc.flows if f.path.edges == edges)
        route_list.append(RouteFlow(p.nodes, tuple(net.edges[i].id for i in edges),
                                    p.corridor(net), teu, d, fr, rk))
    route_list.sort(key=lambda r: -r.teu)
    return FlowSummary(
        alloc.method, alloc.demand_teu, alloc.served_teu, alloc.unserved_total,
        dict(corridor), {k: dict(v) for k, v in by_class.items()}, _wmean(days, w),
        _wmean(freight, w), _wmean(risk, w), _wmean(sea_days, sea_w),
        _wmean(sea_freight, sea_w), dict(country_teu), dict(revenue), alloc.edge_teu.copy(),
        route_list)


def flat_metrics(s: FlowSummary, countries: list[str]) -> dict[str, float]:
    """The numbers a Monte Carlo run records from one summary."""
    out = {f"corridor.{c}": s.corridor_teu.get(c, 0.0) for c in CORRIDOR_NAMES}
    out.update({"served_teu": s.served_teu, "unserved_teu": s.unserved_teu,
                "mean_days": s.mean_days, "mean_freight_usd": s.mean_freight_usd,
                "sea_mean_days": s.sea_mean_days,
                "sea_mean_freight_usd": s.sea_mean_freight_usd, "cape_share": s.cape_share()})
    for c in countries:
        out[f"teu.{c}"] = s.country_teu.get(c, 0.0)
        out[f"revenue.{c}"] = s.country_revenue_usd.get(c, 0.0)
    return out
