"""Global sensitivity: Sobol' first- and total-order indices of an outcome, via SALib.

Variance-based sensitivity (Sobol' 1993): for an outcome Y = f(X) with independent inputs,
the **first-order** index ``S_i = V[E(Y | X_i)] / V(Y)`` is the share of the variance of Y
explained by X_i alone, and the **total-order** index ``S_Ti = E[V(Y | X_~i)] / V(Y)`` the
share involving X_i at all (alone or in interactions). ``0 <= S_i <= S_Ti <= 1`` holds for
the true indices; estimates can break it by sampling error, so confidence intervals
(bootstrap, SALib's ``conf_level``) are part of the result.

Design: SALib's Saltelli/Sobol' sequence (``N (G + 2)`` points without second-order terms;
Saltelli 2002, Saltelli et al. 2010) on the unit cube, mapped onto the ranges (log-uniform
where the file says so) — indices are invariant under these monotone maps. A scenario has
hundreds of uncertainties, so they are **grouped** (Jacques et al. 2006; SALib ``groups``):

* ``block`` (default): one group per power — its own parameters and how it takes each of our
  moves (``moves.<m>.{attitude,alignment,dependence}.<power>``) — one per shock, and the
  moves' direct gains, the reaction effects, the dynamics and the economic triggers as one
  group each;
* ``screen``: the ``top`` parameters with the largest |Spearman ρ| with the outcome in the
  Latin-hypercube experiment, one group each, and everything else as one group;
* ``parameter``: one group per uncertainty (``N (D + 2)`` points — costly for D in the
  hundreds).

References: Sobol' (1993), "Sensitivity estimates for nonlinear mathematical models",
*Math. Modelling Comput. Experiment* 1, 407–414; Saltelli (2002), "Making best use of model
evaluations to compute sensitivity indices", *Comput. Phys. Commun.* 145, 280–297; Saltelli et
al. (2010), "Variance based sensitivity analysis of model output", *Comput. Phys. Commun.* 181,
259–270; Jacques, Lavergne & Devictor (2006), *Reliab. Eng. Syst. Saf.* 91, 1126–1134;
Herman & Usher (2017), "SALib", *JOSS* 2(9), 97.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from tightrope._types import FloatArray
from tightrope.errors import InputError

__all__ = ["GroupMode", "SobolResult", "block_groups", "screen_groups", "sobol_design",
           "sobol_indices"]

GroupMode = Literal["block", "screen", "parameter"]

_BLOCKS = {"moves": "move gains", "reactions": "reaction effects",
           "dynamics": "attitude dynamics", "catastrophes": "economic trigger"}


def block_groups(names: Sequence[str]) -> list[str]:
    """One group label per parameter: ``power: russia``, ``shock: taiwan_crisis``, ...

    >>> block_groups(["powers.russia.attitude", "shocks.war.rate", "moves.x.gain",
    ...               "moves.x.attitude.china"])
    ['power: russia', 'shock: war', 'move gains', 'power: china']
    """
    out = []
    for n in names:
        parts = n.split(".")
        if parts[0] == "powers" and len(parts) > 1:
            out.append(f"power: {parts[1]}")
        elif parts[0] == "moves" and len(parts) == 4:
            out.append(f"power: {parts[3]}")
        elif parts[0] == "shocks" and len(parts) > 1:
            out.append(f"shock: {parts[1]}")
        else:
            out.append(_BLOCKS.get(parts[0], parts[0]))
    return out


def screen_groups(names: Sequence[str], x: FloatArray, y: FloatArray, top: int = 10) -> list[str]:
    """The ``top`` parameters most rank-correlated with ``y`` keep their name; the rest are
    grouped as ``all other``. ``x`` is (n, d) in the order of ``names``."""
    from scipy.stats import rankdata

    xr = rankdata(np.asarray(x), axis=0)
    yr = rankdata(np.asarray(y))
    xc, yc = xr - xr.mean(axis=0), yr - yr.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = (xc * yc[:, None]).sum(axis=0) / np.sqrt((xc ** 2).sum(axis=0) * (yc ** 2).sum())
    rho = np.nan_to_num(np.abs(rho))
    keep = set(np.argsort(-rho, kind="stable")[:top].tolist())
    return [n if j in keep else "all other" for j, n in enumerate(names)]


def _unique(groups: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(groups))


@dataclass
class SobolResult:
    """Sobol' indices per group with bootstrap confidence half-widths (``conf_level``)."""

    outcome: str
    strategy: str
    groups: list[str]
    members: dict[str, int]
    first: FloatArray
    first_conf: FloatArray
    total: FloatArray
    total_conf: FloatArray
    base_samples: int
    evaluations: int
    conf_level: float
    mode: str
    note: str = ""

    def within_error(self) -> NDArray[np.bool_]:
        """Per group: first <= total and both in [0, 1], each up to its confidence half-width
        (with G groups and 95% intervals, about 0.05 G checks may fail by chance)."""
        f, t, cf, ct = self.first, self.total, self.first_conf, self.total_conf
        out: NDArray[np.bool_] = ((f <= t + cf + ct) & (f >= -cf) & (f <= 1 + cf)
                                  & (t >= -ct) & (t <= 1 + ct))
        return out

    def consistent(self) -> bool:
        """True when every group is :meth:`within_error`."""
        return bool(self.within_error().all())

    def to_json(self) -> dict[str, Any]:
        order = np.argsort(-self.total, kind="stable")
        ok = self.within_error()
        return {
            "outcome": self.outcome, "strategy": self.strategy, "grouping": self.mode,
            "base_samples": self.base_samples, "evaluations": self.evaluations,
            "conf_level": self.conf_level, "consistent": self.consistent(), "note": self.note,
            "indices": [{"group": self.groups[i], "parameters": self.members[self.groups[i]],
                         "first": float(self.first[i]), "first_conf": float(self.first_conf[i]),
                         "total": float(self.total[i]), "total_conf": float(self.total_conf[i]),
                         "within_error": bool(ok[i])}
                        for i in order],
        }


