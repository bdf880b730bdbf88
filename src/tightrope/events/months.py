"""Calendar months as 'YYYY-MM' strings, and validated month ranges."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tightrope.errors import InputError

__all__ = ["MonthRange", "parse_month"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str, what: str = "month") -> tuple[int, int]:
    """(year, month) of 'YYYY-MM'; raises InputError otherwise.

    >>> parse_month("2005-01")
    (2005, 1)
    """
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f"{what} {text!r} is not a month", expected="YYYY-MM such as 2005-01")
    return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True, slots=True)
class MonthRange:
    """Months ``start`` ... ``end`` inclusive, both 'YYYY-MM'; start after end is an error.

    >>> MonthRange("2005-11", "2006-02").months()
    ('2005-11', '2005-12', '2006-01', '2006-02')
    """

    start: str
    end: str

    def __post_init__(self) -> None:
        a, b = parse_month(self.start, "start"), parse_month(self.end, "end")
        object.__setattr__(self, "start", f"{a[0]:04d}-{a[1]:02d}")
        object.__setattr__(self, "end", f"{b[0]:04d}-{b[1]:02d}")
        if a > b:
            raise InputError(f"the month range starts ({self.start}) after it ends ({self.end})",
                             expected="a first month no later than the last")

    def months(self) -> tuple[str, ...]:
        y, m = parse_month(self.start)
        out = []
        while f"{y:04d}-{m:02d}" <= self.end:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return tuple(out)

    @property
    def first_day(self) -> dt.date:
        y, m = parse_month(self.start)
        return dt.date(y, m, 1)

    @property
    def last_day(self) -> dt.date:
        y, m = parse_month(self.end)
        nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
        return nxt - dt.timedelta(days=1)
