"""Temporal-knowledge-graph forecasting data and its time-aware filtered ranking metric.

A temporal knowledge graph (TKG) is a list of quadruples (subject, relation, object, time)
with integer ids. The forecasting task (single-step extrapolation) asks, for every test
quadruple (s, r, o, t), for a ranking of all entities as the answer of (s, r, ?, t) and of
(?, r, o, t); the second query is written as (o, r + R, ?, t) with the inverse relation
r + R, R the number of relations, as in RE-GCN (Li et al. 2021) and the recurrency
baselines of Gastinger et al. (2024).

*Time-aware filtered* ranking: other entities that are also true answers of the same query
at the same time step (other test facts of that step) are removed before the true answer is
ranked. Ties are broken at random in the published protocol; :func:`rank_metrics` returns
the *expectation* of the reciprocal rank and of Hits@k over that random order, exactly,
so a run is deterministic and equals the mean over infinitely many random tie-breaks.

Units: time steps are the dataset's own integers divided by its granularity (24 hours
for ICEWS14, so one step is a day).

References: Li et al., "Temporal Knowledge Graph Reasoning Based on Evolutional
Representation Learning", SIGIR 2021 (the time-aware filter); Gastinger et al., "History
repeats itself: A Baseline for Temporal Knowledge Graph Forecasting", IJCAI 2024, and its
corrected results table of 2025 (evaluation of tied and very small scores).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tightrope._types import BoolArray, FloatArray, IntArray
from tightrope.errors import DataUnavailableError, InputError

__all__ = [
    "HITS_AT",
    "Quads",
    "RankSummary",
    "TkgDataset",
    "expected_reciprocal_rank",
    "load_tkg",
    "rank_metrics",
    "summarise_ranks",
    "time_filter_answers",
    "with_inverses",
]

#: The k of the Hits@k figures reported with MRR.
HITS_AT = (1, 3, 10)


@dataclass(frozen=True)
class Quads:
    """Quadruples as four aligned integer columns (time in steps, see the module note)."""

    s: IntArray
    r: IntArray
    o: IntArray
    t: IntArray

    def __post_init__(self) -> None:
        n = len(self.s)
        if not (len(self.r) == len(self.o) == len(self.t) == n):
            raise ValueError("quadruple columns differ in length")

    def __len__(self) -> int:
        return len(self.s)

    def select(self, mask: BoolArray) -> Quads:
        """The quadruples where ``mask`` holds."""
        return Quads(self.s[mask], self.r[mask], self.o[mask], self.t[mask])

    @staticmethod
    def concat(parts: Iterable[Quads]) -> Quads:
        """All parts, one after the other."""
        ps = list(parts)
        return Quads(*(np.concatenate([getattr(p, c) for p in ps]) for c in "srot"))


@dataclass(frozen=True)
class TkgDataset:
    """A benchmark split: train/valid/test quadruples and the id space sizes."""

    name: str
    train: Quads
    valid: Quads
    test: Quads
    n_entities: int
    n_relations: int
    granularity: int
    relation_names: tuple[str, ...] = ()


def with_inverses(q: Quads, n_relations: int) -> Quads:
    """``q`` followed by its inverse quadruples (o, r + R, s, t).

    >>> q = Quads(np.array([1]), np.array([0]), np.array([2]), np.array([5]))
    >>> w = with_inverses(q, 3)
    >>> w.s.tolist(), w.r.tolist(), w.o.tolist()
    ([1, 2], [0, 3], [2, 1])
    """
    return Quads(
        np.concatenate([q.s, q.o]),
        np.concatenate([q.r, q.r + n_relations]),
        np.concatenate([q.o, q.s]),
        np.concatenate([q.t, q.t]),
    )


def _read_split(path: Path, n_entities: int, n_relations: int) -> IntArray:
    rows: list[list[int]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            fields = line.split()
            if not fields:
                continue
            try:
                s, r, o, t = (int(x) for x in fields[:4])
            except ValueError:
                raise InputError(
                    f"{path}:{lineno}: expected four integers 'subject relation object time', "
                    f"found {line.strip()[:60]!r}", source=str(path), where=f"line {lineno}",
                ) from None
            if not (0 <= s < n_entities and 0 <= o < n_entities and 0 <= r < n_relations
                    and t >= 0):
                raise InputError(
                    f"{path}:{lineno}: id outside the ranges of stat.txt "
                    f"({n_entities} entities, {n_relations} relations) or negative time",
                    source=str(path), where=f"line {lineno}",
                )
            rows.append([s, r, o, t])
    if not rows:
        raise InputError(f"{path}: no quadruples", source=str(path))
    return np.asarray(rows, dtype=np.int64)


def _granularity(times: IntArray) -> int:
    steps = np.unique(times)
    g = 0
    for d in np.diff(steps).tolist():
        g = math.gcd(g, int(d))
    return max(g, 1)


def load_tkg(directory: Path) -> TkgDataset:
    """Read a benchmark folder in RE-GCN form (``train/valid/test.txt``, ``stat.txt``).

    Times are divided by the dataset's granularity (the gcd of the gaps between its time
    stamps), so a step is one snapshot.
    """
    stat = directory / "stat.txt"
    if not stat.is_file():
        raise DataUnavailableError(f"{stat}: not found (a TKG benchmark folder holds "
                                   "stat.txt and train/valid/test.txt)")
    fields = stat.read_text(encoding="utf-8").split()
    try:
        n_ent, n_rel = int(fields[0]), int(fields[1])
    except (IndexError, ValueError):
        raise InputError(f"{stat}: expected 'n_entities n_relations'", source=str(stat)) from None
    raw = {}
    for split in ("train", "valid", "test"):
        path = directory / f"{split}.txt"
        if not path.is_file():
            raise DataUnavailableError(f"{path}: not found")
        raw[split] = _read_split(path, n_ent, n_rel)
    all_t = np.concatenate([a[:, 3] for a in raw.values()]).astype(np.int64)
    gran = _granularity(all_t)

    def quads(a: IntArray) -> Quads:
        return Quads(a[:, 0].copy(), a[:, 1].copy(), a[:, 2].copy(), a[:, 3] // gran)

    names: tuple[str, ...] = ()
    rel_file = directory / "relation2id.txt"
    if rel_file.is_file():
        by_id = {}
        for line in rel_file.read_text(encoding="utf-8").splitlines():
            name, _, rid = line.rpartition("\t")
            if name and rid.strip().isdigit():
                by_id[int(rid)] = name
        if sorted(by_id) == list(range(n_rel)):
            names = tuple(by_id[i] for i in range(n_rel))
    return TkgDataset(directory.name, quads(raw["train"]), quads(raw["valid"]),
                      quads(raw["test"]), n_ent, n_rel, gran, names)


def time_filter_answers(queries: Quads) -> dict[tuple[int, int, int], set[int]]:
    """All true answers of each (subject, relation, time) among ``queries``.

    ``queries`` already holds the inverse quadruples, so one table serves both directions.
    """
    answers: dict[tuple[int, int, int], set[int]] = {}
    for s, r, o, t in zip(queries.s.tolist(), queries.r.tolist(), queries.o.tolist(),
                          queries.t.tolist(), strict=True):
        answers.setdefault((s, r, t), set()).add(o)
    return answers


def expected_reciprocal_rank(greater: int, tied: int) -> float:
    """Mean of 1/rank when the answer sits at a random place among ``tied`` equal scores.

    ``greater`` candidates score above the answer; ``tied`` counts the answer and every
    candidate with the same score (``tied`` >= 1).

    >>> expected_reciprocal_rank(0, 1), expected_reciprocal_rank(1, 2)
    (1.0, 0.41666666666666663)
    """
    if tied < 1 or greater < 0:
        raise ValueError("tied >= 1 and greater >= 0 expected")
    ks = np.arange(greater + 1, greater + tied + 1, dtype=np.float64)
    return float(np.mean(1.0 / ks))


def rank_metrics(scores: FloatArray, answer: int, filtered: Iterable[int]) -> FloatArray:
    """Expected reciprocal rank and Hits@1/3/10 of ``answer`` under ``scores``.

    ``filtered`` are the other true answers at the same time step: they are removed
    (the answer itself is never removed). Ties are broken uniformly at random and the
    expectation over that order is returned, as ``[rr, hits1, hits3, hits10]``.
    """
    keep = np.ones(len(scores), dtype=bool)
    for e in filtered:
        if e != answer:
            keep[e] = False
    target = scores[answer]
    live = scores[keep]
    greater = int(np.count_nonzero(live > target))
    tied = int(np.count_nonzero(live == target))
    out = np.empty(1 + len(HITS_AT))
    out[0] = expected_reciprocal_rank(greater, tied)
    for i, k in enumerate(HITS_AT, 1):
        out[i] = min(max(k - greater, 0), tied) / tied
    return out


@dataclass(frozen=True)
class RankSummary:
    """Mean reciprocal rank and Hits@k over a set of queries, as fractions in [0, 1]."""

    mrr: float
    hits: tuple[float, ...]
    n_queries: int

    def line(self, label: str) -> str:
        """One line with the figures in percent, the way the literature prints them."""
        hits = "  ".join(f"H@{k} {100 * h:5.2f}" for k, h in zip(HITS_AT, self.hits, strict=True))
        return f"{label:<28} MRR {100 * self.mrr:5.2f}  {hits}  ({self.n_queries} queries)"


def summarise_ranks(rows: FloatArray) -> RankSummary:
    """Average the ``[rr, hits1, hits3, hits10]`` rows of :func:`rank_metrics`."""
    if len(rows) == 0:
        raise ValueError("no queries to summarise")
    mean = rows.mean(axis=0)
    return RankSummary(float(mean[0]), tuple(float(x) for x in mean[1:]), len(rows))
