"""The shipped scenarios and the exposure profile agree on the quantities they share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.minefield import load_scenario

#: scenario power key -> exposure power code, for blocs without an ISO3
BLOCS = {"eu": "EUU", "gulf": "GCC"}
#: scenario dependence channel -> exposure channel measuring the same quantity
CHANNELS = {"trade": "trade", "investment": "investment", "energy": "energy",
            "energy_transit": "energy"}


@pytest.mark.parametrize("name", ["kazakhstan-2023", "jordan-2024"])
def test_scenario_dependence_equals_the_exposure_cell(name: str, loaded_db: Path) -> None:
    from tightrope.exposure import exposure_profile
    from tightrope.store import open_store

    sc = load_scenario(name)
    with open_store(loaded_db) as store:
        prof = exposure_profile(store, sc.focal_iso3)
    cells = {(c["power"], c["channel"]): c for c in prof.to_json()["cells"]}
    compared = 0
    for p in sc.powers:
        code = p.iso3 or BLOCS.get(p.key)
        for ch in set(sc.channels) & set(CHANNELS):
            cell = cells.get((code, CHANNELS[ch]))
            if cell is None or cell["value"] is None:
                continue
            par = sc.params[f"powers.{p.key}.dependence.{ch}"]
            censored = any("low" in i for i in cell.get("inputs", []))
            if censored:
                # members below the Factbook's top five: the profile gives the listed share (a
                # lower bound) and a range; the scenario's central value is a judgement in it
                lo, hi = min(cell["value"], cell["band"][0]), max(cell["value"], cell["band"][1])
                assert lo - 1e-6 <= par.central <= hi + 1e-6, (p.key, ch, lo, hi)
            else:
                assert par.central == pytest.approx(cell["value"], abs=1e-6), (p.key, ch)
            compared += 1
    assert compared >= {"kazakhstan-2023": 14, "jordan-2024": 6}[name]
