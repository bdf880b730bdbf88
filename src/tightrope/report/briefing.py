"""The briefing document: one page per question the op-ed raises, HTML (offline), Markdown,
PNG figures. Consumes a :class:`~tightrope.briefing.Briefing`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tightrope.briefing import Briefing
from tightrope.exposure.claims import format_claim_value
from tightrope.io import atomic_write_text
from tightrope.report.exposure import exposure_parts, write_pngs
from tightrope.report.judgements import (
    Judgement,
    balance_judgement,
    bargaining_judgement,
    corridor_judgement,
    judgements_html,
    judgements_markdown,
    minefield_judgements,
    robust_judgement,
    toc_html,
    with_heading_ids,
)
from tightrope.report.numbers import signed, value_range
from tightrope.report.offline import esc, page
from tightrope.report.readable import readable_html

__all__ = ["QUESTIONS", "render_briefing"]

#: The questions of the briefing, in order: (key, heading, what it answers).
QUESTIONS: list[tuple[str, str, str]] = [
    ("exposure", "1. How exposed is Kazakhstan, and to whom?",
     "Dependence on each power, channel by channel, and the neighbours that matter."),
    ("balance", "2. How balanced is it, and where does it lean?",
     "The multi-vector balance index with its band, the leading power per channel, Jordan "
     "for comparison."),
    ("events", "3. How have relations moved?",
     "Monthly relation temperature from coded event data, with change points."),
    ("minefield", "4. Which moves are mines?",
     "Simulated futures of policy strategies: P(catastrophe), the first mistakes, the futures "
     "where a strategy fails."),
    ("bargaining", "5. Where will a contested issue settle?",
     "Expected-utility bargaining forecast on enforcing Western sanctions on Russia."),
    ("corridors", "6. What are the corridors worth under disruption?",
     "China-Europe routes, cargo reallocation and Kazakhstan's transit revenue."),
    ("claims", "7. The op-ed against the data",
     "Where the op-ed's figures differ from sourced data; the data wins."),
]


_e = esc


def _skipped(b: Briefing, key: str) -> str:
    reason = b.skipped.get(key, "this capability has not run in this briefing")
    return f"<p class='unknown'>Not answered in this run: {_e(reason)}</p>"


def _balance_compare(b: Briefing) -> str:
    rows = []
    results = list(b.exposure.values())
    channels = results[0].matrix.channels if results else ()
    for j, c in enumerate(channels):
        cells = []
        for r in results:
            v = r.matrix.channel_index[j]
            lead = r.matrix.vector()["leaders"].get(c)
            cells.append("–" if v != v else f"{v:.2f} ({lead['power'] if lead else ''})")
        rows.append(f"<tr><td>{_e(c)}</td>" + "".join(f"<td>{_e(x)}</td>" for x in cells)
                    + "</tr>")
    rows.append("<tr><td><b>overall</b></td>" + "".join(
        f"<td><b>{r.matrix.overall:.2f}</b> [{r.matrix.overall_band[0]:.2f}–"
        f"{r.matrix.overall_band[1]:.2f}]</td>" for r in results) + "</tr>")
    head = "".join(f"<th>{_e(r.name)}</th>" for r in results)
    return (f"<table><tr><th>channel</th>{head}</tr>{''.join(rows)}</table>"
            "<p class='note'>Balance index per channel (leading power in brackets); overall "
            "with its 5–95% band.</p>")


_CAMP_NOTE = ("What changed: the headline balance index is measured over camps (the West, "
              "Russia, China) from data that cover every country, so Kazakhstan can be ranked "
              "among all countries; the per-power matrix below remains the detailed view. "
              "Each camp's ties are averaged over the channels, and hedging is scored as the "
              "geometric mean of two conditions: the two strongest camps are even and the "
              "second one's tie is substantial, so weak ties everywhere do not read as "
              "balance. Method v4 takes every input from the 2010s (UN votes 2010-2019, trade "
              "lists for 2010-2019 from earlier Factbook editions, memberships of 2020): the "
              "2023 trade lists omitted Russia from Belarus's trade. NATO and EU members, the "
              "US treaty allies in the Pacific, Russia and China are ranked apart. Validation "
              "is weak: no held-out set remains, and on the three sets already used the index "
              "separates states the literature calls hedgers from aligned states with AUC "
              "0.68, 0.93 and 0.33 (goal 0.9), all in-sample. Method and misses: the balance "
              "validation page of the documentation.")


def _camp_balance(b: Briefing) -> str:
    from tightrope.report.world import camp_balance_html

    return (f"<p class='note'>{_e(_CAMP_NOTE)}</p>"
            + "".join(camp_balance_html(b.camp_balance.get(x), heading="h3")
                      for x in (b.settings.focal, b.settings.comparison)))


def _camp_balance_md(b: Briefing) -> str:
    from tightrope.report.world import camp_balance_markdown

    return _CAMP_NOTE + "\n\n" + "\n".join(
        camp_balance_markdown(b.camp_balance.get(x), level=3)
        for x in (b.settings.focal, b.settings.comparison))


def _claims_table(b: Briefing) -> str:
    focal = b.exposure.get(b.settings.focal)
    if focal is None or not focal.claims:
        return "<p>No op-ed claims on record for this country.</p>"
    rows = "".join(
        f"<tr><td>{_e(c['claim'])}</td><td>{_e(format_claim_value(c['oped']))}</td>"
        f"<td>{_e(format_claim_value(c['data']))}</td>"
        f"<td>{_e(c['verdict'])} {_e(c['gap'])}</td><td class='quote'>{_e(c['context'])}</td>"
        f"<td class='quote'>{_e(c['source'])}, {_e(c['year'])}</td></tr>" for c in focal.claims)
    return ("<table><tr><th>claim (Al Rantawi 2023)</th><th>op-ed</th><th>data</th>"
            "<th>verdict</th><th>context</th><th>source</th></tr>" + rows + "</table>")


def key_judgements(b: Briefing) -> list[Judgement]:
    """The briefing's key judgements, in the order of its sections, from its results."""
    out: list[Judgement] = []
    bal = balance_judgement(b.camp_balance.get(b.settings.focal), "q-balance")
    out += [bal] if bal else []
    mf = b.results.get("minefield", {}).get("kazakhstan-2023")
    rob = b.results.get("robust")
    if mf is not None:
        out += minefield_judgements(mf, rob)
    if rob is not None:
        r = robust_judgement(rob)
        out += [r] if r else []
    if "bargaining" in b.results:
        g = bargaining_judgement(b.results["bargaining"])
        out += [g] if g else []
    c = b.results.get("corridors")
    if c is not None:
        cj = corridor_judgement(c["disruptions"], c.get("backtest"))
        out += [cj] if cj else []
    return out


