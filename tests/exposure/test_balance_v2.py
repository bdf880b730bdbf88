"""Method v2 of the balance index: portfolio over camps, alignment by distance to each camp's
ideal point, the held-out validation set, and the documented results (regression)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tightrope.errors import DataUnavailableError
from tightrope.exposure.campdata import balance_data, check_held_out
from tightrope.exposure.camps import lean_balance, portfolio_ties, weighted_overall
from tightrope.exposure.worldinputs import HEADLINE_CHANNELS, WORLD_CHANNELS, distance_ties

tie = st.one_of(st.floats(0, 1), st.just(math.nan))
matrix = st.integers(1, 5).flatmap(
    lambda c: st.lists(st.lists(tie, min_size=3, max_size=3), min_size=c, max_size=c))
weights = st.lists(st.floats(0.5, 1.5), min_size=5, max_size=5)


@given(matrix, weights)
def test_portfolio_tie_lies_between_the_camps_channel_ties(m: list[list[float]],
                                                           w: list[float]) -> None:
    x = np.array(m)
    t = portfolio_ties(x, np.array(w[: len(m)]))
    for k in range(3):
        col = x[:, k][~np.isnan(x[:, k])]
        if col.size == 0:
            assert math.isnan(t[k])
        else:
            assert col.min() - 1e-12 <= t[k] <= col.max() + 1e-12


@given(matrix, st.randoms())
def test_portfolio_does_not_depend_on_channel_order(m: list[list[float]], r: Any) -> None:
    x = np.array(m)
    perm = list(range(len(m)))
    r.shuffle(perm)
    np.testing.assert_allclose(portfolio_ties(x, np.ones(len(m))),
                               portfolio_ties(x[perm], np.ones(len(m))), equal_nan=True)


def test_portfolio_sees_security_with_one_camp_and_trade_with_another_as_balanced() -> None:
    # the multi-vector pattern: full security tie to camp 0, full trade tie to camp 1
    x = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    per_channel = weighted_overall(lean_balance(x), np.ones(2))
    assert float(per_channel) == 0.0  # v1: every channel leans, the mean is 0
    assert float(lean_balance(portfolio_ties(x, np.ones(2)))) == 1.0  # v2: balanced
    # one camp on both channels stays aligned
    y = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    assert float(lean_balance(portfolio_ties(y, np.ones(2)))) == 0.0


def test_portfolio_rejects_negative_weights_and_leaves_unknown_camps_out() -> None:
    with pytest.raises(ValueError):
        portfolio_ties(np.zeros((2, 3)), np.array([1.0, -1.0]))
    t = portfolio_ties(np.array([[np.nan, 0.2, 0.6], [np.nan, 0.4, np.nan]]), np.ones(2))
    assert math.isnan(t[0]) and t[1] == pytest.approx(0.3) and t[2] == pytest.approx(0.6)


@st.composite
def space(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """A state's ideal point and three camps' points in 1-3 dimensions."""
    d = draw(st.integers(1, 3))
    coord = st.floats(-5, 5)
    pts = np.array(draw(st.lists(st.lists(coord, min_size=d, max_size=d),
                                 min_size=3, max_size=3)))
    assume(np.ptp(pts, axis=0).max() > 1e-3)
    theta = np.array(draw(st.lists(st.floats(-8, 8), min_size=d, max_size=d)))
    return theta, pts


@given(space())
def test_distance_ties_in_unit_interval_and_ordered_by_distance(
        case: tuple[np.ndarray, np.ndarray]) -> None:
    theta, p = case
    t = distance_ties(theta, p)
    assert np.all((t >= 0) & (t <= 1))
    d = np.linalg.norm(theta - p, axis=1)
    order = np.argsort(d)
    assert np.all(np.diff(t[order]) <= 1e-12)  # nearer camp, stronger tie


@given(space())
def test_distance_ties_one_at_a_camp_and_zero_across_the_widest_gap(
        case: tuple[np.ndarray, np.ndarray]) -> None:
    _, pts = case
    for k in range(3):
        assert distance_ties(pts[k], pts)[k] == pytest.approx(1.0)
    gap = np.linalg.norm(pts[:, None] - pts[None], axis=-1)
    lo, hi = np.unravel_index(int(np.argmax(gap)), gap.shape)
    assert distance_ties(pts[lo], pts)[hi] == pytest.approx(0.0, abs=1e-9)


@given(space(), st.floats(0, 2 * math.pi))
def test_distance_ties_do_not_depend_on_a_rotation(case: tuple[np.ndarray, np.ndarray],
                                                   angle: float) -> None:
    # the ideal-point space is identified only up to a rotation: ties must not depend on it
    theta, pts = case
    d = theta.size
    rot = np.eye(d)
    if d >= 2:
        c, s = math.cos(angle), math.sin(angle)
        rot[:2, :2] = [[c, -s], [s, c]]
    assert np.allclose(distance_ties(theta @ rot.T, pts @ rot.T), distance_ties(theta, pts),
                       atol=1e-9)


def test_held_out_set_shares_no_state_with_the_first_set() -> None:
    d = balance_data()
    first = {e["iso3"] for g in ("hedging", "aligned") for e in d.validation[g]}
    held = {e["iso3"] for g in ("hedging", "aligned") for e in d.heldout[g]}
    assert held and not first & held
    assert all(e["cite"] for g in ("hedging", "aligned") for e in d.heldout[g])
    with pytest.raises(DataUnavailableError, match="KAZ"):
        check_held_out(d.validation, {"hedging": [{"iso3": "KAZ"}], "aligned": []})
    with pytest.raises(DataUnavailableError, match="both groups"):
        check_held_out({}, {"hedging": [{"iso3": "X"}], "aligned": [{"iso3": "X"}]})


@pytest.fixture(scope="module")
def world(loaded_db: Path):  # type: ignore[no-untyped-def]
    from tightrope.exposure.world import world_balance
    from tightrope.store import open_store

    with open_store(loaded_db, read_only=True) as s:
        return world_balance(s, runs=100)


def test_alignment_separates_russia_from_china(world) -> None:  # type: ignore[no-untyped-def]
    # v1 gave every state the same UN tie to Russia and to China. Since v4 (three dimensions)
    # states far from every camp have tie 0 to both, so they are left out here.
    pairs = [(c.ties["alignment"]["RUS"], c.ties["alignment"]["CHN"]) for c in world.countries
             if not math.isnan(c.ties["alignment"]["RUS"] + c.ties["alignment"]["CHN"])]
    assert len(pairs) >= 180
    diff = np.array([abs(r - k) for r, k in pairs if max(r, k) > 0])
    assert len(diff) >= 100 and np.mean(diff > 0.01) > 0.75


def test_v2_evenness_is_the_portfolio_margin_over_headline_channels(world) -> None:  # type: ignore[no-untyped-def]
    from tightrope.exposure.campdata import CAMPS

    for iso in ("KAZ", "BLR", "POL", "VNM", "JOR"):
        c = world.by_iso3(iso)
        x = np.array([[c.ties[ch][k] for k in CAMPS] for ch in HEADLINE_CHANNELS])
        t = portfolio_ties(x, np.ones(len(HEADLINE_CHANNELS)))
        assert c.evenness_v2 == pytest.approx(float(lean_balance(t)))
        assert c.leading_camp == CAMPS[int(np.nanargmax(t))]
    assert set(HEADLINE_CHANNELS) < set(WORLD_CHANNELS)




