"""Ingest: idempotent, transactional (also under SIGKILL), malformed lines quarantined."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.clirun import run
from tests.events.conftest import count_lines
from tightrope.errors import InputError
from tightrope.events.synthetic import gdelt_table, write_gdelt
from tightrope.store import open_store
from tightrope.store.events import ingest_events

REPO = Path(__file__).resolve().parents[2]


def _gdelt(path: Path, n: int, seed: int, first_id: int = 1) -> Path:
    write_gdelt(path, gdelt_table(np.random.default_rng(np.random.SeedSequence(seed)), n,
                                  first_id=first_id))
    return path


def _counts(db: Path) -> tuple[int, int, int]:
    with open_store(db) as s:
        return tuple(s.con.execute(  # type: ignore[return-value]
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM event_quarantine), "
            "(SELECT count(*) FROM event_files)").fetchone())


def test_second_ingest_adds_nothing(icews0515_files: list[Path], icews_db: Path,
                                    tmp_path: Path) -> None:
    """The session's store already holds one ingest of these files (``icews_db``)."""
    db = tmp_path / "again.duckdb"
    shutil.copy(icews_db, db)
    before = _counts(db)
    with open_store(db) as s:
        (first_rows,) = s.con.execute("SELECT sum(rows_read) FROM event_files").fetchone()
        second = ingest_events(s, icews0515_files)
    after = _counts(db)
    assert before[0] > 0
    assert second.total("stored") == 0
    assert second.total("duplicates") == first_rows
    assert after[:2] == before[:2]
    with open_store(db) as s:
        dup = s.query("SELECT count(*) AS n FROM (SELECT id_space, event_id FROM events "
                      "GROUP BY ALL HAVING count(*) > 1)")
    assert dup[0]["n"] == 0


def test_malformed_lines_are_quarantined_with_file_line_reason(tmp_path: Path,
                                                              db_path: Path) -> None:
    good = _gdelt(tmp_path / "good.CSV", 30, 1).read_text(encoding="utf-8").splitlines()
    lines = list(good)
    lines[4] = lines[4] + "\textra"                      # line 5: 62 fields
    lines[9] = "\t".join(lines[9].split("\t")[:40])     # line 10: 40 fields
    lines[14] = ""                                       # line 15: empty
    f = lines[19].split("\t")
    f[1] = "20151341"                                    # line 20: no such date
    lines[19] = "\t".join(f)
    f = lines[24].split("\t")
    f[26] = "4x3"                                        # line 25: not a CAMEO code
    lines[24] = "\t".join(f)
    f = lines[27].split("\t")
    f[30] = "12.5"                                       # line 28: Goldstein out of range
    lines[27] = "\t".join(f)
    path = tmp_path / "mixed.CSV"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe\tbroken\n")  # line 31
    with open_store(db_path) as s:
        r = ingest_events(s, [path])
        got = s.query("SELECT file, line, reason FROM event_quarantine ORDER BY line")
        assert r.files[0].rows_read == 31
        assert r.files[0].stored == 24 and r.files[0].quarantined == 7
        assert [g["line"] for g in got] == [5, 10, 15, 20, 25, 28, 31]
        assert {g["file"] for g in got} == {str(path)}
        reasons = [g["reason"] for g in got]
        assert reasons[:3] == ["62 fields, expected 61", "40 fields, expected 61", "empty line"]
        assert reasons[3] == "SQLDATE is not a YYYYMMDD date"
        assert reasons[4].startswith("EventCode is not a CAMEO code")
        assert reasons[5].startswith("GoldsteinScale")
        assert reasons[6] == "2 fields, expected 61"
        raw = s.query("SELECT raw FROM event_quarantine WHERE line = 20")[0]["raw"]
        assert "20151341" in raw
        again = ingest_events(s, [path])
        assert again.files[0].quarantined == 7
        assert s.query("SELECT count(*) AS n FROM event_quarantine")[0]["n"] == 7


def test_small_chunks_give_the_same_result(tmp_path: Path, db_path: Path) -> None:
    f = _gdelt(tmp_path / "g.CSV", 3000, 5)
    other = tmp_path / "other.duckdb"
    with open_store(db_path) as s:
        ingest_events(s, [f])
        a = s.query("SELECT * FROM events ORDER BY event_id")
    with open_store(other) as s:
        r = ingest_events(s, [f], chunk_bytes=4096)
        b = s.query("SELECT * FROM events ORDER BY event_id")
    assert r.files[0].stored == count_lines(f) == 3000
    assert a == b


