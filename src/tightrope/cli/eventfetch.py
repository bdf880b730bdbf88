"""``tightrope events fetch gdelt``: download GDELT exports for a date range and ingest them."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from tightrope.cli.common import DbOption, console, err_console, print_json, store_at
from tightrope.cli.options import JsonOpt
from tightrope.errors import InputError
from tightrope.events.fetch import FetchRequest, FetchResult, download_gdelt, ingest_fetched
from tightrope.ingest.codes import country_codes
from tightrope.ingest.download import FetchSettings
from tightrope.progress import Progress as ProgressCallback

__all__ = ["fetch_app"]

fetch_app = typer.Typer(help="Fetch current event data from its publisher (needs internet).",
                        no_args_is_help=True)

_DAY = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_day(text: str, what: str, last: bool) -> dt.date:
    """YYYY-MM-DD, or YYYY-MM meaning its first (``last`` False) or last day."""
    m = _DAY.match(text.strip())
    try:
        if m is None:
            raise ValueError
        y, mo = int(m.group(1)), int(m.group(2))
        if m.group(3):
            return dt.date(y, mo, int(m.group(3)))
        if not last:
            return dt.date(y, mo, 1)
        nxt = dt.date(y + mo // 12, mo % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    except ValueError:
        raise InputError(f"{what} {text!r} is not a day",
                         expected="YYYY-MM-DD such as 2022-01-01, or YYYY-MM") from None


def _countries(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    codes = country_codes()
    out = set()
    for part in text.split(","):
        if part.strip():
            out.add("EUU" if part.strip().upper() == "EUU" else codes.resolve(part.strip()))
    return frozenset(out)


@contextmanager
def _transfer_bar() -> Iterator[ProgressCallback]:
    """Bytes, files and time left on stderr: a bar on a terminal; elsewhere (a pipe, a log)
    one plain line at each further tenth of the bytes to fetch."""
    live = err_console.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(), console=err_console,
                  transient=True, disable=not live) as bar:
        task = bar.add_task("downloading", total=None)
        shown = [0]

        def step(done: int, total: int, message: str = "") -> None:
            bar.update(task, completed=done, total=total,
                       description=f"downloading, {message}" if message else "downloading")
            if not live and total > 0 and done * 10 // total > shown[0]:
                shown[0] = done * 10 // total
                print(f"tightrope events fetch: {done * 100 // total}% of "
                      f"{_mb(total)} downloaded{', ' + message if message else ''}",
                      file=sys.stderr, flush=True)

        yield step


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n / 1e3:,.1f} kB"


def _report(res: FetchResult, dry_run: bool) -> None:
    p = res.plan
    r = p.request
    head = (f"GDELT {r.version}.0, {r.first} to {r.last}: {len(p.files):,} export files, "
            f"{len(p.files) - len(p.to_fetch):,} already fetched, {len(p.to_fetch):,} to fetch "
            f"({_mb(p.bytes_to_fetch)})")
    console.print(head)
    if dry_run:
        t = Table("file", "bytes", "MD5")
        for f in p.to_fetch:
            t.add_row(f.name, f"{f.size or 0:,}", f.md5 or "")
        console.print(t)
        return
    if res.kept:
        who = ("" if r.countries is None
               else " involving " + ", ".join(sorted(r.countries)))
        console.print(f"kept {sum(res.kept.values()):,} event lines{who} from "
                      f"{len(res.kept):,} new files")
    if res.ingest is None:
        console.print("nothing new to ingest; the store is unchanged.")
        return
    from tightrope.cli.events import _print_summary

    _print_summary(res.ingest)


@fetch_app.command("gdelt")
def gdelt(
    start: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD (or YYYY-MM).")],
    end: Annotated[str, typer.Option("--to", help="Last day, YYYY-MM-DD (or YYYY-MM).")],
    countries: Annotated[str | None, typer.Option(
        help="Keep events whose actors include these countries (comma-separated ISO3); "
             "default: every event (large).")] = None,
    version: Annotated[int, typer.Option(
        "--version", min=1, max=2,
        help="GDELT 1 (daily files, from 1979) or 2 (15-minute files, from 2015-02-18).")] = 2,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List what would be fetched; fetch nothing.")] = False,
    mirror: Annotated[str | None, typer.Option(
        help="Replace http://data.gdeltproject.org/ in the file lists and addresses.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=32, help="Parallel downloads.")] = 4,
    retries: Annotated[int, typer.Option(min=0, max=20, help="Retries per file.")] = 3,
    timeout: Annotated[float, typer.Option(min=0.01, max=3600,
                                           help="Seconds to wait for a server.")] = 30.0,
    db: DbOption = None,
    json_out: JsonOpt = False,
) -> None:
    """Download GDELT event exports for a date range, verify them, keep the events of the
    given countries and ingest them (idempotent: a re-run fetches and adds nothing)."""
    req = FetchRequest(parse_day(start, "first day", last=False),
                       parse_day(end, "last day", last=True), _countries(countries),
                       version, mirror)
    settings = FetchSettings(workers=workers, retries=retries, timeout_s=timeout)
    with _transfer_bar() as bar:  # the store is opened only once every file is in
        res = download_gdelt(req, settings, progress=bar, dry_run=dry_run)
    if not dry_run:
        with store_at(db, load=False) as store:
            res = ingest_fetched(store, res)
    if json_out:
        p = res.plan
        print_json({"files": [f.__dict__ for f in p.files],
                    "to_fetch": [f.name for f in p.to_fetch], "bytes_to_fetch": p.bytes_to_fetch,
                    "kept": res.kept, "dry_run": dry_run,
                    "ingest": res.ingest.to_dict() if res.ingest else None})
        return
    _report(res, dry_run)
