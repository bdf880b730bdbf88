"""Service API: simulate / compare results, the done-when check, the exposure hook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tightrope.errors import InputError
from tightrope.minefield import Scenario, compare, load_scenario, simulate

from .conftest import TINY


def test_simulate_result_and_json(tiny: Scenario) -> None:
    r = simulate(tiny, "balancer", runs=2000, seed=3)
    assert r.ci[0] <= r.p_catastrophe <= r.ci[1]
    assert sum(r.by_kind.values()) == pytest.approx(r.p_catastrophe)
    assert r.cum_catastrophe[-1] == pytest.approx(r.p_catastrophe)
    assert all(a <= b for a, b in zip(r.cum_catastrophe, r.cum_catastrophe[1:], strict=False))
    assert set(r.fan) == {"north", "east", "west"} and len(r.fan["north"]["q50"]) == 13
    q = r.fan["north"]
    assert all(lo <= hi for lo, hi in zip(q["q05"], q["q95"], strict=True) if lo is not None)
    rows = r.first_mistakes
    assert rows and sum(x["count"] for x in rows) <= round(r.p_catastrophe * r.runs)
    assert all(x["rate_per_1000"] is None or x["rate_per_1000"] > 0 for x in rows)
    assert sum(r.gain["by_source"].values()) == pytest.approx(r.gain["mean"], abs=1e-4)
    js = json.loads(json.dumps(r.to_json()))
    assert js["manifest"]["seed"] == 3 and js["manifest"]["inputs"][0]["sha256"] == tiny.sha256
    for row in js["move_share"].values():
        assert all(0 <= x <= 1 for x in row)


def test_horizon_and_input_errors(tiny: Scenario) -> None:
    assert len(simulate(tiny, "isolation", runs=50, seed=1, horizon=3).cum_catastrophe) == 3
    with pytest.raises(InputError, match="unknown strategy"):
        simulate(tiny, "appeasement", runs=10)
    with pytest.raises(InputError, match="runs"):
        simulate(tiny, "isolation", runs=0)
    assert simulate(tiny, "bandwagon-north", runs=20).strategy == "bandwagon:north"


def test_kazakhstan_balancer_beats_every_bandwagon(kazakhstan: Scenario) -> None:
    """The done-when check on the shipped scenario (paired, same random numbers)."""
    c = compare(kazakhstan, "all", runs=4000, seed=7)
    names = [r.strategy for r in c.results]
    assert names[:2] == ["balancer", "isolation"]
    assert {f"bandwagon:{p}" for p in kazakhstan.power_keys} <= set(names)
    assert len(c.checks) == len(kazakhstan.powers)
    for ch in c.checks:
        assert ch["verdict"] == "balancer lower", ch
        assert ch["difference_ci95"][1] < 0
    bal = c.result("balancer")
    assert 0.02 < bal.p_catastrophe < 0.4  # a minefield, not a massacre
    json.dumps(c.to_json())


def test_jordan_runs(jordan: Scenario) -> None:
    r = simulate(jordan, "balancer", runs=1000, seed=1)
    assert 0 < r.p_catastrophe < 1 and r.powers[0] == "usa"


def _exposure_file(tmp_path: Path) -> Path:
    text = TINY.replace("leverage: [0.4, 0.2, 0.6]", "leverage: {from_exposure: true}", 1)
    p = tmp_path / "exp.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_exposure_leverage_needs_a_source(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="exposure profile") as e:
        load_scenario(_exposure_file(tmp_path))
    assert "powers.east.leverage" in e.value.one_line()


def test_exposure_leverage_source_is_called(tmp_path: Path) -> None:
    calls: list[Any] = []

    def leverage(focal: str, powers: list[str]) -> dict[str, float]:
        calls.append((focal, powers))
        return {"CHN": 0.55}

    sc = load_scenario(_exposure_file(tmp_path), leverage)
    assert calls == [("KAZ", ["CHN"])]
    assert sc.params["powers.east.leverage"].central == 0.55
    assert sc.params["powers.east.leverage"].value.kind == "fact"
    with pytest.raises(InputError, match="no leverage in"):
        load_scenario(_exposure_file(tmp_path), lambda focal, powers: {"CHN": None})
    assert simulate(sc, "isolation", runs=100, seed=1).runs == 100


def test_exposure_leverage_from_a_real_store(tmp_path: Path, loaded_db: Path) -> None:
    """The CLI's wiring: the exposure profile, bound to a store, is the leverage source."""
    from functools import partial

    from tightrope.exposure import leverage_shares
    from tightrope.store import open_store

    with open_store(loaded_db) as store:
        sc = load_scenario(_exposure_file(tmp_path), partial(leverage_shares, store))
    lev = sc.params["powers.east.leverage"]
    assert lev.value.kind == "fact" and 0 <= lev.central <= 1
