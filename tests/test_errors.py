"""User mistakes surface as TightropeError subclasses whose messages name the input, never a
command-line flag; a bare ValueError is left for broken internal invariants."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tightrope.errors import InputError, ParameterError, TightropeError

PKG = Path(__file__).resolve().parents[1] / "src" / "tightrope"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _exposure_runs() -> None:
    from tightrope.exposure.config import ExposureSettings

    ExposureSettings(runs=0)


def _exposure_years() -> None:
    from tightrope.exposure.config import ExposureSettings

    ExposureSettings(alignment_years=(2019, 2015))


def _min_size() -> None:
    from tightrope.events.changepoints import ChangePointParams

    ChangePointParams(min_size=1)


def _penalty() -> None:
    from tightrope.events.changepoints import ChangePointParams

    ChangePointParams(penalty=-1.0)


def _window() -> None:
    from tightrope.events.series import MonthlyAggregate, build_series

    agg = MonthlyAggregate.from_rows([], ["2005-01", "2005-02"])
    build_series(agg, "KAZ", "RUS", window=0)


def _tkg_unit() -> None:
    from tightrope.ingest.icews import TkgClock

    TkgClock(dt.date(2005, 1, 1), "weeks")


def _bargain_q() -> None:
    from tightrope.bargaining.variants import resolve_options

    resolve_options("scholz", q=1.5)


def _bargain_t() -> None:
    from tightrope.bargaining.variants import ModelOptions

    ModelOptions(t=-0.1)


def _minefield_runs() -> None:
    from tightrope.minefield.service import simulate

    simulate("kazakhstan-2023", "isolation", runs=0, horizon=4)


def _months() -> None:
    from tightrope.events.months import MonthRange

    MonthRange("2010-01", "2005-01")


SITES: dict[str, tuple[Callable[[], None], str]] = {
    "exposure runs": (_exposure_runs, "runs"),
    "exposure alignment years": (_exposure_years, "alignment_years"),
    "change-point min size": (_min_size, "min_size"),
    "change-point penalty": (_penalty, "penalty"),
    "smoothing window": (_window, "window"),
    "TKG time unit": (_tkg_unit, "time unit"),
    "bargaining Q": (_bargain_q, "Q"),
    "bargaining T": (_bargain_t, "T"),
    "minefield runs": (_minefield_runs, "runs"),
    "month range": (_months, "2010-01"),
}


@pytest.mark.parametrize("site", sorted(SITES))
def test_user_triggerable_errors_name_the_input(site: str) -> None:
    call, names = SITES[site]
    with pytest.raises(TightropeError) as info:
        call()
    assert isinstance(info.value, InputError)
    msg = info.value.one_line()
    assert names in msg
    assert "expected" in msg
    assert not FLAG.search(msg), msg


def test_parameter_error_reads_as_one_line() -> None:
    e = ParameterError("runs", 0, "a whole number >= 1")
    assert e.one_line() == "runs is 0 (expected a whole number >= 1)"
    assert e.exit_code == 2
    assert not isinstance(e, ValueError)


def _error_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string (or f-string part) inside a ``raise ...(...)`` statement."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            for sub in ast.walk(node.exc):
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                    out.append((sub.lineno, sub.value))
    return out


def _core_modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py")
                  if p.relative_to(PKG).parts[0] not in {"cli", "web"})


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_core_error_messages_name_no_cli_flag(path: Path) -> None:
    """Core code serves the CLI and the web API alike: its errors name the input."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    flagged = [(line, text) for line, text in _error_texts(tree) if FLAG.search(text)]
    assert flagged == [], f"{path.relative_to(PKG)}: {flagged}"


def test_the_flag_scan_fires() -> None:
    src = ('raise InputError(f"runs is {runs}", where="--runs", expected="a whole number")\n'
           'raise InputError("x", expected="a folder, or --overwrite")\n'
           'raise InputError("a-b--c is fine", expected="-- alone is fine")\n')
    assert [line for line, t in _error_texts(ast.parse(src)) if FLAG.search(t)] == [1, 2]


def test_cli_reports_a_parameter_error_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI prints the core's ParameterError as one line, exit 2, without a traceback; the
    message names the parameter and its expected range (the same text the web API gives)."""
    from tests.clirun import run

    code, _out, err = run(["events", "temperature", "KAZ", "RUS", "--min-size", "1"], capsys)
    assert code == 2
    assert "min_size is 1 (expected a segment of at least 2 months)" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
