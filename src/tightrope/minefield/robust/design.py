"""The study declared as data: uncertainties (ranges to sample) and policies (levers).

Every parameter of a scenario with a range (``low < high``) is an *uncertainty*: a deep
uncertainty in the sense of Lempert et al. (2003) — nobody can defend one probability
distribution for it, so it is explored uniformly over its range (log-uniformly when the file
marks the range ``log``). Samples are drawn on the unit cube and mapped onto the ranges, so a
sample design (Latin hypercube, Sobol') is independent of units.

Randomness: one ``seed`` enters; :func:`streams` spawns one ``SeedSequence`` child per purpose
(experiment design, search futures, Sobol' design, search algorithm, bootstrap), so changing
one part of a study never changes the random numbers of another.

References: McKay, Beckman & Conover (1979), "A comparison of three methods for selecting
values of input variables", *Technometrics* 21, 239–245 (Latin hypercube); Lempert, Popper &
Bankes (2003), *Shaping the Next One Hundred Years*, RAND MR-1626.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from tightrope._types import FloatArray
from tightrope.errors import InputError
from tightrope.minefield.spec import Scenario
from tightrope.minefield.values import Param

__all__ = [
    "PURPOSES",
    "UncertaintySpace",
    "latin_hypercube",
    "streams",
]


#: One random stream per purpose, in this order (``SeedSequence(seed).spawn(len(PURPOSES))``).
PURPOSES: Final = ("experiments", "search_futures", "sobol", "search", "bootstrap")


def streams(seed: int) -> dict[str, np.random.SeedSequence]:
    """Independent seed sequences for each purpose of a study, from one integer seed."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed is {seed!r}", where="seed", expected="a whole number >= 0")
    kids = np.random.SeedSequence(int(seed)).spawn(len(PURPOSES))
    return dict(zip(PURPOSES, kids, strict=True))


def _from_unit(p: Param, u: FloatArray) -> FloatArray:
    """A unit-cube column mapped onto the parameter's range (log-uniform for log ranges)."""
    fn = getattr(p, "from_unit", None)
    if callable(fn):
        return np.asarray(fn(u), dtype=np.float64)
    return p.low + np.asarray(u, dtype=np.float64) * (p.high - p.low)


@dataclass(frozen=True)
class UncertaintySpace:
    """The uncertain parameters of a scenario: names (file order), ranges and scales.

    ``from_unit`` maps a (n, d) matrix of points in [0, 1]^d to parameter columns.
    """

    params: tuple[Param, ...]

    def __post_init__(self) -> None:
        if not self.params:
            raise InputError("the scenario has no parameter with a range to explore",
                             expected="at least one {value, low, high} assumption")
        for p in self.params:
            if not p.low < p.high:
                raise ValueError(f"{p.name}: not an uncertainty (low >= high)")

    @classmethod
    def of(cls, scenario: Scenario, include: Sequence[str] | None = None) -> UncertaintySpace:
        """All uncertainties of ``scenario`` (or those named in ``include``)."""
        ps = scenario.uncertainties()
        if include is not None:
            wanted = set(include)
            unknown = wanted - {p.name for p in ps}
            if unknown:
                raise InputError(f"not uncertainties of {scenario.key}: "
                                 + ", ".join(sorted(unknown)),
                                 expected="uncertainty names the scenario declares")
            ps = [p for p in ps if p.name in wanted]
        return cls(tuple(ps))

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.params]

    @property
    def dim(self) -> int:
        return len(self.params)

    @property
    def log_scale(self) -> list[bool]:
        return [bool(getattr(p, "log_scale", False)) for p in self.params]

    def from_unit(self, unit: FloatArray) -> dict[str, FloatArray]:
        """Columns of parameter values for unit-cube points ``unit`` of shape (n, d)."""
        u = np.asarray(unit, dtype=np.float64)
        if u.ndim != 2 or u.shape[1] != self.dim:
            raise ValueError(f"expected points of shape (n, {self.dim}), got {u.shape}")
        return {p.name: _from_unit(p, u[:, j]) for j, p in enumerate(self.params)}

    def matrix(self, unit: FloatArray) -> FloatArray:
        """Parameter values as an (n, d) matrix (columns in :attr:`names` order)."""
        cols = self.from_unit(unit)
        return np.stack([cols[n] for n in self.names], axis=1)

    def describe(self) -> list[dict[str, Any]]:
        """JSON-ready list of the uncertainties (name, central value, range, scale, unit)."""
        return [{"name": p.name, "value": p.central, "low": p.low, "high": p.high,
                 "scale": "log" if lg else "linear", "unit": p.unit}
                for p, lg in zip(self.params, self.log_scale, strict=True)]


def latin_hypercube(n: int, dim: int, rng: np.random.Generator) -> FloatArray:
    """``n`` points of a Latin hypercube in [0, 1]^dim (scrambled, strength 1).

    Each coordinate has exactly one point in each of the ``n`` strata ``[k/n, (k+1)/n)``.
    Units: none (the unit cube). References: McKay, Beckman & Conover (1979).

    >>> x = latin_hypercube(8, 2, np.random.default_rng(0))
    >>> sorted(np.floor(x[:, 0] * 8).astype(int).tolist())
    [0, 1, 2, 3, 4, 5, 6, 7]
    """
    from scipy.stats import qmc

    if n < 1 or dim < 1:
        raise InputError(f"a design of {n} samples in {dim} dimensions", where="samples",
                         expected="at least one sample and one uncertainty")
    out: FloatArray = qmc.LatinHypercube(d=dim, rng=rng).random(n)
    return out
