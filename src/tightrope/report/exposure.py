"""Exposure report: self-contained HTML (map, heat map, bars, index with band, tables),
Markdown and PNG figures. Consumes an :class:`~tightrope.exposure.ExposureResult` only."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tightrope.exposure import ExposureResult
from tightrope.exposure.claims import format_claim_value
from tightrope.report.numbers import percent, percent_ticks
from tightrope.report.offline import esc, figure_div, page
from tightrope.report.palette import PALETTE

if TYPE_CHECKING:
    from tightrope.report.judgements import Judgement

__all__ = [
    "drawn_band",
    "exposure_figures",
    "exposure_html",
    "exposure_markdown",
    "exposure_parts",
    "exposure_sections",
    "write_pngs",
]

COLORS = {"RUS": "#c0392b", "CHN": "#e67e22", "EUU": "#2e86c1", "USA": "#1b4f72",
          "TUR": "#16a085", "IRN": "#7d3c98", "GCC": "#239b56", "ISR": "#5d6d7e"}


_e = esc


def _pct(x: float | None) -> str:
    return "unknown" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.0%}"


def _f(x: float | None, nd: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


#: What the balance chart draws: the bar is the index at the central inputs (the table's
#: value); the whisker is the Monte Carlo band widened to include it.
BAND_CAPTION = ("Bar: the index at the central inputs (the value in the table). Whisker: the "
                "Monte Carlo 5–95% band, extended to the bar where the central value falls "
                "outside it (skewed or censored inputs).")


def drawn_band(v: float | None, lo: float | None, hi: float | None) -> tuple[float, float]:
    """The band drawn around estimate ``v``: the Monte Carlo band [lo, hi] widened to
    contain ``v`` (so the drawn point never lies outside its own band)."""
    if v is None or math.isnan(v):
        return (math.nan, math.nan)
    los = [x for x in (lo, v) if x is not None and not math.isnan(x)]
    his = [x for x in (hi, v) if x is not None and not math.isnan(x)]
    return (min(los), max(his))


def _members(res: ExposureResult, power: str) -> list[str]:
    return sorted(res.inputs.bloc_members.get(power, {power}))


def exposure_figures(res: ExposureResult) -> dict[str, Any]:
    """Plotly figures: map, heat map, channel bars, balance index, threat ring."""
    import plotly.graph_objects as go

    m = res.matrix
    names = res.inputs.names
    share = m.shares()
    vec = {p: v["value"] for p, v in m.vector()["mean_share"].items()}
    figs: dict[str, Any] = {}

    locs, z, text = [], [], []
    for p in m.powers:
        v = vec.get(p)
        for iso in _members(res, p):
            locs.append(iso)
            z.append(v if v is not None else 0.0)
            text.append(f"{names.get(p, p)}: mean dependence share {_pct(v)}")
    power_members = set(locs)
    nb = [n for n in res.threat.neighbours if n["iso3"] not in power_members]
    fig = go.Figure()
    neighbour_codes = {n["iso3"] for n in res.threat.neighbours}
    fig.add_trace(go.Choropleth(locations=locs, z=z, locationmode="ISO-3", colorscale="Reds",
                                zmin=0, zmax=max([*z, 0.01]), text=text, hoverinfo="text",
                                marker={"line": {"color": ["#222" if loc in neighbour_codes
                                                           else "#888" for loc in locs],
                                                 "width": [1.6 if loc in neighbour_codes
                                                           else 0.4 for loc in locs]}},
                                colorbar={"title": "dependence<br>share"}, name="powers"))
    fig.add_trace(go.Choropleth(
        locations=[n["iso3"] for n in nb], z=[n["threat_weight"] for n in nb],
        locationmode="ISO-3", colorscale="Greys", zmin=0, zmax=1, showscale=False,
        marker={"line": {"color": "#333", "width": 1.2}}, hoverinfo="text",
        text=[f"neighbour {n['name']}: {n['border_km']:,.0f} km border, threat weight "
              f"{n['threat_weight']:.0%}" for n in nb], name="neighbours"))
    fig.add_trace(go.Choropleth(locations=[res.focal], z=[1], locationmode="ISO-3",
                                colorscale=[[0, "#f1c40f"], [1, "#f1c40f"]], showscale=False,
                                zmin=0, zmax=1,
                                marker={"line": {"color": "black", "width": 2}},
                                text=[f"{res.name} (focal)"], hoverinfo="text", name="focal"))
    fig.update_geos(projection_type="natural earth", showcountries=True, showland=True,
                    landcolor="#f4f4f4", countrycolor="#999", showframe=False, fitbounds=False,
                    projection_rotation={"lon": res.focal_lonlat[0] if res.focal_lonlat else 0},
                    lataxis_range=[-45, 85])
    fig.update_layout(height=460, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                      title=f"{res.name}: neighbours (grey, by threat weight) and powers "
                            "(red, by mean dependence share)")
    figs["map"] = fig

    ch = list(m.channels)
    zt = [[None if math.isnan(v) else round(v, 3) for v in row] for row in m.d]
    annot = [["unknown" if v is None else f"{v:.2f}" for v in row] for row in zt]
    heat = go.Figure(go.Heatmap(z=zt, x=ch, y=[names.get(p, p) for p in m.powers],
                                colorscale="YlOrRd", zmin=0, zmax=1, text=annot,
                                texttemplate="%{text}", hoverongaps=False,
                                colorbar={"title": "D"}))
    heat.update_layout(title="Dependence matrix D[power, channel] (blank = unknown)",
                       height=360, margin={"t": 40},
                       yaxis={"autorange": "reversed", "title": "power"},
                       xaxis_title="channel")
    figs["heatmap"] = heat

    bars = go.Figure()
    for i, p in enumerate(m.powers):
        bars.add_trace(go.Bar(name=names.get(p, p), x=ch,
                              y=[None if math.isnan(v) else v for v in share[i]],
                              marker_color=PALETTE[i % len(PALETTE)]))
    bars.update_layout(barmode="group", title="Each power's share of the dependence, by channel",
                       yaxis={"tickformat": ".0%", "title": "share of the dependence"},
                       xaxis_title="channel", height=380, margin={"t": 40})
    figs["bars"] = bars

    idx = [None if math.isnan(v) else v for v in m.channel_index] + [m.overall]
    drawn = [drawn_band(v, low, h) for v, low, h in
             zip(idx, [*m.channel_band[0], m.overall_band[0]],
                 [*m.channel_band[1], m.overall_band[1]], strict=True)]
    err_p = [0.0 if v is None else h - v for v, (_, h) in zip(idx, drawn, strict=True)]
    err_m = [0.0 if v is None else v - low for v, (low, _) in zip(idx, drawn, strict=True)]
    bal = go.Figure(go.Bar(x=[*ch, "overall"], y=idx,
                           marker_color=["#5dade2"] * len(ch) + ["#1f618d"],
                           error_y={"type": "data", "array": err_p, "arrayminus": err_m}))
    bal.update_layout(title={"text": "Balance index (1 = spread evenly, 0 = a single patron), "
                                     "with 5–95% band<br><sup>"
                                     + BAND_CAPTION.replace(" Whisker:", "<br>Whisker:")
                                     + "</sup>"},
                      yaxis={"range": [0, 1.05], "title": "balance index (0–1)"},
                      xaxis_title="channel", height=380, margin={"t": 90})
    figs["balance"] = bal

    ring = res.threat.neighbours  # every neighbour, powers included (the table lists all)
    weights = [float(n["threat_weight"]) for n in ring]
    ticks = percent_ticks(max(weights, default=0.0))
    tr = go.Figure(go.Bar(x=[n["name"] for n in ring], y=weights, marker_color="#7b241c",
                          text=[percent(w) for w in weights], textposition="outside"))
    tr.update_layout(title="Threat ring: neighbours' weight (border x capability x posture)",
                     xaxis_title="neighbour",
                     yaxis={"tickvals": [t for t, _ in ticks], "ticktext": [t for _, t in ticks],
                            "range": [0, ticks[-1][0] * 1.12], "title": "threat weight"},
                     height=320, margin={"t": 40})
    figs["threat"] = tr
    return figs


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]], raw: bool = False) -> str:
    h = "".join(f"<th>{_e(c)}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


PART_ORDER = ("summary", "map", "heatmap", "bars", "balance", "balance_table", "missing",
              "unknown", "threat", "conflicts", "extra", "claims", "sources", "assumptions")


def exposure_parts(res: ExposureResult, prefix: str = "") -> dict[str, str]:
    """The report's HTML parts by name (the briefing picks the ones it needs); ``prefix``
    keeps element ids unique when several countries share a page."""
    figs = exposure_figures(res)
    j = res.to_json()
    m = res.matrix
    names = res.inputs.names
    vec = j["vector"]
    parts: dict[str, str] = {}
    lean = vec["net_lean"]
    leaders = ", ".join(f"{c}: {names.get(v['power'], v['power'])}"
                        for c, v in vec["leaders"].items() if v)
    parts["summary"] = (
        f"<p>Overall balance index <b>{m.overall:.2f}</b> "
        f"(5–95% band {m.overall_band[0]:.2f}–{m.overall_band[1]:.2f}; {m.runs} Monte Carlo "
        f"draws, seed {m.seed}). Net lean: <b>{_e(names.get(lean['power'], lean['power']))}"
        f"</b> (mean share {lean['mean_share']:.0%}). Leading power by channel: {_e(leaders)}."
        "</p>" if lean else "<p>No channel has known data.</p>")
    for name in ("map", "heatmap", "bars", "balance"):
        parts[name] = figure_div(figs[name], prefix + name)
    rows = [[c, _f(v["value"]), f"{_f(v['band'][0])}–{_f(v['band'][1])}",
             names.get(vec["leaders"][c]["power"], "") if vec["leaders"].get(c) else "–"]
            for c, v in j["balance_index"]["channels"].items()]
    parts["balance_table"] = ("<h3>Balance index by channel</h3>" + _table(
        ["channel", "index", "band", "leading power"], rows)
        + f"<p class='note'>{_e(j['balance_index']['formula'])}. Why HHI: it weighs the "
          "largest shares most, which is what a 'single patron' reading needs.</p>")
    parts["missing"] = (f"<p class='unknown'>Channels with no known data for {_e(res.name)}: "
                        f"{_e(', '.join(res.missing_channels))}.</p>"
                        if res.missing_channels else "")
    unk = j["unknown_cells"]
    parts["unknown"] = ("<h3>Unknown cells (excluded from the index, never counted as 0)</h3>"
                        + _table(["power", "channel", "why"],
                                 [[names.get(u["power"], u["power"]), u["channel"], u["reason"]]
                                  for u in unk]) if unk else "")
    parts["threat"] = ("<h3>Threat ring</h3>" + figure_div(figs["threat"], prefix + "threat")
                       + _table(["neighbour", "border km", "border share", "capability share",
                                 "posture (assumption)", "threat weight"],
                                [[n["name"], f"{n['border_km']:,.0f}", _pct(n["border_share"]),
                                  _pct(n["capability_share"]),
                                  f"{n['posture']['value']} [{n['posture']['low']}–"
                                  f"{n['posture']['high']}]", _pct(n["threat_weight"])]
                                 for n in res.threat.neighbours]))
    capital = res.threat.conflicts[0]["from"] if res.threat.conflicts else ""
    parts["conflicts"] = ("<h3>Proximity to armed conflict</h3>" + _table(
        ["conflict", "active", "border hops", f"km from {capital}", "source"],
        [[c["name"], "yes" if c["active"] else f"ended {c['end']}", c["border_hops"],
          c["distance_km"], c["source"]] for c in res.threat.conflicts]))
    parts["claims"] = ("<h2>Where the op-ed's figures differ from the data</h2>"
                       "<p class='note'>Claims from Al Rantawi (2023); the data wins.</p>"
                       + _table(["claim", "op-ed", "data", "verdict", "gap", "context",
                                 "source, year"],
                                [[c["claim"], format_claim_value(c["oped"]),
                                  format_claim_value(c["data"]), c["verdict"], c["gap"],
                                  c["context"], f"{c['source']}, {c['year']}"]
                                 for c in res.claims]) if res.claims else "")
    parts["sources"] = _sources_section(res)
    parts["assumptions"] = ("<h2>Assumptions</h2><p class='note'>Modelling choices, not data; "
                            "the band samples each range.</p>" + _table(
                                ["assumption", "value", "range", "why"],
                                [[a["name"], a["value"], f"{a['low']}–{a['high']}",
                                  a["rationale"]] for a in j["assumptions"]]))
    return parts


def exposure_sections(res: ExposureResult, extra: Sequence[str] = (),
                      prefix: str = "") -> list[str]:
    """The report's HTML sections in order; ``extra`` goes after the threat ring."""
    parts = exposure_parts(res, prefix)
    parts["extra"] = "".join(extra)
    parts["summary"] = "<h2>How exposed, how balanced</h2>" + parts["summary"]
    parts["threat"] = parts["threat"].replace("<h3>Threat ring</h3>", "<h2>Threat ring</h2>")
    return [parts[k] for k in PART_ORDER if parts[k]]


