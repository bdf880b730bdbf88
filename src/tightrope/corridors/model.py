"""Model assumptions, samplers and the per-run state of every edge.

Every uncertain number is a :class:`Range` (low, central value, high, rationale). A
:class:`Sampler` decides where in its range each number sits for one evaluation: at its central
value, at its low or high end, or drawn from a triangular law with its mode at the central
value. Figures that share a basis (e.g. every 1520 mm rail edge's cost per km) share one draw,
so a run moves them together rather than letting independent errors cancel along a route.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from tightrope._types import FloatArray
from tightrope.corridors.network import Network
from tightrope.provenance import Assumption, Fact, Provenance

__all__ = [
    "CENTRAL",
    "HIGH",
    "LOW",
    "CargoClass",
    "CargoClassSpec",
    "EdgeState",
    "KeyedSampler",
    "ModelAssumptions",
    "ModelDraw",
    "RandomSampler",
    "Range",
    "Sampler",
    "edge_state",
]



@dataclass(frozen=True, slots=True)
class Range:
    """An uncertain number: central ``value`` within [``low``, ``high``], with why.

    A plain number given by a user becomes a range of zero width ("user value").
    """

    value: float
    low: float
    high: float
    rationale: str = ""
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not all(math.isfinite(x) for x in (self.value, self.low, self.high)):
            raise ValueError("range bounds must be finite")
        if not self.low <= self.value <= self.high:
            raise ValueError(f"value {self.value} lies outside [{self.low}, {self.high}]")

    @classmethod
    def exact(cls, value: float, rationale: str = "user value") -> Range:
        return cls(value, value, value, rationale)

    def as_assumption(self, unit: str) -> Assumption:
        return Assumption(self.value, self.low, self.high, unit, self.rationale or "user value",
                          ", ".join(self.sources))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "assumption", "value": self.value, "low": self.low, "high": self.high,
                "rationale": self.rationale, "sources": list(self.sources)}


class Sampler(Protocol):
    """Where each uncertain number sits in its range for one evaluation."""

    def pick(self, key: str, low: float, mode: float, high: float) -> float: ...


class _Fixed:
    def __init__(self, where: str) -> None:
        self.where = where

    def pick(self, key: str, low: float, mode: float, high: float) -> float:
        return {"low": low, "high": high}.get(self.where, mode)

    def __repr__(self) -> str:
        return f"<sampler {self.where}>"


CENTRAL: Sampler = _Fixed("central")
LOW: Sampler = _Fixed("low")
HIGH: Sampler = _Fixed("high")


class RandomSampler:
    """Draws each key once from a uniform u, mapped through the triangular(low, mode, high)
    inverse CDF; numbers sharing a key share the draw."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._u: dict[str, float] = {}

    def _uniform(self, key: str) -> float:
        return float(self.rng.random())

    def pick(self, key: str, low: float, mode: float, high: float) -> float:
        if high <= low:
            return low
        u = self._u.get(key)
        if u is None:
            u = self._uniform(key)
            self._u[key] = u
        c = (mode - low) / (high - low)
        if u < c:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))


class KeyedSampler(RandomSampler):
    """A RandomSampler whose uniform for a key depends on (seed, run, key) only.

    The draw of a key does not depend on which keys were drawn before, so two evaluations in
    the same run agree on every shared number whatever their order, and a run's calibration
    can be reused across scenarios.
    """

    def __init__(self, seed: int, run: int) -> None:
        super().__init__(np.random.default_rng([seed, run]))
        self.seed, self.run = seed, run

    def _uniform(self, key: str) -> float:
        return float(np.random.default_rng([self.seed, self.run,
                                            zlib.crc32(key.encode())]).random())


def _pick(s: Sampler, key: str, r: Range) -> float:
    return s.pick(key, r.low, r.value, r.high)


@dataclass(frozen=True, slots=True)
class CargoClassSpec:
    """A demand segment: its share of demand (None = the remainder) and value of time.

    Units: ``vot`` in US$ per FEU per day in transit.
    """

    name: str
    share: Range | None
    vot: Range


@dataclass(frozen=True, slots=True)
class CargoClass:
    name: str
    share: float
    vot_usd_per_feu_day: float


@dataclass(frozen=True, slots=True)
class ModelDraw:
    """Concrete model numbers for one evaluation."""

    classes: tuple[CargoClass, ...]
    risk_premium_usd: Mapping[str, float]
    logit_scale_usd: float
    retention_share: float
    route_vot_usd_per_feu_day: float

    def by_priority(self) -> list[CargoClass]:
        """Classes in descending value of time (the order scarce capacity is booked)."""
        return sorted(self.classes, key=lambda c: -c.vot_usd_per_feu_day)


