"""Country names and codes -> ISO3.

The table ``data/countries.csv`` (built from the Factbook and ISO 3166 by
``scripts/build_data.py``) maps each Factbook entry with an ISO code to its ISO3, ISO2 and GEC
codes and to the names the Factbook uses for it in border and partner lists. Every Factbook
entry has a code: ISO3 where one exists, else the scheme in ``data/SOURCE.md`` (X + GEC code,
WLD, EUU); Palestine (PSE) stands for the West Bank and Gaza Strip entries together.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tightrope.errors import UnknownCountryError
from tightrope.ingest.csvrows import dict_rows

__all__ = ["CountryCode", "CountryCodes", "country_codes", "normalise_name"]


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for a country name."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = s.replace("&", " and ")
    words = "".join(ch if ch.isalnum() else " " for ch in s).split()
    return " ".join("saint" if w == "st" else w for w in words)


@dataclass(frozen=True, slots=True)
class CountryCode:
    iso3: str
    iso2: str
    gec: str
    factbook_file: str
    name: str
    aliases: tuple[str, ...]

    @property
    def factbook_files(self) -> tuple[str, ...]:
        """The Factbook entries this code stands for: one, or two for Palestine (PSE = West
        Bank + Gaza Strip)."""
        return tuple(self.factbook_file.split("|"))


class CountryCodes:
    """Look-up of countries by ISO3, ISO2, GEC code or any Factbook name."""

    def __init__(self, rows: list[CountryCode]) -> None:
        self.rows = {r.iso3: r for r in rows}
        self._by_name: dict[str, str] = {}
        for r in rows:
            for a in (*r.aliases, r.name):
                self._by_name.setdefault(normalise_name(a), r.iso3)
        self._by_iso2 = {r.iso2.upper(): r.iso3 for r in rows if r.iso2}

    def lookup_name(self, name: str) -> str | None:
        """ISO3 for a Factbook-style name, or None."""
        return self._by_name.get(normalise_name(name))

    def resolve(self, query: str) -> str:
        """ISO3 for a name, ISO2 or ISO3 code; raises UnknownCountryError with suggestions."""
        q = query.strip()
        up = q.upper()
        if len(up) == 3 and up in self.rows:
            return up
        if len(up) == 2 and up in self._by_iso2:
            return self._by_iso2[up]
        hit = self.lookup_name(q)
        if hit:
            return hit
        keys = list(self._by_name)
        close = difflib.get_close_matches(normalise_name(q), keys, n=3, cutoff=0.6)
        sugg = []
        for k in close:
            code = self._by_name[k]
            label = f"{self.rows[code].name} ({code})"
            if label not in sugg:
                sugg.append(label)
        raise UnknownCountryError(query, sugg)

    def name(self, iso3: str) -> str:
        r = self.rows.get(iso3)
        return r.name if r else iso3


@lru_cache(maxsize=1)
def country_codes() -> CountryCodes:
    """The shipped code table (read once per process)."""
    text = resources.files("tightrope.data").joinpath("countries.csv").read_text(encoding="utf-8")
    rows = [
        CountryCode(
            r["iso3"],
            r["iso2"],
            r["gec"],
            r["factbook_file"],
            r["name"],
            tuple(a for a in r["aliases"].split("|") if a),
        )
        for _, r in dict_rows(text.splitlines(), "countries.csv")
    ]
    return CountryCodes(rows)
