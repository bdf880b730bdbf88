"""Assigning China -> Europe container demand to routes, respecting capacities.

Two methods, both by cargo class in descending value of time (time-sensitive shippers book
scarce capacity first, as if they outbid the rest):

* ``mincost`` — each class is a minimum-cost flow (network simplex, ``networkx.min_cost_flow``)
  on the capacity left by the classes before it: the system-optimal assignment of that class.
  This is a priority heuristic, not the joint multi-commodity optimum: an earlier class's
  routes can block a later class's only paths, stranding demand a joint optimum would carry
  (never on the shipped network, where the sea has room; see the property tests).
* ``logit`` — each class splits over corridors by a multinomial logit on generalised cost,
  ``share_c = exp(-GC_c / s) / sum_q exp(-GC_q / s)`` with scale ``s`` in US$/FEU (Ben-Akiva
  and Lerman 1985, *Discrete Choice Analysis*, ch. 5), where ``GC_c`` is the cost of the
  cheapest open route of corridor ``c`` (Suez and the Cape form one 'sea' alternative: the
  carrier picks the cheaper). Capacity is enforced by scaling the split down until the first
  edge fills, then re-splitting the rest over routes that avoid full edges; a corridor whose
  best route is blocked falls back on its next-best (a capacity-restrained logit).

Demand the network cannot carry is reported as unserved (never silently dropped). Flows are
path flows, so they conserve volume at every node by construction.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from tightrope._types import FloatArray
from tightrope.corridors.model import EdgeState, ModelDraw
from tightrope.corridors.network import Network
from tightrope.corridors.routing import SINK, SOURCE, Path, corridor_best_paths, k_best_paths

__all__ = ["METHODS", "Allocation", "Method", "PathFlow", "allocate", "candidate_paths",
           "choice_group"]

Method = Literal["mincost", "logit"]
METHODS: Final[tuple[Method, ...]] = ("mincost", "logit")


@dataclass(frozen=True, slots=True)
class PathFlow:
    """TEU per year of one cargo class on one route."""

    cargo_class: str
    path: Path
    teu: float


@dataclass
class Allocation:
    """Path flows, the resulting TEU on every edge and the demand left unserved, by class."""

    method: Method
    demand_teu: float
    flows: list[PathFlow]
    edge_teu: FloatArray
    unserved_teu: dict[str, float] = field(default_factory=dict)

    @property
    def served_teu(self) -> float:
        return float(sum(f.teu for f in self.flows))

    @property
    def unserved_total(self) -> float:
        return float(sum(self.unserved_teu.values()))


def _class_teu(draw: ModelDraw, demand_teu: float) -> dict[str, int]:
    """Integer TEU per class summing exactly to round(demand) (largest remainder)."""
    total = round(demand_teu)
    raw = {c.name: total * c.share for c in draw.classes}
    out = {k: int(np.floor(v)) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: out[k] - raw[k])[:rest]:
        out[k] += 1
    return out


def _decompose(flow: dict[str, dict[str, int]]) -> list[tuple[list[str], int]]:
    """Path decomposition of an integral source-sink flow without positive cycles."""
    work = {u: {v: f for v, f in d.items() if f > 0} for u, d in flow.items()}
    out: list[tuple[list[str], int]] = []
    while work.get(SOURCE):
        parent: dict[str, str] = {}
        stack = [SOURCE]
        seen = {SOURCE}
        while stack and SINK not in parent:
            u = stack.pop()
            for v in work.get(u, {}):
                if v not in seen:
                    seen.add(v)
                    parent[v] = u
                    stack.append(v)
        if SINK not in parent:
            break
        nodes = [SINK]
        while nodes[-1] != SOURCE:
            nodes.append(parent[nodes[-1]])
        nodes.reverse()
        amount = min(work[u][v] for u, v in itertools.pairwise(nodes))
        for u, v in itertools.pairwise(nodes):
            work[u][v] -= amount
            if work[u][v] == 0:
                del work[u][v]
        out.append((nodes, amount))
    return out


def _mincost(net: Network, state: EdgeState, draw: ModelDraw, demand_teu: float,
             origins: Sequence[str], destinations: Sequence[str], penalty: float) -> Allocation:
    usable = state.usable()
    residual = np.floor(state.capacity).astype(np.int64)
    edge_teu = np.zeros(len(net.edges))
    flows: list[PathFlow] = []
    unserved: dict[str, float] = {}
    demands = _class_teu(draw, demand_teu)
    for cls in draw.by_priority():
        d = demands[cls.name]
        unserved[cls.name] = 0.0
        if d <= 0:
            continue
        gc = state.gc(cls.vot_usd_per_feu_day)
        g = nx.DiGraph()
        g.add_node(SOURCE, demand=-d)
        g.add_node(SINK, demand=d)
        arc_edge: dict[tuple[str, str], int] = {}
        for i, e in enumerate(net.edges):
            if usable[i] and residual[i] > 0:
                w, c = round(float(gc[i])), int(residual[i])
                for u, v in ((e.a, e.b), (e.b, e.a)):
                    g.add_edge(u, v, weight=w, capacity=c)
                    arc_edge[(u, v)] = i
        for o in origins:
            g.add_edge(SOURCE, o, weight=0, capacity=d)
        for t in destinations:
            g.add_edge(t, SINK, weight=0, capacity=d)
        g.add_edge(SOURCE, SINK, weight=round(penalty), capacity=d)
        for nodes, amount in _decompose(nx.min_cost_flow(g)):
            inner = nodes[1:-1]
            if not inner:
                unserved[cls.name] += amount
                continue
            edges = tuple(arc_edge[(u, v)] for u, v in itertools.pairwise(inner))
            for i in edges:
                residual[i] -= amount
                edge_teu[i] += amount
            flows.append(PathFlow(cls.name, Path(tuple(inner), edges), float(amount)))
    return Allocation("mincost", demand_teu, flows, edge_teu, unserved)


def candidate_paths(net: Network, state: EdgeState, draw: ModelDraw, origins: Sequence[str],
                    destinations: Sequence[str], k: int = 12) -> list[Path]:
    """The union over cargo classes of each class's ``k`` best routes and of the best route of
    every corridor (at the class's value of time), so that no open corridor is left out."""
    seen: dict[tuple[int, ...], Path] = {}
    for cls in draw.by_priority():
        vot = cls.vot_usd_per_feu_day
        for p in (*k_best_paths(net, state, vot, origins, destinations, k),
                  *corridor_best_paths(net, state, vot, origins, destinations)):
            seen.setdefault(p.edges, p)
    return list(seen.values())


def choice_group(corridor: str) -> str:
    """The alternative a shipper chooses: a corridor, with Suez and the Cape as one 'sea'
    alternative (which way round Africa a ship sails is the carrier's call)."""
    return "sea" if corridor in ("suez", "cape") else corridor


def _logit(net: Network, state: EdgeState, draw: ModelDraw, demand_teu: float,
           paths: Sequence[Path]) -> Allocation:
    usable = state.usable()
    paths = [p for p in paths if p.edges and all(usable[i] for i in p.edges)]
    n_e = len(net.edges)
    inc = np.zeros((len(paths), n_e))
    for r, p in enumerate(paths):
        inc[r, list(p.edges)] = 1.0
    names = sorted({choice_group(p.corridor(net)) for p in paths})
    group = np.array([names.index(choice_group(p.corridor(net))) for p in paths], dtype=int)
    residual = np.where(usable, state.capacity, 0.0).astype(float)
    edge_teu = np.zeros(n_e)
    flows: list[PathFlow] = []
    unserved: dict[str, float] = {}
    scale = max(draw.logit_scale_usd, 1e-9)
    for cls in draw.by_priority():
        remaining = demand_teu * cls.share
        gc_r = inc @ state.gc(cls.vot_usd_per_feu_day)
        got = np.zeros(len(paths))
        active = np.asarray(~inc[:, residual <= 0].any(axis=1), dtype=bool)
        while remaining > 1e-9 and active.any():
            reps = _representatives(gc_r, group, active)
            z = -(gc_r[reps] - gc_r[reps].min()) / scale
            x = remaining * np.exp(z) / np.exp(z).sum()
            load = x @ inc[reps]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(load > 0, residual / load, np.inf)
            f = min(1.0, float(ratio.min()))
            got[reps] += x * f
            residual = np.maximum(residual - load * f, 0.0)
            remaining *= 1.0 - f
            if f >= 1.0:
                remaining = 0.0
                break
            residual[ratio <= f] = 0.0  # the edge(s) that bound are now full
            active = active & ~inc[:, residual <= 0].any(axis=1)
        unserved[cls.name] = float(remaining)
        for q in np.flatnonzero(got > 0):
            flows.append(PathFlow(cls.name, paths[q], float(got[q])))
            edge_teu += got[q] * inc[q]
    return Allocation("logit", demand_teu, flows, edge_teu, unserved)


def _representatives(gc_r: FloatArray, group: NDArray[np.int_],
                     active: NDArray[np.bool_]) -> NDArray[np.int_]:
    """Index of the cheapest active route of every group that has one."""
    reps: list[int] = []
    for g in np.unique(group[active]):
        idx = np.flatnonzero(active & (group == g))
        reps.append(int(idx[np.argmin(gc_r[idx])]))
    return np.asarray(reps, dtype=int)


def allocate(net: Network, state: EdgeState, draw: ModelDraw, demand_teu: float,
             origins: Sequence[str], destinations: Sequence[str], method: Method = "mincost",
             *, paths: Sequence[Path] | None = None, k: int = 12,
             penalty_usd: float = 1_000_000.0) -> Allocation:
    """Assign ``demand_teu`` (TEU per year) from the origins to the destinations.

    ``paths`` (logit only) fixes the candidate route set, e.g. one computed once at central
    values for a Monte Carlo; by default each class's ``k`` best routes are used.
    """
    if demand_teu < 0:
        raise ValueError("demand must not be negative")
    if method == "mincost":
        return _mincost(net, state, draw, demand_teu, origins, destinations, penalty_usd)
    if method == "logit":
        if paths is None:
            paths = candidate_paths(net, state, draw, origins, destinations, k)
        return _logit(net, state, draw, demand_teu, paths)
    raise ValueError(f"unknown method {method!r}")