def _appendix_heading() -> str:
    return ("<h2 id='appendix'>Appendix: sources, assumptions and files for reproducers</h2>"
            "<p class='note'>Sources of every exposure figure, the modelling assumptions by "
            "their parameter names, and the files each section was computed from.</p>")


#: Files a reproducer reads, per section: (what, repository path).
REPRODUCER_FILES: tuple[tuple[str, str], ...] = (
    ("Minefield model and its parameters", "docs/minefield.md"),
    ("Reference classes and base rates", "docs/evidence.md"),
    ("Kazakhstan scenario", "src/tightrope/data/scenarios/kazakhstan-2023.yaml"),
    ("Robust analysis methods", "docs/robust.md"),
    ("Bargaining inputs with each rationale", "src/tightrope/data/bargaining/kaz-sanctions.yaml"),
    ("Corridor model, revenue and retention assumptions", "docs/corridors.md"),
    ("Curated facts cited as 'curated facts'", "facts.md"),
)


def _reproducers(b: Briefing) -> str:
    rows = "".join(f"<tr><td>{_e(w)}</td><td><code>{_e(p)}</code></td></tr>"
                   for w, p in REPRODUCER_FILES)
    return ("<h3>Files</h3><table><tr><th>what</th><th>file in the repository</th></tr>"
            f"{rows}</table><p class='note'>Seeds, input hashes and parameters of this run: "
            "manifest.json beside this page.</p>")


