"""``tightrope evidence rates`` and ``tightrope evidence back-test``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clirun import run


def test_rates_json_lists_intervals_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["evidence", "rates", "russia_post_soviet.force", "--quarterly",
                        "--json"], capsys)
    js = json.loads(out)
    assert code == 0 and js["seed"] == 0 and js["interval_level"] == 0.9
    names = {e["name"] for e in js["estimates"]}
    assert "mid.russia_post_soviet.force.KAZ" in names and len(names) == 15
    for e in js["estimates"]:
        assert e["low"] <= e["mean"] <= e["high"] and "COW MID" in e["data"]
        assert e["per"].startswith("quarter")


def test_rates_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["evidence", "rates"], capsys)
    assert code == 0 and "odds ratio" in out and "Base rates" in out


def test_backtest_json_and_png(shared_data: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "rel.png"
    code, out, err = run(["evidence", "back-test", "--data", str(shared_data), "--runs", "30",
                          "--seed", "4", "--json", "--png", str(png)], capsys)
    assert code == 0, err
    js = json.loads(out)
    assert js["seed"] == 4 and js["design"]["mid"]["fit"] == "1992-2007"
    keys = [r["key"] for r in js["results"]]
    assert any(k.startswith("mid.") for k in keys) and any(k.startswith("icews.") for k in keys)
    assert any(k.startswith("mid_loco.") for k in keys)
    for r in js["results"]:
        assert len(r["skill_interval"]) == 2 and r["bootstrap"] == {
            "reps": 30, "seed": 4, "resamples": "dyads"}
        assert r["verdict"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("argv", "code", "needle"), [
    (["--runs", "0"], 2, "runs is 0"),
    (["--data", "/nonexistent-folder"], 4, "no mids/ folder"),
])
def test_backtest_errors_are_one_line(argv: list[str], code: int, needle: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    got, _, err = run(["evidence", "back-test", *argv], capsys)
    assert got == code and needle in err and len(err.strip().splitlines()) == 1


def test_backtest_without_the_evidence_extra_names_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "statsmodels", None)
    code, _, err = run(["evidence", "back-test"], capsys)
    assert code == 4 and "tightrope[evidence]" in err and len(err.strip().splitlines()) == 1