def test_the_ingest_gives_back_the_database_settings(tmp_path: Path, db_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """During the ingest DuckDB gets one core less than the machine (the reader thread parses
    on the other) and the memory limit asked for; both are restored, after an error too."""
    import tightrope.store.events as ev

    monkeypatch.setattr(ev, "_cores", lambda: 3)
    f = _gdelt(tmp_path / "g.CSV", 500, 5)
    during: list[tuple[str, str]] = []

    def look(done: int, total: int) -> None:
        during.append(s.con.execute("SELECT current_setting('threads'), "
                                    "current_setting('memory_limit')").fetchone())
        raise KeyboardInterrupt

    def settings(s: Any) -> tuple[Any, ...]:
        return tuple(s.con.execute(
            "SELECT current_setting('threads'), current_setting('memory_limit')").fetchone())

    with open_store(db_path) as s:
        defaults = settings(s)
        ingest_events(s, [f])
        assert settings(s) == defaults
        s.con.execute("SET threads = 4")
        s.con.execute("SET memory_limit = '512MiB'")
        before = settings(s)
        ingest_events(s, [f], memory_limit="300MB")
        with pytest.raises(KeyboardInterrupt):
            ingest_events(s, [f], memory_limit="300MB", progress=look)
        after = settings(s)
    assert after == before == (4, "512.0 MiB")
    assert during and during[0] == (2, "286.1 MiB")


def _events_now(s: Any) -> int:
    """Events visible inside the open transaction (what a missing rollback would keep)."""
    return int(s.con.execute("SELECT count(*) FROM events").fetchall()[0][0])


def test_error_mid_ingest_rolls_back(tmp_path: Path, db_path: Path) -> None:
    f1 = _gdelt(tmp_path / "a.CSV", 200, 1)
    f2 = _gdelt(tmp_path / "b.CSV", 5000, 2, first_id=10_000)
    with open_store(db_path) as s:
        ingest_events(s, [f1])
    before = _counts(db_path)
    seen: list[int] = []

    with open_store(db_path) as s, pytest.raises(KeyboardInterrupt):

        def boom(done: int, total: int) -> None:
            # a few chunks into b.CSV, whose new rows are by then written in the transaction
            if done > f1.stat().st_size + 20_000:
                seen.append(_events_now(s))
                raise KeyboardInterrupt

        ingest_events(s, [f1, f2], progress=boom, chunk_bytes=2048)
    assert seen and seen[0] > before[0]  # rows of b.CSV had been written before the interrupt
    assert _counts(db_path) == before


def _truncated(src: Path, dst: Path) -> Path:
    data = gzip.compress(src.read_bytes())
    dst.write_bytes(data[: len(data) // 2])
    return dst


def _corrupt(src: Path, dst: Path) -> Path:
    data = bytearray(gzip.compress(src.read_bytes()))
    data[-8] ^= 0x5A  # the CRC-32 of the trailer: found wrong after every line has been read
    dst.write_bytes(bytes(data))
    return dst


def _bad_deflate(src: Path, dst: Path) -> Path:
    dst.write_bytes(gzip.compress(src.read_bytes())[:10] + b"\xff" * 64)  # gzip header, junk
    return dst


def _not_gzip(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


@pytest.mark.parametrize(
    ("make", "message", "partial"),
    [
        (_truncated, r"the compressed data ends early", True),
        (_corrupt, r"corrupt (compressed|gzip) data", True),
        (_bad_deflate, r"corrupt compressed data", False),
        (_not_gzip, r"not a gzip file", False),
    ],
)
def test_broken_gz_is_an_input_error_and_stores_nothing(
    tmp_path: Path, db_path: Path, make: Callable[[Path, Path], Path], message: str,
    partial: bool,
) -> None:
    first = _gdelt(tmp_path / "first.CSV", 100, 1)
    fresh = _gdelt(tmp_path / "fresh.CSV", 20_000, 2, first_id=10_000)  # > 1 MB sniffed
    broken = make(fresh, tmp_path / "fresh.CSV.gz")
    with open_store(db_path) as s:
        ingest_events(s, [first])
    before = _counts(db_path)
    seen = [before[0]]
    with open_store(db_path) as s, pytest.raises(InputError) as err:
        ingest_events(s, [broken], chunk_bytes=1 << 16,
                      progress=lambda _d, _t: seen.append(_events_now(s)))
    # truncated and corrupt files fail after some of their rows were written (then rolled back)
    assert (max(seen) > before[0]) == partial
    assert re.search(rf"fresh\.CSV\.gz:line \d+: ({message})", str(err.value))
    assert _counts(db_path) == before


def test_truncated_gz_mid_ingest_exits_2_naming_the_file(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _gdelt(tmp_path / "first.CSV", 100, 1)
    with open_store(db_path) as s:
        ingest_events(s, [first])
    before = _counts(db_path)
    broken = _truncated(_gdelt(tmp_path / "big.CSV", 20_000, 2, first_id=10_000),
                        tmp_path / "big.CSV.gz")
    code, _, err = run(["events", "ingest", str(broken), "--db", str(db_path)], capsys)
    assert code == 2
    assert re.search(r"big\.CSV\.gz:line \d+: the compressed data ends early", err)
    assert "aborted" not in err and "Traceback" not in err
    assert _counts(db_path) == before


def test_file_of_only_bad_lines_exits_2(tmp_path: Path, db_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    good = _gdelt(tmp_path / "g.CSV", 20, 1).read_text(encoding="utf-8").splitlines()
    bad = []
    for ln in good:
        f = ln.split("\t")
        f[1] = "20151341"  # no such date
        bad.append("\t".join(f))
    path = tmp_path / "bad.CSV"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    before = _counts(db_path) if db_path.exists() else None
    code, _, err = run(["events", "ingest", str(path), "--db", str(db_path)], capsys)
    assert code == 2
    assert "bad.CSV" in err and "not one line could be read (20 rejected" in err
    assert "line 1: SQLDATE is not a YYYYMMDD date" in err
    after = _counts(db_path)
    assert after == (before or (0, 0, 0))


def test_partly_bad_file_is_stored_with_its_quarantine(tmp_path: Path, db_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    lines = _gdelt(tmp_path / "g.CSV", 20, 1).read_text(encoding="utf-8").splitlines()
    lines[3] = "junk"
    path = tmp_path / "part.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, _ = run(["events", "ingest", str(path), "--db", str(db_path)], capsys)
    assert code == 0
    assert _counts(db_path) == (19, 1, 1)


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tightrope.store import open_store
    from tightrope.store.events import ingest_events

    def step(done, total):
        print("progress", done, flush=True)
        time.sleep(0.02)

    with open_store(Path(sys.argv[1])) as s:
        ingest_events(s, [Path(p) for p in sys.argv[2:]], progress=step, chunk_bytes=8192)
    print("finished", flush=True)
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_mid_ingest_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "kill.duckdb"
    small = _gdelt(tmp_path / "small.CSV", 100, 3)
    medium = _gdelt(tmp_path / "medium.CSV", 400, 5, first_id=500_000)
    big = _gdelt(tmp_path / "big.CSV", 4000, 4, first_id=1_000_000)
    medium_size = medium.stat().st_size
    with open_store(db) as s:
        ingest_events(s, [small])
    before = _counts(db)
    script = tmp_path / "ingest.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    # medium is new: its rows are written inside the transaction before the kill lands in big
    with subprocess.Popen([sys.executable, str(script), str(db), str(medium), str(big)],
                          stdout=subprocess.PIPE, text=True, cwd=REPO) as proc:
        assert proc.stdout is not None
        killed_at = 0
        for line in proc.stdout:
            # progress counts bytes over both files: past medium plus a few chunks of big
            if line.startswith("progress") and int(line.split()[1]) > medium_size + 40_000:
                killed_at = int(line.split()[1])
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=30)
    assert medium_size < killed_at < medium_size + big.stat().st_size
    assert proc.returncode == -signal.SIGKILL
    assert _counts(db) == before
    with open_store(db) as s:  # and the store still works: the ingest can be redone
        r = ingest_events(s, [small, medium, big])
    assert [f.stored for f in r.files] == [0, 400, 4000]
