"""Invariants of routing and allocation on random networks (hypothesis) and the shipped one.

* removing an edge never increases the maximum flow nor lowers the best route's cost;
* costs and flows do not depend on the order nodes and edges are listed in;
* allocations respect capacities, conserve volume at every node and account for all demand.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.corridors.helpers import make_network, plain_draw
from tightrope.corridors.allocation import Allocation, allocate
from tightrope.corridors.data import load_data
from tightrope.corridors.model import CENTRAL, EdgeState, edge_state
from tightrope.corridors.network import Network
from tightrope.corridors.routing import best_cost, max_flow_teu

N = 7
ORIGINS, DESTS = ["n0"], ["n6"]


@st.composite
def networks(draw: st.DrawFn) -> Network:
    pairs = draw(st.lists(st.tuples(st.integers(0, N - 1), st.integers(0, N - 1))
                          .filter(lambda p: p[0] < p[1]), min_size=3, max_size=16,
                          unique=True))
    edges = [(a, b, draw(st.integers(1, 30)), draw(st.integers(0, 5000)),
              draw(st.integers(0, 500))) for a, b in pairs]
    return make_network(N, edges)


def _state(net: Network) -> EdgeState:
    return edge_state(net, plain_draw(), CENTRAL)


def _node_balance(net: Network, alloc: Allocation) -> dict[str, float]:
    bal: dict[str, float] = defaultdict(float)
    edge = np.zeros(len(net.edges))
    for f in alloc.flows:
        bal[f.path.nodes[0]] -= f.teu
        bal[f.path.nodes[-1]] += f.teu
        for i in f.path.edges:
            edge[i] += f.teu
        # the path is connected: consecutive nodes are the ends of its edges
        for (u, v), i in zip(zip(f.path.nodes, f.path.nodes[1:], strict=False), f.path.edges,
                             strict=True):
            assert {u, v} == {net.edges[i].a, net.edges[i].b}
    assert np.allclose(edge, alloc.edge_teu)
    return bal


@settings(max_examples=60, deadline=None)
@given(networks(), st.data())
def test_removing_an_edge_never_helps(net: Network, data: st.DataObject) -> None:
    drop = data.draw(st.sampled_from([e.id for e in net.edges]))
    smaller = net.without([drop])
    vot = data.draw(st.floats(0, 1000))
    assert max_flow_teu(smaller, _state(smaller), ORIGINS, DESTS) <= (
        max_flow_teu(net, _state(net), ORIGINS, DESTS) + 1e-9)
    assert best_cost(smaller, _state(smaller), vot, ORIGINS, DESTS) >= (
        best_cost(net, _state(net), vot, ORIGINS, DESTS) - 1e-9)


@settings(max_examples=40, deadline=None)
@given(networks(), st.randoms(use_true_random=False), st.integers(0, 2000))
def test_results_do_not_depend_on_listing_order(net: Network, rnd: object, demand: int) -> None:
    import random

    assert isinstance(rnd, random.Random)
    nodes, edges = list(range(len(net.nodes))), list(range(len(net.edges)))
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    other = net.reordered(nodes, edges)
    draw = plain_draw((50.0, 400.0))
    for vot in (0.0, 75.0, 900.0):
        assert best_cost(other, _state(other), vot, ORIGINS, DESTS) == pytest.approx(
            best_cost(net, _state(net), vot, ORIGINS, DESTS))
    assert max_flow_teu(other, _state(other), ORIGINS, DESTS) == pytest.approx(
        max_flow_teu(net, _state(net), ORIGINS, DESTS))
    costs = []
    for n in (net, other):
        s = _state(n)
        a = allocate(n, s, draw, demand, ORIGINS, DESTS, "mincost")
        by = {c.name: c.vot_usd_per_feu_day for c in draw.classes}
        costs.append((sum(f.teu * f.path.total(s.gc(by[f.cargo_class])) for f in a.flows),
                      a.unserved_total))
    assert costs[0][1] == pytest.approx(costs[1][1])
    assert costs[0][0] == pytest.approx(costs[1][0])


@settings(max_examples=60, deadline=None)
@given(networks(), st.integers(0, 3000), st.sampled_from(["mincost", "logit"]))
def test_flows_respect_capacity_and_conserve_volume(net: Network, demand: int,
                                                    method: str) -> None:
    s = _state(net)
    draw = plain_draw((20.0, 300.0), (0.6, 0.4))
    a = allocate(net, s, draw, demand, ORIGINS, DESTS, method)  # type: ignore[arg-type]
    assert np.all(a.edge_teu <= s.capacity + 1e-6)
    assert a.served_teu + a.unserved_total == pytest.approx(demand, abs=1e-6)
    bal = _node_balance(net, a)
    for node, b in bal.items():
        if node == "n0":
            assert b == pytest.approx(-a.served_teu)
        elif node == "n6":
            assert b == pytest.approx(a.served_teu)
        else:
            assert b == pytest.approx(0.0, abs=1e-6)
    cap = max_flow_teu(net, s, ORIGINS, DESTS)
    assert a.served_teu <= cap + 1e-6
    if method == "mincost":
        # with one class a min-cost flow leaves nothing unserved that could be carried (with
        # several, an earlier class's routes may block a later one's: documented limitation)
        one = allocate(net, s, plain_draw((100.0,)), demand, ORIGINS, DESTS, "mincost")
        assert one.served_teu == pytest.approx(min(demand, cap))


def test_removing_any_shipped_edge_never_helps() -> None:
    data = load_data()
    net, m = data.network, data.model
    draw = m.draw(CENTRAL)
    full = edge_state(net, draw, CENTRAL)
    flow0 = max_flow_teu(net, full, m.origins, m.destinations)
    cost0 = best_cost(net, full, 100.0, m.origins, m.destinations)
    for e in net.edges:
        smaller = net.without([e.id])
        s = edge_state(smaller, draw, CENTRAL)
        assert max_flow_teu(smaller, s, m.origins, m.destinations) <= flow0 + 1e-6, e.id
        assert best_cost(smaller, s, 100.0, m.origins, m.destinations) >= cost0 - 1e-6, e.id


def test_shipped_allocations_respect_capacity() -> None:
    data = load_data()
    net, m = data.network, data.model
    draw = m.draw(CENTRAL)
    s = edge_state(net, draw, CENTRAL)
    for method in ("mincost", "logit"):
        a = allocate(net, s, draw, 20_000_000, m.origins, m.destinations, method)  # type: ignore[arg-type]
        assert np.all(a.edge_teu <= s.capacity + 1e-6)
        assert a.served_teu + a.unserved_total == pytest.approx(20_000_000)
        assert a.unserved_total == pytest.approx(0.0)  # the sea never binds
