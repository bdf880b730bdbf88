"""Relation temperature from coded event data: monthly dyadic series and change points.

Public API::

    from tightrope.events import temperature, panel
    with open_store() as store:
        t = temperature(store, "KAZ", "RUS", "2005-01", "2015-12")
        t.to_json()
"""

from tightrope.events.changepoints import ChangePointParams
from tightrope.events.months import MonthRange
from tightrope.events.series import DyadSeries, MonthlyAggregate
from tightrope.events.temperature import (
    DEFAULT_POWERS,
    Panel,
    Party,
    Temperature,
    panel,
    resolve_party,
    temperature,
)

__all__ = [
    "DEFAULT_POWERS",
    "ChangePointParams",
    "DyadSeries",
    "MonthRange",
    "MonthlyAggregate",
    "Panel",
    "Party",
    "Temperature",
    "panel",
    "resolve_party",
    "temperature",
]
