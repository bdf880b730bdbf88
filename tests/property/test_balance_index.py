"""Properties of the balance index (1 - normalised HHI)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from tightrope.exposure import balance_index, balance_index_batch

dep = st.floats(0.0, 100.0, allow_nan=False, allow_infinity=False)
vectors = st.lists(dep, min_size=2, max_size=9)


@given(vectors)
def test_in_unit_interval(d: list[float]) -> None:
    b = balance_index(d)
    assert math.isnan(b) or 0.0 <= b <= 1.0
    if sum(d) > 0:
        assert not math.isnan(b)


@given(vectors, st.randoms())
def test_invariant_to_order_and_names(d: list[float], rnd: object) -> None:
    shuffled = d[:]
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = balance_index(d), balance_index(shuffled)
    assert (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, abs_tol=1e-12)


@given(st.integers(2, 12), st.floats(0.001, 1000))
def test_maximal_for_equal_shares(n: int, x: float) -> None:
    assert math.isclose(balance_index([x] * n), 1.0, abs_tol=1e-12)


@given(vectors)
def test_equal_shares_are_the_maximum(d: list[float]) -> None:
    assume(sum(d) > 0)
    assert balance_index(d) <= balance_index([1.0] * len(d)) + 1e-12


@given(st.integers(2, 9), st.floats(0.001, 1000))
def test_single_patron_is_zero(n: int, x: float) -> None:
    assert balance_index([x] + [0.0] * (n - 1)) == 0.0


@given(vectors, st.floats(0.0, 1.0))
def test_transfer_from_largest_to_smallest_never_lowers(d: list[float], frac: float) -> None:
    assume(sum(d) > 0)
    x = np.array(d)
    hi, lo = int(np.argmax(x)), int(np.argmin(x))
    assume(hi != lo)
    t = frac * (x[hi] - x[lo]) / 2  # a transfer that keeps the donor at least as large
    y = x.copy()
    y[hi] -= t
    y[lo] += t
    assert balance_index(y) >= balance_index(x) - 1e-12


@given(vectors, st.integers(0, 8))
def test_unknown_cells_are_excluded_not_zero(d: list[float], pos: int) -> None:
    assume(min(d) >= 0.01 and min(d) >= 0.01 * max(d))
    with_unknown = [*d[:pos % (len(d) + 1)], math.nan, *d[pos % (len(d) + 1):]]
    assert math.isclose(balance_index(with_unknown), balance_index(d), abs_tol=1e-12)
    as_zero = [0.0 if math.isnan(v) else v for v in with_unknown]
    assert balance_index(as_zero) < balance_index(with_unknown) + 1e-12
    # a zero is information (less balance); an unknown is not
    assert not math.isclose(balance_index(as_zero), balance_index(d), abs_tol=1e-9)


@given(st.lists(vectors.filter(lambda v: len(v) == 4), min_size=1, max_size=6))
def test_batch_equals_single(rows: list[list[float]]) -> None:
    batch = balance_index_batch(np.array(rows))
    for r, b in zip(rows, batch, strict=True):
        s = balance_index(r)
        assert (math.isnan(s) and math.isnan(b)) or math.isclose(s, b, abs_tol=1e-12)


def test_fewer_than_two_known_is_undefined() -> None:
    assert math.isnan(balance_index([3.0, math.nan, math.nan]))
    assert math.isnan(balance_index([0.0, 0.0]))
