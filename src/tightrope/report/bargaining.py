"""Charts of a bargaining forecast (matplotlib, PNG): positions per round, forecast band.

Consumes :class:`tightrope.bargaining.ForecastResult` only. Uses the object-oriented
matplotlib API (``Figure``), so no global backend is selected.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tightrope.bargaining import ForecastResult
from tightrope.report.palette import mpl_style

__all__ = ["positions_figure", "write_positions_png"]


def positions_figure(result: ForecastResult) -> Figure:
    """Each actor's position per round, with the median and weighted mean; the rounds a
    cycle (or an unsettled run's last half) spans are shaded. A second panel shows the Monte
    Carlo distribution of forecasts when there is one."""
    traj = result.trajectory
    st = traj.settlement
    mc = result.monte_carlo
    fig = Figure(figsize=(11, 6.5 if mc is None else 9), layout="constrained")
    if mc is None:
        ax = fig.add_subplot(1, 1, 1)
        ax_mc = None
    else:
        gs = fig.add_gridspec(2, 1, height_ratios=(3, 1.3))
        ax, ax_mc = fig.add_subplot(gs[0]), fig.add_subplot(gs[1])
    rounds = np.arange(traj.positions.shape[0])
    for i, name in enumerate(traj.names):
        colour, ls = mpl_style(i)
        ax.plot(rounds, traj.positions[:, i], marker="o", markersize=3, linewidth=1.2,
                color=colour, linestyle=ls, label=name, alpha=0.85)
    ax.plot(rounds, traj.medians, color="black", linewidth=2.6, linestyle="--", label="median")
    ax.plot(rounds, traj.means, color="dimgray", linewidth=2.6, linestyle=":",
            label="weighted mean")
    if st.status != "converged":
        lo, hi = st.window
        ax.axvspan(lo, hi, color="gold", alpha=0.18,
                   label="cycle" if st.status == "cycle" else "unsettled window")
    title = result.actors.meta.get("title") or (result.actors.source or "bargaining")
    status = {"converged": f"converged after round {st.round}",
              "cycle": f"cycles with period {st.period} (detected at round {st.round})",
              "unsettled": f"not settled after {st.round} rounds"}[st.status]
    ax.set_title(f"{title}\n{result.options.name} variant — {status}", fontsize=11)
    ax.set_xlabel("round")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    unit = (result.actors.meta.get("scale") or {}).get("unit", "position")
    ax.set_ylabel(str(unit))
    ax.grid(True, alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    if "illustrative" in str(result.actors.meta.get("status", "")):
        ax.text(0.01, 0.01, "Illustrative expert-judgement inputs — not data",
                transform=ax.transAxes, fontsize=8, color="firebrick", va="bottom")
    if ax_mc is not None and mc is not None:
        bins = min(40, max(10, mc.runs // 25))
        ax_mc.hist(mc.medians, bins=bins, alpha=0.6, color="black", label="median forecast")
        ax_mc.hist(mc.means, bins=bins, alpha=0.5, color="tab:blue",
                   label="weighted-mean forecast")
        ax_mc.set_title(f"Monte Carlo: {mc.runs} runs, seed {mc.seed}", fontsize=10)
        ax_mc.set_xlabel(str(unit))
        ax_mc.set_ylabel("runs")
        ax_mc.legend(fontsize=8, frameon=False)
    return fig


def write_positions_png(result: ForecastResult, path: Path, dpi: int = 120) -> Path:
    """Save :func:`positions_figure` as a PNG and return the path."""
    fig = positions_figure(result)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, format="png")
    return path
