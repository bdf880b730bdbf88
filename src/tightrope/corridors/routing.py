"""Shortest and k-best routes by generalised cost.

The generalised cost of a route for one FEU is

    GC = sum over its edges of (freight_e + VOT * days_e + risk_e)

with freight in US$/FEU, VOT the value of time in US$ per FEU-day and risk the premium of the
edge's risk tags (US$/FEU). The k best loopless routes come from Yen's algorithm
(Yen 1971, "Finding the k shortest loopless paths in a network", Management Science 17(11))
as implemented by ``networkx.shortest_simple_paths``. The best route of each corridor comes
from a table of every loopless route between the model's origins and destinations
(:class:`RouteTable`), enumerated once per network.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice, pairwise
from typing import Final

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from tightrope.corridors.model import EdgeState
from tightrope.corridors.network import CORRIDOR_PRIORITY, Network, corridor_of

__all__ = ["SINK", "SOURCE", "Path", "RouteTable", "best_cost", "corridor_best_paths",
           "corridor_best_paths_yen", "digraph", "k_best_paths", "max_flow_teu", "route_table"]

SOURCE: Final = "__source__"
SINK: Final = "__sink__"
#: Yen's algorithm is lazy; stop looking after this many candidates when filtering.
_MAX_CANDIDATES: Final = 2000


@dataclass(frozen=True, slots=True)
class Path:
    """A route: node ids from origin to destination and the edge indices between them."""

    nodes: tuple[str, ...]
    edges: tuple[int, ...]

    def corridor(self, net: Network) -> str:
        return corridor_of(net.edges[i] for i in self.edges)

    def total(self, values: NDArray[np.float64]) -> float:
        return float(values[list(self.edges)].sum()) if self.edges else 0.0


#: A network with more loopless routes than this between its ends is searched, not enumerated.
_MAX_ROUTES: Final = 50_000


class RouteTable:
    """Every loopless route of a network from a source to a target, enumerated once.

    Route ``r`` visits ``nodes[r]`` over the edges ``edges[r]``. Its cost under a vector of
    edge weights is summed edge by edge in travel order, as a path search sums it.
    """

    def __init__(self, net: Network, nodes: list[tuple[str, ...]],
                 edges: list[tuple[int, ...]]) -> None:
        n_edges = len(net.edges)
        self.nodes, self.edges = nodes, edges
        width = max((len(e) for e in edges), default=0)
        # edge indices in travel order, padded with a slot of weight 0 (index n_edges)
        self._order = np.full((len(edges), width), n_edges, dtype=np.intp)
        for r, es in enumerate(edges):
            self._order[r, :len(es)] = es
        uses = np.zeros((len(edges), n_edges + 1), dtype=bool)
        uses[np.arange(len(edges))[:, None], self._order] = True
        self._uses = uses[:, :n_edges]
        corridor = np.array([e.corridor for e in net.edges])
        self._in = {c: self._uses[:, corridor == c].any(axis=1) for c in CORRIDOR_PRIORITY}

    def __len__(self) -> int:
        return len(self.edges)

    def costs(self, weight: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each route's summed weight."""
        w = np.append(np.asarray(weight, dtype=np.float64), 0.0)
        cost = np.zeros(len(self.edges))
        for j in range(self._order.shape[1]):
            cost += w[self._order[:, j]]
        return cost

    def corridor_best(self, weight: NDArray[np.float64], usable: NDArray[np.bool_]
                      ) -> list[Path]:
        """The cheapest usable route of each corridor (see :func:`corridor_best_paths`);
        among routes of equal cost, the first enumerated."""
        cost = self.costs(weight)
        ok = ~self._uses[:, ~np.asarray(usable, dtype=bool)].any(axis=1)
        out: list[Path] = []
        for c in CORRIDOR_PRIORITY:
            cand = np.flatnonzero(ok & self._in[c])
            if len(cand):
                r = int(cand[np.argmin(cost[cand])])
                out.append(Path(self.nodes[r], self.edges[r]))
            ok &= ~self._in[c]  # later corridors avoid this one's edges
        return out


