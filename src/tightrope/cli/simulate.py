"""``tightrope simulate SCENARIO``: Monte-Carlo futures of a middle power's moves.

Thin: parse options, call :mod:`tightrope.minefield`, render tables / JSON / HTML / PNG.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from tightrope.cli.common import (
    DbOption,
    bar_progress,
    console,
    print_json,
    progress_bar,
    write_report_files,
)
from tightrope.cli.options import (
    DEFAULT_SEED,
    HtmlOpt,
    JsonOpt,
    PngOpt,
    SeedOpt,
    finite,
    runs_option,
)
from tightrope.limits import MAX_HORIZON, MAX_SIMULATE_RUNS
from tightrope.minefield import Comparison, Scenario, SimulationResult, compare, simulate
from tightrope.minefield.service import read_scenario, resolve_exposure_leverage
from tightrope.minefield.spec import COERCION_RUNGS, REWARD_RUNGS

__all__ = ["register"]


def _load(name: str, db: Path | None) -> Scenario:
    sc = read_scenario(name)
    if any(p.leverage_from_exposure for p in sc.powers):
        from tightrope.cli.common import store_at
        from tightrope.exposure import leverage_shares

        with store_at(db) as store:
            sc = resolve_exposure_leverage(sc, partial(leverage_shares, store))
    return sc


def _v(sc: Scenario, name: str, fmt: str = "{:.2f}") -> str:
    p = sc.params.get(name)
    if p is None:
        return "–"
    s = fmt.format(p.central)
    if p.uncertain:
        s += f" [{fmt.format(p.low)}…{fmt.format(p.high)}]"
    return s + {"fact": "", "evidence": "†"}.get(p.kind, "*")


def explain(sc: Scenario) -> None:
    """Print what was understood from the scenario file."""
    console.rule(f"[bold]{sc.title}")
    console.print(f"focal: {sc.focal_name} ({sc.focal_iso3}); start {sc.start or '–'}; "
                  f"horizon {sc.horizon} quarters; file {sc.source}")
    n = sc.provenance_counts()
    console.print(f"{len(sc.params)} parameters, {len(sc.uncertainties())} with a range "
                  "(deep uncertainties); † marks a rate estimated from data, * a judgement, "
                  "the rest are cited facts")
    console.print(f"provenance: {n['evidence']} on evidence (fitted rates), {n['fact']} on a "
                  f"cited fact, {n['judgement']} on judgement "
                  f"({n['evidence'] / max(len(sc.params), 1):.0%} evidence-backed)",
                  highlight=False)
    t = Table("power", "attitude", "leverage", "dependence", "red line",
              title="Powers (dependence: " + " / ".join(sc.channels) + ")")
    for p in sc.powers:
        dep = " / ".join(f"{sc.central(f'powers.{p.key}.dependence.{c}'):.3g}"
                         for c in sc.channels)
        lev = "from exposure" if p.leverage_from_exposure and not sc.has(
            f"powers.{p.key}.leverage") else _v(sc, f"powers.{p.key}.leverage")
        t.add_row(f"{p.name} ({p.key})", _v(sc, f"powers.{p.key}.attitude"), lev, dep,
                  _v(sc, f"powers.{p.key}.red_line"))
    console.print(t)
    t = Table("power", "rewards P(at least)", "coercion P(at least), per quarter",
              title="Reaction ladders at the initial state")
    for p in sc.powers:
        rw = ", ".join(f"{k} {sc.central(f'powers.{p.key}.rewards.{k}'):.3g}"
                       for k in REWARD_RUNGS if sc.has(f"powers.{p.key}.rewards.{k}"))
        co = ", ".join(f"{k} {sc.central(f'powers.{p.key}.coercion.{k}'):.3g}"
                       for k in COERCION_RUNGS if sc.has(f"powers.{p.key}.coercion.{k}"))
        t.add_row(p.key, rw or "–", co or "–")
    console.print(t)
    t = Table("move", "gain/qtr", "attitude effects", "alignment", title="Moves")
    for m in sc.moves:
        eff = ", ".join(f"{p.key} {sc.central(f'moves.{m.key}.attitude.{p.key}'):+.2f}"
                        for p in sc.powers if sc.has(f"moves.{m.key}.attitude.{p.key}"))
        al = ", ".join(f"{p.key} {sc.central(f'moves.{m.key}.alignment.{p.key}'):+.1f}"
                       for p in sc.powers if sc.has(f"moves.{m.key}.alignment.{p.key}"))
        t.add_row(f"{m.key}\n[dim]{m.label}", _v(sc, f"moves.{m.key}.gain"), eff or "–",
                  al or "–")
    console.print(t)
    t = Table("shock", "rate/qtr", "gain", "coercion boost (logit)", title="Shocks")
    for s in sc.shocks:
        co = ", ".join(f"{p.key} {sc.central(f'shocks.{s.key}.coercion.{p.key}'):+.1f}"
                       for p in sc.powers if sc.has(f"shocks.{s.key}.coercion.{p.key}"))
        t.add_row(f"{s.key}\n[dim]{s.label}", _v(sc, f"shocks.{s.key}.rate"),
                  _v(sc, f"shocks.{s.key}.gain"), co or "–")
    console.print(t)
    for c in sc.catastrophes:
        trig = (f"; economic trigger: gain below "
                f"{_v(sc, f'catastrophes.{c.key}.economic_trigger.gain_below')} with hazard "
                f"{_v(sc, f'catastrophes.{c.key}.economic_trigger.hazard', '{:.3f}')}"
                if c.economic else "")
        console.print(f"catastrophe [bold]{c.key}[/]: {c.label}{trig}")
    ev = [p for p in sc.params.values() if p.kind == "evidence"]
    if ev:
        t = Table("parameter", "value [90% interval]", "estimate", "reference class and data",
                  title=f"Parameters resting on evidence ({len(ev)})")
        for f in ev:
            t.add_row(f.name, _v(sc, f.name, "{:.3g}"), f.origin.partition(":")[2],
                      escape(f.citation()))
        console.print(t)
    facts = [p for p in sc.params.values() if p.kind == "fact"]
    t = Table("parameter", "value", "source", title=f"Sourced parameters ({len(facts)}; "
              f"{n['judgement']} are judgements with ranges)")
    for f in facts:
        t.add_row(f.name, _v(sc, f.name, "{:.3g}"), escape(f.citation()))
    console.print(t)
    lv = sc.lever("balancer.floor")
    console.print(f"balancer floor (lever) {lv.value:g} in [{lv.low:g}, {lv.high:g}]; "
                  f"respects red lines: {sc.respect_red_lines}; sequences: "
                  + (", ".join(s.key for s in sc.sequences) or "none"))


def _summary(results: list[SimulationResult]) -> None:
    kinds = list(results[0].by_kind)
    t = Table("strategy", "P(cat) [95% CI]", *(k.replace("_", " ") for k in kinds),
              "gain mean", "gain p10", "autonomy",
              title=f"{results[0].title}: {results[0].runs:,} runs, "
              f"{results[0].horizon} quarters, seed {results[0].seed}")
    for r in results:
        t.add_row(escape(r.strategy), f"{r.p_catastrophe:.2%} [{r.ci[0]:.2%}, {r.ci[1]:.2%}]",
                  *(f"{r.by_kind[k]:.2%}" for k in kinds), f"{r.gain['mean']:+.2f}",
                  f"{r.gain['quantiles']['q10']:+.2f}", f"{r.autonomy['mean']:.3f}")
    console.print(t)
    console.print("[dim]gain: cumulative, percentage points of one year's GDP; autonomy: mean "
                  "balance index (1 − normalised HHI of dependences), 0 after a catastrophe")


def _mistakes(r: SimulationResult, top: int = 8) -> None:
    if not r.first_mistakes:
        return
    t = Table("move", "reacting power", "its attitude before", "catastrophe", "share",
              "per 1,000 qtrs", title=f"First mistakes ({r.strategy}): what came right "
              "before catastrophe")
    for row in r.first_mistakes[:top]:
        rate = row["rate_per_1000"]
        t.add_row(row["move"], row["reacting_power"], row["attitude_band"], row["catastrophe"],
                  f"{row['share_of_catastrophes']:.1%}", "–" if rate is None else f"{rate:.2f}")
    console.print(t)


def _checks(c: Comparison) -> None:
    for ch in c.checks:
        lo, hi = ch["difference_ci95"]
        console.print(f"balancer vs {ch['bandwagon']}: {ch['p_balancer']:.2%} vs "
                      f"{ch['p_bandwagon']:.2%}, paired difference {ch['difference']:+.2%} "
                      f"[{lo:+.2%}, {hi:+.2%}] -> {ch['verdict']}", emoji=False,
                      markup=False, highlight=False)


def simulate_cmd(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name (kazakhstan-2023, "
                                                 "jordan-2024) or a YAML path.")],
    strategy: Annotated[str, typer.Option("--strategy", "-s", help="balancer, isolation, "
                                          "bandwagon:<power>, a sequence from the file, or "
                                          "all.")] = "balancer",
    runs: Annotated[int, runs_option(MAX_SIMULATE_RUNS, "Trajectories")] = 10_000,
    seed: SeedOpt = DEFAULT_SEED,
    horizon: Annotated[int | None, typer.Option("--horizon", min=1, max=MAX_HORIZON,
                                                help="Quarters (default: the file's).")] = None,
    floor: Annotated[float | None, typer.Option(
        "--floor", callback=finite(-1.0, 1.0, "an attitude"),
        help="Balancer attitude floor in [-1, 1] (default: the file's lever value).")] = None,
    explain_: Annotated[bool, typer.Option("--explain", help="Print what was understood from "
                                           "the file and stop.")] = False,
    json_out: JsonOpt = False,
    html_out: HtmlOpt = None,
    png_out: PngOpt = None,
    db: DbOption = None,
) -> None:
    """Simulate many futures of a scenario under one strategy (or compare them all)."""
    sc = _load(scenario, db)
    if explain_:
        if json_out:
            print_json(sc.summary())
        else:
            explain(sc)
        return
    names = "all" if strategy.strip().lower() == "all" else strategy
    T = horizon or sc.horizon
    with progress_bar(f"simulating {runs:,} futures", T) as bar:
        step = bar_progress(bar)
        out: Any
        if names == "all":
            out = compare(sc, "all", runs, seed, horizon, floor=floor, progress=step)
            results = out.results
        else:
            out = simulate(sc, names, runs, seed, horizon, floor=floor, progress=step)
            results = [out]
    if json_out:
        print_json(out.to_json())
    else:
        _summary(results)
        _mistakes(results[0])
        if isinstance(out, Comparison):
            _checks(out)
    if html_out is not None or png_out is not None:
        from tightrope.report.minefield import minefield_html, write_minefield_png

        comp = out if isinstance(out, Comparison) else Comparison(sc, results)
        write_report_files(html_out, lambda: minefield_html(comp), png_out,
                           lambda p: write_minefield_png(comp, p))


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate_cmd)
