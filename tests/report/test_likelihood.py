"""ICD 203 likelihood words for intervals, confidence levels, rounding to the uncertainty."""

from __future__ import annotations

import doctest
import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

import tightrope.report.likelihood as lk
from tightrope.report.likelihood import (
    ICD203,
    confidence,
    likelihood_class,
    likelihood_phrase,
    round_to_uncertainty,
    rounded_percent,
)

prob = st.floats(min_value=0.0, max_value=1.0)


def test_doctests() -> None:
    assert doctest.testmod(lk).failed == 0


def test_scale_is_icd203() -> None:
    assert [w for w, _, _ in ICD203] == [
        "almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely",
        "very likely", "almost certain"]
    assert all(a[2] == b[1] for a, b in itertools.pairwise(ICD203))


@given(prob)
def test_class_contains_its_probability(p: float) -> None:
    _, lo, hi = ICD203[likelihood_class(p)]
    assert lo <= p < hi or (p < 0.01 and lo == 0.01) or (p >= 0.95 and hi == 0.99)


@given(prob, prob)
def test_phrase_covers_the_whole_interval(a: float, b: float) -> None:
    lo, hi = min(a, b), max(a, b)
    phrase = likelihood_phrase(lo, hi)
    words = phrase.split(" to ")
    named = [i for i, (w, _, _) in enumerate(ICD203) if w in words]
    # the named classes reach from the class of the lower end to that of the upper end
    assert min(named) == likelihood_class(lo) and max(named) == likelihood_class(hi)
    assert (len(words) == 1) == (likelihood_class(lo) == likelihood_class(hi))
    for p in (lo, (lo + hi) / 2, hi):
        assert min(named) <= likelihood_class(p) <= max(named)


@given(prob, prob, prob)
def test_wider_interval_never_raises_confidence(a: float, b: float, c: float) -> None:
    lo, hi = sorted((a, b))
    order = {"high": 2, "moderate": 1, "low": 0}
    for basis in ("data", "mixed", "assumption"):
        narrow = confidence(lo, hi, basis)  # type: ignore[arg-type]
        wide = confidence(min(lo, c), max(hi, c), basis)  # type: ignore[arg-type]
        assert order[wide.level] <= order[narrow.level]
        assert order[confidence(lo, hi, basis, False).level] <= order[narrow.level]  # type: ignore[arg-type]
    assert order[confidence(lo, hi, "assumption").level] <= order[confidence(lo, hi, "data").level]


def test_confidence_rule() -> None:
    assert confidence(0.12, 0.18, "data").level == "high"
    assert confidence(0.12, 0.18, "mixed").level == "moderate"
    assert confidence(0.12, 0.25, "mixed").level == "low"
    assert confidence(0.96, 1.0, "data", validated=False).level == "moderate"
    assert "validation" in confidence(0.96, 1.0, "data", validated=False).text()


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


@given(finite, st.floats(min_value=1e-6, max_value=1e6), st.floats(min_value=1e-6, max_value=1e6))
def test_rounding_within_half_the_uncertainty(x: float, below: float, above: float) -> None:
    lo, hi = x - below, x + above
    v, d = round_to_uncertainty(x, lo, hi)
    half = (hi - lo) / 2
    step = 10.0 ** -d
    assert step <= half * (1 + 1e-9) or d >= 2 - math.floor(math.log10(abs(x)))
    assert abs(v - x) <= step / 2 * (1 + 1e-9) + 1e-12 * abs(x)
    # never more than 3 significant figures
    if v != 0:
        assert d <= 2 - math.floor(math.log10(abs(x)))


@given(finite, st.floats(min_value=1e-3, max_value=1e3), st.floats(min_value=1.0, max_value=1e3))
def test_wider_interval_never_more_digits(x: float, half: float, factor: float) -> None:
    _, d1 = round_to_uncertainty(x, x - half, x + half)
    _, d2 = round_to_uncertainty(x, x - half * factor, x + half * factor)
    assert d2 <= d1


def test_percent_examples() -> None:
    assert rounded_percent(0.1523, 0.1214, 0.1840) == "15%"
    assert rounded_percent(0.003, 0.0, 0.2) == "<10%"
    assert rounded_percent(0.82, 0.78, 0.85) == "82%"