def _sources_section(res: ExposureResult) -> str:
    rows = []
    for c in res.cells():
        for i in c["inputs"]:
            if i["value"] is None:
                continue
            band = f" [{i['low']:.3g}–{i['high']:.3g}]" if "low" in i else ""
            rows.append([res.inputs.names.get(c["power"], c["power"]), c["channel"],
                         i["component"], f"{i['value']:.3g}{band}", i.get("source") or "",
                         i.get("year") or "", i.get("note", "")])
    return ("<h2>Sources of every cell</h2>" + _table(
        ["power", "channel", "input", "value", "source", "year", "note"], rows))


def exposure_html(res: ExposureResult, extra: Sequence[str] = (),
                  judgements: Sequence[Judgement] = ()) -> str:
    """A self-contained offline HTML report: key judgements and contents first."""
    from tightrope.report.judgements import judgements_html, toc_html, with_heading_ids
    from tightrope.report.readable import readable_html

    sections, toc = with_heading_ids(exposure_sections(res, extra))
    *body, assumptions = sections
    sections = [judgements_html(judgements, toc_html(toc)),
                *(readable_html(x) for x in body), assumptions]
    return page(f"Tightrope exposure report: {res.name}", sections,
                subtitle=f"Powers: {', '.join(res.powers)}. Generated by tightrope; every "
                         "figure is sourced or labelled as an assumption.")


