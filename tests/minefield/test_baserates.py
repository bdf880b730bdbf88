"""Simulated catastrophe probabilities beside their reference-class base rates."""

from __future__ import annotations

import numpy as np
import pytest

from tightrope import minefield
from tightrope.evidence import estimate
from tightrope.minefield.baserates import (
    base_rate_checks,
    base_rate_lines,
    judgement_drivers,
)


@pytest.fixture(scope="module")
def comp() -> minefield.Comparison:
    return minefield.compare("kazakhstan-2023", ["balancer", "bandwagon:usa"], runs=600, seed=1,
                             horizon=20)


def test_checks_compare_with_the_band_over_the_same_horizon(comp: minefield.Comparison) -> None:
    checks = base_rate_checks(comp)
    kinds = {c.kind for c in checks}
    assert kinds == {"intervention", "loss_of_region"}  # regime change has no class
    r = estimate("mid.russia_post_soviet.occupation_or_war.KAZ")
    c = estimate("mid.china_neighbours.occupation_or_war.KAZ")
    for ch in checks:
        assert ch.years == 5.0
        lo, hi = ch.reference_band
        assert lo <= ch.reference <= hi
        assert ch.exceeds == (ch.simulated_ci[0] > hi)
        if ch.kind == "intervention":
            want = 1 - (1 - r.mean) ** 5 * (1 - c.mean) ** 5
            assert ch.reference == pytest.approx(want)
        sim = comp.result(ch.strategy).by_kind[ch.kind]
        assert ch.simulated == sim and ch.simulated_ci[0] <= sim <= ch.simulated_ci[1]


def test_base_rate_lines_state_n_of_m(comp: minefield.Comparison) -> None:
    text = " ".join(base_rate_lines(comp.scenario))
    e = estimate("mid.russia_post_soviet.force")
    assert f"in {e.events} of {e.trials} dyad-years" in text and "post-Soviet" in text
    assert "1992-2014" in text


def test_judgement_drivers_read_the_sobol_ranking(comp: minefield.Comparison) -> None:
    class FakeSobol:
        groups = ("power: russia", "shock: war_escalation", "dynamics")
        total = np.array([0.1, 0.5, 0.3])
        total_conf = np.array([0.01, 0.02, 0.03])

    rows = judgement_drivers(comp.scenario, FakeSobol(), top=2)
    assert [r["group"] for r in rows] == ["shock: war_escalation", "dynamics"]
    sc = comp.scenario
    shock = [p for n, p in sc.params.items() if n.startswith("shocks.war_escalation.")]
    assert rows[0]["judgement"] + rows[0]["fact"] + rows[0]["evidence"] == len(shock)
    russia = judgement_drivers(sc, FakeSobol(), top=3)[2]
    assert russia["evidence"] == 2  # border incident and intervention rest on MID rates
