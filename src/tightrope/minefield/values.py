"""Parameters of a scenario: every number is a sourced fact or an assumption with a range.

A value in a scenario file is written in one of three forms::

    {value: 0.8, source: "facts.md: Reuters, CPC share of oil exports", year: 2023}
    {value: 0.3, low: 0.1, high: 0.5, rationale: "why this range"}
    [0.3, 0.1, 0.5]          # an assumption that inherits the nearest enclosing `rationale`
    [0.001, 0.0002, 0.005, log]   # ... whose range is read on a log scale
    {from: "evidence:mid.russia_post_soviet.force.KAZ"}   # a fitted rate (tightrope.evidence)
    {from: "overlay:KAZ/RUS/energy/oil_export_transit_share"}   # a curated overlay figure

``scale: log`` (or a fourth list item ``log``) says the range spans orders of magnitude — a
rare-event probability known to a factor of five either way — so samplers should draw it
log-uniformly (:meth:`Param.from_unit`); the central value is then the range's geometric mid.

``from: evidence:<name>`` takes the value and range (the 90% credible interval) of a rate the
evidence package fitted from data, with its reference class and data as the citation; a rate
per dyad-year becomes a rate per quarter (constant hazard) unless ``per: year`` is given.
``from: overlay:<FOCAL>/<TO>/<channel>/<indicator>`` takes a sourced figure (value, bounds,
source and year) from the shipped overlays, the same figure the exposure profile reads, so the
two cannot disagree.

A fact may carry ``low``/``high`` bounds when sources disagree or the figure is approximate;
those bounds, like an assumption's range, are *deep uncertainties* that the robust analysis
samples. A bare number is refused: it would have no provenance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from tightrope.ingest.yamlio import Located
from tightrope.provenance import Assumption, Fact, Provenance

__all__ = [
    "ANY",
    "ATTITUDE",
    "NONNEG",
    "PROBABILITY",
    "SIGNED_FRACTION",
    "Domain",
    "Param",
    "origin_of",
    "parse_from",
    "parse_value",
]

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Domain:
    """Closed interval a parameter (value and range) must lie in, with a readable name."""

    low: float
    high: float
    label: str

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


PROBABILITY: Final = Domain(0.0, 1.0, "a probability in [0, 1]")
ATTITUDE: Final = Domain(-1.0, 1.0, "a number in [-1, 1]")
NONNEG: Final = Domain(0.0, math.inf, "a number >= 0")
SIGNED_FRACTION: Final = Domain(-1.0, math.inf, "a relative change >= -1")
ANY: Final = Domain(-math.inf, math.inf, "a finite number")


@dataclass(frozen=True, slots=True)
class Param:
    """One named parameter of a scenario (``name`` is its dotted path in the file)."""

    name: str
    value: Fact | Assumption
    where: str = ""
    log_scale: bool = False
    #: "evidence:<name>" or "overlay:<path>" when the value was taken from there
    origin: str = ""

    @property
    def kind(self) -> str:
        """evidence (a fitted rate), fact (a cited figure) or judgement (an assumption)."""
        if self.origin.startswith("evidence:"):
            return "evidence"
        return "fact" if self.value.kind == "fact" else "judgement"

    @property
    def central(self) -> float:
        return self.value.value

    @property
    def low(self) -> float:
        return self.value.low

    @property
    def high(self) -> float:
        return self.value.high

    @property
    def unit(self) -> str:
        return self.value.unit

    @property
    def uncertain(self) -> bool:
        """True when the parameter has a range to sample (a deep uncertainty)."""
        return self.value.low < self.value.high

    def from_unit(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """Map points of [0, 1] onto the range: linearly, or geometrically for ``log_scale``.

        This is how a sampler (Latin hypercube, Sobol') should turn unit draws into values.
        """
        x = np.asarray(u, dtype=np.float64)
        lo, hi = self.low, self.high
        if self.log_scale and lo > 0:
            out: NDArray[np.float64] = np.exp(np.log(lo) + x * (np.log(hi) - np.log(lo)))
            return out
        return lo + x * (hi - lo)

    def citation(self) -> str:
        """Where the number comes from, in one line."""
        v = self.value
        if isinstance(v, Fact) and self.origin.startswith("evidence:"):
            return v.provenance.source
        if isinstance(v, Fact):
            year = f", {v.provenance.year}" if v.provenance.year else ""
            return f"{v.provenance.source}{year}"
        basis = f" (basis: {v.basis})" if v.basis else ""
        return f"assumption: {v.rationale}{basis}"


_FACT_KEYS = {"value", "source", "year", "where", "note", "low", "high", "scale"}
_FROM_KEYS = {"from", "per", "scale", "note"}
_ASSUMPTION_KEYS = {"value", "low", "high", "rationale", "basis", "scale"}

FORMS = ("{value, source, year} (a sourced fact), {value, low, high, rationale} (an assumption) "
         "or [value, low, high] under a block that has a rationale")


def _number(doc: Located, path: PathKey, x: Any, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(float(x)):
        raise doc.error(path, f"{what} is {x!r}", expected="a finite number")
    return float(x)


def _check_domain(doc: Located, path: PathKey, domain: Domain, *xs: float) -> None:
    for x in xs:
        if not domain.contains(x):
            raise doc.error(path, f"value {x:g} is out of range", expected=domain.label)


def is_log_scale(doc: Located, path: PathKey, raw: Any) -> bool:
    """Whether a value spec asks for a log-scale range (``scale: log`` or ``[v, lo, hi, log]``)."""
    if isinstance(raw, list):
        flag = raw[3] if len(raw) == 4 else "linear"
    elif isinstance(raw, dict):
        flag = raw.get("scale", "linear")
    else:
        return False
    if flag not in ("log", "linear"):
        raise doc.error(path, f"scale is {flag!r}", expected="log or linear")
    return bool(flag == "log")


def parse_value(doc: Located, path: PathKey, raw: Any, *, unit: str, domain: Domain,
                rationale: str | None) -> Fact | Assumption:
    """Read one parameter written in any of the accepted forms; errors name file, line, field.

    ``rationale`` is the nearest enclosing block's rationale, used by the compact list form.
    """
    if isinstance(raw, list):
        if len(raw) == 4 and raw[3] in ("log", "linear"):
            raw = raw[:3]
        if len(raw) != 3:
            raise doc.error(path, f"a list value needs 3 numbers, got {len(raw)}",
                            expected="[value, low, high] or [value, low, high, log]")
        v, lo, hi = (_number(doc, (*path, i), x, "entry") for i, x in enumerate(raw))
        if not rationale:
            raise doc.error(path, "a [value, low, high] assumption needs a `rationale` in an "
                            "enclosing block", expected=FORMS)
        return _assumption(doc, path, v, lo, hi, unit, domain, rationale, "")
    if not isinstance(raw, dict):
        raise doc.error(path, f"found {raw!r}, which has no provenance", expected=FORMS)
    if "from" in raw:
        return parse_from(doc, path, raw, unit=unit, domain=domain)
    if "value" not in raw:
        raise doc.error(path, "missing `value`", expected=FORMS)
    v = _number(doc, (*path, "value"), raw["value"], "value")
    if "source" in raw:
        extra = set(raw) - _FACT_KEYS
        if extra:
            raise doc.error((*path, sorted(extra)[0]), f"unknown key {sorted(extra)[0]!r} in a "
                            "sourced value", expected=", ".join(sorted(_FACT_KEYS)))
        source = raw["source"]
        if not isinstance(source, str) or not source.strip():
            raise doc.error((*path, "source"), "empty source", expected="a citation")
        year = raw.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)
                                 or not 1800 <= year <= 2100):
            raise doc.error((*path, "year"), f"year is {year!r}", expected="a year like 2023")
        bounds = None
        if "low" in raw or "high" in raw:
            lo = _number(doc, (*path, "low"), raw.get("low"), "low")
            hi = _number(doc, (*path, "high"), raw.get("high"), "high")
            if not lo <= v <= hi:
                raise doc.error(path, f"value {v:g} lies outside its bounds [{lo:g}, {hi:g}]",
                                expected="low <= value <= high")
            _check_domain(doc, path, domain, lo, hi)
            bounds = (lo, hi)
        _check_domain(doc, path, domain, v)
        prov = Provenance(source.strip(), year, str(raw.get("where", "")))
        return Fact(v, unit, prov, note=str(raw.get("note", "")), bounds=bounds)
    extra = set(raw) - _ASSUMPTION_KEYS
    if extra:
        raise doc.error((*path, sorted(extra)[0]), f"unknown key {sorted(extra)[0]!r}",
                        expected=FORMS)
    for k in ("low", "high", "rationale"):
        if k not in raw:
            raise doc.error(path, f"an assumption needs `{k}`", expected=FORMS)
    lo = _number(doc, (*path, "low"), raw["low"], "low")
    hi = _number(doc, (*path, "high"), raw["high"], "high")
    why = raw["rationale"]
    if not isinstance(why, str) or not why.strip():
        raise doc.error((*path, "rationale"), "empty rationale", expected="a sentence")
    return _assumption(doc, path, v, lo, hi, unit, domain, why.strip(), str(raw.get("basis", "")))


def origin_of(raw: Any) -> str:
    """The ``from`` reference of a value spec ('' when the value is written out)."""
    if isinstance(raw, dict) and isinstance(raw.get("from"), str):
        return str(raw["from"]).strip()
    return ""


def parse_from(doc: Located, path: PathKey, raw: dict[str, Any], *, unit: str,
               domain: Domain) -> Fact:
    """Read ``{from: evidence:<name>}`` or ``{from: overlay:<path>}`` into a sourced value."""
    extra = set(raw) - _FROM_KEYS
    if extra:
        raise doc.error((*path, sorted(extra)[0]), f"unknown key {sorted(extra)[0]!r} next to "
                        "`from`", expected=", ".join(sorted(_FROM_KEYS)))
    ref = origin_of(raw)
    kind, _, name = ref.partition(":")
    if kind == "evidence" and name:
        v = _from_evidence(doc, path, name, raw.get("per", "quarter"), unit)
    elif kind == "overlay" and name:
        if "per" in raw:
            raise doc.error((*path, "per"), "`per` applies to evidence rates only",
                            expected="no `per` with an overlay figure")
        v = _from_overlay(doc, path, name, unit)
    else:
        raise doc.error((*path, "from"), f"found {raw.get('from')!r}",
                        expected="'evidence:<estimate name>' or "
                        "'overlay:<FOCAL>/<TO>/<channel>/<indicator>'")
    _check_domain(doc, path, domain, v.value, v.low, v.high)
    return v


def _from_evidence(doc: Located, path: PathKey, name: str, per: Any, unit: str) -> Fact:
    from tightrope.errors import InputError
    from tightrope.evidence.shipped import estimate

    if per not in ("quarter", "year"):
        raise doc.error((*path, "per"), f"found {per!r}", expected="quarter or year")
    try:
        e = estimate(name, quarterly=per == "quarter")
    except InputError as err:
        raise doc.error((*path, "from"), str(err)) from None
    prov = Provenance(e.citation(), None, f"evidence:{e.name}")
    return Fact(e.mean, unit, prov, note=f"{e.level:.0%} credible interval, per {e.per}",
                bounds=(e.low, e.high))


def _from_overlay(doc: Located, path: PathKey, ref: str, unit: str) -> Fact:
    parts = ref.split("/")
    if len(parts) != 4:
        raise doc.error((*path, "from"), f"overlay reference {ref!r}",
                        expected="overlay:<FOCAL>/<TO>/<channel>/<indicator>, e.g. "
                        "overlay:KAZ/RUS/energy/oil_export_transit_share")
    src, dst, channel, indicator = parts
    for t in _overlay_ties():
        if (t.src, t.dst, t.channel, t.indicator) == (src, dst, channel, indicator):
            if not isinstance(t.value, Fact):
                raise doc.error((*path, "from"), f"overlay figure {ref!r} is not a sourced "
                                "value", expected="a figure with a source")
            f = t.value
            return Fact(f.value, unit, f.provenance, note=f.note, bounds=f.bounds)
    raise doc.error((*path, "from"), f"no overlay figure {ref!r}",
                    expected="a tie listed in the shipped overlays (src/to/channel/indicator)")


@lru_cache(maxsize=1)
def _overlay_ties() -> tuple[Any, ...]:
    from tightrope.ingest.overlay import read_overlays

    return tuple(read_overlays().ties)


def _assumption(doc: Located, path: PathKey, v: float, lo: float, hi: float, unit: str,
                domain: Domain, why: str, basis: str) -> Assumption:
    if not lo <= v <= hi:
        raise doc.error(path, f"value {v:g} lies outside its range [{lo:g}, {hi:g}]",
                        expected="low <= value <= high")
    _check_domain(doc, path, domain, v, lo, hi)
    return Assumption(v, lo, hi, unit, why, basis)
