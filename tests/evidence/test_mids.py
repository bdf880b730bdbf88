"""Reference classes built from the shared MID, COW and ATOP files (skip without them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tightrope.errors import DataUnavailableError
from tightrope.evidence.estimates import mid_estimates, rung_counts
from tightrope.evidence.mids import CLASSES, POST_SOVIET, dyad_years, mid_files
from tightrope.evidence.shipped import estimate, rates


def test_russia_post_soviet_class(shared_data: Path) -> None:
    d = dyad_years(shared_data, CLASSES["russia_post_soviet"])
    assert set(d.b) == set(POST_SOVIET) and d.year.min() == 1992 and d.year.max() == 2014
    assert len(d) == 14 * 23
    geo08 = d[(d.b == 372) & (d.year == 2008)].iloc[0]
    # COW MID 5.0 codes the 2008 war with Georgia as a use of force (clash), not war
    assert geo08.hostlev == 4
    ukr14 = d[(d.b == 369) & (d.year == 2014)].iloc[0]
    assert ukr14.occupation_or_war == 1  # Crimea: occupation of territory
    assert (d[d.year > 2010].territorial == -1).all()  # GML ends in 2010: not coded


def test_china_neighbours_are_minor_contiguous_states(shared_data: Path) -> None:
    d = dyad_years(shared_data, CLASSES["china_neighbours"])
    assert {705, 713, 750, 840} <= set(d.b) and 365 not in set(d.b) and 740 not in set(d.b)


def test_shipped_table_matches_the_data(shared_data: Path) -> None:
    d = dyad_years(shared_data, CLASSES["russia_post_soviet"])
    for rung in ("display", "force", "occupation_or_war"):
        c = rung_counts(d, rung)
        e = estimate(f"mid.russia_post_soviet.{rung}")
        assert (e.events, e.trials, e.dyads) == (int(c.events.sum()), int(c.trials.sum()), 14)
        kaz = c[c.b == 705].iloc[0]
        k = estimate(f"mid.russia_post_soviet.{rung}.KAZ")
        assert (k.events, k.trials) == (int(kaz.events), int(kaz.trials))


def test_rebuild_reproduces_the_shipped_rates(shared_data: Path) -> None:
    shipped = rates()
    fresh = {e.name: e for e in mid_estimates(shared_data, seed=0)
             if e.name.startswith("mid.russia_post_soviet.force")}
    assert fresh
    for name, e in fresh.items():
        s = shipped[name]
        assert (s.mean, s.low, s.high) == pytest.approx((e.mean, e.low, e.high), abs=1e-6)


def test_absent_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataUnavailableError, match=r"cow_mid_dirdisps\.csv"):
        mid_files(tmp_path)
