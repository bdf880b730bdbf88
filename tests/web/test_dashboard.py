"""The dashboard's truthful progress, its cache, the CSV upload and the offline API page."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tightrope.web.cache import VersionedCache
from tightrope.web.jobrun import RUNNERS
from tightrope.web.jobs import Job, JobManager


def _poll(jm: JobManager, job: Job, timeout: float = 120.0) -> list[dict[str, Any]]:
    """Every state of ``job`` seen while polling it every few milliseconds until it ends."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = jm.get(job.id)
        assert got is not None
        d = got.to_json()
        seen.append(d)
        if d["status"] in ("done", "failed", "cancelled"):
            return seen
        time.sleep(0.005)
    raise AssertionError(f"job still {seen[-1]['status']} after {timeout} s")


def _check_truthful(seen: list[dict[str, Any]]) -> None:
    fractions = [d["fraction"] for d in seen]
    assert fractions == sorted(fractions), "the fraction went backwards"
    assert seen[-1]["status"] == "done" and seen[-1]["fraction"] == 1.0
    assert "result" in seen[-1]
    # 1 only with the result; never before
    assert all(d["fraction"] < 1.0 for d in seen if d["status"] != "done")
    assert all(0.0 <= f <= 1.0 for f in fractions)


def test_job_fraction_is_monotone_and_reaches_one_only_with_the_result() -> None:
    jm = JobManager(workers=1, max_pending=2)
    release = threading.Event()

    def work(progress: Any, cancelled: Any) -> dict[str, int]:
        for i in range(1, 11):
            progress(i, 10, "step")
            time.sleep(0.02)
        release.wait(5)  # all work reported done, the result not yet handed over
        return {"answer": 42}

    job = jm.submit("test", work)
    while (j := jm.get(job.id)) is not None and j.done < 10:
        time.sleep(0.005)
    held = job.to_json()
    assert held["status"] == "running" and held["done"] == held["total"] == 10
    assert held["fraction"] < 1.0 and "result" not in held
    assert held["seconds_left"] is not None and held["seconds_left"] >= 0
    release.set()
    seen = _poll(jm, job)
    _check_truthful([held, *seen])
    assert seen[-1]["result"] == {"answer": 42} and seen[-1]["seconds_left"] == 0.0
    jm.shutdown()


def test_time_left_comes_from_the_observed_rate() -> None:
    job = Job("x", "test", status="running")
    assert job.seconds_left() is None  # nothing reported yet
    job.report(1, 10)
    job.first_report = (time.monotonic() - 10.0, 0.1)  # 10 s ago at 10%
    job.report(6, 10)  # 50 points in 10 s: 40 points left take about 8 s
    left = job.seconds_left()
    assert left is not None and 7.0 < left < 9.0


