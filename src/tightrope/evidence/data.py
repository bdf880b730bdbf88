"""Where the shared data folder is (the large inputs of the evidence package)."""

from __future__ import annotations

from pathlib import Path

from tightrope.errors import DataUnavailableError
from tightrope.io import shared_data_dirs

__all__ = ["find_shared_data"]


def find_shared_data(given: Path | None = None) -> Path:
    """``given``, else ``TIGHTROPE_SHARED_DATA``, else ../shared/data beside the repository
    or the working directory; DataUnavailableError naming what was looked for."""
    if given is not None:
        if not (given / "mids").is_dir():
            raise DataUnavailableError(f"{given}: no mids/ folder (expected the shared data "
                                       "folder with mids/, cow-peacesciencer/, icews-tkg/)")
        return given
    candidates = shared_data_dirs()
    for c in candidates:
        if (c / "mids").is_dir():
            return c
    raise DataUnavailableError("the shared data folder was not found (looked at "
                               + ", ".join(str(c) for c in candidates)
                               + "); give the folder explicitly or set TIGHTROPE_SHARED_DATA")
