"""Sampling: Latin-hypercube stratification, reproducibility, mapping onto the ranges."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.errors import InputError
from tightrope.minefield import Scenario
from tightrope.minefield.robust import UncertaintySpace, latin_hypercube, streams


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 200), d=st.integers(1, 12), seed=st.integers(0, 2**32))
def test_every_stratum_holds_exactly_one_point(n: int, d: int, seed: int) -> None:
    x = latin_hypercube(n, d, np.random.default_rng(seed))
    assert x.shape == (n, d) and np.all((x >= 0) & (x < 1))
    strata = np.floor(x * n).astype(int)
    for j in range(d):
        assert sorted(strata[:, j].tolist()) == list(range(n))


def test_same_seed_same_design_other_seed_other_design() -> None:
    a = latin_hypercube(50, 4, np.random.default_rng(streams(3)["experiments"]))
    b = latin_hypercube(50, 4, np.random.default_rng(streams(3)["experiments"]))
    c = latin_hypercube(50, 4, np.random.default_rng(streams(4)["experiments"]))
    assert np.array_equal(a, b)
    assert not np.allclose(a, c)


def test_streams_are_distinct_per_purpose() -> None:
    s = streams(7)
    draws = {k: np.random.default_rng(v).random(3).tolist() for k, v in s.items()}
    assert len({tuple(v) for v in draws.values()}) == len(s)
    with pytest.raises(InputError):
        streams(-1)


def test_space_maps_unit_points_onto_every_range(kazakhstan: Scenario) -> None:
    sp = UncertaintySpace.of(kazakhstan)
    assert sp.dim == len(kazakhstan.uncertainties()) > 100
    x = sp.matrix(latin_hypercube(64, sp.dim, np.random.default_rng(0)))
    lo = np.array([p.low for p in sp.params])
    hi = np.array([p.high for p in sp.params])
    assert np.all(x >= lo - 1e-12) and np.all(x <= hi + 1e-12)
    # corners map to the ends of the ranges
    ends = sp.matrix(np.vstack([np.zeros(sp.dim), np.ones(sp.dim)]))
    assert np.allclose(ends[0], lo) and np.allclose(ends[1], hi)
    for p, logs in zip(sp.params, sp.log_scale, strict=True):
        if logs:  # log-uniform: the unit midpoint is the geometric mean
            mid = sp.from_unit(np.full((1, sp.dim), 0.5))[p.name][0]
            assert mid == pytest.approx(np.sqrt(p.low * p.high))


def test_space_subset_and_unknown_names(kazakhstan: Scenario) -> None:
    sp = UncertaintySpace.of(kazakhstan, ["powers.russia.attitude", "dynamics.noise"])
    assert sp.names == ["powers.russia.attitude", "dynamics.noise"]
    with pytest.raises(InputError, match="not uncertainties"):
        UncertaintySpace.of(kazakhstan, ["powers.atlantis.attitude"])
    with pytest.raises(ValueError, match="shape"):
        sp.from_unit(np.zeros((3, 5)))
