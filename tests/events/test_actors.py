"""Actor names -> ISO3: sector suffixes, bare countries, leaders (dated), GDELT codes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tightrope.ingest.actors import actor_resolver, gdelt_country, leader_terms
from tightrope.ingest.codes import country_codes


@pytest.mark.parametrize(("name", "iso3"), [
    ("Foreign_Affairs_(Russia)", "RUS"),
    ("Government (United States)", "USA"),
    ("Military_(Jordan)", "JOR"),
    ("Citizen (Palestinian Territory, Occupied)", "PSE"),
    ("China", "CHN"),
    ("Kazakhstan", "KAZ"),
    ("European Union", "EUU"),
    ("Nursultan Nazarbayev", "KAZ"),
    ("Karim Masimov", "KAZ"),
    ("Kasymzhomart Tokayev", "KAZ"),
    ("Dmitry Anatolyevich Medvedev", "RUS"),
    ("Sergey Viktorovich Lavrov", "RUS"),
    ("Xi Jinping", "CHN"),
    ("Recep Tayyip Erdoğan", "TUR"),
    ("Abdullah II of Jordan", "JOR"),
    ("Sayyed Ali Khamenei", "IRN"),
    ("Salman bin Abdulaziz al-Saud", "SAU"),
    ("Catherine Ashton", "EUU"),
])
def test_resolves(name: str, iso3: str) -> None:
    assert actor_resolver().resolve(name) == iso3


@pytest.mark.parametrize("name", ["UN Security Council", "Boko Haram", "Alexander Medvedev",
                                  "Citizen (International)", "Medvedev", ""])
def test_stays_unmapped(name: str) -> None:
    assert actor_resolver().resolve(name) is None


def test_person_in_two_polities_follows_the_date() -> None:
    r = actor_resolver()
    assert r.resolve("Donald Tusk", dt.date(2010, 5, 1)) == "POL"
    assert r.resolve("Donald Tusk", dt.date(2015, 5, 1)) == "EUU"
    assert r.resolve("Donald Tusk", dt.date(2020, 5, 1)) == "POL"
    periods = r.periods("Donald Tusk")
    for a, b in itertools.pairwise(periods):
        assert a.end is not None and b.start == a.end + dt.timedelta(days=1)


def test_leaders_table_is_well_formed() -> None:
    terms = leader_terms()
    valid = set(country_codes().rows) | {"EUU", "PSE"}
    roles = {"head_of_state", "head_of_government", "head_of_state_and_government",
             "foreign_minister", "defence_minister", "crown_prince", "eu_leader"}
    assert len(terms) > 150
    for t in terms:
        assert t.iso3 in valid, t
        assert t.role in roles, t
        assert t.source.startswith("Wikipedia:"), t
        assert t.end is None or t.end >= t.start
        assert t.end is None or t.end >= dt.date(2005, 1, 1), f"{t.name} left office before 2005"
    covered = {t.iso3 for t in terms}
    assert {"KAZ", "RUS", "CHN", "USA", "TUR", "IRN", "JOR", "ISR", "SAU", "DEU", "FRA",
            "GBR", "EUU"} <= covered


def test_kazakhstan_always_has_a_head_of_state_and_government_2005_2018() -> None:
    terms = [t for t in leader_terms() if t.iso3 == "KAZ"]
    day = dt.date(2005, 1, 1)
    while day <= dt.date(2018, 12, 31):
        for role in ("head_of_state", "head_of_government", "foreign_minister"):
            assert any(t.role == role and t.start <= day <= (t.end or day) for t in terms), \
                (role, day)
        day += dt.timedelta(days=30)


def test_gdelt_country_codes() -> None:
    assert gdelt_country("KAZ") == "KAZ"
    assert gdelt_country("EUR") is None
    assert gdelt_country("", "EEC") == "EUU"
    assert gdelt_country("PSE") == "PSE"
