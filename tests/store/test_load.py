"""Loading the store: idempotent, transactional, status."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tightrope.store import load as load_mod
from tightrope.store import load_world, open_store
from tightrope.store.load import WORLD_TABLES


def snapshot(p: Path) -> dict[str, Any]:
    with open_store(p) as s:
        out: dict[str, Any] = {t: s.query(f"SELECT * FROM {t} ORDER BY ALL") for t in WORLD_TABLES}
        out["loads"] = s.query("SELECT * FROM loads")
    return out


def test_load_twice_changes_nothing(tmp_path: Path) -> None:
    p = tmp_path / "s.duckdb"
    with open_store(p) as s:
        first = load_world(s)
    before = snapshot(p)
    with open_store(p) as s:
        second = load_world(s)
    assert first.changed and not second.changed
    assert second.content_hash == first.content_hash
    assert snapshot(p) == before
    assert before["loads"][0]["n_rows"] == sum(first.rows.values())


def test_forced_reload_gives_the_same_tables(tmp_path: Path) -> None:
    p = tmp_path / "s.duckdb"
    with open_store(p) as s:
        load_world(s)
    before = snapshot(p)
    with open_store(p) as s:
        assert load_world(s, force=True).changed
    after = snapshot(p)
    assert {t: after[t] for t in WORLD_TABLES} == {t: before[t] for t in WORLD_TABLES}


def test_failure_mid_load_leaves_previous_store(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "s.duckdb"
    with open_store(p) as s:
        load_world(s)
    before = snapshot(p)
    assert before["ties"] and before["countries"]
    real_insert = load_mod._insert

    def failing(store: Any, table: str, rows: Any) -> None:
        # ties has just been emptied (its DELETE ran) and is not refilled: without the
        # rollback the store would be left with no ties
        if table == "ties":
            raise RuntimeError("injected failure")
        real_insert(store, table, rows)

    monkeypatch.setattr(load_mod, "_insert", failing)
    with open_store(p) as s, pytest.raises(RuntimeError, match="injected"):
        load_world(s, force=True)
    assert snapshot(p) == before


def test_failure_on_first_load_leaves_empty_store(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "s.duckdb"
    real_insert = load_mod._insert

    def failing(store: Any, table: str, rows: Any) -> None:
        if table == "ties":  # after countries, borders, ... have been written
            raise RuntimeError("injected failure")
        real_insert(store, table, rows)

    monkeypatch.setattr(load_mod, "_insert", failing)
    with open_store(p) as s, pytest.raises(RuntimeError):
        load_world(s)
    with open_store(p) as s:
        assert not s.is_loaded()
        assert s.query("SELECT count(*) AS n FROM countries")[0]["n"] == 0


def test_caspian_littoral_states_in_store(loaded_db: Path) -> None:
    with open_store(loaded_db, read_only=True) as s:
        rows = s.query("SELECT iso3, kind, value FROM seas WHERE sea = 'Caspian Sea' ORDER BY iso3")
    assert [r["iso3"] for r in rows] == ["AZE", "IRN", "KAZ", "RUS", "TKM"]
    russia = next(r for r in rows if r["iso3"] == "RUS")
    assert russia["kind"] == "unknown" and russia["value"] is None



def test_store_draws_no_progress_bar(tmp_path: Path) -> None:
    """DuckDB's progress bar goes to standard output (seen on a 100-million-event store, where
    it came before the JSON of 'events temperature --json'); the store turns it off. Checked
    in a fresh interpreter: DuckDB's default differs inside pytest."""
    code = textwrap.dedent(f"""
        from pathlib import Path
        from tightrope.store import open_store
        for ro in (False, True):
            with open_store(Path({str(tmp_path / "s.duckdb")!r}), read_only=ro) as s:
                print(s.con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0])
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]
