"""One-dimensional ideal points from roll-call votes (a two-parameter logistic IRT model).

Model: country ``i`` with ideal point ``theta_i`` votes yes on roll call ``j`` with probability

    P(yes) = logistic(a_j * theta_i + b_j)

``a_j`` is the roll call's discrimination, ``b_j`` its difficulty. Abstentions enter as a
fractional response ``y = 1/2`` (the expected value of an ordered yes/abstain/no coding with
the abstention midway), so the log-likelihood is ``y log p + (1 - y) log(1 - p)``.
Estimation is penalised maximum likelihood (normal priors ``theta ~ N(0, 1)``,
``a ~ N(0, 2^2)``, ``b ~ N(0, 3^2)``; the prior on theta fixes location and scale), by L-BFGS.
The sign is fixed afterwards so that a named reference country has a positive ideal point.
Standard errors: ``1 / sqrt(sum_j a_j^2 p_ij (1 - p_ij) + 1)``, the observed information of
theta given the roll-call parameters (it ignores their estimation error, so it is a lower
bound).

References: Bailey, M. A., Strezhnev, A. & Voeten, E. (2017), "Estimating Dynamic State
Preferences from United Nations Voting Data", *Journal of Conflict Resolution* 61(2): 430-456
(their model is dynamic and ordered; this one is static over a window and binary with
fractional abstentions). Clinton, Jackman & Rivers (2004), "The Statistical Analysis of Roll
Call Data", *APSR* 98(2): 355-370 (the two-parameter model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import expit

__all__ = ["IdealPoints", "fit_ideal_points"]

_PRIOR_THETA, _PRIOR_A, _PRIOR_B = 1.0, 2.0, 3.0


@dataclass(frozen=True)
class IdealPoints:
    """Ideal point and standard error per country (units: standard-normal prior scale)."""

    countries: tuple[str, ...]
    theta: NDArray[np.float64]
    se: NDArray[np.float64]
    n_votes: NDArray[np.int64]


def _neg_log_post(params: NDArray[np.float64], i: NDArray[np.int64], j: NDArray[np.int64],
                  y: NDArray[np.float64], n_c: int, n_r: int
                  ) -> tuple[float, NDArray[np.float64]]:
    theta, a, b = params[:n_c], params[n_c:n_c + n_r], params[n_c + n_r:]
    eta = a[j] * theta[i] + b[j]
    # log(1 + e^eta) computed stably
    ll = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    lp = -0.5 * (np.sum(theta**2) / _PRIOR_THETA**2 + np.sum(a**2) / _PRIOR_A**2
                 + np.sum(b**2) / _PRIOR_B**2)
    r = y - expit(eta)  # d ll / d eta
    g_theta = np.bincount(i, r * a[j], n_c) - theta / _PRIOR_THETA**2
    g_a = np.bincount(j, r * theta[i], n_r) - a / _PRIOR_A**2
    g_b = np.bincount(j, r, n_r) - b / _PRIOR_B**2
    return -(ll + float(lp)), -np.concatenate([g_theta, g_a, g_b])


def fit_ideal_points(country: NDArray[np.int64], rollcall: NDArray[np.int64],
                     y: NDArray[np.float64], countries: tuple[str, ...], *,
                     reference: str | None = None, seed: int = 0) -> IdealPoints:
    """Fit the model to votes given as parallel arrays (country index, roll-call index, y).

    ``y`` is 1 (yes), 0 (no) or 0.5 (abstain). ``reference``: a country whose ideal point is
    made positive (sign identification). ``seed`` sets the random start.
    """
    i = np.asarray(country, dtype=np.int64)
    j = np.asarray(rollcall, dtype=np.int64)
    yy = np.asarray(y, dtype=float)
    if not (i.shape == j.shape == yy.shape):
        raise ValueError("country, rollcall and y must have the same length")
    if np.any((yy < 0) | (yy > 1)):
        raise ValueError("y must lie in [0, 1]")
    n_c, n_r = len(countries), int(j.max()) + 1 if j.size else 0
    rng = np.random.default_rng(seed)
    # start: theta from each country's mean vote (centred), small random roll-call slopes
    mean_vote = np.bincount(i, yy, n_c) / np.maximum(np.bincount(i, None, n_c), 1)
    theta0 = (mean_vote - mean_vote.mean()) / (mean_vote.std() or 1.0)
    x0 = np.concatenate([theta0, rng.normal(0, 0.1, n_r), np.zeros(n_r)])
    res = minimize(_neg_log_post, x0, args=(i, j, yy, n_c, n_r), jac=True, method="L-BFGS-B",
                   options={"maxiter": 2000})
    theta, a, b = res.x[:n_c], res.x[n_c:n_c + n_r], res.x[n_c + n_r:]
    if reference in countries and theta[countries.index(reference)] < 0:
        theta, a = -theta, -a
    p = expit(a[j] * theta[i] + b[j])
    info = np.bincount(i, a[j] ** 2 * p * (1 - p), n_c) + 1.0 / _PRIOR_THETA**2
    return IdealPoints(countries, theta, 1.0 / np.sqrt(info),
                       np.bincount(i, None, n_c).astype(np.int64))
