"""Base rates of each hostility rung per reference class, pooled across dyads, with intervals.

:func:`mid_estimates` fits one beta-binomial (:mod:`tightrope.evidence.pooling`) per class and
rung over the class's dyads and returns the class rate and every dyad's partially pooled rate,
each with a 90% credible interval. :func:`covariate_model` fits a pooled logit of reaching a
rung on the dyad covariates, with standard errors clustered by dyad, to say how the rate
depends on alliance, contiguity, rivalry, relative capability and UN vote agreement.

*Units*: rates per directed dyad-year (``per = "dyad-year"``); :func:`per_quarter` converts
to the minefield's per-quarter probability assuming a constant hazard within the year.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tightrope.evidence.mids import CLASSES, RUNGS, ReferenceClass, cow_iso3, dyad_years
from tightrope.evidence.pooling import fit_beta_binomial
from tightrope.evidence.rate import Estimate, per_quarter, statsmodels_api

__all__ = ["Estimate", "covariate_model", "icews_estimates", "mid_estimates", "per_quarter",
           "rung_counts"]

MID_DATA = ("COW MID 5.0 directed dispute-years (Palmer et al. 2022), 1992-2014; COW state "
            "system and Direct Contiguity 3.2 (via peacesciencer)")
RUNG_LABELS = {"threat": "threat to use force or more (MID hostility level >= 2)",
               "display": "display of force or more (hostility level >= 3)",
               "force": "use of force or more (hostility level >= 4)",
               "war": "war (hostility level 5)",
               "occupation_or_war": "occupation of territory or war (MID action 14, or "
               "hostility level 5)",
               "territorial": "a militarised dispute in which the power sought territorial "
               "revision (GML MID 2.x, to 2010)"}


def rung_counts(d: pd.DataFrame, rung: str) -> pd.DataFrame:
    """Per dyad: events (years reaching ``rung``) and trials (coded years)."""
    col, thr = RUNGS[rung]
    coded = d[d[col] >= 0]
    hit = (coded[col] >= thr).astype(int)
    keys = ["a", "b", "b_iso3"] if "b_iso3" in coded.columns else ["a", "b"]
    g = coded.assign(hit=hit).groupby(keys)
    return g.agg(events=("hit", "sum"), trials=("hit", "size")).reset_index()


def _data_label(rung: str, rc: ReferenceClass) -> str:
    if rung == "territorial":
        return (f"GML MID 2.2.1 directed dispute-years (Gibler, Miller & Little 2016), "
                f"{rc.first_year}-2010")
    return MID_DATA


def mid_estimates(shared: Path, seed: int = 0) -> list[Estimate]:
    """Class and dyad rates for every shipped reference class and rung."""
    out: list[Estimate] = []
    for rc in CLASSES.values():
        d = dyad_years(shared, rc)
        for rung in RUNGS:
            c = rung_counts(d, rung)
            fit = fit_beta_binomial(c.events.to_numpy(), c.trials.to_numpy(), seed=seed)
            lo, hi = fit.mean_interval()
            base = f"mid.{rc.key}.{rung}"
            data = _data_label(rung, rc)
            out.append(Estimate(base, fit.mu, lo, hi, "dyad-year", fit.events, fit.trials,
                                rc.label, RUNG_LABELS[rung], data, fit.groups))
            if len(rc.powers) != 1:
                continue
            for r in c.itertuples():
                m, lo_, hi_ = fit.posterior(int(r.events), int(r.trials))
                out.append(Estimate(f"{base}.{r.b_iso3}", m, lo_, hi_, "dyad-year",
                                    int(r.events), int(r.trials),
                                    f"{rc.label}: {cow_iso3(int(r.a))} toward "
                                    f"{r.b_iso3}, pooled with the class",
                                    RUNG_LABELS[rung], data))
    return out


def covariate_model(shared: Path, rung: str = "display") -> list[dict[str, Any]]:
    """Pooled logit of reaching ``rung`` on the covariates; odds ratios, 95% CIs by dyad.

    Fitted on the ``great_power_neighbours`` class (dyad-years with a UN vote agreement).
    """
    sm = statsmodels_api("the covariate model")
    d = dyad_years(shared, CLASSES["great_power_neighbours"]).dropna(subset=["agreement"])
    col, thr = RUNGS[rung]
    d = d[d[col] >= 0]
    y = (d[col] >= thr).astype(float).to_numpy()
    names = ["alliance", "land", "rivalry", "log_cap_ratio", "agreement"]
    # a 0/1 covariate with no event at one of its levels separates the data: no finite
    # odds ratio exists, so it is left out of the fit and reported as not estimable
    dropped = [n for n in ("alliance", "land", "rivalry")
               if min(y[d[n].to_numpy() == v].sum() for v in (0, 1)) == 0]
    kept = [n for n in names if n not in dropped]
    x = sm.add_constant(d[kept].astype(float).to_numpy())
    groups = pd.factorize(d.a.astype(str) + "-" + d.b.astype(str))[0]
    res = sm.Logit(y, x).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    ci = np.asarray(res.conf_int(0.05))
    params = np.asarray(res.params)
    out: list[dict[str, Any]] = [
        {"covariate": n, "odds_ratio": float(np.exp(params[i + 1])),
         "low": float(np.exp(ci[i + 1, 0])), "high": float(np.exp(ci[i + 1, 1])),
         "rung": rung, "n": len(y), "events": int(y.sum())} for i, n in enumerate(kept)]
    out += [{"covariate": n, "odds_ratio": None, "low": None, "high": None, "rung": rung,
             "n": len(y), "events": int(y.sum()),
             "note": "not estimable: no event at one of its two levels"} for n in dropped]
    return out


def icews_estimates(shared: Path, seed: int = 0) -> list[Estimate]:
    """Quarterly coercion rates by relation-temperature bin, pooled across dyads, 2005-2015.

    Class rates for Russia, China and the US toward their neighbours, per bin of the relation
    temperature at the start of the quarter; and each dyad's pooled rate toward Kazakhstan.
    """
    from tightrope.evidence.icews import CATEGORIES, ICEWS_DATA, coercion_quarters

    panel = coercion_quarters(shared)
    out: list[Estimate] = []
    cls = "Russia, China and the US toward their neighbours, 2005-2015, all temperatures"
    for cat, codes in CATEGORIES:
        c = panel.groupby(["power", "target"])[cat].agg(["sum", "size"]).reset_index()
        fit = fit_beta_binomial(c["sum"].to_numpy(), c["size"].to_numpy(), seed=seed)
        lo, hi = fit.mean_interval()
        out.append(Estimate(f"icews.great_power_neighbours.{cat}", fit.mu, lo, hi,
                            "dyad-quarter", fit.events, fit.trials, cls,
                            f"at least one {cat.replace('_', ' ')} event (CAMEO "
                            f"{', '.join(codes)}) in the quarter", ICEWS_DATA, fit.groups))
    label = "Russia, China and the US toward their neighbours, 2005-2015"
    outcome = ("at least one coded coercion event (CAMEO 13 threaten, 15 military posture, 16 "
               "reduce relations or sanctions, 17 coerce, 18-20 force) in the quarter")
    for b, g in panel.groupby("bin"):
        c = g.groupby(["power", "target"]).coercion.agg(["sum", "size"]).reset_index()
        fit = fit_beta_binomial(c["sum"].to_numpy(), c["size"].to_numpy(), seed=seed)
        lo, hi = fit.mean_interval()
        name = f"icews.great_power_neighbours.coercion.{b}"
        out.append(Estimate(name, fit.mu, lo, hi, "dyad-quarter", fit.events, fit.trials,
                            f"{label}; relation temperature {b}", outcome, ICEWS_DATA,
                            fit.groups))
        for r in c[c.target == "KAZ"].itertuples():
            m, lo_, hi_ = fit.posterior(int(r[3]), int(r[4]))
            out.append(Estimate(f"{name}.{r.power}.KAZ", m, lo_, hi_, "dyad-quarter",
                                int(r[3]), int(r[4]), f"{label}; relation temperature {b}: "
                                f"{r.power} toward KAZ, pooled with the class", outcome,
                                ICEWS_DATA))
    return out
