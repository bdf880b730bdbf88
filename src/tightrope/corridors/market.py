"""The corridor market model: who ships which way, at what price, and where it jams.

Three demand segments share the network's corridors:

* China <-> Europe containers (TEU a year, both directions) in two value classes, choosing
  between the Northern route (via Russia), the Middle Corridor and the sea. The sea is a nest:
  carriers, not shippers, choose Suez or the Cape, by a binary logit on their cost and risk,
  with a share of carriers that refuse the Red Sea outright once it is attacked.
* Kazakhstan and Central Asia to and from Europe, Türkiye and the Caucasus (tonnes a year):
  via Russia or across the Caspian.

Shippers choose by a multinomial logit on generalised cost (freight + value of time x days +
risk premium + an alternative-specific constant), ``P_j = exp(-GC_j/s) / sum_q exp(-GC_q/s)``
(Ben-Akiva and Lerman 1985, ch. 5; the sea's carrier sub-choice makes the model a nested
logit, ch. 10). The sanctions premium on Russian transit is distributed across shippers: a
share refuses the route, the rest price it in. Bottlenecks add queue days by the BPR
volume-delay form ``days = d_cap (v/C)^beta`` and a shadow price that keeps flow within
capacity (a capacity-restrained logit equilibrium, solved by the method of successive
averages, Sheffi 1985, ch. 5). The sea rate responds to the capacity the Cape absorbs:
``rate = rate_year (1/(1-L))^gamma`` with ``L`` the net share of Asia-Europe slots lost and
``gamma`` calibrated on 2019-2021 (:mod:`tightrope.corridors.calibrate`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from tightrope.corridors.data import CorridorData
from tightrope.corridors.market_data import Bottleneck, MarketSpec
from tightrope.corridors.model import CENTRAL, EdgeState, Sampler, edge_state
from tightrope.corridors.network import Network
from tightrope.corridors.routing import corridor_best_paths
from tightrope.corridors.scenarios import Scenario, apply_scenarios

__all__ = ["ALTERNATIVES", "Attributes", "BottleneckLoad", "Conditions", "MarketParams",
           "MarketState", "network_attributes", "params", "solve"]

#: Container alternatives; Suez and the Cape form the sea nest.
ALTERNATIVES: Final = ("northern", "middle", "suez", "cape")
CLASSES: Final = ("fast", "standard")
#: Deep-sea corridors whose freight follows the sea rate index (canal dues do not).
_SEA_CORRIDORS: Final = frozenset({"sea", "suez", "cape"})
_MAX_ITER: Final = 400


@dataclass(frozen=True, slots=True)
class Route:
    """One corridor's best route for one value class: freight split into the part that
    follows the deep-sea rate index and the rest (US$/FEU), days, risk premium, edges."""

    edges: frozenset[str]
    freight_fixed: float
    freight_sea: float
    days: float
    risk: float
    revenue: Mapping[str, float]  # US$ per FEU retained by each country


@dataclass(frozen=True)
class Attributes:
    """Routes by class and corridor (absent = closed), bottleneck capacity factors and what
    the applied scenarios touch (Red Sea, Russian transit)."""

    routes: Mapping[str, Mapping[str, Route]]
    capacity_factor: Mapping[str, float]
    red_sea_hit: bool = False
    russia_hit: bool = False


@dataclass(frozen=True)
class Conditions:
    """A year's exogenous state: sea rate index (1 = 2019), Russia avoidance (0-1)."""

    label: str
    rate_index: float
    exposure: float
    red_sea: bool = False


@dataclass(frozen=True)
class MarketParams:
    """Concrete numbers for one evaluation (priors drawn, calibrated values set)."""

    v: Mapping[str, float]
    caps: Mapping[str, float]
    dcap: Mapping[str, float]
    gamma: float

    def __getitem__(self, key: str) -> float:
        return self.v[key]


@dataclass(frozen=True, slots=True)
class BottleneckLoad:
    key: str
    name: str
    unit: str
    flow: float
    capacity: float
    queue_days: float
    shadow_price: float

    @property
    def utilisation(self) -> float:
        return self.flow / self.capacity if self.capacity > 0 else math.inf

    def to_dict(self) -> dict[str, Any]:
        per = "TEU/yr" if self.unit == "teu" else "t/yr"
        return {"key": self.key, "name": self.name, "unit": per, "flow": round(self.flow),
                "capacity": round(self.capacity), "utilisation": round(self.utilisation, 3)
                if math.isfinite(self.utilisation) else None,
                "queue_days": round(self.queue_days, 2),
                "shadow_price_usd_per_unit": round(self.shadow_price, 2),
                "binding": self.shadow_price > 0 and self.utilisation > 0.97}


