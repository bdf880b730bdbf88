"""Array aliases for annotations: one spelling for the whole package (ground floor: imports
nothing from tightrope, and numpy only for the type checker)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:  # numpy only for the type checker: importing this module stays light
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["BoolArray", "FloatArray", "IndexArray", "IntArray"]

FloatArray: TypeAlias = "NDArray[np.float64]"
IntArray: TypeAlias = "NDArray[np.int64]"
BoolArray: TypeAlias = "NDArray[np.bool_]"
IndexArray: TypeAlias = "NDArray[np.intp]"
