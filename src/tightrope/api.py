"""The Python entry point: one function per capability, returning plain data.

Each function is a thin wrapper over the service the command line calls and returns the
same JSON-ready dict as the command's ``--json`` output, so a notebook can use the result
directly (``pandas.json_normalize``, plotting) or save it. Functions that read the store take
``db`` (default: ``$TIGHTROPE_DB`` or the user data directory); an empty store is loaded with
the shipped data first. Everything heavy is imported when a function is called, so
``import tightrope`` stays light.

>>> import tightrope
>>> r = tightrope.bargain("kaz-sanctions", rounds=5)
>>> r["forecast"]["round"] <= 5
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tightrope.limits import DEFAULT_SEED

if TYPE_CHECKING:
    from tightrope.store import Store

__all__ = ["bargain", "compare", "corridors", "profile", "robust", "simulate", "temperature",
           "world"]

Json = dict[str, Any]


@contextmanager
def _store(db: str | Path | None) -> Iterator[Store]:
    """The store read-only, loaded with the shipped data first if it is empty."""
    from tightrope.store import load_world, open_store
    from tightrope.store.db import default_db_path

    path = Path(db) if db is not None else default_db_path()
    if not path.exists() or not _loaded(path):
        with open_store(path) as s:
            if not s.is_loaded("world"):
                load_world(s)
    with open_store(path, read_only=True) as s:
        yield s


def _loaded(path: Path) -> bool:
    from tightrope.store import open_store

    with open_store(path, read_only=True) as s:
        return s.is_loaded("world")


def profile(country: str, *, db: str | Path | None = None) -> Json:
    """A country's profile: borders, seas, memberships, trade, people, ties, with its exposure
    (dependence matrix, balance index and band) and its balance between camps.

    ``country``: a name, ISO2 or ISO3 code (``"Kazakhstan"``, ``"kz"``, ``"KAZ"``). Returns the
    schema ``tightrope.profile/1``, as ``tightrope profile COUNTRY --json``. Every figure
    carries its source and year.
    """
    from tightrope.exposure import exposure_profile
    from tightrope.exposure.world import camp_balance_entries
    from tightrope.ingest.codes import country_codes
    from tightrope.profile import build_profile

    iso3 = country_codes().resolve(country)
    with _store(db) as s:
        p = build_profile(s, iso3)
        p.extras["exposure"] = exposure_profile(s, iso3).to_json()
        p.extras["camp_balance"] = camp_balance_entries(s, [iso3]).get(iso3)
    out: Json = p.to_json()
    return out


def compare(countries: Sequence[str], *, runs: int = 1000, seed: int = DEFAULT_SEED,
            db: str | Path | None = None) -> Json:
    """Exposure and balance of two or more countries, channel by channel (schema
    ``tightrope.compare/1``, as ``tightrope compare ... --json``).

    ``runs`` Monte Carlo draws give each balance index its 5-95% band; a channel without data
    has the value ``None``, never 0.
    """
    from tightrope.errors import InputError
    from tightrope.exposure import ExposureSettings, exposure_profile
    from tightrope.exposure.world import camp_balance_entries
    from tightrope.ingest.codes import country_codes

    codes = list(dict.fromkeys(country_codes().resolve(c) for c in countries))
    if len(codes) < 2:
        raise InputError("compare needs at least two different countries")
    settings = ExposureSettings(runs=runs, seed=seed)
    with _store(db) as s:
        results = [exposure_profile(s, c, settings) for c in codes]
        camps = camp_balance_entries(s, codes, seed=seed)
    return {"schema": "tightrope.compare/1", "runs": runs, "seed": seed, "countries": [
        {"iso3": r.focal, "name": r.name, "powers": list(r.powers),
         "camp_balance": camps.get(r.focal), "balance_index": r.to_json()["balance_index"],
         "vector": r.matrix.vector(), "missing_channels": r.missing_channels,
         "unknown_cells": r.unknown_cells()} for r in results]}


def world(*, db: str | Path | None = None) -> Json:
    """Every country's balance between the West, Russia and China, ranked, with bands and the
    method's assumptions (as ``tightrope world --json``)."""
    from tightrope.exposure.world import world_balance

    with _store(db) as s:
        out: Json = world_balance(s).to_json()
    return out


def simulate(scenario: str | Path, strategy: str = "balancer", *, runs: int = 10_000,
             seed: int = DEFAULT_SEED, horizon: int | None = None) -> Json:
    """Many futures of a minefield scenario under one strategy, or ``strategy="all"`` to
    compare every strategy on the same random numbers.

    ``scenario``: a shipped name (``"kazakhstan-2023"``, ``"jordan-2024"``) or a YAML path.
    Returns P(catastrophe) with its 95% interval, gains (percentage points of one year's GDP),
    autonomy and first mistakes; for ``"all"`` a dict with ``results``, one per strategy.
    """
    from tightrope import minefield

    if strategy == "all":
        out: Json = minefield.compare(scenario, "all", runs, seed, horizon).to_json()
        return out
    single: Json = minefield.simulate(scenario, strategy, runs, seed, horizon).to_json()
    return single


def robust(scenario: str | Path, *, samples: int = 100, runs: int = 200,
           seed: int = DEFAULT_SEED) -> Json:
    """Strategies across ``samples`` futures drawn from every assumption range (Latin
    hypercube), ``runs`` trajectories each: robustness ranking, Pareto front, PRIM boxes and
    Sobol' indices (as ``tightrope robust SCENARIO --json``)."""
    from tightrope.minefield.robust import robust_analysis

    out: Json = robust_analysis(scenario, samples, runs, seed).to_json()
    return out


def bargain(actors: str | Path, *, variant: str = "scholz", rounds: int = 20, runs: int = 0,
            seed: int = DEFAULT_SEED) -> Json:
    """Where an issue settles under Bueno de Mesquita's expected-utility model.

    ``actors``: a CSV/YAML/JSON file (``actor,capability,position,salience``) or a shipped
    example (``"kaz-sanctions"``, ``"ec-car-emissions"``, ...). ``runs`` > 0 adds a Monte
    Carlo over the inputs' ranges. References: Bueno de Mesquita (1994); Scholz et al. (2011).
    """
    from tightrope.bargaining import forecast

    out: Json = forecast(actors, variant, rounds, runs, seed).to_json()
    return out


def corridors(scenarios: Sequence[str], *, runs: int = 200, seed: int = DEFAULT_SEED) -> Json:
    """China-Europe container flows with routes closed or degraded by named scenarios
    (e.g. ``["red-sea"]``): reallocation, time and cost, who gains, Kazakhstan's transit
    revenue with its 5-95% band (as ``tightrope corridors disrupt ... --json``)."""
    from tightrope.corridors import disrupt

    out: Json = disrupt(list(scenarios), runs=runs, seed=seed).to_json()
    return out


def temperature(focal: str, power: str, start: str | None = None, end: str | None = None, *,
                db: str | Path | None = None) -> Json:
    """Monthly relation temperature focal -> power and power -> focal from coded events in
    the store (mean Goldstein score, -10 ... +10), smoothed, with change points.

    ``start``/``end`` are months ``YYYY-MM``. The store needs event data
    (``tightrope events ingest``).
    """
    from tightrope.events import temperature as temp

    with _store(db) as s:
        out: Json = temp(s, focal, power, start, end).to_dict()
    return out
