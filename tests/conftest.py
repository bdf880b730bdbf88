"""Shared fixtures: the shared real data sets and a fresh store per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in benchmarks, not in tests: no per-example deadline, so a loaded machine
# cannot fail a property test that holds.
settings.register_profile("tightrope", deadline=None)
settings.load_profile("tightrope")

REPO = Path(__file__).resolve().parents[1]
#: ../shared/data next to the repository (override with TIGHTROPE_SHARED_DATA).
SHARED_DATA = Path(os.environ.get("TIGHTROPE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real public data sets; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent (set TIGHTROPE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store path in a temporary folder, also exported as TIGHTROPE_DB."""
    p = tmp_path / "store.duckdb"
    monkeypatch.setenv("TIGHTROPE_DB", str(p))
    yield p


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store loaded once per session from the shipped data (read it, do not modify it)."""
    from tightrope.store import load_world, open_store

    p = tmp_path_factory.mktemp("store") / "world.duckdb"
    with open_store(p) as s:
        load_world(s)
    return p
