"""Reading the inputs of each dependence cell from the store.

A cell D[power, channel] is a weighted mean of *components* (e.g. for security: a defence pact,
shared security organisations, forces on territory, security aid). Each component is a number in
[0, 1] with its provenance and, where sources disagree or a figure is censored, a [low, high]
range. A component that no source gives is unknown (``value is None``), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from tightrope.store import queries as q
from tightrope.store.db import Store

__all__ = ["COMPONENTS", "Component", "Inputs", "read_inputs"]

#: Component keys per channel, in order.
COMPONENTS: Final[dict[str, tuple[str, ...]]] = {
    "trade": ("exports_share", "imports_share"),
    "investment": ("fdi_share",),
    "energy": ("energy_route_share",),
    "security": ("defence_pact", "security_orgs", "forces_on_territory", "security_aid"),
    "society": ("ethnic_kin", "language", "cultural_tie"),
    "institutions": ("security", "economic", "political", "cultural"),
    "alignment": ("unga_agreement",),
}

#: Statuses recorded as memberships that are bilateral designations, not organisations a power
#: could belong to (a Major Non-NATO Ally is designated by the US; counting it as a security
#: organisation the US is not in made every MNNA look tied away from the US).
BILATERAL_STATUSES: Final = ("MNNA",)

#: Energy indicators in order of preference: the first one the focal country has is used.
ENERGY_INDICATORS: Final = ("oil_export_transit_share", "gas_import_share")

#: Demonyms (as the Factbook writes ethnic groups) and languages of each power.
DEMONYMS: Final[dict[str, tuple[str, ...]]] = {
    "RUS": ("Russian",), "CHN": ("Chinese", "Han", "Han Chinese"), "TUR": ("Turkish", "Turk"),
    "IRN": ("Persian", "Iranian"), "USA": ("American",), "ISR": ("Jewish", "Israeli"),
    "SAU": ("Saudi",), "DEU": ("German",), "FRA": ("French",), "POL": ("Polish", "Pole"),
    "ITA": ("Italian",), "GRC": ("Greek",), "ROU": ("Romanian",), "BGR": ("Bulgarian",),
    "HUN": ("Hungarian",), "IND": ("Indian",), "JPN": ("Japanese",), "EGY": ("Egyptian",),
}
LANGUAGES: Final[dict[str, tuple[str, ...]]] = {
    "RUS": ("Russian",), "CHN": ("Chinese", "Mandarin"), "TUR": ("Turkish",),
    "IRN": ("Persian", "Farsi"), "USA": ("English",), "ISR": ("Hebrew",), "SAU": ("Arabic",),
    "GCC": ("Arabic",), "DEU": ("German",), "FRA": ("French",), "ITA": ("Italian",),
    "ESP": ("Spanish",), "POL": ("Polish",), "IND": ("Hindi",), "JPN": ("Japanese",),
}


@dataclass
class Component:
    """One input of a cell; ``value is None`` means unknown."""

    key: str
    value: float | None
    low: float | None = None
    high: float | None = None
    source: str | None = None
    year: int | None = None
    note: str = ""
    #: multiplies the component's weight (institutions: the number of organisations of a kind)
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.value is not None:
            self.low = self.value if self.low is None else self.low
            self.high = self.value if self.high is None else self.high

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"component": self.key, "value": self.value}
        if self.value is not None and self.low != self.high:
            d["low"], d["high"] = self.low, self.high
        d |= {"source": self.source, "year": self.year}
        if self.note:
            d["note"] = self.note
        if self.scale != 1.0:
            d["weight_scale"] = self.scale
        return d


@dataclass
class Inputs:
    """Everything the matrix needs for one focal country."""

    focal: str
    powers: tuple[str, ...]
    names: dict[str, str]
    components: dict[tuple[str, str], list[Component]] = field(default_factory=dict)
    bloc_members: dict[str, set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _members(store: Store, power: str) -> set[str]:
    return set(q.bloc_members(store, power)) or {power}


def read_inputs(store: Store, focal: str, powers: tuple[str, ...],
                alignment_years: tuple[int, int]) -> Inputs:
    """Components of every cell for ``focal`` against ``powers``."""
    names = q.country_names(store) | q.bloc_names(store)
    members = {p: _members(store, p) for p in powers}
    inp = Inputs(focal, powers, names, bloc_members=members)
    ties = q.ties_from(store, focal)
    trade = q.trade_partners_of(store, focal)
    for p in powers:
        m = members[p]
        comps = inp.components
        comps[(p, "trade")] = [_trade(trade, "exports", p, m), _trade(trade, "imports", p, m)]
        comps[(p, "investment")] = [_tie(ties, p, "investment", "fdi_gross_share", "fdi_share")]
        energy_ind = next((i for i in ENERGY_INDICATORS
                           if any(t["indicator"] == i for t in ties)), None)
        comps[(p, "energy")] = [
            _tie(ties, p, "energy", energy_ind, "energy_route_share") if energy_ind
            else Component("energy_route_share", None,
                           note="no curated energy-route figures for this country")]
        comps[(p, "security")] = _security(store, focal, p, m, ties)
        comps[(p, "society")] = _society(store, focal, p, m, ties)
        comps[(p, "institutions")] = _institutions(store, focal, m)
        comps[(p, "alignment")] = [_alignment(store, focal, p, alignment_years)]
    return inp


def _trade(rows: list[dict[str, Any]], flow: str, power: str, members: set[str]) -> Component:
    """Share of exports/imports. The Factbook lists only the top five partners, so a power not
    listed has a share between 0 and the fifth partner's share (a censored figure)."""
    key = f"{flow}_share"
    listed = [r for r in rows if r["flow"] == flow]
    if not listed:
        return Component(key, None, note=f"the Factbook gives no {flow} partners")
    src, year = listed[0]["source"], listed[0]["year"]
    floor = min(r["share"] for r in listed)
    mine = sum(r["share"] for r in listed if r["partner"] in members)
    others = sum(r["share"] for r in listed if r["partner"] not in members)
    unlisted = len(members - {r["partner"] for r in listed})
    if unlisted == 0:
        return Component(key, mine, source=src, year=year)
    high = max(mine, min(mine + unlisted * floor, 1.0 - others))
    # censored: the listed share is a lower bound; the range carries the rest (no midpoint)
    note = (f"{unlisted} member(s) not among the top-five partners: each below "
            f"{floor:.0%}; value = listed share (a lower bound), range [{mine:.2f}, "
            f"{high:.2f}]")
    return Component(key, mine, mine, high, src, year, note)


