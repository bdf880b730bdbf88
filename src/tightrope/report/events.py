"""Pictures of relation temperature: PNG (matplotlib) and Plotly figures for HTML pages.

Consumes :class:`tightrope.events.temperature.Temperature` and ``Panel`` results only.
Matplotlib is used through ``matplotlib.figure.Figure`` with the Agg canvas (no pyplot, no
global backend state).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tightrope.events.series import DyadSeries
from tightrope.events.temperature import Panel, Temperature
from tightrope.report.numbers import sig
from tightrope.report.palette import PALETTE

__all__ = ["panel_figure", "panel_section", "plot_panel", "plot_temperature",
           "temperature_figure"]

_OUT, _IN = "#1f77b4", "#d62728"


def _dates(months: tuple[str, ...]) -> np.ndarray:
    """Mid-month dates for the x axis."""
    return np.array(months, dtype="datetime64[M]").astype("datetime64[D]") + np.timedelta64(14, "D")


def _nan(values: tuple[float | None, ...]) -> list[float]:
    return [float("nan") if v is None else v for v in values]


def _goldstein(ax: Axes, s: DyadSeries, color: str, label: str) -> None:
    x = _dates(s.months)
    ax.plot(x, _nan(s.mean_goldstein), "o", ms=3, color=color, alpha=0.45)
    ax.plot(x, _nan(s.smoothed_goldstein), "-", lw=1.6, color=color, label=label)
    for cp in s.change_points:
        m = str(cp["month"])
        start = np.datetime64(m, "D").astype("datetime64[D]")
        ax.axvline(start, color=color, ls="--", lw=1, alpha=0.8)  # type: ignore[arg-type]


def _conflict_share(s: DyadSeries) -> list[float]:
    vc, mc = s.quad_shares["verbal conflict"], s.quad_shares["material conflict"]
    return [float("nan") if a is None or b is None else a + b for a, b in zip(vc, mc, strict=True)]


def plot_temperature(result: Temperature, path: Path, *, dpi: int = 120) -> Path:
    """Three panels: mean Goldstein (dots) with its smoothed line and change points (dashed),
    events per month, and the share of conflictual events, both directions."""
    a, b = result.focal.code, result.power.code
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax1, ax2, ax3 = fig.subplots(3, 1, sharex=True, height_ratios=[3, 1.4, 1.4])
    _goldstein(ax1, result.outbound, _OUT, f"{a} → {b}")
    _goldstein(ax1, result.inbound, _IN, f"{b} → {a}")
    ax1.axhline(0, color="grey", lw=0.8)
    ax1.set_ylim(-10.5, 10.5)
    ax1.set_ylabel("Goldstein (−10 conflict … +10 cooperation)")
    w = result.parameters.get("window_months", 3)
    ax1.set_title(f"Relation temperature {a} ↔ {b}, {result.months.start} to {result.months.end}"
                  f"  (dots: monthly mentions-weighted mean; line: trailing {w}-month mean;"
                  " dashed: change points)", fontsize=9)
    ax1.legend(loc="lower left", fontsize=8)
    x = _dates(result.outbound.months)
    width = 12.0
    shift = np.timedelta64(7, "D")
    ax2.bar(x - shift, result.outbound.events, width=width, color=_OUT, label=f"{a} → {b}")
    ax2.bar(x + shift, result.inbound.events, width=width, color=_IN, label=f"{b} → {a}")
    ax2.set_ylabel("events / month")
    ax3.plot(x, _conflict_share(result.outbound), ".-", color=_OUT, lw=0.8, ms=3)
    ax3.plot(x, _conflict_share(result.inbound), ".-", color=_IN, lw=0.8, ms=3)
    ax3.set_ylim(-0.05, 1.05)
    ax3.set_ylabel("conflict share\n(QuadClass 3+4)")
    ax3.set_xlabel("month")
    by_set = result.manifest.parameters.get("dyad_events_by_dataset") or {}
    sources = ", ".join(f"{k} ({v})" for k, v in by_set.items()) or str(
        result.manifest.parameters.get("parquet", ""))
    fig.text(0.01, 0.001, f"Data: {sources or 'n/a'}. Months without events are blank, not 0.",
             fontsize=7, color="dimgray")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path


def plot_panel(result: Panel, path: Path, *, dpi: int = 110) -> Path:
    """One row per power: smoothed Goldstein in both directions, with change points."""
    n = len(result.results)
    fig = Figure(figsize=(11, 1.9 * n + 0.8), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    for ax, t in zip(axes, result.results, strict=True):
        _goldstein(ax, t.outbound, _OUT, f"{t.focal.code} → {t.power.code}")
        _goldstein(ax, t.inbound, _IN, f"{t.power.code} → {t.focal.code}")
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_ylim(-10.5, 10.5)
        ax.set_ylabel(f"{t.power.code}\nGoldstein (−10…+10)", fontsize=8)
        ax.text(0.995, 0.04, f"events {sum(t.outbound.events)} out / {sum(t.inbound.events)} in",
                transform=ax.transAxes, ha="right", fontsize=7, color="dimgray")
        ax.legend(loc="lower left", fontsize=7, ncol=2)
    axes[-1].set_xlabel("month")
    axes[0].set_title(f"Relation temperature of {result.focal.code} with each power "
                      "(Goldstein, trailing mean; dashed: change points)", fontsize=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path


def temperature_figure(result: Temperature) -> Any:
    """A Plotly figure of both directions' monthly and smoothed Goldstein (for HTML reports)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for s, color in ((result.outbound, _OUT), (result.inbound, _IN)):
        name = f"{s.source} → {s.target}"
        fig.add_scatter(x=list(s.months), y=list(s.mean_goldstein), mode="markers",
                        marker={"color": color, "size": 4, "opacity": 0.5},
                        name=f"{name} monthly", text=[f"{n} events" for n in s.events])
        fig.add_scatter(x=list(s.months), y=list(s.smoothed_goldstein), mode="lines",
                        line={"color": color}, name=f"{name} smoothed", connectgaps=False)
        for cp in s.change_points:
            fig.add_vline(x=str(cp["month"]), line={"color": color, "dash": "dash", "width": 1})
    fig.update_layout(title=f"Relation temperature {result.focal.code} ↔ {result.power.code}",
                      yaxis={"title": "Goldstein", "range": [-10.5, 10.5]}, xaxis_title="month",
                      margin={"l": 50, "r": 20, "t": 50, "b": 40})
    return fig


