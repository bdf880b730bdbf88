"""``tightrope compare A B [C…]``: balance and leaning side by side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from tightrope.cli.common import DbOption, console, print_json, progress_bar, store_at
from tightrope.cli.exposure_opts import PowersOption, RunsOption, SeedOption, settings_from
from tightrope.cli.options import DEFAULT_SEED, JsonOpt
from tightrope.errors import InputError
from tightrope.exposure import CHANNELS, exposure_profile
from tightrope.exposure.matrix import min_known_powers
from tightrope.ingest.codes import country_codes

__all__ = ["register"]


def compare(
    countries: Annotated[list[str], typer.Argument(help="Two or more countries (name or code).")],
    db: DbOption = None,
    powers: PowersOption = None,
    runs: RunsOption = 1000,
    seed: SeedOption = DEFAULT_SEED,
    json_out: JsonOpt = False,
) -> None:
    """Compare exposure and balance across countries, channel by channel."""
    codes = list(dict.fromkeys(country_codes().resolve(c) for c in countries))
    if len(codes) < 2:
        raise InputError("compare needs at least two different countries")
    settings = settings_from(powers, runs, seed)
    results = []
    with store_at(db) as store, progress_bar("profiling", len(codes)) as bar:
        for c in codes:
            bar.update(bar.task_ids[0], description=f"profiling {c}")
            results.append(exposure_profile(store, c, settings))
            bar.advance(bar.task_ids[0])
    from tightrope.exposure.world import camp_balance_entries

    with store_at(db) as store:
        camps = camp_balance_entries(store, codes, seed=seed)
    if json_out:
        print_json({"schema": "tightrope.compare/1", "runs": runs, "seed": seed, "countries": [
            {"iso3": r.focal, "name": r.name, "powers": list(r.powers),
             "camp_balance": camps.get(r.focal),
             "balance_index": r.to_json()["balance_index"], "vector": r.matrix.vector(),
             "missing_channels": r.missing_channels,
             "unknown_cells": r.unknown_cells()} for r in results]})
        return
    head = Table("", *[f"{r.name} ({r.focal})" for r in results],
                 title="Headline: hedging between the West, Russia and China (1 = strong, even "
                       "ties to two camps; 0 = one camp or none)")
    cbs = [camps.get(r.focal) or {} for r in results]

    def cell(cb: dict[str, Any], f: Callable[[dict[str, Any]], str]) -> str:
        return f(cb) if cb.get("overall", {}).get("value") is not None else "no data"

    head.add_row("index [5-95%]", *[cell(cb, lambda c: (
        f"[b]{c['overall']['value']:.2f}[/b] [{c['overall']['band'][0]:.2f}–"
        f"{c['overall']['band'][1]:.2f}]")) for cb in cbs])
    head.add_row("class", *[cell(cb, lambda c: str(c["overall"]["class"])) for cb in cbs])
    head.add_row("leading camp", *[cell(cb, lambda c: str(c["leading_camp"])) for cb in cbs])
    head.add_row("rank", *[cell(cb, lambda c: (
        f"{c['rank']} of {c['ranked_among']}" if c.get("rank") else
        f"camp member, {c.get('member_rank') or '–'} of {c.get('members_ranked') or '–'}"))
        for cb in cbs])
    head.add_row("channels", *[cell(cb, lambda c: str(c["n_channels"])) for cb in cbs])
    console.print(head)
    t = Table("channel", *[f"{r.name} ({r.focal})" for r in results],
              title="Detail: spread of ties over each power, per channel (1 = even, 0 = one "
                    "patron), and leading power")
    for j, ch in enumerate(CHANNELS):
        cells = []
        for r in results:
            v = r.matrix.channel_index[j]
            lead = r.matrix.vector()["leaders"].get(ch)
            if v != v:  # NaN: no known cell, too few known powers, or every known cell is 0
                known = r.to_json()["balance_index"]["channels"][ch]["known_powers"]
                cells.append("no data" if ch in r.missing_channels else
                             f"{known} of {len(r.powers)} powers known" if known
                             < min_known_powers(len(r.powers)) else "no dependence")
                continue
            cells.append(f"{v:.2f} [{r.matrix.channel_band[0, j]:.2f}–"
                         f"{r.matrix.channel_band[1, j]:.2f}] {lead['power'] if lead else ''}")
        t.add_row(ch, *cells)
    t.add_row("per-power mean", *[f"{r.matrix.overall:.2f} [{r.matrix.overall_band[0]:.2f}–"
                                  f"{r.matrix.overall_band[1]:.2f}]" for r in results])
    console.print(t)
    console.print("The headline is measured over camps with inputs of the 2010s; the detail "
                  "spreads each channel over single powers (the EU and the US apart) with the "
                  "latest data, so the two can rank countries differently.")
    for r in results:
        lean = r.matrix.vector()["net_lean"]
        missing = ", ".join(r.missing_channels) or "none"
        console.print(f"{r.name}: powers {', '.join(r.powers)}; net lean "
                      f"{lean['power'] if lean else '–'}; channels without data: {missing}; "
                      f"{len(r.unknown_cells())} unknown cells.")


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