def exposure_markdown(res: ExposureResult, png_names: dict[str, str] | None = None) -> str:
    """The report as Markdown (tables; PNG figures linked if given)."""
    j = res.to_json()
    m = res.matrix
    names = res.inputs.names
    lines = [f"# Tightrope exposure report: {res.name}", "",
             f"Overall balance index **{m.overall:.2f}** (5–95% band {m.overall_band[0]:.2f}–"
             f"{m.overall_band[1]:.2f}; {m.runs} draws, seed {m.seed}).", ""]
    for key, fn in (png_names or {}).items():
        lines += [f"![{key}]({fn})", ""]
    lines += ["## Dependence matrix", "", "| power | " + " | ".join(m.channels) + " |",
              "|---" * (len(m.channels) + 1) + "|"]
    for i, p in enumerate(m.powers):
        lines.append(f"| {names.get(p, p)} | " + " | ".join(
            "unknown" if math.isnan(v) else f"{v:.2f}" for v in m.d[i]) + " |")
    lines += ["", "## Balance index", "", "| channel | index | band |", "|---|---|---|"]
    for c, v in j["balance_index"]["channels"].items():
        lines.append(f"| {c} | {_f(v['value'])} | {_f(v['band'][0])}–{_f(v['band'][1])} |")
    lines += ["", j["balance_index"]["formula"], ""]
    if j["unknown_cells"]:
        lines += ["## Unknown cells", ""] + [f"- {names.get(u['power'], u['power'])} / "
                                              f"{u['channel']}: {u['reason']}"
                                              for u in j["unknown_cells"]] + [""]
    lines += ["## Threat ring", "", "| neighbour | border km | threat weight | posture |",
              "|---|---|---|---|"]
    for n in res.threat.neighbours:
        lines.append(f"| {n['name']} | {n['border_km']:,.0f} | {n['threat_weight']:.0%} | "
                     f"{n['posture']['value']} (assumption) |")
    if res.claims:
        lines += ["", "## Where the op-ed's figures differ from the data", "",
                  "| claim | op-ed | data | verdict | source |", "|---|---|---|---|---|"]
        for c in res.claims:
            lines.append(f"| {c['claim']} | {format_claim_value(c['oped'])} | "
                         f"{format_claim_value(c['data'])} | {c['verdict']} "
                         f"{c['gap']} | {c['source']}, {c['year']} |")
    lines += ["", "## Assumptions", ""] + [f"- {a['name']} = {a['value']} "
                                           f"[{a['low']}–{a['high']}]: {a['rationale']}"
                                           for a in j["assumptions"]]
    return "\n".join(lines) + "\n"


