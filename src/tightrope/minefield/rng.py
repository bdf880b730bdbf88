"""Random streams keyed by name, so results do not depend on the order things are listed in.

One ``seed: int`` enters. Each named source of randomness (a power, a shock, an economic
trigger) and each fixed block of :data:`BLOCK` trajectories gets its own stream::

    SeedSequence(entropy=seed, spawn_key=(blake2b(name), block))

so a power's draws are the same whatever the order of the powers in the file, adding a power
leaves the others' draws unchanged, and a trajectory's draws do not depend on how many runs are
simulated or how they are chunked. Draws are consumed in a fixed pattern every quarter whatever
the state (common random numbers): two strategies, or two parameter vectors, see the same luck.

Uniforms are shifted up by a quarter of their spacing so they lie strictly inside (0, 1).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["BLOCK", "PowerDraws", "QuarterDraws", "Streams", "engine_rng_name", "key_hash",
           "stream"]

#: Trajectories per stream block.
BLOCK = 65536


def stream(seed: int, name: str, block: int) -> np.random.Generator:
    """The generator of stream ``name``, block ``block`` (see the module docstring)."""
    return np.random.Generator(np.random.SFC64(np.random.SeedSequence(
        entropy=seed, spawn_key=(key_hash(name), block))))


def engine_rng_name() -> str:
    """What the engine draws with, read from a generator made by :func:`stream` (manifests)."""
    from tightrope.manifest import rng_name

    return rng_name(stream(0, "", 0)) + ", SeedSequence(seed, spawn_key=(blake2b(name), block))"


def key_hash(name: str) -> int:
    """A stable 63-bit integer for a stream name (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(),
                          "little") >> 1


@dataclass
class PowerDraws:
    """One quarter's draws for each power, shape (P, runs): three uniforms and a noise term."""

    reward: NDArray[np.floating]
    coerce: NDArray[np.floating]
    catastrophe: NDArray[np.floating]
    noise: NDArray[np.floating]  # standard logistic scaled to unit variance


@dataclass
class QuarterDraws:
    powers: PowerDraws
    shocks: NDArray[np.floating]  # (H, runs) uniforms
    econ: NDArray[np.floating]  # (E, runs) uniforms


class Streams:
    """Per-name, per-block generators for ``runs`` trajectories starting at ``first_run``."""

    def __init__(self, seed: int, powers: tuple[str, ...], shocks: tuple[str, ...],
                 econ: tuple[str, ...], runs: int, first_run: int = 0,
                 dtype: type[np.floating] = np.float32) -> None:
        if first_run % BLOCK:
            raise ValueError(f"first_run must be a multiple of {BLOCK}")
        self.runs, self.dtype = runs, np.dtype(dtype)
        b0 = first_run // BLOCK
        self.blocks = [(b, (b - b0) * BLOCK, min(runs, (b - b0 + 1) * BLOCK))
                       for b in range(b0, b0 + -(-runs // BLOCK))]

        def gens(prefix: str, names: tuple[str, ...]) -> list[list[np.random.Generator]]:
            return [[stream(seed, f"{prefix}:{n}", b) for b, _, _ in self.blocks]
                    for n in names]

        self._power = gens("power", powers)
        self._shock = gens("shock", shocks)
        self._econ = gens("econ", econ)
        # a quarter of the spacing below 1: lifts 0 off zero and leaves the top value below 1
        self._half_ulp = self.dtype.type(np.finfo(self.dtype).epsneg / 4)
        self._scale = self.dtype.type(np.sqrt(3.0) / np.pi)

    def _uniform(self, g: np.random.Generator, out: NDArray[np.floating]) -> None:
        g.random(out=out, dtype=self.dtype)  # type: ignore[call-overload]

    def quarter(self) -> QuarterDraws:
        """Draw the next quarter for all streams (a fixed pattern, whatever the state)."""
        P, R = len(self._power), self.runs
        u = np.empty((4, P, R), dtype=self.dtype)
        for i, per_block in enumerate(self._power):
            for g, (_, lo, hi) in zip(per_block, self.blocks, strict=True):
                for j in range(4):
                    self._uniform(g, u[j, i, lo:hi])
        u += self._half_ulp
        noise = u[3]
        # standard logistic (inverse CDF), scaled to unit standard deviation
        np.divide(noise, 1 - noise, out=noise)
        np.log(noise, out=noise)
        noise *= self._scale
        sh = self._fill(self._shock)
        ec = self._fill(self._econ)
        return QuarterDraws(PowerDraws(u[0], u[1], u[2], noise), sh, ec)

    def _fill(self, streams: list[list[np.random.Generator]]) -> NDArray[np.floating]:
        out = np.empty((len(streams), self.runs), dtype=self.dtype)
        for i, per_block in enumerate(streams):
            for g, (_, lo, hi) in zip(per_block, self.blocks, strict=True):
                self._uniform(g, out[i, lo:hi])
        out += self._half_ulp
        return out
