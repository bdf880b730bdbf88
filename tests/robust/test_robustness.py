"""Regret, satisficing and ranking: properties that must hold for any outcome matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tightrope.errors import InputError
from tightrope.minefield.robust import Thresholds, explain, regret, satisficing, summarise

shapes = st.tuples(st.integers(1, 6), st.integers(1, 40))
finite = st.floats(-50, 50, allow_nan=False)
probs = st.floats(0, 1, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, maximize=st.booleans())
def test_regret_is_nonnegative_and_zero_for_the_best(data: st.DataObject,
                                                     shape: tuple[int, int],
                                                     maximize: bool) -> None:
    v = data.draw(arrays(np.float64, shape, elements=finite))
    r = regret(v, maximize)
    assert np.all(r >= 0)
    assert np.allclose(r.min(axis=0), 0)
    best = v.argmax(axis=0) if maximize else v.argmin(axis=0)
    assert np.all(r[best, np.arange(shape[1])] == 0)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes)
def test_a_dominated_strategy_never_has_less_regret(data: st.DataObject,
                                                    shape: tuple[int, int]) -> None:
    g = data.draw(arrays(np.float64, shape, elements=finite))
    worse = g[0] - data.draw(arrays(np.float64, shape[1], elements=st.floats(0, 10)))
    both = np.vstack([g, worse])
    r = regret(both, maximize=True)
    assert np.all(r[-1] >= r[0] - 1e-9)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), shape=shapes, t1=st.floats(0.01, 1), t2=st.floats(0.01, 1),
       g1=st.floats(-20, 20), g2=st.floats(-20, 20))
def test_satisficing_is_a_share_monotone_in_the_thresholds(data: st.DataObject,
                                                           shape: tuple[int, int], t1: float,
                                                           t2: float, g1: float,
                                                           g2: float) -> None:
    p = data.draw(arrays(np.float64, shape, elements=probs))
    g = data.draw(arrays(np.float64, shape, elements=finite))
    loose = satisficing(p, g, Thresholds(max(t1, t2), min(g1, g2)))
    strict = satisficing(p, g, Thresholds(min(t1, t2), max(g1, g2)))
    assert np.all((strict >= 0) & (loose <= 1))
    assert np.all(strict <= loose)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=st.tuples(st.integers(2, 6), st.integers(2, 30)))
def test_ranking_does_not_depend_on_listing_order(data: st.DataObject,
                                                  shape: tuple[int, int]) -> None:
    p = data.draw(arrays(np.float64, shape, elements=probs))
    g = data.draw(arrays(np.float64, shape, elements=finite))
    a = data.draw(arrays(np.float64, shape, elements=probs))
    names = [f"s{k}" for k in range(shape[0])]
    perm = data.draw(st.permutations(range(shape[0])))
    th = Thresholds(0.3, 0.0)
    one = summarise(names, p, g, a, th)
    two = summarise([names[k] for k in perm], p[perm], g[perm], a[perm], th)
    assert [r.strategy for r in one] == [r.strategy for r in two]
    assert [r.rank for r in one] == list(range(1, shape[0] + 1))
    for r in one:
        assert 0 <= r.satisficing <= 1 and r.regret_p_catastrophe_p90 >= 0
        assert r.p_catastrophe_median <= r.p_catastrophe_p90 <= r.p_catastrophe_max


def test_known_case_numbers_and_words() -> None:
    # two strategies, four futures: B is safer in three of four futures
    p = np.array([[0.1, 0.5, 0.3, 0.05], [0.05, 0.1, 0.6, 0.01]])
    g = np.array([[1.0, -1.0, 2.0, 3.0], [0.5, 0.5, -2.0, 1.0]])
    a = np.full_like(p, 0.5)
    rows = summarise(["A", "B"], p, g, a, Thresholds(0.2, 0.0))
    by = {r.strategy: r for r in rows}
    assert by["A"].satisficing == pytest.approx(0.5)  # futures 0 and 3
    assert by["B"].satisficing == pytest.approx(0.75)  # futures 0, 1 and 3
    assert rows[0].strategy == "B" and rows[0].rank == 1
    assert by["A"].regret_p_catastrophe_max == pytest.approx(0.4)
    assert by["B"].regret_gain_max == pytest.approx(4.0)
    assert by["B"].best_share == pytest.approx(0.75)
    text = " ".join(explain(rows, Thresholds(0.2, 0.0), 4))
    assert "B is the most robust" in text and "75.0%" in text


def test_thresholds_are_validated() -> None:
    with pytest.raises(InputError):
        Thresholds(0.0, 0.0)
    with pytest.raises(InputError):
        Thresholds(0.5, float("nan"))


def test_close_calls_are_flagged_only_when_close() -> None:
    rng = np.random.default_rng(0)
    F = 400
    p = rng.random((2, F)) * 0.4
    g = rng.normal(1.0, 1.0, (2, F))
    a = np.full((2, F), 0.5)
    th = Thresholds(0.2, 0.0)
    meets = {n: (p[k] < 0.2) & (g[k] > 0) for k, n in enumerate(["A", "B"])}
    rows = summarise(["A", "B"], p, g, a, th)
    assert "close call" in " ".join(explain(rows, th, F, meets))
    p[1] += 0.3  # B now fails almost everywhere
    meets = {n: (p[k] < 0.2) & (g[k] > 0) for k, n in enumerate(["A", "B"])}
    rows = summarise(["A", "B"], p, g, a, th)
    assert "close call" not in " ".join(explain(rows, th, F, meets))
