"""Run a scorer over a split of a TKG benchmark, step by step, with time-aware filtering.

A scorer receives the history before step t (inverses included) and the queries of step t,
and returns dense scores (queries x entities). The history for split ``valid`` is train
plus valid facts of earlier steps; for ``test`` it is train, valid and earlier test facts
(single-step protocol; see :mod:`tightrope.events.forecast_tkg`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tightrope._types import FloatArray, IntArray
from tightrope.events.forecast_recurrency import History
from tightrope.events.forecast_tkg import (
    Quads,
    TkgDataset,
    rank_metrics,
    with_inverses,
)

__all__ = ["Scorer", "SplitRun", "history_for", "queries_for", "run_split", "snapshots",
           "write_predictions"]

#: scores = scorer(history before t, queries at t, t)
Scorer = Callable[[pd.DataFrame, Quads, int], FloatArray]

#: Candidates written per query in a predictions file.
TOP_WRITTEN = 100


def queries_for(ds: TkgDataset, split: str) -> Quads:
    """The queries of a split: its facts followed by their inverses (head queries)."""
    q = {"train": ds.train, "valid": ds.valid, "test": ds.test}[split]
    return with_inverses(q, ds.n_relations)


def history_for(ds: TkgDataset, split: str) -> History:
    """Every fact a query of ``split`` may look at (those before its step), with inverses."""
    parts = {"train": [ds.train], "valid": [ds.train, ds.valid],
             "test": [ds.train, ds.valid, ds.test]}[split]
    return History(with_inverses(Quads.concat(parts), ds.n_relations))


def snapshots(q: Quads) -> Iterator[tuple[int, IntArray]]:
    """Each distinct step of ``q`` in order, with the indices of its queries."""
    order = np.argsort(q.t, kind="stable")
    steps, starts = np.unique(q.t[order], return_index=True)
    bounds = [*starts.tolist(), len(order)]
    for i, t in enumerate(steps.tolist()):
        yield int(t), order[bounds[i]: bounds[i + 1]]


@dataclass(frozen=True)
class SplitRun:
    """Per-query metric rows ``[rr, h1, h3, h10]`` and, when asked, the top candidates."""

    metrics: FloatArray
    top: list[list[int]] | None


def run_split(ds: TkgDataset, split: str, scorer: Scorer, *, keep_top: bool = False,
              history: History | None = None) -> SplitRun:
    """Score every query of ``split`` and rank its answer with the time-aware filter."""
    q = queries_for(ds, split)
    hist = history if history is not None else history_for(ds, split)
    rows = np.zeros((len(q), 4))
    top: list[list[int]] | None = [[] for _ in range(len(q))] if keep_top else None
    for t, idx in snapshots(q):
        qt = q.select(np.isin(np.arange(len(q)), idx))
        # keep the order of idx (select keeps ascending order; idx from a stable sort is too)
        idx = np.sort(idx)
        scores = scorer(hist.before(t), qt, t)
        answers: dict[tuple[int, int], set[int]] = {}
        for s, r, o in zip(qt.s.tolist(), qt.r.tolist(), qt.o.tolist(), strict=True):
            answers.setdefault((s, r), set()).add(o)
        for j, (s, r, o) in enumerate(zip(qt.s.tolist(), qt.r.tolist(), qt.o.tolist(),
                                          strict=True)):
            rows[idx[j]] = rank_metrics(scores[j], o, answers[(s, r)])
            if top is not None:
                best = np.argsort(-scores[j], kind="stable")[:TOP_WRITTEN]
                top[idx[j]] = [int(e) for e in best if scores[j, e] > -np.inf]
    return SplitRun(rows, top)


def write_predictions(path: Path, ds: TkgDataset, top: list[list[int]],
                      split: str = "test") -> int:
    """One JSON line per query of ``split``, in query order (the split's facts as tail
    queries, then the same facts as head queries): ``subject`` (the known entity: s for
    "tail", o for "head"), ``relation`` (the dataset's id, never the inverse id), ``time``
    (the dataset's own time value), ``direction``, ``answer`` and ``ranked`` (the top
    candidates of the unfiltered ranking, best first). Returns the number of lines."""
    q = queries_for(ds, split)
    n = len(q) // 2
    with path.open("w", encoding="utf-8") as fh:
        for i in range(len(q)):
            head = i >= n
            fh.write(json.dumps({
                "subject": int(q.s[i]),
                "relation": int(q.r[i]) - (ds.n_relations if head else 0),
                "time": int(q.t[i]) * ds.granularity,
                "direction": "head" if head else "tail",
                "answer": int(q.o[i]),
                "ranked": top[i],
            }) + "\n")
    return len(q)
