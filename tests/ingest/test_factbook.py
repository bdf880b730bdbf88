"""The Factbook reader on the real data in ../shared/data and on the shipped extract."""

from __future__ import annotations

import gzip
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tightrope.errors import InputError
from tightrope.ingest.codes import CountryCode, CountryCodes, country_codes
from tightrope.ingest.factbook import UNDATED, FactbookData, read_factbook
from tightrope.provenance import Fact, Unknown


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
        assert "Land boundaries" in b.length_km.provenance.where


def test_caspian_shorelines_from_coastline_notes(shipped: FactbookData) -> None:
    caspian = {s.iso3: s.shoreline_km.value for s in shipped.seas if s.sea == "Caspian Sea"}
    assert caspian == {"KAZ": 1894, "TKM": 1768, "IRN": 740, "AZE": 713}


def test_unreadable_fields_are_reported_not_guessed(shipped: FactbookData) -> None:
    # Burundi lists ethnic groups without percentages: no shares are invented for it.
    assert not [e for e in shipped.ethnic if e.iso3 == "BDI"]
    assert any(i.iso3 == "BDI" and "Ethnic" in i.field for i in shipped.issues)


def test_impossible_trade_partner_is_corrected_with_its_evidence(shipped: FactbookData) -> None:
    # The Factbook prints "Gambia, The 4%" among Kazakhstan's 2023 imports: about $2.9 bn,
    # four times The Gambia's total exports; earlier editions list Germany in that place.
    kaz = {t.partner: t.share for t in shipped.trade if t.iso3 == "KAZ" and t.flow == "imports"}
    assert {k: f.value for k, f in kaz.items()} == {
        "CHN": 0.28, "RUS": 0.24, "DEU": 0.04, "TUR": 0.04, "USA": 0.04}
    assert 'printed as "Gambia, The"' in kaz["DEU"].note and "$718 m" in kaz["DEU"].note
    assert not kaz["CHN"].note  # nothing else in the list changes
    # the mirror entry is kept as printed and flagged
    gmb = {t.partner: t.share for t in shipped.trade if t.iso3 == "GMB" and t.flow == "exports"}
    assert gmb["KAZ"].value == 0.92 and gmb["KAZ"].note.startswith("doubtful")


def test_correction_applies_only_to_the_entry_printed(tmp_path: Path) -> None:
    # an edition that prints another year (or fixes the entry) is read as printed
    entry = {"Economy": {"Imports - partners": {
        "text": "China 28%, Russia 24%, Gambia, The 4% (2024)"}}}
    (tmp_path / "central-asia").mkdir()
    (tmp_path / "central-asia" / "kz.json").write_text(json.dumps(entry))
    got = {t.partner for t in read_factbook(tmp_path).trade if t.iso3 == "KAZ"}
    assert got == {"CHN", "RUS", "GMB"}


def test_bad_checkout_gives_input_error(tmp_path: Path) -> None:
    (tmp_path / "region").mkdir()
    (tmp_path / "region" / "xx.json").write_text('{"Geography": ')
    with pytest.raises(InputError, match=r"xx.json:line 1"):
        read_factbook(tmp_path)
    with pytest.raises(InputError, match="not a directory"):
        read_factbook(tmp_path / "missing")


# --- issue 13, item 7: every entry addressable, every listed border read, labelled figures ---


def _raw(shared_data: Path, rel: str) -> dict[str, Any]:
    f = shared_data / "factbook-json" / rel
    if not f.is_file():
        pytest.skip(f"Factbook entry {rel} is absent from {shared_data}")
    data: dict[str, Any] = json.loads(f.read_text(encoding="utf-8"))
    return data


def _km(text: str) -> float:
    return float(text.split()[0].replace(",", ""))


def _entries_in_extract() -> list[str]:
    blob = resources.files("tightrope.data").joinpath("factbook.json.gz").read_bytes()
    return sorted(json.loads(gzip.decompress(blob)))


def test_every_shipped_entry_has_a_code_name_and_record(shipped: FactbookData) -> None:
    codes = country_codes()
    covered = {f: c.iso3 for c in codes.rows.values() for f in c.factbook_files}
    entries = _entries_in_extract()
    assert len(entries) == 261
    assert sorted(covered) == entries
    read = {c.iso3 for c in shipped.countries}
    for rel in entries:
        iso3 = covered[rel]
        row = codes.rows[iso3]
        assert codes.resolve(iso3) == iso3
        assert codes.resolve(row.name) == iso3
        assert iso3 in read