def write_pngs(res: ExposureResult, out_dir: Path) -> dict[str, str]:
    """Heat map, channel bars, balance index and map as PNG (matplotlib). Returns file names."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    from tightrope.report.geo import country_rings

    out_dir.mkdir(parents=True, exist_ok=True)
    m = res.matrix
    names = [res.inputs.names.get(p, p) for p in m.powers]
    files: dict[str, str] = {}

    fig = Figure(figsize=(8, 0.5 * len(names) + 1.6))
    ax = fig.subplots()
    masked = np.ma.masked_invalid(m.d)
    im = ax.imshow(masked, cmap="YlOrRd", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(m.channels)), m.channels, rotation=30, ha="right")
    ax.set_yticks(range(len(names)), names)
    for (i, jx), v in np.ndenumerate(m.d):
        ax.text(jx, i, "?" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=8)
    fig.colorbar(im, ax=ax, label="dependence D")
    ax.set_title(f"{res.name}: dependence matrix (? = unknown)")
    ax.set_xlabel("channel")
    ax.set_ylabel("power")
    fig.tight_layout()
    fig.savefig(out_dir / "exposure_heatmap.png", dpi=150)
    files["heatmap"] = "exposure_heatmap.png"

    fig = Figure(figsize=(8, 4.0))
    ax = fig.subplots()
    idx = np.array([*m.channel_index, m.overall])
    band = np.array([drawn_band(float(v), float(low), float(h)) for v, low, h in
                     zip(idx, [*m.channel_band[0], m.overall_band[0]],
                         [*m.channel_band[1], m.overall_band[1]], strict=True)])
    xs = np.arange(len(idx))
    ax.bar(xs, np.nan_to_num(idx), color=["#5dade2"] * len(m.channels) + ["#1f618d"])
    ax.errorbar(xs, np.nan_to_num(idx), yerr=[np.nan_to_num(idx - band[:, 0]),
                                             np.nan_to_num(band[:, 1] - idx)],
                fmt="none", ecolor="black", capsize=3)
    ax.set_xticks(xs, [*m.channels, "overall"], rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"{res.name}: balance index with 5–95% band (seed {m.seed})")
    ax.set_xlabel("channel")
    ax.set_ylabel("balance index (0–1)")
    fig.text(0.01, 0.01, BAND_CAPTION, fontsize=6.5, color="dimgray", wrap=True)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(out_dir / "exposure_balance.png", dpi=150)
    files["balance"] = "exposure_balance.png"

    fig = Figure(figsize=(9, 3.8))
    ax = fig.subplots()
    sh = m.shares()
    width = 0.8 / len(m.powers)
    for i in range(len(m.powers)):
        ax.bar(np.arange(len(m.channels)) + i * width, np.nan_to_num(sh[i]), width,
               label=names[i], color=PALETTE[i % len(PALETTE)])
    ax.set_xticks(np.arange(len(m.channels)) + 0.4 - width / 2, m.channels, rotation=30,
                  ha="right")
    ax.set_ylabel("share of dependence")
    ax.set_xlabel("channel")
    ax.set_title(f"{res.name}: each power's share of the dependence, by channel")
    ax.legend(fontsize=7, ncol=4)
    fig.tight_layout()
    fig.savefig(out_dir / "exposure_bars.png", dpi=150)
    files["bars"] = "exposure_bars.png"

    rings = country_rings()
    mean = {p: v["value"] for p, v in m.vector()["mean_share"].items()}
    fig = Figure(figsize=(11, 5.2))
    ax = fig.subplots()
    cmap = colormaps["Reds"]
    vmax = max([v for v in mean.values() if v is not None] + [0.01])
    colour: dict[str, Any] = {}
    for p in m.powers:
        for iso in _members(res, p):
            share = mean.get(p)
            colour[iso] = cmap(0.15 + 0.85 * (share or 0) / vmax)
    neighbours = {n["iso3"] for n in res.threat.neighbours}
    for iso, rs in rings.items():
        fc = "#f1c40f" if iso == res.focal else colour.get(iso, "#eeeeee")
        ec = "black" if iso == res.focal or iso in neighbours else "#aaaaaa"
        for r in rs:
            ax.fill(r[:, 0], r[:, 1], facecolor=fc, edgecolor=ec,
                    linewidth=0.9 if ec == "black" else 0.3)
    ax.set_xlim(-170, 190)
    ax.set_ylim(-58, 84)
    ax.set_aspect(1.2)
    ax.set_axis_off()
    ax.set_title(f"{res.name} (yellow), its neighbours (black outline) and the powers "
                 "(red: mean dependence share)", fontsize=9)
    fig.tight_layout()
    fig.savefig(out_dir / "exposure_map.png", dpi=150)
    files["map"] = "exposure_map.png"
    return files
