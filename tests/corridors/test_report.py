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
