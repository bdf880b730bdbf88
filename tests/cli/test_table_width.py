"""Tables of every command fit 80 columns in a pipe without cutting a number or a name.

Each command is run in-process with stdout captured (not a terminal) at 80 and at 250
columns. At 80 no line may be longer than 80 cells, no "…" may appear that the wide output
does not have, and every number of the wide output must appear whole in the narrow one
(a wrapped cell breaks at spaces, never inside a number). Names and headline numbers taken
from the command's own --json output must appear whole too. Every command with --png keeps
its table.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tests.clirun import run
from tightrope.cli import common

ROBUST = ["robust", "kazakhstan-2023", "--samples", "8", "--runs", "20", "--population", "4",
          "--generations", "1", "--search-futures", "2", "--sobol-n", "4"]
NUMBER = re.compile(r"[-+−]?\d+(?:[.,:]\d+)*%?")
SECONDS = re.compile(r"\b\d+(?:\.\d+)?\s+s\b")  # run times differ between two runs


def _pct(x: float) -> str:
    return f"{x:.2%}"


def _sim(j: dict[str, Any]) -> list[str]:
    results = j.get("results", [j])  # all strategies, or one
    return [s for r in results for s in (r["strategy"], _pct(r["p_catastrophe"]))]


def _robust(j: dict[str, Any]) -> list[str]:
    return list(j["experiments"]["policies"])


def _compare(j: dict[str, Any]) -> list[str]:
    return [c["iso3"] for c in j["countries"]]


def _bargain(j: dict[str, Any]) -> list[str]:
    return [a["actor"] for a in j["input"]["actors"] if " " not in a["actor"]]


def _flows(j: dict[str, Any]) -> list[str]:
    return [f"{round(c['teu']):,}" for c in j["corridors"]]


def _route(j: dict[str, Any]) -> list[str]:
    return [f"{r['days']['value']:.1f}" for r in j["routes"]]


def _temperature(j: dict[str, Any]) -> list[str]:
    s = j["focal_to_power"]
    return [m for m, n in zip(s["months"], s["events"], strict=True) if n]


#: (command, names and numbers expected whole, derived from the command's --json output)
COMMANDS: list[tuple[list[str], Callable[[dict[str, Any]], list[str]] | None]] = [
    (["simulate", "kazakhstan-2023", "-s", "all", "--runs", "300"], _sim),
    (["simulate", "jordan-2024", "-s", "balancer", "--runs", "300"], _sim),
    (["simulate", "jordan-2024", "--explain"], None),
    (ROBUST, _robust),
    (["compare", "KAZ", "JOR", "MNG"], _compare),
    (["world"], None),
    (["bargain", "kaz-sanctions", "--runs", "20"], _bargain),
    (["corridors", "route", "xian", "duisburg"], _route),
    (["corridors", "flows", "--runs", "2"], _flows),
    (["corridors", "disrupt", "red-sea", "--runs", "2"], None),
    (["corridors", "backtest", "--runs", "0"], None),
    (["corridors", "scenarios"], None),
    (["corridors", "nodes"], None),
    (["events", "temperature", "KAZ", "CHN"], _temperature),
    (["events", "panel", "KAZ"], None),
    (["events", "status"], None),
    (["profile", "KAZ"], None),
    (["data", "status"], None),
    (["evidence", "rates"], None),
    (["evidence", "back-test"], None),
]
PNG = [c for c, _ in COMMANDS if c[0] in ("simulate", "robust", "world", "bargain")
       and "--explain" not in c] + [["events", "temperature", "KAZ", "CHN"],
                                    ["events", "panel", "KAZ"],
                                    ["corridors", "disrupt", "red-sea", "--runs", "2"],
                                    ["corridors", "flows", "--runs", "2"],
                                    ["evidence", "back-test"]]
#: the old spelling --plot, hidden but accepted for one release, keeps the table too
PLOT = [["events", "temperature", "KAZ", "CHN"], ["bargain", "kaz-sanctions"]]


@pytest.fixture(scope="module")
def events_db(loaded_db: Path, shared_data: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tightrope.store import open_store
    from tightrope.store.events import ingest_events

    p = tmp_path_factory.mktemp("width") / "store.duckdb"
    shutil.copy(loaded_db, p)
    with open_store(p) as s:
        ingest_events(s, sorted((shared_data / "icews-tkg" / "mmkb" / "icews05-15")
                                .glob("*.txt")))
    return p


#: What a command printed at a width. Every stochastic command here is seeded, so the same
#: command on the same store prints the same tables: the PNG test reuses the table test's run.
_PRINTED: dict[tuple[tuple[str, ...], int], str] = {}


@pytest.fixture(scope="module")
def _backtests_once() -> Iterator[None]:
    """The evidence back-test is computed once for this module's several renderings of it."""
    import functools

    from tightrope.evidence import backtest

    mp = pytest.MonkeyPatch()
    mp.setattr(backtest, "run_backtests", functools.cache(backtest.run_backtests))
    yield
    mp.undo()


