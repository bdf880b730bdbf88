"""The dependence matrix D[power, channel], the balance index and its Monte Carlo band.

A cell is the weighted mean of its known components (see :mod:`tightrope.exposure.inputs`):

    D[p, c] = sum_k w_k s_pk x_pk / sum_k w_k s_pk      over components k of channel c known for p

with weights ``w_k`` (assumptions, :mod:`tightrope.exposure.config`) and scales ``s_pk`` (1, or
the number of organisations of a kind for the institutions channel). The ethnic-kin component
enters as min(1, share / saturation). Trade uses equal weights on export and import shares.

Uncertainty: every component with a range [low, high] (disputed, approximate or censored
figures) and every weight is drawn uniformly from its range, ``runs`` times, from one seeded
generator; the band is the 5th–95th percentile of the resulting index, widened where needed
to hold the central value (a censored share's central value is its lower bound).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tightrope.exposure.balance import balance_index_batch
from tightrope.exposure.config import CHANNELS, ExposureSettings
from tightrope.exposure.inputs import COMPONENTS, Inputs
from tightrope.provenance import Assumption

__all__ = ["MatrixResult", "evaluate", "min_known_powers"]


def min_known_powers(n_powers: int) -> int:
    """Known cells a channel needs for its index: half of the powers, at least two.

    >>> min_known_powers(7), min_known_powers(4), min_known_powers(2)
    (4, 2, 2)
    """
    return max(2, -(-n_powers // 2))


def _weights(settings: ExposureSettings, channel: str) -> dict[str, Assumption] | None:
    return {
        "security": settings.security_weights,
        "society": settings.society_weights,
        "institutions": settings.institution_weights,
    }.get(channel)


@dataclass
class MatrixResult:
    powers: tuple[str, ...]
    channels: tuple[str, ...]
    d: NDArray[np.float64]  # (powers, channels), central estimate, NaN = unknown
    d_band: NDArray[np.float64]  # (2, powers, channels): 5th and 95th percentiles
    channel_index: NDArray[np.float64]  # (channels,)
    channel_band: NDArray[np.float64]  # (2, channels)
    overall: float
    overall_band: tuple[float, float]
    seed: int
    runs: int

    def shares(self) -> NDArray[np.float64]:
        """Each power's share of the dependence in each channel (over known powers)."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self.d / np.nansum(self.d, axis=0, keepdims=True), dtype=float)

    def vector(self) -> dict[str, Any]:
        """The leading power per channel and the overall lean."""
        sh = self.shares()
        lead: dict[str, Any] = {}
        for j, c in enumerate(self.channels):
            col = sh[:, j]
            if np.all(np.isnan(col)):
                lead[c] = None
                continue
            order = np.argsort(-np.nan_to_num(col, nan=-1.0))
            first, second = order[0], order[1] if len(order) > 1 else order[0]
            lead[c] = {"kind": "derived", "power": self.powers[first],
                       "share": float(col[first]),
                       "margin": float(col[first] - np.nan_to_num(col[second]))}
        mean_share = np.nanmean(sh, axis=1) if sh.size else np.array([])
        ok = ~np.isnan(mean_share)
        net = None
        if ok.any():
            i = int(np.nanargmax(mean_share))
            net = {"kind": "derived", "power": self.powers[i],
                   "mean_share": float(mean_share[i])}
        return {"kind": "derived", "formula": "shares of D per channel; mean over channels",
                "leaders": lead, "net_lean": net,
                "mean_share": {p: {"kind": "derived",
                                   "value": None if np.isnan(v) else float(v)}
                               for p, v in zip(self.powers, mean_share, strict=True)}}


