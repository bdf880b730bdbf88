"""Partial pooling of rare-event rates: an empirical-Bayes beta-binomial.

Each group ``d`` (a dyad: a great power and one neighbour) has ``k_d`` events in ``n_d``
trials (dyad-years or dyad-quarters). The group rates are drawn from one Beta(a, b) — the
reference class — written as mean ``mu = a / (a + b)`` and concentration ``kappa = a + b``:

    k_d | p_d ~ Binomial(n_d, p_d),    p_d ~ Beta(mu * kappa, (1 - mu) * kappa)

``(logit mu, log kappa)`` are fitted by maximising the beta-binomial marginal likelihood times a
weak hyperprior (Jeffreys Beta(1/2, 1/2) on ``mu``; Normal(log 10, 2) on ``log kappa``, i.e. a
class worth 0.2 to 500 dyad-years of prior information at 95%), which keeps the fit finite when
a class has no event at all. Uncertainty in the hyperparameters is carried by a Laplace
(normal) approximation of their posterior; intervals are quantiles of seeded draws from it, so
a group with few trials stays wide and is pulled toward the class rate.

*Units*: rates are per trial (per dyad-year or per dyad-quarter), in [0, 1].

*References*: Gelman, A. et al. (2013), *Bayesian Data Analysis*, 3rd ed., ch. 5 (hierarchical
beta-binomial); Efron, B. & C. Morris (1975), "Data analysis using Stein's estimator and its
generalizations", *JASA* 70: 311-319 (empirical Bayes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, special, stats

from tightrope.errors import ParameterError
from tightrope.evidence.rate import INTERVAL_LEVEL

__all__ = ["BetaBinomialFit", "fit_beta_binomial"]

_DRAWS = 4000
_PRIOR_LOG_KAPPA = (np.log(10.0), 2.0)


def _neg_log_post(theta: NDArray[np.float64], k: NDArray[np.float64],
                  n: NDArray[np.float64]) -> float:
    mu = special.expit(theta[0])
    kappa = np.exp(theta[1])
    a, b = mu * kappa, (1.0 - mu) * kappa
    ll = np.sum(special.betaln(k + a, n - k + b) - special.betaln(a, b))
    # Jeffreys Beta(1/2, 1/2) on mu, with the Jacobian of the logit: mu^(1/2) (1 - mu)^(1/2)
    lp = 0.5 * np.log(mu) + 0.5 * np.log1p(-mu)
    m, s = _PRIOR_LOG_KAPPA
    lp += -0.5 * ((theta[1] - m) / s) ** 2
    return float(-(ll + lp))


def _hessian(fn: Callable[[NDArray[np.float64]], float], x: NDArray[np.float64],
             h: float = 1e-4) -> NDArray[np.float64]:
    d = len(x)
    out = np.zeros((d, d))
    for i in range(d):
        for j in range(d):
            ei, ej = np.eye(d)[i] * h, np.eye(d)[j] * h
            out[i, j] = (fn(x + ei + ej) - fn(x + ei - ej) - fn(x - ei + ej)
                         + fn(x - ei - ej)) / (4 * h * h)
    return out


@dataclass(frozen=True, slots=True)
class BetaBinomialFit:
    """The fitted class: hyperparameters, their Laplace covariance and seeded draws."""

    mu: float
    kappa: float
    cov: NDArray[np.float64]
    events: int
    trials: int
    groups: int
    seed: int
    _draws: NDArray[np.float64]  # (draws, 2) samples of (a, b)

    @property
    def a(self) -> float:
        return self.mu * self.kappa

    @property
    def b(self) -> float:
        return (1.0 - self.mu) * self.kappa

    def mean_interval(self, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
        """Credible interval of the class mean rate ``mu``."""
        a, b = self._draws[:, 0], self._draws[:, 1]
        q = np.quantile(a / (a + b), [(1 - level) / 2, (1 + level) / 2])
        return float(q[0]), float(q[1])

    def posterior(self, k: int, n: int, level: float = INTERVAL_LEVEL
                  ) -> tuple[float, float, float]:
        """Pooled rate of one group with ``k`` events in ``n`` trials: mean, low, high.

        A group never seen (``n = 0``) gets the class's predictive rate: a new dyad.
        """
        if not 0 <= k <= n:
            raise ParameterError("events", k, f"a whole number in 0..{n} (the trials)")
        a, b = self._draws[:, 0] + k, self._draws[:, 1] + (n - k)
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, k, n]))
        p = rng.beta(a, b)
        lo, hi = np.quantile(p, [(1 - level) / 2, (1 + level) / 2])
        return float(np.mean(a / (a + b))), float(lo), float(hi)


def fit_beta_binomial(k: NDArray[np.int64] | list[int], n: NDArray[np.int64] | list[int],
                      seed: int = 0) -> BetaBinomialFit:
    """Fit the class to per-group event counts ``k`` out of ``n`` trials (see module doc).

    >>> fit = fit_beta_binomial([0, 1, 0, 2], [20, 20, 20, 20])
    >>> 0.01 < fit.mu < 0.1
    True
    """
    ka = np.asarray(k, dtype=np.float64)
    na = np.asarray(n, dtype=np.float64)
    if ka.shape != na.shape or ka.ndim != 1 or len(ka) == 0:
        raise ParameterError("groups", len(ka), "equal-length, non-empty lists of events and "
                             "trials")
    if np.any(ka < 0) or np.any(ka > na):
        raise ParameterError("events", ka.tolist(), "0 <= events <= trials in every group")
    pooled = (ka.sum() + 0.5) / (na.sum() + 1.0)
    x0 = np.array([special.logit(pooled), _PRIOR_LOG_KAPPA[0]])

    def f(t: NDArray[np.float64]) -> float:
        return _neg_log_post(t, ka, na)

    res = optimize.minimize(f, x0, method="Nelder-Mead",
                            options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": 4000})
    theta = np.asarray(res.x, dtype=np.float64)
    h = _hessian(f, theta)
    try:
        cov = np.linalg.inv(h)
        if not np.all(np.linalg.eigvalsh(cov) > 0):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        cov = np.diag([1.0, _PRIOR_LOG_KAPPA[1] ** 2])
    rng = np.random.default_rng(seed)
    t = stats.multivariate_normal(theta, cov, allow_singular=True).rvs(_DRAWS, random_state=rng)
    t = np.atleast_2d(t)
    mu_d, kap_d = special.expit(t[:, 0]), np.exp(np.clip(t[:, 1], -10, 15))
    draws = np.column_stack([mu_d * kap_d, (1 - mu_d) * kap_d])
    return BetaBinomialFit(float(special.expit(theta[0])), float(np.exp(theta[1])),
                           np.asarray(cov, dtype=np.float64),
                           int(ka.sum()), int(na.sum()), len(ka), seed, draws)
