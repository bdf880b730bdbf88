"""The API: same JSON as the CLI, clear 4xx on bad input, limits, and it stays healthy."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from tightrope.web.jobs import JobManager, QueueFull


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/api/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert "/api/profile/{country}" in spec["paths"]
    docs = client.get("/docs").text
    assert "/openapi.json" in docs and "cdn" not in docs.lower()


def test_profile_matches_the_cli_schema(client: TestClient) -> None:
    p = client.get("/api/profile/kz").json()
    assert p["schema"] == "tightrope.profile/1"
    assert {b["iso3"]: b["length_km"] for b in p["borders"]}["RUS"] == 7644
    assert p["coastline"]["littoral_states"] == ["AZE", "IRN", "KAZ", "RUS", "TKM"]
    assert p["exposure"]["powers"] == ["RUS", "CHN", "EUU", "USA", "TUR", "IRN"]


def test_bad_inputs_are_4xx_with_a_message(client: TestClient) -> None:
    r = client.get("/api/profile/Narnia")
    assert r.status_code == 404 and "unknown country 'Narnia'" in r.json()["detail"]
    r = client.get("/api/profile/" + "x" * 80)
    assert r.status_code == 422 and "too long" in r.json()["detail"]
    r = client.get("/api/compare?c=KAZ")
    assert r.status_code == 422 and "2 to 6" in r.json()["detail"]
    r = client.get("/api/compare")
    assert r.status_code == 422
    r = client.get("/api/jobs/nope")
    assert r.status_code == 404
    r = client.get("/static/secrets.txt")
    assert r.status_code == 404
    assert client.get("/api/health").json()["status"] == "ok"


def test_oversized_body_is_refused(client: TestClient) -> None:
    r = client.post("/api/compare", content=b"x" * 300_000,
                    headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]
    assert client.get("/api/health").status_code == 200


def test_compare(client: TestClient) -> None:
    r = client.get("/api/compare?c=KAZ&c=Jordan&c=MNG").json()
    assert [c["iso3"] for c in r["countries"]] == ["KAZ", "JOR", "MNG"]


def test_job_manager_queue_cancel_and_failure() -> None:
    jm = JobManager(workers=1, max_pending=2)
    started = threading.Event()

    def slow(progress, cancelled):  # type: ignore[no-untyped-def]
        started.set()
        for i in range(200):
            progress(i, 200, "working")
            time.sleep(0.01)
        return "finished"

    a = jm.submit("slow", slow)
    b = jm.submit("slow", slow)
    try:
        jm.submit("slow", slow)
        raise AssertionError("queue should be full")
    except QueueFull:
        pass
    started.wait(5)
    jm.cancel(a.id)
    jm.cancel(b.id)
    for _ in range(300):
        if a.status in ("cancelled", "done") and b.status == "cancelled":
            break
        time.sleep(0.01)
    assert a.status == "cancelled" and b.status == "cancelled"

    def boom(progress, cancelled):  # type: ignore[no-untyped-def]
        raise ValueError("bad scenario")

    c = jm.submit("boom", boom)
    for _ in range(300):
        if c.status == "failed":
            break
        time.sleep(0.01)
    assert c.status == "failed" and c.error == "bad scenario"
    jm.shutdown()


def _wait(client: TestClient, job: dict, seconds: float = 60) -> dict:  # type: ignore[type-arg]
    deadline = time.time() + seconds
    while time.time() < deadline:
        j = client.get(f"/api/jobs/{job['id']}").json()
        if j["status"] in ("done", "failed", "cancelled"):
            return j  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_bargain_example_and_table(client: TestClient) -> None:
    ex = client.get("/api/bargain/examples").json()
    assert "kaz-sanctions" in ex and ex["ec-car-emissions"]["actors"][0]["actor"]
    r = client.post("/api/bargain", json={"example": "ec-car-emissions", "rounds": 5})
    assert r.status_code == 202
    done = _wait(client, r.json())
    assert done["status"] == "done"
    assert done["result"]["schema"] == "tightrope.bargaining/1"
    assert len(done["result"]["rounds"]) >= 2
    table = [{"actor": a, "capability": c, "position": p, "salience": s}
             for a, c, p, s in [("A", 1, 0, 0.5), ("B", 2, 100, 0.9), ("C", 1, 60, 0.3)]]
    done = _wait(client, client.post("/api/bargain", json={"actors": table, "rounds": 5}).json())
    assert done["status"] == "done"


def test_bargain_bad_inputs(client: TestClient) -> None:
    bad = [
        ({"example": "nope"}, "unknown example"),
        ({}, "either 'example' or 'actors'"),
        ({"example": "kaz-sanctions", "rounds": 100000}, "less than or equal to 100"),
        ({"example": "kaz-sanctions", "runs": 10**6}, "less than or equal to 2000"),
        ({"actors": [{"actor": "A", "capability": 1, "position": 0, "salience": 2}]},
         "less than or equal to 1"),
        ({"actors": [{"actor": "A", "capability": 1, "position": 0, "salience": 0.5}]},
         "at least two actors"),
    ]
    for body, text in bad:
        r = client.post("/api/bargain", json=body)
        assert r.status_code == 422, body
        assert text in str(r.json()["detail"]), (body, r.json())
    same = [{"actor": a, "capability": 1, "position": 5, "salience": 0.5} for a in "AB"]
    r = client.post("/api/bargain", json={"actors": same})
    assert r.status_code == 400 and "position" in r.json()["detail"]
    assert client.get("/api/health").json()["status"] == "ok"


def test_corridors_route_and_disrupt(client: TestClient) -> None:
    nodes = client.get("/api/corridors/nodes").json()
    assert any(n["id"] == "xian" for n in nodes)
    r = client.get("/api/corridors/route?origin=Xian&destination=Duisburg&k=2").json()
    assert r["schema"] == "tightrope.corridors.route/1" and len(r["routes"]) == 2
    assert client.get("/api/corridors/route?origin=Xian&destination=Xian").status_code == 422
    assert client.get("/api/corridors/route?origin=Xian&destination=Duisburg&k=50"
                      ).status_code == 422
    bad = client.get("/api/corridors/route?origin=Atlantis&destination=Duisburg")
    assert bad.status_code == 400 and "Atlantis" in bad.json()["detail"]
    r = client.post("/api/corridors/disrupt", json={"scenarios": ["nope"]})
    assert r.status_code == 422 and "unknown scenario" in str(r.json()["detail"])
    r = client.post("/api/corridors/disrupt", json={"scenarios": ["red-sea"], "runs": 10**5})
    assert r.status_code == 422
    # the job re-calibrates the market model once per run (~0.6 s each; slower under load)
    done = _wait(client, client.post("/api/corridors/disrupt",
                                     json={"scenarios": ["russia-transit"], "runs": 3}).json(),
                 seconds=240)
    assert done["status"] == "done"
    assert done["result"]["result"]["focal"]["iso3"] == "KAZ"
    assert done["result"]["figure"]["data"]


def test_simulate(client: TestClient) -> None:
    sc = client.get("/api/simulate/scenarios").json()
    assert {s["key"] for s in sc} >= {"kazakhstan-2023", "jordan-2024"}
    done = _wait(client, client.post("/api/simulate", json={
        "scenario": "kazakhstan-2023", "strategy": "all", "runs": 300, "seed": 2}).json())
    assert done["status"] == "done"
    strategies = {r["strategy"] for r in done["result"]["results"]}
    assert "balancer" in strategies and len(strategies) >= 4
    for r in done["result"]["results"]:
        assert 0 <= r["p_catastrophe"] <= 1


def test_simulate_limits_and_paths(client: TestClient) -> None:
    cases = [
        ({"scenario": "/etc/passwd"}, "unknown scenario"),
        ({"scenario": "../src/tightrope/data/scenarios/kazakhstan-2023.yaml"}, "unknown scenario"),
        ({"scenario": "kazakhstan-2023", "runs": 10**7}, "less than or equal to 20000"),
        ({"scenario": "kazakhstan-2023", "horizon": 1000}, "less than or equal to 80"),
        ({"scenario": "kazakhstan-2023", "strategy": "surrender"}, "unknown strategy"),
    ]
    for body, text in cases:
        r = client.post("/api/simulate", json=body)
        assert r.status_code == 422 and text in str(r.json()["detail"]), (body, r.json())
    assert client.get("/api/health").json()["status"] == "ok"


def test_cancel_a_running_simulation(client: TestClient) -> None:
    job = client.post("/api/simulate", json={"scenario": "kazakhstan-2023", "strategy": "all",
                                             "runs": 20000, "seed": 1}).json()
    time.sleep(0.2)
    assert client.delete(f"/api/jobs/{job['id']}").status_code == 200
    done = _wait(client, job)
    assert done["status"] == "cancelled"
    assert client.get("/api/health").json()["status"] == "ok"


def test_robust_job(client: TestClient) -> None:
    r = client.post("/api/robust", json={"scenario": "kazakhstan-2023", "samples": 8,
                                         "runs": 20, "seed": 1})
    assert r.status_code == 202
    done = _wait(client, r.json(), seconds=120)
    assert done["status"] == "done", done
    res = done["result"]
    assert res["robustness"] and res["pareto"]["front"]
    for bad in ({"scenario": "kazakhstan-2023", "samples": 10**6},
                {"scenario": "x", "samples": 8}):
        assert client.post("/api/robust", json=bad).status_code == 422


def test_world_and_profile_carry_the_camp_balance(client: TestClient) -> None:
    w = client.get("/api/world").json()
    assert w["schema"] == "tightrope.world/4" and len(w["countries"]) >= 240
    cb = client.get("/api/profile/KAZ").json()["camp_balance"]
    assert cb["iso3"] == "KAZ" and cb["rank"] >= 1 and cb["ranked_among"] >= 150
