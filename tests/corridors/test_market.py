"""The market model: logit shares, capacity, congestion, the sea's supply response, the
Kazakhstan tables, the Minefield payoff and the settings file's checks."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope import corridors
from tightrope.corridors.calibrate import calibrated_run, solve_years, year_conditions
from tightrope.corridors.data import load_data
from tightrope.corridors.impact import headroom, market_impact, move_gain
from tightrope.corridors.market import (
    Conditions,
    MarketParams,
    MarketState,
    _logit,
    sea_gamma,
    solve,
)
from tightrope.corridors.market_data import parse_market
from tightrope.corridors.model import KeyedSampler
from tightrope.errors import InputError


@given(st.dictionaries(st.sampled_from("abcde"), st.floats(-1e5, 1e5), min_size=1),
       st.floats(1.0, 1e4))
def test_logit_shares_are_probabilities_and_ordered(costs: dict[str, float], s: float) -> None:
    p = _logit(costs, s)
    assert math.isclose(sum(p.values()), 1.0, rel_tol=1e-9)
    assert all(0 <= x <= 1 for x in p.values())
    for a in costs:
        for b in costs:
            if costs[a] < costs[b]:
                assert p[a] >= p[b]


@settings(max_examples=30, deadline=None)
@given(st.floats(1.01, 1.2), st.floats(1.0, 1.1), st.floats(0.0, 0.05), st.floats(0.06, 0.2))
def test_sea_gamma_reproduces_the_2021_rate(demand: float, fleet: float, a19: float,
                                            a21: float) -> None:
    v = {"sea_market.fleet_growth_2019_2021": fleet, "sea_market.absorbed_2021": a21,
         "sea_market.absorbed_2019": a19, "sea_market.demand_growth_2019_2021": demand,
         "rate_index.2021": 5.32}
    g = sea_gamma(v)
    u = demand / (fleet * (1 - a21) / (1 - a19))
    if u > 1:
        assert u ** g == pytest.approx(5.32, rel=1e-6)
    else:
        assert g == math.inf


def _central() -> tuple[MarketParams, dict[int, MarketState]]:
    data = load_data()
    _, p, attrs = calibrated_run(None)
    return p, solve_years(data, data.market, p, (2021, 2022, 2023, 2024), base=attrs)


def test_bottlenecks_respect_capacity_and_price_only_when_full() -> None:
    _, states = _central()
    for st_ in states.values():
        for ld in st_.loads:
            assert ld.flow <= ld.capacity * 1.02
            if ld.shadow_price > 0:  # complementary slackness
                assert ld.flow >= ld.capacity * 0.97


def test_halving_a_capacity_never_raises_the_flow_through_it() -> None:
    data = load_data()
    _, p, attrs = calibrated_run(None)
    cond = year_conditions(data.market, 2021, p)
    full = solve(attrs, cond, p, bottlenecks=data.market.bottlenecks)
    caps = dict(p.caps)
    caps["brest"] *= 0.5
    half = solve(attrs, cond, MarketParams(p.v, caps, p.dcap, p.gamma),
                 bottlenecks=data.market.bottlenecks)
    assert half.teu["northern"] <= full.teu["northern"]
    assert half.teu["northern"] <= caps["brest"] * 1.02
    assert half.teu["middle"] + half.teu["suez"] + half.teu["cape"] > (
        full.teu["middle"] + full.teu["suez"] + full.teu["cape"])


def test_demand_is_conserved_and_counted_in_its_units() -> None:
    p, states = _central()
    d = p["container_demand.westbound_teu"] * (1 + p["container_demand.eastbound_ratio"])
    for s in states.values():
        assert sum(s.teu.values()) == pytest.approx(d, rel=1e-9)
        assert sum(s.regional_t.values()) == pytest.approx(
            p["regional_demand.mt_per_year"] * 1e6, rel=1e-9)
        assert s.middle_t == pytest.approx(
            s.teu["middle"] * p["units.t_per_teu"] + s.regional_t["middle"])


def test_pre_war_rail_flow_is_two_way_and_below_the_erai_record() -> None:
    """The issue: the old model's westbound rail (525k TEU) exceeded ERAI's two-way total."""
    _, states = _central()
    assert 600_000 < states[2021].teu["northern"] < 800_000  # ~758k TEU both ways in 2021
    assert states[2022].teu["northern"] < states[2021].teu["northern"]


def test_the_red_sea_raises_the_rate_through_absorbed_capacity() -> None:
    data = load_data()
    _, p, attrs = calibrated_run(None)
    st23 = solve_years(data, data.market, p, (2023, 2024), base=attrs)
    assert st23[2024].cape_share > 0.8
    assert st23[2024].rate_index > 2 * st23[2023].rate_index
    no_offset = MarketParams({**p.v, "sea_market.redeployment_offset": 0.9}, p.caps, p.dcap,
                             p.gamma)
    milder = solve_years(data, data.market, no_offset, (2024,), base=attrs)[2024]
    assert milder.rate_index < st23[2024].rate_index  # more redeployment, smaller spike


@pytest.fixture(scope="module")
def russia() -> corridors.DisruptionResult:
    return corridors.disrupt(["russia-transit"], runs=0)


def test_disrupt_russia_transit_moves_traffic_to_the_middle_corridor(
        russia: corridors.DisruptionResult) -> None:
    m = russia.to_json()["market"]
    assert m["year"] == 2024
    assert m["middle_corridor"]["gains"] and m["middle_corridor"]["teu_change"] > 0
    north = next(r for r in m["corridors"] if r["corridor"] == "northern")
    assert north["after"] == 0 and north["before"] > 0
    hr = m["middle_corridor"]["headroom_after"]
    first = [h for h in hr if h["binds_first"]]
    assert len(first) == 1 and first[0]["name"] and first[0]["middle_t_when_binding"] > 0


def test_who_gains_has_signs_that_match_the_change(
        russia: corridors.DisruptionResult) -> None:
    rows = russia.to_json()["market"]["who_gains"]
    assert rows == sorted(rows, key=lambda r: -r["change_usd"])
    for r in rows:
        assert r["change_usd"] == r["after_usd"] - r["before_usd"] or abs(
            r["change_usd"] - (r["after_usd"] - r["before_usd"])) <= 1
        assert r["gains"] == (r["change_usd"] > 0)
    kaz = next(r for r in rows if r["iso3"] == "KAZ")
    assert kaz["change_usd"] < 0  # Kazakhstan loses the Northern transit it carried
    assert any(r["iso3"] == "AZE" and r["gains"] for r in rows)


def test_market_bands_are_paired_and_reproducible() -> None:
    data = load_data()
    scen = [data.scenarios["russia-transit"]]
    a = market_impact(scen, runs=2, seed=5).to_json()
    b = market_impact(scen, runs=2, seed=5).to_json()
    assert a["middle_corridor"]["teu_change_band"] == b["middle_corridor"]["teu_change_band"]
    lo, hi = a["kazakhstan"]["revenue_usd"]["change_band"]
    assert lo <= hi


def test_keyed_sampler_does_not_depend_on_the_order_of_draws() -> None:
    s1, s2 = KeyedSampler(1, 3), KeyedSampler(1, 3)
    x = s1.pick("a", 0, 1, 2), s1.pick("b", 0, 1, 2)
    y = s2.pick("b", 0, 1, 2), s2.pick("a", 0, 1, 2)
    assert x == (y[1], y[0])
    assert KeyedSampler(1, 4).pick("a", 0, 1, 2) != x[0]


def test_headroom_names_the_first_binding_bottleneck() -> None:
    _, states = _central()
    rows = headroom(states[2023])
    assert {r["key"] for r in rows} == {"china-kazakhstan", "caspian", "caucasus-onward"}
    whens = [r["middle_t_when_binding"] for r in rows if r["middle_t_when_binding"]]
    assert whens == sorted(whens) and rows[0]["binds_first"]


def test_move_gain_for_the_minefield_is_a_sourced_range() -> None:
    g = move_gain("middle-corridor-reform")
    assert g["low"] <= g["value"] <= g["high"]
    assert g["unit"] == "pct_gdp per quarter" and "GDP" in g["rationale"]
    with pytest.raises(InputError, match="unknown corridor scenario"):
        move_gain("no-such-move")


def test_market_file_errors_name_the_field(tmp_path: Path) -> None:
    src = Path(corridors.__file__).parent.parent / "data" / "corridors" / "market.yaml"
    text = src.read_text(encoding="utf-8")
    bad = tmp_path / "market.yaml"
    data = load_data()
    bad.write_text(text.replace("    2021: {value: 25200, source: titr-2022-results, year: 2021}",
                                "    2022: {value: 33000, source: titr-2022-results, year: 2022}"),
                   encoding="utf-8")
    with pytest.raises(InputError, match="2021 or earlier"):
        parse_market(bad, data.network, data.network.sources)
    bad.write_text(text.replace("edges: [brest-malaszewicze]", "edges: [brest-moon]"),
                   encoding="utf-8")
    with pytest.raises(InputError, match="brest-moon"):
        parse_market(bad, data.network, data.network.sources)
    bad.write_text(text.replace('bpr_exponent: {value: 4, low: 3, high: 6, rationale: "Bureau '
                                'of Public Roads (1964) volume-delay exponent, the usual value '
                                'for congested links; authors\' range."}',
                                "bpr_exponent: {value: 4, low: 3, high: 6}"), encoding="utf-8")
    with pytest.raises(InputError, match="bpr_exponent"):
        parse_market(bad, data.network, data.network.sources)


def test_year_conditions_reject_unknown_years() -> None:
    data = load_data()
    _, p, _ = calibrated_run(None)
    with pytest.raises(InputError, match="2030"):
        year_conditions(data.market, 2030, p)
    assert isinstance(year_conditions(data.market, 2024, p), Conditions)


def test_closing_suez_outright_also_raises_the_rate() -> None:
    """A closure (no Suez route at all) absorbs capacity like the attacks do."""
    data = load_data()
    _, p, base = calibrated_run(None)
    from tightrope.corridors.calibrate import vots
    from tightrope.corridors.market import network_attributes

    closed = network_attributes(data, data.market, [data.scenarios["red-sea"]], vots=vots(p))
    assert "suez" not in closed.routes["standard"]
    cond = year_conditions(data.market, 2023, p)
    st_ = solve(closed, cond, p, reference=base, bottlenecks=data.market.bottlenecks)
    assert st_.cape_share == 1.0 and st_.rate_index > 2 * cond.rate_index
