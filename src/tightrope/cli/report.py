"""``tightrope report COUNTRY -o FILE``: the offline exposure report (HTML, Markdown, PNG)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tightrope.cli.common import DbOption, console, progress_bar, store_at
from tightrope.cli.exposure_opts import PowersOption, RunsOption, SeedOption, settings_from
from tightrope.cli.options import DEFAULT_SEED, HtmlOpt, alias
from tightrope.errors import InputError
from tightrope.exposure import exposure_profile
from tightrope.ingest.codes import country_codes
from tightrope.io import atomic_write_text
from tightrope.store import Store

__all__ = ["register"]


class Format(StrEnum):
    html = "html"
    md = "md"


def report(
    country: Annotated[str, typer.Argument(help="Name, ISO2 or ISO3 code.")],
    html_out: HtmlOpt = None,
    md_out: Annotated[Path | None, typer.Option(
        "--md", metavar="FILE", dir_okay=False, help="Write the report as Markdown to FILE.")]
    = None,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", file_okay=False,
        help="Also write the PNG figures into this folder.")] = None,
    db: DbOption = None,
    powers: PowersOption = None,
    runs: RunsOption = 2000,
    seed: SeedOption = DEFAULT_SEED,
    output_old: Annotated[Path | None, typer.Option("-o", "--output", hidden=True,
                                                    dir_okay=False)] = None,
    fmt: Annotated[Format, typer.Option("--format", hidden=True)] = Format.html,
    png_old: Annotated[Path | None, typer.Option("--png", hidden=True, file_okay=False)]
    = None,
) -> None:
    """Write the exposure report: map, dependence matrix, balance index with band, sources."""
    from tightrope.report.exposure import exposure_html, exposure_markdown, write_pngs

    png = alias(out, png_old, new_name="--out", old_name="--png")
    if output_old is not None:  # old spelling: -o/--output FILE with --format html|md
        if fmt is Format.md:
            md_out = alias(md_out, output_old, new_name="--md", old_name="-o/--output")
        else:
            html_out = alias(html_out, output_old, new_name="--html", old_name="-o/--output")
    if html_out is None and md_out is None:
        raise InputError("no output file", where="--html/--md",
                         expected="--html FILE and/or --md FILE")
    iso3 = country_codes().resolve(country)
    settings = settings_from(powers, runs, seed)
    with store_at(db) as store, progress_bar("report", 3) as bar:
        task = bar.task_ids[0]
        bar.update(task, description="computing exposure")
        res = exposure_profile(store, iso3, settings)
        from tightrope.exposure.world import camp_balance_entries
        from tightrope.report.world import camp_balance_html, camp_balance_markdown

        cb = camp_balance_entries(store, [iso3], seed=seed).get(iso3)
        extra = [camp_balance_html(cb), *_temperature_section(store, iso3, res.powers)]
        bar.update(task, advance=1, description="rendering")
        pngs = write_pngs(res, png) if png else {}
        if pngs and png is not None:
            rel = {k: str((png / v).resolve()) for k, v in pngs.items()}
        else:
            rel = {}
        texts = {}
        if html_out is not None:
            from tightrope.report.judgements import balance_judgement, slug

            bj = balance_judgement(cb, slug("Balance between camps"))
            texts[html_out] = exposure_html(res, extra, [bj] if bj else [])
        if md_out is not None:
            texts[md_out] = exposure_markdown(res, rel) + "\n" + camp_balance_markdown(cb)
        bar.update(task, advance=1, description="writing")
        for path, text in texts.items():
            atomic_write_text(path, text)
        bar.update(task, advance=1)
    figures = f" and {len(pngs)} PNG figures in {png}" if pngs else ""
    written = ", ".join(f"{p} ({len(t) / 1e6:.1f} MB)" for p, t in texts.items())
    console.print(f"Wrote {written}{figures}.")


def _temperature_section(store: Store, iso3: str, powers: tuple[str, ...]) -> list[str]:
    """The relation-temperature panel, when event data with this country are loaded."""
    from tightrope.events import panel
    from tightrope.events.explain import explain_panel, has_events
    from tightrope.report.events import panel_section

    if not has_events(store, iso3):
        return ["<h2>How relations moved</h2><p class='unknown'>No coded event data with "
                f"{iso3} in the store; load some with 'tightrope events ingest FILE'.</p>"]
    p = panel(store, iso3, list(powers))
    return ["<h2>How relations moved</h2>"
            + panel_section(p, explain_panel(store, p.to_dict()), div_id="temperature")]


def register(app: typer.Typer) -> None:
    app.command("report")(report)
