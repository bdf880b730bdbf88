"""Sobol' indices: the Ishigami function's analytic values; grouping; constant outcomes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.test_functions import Ishigami

from tightrope.errors import InputError
from tightrope.minefield.robust import block_groups, screen_groups, sobol_design, sobol_indices

# Analytic indices of Ishigami (a = 7, b = 0.1): Saltelli et al. (2008), Global Sensitivity
# Analysis: The Primer, section 4.
S1 = np.array([0.3139, 0.4424, 0.0])
ST = np.array([0.5576, 0.4424, 0.2437])


def test_ishigami_indices_within_tolerance() -> None:
    problem, unit = sobol_design(["x1", "x2", "x3"], 2048, np.random.SeedSequence(1))
    assert unit.shape == (2048 * 5, 3) and "groups" not in problem
    y = Ishigami.evaluate(-math.pi + 2 * math.pi * unit)
    r = sobol_indices(problem, y, np.random.SeedSequence(2))
    assert np.allclose(r.first, S1, atol=0.06)
    assert np.allclose(r.total, ST, atol=0.06)
    assert np.all(r.first_conf > 0) and np.all(r.first_conf < 0.1)
    assert r.consistent()
    assert r.groups == ["x1", "x2", "x3"] and r.evaluations == 2048 * 5


def test_groups_keep_their_order_and_share_the_variance() -> None:
    groups = ["b", "a", "b", "c"]
    problem, unit = sobol_design(groups, 512, np.random.SeedSequence(3))
    assert unit.shape == (512 * 5, 4) and problem["groups"] == groups
    y = 5 * unit[:, 1] + 0.05 * unit[:, 3]  # only group "a" matters
    r = sobol_indices(problem, y, np.random.SeedSequence(4))
    assert r.groups == ["b", "a", "c"] and r.members == {"b": 2, "a": 1, "c": 1}
    assert r.total[1] > 0.95 and r.total[0] < 0.02 and r.total[2] < 0.02


def test_constant_outcome_has_no_variance_to_apportion() -> None:
    problem, unit = sobol_design(["x", "y"], 8, np.random.SeedSequence(5))
    r = sobol_indices(problem, np.ones(len(unit)), np.random.SeedSequence(6))
    assert np.all(r.first == 0) and np.all(r.total == 0) and "constant" in r.note


def test_base_sample_must_be_a_power_of_two() -> None:
    with pytest.raises(InputError, match="power of two"):
        sobol_design(["x"], 100, np.random.SeedSequence(0))


def test_block_and_screen_groups() -> None:
    names = ["powers.russia.attitude", "powers.china.leverage", "moves.m.attitude.china",
             "moves.m.gain", "shocks.war.rate", "dynamics.noise", "reactions.sanctions.loss"]
    assert block_groups(names) == ["power: russia", "power: china", "power: china",
                                   "move gains", "shock: war", "attitude dynamics",
                                   "reaction effects"]
    rng = np.random.default_rng(0)
    x = rng.random((300, 7))
    y = 3 * x[:, 4] - x[:, 1] + 0.01 * rng.random(300)
    g = screen_groups(names, x, y, top=2)
    assert g[4] == "shocks.war.rate" and g[1] == "powers.china.leverage"
    assert g.count("all other") == 5
