"""Rendering of the evidence back-test: a reliability diagram (PNG)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_reliability_png"]


def write_reliability_png(rows: list[dict[str, Any]], path: Path) -> None:
    """Reliability diagram: observed frequency against mean forecast per bin, one panel per
    data set (MID, leave-one-country-out, ICEWS); marker area ~ number of forecasts."""
    from matplotlib.figure import Figure

    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["key"].split(".")[0], []).append(r)
    fig = Figure(figsize=(5.2 * len(groups), 5.0))
    axes = fig.subplots(1, len(groups), squeeze=False)
    for ax, (name, rs) in zip(axes[0], groups.items(), strict=True):
        top = max([0.05] + [b["forecast"] for r in rs for b in r["reliability"]]
                  + [b["observed"] for r in rs for b in r["reliability"]])
        ax.plot([0, top], [0, top], color="#888888", lw=1, ls="--", label="perfect reliability")
        for r in rs:
            bins = r["reliability"]
            ax.scatter([b["forecast"] for b in bins], [b["observed"] for b in bins],
                       s=[10 + 8 * b["n"] ** 0.5 for b in bins], alpha=0.6,
                       label=f"{r['key'].split('.', 1)[1]} (BSS {r['skill']:+.2f})")
        ax.set_xlim(0, top * 1.05)
        ax.set_ylim(0, top * 1.05)
        ax.set_xlabel("mean forecast probability in bin")
        ax.set_ylabel("observed frequency")
        ax.set_title({"mid": "MID: fit 1992-2007, test 2008-14",
                      "mid_loco": "MID: leave one country out",
                      "icews": "ICEWS: fit 2005-13, test 2014-15"}.get(name, name), fontsize=10)
        ax.legend(fontsize=6.5, loc="upper left")
    fig.suptitle("Reliability of the reference-class forecasts (marker area ~ forecasts)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
