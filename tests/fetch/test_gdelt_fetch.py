"""``tightrope events fetch gdelt`` against a local server: exactly the fixture events of the
given countries are ingested, a re-run fetches and adds nothing, the fetched events feed the
relation temperature, and every failure leaves the store unchanged with a one-line error."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from tests.clirun import run
from tests.fetch.conftest import publish
from tests.fetch.gdeltfixture import Fixture, build_v2_from
from tests.fetch.server import FixtureServer
from tightrope.events.fetch import FetchRequest, fetch_gdelt
from tightrope.ingest.download import FetchSettings
from tightrope.store import open_store

FAST = FetchSettings(workers=2, retries=2, backoff_s=0.0, timeout_s=2.0)
IN_RANGE_V2 = [f"{s}.export.CSV.zip" for s in ("20220115120000", "20220520091500",
                                                "20221003000000", "20230110234500",
                                                "20230402061500", "20230628180000")]


@pytest.fixture
def store_file(loaded_db: Path, tmp_path: Path) -> Path:
    p = tmp_path / "store.duckdb"
    shutil.copy(loaded_db, p)
    return p


def event_ids(db: Path) -> set[int]:
    with open_store(db, read_only=True) as s:
        have = {r["table_name"] for r in s.query(
            "SELECT table_name FROM information_schema.tables")}
        if "events" not in have:
            return set()
        return {int(r["event_id"]) for r in s.query("SELECT event_id FROM events")}


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def fetch_argv(srv: FixtureServer, db: Path, *extra: str) -> list[str]:
    return ["events", "fetch", "gdelt", "--from", "2022-01-01", "--to", "2023-06-30",
            "--countries", "KAZ,RUS", "--mirror", srv.url, "--db", str(db), *extra]


def test_fetch_ingests_exactly_the_countries_events_and_rerun_adds_nothing(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    publish(server, gdelt2)
    code, out, err = run(fetch_argv(server, store_file), capsys)
    assert code == 0, err
    # not a terminal: progress as plain lines, ending at the whole download
    assert "tightrope events fetch: 100% of" in err.splitlines()[-1], err
    want = gdelt2.expected_ids(IN_RANGE_V2, {"KAZ", "RUS"})
    assert len(want) > 0
    assert event_ids(store_file) == want
    # the two files outside the range were never requested
    assert not server.requests_for("20211231234500.export.CSV.zip")
    assert not server.requests_for("20230701000000.export.CSV.zip")
    # the cache keeps filtered lines, not the zips
    assert not list((cache / "gdelt" / "raw").glob("*.zip"))

    n_requests = len(server.log)
    before = digest(store_file)
    code, out, err = run(fetch_argv(server, store_file), capsys)
    assert code == 0, err
    assert len(server.log) == n_requests  # nothing fetched, not even the list
    assert "nothing new to ingest" in out
    assert digest(store_file) == before
    assert event_ids(store_file) == want


def test_temperature_works_on_fetched_events(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    publish(server, gdelt2)
    assert run(fetch_argv(server, store_file), capsys)[0] == 0
    code, out, err = run(["events", "temperature", "KAZ", "RUS", "--from", "2022-01",
                          "--to", "2023-06", "--json", "--db", str(store_file)], capsys)
    assert code == 0, err
    t = json.loads(out)
    kaz_rus = sum(1 for n in IN_RANGE_V2 for f in gdelt2.rows[n]
                  if f[7] == "KAZ" and f[17] == "RUS")
    rus_kaz = sum(1 for n in IN_RANGE_V2 for f in gdelt2.rows[n]
                  if f[7] == "RUS" and f[17] == "KAZ")
    assert sum(t["focal_to_power"]["events"]) == kaz_rus
    assert sum(t["power_to_focal"]["events"]) == rus_kaz
    months_with = {m for m, n in zip(t["focal_to_power"]["months"], t["focal_to_power"]["events"],
                                     strict=True) if n}
    assert months_with == {"2022-01", "2022-05", "2022-10", "2023-01", "2023-04", "2023-06"}


def test_gdelt1_daily_files_from_md5sums_and_filesizes(
        server: FixtureServer, gdelt1: Fixture, cache: Path, store_file: Path) -> None:
    publish(server, gdelt1)
    req = FetchRequest(dt.date(2022, 1, 1), dt.date(2023, 6, 30), frozenset({"KAZ"}), 1,
                       server.url)
    with open_store(store_file) as s:
        res = fetch_gdelt(s, req, FAST, cache_dir=cache)
    names = [f"{d}.export.CSV.zip" for d in ("20220115", "20220520", "20221003", "20230110",
                                             "20230402", "20230628")]
    assert [f.name for f in res.plan.files] == names
    assert res.ingest is not None and {f.dataset for f in res.ingest.files} == {"gdelt1"}
    assert event_ids(store_file) == gdelt1.expected_ids(names, {"KAZ"})


def test_dry_run_lists_files_and_fetches_none(
        server: FixtureServer, gdelt2: Fixture, cache: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    publish(server, gdelt2)
    db = tmp_path / "none.duckdb"
    code, out, err = run(fetch_argv(server, db, "--dry-run"), capsys)
    assert code == 0, err
    for name in IN_RANGE_V2:
        assert name in out
    assert "20230701000000" not in out
    assert [p for p, _ in server.log] == ["/gdeltv2/masterfilelist.txt"]
    assert not db.exists()


def test_cached_list_is_refetched_only_when_it_ends_too_early(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    publish(server, gdelt2)
    assert run(fetch_argv(server, store_file, "--dry-run"), capsys)[0] == 0
    assert run(fetch_argv(server, store_file, "--dry-run"), capsys)[0] == 0
    assert len(server.requests_for("masterfilelist.txt")) == 1
    argv = fetch_argv(server, store_file, "--dry-run")
    argv[argv.index("--to") + 1] = "2023-08-01"  # past the list's last file
    assert run(argv, capsys)[0] == 0
    assert len(server.requests_for("masterfilelist.txt")) == 2


# --- failures: one line, exit 2, the store byte-identical -----------------------------------

FIRST = "gdeltv2/20220520091500.export.CSV.zip"


@pytest.mark.parametrize(("mode", "words"), [
    ("404", "HTTP 404"),
    ("truncate", "ended early"),
    ("slow", "timeout"),
    ("reset", "connection"),
    ("md5", "MD5"),
    ("size", "more than"),
    ("trickle", "less than 1,000 bytes a second"),
])
def test_a_failing_file_leaves_the_store_unchanged(
        mode: str, words: str, server: FixtureServer, gdelt2: Fixture, cache: Path,
        store_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if mode in ("md5", "size"):  # the list promises another checksum or size
        files = dict(gdelt2.files)
        body = files[FIRST]
        listed = files["gdeltv2/masterfilelist.txt"].decode()
        md5 = hashlib.md5(body).hexdigest()
        old = f"{len(body)} {md5}"
        assert old in listed
        files["gdeltv2/masterfilelist.txt"] = listed.replace(
            old, f"{len(body)} {'0' * 32}" if mode == "md5" else f"{len(body) - 100} {md5}"
        ).encode()
        publish(server, Fixture(files, gdelt2.rows, gdelt2.lists))
    else:
        publish(server, gdelt2, {FIRST: mode})
    before = digest(store_file)
    code, out, err = run(fetch_argv(server, store_file, "--retries", "1", "--timeout", "0.3"),
                         capsys)
    assert code == 2
    assert out == ""
    # progress lines (stderr is not a terminal here) may come first; the error is one line
    *progress, last = err.strip().splitlines()
    assert all(p.startswith("tightrope events fetch: ") and "% of " in p for p in progress), err
    lines = [last]
    assert lines[0].startswith("error:"), err
    assert words in lines[0]
    assert "20220520091500.export.CSV.zip" in lines[0]
    assert "Traceback" not in err
    assert digest(store_file) == before


def test_no_network_is_one_line_exit_2(cache: Path, store_file: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    before = digest(store_file)
    code, _out, err = run(["events", "fetch", "gdelt", "--from", "2022-01-01", "--to",
                           "2022-01-02", "--mirror", f"http://127.0.0.1:{port}/",
                           "--retries", "0", "--db", str(store_file)], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "cannot connect" in err and "internet" in err
    assert digest(store_file) == before


# --- resume ------------------------------------------------------------------------------

#: The export file the resume tests leave half-fetched.
PART = "20220520091500.export.CSV.zip"


def _leave_part(cache: Path, content: bytes) -> None:
    """A partial download of :data:`PART` in the cache, as an interrupted fetch leaves it."""
    raw = cache / "gdelt" / "raw"
    raw.mkdir(parents=True)
    (raw / f"{PART}.part").write_bytes(content)


def test_a_partial_file_is_resumed_with_a_range_request(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path) -> None:
    publish(server, gdelt2)
    name = PART
    body = gdelt2.files[f"gdeltv2/{name}"]
    half = len(body) // 2
    _leave_part(cache, body[:half])
    req = FetchRequest(dt.date(2022, 5, 20), dt.date(2022, 5, 20), frozenset({"KAZ", "RUS"}),
                       2, server.url)
    with open_store(store_file) as s:
        fetch_gdelt(s, req, FAST, cache_dir=cache)
    assert server.requests_for(name) == [(f"/gdeltv2/{name}", f"bytes={half}-")]
    assert event_ids(store_file) == gdelt2.expected_ids([name], {"KAZ", "RUS"})


def test_a_body_cut_short_is_resumed_on_retry(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path) -> None:
    name = "20220520091500.export.CSV.zip"
    publish(server, gdelt2, {f"gdeltv2/{name}": "truncate-once"})
    req = FetchRequest(dt.date(2022, 5, 20), dt.date(2022, 5, 20), frozenset({"KAZ", "RUS"}),
                       2, server.url)
    with open_store(store_file) as s:
        fetch_gdelt(s, req, FAST, cache_dir=cache)
    hits = server.requests_for(name)
    assert len(hits) == 2 and hits[0][1] is None
    assert hits[1][1] is not None and hits[1][1].startswith("bytes=")
    assert event_ids(store_file) == gdelt2.expected_ids([name], {"KAZ", "RUS"})


def test_a_server_that_ignores_range_restarts_the_file(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path) -> None:
    name = PART
    publish(server, gdelt2, {f"gdeltv2/{name}": "no-range"})
    _leave_part(cache, b"garbage that is not the start of the file")
    req = FetchRequest(dt.date(2022, 5, 20), dt.date(2022, 5, 20), None, 2, server.url)
    with open_store(store_file) as s:
        fetch_gdelt(s, req, FAST, cache_dir=cache)
    assert event_ids(store_file) == gdelt2.expected_ids(
        [name], {f[7] for f in gdelt2.rows[name]} | {f[17] for f in gdelt2.rows[name]})


def test_exports_of_one_month_are_ingested_as_one_batch_and_a_longer_range_adds_the_rest(
        server: FixtureServer, base_rows: list[list[str]], cache: Path, store_file: Path
) -> None:
    stamps = ("20220103000000", "20220103001500", "20220117120000", "20220201000000")
    fx = build_v2_from(base_rows, stamps)
    publish(server, fx)
    names = [f"{s}.export.CSV.zip" for s in stamps]
    january = FetchRequest(dt.date(2022, 1, 1), dt.date(2022, 1, 31), frozenset({"KAZ"}), 2,
                           server.url)
    with open_store(store_file) as s:
        res = fetch_gdelt(s, january, FAST, cache_dir=cache)
    assert res.ingest is not None and len(res.ingest.files) == 1  # three exports, one batch
    assert event_ids(store_file) == fx.expected_ids(names[:3], {"KAZ"})
    longer = FetchRequest(dt.date(2022, 1, 1), dt.date(2022, 2, 28), frozenset({"KAZ"}), 2,
                          server.url)
    with open_store(store_file) as s:
        res = fetch_gdelt(s, longer, FAST, cache_dir=cache)
    assert res.ingest is not None and [f.stored > 0 for f in res.ingest.files] == [True]
    assert event_ids(store_file) == fx.expected_ids(names, {"KAZ"})
    assert len(server.requests_for(names[0])) == 1  # January was not fetched again


@pytest.mark.parametrize(("args", "words"), [
    (["--from", "2022-13-01", "--to", "2022-12-31"], "is not a day"),
    (["--from", "2022-02-01", "--to", "2022-01-31"], "starts (2022-02-01) after it ends"),
    (["--from", "2022-01", "--to", "2022-01", "--countries", "Atlantis"], "Atlantis"),
    (["--from", "2022-01", "--to", "2022-01", "--mirror", "file:///etc/"], "not an http(s)"),
])
def test_bad_arguments_fail_before_any_request(
        args: list[str], words: str, server: FixtureServer, cache: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["events", "fetch", "gdelt", *args, "--db", str(tmp_path / "s.duckdb")]
    if "--mirror" not in args:
        argv += ["--mirror", server.url]
    code, out, err = run(argv, capsys)
    assert code == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1 and words in err
    assert server.log == []
    assert not (tmp_path / "s.duckdb").exists()


def test_a_complete_but_wrong_partial_file_is_fetched_again_whole(
        server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path) -> None:
    publish(server, gdelt2)
    name = PART
    body = gdelt2.files[f"gdeltv2/{name}"]
    _leave_part(cache, b"x" * len(body))
    req = FetchRequest(dt.date(2022, 5, 20), dt.date(2022, 5, 20), frozenset({"KAZ"}), 2,
                       server.url)
    with open_store(store_file) as s:
        fetch_gdelt(s, req, FAST, cache_dir=cache)
    assert server.requests_for(name) == [(f"/gdeltv2/{name}", None)]
    assert event_ids(store_file) == gdelt2.expected_ids([name], {"KAZ"})


@pytest.mark.parametrize("mode", ["404", "truncate", "empty"])
def test_a_failing_file_list_leaves_the_cache_and_store_unchanged(
        mode: str, server: FixtureServer, gdelt2: Fixture, cache: Path, store_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    files = dict(gdelt2.files)
    if mode == "empty":
        files["gdeltv2/masterfilelist.txt"] = b"<html>maintenance</html>\n"
    publish(server, Fixture(files, gdelt2.rows, gdelt2.lists),
            {} if mode == "empty" else {"gdeltv2/masterfilelist.txt": mode})
    before = digest(store_file)
    code, out, err = run(fetch_argv(server, store_file, "--retries", "0"), capsys)
    assert code == 2, err
    assert out == "" and len(err.strip().splitlines()) == 1
    assert "masterfilelist.txt" in err
    assert digest(store_file) == before
    assert not list(cache.glob("gdelt/lists/*/v2/masterfilelist.txt"))
