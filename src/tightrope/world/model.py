"""Records of the world model.

Countries are keyed by ISO 3166-1 alpha-3 code. A few Factbook entities that are not ISO
countries (e.g. the West Bank, Gaza Strip) use their ISO code where one exists (PSE for both)
or a user-assigned ``X..`` code. Every number is a :mod:`tightrope.provenance` value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final, Literal

from tightrope.provenance import Assumption, Fact, Provenance, Value

__all__ = [
    "CHANNELS",
    "MEMBERSHIP_KINDS",
    "Bloc",
    "Border",
    "Country",
    "EthnicGroup",
    "Event",
    "Membership",
    "Resource",
    "Sea",
    "Tie",
    "TradePartner",
    "check_iso3",
]

Channel = Literal["security", "trade", "investment", "energy", "society", "institutions"]
CHANNELS: Final[tuple[Channel, ...]] = (
    "security",
    "trade",
    "investment",
    "energy",
    "society",
    "institutions",
)
MembershipKind = Literal["security", "economic", "political", "cultural"]
MEMBERSHIP_KINDS: Final[tuple[MembershipKind, ...]] = (
    "security",
    "economic",
    "political",
    "cultural",
)

#: Numeric attributes of a Country, each a provenance value.
COUNTRY_FACTS: Final = (
    "area_km2",
    "population",
    "gdp_usd_bn",
    "military_spending_pct_gdp",
    "coastline_km",
)

_ISO3 = re.compile(r"^[A-Z]{3}$")


def check_iso3(code: str, what: str = "country") -> str:
    """Return ``code`` if it is three upper-case letters, else raise ValueError."""
    if not _ISO3.match(code):
        raise ValueError(f"{what} code {code!r} is not an ISO3 code (three capital letters)")
    return code


def _nonneg(v: Value, what: str) -> None:
    if isinstance(v, Fact | Assumption) and v.low < 0:
        raise ValueError(f"{what} must be >= 0, got {v.low}")


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the Factbook describes it."""

    iso3: str
    name: str
    iso2: str | None
    gec: str | None
    area_km2: Value
    population: Value
    gdp_usd_bn: Value
    military_spending_pct_gdp: Value
    coastline_km: Value

    def __post_init__(self) -> None:
        check_iso3(self.iso3)
        if not self.name.strip():
            raise ValueError("country needs a name")
        for what in COUNTRY_FACTS:
            _nonneg(getattr(self, what), what)


@dataclass(frozen=True, slots=True)
class Bloc:
    """A group of countries acting as one power in an analysis (the EU as its member states)."""

    code: str
    name: str
    members: frozenset[str]
    provenance: Provenance

    def __post_init__(self) -> None:
        check_iso3(self.code, "bloc")
        if not self.members:
            raise ValueError(f"bloc {self.code} has no members")
        for m in self.members:
            check_iso3(m, f"member of {self.code}")


@dataclass(frozen=True, slots=True)
class Border:
    """A land border between two countries. ``a`` is the country whose entry it was read from."""

    a: str
    b: str
    length_km: Value
    note: str = ""

    def __post_init__(self) -> None:
        check_iso3(self.a)
        check_iso3(self.b)
        if self.a == self.b:
            raise ValueError(f"a border needs two different countries, got {self.a} twice")
        _nonneg(self.length_km, "border length_km")


@dataclass(frozen=True, slots=True)
class Sea:
    """A sea or lake and the shoreline of one littoral state on it."""

    sea: str
    iso3: str
    shoreline_km: Value

    def __post_init__(self) -> None:
        check_iso3(self.iso3)
        _nonneg(self.shoreline_km, "shoreline_km")


@dataclass(frozen=True, slots=True)
class Membership:
    """Membership of an international organisation."""

    iso3: str
    org: str
    kind: MembershipKind | None
    status: str  # "member", "observer", "partner", ...
    joined: int | None
    provenance: Provenance
    note: str = ""

    def __post_init__(self) -> None:
        check_iso3(self.iso3)
        if self.kind is not None and self.kind not in MEMBERSHIP_KINDS:
            raise ValueError(f"membership kind {self.kind!r} not in {MEMBERSHIP_KINDS}")
        if self.joined is not None and not 1800 <= self.joined <= 2100:
            raise ValueError(f"joined year {self.joined} out of range 1800-2100")


@dataclass(frozen=True, slots=True)
class Tie:
    """A directed tie between two countries (or a country and a bloc) in one channel."""

    src: str
    dst: str
    channel: Channel
    indicator: str
    value: Value
    year: int | None
    note: str = ""

    def __post_init__(self) -> None:
        check_iso3(self.src)
        check_iso3(self.dst)
        if self.channel not in CHANNELS:
            raise ValueError(f"channel {self.channel!r} not in {CHANNELS}")
        if not self.indicator.strip():
            raise ValueError("a tie needs an indicator name")


@dataclass(frozen=True, slots=True)
class TradePartner:
    """A partner's share of a country's exports or imports (Factbook top-five lists)."""

    iso3: str
    partner: str
    flow: Literal["exports", "imports"]
    share: Fact

    def __post_init__(self) -> None:
        check_iso3(self.iso3)
        check_iso3(self.partner, "partner")
        if not 0 <= self.share.value <= 1:
            raise ValueError(f"trade share {self.share.value} outside [0, 1]")


@dataclass(frozen=True, slots=True)
class EthnicGroup:
    iso3: str
    group: str
    share: Fact

    def __post_init__(self) -> None:
        check_iso3(self.iso3)
        if not 0 <= self.share.value <= 1:
            raise ValueError(f"ethnic share {self.share.value} outside [0, 1]")


@dataclass(frozen=True, slots=True)
class Resource:
    iso3: str
    name: str
    provenance: Provenance

    def __post_init__(self) -> None:
        check_iso3(self.iso3)


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event, curated (with a source) or coded (GDELT/ICEWS, with a CAMEO code)."""

    date: dt.date
    actor: str
    target: str | None
    description: str
    provenance: Provenance
    cameo: str | None = None
    goldstein: float | None = None
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        check_iso3(self.actor)
        if self.target is not None:
            check_iso3(self.target)
        if self.goldstein is not None and not -10 <= self.goldstein <= 10:
            raise ValueError(f"Goldstein score {self.goldstein} outside [-10, 10]")
