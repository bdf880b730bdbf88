"""Evidence: reference-class base rates from data, partially pooled, and their back-tests.

* :mod:`~tightrope.evidence.mids` — directed dyad-years of great powers and neighbours with
  MID hostility levels and covariates (COW MID 5.0, GML, ATOP, contiguity, rivalries, CINC,
  UN votes).
* :mod:`~tightrope.evidence.icews` — quarterly coded coercion and relation temperature (ICEWS).
* :mod:`~tightrope.evidence.pooling` — the empirical-Bayes beta-binomial.
* :mod:`~tightrope.evidence.estimates` — rates per class, rung and dyad, with intervals.
* :mod:`~tightrope.evidence.backtest` / :mod:`~tightrope.evidence.scoring` — Brier, skill,
  reliability, bootstrap, leave-one-country-out.
* :mod:`~tightrope.evidence.shipped` — the small fitted table shipped with the package.

Only :mod:`~tightrope.evidence.shipped` is needed at run time; the rest reads ../shared/data.
"""

from __future__ import annotations

from tightrope.evidence.rate import Estimate, per_quarter
from tightrope.evidence.shipped import covariates, estimate, rates, rates_meta

__all__ = ["Estimate", "covariates", "estimate", "per_quarter", "rates", "rates_meta"]
