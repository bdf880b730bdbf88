"""The shipped corridor data: complete, consistent with its stated rules, and sourced."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tightrope.corridors import data as data_mod
from tightrope.corridors.data import load_data
from tightrope.corridors.network import RISK_TAGS
from tightrope.errors import InputError


def test_network_loads_with_the_required_nodes() -> None:
    net = load_data().network
    required = ["Xi'an", "Khorgos", "Altynkol", "Dostyk", "Alashankou", "Almaty", "Aktau",
                "Kuryk", "Baku/Alat", "Tbilisi", "Poti", "Batumi", "Kars", "Istanbul",
                "Constanța", "Moscow", "Brest", "Małaszewicze", "Duisburg", "Sarakhs",
                "Bandar Abbas", "Shanghai", "Suez", "Cape of Good Hope", "Rotterdam"]
    assert {net.resolve(n).name for n in required} == set(required)
    assert len(net.edges) >= 45
    for n in net.nodes:
        assert n.kind in {"terminal", "port", "border", "hub", "junction", "waypoint",
                          "chokepoint"}


def test_every_edge_figure_has_a_basis_with_a_rationale() -> None:
    data = load_data()
    net = data.network
    for e in net.edges:
        for key in (e.rule, e.distance_km.basis, e.capacity_teu.basis):
            b = net.basis[key]
            assert b.rationale.strip(), key
            assert all(s in net.sources for s in b.sources), key
        assert e.tags <= set(RISK_TAGS), e.id
        assert e.corridor, e.id
        assert e.days.low <= e.days.high and e.cost_usd.low <= e.cost_usd.high


def test_edge_figures_follow_the_rules_in_basis_yaml() -> None:
    """days = fixed + d / speed and cost = fixed + d x rate, low and high (rounded)."""
    net = load_data().network
    for e in net.edges:
        p = net.basis[e.rule].params
        d = e.distance_km.central
        rate = p.get("cost_usd_per_feu_km", (0.0, 0.0))
        fixed_cost = p.get("fixed_cost_usd", (0.0, 0.0))
        fixed_days = p.get("fixed_days", (0.0, 0.0))
        speed = p.get("speed_km_per_day")
        assert e.cost_usd.low == pytest.approx(fixed_cost[0] + d * rate[0], abs=5.01), e.id
        assert e.cost_usd.high == pytest.approx(fixed_cost[1] + d * rate[1], abs=5.01), e.id
        days_lo = fixed_days[0] + (d / speed[1] if speed else 0.0)
        days_hi = fixed_days[1] + (d / speed[0] if speed else 0.0)
        assert e.days.low == pytest.approx(days_lo, abs=0.051), e.id
        assert e.days.high == pytest.approx(days_hi, abs=0.051), e.id


def test_gauge_breaks_where_the_gauge_changes() -> None:
    net = load_data().network
    breaks = {e.id for e in net.edges if e.gauge_break}
    assert {"alashankou-dostyk", "khorgos-altynkol", "brest-malaszewicze",
            "tbilisi-kars"} <= breaks
    for e in net.edges:
        ga, gb = net.node(e.a).gauge_mm, net.node(e.b).gauge_mm
        if e.mode == "rail" and ga and gb and ga != gb:
            assert e.gauge_break, f"{e.id} joins {ga} and {gb} mm without a gauge break"


def test_sources_have_an_address_or_say_how_they_were_read() -> None:
    for s in load_data().network.sources.values():
        assert s.url or s.via, s.id
        assert s.figures.strip(), s.id


def test_scenarios_and_observations_are_consistent() -> None:
    data = load_data()
    assert {"russia-transit", "red-sea", "iran", "caspian-storm",
            "dostyk-closure"} <= set(data.scenarios)
    for sc in data.scenarios.values():
        for _, r in sc.ranges():
            assert r.low == r.high or r.rationale.strip(), sc.name
        for sid in sc.sources:
            assert sid in data.network.sources, (sc.name, sid)
    for o in data.observations:
        assert all(s in data.network.sources for s in o.sources), o.id


def test_observed_figures_match_the_shared_facts(shared_data: Path) -> None:
    """Regression on ../shared/reference/facts.md: the back-test uses its figures."""
    text = (shared_data.parent / "reference" / "facts.md").read_text(encoding="utf-8")
    facts = yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))  # type: ignore[union-attr]
    kz = facts["kazakhstan"]
    obs = {o.id: o for o in load_data().observations}
    teu = kz["northern_route"]["china_eu_transit_teu"]
    assert (obs["northern-2022-2023"].before, obs["northern-2022-2023"].after) == (
        teu[2022], teu[2023])
    mc = kz["middle_corridor_cargo"]
    # the ministry's series (1.485, 2.764 Mt) rounds to the press figures (1.5, 2.7-2.8 Mt)
    assert float(str(mc[2022]).split()[0]) == pytest.approx(obs["middle-2022-2023"].before,
                                                            abs=0.05)
    assert float(str(mc[2023]).split()[0]) == pytest.approx(obs["middle-2022-2023"].after,
                                                            abs=0.1)
    assert "$2,900" in kz["northern_route"]["tariff"]
    assert load_data().network.basis["rail-1520"].params["cost_usd_per_feu_km"] == (0.45, 0.65)


def _with_edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, line: int,
                 edit: Callable[[str], str]) -> None:
    """Point the loader at a copy of the shipped data with one CSV line edited."""
    shipped = Path(str(resources.files("tightrope.data").joinpath("corridors")))
    copy = tmp_path / "corridors"
    shutil.copytree(shipped, copy)
    rows = (copy / name).read_text(encoding="utf-8").split("\n")
    rows[line - 1] = edit(rows[line - 1])
    (copy / name).write_text("\n".join(rows), encoding="utf-8")

    @contextmanager
    def data_dir() -> Iterator[Path]:
        yield copy

    monkeypatch.setattr(data_mod, "_data_dir", data_dir)
    load_data.cache_clear()


def _field(i: int, value: str) -> Callable[[str], str]:
    def edit(row: str) -> str:
        f = next(csv.reader([row]))
        f[i] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(f)
        return out.getvalue()
    return edit


@pytest.mark.parametrize(
    ("name", "line", "edit", "needle"),
    [
        ("nodes.csv", 3, lambda r: r + ",surplus", r"nodes.csv:line 3: 9 fields, expected 8"),
        ("nodes.csv", 4, lambda r: r.rsplit(",", 1)[0], r"nodes.csv:line 4: 7 fields, expected 8"),
        ("edges.csv", 2, lambda r: r + ",x,y", r"edges.csv:line 2: \d+ fields, expected \d+"),
        ("nodes.csv", 2, _field(4, "inf"), r"nodes.csv:line 2, field lat: not a finite number"),
        ("nodes.csv", 2, _field(5, "nan"), r"nodes.csv:line 2, field lon: not a finite number"),
    ],
)
def test_broken_csv_rows_are_input_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          name: str, line: int, edit: Callable[[str], str],
                                          needle: str) -> None:
    _with_edited(tmp_path, monkeypatch, name, line, edit)
    try:
        with pytest.raises(InputError, match=needle):
            load_data()
    finally:
        load_data.cache_clear()