def test_every_entry_of_the_shared_checkout_has_a_code(shared_data: Path) -> None:
    root = shared_data / "factbook-json"
    files = sorted(
        f.relative_to(root).as_posix() for f in root.glob("*/*.json") if f.parent.name != "meta"
    )
    covered = {f for c in country_codes().rows.values() for f in c.factbook_files}
    assert files and not set(files) - covered


@pytest.mark.parametrize(
    ("query", "iso3"),
    [("Akrotiri", "XAX"), ("XAX", "XAX"), ("Dhekelia", "XDX"), ("Spratly Islands", "XPG"),
     ("Jan Mayen", "XJN"), ("World", "WLD"), ("European Union", "EUU"), ("Pacific Ocean", "XZN"),
     ("Clipperton Island", "XIP"), ("Wake Island", "XWQ"), ("UMI", "UMI")],
)
def test_entries_without_iso_codes_resolve(query: str, iso3: str) -> None:
    assert country_codes().resolve(query) == iso3


@pytest.mark.parametrize("query", ["Palestine", "PSE", "PS", "ps", "State of Palestine",
                                   "West Bank", "Gaza Strip"])
def test_palestine_is_pse_for_west_bank_and_gaza(query: str) -> None:
    codes = country_codes()
    assert codes.resolve(query) == "PSE"
    row = codes.rows["PSE"]
    assert "West Bank" in row.name and "Gaza Strip" in row.name
    assert sorted(row.factbook_files) == ["middle-east/gz.json", "middle-east/we.json"]


def test_palestine_record_names_the_entries_it_combines(
    shipped: FactbookData, shared_data: Path
) -> None:
    we, gz = _raw(shared_data, "middle-east/we.json"), _raw(shared_data, "middle-east/gz.json")
    pse = next(c for c in shipped.countries if c.iso3 == "PSE")
    assert isinstance(pse.area_km2, Fact) and isinstance(pse.population, Fact)
    area = [_km(e["Geography"]["Area"]["total "]["text"]) for e in (we, gz)]
    assert pse.area_km2.value == sum(area)
    assert "West Bank" in pse.area_km2.note and "Gaza Strip" in pse.area_km2.note
    assert "we.json" in pse.area_km2.provenance.where
    assert "gz.json" in pse.area_km2.provenance.where
    pop = [_km(e["People and Society"]["Population"]["total"]["text"]) for e in (we, gz)]
    assert pse.population.value == sum(pop)
    # both entries print the same (combined) GDP: taken once, and the note says so
    assert isinstance(pse.gdp_usd_bn, Fact) and "taken once" in pse.gdp_usd_bn.note
    assert not any(c.iso3 in ("XWB", "XGZ") for c in shipped.countries)


def test_borders_with_the_west_bank_are_pse_naming_the_entry(shipped: FactbookData) -> None:
    assert not [b for b in shipped.borders if "XWB" in (b.a, b.b) or "XGZ" in (b.a, b.b)]
    jor = next(b for b in shipped.borders if (b.a, b.b) == ("JOR", "PSE"))
    assert jor.length_km.value == 148 and "West Bank" in jor.note
    isr = next(b for b in shipped.borders if (b.a, b.b) == ("ISR", "PSE"))
    assert isr.length_km.value == 330 + 59
    assert "West Bank 330 km" in isr.note and "Gaza Strip 59 km" in isr.note
    egy = next(b for b in shipped.borders if (b.a, b.b) == ("EGY", "PSE"))
    assert "Gaza Strip" in egy.note


@pytest.mark.parametrize(
    ("iso3", "rel", "key"),
    [("CYP", "europe/cy.json", "border sovereign base areas"),
     ("HKG", "east-n-southeast-asia/hk.json", "regional borders"),
     ("MAC", "east-n-southeast-asia/mc.json", "regional borders")],
)
def test_border_lists_under_other_headings_are_read(
    shipped: FactbookData, shared_data: Path, iso3: str, rel: str, key: str
) -> None:
    text = _raw(shared_data, rel)["Geography"]["Land boundaries"][key]["text"]
    codes = country_codes()
    expected = {}
    for part in text.split(";"):
        name, km, _ = part.strip().rsplit(" ", 2)
        expected[codes.resolve(name)] = float(km.replace(",", ""))
    got = {b.b: b.length_km.value for b in shipped.borders if b.a == iso3}
    assert got == expected