def _sample_components(inp: Inputs, channel: str, rng: np.random.Generator, runs: int,
                       central: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Component values (runs, powers, K) and scales (powers, K); NaN where unknown."""
    keys = COMPONENTS[channel]
    P, K = len(inp.powers), len(keys)
    low = np.full((P, K), np.nan)
    high = np.full((P, K), np.nan)
    mid = np.full((P, K), np.nan)
    scale = np.ones((P, K))
    for i, p in enumerate(inp.powers):
        for k, comp in enumerate(inp.components[(p, channel)]):
            scale[i, k] = comp.scale
            if comp.value is not None:
                mid[i, k], low[i, k], high[i, k] = comp.value, comp.low, comp.high
    if central:
        return mid[None], scale
    # triangular on [low, high] with its mode at the headline figure
    lo_b, hi_b = np.broadcast_to(low, (runs, P, K)), np.broadcast_to(high, (runs, P, K))
    mode = np.broadcast_to(mid, (runs, P, K))
    u = rng.random((runs, P, K))
    width = hi_b - lo_b
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(width > 0, (mode - lo_b) / width, 0.5)
        left = lo_b + np.sqrt(u * width * (mode - lo_b))
        right = hi_b - np.sqrt((1 - u) * width * (hi_b - mode))
    return np.where(u < c, left, right), scale


def _channel_cells(inp: Inputs, settings: ExposureSettings, channel: str,
                   rng: np.random.Generator, runs: int, central: bool) -> NDArray[np.float64]:
    """Cells of one channel for every power: (runs, powers)."""
    vals, scale = _sample_components(inp, channel, rng, runs, central)
    keys = COMPONENTS[channel]
    wspec = _weights(settings, channel)
    if wspec is None:
        w = np.ones((vals.shape[0], len(keys)))
    elif central:
        w = np.array([[wspec[k].value for k in keys]])
    else:
        lo = np.array([wspec[k].low for k in keys])
        hi = np.array([wspec[k].high for k in keys])
        w = lo + rng.random((runs, len(keys))) * (hi - lo)
    if channel == "society":
        sat = settings.kin_saturation
        s = (np.full((vals.shape[0], 1), sat.value) if central
             else sat.low + rng.random((runs, 1)) * (sat.high - sat.low))
        vals = vals.copy()
        vals[:, :, 0] = np.minimum(1.0, vals[:, :, 0] / s)
    known = ~np.isnan(vals)
    ww = w[:, None, :] * scale[None, :, :] * known
    num = np.where(known, vals, 0.0) * ww
    den = ww.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num.sum(axis=2) / den
    # a cell whose known components all have zero weight (e.g. no organisations) is unknown
    return np.where(known.any(axis=2) & (den > 0), out, np.nan)


def _overall(idx: NDArray[np.float64], cw: NDArray[np.float64]) -> NDArray[np.float64]:
    ok = ~np.isnan(idx)
    w = np.where(ok, cw, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (np.where(ok, idx, 0.0) * w).sum(axis=1) / w.sum(axis=1)
    return np.where(w.sum(axis=1) > 0, out, np.nan)


def evaluate(inp: Inputs, settings: ExposureSettings) -> MatrixResult:
    """Central matrix and indices, and their seeded Monte Carlo band."""
    P, C = len(inp.powers), len(CHANNELS)
    d = np.full((P, C), np.nan)
    for j, c in enumerate(CHANNELS):
        d[:, j] = _channel_cells(inp, settings, c, np.random.default_rng(0), 1, True)[0]
    cw = np.array([[settings.channel_weights[c].value for c in CHANNELS]])
    idx = np.array([balance_index_batch(d[:, j][None, :])[0] for j in range(C)])
    # a channel known for fewer than half of the powers says little about balance among them
    # (Jordan's energy: 2 of 7 powers known gave an index of 0): left undefined
    covered = (~np.isnan(d)).sum(axis=0) >= min_known_powers(P)
    idx = np.where(covered, idx, np.nan)
    overall = float(_overall(idx[None, :], cw)[0])

    runs = settings.runs
    streams = np.random.SeedSequence(settings.seed).spawn(C + 1)
    draws = np.full((runs, P, C), np.nan)
    for j, c in enumerate(CHANNELS):
        draws[:, :, j] = _channel_cells(inp, settings, c, np.random.default_rng(streams[j]),
                                        runs, False)
    idx_draws = np.stack([balance_index_batch(draws[:, :, j]) for j in range(C)], axis=1)
    idx_draws = np.where(covered[None, :], idx_draws, np.nan)
    lo = np.array([settings.channel_weights[c].low for c in CHANNELS])
    hi = np.array([settings.channel_weights[c].high for c in CHANNELS])
    cw_draws = lo + np.random.default_rng(streams[C]).random((runs, C)) * (hi - lo)
    overall_draws = _overall(idx_draws, cw_draws)

    def pct(a: NDArray[np.float64]) -> NDArray[np.float64]:
        # all-NaN slices (unknown cells) stay NaN; numpy warns about them, which we expect
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.asarray(np.nanpercentile(a, [5, 95], axis=0))

    def around(central: NDArray[np.float64], band: NDArray[np.float64]) -> NDArray[np.float64]:
        # the band always holds the central value: a censored trade share's central value is
        # the lower bound of its range, and the index is not linear in its inputs, so the
        # 5th-95th percentile alone can exclude it (Kazakhstan-EU trade 0.025 vs 0.061-0.29)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.stack([np.fmin(band[0], central), np.fmax(band[1], central)])

    ob = around(np.array(overall), pct(overall_draws))
    return MatrixResult(
        powers=inp.powers, channels=CHANNELS, d=d, d_band=around(d, pct(draws)),
        channel_index=idx, channel_band=around(idx, pct(idx_draws)), overall=overall,
        overall_band=(float(ob[0]), float(ob[1])), seed=settings.seed, runs=runs)
