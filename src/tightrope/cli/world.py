"""``tightrope world``: every Factbook country's balance between the camps, ranked."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tightrope.cli.common import DbOption, console, err_console, print_json, store_at
from tightrope.cli.options import DEFAULT_SEED, JsonOpt, SeedOpt, runs_option
from tightrope.errors import InputError

__all__ = ["register"]

#: Upper bound of --runs: the bands of ~260 countries, a few seconds per 10,000 draws.
MAX_WORLD_RUNS = 100_000


def world(
    db: DbOption = None,
    json_out: JsonOpt = False,
    html_out: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", dir_okay=False,
        help="Write an offline HTML page to FILE: world map and sortable table.")] = None,
    png_out: Annotated[Path | None, typer.Option(
        "--png", metavar="FILE", dir_okay=False, help="Write a PNG world map to FILE.")] = None,
    csv_out: Annotated[Path | None, typer.Option(
        "--csv", metavar="FILE", dir_okay=False, help="Write the ranking as CSV to FILE.")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Rows to print (0: all).")] = 40,
    runs: Annotated[int, runs_option(MAX_WORLD_RUNS, "Monte Carlo draws for the bands")] = 1000,
    seed: SeedOpt = DEFAULT_SEED,
    validate_: Annotated[bool, typer.Option(
        "--validate", help="Also report the validation against the literature.")] = False,
) -> None:
    """Rank every country by its balance between the West, Russia and China."""
    from tightrope.exposure.validation import validate
    from tightrope.exposure.world import world_balance

    for p in (html_out, png_out, csv_out):
        if p is not None and not p.parent.exists():
            raise InputError(f"{p}: folder {p.parent} does not exist", where=str(p),
                             expected="a file in an existing folder")
    t0 = time.perf_counter()
    with store_at(db) as store:
        w = world_balance(store, seed=seed, runs=runs)
    elapsed = time.perf_counter() - t0
    check = validate(w) if (validate_ or html_out is not None) else None
    if csv_out is not None:
        from tightrope.io import atomic_write_text
        from tightrope.report.world import world_csv

        atomic_write_text(csv_out, world_csv(w))
        err_console.print(f"Wrote {csv_out}")
    if html_out is not None or png_out is not None:
        from tightrope.cli.common import write_report_files
        from tightrope.report.world import world_html, write_world_png

        write_report_files(html_out, lambda: world_html(w, check), png_out,
                           lambda p: write_world_png(w, p))
    if json_out:
        doc = w.to_json()
        if check is not None:
            doc["validation"] = check
        print_json(doc)
        return
    ranked = [c for c in w.ranked() if c.rank is not None]
    t = Table("rank", "country", "overall", "5–95%", "class", "leading camp", "channels",
              title="Hedging between the West, Russia and China (1 = strong, even ties to two "
                    "camps; 0 = one camp or none)")
    for c in ranked[: top or None]:
        t.add_row(str(c.rank), f"{c.name} ({c.iso3})", f"{c.overall:.2f}",
                  f"{c.band[0]:.2f}–{c.band[1]:.2f}", c.klass or "",
                  c.leading_camp or "", str(c.n_channels))
    console.print(t)
    valued = sum(1 for c in w.countries if c.overall == c.overall)
    console.print(f"{len(ranked)} of {len(w.countries)} Factbook countries ranked (outside every "
                  f"camp, at least 3 known headline channels); {w.n_member_ranked()} camp "
                  f"members ranked among themselves (--json: member_rank); {valued} have a "
                  f"value; computed in {elapsed:.1f} s ({runs} draws, seed {seed}).")
    if check is not None:
        f, g, h = check["in_sample_v1_set"], check["in_sample_v2_set"], check["seen_v3_set"]
        console.print(f"Validation (method v4): no held-out set remains, so every AUC is "
                      f"in-sample: first set {f['auc']:.2f}, v2 set {g['auc']:.2f}, v3 set "
                      f"{h['auc']:.2f} ({h['n_hedging']} hedging, {h['n_aligned']} aligned); "
                      f"2022 Ukraine vote AUC {check['ukraine_2022']['auc']:.2f}.")


def register(app: typer.Typer) -> None:
    app.command("world")(world)
