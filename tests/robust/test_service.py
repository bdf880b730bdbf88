"""The study service: JSON for the web, reproducibility, the public API."""

from __future__ import annotations

import doctest
import importlib
import json

import numpy as np
import pytest

import tightrope.minefield.robust as robust
from tightrope.minefield import Scenario
from tightrope.minefield.robust import RobustResult, RobustSettings, robust_analysis


def test_result_json_is_strict_and_complete(small_study: RobustResult) -> None:
    j = json.loads(json.dumps(small_study.to_json(), allow_nan=False))
    assert j["scenario"] == "kazakhstan-2023" and j["seed"] == 5
    assert [r["rank"] for r in j["robustness"]] == [1, 2, 3]
    assert j["explanation"] and j["pareto"]["front"]
    assert j["sobol"]["indices"] and j["experiments"]["futures"] == 32
    assert j["scenario_discovery"]
    for box in j["scenario_discovery"].values():
        assert 0 <= box["box"]["coverage"] <= 1 and 0 <= box["box"]["density"] <= 1
    for s in j["sobol"]["indices"]:
        assert {"first", "first_conf", "total", "total_conf"} <= set(s)


def test_top_strategy_and_ranks(small_study: RobustResult) -> None:
    rows = small_study.robustness
    assert small_study.top == rows[0].strategy
    sat = [r.satisficing for r in rows]
    assert sat == sorted(sat, reverse=True)


def test_same_seed_same_study(kazakhstan: Scenario, small_study: RobustResult) -> None:
    again = robust_analysis(kazakhstan, samples=32, runs=60, seed=5,
                            settings=small_study.settings, search=False, sensitivity=False)
    for k, v in small_study.table.outcomes.items():
        assert np.array_equal(v, again.table.outcomes[k])
    assert [r.strategy for r in again.robustness] == [r.strategy for r in small_study.robustness]


def test_public_api_is_importable() -> None:
    for name in robust.__all__:
        assert hasattr(robust, name), name


@pytest.mark.parametrize("module", ["design", "prim", "robustness", "sensitivity", "service"])
def test_doctests(module: str) -> None:
    mod = importlib.import_module(f"tightrope.minefield.robust.{module}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0


def test_discovery_definitions(small_study: RobustResult) -> None:
    from tightrope.minefield.robust import Thresholds, discover, discover_success

    t = small_study.table
    loose = Thresholds(1.0, -1e9)  # every future meets it: nothing fails
    b = discover(t, "balancer", loose)
    assert b is not None and "worst futures by P(catastrophe)" in b.definition
    assert discover_success(t, "balancer", loose) is None  # success is not the rarer case
    assert b.n_interest >= 0.2 * t.futures - 1


def test_dask_study_equals_local_study(kazakhstan: Scenario) -> None:
    import random

    from tightrope.minefield.robust import SearchSettings

    settings = RobustSettings(search=SearchSettings(population=6, generations=2, futures=4,
                                                    runs=30), sobol_n=8, sobol_runs=30,
                              horizon=8)
    state = random.getstate()
    kw = {"samples": 12, "runs": 30, "seed": 8, "settings": settings,
          "strategies": "balancer,isolation"}
    local = robust_analysis(kazakhstan, **kw).to_json()  # type: ignore[arg-type]
    assert random.getstate() == state  # the search never touches the global generator
    remote = robust_analysis(kazakhstan, engine="dask", workers=2, processes=False,
                             **kw).to_json()  # type: ignore[arg-type]
    assert remote["engine"] == "dask" and remote["engine_stats"]["workers"] == 2
    for j in (local, remote):  # when the table was made is not part of the result
        j["experiments"]["manifest"].pop("created_utc")
    for key in ("experiments", "robustness", "explanation", "scenario_discovery", "pareto",
                "sobol"):
        assert local[key] == remote[key], key
