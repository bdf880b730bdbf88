"""``tightrope simulate``: tables, JSON, --explain, HTML/PNG output and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clirun import run


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["simulate", "kazakhstan-2023", "--explain"], capsys)
    assert code == 0
    for needle in ("Kazakhstan", "Russia", "CPC", "intervention", "balancer floor",
                   "Sourced parameters"):
        assert needle in out
    code, out, _ = run(["simulate", "kazakhstan-2023.yaml", "--explain", "--json"], capsys)
    assert code == 0 and json.loads(out)["focal"]["iso3"] == "KAZ"


@pytest.mark.parametrize("name", ["kazakhstan-2023", "jordan-2024"])
def test_explain_counts_evidence_facts_and_judgement(
        name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["simulate", name, "--explain", "--json"], capsys)
    js = json.loads(out)
    n = js["provenance_counts"]
    kinds = [p["kind"] for p in js["parameters"].values()]
    assert code == 0 and n == {k: kinds.count(k) for k in ("evidence", "fact", "judgement")}
    assert n["evidence"] >= 2 and sum(n.values()) == len(kinds)
    code, out, _ = run(["simulate", name, "--explain"], capsys)
    assert code == 0 and f"{n['evidence']} on evidence" in " ".join(out.split())
    assert "Parameters resting on evidence" in out


def test_simulate_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["simulate", "kazakhstan-2023", "--strategy", "balancer", "--runs",
                        "2000", "--seed", "7", "--horizon", "12", "--json"], capsys)
    assert code == 0
    js = json.loads(out)
    assert js["strategy"] == "balancer" and js["runs"] == 2000 and js["seed"] == 7
    assert len(js["cumulative_p_catastrophe"]) == 12


def test_simulate_all_html_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, png = tmp_path / "r.html", tmp_path / "r.png"
    code, out, _ = run(["simulate", "jordan-2024", "--strategy", "all", "--runs", "1000",
                        "--horizon", "8", "--html", str(html), "--png", str(png)], capsys)
    assert code == 0
    assert "bandwagon:iran" in out and "balancer vs bandwagon:usa" in out
    text = html.read_text(encoding="utf-8")
    assert "Does the balancer beat bandwagoning?" in text and "First mistakes" in text
    assert text.index("Base rates first") < text.index("Strategies")
    assert "Israel" in text and "reference class [band]" in text
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_scenario_path_and_floor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import TINY

    p = tmp_path / "t.yaml"
    p.write_text(TINY, encoding="utf-8")
    code, out, _ = run(["simulate", str(p), "--runs", "300", "--floor", "-0.2", "--json"],
                       capsys)
    assert code == 0 and json.loads(out)["manifest"]["parameters"]["balancer_floor"] == -0.2


@pytest.mark.parametrize(("argv", "needle"), [
    (["simulate", "nowhere-2030"], "no scenario file or shipped scenario"),
    (["simulate", "kazakhstan-2023", "--strategy", "appease"], "unknown strategy"),
    (["simulate", "kazakhstan-2023", "--runs", "0"], "runs is 0"),
])
def test_errors_are_one_line(argv: list[str], needle: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2 and needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_file_names_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text("focal: Kazakhstan\npowers:\n  a: {attitude: 0.3}\n", encoding="utf-8")
    code, _, err = run(["simulate", str(p)], capsys)
    assert code == 2 and "bad.yaml" in err and "line" in err