@pytest.mark.parametrize(("kind", "params"), [
    ("bargain", {"example": "kaz-sanctions", "variant": "scholz", "rounds": 20, "runs": 60,
                 "seed": 7}),
    ("robust", {"scenario": "kazakhstan-2023", "samples": 8, "runs": 20, "seed": 3}),
])
def test_analyses_report_progress_in_small_steps(kind: str, params: dict[str, Any]) -> None:
    """The bar moves while the job runs: no step of the reported fraction exceeds a quarter
    (the bargaining Monte Carlo and the robust study's Sobol' stage used to report only at
    their end)."""
    seen: list[tuple[int, int]] = []
    RUNNERS[kind](params, lambda d, t, m="": seen.append((d, t)))
    fractions = [d / t for d, t in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    steps = [b - a for a, b in zip([0.0, *fractions], fractions, strict=False)]
    assert max(steps) <= 0.25, f"the fraction jumped by {max(steps):.2f}"


@pytest.mark.slow
def test_a_worker_process_job_reports_its_fraction_truthfully() -> None:
    jm = JobManager(workers=1, max_pending=2, processes=True)
    try:
        job = jm.submit_kind("bargain", {"example": "kaz-sanctions", "variant": "scholz",
                                         "rounds": 20, "runs": 400, "seed": 7})
        seen = _poll(jm, job)
    finally:
        jm.shutdown()
    _check_truthful(seen)
    assert len({d["fraction"] for d in seen if 0 < d["fraction"] < 1}) >= 3


def test_versioned_cache_recomputes_only_after_a_reload() -> None:
    version = [("world", "hash-a")]
    calls: list[str] = []
    cache: VersionedCache[str] = VersionedCache(lambda: version[0])

    def compute(k: str) -> str:
        calls.append(k)
        return k + str(len(calls))

    assert cache.get("KAZ", lambda: compute("KAZ")) == "KAZ1"
    assert cache.get("KAZ", lambda: compute("KAZ")) == "KAZ1"
    assert cache.get("JOR", lambda: compute("JOR")) == "JOR2"
    assert calls == ["KAZ", "JOR"]
    version[0] = ("world", "hash-b")  # the data were reloaded
    assert cache.get("KAZ", lambda: compute("KAZ")) == "KAZ3"
    assert calls == ["KAZ", "JOR", "KAZ"] and cache.misses == 3


def test_profile_is_computed_once_per_country_and_store_version(client: TestClient) -> None:
    cache = client.app.state.profile_cache  # type: ignore[attr-defined]
    first = client.get("/api/profile/Mongolia")
    before = cache.misses
    for q in ("Mongolia", "MNG", "mn"):  # any spelling of the same country: a cache hit
        r = client.get("/api/profile/" + q)
        assert r.status_code == 200 and r.content == first.content
    assert cache.misses == before


CSV = "actor,capability,position,salience\nPresidency,60,20,0.9\nBanks,25,70,0.6\n"


def test_csv_upload_reads_like_the_command_line(client: TestClient) -> None:
    r = client.post("/api/bargain/csv", json={"csv": CSV, "name": "mine.csv"})
    assert r.status_code == 200
    assert [a["actor"] for a in r.json()["actors"]] == ["Presidency", "Banks"]
    assert r.json()["has_ranges"] is False


@pytest.mark.parametrize(("text", "where"), [
    ("actor,capability,position,salience\nA,1,0,1.5\nB,1,1,1\n", "line 2, field salience"),
    ("actor,capability,position\nA,1,0\n", "line 1"),
    ("actor,capability,position,salience\nA,x,0,1\nB,1,1,1\n", "line 2, field capability"),
    ("actor,capability,position,salience\nA,1,0,1,9\n", "line 2"),
], ids=["salience out of range", "missing column", "not a number", "extra field"])
def test_csv_upload_errors_are_one_line_naming_file_line_and_field(
        client: TestClient, text: str, where: str) -> None:
    from tightrope.bargaining.loader import actors_from_csv_text
    from tightrope.errors import InputError

    with pytest.raises(InputError) as cli:  # what the command line's reader says
        actors_from_csv_text(text, "C:\\data\\mine.csv")
    r = client.post("/api/bargain/csv", json={"csv": text, "name": "C:\\data\\mine.csv"})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert "\n" not in detail and detail.startswith("mine.csv")
    assert where in detail
    assert detail.removeprefix("mine.csv") == cli.value.one_line().removeprefix(
        "C:\\data\\mine.csv")
    # a forecast on the same table is refused the same way, before any job starts
    r = client.post("/api/bargain", json={"upload": {"csv": text, "name": "mine.csv"}})
    assert r.status_code == 400 and where in r.json()["detail"]


def test_forecast_runs_on_an_uploaded_table(client: TestClient) -> None:
    job = client.post("/api/bargain", json={"upload": {"csv": CSV, "name": "mine.csv"},
                                            "rounds": 5}).json()
    for _ in range(600):
        job = client.get(f"/api/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job.get("error")
    assert job["fraction"] == 1.0
    assert [a["actor"] for a in job["result"]["rounds"][0]["actors"]] == ["Presidency",
                                                                          "Banks"]


def test_api_page_is_swagger_ui_served_from_this_server(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "SwaggerUIBundle" in html and "/openapi.json" in html
    assert not re.search(r"(?:https?:)?//", html), "an absolute URL on the API page"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets and all(a.startswith("/docs/assets/") for a in assets)
    for a in assets:
        r = client.get(a)
        assert r.status_code == 200 and len(r.content) > 500
    assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith(
        "text/javascript")
    assert client.get("/docs/assets/..%2Fapp.py").status_code == 404
    assert client.get("/docs/assets/index.html").status_code == 404
