"""Numbers for people: signed values to three significant figures, ranges and percentages.

One place for reader-facing number formatting: a true minus sign (U+2212), ranges written
"(low to high)" so a negative bound never reads "--", and percentages precise enough that
small shares do not all print as "0%".
"""

from __future__ import annotations

import math

__all__ = ["MINUS", "percent", "percent_ticks", "sig", "signed", "signed_range",
           "value_range"]

MINUS = "\u2212"


def _bad(x: float | None) -> bool:
    return x is None or math.isnan(x) or math.isinf(x)


def sig(x: float | None, n: int = 3) -> str:
    """``x`` to at most ``n`` significant figures, minus sign U+2212, "unknown" for None/NaN.

    >>> sig(-186.4), sig(2.173684), sig(0.000123456), sig(1234567.0)
    ('−186', '2.17', '0.000123', '1,230,000')
    """
    if _bad(x):
        return "unknown"
    assert x is not None
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    digits = n - 1 - mag
    r = round(x, digits)
    if r != 0 and math.floor(math.log10(abs(r))) > mag:  # 999.6 -> 1000: one digit fewer
        digits -= 1
        r = round(x, digits)
    if abs(r) < 1e-6 or abs(r) >= 1e15:
        text = f"{r:.{n - 1}e}"
        mant, exp = text.split("e")
        if "." in mant:
            mant = mant.rstrip("0").rstrip(".")
        text = f"{mant}e{int(exp)}"
    else:
        text = f"{r:,.{max(digits, 0)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    if text.lstrip("-") in ("0", ""):
        return "0"
    return text.replace("-", MINUS)


def signed(x: float | None, n: int = 3) -> str:
    """Like :func:`sig` with an explicit "+" on positive values (for changes).

    >>> signed(12.34), signed(-0.5), signed(0.0)
    ('+12.3', '−0.5', '0')
    """
    s = sig(x, n)
    return s if s in ("0", "unknown") or s.startswith(MINUS) else "+" + s


def signed_range(lo: float | None, hi: float | None, n: int = 3) -> str:
    """A range as "(low to high)": never "--" between two negative bounds.

    >>> signed_range(-263.2, -109.0)
    '(−263 to −109)'
    """
    return f"({sig(lo, n)} to {sig(hi, n)})"


def value_range(v: float | None, lo: float | None, hi: float | None, unit: str = "",
                n: int = 3) -> str:
    """An estimate with its range: "−186 M$ (−263 to −109)"."""
    u = f" {unit}" if unit else ""
    return f"{sig(v, n)}{u} {signed_range(lo, hi, n)}"


def percent(x: float | None) -> str:
    """A share as a percentage: whole percent from 1% up, two significant figures below
    (0.0043 -> "0.43%"), so small shares stay distinguishable."""
    if _bad(x):
        return "unknown"
    assert x is not None
    if abs(x) >= 0.01 or x == 0:
        return f"{x:.0%}".replace("-", MINUS)
    return sig(100 * x, 2) + "%"


def percent_ticks(top: float, count: int = 5) -> list[tuple[float, str]]:
    """Axis ticks from 0 to at least ``top`` (a share) at a round step, labelled so that
    no two labels are equal."""
    top = top if top > 0 and not math.isinf(top) and not math.isnan(top) else 0.01
    raw = top / (count - 1)
    base = 10 ** math.floor(math.log10(raw))
    step = next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw)
    k = math.ceil(top / step - 1e-9)
    vals = [i * step for i in range(k + 1)]
    decimals = 0
    while len({f"{v * 100:.{decimals}f}" for v in vals}) < len(vals) and decimals < 12:
        decimals += 1
    return [(v, f"{v * 100:.{decimals}f}%") for v in vals]
