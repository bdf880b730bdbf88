"""The relations endpoint on a store with the ICEWS 2005-15 files ingested."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.browser import chromium_page, external
from tests.web.server import live_dashboard
from tightrope.store import open_store
from tightrope.store.events import ingest_events
from tightrope.web import WebSettings, create_app


@pytest.fixture(scope="module")
def events_db(loaded_db: Path, shared_data: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("ev") / "ev.duckdb"
    shutil.copy(loaded_db, p)
    files = sorted((shared_data / "icews-tkg/mmkb/icews05-15").glob("*.txt"))
    with open_store(p) as s:
        ingest_events(s, files)
    return p


@pytest.fixture(scope="module")
def ev_client(events_db: Path) -> Iterator[TestClient]:
    app = create_app(WebSettings(db=events_db, exposure_runs=100))
    with TestClient(app, base_url="http://localhost") as c:
        yield c
    app.state.jobs.shutdown()


def test_panel(ev_client: TestClient) -> None:
    assert ev_client.get("/api/capabilities").json()["events"] is True
    r = ev_client.get("/api/events/panel/KAZ?start=2005-01&end=2015-12").json()
    powers = [t["power"] for t in r["result"]["temperatures"]]
    assert powers == ["RUS", "CHN", "EUU", "USA", "TUR", "IRN"]
    assert r["figure"]["data"]
    for x in r["explanations"]:
        assert x["month"] and "coded_events" in x
    fc = {row["direction"]: row for row in r["forecast"] if "classes" in row}
    assert {"KAZ→RUS", "RUS→KAZ", "KAZ→CHN"} <= set(fc)
    for row in fc.values():
        assert sum(c["p"] for c in row["classes"]) == pytest.approx(1, abs=0.01)
        assert all(c["lo"] <= c["p"] <= c["hi"] for c in row["classes"])


def test_panel_bad_inputs(ev_client: TestClient) -> None:
    assert ev_client.get("/api/events/panel/KAZ?start=2005-13").status_code == 422
    assert ev_client.get("/api/events/panel/KAZ?start=2010-01&end=2009-01").status_code == 422
    assert ev_client.get("/api/events/panel/Narnia").status_code == 404
    r = ev_client.get("/api/events/panel/HMD")  # Heard Island: uninhabited
    assert r.status_code == 404 and "no coded events" in r.json()["detail"]


@pytest.mark.browser
def test_relations_page(events_db: Path, tmp_path: Path) -> None:
    with live_dashboard(events_db) as url, chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(url + "/")
        page.wait_for_selector("#tabs button[data-page=events]:not([hidden])")
        page.click("#tabs button[data-page=events]")
        page.wait_for_function("document.querySelectorAll('#events-chart .scatterlayer "
                               ".trace').length >= 6", timeout=30_000)
        page.wait_for_selector("#events-table >> text=Next month")
        page.screenshot(path=str(tmp_path / "relations.png"), full_page=True)
    assert errors == []
    assert external(requests) == []
