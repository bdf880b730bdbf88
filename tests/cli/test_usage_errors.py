"""Usage mistakes, bad values and interrupts: one line on stderr and the documented exit code
(docs/cli.md), whichever click the installed typer brings."""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tests.clirun import run
from tightrope.cli.app import app

SRC = Path(__file__).resolve().parents[2] / "src"


def installed_cli(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``tightrope ARGS`` in a fresh interpreter with the installed typer/click."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "TIGHTROPE_DB": str(tmp_path / "s.duckdb"),
           "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "tightrope.cli.app", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def assert_one_line(err: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error:"), err


@pytest.mark.parametrize(("args", "says"), [
    (["no-such-command"], "No such command 'no-such-command'"),
    (["profile"], "Missing argument"),
    (["simulate", "kazakhstan-2023", "--runs", "abc"], "--runs"),
    (["simulate", "kazakhstan-2023", "--no-such-option"], "No such option"),
    (["corridors", "route", "Xian"], "Missing argument"),
    (["events", "temperature", "KAZ", "RUS", "--window", "x"], "--window"),
])
def test_usage_errors_in_the_installed_cli(args: list[str], says: str, tmp_path: Path) -> None:
    p = installed_cli(args, tmp_path)
    assert p.returncode == 2, p.stderr
    assert_one_line(p.stderr)
    assert says in p.stderr and "--help" in p.stderr
    assert p.stdout == ""


def test_no_arguments_prints_help_not_a_traceback(tmp_path: Path) -> None:
    for args in ([], ["events"], ["corridors"]):
        p = installed_cli(args, tmp_path)
        assert p.returncode == 2 and "Traceback" not in p.stderr
        assert "Usage:" in p.stderr + p.stdout


def test_unknown_country_in_the_installed_cli(tmp_path: Path) -> None:
    p = installed_cli(["profile", "Narnia"], tmp_path)
    assert p.returncode == 2
    assert_one_line(p.stderr)
    assert "unknown country 'Narnia'" in p.stderr


def _commands(group: typer.main.TyperGroup | None = None,
              path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    grp = group or typer.main.get_command(app)
    out = [path]
    for name, cmd in getattr(grp, "commands", {}).items():
        out += _commands(cmd, (*path, name)) if hasattr(cmd, "commands") else [(*path, name)]
    return out


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "tightrope")
def test_help_of_every_command(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*path, "--help"], capsys)
    assert code == 0 and err == "" and "Usage:" in out


