"""Minefield report: offline HTML (Plotly) and a PNG summary (matplotlib).

Consumes :class:`tightrope.minefield.Comparison` / ``SimulationResult`` objects only: P(catastrophe)
by strategy with Wilson intervals, the balancer-vs-bandwagon check, cumulative risk over time,
attitude fan charts per power, gain distributions and sources, what the strategy did, and the
first-mistake table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tightrope.minefield import Comparison, SimulationResult
from tightrope.report.offline import esc, figure_div, html_table, page
from tightrope.report.palette import mpl_style, style

__all__ = ["minefield_html", "minefield_sections", "verdict_text", "write_minefield_png"]

COLOURS = ["#1f5f8b", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d",
           "#d35400", "#2c3e50", "#b7950b"]


_e = esc
_table = html_table


def verdict_text(comp: Comparison) -> list[str]:
    """Plain sentences on the done-when check: does the balancer beat every bandwagon?"""
    if not comp.checks:
        return ["Run all strategies (--strategy all) to compare the balancer with bandwagoning."]
    lines = []
    losers = [c for c in comp.checks if c["verdict"] != "balancer lower"]
    if not losers:
        lines.append("The balancer has a lower P(catastrophe) than bandwagoning with every "
                     "single power (paired comparison on the same random numbers, 95% "
                     "intervals of the difference exclude 0).")
    for c in comp.checks:
        r = comp.result(c["bandwagon"])
        top = r.first_mistakes[0] if r.first_mistakes else None
        why = (f"; its most common first mistake is '{top['move']}' answered by "
               f"{top['reacting_power']} ({top['catastrophe']}, "
               f"{top['share_of_catastrophes']:.0%} of its catastrophes)") if top else ""
        lo, hi = c["difference_ci95"]
        lines.append(f"{c['bandwagon']}: {c['p_bandwagon']:.1%} vs balancer "
                     f"{c['p_balancer']:.1%} (difference {c['difference']:+.1%}, 95% CI "
                     f"{lo:+.1%} to {hi:+.1%}) — {c['verdict']}{why}.")
    for c in losers:
        bal = comp.result("balancer")
        kinds = sorted(bal.by_kind.items(), key=lambda kv: -kv[1])
        top = bal.first_mistakes[0] if bal.first_mistakes else None
        lines.append(
            f"Why the balancer does not beat {c['bandwagon']}: the balancer's risk is mostly "
            f"{kinds[0][0]} ({kinds[0][1]:.1%})"
            + (f", most often after '{top['move']}' when {top['reacting_power']} was "
               f"{top['attitude_band']}" if top else "")
            + ". Its greedy rule spends every power's goodwill down to the floor; a higher "
              "goodwill floor (a lever of the simulation) trades gain for safety.")
    return lines


def _pcat_figure(results: list[SimulationResult]) -> Any:
    import plotly.graph_objects as go

    names = [r.strategy for r in results]
    p = [r.p_catastrophe for r in results]
    fig = go.Figure(go.Bar(
        x=names, y=p, marker_color=[COLOURS[0] if n == "balancer" else "#9aa7b5" for n in names],
        error_y={"type": "data", "symmetric": False,
                 "array": [r.ci[1] - r.p_catastrophe for r in results],
                 "arrayminus": [r.p_catastrophe - r.ci[0] for r in results]}))
    fig.update_layout(title="P(catastrophe) over the horizon, with 95% Wilson intervals",
                      yaxis={"tickformat": ".0%", "rangemode": "tozero",
                             "title": "P(catastrophe)"}, xaxis_title="strategy", height=380,
                      margin={"t": 50, "b": 90})
    return fig


def _cumulative_figure(results: list[SimulationResult]) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, r in enumerate(results):
        colour, dash = style(i)
        fig.add_trace(go.Scatter(x=list(range(1, len(r.cum_catastrophe) + 1)),
                                 y=r.cum_catastrophe, name=r.strategy, mode="lines",
                                 line={"color": colour, "dash": dash}))
    fig.update_layout(title="Cumulative P(catastrophe) by quarter", xaxis_title="quarter",
                      yaxis={"tickformat": ".0%", "title": "cumulative P(catastrophe)"}, height=380)
    return fig


def _fan_figure(results: list[SimulationResult], names: dict[str, str]) -> Any:
    """Attitude fan charts per power; a menu switches between strategies."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    powers = list(results[0].fan)
    fig = make_subplots(rows=1, cols=len(powers), shared_yaxes=True,
                        subplot_titles=[names.get(p, p) for p in powers])
    owner: list[int] = []
    for i, r in enumerate(results):
        for j, p in enumerate(powers, start=1):
            q = r.fan.get(p)
            if q is None:
                continue
            x = list(range(len(q["q50"])))
            for lo, hi, alpha in (("q05", "q95", 0.15), ("q25", "q75", 0.3)):
                fig.add_trace(go.Scatter(x=x + x[::-1], y=q[hi] + q[lo][::-1], fill="toself",
                                         fillcolor=f"rgba(31,95,139,{alpha})",
                                         line={"width": 0}, hoverinfo="skip", showlegend=False,
                                         visible=i == 0), row=1, col=j)
                owner.append(i)
            fig.add_trace(go.Scatter(x=x, y=q["q50"], line={"color": COLOURS[0]},
                                     name=f"{r.strategy}: median", showlegend=False,
                                     visible=i == 0), row=1, col=j)
            owner.append(i)
    buttons = [{"label": r.strategy, "method": "update",
                "args": [{"visible": [o == i for o in owner]},
                         {"title.text": f"Attitude toward the focal country ({r.strategy}): "
                          "median, 50% and 90% bands of surviving trajectories"}]}
               for i, r in enumerate(results)]
    fig.update_yaxes(range=[-1.05, 1.05])
    fig.update_yaxes(title_text="attitude (−1 to 1)", row=1, col=1)
    fig.update_xaxes(title_text="quarter")
    fig.update_layout(title=f"Attitude toward the focal country ({results[0].strategy}): "
                      "median, 50% and 90% bands of surviving trajectories", height=360,
                      margin={"t": 90},
                      updatemenus=[{"buttons": buttons, "x": 1.0, "y": 1.28, "xanchor": "right",
                                    "showactive": True}] if len(results) > 1 else [])
    return fig


