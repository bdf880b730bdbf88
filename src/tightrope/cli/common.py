"""Shared CLI plumbing: the store option, progress bars, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tightrope.progress import Progress as ProgressCallback
from tightrope.store import Store, load_world, open_store
from tightrope.store.db import default_db_path

__all__ = [
    "DbOption",
    "bar_progress",
    "console",
    "ensure_loaded",
    "err_console",
    "fit_table",
    "print_json",
    "progress_bar",
    "store_at",
]


def fit_table(table: Table, console: Console, width: int) -> Table:
    """Set ``table``'s column widths so that it fits ``width`` columns without cutting a word.

    Rich shrinks a table that is too wide by cutting cells with "…", numbers included. Here
    every column is at least as wide as its longest word (a number, a strategy name), long
    text wraps at spaces (and folds only a word wider than the terminal), and the spare width
    goes to the columns with the most text. If the words do not fit with box borders the
    table loses its vertical rules; then the longest header words may fold. Returns ``table``.
    """
    cols = table.columns
    if not cols:
        return table
    opts = console.options.update_width(width)

    def span(renderables: list[Any]) -> tuple[int, int]:
        ms = [Measurement.get(console, opts, r) for r in renderables]
        return max((m.minimum for m in ms), default=1), max((m.maximum for m in ms), default=1)

    cells = [span(list(c.cells)) for c in cols]
    heads = [span([c.header]) for c in cols]
    lo = [max(c[0], h[0]) for c, h in zip(cells, heads, strict=True)]
    hi = [max(c[1], h[1], 1) for c, h in zip(cells, heads, strict=True)]

    def overhead() -> int:
        pad = sum(table._get_padding_width(i) for i in range(len(cols)))
        return pad + (len(cols) + 1 if table.box and table.show_edge else
                      (len(cols) - 1 if table.box else 0))

    if sum(hi) + overhead() <= width:
        return table
    if sum(lo) + overhead() > width:  # words first: vertical rules go, padding collapses
        table.box, table.show_edge, table.pad_edge = box.SIMPLE_HEAD, False, False
        table.collapse_padding = True
    # header words may fold, the longest first; cell words never
    while sum(lo) + overhead() > width and any(m > c[0] for m, c in zip(lo, cells, strict=True)):
        i = max(range(len(cols)), key=lambda i: lo[i] - cells[i][0])
        lo[i] -= 1
    # last resort (a single word wider than the terminal): fold the longest words
    while sum(lo) + overhead() > width and max(lo) > 1:
        lo[lo.index(max(lo))] -= 1
    widths = list(lo)
    spare = max(width - overhead() - sum(lo), 0)
    # short cells first: a column that needs little to fit on one line gets it
    for target in ([c[1] for c in cells], hi):
        for i in sorted(range(len(cols)), key=lambda i: target[i] - widths[i]):
            grant = min(max(target[i] - widths[i], 0), spare)
            widths[i] += grant
            spare -= grant
    for c, w in zip(cols, widths, strict=True):
        c.width, c.min_width, c.max_width = w, None, None
        c.overflow, c.no_wrap = "fold", False
    return table


class _FittingConsole(Console):
    """A console that fits every table it prints to its width (see :func:`fit_table`)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        width = kwargs.get("width") or self.width
        for o in objects:
            if isinstance(o, Table) and o.width is None:
                fit_table(o, self, width)
        super().print(*objects, **kwargs)


# emoji=False: a name such as ":a:" from a user's file is printed as written, not as an emoji
console: Console = _FittingConsole(emoji=False)
err_console: Console = _FittingConsole(stderr=True, emoji=False)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: $TIGHTROPE_DB or the user data directory).",
                 dir_okay=False),
]


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Progress]:
    """A rich progress bar on stderr; disabled when stderr is not a terminal (a hidden bar
    would still leave an empty line in a pipe or log)."""
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  console=err_console, transient=True,
                  disable=not err_console.is_terminal) as bar:
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
