"""Reader-facing number formatting: sign kept, never "--", at most three significant figures."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from tightrope.report.numbers import MINUS, percent, percent_ticks, sig, signed_range, value_range

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e18, max_value=1e18)


def _significant(text: str) -> int:
    mant = text.split("e")[0].replace(MINUS, "").replace(",", "")
    digits = mant.replace(".", "").lstrip("0")
    return len(digits if "." in mant else digits.rstrip("0"))


@given(finite)
def test_sig_keeps_sign_and_three_figures(x: float) -> None:
    s = sig(x)
    assert "-" not in s and "--" not in s
    if sig(x) != "0":
        assert s.startswith(MINUS) == (x < 0)
    assert _significant(s) <= 3
    back = float(s.replace(MINUS, "-").replace(",", ""))
    assert math.isclose(back, x, rel_tol=6e-3, abs_tol=1e-300)


@given(finite, finite)
def test_range_never_double_dash(a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    s = signed_range(lo, hi)
    assert "--" not in s and "-" not in s
    assert re.fullmatch(r"\(\S+ to \S+\)", s)


def test_the_issue_example() -> None:
    assert value_range(-186.2, -263.4, -109.1, "M$") == f"{MINUS}186 M$ ({MINUS}263 to {MINUS}109)"
    assert sig(2.173684) == "2.17"


@given(st.floats(min_value=1e-6, max_value=1.0))
def test_percent_ticks_are_distinct_and_cover(top: float) -> None:
    ticks = percent_ticks(top)
    labels = [t for _, t in ticks]
    assert len(set(labels)) == len(labels) > 1
    assert ticks[-1][0] >= top * (1 - 1e-9)
    assert percent(top) != "0%"
