"""Key judgements are built from result objects: the numbers, the likelihood word and the
confidence follow the results, and the table of contents follows the headings."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tightrope import corridors
from tightrope.bargaining import forecast
from tightrope.minefield import compare
from tightrope.report.judgements import (
    balance_judgement,
    bargaining_judgement,
    corridor_judgement,
    minefield_judgements,
    strategy_label,
    with_heading_ids,
)
from tightrope.report.likelihood import ICD203


@pytest.fixture(scope="module")
def comparison():  # type: ignore[no-untyped-def]
    return compare("kazakhstan-2023", "all", runs=300, seed=2)


def test_minefield_judgements_follow_the_results(comparison) -> None:  # type: ignore[no-untyped-def]
    safe, risky = minefield_judgements(comparison)
    best = min(comparison.results, key=lambda r: r.p_catastrophe)
    assert safe.p == best.p_catastrophe and safe.interval == best.ci
    assert strategy_label(best.strategy) in safe.claim
    assert "_" not in safe.claim + risky.claim and ":" not in safe.claim
    assert safe.anchor == "q-minefield"
    words = {w for w, _, _ in ICD203}
    assert all(w in words for w in safe.likelihood.split(" to "))
    # change the result: the judgement changes with it
    moved = dataclasses.replace(best, p_catastrophe=0.001, ci=(0.0, 0.004))
    other = type(comparison)(**{**{f.name: getattr(comparison, f.name)
                                   for f in dataclasses.fields(comparison)},
                                "results": [moved if r is best else r
                                            for r in comparison.results]})
    safe2, _ = minefield_judgements(other)
    assert safe2.p == 0.001 and safe2.likelihood == "almost no chance"
    assert safe2.probability_text != safe.probability_text


def test_corridor_judgement_reads_the_band() -> None:
    # the judgement reads the band and the back-test's goal; a few runs give both
    res = {"russia-transit": corridors.disrupt(["russia-transit"], runs=10, seed=1)}
    j = corridor_judgement(res, corridors.backtest(runs=4, seed=1))
    assert j is not None
    band = res["russia-transit"].to_json()["focal"]["revenue_change_band_usd"]
    assert band[1] < 0 and j.interval == (0.95, 1.0) and j.likelihood == "almost certain"
    assert "−" in j.claim and "-" not in re.sub(r"[A-Za-z]-[A-Za-z]", "", j.claim)
    assert "back-test" in j.evidence and j.probability_text == "at least 95%"


def test_bargaining_judgement_is_the_share_of_runs() -> None:
    r = forecast("kaz-sanctions", "scholz", rounds=30, runs=60, seed=1)
    j = bargaining_judgement(r)
    assert j is not None
    med = r.to_json()["monte_carlo"]["per_run"]["median"]
    assert j.p == sum(m > 50 for m in med) / len(med)
    assert j.interval[0] <= j.p <= j.interval[1]
    assert j.confidence.level in ("moderate", "low")  # inputs are assumptions


def test_balance_judgement_band_inside_or_across_a_class() -> None:
    inside = {"name": "X", "overall": {"value": 0.8, "band": [0.72, 0.9], "class": "balanced"}}
    across = {"name": "X", "overall": {"value": 0.7, "band": [0.6, 0.8], "class": "balanced"}}
    a, b = balance_judgement(inside, "h"), balance_judgement(across, "h")
    assert a is not None and b is not None
    # a band across a class edge names both classes, which hold the band's 90%
    assert a.interval == b.interval == (0.9, 1.0)
    assert a.probability_text == "at least 90%"
    assert "was balanced between" in a.claim and "was leaning or balanced between" in b.claim
    assert "in the 2010s" in a.claim
    wide = {"name": "X", "overall": {"value": 0.5, "band": [0.2, 0.9], "class": "leaning"}}
    w = balance_judgement(wide, "h")
    assert w is not None and "anywhere from aligned to balanced" in w.claim
    assert balance_judgement(None, "h") is None


def test_strategy_label_names_the_power_with_its_article() -> None:
    from tightrope.report.judgements import strategy_label

    assert strategy_label("bandwagon:usa", {"usa": "United States"}) == \
        "bandwagoning with the United States"
    assert strategy_label("bandwagon:russia", {"russia": "Russia"}) == "bandwagoning with Russia"


def test_heading_ids_and_toc() -> None:
    secs, toc = with_heading_ids(["<h2 id='q-a'>One</h2><p>x</p><h2>Two &amp; three</h2>",
                                  "<h2>Two &amp; three</h2>"])
    assert [i for i, _ in toc] == ["q-a", "two-three", "two-three-2"]
    for hid, _ in toc:
        assert f"id='{hid}'" in "".join(secs)
