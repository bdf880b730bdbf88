"""Shared type aliases and protocols (ground floor: imports nothing from tightrope).

* array aliases for annotations — one spelling for the whole package;
* :class:`Progress` — the one progress-callback signature that every long computation takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeAlias

if TYPE_CHECKING:  # numpy only for the type checker: importing this module stays light
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["BoolArray", "FloatArray", "IndexArray", "IntArray", "Progress"]

FloatArray: TypeAlias = "NDArray[np.float64]"
IntArray: TypeAlias = "NDArray[np.int64]"
BoolArray: TypeAlias = "NDArray[np.bool_]"
IndexArray: TypeAlias = "NDArray[np.intp]"


class Progress(Protocol):
    """Progress callback: ``done`` of ``total`` units of work are finished.

    Producers call it with ``0 <= done <= total``, ``done`` never decreasing within one run, and
    ``done == total`` only once all work is finished, so ``done / total`` is a true fraction.
    ``message`` names the current stage ("search", "re-evaluate", ...) for a person to read.
    """

    def __call__(self, done: int, total: int, message: str = "") -> None: ...
