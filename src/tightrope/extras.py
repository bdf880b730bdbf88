"""Optional dependencies, installed as extras: ``web`` (the dashboard) and ``dask`` (the
Dask engine). The core install runs every analysis without them; a command that needs one
checks here first and says which extra to install."""

from __future__ import annotations

import importlib.util

from tightrope.errors import MissingExtraError

__all__ = ["EXTRAS", "require_extra"]

#: Extra name → the top-level modules it provides.
EXTRAS: dict[str, tuple[str, ...]] = {
    "web": ("fastapi", "uvicorn"),
    "dask": ("dask", "distributed"),
    "evidence": ("statsmodels",),
}


def require_extra(extra: str, purpose: str) -> None:
    """Raise :class:`MissingExtraError` when a module of ``extra`` cannot be imported."""
    missing = [m for m in EXTRAS[extra] if _absent(m)]
    if missing:
        raise MissingExtraError(extra, purpose, missing)


def _absent(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):  # a blocked or half-installed module
        return True
