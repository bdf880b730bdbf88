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


#: The modules that take longest (with their module fixtures), measured with --durations.
#: Collected first, so that xdist's per-module scheduling (--dist loadscope) starts them first
#: and the two workers finish together instead of one waiting on the last long module.
_SLOW_FIRST = ("tests/briefing/test_demo.py", "tests/report/test_figure_check.py",
               "tests/web/test_dashboard_browser.py", "tests/cli/test_table_width.py",
               "tests/web/test_browser.py", "tests/cli/test_usage_errors.py",
               "tests/exposure/test_camps.py", "tests/report/test_judgements.py",
               "tests/exposure/test_report_browser.py", "tests/test_no_global_state.py",
               "tests/web/test_security.py", "tests/robust/test_prim.py",
               "tests/fetch/test_factbook_update.py", "tests/events/test_ingest.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {m: k for k, m in enumerate(_SLOW_FIRST)}
    items.sort(key=lambda it: rank.get(it.nodeid.split("::")[0], len(rank)))  # stable
