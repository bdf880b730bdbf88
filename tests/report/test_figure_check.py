"""Figure check: every figure the reports, the briefing's renderers and the dashboard's
server-side routes produce is rendered and held to one standard — traces with data, a title,
axis titles where there are axes, legend entries told apart, tick labels not all equal, points
inside their bands.

Figures are collected where they leave the program: Plotly figures at ``plotly.io.to_html`` /
``to_json`` and matplotlib figures at ``Figure.savefig``, so a new figure is checked without
being listed here.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from matplotlib.colors import to_hex

from .styles import delta_e


def _plotly_style(tr: Any) -> tuple[str, str, str]:
    line = getattr(tr, "line", None)
    marker = getattr(tr, "marker", None)
    colour = (getattr(line, "color", None) or (getattr(marker, "color", None)
              if isinstance(getattr(marker, "color", None), str) else None) or "")
    dash = getattr(line, "dash", None) or "solid"
    symbol = str(getattr(marker, "symbol", None) or "circle")
    mode = str(getattr(tr, "mode", None) or "lines+markers")
    if tr.type == "scatter":  # dots and a line in one colour are told apart
        dash = dash if "lines" in mode else "no line"
        symbol = symbol if "markers" in mode else "no marker"
    return str(colour), str(dash), symbol


def _distinct(styles: list[tuple[str, str, str]], where: str) -> None:
    for (c1, d1, m1), (c2, d2, m2) in itertools.combinations(styles, 2):
        same_colour = (c1 == c2) or (bool(c1) and bool(c2) and _close(c1, c2))
        assert not (same_colour and d1 == d2 and m1 == m2), (where, c1, d1, m1, c2)


def _close(a: str, b: str) -> bool:
    try:
        return delta_e(a, b) < 20
    except ValueError:
        return a == b


def check_plotly(fig: Any, where: str) -> None:
    assert fig.data, f"{where}: no traces"
    title = fig.layout.title.text if fig.layout.title else None
    assert title, f"{where}: no title"
    for tr in fig.data:
        sizes = [len(v) for k in ("x", "y", "z", "lat", "locations", "values")
                 if (v := getattr(tr, k, None)) is not None and hasattr(v, "__len__")]
        assert sizes and max(sizes) > 0, f"{where}: empty trace {tr.name}"
        for axis in ("error_x", "error_y"):
            err = getattr(tr, axis, None)
            for key in ("array", "arrayminus"):
                vals = getattr(err, key, None) if err is not None else None
                if vals is not None:
                    assert all(v is None or v != v or v >= 0 for v in vals), (
                        f"{where}: {tr.name} drawn outside its band ({axis}.{key})")
    cartesian = [t for t in fig.data if t.type in ("scatter", "bar", "box", "heatmap",
                                                   "histogram", "scattergl")]
    used = {(getattr(t, "xaxis", None) or "x", getattr(t, "yaxis", None) or "y")
            for t in cartesian}
    for xa, ya in used:
        xl = fig.layout[xa.replace("x", "xaxis", 1)]
        yl = fig.layout[ya.replace("y", "yaxis", 1)]
        x_titled = bool(xl.title.text) or any(
            fig.layout[k].title.text for k in fig.layout if k.startswith("xaxis")
            and fig.layout[k].matches in (xa, None) and xl.matches in (k.replace("axis", ""),
                                                                       None))
        assert x_titled, f"{where}: x axis {xa} without a title"
        assert yl.title.text or fig.layout["yaxis"].title.text or yl.matches, (
            f"{where}: y axis {ya} without a title")
        for ax in (xl, yl):
            if ax.ticktext is not None and len(ax.ticktext) > 1:
                assert len(set(ax.ticktext)) > 1, f"{where}: all tick labels equal"
    shown = fig.layout.showlegend is not False
    legend = [t for t in fig.data if shown and t.showlegend is not False and t.name
              and t.type not in ("heatmap", "choropleth")]
    names = {t.name for t in legend}
    if len(names) > 1:
        first = {t.name: _plotly_style(t) for t in reversed(legend)}
        _distinct(list(first.values()), where)


def check_mpl(fig: Any, where: str) -> None:
    fig.canvas.draw()
    drawn = [a for a in fig.axes if a.lines or a.patches or a.collections or a.images]
    assert drawn, f"{where}: nothing drawn"
    axes = [a for a in drawn if a.axison]  # a map has its axes switched off
    sup = fig._suptitle.get_text() if fig._suptitle else ""
    assert sup or any(a.get_title() for a in fig.axes), f"{where}: no title"
    for a in axes:
        if a.name == "colorbar" or getattr(a, "_colorbar", None) is not None:
            continue
        assert a.get_xlabel() or a.get_label() == "<colorbar>" or _shared_x_labelled(a), (
            f"{where}: x axis without a title ({a.get_title()})")
        assert a.get_ylabel() or a.get_label() == "<colorbar>", (
            f"{where}: y axis without a title ({a.get_title()})")
        for ticks in (a.get_xticklabels(), a.get_yticklabels()):
            texts = [t.get_text() for t in ticks if t.get_text()]
            if len(texts) > 1:
                assert len(set(texts)) > 1, f"{where}: all tick labels equal {texts[0]}"
        leg = a.get_legend()
        if leg is not None:
            styles = []
            for h in leg.legend_handles:
                c = h.get_color() if hasattr(h, "get_color") else h.get_facecolor()
                try:
                    colour = to_hex(c if isinstance(c, str) or len(c) in (3, 4) else c[0])
                except (ValueError, TypeError, IndexError):
                    colour = ""
                ls = str(h.get_linestyle()) if hasattr(h, "get_linestyle") else "-"
                mk = str(h.get_marker()) if hasattr(h, "get_marker") else ""
                styles.append((colour, ls, mk))
            _distinct(styles, where)


def _shared_x_labelled(a: Any) -> bool:
    sib = a.get_shared_x_axes().get_siblings(a)
    return any(s.get_xlabel() for s in sib)


@pytest.fixture(scope="module")
def figures(loaded_db: Path) -> Iterator[list[tuple[str, Any]]]:
    import plotly.io as pio
    from matplotlib.figure import Figure

    seen: list[tuple[str, Any]] = []
    mp = pytest.MonkeyPatch()
    to_html, to_json, savefig = pio.to_html, pio.to_json, Figure.savefig

    def html(fig: Any, *a: Any, **k: Any) -> Any:
        seen.append(("plotly", fig))
        return to_html(fig, *a, **k)

    def js(fig: Any, *a: Any, **k: Any) -> Any:
        seen.append(("plotly", fig))
        return to_json(fig, *a, **k)

    def save(self: Any, *a: Any, **k: Any) -> Any:
        seen.append(("mpl", self))
        return savefig(self, *a, **k)

    mp.setattr(pio, "to_html", html)
    mp.setattr(pio, "to_json", js)
    mp.setattr(Figure, "savefig", save)
    try:
        out = Path(str(loaded_db.parent)) / "figs"
        _render_everything(loaded_db, out)
        yield seen
    finally:
        mp.undo()


def _render_everything(db: Path, out: Path) -> None:
    from tightrope import corridors
    from tightrope.bargaining import forecast
    from tightrope.exposure import ExposureSettings, exposure_profile
    from tightrope.minefield import compare
    from tightrope.minefield.robust import robust_analysis
    from tightrope.report import bargaining as rb
    from tightrope.report import corridors as rc
    from tightrope.report import exposure as rx
    from tightrope.report import minefield as rm
    from tightrope.report import robust as rr
    from tightrope.store import open_store

    out.mkdir(parents=True, exist_ok=True)
    with open_store(db, read_only=True) as store:
        for iso3 in ("KAZ", "JOR"):
            res = exposure_profile(store, iso3, ExposureSettings(runs=100, seed=1))
            rx.exposure_html(res)
            rx.write_pngs(res, out / iso3)
    comp = compare("kazakhstan-2023", "all", runs=200, seed=1)
    rm.minefield_html(comp)
    rm.write_minefield_png(comp, out / "mf.png")
    rob = robust_analysis("kazakhstan-2023", samples=16, runs=40, seed=1)
    rr.robust_html(rob)
    rr.write_robust_png(rob, out / "rob.png")
    rb.write_positions_png(forecast("kaz-sanctions", "scholz", rounds=30, runs=30, seed=1),
                           out / "barg.png")
    d = corridors.disrupt(["russia-transit"], runs=6, seed=1)
    rc.disruption_section(d)
    rc.write_map_png(d, out / "corr.png", "After: russia-transit")
    rc.corridor_map(d).to_json()  # the dashboard's disruption job
    from tightrope.exposure.validation import validate
    from tightrope.exposure.world import world_balance
    from tightrope.report.world import world_html, write_world_png

    with open_store(db, read_only=True) as store:
        w = world_balance(store, seed=1, runs=50)
    world_html(w, validate(w))
    write_world_png(w, out / "world.png")


def test_evidence_figure_meets_the_standard(shared_data: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The reliability diagram of the evidence back-test (needs the shared MID data)."""
    from matplotlib.figure import Figure

    from tightrope.evidence.backtest import run_backtests
    from tightrope.report.evidence import write_reliability_png

    seen: list[Any] = []
    savefig = Figure.savefig

    def save(self: Any, *a: Any, **k: Any) -> Any:
        seen.append(self)
        return savefig(self, *a, **k)

    monkeypatch.setattr(Figure, "savefig", save)
    rows = [r.to_json() for r in run_backtests(shared_data, seed=1, reps=20)]
    write_reliability_png(rows, tmp_path / "reliability.png")
    assert len(seen) == 1
    check_mpl(seen[0], "evidence reliability diagram")