def _gain_figure(results: list[SimulationResult]) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, r in enumerate(results):
        q = r.gain["quantiles"]
        fig.add_trace(go.Box(name=r.strategy, x=[r.strategy], q1=[q["q25"]], median=[q["q50"]],
                             q3=[q["q75"]], lowerfence=[q["q05"]], upperfence=[q["q95"]],
                             mean=[r.gain["mean"]], marker_color=COLOURS[i % len(COLOURS)]))
    fig.update_layout(title="Cumulative economic gain, % of a year's GDP (box: quartiles, "
                      "whiskers: 5th-95th percentile)", showlegend=False, height=380,
                      xaxis_title="strategy", yaxis_title="gain, % of a year's GDP")
    return fig


def _moves_figure(r: SimulationResult) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    used = [(m, s) for m, s in r.move_share.items() if max(s, default=0) > 0]
    for i, (m, s) in enumerate(used):
        colour, dash = style(i)
        fig.add_trace(go.Scatter(x=list(range(1, len(s) + 1)), y=s, name=m, stackgroup="one",
                                 line={"color": colour, "dash": dash}))
    fig.update_layout(title=f"What {r.strategy} did: share of surviving trajectories per move",
                      yaxis={"tickformat": ".0%", "title": "share of trajectories"},
                      xaxis_title="quarter", height=360)
    return fig


def _summary_rows(results: list[SimulationResult]) -> list[list[Any]]:
    return [[r.strategy, f"{r.p_catastrophe:.2%}", f"{r.ci[0]:.2%} – {r.ci[1]:.2%}",
             *(f"{v:.2%}" for v in r.by_kind.values()), f"{r.gain['mean']:+.2f}",
             f"{r.gain['quantiles']['q10']:+.2f}", f"{r.autonomy['mean']:.3f}"]
            for r in results]


def _mistake_rows(r: SimulationResult) -> list[list[Any]]:
    return [[row["move"], row["reacting_power"], row["attitude_band"], row["catastrophe"],
             row["count"], f"{row['share_of_catastrophes']:.1%}",
             "–" if row["rate_per_1000"] is None else f"{row['rate_per_1000']:.2f}"]
            for row in r.first_mistakes]


def minefield_html(comp: Comparison) -> str:
    """A self-contained offline HTML report of one or several strategies."""
    sc = comp.scenario
    base = base_rate_section(comp)[0].replace("<h3>", "<h2>").replace("</h3>", "</h2>")
    return page(f"Minefield: {sc.title}", [base, *minefield_sections(comp)], with_maps=False,
                subtitle=f"{sc.focal_name}, from {sc.start}: {len(comp.results)} strategies")


