"""Where the shared data folder is (the large inputs of the evidence package)."""

from __future__ import annotations

import os
from pathlib import Path

from tightrope.errors import DataUnavailableError

__all__ = ["find_shared_data"]


def find_shared_data(given: Path | None = None) -> Path:
    """``given``, else ``TIGHTROPE_SHARED_DATA``, else ../shared/data beside the repository
    or the working directory; DataUnavailableError naming what was looked for."""
    if given is not None:
        if not (given / "mids").is_dir():
            raise DataUnavailableError(f"{given}: no mids/ folder (expected the shared data "
                                       "folder with mids/, cow-peacesciencer/, icews-tkg/)")
        return given
    candidates = [os.environ.get("TIGHTROPE_SHARED_DATA"),
                  str(Path(__file__).resolve().parents[3] / "shared" / "data"),
                  str(Path.cwd().parent / "shared" / "data")]
    for c in candidates:
        if c and (Path(c) / "mids").is_dir():
            return Path(c)
    raise DataUnavailableError("the shared data folder was not found (looked at "
                               + ", ".join(c for c in candidates if c)
                               + "); give it as the data folder or set TIGHTROPE_SHARED_DATA")
