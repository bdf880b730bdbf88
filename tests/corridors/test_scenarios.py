"""Scenario files (shipped and user-defined): parsing, errors with lines, effects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tightrope import corridors
from tightrope.corridors.data import load_data, read_scenario_file
from tightrope.corridors.model import CENTRAL, HIGH, LOW, edge_state
from tightrope.corridors.scenarios import apply_scenarios
from tightrope.errors import InputError


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_user_scenario_closes_and_degrades(tmp_path: Path) -> None:
    net = load_data().network
    p = _write(tmp_path, """
scenarios:
  kuryk-stop:
    title: Kuryk ferries stop
    actions:
      - select: {edges: [kuryk-alat]}
        close: true
      - select: {nodes: [Aktau], modes: [ferry]}
        extra_days: {value: 3, low: 1, high: 6, rationale: queue}
        capacity_factor: 0.5
      - select: {countries: [Georgia]}
        cost_factor: 1.2
""")
    sc = read_scenario_file(p, net)["kuryk-stop"]
    draw = load_data().model.draw(CENTRAL)
    base = edge_state(net, draw, CENTRAL)
    st, eff = apply_scenarios(net, base, [sc], CENTRAL)
    k, a = net.edge_index("kuryk-alat"), net.edge_index("aktau-alat")
    assert not st.open[k] and eff["kuryk-alat"].closed
    assert st.days[a] == pytest.approx(base.days[a] + 3)
    assert st.capacity[a] == pytest.approx(base.capacity[a] / 2)
    geo = [i for i, e in enumerate(net.edges) if any(c == "GEO" for c, _ in e.countries)]
    assert np.allclose(st.cost[geo], base.cost[geo] * 1.2)
    lo, _ = apply_scenarios(net, base, [sc], LOW)
    hi, _ = apply_scenarios(net, base, [sc], HIGH)
    assert lo.days[a] == pytest.approx(base.days[a] + 1)
    assert hi.days[a] == pytest.approx(base.days[a] + 6)


@pytest.mark.parametrize("body,where,what", [
    ("actions:\n  - select: {edges: [nowhere]}\n    close: true\n", "line 2", "unknown edge"),
    ("actions:\n  - select: {tags: [moon]}\n    close: true\n", "line 2", "unknown tag"),
    ("actions:\n  - select: {nodes: [Dustyk]}\n    close: true\n", "line 2", "Dostyk"),
    ("actions:\n  - select: {countries: [Narnia]}\n    close: true\n", "line 2", "unknown country"),
    ("actions:\n  - select: {modes: [sea]}\n", "line 2", "changes nothing"),
    ("actions:\n  - select: {modes: [sea]}\n    cost_factor: {value: 2, low: 1, high: 3}\n",
     "line 3", "no rationale"),
    ("actions:\n  - select: {modes: [sea]}\n    cost_factor: -1\n", "line 3", "negative"),
    ("actions:\n  - select: {modes: [sea]}\n    speed: 2\n", "line 3", "unknown action field"),
    ("hello: 1\n", "", "no scenarios"),
])
def test_bad_user_scenarios_name_line_and_field(tmp_path: Path, body: str, where: str,
                                                what: str) -> None:
    p = _write(tmp_path, body)
    with pytest.raises(InputError) as err:
        read_scenario_file(p, load_data().network)
    msg = str(err.value)
    assert str(p) in msg and what in msg and where in msg


def test_named_scenarios_do_what_they_say() -> None:
    net = load_data().network
    draw = load_data().model.draw(CENTRAL)
    base = edge_state(net, draw, CENTRAL)
    scen = load_data().scenarios
    st, _ = apply_scenarios(net, base, [scen["russia-transit"]], CENTRAL)
    closed = {net.edges[i].id for i in np.flatnonzero(~st.open)}
    assert closed == {e.id for e in net.edges if "russia-transit" in e.tags}
    st, _ = apply_scenarios(net, base, [scen["caspian-storm"]], CENTRAL)
    i = net.edge_index("aktau-alat")
    assert st.capacity[i] == pytest.approx(base.capacity[i] * 0.5)
    st, _ = apply_scenarios(net, base, [scen["russia-risk"]], CENTRAL)
    # the premium is paid once per passage: the edges of a route through Russia add to 1000
    route = [net.edge_index(x) for x in ("petropavl-moscow", "moscow-brest", "brest-malaszewicze")]
    assert (st.risk - base.risk)[route].sum() == pytest.approx(1000)


def test_unknown_scenario_name_suggests() -> None:
    with pytest.raises(InputError, match="did you mean russia-transit"):
        corridors.resolve_scenarios(["russia-transt"])
