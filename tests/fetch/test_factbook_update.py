"""``tightrope data update factbook`` against a local server: an archive made from the shipped
real Factbook JSON is checked, loaded in one transaction, and the changes since the loaded
version are printed; a broken archive or an unreachable server leaves the store unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.clirun import run
from tests.fetch.server import FixtureServer

ROOT = "factbook.json-master"


def archive(src: Path, edit: dict[str, dict[str, str]] | None = None) -> bytes:
    """The repository archive as its host serves it: every file under one root folder; the
    JSON files of ``edit`` get text replacements (file -> {old: new})."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{ROOT}/README.md", "# factbook.json\n")
        z.writestr(f"{ROOT}/package.json", "{}")
        for f in sorted(src.glob("*/*.json")):
            rel = f.relative_to(src).as_posix()
            text = f.read_text(encoding="utf-8")
            for old, new in (edit or {}).get(rel, {}).items():
                assert old in text
                text = text.replace(old, new)
            z.writestr(f"{ROOT}/{rel}", text)
    return buf.getvalue()


KZ_EDIT = {"central-asia/kz.json": {
    "20,432,662 (2025 est.)": "20,600,000 (2026 est.)",
    "Russia 7,644 km": "Russia 7,591 km",
    "China 16%, UK 15%, Russia 10%": "China 18%, UK 14%, Russia 10%",
}}


@pytest.fixture(scope="module")
def archives(shared_data: Path) -> dict[str, bytes]:
    src = shared_data / "factbook-json"
    return {"same": archive(src), "edited": archive(src, KZ_EDIT)}


@pytest.fixture
def store_file(loaded_db: Path, tmp_path: Path) -> Path:
    p = tmp_path / "store.duckdb"
    shutil.copy(loaded_db, p)
    return p


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def update(srv: FixtureServer, path: str, db: Path, capsys: pytest.CaptureFixture[str],
           *extra: str) -> tuple[int, str, str]:
    return run(["data", "update", "factbook", "--url", srv.url + path, "--db", str(db),
                "--retries", "1", "--timeout", "2", *extra], capsys)


def test_update_loads_the_archive_and_prints_what_changed(
        server: FixtureServer, archives: dict[str, bytes], cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    server.add("same.zip", archives["same"])
    server.add("edited.zip", archives["edited"])
    code, _out, err = update(server, "same.zip", store_file, capsys)
    assert code == 0, err
    code, out, err = update(server, "edited.zip", store_file, capsys, "--json")
    assert code == 0, err
    res = json.loads(out)
    assert res["changed"] is True
    assert res["previous_origin"].startswith(str(cache / "factbook" / "versions"))
    where = {(c["kind"], c["where"]) for c in res["changes"]}
    assert {("population", "KAZ"), ("border", "KAZ–RUS"),
            ("trade partners", "KAZ–exports")} <= where
    assert all("KAZ" in w for _k, w in where), where
    pop = next(c for c in res["changes"] if c["kind"] == "population")
    assert (pop["old"], pop["new"]) == ("20,432,662 persons", "20,600,000 persons")
    # the old version stays in the cache beside the new one
    assert len(list((cache / "factbook" / "versions").iterdir())) == 2
    # the same archive again: nothing changes
    before = digest(store_file)
    code, out, err = update(server, "edited.zip", store_file, capsys)
    assert code == 0, err
    assert "nothing changed" in out
    assert digest(store_file) == before


def test_update_prints_changes_as_lines(
        server: FixtureServer, archives: dict[str, bytes], cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    server.add("same.zip", archives["same"])
    server.add("edited.zip", archives["edited"])
    assert update(server, "same.zip", store_file, capsys)[0] == 0
    code, out, err = update(server, "edited.zip", store_file, capsys)
    assert code == 0, err
    assert "border: 1 changed" in out
    assert "KAZ–RUS: 7,644 km → 7,591 km" in out


def _corrupt(body: bytes) -> bytes:
    """Flip a byte inside the compressed data of a member: the CRC check fails."""
    b = bytearray(body)
    i = b.index(b"central-asia/kz.json") + 200
    b[i] ^= 0xFF
    return bytes(b)


@pytest.mark.parametrize(("case", "words"), [
    ("404", "HTTP 404"),
    ("truncate", "ended early"),
    ("corrupt", "zip"),
    ("empty", "no region/<code>.json entries"),
    ("not-zip", "not a readable zip"),
])
def test_a_bad_archive_leaves_the_store_unchanged(
        case: str, words: str, server: FixtureServer, archives: dict[str, bytes],
        cache: Path, store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = archives["edited"]
    if case == "corrupt":
        body = _corrupt(body)
    elif case == "empty":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(f"{ROOT}/README.md", "# nothing here\n")
        body = buf.getvalue()
    elif case == "not-zip":
        body = b"<html>rate limited</html>"
    server.add("a.zip", body, case if case in ("404", "truncate") else "ok")
    before = digest(store_file)
    code, out, err = update(server, "a.zip", store_file, capsys)
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    assert words in lines[0]
    assert digest(store_file) == before
    assert not (cache / "factbook" / "versions").exists() or not list(
        (cache / "factbook" / "versions").iterdir())


@pytest.mark.parametrize(("url", "words"), [
    ("closed-port", "cannot connect"),
    ("ftp://example.org/factbook.zip", "not an http(s) address"),
])
def test_update_without_a_reachable_server_is_one_line_exit_2(
        url: str, words: str, cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    if url == "closed-port":
        with socket.socket() as s:  # a port with nothing listening
            s.bind(("127.0.0.1", 0))
            url = f"http://127.0.0.1:{s.getsockname()[1]}/master.zip"
    before = digest(store_file)
    code, out, err = run(["data", "update", "factbook", "--url", url, "--retries", "0",
                          "--db", str(store_file)], capsys)
    assert code == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1 and words in err
    assert digest(store_file) == before
