"""Fixtures for the robust-decision tests: the shipped Kazakhstan scenario and a small study."""

from __future__ import annotations

import pytest

from tightrope.minefield import Scenario, load_scenario
from tightrope.minefield.robust import RobustResult, RobustSettings, SearchSettings, robust_analysis


@pytest.fixture(scope="session")
def kazakhstan() -> Scenario:
    return load_scenario("kazakhstan-2023")


@pytest.fixture(scope="session")
def small_study(kazakhstan: Scenario) -> RobustResult:
    """A quick study: 32 futures × 3 strategies × 60 runs, tiny search and Sobol' design."""
    settings = RobustSettings(search=SearchSettings(population=8, generations=3, futures=6,
                                                    runs=40), sobol_n=8, sobol_runs=40)
    return robust_analysis(kazakhstan, samples=32, runs=60, seed=5, settings=settings,
                           strategies="balancer,isolation,multi_vector_rotation")
