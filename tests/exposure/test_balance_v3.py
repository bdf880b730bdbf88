"""Method v3 of the balance index: the hedging index sqrt(evenness x second camp's tie), camp
members ranked apart, Serbia's UN votes, the v3 held-out set, and the documented results."""

from __future__ import annotations

import csv
import io
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tightrope.errors import DataUnavailableError
from tightrope.exposure.campdata import CAMPS, balance_data, check_held_out
from tightrope.exposure.camps import hedging_index, lean_balance, portfolio_ties
from tightrope.exposure.world import band_class
from tightrope.exposure.worldinputs import HEADLINE_CHANNELS

DOC = Path(__file__).resolve().parents[2] / "docs" / "balance-validation.md"

ties3 = st.lists(st.floats(0, 1), min_size=3, max_size=3)


@given(ties3)
def test_hedging_index_lies_in_the_unit_interval_and_below_both_factors(t: list[float]) -> None:
    x = np.array(t)
    h = float(hedging_index(x))
    p = float(lean_balance(x))
    second = sorted(t)[-2]
    assert 0.0 <= h <= 1.0
    # the geometric mean of evenness and the second tie lies between them
    assert min(p, second) - 1e-12 <= h <= max(p, second) + 1e-12


@given(ties3, st.permutations([0, 1, 2]))
def test_hedging_index_is_symmetric_in_the_camps(t: list[float], perm: list[int]) -> None:
    x = np.array(t)
    assert float(hedging_index(x)) == pytest.approx(float(hedging_index(x[perm])))


@given(ties3, st.floats(1e-3, 1.0))
def test_more_engagement_at_the_same_margin_raises_the_index(t: list[float],
                                                              d: float) -> None:
    # adding the same amount to every camp's tie keeps the margin (v2's P cannot see it) and
    # raises the second tie, so H rises
    x = np.array(t)
    assume(x.max() + d <= 1.0 and float(lean_balance(x)) > 0.0)
    assert float(lean_balance(x + d)) == pytest.approx(float(lean_balance(x)))
    assert float(hedging_index(x + d)) > float(hedging_index(x))


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(1e-3, 1))
def test_a_stronger_second_tie_raises_the_index(t1: float, t2: float, t3: float,
                                                d: float) -> None:
    top, second, third = sorted([t1, t2, t3], reverse=True)
    assume(second + d <= top)
    low = float(hedging_index(np.array([top, second, third])))
    high = float(hedging_index(np.array([top, second + d, third])))
    assert high > low


def test_weak_ties_everywhere_are_not_hedging_and_two_full_ties_are() -> None:
    assert float(hedging_index(np.zeros(3))) == 0.0  # v2's P gave 1.0
    assert float(lean_balance(np.zeros(3))) == 1.0
    assert float(hedging_index(np.array([0.1, 0.1, 0.0]))) < 0.35
    assert float(hedging_index(np.array([1.0, 1.0, 0.0]))) == 1.0
    assert float(hedging_index(np.array([1.0, 0.0, 0.0]))) == 0.0
    assert math.isnan(float(hedging_index(np.array([0.5, math.nan, math.nan]))))


def test_weakly_tied_is_a_class_of_its_own() -> None:
    assert band_class(0.2, 0.9) == "aligned"
    assert band_class(0.2, 0.2) == "weakly tied"
    assert band_class(0.5, 0.2) == "leaning"
    assert band_class(math.nan) is None


@pytest.fixture(scope="module")
def world(loaded_db: Path):  # type: ignore[no-untyped-def]
    from tightrope.exposure.world import world_balance
    from tightrope.store import open_store

    with open_store(loaded_db, read_only=True) as s:
        return world_balance(s, runs=200)


def test_headline_is_sqrt_of_evenness_times_second_portfolio_tie(world) -> None:  # type: ignore[no-untyped-def]
    for iso in ("KAZ", "BLR", "VNM", "JOR", "SYR", "PNG"):
        c = world.by_iso3(iso)
        x = np.array([[c.ties[ch][k] for k in CAMPS] for ch in HEADLINE_CHANNELS])
        t = portfolio_ties(x, np.ones(len(HEADLINE_CHANNELS)))
        second = sorted(t[~np.isnan(t)])[-2]
        expected = math.sqrt(float(lean_balance(t)) * second)
        assert c.overall == pytest.approx(expected)
        assert c.evenness_v2 == pytest.approx(float(lean_balance(t)))
        assert c.band[0] - 1e-9 <= c.overall <= c.band[1] + 1e-9


def test_camp_members_and_poles_are_ranked_apart(world) -> None:  # type: ignore[no-untyped-def]
    d = balance_data()
    members = set().union(*(c.members for c in d.camps.values()))
    for iso in ("RUS", "CHN", "USA", "POL", "GBR", "JPN"):
        c = world.by_iso3(iso)
        assert c.rank is None and c.member_rank is not None, iso
        assert not math.isnan(c.overall)  # reported with its value
    ranked = [c for c in world.countries if c.rank is not None]
    assert ranked and all(c.camp_of is None and c.iso3 not in members for c in ranked)
    assert [c.rank for c in sorted(ranked, key=lambda c: c.rank)] == list(
        range(1, len(ranked) + 1))
    in_members = sorted((c for c in world.countries if c.member_rank is not None),
                        key=lambda c: c.member_rank)
    assert {c.iso3 for c in in_members} <= members
    vals = [c.overall for c in in_members]
    assert vals == sorted(vals, reverse=True)
    assert world.to_json()["countries"][0]["ranking"] == "world"


