"""``tightrope events ...`` through the CLI entry point: output, JSON, PNG, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.clirun import run


@pytest.fixture
def store_copy(icews_db: Path, tmp_path: Path) -> Path:
    p = tmp_path / "copy.duckdb"
    shutil.copy(icews_db, p)
    return p


def test_ingest_twice_then_status(icews0515_files: list[Path], db_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(f) for f in icews0515_files[:2]]
    code, out, _ = run(["events", "ingest", *files, "--json"], capsys)
    assert code == 0
    first = json.loads(out)
    assert first["stored"] == first["rows_read"] == 46092 + 46275
    assert first["unmapped_actor_mentions"] > 0 and first["unmapped_actors"]
    code, out, _ = run(["events", "ingest", *files], capsys)
    assert code == 0 and "stored 0" in " ".join(out.split())
    assert "duplicates 92,367" in " ".join(out.split())
    code, out, _ = run(["events", "status", "--json"], capsys)
    st = json.loads(out)
    assert st["datasets"][0]["events"] == 92367 and len(st["files"]) == 4


@pytest.mark.parametrize("power", ["RUS", "CHN"])
def test_temperature_prints_and_plots(power: str, store_copy: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(store_copy)]
    code, out, _ = run(["events", "temperature", "KAZ", power, "--from", "2005-01",
                        "--to", "2015-12", *db], capsys)
    assert code == 0
    assert f"KAZ→{power}:" in " ".join(out.split()) and "2005-" in out and "2015-" in out
    png = tmp_path / f"kaz_{power}.png"
    code, out, err = run(["events", "temperature", "KAZ", power, "--plot", str(png), "--json",
                          *db], capsys)
    assert code == 0 and "chart written" in err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    d = json.loads(out)
    assert d["from"] == "2005-01" and d["to"] == "2015-12"


def test_panel_and_export(store_copy: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(store_copy)]
    code, out, _ = run(["events", "panel", "KAZ", "--powers", "RUS,CHN,EUU", *db], capsys)
    assert code == 0 and "EUU" in out and "KAZ→CHN" in " ".join(out.split())
    png = tmp_path / "panel.png"
    code, _, _ = run(["events", "panel", "KAZ", "--plot", str(png), *db], capsys)
    assert code == 0 and png.stat().st_size > 20_000
    out_dir = tmp_path / "pq"
    code, out, _ = run(["events", "export-parquet", str(out_dir), *db], capsys)
    assert code == 0 and "Parquet files" in " ".join(out.split())
    code, out, _ = run(["events", "temperature", "KAZ", "RUS", "--engine", "dask",
                        "--parquet", str(out_dir), "--json", *db], capsys)
    assert code == 0 and json.loads(out)["manifest"]["parameters"]["engine"] == "dask"


@pytest.mark.parametrize(("argv", "message"), [
    (["events", "temperature", "KAZ", "Narnia"], "unknown country"),
    (["events", "temperature", "KAZ", "RUS", "--from", "2015-01", "--to", "2014-01"], "starts"),
    (["events", "temperature", "KAZ", "RUS", "--min-size", "1"], "min_size"),
    (["events", "temperature", "KAZ", "RUS", "--engine", "spark"], "unknown engine"),
    (["events", "ingest", "/nonexistent/file.csv"], "no such file"),
    (["events", "ingest", "x", "--time-unit", "days"], "go together"),
])
def test_user_errors_are_one_line(argv: list[str], message: str, store_copy: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([*argv, "--db", str(store_copy)], capsys)
    assert code == 2
    assert message in " ".join(err.split()) and "Traceback" not in err


@pytest.mark.parametrize("cmd", [["temperature", "KAZ", "RUS"], ["panel", "KAZ"]])
def test_png_keeps_the_table(cmd: list[str], store_copy: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(store_copy)]
    code, table, _ = run(["events", *cmd, *db], capsys)
    assert code == 0 and "KAZ→RUS" in " ".join(table.split())
    png = tmp_path / "chart.png"
    code, out, err = run(["events", *cmd, "--png", str(png), *db], capsys)
    assert code == 0 and "chart written" in err and png.stat().st_size > 20_000
    assert out == table
