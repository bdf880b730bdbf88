"""Scenario discovery with PRIM: boxes of futures where a strategy fails.

The Patient Rule Induction Method (Friedman & Fisher 1999) finds an axis-aligned box in the
space of uncertainties where cases of interest (here: futures where a strategy fails) are
dense. Starting from the box holding every future it **peels**: for each dimension j it
considers removing the ``α`` share of the points in the box with the lowest (or highest) x_j
and takes the peel with the best objective. With the *lenient* objective of Kwakkel & Jaxa-
Rozen (2016), the gain in box mean per point removed,

    obj = (ȳ_new − ȳ_old) / (n_old − n_new),

peeling stops when no peel raises the mean or the box would hold less than ``mass_min`` of
the data. **Pasting** then widens a restricted limit by the nearest ``α_paste`` share of points
while that raises the mean. Every intermediate box is kept: the *peeling trajectory* trades
**coverage** (share of all cases of interest inside the box) against **density** (share of
cases of interest among the futures inside) (Bryant & Lempert 2010). The reported box is the
one with the highest coverage among those restricting at least one dimension with density
>= ``max(threshold, b + (1 − b) / 2)``, b the share of cases of interest in all the data: when
failures are common, a box must be much denser than the data to say anything.

For each restricted dimension a **quasi-p-value** (Bryant & Lempert 2010) tests whether the
restriction matters: the one-sided binomial probability of at least the box's cases given the
density of the box without that restriction. With hundreds of uncertainties PRIM also peels
dimensions that only help by chance: by default PRIM peels only the dimensions whose
distribution differs between cases and non-cases (a Kolmogorov–Smirnov test, Bonferroni-
corrected — a simple form of the feature screening EMA Workbench users do before PRIM), and
the chosen box is then **pruned**: a restriction whose
quasi-p-value exceeds ``max_qp`` (0.05) is dropped, least significant first, as long as the box
stays as dense as required; coverage and density are those of the pruned box.

:func:`prim_ema` runs EMA Workbench's PRIM (Kwakkel 2017) on the same data and returns the
same result type, for cross-checks (tests, benchmark); it needs the ``dev`` extra.

References: Friedman & Fisher (1999), "Bump hunting in high-dimensional data", *Statistics and
Computing* 9, 123–143; Bryant & Lempert (2010), "Thinking inside the box", *Technological
Forecasting & Social Change* 77, 34–49; Kwakkel & Jaxa-Rozen (2016), "Improving scenario
discovery for handling heterogeneous uncertainties and multinomial classified outcomes",
*Environmental Modelling & Software* 79, 311–321; Kwakkel (2017), "The Exploratory Modeling
Workbench", *Environmental Modelling & Software* 96, 239–250.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tightrope._types import BoolArray, FloatArray

__all__ = ["PrimResult", "PrimStep", "Restriction", "prim", "prim_ema", "screen"]

Objective = Literal["lenient1", "original"]


@dataclass(frozen=True)
class PrimStep:
    """One box on the trajectory: limits per dimension and its statistics."""

    coverage: float
    density: float
    mass: float
    n: int
    res_dim: int
    lows: FloatArray = field(repr=False)
    highs: FloatArray = field(repr=False)


@dataclass(frozen=True)
class Restriction:
    """A restricted dimension of a box: its limits, the full range and the quasi-p-value."""

    name: str
    low: float
    high: float
    full_low: float
    full_high: float
    qp: float

    def describe(self) -> str:
        lo = self.low > self.full_low
        hi = self.high < self.full_high
        if lo and hi:
            return f"{self.low:.3g} <= {self.name} <= {self.high:.3g}"
        return f"{self.name} >= {self.low:.3g}" if lo else f"{self.name} <= {self.high:.3g}"


@dataclass
class PrimResult:
    """The peeling/pasting trajectory and the chosen box."""

    names: list[str]
    trajectory: list[PrimStep]
    chosen: int
    restrictions: list[Restriction]
    n_cases: int
    n_interest: int
    threshold: float
    definition: str = ""
    meets_threshold: bool = True
    backend: str = "tightrope"
    final: PrimStep | None = None
    dropped: list[str] = field(default_factory=list)
    screened: list[str] = field(default_factory=list)  # [] = every dimension was peeled

    @property
    def box(self) -> PrimStep:
        """The reported box: the chosen trajectory box after insignificant restrictions
        were dropped."""
        return self.final if self.final is not None else self.trajectory[self.chosen]

    def to_json(self) -> dict[str, Any]:
        b = self.box
        return {
            "definition": self.definition, "backend": self.backend,
            "cases": self.n_cases, "cases_of_interest": self.n_interest,
            "base_density": self.n_interest / self.n_cases if self.n_cases else 0.0,
            "density_threshold": self.threshold, "meets_threshold": self.meets_threshold,
            "dropped_restrictions": self.dropped,
            "screened_dimensions": self.screened or "all",
            "box": {"index": self.chosen, "coverage": b.coverage, "density": b.density,
                    "mass": b.mass, "n": b.n, "restricted_dimensions": b.res_dim,
                    "limits": [{"name": r.name, "low": r.low, "high": r.high,
                                "full_low": r.full_low, "full_high": r.full_high,
                                "quasi_p": r.qp, "rule": r.describe()}
                               for r in self.restrictions]},
            "trajectory": [{"coverage": s.coverage, "density": s.density, "mass": s.mass,
                            "restricted_dimensions": s.res_dim} for s in self.trajectory],
        }


class _State:
    """Data and bookkeeping shared by the peeling and pasting phases."""

    def __init__(self, x: FloatArray, y: NDArray[np.bool_]) -> None:
        self.x, self.y = x, y.astype(np.float64)
        self.n, self.total = len(y), float(y.sum())
        self.full_lo, self.full_hi = x.min(axis=0), x.max(axis=0)

    def step(self, lo: FloatArray, hi: FloatArray, inside: NDArray[np.bool_]) -> PrimStep:
        m = int(inside.sum())
        k = float(self.y[inside].sum())
        res = int(np.sum((lo > self.full_lo) | (hi < self.full_hi)))
        return PrimStep(k / self.total, k / m if m else 0.0, m / self.n, m, res, lo.copy(),
                        hi.copy())


def _score(mean_new: FloatArray, mean_old: float, removed: FloatArray, objective: Objective
           ) -> FloatArray:
    if objective == "original":
        return np.where(mean_new > mean_old, mean_new, -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(removed != 0, (mean_new - mean_old) / np.abs(removed), -np.inf)
    return out


def _peel(st: _State, lo: FloatArray, hi: FloatArray, inside: NDArray[np.bool_], alpha: float,
          mass_min: float, objective: Objective) -> bool:
    """One peel in place; False when no admissible peel raises the objective."""
    xb, yb = st.x[inside], st.y[inside]
    m = len(yb)
    mean_old = float(yb.mean())
    qlo = np.quantile(xb, alpha, axis=0)
    qhi = np.quantile(xb, 1 - alpha, axis=0)
    keep = np.concatenate([xb >= qlo, xb <= qhi], axis=1)  # (m, 2d): lower peels, upper peels
    c = keep.sum(axis=0).astype(np.float64)
    s = yb @ keep
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_new = np.where(c > 0, s / c, 0.0)
    score = _score(mean_new, mean_old, m - c, objective)
    score[(c >= m) | (c / st.n < mass_min)] = -np.inf
    restricted = np.tile((lo > st.full_lo) | (hi < st.full_hi), 2)
    # best score; ties go to dimensions already restricted (simpler boxes), then lowest index
    order = np.lexsort((np.arange(score.size), ~restricted, -score))
    best = int(order[0])
    if not np.isfinite(score[best]) or score[best] <= (0 if objective == "lenient1" else -1):
        return False
    d = st.x.shape[1]
    j = best % d
    if best < d:
        lo[j] = qlo[j]
    else:
        hi[j] = qhi[j]
    inside &= (st.x[:, j] >= lo[j]) & (st.x[:, j] <= hi[j])
    return True


def _paste(st: _State, lo: FloatArray, hi: FloatArray, inside: NDArray[np.bool_], alpha: float,
           objective: Objective) -> bool:
    """One paste in place; False when no paste raises the box mean."""
    m = int(inside.sum())
    mean_old = float(st.y[inside].mean())
    k = max(1, math.ceil(alpha * m))
    in_dim = (st.x >= lo) & (st.x <= hi)  # (n, d)
    out_count = (~in_dim).sum(axis=1)
    best: tuple[float, int, float, bool] | None = None
    for j in np.nonzero((lo > st.full_lo) | (hi < st.full_hi))[0]:
        only_j = (out_count == 1) & ~in_dim[:, j]  # inside on every other dimension
        for upper in (False, True):
            side = only_j & ((st.x[:, j] > hi[j]) if upper else (st.x[:, j] < lo[j]))
            xs = np.sort(st.x[side, j]) if upper else -np.sort(-st.x[side, j])
            if xs.size == 0:
                continue
            limit = float(xs[min(k, xs.size) - 1])
            add = side & ((st.x[:, j] <= limit) if upper else (st.x[:, j] >= limit))
            c = m + int(add.sum())
            mean_new = (float(st.y[inside].sum()) + float(st.y[add].sum())) / c
            sc = float(_score(np.asarray([mean_new]), mean_old, np.asarray([m - c]),
                              objective)[0])
            if mean_new > mean_old and sc > 0 and (best is None or sc > best[0]):
                best = (sc, int(j), limit, upper)
    if best is None:
        return False
    _, jj, limit, upper = best
    if upper:
        hi[jj] = limit
    else:
        lo[jj] = limit
    inside[:] = np.all((st.x >= lo) & (st.x <= hi), axis=1)
    return True


def _quasi_p(st: _State, b: PrimStep) -> list[tuple[int, float]]:
    from scipy.stats import binom

    inside = np.all((st.x >= b.lows) & (st.x <= b.highs), axis=1)
    k = int(st.y[inside].sum())
    out = []
    for j in np.nonzero((b.lows > st.full_lo) | (b.highs < st.full_hi))[0]:
        lo, hi = b.lows.copy(), b.highs.copy()
        lo[j], hi[j] = st.full_lo[j], st.full_hi[j]
        wide = np.all((st.x >= lo) & (st.x <= hi), axis=1)
        p0 = float(st.y[wide].mean())
        out.append((int(j), float(binom.sf(k - 1, b.n, p0)) if p0 < 1 else 1.0))
    return out


def _choose(traj: list[PrimStep], threshold: float) -> tuple[int, bool]:
    ok = [i for i, s in enumerate(traj) if s.density >= threshold and s.res_dim > 0]
    if ok:
        return max(ok, key=lambda i: (traj[i].coverage, -traj[i].res_dim, -i)), True
    return max(range(len(traj)), key=lambda i: (traj[i].density, traj[i].coverage)), False


def _prune(st: _State, b: PrimStep, max_qp: float | None, threshold: float
           ) -> tuple[PrimStep, list[int], list[tuple[int, float]]]:
    """Drop the least significant restriction while its quasi-p-value exceeds ``max_qp`` and
    the box stays at least ``threshold`` dense (Bryant & Lempert 2010: fewer dimensions, same
    story); at least one restriction is kept."""
    dropped: list[int] = []
    qps = _quasi_p(st, b)
    while max_qp is not None and len(qps) > 1:
        cands = sorted((t for t in qps if t[1] > max_qp), key=lambda t: (-t[1], t[0]))
        for j, _ in cands:
            lo, hi = b.lows.copy(), b.highs.copy()
            lo[j], hi[j] = st.full_lo[j], st.full_hi[j]
            wider = st.step(lo, hi, np.all((st.x >= lo) & (st.x <= hi), axis=1))
            if wider.density >= min(threshold, b.density):
                b = wider
                dropped.append(j)
                qps = _quasi_p(st, b)
                break
        else:
            break
    return b, dropped, qps


def _result(st: _State, names: Sequence[str], traj: list[PrimStep], threshold: float,
            definition: str, backend: str, max_qp: float | None) -> PrimResult:
    base = st.total / st.n
    threshold = max(threshold, base + (1 - base) / 2)
    chosen, ok = _choose(traj, threshold)
    b, dropped, qps = _prune(st, traj[chosen], max_qp, threshold)
    rs = [Restriction(names[j], float(b.lows[j]), float(b.highs[j]), float(st.full_lo[j]),
                      float(st.full_hi[j]), qp) for j, qp in qps]
    rs.sort(key=lambda r: (r.qp, r.name))
    return PrimResult(list(names), traj, chosen, rs, st.n, int(st.total), threshold,
                      definition, ok, backend, b, [names[j] for j in dropped])


def _check(x: FloatArray, y: BoolArray, names: Sequence[str]) -> tuple[FloatArray, BoolArray]:
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=bool)
    if xa.ndim != 2 or ya.shape != (xa.shape[0],) or xa.shape[1] != len(names):
        raise ValueError("x must be (n, d), y (n,) and names d long")
    if not ya.any():
        raise ValueError("no case of interest: PRIM needs at least one")
    return xa, ya


def screen(x: FloatArray, y: NDArray[np.bool_], level: float = 0.05, fallback: int = 5
           ) -> NDArray[np.intp]:
    """Columns whose distribution differs between cases and the rest: two-sample
    Kolmogorov–Smirnov test, Bonferroni-corrected at ``level``; if none passes (small samples),
    the ``fallback`` columns with the smallest p-values."""
    from scipy.stats import ks_2samp

    d = x.shape[1]
    if y.all() or not y.any():
        return np.arange(d)
    pv = np.atleast_1d(ks_2samp(x[y], x[~y], axis=0).pvalue)
    keep = np.nonzero(pv < level / d)[0]
    if keep.size == 0:
        keep = np.sort(np.argsort(pv, kind="stable")[:min(fallback, d)])
    out: NDArray[np.intp] = keep.astype(np.intp)
    return out


def prim(x: FloatArray, y: NDArray[np.bool_], names: Sequence[str], *, peel_alpha: float = 0.05,
         paste_alpha: float = 0.05, mass_min: float = 0.05, threshold: float = 0.8,
         objective: Objective = "lenient1", paste: bool = True, max_qp: float | None = 0.05,
         screening: bool = True, definition: str = "") -> PrimResult:
    """Find one PRIM box for cases ``y`` (bool, n) over inputs ``x`` (n, d).

    With ``screening`` PRIM only peels the dimensions that :func:`screen` keeps: with hundreds
    of uncertainties and a few hundred futures, peeling every dimension finds boxes with dozens
    of restrictions that help by chance; screening trades a little density for boxes one can
    read. ``PrimResult.screened`` lists the dimensions considered.

    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((2000, 3))
    >>> r = prim(x, (x[:, 0] > 0.7) & (x[:, 2] < 0.5), ["a", "b", "c"])
    >>> sorted(q.name for q in r.restrictions), r.box.coverage > 0.8, r.box.density > 0.8
    (['a', 'c'], True, True)
    """
    xa, ya = _check(x, y, names)
    cols = screen(xa, ya) if screening else np.arange(xa.shape[1])
    sub = [names[j] for j in cols]
    st = _State(xa[:, cols], ya)
    lo, hi = st.full_lo.copy(), st.full_hi.copy()
    inside = np.ones(st.n, dtype=bool)
    traj = [st.step(lo, hi, inside)]
    while _peel(st, lo, hi, inside, peel_alpha, mass_min, objective):
        traj.append(st.step(lo, hi, inside))
    if paste:
        while _paste(st, lo, hi, inside, paste_alpha, objective):
            traj.append(st.step(lo, hi, inside))
    res = _result(st, sub, traj, threshold, definition, "tightrope", max_qp)
    res.screened = sub if len(sub) < len(names) else []
    return res


def prim_ema(x: FloatArray, y: NDArray[np.bool_], names: Sequence[str], *, peel_alpha: float = 0.05,
             paste_alpha: float = 0.05, mass_min: float = 0.05, threshold: float = 0.8,
             max_qp: float | None = 0.05, definition: str = "") -> PrimResult:
    """The same analysis through EMA Workbench 2.5.3's ``Prim`` (``pip install
    ema-workbench``); its import-time and pandas-deprecation warnings are silenced here only."""
    import pandas as pd

    xa, ya = _check(x, y, names)
    p4 = getattr(pd.errors, "Pandas4Warning", FutureWarning)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed")
        warnings.filterwarnings("ignore", message="altair based interactive inspection",
                                category=ImportWarning)
        warnings.filterwarnings("ignore", category=p4, module=r"ema_workbench\.")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"ema_workbench\.")
        from ema_workbench.analysis import prim as ema

        frame = pd.DataFrame(xa, columns=list(names))
        pr = ema.Prim(frame, ya.astype(int), threshold=threshold, peel_alpha=peel_alpha,
                      paste_alpha=paste_alpha, mass_min=mass_min)
        box = pr.find_box()
        pt = box.peeling_trajectory
        lims = [np.asarray(bl[list(names)].to_numpy(dtype=np.float64)) for bl in box.box_lims]
    st = _State(xa, ya)
    traj = [PrimStep(float(r.coverage), float(r.density), float(r.mass), int(r.n),
                     int(r.res_dim), lim[0], lim[1])
            for r, lim in zip(pt.itertuples(), lims, strict=True)]
    return _result(st, names, traj, threshold, definition, "ema_workbench", max_qp)
