"""Exposure profile on the shipped data: the matrix, the index, its band and the claims."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tightrope.exposure import ExposureResult, ExposureSettings, exposure_profile
from tightrope.store import open_store


@pytest.fixture(scope="module")
def kaz(loaded_db: Path) -> ExposureResult:
    with open_store(loaded_db, read_only=True) as s:
        return exposure_profile(s, "KAZ", ExposureSettings(runs=500, seed=11))


def test_default_powers_and_channels(kaz: ExposureResult) -> None:
    assert kaz.powers == ("RUS", "CHN", "EUU", "USA", "TUR", "IRN")
    assert kaz.matrix.d.shape == (6, 7)


def test_vector_matches_the_sources(kaz: ExposureResult) -> None:
    leaders = kaz.matrix.vector()["leaders"]
    assert leaders["energy"]["power"] == "RUS"  # CPC and the other Russian routes
    assert leaders["security"]["power"] == "RUS"  # CSTO, defence pact, Baikonur
    assert leaders["investment"]["power"] == "EUU"  # EU the largest investor
    assert leaders["society"]["power"] == "RUS"  # Russian minority and language


def test_unknown_cells_stay_unknown(kaz: ExposureResult) -> None:
    unknown = {(u["power"], u["channel"]) for u in kaz.unknown_cells()}
    assert unknown == {("TUR", "investment"), ("IRN", "investment")}
    j = {c["power"]: c for c in kaz.cells() if c["channel"] == "investment"}
    assert j["TUR"]["value"] is None and j["TUR"]["kind"] == "unknown"
    # the index over investment uses the four known powers only
    known = kaz.matrix.d[:4, 1]
    p = known / known.sum()
    expected = (1 - (p**2).sum()) / (1 - 1 / 4)
    assert kaz.matrix.channel_index[1] == pytest.approx(expected)


def test_every_known_cell_has_sources_and_a_formula(kaz: ExposureResult) -> None:
    for c in kaz.cells():
        assert c["formula"]
        if c["value"] is not None:
            assert c["sources"], c
            assert 0.0 <= c["value"] <= 1.0


def test_band_is_seeded_and_in_range(loaded_db: Path) -> None:
    with open_store(loaded_db, read_only=True) as s:
        a = exposure_profile(s, "KAZ", ExposureSettings(runs=300, seed=5))
        b = exposure_profile(s, "KAZ", ExposureSettings(runs=300, seed=5))
        c = exposure_profile(s, "KAZ", ExposureSettings(runs=300, seed=6))
    assert a.matrix.overall_band == b.matrix.overall_band
    assert a.matrix.overall_band != c.matrix.overall_band
    lo, hi = a.matrix.overall_band
    assert 0 <= lo <= hi <= 1
    assert a.to_json()["balance_index"]["seed"] == 5


def test_powers_are_configurable_and_order_free(loaded_db: Path) -> None:
    with open_store(loaded_db, read_only=True) as s:
        a = exposure_profile(s, "KAZ", ExposureSettings(powers=("RUS", "CHN", "EUU"), runs=50))
        b = exposure_profile(s, "KAZ", ExposureSettings(powers=("EUU", "RUS", "CHN"), runs=50))
    assert np.allclose(a.matrix.channel_index, b.matrix.channel_index, equal_nan=True)
    assert math.isclose(a.matrix.overall, b.matrix.overall)


def test_jordan(loaded_db: Path) -> None:
    with open_store(loaded_db, read_only=True) as s:
        jor = exposure_profile(s, "JOR", ExposureSettings(runs=200))
    assert jor.powers == ("USA", "GCC", "EUU", "ISR", "IRN", "CHN", "RUS")
    lead = jor.matrix.vector()["leaders"]
    assert lead["energy"]["power"] == "ISR"  # Leviathan gas
    assert jor.claims == []  # the op-ed makes no factual claims about Jordan's figures


def test_threat_ring_and_conflicts(kaz: ExposureResult) -> None:
    ring = kaz.threat.neighbours
    assert {n["iso3"] for n in ring} == {"RUS", "CHN", "UZB", "KGZ", "TKM"}
    assert ring[0]["iso3"] == "RUS"
    assert sum(n["threat_weight"] for n in ring) == pytest.approx(1.0)
    ukraine = next(c for c in kaz.threat.conflicts if c["name"].startswith("Russia-Ukraine"))
    assert ukraine["border_hops"] == 1 and ukraine["active"]


def test_claims_where_the_oped_differs(kaz: ExposureResult) -> None:
    by = {c["claim"][:30]: c for c in kaz.claims}
    arc = next(c for c in kaz.claims if "border arc" in c["claim"])
    assert arc["verdict"] == "differs" and arc["data"] == 7644
    caspian = next(c for c in kaz.claims if "Caspian is shared" in c["claim"])
    assert caspian["verdict"] == "differs"
    assert "TKM" in caspian["gap"] and "KGZ" in caspian["gap"]
    china = next(c for c in kaz.claims if "China" in c["claim"])
    assert china["verdict"] == "consistent" and china["data"] == 1765
    assert all(c["source"] for c in kaz.claims if c["data"] is not None)
    assert len(by) == len(kaz.claims)
