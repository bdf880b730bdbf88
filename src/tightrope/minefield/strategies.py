"""Strategies: fixed sequences, rule-based policies and a protocol for your own.

A strategy is vectorised: each quarter it receives the state of every trajectory (and every
parameter sample) and returns one move index per trajectory. Write your own as any object
with a ``name`` and a ``choose`` method (:class:`Strategy`)::

    class HugChinaWhenRussiaIsCold:
        name = "hug-china"

        def choose(self, state: StrategyState) -> NDArray[np.intp]:
            cold = state.attitude[..., state.power("russia")] < 0   # (samples, runs)
            return np.where(cold, state.move("china_counterweight"), state.move("hold_course"))

Built-ins: :class:`FixedSequence`, :class:`Bandwagon` (always the move most aligned with one
power), :class:`Isolation` (always the least aligned move) and
:class:`~tightrope.minefield.balancer.Balancer` (best expected gain subject to every power's
expected attitude staying above a floor — the floor is a lever).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from tightrope._types import IndexArray
from tightrope.minefield.model import Model

__all__ = ["Bandwagon", "FixedSequence", "Isolation", "Strategy", "StrategyState"]

Moves = IndexArray


@dataclass
class StrategyState:
    """What a strategy sees at the start of a quarter (after that quarter's shocks).

    Arrays keep the engine's layout ``(samples, powers, runs)``; :attr:`attitude` and
    :attr:`dependence` give ``(samples, runs, powers)`` views. Power indices follow the
    canonical (sorted) order in ``model.powers``; use :meth:`power` and :meth:`move`.
    """

    quarter: int
    model: Model
    attitude_by_power: NDArray[np.floating]  # (S, P, R), in [-1, 1]
    dependence_by_power: NDArray[np.floating]  # (S, P, R), same unit as the file's channels
    gain: NDArray[np.floating]  # (S, R) cumulative, pct of annual GDP
    alive: NDArray[np.bool_]  # (S, R) no catastrophe yet
    shock_active: NDArray[np.bool_]  # (S, H, R)
    #: True when the engine runs its compiled kernel: a strategy that has a compiled form
    #: of ``choose`` (the balancer) may use it; it must return the same moves.
    compiled: bool = False

    @property
    def attitude(self) -> NDArray[np.floating]:
        return np.moveaxis(self.attitude_by_power, 1, 2)

    @property
    def dependence(self) -> NDArray[np.floating]:
        return np.moveaxis(self.dependence_by_power, 1, 2)

    def power(self, key: str) -> int:
        return self.model.power_index(key)

    def move(self, key: str) -> int:
        return self.model.move_index(key)


@runtime_checkable
class Strategy(Protocol):
    """Anything with a name that maps a :class:`StrategyState` to moves, shape (S, R)."""

    name: str

    def choose(self, state: StrategyState) -> Moves: ...


def _full(state: StrategyState, per_sample: NDArray[np.integer]) -> Moves:
    S, _, R = state.attitude_by_power.shape
    return np.broadcast_to(np.asarray(per_sample, dtype=np.intp)[:, None], (S, R))


@dataclass
class FixedSequence:
    """Play ``moves`` in order; afterwards cycle or hold the last one."""

    name: str
    moves: tuple[str, ...]
    repeat: Literal["cycle", "hold_last"] = "cycle"

    def choose(self, state: StrategyState) -> Moves:
        t = state.quarter
        i = t % len(self.moves) if self.repeat == "cycle" else min(t, len(self.moves) - 1)
        m = state.move(self.moves[i])
        return _full(state, np.full(state.model.samples, m))


@dataclass
class Bandwagon:
    """Always the move with the strongest alignment signal toward ``power`` (ties: more gain)."""

    power: str
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or f"bandwagon:{self.power}"

    def choose(self, state: StrategyState) -> Moves:
        md = state.model
        align = md.move_align[:, :, md.power_index(self.power)]
        best = np.lexsort((-md.move_gain, -align), axis=-1)[:, 0]
        return _full(state, best)


@dataclass
class Isolation:
    """Always the least aligned move: smallest total |alignment|, then smallest attitude
    effects, then most gain — keep out of every camp."""

    name: str = "isolation"

    def choose(self, state: StrategyState) -> Moves:
        md = state.model
        keys = (-md.move_gain, np.abs(md.move_att).sum(-1), np.abs(md.move_align).sum(-1))
        return _full(state, np.lexsort(keys, axis=-1)[:, 0])
