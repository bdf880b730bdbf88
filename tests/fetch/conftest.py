"""Fixtures of the fetch tests: a local HTTP server and GDELT exports made from the shipped
real export (built in the test run; nothing large is committed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetch.gdeltfixture import Fixture, build_v1, build_v2, shipped_rows
from tests.fetch.server import FixtureServer, serve


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    with serve() as srv:
        yield srv


@pytest.fixture(scope="session")
def base_rows(shared_data: Path) -> list[list[str]]:
    return shipped_rows(shared_data)


@pytest.fixture(scope="session")
def gdelt2(base_rows: list[list[str]]) -> Fixture:
    return build_v2(base_rows)


@pytest.fixture(scope="session")
def gdelt1(base_rows: list[list[str]]) -> Fixture:
    return build_v1(base_rows)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    p = tmp_path / "cache"
    monkeypatch.setenv("TIGHTROPE_CACHE", str(p))
    return p


def publish(srv: FixtureServer, fx: Fixture, modes: dict[str, str] | None = None) -> None:
    for path, body in fx.files.items():
        srv.add(path, body, (modes or {}).get(path, "ok"))
