"""Docstring examples of the evidence modules run as doctests."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["tightrope.evidence.pooling", "tightrope.evidence.rate",
                                    "tightrope.evidence.icews", "tightrope.evidence.scoring"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
