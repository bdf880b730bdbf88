"""``tightrope robust``: tables, JSON, HTML/PNG/Parquet outputs, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clirun import run

SMALL = ["--samples", "16", "--runs", "30", "--horizon", "8", "--population", "6",
         "--generations", "2", "--search-futures", "4", "--sobol-n", "8", "--seed", "2",
         "--strategies", "balancer,isolation,bandwagon:russia"]




def test_tables_and_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    html, png, out = tmp_path / "r.html", tmp_path / "r.png", tmp_path / "tbl"
    code, stdout, err = run(["robust", "kazakhstan-2023", *SMALL, "--html", str(html),
                             "--png", str(png), "--out", str(out)], capsys)
    assert code == 0, err
    stdout = " ".join(stdout.split())  # the console wraps long lines
    for needle in ("Robustness across 16 futures", "Pareto front", "PRIM box", "coverage",
                   "density", "Sobol' indices", "first order", "most robust"):
        assert needle in stdout, needle
    assert "plotly" in html.read_text("utf-8").lower() and "Sobol" in html.read_text("utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    man = json.loads((out / "manifest.json").read_text("utf-8"))
    assert man["parameters"]["samples"] == 16 and (out / "experiments.parquet").stat().st_size > 1000


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, stdout, _ = run(["robust", "kazakhstan-2023", *SMALL, "--json", "--no-search",
                           "--no-sobol"], capsys)
    assert code == 0
    j = json.loads(stdout)
    assert j["pareto"] is None and j["sobol"] is None and len(j["robustness"]) == 3


@pytest.mark.parametrize("args", [["--engine", "spark"], ["--sobol-n", "100"],
                                  ["--strategies", "nope"], ["--max-pcat", "0"]])
def test_errors_are_one_line(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["robust", "kazakhstan-2023", *SMALL, *args], capsys)
    assert code == 2
    assert err.strip().startswith("error:") and len(err.strip().splitlines()) == 1
