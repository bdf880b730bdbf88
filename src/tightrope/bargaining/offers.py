"""Offers between actors and the choice among them (Scholz et al. 2011, §6).

Pure, vectorised functions over arrays with any leading batch shape; pairwise arrays are
``(..., n, n)`` with the receiver i on the second-to-last axis and the proposer j last.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tightrope._types import FloatArray, IntArray
from tightrope.bargaining.variants import CapitulationRule, CompromiseRule

__all__ = [
    "CAPITULATION",
    "COMPROMISE",
    "CONFRONTATION",
    "NO_OFFER",
    "OFFER_NAMES",
    "choose_offers",
    "classify_offers",
]


NO_OFFER: Final = 0
CONFRONTATION: Final = 1
COMPROMISE: Final = 2
CAPITULATION: Final = 3
#: Offer codes to names, as used in tables and JSON.
OFFER_NAMES: Final = ("none", "confrontation", "compromise", "capitulation")


def _f(a: ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


def classify_offers(
    x: ArrayLike,
    eu_ij: ArrayLike,
    eu_ji: ArrayLike,
    capitulation: CapitulationRule = "printed",
) -> tuple[NDArray[np.int8], FloatArray]:
    """Offer kind and target position for every receiver i (row) and proposer j (column).

    From i's point of view (both utilities evaluated with r_i), with x_j ≠ x_i:

    * confrontation: EU_ji > EU_ij > 0 — i expects to lose the fight and moves to x_j;
    * compromise: EU_ji > 0 > EU_ij and EU_ji > |EU_ij| — i moves to
      x_i + (x_j − x_i)·|EU_ij / EU_ji|;
    * capitulation: EU_ji > 0 > EU_ij and |EU_ij| ≥ EU_ji — i moves to x_j
      (never, with ``capitulation="never"``).

    Reference: Scholz et al. (2011), §6 (after Bueno de Mesquita 1994's quadrant chart).

    >>> kind, target = classify_offers([0.0, 10.0], [[0, -0.1], [0, 0]], [[0, 0.4], [0, 0]])
    >>> [OFFER_NAMES[k] for k in kind[0]], float(target[0, 1])
    (['none', 'compromise'], 2.5)
    """
    xf, eij, eji = _f(x), _f(eu_ij), _f(eu_ji)
    xi, xj = xf[..., :, None], xf[..., None, :]
    differ = xi != xj
    conf = differ & (eji > eij) & (eij > 0)
    gain = differ & ~conf & (eji > 0) & (eij < 0)
    comp = gain & (eji > np.abs(eij))
    capit = gain & ~comp if capitulation == "printed" else np.zeros_like(gain)
    kind = np.zeros(conf.shape, dtype=np.int8)
    kind[conf] = CONFRONTATION
    kind[comp] = COMPROMISE
    kind[capit] = CAPITULATION
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(comp, np.abs(eij) / np.where(comp, eji, 1.0), 1.0)
    target = np.where(comp, xi + (xj - xi) * frac, np.broadcast_to(xj, conf.shape))
    target = np.where(kind == NO_OFFER, np.broadcast_to(xi, conf.shape), target)
    return kind, np.asarray(target, dtype=np.float64)


def _pick(mask: NDArray[np.bool_], key: FloatArray, eji: FloatArray,
          target: FloatArray) -> IntArray:
    """Per row, the column with the lowest key; ties to the larger EU_ji, then lower target."""
    k = np.where(mask, key, np.inf)
    cand = mask & (k == k.min(axis=-1, keepdims=True))
    e = np.where(cand, eji, -np.inf)
    cand &= e == e.max(axis=-1, keepdims=True)
    return np.asarray(np.argmin(np.where(cand, target, np.inf), axis=-1), dtype=np.int64)


def choose_offers(
    x: ArrayLike,
    kind: NDArray[np.int8],
    target: ArrayLike,
    eu_ij: ArrayLike,
    eu_ji: ArrayLike,
    compromise: CompromiseRule = "weighted-position",
) -> tuple[FloatArray, NDArray[np.int8], IntArray]:
    """Each actor's accepted offer: new positions, offer kind and proposer (−1 for none).

    Confrontations take precedence over compromises, compromises over capitulations. Within a
    kind the offer nearest the receiver wins, except compromises under the
    ``"weighted-position"`` rule, which take the lowest (|EU_ij| x_i + |EU_ji| x_j) /
    (|EU_ij| + |EU_ji|) as the replication code does. Exact ties go to the proposer with the
    larger EU_ji, then to the lower target, so results never depend on the order of actors.
    """
    xf, tf, eij, eji = _f(x), _f(target), _f(eu_ij), _f(eu_ji)
    xi, xj = xf[..., :, None], xf[..., None, :]
    move = np.abs(tf - xi)
    chosen = np.full(xf.shape, -1, dtype=np.int64)
    chosen_kind = np.zeros(xf.shape, dtype=np.int8)
    for code in (CAPITULATION, COMPROMISE, CONFRONTATION):  # last assignment wins
        mask = kind == code
        if code == COMPROMISE and compromise == "weighted-position":
            a, b = np.abs(eij), np.abs(eji)
            with np.errstate(invalid="ignore", divide="ignore"):
                key = (a * xi + b * xj) / (a + b)
        else:
            key = move
        pick = _pick(mask, key, eji, tf)
        has = mask.any(axis=-1)
        chosen = np.where(has, pick, chosen)
        chosen_kind = np.where(has, np.int8(code), chosen_kind).astype(np.int8)
    safe = np.maximum(chosen, 0)
    moved = np.take_along_axis(tf, safe[..., None], axis=-1)[..., 0]
    new_x = np.where(chosen >= 0, moved, xf)
    return np.asarray(new_x, dtype=np.float64), chosen_kind, chosen