def _tie(ties: list[dict[str, Any]], power: str, channel: str, indicator: str,
         key: str) -> Component:
    row = next((t for t in ties if t["dst"] == power and t["channel"] == channel
                and t["indicator"] == indicator), None)
    if row is None:
        return Component(key, None, note=f"no curated '{indicator}' figure for {power}")
    if row["kind"] == "unknown":
        return Component(key, None, note=row["note"] or "unknown")
    src = row["source"] if row["kind"] == "fact" else "assumption: " + str(row["rationale"])
    return Component(key, row["value"], row["low"], row["high"], src, row["tie_year"],
                     row["note"] or "")


def _security(store: Store, focal: str, power: str, members: set[str],
              ties: list[dict[str, Any]]) -> list[Component]:
    pacts = q.defence_pacts(store, focal, members)
    pact = Component("defence_pact", len(pacts) / len(members), source="ATOP v5", year=2018,
                     note=("defence pact with " + ", ".join(sorted(pacts)))
                     if pacts else "no ATOP defence obligation in 2018")
    orgs = _shared_orgs(store, focal, members, kinds=("security",))
    total, shared = orgs.get("security", (0, 0))
    sec_orgs = Component("security_orgs", shared / total if total else None,
                         source="CIA World Factbook; curated overlays", year=2025,
                         note=f"{shared} of {total} security organisations shared")
    curated = [t for t in ties if t["channel"] == "security"]
    forces_rows = [t for t in curated if t["dst"] == power and t["indicator"] in
                   ("foreign_troops_deployed", "leased_territory_km2", "military_base")
                   and (t["value"] or 0) > 0]
    aid_rows = [t for t in curated if t["dst"] == power and t["indicator"].startswith("aid_")
                and (t["value"] or 0) > 0]
    if curated:
        forces = Component("forces_on_territory", 1.0 if forces_rows else 0.0,
                           source="; ".join(t["source"] for t in forces_rows) or "curated overlay",
                           year=max((t["tie_year"] or 0 for t in forces_rows), default=None),
                           note=", ".join(t["indicator"] for t in forces_rows))
        aid = Component("security_aid", 1.0 if aid_rows else 0.0,
                        source="; ".join(t["source"] for t in aid_rows) or "curated overlay",
                        year=max((t["tie_year"] or 0 for t in aid_rows), default=None))
    else:
        forces = Component("forces_on_territory", None,
                           note="no curated security overlay for this country")
        aid = Component("security_aid", None, note="no curated security overlay for this country")
    return [pact, sec_orgs, forces, aid]


