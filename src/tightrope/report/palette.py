"""A qualitative palette for line charts: eight colours far apart in CIELAB (matplotlib's
tab10 without its grey and purple, pairwise ΔE76 ≥ 40), then the same colours again with
another line style, so that every series of a chart has its own (colour, line style) pair."""

from __future__ import annotations

__all__ = ["DASHES", "PALETTE", "mpl_style", "style"]

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#8c564b", "#e377c2", "#bcbd22",
           "#17becf")
#: Plotly dash names and their matplotlib line styles.
DASHES = ("solid", "dash", "dot", "dashdot")
_MPL = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-."}


def style(i: int) -> tuple[str, str]:
    """Colour and Plotly dash of series ``i`` (distinct for the first 32 series)."""
    return PALETTE[i % len(PALETTE)], DASHES[(i // len(PALETTE)) % len(DASHES)]


def mpl_style(i: int) -> tuple[str, str]:
    """Colour and matplotlib line style of series ``i``."""
    c, d = style(i)
    return c, _MPL[d]