@dataclass
class MarketState:
    """An equilibrium: container TEU by corridor, regional tonnes, prices, loads, revenue."""

    conditions: Conditions
    teu: dict[str, float]
    teu_by_class: dict[str, dict[str, float]]
    regional_t: dict[str, float]
    rate_index: float
    cape_share: float
    sea_days: float
    sea_freight_usd: float
    t_per_teu: float
    loads: list[BottleneckLoad]
    revenue_usd: dict[str, float]
    kaz_revenue_by_corridor: dict[str, float] = field(default_factory=dict)

    @property
    def middle_t(self) -> float:
        """Middle Corridor tonnes: containers at ``t_per_teu`` plus regional cargo."""
        return self.teu.get("middle", 0.0) * self.t_per_teu + self.regional_t.get("middle", 0.0)

    def metric(self, name: str) -> float:
        """A scalar by name (used by the back-test and the Monte Carlo)."""
        if name == "middle_t":
            return self.middle_t
        if name == "rate_index":
            return self.rate_index
        if name == "cape_share":
            return self.cape_share
        if name == "sea_days":
            return self.sea_days
        if name.startswith("teu."):
            return self.teu.get(name[4:], 0.0)
        if name.startswith("revenue."):
            return self.revenue_usd.get(name[8:], 0.0)
        raise KeyError(name)


def params(spec: MarketSpec, s: Sampler, calibrated: Mapping[str, float]) -> MarketParams:
    """Draw the priors under ``s``; ``calibrated`` supplies the fitted parameters."""
    v = {k: spec.value(k, s) for k in spec.priors}
    v.update(calibrated)
    caps = {b.key: s.pick(f"market.cap.{b.key}", b.capacity.low, b.capacity.value,
                          b.capacity.high) for b in spec.bottlenecks}
    dcap = {b.key: s.pick(f"market.dcap.{b.key}", b.days_at_capacity.low,
                          b.days_at_capacity.value, b.days_at_capacity.high)
            for b in spec.bottlenecks}
    return MarketParams(v, caps, dcap, sea_gamma(v))


def sea_gamma(v: Mapping[str, float]) -> float:
    """Inverse supply elasticity of Asia-Europe freight, from 2019 -> 2021.

    Utilisation rose by demand growth over effective capacity growth (fleet growth times the
    share not absorbed by delays); the rate index rose from 1 to the 2021 level. Solving
    ``rate_2021 = (u_2021 / u_2019)^gamma``.
    """
    k = v["sea_market.fleet_growth_2019_2021"] * (1 - v["sea_market.absorbed_2021"]) / (
        1 - v["sea_market.absorbed_2019"])
    ratio = v["sea_market.demand_growth_2019_2021"] / k
    return math.log(v["rate_index.2021"]) / math.log(ratio) if ratio > 1 else math.inf


def _route(net: Network, st: EdgeState, edges: Sequence[int], retention: float) -> Route:
    fixed = sea = 0.0
    revenue: dict[str, float] = {}
    for i in edges:
        e = net.edges[i]
        if e.corridor in _SEA_CORRIDORS and e.rule != "canal-suez":
            sea += float(st.cost[i])
        else:
            fixed += float(st.cost[i])
        for iso, sh in e.shares().items():
            revenue[iso] = revenue.get(iso, 0.0) + float(st.cost[i]) * sh * retention
    return Route(frozenset(net.edges[i].id for i in edges), fixed, sea,
                 float(st.days[list(edges)].sum()),
                 float(st.risk[list(edges)].sum()), revenue)


