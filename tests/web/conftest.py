"""A dashboard app on a copy of the session store, and a live server for the browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.server import live_dashboard
from tightrope.web import WebSettings, create_app


@pytest.fixture(scope="module")
def web_db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("web") / "web.duckdb"
    shutil.copy(loaded_db, p)
    return p


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=web_db, exposure_runs=200))
    with TestClient(app, base_url="http://localhost") as c:
        yield c
    app.state.jobs.shutdown()


@pytest.fixture(scope="module")
def live_server(web_db: Path) -> Iterator[str]:
    with live_dashboard(web_db) as url:
        yield url
