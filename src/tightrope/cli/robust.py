"""``tightrope robust SCENARIO``: which strategies hold up across thousands of futures.

Thin: parse options, call :func:`tightrope.minefield.robust.robust_analysis`, render tables,
JSON, HTML, PNG and the Parquet experiment table.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table
from rich.text import Text

from tightrope.cli.common import (
    DbOption,
    console,
    err_console,
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
    alias,
    check_engine,
    finite,
    hidden,
    runs_option,
)
from tightrope.errors import InputError
from tightrope.limits import (
    MAX_HORIZON,
    MAX_ROBUST_RUNS,
    MAX_ROBUST_SAMPLES,
    MAX_SEARCH_SIZE,
    MAX_SOBOL_N,
)
from tightrope.minefield import Scenario
from tightrope.minefield.robust import (
    PrimResult,
    RobustResult,
    RobustSettings,
    SearchSettings,
    Thresholds,
    robust_analysis,
)
from tightrope.minefield.service import read_scenario, resolve_exposure_leverage

__all__ = ["register"]

STAGES = {"experiments": "futures × strategies", "search": "NSGA-II search",
          "sobol": "Sobol' sweep"}


def _load(name: str, db: Path | None) -> Scenario:
    sc = read_scenario(name)
    if any(p.leverage_from_exposure for p in sc.powers):
        from tightrope.cli.common import store_at
        from tightrope.exposure import leverage_shares

        with store_at(db) as store:
            sc = resolve_exposure_leverage(sc, partial(leverage_shares, store))
    return sc


def _robustness(r: RobustResult) -> None:
    t = Table("#", "strategy", "meets", "gain", "gain p10", "P(cat)", "P p90", "regret",
              "autonomy",
              title=f"Robustness across {r.table.futures:,} futures ({r.settings.runs:,} runs "
              f"each)")
    t.columns[1].no_wrap = True
    for x in r.robustness:
        t.add_row(str(x.rank), Text(x.strategy), f"{x.satisficing:.1%}", f"{x.gain_mean:+.1f}",
                  f"{x.gain_worst_decile:+.1f}", f"{x.p_catastrophe_mean:.0%}",
                  f"{x.p_catastrophe_p90:.0%}", f"{x.regret_p_catastrophe_p90:.0%}",
                  f"{x.autonomy_mean:.2f}")
    console.print(t)
    _note(f"meets: share of futures with {r.settings.thresholds.describe()}; gain: mean over "
          "futures of the expected cumulative gain (pp of one year's GDP); gain p10: its 10th "
          "percentile over futures (worst decile); P(cat): mean over futures, P p90: 90th "
          "percentile; regret: 90th percentile over futures of P(cat) minus the best "
          "strategy's in the same future")
    for line in r.explanation:
        console.print(Text(line))


def _note(text: str) -> None:
    console.print(Text(text, style="dim"))


def _pareto(r: RobustResult) -> None:
    pf = r.pareto
    if pf is None:
        return
    t = Table(*pf.powers, "gain", "P(cat)", "autonomy",
              title=f"Pareto front: {len(pf.points)} settings of the balancer floor per power "
              f"(NSGA-II, {pf.evaluations} evaluations on {pf.settings.futures} common futures "
              f"× {pf.settings.runs} runs)")
    for q in pf.points[:15]:
        t.add_row(*(f"{q.floors[p]:+.2f}" for p in pf.powers), f"{q.gain_mean:+.2f}",
                  f"{q.p_catastrophe:.1%}", f"{q.autonomy_mean:.3f}")
    console.print(t)
    if len(pf.points) > 15:
        _note(f"({len(pf.points) - 15} more points in --json/--html)")
    t = Table("named strategy", "gain", "P(cat)", "autonomy",
              title="The named strategies on the same futures, for comparison")
    t.columns[0].no_wrap = True
    for q in pf.references:
        t.add_row(Text(q.label), f"{q.gain_mean:+.2f}", f"{q.p_catastrophe:.1%}",
                  f"{q.autonomy_mean:.3f}")
    console.print(t)


def _box(b: PrimResult, what: str) -> None:
    box = b.box
    t = Table("restricted uncertainty", "box", "full range", "quasi-p",
              title=Text(f"PRIM box {what}: coverage {box.coverage:.0%}, density "
                         f"{box.density:.0%} (all futures {b.n_interest / b.n_cases:.0%}), "
                         f"mass {box.mass:.0%}, {box.res_dim} restricted dimensions"))
    t.columns[0].overflow = "fold"
    for q in b.restrictions[:10]:
        t.add_row(Text(q.name), f"{q.low:.3g} … {q.high:.3g}",
                  f"{q.full_low:.3g} … {q.full_high:.3g}", f"{q.qp:.2g}")
    console.print(t)
    scr = (f"PRIM peeled the {len(b.screened)} uncertainties whose distribution differs in "
           "those futures most (KS test)" if b.screened else "PRIM peeled every "
           "uncertainty")
    _note(f"{b.definition}. Coverage: share of those futures inside the box; density: share "
          f"of the futures inside the box that are such futures. {scr}; {len(b.trajectory)} "
          "boxes on the peeling trajectory; quasi-p < 0.05: the restriction matters"
          + ("" if b.meets_threshold else f"; no box reaches density {b.threshold:.0%}, this "
             "is the densest"))


def _boxes(r: RobustResult, show: int) -> None:
    shown = [x.strategy for x in r.robustness if x.strategy in r.boxes][:show]
    for name in shown:
        _box(r.boxes[name], f"where {name} fails")
        if name in r.success_boxes:
            _box(r.success_boxes[name], f"where {name} succeeds")
    rest = [f"{k}: coverage {v.box.coverage:.0%} density {v.box.density:.0%}"
            for k, v in r.boxes.items() if k not in shown]
    if rest:
        _note("failure boxes of the other strategies (--json/--html for details): "
              + "; ".join(rest))


def _sobol(r: RobustResult) -> None:
    s = r.sobol
    if s is None:
        return
    pct = f"{s.conf_level:.0%}"
    t = Table("uncertainty group", "params", f"first order ± {pct}", f"total order ± {pct}",
              title=Text(f"Sobol' indices of P(catastrophe) under {s.strategy} "
                         f"({s.evaluations:,} evaluations, N = {s.base_samples}, "
                         f"{r.settings.sobol_run_count()} runs each)"))
    ok = s.within_error()
    for i in sorted(range(len(s.groups)), key=lambda i: -s.total[i]):
        t.add_row(Text(s.groups[i]), str(s.members[s.groups[i]]),
                  f"{s.first[i]:.3f} ± {s.first_conf[i]:.3f}",
                  f"{s.total[i]:.3f} ± {s.total_conf[i]:.3f}" + ("" if ok[i] else " *"))
    console.print(t)
    bad = int((~ok).sum())
    _note(f"first <= total and both in [0, 1] within the {pct} bootstrap intervals for "
          f"{len(ok) - bad} of {len(ok)} groups" + (" (* outside)" if bad else "")
          + (f"; {s.note}" if s.note else ""))


def _footer(r: RobustResult) -> None:
    st = r.engine_stats
    times = ", ".join(f"{k} {v:.1f} s" for k, v in r.timings.items())
    _note(f"engine {r.engine}: {st.get('tasks', 0)} tasks on {st.get('workers', 1)} worker(s), "
          f"experiment sweep {st.get('wall_s', 0):.1f} s (scheduler overhead "
          f"{st.get('overhead_s', 0):.2f} s"
          + (f", {st['noop_ms_per_task']:.1f} ms per empty task"
             if st.get("noop_ms_per_task") else "") + f"); {times}; seed {r.seed}")


def robust_cmd(
    scenario: Annotated[str, typer.Argument(help="Shipped scenario name (kazakhstan-2023, "
                                                 "jordan-2024) or a YAML path.")],
    samples: Annotated[int, typer.Option(
        "--samples", min=1, max=MAX_ROBUST_SAMPLES,
        help=f"Futures, Latin hypercube (1 … {MAX_ROBUST_SAMPLES:,}).")] = 1000,
    runs: Annotated[int, runs_option(MAX_ROBUST_RUNS, "Trajectories per future")] = 2000,
    seed: SeedOpt = DEFAULT_SEED,
    horizon: Annotated[int | None, typer.Option("--horizon", min=1, max=MAX_HORIZON,
                                                help="Quarters (default: the file's).")] = None,
    strategy: Annotated[str | None, typer.Option(
        "--strategy", "-s", help="all, or a comma list (balancer, balancer@0.1, isolation, "
        "bandwagon:<power>, file sequences); default all.")] = None,
    engine: Annotated[str, typer.Option("--engine", callback=check_engine,
                                        help="local or dask.")] = "local",
    workers: Annotated[int | None, typer.Option("--workers", min=1, max=1024,
                                                help="Dask workers (default: CPU count).")]
    = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Address of a running "
                                                  "Dask scheduler.")] = None,
    max_pcat: Annotated[float, typer.Option(
        "--max-pcat", callback=finite(0.0, 1.0, "a share"),
        help="Satisficing: P(catastrophe) below this share, in [0, 1].")] = 0.2,
    min_gain: Annotated[float, typer.Option(
        "--min-gain", callback=finite(-1e6, 1e6, "a gain in pp of GDP"),
        help="Satisficing: expected gain above this (pp of GDP).")] = 0.0,
    search: Annotated[bool, typer.Option("--search/--no-search", help="Pareto search over "
                                         "per-power floors.")] = True,
    population: Annotated[int, typer.Option("--population", min=1, max=MAX_SEARCH_SIZE,
                                            help="NSGA-II population.")] = 24,
    generations: Annotated[int, typer.Option("--generations", min=1, max=MAX_SEARCH_SIZE,
                                             help="NSGA-II generations.")] = 10,
    search_futures: Annotated[int, typer.Option("--search-futures", min=1,
                                                max=MAX_SEARCH_SIZE,
                                                help="Common futures of the search.")] = 24,
    sobol: Annotated[bool, typer.Option("--sobol/--no-sobol", help="Sobol' indices.")] = True,
    sobol_n: Annotated[int, typer.Option("--sobol-n", min=2, max=MAX_SOBOL_N,
                                         help="Sobol' base sample (power of two).")] = 128,
    sobol_groups: Annotated[str, typer.Option("--sobol-groups", help="block, screen or "
                                              "parameter.")] = "block",
    sobol_strategy: Annotated[str | None, typer.Option("--sobol-strategy", help="Default: the "
                                                       "most robust strategy.")] = None,
    boxes: Annotated[int, typer.Option("--boxes", min=0, max=1000,
                                       help="PRIM boxes to print.")] = 1,
    json_out: JsonOpt = False,
    html_out: HtmlOpt = None,
    png_out: PngOpt = None,
    out: Annotated[Path | None, typer.Option("-o", "--out", metavar="DIR", file_okay=False,
                                             help="Folder for experiments.parquet and "
                                                  "manifest.json.")] = None,
    strategies_old: Annotated[str | None, hidden("--strategies")] = None,
    db: DbOption = None,
) -> None:
    """Evaluate strategies across sampled futures: robustness, Pareto front, PRIM, Sobol'."""
    strategies = alias(strategy, strategies_old, new_name="--strategy",
                       old_name="--strategies") or "all"
    if sobol_groups not in ("block", "screen", "parameter"):
        raise InputError(f"grouping {sobol_groups!r}", where="--sobol-groups",
                         expected="block, screen or parameter")
    sc = _load(scenario, db)
    eng: Literal["local", "dask"] = "dask" if engine == "dask" else "local"
    grp: Literal["block", "screen", "parameter"] = (
        "screen" if sobol_groups == "screen" else
        "parameter" if sobol_groups == "parameter" else "block")
    settings = RobustSettings(
        horizon=horizon, thresholds=Thresholds(max_pcat, min_gain),
        search=SearchSettings(population, generations, min(search_futures, samples),
                              min(runs, 400)),
        sobol_n=sobol_n, sobol_groups=grp, sobol_strategy=sobol_strategy)
    with progress_bar(f"{STAGES['experiments']}", None) as bar:
        task = bar.task_ids[0]

        def step(done: int, total: int, message: str = "") -> None:
            bar.update(task, description=STAGES.get(message, message), completed=done,
                       total=total)

        res = robust_analysis(sc, samples, runs, seed, eng, step, settings=settings,
                              search=search, sensitivity=sobol, workers=workers,
                              scheduler=scheduler, strategies=strategies)
    if out is not None:
        pq, man = res.table.save(out)
        err_console.print(f"Wrote {pq} and {man}")
    if json_out:
        print_json(res.to_json())
    else:
        _robustness(res)
        _pareto(res)
        _boxes(res, boxes)
        _sobol(res)
        _footer(res)
    if html_out is not None or png_out is not None:
        from tightrope.report.robust import robust_html, write_robust_png

        write_report_files(html_out, lambda: robust_html(res), png_out,
                           lambda p: write_robust_png(res, p))


def register(app: typer.Typer) -> None:
    app.command("robust")(robust_cmd)