@lru_cache(maxsize=16)
def route_table(net: Network, sources: tuple[str, ...], targets: tuple[str, ...]
                ) -> RouteTable | None:
    """The loopless routes of ``net`` (both directions of every edge) that start at a source
    and end at a target, found by depth-first search; None when there are more than
    :data:`_MAX_ROUTES`. A route may pass through other sources and targets."""
    adj: dict[str, list[tuple[str, int]]] = {n.id: [] for n in net.nodes}
    for i, e in enumerate(net.edges):
        adj[e.a].append((e.b, i))
        adj[e.b].append((e.a, i))
    ends = set(targets)
    nodes: list[tuple[str, ...]] = []
    edges: list[tuple[int, ...]] = []
    for src in dict.fromkeys(sources):
        if src not in adj:
            continue
        walk, on = [src], {src}
        over: list[int] = []
        stack = [iter(adj[src])]
        while stack:
            step = next(stack[-1], None)
            if step is None:  # every way on from the walk's last node has been tried
                stack.pop()
                on.discard(walk.pop())
                if over:
                    over.pop()
                continue
            v, i = step
            if v in on:
                continue
            walk.append(v)
            over.append(i)
            on.add(v)
            if v in ends:
                nodes.append(tuple(walk))
                edges.append(tuple(over))
                if len(edges) > _MAX_ROUTES:
                    return None
            stack.append(iter(adj[v]))
    return RouteTable(net, nodes, edges)


def digraph(net: Network, weight: NDArray[np.float64], usable: NDArray[np.bool_]) -> nx.DiGraph:
    """Both directions of every usable edge, weighted; arcs remember their edge index."""
    g = nx.DiGraph()
    g.add_nodes_from(n.id for n in net.nodes)
    for i, e in enumerate(net.edges):
        if usable[i]:
            w = float(weight[i])
            g.add_edge(e.a, e.b, weight=w, edge=i)
            g.add_edge(e.b, e.a, weight=w, edge=i)
    return g


def _with_terminals(g: nx.DiGraph, sources: Sequence[str], targets: Sequence[str]) -> None:
    for s in sources:
        g.add_edge(SOURCE, s, weight=0.0)
    for t in targets:
        g.add_edge(t, SINK, weight=0.0)


def _paths(g: nx.DiGraph, sources: Sequence[str], targets: Sequence[str]
           ) -> Iterator[list[str]]:
    single = len(sources) == 1 and len(targets) == 1
    s, t = (sources[0], targets[0]) if single else (SOURCE, SINK)
    if not single:
        _with_terminals(g, sources, targets)
    if s not in g or t not in g:
        return
    try:
        for p in islice(nx.shortest_simple_paths(g, s, t, weight="weight"), _MAX_CANDIDATES):
            yield p if single else p[1:-1]
    except nx.NetworkXNoPath:
        return


def k_best_paths(net: Network, state: EdgeState, vot_usd_per_feu_day: float,
                 sources: Sequence[str], targets: Sequence[str], k: int) -> list[Path]:
    """Up to ``k`` loopless routes in ascending generalised cost.

    With several sources or targets, routes that pass through a second origin or destination
    are skipped: the origins (and destinations) stand for one region at equal access cost, so
    such a route is dominated by its own tail (head).
    """
    if k <= 0:
        return []
    g = digraph(net, state.gc(vot_usd_per_feu_day), state.usable())
    ends = set(sources) | set(targets)
    out: list[Path] = []
    for nodes in _paths(g, sources, targets):
        if sum(1 for n in nodes if n in ends) > 2:
            continue
        edges = tuple(int(g.edges[u, v]["edge"]) for u, v in pairwise(nodes))
        out.append(Path(tuple(nodes), edges))
        if len(out) >= k:
            break
    return out


