"""Regression: the EC car-emissions case (Bueno de Mesquita 1994), round by round.

WHAT THE EXPECTED FIGURES ARE — read before trusting them.

* ``PUBLIC_LOG`` is copied from ``Example.log`` in github.com/dmasad/bdm-scholz-expected-
  utility-model (commit d7c7bbab2b714f8bd196e71db38b0f30a3c15bfd): the run log of J. McKibben's
  Python reimplementation of the Scholz, Calbert & Smith (2011) replication
  (github.com/jmckib/bdm-scholz-expected-utility-model), ported to Python 3 by D. Masad and run
  as ``python bdm_scholz_model.py ExampleActors.csv 10 --log Example.log``. McKibben's comments
  say the code is "faithful to Scholz' original code"; the decisionmechanics/eum README states
  that it replicates the paper's results. These are NOT figures printed in the paper: the
  paper's own tables could not be reached, so agreement with the printed replication is
  unverified. In that log the per-round "Median position" line prints the *mean* (a bug in the
  logging code), so only the mean and the initial median (7.0) are external figures.
* ``NET_RISK_ROUND1`` is the output of D. Masad's notebook ``Comparison with Original.ipynb``
  (github.com/dmasad/BDM_DecisionModel_Replication, commit aa3899a3): risk exponents from the
  initial positions with the "net" probability (his reading of the paper) and Q = T = 1.
* ``SELF_MEDIANS`` and ``SELF_RISK`` were produced by this implementation (2026) and only
  guard against regressions; no external source confirms them.
"""

from __future__ import annotations

import numpy as np
import pytest

from tightrope.bargaining import (
    OFFER_NAMES,
    Trajectory,
    forecast,
    load_actors,
    resolve_options,
    simulate,
)

NAMES = ("Netherlands", "Belgium", "Luxembourg", "Germany", "France", "Italy", "UK", "Ireland",
         "Denmark", "Greece")
INITIAL_MEAN = 7.389955686853767
INITIAL_MEDIAN = 7.0
# (round, mean after the round, [(actor, offer, partner, new position)])
PUBLIC_LOG = [
    (1, 7.461314378277189, [("Belgium", "compromise", "France", 8.415932315426764),
                            ("Luxembourg", "confrontation", "Belgium", 7.0),
                            ("Ireland", "confrontation", "Luxembourg", 4.0)]),
    (2, 7.552500865855845, [("Belgium", "compromise", "France", 9.610859134120188),
                            ("Luxembourg", "confrontation", "Belgium", 8.415932315426764),
                            ("Ireland", "confrontation", "Luxembourg", 7.0)]),
    (3, 7.590144997451547, [("Belgium", "compromise", "France", 9.961979590401311),
                            ("Luxembourg", "confrontation", "Belgium", 9.610859134120188),
                            ("Ireland", "confrontation", "Luxembourg", 8.415932315426764)]),
    (4, 7.358130531334201, [("Belgium", "compromise", "Netherlands", 4.800881140632622),
                            ("Luxembourg", "confrontation", "Belgium", 9.961979590401311),
                            ("Ireland", "confrontation", "Luxembourg", 9.610859134120188)]),
    (5, 7.3491739896752115, [("Belgium", "compromise", "France", 5.524237694197356),
                             ("Luxembourg", "confrontation", "Belgium", 4.800881140632622),
                             ("Ireland", "confrontation", "Luxembourg", 9.961979590401311)]),
    (6, 7.414877545372958, [("Belgium", "compromise", "France", 7.47204636191629),
                            ("Luxembourg", "confrontation", "Belgium", 5.524237694197356),
                            ("Ireland", "confrontation", "Belgium", 5.524237694197356)]),
    (7, 7.510457183677219, [("Belgium", "compromise", "France", 8.824593855262423),
                            ("Luxembourg", "confrontation", "Belgium", 7.47204636191629),
                            ("Ireland", "confrontation", "Belgium", 7.47204636191629)]),
    (8, 7.5724470975503, [("Belgium", "compromise", "France", 9.671129769802048),
                          ("Luxembourg", "confrontation", "Belgium", 8.824593855262423),
                          ("Ireland", "confrontation", "Belgium", 8.824593855262423)]),
    (9, 7.324989065683666, [("Belgium", "compromise", "Netherlands", 4.144849062500606),
                            ("Luxembourg", "confrontation", "Belgium", 9.671129769802048),
                            ("Ireland", "confrontation", "Belgium", 9.671129769802048)]),
    (10, 7.242130958473938, [("Belgium", "compromise", "France", 4.291541224979646),
                             ("Luxembourg", "confrontation", "Belgium", 4.144849062500606),
                             ("Ireland", "confrontation", "Belgium", 4.144849062500606)]),
]
NET_RISK_ROUND1 = [1.1271980463, 0.780917839132, 0.5, 1.1271980463, 1.07789229892,
                   1.07789229892, 2.0, 0.524782172174, 1.47169654498, 1.14047944802]
