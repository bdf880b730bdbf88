"""The autonomy (balance) index: range, symmetry, extremes, transfers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.minefield import autonomy_index

dep = st.lists(st.floats(0.0, 10.0, allow_nan=False), min_size=2, max_size=7).filter(
    lambda xs: sum(xs) > 1e-6)


def test_extremes() -> None:
    assert autonomy_index([1.0, 1.0, 1.0, 1.0]) == pytest.approx(1.0)
    assert autonomy_index([3.0, 0.0, 0.0]) == pytest.approx(0.0)
    assert autonomy_index([0.5, 0.3, 0.2]) == pytest.approx((1 - 0.38) / (1 - 1 / 3))
    assert np.isnan(autonomy_index([0.0, 0.0]))
    with pytest.raises(ValueError):
        autonomy_index([1.0])


def test_axis_and_dtype() -> None:
    d = np.array([[[1.0, 2.0], [1.0, 0.0]], [[2.0, 1.0], [1.0, 3.0]]], dtype=np.float32)
    out = autonomy_index(d, axis=1)  # (samples, powers, runs) layout
    assert out.shape == (2, 2) and out.dtype == np.float32
    assert out[0, 0] == pytest.approx(1.0) and out[0, 1] == pytest.approx(0.0)
    for s in range(2):
        for r in range(2):
            assert out[s, r] == pytest.approx(float(autonomy_index(d[s, :, r])), abs=1e-6)


@given(dep)
def test_in_unit_interval_and_symmetric(d: list[float]) -> None:
    x = float(autonomy_index(d))
    assert 0.0 <= x <= 1.0
    assert float(autonomy_index(d[::-1])) == pytest.approx(x, abs=1e-12)
    assert float(autonomy_index([v * 3.7 for v in d])) == pytest.approx(x, abs=1e-9)


@settings(max_examples=50)
@given(dep, st.floats(0.0, 1.0))
def test_transfer_from_larger_to_smaller_never_lowers(d: list[float], frac: float) -> None:
    """Pigou–Dalton: moving dependence from a larger to a smaller power raises balance."""
    i, j = int(np.argmax(d)), int(np.argmin(d))
    if i == j:
        return
    t = frac * (d[i] - d[j]) / 2
    e = list(d)
    e[i] -= t
    e[j] += t
    assert float(autonomy_index(e)) >= float(autonomy_index(d)) - 1e-12
