"""Every number the exposure profile prints lies inside the band printed beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.exposure import ExposureSettings, exposure_profile
from tightrope.store import open_store


@pytest.mark.parametrize("iso3", ["KAZ", "JOR", "VNM", "BLR"])
def test_values_lie_inside_their_bands(iso3: str, loaded_db: Path) -> None:
    with open_store(loaded_db, read_only=True) as s:
        j = exposure_profile(s, iso3, ExposureSettings(runs=200)).to_json()
    items = [(f"{c['power']}/{c['channel']}", c["value"], c["band"]) for c in j["cells"]]
    bi = j["balance_index"]
    items += [(ch, v["value"], v["band"]) for ch, v in bi["channels"].items()]
    items.append(("overall", bi["overall"]["value"], bi["overall"]["band"]))
    known = [(k, v, b) for k, v, b in items if v is not None]
    assert len(known) > 10
    outside = [(k, v, b) for k, v, b in known if not b[0] - 1e-9 <= v <= b[1] + 1e-9]
    assert outside == []
