"""Tightrope: decision support for the foreign policy of a middle power between great powers.

The functions below are the Python entry point (see :mod:`tightrope.api`): each returns the
same plain data as the matching command's ``--json`` output. ``profile``, ``world`` and
``corridors`` are also subpackages; calling them calls the function.
"""

import importlib
from typing import Any

from tightrope.api import bargain, compare, robust, simulate, temperature

__version__ = "0.1.0"

__all__ = ["__version__", "bargain", "compare", "corridors", "profile", "robust", "simulate",
           "temperature", "world"]

#: entry points that share their name with a subpackage (callable, see tightrope._entry)
_SUBPACKAGES = ("corridors", "profile", "world")


def __getattr__(name: str) -> Any:
    """``tightrope.profile`` and co. before anything imported them: import the subpackage."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"tightrope.{name}")
    raise AttributeError(f"module 'tightrope' has no attribute {name!r}")
