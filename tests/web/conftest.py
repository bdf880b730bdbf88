"""A dashboard app on a copy of the session store, and a live server for the browser tests."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tightrope.web import WebSettings, create_app


@pytest.fixture(scope="module")
def web_db(loaded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("web") / "web.duckdb"
    shutil.copy(loaded_db, p)
    return p


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=web_db, exposure_runs=200))
    with TestClient(app) as c:
        yield c
    app.state.jobs.shutdown()


@pytest.fixture(scope="module")
def live_server(web_db: Path) -> Iterator[str]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(WebSettings(db=web_db, exposure_runs=200))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    t.join(timeout=10)
    app.state.jobs.shutdown()
