"""The best route of each corridor: enumerated loopless routes against an independent brute
force and against the search it replaced."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from itertools import pairwise, product

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.corridors import routing
from tightrope.corridors.data import load_data
from tightrope.corridors.model import CENTRAL, EdgeState, edge_state
from tightrope.corridors.network import CORRIDOR_PRIORITY
from tightrope.corridors.routing import (
    corridor_best_paths,
    corridor_best_paths_yen,
    route_table,
)
from tightrope.corridors.scenarios import apply_scenarios

DATA = load_data()
NET, MODEL = DATA.network, DATA.model


@functools.cache
def _nx_routes() -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """Every loopless source-to-target route, from networkx (not from the code under test);
    computed on first use, not when the module is collected."""
    g = nx.Graph()
    for i, e in enumerate(NET.edges):
        g.add_edge(e.a, e.b, edge=i)
    out = []
    for s, t in product(MODEL.origins, MODEL.destinations):
        for nodes in nx.all_simple_paths(g, s, t):
            out.append((tuple(nodes), tuple(g.edges[a, b]["edge"] for a, b in pairwise(nodes))))
    return out


CORRIDOR = [e.corridor for e in NET.edges]


def _brute_best(weight: np.ndarray, usable: np.ndarray) -> dict[str, float]:
    """Cheapest usable route of each corridor: uses one of its edges, none of an earlier one."""
    best: dict[str, float] = {}
    for _, edges in _nx_routes():
        if not all(usable[i] for i in edges):
            continue
        kinds = {CORRIDOR[i] for i in edges}
        c = next((c for c in CORRIDOR_PRIORITY if c in kinds), None)
        if c is None:
            continue
        cost = sum(float(weight[i]) for i in edges)
        best[c] = min(best.get(c, np.inf), cost)
    return best


def _state(weight: np.ndarray, usable: np.ndarray) -> EdgeState:
    n = len(weight)
    return EdgeState(days=np.zeros(n), cost=weight.astype(float),
                     capacity=np.where(usable, 1.0, 0.0), risk=np.zeros(n),
                     open=np.ones(n, dtype=bool))


def test_the_table_holds_every_loopless_route() -> None:
    table = route_table(NET, tuple(MODEL.origins), tuple(MODEL.destinations))
    assert table is not None
    assert sorted(zip(table.nodes, table.edges, strict=True)) == sorted(_nx_routes())


@settings(max_examples=25)
@given(st.data())
def test_best_route_of_each_corridor_is_the_cheapest_eligible_one(data: st.DataObject) -> None:
    n = len(NET.edges)
    weight = np.array(data.draw(st.lists(st.floats(1.0, 5_000.0), min_size=n, max_size=n)))
    closed = data.draw(st.sets(st.integers(0, n - 1), max_size=12))  # closed or no capacity
    usable = np.array([i not in closed for i in range(n)])
    paths = corridor_best_paths(NET, _state(weight, usable), 0.0, MODEL.origins,
                                MODEL.destinations)
    got = {p.corridor(NET): p.total(weight) for p in paths}
    want = _brute_best(weight, usable)
    assert got.keys() == want.keys()
    for c, cost in want.items():
        assert got[c] == pytest.approx(cost, rel=1e-12)
    for p in paths:
        assert len(set(p.nodes)) == len(p.nodes) and all(usable[i] for i in p.edges)


def _states() -> Iterator[tuple[str, EdgeState]]:
    base = edge_state(NET, MODEL.draw(CENTRAL), CENTRAL)
    yield "central", base
    for name, scen in DATA.scenarios.items():
        yield name, apply_scenarios(NET, base, [scen], CENTRAL)[0]


@pytest.mark.parametrize("vot", [10.0, 100.0, 600.0])
def test_the_yen_search_finds_the_same_routes_where_it_finds_one(vot: float) -> None:
    for _, state in _states():
        new = {p.corridor(NET): p for p in corridor_best_paths(
            NET, state, vot, MODEL.origins, MODEL.destinations)}
        old = {p.corridor(NET): p for p in corridor_best_paths_yen(
            NET, state, vot, MODEL.origins, MODEL.destinations)}
        assert old.items() <= new.items()


def test_every_corridor_has_a_route_at_a_high_value_of_time() -> None:
    """The Yen search stops after 50 candidates; at $600/FEU-day its first 50 on the route
    via Iran all revisit a node, and it reported no Southern route."""
    base = edge_state(NET, MODEL.draw(CENTRAL), CENTRAL)
    paths = corridor_best_paths(NET, base, 600.0, MODEL.origins, MODEL.destinations)
    assert [p.corridor(NET) for p in paths] == list(CORRIDOR_PRIORITY)


def test_a_network_with_too_many_routes_is_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    base = edge_state(NET, MODEL.draw(CENTRAL), CENTRAL)
    route_table.cache_clear()
    monkeypatch.setattr(routing, "_MAX_ROUTES", 100)
    try:
        assert route_table(NET, tuple(MODEL.origins), tuple(MODEL.destinations)) is None
        assert corridor_best_paths(NET, base, 100.0, MODEL.origins, MODEL.destinations) == \
            corridor_best_paths_yen(NET, base, 100.0, MODEL.origins, MODEL.destinations)
    finally:
        route_table.cache_clear()