def panel_figure(result: Panel) -> Any:
    """A Plotly figure with one row per power: smoothed Goldstein in both directions (solid:
    focal → power, dashed: power → focal; one colour per power) and the change points of
    each direction as vertical lines in the same colour and style."""
    from plotly.subplots import make_subplots

    n = len(result.results)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True,
                        subplot_titles=[t.power.code for t in result.results])
    for row, t in enumerate(result.results, start=1):
        colour = PALETTE[(row - 1) % len(PALETTE)]
        out_dash, in_dash = ("solid", "dash") if (row - 1) // len(PALETTE) % 2 == 0 else (
            "dot", "dashdot")
        for s, dash in ((t.outbound, out_dash), (t.inbound, in_dash)):
            fig.add_scatter(x=list(s.months), y=list(s.smoothed_goldstein), mode="lines",
                            line={"color": colour, "dash": dash}, name=f"{s.source} → {s.target}",
                            legendgroup=t.power.code, row=row, col=1)
            for cp in s.change_points:
                fig.add_vline(x=str(cp["month"]), line={"color": colour, "dash": dash,
                                                        "width": 1}, row=row, col=1)
        fig.update_yaxes(range=[-10.5, 10.5], title_text="Goldstein<br>(−10 to +10)",
                         row=row, col=1)
    fig.update_xaxes(title_text="month", row=n, col=1)
    fig.update_layout(height=220 * n + 80,
                      title=f"Relation temperature of {result.focal.code} (smoothed mean "
                            "Goldstein score; solid: toward the power, dashed: from it; "
                            "vertical lines: change points)")
    return fig


def panel_section(result: Panel, explanations: list[dict[str, Any]],
                  div_id: str = "temperature") -> str:
    """HTML: the panel figure, the change points with the events around each, the method."""
    import html

    from tightrope.report.offline import figure_div

    def e(x: Any) -> str:
        return html.escape(str(x))

    d = result.to_dict()
    rows = []
    for t in d["temperatures"]:
        for side in ("focal_to_power", "power_to_focal"):
            s = t[side]
            rows.append(f"<tr><td>{e(s['source'])} → {e(s['target'])}</td>"
                        f"<td>{sum(s['events']):,}</td><td>{sig(s['overall_goldstein'])}</td>"
                        f"<td>{', '.join(e(c['month']) for c in s['change_points']) or '–'}"
                        "</td></tr>")
    counts = ("<table><tr><th>direction</th><th>events</th><th>mean Goldstein</th>"
              "<th>change points</th></tr>" + "".join(rows) + "</table>")
    expl = []
    for x in explanations:
        coded = "; ".join(f"{c['event_date']} {c['source_actor']} — {c['event_label']} — "
                          f"{c['target_actor']} ({c['goldstein']:+g})"
                          for c in x["coded_events"]) or "no coded event in the window"
        cur = "; ".join(f"{c['date']} {c['description']} ({c['source']})"
                        for c in x["curated_events"]) or "none"
        expl.append(f"<tr><td>{e(x['dyad'])}</td><td>{e(x['month'])}</td>"
                    f"<td>{x['mean_before']:+.2f} → {x['mean_after']:+.2f}</td>"
                    f"<td>{e(coded)}</td><td>{e(cur)}</td></tr>")
    params = d["temperatures"][0]["parameters"] if d["temperatures"] else {}
    cp = params.get("change_points", {})
    method = (f"Monthly mean Goldstein score (CAMEO events, weighted by mentions where the "
              f"format has them), smoothed over {params.get('window_months', 3)} months; "
              f"change points by {cp.get('method', 'PELT')} with penalty "
              f"{cp.get('penalty', '')}, minimum segment {cp.get('min_size', '')} months.")
    table = ("<table><tr><th>dyad</th><th>change point</th><th>mean before → after</th>"
             "<th>strongest coded events around it</th><th>curated events (±3 months)</th>"
             "</tr>" + "".join(expl) + "</table>") if expl else (
        "<p>No change point passes the penalty in these series.</p>")
    return (figure_div(panel_figure(result), div_id) + counts
            + "<h3>Change points and the events around them</h3>" + table
            + f"<p class='note'>{e(method)} Descriptive, not causal: the events listed are "
              "what the data hold around each break. Source: the ingested event files "
              "(see manifest).</p>")
