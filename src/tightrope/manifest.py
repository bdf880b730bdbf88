"""The manifest every saved or printed result carries: what made it, from what, how.

One type, :class:`Manifest`, for every analysis (simulate, robust, bargain, corridors, events,
briefing): the tightrope version, the command or analysis, when it was made (UTC), the inputs
with their sha256, the seed and the random generator actually used, the parameters, and the
versions of the packages that shaped the numbers. ``to_dict()`` gives the JSON form
(schema ``tightrope.manifest/1``, documented in docs/schemas/manifest.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import platform as _platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from tightrope import __version__

__all__ = ["PACKAGES", "SCHEMA", "Input", "Manifest", "file_input", "package_versions",
           "rng_name", "utc_now"]

SCHEMA: Final = "tightrope.manifest/1"
#: third-party packages whose version can change a number
PACKAGES: Final = ("numpy", "scipy", "pandas", "duckdb", "pyarrow", "networkx", "SALib",
                   "platypus-opt", "ruptures", "matplotlib", "plotly")


@cache
def package_versions() -> dict[str, str]:
    """Installed versions of :data:`PACKAGES` (``"not installed"`` when absent), and Python."""
    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def rng_name(rng: Any) -> str:
    """The name of a NumPy generator's bit generator, read from the generator itself
    (``numpy.random.Generator(SFC64)``)."""
    return f"numpy.random.Generator({type(rng.bit_generator).__name__})"


def utc_now() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Input:
    """One input: a file path, a shipped data set or a store table, and its sha256."""

    name: str
    sha256: str

    def __post_init__(self) -> None:
        if len(self.sha256) != 64 or any(c not in "0123456789abcdef" for c in self.sha256):
            raise ValueError(f"input {self.name!r}: sha256 must be 64 lower-case hex digits")


def file_input(path: Path | str, name: str | None = None) -> Input:
    """An :class:`Input` for a file, hashed now."""
    p = Path(path)
    return Input(name or str(p), hashlib.sha256(p.read_bytes()).hexdigest())


@dataclass(frozen=True, slots=True)
class Manifest:
    """What produced a result (see the module docstring); immutable."""

    command: str
    inputs: tuple[Input, ...] = ()
    seed: int | None = None
    rng: str | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    created_utc: str = field(default_factory=utc_now)
    tightrope_version: str = __version__
    packages: Mapping[str, str] = field(default_factory=package_versions)
    platform: str = field(default_factory=_platform.platform)

    def __post_init__(self) -> None:
        if not self.command.strip():
            raise ValueError("a manifest needs the command or analysis that produced it")
        if self.seed is not None and self.rng is None:
            raise ValueError("a seeded result must name its random generator")

    def input(self, name: str) -> Input | None:
        return next((i for i in self.inputs if i.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "tightrope_version": self.tightrope_version,
                "command": self.command, "created_utc": self.created_utc,
                "inputs": [{"name": i.name, "sha256": i.sha256} for i in self.inputs],
                "seed": self.seed, "rng": self.rng, "parameters": dict(self.parameters),
                "packages": dict(self.packages), "platform": self.platform}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Manifest:
        """Inverse of :meth:`to_dict`."""
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} manifest (schema {d.get('schema')!r})")
        return cls(str(d["command"]), tuple(Input(str(i["name"]), str(i["sha256"]))
                                            for i in d.get("inputs", [])),
                   d.get("seed"), d.get("rng"), dict(d.get("parameters", {})),
                   str(d["created_utc"]), str(d["tightrope_version"]),
                   dict(d.get("packages", {})), str(d.get("platform", "")))