def minefield_sections(comp: Comparison, prefix: str = "") -> list[str]:
    """The report's HTML sections (reused by the briefing; ``prefix`` keeps ids unique)."""
    sc, results = comp.scenario, comp.results
    main = results[0]
    names = {p.key: p.name for p in sc.powers}
    kinds = list(main.by_kind)
    secs = [f'<p class="note">{_e(sc.description)}</p>',
            "<h2>Strategies</h2>" + _table(
                ["strategy", "P(catastrophe)", "95% CI", *kinds, "gain mean", "gain p10",
                 "autonomy"], _summary_rows(results)),
            '<p class="note">Gain: cumulative, percentage points of one year\'s GDP relative to '
            "a world without these moves, reactions and shocks. Autonomy: mean over quarters of "
            "1 − normalised HHI of dependences (0 after a catastrophe).</p>",
            figure_div(_pcat_figure(results), prefix + "pcat")]
    if len(results) > 1:
        secs.append("<h2>Does the balancer beat bandwagoning?</h2>"
                    + "".join(f"<p>{_e(x)}</p>" for x in verdict_text(comp)))
        secs.append(figure_div(_cumulative_figure(results), prefix + "cumulative"))
    secs += [figure_div(_fan_figure(results, names), prefix + "fan"),
             figure_div(_gain_figure(results), prefix + "gain"),
             "<h2>Where the gain comes from</h2>" + _table(
                 ["strategy", "moves", "rewards", "coercion", "shocks"],
                 [[r.strategy, *(f"{v:+.2f}" for v in r.gain.get("by_source", {}).values())]
                  for r in results]),
             figure_div(_moves_figure(main), prefix + "moves"),
             f"<h2>First mistakes ({_e(main.strategy)})</h2>"
             '<p class="note">The move taken in the quarter a catastrophe struck, the power '
             "whose reaction caused it and that power's attitude before the move; the rate is "
             "per 1,000 surviving trajectory-quarters spent in that state.</p>"
             + _table(["move", "reacting power", "attitude before", "catastrophe", "count",
                       "share", "per 1,000"], _mistake_rows(main), num_from=4)]
    for r in results[1:]:
        if r.first_mistakes:
            secs.append(f"<details><summary>First mistakes: {_e(r.strategy)}</summary>"
                        + _table(["move", "reacting power", "attitude before", "catastrophe",
                                  "count", "share", "per 1,000"], _mistake_rows(r), num_from=4)
                        + "</details>")
    m = main.manifest
    src = "".join(f"Scenario {_e(Path(i.name).stem)} (file sha256 {_e(i.sha256[:16])}…); "
                  for i in m.inputs)
    secs.append('<h2>Provenance</h2><p class="note">' + src +
                f"{m.parameters['parameters']} parameters, {m.parameters['uncertainties']} "
                f"with ranges; seed {main.seed} ({_e(m.rng or '')}), {main.runs:,} "
                f"trajectories, {main.horizon} quarters; tightrope "
                f"{_e(m.tightrope_version)}. Model and sources: the minefield model "
                  "documentation.</p>")
    return secs


