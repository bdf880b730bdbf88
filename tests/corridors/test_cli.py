"""``tightrope corridors …`` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clirun import run


def test_route_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["corridors", "route", "Xian", "Duisburg"], capsys)
    assert code == 0 and "Northern" in out and "Małaszewicze" in out
    code, out, _ = run(["corridors", "route", "xi'an", "DUISBURG", "--k", "2", "--json"], capsys)
    j = json.loads(out)
    assert code == 0 and j["schema"] == "tightrope.corridors.route/1" and len(j["routes"]) == 2


def test_unknown_node_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["corridors", "route", "Xien", "Duisburg"], capsys)
    assert code == 2 and "did you mean Xi'an" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_flows_with_map_and_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html, png = tmp_path / "f.html", tmp_path / "f.png"
    code, out, _ = run(["corridors", "flows", "--runs", "5", "--logit", "--map", str(html),
                        "--png", str(png)], capsys)
    assert code == 0 and "Kazakhstan:" in out
    assert html.stat().st_size > 1_000_000 and png.read_bytes()[:4] == b"\x89PNG"


def test_disrupt_json_and_user_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["corridors", "disrupt", "russia-transit", "--runs", "5", "--seed", "2",
                        "--json"], capsys)
    j = json.loads(out)
    assert code == 0 and j["schema"] == "tightrope.corridors.disrupt/2"
    assert j["manifest"]["seed"] == 2
    assert j["market"]["middle_corridor"]["gains"] and j["market"]["year"] == 2024
    f = tmp_path / "mine.yaml"
    f.write_text("actions:\n  - select: {edges: [alashankou-dostyk]}\n    close: true\n",
                 encoding="utf-8")
    code, out, _ = run(["corridors", "disrupt", "--file", str(f), "--runs", "0"], capsys)
    assert code == 0 and "alashankou-dostyk" in out and "Middle Corridor headroom" in out
    f.write_text("actions:\n  - select: {edges: [nowhere]}\n    close: true\n", encoding="utf-8")
    code, _, err = run(["corridors", "disrupt", "--file", str(f), "--runs", "0"], capsys)
    assert code == 2 and "line 2" in err and "unknown edge" in err


def test_backtest_scenarios_nodes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "bt.html"
    code, out, _ = run(["corridors", "backtest", "--runs", "3", "--html", str(html)], capsys)
    assert code == 0 and "Where the model misses" in out and html.exists()
    code, out, _ = run(["corridors", "backtest", "--runs", "0", "--json"], capsys)
    assert code == 0 and json.loads(out)["schema"] == "tightrope.corridors.backtest/2"
    code, out, _ = run(["corridors", "scenarios"], capsys)
    assert code == 0 and "russia-transit" in out and "caspian-storm" in out
    code, out, _ = run(["corridors", "nodes", "--json"], capsys)
    assert code == 0 and any(n["id"] == "kuryk" for n in json.loads(out)["nodes"])


def test_disrupt_unknown_year_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["corridors", "disrupt", "russia-transit", "--runs", "0", "--year",
                        "2030"], capsys)
    assert code == 2 and "2030" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