def test_click_errors_of_any_click_are_one_line(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Real click's exceptions (not typer's vendored ones) are handled the same way."""
    click = pytest.importorskip("click")
    import tightrope.cli.simulate as sim

    def boom(name: str) -> None:
        raise click.BadParameter("not a scenario I know", param_hint="'SCENARIO'")

    monkeypatch.setattr(sim, "read_scenario", boom)
    code, out, err = run(["simulate", "x"], capsys)
    assert code == 2 and out == ""
    assert_one_line(err)
    assert "not a scenario I know" in err


def test_an_explicit_exit_code_is_kept(monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    import tightrope.cli.simulate as sim

    def leave(name: str) -> None:
        raise typer.Exit(code=3)

    monkeypatch.setattr(sim, "read_scenario", leave)
    code, _, _ = run(["simulate", "x"], capsys)
    assert code == 3


# -- seeds, sizes and thresholds ----------------------------------------------------------

SEEDED = [
    ["simulate", "kazakhstan-2023"],
    ["robust", "kazakhstan-2023"],
    ["bargain", "kaz-sanctions"],
    ["corridors", "flows"],
    ["corridors", "disrupt", "russia-transit"],
    ["corridors", "backtest"],
    ["corridors", "report", "--html", "x.html"],
    ["compare", "KAZ", "JOR"],
    ["report", "KAZ", "--html", "x.html"],
    ["demo"],
]


@pytest.mark.parametrize("seed", ["-1", str(2**63), "1.5"])
@pytest.mark.parametrize("cmd", SEEDED, ids=lambda c: " ".join(c[:2]))
def test_bad_seed_is_one_line(cmd: list[str], seed: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*cmd, "--seed", seed], capsys)
    assert code == 2 and out == ""
    assert_one_line(err)
    assert "--seed" in err


@pytest.mark.parametrize("args", [
    ["simulate", "kazakhstan-2023", "--runs", "1000000000000"],
    ["simulate", "kazakhstan-2023", "--horizon", "100000"],
    ["robust", "kazakhstan-2023", "--samples", "1000000000"],
    ["robust", "kazakhstan-2023", "--runs", "1000000000"],
    ["robust", "kazakhstan-2023", "--sobol-n", "1048576"],
    ["robust", "kazakhstan-2023", "--population", "1000000"],
    ["bargain", "kaz-sanctions", "--runs", "1000000000"],
    ["bargain", "kaz-sanctions", "--rounds", "1000000000"],
    ["corridors", "flows", "--runs", "1000000000"],
    ["corridors", "disrupt", "russia-transit", "--runs", "1000000000"],
    ["corridors", "backtest", "--runs", "1000000000"],
    ["corridors", "route", "Xian", "Duisburg", "--routes", "1000000"],
    ["compare", "KAZ", "JOR", "--runs", "1000000000"],
    ["report", "KAZ", "--html", "x.html", "--runs", "1000000000"],
], ids=lambda a: " ".join(a[:1] + a[-2:-1]))
def test_sizes_are_bounded(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert_one_line(err)


@pytest.mark.parametrize("args", [
    ["simulate", "kazakhstan-2023", "--floor", "5"],
    ["simulate", "kazakhstan-2023", "--floor", "nan"],
    ["simulate", "kazakhstan-2023", "--floor", "inf"],
    ["simulate", "kazakhstan-2023", "--floor", "-1.5"],
    ["robust", "kazakhstan-2023", "--max-pcat", "nan"],
    ["robust", "kazakhstan-2023", "--max-pcat", "5"],
    ["robust", "kazakhstan-2023", "--min-gain", "nan"],
    ["robust", "kazakhstan-2023", "--min-gain", "-inf"],
    ["bargain", "kaz-sanctions", "--status-quo-prob", "nan"],
    ["bargain", "kaz-sanctions", "--improvement-prob", "2"],
    ["bargain", "kaz-sanctions", "--q", "nan"],
    ["bargain", "kaz-sanctions", "--spread", "inf"],
    ["corridors", "flows", "--demand", "nan"],
], ids=lambda a: " ".join(a[:1] + a[-2:]))
def test_thresholds_must_be_finite_and_in_range(args: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert_one_line(err)
    assert args[-2] in err or "probability" in err


def test_floor_at_the_edges_of_its_range_runs(capsys: pytest.CaptureFixture[str]) -> None:
    for floor in ("-1", "1"):
        code, out, err = run(["simulate", "kazakhstan-2023", "--runs", "50", "--horizon", "2",
                              "--floor", floor, "--json"], capsys)
        assert code == 0, err
        assert '"seed": 20240101' in out


# -- events without events -----------------------------------------------------------------

@pytest.mark.parametrize("args", [["temperature", "KAZ", "RUS"], ["panel", "KAZ"],
                                  ["temperature", "KAZ", "RUS", "--engine", "dask"]])
def test_events_on_a_store_without_events(args: list[str], loaded_db: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code, out, err = run(["events", *args, "--db", str(db)], capsys)
    assert code == 4 and out == ""
    assert_one_line(err)
    assert "no coded events with KAZ" in err and "events ingest" in err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# -- interrupts ------------------------------------------------------------------------------

def _truncated_gz(tmp_path: Path) -> Path:
    lines = "".join(f"Kazakhstan\tConsult\tRussia\t2010-01-{1 + i % 28:02d}\n"
                    for i in range(5000)).encode()
    data = gzip.compress(lines)
    p = tmp_path / "cut.txt.gz"
    p.write_bytes(data[: len(data) // 2])
    return p


def test_truncated_gz_is_not_an_interrupt(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["events", "ingest", str(_truncated_gz(tmp_path)), "--db",
                        str(tmp_path / "s.duckdb")], capsys)
    assert code == 2
    assert "aborted" not in err and "interrupted" not in err
    assert_one_line(err)


def test_ctrl_c_is_exit_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    import tightrope.cli.events as ev

    def interrupted(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ev, "ingest_events", interrupted)
    code, _, err = run(["events", "ingest", str(tmp_path / "x.txt"), "--db",
                        str(tmp_path / "s.duckdb")], capsys)
    assert code == 130 and "interrupted" in err


def test_other_errors_in_a_command_are_not_exit_130(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only an interrupt is 130; EOFError becomes a one-line input error (exit 2) and any
    other exception stays a bug with its traceback."""
    import tightrope.cli.events as ev

    def broken(*a: object, **k: object) -> None:
        raise ZeroDivisionError(math.pi)

    monkeypatch.setattr(ev, "ingest_events", broken)
    from tightrope.cli.app import main

    with pytest.raises(ZeroDivisionError):
        main(["events", "ingest", str(tmp_path / "x.txt"), "--db", str(tmp_path / "s.duckdb")])


@pytest.mark.parametrize(("args", "command"), [
    (["demo", "--pdf"], "tightrope demo"),
    (["events", "fetch", "gdelt", "--from"], "tightrope events fetch gdelt"),
    (["events", "forecast", "KAZ", "RUS", "--months"], "tightrope events forecast"),
])
def test_an_option_without_its_value_points_to_its_command(
        args: list[str], command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The parser's error carries no command context; the hint still names the command."""
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert_one_line(err)
    assert f"(see '{command} --help')" in err


def test_progress_bars_leave_nothing_in_a_pipe(loaded_db: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """stderr is not a terminal here: the bar is off, not hidden behind empty lines."""
    db = tmp_path / "store.duckdb"
    shutil.copy(loaded_db, db)
    code, out, err = run(["compare", "KAZ", "JOR", "--runs", "20", "--db", str(db)], capsys)
    assert code == 0 and "KAZ" in out
    assert err == ""
