"""Curated overlays: sourced facts the Factbook does not carry (YAML, validated).

An overlay file holds ``memberships``, ``ties`` and ``events`` for one ``country``; the shared
``world.yaml`` holds ``blocs`` and ``seas``. See ``docs/overlays.md`` for the format. Errors name
the file, line and field and say what was expected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tightrope.errors import InputError
from tightrope.ingest.codes import CountryCodes, country_codes
from tightrope.ingest.yamlio import Located, PathKey, read_structured
from tightrope.provenance import Assumption, Fact, Provenance, Unknown, Value
from tightrope.world import CHANNELS, MEMBERSHIP_KINDS, Bloc, Event, Membership, Tie

__all__ = ["OverlayData", "SeaOverlay", "packaged_overlays", "read_overlays"]

#: Codes that are not countries but may appear as tie targets: blocs and the world total.
PSEUDO_CODES = {"WLD": "World (totals)"}


@dataclass(frozen=True, slots=True)
class SeaOverlay:
    sea: str
    littoral: tuple[str, ...]
    provenance: Provenance
    shorelines: dict[str, Value]


@dataclass
class OverlayData:
    blocs: list[Bloc] = field(default_factory=list)
    seas: list[SeaOverlay] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256


def packaged_overlays() -> list[Path]:
    """The overlay files shipped in the package."""
    root = resources.files("tightrope.data").joinpath("overlays")
    return sorted(Path(str(p)) for p in root.iterdir() if str(p).endswith((".yaml", ".yml")))


class _V:
    """Validation helpers bound to one located document."""

    def __init__(self, doc: Located, codes: CountryCodes, blocs: set[str]) -> None:
        self.doc = doc
        self.codes = codes
        self.blocs = blocs

    def get(
        self,
        obj: dict[str, Any],
        path: PathKey,
        key: str,
        kind: type | tuple[type, ...],
        expected: str,
        required: bool = True,
    ) -> Any:
        if not isinstance(obj, dict):
            raise self.doc.error(path, "not a mapping", "a mapping of fields")
        if key not in obj or obj[key] is None:
            if required:
                raise self.doc.error((*path, key), f"missing field '{key}'", expected)
            return None
        v = obj[key]
        if isinstance(v, bool) or not isinstance(v, kind):
            raise self.doc.error((*path, key), f"'{key}' is {v!r}", expected)
        if isinstance(v, float) and not math.isfinite(v):
            raise self.doc.error((*path, key), f"'{key}' is {v!r}", "a finite number")
        return v

    def name(self, obj: dict[str, Any], path: PathKey, key: str, expected: str) -> str:
        """A required, non-blank string field."""
        v = str(self.get(obj, path, key, str, expected))
        if not v.strip():
            raise self.doc.error((*path, key), f"empty {key}", expected)
        return v

    def code(self, obj: dict[str, Any], path: PathKey, key: str, required: bool = True) -> str:
        v = self.get(obj, path, key, str, "an ISO3 country code, a bloc code or WLD", required)
        if v is None:
            return ""
        if v in self.blocs or v in PSEUDO_CODES:
            return str(v)
        if v not in self.codes.rows:
            raise self.doc.error(
                (*path, key),
                f"unknown country code {v!r}",
                "an ISO3 country code, a bloc code (EUU, GCC) or WLD",
            )
        return str(v)

    def year(
        self, obj: dict[str, Any], path: PathKey, key: str = "year", required: bool = True
    ) -> int | None:
        v = self.get(obj, path, key, int, "a year such as 2023", required)
        if v is not None and not 1800 <= v <= 2100:
            raise self.doc.error((*path, key), f"year {v} out of range", "a year in 1800-2100")
        return int(v) if v is not None else None

    def prov(self, obj: dict[str, Any], path: PathKey) -> Provenance:
        src = self.get(obj, path, "source", str, "the name of the source (publisher, date)")
        if not src.strip():
            raise self.doc.error((*path, "source"), "empty source", "the name of the source")
        return Provenance(
            src, self.year(obj, path), f"{Path(self.doc.source).name}: {self.doc.where(path)}"
        )

    def value(self, obj: dict[str, Any], path: PathKey) -> Value:
        unit = self.get(obj, path, "unit", str, "a unit such as share, usd_bn, km", False) or ""
        if "unknown" in obj:
            return Unknown(str(obj["unknown"]))
        if "assumption" in obj:
            a = self.get(obj, path, "assumption", dict, "value, low, high, rationale")
            ap = (*path, "assumption")
            nums = {
                k: self.get(a, ap, k, (int, float), "a number") for k in ("value", "low", "high")
            }
            rationale = self.get(a, ap, "rationale", str, "a sentence saying why this range")
            if not nums["low"] <= nums["value"] <= nums["high"]:
                raise self.doc.error(
                    ap,
                    f"value {nums['value']} outside [{nums['low']}, {nums['high']}]",
                    "low <= value <= high",
                )
            return Assumption(
                float(nums["value"]),
                float(nums["low"]),
                float(nums["high"]),
                unit or "",
                rationale,
                str(a.get("basis", "")),
            )
        v = self.get(
            obj,
            path,
            "value",
            (int, float),
            "a number, or 'unknown: <reason>', or 'assumption: {...}'",
        )
        low = self.get(obj, path, "low", (int, float), "a number", False)
        high = self.get(obj, path, "high", (int, float), "a number", False)
        if (low is None) != (high is None):
            raise self.doc.error(path, "give both low and high, or neither", "low and high")
        bounds = None
        if low is not None and high is not None:
            if not low <= v <= high:
                raise self.doc.error(
                    (*path, "value"), f"value {v} outside [{low}, {high}]", "low <= value <= high"
                )
            bounds = (float(low), float(high))
        if not unit:
            raise self.doc.error((*path, "unit"), "missing field 'unit'", "a unit such as share")
        if unit == "share" and not 0 <= v <= 1:
            raise self.doc.error((*path, "value"), f"share {v} out of range", "a share in [0, 1]")
        return Fact(float(v), unit, self.prov(obj, path), str(obj.get("note", "")), bounds)


def _read_world(doc: Located, v: _V, out: OverlayData) -> None:
    for i, b in enumerate(doc.data.get("blocs") or []):
        p: PathKey = ("blocs", i)
        code = v.get(b, p, "code", str, "a three-letter bloc code")
        members = v.get(b, p, "members", list, "a list of ISO3 codes")
        for j, m in enumerate(members):
            if m not in v.codes.rows:
                raise doc.error((*p, "members", j), f"unknown country code {m!r}", "ISO3 code")
        out.blocs.append(
            Bloc(code, v.get(b, p, "name", str, "a name"), frozenset(members), v.prov(b, p))
        )
        v.blocs.add(code)
    for i, s in enumerate(doc.data.get("seas") or []):
        p = ("seas", i)
        littoral = v.get(s, p, "littoral", list, "a list of ISO3 codes")
        for j, m in enumerate(littoral):
            if m not in v.codes.rows:
                raise doc.error((*p, "littoral", j), f"unknown country code {m!r}", "ISO3 code")
        shores: dict[str, Value] = {}
        for code, spec in (s.get("shorelines_km") or {}).items():
            sp = (*p, "shorelines_km", code)
            if code not in littoral:
                raise doc.error(sp, f"{code} is not listed as littoral", "a littoral state")
            shores[code] = v.value({"unit": "km", **spec}, sp)
        out.seas.append(
            SeaOverlay(v.get(s, p, "sea", str, "a sea name"), tuple(littoral), v.prov(s, p), shores)
        )


def _read_country(doc: Located, v: _V, out: OverlayData) -> None:
    iso3 = v.code(doc.data, (), "country")
    for i, m in enumerate(doc.data.get("memberships") or []):
        p: PathKey = ("memberships", i)
        kind = v.get(m, p, "kind", str, " / ".join(MEMBERSHIP_KINDS))
        if kind not in MEMBERSHIP_KINDS:
            raise doc.error((*p, "kind"), f"kind {kind!r}", " / ".join(MEMBERSHIP_KINDS))
        out.memberships.append(
            Membership(
                iso3,
                v.get(m, p, "org", str, "an organisation acronym"),
                kind,
                "member",
                v.year(m, p, "joined", required=False),
                v.prov(m, p),
                str(m.get("note", "")),
            )
        )
    for i, t in enumerate(doc.data.get("ties") or []):
        p = ("ties", i)
        channel = v.get(t, p, "channel", str, ", ".join(CHANNELS))
        if channel not in CHANNELS:
            raise doc.error((*p, "channel"), f"channel {channel!r}", ", ".join(CHANNELS))
        value = v.value(t, p)
        year = v.year(t, p, required=isinstance(value, Fact))
        out.ties.append(
            Tie(
                iso3,
                v.code(t, p, "to"),
                channel,  # type: ignore[arg-type]
                v.name(t, p, "indicator", "an indicator name"),
                value,
                year,
                str(t.get("note", "")),
            )
        )
    for i, e in enumerate(doc.data.get("events") or []):
        p = ("events", i)
        date = e.get("date") if isinstance(e, dict) else None
        if not isinstance(date, dt.date):
            raise doc.error((*p, "date"), f"date is {date!r}", "a date YYYY-MM-DD")
        target = v.code(e, p, "target", required=False) or None
        tags = e.get("tags") or []
        out.events.append(
            Event(
                date,
                v.code(e, p, "actor"),
                target,
                v.get(e, p, "description", str, "a description"),
                v.prov(e, p),
                tags=tuple(str(x) for x in tags),
            )
        )


def read_overlays(
    paths: list[Path] | None = None, codes: CountryCodes | None = None
) -> OverlayData:
    """Read and validate overlay files (the shipped ones by default); world files first."""
    codes = codes or country_codes()
    paths = packaged_overlays() if paths is None else paths
    docs = [read_structured(p) for p in paths]
    out = OverlayData()
    blocs: set[str] = set()
    for p, doc in zip(paths, docs, strict=True):
        if not isinstance(doc.data, dict):
            raise InputError(
                "top level is not a mapping",
                source=str(p),
                expected="a mapping with 'country' or 'blocs'/'seas'",
            )
        out.files[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    ordered = sorted(zip(paths, docs, strict=True), key=lambda pd: "country" in pd[1].data)
    for _, doc in ordered:
        v = _V(doc, codes, blocs)
        if "country" in doc.data:
            _read_country(doc, v, out)
        elif "blocs" in doc.data or "seas" in doc.data:
            _read_world(doc, v, out)
        else:
            raise InputError(
                "no 'country', 'blocs' or 'seas' key",
                source=doc.source,
                expected="an overlay with 'country: ISO3' or world 'blocs'/'seas'",
            )
    return out