def corridor_best_paths(net: Network, state: EdgeState, vot_usd_per_feu_day: float,
                        sources: Sequence[str], targets: Sequence[str]) -> list[Path]:
    """The cheapest route of every corridor that has one.

    A route belongs to the first corridor of :data:`CORRIDOR_PRIORITY` among its edges, so the
    best route of corridor ``c`` is the cheapest loopless route from a source to a target that
    avoids the edges of the corridors ranked before it and uses at least one edge of ``c``.
    The loopless routes of a small network are enumerated once (:class:`RouteTable`) and each
    call picks the cheapest eligible one of them. A network with too many routes to enumerate
    is searched instead (:func:`corridor_best_paths_yen`), which finds the same routes but can
    miss a corridor altogether (see there).
    """
    table = route_table(net, tuple(sources), tuple(targets))
    if table is None:
        return corridor_best_paths_yen(net, state, vot_usd_per_feu_day, sources, targets)
    return table.corridor_best(state.gc(vot_usd_per_feu_day), state.usable())


def corridor_best_paths_yen(net: Network, state: EdgeState, vot_usd_per_feu_day: float,
                            sources: Sequence[str], targets: Sequence[str]) -> list[Path]:
    """:func:`corridor_best_paths` by search: for each corridor, a shortest path on a two-layer
    copy of the network (layer 1 once a ``c`` edge has been used); a route that revisits a
    node across layers is skipped for the next one (Yen's order, up to 50 candidates). When
    all 50 revisit a node the corridor is reported as having no route: on the shipped network
    this happened to the Southern corridor at a value of time of $600 per FEU-day.
    """
    gc = state.gc(vot_usd_per_feu_day)
    usable = state.usable()
    out: list[Path] = []
    for k, corridor in enumerate(CORRIDOR_PRIORITY):
        banned = set(CORRIDOR_PRIORITY[:k])
        g = nx.DiGraph()
        for i, e in enumerate(net.edges):
            if not usable[i] or e.corridor in banned:
                continue
            for u, v in ((e.a, e.b), (e.b, e.a)):
                for layer in (0, 1):
                    to = 1 if e.corridor == corridor else layer
                    g.add_edge((u, layer), (v, to), weight=float(gc[i]), edge=i)
        for src in sources:
            g.add_edge(SOURCE, (src, 0), weight=0.0)
        for t in targets:
            g.add_edge((t, 1), SINK, weight=0.0)
        if SOURCE not in g or SINK not in g:
            continue
        try:
            for layered in islice(nx.shortest_simple_paths(g, SOURCE, SINK, weight="weight"),
                                  50):
                inner = layered[1:-1]
                nodes = tuple(n for n, _ in inner)
                if len(set(nodes)) == len(nodes):
                    edges = tuple(int(g.edges[a, b]["edge"])
                                  for a, b in pairwise(inner))
                    out.append(Path(nodes, edges))
                    break
        except nx.NetworkXNoPath:
            continue
    return out


def best_cost(net: Network, state: EdgeState, vot_usd_per_feu_day: float,
              sources: Sequence[str], targets: Sequence[str]) -> float:
    """Generalised cost per FEU of the cheapest route (``inf`` when none exists)."""
    g = digraph(net, state.gc(vot_usd_per_feu_day), state.usable())
    _with_terminals(g, sources, targets)
    try:
        return float(nx.shortest_path_length(g, SOURCE, SINK, weight="weight"))
    except nx.NetworkXNoPath:
        return float("inf")


def max_flow_teu(net: Network, state: EdgeState, sources: Sequence[str],
                 targets: Sequence[str]) -> float:
    """Maximum TEU per year the usable edges can carry from the sources to the targets.

    An undirected edge's capacity is shared by its two directions; modelling it as two arcs
    of full capacity gives the same maximum (an optimal flow never uses both directions).
    """
    g = nx.DiGraph()
    g.add_nodes_from([SOURCE, SINK])
    usable = state.usable()
    for i, e in enumerate(net.edges):
        if usable[i]:
            cap = float(state.capacity[i])
            g.add_edge(e.a, e.b, capacity=cap)
            g.add_edge(e.b, e.a, capacity=cap)
    for s in sources:
        g.add_edge(SOURCE, s)
    for t in targets:
        g.add_edge(t, SINK)
    return float(nx.maximum_flow_value(g, SOURCE, SINK))