def write_minefield_png(comp: Comparison, path: Path) -> None:
    """A 2×2 PNG: P(catastrophe) by strategy with CIs, cumulative risk, fan chart of the
    most dangerous power under the first strategy, gain quantiles."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    results = comp.results
    main = results[0]
    fig = Figure(figsize=(13, 8.5))
    ax = fig.subplots(2, 2)
    names = [r.strategy for r in results]
    p = [r.p_catastrophe for r in results]
    err = [[r.p_catastrophe - r.ci[0] for r in results], [r.ci[1] - r.p_catastrophe
                                                           for r in results]]
    a = ax[0, 0]
    a.bar(names, p, yerr=err, capsize=3,
          color=[COLOURS[0] if n == "balancer" else "#9aa7b5" for n in names])
    a.set_title("P(catastrophe) over the horizon (95% Wilson CI)")
    a.set_xlabel("strategy")
    a.set_ylabel("P(catastrophe)")
    a.yaxis.set_major_formatter(PercentFormatter(1.0))
    a.tick_params(axis="x", rotation=35, labelsize=8)
    for lab in a.get_xticklabels():
        lab.set_horizontalalignment("right")
    a = ax[0, 1]
    for i, r in enumerate(results):
        colour, ls = mpl_style(i)
        a.plot(range(1, len(r.cum_catastrophe) + 1), r.cum_catastrophe, label=r.strategy,
               color=colour, linestyle=ls)
    a.set_title("Cumulative P(catastrophe) by quarter")
    a.set_xlabel("quarter")
    a.set_ylabel("cumulative P(catastrophe)")
    a.yaxis.set_major_formatter(PercentFormatter(1.0))
    a.legend(fontsize=7, ncol=2)
    a = ax[1, 0]
    for i, (pw, q) in enumerate(main.fan.items()):
        x = range(len(q["q50"]))
        c = COLOURS[i % len(COLOURS)]
        lo = [v if v is not None else float("nan") for v in q["q25"]]
        hi = [v if v is not None else float("nan") for v in q["q75"]]
        a.fill_between(x, lo, hi, color=c, alpha=0.2)
        a.plot(x, [v if v is not None else float("nan") for v in q["q50"]], color=c, label=pw)
    a.set_ylim(-1.05, 1.05)
    a.set_title(f"Attitudes under {main.strategy}: median and interquartile band")
    a.set_ylabel("attitude toward the focal country")
    a.set_xlabel("quarter")
    a.legend(fontsize=7, ncol=3)
    a = ax[1, 1]
    stats = [{"label": r.strategy, "med": r.gain["quantiles"]["q50"],
              "q1": r.gain["quantiles"]["q25"], "q3": r.gain["quantiles"]["q75"],
              "whislo": r.gain["quantiles"]["q05"], "whishi": r.gain["quantiles"]["q95"],
              "mean": r.gain["mean"], "fliers": []} for r in results]
    a.bxp(stats, showmeans=True)
    a.set_title("Cumulative gain, % of a year's GDP (5-25-50-75-95%)")
    a.set_xlabel("strategy")
    a.set_ylabel("gain, % of a year's GDP")
    a.tick_params(axis="x", rotation=35, labelsize=8)
    for lab in a.get_xticklabels():
        lab.set_horizontalalignment("right")
    fig.suptitle(f"{comp.scenario.title} — {main.runs:,} trajectories, seed {main.seed}")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
def base_rate_section(comp: Comparison, sobol: Any = None) -> tuple[str, list[str]]:
    """HTML and Markdown: the reference-class base rates beside the simulated probabilities
    (exceedances marked), and — given the robust analysis's Sobol' result — the judgement
    parameters that matter most for the verdict."""
    from tightrope.minefield.baserates import base_rate_checks, base_rate_lines, judgement_drivers

    sc = comp.scenario
    lines = base_rate_lines(sc)
    checks = base_rate_checks(comp)
    n = sc.provenance_counts()
    head = (f"{sc.title}: {n['evidence']} parameters rest on rates estimated from data, "
            f"{n['fact']} on cited facts, {n['judgement']} on judgement.")
    html = ["<h3>Base rates first</h3>", f"<p>{_e(head)}</p>"]
    html += ["<ul>" + "".join(f"<li>{_e(x)}</li>" for x in lines) + "</ul>"] if lines else []
    md = ["Base rates first:", "", head, "", *(f"- {x}" for x in lines), ""]
    if checks:
        rows = [[c.strategy, c.kind, f"{c.simulated:.1%} [{c.simulated_ci[0]:.1%}–"
                 f"{c.simulated_ci[1]:.1%}]", f"{c.reference:.1%} [{c.reference_band[0]:.1%}–"
                 f"{c.reference_band[1]:.1%}]",
                 "EXCEEDS the reference class" if c.exceeds else "within or below"]
                for c in checks]
        years = checks[0].years
        html.append(f"<p>Simulated P(catastrophe kind) over {years:g} years beside the chance "
                    "the reference classes give the same event over the same span (band: the "
                    "90% intervals of the rates). A simulated probability is marked when even "
                    "its 95% interval lies above the band: then the scenario's judgement about "
                    "reactions to that strategy, not the historical record, carries it.</p>")
        html.append(_table(["strategy", "catastrophe", "simulated [95% CI]",
                            "reference class [band]", "check"], rows))
        notes = dict.fromkeys(f"{c.kind}: {c.note}" for c in checks if c.note)
        html += [f"<p class='note'>{_e(x)}</p>" for x in notes]
        md += [f"- {r[0]}, {r[1]}: simulated {r[2]} vs reference {r[3]} — {r[4]}"
               for r in rows] + ["", *(f"Reference for {x}" for x in notes), ""]
    if sobol is not None:
        drivers = judgement_drivers(sc, sobol)
        txt = "; ".join(f"{d['group']} (total-order {d['total']:.2f} ± {d['total_conf']:.2f}; "
                        f"{d['judgement']} judgement, {d['fact']} fact, {d['evidence']} "
                        "evidence parameters)" for d in drivers)
        html.append("<h3>Where better data would change the answer</h3><p>The parameter "
                    "groups that drive P(catastrophe) most (Sobol' total-order index of the "
                    f"robust analysis), with how their parameters are grounded: {_e(txt)}.</p>")
        md += ["Where better data would change the answer (Sobol' total order): " + txt, ""]
    return "".join(html), md
