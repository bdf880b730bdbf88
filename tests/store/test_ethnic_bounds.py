"""Qualified Factbook shares ("at least 99%") reach the store and the profile as bounds, and
stores made before the bound columns existed are upgraded when opened for writing."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tightrope.profile import build_profile
from tightrope.store import load_world, open_store

OLD_ETHNIC = """CREATE TABLE ethnic_groups (iso3 VARCHAR NOT NULL, grp VARCHAR NOT NULL,
    share DOUBLE, source VARCHAR, year INTEGER, where_read VARCHAR)"""


def test_qualified_shares_reach_the_profile_with_bounds(loaded_db: Path) -> None:
    with open_store(loaded_db, read_only=True) as s:
        groups = {g["group"]: g for g in build_profile(s, "BGD").to_json()["ethnic_groups"]}
    bengali = groups["Bengali"]
    assert (bengali["low"], bengali["high"]) == (0.99, 1.0)
    assert "at least 99%" in bengali["note"]
    assert all(g["low"] is None or g["low"] <= g["share"] <= g["high"] for g in groups.values())


def test_a_store_from_before_the_bound_columns_is_upgraded(tmp_path: Path) -> None:
    p = tmp_path / "old.duckdb"
    con = duckdb.connect(str(p))
    con.execute(OLD_ETHNIC)
    con.close()
    with open_store(p) as s:
        load_world(s)
        n = s.query("SELECT count(*) AS n FROM ethnic_groups WHERE low IS NOT NULL")[0]["n"]
    assert n > 0


def test_a_store_from_before_the_bound_columns_can_still_be_read(tmp_path: Path) -> None:
    p = tmp_path / "old.duckdb"
    with open_store(p) as s:
        load_world(s)
    con = duckdb.connect(str(p))
    for col in ("low", "high", "note"):
        con.execute(f"ALTER TABLE ethnic_groups DROP COLUMN {col}")
    con.close()
    with open_store(p, read_only=True) as s:
        groups = build_profile(s, "BGD").to_json()["ethnic_groups"]
    assert groups and all(g["low"] is None and g["note"] is None for g in groups)
