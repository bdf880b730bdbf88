"""Defects of the per-power matrix named in issue 14: the trade midpoint, MNNA as an
organisation, an index from two powers of seven."""

from __future__ import annotations

from pathlib import Path

from tightrope.exposure import ExposureSettings, exposure_profile
from tightrope.store import open_store


def _profile(db: Path, iso3: str):  # type: ignore[no-untyped-def]
    with open_store(db, read_only=True) as s:
        return exposure_profile(s, iso3, ExposureSettings(runs=50))


def test_censored_trade_is_the_listed_share_with_a_range_not_a_midpoint(loaded_db: Path) -> None:
    res = _profile(loaded_db, "KAZ")
    exp = res.inputs.components[("EUU", "trade")][0]
    assert exp.value == exp.low  # Italy's listed 5%: a lower bound
    assert exp.high is not None and exp.high > exp.value
    assert "lower bound" in exp.note and "midpoint" not in exp.note


def test_mnna_is_not_counted_as_a_security_organisation(loaded_db: Path) -> None:
    res = _profile(loaded_db, "JOR")
    orgs = next(c for c in res.inputs.components[("USA", "security")]
                if c.key == "security_orgs")
    with open_store(loaded_db, read_only=True) as s:
        n = s.query("SELECT count(DISTINCT org) AS n FROM memberships WHERE iso3 = 'JOR' "
                    "AND status = 'member' AND kind = 'security' AND org <> 'MNNA'")[0]["n"]
    assert f"of {n} security organisations" in orgs.note


def test_channel_known_for_two_of_seven_powers_has_no_index(loaded_db: Path) -> None:
    res = _profile(loaded_db, "JOR")
    energy = res.to_json()["balance_index"]["channels"]["energy"]
    assert energy["known_powers"] == 2
    assert energy["value"] is None
