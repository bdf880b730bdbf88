"""The settings of the corridor market model, read from ``market.yaml``.

Every number is a fact (value, source id, year) or an assumption (value, low, high,
rationale); both become a :class:`~tightrope.corridors.model.Range` (a fact without bounds has
zero width) keyed by its dotted path, e.g. ``"shocks.exposure_2022"``. Malformed entries raise
:class:`~tightrope.errors.InputError` naming the file, line and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from tightrope.corridors.model import Range, Sampler
from tightrope.corridors.network import Network
from tightrope.errors import InputError
from tightrope.ingest.yamlio import Located, read_structured

__all__ = ["CALIBRATED", "Bottleneck", "MarketSpec", "parse_market"]

#: The free parameters the calibration estimates (names under ``choice``).
CALIBRATED: Final = ("container_scale_usd_per_feu", "asc_northern_usd_per_feu",
                     "asc_middle_usd_per_feu", "asc_middle_regional_usd_per_t")
_YEARS: Final = (2019, 2021, 2022, 2023)


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A capacity limit: the network edges that form it, its unit (``teu`` or ``t`` per year),
    capacity and the queue in days when flow reaches capacity."""

    key: str
    name: str
    edges: tuple[str, ...]
    unit: str
    capacity: Range
    days_at_capacity: Range


@dataclass(frozen=True)
class MarketSpec:
    """Parsed ``market.yaml``: priors by dotted key, bottlenecks, calibration settings."""

    priors: Mapping[str, Range]
    bottlenecks: tuple[Bottleneck, ...]
    calibrated: Mapping[str, tuple[float, float, float]]  # name -> (start, low, high)
    rate_index: Mapping[int, Range]
    targets: Mapping[str, Mapping[int, Range]]  # northern_teu / middle_teu / middle_t

    def value(self, key: str, s: Sampler) -> float:
        r = self.priors[key]
        return s.pick(f"market.{key}", r.low, r.value, r.high)

    def rows(self) -> list[dict[str, Any]]:
        """Every prior as a JSON-ready row (name, value, range, why, sources)."""
        return [{"name": k, **r.to_dict(), "kind": "fact" if r.low == r.high and r.sources
                 else "assumption"} for k, r in self.priors.items()]


def _range(doc: Located, path: tuple[str | int, ...], raw: Any) -> Range:
    if not isinstance(raw, dict) or "value" not in raw:
        raise doc.error(path, "expected {value, source, year} or {value, low, high, rationale}")
    try:
        v = float(raw["value"])
        lo, hi = float(raw.get("low", v)), float(raw.get("high", v))
    except (TypeError, ValueError):
        raise doc.error(path, "value, low and high must be numbers") from None
    srcs = [str(raw["source"])] if raw.get("source") else []
    srcs += [str(x) for x in raw.get("sources") or []]
    why = str(raw.get("rationale") or raw.get("note") or "")
    if not srcs and not why:
        raise doc.error(path, "a number without a source or a rationale",
                        expected="source and year, or a rationale with low and high")
    if lo != hi and not why:
        raise doc.error(path, "a range needs a rationale")
    try:
        return Range(v, lo, hi, why or f"{srcs[0]} ({raw.get('year', 'n.d.')})", tuple(srcs))
    except ValueError as e:
        raise doc.error(path, str(e)) from None


def _flatten(doc: Located, path: tuple[str, ...], node: Any, out: dict[str, Range]) -> None:
    if isinstance(node, dict) and "value" in node:
        out[".".join(path)] = _range(doc, path, node)
    elif isinstance(node, dict):
        for k, v in node.items():
            _flatten(doc, (*path, str(k)), v, out)


def parse_market(path: Path, net: Network, sources: Mapping[str, Any]) -> MarketSpec:
    """Read and check ``market.yaml`` against the network (edge ids) and the source list."""
    doc = read_structured(path)
    d = doc.data
    if not isinstance(d, dict):
        raise doc.error((), "expected a mapping")
    need = ("units", "container_demand", "regional_demand", "choice", "bpr_exponent",
            "bottlenecks", "sea_market", "calibration", "shocks", "revenue")
    for k in need:
        if k not in d:
            raise doc.error((), f"missing section {k!r}")
    priors: dict[str, Range] = {}
    for k in ("units", "container_demand", "regional_demand", "sea_market", "shocks", "revenue"):
        body = {x: y for x, y in d[k].items() if x != "rate_index"}
        _flatten(doc, (k,), body, priors)
    priors["bpr_exponent"] = _range(doc, ("bpr_exponent",), d["bpr_exponent"])
    calibrated: dict[str, tuple[float, float, float]] = {}
    for k, raw in d["choice"].items():
        if isinstance(raw, dict) and raw.get("calibrated"):
            calibrated[k] = (float(raw["start"]), float(raw["low"]), float(raw["high"]))
        else:
            priors[f"choice.{k}"] = _range(doc, ("choice", k), raw)
    missing = [k for k in CALIBRATED if k not in calibrated]
    if missing:
        raise doc.error(("choice",), f"calibrated parameter {missing[0]!r} is missing")
    bns = []
    for key, b in d["bottlenecks"].items():
        for e in b.get("edges") or []:
            if not net.has_edge(str(e)):
                raise doc.error(("bottlenecks", key, "edges"), f"unknown edge {e!r}")
        if b.get("unit") not in ("teu", "t"):
            raise doc.error(("bottlenecks", key, "unit"), f"unknown unit {b.get('unit')!r}",
                            expected="teu or t")
        bns.append(Bottleneck(str(key), str(b["name"]), tuple(str(e) for e in b["edges"]),
                              str(b["unit"]),
                              _range(doc, ("bottlenecks", key, "capacity"), b["capacity"]),
                              _range(doc, ("bottlenecks", key, "days_at_capacity"),
                                     b["days_at_capacity"])))
    rate = {int(y): _range(doc, ("sea_market", "rate_index", y), r)
            for y, r in d["sea_market"]["rate_index"].items()}
    for y in _YEARS:
        if y not in rate:
            raise doc.error(("sea_market", "rate_index"), f"no rate index for {y}")
    priors.update({f"rate_index.{y}": r for y, r in rate.items()})
    targets = {k: {int(y): _range(doc, ("calibration", k, y), r) for y, r in v.items()}
               for k, v in d["calibration"].items()}
    for k, tv in targets.items():
        late = [y for y in tv if y > 2021]
        if late:
            raise doc.error(("calibration", k), f"calibration target for {late[0]}",
                            expected="2021 or earlier: the back-test years stay out of sample")
    for k, r in priors.items():
        for sid in r.sources:
            if sid not in sources:
                raise InputError(f"{k}: unknown source {sid!r}", source=str(path))
    return MarketSpec(priors, tuple(bns), calibrated, rate, targets)
