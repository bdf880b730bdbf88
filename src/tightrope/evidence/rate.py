"""A fitted rate with its interval and provenance (light: no pandas, no scipy)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["INTERVAL_LEVEL", "Estimate", "per_quarter", "statsmodels_api"]

#: Central credible interval reported everywhere in the evidence package.
INTERVAL_LEVEL = 0.90


@dataclass(frozen=True, slots=True)
class Estimate:
    """One rate with its interval, reference class and data (a row of the shipped table).

    *Units*: ``mean``, ``low`` and ``high`` are probabilities per ``per`` (a dyad-year or a
    dyad-quarter); ``events`` of ``trials`` is the data behind them.
    """

    name: str
    mean: float
    low: float
    high: float
    per: str
    events: int
    trials: int
    reference_class: str
    outcome: str
    data: str
    dyads: int = 1
    level: float = INTERVAL_LEVEL

    def __post_init__(self) -> None:
        if not 0.0 <= self.low <= self.mean <= self.high <= 1.0:
            raise ValueError(f"{self.name}: need 0 <= low <= mean <= high <= 1, got "
                             f"{self.low}, {self.mean}, {self.high}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def citation(self) -> str:
        """One line: outcome, reference class, events of trials, data."""
        unit = "dyad-years" if "dyad-year" in self.per else "dyad-quarters"
        return (f"evidence: {self.outcome}; {self.reference_class}; {self.events} of "
                f"{self.trials} {unit}; {self.data}")


def per_quarter(p_year: float) -> float:
    """P(at least one event in a quarter) from P(in a year), constant hazard within the year.

    >>> round(per_quarter(1 - 0.9 ** 4), 6)
    0.1
    """
    return float(1.0 - (1.0 - p_year) ** 0.25)


def statsmodels_api(purpose: str) -> Any:
    """``statsmodels.api``, or MissingExtraError naming the extra to install."""
    from tightrope.extras import require_extra

    require_extra("evidence", purpose)
    import statsmodels.api as sm

    return sm
