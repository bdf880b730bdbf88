"""Time-aware filtered ranking and the recurrency baselines on tiny hand-made graphs."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tightrope.errors import InputError
from tightrope.events.forecast_eval import run_split, write_predictions
from tightrope.events.forecast_recurrency import RecurrencyParams, baseline_scores
from tightrope.events.forecast_tkg import (
    Quads,
    TkgDataset,
    expected_reciprocal_rank,
    load_tkg,
    rank_metrics,
    summarise_ranks,
)


def brute_force(scores: list[int], answer: int, filtered: set[int]) -> tuple[Fraction, ...]:
    """Mean over every order of the entities (ties broken by that order) of 1/rank, hits."""
    live = [e for e in range(len(scores)) if e == answer or e not in filtered]
    rr, hits = Fraction(0), [Fraction(0)] * 3
    perms = list(itertools.permutations(live))
    for perm in perms:
        ranked = sorted(live, key=lambda e: (-scores[e], perm.index(e)))
        rank = ranked.index(answer) + 1
        rr += Fraction(1, rank)
        hits = [h + (rank <= k) for h, k in zip(hits, (1, 3, 10), strict=True)]
    n = len(perms)
    return (rr / n, *(h / n for h in hits))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=6), st.data())
def test_rank_metrics_equal_brute_force_over_tie_orders(scores: list[int], data: st.DataObject) -> None:
    answer = data.draw(st.integers(0, len(scores) - 1))
    filtered = set(data.draw(st.lists(st.integers(0, len(scores) - 1), max_size=3)))
    got = rank_metrics(np.array(scores, dtype=float), answer, filtered)
    want = brute_force(scores, answer, filtered)
    assert got == pytest.approx([float(w) for w in want], abs=1e-12)


@settings(deadline=None)
@given(st.integers(0, 50), st.integers(1, 50))
def test_expected_reciprocal_rank_lies_between_best_and_worst_place(g: int, m: int) -> None:
    err = expected_reciprocal_rank(g, m)
    assert 1 / (g + m) - 1e-15 <= err <= 1 / (g + 1) + 1e-15


def test_filter_never_removes_the_answer_itself() -> None:
    row = rank_metrics(np.array([0.0, 5.0, 1.0]), 2, {1, 2})
    assert row.tolist() == [1.0, 1.0, 1.0, 1.0]


def tiny() -> TkgDataset:
    """4 entities, 1 relation, one fact per step; the test step 3 asks (0, 0, ?) and (?, 0, 1)."""
    def q(rows: list[tuple[int, int, int, int]]) -> Quads:
        a = np.array(rows, dtype=np.int64)
        return Quads(a[:, 0], a[:, 1], a[:, 2], a[:, 3])
    train = q([(0, 0, 2, 0), (0, 0, 1, 1)])
    valid = q([(0, 0, 2, 2)])
    # test step 3: (0, 0, 1) and (0, 0, 3); both are answers of (0, 0, ?) at step 3
    test = q([(0, 0, 1, 3), (0, 0, 3, 3)])
    return TkgDataset("tiny", train, valid, test, 4, 1, 1)


def test_strict_baseline_ranks_on_a_hand_made_graph() -> None:
    ds = tiny()
    p = RecurrencyParams.uniform(2, 1.0)  # weight of a fact k steps old: 2^-k

    def scorer(h, q, t):  # type: ignore[no-untyped-def]
        return baseline_scores(h, q, t, ds.n_entities, p)

    run = run_split(ds, "test", scorer)
    # (0,0,?) at step 3: psi(2) = 2^-3 + 2^-1 = .625 > psi(1) = 2^-2 = .25 > 0 = psi(3)
    # answer 1: entity 2 above it, 3 filtered -> rank 2; answer 3: 2 and 1 above... but 1 is
    # filtered, so 2 above, then 3 ties with 0 at score 0 -> ranks 2 or 3 -> rr (1/2+1/3)/2
    # head queries (1, inv, ?): only 0 was ever a subject of 1 -> rank 1;
    # (3, inv, ?): 3 never seen -> all four tie at 0 (none filtered but 0 is the answer) -> mean 1/k
    want = [1 / 2, (1 / 2 + 1 / 3) / 2, 1.0, (1 + 1 / 2 + 1 / 3 + 1 / 4) / 4]
    assert run.metrics[:, 0].tolist() == pytest.approx(want)
    assert summarise_ranks(run.metrics).n_queries == 4


def test_history_includes_earlier_test_steps() -> None:
    ds = tiny()
    later = Quads(np.array([0, 0]), np.array([0, 0]), np.array([3, 1]), np.array([3, 4]))
    ds = TkgDataset("tiny", ds.train, ds.valid, later, 4, 1, 1)
    p = RecurrencyParams.uniform(2, 1.0)
    run = run_split(ds, "test", lambda h, q, t: baseline_scores(h, q, t, 4, p))
    # at step 4, (0, 0, 3) from step 3 weighs 2^-1 = .5 > psi(1) = 2^-3: answer 1 ranks 3rd
    # behind 3 (.5) and 2 (2^-4 + 2^-2 = .3125)
    assert run.metrics[1, 0] == pytest.approx(1 / 3)


@settings(deadline=None)
@given(st.integers(1, 6), st.floats(0, 2), st.floats(0, 1))
def test_baseline_scores_are_probability_like(n: int, lam: float, alpha: float) -> None:
    rng = np.random.default_rng(n)
    ds = tiny()
    from tightrope.events.forecast_recurrency import History
    from tightrope.events.forecast_tkg import with_inverses
    h = History(with_inverses(Quads.concat([ds.train, ds.valid]), 1)).before(3)
    q = Quads(rng.integers(0, 4, n), rng.integers(0, 2, n), rng.integers(0, 4, n),
              np.full(n, 3))
    s = baseline_scores(h, q, 3, 4, RecurrencyParams.uniform(2, lam, alpha))
    assert (s >= 0).all()
    assert (s.sum(axis=1) <= 1 + 1e-9).all()


def test_load_tkg_reports_the_bad_line(tmp_path: Path) -> None:
    (tmp_path / "stat.txt").write_text("3 1 0\n")
    (tmp_path / "train.txt").write_text("0\t0\t1\t0\n0\t0\tx\t24\n")
    (tmp_path / "valid.txt").write_text("0\t0\t1\t48\n")
    (tmp_path / "test.txt").write_text("0\t0\t1\t72\n")
    with pytest.raises(InputError, match=r"train.txt:2: expected four integers"):
        load_tkg(tmp_path)
    (tmp_path / "train.txt").write_text("0\t0\t1\t0\n0\t0\t1\t24\n")
    ds = load_tkg(tmp_path)
    assert ds.granularity == 24
    assert ds.test.t.tolist() == [3]


def test_predictions_file_has_one_line_per_query_in_the_issue_format(tmp_path: Path) -> None:
    ds = TkgDataset("tiny", tiny().train, tiny().valid, tiny().test, 4, 1, 24)
    p = RecurrencyParams.uniform(2, 1.0)
    run = run_split(ds, "test", lambda h, q, t: baseline_scores(h, q, t, 4, p), keep_top=True)
    assert run.top is not None
    out = tmp_path / "p.jsonl"
    assert write_predictions(out, ds, run.top) == 4
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["direction"] for r in rows] == ["tail", "tail", "head", "head"]
    assert rows[0] == {"subject": 0, "relation": 0, "time": 72, "direction": "tail",
                       "answer": 1, "ranked": [2, 1, 0, 3]}
    # head query of fact (0, 0, 3): subject holds the known object 3, answer the subject 0
    assert (rows[3]["subject"], rows[3]["relation"], rows[3]["answer"]) == (3, 0, 0)
    assert all(sorted(r["ranked"]) == [0, 1, 2, 3] for r in rows)