def test_french_guiana_and_china_borders_are_counted_on_both_sides(
    shipped: FactbookData, shared_data: Path
) -> None:
    fr = _raw(shared_data, "europe/fr.json")["Geography"]["Land boundaries"]
    fra = {b.b: b for b in shipped.borders if b.a == "FRA"}
    assert fra["BRA"].length_km.value + fra["SUR"].length_km.value == _km(
        fr["French Guiana - total"]["text"]
    )
    assert "listed only in the Brazil entry" in fra["BRA"].note
    chn = {b.b: b.length_km.value for b in shipped.borders if b.a == "CHN"}
    assert chn["HKG"] == 33 and chn["MAC"] == 3


def test_border_totals_are_the_factbooks_own(shipped: FactbookData, shared_data: Path) -> None:
    ch = _raw(shared_data, "east-n-southeast-asia/ch.json")
    total = shipped.border_totals["CHN"]
    assert isinstance(total, Fact)
    assert total.value == _km(ch["Geography"]["Land boundaries"]["total"]["text"]) == 22457
    assert "the Factbook's own total" in total.note
    assert sum(b.length_km.value for b in shipped.borders if b.a == "CHN") == 22457
    # Israel's parts do not sum to its total: both are given and the note says so
    isr = shipped.border_totals["ISR"]
    listed = sum(b.length_km.value for b in shipped.borders if b.a == "ISR")
    assert listed != isr.value
    assert f"sum to {listed:,g} km, not {isr.value:,g} km" in isr.note


def test_multi_part_coastlines_read_every_part(shipped: FactbookData, shared_data: Path) -> None:
    raw = _raw(shared_data, "australia-oceania/um.json")["Geography"]["Coastline"]["text"]
    parts = [float(p) for p in re.findall(r"</strong>\s*([\d.]+) km", raw)]
    assert len(parts) == 7
    umi = next(c for c in shipped.countries if c.iso3 == "UMI")
    assert isinstance(umi.coastline_km, Fact)
    assert umi.coastline_km.value == pytest.approx(sum(parts))
    assert "Baker Island 4.8 km" in umi.coastline_km.note
    # a part without a figure (Ascension Island 'NA', Ile Saint-Paul blank): unknown, reported
    for iso3 in ("SHN", "ATF"):
        c = next(c for c in shipped.countries if c.iso3 == iso3)
        assert isinstance(c.coastline_km, Unknown)
        assert any(i.iso3 == iso3 and i.field == "Geography.Coastline" for i in shipped.issues)
    # a total with its parts in brackets keeps the total and names the parts
    hrv = next(c for c in shipped.countries if c.iso3 == "HRV")
    assert isinstance(hrv.coastline_km, Fact) and hrv.coastline_km.value == 5835
    assert "islands 4,058 km" in hrv.coastline_km.note


def test_ethnic_qualifiers_become_bounds_and_names_stay_clean(shipped: FactbookData) -> None:
    groups = {(e.iso3, e.group): e.share for e in shipped.ethnic}
    bgd = groups[("BGD", "Bengali")]
    assert (bgd.value, bgd.bounds, bgd.note) == (0.99, (0.99, 1.0), "the Factbook gives at least 99%")
    twn = groups[("TWN", "Han Chinese")]
    assert twn.bounds == (0.95, 1.0) and "more than 95%" in twn.note
    dza = groups[("DZA", "European")]
    assert dza.bounds == (0.0, 0.01) and "less than 1%" in dza.note
    assert ("DNK", "Danish") in groups and ("ARG", "European and Mestizo") in groups
    tur = groups[("TUR", "Turkish")]
    assert tur.bounds == (0.70, 0.75)
    words = re.compile(r"\b(at least|more than|less than|approximately)$|\s{2}|[()]")
    assert not [e.group for e in shipped.ethnic if words.search(e.group)]


def test_html_entities_are_unescaped_in_names_and_text(shipped: FactbookData) -> None:
    entity = re.compile(r"&[a-zA-Z]+;|&#\d+;")
    codes = country_codes()
    assert codes.rows["CIV"].name == "Côte d'Ivoire"
    assert codes.resolve("Côte d'Ivoire") == codes.resolve("Cote d'Ivoire") == "CIV"
    texts = [c.name for c in shipped.countries]
    texts += [a for r in codes.rows.values() for a in r.aliases]
    texts += [e.group for e in shipped.ethnic] + [r.name for r in shipped.resources]
    texts += [lang.language for lang in shipped.languages] + [b.note for b in shipped.borders]
    texts += [i.text for i in shipped.issues]
    assert not [t for t in texts if entity.search(t)]