@pytest.fixture
def at(events_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
       _backtests_once: None) -> Iterator[Callable[[list[str], int], str]]:
    monkeypatch.setenv("TIGHTROPE_DB", str(events_db))

    def render(argv: list[str], width: int) -> str:
        key = (tuple(argv), width)
        if key in _PRINTED:
            return _PRINTED[key]
        monkeypatch.setattr(common.console, "width", width)
        code, out, err = run(argv, capsys)
        assert code == 0, err
        if not {"--png", "--plot"} & set(argv):  # those write a file each time
            _PRINTED[key] = out
        return out

    yield render


def _label(c: list[str]) -> str:
    return " ".join(c[:3])


@pytest.mark.parametrize(("argv", "expected"), COMMANDS, ids=[_label(c) for c, _ in COMMANDS])
def test_tables_fit_80_columns_without_cutting(
        argv: list[str], expected: Callable[[dict[str, Any]], list[str]] | None,
        at: Callable[[list[str], int], str]) -> None:
    raw = at(argv, 80)
    assert raw.strip()
    too_long = [line for line in raw.splitlines() if cell_len(line) > 80]
    assert not too_long, f"{len(too_long)} lines over 80 columns, first: {too_long[0]!r}"
    narrow, wide = SECONDS.sub("– s", raw), SECONDS.sub("– s", at(argv, 250))
    assert narrow.count("…") == wide.count("…"), "a cell was cut with '…'"
    missing = Counter(NUMBER.findall(wide)) - Counter(NUMBER.findall(narrow))
    assert not missing, f"numbers cut or broken at 80 columns: {sorted(missing)[:10]}"
    if expected is not None:
        want = expected(json.loads(at([*argv, "--json"], 80)))
        assert want
        words = set(narrow.split()) | {w.strip("[](),;") for w in narrow.split()}
        lost = [w for w in want if w not in words]
        assert not lost, f"not whole in the 80-column table: {lost}"


@pytest.mark.parametrize(("argv", "flag"), [(c, "--png") for c in PNG]
                         + [(c, "--plot") for c in PLOT],
                         ids=[f"{_label(c)} --png" for c in PNG]
                         + [f"{_label(c)} --plot" for c in PLOT])
def test_png_keeps_the_table(argv: list[str], flag: str,
                             at: Callable[[list[str], int], str], tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    plain = SECONDS.sub("– s", at(argv, 80))
    with_png = SECONDS.sub("– s", at([*argv, flag, str(png)], 80))
    assert png.stat().st_size > 1000
    assert plain in with_png  # the same tables (plus, for some, where the file went)


_WORD = st.text(alphabet="abcdefghijklmnop_:", min_size=1, max_size=14)
_NUM = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: f"{x:,.2f}")
_CELL = st.lists(st.one_of(_WORD, _NUM), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(ncols=st.integers(1, 7), data=st.data(), width=st.integers(60, 120))
def test_fit_table_never_cuts_a_word_that_fits(ncols: int, data: st.DataObject,
                                               width: int) -> None:
    """Any table of words and numbers: lines fit the width and no word or number is cut or
    broken, as long as the longest words of the columns fit side by side."""
    from rich.console import Console
    from rich.table import Table

    rows = data.draw(st.lists(st.lists(_CELL, min_size=ncols, max_size=ncols), min_size=1,
                              max_size=6))
    heads = data.draw(st.lists(_WORD, min_size=ncols, max_size=ncols))
    words = [max(len(w) for r in rows for w in r[i].split()) for i in range(ncols)]
    assume(sum(words) + 3 * ncols + 1 <= width)  # the words fit, even with borders
    t = Table(*heads)
    for r in rows:
        t.add_row(*r)
    console = Console(width=width, file=io.StringIO(), color_system=None, emoji=False)
    common.fit_table(t, console, width)
    with console.capture() as cap:
        console.print(t)
    out = cap.get()
    assert all(cell_len(line) <= width for line in out.splitlines())
    assert "…" not in out
    tokens = Counter(out.split())
    for r in rows:
        for cell in r:
            for w in cell.split():
                assert tokens[w] > 0, f"{w!r} cut or broken in\n{out}"
