"""The command-line convention of docs/cli.md, checked on the whole command tree, and the old
spellings that stay accepted (hidden) for one release."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.clirun import run
from tightrope.cli.app import app
from tightrope.limits import DEFAULT_SEED

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

#: Every visible option name a command may use. A new option is added here on purpose, after
#: checking docs/cli.md: outputs are --json, --html FILE, --png FILE, --md FILE, -o/--out DIR.
VOCABULARY = {
    # the convention
    "--json", "--html", "--png", "--md", "--csv", "-o", "--out", "--seed", "--runs", "--engine",
    "--db", "--help", "--version",
    # inputs and sizes
    "--samples", "--horizon", "--rounds", "--strategy", "-s", "--floor", "--explain",
    "--powers", "--scenario", "--file", "--factbook", "--overlay", "--force", "--events",
    "--quick", "--format", "--time-unit", "--base-date", "--from", "--to", "--window",
    "--penalty", "--min-size", "--dataset", "--parquet", "--scheduler", "--workers",
    "--overwrite", "--no-overwrite", "--no-force", "--variant", "--spread", "--status-quo-prob",
    "--improvement-prob", "--routes", "--vot", "--logit", "--demand", "--max-pcat",
    "--min-gain", "--search", "--no-search", "--population", "--generations",
    "--search-futures", "--sobol", "--no-sobol", "--sobol-n", "--sobol-groups",
    "--sobol-strategy", "--boxes", "--host", "--port", "--allow-remote", "--top", "--validate",
    "--year", "--quarterly", "--data", "--months",
    # fetching published data (events fetch gdelt, data update factbook)
    "--countries", "--dry-run", "--mirror", "--retries", "--timeout", "--url",
    # print and share (demo)
    "--pdf", "--summary-png",
}
#: Old spellings: accepted, never shown.
OLD = {"--plot", "--map", "--output", "--k", "--q", "--t", "--strategies"}
LONG = re.compile(r"^--[a-z][a-z0-9]+(-[a-z0-9]+)*$")


def walk(cmd: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    cmd = cmd or typer.main.get_command(app)
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from walk(sub, (*path, name))


def visible_options(cmd: Any) -> list[Any]:
    return [p for p in cmd.params
            if getattr(p, "param_type_name", "") == "option" and not getattr(p, "hidden", False)]


def hidden_options(cmd: Any) -> list[Any]:
    return [p for p in cmd.params
            if getattr(p, "param_type_name", "") == "option" and getattr(p, "hidden", False)]


COMMANDS = [(p, c) for p, c in walk() if p and not hasattr(c, "commands")]


def test_the_tree_has_the_commands() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"simulate", "robust", "bargain", "corridors flows", "events temperature", "report",
            "demo", "compare", "profile", "serve"} <= names


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=lambda x: " ".join(x)
                         if isinstance(x, tuple) else "")
def test_visible_options_follow_the_convention(path: tuple[str, ...], cmd: Any) -> None:
    for p in visible_options(cmd):
        names = [*p.opts, *p.secondary_opts]
        for n in names:
            assert n in VOCABULARY, f"{' '.join(path)}: {n} is not in the CLI vocabulary"
            assert n not in OLD
            assert len(n) == 2 or LONG.match(n), f"{n}: one-letter long option"
        if "-s" in names:
            assert "--strategy" in names, f"{' '.join(path)}: -s means --strategy only"
        if "-o" in names:
            assert "--out" in names, f"{' '.join(path)}: -o means --out only"
        if "--seed" in names:
            assert p.default == DEFAULT_SEED, f"{' '.join(path)}: --seed default {p.default}"
        if "--engine" in names:
            assert p.default == "local"
        if "--out" in names or "--html" in names or "--png" in names or "--md" in names:
            assert p.metavar == ("DIR" if "--out" in names else "FILE"), (path, names)


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=lambda x: " ".join(x)
                         if isinstance(x, tuple) else "")
def test_help_shows_no_old_spelling(path: tuple[str, ...], cmd: Any,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*path, "--help"], capsys)
    assert code == 0
    for p in hidden_options(cmd):
        for n in p.opts:
            if n.startswith("--"):
                assert not re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", out), (path, n)


def test_hidden_options_are_old_spellings() -> None:
    for path, cmd in COMMANDS:
        for p in hidden_options(cmd):
            for n in p.opts:
                assert n in OLD | {"-s", "-o", "--png", "--format"}, (path, n)


def test_docs_list_every_old_spelling() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for n in OLD:
        assert re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text), n
    assert str(DEFAULT_SEED) in text
    for code in ("0", "2", "3", "4", "130"):
        assert f"| {code} " in text


# -- the old spellings still work ----------------------------------------------------------

def test_bargain_old_q_t_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new_png, old_png = tmp_path / "new.png", tmp_path / "old.png"
    base = ["bargain", "ec-car-emissions", "--rounds", "4", "--json"]
    code, new, _ = run([*base, "--status-quo-prob", "0.5", "--improvement-prob", "0.5",
                        "--png", str(new_png)], capsys)
    assert code == 0
    code, old, _ = run([*base, "--q", "0.5", "--t", "0.5", "--plot", str(old_png)], capsys)
    assert code == 0
    code, default, _ = run(base, capsys)

    def outcome(doc: str) -> Any:
        d = json.loads(doc)
        return d["forecast"], d["rounds"]

    assert outcome(old) == outcome(new)
    assert outcome(default) != outcome(new)
    assert old_png.read_bytes()[:4] == new_png.read_bytes()[:4] == b"\x89PNG"


def test_bargain_old_and_new_spelling_together_conflict(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["bargain", "ec-car-emissions", "--q", "0.9", "--status-quo-prob",
                        "0.8"], capsys)
    assert code == 2 and "--q is the old spelling of --status-quo-prob" in err


def test_corridors_old_k_s_and_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    route = ["corridors", "route", "Xian", "Duisburg", "--json"]
    code, old, _ = run([*route, "--k", "2", "-s", "red-sea"], capsys)
    assert code == 0
    code, new, _ = run([*route, "--routes", "2", "--scenario", "red-sea"], capsys)
    assert code == 0
    assert json.loads(old)["routes"] == json.loads(new)["routes"]
    assert json.loads(old)["scenarios"] == json.loads(new)["scenarios"] != []
    assert len(json.loads(new)["routes"]) == 2
    html = tmp_path / "flows.html"
    code, _, _ = run(["corridors", "flows", "--runs", "0", "--map", str(html)], capsys)
    assert code == 0 and html.read_text(encoding="utf-8").lstrip().startswith("<!")


def test_corridors_report_old_output_and_png(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    html, maps = tmp_path / "c.html", tmp_path / "maps"
    code, _, err = run(["corridors", "report", "-o", str(html), "--png", str(maps), "--runs",
                        "0"], capsys)
    assert code == 0, err
    assert html.stat().st_size > 0 and len(list(maps.glob("*.png"))) == 2


def test_report_old_output_format_png(loaded_db: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    common = ["report", "KAZ", "--runs", "50", "--db", str(db)]
    md_old, md_new = tmp_path / "old.md", tmp_path / "new.md"
    code, _, err = run([*common, "--output", str(md_old), "--format", "md"], capsys)
    assert code == 0, err
    code, _, err = run([*common, "--md", str(md_new)], capsys)
    assert code == 0, err
    assert md_old.read_text(encoding="utf-8") == md_new.read_text(encoding="utf-8")
    html, figs = tmp_path / "r.html", tmp_path / "figs"
    code, _, err = run([*common, "-o", str(html), "--png", str(figs)], capsys)
    assert code == 0, err
    assert "<html" in html.read_text(encoding="utf-8")[:500].lower()
    assert list(figs.glob("*.png"))
    code, _, err = run(common, capsys)
    assert code == 2 and "--html FILE" in err


@pytest.mark.parametrize("flag", ["--strategies", "-s", "--strategy"])
def test_robust_old_strategies_reaches_the_model(flag: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["robust", "kazakhstan-2023", "--samples", "8", "--runs", "10",
                        "--no-search", "--no-sobol", flag, "nope"], capsys)
    assert code == 2 and "unknown strategy 'nope'" in err


@pytest.mark.parametrize("flag", ["-o", "--out", "--output"])
def test_demo_out_and_old_output(flag: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(["demo", "--quick", flag, str(blocker / "sub"), "--db",
                        str(tmp_path / "s.duckdb")], capsys)
    assert code == 2 and str(blocker / "sub") in err and "output folder" in err


@pytest.mark.parametrize(("engine", "code"), [("local", 4), ("duckdb", 4), ("spark", 2)])
def test_events_engine_local_and_old_duckdb(engine: str, code: int, loaded_db: Path,
                                            tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    got, _, err = run(["events", "temperature", "KAZ", "RUS", "--engine", engine, "--db",
                       str(db)], capsys)
    assert got == code, err  # 4: the value was accepted and the command reached the data


def test_stochastic_json_reports_the_default_seed(loaded_db: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(loaded_db, db)
    runs: list[list[str]] = [
        ["simulate", "kazakhstan-2023", "--runs", "50", "--horizon", "2", "--json"],
        ["bargain", "kaz-sanctions", "--runs", "5", "--rounds", "3", "--json"],
        ["corridors", "flows", "--runs", "2", "--json"],
        ["compare", "KAZ", "JOR", "--runs", "20", "--json", "--db", str(db)],
    ]
    for argv in runs:
        code, out, err = run(argv, capsys)
        assert code == 0, err
        assert f'"seed": {DEFAULT_SEED}' in out, argv[0]


def test_cli_caps_admit_what_the_dashboard_admits() -> None:
    """One set of caps: the command line takes every size the dashboard API takes."""
    from tightrope import limits
    from tightrope.web import routes_bargain, routes_corridors, routes_simulate

    assert routes_simulate.MAX_RUNS <= limits.MAX_SIMULATE_RUNS
    assert routes_simulate.MAX_HORIZON == limits.MAX_HORIZON
    assert routes_simulate.MAX_SAMPLES <= limits.MAX_ROBUST_SAMPLES
    assert routes_simulate.MAX_ROBUST_RUNS <= limits.MAX_ROBUST_RUNS
    assert routes_bargain.MAX_RUNS == limits.MAX_BARGAIN_RUNS
    assert routes_bargain.MAX_ROUNDS == limits.MAX_BARGAIN_ROUNDS
    assert routes_corridors.MAX_RUNS == limits.MAX_CORRIDOR_RUNS


def test_dashboard_uses_the_command_lines_default_seed() -> None:
    # a run from the dashboard with its defaults reproduces the same command-line run
    pytest.importorskip("fastapi")
    import re
    from importlib import resources

    from tightrope.web import routes_bargain, routes_corridors, routes_simulate

    models = [m for mod in (routes_bargain, routes_corridors, routes_simulate)
              for m in vars(mod).values()
              if isinstance(m, type) and "seed" in getattr(m, "model_fields", {})]
    assert len(models) >= 4
    for m in models:
        assert m.model_fields["seed"].default == DEFAULT_SEED, m.__name__
    js = resources.files("tightrope.web").joinpath("static/app.js").read_text("utf-8")
    seeds = re.findall(r'id="[a-z]+-seed" type="number" value="(\d+)"', js)
    assert seeds and set(seeds) == {str(DEFAULT_SEED)}