def test_undated_fields_carry_no_invented_year(shipped: FactbookData) -> None:
    kaz = next(c for c in shipped.countries if c.iso3 == "KAZ")
    for undated in (kaz.area_km2, kaz.coastline_km):
        assert isinstance(undated, Fact)
        assert undated.provenance.year is None
        assert UNDATED in undated.provenance.where
    # a figure that carries its own year keeps it
    assert isinstance(kaz.population, Fact) and kaz.population.provenance.year == 2025
    for b in shipped.borders:
        assert b.length_km.provenance.year is None if isinstance(b.length_km, Fact) else True


def _one_entry(tmp_path: Path, entry: dict[str, Any]) -> FactbookData:
    (tmp_path / "region").mkdir()
    (tmp_path / "region" / "zz.json").write_text(json.dumps(entry), encoding="utf-8")
    rows = [*country_codes().rows.values(),
            CountryCode("ZZZ", "", "zz", "region/zz.json", "Zedland", ("Zedland",))]
    return read_factbook(tmp_path, CountryCodes(rows))


def test_every_field_not_read_is_a_parse_issue(tmp_path: Path) -> None:
    fb = _one_entry(
        tmp_path,
        {
            "Geography": {
                "Land boundaries": {
                    "total": {"text": "30 km"},
                    "border countries": {"text": "Russia 10 km; Atlantis 20 km"},
                    "regional borders": {"text": "China about twelve km"},
                },
                "Coastline": {"text": "<strong>North: </strong>5 km<br><strong>South: </strong>NA"},
                "Area": {"total": {"text": "unknown"}},
            },
            "People and Society": {
                "Ethnic groups": {"text": "Zed, Other"},
                "Languages": {"Languages": {"text": "Zeddish 90%, 55 languages, other 10%"}},
            },
            "Economy": {"Exports - partners": {"text": "Atlantis 40%, China 60% (2024)"}},
        },
    )
    fields = sorted(i.field for i in fb.issues if i.iso3 == "ZZZ")
    assert fields == [
        "Economy.Exports - partners",
        "Geography.Area.total",
        "Geography.Coastline",
        "Geography.Land boundaries.border countries",
        "Geography.Land boundaries.regional borders",
        "People and Society.Ethnic groups",
        "People and Society.Languages.Languages",
    ]
    # what could be read was read
    assert [(b.b, b.length_km.value) for b in fb.borders if b.a == "ZZZ"] == [("RUS", 10.0)]
    assert [t.partner for t in fb.trade if t.iso3 == "ZZZ"] == ["CHN"]
    assert [lang.language for lang in fb.languages if lang.iso3 == "ZZZ"] == ["Zeddish", "other"]


def test_known_bad_fields_of_the_shipped_extract_are_reported(shipped: FactbookData) -> None:
    def issues(iso3: str, fld: str) -> int:
        return sum(1 for i in shipped.issues if i.iso3 == iso3 and i.field == fld)

    # Cuba's border with the US naval base at Guantanamo Bay has no code: reported, not dropped
    assert issues("CUB", "Geography.Land boundaries.border countries") == 1
    # Benin's language list mixes prose ('55 languages') into the list
    assert issues("BEN", "People and Society.Languages.Languages") == 1
    assert issues("RWA", "People and Society.Ethnic groups") == 1
    assert issues("SHN", "Geography.Coastline") == 1


def test_profiles_give_the_factbooks_border_total_and_name_palestines_entries(
    loaded_db: Path,
) -> None:
    from tightrope.profile import build_profile
    from tightrope.store import open_store

    with open_store(loaded_db, read_only=True) as s:
        chn = build_profile(s, "CHN").to_json()
        isr = build_profile(s, "ISR").to_json()
        jor = build_profile(s, "JOR").to_json()
        pse = build_profile(s, "PSE").to_json()
    total = chn["borders_total_km"]
    assert (total["value"], total["formula"]) == (22457, "the Factbook's own total")
    assert total["parts_sum_km"] == sum(b["length_km"] for b in chn["borders"]) == 22457
    assert isr["borders_total_km"]["value"] == 1068
    assert isr["borders_total_km"]["parts_sum_km"] == 1088
    assert "not 1,068 km" in isr["borders_total_km"]["note"]
    west_bank = next(b for b in jor["borders"] if b["iso3"] == "PSE")
    assert "West Bank" in west_bank["name"] and "West Bank" in west_bank["note"]
    assert "Gaza Strip" in pse["country"]["name"] and "West Bank" in pse["area_km2"]["note"]