def test_every_figure_meets_the_standard(figures: list[tuple[str, Any]]) -> None:
    kinds = {k for k, _ in figures}
    assert kinds == {"plotly", "mpl"} and len(figures) >= 20
    failures = []
    for i, (kind, fig) in enumerate(figures):
        where = f"{kind} figure {i}: " + str(
            (fig.layout.title.text if kind == "plotly" else
             (fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title()))
            or "untitled")
        try:
            (check_plotly if kind == "plotly" else check_mpl)(fig, where)
        except AssertionError as e:
            failures.append(str(e).splitlines()[0])
    assert not failures, "\n".join(failures)


def test_the_check_catches_broken_figures() -> None:
    """The check fails on a figure with two series in one style, on an axis without a title,
    on identical tick labels and on a point outside its band."""
    import plotly.graph_objects as go
    from matplotlib.figure import Figure

    from tightrope.minefield import compare
    from tightrope.report.minefield import _cumulative_figure

    fig = _cumulative_figure(compare("kazakhstan-2023", "all", runs=50, seed=1).results)
    check_plotly(fig, "as made")
    same = go.Figure(fig)
    same.data[1].line.color, same.data[1].line.dash = same.data[0].line.color, "solid"
    same.data[0].line.dash = "solid"
    with pytest.raises(AssertionError, match="two series one colour"):
        check_plotly(same, "cumulative, two series one colour")
    untitled = go.Figure(fig).update_layout(xaxis_title=None)
    with pytest.raises(AssertionError, match="x axis"):
        check_plotly(untitled, "no x title")
    ticks = go.Figure(fig).update_yaxes(tickvals=[0, 0.5, 1], ticktext=["0%"] * 3)
    with pytest.raises(AssertionError, match="tick labels"):
        check_plotly(ticks, "equal ticks")
    band = go.Figure(go.Bar(x=["a"], y=[0.64], error_y={"array": [0.1], "arrayminus": [-0.02]}))
    band.update_layout(title="t", xaxis_title="x", yaxis_title="y")
    with pytest.raises(AssertionError, match="outside its band"):
        check_plotly(band, "point outside")

    m = Figure()
    ax = m.subplots()
    ax.plot([0, 1], [0, 1], color="#1f77b4", label="a")
    ax.plot([0, 1], [1, 0], color="#1f77b4", label="b")
    ax.set_title("t")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    with pytest.raises(AssertionError, match="mpl"):
        check_mpl(m, "mpl two lines one colour")