def sobol_design(groups: Sequence[str], base_samples: int, seed: np.random.SeedSequence
                 ) -> tuple[dict[str, Any], FloatArray]:
    """SALib problem and Saltelli/Sobol' points on the unit cube, shape (N (G + 2), D).

    ``base_samples`` must be a power of two (the balance of Sobol' sequences needs it).
    """
    from SALib.sample import sobol as sobol_sample

    N = int(base_samples)
    if N < 2 or N & (N - 1):
        raise InputError(f"Sobol' base sample {N}", where="sobol_n",
                         expected="a power of two >= 2, e.g. 64 or 256")
    D = len(groups)
    grouped = len(_unique(groups)) < D
    problem: dict[str, Any] = {"num_vars": D, "bounds": [[0.0, 1.0]] * D,
                               "names": [f"x{j}" for j in range(D)] if grouped
                               else list(groups)}
    if grouped:
        problem["groups"] = list(groups)
    pts = sobol_sample.sample(problem, N, calc_second_order=False, scramble=True,
                              seed=np.random.default_rng(seed))
    return problem, np.asarray(pts, dtype=np.float64)


def sobol_indices(problem: dict[str, Any], y: FloatArray, seed: np.random.SeedSequence, *,
                  outcome: str = "p_catastrophe", strategy: str = "", mode: str = "block",
                  conf_level: float = 0.95, resamples: int = 200) -> SobolResult:
    """First- and total-order indices (SALib ``sobol.analyze``) with bootstrap intervals.

    A constant outcome has no variance to apportion: indices are 0 with a note.
    """
    from SALib.analyze import sobol as sobol_analyze

    groups = list(problem.get("groups", problem["names"]))
    labels = _unique(groups)
    members = {g: groups.count(g) for g in labels}
    yv = np.asarray(y, dtype=np.float64)
    G = len(labels)
    N = len(yv) // (G + 2)
    if np.ptp(yv) == 0:
        z = np.zeros(G)
        return SobolResult(outcome, strategy, labels, members, z, z, z.copy(), z.copy(), N,
                           len(yv), conf_level, mode, "the outcome is constant: no variance")
    rng_seed = int(np.random.default_rng(seed).integers(2 ** 31 - 1))
    r = sobol_analyze.analyze(problem, yv, calc_second_order=False, num_resamples=resamples,
                              conf_level=conf_level, seed=rng_seed)
    return SobolResult(outcome, strategy, labels, members, np.asarray(r["S1"], np.float64),
                       np.asarray(r["S1_conf"], np.float64), np.asarray(r["ST"], np.float64),
                       np.asarray(r["ST_conf"], np.float64), N, len(yv), conf_level, mode)
