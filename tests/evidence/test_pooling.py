"""The empirical-Bayes beta-binomial: intervals, shrinkage, degenerate classes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.errors import ParameterError
from tightrope.evidence.pooling import fit_beta_binomial

groups = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), min_size=2, max_size=12)


@settings(max_examples=25, deadline=None)
@given(groups)
def test_posterior_is_a_probability_inside_its_interval(gs: list[tuple[int, int]]) -> None:
    k = [min(a, n) for a, n in gs]
    n = [n for _, n in gs]
    fit = fit_beta_binomial(k, n, seed=1)
    lo, hi = fit.mean_interval()
    assert 0 <= lo <= hi <= 1 and math.isfinite(fit.mu) and fit.kappa > 0
    for ki, ni in zip(k, n, strict=True):
        m, lo_, hi_ = fit.posterior(ki, ni)
        assert 0 <= lo_ <= m <= hi_ <= 1


@settings(max_examples=25, deadline=None)
@given(groups)
def test_pooling_pulls_each_group_toward_the_class(gs: list[tuple[int, int]]) -> None:
    k = [min(a, n) for a, n in gs]
    n = [n for _, n in gs]
    fit = fit_beta_binomial(k, n, seed=2)
    lo, hi = fit.mean_interval(0.999)
    for ki, ni in zip(k, n, strict=True):
        m = fit.posterior(ki, ni)[0]
        raw = ki / ni
        # the posterior mean lies between the group's own rate and the class rate (the
        # class rate itself uncertain: anywhere in its interval)
        assert min(raw, lo) - 1e-9 <= m <= max(raw, hi) + 1e-9


def test_small_numbers_stay_wide() -> None:
    fit = fit_beta_binomial([1, 2, 0, 3, 1], [40, 40, 40, 40, 40], seed=0)
    few = fit.posterior(0, 2)
    many = fit.posterior(0, 200)
    assert few[2] - few[1] > many[2] - many[1]


def test_a_class_without_events_has_a_finite_small_rate() -> None:
    fit = fit_beta_binomial([0] * 14, [23] * 14)
    lo, hi = fit.mean_interval()
    assert 0 < fit.mu < 0.02 and hi > fit.mu and lo >= 0


def test_same_seed_same_interval() -> None:
    a = fit_beta_binomial([0, 3, 1], [20, 20, 20], seed=5).posterior(1, 20)
    b = fit_beta_binomial([0, 3, 1], [20, 20, 20], seed=5).posterior(1, 20)
    assert a == b


@pytest.mark.parametrize(("k", "n"), [([1, 2], [1]), ([3], [2]), ([], []), ([-1], [3])])
def test_bad_counts_are_refused(k: list[int], n: list[int]) -> None:
    with pytest.raises(ParameterError):
        fit_beta_binomial(np.array(k), np.array(n))