def render_briefing(b: Briefing, out_dir: Path) -> dict[str, Path]:
    """Write briefing.html, briefing.md and PNG figures into ``out_dir``; return the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    focal = b.exposure[b.settings.focal]
    comp = b.exposure.get(b.settings.comparison)
    files: dict[str, Path] = {}
    png_dir = out_dir / "figures"
    for iso3, res in b.exposure.items():
        for key, name in write_pngs(res, png_dir / iso3.lower()).items():
            files[f"png:{iso3}:{key}"] = png_dir / iso3.lower() / name
    fp = exposure_parts(focal, prefix="kaz-")
    cp = exposure_parts(comp, prefix="jor-") if comp is not None else {}
    sections: list[str] = []
    md: list[str] = [f"# Briefing: {focal.name}'s foreign policy between the great powers", ""]
    for key, heading, what in QUESTIONS:
        sections.append(f"<h2 id='q-{key}'>{_e(heading)}</h2><p class='note'>{_e(what)}</p>")
        md += [f"## {heading}", "", what, ""]
        if key == "exposure":
            sections += [fp[k] for k in ("summary", "map", "heatmap", "bars", "unknown",
                                         "threat", "conflicts")]
            md += [f"Overall balance index {focal.matrix.overall:.2f} (band "
                   f"{focal.matrix.overall_band[0]:.2f}–{focal.matrix.overall_band[1]:.2f}).",
                   "", "![exposure map](figures/kaz/exposure_map.png)", "",
                   "![dependence matrix](figures/kaz/exposure_heatmap.png)", ""]
        elif key == "balance":
            sections.append(_camp_balance(b))
            md += [_camp_balance_md(b), ""]
            sections.append(_balance_compare(b))
            sections += [fp["balance"], fp["balance_table"]]
            if cp:
                sections += [f"<h3>Comparison: {_e(comp.name if comp else '')}</h3>",
                             cp["summary"], cp["heatmap"], cp["unknown"]]
            lean = focal.matrix.vector()
            md += [f"Net lean: {lean['net_lean']['power'] if lean['net_lean'] else '–'}. "
                   "Leading power by channel: " + ", ".join(
                       f"{c} {v['power']}" for c, v in lean["leaders"].items() if v) + ".", "",
                   "![balance](figures/kaz/exposure_balance.png)", ""]
        elif key == "claims":
            sections.append(_claims_table(b))
            md += [f"- {c['claim']}: op-ed {format_claim_value(c['oped'])}, data "
                   f"{format_claim_value(c['data'])} — {c['verdict']} "
                   f"{c['gap']} ({c['source']}, {c['year']})" for c in focal.claims] + [""]
        elif key in b.results:
            renderer = _RENDERERS.get(key)
            if renderer is not None:
                h, m = renderer(b, out_dir, files)
                sections.append(h)
                md += m
        else:
            sections.append(_skipped(b, key))
            md += [f"Not answered in this run: {b.skipped.get(key, 'not run')}", ""]
    sections += [_appendix_heading(), fp["sources"].replace("<h2>", "<h3>", 1).replace(
        "</h2>", "</h3>", 1), fp["assumptions"].replace("<h2>", "<h3>", 1).replace(
        "</h2>", "</h3>", 1), _reproducers(b)]
    sections = [readable_html(x) for x in sections[:-4]] + sections[-4:]
    sections, toc = with_heading_ids(sections)
    toc = [t for t in toc if t[0].startswith("q-") or t[0] == "appendix"]
    judgements = key_judgements(b)
    sections.insert(0, judgements_html(judgements, toc_html(toc)))
    md[2:2] = judgements_markdown(judgements)
    html_text = page(f"Briefing: {focal.name} between the great powers", sections,
                     subtitle=f"Tightrope briefing, seed {b.settings.seed}"
                              f"{', quick sample sizes' if b.settings.quick else ''}. Every "
                              "figure is sourced or labelled as an assumption; see the "
                              "sources and assumptions at the end and manifest.json.")
    atomic_write_text(out_dir / "briefing.html", html_text)
    atomic_write_text(out_dir / "briefing.md", "\n".join(md) + "\n")
    files["html"] = out_dir / "briefing.html"
    files["md"] = out_dir / "briefing.md"
    return files


def _bargaining(b: Briefing, out_dir: Path, files: dict[str, Path]) -> tuple[str, list[str]]:
    from tightrope.report.bargaining import write_positions_png

    r = b.results["bargaining"]
    j = r.to_json()
    png = write_positions_png(r, out_dir / "figures" / "bargaining_positions.png")
    files["png:bargaining"] = png
    f = j["forecast"]
    meta = j["input"]["meta"]
    mc = j["monte_carlo"]
    head = (f"<p><b>{_e(meta.get('title', ''))}</b> — scale: {_e(meta['scale']['unit'])} "
            f"({_e(meta['scale']['low_means'])}; {_e(meta['scale']['high_means'])}). "
            f"<span class='assumption'>Inputs: {_e(meta.get('status', ''))}.</span></p>")
    settle = (f"<p>Forecast ({_e(j['manifest']['parameters']['variant']['name'])} variant): "
              f"<b>{_e(f['status'])}</b> by round "
              f"{f['round']}: median {f['median']:.1f}, weighted mean {f['mean']:.1f}")
    if f["status"] == "cycle":
        settle += (f"; the positions cycle with period {f['period']}, the median over "
                   f"{f['median_range'][0]:.1f}–{f['median_range'][1]:.1f}")
    settle += (".</p><p class='note'>Read with care: in the replication variant an actor whose "
               "chances look hopeless may capitulate to the far side of the scale (here the "
               "United States moving from 95 to 0). That is how the published model behaves, "
               "reported rather than hidden; the Monte Carlo shows how much the settlement "
               "depends on the inputs.</p>")
    mc_html = ""
    mc_md: list[str] = []
    if mc:
        share = mc["status_share"]
        mc_html = (f"<p>Monte Carlo over every input range ({mc['runs']} runs, seed "
                   f"{mc['seed']}): median settles between {mc['median']['p05']:.1f} and "
                   f"{mc['median']['p95']:.1f} (5–95%), centre {mc['median']['p50']:.1f}; "
                   f"runs converged {share['converged']:.0%}, cycled {share['cycle']:.0%}, "
                   f"unsettled {share['unsettled']:.0%}.</p>")
        mc_md = [f"Monte Carlo ({mc['runs']} runs, seed {mc['seed']}): median 5–95% "
                 f"{mc['median']['p05']:.1f}–{mc['median']['p95']:.1f}.", ""]
    def cell(a: dict[str, Any], k: str) -> str:
        lo, hi = a.get(f"{k}_range", [a[k], a[k]])
        return f"<td>{a[k]:g} [{lo:g}–{hi:g}]</td>"

    rows = "".join(f"<tr><td>{_e(a['actor'])}</td>"
                   + "".join(cell(a, k) for k in ("capability", "position", "salience"))
                   + "</tr>" for a in j["input"]["actors"])
    table = ("<table><tr><th>actor</th><th>capability</th><th>position</th><th>salience</th>"
             f"</tr>{rows}</table><p class='note assumption'>Every input above is an "
             "assumption (expert judgement with a range), not data; the rationale of each is in "
             "the bargaining inputs file (appendix).</p>")
    img = _img(png, "Positions per round")
    md = [head.replace("<p>", "").replace("</p>", "").replace("<b>", "**").replace("</b>", "**")
          .replace("<span class='assumption'>", "").replace("</span>", ""), "",
          f"Forecast: {f['status']} by round {f['round']}, median {f['median']:.1f}.", "",
          *mc_md, "![positions](figures/bargaining_positions.png)", ""]
    return head + settle + mc_html + img + table, md


def _corridors(b: Briefing, out_dir: Path, files: dict[str, Path]) -> tuple[str, list[str]]:
    from tightrope.report.corridors import backtest_section, disruption_section, write_map_png

    c = b.results["corridors"]
    rows = []
    md = ["| disruption | Kazakhstan transit TEU/yr | Kazakhstan revenue US$ m (5–95%) | "
          "largest gainer |", "|---|---|---|---|"]
    for res in c["disruptions"].values():
        j = res.to_json()
        k = j["focal"]
        band_usd = k["revenue_change_band_usd"]
        gain = max(j["who_gains"], key=lambda g: g["revenue_change_usd"], default=None)
        gainer = (f"{gain['iso3']} ({signed(gain['revenue_change_usd'] / 1e6)} m)" if gain
                  else "–")
        revenue = (value_range(k["revenue_change_usd"] / 1e6, band_usd[0] / 1e6,
                               band_usd[1] / 1e6) if band_usd
                   else signed(k["revenue_change_usd"] / 1e6))
        title = j["scenarios"][0]["title"]
        teu = signed(k["transit_teu_change"])
        rows.append(f"<tr><td>{_e(title)}</td><td>{teu}</td>"
                    f"<td>{revenue}</td><td>{_e(gainer)}</td></tr>")
        md.append(f"| {title} | {teu} | {revenue} | {gainer} |")
    first_name, first = next(iter(c["disruptions"].items()))
    png = write_map_png(first, out_dir / "figures" / f"corridors_{first_name}.png",
                        f"After: {first_name}")
    files["png:corridors"] = png
    html_text = (
        "<table><tr><th>disruption</th><th>change in Kazakhstan's transit, TEU/yr</th>"
        "<th>change in Kazakhstan's transit revenue, US$ m (5–95%)</th><th>largest gainer</th>"
        "</tr>" + "".join(rows) + "</table><p class='note'>Min-cost allocation of China–EU "
        "container demand; seeded Monte Carlo over every uncertain edge figure (seed "
        f"{b.settings.seed}). Revenue per FEU and domestic retention are assumptions; see "
        "the corridor model documentation (appendix).</p>"
        + disruption_section(first, div_id="brief-corridors-map")
        + backtest_section(c["backtest"]))
    md += ["", f"![corridors after {first_name}](figures/corridors_{first_name}.png)", "",
           "Back-test (model vs observed): see briefing.html.", ""]
    return html_text, md


def _minefield(b: Briefing, out_dir: Path, files: dict[str, Path]) -> tuple[str, list[str]]:
    from tightrope.report.minefield import (
        base_rate_section,
        minefield_sections,
        verdict_text,
        write_minefield_png,
    )

    comps = b.results["minefield"]
    kaz = comps["kazakhstan-2023"]
    png = out_dir / "figures" / "minefield_kazakhstan.png"
    write_minefield_png(kaz, png)
    files["png:minefield"] = png
    rob = b.results.get("robust")
    base_html, base_md = base_rate_section(kaz, getattr(rob, "sobol", None))
    html_parts = [base_html,
                  f"<p class='note'>{_e(kaz.scenario.title)}: every parameter is a rate "
                  "estimated from data (with its interval), a sourced fact or an assumption "
                  "with a range; the ranges are the deep uncertainties the robust analysis "
                  "samples. Model and reference classes: the minefield and evidence documentation "
                  "(appendix).</p>",
                  *minefield_sections(kaz, prefix="brief-mf-")]
    md = [*base_md, f"{kaz.scenario.title}:", ""]
    md += [f"- {r.strategy}: P(catastrophe) {r.p_catastrophe:.1%} "
           f"[{r.ci[0]:.1%}–{r.ci[1]:.1%}]" for r in kaz.results]
    md += ["", *verdict_text(kaz), "", "![minefield](figures/minefield_kazakhstan.png)", ""]
    if rob is not None:
        h, m = _robust_part(rob, out_dir, files)
        html_parts.append(h)
        md += m
    jor = comps.get("jordan-2024")
    if jor is not None:
        jh, jm = base_rate_section(jor)
        html_parts.append("<h3>Jordan, for comparison</h3>"
                          + "".join(f"<p>{_e(x)}</p>" for x in verdict_text(jor)) + jh)
        md += ["Jordan:", "", *verdict_text(jor), "", *jm]
    return "".join(html_parts), md


def _events(b: Briefing, out_dir: Path, files: dict[str, Path]) -> tuple[str, list[str]]:
    from tightrope.report.events import panel_section, plot_panel

    ev = b.results["events"]
    png = plot_panel(ev["panel"], out_dir / "figures" / "temperature_panel.png")
    files["png:events"] = png
    sources = ", ".join(k.split(":", 1)[1] for k in b.inputs if k.startswith("events:"))
    html_text = (f"<p class='note'>Coded events from {_e(sources)} (ICEWS benchmark subsets: "
                 "a ~20% sample of 2005-15 plus complete slices for late 2013-2015, so the "
                 "series are thin; treat change points as hypotheses).</p>"
                 + panel_section(ev["panel"], ev["explanations"], div_id="brief-temperature"))
    md = [f"Event data: {sources}.", "", "![temperature](figures/temperature_panel.png)", ""]
    md += [f"- {x['dyad']} {x['month']}: {x['mean_before']:+.2f} → {x['mean_after']:+.2f}"
           for x in ev["explanations"]] or ["No change point passes the penalty."]
    from tightrope.report.forecast import forecast_block_html, forecast_block_md

    html_text += forecast_block_html(ev.get("forecast", []))
    md += ["", *forecast_block_md(ev.get("forecast", []))]
    return html_text, [*md, ""]


def _robust_part(r: Any, out_dir: Path, files: dict[str, Path]) -> tuple[str, list[str]]:
    """Robustness across sampled futures, PRIM boxes, Sobol' indices (from a RobustResult)."""
    from tightrope.report.robust import write_robust_png

    png = out_dir / "figures" / "robust_kazakhstan.png"
    write_robust_png(r, png)
    files["png:robust"] = png
    j = r.to_json()
    rows = "".join(
        f"<tr><td>{_e(x['strategy'])}</td><td>{x['satisficing']:.0%}</td>"
        f"<td>{x['gain_mean']:+.2f}</td><td>{x['p_catastrophe_mean']:.1%}</td>"
        f"<td>{x['p_catastrophe_p90']:.1%}</td><td>{x['regret_p_catastrophe_p90']:.1%}</td>"
        "</tr>" for x in j["robustness"])
    parts = [f"<h3>Across {r.table.futures:,} sampled futures</h3>",
             "".join(f"<p>{_e(x)}</p>" for x in r.explanation)]
    if rows:
        parts.append("<table><tr><th>strategy</th><th>satisficing</th><th>E[gain] pp</th>"
                     "<th>P(cat) mean</th><th>P(cat) p90</th><th>regret P(cat) p90</th></tr>"
                     + rows + "</table>")
    parts.append("<h3>The futures where strategies fail (PRIM)</h3>")
    for name, box in list(r.boxes.items())[:3]:
        rules = "; ".join(f"{q.name} {q.describe()}" for q in box.restrictions) or "none"
        parts.append(f"<p><b>{_e(name)}</b>: {_e(box.definition)}. Box: {_e(rules)} — "
                     f"coverage {box.box.coverage:.0%}, density {box.box.density:.0%} "
                     f"(base rate {box.n_interest / box.n_cases:.0%}).</p>")
    if r.sobol is not None:
        import numpy as np

        s = r.sobol
        top = [int(i) for i in np.argsort(-s.total, kind="stable")[:5]]
        parts.append("<h3>What drives P(catastrophe) (Sobol' total order)</h3><p>"
                     + "; ".join(f"{_e(s.groups[i])} {s.total[i]:.2f} (first order "
                                 f"{s.first[i]:.2f})" for i in top) + ".</p>")
    parts.append(_img(png, "Robustness across futures"))
    thr = j["settings"]["thresholds"]
    parts.append(f"<p class='note'>Latin hypercube over every assumption range of the "
                 f"scenario; {j['settings']['runs']} trajectories per future and strategy; "
                 f"satisficing = P(catastrophe) below {thr['max_p_catastrophe']:.0%} and gain "
                 f"above {thr['min_gain']:+g} pp of GDP; seed {r.seed}. Methods: "
                 "the robust analysis documentation (appendix).</p>")
    md = ["", f"Across {r.table.futures:,} sampled futures:", "", *r.explanation, "",
          "![robust](figures/robust_kazakhstan.png)", ""]
    return "".join(parts), md


def _img(path: Path, alt: str) -> str:
    import base64

    data = base64.b64encode(path.read_bytes()).decode()
    return f"<p><img alt='{_e(alt)}' style='max-width:100%' src='data:image/png;base64,{data}'></p>"


Renderer = Any
#: Section renderers of capabilities other than exposure: key -> fn(briefing, out_dir, files)
#: returning (html, markdown lines). Filled in as capabilities land.
_RENDERERS: dict[str, Renderer] = {"bargaining": _bargaining, "corridors": _corridors,
                                   "minefield": _minefield, "events": _events}
