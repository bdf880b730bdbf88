"""The docstring examples of the bargaining room run."""

from __future__ import annotations

import doctest

import pytest

from tightrope.bargaining import model, offers, service


@pytest.mark.parametrize("module", [model, offers, service])
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