def network_attributes(data: CorridorData, spec: MarketSpec, scenarios: Sequence[Scenario],
                       s: Sampler = CENTRAL, vots: Mapping[str, float] | None = None
                       ) -> Attributes:
    """Each corridor's best route per value class under the scenarios (network figures
    drawn by ``s``), and how the scenarios change each bottleneck's capacity."""
    net, model = data.network, data.model
    draw = model.draw(s)
    base = edge_state(net, draw, s)
    st, effects = apply_scenarios(net, base, scenarios, s)
    vots = vots or {"fast": 600.0, "standard": 100.0}
    routes: dict[str, dict[str, Route]] = {}
    for cls, vot in vots.items():
        best = corridor_best_paths(net, st, vot, model.origins, model.destinations)
        routes[cls] = {}
        for p in best:
            c = p.corridor(net)
            if c in ALTERNATIVES:
                routes[cls][c] = _route(net, st, p.edges, draw.retention_share)
    factor = {}
    usable = st.usable()
    for b in spec.bottlenecks:
        idx = [net.edge_index(e) for e in b.edges]
        before = sum(float(base.capacity[i]) for i in idx)
        after = sum(float(st.capacity[i]) for i in idx if usable[i])
        factor[b.key] = after / before if before > 0 else 0.0
    tagged = {t: {e.id for e in net.edges if t in e.tags} for t in ("red-sea", "russia-transit")}
    return Attributes(routes, factor,
                      red_sea_hit=any(k in tagged["red-sea"] for k in effects),
                      russia_hit=any(k in tagged["russia-transit"] for k in effects))


def _logit(costs: Mapping[str, float], scale: float) -> dict[str, float]:
    if not costs:
        return {}
    lo = min(costs.values())
    w = {k: math.exp(-(c - lo) / scale) for k, c in costs.items()}
    tot = sum(w.values())
    return {k: x / tot for k, x in w.items()}


def _cape_share(a: Mapping[str, Route], p: MarketParams, red_sea: bool) -> float:
    if "suez" not in a:
        return 1.0 if "cape" in a else 0.0
    if "cape" not in a:
        return 0.0
    cs = a["suez"].freight_sea + a["suez"].freight_fixed + a["suez"].risk
    cc = a["cape"].freight_sea + a["cape"].freight_fixed + a["cape"].risk
    logit = _logit({"suez": cs, "cape": cc}, p["choice.carrier_scale_usd_per_feu"])["cape"]
    rho = p["shocks.red_sea_refusing_share_carriers"] if red_sea else 0.0
    return rho + (1 - rho) * logit


def solve(attrs: Attributes, cond: Conditions, p: MarketParams, *,
          reference: Attributes | None = None, bottlenecks: Sequence[Bottleneck] = ()
          ) -> MarketState:
    """The equilibrium of one state. ``reference`` is the same year without the scenarios,
    against which the capacity the Cape absorbs (and so the rate response) is measured."""
    red = cond.red_sea or attrs.red_sea_hit
    exposure = max(cond.exposure, 1.0 if attrs.russia_hit else 0.0)
    std = attrs.routes.get("standard", {})
    ref_std = (reference or attrs).routes.get("standard", {})
    share_c = _cape_share(std, p, red)
    ref_share = _cape_share(ref_std, p, False)
    rate = cond.rate_index
    # a closed Suez still sets the yardstick: the days the Cape adds are against its route
    suez = std.get("suez") or ref_std.get("suez")
    if suez is not None and "cape" in std and share_c > ref_share:
        drt = 2 * max(0.0, std["cape"].days - suez.days)
        rt = p["sea_market.round_trip_days"]
        lost = (share_c - ref_share) * drt / (rt + drt) * (1 - p["sea_market.redeployment_offset"])
        rate *= (1 / (1 - lost)) ** min(p.gamma, 60.0)
    tpt = p["units.t_per_teu"]
    caps = {b.key: p.caps[b.key] * attrs.capacity_factor.get(b.key, 1.0) for b in bottlenecks}
    lam = dict.fromkeys(caps, 0.0)
    queue = dict.fromkeys(caps, 0.0)
    vbar: dict[str, float] = {}
    choice = _Choice(attrs, p, rate, share_c, exposure, bottlenecks, tpt)
    sea = choice.sea
    flows: dict[str, dict[str, float]] = {}
    reg: dict[str, float] = {}
    for it in range(1, _MAX_ITER + 1):
        flows = choice.flows(lam, queue)
        reg = choice.regional(lam, queue)
        load = choice.loads(flows, reg)
        settled = True
        for k in caps:
            vbar[k] = load[k] if it == 1 else vbar[k] + (load[k] - vbar[k]) / it
            cap = max(caps[k], 1e-9)
            gap = load[k] / cap - 1
            # complementary slackness: within capacity, and a shadow price only when full
            settled = settled and gap <= 0.01 and (lam[k] <= 0 or gap >= -0.02)
            queue[k] = p.dcap[k] * (vbar[k] / cap) ** p["bpr_exponent"]
            unit_scale = (p["container_scale_usd_per_feu"] / 2 if _unit(bottlenecks, k)
                          == "teu" else p["regional_demand.cost_scale_usd_per_t"])
            lam[k] = max(0.0, lam[k] + unit_scale * gap / (1 + it / 50))
        if it > 30 and settled:
            break
    loads = [BottleneckLoad(b.key, b.name, b.unit, load[b.key], caps[b.key], queue[b.key],
                            lam[b.key]) for b in bottlenecks]
    return _state(cond, attrs, p, flows, reg, rate, share_c, sea, tpt, loads)


