"""Golden regression: central results on the shipped data, pinned with the data hash.

A deliberate change of data or model changes these; regenerate with
``TIGHTROPE_UPDATE_GOLDEN=1 python3 -m pytest tests/corridors/test_golden.py`` and say why
in the commit.
"""

from __future__ import annotations

import doctest
import json
import os
from pathlib import Path
from typing import Any

import pytest

import tightrope.corridors.network as network_module
import tightrope.corridors.service as service_module
from tightrope import corridors
from tightrope.corridors.data import data_hash

GOLDEN = Path(__file__).with_name("golden.json")


def _current() -> dict[str, Any]:
    out: dict[str, Any] = {"data_hash": data_hash()}
    for m in ("mincost", "logit"):
        f = corridors.allocate(method=m)
        out[m] = {"corridor_teu": {k: round(v) for k, v in
                                   sorted(f.summary.corridor_teu.items())},
                  "kaz_revenue_musd": round(f.revenue_usd("KAZ") / 1e6, 1)}
    bt = corridors.backtest(runs=0)
    out["backtest"] = {r.observation.id: round(r.model, 3) for r in bt.rows}
    out["calibration"] = {k: round(v, 1) for k, v in bt.calibration.values.items()}
    return out


def test_central_results_match_the_golden_file() -> None:
    now = _current()
    if os.environ.get("TIGHTROPE_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    pinned = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if pinned["data_hash"] != now["data_hash"]:
        pytest.fail("the shipped corridor data changed: regenerate golden.json "
                    "(see this module's docstring)")
    assert now == pinned


@pytest.mark.parametrize("module", [network_module, service_module])
def test_docstring_examples_run(module: object) -> None:
    res = doctest.testmod(module, verbose=False)  # type: ignore[arg-type]
    assert res.attempted > 0 and res.failed == 0
