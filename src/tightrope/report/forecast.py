"""Pictures of a dyad forecast: QuadClass shares per month ahead with intervals and base rate.

Consumes :class:`tightrope.events.forecast_dyad.DyadForecast` only; matplotlib through the Agg
canvas, no pyplot.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tightrope.events.forecast_dyad import DyadForecast

__all__ = ["forecast_block_html", "forecast_block_md", "forecast_lines", "plot_forecast"]

_COLOURS = ("#2ca02c", "#1f77b4", "#ff7f0e", "#d62728")


def plot_forecast(result: DyadForecast, path: Path, *, dpi: int = 120) -> Path:
    """One panel per direction: bars = forecast share of each QuadClass for each month ahead,
    whiskers = interval, grey tick = the dyad's base rate."""
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, q in zip(axes, result.quad, strict=True):
        n_m, n_c = q.p.shape
        x = np.arange(n_c)
        width = 0.8 / n_m
        for i, m in enumerate(q.months):
            xs = x - 0.4 + width * (i + 0.5)
            ax.bar(xs, q.p[i], width=width * 0.9, color=_COLOURS, alpha=1.0 - 0.25 * i,
                   yerr=[q.p[i] - q.lo[i], q.hi[i] - q.p[i]], capsize=2, ecolor="black",
                   label=m if i == 0 else None)
        ax.scatter(x, q.base, marker="_", s=600, color="grey", zorder=3, label="base rate")
        ax.set_xticks(x, [lab.replace(" ", "\n") for lab in q.labels], fontsize=8)
        ax.set_title(f"{q.source} → {q.target}: {', '.join(q.months)} "
                     f"(bars left to right)", fontsize=9)
        ax.set_ylim(0, 1)
    axes[0].set_ylabel("share of the month's events")
    axes[0].legend(fontsize=7, loc="upper right")
    fig.suptitle(f"Forecast {result.a} ↔ {result.b} from events {result.history.start} to "
                 f"{result.history.end}; whiskers: {int(100 * result.params.level)}% interval",
                 fontsize=10)
    fig.savefig(path, dpi=dpi)
    return path


def forecast_lines(result: DyadForecast) -> list[str]:
    """Short text lines (one per direction) for a page or a briefing: next month's QuadClass
    shares beside the base rate."""
    out = []
    for q in result.quad:
        parts = [f"{lab} {q.p[0, j]:.2f} ({q.lo[0, j]:.2f}–{q.hi[0, j]:.2f}; base {q.base[j]:.2f})"
                 for j, lab in enumerate(q.labels)]
        out.append(f"{q.source}→{q.target}, {q.months[0]}: " + "; ".join(parts))
    return out


_BLOCK_NOTE = ("Forecast share of next month's events by QuadClass, 90% interval, with the "
               "dyad's base rate; on held-out months of 2015 (Kazakhstan's dyads, ICEWS) it scores "
               "no better than that base rate (Brier skill score about 0).")


def _cell(c: dict[str, Any]) -> str:
    return f"{c['p']:.2f} ({c['lo']:.2f}–{c['hi']:.2f}; base {c['base_rate']:.2f})"


def forecast_block_html(rows: list[dict[str, Any]]) -> str:
    """An HTML table of :func:`tightrope.events.forecast_service.forecast_block` rows."""
    ok = [r for r in rows if "classes" in r]
    if not ok:
        return ""
    labels = [c["label"] for c in ok[0]["classes"]]
    head = "".join(f"<th>{html.escape(x)}</th>" for x in ["direction", "month", *labels])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in
                         [r["direction"], r["month"], *(_cell(c) for c in r["classes"])])
        + "</tr>" for r in ok)
    notes = "".join(f"<li>{html.escape(str(r['note']))}</li>" for r in rows if "note" in r)
    return (f"<h3>Next month</h3><p class='note'>{html.escape(_BLOCK_NOTE)}</p>"
            f"<table><tr>{head}</tr>{body}</table>" + (f"<ul>{notes}</ul>" if notes else ""))


def forecast_block_md(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown lines of the same block."""
    out = ["Next month: " + _BLOCK_NOTE, ""]
    for r in rows:
        if "classes" in r:
            out.append(f"- {r['direction']} {r['month']}: " + "; ".join(
                f"{c['label']} {_cell(c)}" for c in r["classes"]))
        else:
            out.append(f"- {r['dyad']}: {r['note']}")
    return [*out, ""]
