"""Rates and the shipped table: conversions, ordering, names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tightrope.errors import InputError
from tightrope.evidence import estimate, per_quarter, rates
from tightrope.evidence.rate import Estimate


@given(st.floats(0.0, 0.999999), st.floats(0.0, 0.999999))
def test_per_quarter_compounds_back_and_keeps_order(a: float, b: float) -> None:
    qa, qb = per_quarter(a), per_quarter(b)
    assert 1 - (1 - qa) ** 4 == pytest.approx(a, abs=1e-9)
    assert 0 <= qa <= a + 1e-12
    if a <= b:
        assert qa <= qb + 1e-15


def test_every_shipped_rate_is_ordered_and_sourced() -> None:
    table = rates()
    assert len(table) > 100
    for name, e in table.items():
        assert 0 <= e.low <= e.mean <= e.high <= 1, name
        assert e.events <= e.trials and e.data and e.reference_class, name
        q = estimate(name, quarterly=True)
        assert q.low <= q.mean <= q.high and (q.mean <= e.mean or e.per != "dyad-year")


def test_unknown_names_suggest_close_ones() -> None:
    with pytest.raises(InputError, match=r"did you mean mid\.russia_post_soviet\.force"):
        estimate("mid.russia_post_soviet.forse")


def test_an_estimate_out_of_order_is_refused() -> None:
    with pytest.raises(ValueError, match=r"low <= mean <= high"):
        Estimate("x", 0.5, 0.6, 0.7, "dyad-year", 1, 2, "c", "o", "d")
