"""Who may reach the dashboard and what it accepts: Host check, token, per-client jobs, body
caps, path traversal, and one-line 4xx answers for every client mistake."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from tests.browser import chromium_page, external
from tests.web.server import live_dashboard
from tightrope.web import WebSettings, create_app
from tightrope.web.security import LOOPBACK_HOSTS

TOKEN = "s3cret-token-for-tests-0123456789"


def _one_line_error(r: Any, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text[:300])
    detail = r.json()["detail"]
    assert isinstance(detail, str) and "\n" not in detail and 0 < len(detail) <= 300, detail
    return detail


# --- Host header (DNS rebinding) ---------------------------------------------------------

@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000",
                                  "[::1]", "[::1]:8000", "LOCALHOST:1"])
def test_loopback_hosts_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.evil.example", "10.0.0.5", "[::2]:80", "",
                                  "localhost:80:80", "localhost:abc", "[::1"])
def test_other_hosts_are_refused(client: TestClient, host: str) -> None:
    for path in ("/api/health", "/", "/api/profile/KAZ"):
        r = client.get(path, headers={"host": host})
        assert "not served here" in _one_line_error(r, 400)


def test_a_request_without_host_is_refused(client: TestClient) -> None:
    status, _ = _asgi(client.app, "/api/health", headers=[])
    assert status == 400


# --- access token (served beyond loopback) -----------------------------------------------

@pytest.fixture(scope="module")
def remote_app(web_db: Path) -> Iterator[FastAPI]:
    app = create_app(WebSettings(db=web_db, exposure_runs=100, job_processes=False, token=TOKEN,
                                 allowed_hosts=(*LOOPBACK_HOSTS, "dash.example.org")))
    yield app
    app.state.jobs.shutdown()


def test_remote_host_is_served_only_with_the_token(remote_app: FastAPI) -> None:
    c = TestClient(remote_app, base_url="http://dash.example.org:8000")
    for path in ("/", "/api/health", "/api/profile/KAZ", "/static/app.js", "/openapi.json",
                 "/docs", "/api/jobs/abc"):
        r = c.get(path)
        assert "access token" in _one_line_error(r, 401), path
        assert r.headers["www-authenticate"] == "Bearer"
    assert c.get("/api/health", headers={"authorization": "Bearer wrong-token-0123456789"}
                 ).status_code == 401
    assert c.get("/api/health?token=" + TOKEN).status_code == 401  # only the page takes ?token=
    assert c.get("/api/health", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert c.get("/api/health", headers={"authorization": f"bearer {TOKEN}"}).status_code == 200
    assert c.get("/", headers={"host": "other.example.org"}).status_code == 400
    # loopback names need the token too: a proxy on this machine looks like loopback
    local = TestClient(remote_app, base_url="http://127.0.0.1:8000")
    assert local.get("/api/health").status_code == 401


def test_page_with_token_sets_a_cookie(remote_app: FastAPI) -> None:
    c = TestClient(remote_app, base_url="http://dash.example.org")
    assert c.get("/?token=wrong").status_code == 401
    r = c.get("/?token=" + TOKEN, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"tightrope_token={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert c.get("/").status_code == 200  # the cookie now carries the token
    assert c.get("/api/profile/KAZ").json()["country"]["iso3"] == "KAZ"
    c.cookies.clear()
    assert c.get("/api/health").status_code == 401


def test_cookies_are_secure_over_https(remote_app: FastAPI) -> None:
    c = TestClient(remote_app, base_url="https://dash.example.org")
    r = c.get("/?token=" + TOKEN, follow_redirects=False)
    assert r.status_code == 303
    assert all("; Secure" in v for v in r.headers.get_list("set-cookie"))
    plain = TestClient(remote_app, base_url="http://dash.example.org")
    r = plain.get("/?token=" + TOKEN, follow_redirects=False)
    assert not any("Secure" in v for v in r.headers.get_list("set-cookie"))


def test_loopback_server_needs_no_token(client: TestClient) -> None:
    assert client.get("/api/health").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.browser
def test_browser_with_token(web_db: Path) -> None:
    with live_dashboard(web_db, token=TOKEN) as url, chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        assert page.goto(url + "/").status == 401
        page.goto(f"{url}/?token={TOKEN}")
        page.wait_for_selector("#profile-title", timeout=30_000)
        assert page.inner_text("#profile-title") == "Kazakhstan (KAZ)"
        assert urlsplit(page.url).query == ""  # the token left the address bar
    assert errors == []
    assert external(requests) == []


# --- jobs belong to the client that started them ------------------------------------------

def test_jobs_are_seen_and_cancelled_only_by_their_client(client: TestClient) -> None:
    owner = TestClient(client.app, base_url="http://localhost")
    other = TestClient(client.app, base_url="http://localhost")
    r = owner.post("/api/simulate", json={"scenario": "kazakhstan-2023", "strategy": "all",
                                          "runs": 20000, "seed": 5})
    assert r.status_code == 202
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("tightrope_client=") and "HttpOnly" in cookie
    job = r.json()["id"]
    assert "owner" not in r.json()
    assert owner.get(f"/api/jobs/{job}").status_code == 200
    assert other.get(f"/api/jobs/{job}").status_code == 404
    assert other.delete(f"/api/jobs/{job}").status_code == 404
    assert owner.get(f"/api/jobs/{job}").json()["status"] in ("queued", "running", "done")
    anonymous = TestClient(client.app, base_url="http://localhost", cookies={})
    assert anonymous.get(f"/api/jobs/{job}").status_code == 404
    forged = TestClient(client.app, base_url="http://localhost",
                        cookies={"tightrope_client": "not-the-owner-at-all-xyz"})
    assert forged.get(f"/api/jobs/{job}").status_code == 404
    assert owner.delete(f"/api/jobs/{job}").status_code == 200
    deadline = time.time() + 60
    while owner.get(f"/api/jobs/{job}").json()["status"] not in ("cancelled", "done"):
        assert time.time() < deadline
        time.sleep(0.05)


# --- request bodies -----------------------------------------------------------------------

def test_chunked_body_over_the_cap_is_413(client: TestClient) -> None:
    def body() -> Iterator[bytes]:
        for _ in range(1600):  # 100 MiB, no declared length
            yield b"x" * 65536

    r = client.post("/api/bargain", content=body(), headers={"content-type": "application/json"})
    assert "larger than 262144 bytes" in _one_line_error(r, 413)
    assert client.get("/api/health").status_code == 200


def test_chunked_body_is_refused_without_reading_it_all(client: TestClient) -> None:
    """Straight into the app (the test client reads a streamed body whole before sending)."""
    read = 0

    def chunks() -> Iterator[bytes]:
        nonlocal read
        for _ in range(1600):
            read += 1
            yield b"x" * 65536

    status, body = _asgi(client.app, "/api/bargain", method="POST", body=chunks(),
                         headers=[(b"host", b"localhost"), (b"transfer-encoding", b"chunked"),
                                  (b"content-type", b"application/json")])
    assert status == 413 and "larger than" in json.loads(body)["detail"]
    assert read <= 5, f"{read} chunks of 64 KiB read before refusing"


def test_declared_length_over_the_cap_is_413(client: TestClient) -> None:
    r = client.post("/api/simulate", content=b"{" + b" " * 300_000 + b"}",
                    headers={"content-type": "application/json"})
    _one_line_error(r, 413)


def test_body_under_the_cap_still_reaches_the_app_in_chunks(client: TestClient) -> None:
    text = json.dumps({"example": "nope", "rounds": 5}).encode()

    def body() -> Iterator[bytes]:
        for i in range(0, len(text), 7):
            yield text[i:i + 7]

    r = client.post("/api/bargain", content=body(), headers={"content-type": "application/json"})
    assert "unknown example" in _one_line_error(r, 422)


def test_real_server_refuses_a_chunked_upload_early(live_server: str) -> None:
    """A real uvicorn: 413 arrives while the client is still sending its 100 MiB."""
    host, port = urlsplit(live_server).hostname, urlsplit(live_server).port
    assert host is not None and port is not None
    chunk = b"10000\r\n" + b"x" * 65536 + b"\r\n"
    sent, answer = 0, b""
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(b"POST /api/bargain HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                  b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            while sent < 100 * 2**20 and not answer:
                s.sendall(chunk)
                sent += 65536
                if select.select([s], [], [], 0)[0]:
                    answer = s.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not answer:
            answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 16 * 2**20, f"sent {sent} bytes before the answer"


# --- NaN, Infinity and other client mistakes: 4xx and one line ----------------------------

@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/bargain", b'{"example": "kaz-sanctions", "rounds": NaN}', "rounds"),
    ("/api/bargain", b'{"actors": [{"actor": "A", "capability": 1, "position": 0, '
                     b'"salience": Infinity}, {"actor": "B", "capability": 1, "position": 1, '
                     b'"salience": 0.5}]}', "actors[0].salience"),
    ("/api/bargain", b'{"actors": [{"actor": "A", "capability": NaN, "position": 0, '
                     b'"salience": 0.5}, {"actor": "B", "capability": 1, "position": 1, '
                     b'"salience": 0.5}]}', "actors[0].capability"),
    ("/api/simulate", b'{"scenario": "kazakhstan-2023", "floor": NaN}', "floor"),
    ("/api/simulate", b'{"scenario": "kazakhstan-2023", "seed": -Infinity}', "seed"),
    ("/api/robust", b'{"scenario": "kazakhstan-2023", "runs": Infinity}', "runs"),
    ("/api/corridors/disrupt", b'{"scenarios": ["red-sea"], "runs": NaN}', "runs"),
], ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None)
def test_nan_and_infinity_are_422_naming_the_field(client: TestClient, path: str, body: bytes,
                                                   field: str) -> None:
    r = client.post(path, content=body, headers={"content-type": "application/json"})
    detail = _one_line_error(r, 422)
    assert detail.startswith(f"{field}: ") and "finite number" in detail, detail


@pytest.mark.parametrize(("method", "path", "body", "status", "text"), [
    ("POST", "/api/simulate", {"scenario": "x" * 100_000}, 422, "scenario: "),
    ("POST", "/api/bargain", {"example": "kaz-sanctions", "rounds": "many"}, 422, "rounds: "),
    ("POST", "/api/bargain", {"actors": "A,B"}, 422, "actors: "),
    ("POST", "/api/bargain", {"actors": [{"actor": "A" * 5000, "capability": 1, "position": 0,
                                          "salience": 0.5}] * 2}, 422, "actors[0].actor: "),
    ("POST", "/api/bargain", [1, 2, 3], 422, "request body: "),
    ("POST", "/api/bargain", "kaz-sanctions", 422, "request body: "),
    ("POST", "/api/corridors/disrupt", {"scenarios": ["red-sea"] * 100}, 422, "scenarios: "),
    ("POST", "/api/corridors/disrupt", {"scenarios": [{"a": 1}]}, 422, "scenarios[0]: "),
    ("POST", "/api/simulate", b"{not json", 422, "not valid JSON"),
    ("GET", "/api/profile/Narnia", None, 404, "unknown country"),
    ("GET", "/api/profile/" + "x" * 5000, None, 422, "too long"),
    ("GET", "/api/compare?c=KAZ&c=" + "x" * 5000, None, 422, "at most 64"),
    ("GET", "/api/compare?" + "&".join(["c=KAZ"] * 500), None, 422, "2 to 6"),
    ("GET", "/api/compare?c=KAZ&c=Narnia", None, 404, "unknown country"),
    ("GET", "/api/corridors/route?origin=Xian&destination=" + "y" * 5000, None, 422,
     "destination: "),
    ("GET", "/api/corridors/route?origin=Xian&destination=Duisburg&k=two", None, 422, "k: "),
    ("GET", "/api/events/panel/" + "x" * 5000, None, 422, "too long"),
    ("GET", "/api/jobs/" + "x" * 5000, None, 404, "no such job"),
], ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_client_mistakes_are_one_line_4xx(client: TestClient, method: str, path: str,
                                          body: Any, status: int, text: str) -> None:
    raw = body if isinstance(body, bytes) else None
    r = client.request(method, path, json=None if raw is not None else body, content=raw,
                       headers={"content-type": "application/json"} if raw else None)
    detail = _one_line_error(r, status)
    assert text in detail, detail
    assert "x" * 100 not in detail and "A" * 100 not in detail  # the input is not echoed


# --- static files: no path a client chooses -----------------------------------------------

def _asgi(app: Any, path: str, raw_path: bytes | None = None,
          headers: list[tuple[bytes, bytes]] | None = None, method: str = "GET",
          body: Iterator[bytes] | None = None) -> tuple[int, bytes]:
    """One request straight into the ASGI app, with the path exactly as given (no client
    normalises it)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path,
             "raw_path": raw_path if raw_path is not None else path.encode(),
             "query_string": b"", "root_path": "",
             "headers": [(b"host", b"localhost")] if headers is None else headers,
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    sent: list[dict[str, Any]] = []

    parts = body if body is not None else iter(())

    async def receive() -> dict[str, Any]:
        part = next(parts, None)
        return {"type": "http.request", "body": part or b"", "more_body": part is not None}

    async def send(msg: dict[str, Any]) -> None:
        sent.append(msg)

    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


@pytest.mark.parametrize(("path", "raw"), [
    ("/static/..", b"/static/%2e%2e"),
    ("/static/..", b"/static/.."),
    ("/static/.", b"/static/%2e"),
    ("/static/__init__.py", b"/static/__init__.py"),
    ("/static/index.html\x00.js", b"/static/index.html%00.js"),
])
def test_static_handler_refuses_names_it_does_not_serve(client: TestClient, path: str,
                                                        raw: bytes) -> None:
    status, body = _asgi(client.app, path, raw)
    assert status == 404 and json.loads(body) == {"detail": "no such file"}


def test_static_handler_never_reads_outside_its_folder(client: TestClient) -> None:
    """The route passes one path segment; the handler itself must refuse a name that climbs
    out (called directly, the way a future route or mount might call it)."""
    static = next(r.endpoint for r in client.app.routes  # type: ignore[attr-defined]
                  if getattr(r, "path", "") == "/static/{name}")
    for name in ("../__init__.py", "../app.py", "../../errors.py", "/etc/passwd", ".."):
        with pytest.raises(HTTPException) as e:
            static(name)
        assert e.value.status_code == 404
    assert b"function" in static("app.js").body
