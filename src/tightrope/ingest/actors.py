"""Event actors (ICEWS names, GDELT country codes) -> ISO3 country codes.

ICEWS names an actor in one of three ways, tried in this order:

1. a sector actor with the country in a final parenthesis, ``Foreign_Affairs_(Russia)`` or
   ``Citizen (Palestinian Territory, Occupied)`` -> the country in the parenthesis;
2. a bare country name, ``China`` -> :func:`tightrope.ingest.codes.country_codes`, plus a few
   ICEWS spellings and sub-national regions listed in :data:`EXTRA_PLACES`;
3. a person: heads of state and government, foreign ministers and EU leaders from the shipped
   table ``data/leaders/leaders.csv`` (see its SOURCE.md). A table name matches an actor name
   when they are equal after normalisation, or when the actor's first and last words equal the
   table name's and the actor name contains all its words (``Dmitry Anatolyevich Medvedev``
   matches ``Dmitry Medvedev``).

A person who served more than one polity (Donald Tusk: Poland, then President of the European
Council) maps to the polity of the term covering the event date; outside all terms, to the
polity of their first listed term. EU institutions and their leaders map to ``EUU``, the bloc
code used by the store's ``blocs`` table. Everything else (parties, rebel groups, the UN, the
media) stays unmapped and is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tightrope.ingest.codes import country_codes, normalise_name
from tightrope.ingest.csvrows import dict_rows

__all__ = [
    "EU_CODE",
    "EXTRA_PLACES",
    "ActorPeriod",
    "ActorResolver",
    "LeaderTerm",
    "actor_resolver",
    "gdelt_country",
    "leader_terms",
]

#: Code for the European Union and its institutions (same as the store's bloc code).
EU_CODE = "EUU"

#: Places ICEWS names that the Factbook code table does not resolve (ISO3 or EUU).
#: PSE is the ISO 3166-1 code of Palestine (the Factbook table splits West Bank and Gaza).
EXTRA_PLACES: dict[str, str] = {
    "Palestinian Territory, Occupied": "PSE",
    "Occupied Palestinian Territory": "PSE",
    "Palestine": "PSE",
    "Democratic Republic of Congo": "COD",
    "Holy See Vatican City State": "VAT",
    "Vatican City": "VAT",
    "Ivory Coast": "CIV",
    "European Union": EU_CODE,
    "European Commission": EU_CODE,
    "European Council": EU_CODE,
    "Council of the European Union": EU_CODE,
    "European Parliament": EU_CODE,
    "England": "GBR",
    "Scotland": "GBR",
    "Wales": "GBR",
    "Northern Ireland": "GBR",
    "Chechnya": "RUS",
    "Dagestan": "RUS",
    "Tatarstan": "RUS",
    "Ingushetia": "RUS",
    "Bashkortostan": "RUS",
    "Tibet Autonomous Region": "CHN",
    "XinjiangUyghur": "CHN",
    "Xinjiang Uyghur": "CHN",
    "Inner Mongolia": "CHN",
    "Catalonia": "ESP",
    "Canary Islands": "ESP",
    "Sicily": "ITA",
}

_SUFFIX = re.compile(r"\(([^()]*)\)\s*$")


@dataclass(frozen=True, slots=True)
class LeaderTerm:
    """One term in office. ``end`` None: still in office when the table was compiled."""

    name: str
    aliases: tuple[str, ...]
    iso3: str
    role: str
    start: dt.date
    end: dt.date | None
    source: str

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"{self.name}: term ends {self.end} before it starts {self.start}")


@dataclass(frozen=True, slots=True)
class ActorPeriod:
    """``iso3`` applies to events dated in [start, end] (None = unbounded)."""

    iso3: str
    how: str
    start: dt.date | None = None
    end: dt.date | None = None


@lru_cache(maxsize=1)
def leader_terms() -> tuple[LeaderTerm, ...]:
    """The shipped table of heads of state/government, foreign ministers and EU leaders."""
    text = (
        resources.files("tightrope.data")
        .joinpath("leaders", "leaders.csv")
        .read_text(encoding="utf-8")
    )
    return tuple(
        LeaderTerm(
            r["name"],
            tuple(a for a in r["aliases"].split("|") if a),
            r["iso3"],
            r["role"],
            dt.date.fromisoformat(r["from"]),
            dt.date.fromisoformat(r["to"]) if r["to"] else None,
            r["source"],
        )
        for _, r in dict_rows(text.splitlines(), "leaders/leaders.csv")
    )


def _key(name: str) -> str:
    return normalise_name(name.replace("_", " "))


class ActorResolver:
    """Resolves actor names to ISO3 (or EUU), with the period each answer holds for."""

    def __init__(self, terms: Iterable[LeaderTerm]) -> None:
        self._codes = country_codes()
        self._places = {normalise_name(k): v for k, v in EXTRA_PLACES.items()}
        self._people: dict[str, list[LeaderTerm]] = {}
        for t in terms:
            for n in (t.name, *t.aliases):
                self._people.setdefault(_key(n), []).append(t)
        self._by_ends: dict[tuple[str, str], list[str]] = {}
        for k in self._people:
            words = k.split()
            if len(words) >= 2:
                self._by_ends.setdefault((words[0], words[-1]), []).append(k)

    def place(self, name: str) -> str | None:
        """ISO3 (or EUU) of a country or place name, None if it is not one."""
        key = normalise_name(name.replace("_", " "))
        return self._places.get(key) or self._codes.lookup_name(key)

    def _person(self, name: str) -> list[LeaderTerm]:
        key = _key(name)
        if key in self._people:
            return self._people[key]
        words = key.split()
        if len(words) < 2:
            return []
        for cand in self._by_ends.get((words[0], words[-1]), []):
            if set(cand.split()) <= set(words):
                return self._people[cand]
        return []

    def periods(self, name: str) -> list[ActorPeriod]:
        """Non-overlapping periods with the polity the actor stands for; [] when unmapped."""
        n = name.strip()
        m = _SUFFIX.search(n)
        if m:
            code = self.place(m.group(1))
            if code:
                return [ActorPeriod(code, "sector")]
        code = self.place(n)
        if code:
            return [ActorPeriod(code, "country")]
        terms = sorted(self._person(n), key=lambda t: t.start)
        if not terms:
            return []
        home = terms[0].iso3
        away = [t for t in terms if t.iso3 != home]
        if not away:
            return [ActorPeriod(home, "leader")]
        out: list[ActorPeriod] = []
        cursor: dt.date | None = None
        for t in away:
            out.append(ActorPeriod(home, "leader", cursor, t.start - dt.timedelta(days=1)))
            out.append(ActorPeriod(t.iso3, "leader", t.start, t.end))
            cursor = t.end + dt.timedelta(days=1) if t.end else None
            if t.end is None:
                break
        else:
            out.append(ActorPeriod(home, "leader", cursor, None))
        return out

    def resolve(self, name: str, on: dt.date | None = None) -> str | None:
        """ISO3 (or EUU) for an actor name on a date (any date when ``on`` is None)."""
        for p in self.periods(name):
            if on is None or (
                (p.start is None or p.start <= on) and (p.end is None or on <= p.end)
            ):
                return p.iso3
        return None


@lru_cache(maxsize=1)
def actor_resolver() -> ActorResolver:
    """The resolver over the shipped leaders table (built once per process)."""
    return ActorResolver(leader_terms())


def gdelt_country(country_code: str, known_group: str = "") -> str | None:
    """ISO3 (or EUU) for a GDELT ``Actor*CountryCode``; known group 'EEC' is the EU.

    CAMEO country codes are ISO3 for states; regional codes (EUR, AFR, WST, ...) give None.
    """
    code = country_code.strip().upper()
    if code in country_codes().rows or code == "PSE":
        return code
    if not code and known_group.strip().upper() == "EEC":
        return EU_CODE
    return None
