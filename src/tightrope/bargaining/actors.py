"""The stakeholders of one issue: names, capabilities, positions, saliences (and ranges).

Capability is relative clout on any positive scale (only ratios matter); position is on the
issue's own scale (e.g. 0–100, or years); salience is the share of attention an actor gives the
issue, in [0, 1]. For Monte Carlo each input may carry a [low, high] range around its value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from tightrope._types import FloatArray
from tightrope.errors import InputError

__all__ = ["FIELDS", "Actors"]


#: The three inputs of every actor, in file order.
FIELDS: Final = ("capability", "position", "salience")


def _vec(a: ArrayLike, n: int, what: str) -> FloatArray:
    v = np.array(a, dtype=np.float64).reshape(-1)
    if v.shape != (n,):
        raise InputError(f"{what} has {v.size} values for {n} actors")
    return v


@dataclass(frozen=True, eq=False)
class Actors:
    """A validated actor table; arrays are read-only float64 of length n.

    ``low``/``high`` hold each field's Monte Carlo range (equal to the value when no range was
    given). ``meta`` carries free-form description (title, scale, status, sources).
    """

    names: tuple[str, ...]
    capability: FloatArray
    position: FloatArray
    salience: FloatArray
    low: Mapping[str, FloatArray] = field(default_factory=dict)
    high: Mapping[str, FloatArray] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None

    @classmethod
    def from_columns(
        cls,
        names: Sequence[str],
        capability: ArrayLike,
        position: ArrayLike,
        salience: ArrayLike,
        *,
        low: Mapping[str, ArrayLike] | None = None,
        high: Mapping[str, ArrayLike] | None = None,
        meta: Mapping[str, Any] | None = None,
        source: str | None = None,
    ) -> Actors:
        """Build and validate; any problem raises :class:`InputError` naming the actor."""
        n = len(names)
        vals = {
            "capability": _vec(capability, n, "capability"),
            "position": _vec(position, n, "position"),
            "salience": _vec(salience, n, "salience"),
        }
        lo = {f: _vec((low or {}).get(f, vals[f]), n, f"{f}_low") for f in FIELDS}
        hi = {f: _vec((high or {}).get(f, vals[f]), n, f"{f}_high") for f in FIELDS}
        return cls(tuple(str(x) for x in names), vals["capability"], vals["position"],
                   vals["salience"], lo, hi, dict(meta or {}), source)

    def __post_init__(self) -> None:
        n = len(self.names)
        src = self.source
        if n < 2:
            raise InputError(
                f"a bargaining model needs at least two actors, found {n}", source=src,
                expected="two or more rows")
        seen: set[str] = set()
        for name in self.names:
            if not name.strip():
                raise InputError("an actor has an empty name", source=src)
            if name in seen:
                raise InputError(f"actor {name!r} appears twice", source=src,
                                 expected="unique actor names")
            seen.add(name)
        values = {"capability": self.capability, "position": self.position,
                  "salience": self.salience}
        object.__setattr__(self, "low", {f: np.asarray(self.low.get(f, v), dtype=np.float64)
                                         for f, v in values.items()})
        object.__setattr__(self, "high", {f: np.asarray(self.high.get(f, v), dtype=np.float64)
                                          for f, v in values.items()})
        for f, v in values.items():
            if v.shape != (n,):
                raise InputError(f"{f} has {v.size} values for {n} actors", source=src)
            self._check_field(f, v, "")
            lo = self.low[f]
            hi = self.high[f]
            self._check_field(f, lo, " (range low)")
            self._check_field(f, hi, " (range high)")
            bad = np.flatnonzero(~((lo <= v) & (v <= hi)))
            if bad.size:
                i = int(bad[0])
                raise InputError(
                    f"actor {self.names[i]!r}: {f} {v[i]:g} lies outside its range "
                    f"[{lo[i]:g}, {hi[i]:g}]", source=src, expected="low <= value <= high")
        if np.all(self.position == self.position[0]):
            raise InputError(
                f"all actors hold the same position ({self.position[0]:g}); there is nothing "
                "to bargain over", source=src, expected="at least two different positions")
        if not np.any(self.capability * self.salience > 0):
            raise InputError("every actor has salience 0; nobody cares about the issue",
                             source=src, expected="at least one salience above 0")
        for a in (self.capability, self.position, self.salience, *self.low.values(),
                  *self.high.values()):
            a.setflags(write=False)

    def _check_field(self, f: str, v: FloatArray, tag: str) -> None:
        src = self.source
        bad = np.flatnonzero(~np.isfinite(v))
        if bad.size:
            i = int(bad[0])
            raise InputError(f"actor {self.names[i]!r}: {f}{tag} is not a finite number",
                             source=src)
        if f == "capability":
            bad = np.flatnonzero(v <= 0)
            if bad.size:
                i = int(bad[0])
                raise InputError(f"actor {self.names[i]!r}: capability{tag} {v[i]:g} is not "
                                 "positive", source=src, expected="capability > 0")
        if f == "salience":
            bad = np.flatnonzero((v < 0) | (v > 1))
            if bad.size:
                i = int(bad[0])
                raise InputError(f"actor {self.names[i]!r}: salience{tag} {v[i]:g} is outside "
                                 "[0, 1]", source=src, expected="a salience between 0 and 1 "
                                 "(divide percentages by 100)")

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def has_ranges(self) -> bool:
        """True when at least one input has a non-degenerate Monte Carlo range."""
        return any(bool(np.any(self.low[f] < self.high[f])) for f in FIELDS)

    def with_spread(self, fraction: float) -> Actors:
        """Give inputs without a range a symmetric ± ``fraction`` range (clipped to validity).

        Positions use ± fraction of the span of positions; capability and salience ± fraction
        of their own value. This is a user's modelling choice, recorded in ``meta``.
        """
        if not 0 < fraction < 1:
            raise InputError(f"spread {fraction:g} must lie in (0, 1)")
        span = float(self.position.max() - self.position.min())
        lo: dict[str, FloatArray] = {}
        hi: dict[str, FloatArray] = {}
        for f in FIELDS:
            v = {"capability": self.capability, "position": self.position,
                 "salience": self.salience}[f]
            d = fraction * (span if f == "position" else np.abs(v))
            none = self.low[f] == self.high[f]
            lo[f] = np.where(none, v - d, self.low[f])
            hi[f] = np.where(none, v + d, self.high[f])
        lo["capability"] = np.maximum(lo["capability"], self.capability * 1e-3)
        lo["salience"] = np.clip(lo["salience"], 0.0, 1.0)
        hi["salience"] = np.clip(hi["salience"], 0.0, 1.0)
        meta = {**self.meta, "spread": fraction}
        return Actors.from_columns(self.names, self.capability, self.position, self.salience,
                                   low=lo, high=hi, meta=meta, source=self.source)

    def to_json(self) -> list[dict[str, Any]]:
        """One record per actor with its inputs and ranges."""
        out = []
        for i, name in enumerate(self.names):
            rec: dict[str, Any] = {"actor": name}
            for f in FIELDS:
                v = {"capability": self.capability, "position": self.position,
                     "salience": self.salience}[f]
                rec[f] = float(v[i])
                if self.low[f][i] < self.high[f][i]:
                    rec[f"{f}_range"] = [float(self.low[f][i]), float(self.high[f][i])]
            out.append(rec)
        return out
