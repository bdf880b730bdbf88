"""Ideal points from roll-call votes (a two-parameter logistic IRT model in ``d`` dimensions).

Model: country ``i`` with ideal point ``theta_i`` (a vector) votes yes on roll call ``j`` with
probability

    P(yes) = logistic(a_j . theta_i + b_j)

``a_j`` is the roll call's discrimination vector, ``b_j`` its difficulty. Abstentions enter as a
fractional response ``y = 1/2`` (the expected value of an ordered yes/abstain/no coding with
the abstention midway), so the log-likelihood is ``y log p + (1 - y) log(1 - p)``.
Estimation is penalised maximum likelihood (normal priors ``theta ~ N(0, I)``,
``a ~ N(0, 2^2 I)``, ``b ~ N(0, 3^2)``; the prior on theta fixes location and scale), by
L-BFGS. The space is identified up to a rotation, which leaves distances unchanged; points are
reported in their principal axes, signed so that a named reference country is positive.
Covariance: the inverse of ``sum_j p_ij (1 - p_ij) a_j a_j' + I``, the observed information of
theta given the roll-call parameters (it ignores their estimation error, so it is a lower
bound). ``held_out_log_likelihood`` scores a number of dimensions by predicting left-out votes.

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

__all__ = ["IdealPoints", "fit_ideal_points", "held_out_log_likelihood"]

_PRIOR_THETA, _PRIOR_A, _PRIOR_B = 1.0, 2.0, 3.0


@dataclass(frozen=True)
class IdealPoints:
    """Ideal points (``theta``: countries x dims) and their covariance (countries x dims x
    dims), in units of the standard-normal prior."""

    countries: tuple[str, ...]
    theta: NDArray[np.float64]
    cov: NDArray[np.float64]
    n_votes: NDArray[np.int64]

    @property
    def se(self) -> NDArray[np.float64]:
        """Standard error of each coordinate (countries x dims)."""
        return np.sqrt(np.diagonal(self.cov, axis1=1, axis2=2))


def _neg_log_post(params: NDArray[np.float64], i: NDArray[np.int64], j: NDArray[np.int64],
                  y: NDArray[np.float64], n_c: int, n_r: int, d: int
                  ) -> tuple[float, NDArray[np.float64]]:
    theta = params[:n_c * d].reshape(n_c, d)
    a = params[n_c * d:(n_c + n_r) * d].reshape(n_r, d)
    b = params[(n_c + n_r) * d:]
    ti, aj = theta[i], a[j]
    eta = np.einsum("kd,kd->k", ti, aj) + b[j]
    ll = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    lp = -0.5 * (np.sum(theta**2) / _PRIOR_THETA**2 + np.sum(a**2) / _PRIOR_A**2
                 + np.sum(b**2) / _PRIOR_B**2)
    r = y - expit(eta)  # d ll / d eta
    g_theta = (np.stack([np.bincount(i, r * aj[:, k], n_c) for k in range(d)], axis=1)
               - theta / _PRIOR_THETA**2)
    g_a = (np.stack([np.bincount(j, r * ti[:, k], n_r) for k in range(d)], axis=1)
           - a / _PRIOR_A**2)
    g_b = np.bincount(j, r, n_r) - b / _PRIOR_B**2
    return -(ll + float(lp)), -np.concatenate([g_theta.ravel(), g_a.ravel(), g_b])


def _fit(i: NDArray[np.int64], j: NDArray[np.int64], y: NDArray[np.float64], n_c: int,
         n_r: int, d: int, seed: int
         ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    rng = np.random.default_rng(seed)
    # start: first coordinate from each country's mean vote (centred), the others small noise
    mean_vote = np.bincount(i, y, n_c) / np.maximum(np.bincount(i, None, n_c), 1)
    theta0 = rng.normal(0, 0.1, (n_c, d))
    theta0[:, 0] = (mean_vote - mean_vote.mean()) / (mean_vote.std() or 1.0)
    x0 = np.concatenate([theta0.ravel(), rng.normal(0, 0.1, n_r * d), np.zeros(n_r)])
    res = minimize(_neg_log_post, x0, args=(i, j, y, n_c, n_r, d), jac=True,
                   method="L-BFGS-B", options={"maxiter": 5000})
    x = res.x
    return (x[:n_c * d].reshape(n_c, d), x[n_c * d:(n_c + n_r) * d].reshape(n_r, d),
            x[(n_c + n_r) * d:])


def _check(i: NDArray[np.int64], j: NDArray[np.int64], y: NDArray[np.float64]) -> None:
    if not (i.shape == j.shape == y.shape):
        raise ValueError("country, rollcall and y must have the same length")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must lie in [0, 1]")


def fit_ideal_points(country: NDArray[np.int64], rollcall: NDArray[np.int64],
                     y: NDArray[np.float64], countries: tuple[str, ...], *,
                     reference: str | None = None, seed: int = 0, dims: int = 1
                     ) -> IdealPoints:
    """Fit the model to votes given as parallel arrays (country index, roll-call index, y).

    ``y`` is 1 (yes), 0 (no) or 0.5 (abstain). ``dims`` is the number of dimensions. The
    posterior is unchanged by a rotation of the space, so the points are reported in their
    principal axes (the first axis the one along which they spread most), each axis signed so
    that ``reference`` lies on its positive side. Distances between points do not depend on
    this choice. ``seed`` sets the random start.
    """
    i = np.asarray(country, dtype=np.int64)
    j = np.asarray(rollcall, dtype=np.int64)
    yy = np.asarray(y, dtype=float)
    _check(i, j, yy)
    n_c, n_r = len(countries), int(j.max()) + 1 if j.size else 0
    theta, a, b = _fit(i, j, yy, n_c, n_r, dims, seed)
    # principal axes (a rotation: the likelihood and the prior are unchanged)
    _, _, vt = np.linalg.svd(theta - theta.mean(axis=0), full_matrices=False)
    theta, a = theta @ vt.T, a @ vt.T
    if reference in countries:
        s = np.where(theta[countries.index(reference)] < 0, -1.0, 1.0)
        theta, a = theta * s, a * s
    eta = np.einsum("kd,kd->k", theta[i], a[j]) + b[j]
    w = expit(eta) * (1 - expit(eta))
    info = np.zeros((n_c, dims, dims))
    np.add.at(info, i, w[:, None, None] * a[j][:, :, None] * a[j][:, None, :])
    info += np.eye(dims) / _PRIOR_THETA**2
    return IdealPoints(countries, theta, np.asarray(np.linalg.inv(info), dtype=np.float64),
                       np.bincount(i, None, n_c).astype(np.int64))


def held_out_log_likelihood(country: NDArray[np.int64], rollcall: NDArray[np.int64],
                            y: NDArray[np.float64], n_countries: int, *, dims: int,
                            seed: int, share: float = 0.1) -> float:
    """Mean log-likelihood of a random ``share`` of the votes, left out of the fit.

    The votes left out are drawn with ``seed``; the model is fitted on the rest and predicts
    them (fractional abstentions scored like the fit: ``y log p + (1 - y) log(1 - p)``).
    Roll calls or countries left with no fitted vote keep their prior means.
    """
    i = np.asarray(country, dtype=np.int64)
    j = np.asarray(rollcall, dtype=np.int64)
    yy = np.asarray(y, dtype=float)
    _check(i, j, yy)
    out = np.random.default_rng(seed).random(i.size) < share
    n_r = int(j.max()) + 1 if j.size else 0
    theta, a, b = _fit(i[~out], j[~out], yy[~out], n_countries, n_r, dims, seed)
    eta = np.einsum("kd,kd->k", theta[i[out]], a[j[out]]) + b[j[out]]
    return float(np.mean(yy[out] * eta - np.logaddexp(0.0, eta)))
