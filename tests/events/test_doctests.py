"""Docstring examples of the events modules run as doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["tightrope.ingest.cameo", "tightrope.events.months",
                                    "tightrope.events.forecast_tkg",
                                    "tightrope.events.forecast_dyad"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
