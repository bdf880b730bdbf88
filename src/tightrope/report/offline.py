"""Self-contained HTML pages with Plotly charts and maps that work offline.

plotly.js is inlined, and the world topology Plotly would fetch from its CDN is seeded into
``window.PlotlyGeoAssets`` before any figure is drawn (the recipe in
``../shared/data/plotly-topojson/SOURCE.md``). ``topojsonURL`` points at a ``data:`` URL as a
guard, so a page never reaches the network.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["esc", "figure_div", "html_table", "page", "plotly_script", "topojson_seed"]


def esc(x: Any) -> str:
    """HTML-escaped text of any value."""
    return html.escape(str(x))


def html_table(head: Sequence[str], rows: Sequence[Sequence[Any]], num_from: int = 1) -> str:
    """A plain HTML table; columns from ``num_from`` on are right-aligned numbers."""
    h = "".join(f"<th>{esc(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(
        f"<td{' class=num' if j >= num_from else ''}>{esc(c)}</td>" for j, c in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"

PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": "data:,unused/",
    "displaylogo": False,
    "responsive": True,
}


@lru_cache(maxsize=1)
def plotly_script() -> str:
    """The plotly.js bundle shipped with the plotly package, as an inline <script>."""
    from plotly.offline import get_plotlyjs

    return f'<script type="text/javascript">{get_plotlyjs()}</script>'


@lru_cache(maxsize=1)
def topojson_seed() -> str:
    """A <script> that hands Plotly the world_110m and world_50m topologies."""
    root = resources.files("tightrope.data").joinpath("maps")
    w110 = root.joinpath("world_110m.json").read_text("utf-8")
    w50 = root.joinpath("world_50m.json").read_text("utf-8")
    return ('<script>window.PlotlyGeoAssets={topojson:{"world_110m":' + w110
            + ',"world_50m":' + w50 + "}};</script>")


def figure_div(fig: Any, div_id: str) -> str:
    """One figure as a <div> plus script (no plotly.js; the page carries it once)."""
    import plotly.io as pio

    out: str = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                           config=PLOTLY_CONFIG)
    return out


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1d232a;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em} h2{border-bottom:1px solid #ccd;padding-bottom:.2em;
margin-top:1.8em} table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #d5d9e0;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f4f7} td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#555;font-size:.9em} .assumption{color:#8a4b00} .unknown{color:#999}
.tag{display:inline-block;padding:0 .4em;border-radius:3px;background:#eef;font-size:.85em}
#key-judgements{background:#f6f8fb;border:1px solid #d5d9e0;padding:.2em 1em .6em}
#key-judgements h2{margin-top:.4em} ol.kj li{margin:.45em 0} nav.toc h3{margin:.6em 0 .2em}
nav.toc ul{columns:2;margin:0;list-style:none;padding-left:1em}
@media print{body{max-width:none;margin:0} h2{break-before:page} #key-judgements h2{
break-before:auto} tr{break-inside:avoid} img,.plotly-graph-div{break-inside:avoid}
a{color:inherit}}
"""


def page(title: str, sections: Sequence[str], *, with_maps: bool = True,
         subtitle: str = "") -> str:
    """A complete HTML document: inline CSS, plotly.js, topology seed, then the sections."""
    head = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>")
    seed = topojson_seed() if with_maps else ""
    sub = f'<p class="note">{html.escape(subtitle)}</p>' if subtitle else ""
    return (head + seed + plotly_script() + f"<h1>{html.escape(title)}</h1>" + sub
            + "\n".join(sections) + "</body></html>")
