"""One progress protocol (tightrope.progress.Progress), and the progress every producer reports
is true: one fixed total, ``done`` never decreasing, ``done == total`` only at the end."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tightrope.progress import Stages

PKG = Path(__file__).resolve().parents[1] / "src" / "tightrope"


class Recorder:
    """A :class:`tightrope.progress.Progress` that keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.calls.append((done, total, message))

    def assert_true_progress(self) -> None:
        assert self.calls, "no progress was reported"
        for c in self.calls:
            assert len(c) == 3 and isinstance(c[0], int) and isinstance(c[1], int), c
            assert isinstance(c[2], str), c
        totals = {c[1] for c in self.calls}
        assert len(totals) == 1, f"the total changed during the run: {sorted(totals)}"
        total = totals.pop()
        done = [c[0] for c in self.calls]
        assert all(0 <= d <= total for d in done), done
        assert done == sorted(done), f"progress went backwards: {done}"
        assert done[-1] == total, f"the run ended at {done[-1]}/{total}"
        first_end = done.index(total)
        assert all(d == total for d in done[first_end:])


def test_every_progress_parameter_uses_the_protocol() -> None:
    """Every ``progress`` parameter in the package is annotated ``Progress | None``."""
    bad = []
    for f in sorted(PKG.rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                for a in args:
                    if a.arg == "progress":
                        ann = ast.unparse(a.annotation) if a.annotation else ""
                        if ann not in {"Progress", "Progress | None"}:
                            bad.append(f"{f.relative_to(PKG)}:{node.lineno} {node.name}: {ann}")
    assert not bad, "\n".join(bad)


def test_no_other_progress_type_is_defined() -> None:
    bad = []
    for f in sorted(PKG.rglob("*.py")):
        if f.name == "progress.py":
            continue
        for node in ast.parse(f.read_text(encoding="utf-8")).body:
            names = ([t.id for t in node.targets if isinstance(t, ast.Name)]
                     if isinstance(node, ast.Assign) else
                     [node.name] if isinstance(node, ast.ClassDef) else [])
            bad += [f"{f.relative_to(PKG)}: {n}" for n in names if n.endswith("Progress")]
    assert not bad, bad


@given(weights=st.lists(st.integers(0, 50), min_size=1, max_size=5).filter(lambda w: sum(w) > 0),
       steps=st.integers(1, 7), data=st.data())
def test_stages_give_true_progress(weights: list[int], steps: int, data: st.DataObject) -> None:
    rec = Recorder()
    names = [f"s{i}" for i in range(len(weights))]
    stages = Stages(rec, dict(zip(names, weights, strict=True)))
    for name, w in zip(names, weights, strict=True):
        cb = stages.stage(name)
        if w == 0:
            assert cb is None
            continue
        assert cb is not None
        total = data.draw(st.integers(1, 10))
        # a stage may report the same point twice, or skip points, but ends at its total
        points = [*sorted(data.draw(st.lists(st.integers(0, total), max_size=steps))), total]
        for d in points:
            cb(d, total)
    rec.assert_true_progress()


def test_stages_do_not_end_before_the_last_stage() -> None:
    rec = Recorder()
    stages = Stages(rec, {"a": 1, "b": 1e-9})
    cb = stages.stage("a")
    assert cb is not None
    cb(5, 5)
    assert rec.calls[-1][0] < rec.calls[-1][1]


def test_stages_reject_bad_weights() -> None:
    with pytest.raises(ValueError, match="weights"):
        Stages(None, {"a": 0})
    with pytest.raises(ValueError, match="weights"):
        Stages(None, {"a": -1, "b": 2})


def test_minefield_compare_progress() -> None:
    from tightrope.minefield import compare, load_scenario

    rec = Recorder()
    compare(load_scenario("kazakhstan-2023"), ["balancer", "isolation"], runs=50, seed=1,
            progress=rec)
    rec.assert_true_progress()
    assert {c[2] for c in rec.calls} == {"balancer", "isolation"}


def test_robust_progress_is_one_scale() -> None:
    from tightrope.minefield.robust import RobustSettings, SearchSettings, robust_analysis

    rec = Recorder()
    settings = RobustSettings(search=SearchSettings(population=4, generations=1, futures=2,
                                                    runs=10), sobol_n=2, sobol_runs=10)
    robust_analysis("kazakhstan-2023", samples=4, runs=10, seed=1, settings=settings,
                    strategies="balancer,isolation", progress=rec)
    rec.assert_true_progress()
    assert [m for i, (_, _, m) in enumerate(rec.calls)
            if i == 0 or rec.calls[i - 1][2] != m] == ["experiments", "search", "sobol"]


@pytest.mark.parametrize("runs", [0, 20])
def test_bargaining_progress(runs: int) -> None:
    from tightrope.bargaining import forecast

    rec = Recorder()
    forecast("ec-car-emissions", rounds=30, runs=runs, seed=1, spread=0.1, progress=rec)
    rec.assert_true_progress()


def test_corridors_progress() -> None:
    from tightrope import corridors

    rec = Recorder()
    corridors.backtest(runs=3, seed=1, progress=rec)
    rec.assert_true_progress()
    rec = Recorder()
    corridors.disrupt(["red-sea"], runs=3, seed=1, progress=rec)
    rec.assert_true_progress()


def test_briefing_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    from tightrope.briefing import run as briefing_run

    ran: list[str] = []
    steps = [briefing_run.Step(k, f"step {k}", lambda store, b, k=k: ran.append(k))
             for k in ("a", "b", "c")]
    monkeypatch.setattr(briefing_run, "STEPS", steps)

    class NoStore:
        def query(self, sql: str) -> list[dict[str, Any]]:
            return []

    rec = Recorder()
    briefing_run.run_briefing(NoStore(), briefing_run.BriefingSettings(), rec)  # type: ignore[arg-type]
    assert ran == ["a", "b", "c"]
    rec.assert_true_progress()
    assert rec.calls[0] == (0, 3, "step a")


def test_store_load_progress(tmp_path: Path) -> None:
    from tightrope.store import load_world, open_store

    rec = Recorder()
    with open_store(tmp_path / "s.duckdb") as store:
        load_world(store, progress=rec)
    rec.assert_true_progress()
