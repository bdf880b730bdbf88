"""Parsers of Factbook text fields: examples from the real data and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tightrope.ingest.textparse import (
    ParseFailure,
    parse_borders,
    parse_money_usd_bn,
    parse_number,
    parse_orgs,
    parse_percent,
    parse_percent_list,
    parse_year,
)


def test_borders_kazakhstan() -> None:
    items = parse_borders(
        "China 1,765 km; Kyrgyzstan 1,212 km; Russia 7,644 km; Turkmenistan 413 km; "
        "Uzbekistan 2,330 km"
    )
    assert [(i.name, i.length_km) for i in items] == [
        ("China", 1765), ("Kyrgyzstan", 1212), ("Russia", 7644), ("Turkmenistan", 413),
        ("Uzbekistan", 2330)]


def test_borders_segments_of_one_neighbour_are_summed() -> None:
    items = parse_borders("China (southeast) 4,133 km and China (south) 46 km; Norway 191 km")
    assert items[0].name == "China" and items[0].length_km == 4179
    assert "southeast" in items[0].note and items[1].name == "Norway"


def test_borders_names_with_and_and_trailing_notes() -> None:
    items = parse_borders("Bosnia and Herzegovina 932 km, Serbia 314 km")
    assert [i.name for i in items] == ["Bosnia and Herzegovina", "Serbia"]
    items = parse_borders("Canada 8,891 km (including 2,475 km with Alaska); Mexico 3,111 km")
    assert items[0].length_km == 8891 and "Alaska" in items[0].note


def test_borders_unreadable_segment_fails() -> None:
    with pytest.raises(ParseFailure):
        parse_borders("China about two thousand km")


def test_percent_list_keeps_comma_inside_name() -> None:
    items, year = parse_percent_list("China 28%, Russia 24%, Gambia, The 4%, USA 4% (2023)")
    assert [(i.name, i.percent) for i in items] == [
        ("China", 28), ("Russia", 24), ("Gambia, The", 4), ("USA", 4)]
    assert year == 2023


def test_percent_list_without_percentages_fails() -> None:
    with pytest.raises(ParseFailure):
        parse_percent_list("Hutu, Tutsi, Twa")


def test_scalars() -> None:
    assert parse_money_usd_bn("$288.406 billion (2024 est.)") == pytest.approx(288.406)
    assert parse_money_usd_bn("$2.174 trillion (2024 est.)") == pytest.approx(2174)
    assert parse_percent("0.9% of GDP (2024 est.)") == 0.9
    assert parse_year("0.9% of GDP (2024 est.)") == 2024
    assert parse_year("no year here") is None
    assert parse_orgs("CSTO, NAM (observer), UN Security Council (temporary)") == [
        ("CSTO", "member"), ("NAM", "observer"), ("UN Security Council", "temporary")]


names = st.from_regex(r"[A-Z][a-z]{2,10}( [A-Z][a-z]{2,8})?", fullmatch=True)


@given(st.dictionaries(names, st.integers(1, 99_999), min_size=1, max_size=8))
def test_borders_round_trip(borders: dict[str, int]) -> None:
    text = "; ".join(f"{n} {km:,} km" for n, km in borders.items())
    parsed = parse_borders(text)
    assert {i.name: i.length_km for i in parsed} == {n: float(k) for n, k in borders.items()}


@given(st.lists(st.tuples(names, st.decimals(0, 100, places=1)), min_size=1, max_size=8,
                unique_by=lambda t: t[0]), st.integers(1990, 2030))
def test_percent_list_round_trip(items: list[tuple[str, object]], year: int) -> None:
    text = ", ".join(f"{n} {p}%" for n, p in items) + f" ({year} est.)"
    parsed, y = parse_percent_list(text)
    assert y == year
    assert [(i.name, i.percent) for i in parsed] == [(n, float(str(p))) for n, p in items]


@given(st.integers(0, 10**12))
def test_number_with_thousands_separators(n: int) -> None:
    assert parse_number(f"{n:,}") == n


@pytest.mark.parametrize(
    ("text", "name", "percent", "bounds", "printed"),
    [
        ("Bengali at least 99%, other 1%", "Bengali", 99, (99, 100), "at least 99%"),
        ("Han Chinese (incl. Holo, approximately 70%) more than 95%, x 2%", "Han Chinese", 95,
         (95, 100), "more than 95%"),
        ("Arab-Amazigh 99%, European less than 1%", "European", 0.5, (0, 1), "less than 1%"),
        ("Turkish 70-75%, Kurdish 19%", "Turkish", 72.5, (70, 75), "70-75%"),
        ("Arab ~50%, Kurd ~10%", "Arab", 50, (None, None), "approximately 50%"),
        ("Danish (includes Greenlandic (who are Inuit) and Faroese) 84.2%, Turkish 1.1%",
         "Danish", 84.2, (None, None), "84.2%"),
    ],
)
def test_percent_list_qualifiers_become_bounds(
    text: str, name: str, percent: float, bounds: tuple[float | None, float | None], printed: str
) -> None:
    items, _ = parse_percent_list(text)
    it = next(i for i in items if i.name == name)
    assert (it.percent, (it.low, it.high), it.as_printed) == (percent, bounds, printed)


@given(
    st.sampled_from(["at least", "more than", "less than", "over", "under", "<", "~", ""]),
    st.decimals(min_value=0, max_value=100, places=1).map(float),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1).map(float)),
)
def test_percent_item_value_lies_within_its_bounds(
    qual: str, pct: float, upper: float | None
) -> None:
    figure = f"{pct:g}-{max(pct, upper):g}" if upper is not None else f"{pct:g}"
    sep = "" if qual in ("<", "~") else " "
    items, _ = parse_percent_list(f"Zed {qual}{sep}{figure}%".replace("  ", " "))
    (it,) = items
    assert it.name == "Zed"
    if it.low is not None and it.high is not None:
        assert 0 <= it.low <= it.percent <= it.high <= 100
