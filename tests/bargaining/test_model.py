"""Unit tests of the model's building blocks against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from tightrope.bargaining import (
    CAPITULATION,
    COMPROMISE,
    CONFRONTATION,
    NO_OFFER,
    choose_offers,
    classify_offers,
    danger_levels,
    expected_utility,
    failure_utility,
    median_position,
    risk_exponents,
    status_quo_utility,
    success_utility,
    votes,
    weighted_mean,
    win_probability,
)
from tightrope.bargaining.dynamics import settle


def test_utilities_match_formulas() -> None:
    # values also asserted in McKibben's unit tests (model.py, TestModel.test_utility)
    assert success_utility(0.0) == 0.0
    assert success_utility(1.0) == 2.0
    assert success_utility(0.5) == 1.0
    assert failure_utility(1.0) == -2.0
    assert failure_utility(0.5) == -1.0
    assert success_utility(0.0, 2.0) == 1.0
    assert success_utility(0.5, 2.0) == pytest.approx(1.75)
    assert failure_utility(0.5, 2.0) == pytest.approx(-0.25)
    assert status_quo_utility(2.0) == pytest.approx(1.0)
    assert status_quo_utility(0.5) == pytest.approx(-0.8284271247461903)


def test_weighted_mean_and_median() -> None:
    x, w = np.array([4.0, 7.0, 10.0]), np.array([0.2, 0.1, 0.3])
    assert weighted_mean(x, w) == pytest.approx((0.8 + 0.7 + 3.0) / 0.6)
    assert median_position(x, w) == 7.0
    assert median_position(x, np.array([0.5, 0.1, 0.3])) == 4.0
    # an exact tie between 4 and 10 (equal weights, symmetric) goes to the lower position
    assert median_position(np.array([4.0, 10.0]), np.array([1.0, 1.0])) == 4.0


def test_two_actor_probabilities_by_hand() -> None:
    x, w, span = np.array([0.0, 10.0]), np.array([1.0, 3.0]), np.array(10.0)
    # voter 0 votes +1 for 0 over 10, voter 1 votes +3 for 10 over 0
    p = win_probability(x, w, span, rule="pairwise")
    np.testing.assert_allclose(p, [[0.0, 0.25], [0.75, 0.0]])
    p = win_probability(x, w, span, rule="net")
    np.testing.assert_allclose(p, [[0.0, 0.0], [0.5, 0.0]])
    # all-pairs: every voter's |votes| over both ordered pairs: 2·1 + 2·3 = 8
    p = win_probability(x, w, span, rule="all-pairs")
    np.testing.assert_allclose(p, [[0.0, 1 / 8], [3 / 8, 0.0]])


def test_voter_exponents_change_votes() -> None:
    x, w, span = np.array([0.0, 4.0, 10.0]), np.array([1.0, 1.0, 1.0]), np.array(10.0)
    r = np.array([1.0, 2.0, 1.0])
    p1 = win_probability(x, w, span, None, "pairwise")
    p2 = win_probability(x, w, span, r, "pairwise")
    # the voter at 4 votes 0.6 - 0.4 = 0.2 for 0 over 10 whether r = 1 or 2 (0.36 - 0.16),
    # but for 4 over 10 it votes 0.6 with r = 1 and 0.36 with r = 2
    assert p1[0, 2] == pytest.approx(p2[0, 2])
    assert p1[1, 2] != pytest.approx(p2[1, 2])


def test_expected_utility_and_danger_by_hand() -> None:
    x, s, span = np.array([0.0, 10.0]), np.array([0.5, 1.0]), np.array(10.0)
    p = np.array([[0.0, 0.25], [0.75, 0.0]])
    eu = expected_utility(x, s, p, span)
    # 0 challenges 1: s_1 (P U^s + (1-P) U^f) + (1 - s_1) U^s - U^sq, d = 1, r = 1
    assert eu[0, 1] == pytest.approx(1.0 * (0.25 * 2 + 0.75 * -2))
    assert eu[1, 0] == pytest.approx(0.5 * (0.75 * 2 + 0.25 * -2) + 0.5 * 2)
    assert eu[0, 0] == 0.0
    np.testing.assert_allclose(danger_levels(eu), [eu[1, 0], eu[0, 1]])


def test_q_below_one_needs_the_median() -> None:
    x, s, span = np.array([0.0, 10.0]), np.array([0.5, 1.0]), np.array(10.0)
    with pytest.raises(ValueError, match="median"):
        expected_utility(x, s, np.zeros((2, 2)), span, q=0.5)
    a = expected_utility(x, s, np.zeros((2, 2)), span, median=np.array(0.0), q=0.5, t=1.0)
    b = expected_utility(x, s, np.zeros((2, 2)), span, median=np.array(0.0), q=0.5, t=0.0)
    assert a[0, 1] < b[0, 1]  # expecting improvement anyway makes a challenge less attractive


def test_risk_exponents_range_and_flat_case() -> None:
    np.testing.assert_allclose(risk_exponents([0.0, 1.0, 2.0]), [2.0, 1.0, 0.5])
    np.testing.assert_allclose(risk_exponents([3.0, 3.0]), [1.0, 1.0])


def test_offer_classification() -> None:
    x = np.array([0.0, 10.0, 5.0, 5.0])
    eij = np.array([[0, 0.2, -0.1, -0.5], [0] * 4, [0] * 4, [0] * 4], dtype=float)
    eji = np.array([[0, 0.5, 0.4, 0.3], [0] * 4, [0] * 4, [0] * 4], dtype=float)
    kind, target = classify_offers(x, eij, eji)
    assert kind[0].tolist() == [NO_OFFER, CONFRONTATION, COMPROMISE, CAPITULATION]
    assert target[0, 1] == 10.0
    assert target[0, 2] == pytest.approx(5.0 * 0.1 / 0.4)
    assert target[0, 3] == 5.0
    kind, _ = classify_offers(x, eij, eji, capitulation="never")
    assert kind[0, 3] == NO_OFFER


def test_offer_choice_priority_ties_and_compromise_rules() -> None:
    x = np.array([5.0, 2.0, 8.0, 9.0])
    kind = np.zeros((4, 4), dtype=np.int8)
    target = np.tile(x, (4, 1))
    eij, eji = np.zeros((4, 4)), np.zeros((4, 4))
    # actor 0: confrontations from 1 (at 3 away) and 2 (at 3 away, larger EU_ji) -> 2
    kind[0, 1] = kind[0, 2] = CONFRONTATION
    eji[0, 1], eji[0, 2] = 0.5, 0.9
    kind[0, 3] = COMPROMISE  # a compromise never beats a confrontation
    target[0, 3] = 5.1
    # actor 1: two compromises; least-move vs the lowest weighted position
    kind[1, 0] = kind[1, 3] = COMPROMISE
    target[1, 0], target[1, 3] = 2.5, 2.4
    eij[1, 0], eji[1, 0] = -0.1, 0.6
    eij[1, 3], eji[1, 3] = -0.1, 1.75
    new, code, partner = choose_offers(x, kind, target, eij, eji, "least-move")
    assert (new[0], code[0], partner[0]) == (8.0, CONFRONTATION, 2)
    assert (new[1], partner[1]) == (2.4, 3)
    assert (new[2], code[2], partner[2]) == (8.0, NO_OFFER, -1)
    new, _, partner = choose_offers(x, kind, target, eij, eji, "weighted-position")
    # weighted positions: (0.1·2 + 0.6·5)/0.7 = 4.57 < (0.1·2 + 1.75·9)/1.85 = 8.62
    assert (new[1], partner[1]) == (2.5, 0)


def test_settle_statuses() -> None:
    med = np.arange(6, dtype=float)
    conv = np.array([[0.0, 1.0], [0.5, 1.0], [0.5, 1.0], [0.5, 1.0]])
    st = settle(conv, med[:4], med[:4], 1.0)
    assert (st.status, st.round) == ("converged", 1)
    cyc = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.5], [1.0, 0.0], [0.0, 0.5]])
    st = settle(cyc, med[:5], med[:5], 1.0)
    assert (st.status, st.period, st.window) == ("cycle", 2, (1, 2))
    walk = np.array([[0.0, 1.0], [0.1, 1.0], [0.2, 1.0], [0.3, 1.0]])
    st = settle(walk, med[:4], med[:4], 1.0)
    assert st.status == "unsettled" and st.median_range == (1.0, 3.0)


def test_votes_are_antisymmetric_and_elect_the_median() -> None:
    rng = np.random.default_rng(5)
    x, w = rng.uniform(0, 100, 9), rng.uniform(0.1, 1, 9)
    v = votes(x, w, np.ptp(x))
    np.testing.assert_allclose(v, -v.T, atol=1e-12)
    assert x[np.argmax(v.sum(axis=1))] == median_position(x, w)
    net = win_probability(x, w, np.ptp(x), rule="net")
    pair = win_probability(x, w, np.ptp(x), rule="pairwise")
    # net = max(0, V) / Σ|v|, pairwise = positive votes / Σ|v|: net = pairwise − (1 − pairwise)
    np.testing.assert_allclose(net, np.clip(2 * pair - 1, 0, 1) * (pair + pair.T > 0),
                               atol=1e-12)
