"""The command-line convention (docs/cli.md) as reusable options.

``--json`` prints to stdout, ``--html FILE`` and ``--png FILE`` write one file, ``-o/--out DIR``
a folder of several files, ``--seed`` has one default (:data:`tightrope.limits.DEFAULT_SEED`),
``--runs`` is bounded per command, ``--engine`` is ``local`` or ``dask``. Old spellings are
hidden options resolved by :func:`alias` for one release.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from tightrope.errors import InputError
from tightrope.limits import DEFAULT_SEED, MAX_SEED

__all__ = [
    "DEFAULT_SEED",
    "ENGINES",
    "HtmlOpt",
    "JsonOpt",
    "OutOpt",
    "PngOpt",
    "SeedOpt",
    "alias",
    "check_engine",
    "finite",
    "hidden",
    "runs_option",
    "whole",
]

T = TypeVar("T")

ENGINES = ("local", "dask")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
HtmlOpt = Annotated[Path | None, typer.Option("--html", metavar="FILE", dir_okay=False,
                                              help="Write an offline HTML report to FILE.")]
PngOpt = Annotated[Path | None, typer.Option("--png", metavar="FILE", dir_okay=False,
                                             help="Write a PNG chart to FILE.")]
OutOpt = Annotated[Path | None, typer.Option("-o", "--out", metavar="DIR", file_okay=False,
                                             help="Folder for the output files.")]
def _n(x: int) -> str:
    """Thousands separators for counts, none for years and other short numbers."""
    return f"{x:,}" if abs(x) >= 10_000 else str(x)


def whole(low: int, high: int, what: str) -> Callable[[int | None], int | None]:
    """A typer callback refusing whole numbers outside [low, high], naming the range."""

    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise typer.BadParameter(f"{what} is {value} (expected a whole number in "
                                     f"{_n(low)} … {_n(high)})")
        return value

    return check


SeedOpt = Annotated[int, typer.Option(
    "--seed", callback=whole(0, MAX_SEED, "seed"),
    help="Seed of every random stream, 0 … 2**63-1.")]


def runs_option(maximum: int, help: str, minimum: int = 1) -> Any:
    """``--runs`` with bounds (a typo such as 10**12 is refused, not run until killed)."""
    return typer.Option("--runs", callback=whole(minimum, maximum, "runs"),
                        help=f"{help} ({minimum} … {maximum:,}).")


def hidden(*decls: str) -> Any:
    """An old spelling kept for one release: accepted silently (so that scripts and error
    output do not change), not shown in --help, listed in docs/cli.md."""
    return typer.Option(*decls, hidden=True)


def alias(new: T | None, old: T | None, *, new_name: str, old_name: str) -> T | None:
    """The value of an option that has a hidden old spelling; both given is an error."""
    if old is None or old == [] or old is False:
        return new
    if new is not None and new != [] and new is not False and new != old:
        raise InputError(f"{old_name} is the old spelling of {new_name}; give one of them")
    return old


def finite(low: float, high: float, what: str) -> Callable[[float | None], float | None]:
    """A typer callback refusing NaN, infinities and values outside [low, high]."""

    def check(value: float | None) -> float | None:
        if value is not None and not (math.isfinite(value) and low <= value <= high):
            raise typer.BadParameter(f"{value} is not {what} in [{low:g}, {high:g}]")
        return value

    return check


def check_engine(value: str) -> str:
    """``local`` or ``dask``; the old ``duckdb`` of ``events`` means ``local``."""
    v = value.strip().lower()
    if v == "duckdb":  # the old name of the local engine in ``events``
        return "local"
    if v not in ENGINES:
        raise typer.BadParameter(f"unknown engine {value!r} (expected local or dask)")
    return v
