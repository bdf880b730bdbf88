"""Subpackages that share a name with an entry-point function can be called like it.

``tightrope.profile``, ``tightrope.world`` and ``tightrope.corridors`` are subpackages, and
importing a subpackage binds its name on ``tightrope``, so a function of the same name there
would be replaced by the module the first time anything imports it. Instead, each of these
subpackages is made callable (the documented way: setting the module's ``__class__`` to a
``ModuleType`` subclass) and calling it calls the function of :mod:`tightrope.api`:
``tightrope.profile("KAZ")`` is ``tightrope.api.profile("KAZ")``.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

__all__ = ["EntryModule", "make_callable"]


class EntryModule(ModuleType):
    """A module whose call is the :mod:`tightrope.api` function of its last name part."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        api = importlib.import_module("tightrope.api")  # at call time: keeps imports light
        return getattr(api, self.__name__.rpartition(".")[2])(*args, **kwargs)


def make_callable(name: str) -> None:
    """Make the module ``name`` (a subpackage's ``__name__``) callable as described above."""
    sys.modules[name].__class__ = EntryModule
