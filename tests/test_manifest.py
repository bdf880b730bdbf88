"""One Manifest type for every result; its JSON form matches docs/schemas/manifest.md; the
generator it names is the one the analysis drew with."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tightrope.manifest import SCHEMA, Input, Manifest

DOC = Path(__file__).resolve().parents[1] / "docs" / "schemas" / "manifest.md"


def _documented_fields() -> list[str]:
    rows = re.findall(r"^\| `([a-z_]+)(?:\[\])?` \|", DOC.read_text("utf-8"), re.M)
    return rows


def _check(m: dict[str, Any], command: str) -> None:
    assert list(m) == _documented_fields(), "manifest keys differ from docs/schemas/manifest.md"
    assert m["schema"] == SCHEMA and m["command"] == command
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", m["created_utc"])
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in m["inputs"])
    assert m["packages"]["numpy"] and m["packages"]["python"]
    assert (m["seed"] is None) == (m["rng"] is None)
    assert json.loads(json.dumps(m)) == m
    assert Manifest.from_dict(m).to_dict() == m


def test_round_trip_and_validation() -> None:
    m = Manifest("x", (Input("a.csv", "0" * 64),), 3, "numpy.random.Generator(PCG64)", {"k": 1})
    _check(m.to_dict(), "x")
    with pytest.raises(ValueError, match="sha256"):
        Input("a.csv", "abc")
    with pytest.raises(ValueError, match="generator"):
        Manifest("x", seed=3)
    with pytest.raises(ValueError, match="command"):
        Manifest(" ")


def test_simulate_manifest_names_the_engine_generator() -> None:
    import numpy as np

    from tightrope.minefield import load_scenario, simulate
    from tightrope.minefield.rng import stream

    r = simulate(load_scenario("kazakhstan-2023"), "balancer", runs=50, seed=4)
    m = r.to_json()["manifest"]
    _check(m, "simulate")
    assert m["seed"] == 4 and m["parameters"]["runs"] == 50
    used = type(stream(4, "power:x", 0).bit_generator).__name__
    assert used == "SFC64" and f"Generator({used})" in m["rng"]
    assert "PCG64" not in m["rng"]
    assert isinstance(stream(4, "x", 0).bit_generator, np.random.SFC64)


def test_robust_manifest_saved_and_read_back(tmp_path: Path) -> None:
    from tightrope.minefield import load_scenario
    from tightrope.minefield.robust.experiments import load_table, run_experiments
    from tightrope.minefield.robust.levers import resolve_policies

    sc = load_scenario("kazakhstan-2023")
    t = run_experiments(sc, resolve_policies(sc, "balancer,isolation"), 4, 10, 2)
    _check(t.manifest.to_dict(), "robust.experiments")
    assert "PCG64" in t.manifest.parameters["sampler"]["rng"]
    _, man = t.save(tmp_path)
    saved = json.loads(man.read_text("utf-8"))
    _check(saved, "robust.experiments")
    assert load_table(tmp_path).manifest.parameters["table"]["rows"] == 8


def test_bargaining_corridors_events_briefing_manifests(loaded_db: Path) -> None:
    from tightrope import corridors
    from tightrope.bargaining import forecast

    b = forecast("ec-car-emissions", rounds=5, runs=10, seed=2, spread=0.1).to_json()
    _check(b["manifest"], "bargain")
    assert b["manifest"]["rng"] == "numpy.random.Generator(PCG64)"
    _check(forecast("ec-car-emissions", rounds=5).to_json()["manifest"], "bargain")
    _check(corridors.route("Xian", "Duisburg").to_json()["manifest"], "corridors.route")
    _check(corridors.disrupt(["red-sea"], runs=2, seed=1).to_json()["manifest"],
           "corridors.disrupt")
    _check(corridors.backtest(runs=0).to_json()["manifest"], "corridors.backtest")


def test_events_manifest() -> None:
    from tightrope.events.temperature import Temperature

    assert "manifest" in Temperature.__dataclass_fields__
    m = Temperature.__dataclass_fields__["manifest"].default_factory()  # type: ignore[misc]
    _check(m.to_dict(), "events.temperature")


HAND_BUILT = re.compile(r"""manifest["']?\s*(?::\s*dict\[[^\]]*\]\s*)?[:=]\s*(?:dict\(|\{)"""
                        r"|def manifest\(.*\)\s*->\s*dict|class Manifest\b")


def test_hand_built_pattern() -> None:
    for src in ('manifest = {"a": 1}', '"manifest": {', "manifest: dict[str, Any] = {}",
                "def manifest(self, o) -> dict[str, Any]:", "class Manifest:"):
        assert HAND_BUILT.search(src), src
    assert not HAND_BUILT.search('"manifest": self.manifest.to_dict()')


def test_no_hand_built_manifests() -> None:
    """Every manifest is a tightrope.manifest.Manifest: no dicts or other classes by hand."""
    pkg = Path(__file__).resolve().parents[1] / "src" / "tightrope"
    bad = [f"{f.relative_to(pkg)}: {m.group(0)}" for f in pkg.rglob("*.py")
           if f.name != "manifest.py" for m in HAND_BUILT.finditer(f.read_text("utf-8"))]
    assert not bad, bad
