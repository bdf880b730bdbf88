"""``tightrope demo``: the Kazakhstan briefing, end to end, on the shipped data."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tightrope.briefing import Briefing, BriefingSettings, run_briefing
from tightrope.briefing.run import shared_event_files
from tightrope.cli.common import (
    DbOption,
    bar_progress,
    console,
    err_console,
    progress_bar,
    store_at,
)
from tightrope.cli.options import DEFAULT_SEED, SeedOpt, alias
from tightrope.errors import InputError
from tightrope.io import atomic_write_text

__all__ = ["register"]


def demo(
    out: Annotated[Path | None, typer.Option(
        "-o", "--out", metavar="DIR", file_okay=False,
        help="Folder for the briefing (default: ./briefing).")] = None,
    db: DbOption = None,
    seed: SeedOpt = DEFAULT_SEED,
    quick: Annotated[bool, typer.Option(
        "--quick", help="Small sample sizes (seconds, for tests); the default is the full run.")
    ] = False,
    events: Annotated[list[Path] | None, typer.Option(
        "--events", help="Event files (ICEWS/GDELT) to load; default: ../shared/data if present.")
    ] = None,
    pdf: Annotated[Path | None, typer.Option(
        "--pdf", metavar="FILE", dir_okay=False,
        help="Also print the briefing to a PDF (needs Playwright and Chromium).")] = None,
    summary_png: Annotated[Path | None, typer.Option(
        "--summary-png", metavar="FILE", dir_okay=False,
        help="Also write a one-page PNG of the key judgements.")] = None,
    output_old: Annotated[Path | None, typer.Option("--output", hidden=True, file_okay=False)]
    = None,
) -> None:
    """Write briefing.html, briefing.md, PNG figures and manifest.json into OUTPUT."""
    from tightrope.briefing.run import STEPS
    from tightrope.report.briefing import render_briefing

    t0 = time.perf_counter()
    output = alias(out, output_old, new_name="--out", old_name="--output") or Path("briefing")
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create the output folder ({e.strerror})",
                         source=str(output), expected="a writable folder") from None
    for opt, target in (("--pdf", pdf), ("--summary-png", summary_png)):
        if target is not None and not target.resolve().parent.is_dir():
            raise InputError("the folder of this file does not exist", where=opt,
                             source=str(target), expected="a file in an existing folder")
    if pdf is not None:
        from tightrope.report.share import check_pdf_tools

        check_pdf_tools()
    settings = BriefingSettings(seed=seed, quick=quick, event_paths=tuple(events or ()))
    event_files = list(events) if events else shared_event_files()
    if event_files:
        _ingest(db, event_files)
    else:
        console.print("No event files given and ../shared/data not found: the briefing will "
                      "say that relation temperature was not computed.")
    with store_at(db) as store, progress_bar("briefing", len(STEPS) + 1) as bar:
        task = bar.task_ids[0]

        lines = _plain_lines()

        def step(done: int, total: int, message: str = "") -> None:
            # one more unit than the analyses: writing the briefing
            bar.update(task, description=message, completed=done, total=total + 1)
            if lines is not None and done < total:
                lines(done, total + 1, message)

        b = run_briefing(store, settings, step)
        bar.update(task, description="writing the briefing")
        if lines is not None:
            lines(len(STEPS), len(STEPS) + 1, "writing the briefing")
        files = render_briefing(b, output)
        files.update(_share(b, output / "briefing.html", pdf, summary_png))
    outputs = {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in files.items()}
    seconds = round(time.perf_counter() - t0, 1)
    manifest = b.manifest({f"{k} ({_rel(p, output)})": v
                           for (k, p), v in zip(files.items(), outputs.values(), strict=True)},
                          seconds)
    atomic_write_text(output / "manifest.json", manifest.to_json() + "\n")
    console.print(f"Briefing written to {output}/briefing.html (and briefing.md, "
                  f"{sum(k.startswith('png:') for k in files)} figures, manifest.json) in "
                  f"{seconds} s.")
    if b.skipped:
        console.print("Not answered in this run: " + "; ".join(
            f"{k} ({v})" for k, v in b.skipped.items()))


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _share(b: Briefing, html: Path, pdf: Path | None,
           summary_png: Path | None) -> dict[str, Path]:
    """The PDF and the one-page summary, when asked for."""
    out: dict[str, Path] = {}
    if summary_png is not None:
        from tightrope.report.briefing import key_judgements
        from tightrope.report.share import write_summary_png

        focal = b.exposure[b.settings.focal].name
        out["summary_png"] = write_summary_png(
            f"Briefing: {focal} between the great powers", key_judgements(b), summary_png,
            footer=f"Tightrope briefing, seed {b.settings.seed}"
                   f"{', quick sample sizes' if b.settings.quick else ''}; evidence, sources "
                   "and methods in the full briefing.")
    if pdf is not None:
        from tightrope.report.share import write_pdf

        out["pdf"] = write_pdf(html, pdf)
    return out


def _plain_lines() -> Callable[[int, int, str], None] | None:
    """Where the progress bar cannot show (stderr is not a terminal: a pipe, a log file), one
    plain line per stage on stderr: stages done of all stages, and the stage starting."""
    if err_console.is_terminal:
        return None

    def line(done: int, total: int, message: str) -> None:
        print(f"tightrope demo: stage {done + 1} of {total} ({done / total:.0%} done): "
              f"{message}", file=sys.stderr, flush=True)

    return line


def _ingest(db: Path | None, files: list[Path]) -> None:
    """Load the event files into the store (idempotent: already stored events add nothing)."""
    from tightrope.store.events import ingest_events

    with store_at(db, load=False) as store, progress_bar("loading event data") as bar:
        from tightrope.cli.common import ensure_loaded

        ensure_loaded(store)
        summary = ingest_events(store, files, progress=bar_progress(bar))
    stored = sum(f.stored for f in summary.files)
    console.print(f"Event data: {len(files)} files, {stored:,} new events stored.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
