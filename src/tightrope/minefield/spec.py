"""The scenario, declared as data: powers, moves, reactions, shocks, catastrophes, objectives.

A :class:`Scenario` holds the structure (names, labels, which move a shock scales with) and a
flat table of named :class:`~tightrope.minefield.values.Param` — every number, each a sourced
fact or an assumption with a range. The structure is fixed; the parameters are what the robust
analysis samples (:meth:`Scenario.uncertainties`). Arrays for the engine are built from the
table by :func:`tightrope.minefield.model.compile_model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

from tightrope.minefield.values import Param

__all__ = [
    "COERCION_RUNGS",
    "MAX_MOVES",
    "OBJECTIVES",
    "REWARD_RUNGS",
    "CatastropheSpec",
    "Lever",
    "MoveSpec",
    "PowerSpec",
    "Scenario",
    "SequenceSpec",
    "ShockSpec",
]

#: Rewards a power may grant, from the most to the least common (an ordered ladder).
REWARD_RUNGS: Final = ("trade_deal", "investment", "guarantee")
#: Coercive reactions, in order of severity (an escalation ladder; Kahn 1965, *On Escalation*).
COERCION_RUNGS: Final = ("information_campaign", "investment_freeze", "sanctions",
                         "transit_cutoff", "border_incident", "intervention")
#: Moves a scenario may declare: the most the balancer's per-state bit masks of moves hold.
MAX_MOVES: Final = 63
#: Objectives the engine reports and their direction.
OBJECTIVES: Final = {"gain": "maximize", "p_catastrophe": "minimize", "autonomy": "maximize"}


@dataclass(frozen=True, slots=True)
class PowerSpec:
    """A great power: its key in the file, display name, ISO3 (None for blocs like the EU)."""

    key: str
    name: str
    iso3: str | None
    leverage_from_exposure: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class MoveSpec:
    """A move of the focal country: a policy emphasis held for one quarter."""

    key: str
    label: str
    mechanism: str = ""


@dataclass(frozen=True, slots=True)
class ShockSpec:
    """An exogenous shock; ``per_use_move`` names the move whose past use scales its cost."""

    key: str
    label: str
    per_use_move: str | None = None
    per_use_cap: int = 0


@dataclass(frozen=True, slots=True)
class CatastropheSpec:
    """An absorbing catastrophe; ``economic`` when it has a cumulative-gain trigger."""

    key: str
    label: str
    description: str = ""
    economic: bool = False
    #: names of fitted base rates (tightrope.evidence) of the event per dyad-year that the
    #: simulated probability is compared with; ``evidence_note`` says how they relate
    evidence: tuple[str, ...] = ()
    evidence_note: str = ""


@dataclass(frozen=True, slots=True)
class SequenceSpec:
    """A named fixed sequence of moves; after its end it cycles or holds the last move."""

    key: str
    moves: tuple[str, ...]
    repeat: Literal["cycle", "hold_last"] = "cycle"


@dataclass(frozen=True, slots=True)
class Lever:
    """A policy lever (a choice, not an uncertainty): default value and the range to search."""

    name: str
    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Scenario:
    """A parsed, validated scenario. Build it with :func:`tightrope.minefield.load_scenario`."""

    key: str
    title: str
    focal_iso3: str
    focal_name: str
    start: str
    horizon: int
    channels: tuple[str, ...]
    attitude_bands: tuple[float, ...]
    powers: tuple[PowerSpec, ...]
    moves: tuple[MoveSpec, ...]
    shocks: tuple[ShockSpec, ...]
    catastrophes: tuple[CatastropheSpec, ...]
    sequences: tuple[SequenceSpec, ...]
    levers: tuple[Lever, ...]
    respect_red_lines: bool
    params: dict[str, Param]
    source: str = ""
    sha256: str = ""
    description: str = ""
    objectives: dict[str, str] = field(default_factory=lambda: dict(OBJECTIVES))
    #: catastrophe kind reached from a coercion rung: keys "reactions.<rung>" (default) or
    #: "powers.<power>.effects.<rung>" (override for one power)
    catastrophe_of: dict[str, str] = field(default_factory=dict)

    @property
    def power_keys(self) -> tuple[str, ...]:
        """Power keys in the order the file lists them."""
        return tuple(p.key for p in self.powers)

    @property
    def move_keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.moves)

    def power(self, key: str) -> PowerSpec:
        for p in self.powers:
            if p.key == key:
                return p
        raise KeyError(key)

    def catastrophe_kind(self, power: str, rung: str) -> str | None:
        """Which catastrophe a power's coercion rung can lead to (None: it cannot)."""
        return self.catastrophe_of.get(f"powers.{power}.effects.{rung}",
                                       self.catastrophe_of.get(f"reactions.{rung}"))

    def param_name(self, power: str, rung: str, field_: str) -> str | None:
        """The parameter giving a reaction effect for a power: its override or the default."""
        own = f"powers.{power}.effects.{rung}.{field_}"
        if own in self.params:
            return own
        default = f"reactions.{rung}.{field_}"
        return default if default in self.params else None

    def has(self, name: str) -> bool:
        return name in self.params

    def central(self, name: str, default: float = 0.0) -> float:
        """Central value of a parameter (``default`` when the file leaves it out)."""
        p = self.params.get(name)
        return p.central if p is not None else default

    def uncertainties(self) -> list[Param]:
        """Parameters with a range to sample — the deep uncertainties, in file order."""
        return [p for p in self.params.values() if p.uncertain]

    def from_unit(self, unit: dict[str, Any]) -> dict[str, Any]:
        """Map unit-cube samples {name: u in [0, 1]} to parameter values, honouring
        log-scale ranges — what a Latin-hypercube or Sobol' sampler should call."""
        return {n: self.params[n].from_unit(u) for n, u in unit.items()}

    def lever(self, name: str) -> Lever:
        for lv in self.levers:
            if lv.name == name:
                return lv
        raise KeyError(name)

    def provenance_counts(self) -> dict[str, int]:
        """How many parameters rest on evidence (a fitted rate), a cited fact or judgement."""
        out = {"evidence": 0, "fact": 0, "judgement": 0}
        for p in self.params.values():
            out[p.kind] += 1
        return out

    def with_params(self, params: dict[str, Param]) -> Scenario:
        """A copy with some parameters replaced (e.g. leverage from the exposure module)."""
        from dataclasses import replace

        merged = dict(self.params)
        merged.update(params)
        return replace(self, params=merged)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready description of what was understood (``simulate --explain --json``)."""
        return {
            "scenario": self.key,
            "title": self.title,
            "focal": {"iso3": self.focal_iso3, "name": self.focal_name},
            "start": self.start,
            "horizon_quarters": self.horizon,
            "powers": [{"key": p.key, "name": p.name, "iso3": p.iso3} for p in self.powers],
            "moves": [{"key": m.key, "label": m.label, "mechanism": m.mechanism}
                      for m in self.moves],
            "shocks": [{"key": s.key, "label": s.label} for s in self.shocks],
            "catastrophes": [{"key": c.key, "label": c.label} for c in self.catastrophes],
            "sequences": [{"key": s.key, "moves": list(s.moves), "repeat": s.repeat}
                          for s in self.sequences],
            "levers": [{"name": lv.name, "value": lv.value, "low": lv.low, "high": lv.high}
                       for lv in self.levers],
            "objectives": dict(self.objectives),
            "parameters": {n: {"value": p.central, "low": p.low, "high": p.high,
                               "scale": "log" if p.log_scale else "linear",
                               "unit": p.unit, "kind": p.kind, "cite": p.citation(),
                               **({"from": p.origin} if p.origin else {})}
                           for n, p in self.params.items()},
            "provenance_counts": self.provenance_counts(),
            "source_file": self.source,
            "sha256": self.sha256,
        }
