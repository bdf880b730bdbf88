"""Options shared by the exposure commands (profile, compare, report)."""

from __future__ import annotations

from typing import Annotated

import typer

from tightrope.cli.options import SeedOpt, runs_option
from tightrope.errors import InputError
from tightrope.exposure import ExposureSettings
from tightrope.ingest.codes import country_codes
from tightrope.limits import MAX_EXPOSURE_RUNS

__all__ = ["PowersOption", "RunsOption", "SeedOption", "settings_from"]

PowersOption = Annotated[str | None, typer.Option(
    "--powers", help="Comma-separated powers (ISO3 or bloc code EUU/GCC); default per country.")]
RunsOption = Annotated[int, runs_option(MAX_EXPOSURE_RUNS,
                                         "Monte Carlo draws for the uncertainty band")]
SeedOption = SeedOpt

BLOCS = {"EUU", "GCC"}


def settings_from(powers: str | None, runs: int, seed: int) -> ExposureSettings:
    """Validated settings from CLI options."""
    parsed: tuple[str, ...] | None = None
    if powers:
        codes = []
        for raw in powers.split(","):
            p = raw.strip()
            if not p:
                continue
            codes.append(p.upper() if p.upper() in BLOCS else country_codes().resolve(p))
        if len(codes) < 2:
            raise InputError(f"--powers {powers!r} names fewer than two powers",
                             expected="at least two, e.g. RUS,CHN,EUU")
        parsed = tuple(dict.fromkeys(codes))
    return ExposureSettings(powers=parsed, runs=runs, seed=seed)
