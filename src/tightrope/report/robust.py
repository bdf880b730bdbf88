"""Robust-decision report: offline HTML (Plotly) and a PNG summary (matplotlib).

Consumes :class:`tightrope.minefield.robust.RobustResult` only: the robustness table and its
explanation, P(catastrophe) across futures per strategy, the Pareto front of per-power floors
against the named strategies, PRIM's coverage/density trade-off and the chosen box, and the
Sobol' indices with their confidence intervals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tightrope.minefield.robust import PrimResult, RobustResult
from tightrope.report.offline import esc, figure_div, html_table, page

__all__ = ["robust_html", "write_robust_png"]

COLOURS = ["#1f5f8b", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d",
           "#d35400", "#2c3e50", "#b7950b"]


_e = esc
_table = html_table


def _robustness_rows(r: RobustResult) -> list[list[Any]]:
    return [[x.rank, x.strategy, f"{x.satisficing:.0%}", f"{x.gain_mean:+.2f}",
             f"{x.gain_worst_decile:+.2f}", f"{x.p_catastrophe_mean:.1%}",
             f"{x.p_catastrophe_median:.1%}", f"{x.p_catastrophe_p90:.1%}",
             f"{x.regret_p_catastrophe_p90:.1%}", f"{x.regret_gain_p90:.2f}",
             f"{x.autonomy_mean:.3f}", f"{x.best_share:.0%}"] for x in r.robustness]


def _distribution_figure(r: RobustResult) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, x in enumerate(r.robustness):
        fig.add_trace(go.Box(y=r.table.outcome("p_catastrophe", x.strategy), name=x.strategy,
                             boxmean=True, marker_color=COLOURS[i % len(COLOURS)]))
    th = r.settings.thresholds.max_p_catastrophe
    fig.add_hline(y=th, line_dash="dot", annotation_text=f"threshold {th:.0%}")
    fig.update_layout(title="P(catastrophe) across futures, by strategy (ranked)",
                      yaxis={"tickformat": ".0%", "range": [0, 1.02], "title": "P(catastrophe)"},
                      xaxis_title="strategy", showlegend=False,
                      height=420, margin={"b": 110})
    return fig


def _pareto_figure(r: RobustResult) -> Any:
    import plotly.graph_objects as go

    pf = r.pareto
    assert pf is not None
    hover = ["<br>".join(f"floor {k}: {v:+.2f}" for k, v in q.floors.items()) for q in pf.points]
    fig = go.Figure(go.Scatter(
        x=[q.p_catastrophe for q in pf.points], y=[q.gain_mean for q in pf.points],
        mode="markers", name="Pareto front (per-power floors)", text=hover,
        marker={"size": 10, "color": [q.autonomy_mean for q in pf.points],
                "colorscale": "Viridis", "colorbar": {"title": "autonomy"}, "showscale": True},
        hovertemplate="P(cat) %{x:.1%}<br>gain %{y:+.2f}<br>%{text}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[q.p_catastrophe for q in pf.references], y=[q.gain_mean for q in pf.references],
        mode="markers+text", text=[q.label for q in pf.references], textposition="top center",
        name="named strategies", marker={"symbol": "x", "size": 10, "color": "#c0392b"}))
    fig.update_layout(title=f"Pareto front on {pf.settings.futures} common futures "
                      f"({pf.settings.runs} runs each): gain up, P(catastrophe) down, "
                      "autonomy up (colour)", xaxis={"title": "P(catastrophe)",
                                                     "tickformat": ".0%"},
                      yaxis_title="expected gain, pp of GDP", height=480,
                      legend={"orientation": "h", "y": -0.2})
    return fig


def _tradeoff_figure(b: PrimResult, name: str) -> Any:
    import plotly.graph_objects as go

    tr = b.trajectory
    fig = go.Figure(go.Scatter(
        x=[s.coverage for s in tr], y=[s.density for s in tr], mode="markers+lines",
        marker={"color": [s.res_dim for s in tr], "colorscale": "Viridis", "size": 8,
                "colorbar": {"title": "restricted<br>dims"}},
        text=[f"box {i}: mass {s.mass:.0%}" for i, s in enumerate(tr)],
        hovertemplate="coverage %{x:.0%}<br>density %{y:.0%}<br>%{text}<extra></extra>",
        name="peeling trajectory"))
    c = b.box
    fig.add_trace(go.Scatter(x=[c.coverage], y=[c.density], mode="markers", name="chosen box",
                             marker={"symbol": "star", "size": 16, "color": "#c0392b"}))
    fig.update_layout(title=f"PRIM trade-off, futures {name}: coverage vs density",
                      xaxis={"title": "coverage", "tickformat": ".0%"},
                      yaxis={"title": "density", "tickformat": ".0%"}, height=440,
                      legend={"orientation": "h", "y": -0.25})
    return fig


def _box_figure(b: PrimResult, name: str) -> Any:
    import plotly.graph_objects as go

    rs = b.restrictions[:15]
    labels = [q.name for q in rs]
    lo = [(q.low - q.full_low) / (q.full_high - q.full_low) for q in rs]
    hi = [(q.high - q.full_low) / (q.full_high - q.full_low) for q in rs]
    fig = go.Figure(go.Bar(y=labels, x=[h - low for low, h in zip(lo, hi, strict=True)],
                           base=lo, orientation="h", marker_color="#1f5f8b",
                           text=[f"{q.low:.3g} … {q.high:.3g} (qp {q.qp:.2g})" for q in rs],
                           textposition="outside", name="box"))
    fig.update_layout(title=f"PRIM box, futures {name}: restricted uncertainties as a share "
                      "of their sampled range", xaxis={"range": [0, 1.35], "tickformat": ".0%",
                                                  "title": "share of the sampled range"},
                      yaxis={"autorange": "reversed", "title": "uncertainty"},
                      height=160 + 28 * len(rs),
                      margin={"l": 330})
    return fig


def _sobol_figure(r: RobustResult) -> Any:
    import plotly.graph_objects as go

    s = r.sobol
    assert s is not None
    idx = np.argsort(-s.total, kind="stable")
    g = [s.groups[i] for i in idx]
    fig = go.Figure([
        go.Bar(x=g, y=s.first[idx], name="first order",
               error_y={"type": "data", "array": s.first_conf[idx]}, marker_color="#9aa7b5"),
        go.Bar(x=g, y=s.total[idx], name="total order",
               error_y={"type": "data", "array": s.total_conf[idx]}, marker_color="#1f5f8b")])
    fig.update_layout(barmode="group", title=f"Sobol' indices of P(catastrophe) under "
                      f"{s.strategy} ({s.conf_level:.0%} bootstrap intervals)",
                      yaxis={"range": [-0.1, 1.05], "title": "Sobol' index"},
                      xaxis_title="group of uncertainties", height=440, margin={"b": 140})
    return fig


def _prim_section(what: str, b: PrimResult, key: str) -> str:
    return (f"<h4>Box {_e(what)}</h4><p>{_e(b.definition)}. Box: coverage "
            f"{b.box.coverage:.0%}, density {b.box.density:.0%} (all futures: "
            f"{b.n_interest / b.n_cases:.0%}), mass {b.box.mass:.0%}, {b.box.res_dim} "
            "restricted dimensions; a quasi-p-value below 0.05 marks a restriction that "
            "matters.</p>"
            + _table(["uncertainty", "rule", "quasi-p"],
                     [[q.name, q.describe(), f"{q.qp:.2g}"] for q in b.restrictions],
                     num_from=2)
            + figure_div(_tradeoff_figure(b, what), f"prim-tradeoff-{key}")
            + figure_div(_box_figure(b, what), f"prim-box-{key}"))


def robust_html(r: RobustResult) -> str:
    """A self-contained offline HTML report of a robust-decision study."""
    sc, t = r.scenario, r.table
    secs = [f'<p class="note">{_e(sc.description)}</p>',
            "<h2>Robustness</h2>" + "".join(f"<p>{_e(x)}</p>" for x in r.explanation)
            + _table(["#", "strategy", "satisficing", "E[gain]", "worst decile", "P(cat) mean",
                      "median", "p90", "regret P p90", "regret gain p90", "autonomy",
                      "best in"], _robustness_rows(r), num_from=2)
            + '<p class="note">Satisficing: share of futures with '
            + _e(r.settings.thresholds.describe()) + ". Worst decile: expected gain in the "
            "future at the 10th percentile. Regret: distance to the best strategy of the same "
            "future (90th percentile over futures). Best in: share of futures where the "
            "strategy has the lowest P(catastrophe).</p>",
            figure_div(_distribution_figure(r), "distribution")]
    if r.pareto is not None:
        secs += ["<h2>Pareto front over per-power floors</h2>",
                 figure_div(_pareto_figure(r), "pareto"),
                 _table([*(f"floor {p}" for p in r.pareto.powers), "E[gain]", "P(cat)",
                         "autonomy"],
                        [[*(f"{q.floors[p]:+.2f}" for p in r.pareto.powers),
                          f"{q.gain_mean:+.2f}", f"{q.p_catastrophe:.1%}",
                          f"{q.autonomy_mean:.3f}"] for q in r.pareto.points], num_from=0)]
    secs.append("<h2>Scenario discovery (PRIM)</h2>")
    for i, x in enumerate(r.robustness):
        parts = [(f"where {x.strategy} fails", r.boxes.get(x.strategy), f"{i}f"),
                 (f"where {x.strategy} succeeds", r.success_boxes.get(x.strategy), f"{i}s")]
        body = "".join(_prim_section(what, b, key) for what, b, key in parts if b is not None)
        if not body:
            continue
        secs.append(f"<h3>{_e(x.strategy)}</h3>{body}" if i == 0 else
                    f"<details><summary>{_e(x.strategy)}</summary>{body}</details>")
    if r.sobol is not None:
        s = r.sobol
        secs += ["<h2>Global sensitivity (Sobol')</h2>", figure_div(_sobol_figure(r), "sobol"),
                 _table(["group", "parameters", "first order", "± CI", "total order", "± CI"],
                        [[s.groups[i], s.members[s.groups[i]], f"{s.first[i]:.3f}",
                          f"{s.first_conf[i]:.3f}", f"{s.total[i]:.3f}",
                          f"{s.total_conf[i]:.3f}"]
                         for i in np.argsort(-s.total, kind="stable")])]
    m = t.manifest
    st = r.engine_stats
    secs.append('<h2>Provenance</h2><p class="note">'
                f"Scenario {_e(m.parameters['scenario'])} "
                + "".join(f"(sha256 {_e(i.sha256[:16])}…)" for i in m.inputs) + "; "
                f"{len(t.names)} uncertainties sampled by Latin hypercube; {t.futures:,} "
                f"futures × {len(t.policies)} strategies × {m.parameters['runs']:,} runs, seed "
                f"{r.seed} ({_e(m.rng or '')}); "
                f"engine {_e(r.engine)} ({st.get('tasks', 0)} tasks, "
                f"{st.get('wall_s', 0):.1f} s); tightrope {_e(m.tightrope_version)}. "
                "Methods: docs/robust.md.</p>")
    return page(f"Robust strategies: {sc.title}", secs, with_maps=False,
                subtitle=f"{t.futures:,} futures sampled from every assumption range")


def _zoom(a: Any, r: RobustResult) -> None:
    """An inset on the front and the named strategies closest to it."""
    from matplotlib.ticker import PercentFormatter

    pf = r.pareto
    if pf is None or not pf.points:
        return
    ps = [q.p_catastrophe for q in pf.points]
    gs = [q.gain_mean for q in pf.points]
    span_p = max(max(ps) - min(ps), 0.01)
    near = [q for q in pf.references if q.p_catastrophe <= max(ps) + 3 * span_p]
    allp = ps + [q.p_catastrophe for q in near]
    allg = gs + [q.gain_mean for q in near]
    ins = a.inset_axes([0.2, 0.52, 0.42, 0.42])
    ins.scatter(ps, gs, c=[q.autonomy_mean for q in pf.points], cmap="viridis", s=14)
    for q in near:
        ins.scatter(q.p_catastrophe, q.gain_mean, marker="x", color="#c0392b")
        ins.annotate(q.label, (q.p_catastrophe, q.gain_mean), fontsize=6,
                     textcoords="offset points", xytext=(3, 2))
    pad_p = 0.1 * (max(allp) - min(allp) or 0.01)
    pad_g = 0.1 * (max(allg) - min(allg) or 0.1)
    ins.set_xlim(min(allp) - pad_p, max(allp) + 4 * pad_p)
    ins.set_ylim(min(allg) - pad_g, max(allg) + pad_g)
    ins.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ins.tick_params(labelsize=6)
    ins.set_title("zoom on the front", fontsize=7)


def write_robust_png(r: RobustResult, path: Path) -> None:
    """A 2×2 PNG: P(catastrophe) across futures by strategy, the Pareto front, PRIM's
    coverage/density trade-off for the most robust strategy, and the Sobol' indices."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    fig = Figure(figsize=(14, 9.5))
    ax = fig.subplots(2, 2)
    a = ax[0, 0]
    names = [x.strategy for x in r.robustness]
    a.boxplot([r.table.outcome("p_catastrophe", n) for n in names], tick_labels=names,
              showmeans=True)
    a.axhline(r.settings.thresholds.max_p_catastrophe, ls=":", color="#c0392b")
    a.set_title("P(catastrophe) across futures (ranked, most robust first)")
    a.set_xlabel("strategy")
    a.set_ylabel("P(catastrophe)")
    a.yaxis.set_major_formatter(PercentFormatter(1.0))
    a.tick_params(axis="x", rotation=35, labelsize=8)
    for lab in a.get_xticklabels():
        lab.set_horizontalalignment("right")
    a = ax[0, 1]
    if r.pareto is not None:
        pts = r.pareto.points
        sc = a.scatter([q.p_catastrophe for q in pts], [q.gain_mean for q in pts],
                       c=[q.autonomy_mean for q in pts], cmap="viridis", s=30)
        fig.colorbar(sc, ax=a, label="autonomy")
        for q in r.pareto.references:
            a.scatter(q.p_catastrophe, q.gain_mean, marker="x", color="#c0392b")
            a.annotate(q.label, (q.p_catastrophe, q.gain_mean), fontsize=7,
                       textcoords="offset points", xytext=(3, 3))
        a.xaxis.set_major_formatter(PercentFormatter(1.0))
        _zoom(a, r)
    a.set_title("Pareto front (per-power floors) and named strategies (x)")
    a.set_xlabel("P(catastrophe)")
    a.set_ylabel("expected gain, pp of GDP")
    a = ax[1, 0]
    top = next((x.strategy for x in r.robustness if x.strategy in r.boxes), None)
    if top is not None:
        b = r.boxes[top]
        tr = b.trajectory
        sc = a.scatter([s.coverage for s in tr], [s.density for s in tr],
                       c=[s.res_dim for s in tr], cmap="viridis", s=18)
        fig.colorbar(sc, ax=a, label="restricted dimensions")
        a.scatter([b.box.coverage], [b.box.density], marker="*", s=200, color="#c0392b")
        rules = "\n".join(q.describe() for q in b.restrictions[:4])
        a.text(0.02, 0.02, rules, transform=a.transAxes, fontsize=7, va="bottom")
        a.set_title(f"PRIM trade-off, {top}: coverage {b.box.coverage:.0%}, density "
                    f"{b.box.density:.0%}")
        a.xaxis.set_major_formatter(PercentFormatter(1.0))
        a.yaxis.set_major_formatter(PercentFormatter(1.0))
    a.set_xlabel("coverage")
    a.set_ylabel("density")
    a = ax[1, 1]
    if r.sobol is not None:
        s = r.sobol
        idx = np.argsort(-s.total, kind="stable")
        x = np.arange(len(idx))
        a.bar(x - 0.2, s.first[idx], 0.4, yerr=s.first_conf[idx], label="first order",
              color="#9aa7b5", capsize=2)
        a.bar(x + 0.2, s.total[idx], 0.4, yerr=s.total_conf[idx], label="total order",
              color="#1f5f8b", capsize=2)
        a.set_xticks(x, [s.groups[i] for i in idx], rotation=40, ha="right", fontsize=7)
        a.legend(fontsize=8)
        a.set_xlabel("group of uncertainties")
        a.set_ylabel("Sobol' index")
        a.set_title(f"Sobol' indices of P(catastrophe) under {s.strategy} "
                    f"({s.conf_level:.0%} CI)")
    fig.suptitle(f"{r.scenario.title} — {r.table.futures:,} futures × {r.settings.runs:,} runs, "
                 f"seed {r.seed}")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
