"""``tightrope serve``: loopback by default; ``--allow-remote HOST`` serves named hosts with an
access token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from tests.clirun import run
from tightrope.cli.serve import plan
from tightrope.errors import InputError


def test_help_documents_remote_access(capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(["serve", "--help"], capsys)
    assert code == 0
    text = " ".join(out.split())
    assert "--allow-remote HOST" in text and "TIGHTROPE_TOKEN" in text
    assert "commas" in text and "token" in text


def test_loopback_by_default() -> None:
    p = plan(None, "127.0.0.1", None, {})
    assert p.settings.token is None and p.generated_token is None
    assert p.settings.allowed_hosts == ("localhost", "127.0.0.1", "[::1]")


def test_allow_remote_takes_repeated_and_comma_separated_hosts() -> None:
    p = plan(None, "0.0.0.0", ["dash.example.org, Team.Example.org", "10.0.0.5", "::2"], {})
    assert p.settings.allowed_hosts == ("localhost", "127.0.0.1", "[::1]", "dash.example.org",
                                        "team.example.org", "10.0.0.5", "[::2]")
    assert p.generated_token is not None and len(p.generated_token) >= 40
    assert p.settings.token == p.generated_token
    assert plan(None, "0.0.0.0", ["a.example"], {}).generated_token != p.generated_token


def test_bound_address_is_served_and_env_token_is_used() -> None:
    token = "team-token-from-the-environment"
    p = plan(None, "10.1.2.3", ["dash.example.org"], {"TIGHTROPE_TOKEN": token})
    assert "10.1.2.3" in p.settings.allowed_hosts
    assert p.settings.token == token and p.generated_token is None


@pytest.mark.parametrize(("host", "remote", "env", "text"), [
    ("0.0.0.0", None, {}, "not a loopback address"),
    ("10.0.0.5", [], {}, "not a loopback address"),
    ("127.0.0.1", ["http://dash.example.org"], {}, "not a host name"),
    ("127.0.0.1", ["dash.example.org:8000"], {}, "not a host name"),
    ("127.0.0.1", ["dash example"], {}, "not a host name"),
    ("127.0.0.1", ["dash.example.org"], {"TIGHTROPE_TOKEN": "short"}, "TIGHTROPE_TOKEN"),
    ("127.0.0.1", ["dash.example.org"], {"TIGHTROPE_TOKEN": "x" * 20 + "; y"}, "TIGHTROPE_TOKEN"),
])
def test_bad_serve_options(host: str, remote: list[str] | None, env: dict[str, str],
                           text: str) -> None:
    with pytest.raises(InputError, match=text):
        plan(None, host, remote, env)


def test_cli_bad_host_is_exit_2_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["serve", "--host", "0.0.0.0"], capsys)
    assert code == 2 and "--allow-remote" in err and "Traceback" not in err
    code, _, err = run(["serve", "--allow-remote", "bad host!"], capsys)
    assert code == 2 and "not a host name" in err and "Traceback" not in err


def test_cli_serves_remote_hosts_with_a_printed_token(
        web_db: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    started: dict[str, Any] = {}
    monkeypatch.delenv("TIGHTROPE_TOKEN", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    code, _, err = run(["serve", "--db", str(web_db), "--host", "0.0.0.0", "--port", "8123",
                        "--allow-remote", "dash.example.org"], capsys)
    assert code == 0, err
    app = started["app"]
    try:
        assert started["host"] == "0.0.0.0" and started["port"] == 8123
        token = app.state.settings.token
        assert err.count(token) == 2  # printed once, and once inside the address to open
        assert f"http://dash.example.org:8123/?token={token}" in err
        c = TestClient(app, base_url="http://dash.example.org:8123")
        assert c.get("/api/health").status_code == 401
        assert c.get("/api/health", headers={"authorization": f"Bearer {token}"}
                     ).status_code == 200
        assert c.get("/api/health", headers={"host": "evil.example",
                                             "authorization": f"Bearer {token}"}
                     ).status_code == 400
    finally:
        app.state.jobs.shutdown()
