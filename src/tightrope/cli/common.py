"""Shared CLI plumbing: the store option, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tightrope.progress import Progress as ProgressCallback
from tightrope.store import Store, load_world, open_store
from tightrope.store.db import default_db_path

__all__ = [
    "DbOption",
    "bar_progress",
    "console",
    "ensure_loaded",
    "err_console",
    "print_json",
    "progress_bar",
    "store_at",
]

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: $TIGHTROPE_DB or the user data directory).",
                 dir_okay=False),
]


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Progress]:
    """A rich progress bar on stderr (silent when stderr is not a terminal and not forced)."""
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        bar.add_task(description, total=total)
        yield bar


def bar_progress(bar: Progress) -> ProgressCallback:
    """The :class:`tightrope.progress.Progress` callback that drives ``bar``'s first task
    (``message``, when given, becomes the bar's description)."""
    task = bar.task_ids[0]

    def step(done: int, total: int, message: str = "") -> None:
        if message:
            bar.update(task, description=message, completed=done, total=total)
        else:
            bar.update(task, completed=done, total=total)

    return step


def ensure_loaded(store: Store) -> None:
    """Load the shipped world data if the store is empty (with a progress bar)."""
    if store.is_loaded("world"):
        return
    err_console.print(f"The store at {store.path} is empty: loading the shipped data first.")
    with progress_bar("loading world data", 4) as bar:
        load_world(store, progress=bar_progress(bar))


@contextmanager
def store_at(db: Path | None, load: bool = True) -> Iterator[Store]:
    """The store. With ``load`` (commands that only read): the shipped data are loaded first
    if the store is empty, then the store is opened read-only, so several readers (a
    dashboard, a report) can use it at once. Without ``load``: opened for writing."""
    path = db or default_db_path()
    if not load:
        with open_store(path) as store:
            yield store
        return
    needs_load = not path.exists()
    if not needs_load:
        with open_store(path, read_only=True) as probe:
            needs_load = not probe.is_loaded("world")
    if needs_load:
        with open_store(path) as store:
            ensure_loaded(store)
    with open_store(path, read_only=True) as store:
        yield store


def write_report_files(html_out: Path | None, html: Callable[[], str],
                       png_out: Path | None, png: Callable[[Path], Any]) -> None:
    """Write the optional --html and --png outputs of a command (atomically for the HTML)."""
    from tightrope.io import atomic_write_text

    if html_out is not None:
        atomic_write_text(html_out, html())
        err_console.print(f"Wrote {html_out}")
    if png_out is not None:
        png(png_out)
        err_console.print(f"Wrote {png_out}")


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")