def _unit(bottlenecks: Sequence[Bottleneck], key: str) -> str:
    return next(b.unit for b in bottlenecks if b.key == key)


def _sea_route(std: Mapping[str, Route], share_c: float, rate: float) -> Route | None:
    parts = [(c, w) for c, w in (("suez", 1 - share_c), ("cape", share_c)) if c in std and w > 0]
    if not parts:
        return None

    def avg(f: str) -> float:
        return float(sum(w * float(getattr(std[c], f)) for c, w in parts))

    rev: dict[str, float] = {}
    for c, w in parts:
        for iso, x in std[c].revenue.items():
            rev[iso] = rev.get(iso, 0.0) + w * x
    return Route(frozenset(), avg("freight_fixed"), rate * avg("freight_sea"), avg("days"),
                 avg("risk"), rev)


class _Choice:
    """The route choice of one state, with what does not change while the bottlenecks'
    shadow prices and queues settle worked out once (the same operations in the same order
    as working them out on every iteration, so the same numbers)."""

    def __init__(self, attrs: Attributes, p: MarketParams, rate: float, share_c: float,
                 exposure: float, bottlenecks: Sequence[Bottleneck], tpt: float) -> None:
        self.demand = (p["container_demand.westbound_teu"]
                       * (1 + p["container_demand.eastbound_ratio"]))
        fast = p["container_demand.classes.fast.share"]
        self.scale = p["container_scale_usd_per_feu"]
        asc = {"northern": p["asc_northern_usd_per_feu"], "middle": p["asc_middle_usd_per_feu"]}
        self.refusing = exposure * p["shocks.russia_refusing_share_containers"]
        self.premium = exposure * p["shocks.russia_premium_usd_per_feu"]
        self.sea = sea = _sea_route(attrs.routes.get("standard", {}), share_c, rate)
        #: per class: its share, value of time, each land corridor's cost before the
        #: bottlenecks' prices and the bottlenecks it crosses, and the sea's cost
        self.classes: list[tuple[str, float, float,
                                 dict[str, tuple[float, list[tuple[str, float]]]],
                                 float | None]] = []
        #: per class and land corridor: the bottlenecks its flow loads, in their units
        self.load_of: list[tuple[str, str, list[tuple[str, float]]]] = []
        for cls, share in (("fast", fast), ("standard", 1 - fast)):
            vot = p[f"container_demand.classes.{cls}.vot_usd_per_feu_day"]
            routes = attrs.routes.get(cls, {})
            land: dict[str, tuple[float, list[tuple[str, float]]]] = {}
            for c in ("northern", "middle"):
                r = routes.get(c)
                if r is None:
                    continue
                crossed = [b for b in bottlenecks if r.edges & set(b.edges)]
                land[c] = (r.freight_fixed + rate * r.freight_sea + vot * r.days + r.risk
                           + asc[c],
                           [(b.key, 2.0 if b.unit == "teu" else 2.0 * tpt) for b in crossed])
                self.load_of.append((cls, c, [(b.key, tpt if b.unit == "t" else 1.0)
                                              for b in crossed]))
            sea_cost = (None if sea is None else
                        sea.freight_fixed + sea.freight_sea + vot * sea.days + sea.risk)
            self.classes.append((cls, share, vot, land, sea_cost))
        self.keys = [b.key for b in bottlenecks]
        # regional cargo (tonnes): via Russia or the Caspian crossing
        self.reg_demand = p["regional_demand.mt_per_year"] * 1e6
        self.reg_scale = p["regional_demand.cost_scale_usd_per_t"]
        self.reg_vot = p["regional_demand.vot_usd_per_t_day"]
        self.caspian_closed = attrs.capacity_factor.get("caspian", 1.0) <= 0
        self.reg_asc = p["asc_middle_regional_usd_per_t"]
        refusing = exposure * p["shocks.russia_refusing_share_regional"]
        #: (share of regional shippers, their cost via Russia): those who pay Russia's
        #: premium, and those who refuse the route
        self.reg_groups = ((1 - refusing, exposure * p["shocks.russia_premium_usd_per_t"]),
                           (refusing, p["shocks.russia_refuser_discount_usd_per_t"]))

    def flows(self, lam: Mapping[str, float], queue: Mapping[str, float]
              ) -> dict[str, dict[str, float]]:
        """TEU per class and alternative (northern, middle, sea) at these prices and queues."""
        flows: dict[str, dict[str, float]] = {}
        for cls, share, vot, land, sea_cost in self.classes:
            opts: dict[str, float] = {}
            for c, (base, crossed) in land.items():
                extra = 0.0
                for key, per in crossed:
                    extra += lam[key] * per + vot * queue[key]
                opts[c] = base + extra
            if sea_cost is not None:
                opts["sea"] = sea_cost
            out = dict.fromkeys(("northern", "middle", "sea"), 0.0)
            d = self.demand * share
            if "northern" in opts:
                paying = dict(opts)
                paying["northern"] += self.premium
                for k, x in _logit(paying, self.scale).items():
                    out[k] += d * (1 - self.refusing) * x
                avoid = {k: c for k, c in opts.items() if k != "northern"}
                for k, x in _logit(avoid, self.scale).items():
                    out[k] += d * self.refusing * x
            else:
                for k, x in _logit(opts, self.scale).items():
                    out[k] += d * x
            flows[cls] = out
        return flows

    def regional(self, lam: Mapping[str, float], queue: Mapping[str, float]
                 ) -> dict[str, float]:
        """Regional tonnes per year via Russia and via the Middle Corridor at these prices."""
        d = self.reg_demand
        if self.caspian_closed:
            return {"via_russia": d, "middle": 0.0}
        mid = self.reg_asc + lam.get("caspian", 0.0) + self.reg_vot * queue.get("caspian", 0.0)
        out = {"via_russia": 0.0, "middle": 0.0}
        for share, prem in self.reg_groups:
            for k, x in _logit({"via_russia": prem, "middle": mid}, self.reg_scale).items():
                out[k] += d * share * x
        return out

    def loads(self, flows: Mapping[str, Mapping[str, float]], reg: Mapping[str, float]
              ) -> dict[str, float]:
        """Each bottleneck's load from these flows (TEU or tonnes, as the bottleneck counts)."""
        load = dict.fromkeys(self.keys, 0.0)
        for cls, c, loaded in self.load_of:
            x = flows.get(cls, {}).get(c, 0.0)
            if x <= 0:
                continue
            for key, factor in loaded:
                load[key] += x * factor
        if "caspian" in load:
            load["caspian"] += reg.get("middle", 0.0)
        return load


