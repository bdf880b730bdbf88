"""Rendering: offline HTML sections and the PNG map."""

from __future__ import annotations

import re
from pathlib import Path

from tightrope import corridors
from tightrope.report.corridors import (
    backtest_section,
    corridor_map,
    corridors_html,
    disruption_section,
    flows_section,
    network_section,
    route_section,
    write_map_png,
)


def test_sections_and_page_are_offline(tmp_path: Path) -> None:
    dis = corridors.disrupt(["red-sea"], runs=3, seed=1)
    page = corridors_html([route_section(corridors.route("Xian", "Duisburg")),
                           flows_section(corridors.allocate()), disruption_section(dis),
                           backtest_section(corridors.backtest(runs=0)),
                           network_section(corridors.shipped_network())])
    assert "Where the model misses" in page and "Who gains" in page
    assert "erai" not in page.lower() or "index1520.com" in page
    assert not re.search(r"<script[^>]+src=[\"']https?:", page)
    assert "PlotlyGeoAssets" in page


def test_map_marks_disrupted_edges(tmp_path: Path) -> None:
    dis = corridors.disrupt(["red-sea", "caspian-storm"], runs=0)
    fig = corridor_map(dis)
    dashes = {t.name: t.line.dash for t in fig.data if t.mode == "lines" and t.name}
    assert dashes["bab_el_mandeb-suez"] == "dot" and dashes["aktau-alat"] == "dash"
    out = write_map_png(dis, tmp_path / "m.png")
    assert out.read_bytes()[:4] == b"\x89PNG" and out.stat().st_size > 50_000


def test_routes_are_drawn_along_their_legs_never_across_a_continent() -> None:
    """Issue 15: route 1 was drawn as a straight line from Port Said across Europe."""
    res = corridors.route("Xian", "Rotterdam", k=3, scenarios=["russia-transit"]).to_json()
    suez = next(r for r in res["routes"] if r["corridor"] == "suez")
    lons = [p[0] for p in suez["path"]]
    lats = [p[1] for p in suez["path"]]
    assert min(lons) < -5  # round Iberia, past Gibraltar
    # nothing between Port Said and Rotterdam crosses inland Europe (e.g. over the Alps)
    assert not any(44 < la < 50 and 5 < lo < 15 for lo, la in zip(lons, lats, strict=True))
    # sea legs follow great circles through their waypoints, not one chord per leg
    assert len(suez["path"]) > 3 * len(suez["nodes"])
    assert suez["path"][0] == [res["routes"][0]["path"][0][0], res["routes"][0]["path"][0][1]]


def test_labels_do_not_pile_up(tmp_path: Path) -> None:
    from tightrope.corridors.geometry import label_nodes
    from tightrope.report.corridors import LABEL_MIN_DEG, LABEL_PRIORITY

    net = corridors.shipped_network()
    shown = label_nodes(net, LABEL_PRIORITY, LABEL_MIN_DEG)
    pts = [(net.node(n).lat, net.node(n).lon) for n in shown]
    for i, (a, b) in enumerate(pts):
        for c, d in pts[i + 1:]:
            assert ((a - c) ** 2 + (b - d) ** 2) ** 0.5 >= LABEL_MIN_DEG
    caspian = [n for n in shown if 36 < net.node(n).lat < 48 and 46 < net.node(n).lon < 56]
    assert 1 <= len(caspian) <= 4  # was 6 (every node) in this box
    fig = corridor_map(corridors.allocate())
    labels = next(t for t in fig.data if t.mode == "markers+text")
    assert sum(1 for x in labels.text if x) == len(shown)


def test_flow_widths_show_differences() -> None:
    from tightrope.report.corridors import _width

    top = 17_000_000.0
    assert _width(700_000, top) > 1.5 * _width(20_000, top)
    assert _width(top, top) > 2 * _width(700_000, top)


def test_market_section_signs_and_units() -> None:
    dis = corridors.disrupt(["russia-transit"], runs=0)
    html = disruption_section(dis)
    assert "Middle Corridor headroom" in html and "+-" not in html and "-+" not in html
    assert "t/yr" in html and "TEU/yr" in html