def _shared_orgs(store: Store, focal: str, members: set[str],
                 kinds: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Per kind: (organisations the focal country is a full member of, of which the power is
    a member too). A bloc is a member when most of its members are."""
    return q.shared_orgs(store, focal, members, kinds, exclude=BILATERAL_STATUSES)


def _institutions(store: Store, focal: str, members: set[str]) -> list[Component]:
    kinds = ("security", "economic", "political", "cultural")
    counts = _shared_orgs(store, focal, members, kinds)
    out = []
    for k in kinds:
        total, shared = counts.get(k, (0, 0))
        out.append(Component(k, shared / total if total else None,
                             source="CIA World Factbook; curated overlays", year=2025,
                             note=f"{shared} of {total} {k} organisations shared",
                             scale=float(total)))
    return out


def _society(store: Store, focal: str, power: str, members: set[str],
             ties: list[dict[str, Any]]) -> list[Component]:
    curated_kin = next((t for t in ties if t["dst"] == power
                        and t["indicator"] == "ethnic_kin_share" and t["kind"] == "fact"), None)
    if curated_kin:
        kin = Component("ethnic_kin", curated_kin["value"], curated_kin["low"],
                        curated_kin["high"], curated_kin["source"], curated_kin["tie_year"],
                        curated_kin["note"] or "")
    else:
        demonyms = {d.lower() for m in members | {power} for d in DEMONYMS.get(m, ())}
        groups = q.ethnic_groups_of(store, focal)
        if not groups:
            kin = Component("ethnic_kin", None, note="the Factbook gives no ethnic shares")
        else:
            hits = [g for g in groups if g["grp"].lower() in demonyms]
            kin = Component("ethnic_kin", sum(g["share"] for g in hits),
                            source=groups[0]["source"], year=groups[0]["year"],
                            note=", ".join(f"{g['grp']} {g['share']:.1%}" for g in hits)
                            or "no listed group of the power's ethnicity")
    langs = {w.lower() for m in members | {power} for w in LANGUAGES.get(m, ())}
    rows = q.languages_of(store, focal)
    hits = [r for r in rows if r["language"].lower() in langs]
    if not rows:
        lang = Component("language", None, note="the Factbook gives no languages")
    elif not hits:
        lang = Component("language", 0.0, source=rows[0]["source"], year=rows[0]["year"],
                         note="the power's language is not listed")
    else:
        best = max(hits, key=lambda r: (r["share"] or 0, r["official"]))
        if best["share"] is not None:
            val: float | None = float(best["share"])
            note = f"{best['language']} understood by {best['share']:.0%}"
        elif best["official"]:
            val, note = 1.0, f"{best['language']} is an official language"
        else:
            val, note = None, f"{best['language']} listed without a share"
        lang = Component("language", val, source=best["source"], year=best["year"], note=note)
    cultural = [t for t in ties if t["dst"] == power and t["channel"] == "society"
                and t["unit"] == "flag" and t["kind"] == "fact"]
    any_society = any(t["channel"] == "society" for t in ties)
    if cultural:
        cult = Component("cultural_tie", 1.0, source=cultural[0]["source"],
                         year=cultural[0]["tie_year"], note=cultural[0]["note"] or "")
    elif any_society:
        cult = Component("cultural_tie", 0.0, source="curated overlay",
                         note="no curated cultural tie")
    else:
        cult = Component("cultural_tie", None, note="no curated society overlay")
    return [kin, lang, cult]


def _alignment(store: Store, focal: str, power: str, years: tuple[int, int]) -> Component:
    r = q.unga_agreement(store, focal, power, years)
    if not r["n"]:
        return Component("unga_agreement", None,
                         note=f"no UN General Assembly votes shared in {years[0]}-{years[1]}")
    return Component("unga_agreement", float(r["a"]),
                     source="Voeten UNGA votes (unvotes); agreement computed by Tightrope",
                     year=int(r["y1"]),
                     note=f"{int(r['n'])} roll calls {r['y0']}-{r['y1']}; yes=1, abstain=0.5, "
                          "no=0; agreement = 1 - mean |difference|")
