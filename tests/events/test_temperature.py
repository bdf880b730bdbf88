"""Temperature KAZ-RUS and KAZ-CHN, 2005-2015, from the ICEWS05-15 files; panel; errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tightrope.errors import DataUnavailableError, InputError, UnknownCountryError
from tightrope.events import panel, temperature
from tightrope.store import open_store


def _direct(db: Path, src: list[str], dst: list[str]) -> dict[str, tuple[int, float | None]]:
    """Monthly count and mean Goldstein, computed in plain Python from the event rows."""
    with open_store(db) as s:
        rows = s.query("SELECT event_date, source_iso3, target_iso3, goldstein FROM events")
    out: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for r in rows:
        if r["source_iso3"] in src and r["target_iso3"] in dst and \
                r["event_date"].year in range(2005, 2016):
            m = f"{r['event_date']:%Y-%m}"
            counts[m] = counts.get(m, 0) + 1
            if r["goldstein"] is not None:
                out.setdefault(m, []).append(r["goldstein"])
    return {m: (n, sum(out[m]) / len(out[m]) if m in out else None) for m, n in counts.items()}


@pytest.mark.parametrize("power", ["RUS", "CHN"])
def test_kazakhstan_series_2005_2015(icews_db: Path, power: str) -> None:
    with open_store(icews_db) as s:
        t = temperature(s, "KAZ", power, "2005-01", "2015-12")
    assert len(t.outbound.months) == 132 and t.outbound.months[0] == "2005-01"
    for series, src, dst in ((t.outbound, ["KAZ"], [power]), (t.inbound, [power], ["KAZ"])):
        direct = _direct(icews_db, src, dst)
        assert sum(series.events) == sum(n for n, _ in direct.values()) > 10
        for k, m in enumerate(series.months):
            n, mean = direct.get(m, (0, None))
            assert series.events[k] == n
            if mean is None:
                assert series.mean_goldstein[k] is None
            else:
                assert series.mean_goldstein[k] == pytest.approx(mean, abs=1e-6)
        years = {m[:4] for m, e in zip(series.months, series.events, strict=True) if e}
        assert {"2005", "2010", "2015"} <= years
    d = json.loads(t.to_json())
    assert d["focal"] == "KAZ" and d["power"] == power and d["from"] == "2005-01"
    assert len(d["focal_to_power"]["events"]) == 132
    assert d["manifest"]["parameters"]["dyad_events_by_dataset"]
    assert d["parameters"]["change_points"]["min_size"] == 3


def test_kazakhstan_china_is_cooperative_on_balance(icews_db: Path) -> None:
    with open_store(icews_db) as s:
        t = temperature(s, "KAZ", "CHN", "2005-01", "2015-12")
    assert t.outbound.overall_goldstein is not None and t.outbound.overall_goldstein > 0
    coop = [t.outbound.quad_shares["verbal cooperation"][k] for k, e in
            enumerate(t.outbound.events) if e]
    assert sum(x for x in coop if x is not None) / len(coop) > 0.5


def test_bloc_power_counts_members_and_institutions(icews_db: Path) -> None:
    with open_store(icews_db) as s:
        t = temperature(s, "KAZ", "EUU", "2005-01", "2015-12")
        assert "DEU" in t.power.members and "EUU" in t.power.members
        assert "GBR" not in t.power.members  # the store's bloc table: EU of 27 (2020-)
        n = s.query("SELECT count(*) AS n FROM events WHERE source_iso3 = 'KAZ' AND "
                    "target_iso3 IN (SELECT member FROM blocs WHERE code = 'EUU' UNION "
                    "SELECT 'EUU') AND year(event_date) BETWEEN 2005 AND 2015")[0]["n"]
    assert sum(t.outbound.events) == n > 0


def test_panel_default_powers(icews_db: Path) -> None:
    with open_store(icews_db) as s:
        p = panel(s, "KAZ", start="2010-01", end="2015-12")
    assert [r.power.code for r in p.results] == ["RUS", "CHN", "USA", "EUU", "TUR", "IRN"]
    assert all(len(r.outbound.months) == 72 for r in p.results)
    assert json.loads(p.to_json())["powers"][0] == "RUS"


def test_default_range_is_the_data_range(icews_db: Path) -> None:
    with open_store(icews_db) as s:
        t = temperature(s, "Kazakhstan", "ru")
    assert (t.months.start, t.months.end) == ("2005-01", "2015-12")
    assert t.focal.code == "KAZ" and t.power.code == "RUS"


def test_errors(icews_db: Path, db_path: Path) -> None:
    with open_store(icews_db) as s:
        with pytest.raises(UnknownCountryError):
            temperature(s, "KAZ", "Narnia")
        with pytest.raises(InputError, match="starts"):
            temperature(s, "KAZ", "RUS", "2015-01", "2010-01")
        with pytest.raises(InputError, match="not a month"):
            temperature(s, "KAZ", "RUS", "2015-13", "2016-01")
        with pytest.raises(InputError, match="both KAZ"):
            temperature(s, "KAZ", "kz")
    with open_store(db_path) as s, pytest.raises(DataUnavailableError):
        temperature(s, "KAZ", "RUS")