SELF_MEDIANS = [7.0, 8.415932, 9.610859, 9.96198, 9.96198, 9.96198, 7.472046, 8.824594,
                9.67113, 9.67113, 7.0]
SELF_RISK = [
    [1.405653, 0.754196, 0.508864, 1.405653, 1.046524, 1.046524, 1.964898, 0.5, 2.0, 1.112125],
    [1.454545, 0.816632, 0.65182, 1.454545, 1.097323, 1.097323, 1.833582, 0.5, 2.0, 1.181359],
    [1.372701, 0.712545, 0.56753, 1.372701, 0.928421, 0.928421, 1.396771, 0.5, 2.0, 1.02252],
    [1.359457, 0.706696, 0.563819, 1.359457, 0.888344, 0.888344, 1.248615, 0.5, 2.0, 1.015887],
    [1.4044, 0.73439, 0.568934, 1.4044, 0.976828, 0.976828, 1.458264, 0.5, 2.0, 1.108889],
    [1.463035, 0.835397, 0.634623, 1.463035, 1.098593, 1.098593, 1.762773, 0.5, 2.0, 1.210592],
    [1.405904, 0.750162, 0.576011, 1.405904, 1.039952, 1.039952, 1.905851, 0.5, 2.0, 1.11297],
    [1.361252, 0.700052, 0.564426, 1.361252, 0.923231, 0.923231, 1.456347, 0.5, 2.0, 1.002469],
    [1.351101, 0.694987, 0.561732, 1.351101, 0.881441, 0.881441, 1.267012, 0.5, 2.0, 1.002808],
    [1.412499, 0.73601, 0.577685, 1.412499, 0.995724, 0.995724, 1.514411, 0.5, 2.0, 1.131895],
]


@pytest.fixture(scope="module")
def run() -> Trajectory:
    return forecast("ec-car-emissions", "scholz", rounds=10).trajectory


def test_inputs_are_the_published_table() -> None:
    a = load_actors("ec-car-emissions")
    assert a.names == NAMES
    assert a.capability.tolist() == [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]
    assert a.position.tolist() == [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
    assert a.salience.tolist() == [.8, .4, .2, .8, .6, .6, .9, .1, 1.0, .7]


def test_initial_median_and_mean(run: Trajectory) -> None:
    assert run.medians[0] == INITIAL_MEDIAN
    assert run.means[0] == pytest.approx(INITIAL_MEAN, abs=1e-12)


@pytest.mark.parametrize(("rnd", "mean", "moves"), PUBLIC_LOG)
def test_round_matches_public_log(run: Trajectory, rnd: int, mean: float,
                                  moves: list[tuple[str, str, str, float]]) -> None:
    traj = run
    prev = {n: float(traj.positions[rnd - 1, i]) for i, n in enumerate(NAMES)}
    expected = dict(prev)
    for actor, _, _, pos in moves:
        expected[actor] = pos
    for i, name in enumerate(NAMES):
        got = float(traj.positions[rnd, i])
        assert got == pytest.approx(expected[name], abs=1e-5), (rnd, name)
        assert round(got, 5) == round(expected[name], 5)
    movers = {a: (k, p) for a, k, p, _ in moves}
    for i, name in enumerate(NAMES):
        offer = OFFER_NAMES[int(traj.offers[rnd - 1, i])]
        partner = int(traj.partners[rnd - 1, i])
        if name in movers:
            assert (offer, NAMES[partner]) == movers[name], (rnd, name)
        else:
            assert offer == "none" and partner == -1, (rnd, name)
    assert float(traj.means[rnd]) == pytest.approx(mean, abs=1e-9)


def test_medians_and_risk_exponents_regression(run: Trajectory) -> None:
    np.testing.assert_allclose(run.medians, SELF_MEDIANS, atol=1e-6)
    np.testing.assert_allclose(run.risk, SELF_RISK, atol=1e-6)


def test_net_probability_risk_exponents_match_masad_notebook() -> None:
    a = load_actors("ec-car-emissions")
    traj = simulate(a, resolve_options("scholz", probability="net"), 1)
    np.testing.assert_allclose(traj.risk[0], NET_RISK_ROUND1, atol=1e-10)


def test_capitulation_rule_does_not_change_this_case(run: Trajectory) -> None:
    a = load_actors("ec-car-emissions")
    never = simulate(a, resolve_options("scholz", capitulation="never"), 10,
                     stop_when_settled=False)
    np.testing.assert_array_equal(never.positions, run.positions)


def test_the_case_does_not_settle_in_twenty_rounds() -> None:
    st = forecast("ec-car-emissions", rounds=20).trajectory.settlement
    assert st.status == "unsettled"
    assert st.median_range[0] == 7.0 and st.median_range[1] > 9.5
