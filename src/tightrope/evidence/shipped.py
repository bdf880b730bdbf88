"""The shipped table of fitted rates (``tightrope/data/evidence/rates.json``).

Built by ``scripts/build_evidence.py`` from the shared data; read at run time without pandas.
A scenario parameter written ``{from: "evidence:<name>"}`` takes its value and range from the
row ``<name>`` here (:mod:`tightrope.minefield.values`).
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from tightrope.errors import InputError
from tightrope.evidence.rate import Estimate, per_quarter

__all__ = ["covariates", "estimate", "rates", "rates_meta"]


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    raw = resources.files("tightrope.data").joinpath("evidence", "rates.json")
    data: dict[str, Any] = json.loads(raw.read_text(encoding="utf-8"))
    return data


def rates() -> dict[str, Estimate]:
    """Every shipped estimate by name."""
    return {r["name"]: Estimate(**r) for r in _table()["estimates"]}


def rates_meta() -> dict[str, Any]:
    """How the table was built: data, seed, interval level, build date and script."""
    return {k: v for k, v in _table().items() if k not in ("estimates", "covariates")}


def covariates() -> list[dict[str, Any]]:
    """Odds ratios of the covariate model, with 95% intervals clustered by dyad."""
    return list(_table().get("covariates", []))


def estimate(name: str, *, quarterly: bool = False) -> Estimate:
    """The estimate ``name``; ``quarterly`` converts a per-dyad-year rate to per quarter.

    Raises :class:`InputError` naming close matches when there is no such estimate.
    """
    table = rates()
    if name not in table:
        near = difflib.get_close_matches(name, list(table), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise InputError(f"no evidence estimate {name!r}{hint}",
                         expected="a name listed by `tightrope evidence rates`")
    e = table[name]
    if quarterly and e.per == "dyad-year":
        return Estimate(e.name, per_quarter(e.mean), per_quarter(e.low), per_quarter(e.high),
                        "quarter (from the rate per dyad-year, constant hazard)", e.events,
                        e.trials, e.reference_class, e.outcome, e.data, e.dyads, e.level)
    return e