@dataclass(frozen=True)
class ModelAssumptions:
    """The model-level settings read from ``model.yaml``.

    ``demand`` is China -> Europe containers per year (TEU, a sourced fact); the rest are
    assumptions with ranges.
    """

    demand: Fact
    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    classes: tuple[CargoClassSpec, ...]
    risk_premium: Mapping[str, Range]
    logit_scale: Range
    retention: Range
    route_vot: Range
    unserved_penalty_usd: float = 1_000_000.0
    notes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if sum(1 for c in self.classes if c.share is None) != 1:
            raise ValueError("exactly one cargo class must take the remainder (share: null)")
        top = sum(c.share.high for c in self.classes if c.share is not None)
        if top >= 1:
            raise ValueError("cargo class shares can exceed 1 at their high ends")

    def draw(self, s: Sampler) -> ModelDraw:
        """The model numbers for one evaluation."""
        shares: dict[str, float] = {}
        for c in self.classes:
            if c.share is not None:
                shares[c.name] = _pick(s, f"class.{c.name}.share", c.share)
        rest = 1.0 - sum(shares.values())
        classes = tuple(
            CargoClass(c.name, shares.get(c.name, rest),
                       _pick(s, f"class.{c.name}.vot", c.vot)) for c in self.classes)
        return ModelDraw(
            classes,
            {t: _pick(s, f"premium.{t}", r) for t, r in self.risk_premium.items()},
            _pick(s, "logit_scale", self.logit_scale),
            _pick(s, "retention", self.retention),
            _pick(s, "route_vot", self.route_vot),
        )

    def assumptions(self) -> list[dict[str, Any]]:
        """Every model assumption as a JSON-ready row (name, value, range, unit, why)."""
        rows: list[dict[str, Any]] = []

        def add(name: str, r: Range, unit: str) -> None:
            rows.append({"name": name, "unit": unit, **r.to_dict()})

        for c in self.classes:
            if c.share is not None:
                add(f"class.{c.name}.share", c.share, "share of demand")
            add(f"class.{c.name}.vot", c.vot, "USD/FEU-day")
        for t, r in self.risk_premium.items():
            add(f"risk_premium.{t}", r, "USD/FEU")
        add("logit_scale", self.logit_scale, "USD/FEU")
        add("domestic_retention", self.retention, "share")
        add("route_vot", self.route_vot, "USD/FEU-day")
        return rows

    def demand_dict(self) -> dict[str, Any]:
        p: Provenance = self.demand.provenance
        return {"kind": "fact", "value": self.demand.value, "unit": self.demand.unit,
                "source": p.source, "year": p.year, "note": self.demand.note}


@dataclass(frozen=True)
class EdgeState:
    """Concrete figures of every edge for one evaluation, aligned with ``network.edges``.

    Units: days; US$ per FEU (freight and risk premium separately); TEU per year.
    """

    days: FloatArray
    cost: FloatArray
    capacity: FloatArray
    risk: FloatArray
    open: NDArray[np.bool_]

    def __post_init__(self) -> None:
        n = len(self.days)
        if not all(len(a) == n for a in (self.cost, self.capacity, self.risk, self.open)):
            raise ValueError("edge state arrays differ in length")

    def usable(self) -> NDArray[np.bool_]:
        """Edges that can carry flow (open, with capacity)."""
        return self.open & (self.capacity > 0)

    def gc(self, vot_usd_per_feu_day: float) -> FloatArray:
        """Generalised cost per FEU of every edge: freight + time value + risk premium."""
        return self.cost + vot_usd_per_feu_day * self.days + self.risk

    def copy(self) -> EdgeState:
        return EdgeState(self.days.copy(), self.cost.copy(), self.capacity.copy(),
                         self.risk.copy(), self.open.copy())


def edge_state(net: Network, draw: ModelDraw, s: Sampler) -> EdgeState:
    """Figures of every edge under a sampler.

    Risk: each tag's premium is counted once per passage through the tagged edges (see
    :meth:`Network.gate_weights`), not once per edge.
    """
    n = len(net.edges)
    days, cost, cap, risk = (np.zeros(n) for _ in range(4))
    for tag, premium in draw.risk_premium_usd.items():
        for i, w in net.tag_weights(tag).items():
            risk[i] += premium * w
    for i, e in enumerate(net.edges):
        days[i] = s.pick(f"days.{e.days.basis}", e.days.low, e.days.central, e.days.high)
        cost[i] = s.pick(f"cost.{e.cost_usd.basis}", e.cost_usd.low, e.cost_usd.central,
                         e.cost_usd.high)
        c = e.capacity_teu
        cap[i] = s.pick(f"capacity.{c.basis}", c.low, c.central, c.high)
    return EdgeState(days, cost, cap, risk, np.ones(n, dtype=bool))
