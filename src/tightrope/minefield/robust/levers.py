"""Levers: the strategies a study compares and the tunable settings a search moves.

* A :class:`Policy` is a named strategy with its lever settings, e.g. ``balancer`` (the file's
  floor), ``balancer@0.1`` (floor 0.1), ``isolation``, ``bandwagon:china`` or a sequence from
  the scenario file.
* :class:`PowerFloors` generalises the balancer's single attitude floor to one floor per great
  power — how much goodwill to keep with each of them — which is what the multi-objective
  search explores (:mod:`tightrope.minefield.robust.search`). It reuses
  :class:`~tightrope.minefield.balancer.Balancer` unchanged: a floor ``f_p`` for power ``p`` is
  the balancer with floor 0 seeing move effects ``Δa_mp − f_p``, because its feasibility test
  ``a_p + κ(a0_p − a_p) + Δa_mp >= f_p`` only ever uses the difference. Equal floors give
  exactly the balancer (tested). One difference remains: when no move is feasible the balancer
  repairs the power with the lowest expected attitude, not the one furthest below its own floor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tightrope._types import FloatArray
from tightrope.errors import InputError
from tightrope.minefield.balancer import Balancer
from tightrope.minefield.model import Model
from tightrope.minefield.registry import all_strategies, resolve_strategy
from tightrope.minefield.spec import Lever, Scenario
from tightrope.minefield.strategies import Moves, Strategy, StrategyState

__all__ = ["Policy", "PowerFloors", "floor_lever", "resolve_policies"]



def floor_lever(scenario: Scenario) -> Lever:
    """The balancer's floor lever of a scenario (default value and search range)."""
    try:
        return scenario.lever("balancer.floor")
    except KeyError:
        return Lever("balancer.floor", 0.0, -1.0, 1.0)


@dataclass(frozen=True)
class Policy:
    """A strategy by registry name with its lever settings (picklable, built per task).

    ``floor`` overrides the balancer's attitude floor; ``None`` keeps the file's value.
    """

    name: str
    strategy: str
    floor: float | None = None

    def build(self, scenario: Scenario) -> Strategy:
        """A fresh strategy object (strategies cache per-model plans, so never share one)."""
        st = resolve_strategy(self.strategy, scenario, self.floor)
        st.name = self.name
        return st

    def lever_value(self, scenario: Scenario) -> float:
        """The balancer floor this policy uses (NaN for strategies without a floor)."""
        if self.strategy != "balancer":
            return math.nan
        return floor_lever(scenario).value if self.floor is None else float(self.floor)


def _parse_one(text: str, scenario: Scenario) -> Policy:
    raw = text.strip().lower()
    if "@" in raw:
        base, _, fl = raw.partition("@")
        if base != "balancer":
            raise InputError(f"{text!r}: only the balancer has a floor", where="strategies",
                             expected="balancer@<floor>, e.g. balancer@0.1")
        try:
            floor = float(fl)
        except ValueError:
            raise InputError(f"{text!r}: floor {fl!r} is not a number", where="strategies",
                             expected="balancer@<floor>, e.g. balancer@0.1") from None
        lv = floor_lever(scenario)
        if not lv.low <= floor <= lv.high:
            raise InputError(f"{text!r}: floor {floor:g} is outside the lever's range",
                             where="strategies", expected=f"a floor in [{lv.low:g}, {lv.high:g}]")
        return Policy(f"balancer@{floor:g}", "balancer", floor)
    st = resolve_strategy(raw, scenario)
    return Policy(st.name, st.name)


def resolve_policies(scenario: Scenario, spec: str | Sequence[str] = "all") -> list[Policy]:
    """Policies from ``"all"`` (every built-in and file strategy), a comma-separated string or a
    list of names (``balancer``, ``balancer@0.1``, ``isolation``, ``bandwagon:<power>``, ...)."""
    items = [s for s in spec.split(",") if s.strip()] if isinstance(spec, str) else list(spec)
    if len(items) == 1 and items[0].strip().lower() == "all":
        return [Policy(s.name, s.name) for s in all_strategies(scenario)]
    out = [_parse_one(s, scenario) for s in items]
    names = [p.name for p in out]
    if not out or len(set(names)) != len(names):
        raise InputError(f"strategies {', '.join(names) or '(none)'}", where="strategies",
                         expected="one or more distinct strategies")
    return out


@dataclass
class PowerFloors:
    """The balancer with one attitude floor per power (and per sample): a lever vector.

    ``floors`` has shape (P,) or (S, P), powers in the model's canonical (sorted) order.
    """

    floors: FloatArray
    respect_red_lines: bool = True
    name: str = "balancer:floors"
    _inner: Balancer = field(default_factory=lambda: Balancer(0.0), repr=False)
    _cache: tuple[Model, Model] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._inner = Balancer(0.0, self.respect_red_lines)

    def model_for(self, md: Model) -> Model:
        """The model with move attitude effects shifted by each power's floor."""
        if self._cache is None or self._cache[0] is not md:  # identity, not a reusable id()
            f = np.broadcast_to(np.asarray(self.floors, dtype=np.float64),
                                (md.samples, len(md.powers)))
            self._cache = (md, replace(md, move_att=md.move_att - f[:, None, :]))
        return self._cache[1]

    def choose(self, state: StrategyState) -> Moves:
        return self._inner.choose(replace(state, model=self.model_for(state.model)))