def _state(cond: Conditions, attrs: Attributes, p: MarketParams,
           flows: Mapping[str, Mapping[str, float]], reg: Mapping[str, float], rate: float,
           share_c: float, sea: Route | None, tpt: float, loads: list[BottleneckLoad]
           ) -> MarketState:
    teu = {c: 0.0 for c in ALTERNATIVES}
    by_class: dict[str, dict[str, float]] = {}
    revenue: dict[str, float] = {}
    kaz: dict[str, float] = {}
    for cls, f in flows.items():
        by_class[cls] = {k: float(v) for k, v in f.items()}
        routes = dict(attrs.routes.get(cls, {}))
        for c in ("northern", "middle"):
            teu[c] += f.get(c, 0.0)
        teu["suez"] += f.get("sea", 0.0) * (1 - share_c)
        teu["cape"] += f.get("sea", 0.0) * share_c
        for c, x in f.items():
            r = sea if c == "sea" else routes.get(c)
            if r is None or x <= 0:
                continue
            for iso, usd in r.revenue.items():
                revenue[iso] = revenue.get(iso, 0.0) + x / 2 * usd
            if "KAZ" in r.revenue:
                kaz[c] = kaz.get(c, 0.0) + x / 2 * r.revenue["KAZ"]
    reg_mid = reg.get("middle", 0.0) * p["revenue.kaz_usd_per_t_regional_middle"]
    reg_rus = reg.get("via_russia", 0.0) * p["revenue.kaz_usd_per_t_regional_russia"]
    revenue["KAZ"] = revenue.get("KAZ", 0.0) + reg_mid + reg_rus
    kaz["middle (regional cargo)"] = reg_mid
    kaz["via Russia (regional cargo)"] = reg_rus
    sea_days = sea.days if sea is not None else math.nan
    sea_freight = sea.freight_fixed + sea.freight_sea if sea is not None else math.nan
    return MarketState(cond, teu, by_class, dict(reg), rate, share_c, sea_days, sea_freight, tpt,
                       loads, revenue, kaz)
