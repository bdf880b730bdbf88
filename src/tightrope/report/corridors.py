"""Corridor rendering: offline Plotly map and HTML sections, and a matplotlib PNG map.

Consumes the result objects of :mod:`tightrope.corridors` only. Each edge is drawn along its
waypoints (``edges.csv``), sea legs on great circles; widths grow with the square root of
the flow; fewer labels, none closer than 4 degrees to another.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tightrope.corridors import (
    BacktestResult,
    DisruptionResult,
    FlowResult,
    Network,
    RouteResult,
)
from tightrope.corridors.geometry import edge_points, label_nodes
from tightrope.report.numbers import MINUS
from tightrope.report.offline import esc, figure_div, page

__all__ = ["backtest_section", "corridor_map", "corridors_html", "disruption_section",
           "flows_section", "market_section", "network_section", "route_section",
           "write_map_png"]

EXTENT = {"lon": (-25.0, 128.0), "lat": (-38.0, 62.0)}
#: PNG labels: paired border stations share one label; crowded nodes get offsets (points).
LABELS = {"dostyk": ("Dostyk/Alashankou", (4, 4)), "altynkol": ("Khorgos/Altynkol", (4, -9)),
          "manzhouli": ("Manzhouli/Zabaykalsk", (-40, 6)),
          "brest": ("Brest/Małaszewicze", (-20, 6)), "aktau": ("Aktau", (-24, 3)),
          "kuryk": ("Kuryk", (-6, -9)), "batumi": ("Batumi", (-26, -6)),
          "poti": ("Poti", (-16, 4)), "kars": ("Kars", (2, -8)), "tbilisi": ("Tbilisi", (3, 3)),
          "suez": ("Suez", (4, -6)), "port_said": ("Port Said", (4, 3)),
          "duisburg": ("Duisburg", (3, -8)), "rotterdam": ("Rotterdam", (-46, 3))}
#: Which nodes get a label, most important first; a node too close to a labelled one is left
#: unlabelled (hover shows it) so labels never pile up around the Caspian.
LABEL_PRIORITY = ("shanghai", "xian", "rotterdam", "duisburg", "moscow", "dostyk", "almaty",
                  "aktau", "alat", "tbilisi", "istanbul", "constanta", "budapest", "brest",
                  "tehran", "bandar_abbas", "suez", "bab_el_mandeb", "singapore",
                  "cape_good_hope", "manzhouli", "petropavl", "poti", "beyneu", "kars",
                  "altynkol", "kuryk", "gorgan", "sarakhs", "aktogay", "port_said")
LABEL_MIN_DEG = 4.0
CLOSED, DEGRADED, IDLE = "#c0392b", "#e67e22", "#b8bec7"


_e = esc


def _n(x: float | None, nd: int = 0) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.{nd}f}"


def _usd(x: float | None) -> str:
    return "–" if x is None else f"{MINUS if x < 0 else ''}${abs(x) / 1e6:,.1f}m"


def _band(b: Sequence[float | None] | None, nd: int = 0) -> str:
    """A 5–95% range as "low to high" (true minus signs; never "--")."""
    return (f"{_n(b[0], nd)} to {_n(b[1], nd)}".replace("-", MINUS) if b else "–")


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]],
           num: Sequence[int] | None = None, quote: Sequence[int] = ()) -> str:
    """An HTML table; columns in ``num`` (default: all but the first) align right; columns in
    ``quote`` hold text quoted from a source (kept as written)."""
    cols = set(range(1, len(head))) if num is None else set(num)
    h = "".join(f"<th>{_e(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(
        (f"<td class='quote'>{_e(c)}</td>" if j in quote else
         f"<td{' class=num' if j in cols else ''}>{_e(c)}</td>") for j, c in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _lines(net: Network, i: int) -> tuple[list[float], list[float]]:
    """The edge along its waypoints (sea legs on great circles)."""
    pts = edge_points(net, i)
    return [p[1] for p in pts], [p[0] for p in pts]


def _width(teu: float, top: float) -> float:
    """Line width by flow, on a square-root scale so that a flow 100 times smaller is still
    visibly thinner (a log scale made 20k and 700k TEU look alike)."""
    return 0.9 + 7.0 * math.sqrt(max(teu, 0.0) / top) if top > 0 else 0.9


def _state(res: FlowResult | DisruptionResult) -> tuple[FlowResult, dict[str, str]]:
    """The flow result to draw and edge id -> 'closed' / 'degraded'."""
    flows = res.disrupted if isinstance(res, DisruptionResult) else res
    marks = {k: ("closed" if v.closed else "degraded")
             for k, v in flows.evaluation.effects.items()}
    return flows, marks


def _flow_level(teu: float, top: float) -> float:
    """0..1 on a log scale from 100 TEU to the largest flow."""
    if teu <= 0:
        return 0.0
    return max(0.0, min(1.0, math.log10(max(teu, 100) / 100) / max(math.log10(top / 100), 1e-9)))


def corridor_map(res: FlowResult | DisruptionResult, title: str = "") -> Any:
    """Plotly Scattergeo map: edges coloured and sized by flow, disrupted edges marked."""
    import plotly.graph_objects as go
    from plotly.colors import sample_colorscale

    flows, marks = _state(res)
    net = flows.network
    edge_teu = flows.summary.edge_teu
    top = max(float(edge_teu.max()), 1000.0)
    state = flows.evaluation.state
    fig = go.Figure()
    for i, e in enumerate(net.edges):
        lon, lat = _lines(net, i)
        teu = float(edge_teu[i])
        mark = marks.get(e.id)
        lvl = _flow_level(teu, top)
        color = sample_colorscale("Viridis", [lvl])[0] if teu > 0 else IDLE
        line: dict[str, Any] = {"color": color, "width": _width(teu, top) if teu > 0 else 1}
        if mark:
            line = {"color": CLOSED if mark == "closed" else DEGRADED, "width": 2.5,
                    "dash": "dot" if mark == "closed" else "dash"}
        text = (f"{net.node(e.a).name} – {net.node(e.b).name} ({e.mode})<br>"
                f"flow {teu:,.0f} TEU/yr of capacity {state.capacity[i]:,.0f}<br>"
                f"{state.days[i]:.1f} days, ${state.cost[i]:,.0f}/FEU"
                + (f"<br><b>{mark}</b> by scenario" if mark else ""))
        fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", line=line, hoverinfo="text",
                                    text=text, showlegend=False, name=e.id))
    fig.add_trace(go.Scattergeo(
        lon=[None], lat=[None], mode="markers", showlegend=False, hoverinfo="skip",
        marker={"colorscale": "Viridis", "cmin": 2, "cmax": math.log10(top), "color": [2],
                "showscale": True, "colorbar": {"title": "log10 TEU/yr", "thickness": 12}}))
    for label, color, dash in (("closed by scenario", CLOSED, "dot"),
                               ("degraded by scenario", DEGRADED, "dash")):
        if any(v == label.split()[0] for v in marks.values()):
            fig.add_trace(go.Scattergeo(lon=[None], lat=[None], mode="lines", name=label,
                                        line={"color": color, "dash": dash, "width": 2.5}))
    shown = set(label_nodes(net, LABEL_PRIORITY, LABEL_MIN_DEG))
    fig.add_trace(go.Scattergeo(
        lon=[n.lon for n in net.nodes], lat=[n.lat for n in net.nodes], mode="markers+text",
        text=[LABELS.get(n.id, (n.name, None))[0] if n.id in shown else "" for n in net.nodes],
        textposition="top center", textfont={"size": 9},
        marker={"size": 5, "color": "#1d232a"}, hoverinfo="text", showlegend=False,
        hovertext=[f"{n.name} ({n.iso3 or 'at sea'}), {n.kind}" for n in net.nodes]))
    fig.update_geos(projection_type="natural earth", showcountries=True, showland=True,
                    landcolor="#f4f4f4", countrycolor="#aaa", showocean=True,
                    oceancolor="#eef4fa", lonaxis_range=list(EXTENT["lon"]),
                    lataxis_range=list(EXTENT["lat"]), showframe=False)
    fig.update_layout(height=560, margin={"l": 0, "r": 0, "t": 40, "b": 0},
                      title=title or "China–Europe corridors: flow by edge",
                      legend={"x": 0.01, "y": 0.02})
    return fig


def write_map_png(res: FlowResult | DisruptionResult, path: Path, title: str = "") -> Path:
    """The corridor map as a PNG (matplotlib, country outlines from the shipped topology)."""
    from matplotlib import colormaps, colors
    from matplotlib.cm import ScalarMappable
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from tightrope.report.geo import country_rings

    flows, marks = _state(res)
    net = flows.network
    edge_teu = flows.summary.edge_teu
    top = max(float(edge_teu.max()), 1000.0)
    fig = Figure(figsize=(12, 7.2))
    ax = fig.subplots()
    for rings in country_rings().values():
        for r in rings:
            ax.fill(r[:, 0], r[:, 1], facecolor="#f1f1ee", edgecolor="#b5b5b5", linewidth=0.3)
    cmap = colormaps["viridis"]
    norm = colors.LogNorm(vmin=100, vmax=top)
    order = sorted(range(len(net.edges)), key=lambda i: edge_teu[i])
    for i in order:
        e = net.edges[i]
        lon, lat = _lines(net, i)
        teu = float(edge_teu[i])
        mark = marks.get(e.id)
        if mark:
            ax.plot(lon, lat, color=CLOSED if mark == "closed" else DEGRADED, linewidth=2.2,
                    linestyle=":" if mark == "closed" else "--", zorder=4)
        elif teu > 0:
            ax.plot(lon, lat, color=cmap(norm(max(teu, 100))), linewidth=_width(teu, top),
                    solid_capstyle="round", zorder=3)
        else:
            ax.plot(lon, lat, color=IDLE, linewidth=0.8, zorder=2)
    ax.scatter([n.lon for n in net.nodes], [n.lat for n in net.nodes], s=10, color="#1d232a",
               zorder=5)
    for nid in label_nodes(net, LABEL_PRIORITY, LABEL_MIN_DEG):
        n = net.node(nid)
        label, off = LABELS.get(n.id, (n.name, (3, 3)))
        ax.annotate(label, (n.lon, n.lat), xytext=off, textcoords="offset points",
                    fontsize=6.5, zorder=6)
    sm = ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01, label="TEU per year on the edge")
    handles = [Line2D([], [], color=CLOSED, linestyle=":", linewidth=2.2,
                          label="closed by scenario"),
               Line2D([], [], color=DEGRADED, linestyle="--", linewidth=2.2,
                          label="degraded by scenario"),
               Line2D([], [], color=IDLE, linewidth=1, label="no flow")]
    ax.legend(handles=handles, loc="lower left", fontsize=8)
    ax.set_xlim(*EXTENT["lon"])
    ax.set_ylim(*EXTENT["lat"])
    ax.set_aspect(1.15)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or "China–Europe corridors: flow by edge", fontsize=11)
    ax.set_xlabel("longitude, °E")
    ax.set_ylabel("latitude, °N")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)
    return path


def route_section(res: RouteResult) -> str:
    j = res.to_json()
    rows = [[r["rank"], r["corridor_name"], " → ".join(r["route"]),
             f"{_n(r['days']['value'], 1)} ({_n(r['days']['low'], 1)}–{_n(r['days']['high'], 1)})",
             f"{_n(r['freight_usd_per_feu']['value'])} ({_n(r['freight_usd_per_feu']['low'])}–"
             f"{_n(r['freight_usd_per_feu']['high'])})", _n(r["risk_premium_usd_per_feu"]),
             _n(r["generalised_cost_usd_per_feu"]), r["gauge_breaks"]] for r in j["routes"]]
    return (f"<h2>Best routes {_e(res.origin.name)} → {_e(res.destination.name)}</h2>"
            f"<p class='note'>Generalised cost per FEU = freight + value of time "
            f"(${res.vot_usd_per_feu_day:,.0f} per FEU-day, an assumption) × days + risk "
            "premium. Ranges put every edge at its low or high figure.</p>"
            + _table(["#", "corridor", "route", "days", "freight $/FEU", "risk $", "GC $",
                      "gauge breaks"], rows, num=(0, 3, 4, 5, 6, 7)))


def flows_section(res: FlowResult, div_id: str = "corridor-flows") -> str:
    j = res.to_json()
    f = j["focal"]
    rows = [[c["name"], _n(c["teu"]), f"{100 * (c['share'] or 0):.1f}%", _band(c["teu_band"]),
             _n(c["mean_days"], 1), _n(c["mean_freight_usd_per_feu"])] for c in j["corridors"]]
    countries = [[c["iso3"], _n(c["teu"]), _n((c["revenue_usd"] or 0) / 1e6, 1),
                  _band([x / 1e6 if x is not None else None for x in c["revenue_band_usd"]], 1)
                  if c["revenue_band_usd"] else "–"] for c in j["countries"]]
    m = j["manifest"]
    band = f" (5–95%: {_band(f['revenue_band_usd'])})" if f["revenue_band_usd"] else ""
    return (
        f"<h2>Flows: {_e(_n(j['demand']['value']))} TEU/yr China → Europe ({_e(j['method'])})</h2>"
        f"<p>Kazakhstan carries <b>{_n(f['transit_teu'])}</b> TEU/yr in transit and keeps "
        f"<b>{_usd(f['revenue_usd'])}</b> a year{_e(band)}; "
        f"${_n(f['revenue_per_transit_feu_usd'])} per transit FEU. {_e(f['formula'])}. "
        f"Unserved: {_n(j['unserved_teu'])} TEU. Runs: {m['parameters']['runs']}, "
        f"seed {m['seed']}.</p>"
        + figure_div(corridor_map(res), div_id)
        + _table(["corridor", "TEU/yr", "share", "5–95% TEU", "mean days", "mean $/FEU"], rows)
        + "<h3>Transit revenue by country</h3>"
        + _table(["country", "TEU/yr crossing", "revenue $m/yr", "5–95% $m"], countries))


def disruption_section(res: DisruptionResult, div_id: str = "corridor-disruption") -> str:
    j = res.to_json()
    names = " + ".join(s["title"] for s in j["scenarios"])
    desc = "".join(f"<li><b>{_e(s['name'])}</b>: {_e(s['description'])}</li>"
                   for s in j["scenarios"])
    rows = [[c["name"], _n(c["baseline_teu"]), _n(c["disrupted_teu"]), _n(c["change_teu"]),
             _n(c["change_pct"], 1), _band(c["change_band_teu"])] for c in j["corridors"]]
    p = j["penalties"]
    gains = [[g["iso3"], g["role"], _n((g["revenue_change_usd"] or 0) / 1e6, 1),
              _band([x / 1e6 if x is not None else None
                     for x in g["revenue_change_band_usd"]], 1)
              if g["revenue_change_band_usd"] else "–", _n(g["teu_change"])]
             for g in j["who_gains"]]
    f = j["focal"]
    fb = f["revenue_change_band_usd"]
    fband = _band([x / 1e6 if x is not None else None for x in fb], 1) if fb else "–"
    return (
        f"<h2>Disruption: {_e(names)}</h2><ul>{desc}</ul>"
        f"<p>Mean transit time {p['mean_days']['baseline']} → {p['mean_days']['disrupted']} "
        f"days (change {p['mean_days']['change']}, band {_band(p['mean_days']['change_band'], 2)});"
        f" mean freight ${_n(p['mean_freight_usd_per_feu']['baseline'])} → "
        f"${_n(p['mean_freight_usd_per_feu']['disrupted'])} per FEU. Kazakhstan's transit "
        f"revenue changes by <b>{_usd(f['revenue_change_usd'])}</b>/yr "
        f"(band {_e(fband)}, $m).</p>"
        + figure_div(corridor_map(res, f"After: {names}"), div_id)
        + _table(["corridor", "baseline TEU", "disrupted TEU", "change", "change %",
                  "5–95% change"], rows)
        + "<h3>Who gains, who loses (transit revenue)</h3>"
        + _table(["country", "role", "change $m/yr", "5–95% $m", "change TEU"], gains,
                 num=(2, 3, 4))
        + (market_section(j["market"]) if j.get("market") else ""))


def _signed_m(x: float | None) -> str:
    """US$ millions with an explicit sign: +$12.3m, -$4.5m (never '+-')."""
    return "–" if x is None else f"{'+' if x >= 0 else MINUS}${abs(x) / 1e6:,.1f}m"


def market_section(mk: dict[str, Any]) -> str:
    """What the disruption means for Kazakhstan, from the calibrated market model."""
    rows = [[r["name"], r["unit"], _n(r["before"]), _n(r["after"]), f"{r['change']:+,}",
             _band(r["change_band"])] for r in mk["corridors"]]
    mc = mk["middle_corridor"]
    head = [[h["name"], f"{_n(h['flow'])} {h['unit']}", _n(h["capacity"]),
             f"{100 * (h['utilisation'] or 0):.0f}%", f"{h['queue_days']:.1f}",
             _n(h["middle_t_when_binding"]), "yes" if h["binds_first"] else ""]
            for h in mc["headroom_after"]]
    gains = [[g["iso3"], _signed_m(g["before_usd"]).lstrip("+"),
              _signed_m(g["after_usd"]).lstrip("+"), _signed_m(g["change_usd"]),
              " … ".join(_signed_m(x) for x in g["change_band_usd"])
              if g["change_band_usd"] else "–"] for g in mk["who_gains"]]
    k = mk["kazakhstan"]
    kaz = [[r["corridor"], _signed_m(r["before"]).lstrip("+"), _signed_m(r["after"]).lstrip("+")]
           for r in k["revenue_by_corridor_usd"]]
    return (
        f"<h3>Market model, {mk['year']} conditions (calibrated on 2019 and 2021)</h3>"
        "<p class='note'>Containers both ways in TEU, regional cargo in tonnes; "
        f"{_e(mk['band'] or 'central values only')}.</p>"
        + _table(["corridor", "unit", "before", "after", "change", "5–95% change"], rows,
                 num=(2, 3, 4, 5))
        + "<h4>Middle Corridor headroom: which bottleneck binds first, at what volume</h4>"
        + _table(["bottleneck", "flow", "capacity", "used", "queue days",
                  "binds at (Middle Corridor t/yr)", "first"], head, num=(1, 2, 3, 4, 5))
        + "<h4>Who gains, who loses: transit revenue, US$ per year</h4>"
        + _table(["country", "before", "after", "change", "5–95% change"], gains)
        + "<h4>Kazakhstan's transit revenue by corridor, US$ per year</h4>"
        + _table(["corridor", "before", "after"], kaz)
        + f"<p class='note'>{_e(k['formula'])}</p>")


def backtest_section(res: BacktestResult) -> str:
    j = res.to_json()
    rows = []
    for r in j["rows"]:
        unit = r["change_unit"]
        m = r["model"]
        rows.append([f"{r['what']} ({r['period']})" + (" *" if r["headline"] else ""),
                     r["observed"]["text"], f"{_n(r['observed']['change'], 1)} {unit}",
                     f"{_n(m['change'], 1)} {unit}", _band(m["band"], 1), r["direction"],
                     "yes" if r["within_50pct"] else "no"])
    cal = j["calibration"]
    crow = [[t["target"], f"{t['observed']:,}", f"{t['modelled']:,}",
             f"{t['log_residual']:+.3f}"] for t in cal["targets"]]
    g = j["goal"]
    src = "".join(f"<li>{_e(s['publisher'])} ({_e(s['year'])}): {_e(s['title'])}. "
                  f"<span class='note'>{_e(s['url'])}</span></li>" for s in j["sources"])
    misses = "".join(f"<li>{_e(x)}</li>" for x in j["misses"]) or "<li>none</li>"
    return ("<h2>Back-test: model against what happened</h2>"
            f"<p class='note'>Calibrated on {cal['method']}; run out of sample for 2022-24. "
            f"{_e(j['verdicts'])}. Monte Carlo: {j['manifest']['parameters']['runs']} runs, seed "
            f"{j['manifest']['seed']}. * = headline row.</p>"
            + _table(["observation", "observed", "observed change", "model change", "5–95%",
                      "direction", "within ±50%"], rows, num=(2, 3, 4), quote=(1,))
            + f"<p>Goal: direction right in every row — "
              f"{'yes' if g['direction_right_in_every_row'] else 'no'}; headline rows within "
              f"±50%: {g['headline_within_50pct']} of {g['headline_rows']} (goal 4) — "
              f"{'met' if g['met'] else 'not met'}.</p>"
            + "<h3>Calibration (2019 and 2021)</h3>"
            + _table(["target", "observed", "modelled", "log residual"], crow)
            + f"<h3>Where the model misses, and what it lacks</h3><ul>{misses}</ul>"
            + f"<h3>Sources</h3><ul>{src}</ul>")


def network_section(net: Network) -> str:
    rows = [[e.id, e.mode, f"{e.distance_km.central:,.0f}",
             f"{e.days.low:g}–{e.days.high:g}", f"{e.cost_usd.low:,.0f}–{e.cost_usd.high:,.0f}",
             f"{e.capacity_teu.low:,.0f}–{e.capacity_teu.high:,.0f}", e.gauge_break or "",
             ", ".join(sorted(e.tags)), e.rule] for e in net.edges]
    basis = "".join(f"<li><b>{_e(b.key)}</b> ({_e(b.kind)}): {_e(b.rationale)}"
                    + (f" <span class='note'>[{_e(', '.join(b.sources))}]</span>"
                       if b.sources else "") + "</li>" for b in net.basis.values())
    return ("<h2>The network</h2><p class='note'>Every figure is an assumption with a range "
            "unless its basis says fact; the bases cite the sources that inform them.</p>"
            + _table(["edge", "mode", "km", "days", "$/FEU", "TEU/yr", "gauge", "risk tags",
                      "basis"], rows, num=(2, 3, 4, 5))
            + f"<h3>Bases</h3><ul class='note'>{basis}</ul>")


def corridors_html(sections: Sequence[str], title: str = "Tightrope corridors") -> str:
    """A self-contained offline page from sections made by the functions above."""
    return page(title, sections, subtitle="China–Europe trade routes under disruption. "
                "Every figure is sourced or labelled as an assumption with a range.")
