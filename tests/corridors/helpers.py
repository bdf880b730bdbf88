"""Helpers for the corridor tests: small synthetic networks and a plain model draw."""

from __future__ import annotations

from collections.abc import Sequence

from tightrope.corridors.model import CargoClass, ModelDraw
from tightrope.corridors.network import Edge, Figure, Network, Node


def plain_draw(vots: Sequence[float] = (100.0,), shares: Sequence[float] | None = None,
               scale: float = 500.0) -> ModelDraw:
    """A model draw without risk premia: one class per value of time, equal shares."""
    shares = shares or [1 / len(vots)] * len(vots)
    return ModelDraw(tuple(CargoClass(f"c{i}", s, v) for i, (s, v) in
                           enumerate(zip(shares, vots, strict=True))), {}, scale, 1.0, 100.0)


def make_network(n_nodes: int, edges: Sequence[tuple[int, int, float, float, float]],
                 tags: dict[int, str] | None = None) -> Network:
    """Nodes n0..; edges (a, b, days, cost, capacity) with zero-width ranges."""
    nodes = [Node(f"n{i}", f"Node {i}", "", 0.0, float(i), "hub") for i in range(n_nodes)]
    out = []
    for k, (a, b, days, cost, cap) in enumerate(edges):
        t = frozenset({tags[k]}) if tags and k in tags else frozenset()
        out.append(Edge(f"e{k}", f"n{a}", f"n{b}", "rail", Figure(1, 1, "d"),
                        Figure(days, days, "r"), Figure(cost, cost, "r"),
                        Figure(cap, cap, "c"), "r", (("KAZ", 1.0),), tags=t,
                        corridor="northern"))
    return Network(nodes, out)
