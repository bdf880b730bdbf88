"""k-best routes by generalised cost on the shipped network."""

from __future__ import annotations

import pytest

from tightrope import corridors
from tightrope.errors import InputError


def test_xian_duisburg_routes_are_ranked_with_bands() -> None:
    res = corridors.route("Xian", "Duisburg", k=5)
    gcs = [o.gc_usd for o in res.options]
    assert len(gcs) == 5 and gcs == sorted(gcs)
    for o in res.options:
        assert o.nodes[0].id == "xian" and o.nodes[-1].id == "duisburg"
        assert o.days[1] <= o.days[0] <= o.days[2]
        assert o.freight_usd[1] <= o.freight_usd[0] <= o.freight_usd[2]
        assert o.gc_usd == pytest.approx(o.freight_usd[0] + o.time_value_usd + o.risk_usd)
    northern = next(o for o in res.options if o.corridor == "northern")
    assert northern.gauge_breaks == 2  # 1435 -> 1520 at the Chinese border, back at Brest
    assert {"KAZ", "RUS", "BLR", "POL"} <= set(northern.countries)
    # rail via Russia is faster than the sea, the sea cheaper
    sea = next(o for o in res.options if o.corridor == "suez")
    assert northern.days[0] < sea.days[0] and sea.freight_usd[0] < northern.freight_usd[0]


def test_value_of_time_moves_the_ranking() -> None:
    cheap = corridors.route("Xian", "Duisburg", k=1, vot_usd_per_feu_day=10).options[0]
    urgent = corridors.route("Xian", "Duisburg", k=1, vot_usd_per_feu_day=1000).options[0]
    assert cheap.corridor == "suez" and urgent.corridor == "northern"


def test_scenarios_close_routes() -> None:
    opts = corridors.route("Xian", "Duisburg", k=8, scenarios=["russia-transit", "red-sea"]).options
    assert opts and all(o.corridor not in ("northern", "suez") for o in opts)
    assert {"cape", "middle"} <= {o.corridor for o in opts}


def test_the_middle_corridor_crosses_the_caspian() -> None:
    res = corridors.route("Almaty", "Constanța", k=3)
    best = res.options[0]
    assert best.corridor == "middle" and "ferry" in best.modes
    assert {"KAZ", "AZE", "GEO"} <= set(best.countries)


def test_bad_route_requests_are_input_errors() -> None:
    with pytest.raises(InputError, match="did you mean"):
        corridors.route("Xien", "Duisburg")
    with pytest.raises(InputError, match="same node"):
        corridors.route("Xian", "xi'an")
    with pytest.raises(InputError, match="unknown scenario"):
        corridors.route("Xian", "Duisburg", scenarios=["russia"])
    with pytest.raises(InputError):
        corridors.route("Xian", "Duisburg", k=0)


def test_every_open_corridor_has_a_best_route() -> None:
    from tightrope.corridors.data import load_data
    from tightrope.corridors.model import CENTRAL, edge_state
    from tightrope.corridors.routing import corridor_best_paths
    from tightrope.corridors.scenarios import apply_scenarios

    data = load_data()
    net, m = data.network, data.model
    base = edge_state(net, m.draw(CENTRAL), CENTRAL)
    paths = corridor_best_paths(net, base, 100.0, m.origins, m.destinations)
    assert [p.corridor(net) for p in paths] == ["southern", "northern", "middle", "cape", "suez"]
    for p in paths:
        assert len(set(p.nodes)) == len(p.nodes)
    shut, _ = apply_scenarios(net, base, [data.scenarios["russia-transit"],
                                          data.scenarios["red-sea"]], CENTRAL)
    left = {p.corridor(net) for p in corridor_best_paths(net, shut, 100.0, m.origins,
                                                         m.destinations)}
    assert left == {"southern", "middle", "cape"}
