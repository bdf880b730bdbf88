"""``tightrope bargain``: output, JSON, chart and one-line errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clirun import run


def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["bargain", "ec-car-emissions", "--rounds", "4"], capsys)
    assert code == 0
    assert "Rounds" in out and "Belgium ≈ France" in out and "Not settled" in out


def test_illustrative_examples_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["bargain", "kaz-middle-corridor", "--variant", "bdm"], capsys)
    assert code == 0
    assert "Illustrative expert-judgement inputs" in out


def test_json_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "p.png"
    code, out, err = run(["bargain", "kaz-sanctions", "--runs", "30", "--seed", "2",
                          "--rounds", "8", "--json", "--plot", str(png)], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["manifest"]["seed"] == 2 and doc["monte_carlo"]["runs"] == 30
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_csv_and_yaml_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "a.csv"
    p.write_text("actor,capability,position,salience\nA,1,0,0.9\nB,1,100,0.4\nC,2,40,0.6\n")
    code, out, _ = run(["bargain", str(p), "--json", "--rounds", "3"], capsys)
    assert code == 0 and json.loads(out)["input"]["actors"][2]["actor"] == "C"
    y = tmp_path / "a.yaml"
    y.write_text("- {actor: A, capability: 1, position: 0, salience: 0.9}\n"
                 "- {actor: B, capability: 1, position: 100, salience: 0.4}\n")
    code, _, _ = run(["bargain", str(y), "--rounds", "2"], capsys)
    assert code == 0


@pytest.mark.parametrize(("text", "needle"), [
    ("actor,capability,position,salience\nA,1,0,1.2\nB,1,10,0.5\n", "outside [0, 1]"),
    ("actor,capability,position,salience\nA,1,0,0.5\n", "at least two actors"),
    ("actor,capability,position,salience\nA,1,3,0.5\nB,1,3,0.5\n", "same position"),
    ("actor,position,salience\nA,0,0.5\nB,1,0.5\n", "missing column capability"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         text: str, needle: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text)
    code, out, err = run(["bargain", str(p)], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert needle in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["bargain", "ec-car-emissions", "--variant", "nash"],
    ["bargain", "ec-car-emissions", "--runs", "5"],
    ["bargain", "no-such-file.csv"],
])
def test_bad_options_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
