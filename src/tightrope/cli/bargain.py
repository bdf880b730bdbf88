"""``tightrope bargain ACTORS``: expected-utility bargaining forecast for one issue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tightrope.bargaining import EXAMPLES, VARIANTS, ForecastResult, forecast
from tightrope.cli.common import bar_progress, console, err_console, print_json, progress_bar
from tightrope.cli.options import (
    DEFAULT_SEED,
    JsonOpt,
    PngOpt,
    SeedOpt,
    alias,
    finite,
    hidden,
    runs_option,
)
from tightrope.errors import InputError
from tightrope.limits import MAX_BARGAIN_ROUNDS, MAX_BARGAIN_RUNS

__all__ = ["register"]

_MARK = {"confrontation": "⚔", "compromise": "≈", "capitulation": "⇥"}


def _fmt(v: float) -> str:
    return f"{v:.4g}" if abs(v) < 1000 else f"{v:,.0f}"


def render(res: ForecastResult) -> None:
    """Rich tables: rounds, actors, forecast, Monte Carlo summary."""
    traj, st, meta = res.trajectory, res.trajectory.settlement, res.actors.meta
    title = meta.get("title") or res.actors.source or "bargaining"
    console.rule(f"[bold]{title}")
    if "illustrative" in str(meta.get("status", "")):
        console.print("[bold red]Illustrative expert-judgement inputs — assumptions, not data.")
    console.print(f"variant [bold]{res.options.name}[/]: {res.options.source}", highlight=False)
    t = Table("round", "median", "mean", "moves (⚔ lost confrontation, ≈ compromise, "
              "⇥ capitulation)", title="Rounds")
    t.add_row("0", _fmt(traj.medians[0]), _fmt(traj.means[0]), "initial positions")
    for rec in traj.round_records()[1:]:
        moves = [f"{a['actor']} {_MARK[a['offer']]} {a['partner']} → {_fmt(a['position'])}"
                 for a in rec["actors"] if a["offer"] != "none"]
        t.add_row(str(rec["round"]), _fmt(rec["median"]), _fmt(rec["mean"]),
                  "; ".join(moves) or "nobody moves")
    console.print(t)
    t = Table("actor", "capability", "salience", "start", "end", "risk exponent (last round)",
              title="Actors")
    for i, name in enumerate(traj.names):
        t.add_row(name, _fmt(res.actors.capability[i]), f"{res.actors.salience[i]:.2f}",
                  _fmt(traj.positions[0, i]), _fmt(traj.positions[-1, i]),
                  f"{traj.risk[-1, i]:.3f}")
    console.print(t)
    if st.status == "converged":
        console.print(f"[bold green]Converged[/] after round {st.round}: median "
                      f"[bold]{_fmt(st.median)}[/], weighted mean [bold]{_fmt(st.mean)}[/].")
    elif st.status == "cycle":
        console.print(
            f"[bold yellow]Cycles[/] with period {st.period} (detected at round {st.round}): "
            f"median ranges {_fmt(st.median_range[0])}–{_fmt(st.median_range[1])}, weighted "
            f"mean {_fmt(st.mean_range[0])}–{_fmt(st.mean_range[1])}. No single forecast.")
    else:
        console.print(
            f"[bold yellow]Not settled[/] after {st.round} rounds: over rounds "
            f"{st.window[0]}–{st.window[1]} the median ranges {_fmt(st.median_range[0])}–"
            f"{_fmt(st.median_range[1])}, the weighted mean {_fmt(st.mean_range[0])}–"
            f"{_fmt(st.mean_range[1])}.")
    if res.monte_carlo is not None:
        s = res.monte_carlo.summary()
        t = Table("forecast", "p05", "p25", "p50", "p75", "p95",
                  title=f"Monte Carlo: {s['runs']} runs, seed {s['seed']}")
        for key in ("median", "mean"):
            q = s[key]
            t.add_row(key, *(_fmt(q[k]) for k in ("p05", "p25", "p50", "p75", "p95")))
        console.print(t)
        share = s["status_share"]
        console.print(f"runs converged {share['converged']:.0%}, cycled {share['cycle']:.0%}, "
                      f"unsettled {share['unsettled']:.0%}")


def register(app: typer.Typer) -> None:
    @app.command("bargain")
    def bargain(
        actors: Annotated[str, typer.Argument(
            help="CSV (actor,capability,position,salience), YAML/JSON, or an example: "
                 + ", ".join(EXAMPLES) + ".")],
        variant: Annotated[str, typer.Option(
            help="Model variant: " + ", ".join(VARIANTS) + " (scholz = the replication).")]
        = "scholz",
        rounds: Annotated[int, typer.Option(
            min=1, max=MAX_BARGAIN_ROUNDS,
            help=f"Maximum rounds of bargaining (1 … {MAX_BARGAIN_ROUNDS}).")] = 20,
        runs: Annotated[int, runs_option(MAX_BARGAIN_RUNS, "Monte Carlo runs over input "
                                         "ranges, 0 for none", minimum=0)] = 0,
        seed: SeedOpt = DEFAULT_SEED,
        status_quo_prob: Annotated[float | None, typer.Option(
            "--status-quo-prob", callback=finite(0.0, 1.0, "a probability"),
            help="Override Q, the probability of the status quo if nobody challenges.")]
        = None,
        improvement_prob: Annotated[float | None, typer.Option(
            "--improvement-prob", callback=finite(0.0, 1.0, "a probability"),
            help="Override T, the probability that the status quo improves.")] = None,
        spread: Annotated[float | None, typer.Option(
            callback=finite(0.0, 1.0, "a fraction"),
            help="Give inputs without a range ± this fraction for the Monte Carlo.")] = None,
        json_out: JsonOpt = False,
        png: PngOpt = None,
        plot: Annotated[Path | None, hidden("--plot")] = None,
        q_old: Annotated[float | None, hidden("--q")] = None,
        t_old: Annotated[float | None, hidden("--t")] = None,
    ) -> None:
        """Forecast where an issue settles with Bueno de Mesquita's expected-utility model."""
        png = alias(png, plot, new_name="--png", old_name="--plot")
        q = finite(0.0, 1.0, "a probability")(
            alias(status_quo_prob, q_old, new_name="--status-quo-prob", old_name="--q"))
        t = finite(0.0, 1.0, "a probability")(
            alias(improvement_prob, t_old, new_name="--improvement-prob", old_name="--t"))
        if variant.lower() not in VARIANTS:
            raise InputError(f"unknown variant {variant!r}",
                             expected="one of " + ", ".join(VARIANTS))
        if runs > 0:
            with progress_bar("bargaining", rounds) as bar:
                res = forecast(actors, variant.lower(), rounds, runs, seed, q=q, t=t,
                               spread=spread, progress=bar_progress(bar))
        else:
            res = forecast(actors, variant.lower(), rounds, runs, seed, q=q, t=t,
                           spread=spread)
        if png is not None:
            from tightrope.report.bargaining import write_positions_png

            write_positions_png(res, png)
            err_console.print(f"chart written to {png}")
        if json_out:
            print_json(res.to_json())
        else:
            render(res)
