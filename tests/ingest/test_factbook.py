"""The Factbook reader on the real data in ../shared/data and on the shipped extract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tightrope.errors import InputError
from tightrope.ingest.factbook import FactbookData, read_factbook
from tightrope.provenance import Fact


@pytest.fixture(scope="module")
def shipped() -> FactbookData:
    return read_factbook()


def test_shipped_extract_reads_the_same_as_the_shared_checkout(shipped: FactbookData, shared_data: Path) -> None:
    full = read_factbook(shared_data / "factbook-json")
    key = lambda b: (b.a, b.b, b.length_km.value)  # noqa: E731
    assert sorted(map(key, shipped.borders)) == sorted(map(key, full.borders))
    assert len(shipped.countries) == len(full.countries) > 230
    assert len(shipped.trade) == len(full.trade)


def test_kazakhstan_borders_match_the_raw_file(shipped: FactbookData, shared_data: Path) -> None:
    raw = json.loads((shared_data / "factbook-json/central-asia/kz.json").read_text())
    text = raw["Geography"]["Land boundaries"]["border countries"]["text"]
    expected = {}
    for part in text.split(";"):
        name, km, _ = part.strip().rsplit(" ", 2)
        expected[name] = float(km.replace(",", ""))
    codes = {"China": "CHN", "Kyrgyzstan": "KGZ", "Russia": "RUS", "Turkmenistan": "TKM",
             "Uzbekistan": "UZB"}
    got = {b.b: b.length_km.value for b in shipped.borders if b.a == "KAZ"}
    assert got == {codes[n]: km for n, km in expected.items()}
    total = raw["Geography"]["Land boundaries"]["total"]["text"]
    assert sum(got.values()) == float(total.split()[0].replace(",", ""))


def test_every_border_is_a_sourced_fact(shipped: FactbookData) -> None:
    for b in shipped.borders:
        assert isinstance(b.length_km, Fact)
        assert b.length_km.provenance.source == "CIA World Factbook"
        assert b.length_km.provenance.year is not None
        assert "Land boundaries" in b.length_km.provenance.where


def test_caspian_shorelines_from_coastline_notes(shipped: FactbookData) -> None:
    caspian = {s.iso3: s.shoreline_km.value for s in shipped.seas if s.sea == "Caspian Sea"}
    assert caspian == {"KAZ": 1894, "TKM": 1768, "IRN": 740, "AZE": 713}


def test_unreadable_fields_are_reported_not_guessed(shipped: FactbookData) -> None:
    # Burundi lists ethnic groups without percentages: no shares are invented for it.
    assert not [e for e in shipped.ethnic if e.iso3 == "BDI"]
    assert any(i.iso3 == "BDI" and "Ethnic" in i.field for i in shipped.issues)


def test_trade_partner_quirk_is_kept_as_printed(shipped: FactbookData) -> None:
    imports = {t.partner: t.share.value for t in shipped.trade
               if t.iso3 == "KAZ" and t.flow == "imports"}
    assert imports == {"CHN": 0.28, "RUS": 0.24, "GMB": 0.04, "TUR": 0.04, "USA": 0.04}


def test_bad_checkout_gives_input_error(tmp_path: Path) -> None:
    (tmp_path / "region").mkdir()
    (tmp_path / "region" / "xx.json").write_text('{"Geography": ')
    with pytest.raises(InputError, match=r"xx.json:line 1"):
        read_factbook(tmp_path)
    with pytest.raises(InputError, match="not a directory"):
        read_factbook(tmp_path / "missing")
