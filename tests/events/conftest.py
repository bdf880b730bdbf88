"""Fixtures of the events tests: the ICEWS benchmark files and a store holding ICEWS05-15."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tightrope.store import open_store
from tightrope.store.events import ingest_events


@pytest.fixture(scope="session")
def icews_dir(shared_data: Path) -> Path:
    return shared_data / "icews-tkg"


@pytest.fixture(scope="session")
def icews0515_files(icews_dir: Path) -> list[Path]:
    """The ICEWS05-15 files present: named valid/test (2005-2015) and ID valid/test."""
    return [
        *sorted((icews_dir / "mmkb" / "icews05-15").glob("*.txt")),
        icews_dir / "nec-tkg-forecasting-evaluation" / "ICEWS05-15" / "valid.txt",
        icews_dir / "nec-tkg-forecasting-evaluation" / "ICEWS05-15" / "test.txt",
    ]


@pytest.fixture(scope="session")
def icews_db(loaded_db: Path, icews0515_files: list[Path],
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the world data and the ICEWS05-15 files (read it, do not modify it)."""
    p = tmp_path_factory.mktemp("events") / "icews.duckdb"
    shutil.copy(loaded_db, p)
    with open_store(p) as s:
        ingest_events(s, icews0515_files)
    return p


def count_lines(path: Path) -> int:
    """Non-empty lines, counted with a plain loop (independent of the reader under test)."""
    n = 0
    with path.open("rb") as fh:
        for line in fh:
            if line.strip():
                n += 1
    return n