def test_serbia_has_an_ideal_point_and_an_alignment_tie(world) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(resources.files("tightrope.data").joinpath(
        "balance", "unga_ideal_points.csv").read_text("utf-8"))))
    srb = [r for r in rows if r["iso3"] == "SRB"]
    assert len(srb) == 1 and int(srb[0]["n_votes"]) >= 100
    c = world.by_iso3("SRB")
    assert not math.isnan(c.channel_index["alignment"])
    assert all(not math.isnan(v) for v in c.ties["alignment"].values())


def test_v3_set_is_held_out_from_both_earlier_sets_and_from_the_camps() -> None:
    d = balance_data()

    def scored(v: dict[str, Any]) -> set[str]:
        return {e["iso3"] for g in ("hedging", "aligned") for e in v.get(g) or []}

    v3 = scored(d.heldout_v3)
    assert len(v3) >= 6
    assert not v3 & (scored(d.validation) | scored(d.heldout))
    assert not v3 & set().union(*(c.members for c in d.camps.values()))
    assert all(e["cite"] for g in ("hedging", "aligned") for e in d.heldout_v3[g])
    with pytest.raises(DataUnavailableError, match=r"validation_v3\.yaml"):
        check_held_out(d.heldout, {"hedging": [{"iso3": "BRA"}], "aligned": []},
                       name="validation_v3.yaml")


def _doc_number(pattern: str, text: str) -> float:
    m = re.search(pattern, text)
    assert m, f"the validation page has no line matching {pattern!r}"
    return float(m.group(1))


def test_documented_v4_results_are_what_the_code_computes(world) -> None:  # type: ignore[no-untyped-def]
    from tightrope.exposure.validation import validate
    from tightrope.report.briefing import _CAMP_NOTE

    v = validate(world)
    doc = DOC.read_text(encoding="utf-8")
    text = doc[doc.index("## Results v4"):doc.index("# History: method v3")]
    sets = {"first set (v1)": "in_sample_v1_set", "v2 held-out set": "in_sample_v2_set",
            "v3 held-out set": "seen_v3_set"}
    for label, key in sets.items():
        s = v[key]
        row = re.search(rf"\| {re.escape(label)} \| (\d+) / (\d+) \| \*\*([0-9.]+)\*\* \|"
                        rf" [0-9.]+ \| ([0-9.]+) \|", text)
        assert row, label
        assert (int(row.group(1)), int(row.group(2))) == (s["n_hedging"], s["n_aligned"])
        assert float(row.group(3)) == round(s["auc"], 2), label
        assert float(row.group(4)) == round(s["without_camp_members"]["auc"], 2), label
        assert f"{s['auc']:.2f}" in _CAMP_NOTE  # the briefing states the same numbers
    assert _doc_number(r"Ukraine vote\*\* \(seen; states outside the camps\): AUC \*\*"
                       r"([0-9.]+)\*\*", text) == round(v["ukraine_2022"]["auc"], 2)
    assert _doc_number(r"median H of the world ranking, \*\*([0-9.]+)\*\*", text) == round(
        v["miss_line"], 2)
    ranks = v["done_when"]["ranks"]
    for iso, name in (("KAZ", "Kazakhstan"), ("VNM", "Vietnam"), ("BLR", "Belarus"),
                      ("PRK", "North Korea")):
        assert f"{name} rank **{ranks[iso]}**" in text, iso
    assert f"place it {ranks['POL']}th" in text
    assert all(v["done_when"]["ranked_below"].values())
    assert v["held_out"] is None


def test_kazakhstan_rank_is_shown_among_states_outside_the_camps(world) -> None:  # type: ignore[no-untyped-def]
    from tightrope.report.world import camp_balance_markdown

    c = world.by_iso3("KAZ")
    md = camp_balance_markdown(c.to_json() | {"ranked_among": world.n_ranked(),
                                              "members_ranked": world.n_member_ranked()})
    assert f"rank {c.rank} of {world.n_ranked()} states outside the camps" in md
    pol = world.by_iso3("POL")
    md = camp_balance_markdown(pol.to_json() | {"ranked_among": world.n_ranked(),
                                                "members_ranked": world.n_member_ranked()})
    assert f"ranked {pol.member_rank} of {world.n_member_ranked()} camp members" in md


def test_v4_inputs_describe_the_2010s() -> None:
    # method v4: trade lists for 2010-2019 and memberships of 2020, not the final edition's
    d = balance_data()
    assert d.trade_2010s and all(2010 <= r["year"] <= 2019 for r in d.trade_2010s)
    blr = {(r["flow"], r["partner"]): r["share"] for r in d.trade_2010s if r["iso3"] == "BLR"}
    # the 2023 lists omit Russia; the 2019 lists give it as Belarus's largest partner
    assert blr[("exports", "RUS")] == max(v for (f, _), v in blr.items() if f == "exports")
    assert blr[("imports", "RUS")] == max(v for (f, _), v in blr.items() if f == "imports")
    brics = {r["iso3"] for r in d.memberships_2020 if r["org"] == "BRICS"}
    assert brics == {"BRA", "RUS", "IND", "CHN", "ZAF"}  # before the 2024 enlargement
    assert {r["edition"] for r in d.memberships_2020} == {"2020-11-26"}
    dims = {len(p.theta) for p in d.ideal.values()}
    assert dims == {3}  # the number chosen by held-out vote likelihood (unga_dimensions.csv)
