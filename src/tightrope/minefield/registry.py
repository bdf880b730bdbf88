"""Strategies by name: the built-ins and the sequences a scenario file defines."""

from __future__ import annotations

from tightrope.errors import InputError
from tightrope.minefield.balancer import Balancer
from tightrope.minefield.spec import Scenario
from tightrope.minefield.strategies import Bandwagon, FixedSequence, Isolation, Strategy

__all__ = ["all_strategies", "resolve_strategy"]


def all_strategies(scenario: Scenario, floor: float | None = None) -> list[Strategy]:
    """Balancer, isolation, bandwagon with each power, then the file's named sequences."""
    lv = scenario.lever("balancer.floor").value if floor is None else floor
    out: list[Strategy] = [Balancer(lv, scenario.respect_red_lines), Isolation()]
    out += [Bandwagon(p.key) for p in scenario.powers]
    out += [FixedSequence(s.key, s.moves, s.repeat) for s in scenario.sequences]
    return out


def resolve_strategy(name: str, scenario: Scenario, floor: float | None = None) -> Strategy:
    """A strategy by name: balancer, isolation, bandwagon:<power>, or a sequence in the file."""
    n = name.strip().lower()
    for s in all_strategies(scenario, floor):
        if s.name == n:
            return s
    for sep in ("-", "_", " "):
        if n.startswith(f"bandwagon{sep}"):
            return resolve_strategy("bandwagon:" + n[len("bandwagon") + 1:], scenario, floor)
    names = [s.name for s in all_strategies(scenario)]
    raise InputError(f"unknown strategy {name!r}", where="strategy",
                     expected="one of " + ", ".join([*names, "all"]))
