"""Where a number comes from: sourced facts, labelled assumptions and explicit unknowns.

Every figure Tightrope shows is one of three things:

* a :class:`Fact` — read from a named source, with the year it refers to and where it was read;
* an :class:`Assumption` — a modelling choice, with a central value and a low/high range that
  uncertainty analyses sample from;
* :data:`UNKNOWN` — nobody found a source; analyses exclude it and say so, never treat it as 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final, Literal

__all__ = [
    "UNKNOWN",
    "Assumption",
    "Fact",
    "Provenance",
    "Unknown",
    "Value",
    "value_from_dict",
    "value_to_dict",
]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Source of a figure.

    ``source`` names the publisher or data set, ``year`` the year the figure refers to (or the
    edition year), ``where`` the file, field or page it was read from.
    """

    source: str
    year: int | None
    where: str = ""

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError("provenance needs a non-empty source")
        if self.year is not None and not 1800 <= self.year <= 2100:
            raise ValueError(f"provenance year {self.year} is outside 1800-2100")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "year": self.year, "where": self.where}


@dataclass(frozen=True, slots=True)
class Fact:
    """A sourced number; ``unit`` is declared, never inferred (``km``, ``share``, ``usd_bn``)."""

    value: float
    unit: str
    provenance: Provenance
    note: str = ""
    #: For a disputed or approximate figure ("~80%", two sources disagree): the range the
    #: sources span. Uncertainty analyses sample it like an assumption's range.
    bounds: tuple[float, float] | None = None
    kind: Literal["fact"] = field(default="fact", init=False)

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"fact value must be finite, got {self.value}")
        if self.bounds is not None and not self.bounds[0] <= self.value <= self.bounds[1]:
            raise ValueError(f"fact value {self.value} lies outside its bounds {self.bounds}")

    @property
    def low(self) -> float:
        return self.bounds[0] if self.bounds else self.value

    @property
    def high(self) -> float:
        return self.bounds[1] if self.bounds else self.value


@dataclass(frozen=True, slots=True)
class Assumption:
    """A modelling assumption: central value with a plausible [low, high] range.

    ``rationale`` says in plain words why the range is what it is; ``basis`` may cite what
    informed it (it is still not data).
    """

    value: float
    low: float
    high: float
    unit: str
    rationale: str
    basis: str = ""
    kind: Literal["assumption"] = field(default="assumption", init=False)

    def __post_init__(self) -> None:
        if not all(math.isfinite(x) for x in (self.value, self.low, self.high)):
            raise ValueError("assumption value and range must be finite")
        if not self.low <= self.value <= self.high:
            raise ValueError(
                f"assumption value {self.value} lies outside its range [{self.low}, {self.high}]"
            )
        if not self.rationale.strip():
            raise ValueError("an assumption needs a rationale")


@dataclass(frozen=True, slots=True)
class Unknown:
    """No source found. ``reason`` says what was looked for."""

    reason: str = "no source found"
    kind: Literal["unknown"] = field(default="unknown", init=False)


UNKNOWN: Final = Unknown()

Value = Fact | Assumption | Unknown


def value_to_dict(v: Value) -> dict[str, Any]:
    """A JSON-ready form with the provenance spelled out."""
    if isinstance(v, Fact):
        return {
            "kind": "fact",
            "value": v.value,
            "unit": v.unit,
            "note": v.note,
            "low": v.low,
            "high": v.high,
            **v.provenance.to_dict(),
        }
    if isinstance(v, Assumption):
        return {
            "kind": "assumption",
            "value": v.value,
            "low": v.low,
            "high": v.high,
            "unit": v.unit,
            "rationale": v.rationale,
            "basis": v.basis,
        }
    return {"kind": "unknown", "value": None, "reason": v.reason}


def value_from_dict(d: dict[str, Any]) -> Value:
    """Inverse of :func:`value_to_dict`."""
    kind = d.get("kind")
    if kind == "fact":
        return Fact(
            float(d["value"]),
            str(d["unit"]),
            Provenance(str(d["source"]), d.get("year"), str(d.get("where", ""))),
            note=str(d.get("note", "")),
            bounds=(float(d["low"]), float(d["high"]))
            if d.get("low") is not None and d.get("low") != d.get("high")
            else None,
        )
    if kind == "assumption":
        return Assumption(
            float(d["value"]),
            float(d["low"]),
            float(d["high"]),
            str(d["unit"]),
            str(d["rationale"]),
            str(d.get("basis", "")),
        )
    if kind == "unknown":
        return Unknown(str(d.get("reason", "no source found")))
    raise ValueError(f"unknown value kind {kind!r}")
