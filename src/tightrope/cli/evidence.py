"""``tightrope evidence``: the fitted base rates and their back-test.

Thin: parse options, call :mod:`tightrope.evidence`, render tables / JSON / PNG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from tightrope.cli.common import console, print_json
from tightrope.cli.options import DEFAULT_SEED, JsonOpt, SeedOpt, runs_option

__all__ = ["register"]

#: Upper bound of back-test --runs (bootstrap resamples per score).
MAX_BOOTSTRAP = 20_000

evidence_app = typer.Typer(help="Base rates from data (MID, ICEWS) and their back-test.",
                           no_args_is_help=True)


@evidence_app.command("rates")
def rates_cmd(
    match: Annotated[str, typer.Argument(help="Show estimates whose name contains this "
                                              "text (e.g. 'russia_post_soviet.force').")] = "",
    quarterly: Annotated[bool, typer.Option("--quarterly", help="Convert rates per dyad-year "
                                            "to per quarter.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List the shipped rates: value, 90% interval, events of trials, reference class."""
    from tightrope.evidence import covariates, estimate, rates, rates_meta

    names = [n for n in rates() if match in n]
    rows = [estimate(n, quarterly=quarterly) for n in names]
    if json_out:
        print_json({**rates_meta(), "estimates": [r.to_dict() for r in rows],
                    "covariates": covariates()})
        return
    t = Table("estimate", "rate [90% interval]", "per", "events / trials", "reference class",
              title=f"Base rates ({len(rows)} of {len(rates())})")
    for e in rows:
        t.add_row(e.name, f"{e.mean:.4f} [{e.low:.4f}, {e.high:.4f}]", e.per,
                  f"{e.events} / {e.trials}", escape(e.reference_class))
    console.print(t)
    if not match:
        t = Table("covariate", "rung", "odds ratio [95% CI, clustered by dyad]",
                  title="How the rate depends on the dyad (great powers toward neighbours)")
        for c in covariates():
            orr = ("not estimable" if c["odds_ratio"] is None else
                   f"{c['odds_ratio']:.2f} [{c['low']:.2f}, {c['high']:.2f}]")
            t.add_row(c["covariate"], c["rung"], orr)
        console.print(t)


@evidence_app.command("back-test")
def backtest_cmd(
    data: Annotated[Path | None, typer.Option(
        "--data", metavar="DIR", file_okay=False,
        help="The shared data folder (default: ../shared/data when present).")] = None,
    seed: SeedOpt = DEFAULT_SEED,
    runs: Annotated[int, runs_option(MAX_BOOTSTRAP, "Bootstrap resamples per score")] = 2000,
    json_out: JsonOpt = False,
    png_out: Annotated[Path | None, typer.Option(
        "--png", metavar="FILE", dir_okay=False,
        help="Write a reliability diagram to FILE.")] = None,
) -> None:
    """Score the reference-class forecasts: Brier, skill vs climatology, reliability."""
    from tightrope.evidence.backtest import DESIGN, run_backtests
    from tightrope.evidence.data import find_shared_data
    from tightrope.extras import require_extra

    require_extra("evidence", "the back-test's covariate model")
    shared = find_shared_data(data)
    rows = [r.to_json() for r in run_backtests(shared, seed=seed, reps=runs)]
    if json_out:
        print_json({"design": DESIGN, "seed": seed, "bootstrap_resamples": runs,
                    "results": rows})
    else:
        _print(rows, seed, runs)
    if png_out is not None:
        from tightrope.cli.common import write_report_files
        from tightrope.report.evidence import write_reliability_png

        write_report_files(None, str, png_out, lambda p: write_reliability_png(rows, p))


def _print(rows: list[dict[str, Any]], seed: int, runs: int) -> None:
    t = Table("forecast set", "n", "events", "Brier", "Brier (climatology)",
              "skill [90% interval]", "verdict",
              title=f"Back-test (bootstrap over dyads: {runs:,} resamples, seed {seed})")
    for r in rows:
        lo, hi = r["skill_interval"]
        t.add_row(str(r["key"]), str(r["n"]), str(r["events"]), f"{r['brier']:.4f}",
                  f"{r['brier_climatology']:.4f}", f"{r['skill']:+.3f} [{lo:+.3f}, {hi:+.3f}]",
                  str(r["verdict"]))
    console.print(t)
    for r in rows:
        bins = ", ".join(f"{b['low']:g}-{b['high']:g}: {b['forecast']:.3f} vs "
                         f"{b['observed']:.3f} (n={b['n']})" for b in r["reliability"])
        console.print(f"[dim]{r['key']} reliability (forecast vs observed): {bins}",
                      highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")
