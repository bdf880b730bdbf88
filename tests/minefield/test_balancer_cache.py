"""The balancer's plan cache must follow the model object, never a reusable ``id``."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tightrope.minefield import Balancer, Scenario, compile_model
from tightrope.minefield.balancer import _plan


def test_reused_balancer_plans_for_each_new_model(tiny: Scenario) -> None:
    """One balancer over a series of models, each freed before the next is built.

    CPython hands a freed object's address (its ``id``) to the next object of the same size,
    so a cache keyed by ``id`` serves the previous model's move ranking here. The gains are
    permuted per model so every model has a different ranking.
    """
    base = compile_model(tiny)
    rng = np.random.default_rng(3)
    b = Balancer(0.1)
    for _ in range(25):
        gain = base.move_gain[:, rng.permutation(base.move_gain.shape[1])]
        md = replace(base, move_gain=gain)
        floor = np.full(md.samples, 0.1)
        np.testing.assert_array_equal(b.plan(md).order, _plan(md, floor, True).order)
        del md  # free it: the next model may get its address


def test_plan_is_reused_for_the_same_model(tiny: Scenario) -> None:
    md = compile_model(tiny)
    b = Balancer(0.1)
    assert b.plan(md) is b.plan(md)
