"""A learned re-ranker over recurrency candidates, and the hyper-parameter search of the baselines.

Model: for every query, candidates come from the history (see
:func:`tightrope.events.forecast_recurrency.candidate_frame`); a gradient-boosted tree
classifier (scikit-learn ``HistGradientBoostingClassifier``) learns from training-split
queries which candidate is the answer, from recency, frequency and co-occurrence features.
Entities outside the candidate set rank below every candidate, in the order of the
relation's object distribution xi. Trained on the last training steps (history = earlier
training facts only); its settings are chosen on the validation split; the test split is
never looked at.

This is a pointwise learning-to-rank model in the spirit of the feature-based recurrency
models; it learns how much to trust recency, frequency and relaxed (any-relation, reciprocal)
matches per kind of relation, which the fixed formulas of Gastinger et al. (2024) cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from tightrope._types import FloatArray, IntArray
from tightrope.events.forecast_eval import (
    Scorer,
    history_for,
    queries_for,
    run_split,
    snapshots,
)
from tightrope.events.forecast_recurrency import (
    FEATURES,
    RecurrencyParams,
    baseline_scores,
    candidate_frame,
    recurrence_rate,
)
from tightrope.events.forecast_tkg import Quads, TkgDataset, with_inverses

__all__ = [
    "ALPHA_GRID",
    "LAMBDA_GRID",
    "RankerSettings",
    "fit_ranker",
    "ranker_scorer",
    "relation_groups",
    "select_baseline",
    "with_train",
]

#: Grids searched on the validation split (lambda per step, alpha weight of psi).
LAMBDA_GRID = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
ALPHA_GRID = (0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 0.99999, 1.0)


def _per_relation(choices: Sequence[float], rr: dict[float, FloatArray], rel: FloatArray,
                  n_rel2: int) -> FloatArray:
    best = max(choices, key=lambda c: float(rr[c].mean()))
    out = np.full(n_rel2, best)
    for r in np.unique(rel).astype(int).tolist():
        m = rel == r
        out[r] = max(choices, key=lambda c: (float(rr[c][m].mean()), c == best))
    return out


def select_baseline(ds: TkgDataset) -> tuple[RecurrencyParams, RecurrencyParams]:
    """The strict (psi) and combined (psi + xi) baselines tuned on the validation split.

    As Gastinger et al. (2024): lambda per relation first, with psi alone, then alpha per
    relation with that lambda; a relation absent from the validation split keeps the value
    best over all relations.
    """
    n2 = 2 * ds.n_relations
    rel = queries_for(ds, "valid").r.astype(np.float64)
    hist = history_for(ds, "valid")

    def mrr_rows(p: RecurrencyParams) -> FloatArray:
        def scorer(h: pd.DataFrame, q: Quads, t: int) -> FloatArray:
            return baseline_scores(h, q, t, ds.n_entities, p)
        return run_split(ds, "valid", scorer, history=hist).metrics[:, 0]

    rr = {lam: mrr_rows(RecurrencyParams.uniform(n2, lam)) for lam in LAMBDA_GRID}
    lam = _per_relation(LAMBDA_GRID, rr, rel, n2)
    ra = {a: mrr_rows(RecurrencyParams(lam, np.full(n2, a))) for a in ALPHA_GRID}
    alpha = _per_relation(ALPHA_GRID, ra, rel, n2)
    return RecurrencyParams(lam, np.ones(n2)), RecurrencyParams(lam, alpha)


@dataclass(frozen=True)
class RankerSettings:
    """Settings of the learned ranker (chosen on the validation split)."""

    train_steps: int = 40
    max_queries_per_step: int = 300
    max_iter: int = 300
    learning_rate: float = 0.08
    max_leaf_nodes: int = 31
    seed: int = 0


def relation_groups(ds: TkgDataset) -> IntArray:
    """CAMEO root of each relation id (inverse ids: root + 100); unmatched names keep their id
    (offset by 1000) so that they form groups of their own."""
    from tightrope.ingest.cameo import cameo_table

    table = cameo_table()
    out = np.empty(2 * ds.n_relations, dtype=np.int64)
    for r in range(ds.n_relations):
        name = ds.relation_names[r] if r < len(ds.relation_names) else ""
        code = table.code_for_label(name) if name else None
        g = int(code[:2]) if code else 1000 + r
        out[r], out[r + ds.n_relations] = g, g + 100 if g < 1000 else g + ds.n_relations
    return out


def _frames(ds: TkgDataset, split: str, steps: list[int] | None, rate: FloatArray,
            rng: np.random.Generator | None, cap: int) -> pd.DataFrame:
    q = queries_for(ds, split)
    hist = history_for(ds, split)
    groups = relation_groups(ds)
    out = []
    for t, idx in snapshots(q):
        if steps is not None and t not in steps:
            continue
        if rng is not None and len(idx) > cap:
            idx = np.sort(rng.choice(idx, cap, replace=False))
        qt = Quads(q.s[idx], q.r[idx], q.o[idx], q.t[idx])
        f = candidate_frame(hist.before(t), qt, t, ds.n_relations, rate, groups)
        f["label"] = (f["cand"].to_numpy() == qt.o[f["qid"].to_numpy()]).astype(np.int8)
        out.append(f)
    return pd.concat(out, ignore_index=True)


def fit_ranker(ds: TkgDataset, settings: RankerSettings) -> HistGradientBoostingClassifier:
    """Train the ranker on the last ``train_steps`` steps of the training split."""
    rate = recurrence_rate(with_train(ds), 2 * ds.n_relations)
    steps = sorted(set(ds.train.t.tolist()))[-settings.train_steps:]
    rng = np.random.default_rng(np.random.SeedSequence(settings.seed))
    df = _frames(ds, "train", steps, rate, rng, settings.max_queries_per_step)
    model = HistGradientBoostingClassifier(
        max_iter=settings.max_iter, learning_rate=settings.learning_rate,
        max_leaf_nodes=settings.max_leaf_nodes, early_stopping=False,
        random_state=settings.seed)
    # One thread: OpenMP workers spinning on a shared 2-core machine made fitting 10x slower.
    with threadpool_limits(1):
        model.fit(df[list(FEATURES)].to_numpy(dtype=np.float64), df["label"].to_numpy())
    return model


def with_train(ds: TkgDataset) -> Quads:
    """The training facts with inverses (what relation statistics may be learned from)."""
    return with_inverses(ds.train, ds.n_relations)


def ranker_scorer(ds: TkgDataset, model: HistGradientBoostingClassifier) -> Scorer:
    """A scorer: the ranker's probability for candidates, xi - 2 for every other entity."""
    rate = recurrence_rate(with_train(ds), 2 * ds.n_relations)
    fallback = RecurrencyParams.uniform(2 * ds.n_relations, 0.0, 0.0)
    groups = relation_groups(ds)

    def scorer(h: pd.DataFrame, q: Quads, t: int) -> FloatArray:
        scores = baseline_scores(h, q, t, ds.n_entities, fallback) - 2.0
        f = candidate_frame(h, q, t, ds.n_relations, rate, groups)
        if len(f):
            with threadpool_limits(1):
                p = model.predict_proba(f[list(FEATURES)].to_numpy(dtype=np.float64))[:, 1]
            scores[f["qid"].to_numpy(), f["cand"].to_numpy()] = p
        return scores

    return scorer
