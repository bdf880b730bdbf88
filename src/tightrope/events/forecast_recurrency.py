"""Recurrency scores and candidate features for TKG forecasting, one time step at a time.

For a query (s, r, ?, t) the history is every quadruple (inverses included) with time
before t: test facts of earlier steps count as history, as in the single-step protocol of
RE-GCN and of the recurrency baselines ("window 0" in Gastinger et al. 2024).

* Strict recurrency baseline psi (Gastinger et al. 2024, eq. 1): the score of o is
  sum over past (s, r, o, t_i) of 2^(-lambda (t - t_i)), divided by the sum of
  2^(-lambda (t - tau)) over every step tau the history spans.
* Relation-object distribution xi (Gastinger et al. 2024, eq. 2): how often o was the
  object of r in the history, as a share of all facts with relation r.
* Combined: alpha psi + (1 - alpha) xi.

:func:`candidate_frame` builds the feature table the learned ranker of
:mod:`tightrope.events.forecast_ranker` scores: recency and frequency of (s, r, o), of the
reciprocal (o, r, s), of (s, o) under any relation, the relation's object distribution and
the object's overall activity.

Units: times are steps (days for ICEWS14); lambda is per step, so 2^-lambda is the weight
of a fact one step old relative to one of today.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from tightrope._types import FloatArray, IntArray
from tightrope.events.forecast_tkg import Quads

__all__ = [
    "FEATURES",
    "History",
    "RecurrencyParams",
    "baseline_scores",
    "candidate_frame",
    "recurrence_rate",
]

#: Decay rates (per step) of the recency-weighted counts the ranker sees.
FEATURE_LAMBDAS = (0.05, 0.3, 1.5)
#: Gap (steps) used for "never seen before" in the since-last features.
NEVER = 1000.0
#: Candidates per query from the subject's partners under any relation, and from the
#: relation's most frequent objects; every past object of (s, r) is always a candidate.
TOP_PARTNERS = 60
TOP_RELATION_OBJECTS = 15


@dataclass(frozen=True)
class RecurrencyParams:
    """Hyper-parameters of the recurrency baselines, one value per relation id.

    ``lam`` is Gastinger et al.'s lambda (decay per step) and ``alpha`` their alpha (weight
    of psi against xi); both are arrays over the 2R relation ids (inverses included).
    """

    lam: FloatArray
    alpha: FloatArray

    def __post_init__(self) -> None:
        if self.lam.shape != self.alpha.shape or self.lam.ndim != 1:
            raise ValueError("lam and alpha must be 1-d arrays of equal length")
        if (self.lam < 0).any() or (self.alpha < 0).any() or (self.alpha > 1).any():
            raise ValueError("lambda >= 0 and alpha in [0, 1] expected")

    @classmethod
    def uniform(cls, n_relations2: int, lam: float, alpha: float = 1.0) -> RecurrencyParams:
        """The same lambda and alpha for every relation."""
        return cls(np.full(n_relations2, lam), np.full(n_relations2, alpha))


class History:
    """All quadruples (inverses included) sorted by time, sliced by "before step t"."""

    def __init__(self, quads: Quads) -> None:
        order = np.argsort(quads.t, kind="stable")
        self.frame = pd.DataFrame({
            "s": quads.s[order], "r": quads.r[order], "o": quads.o[order], "t": quads.t[order],
        })
        self._t = self.frame["t"].to_numpy()

    def before(self, t: int) -> pd.DataFrame:
        """The quadruples with time < t."""
        return self.frame.iloc[: int(np.searchsorted(self._t, t, side="left"))]


def _decay(h: pd.DataFrame, t: int, lam: float) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = np.exp2(-lam * (t - h["t"].to_numpy(dtype=np.float64)))
    return out


def baseline_scores(h: pd.DataFrame, q: Quads, t: int, n_entities: int,
                    params: RecurrencyParams) -> FloatArray:
    """Dense scores (queries x entities) of the combined baseline alpha psi + (1 - alpha) xi.

    ``alpha`` = 1 gives the strict baseline psi alone. ``h`` is the history before ``t``.
    """
    scores = np.zeros((len(q), n_entities))
    rel = np.unique(q.r)
    hr = h[h["r"].isin(rel)]
    if len(hr) == 0:
        return scores
    lam_row = params.lam[hr["r"].to_numpy()]
    w = pd.DataFrame({"s": hr["s"], "r": hr["r"], "o": hr["o"],
                      "w": np.exp2(-lam_row * (t - hr["t"].to_numpy(dtype=np.float64)))})
    psi = w.groupby(["s", "r", "o"], sort=False)["w"].sum().reset_index()
    # Gastinger et al. divide by the decayed weight of every step the history spans.
    span = t - np.arange(int(h["t"].min()), t, dtype=np.float64)
    norm = {int(r): max(float(np.exp2(-params.lam[r] * span).sum()), 1e-15) for r in rel}
    psi["w"] /= psi["r"].map(norm)
    qdf = pd.DataFrame({"qid": np.arange(len(q)), "s": q.s, "r": q.r})
    alpha_q = params.alpha[q.r]
    m = qdf.merge(psi, on=["s", "r"])
    qi = m["qid"].to_numpy()
    scores[qi, m["o"].to_numpy()] = alpha_q[qi] * m["w"].to_numpy()
    if (alpha_q < 1.0).any():
        # xi as a dense (relations of the queries x entities) table of object shares
        pos = np.searchsorted(rel, hr["r"].to_numpy())
        xi = np.zeros((len(rel), n_entities))
        np.add.at(xi, (pos, hr["o"].to_numpy()), 1.0)
        xi /= np.maximum(xi.sum(axis=1, keepdims=True), 1.0)
        scores += (1.0 - alpha_q)[:, None] * xi[np.searchsorted(rel, q.r)]
    return scores


def recurrence_rate(quads: Quads, n_relations2: int) -> FloatArray:
    """Per relation, the share of facts whose (s, r, o) occurred at an earlier step.

    Gastinger et al. (2024) call this the strict recurrency degree; it tells the ranker how
    far the history of a relation can be trusted. Relations without facts get the mean.
    """
    df = pd.DataFrame({"s": quads.s, "r": quads.r, "o": quads.o, "t": quads.t})
    first = df.groupby(["s", "r", "o"])["t"].transform("min")
    df["rec"] = (df["t"] > first).astype(np.float64)
    rate = df.groupby("r")["rec"].mean()
    out = np.full(n_relations2, float(df["rec"].mean()))
    out[rate.index.to_numpy()] = rate.to_numpy()
    return out


def _agg(h: pd.DataFrame, keys: list[str], t: int, prefix: str,
         lambdas: tuple[float, ...]) -> pd.DataFrame:
    cols: dict[str, object] = {k: h[k] for k in keys}
    for lam in lambdas:
        cols[f"w{lam}"] = _decay(h, t, lam)
    cols["t"] = h["t"]
    g = pd.DataFrame(cols).groupby(keys, sort=False)
    out = g.agg(**{f"{prefix}_n": ("t", "size"), f"{prefix}_last": ("t", "max")},
                **{f"{prefix}_dec{lam}": (f"w{lam}", "sum") for lam in lambdas})
    out[f"{prefix}_gap"] = t - out.pop(f"{prefix}_last")
    return out.reset_index()


def _top_per(df: pd.DataFrame, group: str, by: str, k: int) -> pd.DataFrame:
    df = df.sort_values([group, by], ascending=[True, False])
    return df[df.groupby(group).cumcount() < k]


def candidate_frame(h: pd.DataFrame, q: Quads, t: int, n_relations: int,
                    rec_rate: FloatArray, rel_group: IntArray) -> pd.DataFrame:
    """One row per (query, candidate object) with the ranker's features.

    Columns ``qid`` (index into ``q``), ``cand`` and the names in :data:`FEATURES`.
    Candidates: every past object of (s, r); the subject's :data:`TOP_PARTNERS` most
    recent partners under any relation; the relation's :data:`TOP_RELATION_OBJECTS` most
    frequent objects. ``rel_group`` maps each relation id (inverses included) to a group
    (its CAMEO root): (s, group, o) is the relaxed match of (s, r, o).
    """
    lam_mid = FEATURE_LAMBDAS[1]
    qdf = pd.DataFrame({"qid": np.arange(len(q)), "s": q.s, "r": q.r})
    rel = np.unique(q.r)
    subj = np.unique(q.s)
    hs = h[h["s"].isin(subj)]
    sro = _agg(hs, ["s", "r", "o"], t, "sro", FEATURE_LAMBDAS)
    so = _agg(hs, ["s", "o"], t, "so", (lam_mid, FEATURE_LAMBDAS[2]))
    hg = hs.assign(g=rel_group[hs["r"].to_numpy()])
    sgo = _agg(hg, ["s", "g", "o"], t, "sgo", (lam_mid,))
    hr = h[h["r"].isin(rel)]
    ro = _agg(hr, ["r", "o"], t, "ro", (lam_mid,))
    r_tot = ro.groupby("r").agg(r_n=("ro_n", "sum"), r_dec=(f"ro_dec{lam_mid}", "sum"))
    ro = ro.merge(r_tot.reset_index(), on="r")
    ro["xi"] = ro["ro_n"] / ro["r_n"]
    ro["xi_dec"] = ro[f"ro_dec{lam_mid}"] / ro["r_dec"]
    c1 = qdf.merge(sro[["s", "r", "o"]], on=["s", "r"])
    c2 = _top_per(qdf.merge(so[["s", "o", f"so_dec{lam_mid}"]], on="s"), "qid",
                  f"so_dec{lam_mid}", TOP_PARTNERS)
    c3 = _top_per(qdf.merge(ro[["r", "o", "xi"]], on="r"), "qid", "xi", TOP_RELATION_OBJECTS)
    cand = pd.concat([c[["qid", "s", "r", "o"]] for c in (c1, c2, c3)]).drop_duplicates(
        ["qid", "o"])
    f = cand.merge(sro, on=["s", "r", "o"], how="left")
    inv = sro.rename(columns=lambda c: c.replace("sro", "rec"))
    inv["r"] = (inv["r"] + n_relations) % (2 * n_relations)
    f = f.merge(inv[["s", "r", "o", "rec_n", "rec_gap", f"rec_dec{lam_mid}"]],
                on=["s", "r", "o"], how="left")
    f = f.merge(so, on=["s", "o"], how="left")
    f["g"] = rel_group[f["r"].to_numpy()]
    f = f.merge(sgo, on=["s", "g", "o"], how="left")
    f = f.merge(ro[["r", "o", "xi", "xi_dec"]], on=["r", "o"], how="left")
    ho = h[h["o"].isin(f["o"].unique())]
    obj = _agg(ho, ["o"], t, "obj", (lam_mid,))
    f = f.merge(obj[["o", "obj_n", f"obj_dec{lam_mid}"]], on="o", how="left")
    sr_n = sro.groupby(["s", "r"])["sro_n"].sum().rename("sr_n").reset_index()
    f = f.merge(sr_n, on=["s", "r"], how="left")
    s_n = so.groupby("s")["so_n"].sum().rename("s_n").reset_index()
    f = f.merge(s_n, on="s", how="left")
    gaps = [c for c in f.columns if c.endswith("_gap")]
    f[gaps] = f[gaps].fillna(NEVER)
    f = f.fillna(0.0)
    f["sro_share"] = f["sro_n"] / f["sr_n"].clip(lower=1)
    f["so_share"] = f["so_n"] / f["s_n"].clip(lower=1)
    f["sro_rank"] = f.groupby("qid")[f"sro_dec{lam_mid}"].rank(ascending=False, method="min")
    f["so_rank"] = f.groupby("qid")[f"so_dec{lam_mid}"].rank(ascending=False, method="min")
    f["rec_rate"] = rec_rate[f["r"].to_numpy()]
    f["cand"] = f["o"]
    return f[["qid", "cand", *FEATURES]]


FEATURES = (
    "sro_n", "sro_gap", *(f"sro_dec{lam}" for lam in FEATURE_LAMBDAS),
    "rec_n", "rec_gap", f"rec_dec{FEATURE_LAMBDAS[1]}",
    "so_n", "so_gap", f"so_dec{FEATURE_LAMBDAS[1]}", f"so_dec{FEATURE_LAMBDAS[2]}",
    "xi", "xi_dec", "obj_n", f"obj_dec{FEATURE_LAMBDAS[1]}", "sr_n", "s_n",
    "sro_share", "so_share", "sro_rank", "so_rank", "rec_rate",
    "sgo_n", "sgo_gap", f"sgo_dec{FEATURE_LAMBDAS[1]}",
)



