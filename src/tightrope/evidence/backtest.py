"""Back-tests of the reference-class rates, with the design fixed before any score was seen.

MID (COW MID 5.0): fit on dyad-years 1992-2007, forecast every dyad-year 2008-2014 for Russia
toward the post-Soviet states and China toward its neighbours. Outcomes: a dispute onset with
a militarised action by the power (onset hostility >= 2), and the power's hostility reaching
display of force (>= 3) or use of force (>= 4) in an ongoing dispute. Forecast: the dyad's
partially pooled rate (:mod:`tightrope.evidence.pooling`) from the fit years. Climatology: the
pooled base rate of the same dyads in the fit years.

Rare events (use of force; occupation or war) are also scored leave-one-country-out over all
years 1992-2014: for each neighbour, a ridge logit on the covariates (alliance, land border,
rivalry, log capability ratio, UN vote agreement, which power) is fitted on the other
countries' dyad-years and forecasts the held-out country's; climatology is the other
countries' base rate. This asks whether the covariates transfer to a country never seen.

ICEWS: fit on dyad-quarters 2005-2013 of Russia, China and the US toward their neighbours;
forecast 2014-2015 coercion quarters toward the post-Soviet states. Forecast: the dyad's pooled
rate within its relation-temperature bin; *static* uses the temperature of 2013 (data before
2014 only); *one quarter ahead* uses the four quarters before each quarter, so it reads 2014-15
events as inputs and is reported separately. Climatology: the same dyads' 2005-2013 base rate.

All intervals: cluster bootstrap over dyads, seeded (:func:`tightrope.evidence.scoring.score`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from tightrope.evidence.icews import ICEWS_DATA, POST_SOVIET_ISO3, coercion_quarters
from tightrope.evidence.mids import CLASSES, cow_iso3, dyad_years
from tightrope.evidence.pooling import fit_beta_binomial
from tightrope.evidence.rate import statsmodels_api
from tightrope.evidence.scoring import Score, score

__all__ = ["DESIGN", "BacktestRow", "icews_backtest", "loco_backtest", "mid_backtest",
           "run_backtests"]

#: The design, as declared before scoring (reported with every result).
DESIGN: Final = {
    "mid": {"fit": "1992-2007", "test": "2008-2014", "unit": "directed dyad-year",
            "classes": ["russia_post_soviet", "china_neighbours"],
            "outcomes": ["onset", "display", "force"]},
    "mid_loco": {"years": "1992-2014", "unit": "directed dyad-year",
                 "outcomes": ["force", "occupation_or_war"],
                 "model": "ridge logit, N(0, 1) prior on standardised covariates"},
    "icews": {"fit": "2005Q1-2013Q4", "test": "2014Q1-2015Q4", "unit": "dyad-quarter",
              "target": "post-Soviet states", "powers": ["RUS", "CHN", "USA"]},
}
FIT_LAST_YEAR: Final = 2007
_OUTCOMES: Final = {"onset": ("onset_hostlev", 2), "display": ("hostlev", 3),
                    "force": ("hostlev", 4), "occupation_or_war": ("occupation_or_war", 1)}
_LABELS: Final = {"onset": "dispute onset with a militarised action by the power",
                  "display": "display of force or more", "force": "use of force or more",
                  "occupation_or_war": "occupation of territory or war"}


@dataclass(frozen=True, slots=True)
class BacktestRow:
    """One scored forecast set."""

    key: str
    data: str
    description: str
    score: Score

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "data": self.data, "description": self.description,
                **self.score.to_json()}


def _pooled_forecast(fit_df: pd.DataFrame, test_df: pd.DataFrame, y_col: str,
                     keys: list[str], seed: int) -> tuple[np.ndarray, float]:
    g = fit_df.groupby(keys)[y_col].agg(["sum", "size"]).reset_index()
    fit = fit_beta_binomial(g["sum"].to_numpy(), g["size"].to_numpy(), seed=seed)
    post = {tuple(r[:len(keys)]): fit.posterior(int(r[-2]), int(r[-1]))[0]
            for r in g.itertuples(index=False)}
    new = fit.posterior(0, 0)[0]
    p = np.array([post.get(tuple(r), new) for r in test_df[keys].itertuples(index=False)])
    return p, float(g["sum"].sum() / g["size"].sum())


def mid_backtest(shared: Path, seed: int = 0, reps: int = 2000) -> list[BacktestRow]:
    """Temporal back-test of the MID reference classes (see module doc)."""
    out = []
    frames = []
    for key in DESIGN["mid"]["classes"]:  # type: ignore[index]
        d = dyad_years(shared, CLASSES[key])
        d["cls"] = key
        frames.append(d)
    for key, d in [*((f.cls.iloc[0], f) for f in frames),
                   ("russia_and_china", pd.concat(frames, ignore_index=True))]:
        for oc in DESIGN["mid"]["outcomes"]:  # type: ignore[index]
            col, thr = _OUTCOMES[oc]
            d = d.assign(y=(d[col] >= thr).astype(int))
            fit, test = d[d.year <= FIT_LAST_YEAR], d[d.year > FIT_LAST_YEAR]
            p, clim = _pooled_forecast(fit, test, "y", ["a", "b"], seed)
            s = score(p, clim, test.y.to_numpy(), (test.a.astype(str) + "-"
                      + test.b.astype(str)).to_numpy(), seed=seed, reps=reps)
            out.append(BacktestRow(f"mid.{key}.{oc}", "COW MID 5.0",
                                   f"{_LABELS[oc]}; {key.replace('_', ' ')}; fit 1992-2007, "
                                   "test 2008-2014", s))
    return out


def loco_backtest(shared: Path, seed: int = 0, reps: int = 2000) -> list[BacktestRow]:
    """Leave-one-country-out scores of rare rungs (see module doc)."""
    sm = statsmodels_api("the leave-one-country-out back-test")
    d = pd.concat([dyad_years(shared, CLASSES[k]) for k in DESIGN["mid"]["classes"]],  # type: ignore[index]
                  ignore_index=True)
    d["agreement"] = d.agreement.fillna(d.agreement.mean())
    d["russia"] = (d.a == 365).astype(float)
    xcols = ["alliance", "land", "rivalry", "log_cap_ratio", "agreement", "russia"]
    out = []
    for oc in DESIGN["mid_loco"]["outcomes"]:  # type: ignore[index]
        col, thr = _OUTCOMES[oc]
        y = (d[col] >= thr).astype(int).to_numpy()
        p = np.zeros(len(d))
        c = np.zeros(len(d))
        for b in d.b.unique():
            held = (d.b == b).to_numpy()
            yt = y[~held]
            c[held] = yt.mean()
            if yt.sum() == 0:
                p[held] = 0.0
                continue
            xt = d.loc[~held, xcols].to_numpy(float)
            mu, sd = xt.mean(axis=0), xt.std(axis=0)
            sd[sd == 0] = 1.0
            m = sm.GLM(yt, sm.add_constant((xt - mu) / sd, has_constant="add"),
                       family=sm.families.Binomial()).fit_regularized(
                alpha=np.r_[0.0, np.full(len(xcols), 1.0 / len(yt))], L1_wt=0.0)
            xh = sm.add_constant((d.loc[held, xcols].to_numpy(float) - mu) / sd,
                                 has_constant="add")
            p[held] = np.clip(m.predict(xh), 0.0, 1.0)
        s = score(p, c, y.astype(float), d.b.map(lambda v: cow_iso3(int(v))).to_numpy(),
                  seed=seed, reps=reps)
        out.append(BacktestRow(f"mid_loco.{oc}", "COW MID 5.0",
                               f"{_LABELS[oc]}; leave one country out, Russia and China "
                               "toward their neighbours 1992-2014", s))
    return out


def icews_backtest(shared: Path, seed: int = 0, reps: int = 2000) -> list[BacktestRow]:
    """Coercion quarters toward the post-Soviet states, 2014-2015, from 2005-2013 data."""
    panel = coercion_quarters(shared)
    fit = panel[panel.quarter.dt.year <= 2013]
    test = panel[(panel.quarter.dt.year >= 2014) & panel.target.isin(POST_SOVIET_ISO3)].copy()
    last = panel[panel.quarter == pd.Period("2014Q1", freq="Q")][["power", "target", "bin"]]
    test = test.merge(last.rename(columns={"bin": "static_bin"}), how="left")
    evald = fit.merge(test[["power", "target"]].drop_duplicates())
    clim = float(evald.coercion.mean())
    out = []
    for variant, bcol in (("static", "static_bin"), ("one_quarter_ahead", "bin")):
        p = np.zeros(len(test))
        for b in test[bcol].unique():
            rows = (test[bcol] == b).to_numpy()
            fb = fit[fit.bin == b]
            pb, _ = _pooled_forecast(fb, test[rows], "coercion", ["power", "target"], seed)
            p[rows] = pb
        s = score(p, clim, test.coercion.to_numpy(float),
                  (test.power + "-" + test.target).to_numpy(), seed=seed, reps=reps)
        what = ("temperature of 2013, data before 2014 only" if variant == "static" else
                "temperature of the four quarters before each quarter (reads 2014-15 events)")
        out.append(BacktestRow(f"icews.post_soviet.{variant}", ICEWS_DATA,
                               f"coercion quarter (CAMEO 13, 15-20) by Russia or China toward "
                               f"a post-Soviet state; fit 2005-2013, test 2014-2015; {what}",
                               s))
    return out


def run_backtests(shared: Path, seed: int = 0, reps: int = 2000) -> list[BacktestRow]:
    """All back-tests of the issue, in a fixed order."""
    return [*mid_backtest(shared, seed, reps), *loco_backtest(shared, seed, reps),
            *icews_backtest(shared, seed, reps)]
