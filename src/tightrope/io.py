"""Atomic file writes: a reader never sees a half-written file, a failure leaves none."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tightrope.errors import InputError

__all__ = ["atomic_write_bytes", "atomic_write_text", "shared_data_dirs"]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as e:
        raise InputError(f"cannot write here: {e.strerror}", source=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def shared_data_dirs() -> list[Path]:
    """Where the shared public data sets may be, in order: ``TIGHTROPE_SHARED_DATA``, then
    ``../shared/data`` beside the repository this package runs from (an editable install),
    then ``../shared/data`` beside the working directory."""
    env = os.environ.get("TIGHTROPE_SHARED_DATA")
    repo = Path(__file__).resolve().parents[2]  # src/tightrope/io.py -> the repository
    out = [Path(env)] if env else []
    return [*out, repo.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
