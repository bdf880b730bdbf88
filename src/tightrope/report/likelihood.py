"""Words for probabilities, confidence levels and numbers rounded to their uncertainty.

Likelihood words follow the US intelligence community's analytic standard: Office of the
Director of National Intelligence, *Intelligence Community Directive 203: Analytic Standards*
(2015), table of expressions of likelihood. Each word covers a probability range; a shared
boundary (5%, 20%, ...) belongs to the upper class; below 1% still reads "almost no chance" and
above 99% "almost certain" (the directive's scale stops at 1% and 99%).

Rule for an interval (the word the judgement uses): the classes of the interval's two ends. If
both ends fall in one class, that word; otherwise the phrase "<lower word> to <upper word>",
which covers every class in between — the wider phrase, never a narrower claim than the
interval supports.

Confidence (ICD 203 keeps it apart from likelihood) starts at high and drops one level for each
of: the interval spans two likelihood classes (two levels for three or more classes); the
evidence rests partly on assumptions (two levels when only on assumptions); the method failed
its validation. Never below low.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from tightrope.report.numbers import MINUS

__all__ = ["ICD203", "Confidence", "confidence", "likelihood_class", "likelihood_phrase",
           "round_to_uncertainty", "rounded", "rounded_percent"]

#: (word, lower bound, upper bound) of ICD 203's expressions of likelihood, as probabilities.
ICD203: Final = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)
ICD203_CITATION: Final = ("ODNI, Intelligence Community Directive 203: Analytic Standards "
                          "(2015)")


def _check(p: float) -> None:
    if not 0.0 <= p <= 1.0:  # also rejects NaN
        raise ValueError(f"a probability must be in [0, 1], got {p}")


def likelihood_class(p: float) -> int:
    """Index into :data:`ICD203` of probability ``p`` (a boundary belongs to the upper class).

    >>> [ICD203[likelihood_class(p)][0] for p in (0.0, 0.05, 0.5, 0.999)]
    ['almost no chance', 'very unlikely', 'roughly even chance', 'almost certain']
    """
    _check(p)
    for i in range(len(ICD203) - 1, 0, -1):
        if p >= ICD203[i][1]:
            return i
    return 0


def likelihood_phrase(lo: float, hi: float) -> str:
    """The likelihood word of an interval ``[lo, hi]`` (see the module for the rule).

    >>> likelihood_phrase(0.12, 0.18), likelihood_phrase(0.12, 0.25)
    ('very unlikely', 'very unlikely to unlikely')
    """
    if lo > hi:
        raise ValueError(f"interval ends out of order: {lo} > {hi}")
    a, b = likelihood_class(lo), likelihood_class(hi)
    return ICD203[a][0] if a == b else f"{ICD203[a][0]} to {ICD203[b][0]}"


Level = Literal["high", "moderate", "low"]
Basis = Literal["data", "mixed", "assumption"]
_LEVELS: Final[tuple[Level, ...]] = ("high", "moderate", "low")


@dataclass(frozen=True)
class Confidence:
    level: Level
    reasons: tuple[str, ...]

    def text(self) -> str:
        why = "; ".join(self.reasons) if self.reasons else (
            "the interval lies in one likelihood class and rests on data")
        return f"{self.level} confidence ({why})"


def confidence(lo: float, hi: float, basis: Basis, validated: bool | None = None) -> Confidence:
    """Confidence level of a judgement (rule in the module docstring).

    >>> confidence(0.12, 0.18, "data").level, confidence(0.12, 0.6, "mixed").level
    ('high', 'low')
    """
    spans = likelihood_class(hi) - likelihood_class(lo) + 1
    drop = 0
    reasons: list[str] = []
    if spans > 1:
        drop += 1 if spans == 2 else 2
        reasons.append(f"the interval spans {spans} likelihood classes")
    if basis == "mixed":
        drop += 1
        reasons.append("it rests partly on assumptions")
    elif basis == "assumption":
        drop += 2
        reasons.append("its inputs are assumptions")
    if validated is False:
        drop += 1
        reasons.append("the method missed its validation goal")
    return Confidence(_LEVELS[min(drop, 2)], tuple(reasons))


def round_to_uncertainty(x: float, lo: float, hi: float, max_sig: int = 3) -> tuple[float, int]:
    """``x`` rounded to the decimal place of the first significant digit of the interval's
    half-width (one uncertain digit, as in the Particle Data Group's rounding convention),
    and to at most ``max_sig`` significant figures. Returns (value, decimals); decimals may be
    negative (rounding to tens, hundreds...).

    >>> round_to_uncertainty(0.1523, 0.1214, 0.1840)
    (0.15, 2)
    >>> round_to_uncertainty(-186.17, -274.1, -112.2)
    (-190.0, -1)
    """
    if any(math.isnan(v) or math.isinf(v) for v in (x, lo, hi)):
        raise ValueError("estimate and interval must be finite")
    half = (max(lo, hi) - min(lo, hi)) / 2
    decimals = -math.floor(math.log10(half)) if half > 0 else 99
    if x != 0:
        decimals = min(decimals, max_sig - 1 - math.floor(math.log10(abs(x))))
    decimals = min(decimals, 15)
    return round(x, decimals), decimals


def rounded(x: float, lo: float, hi: float, max_sig: int = 3) -> str:
    """:func:`round_to_uncertainty` as text, true minus sign, thousands separated.

    >>> rounded(-186.17, -274.1, -112.2), rounded(53.06, 27.9, 60.9)
    ('−190', '50')
    """
    v, d = round_to_uncertainty(x, lo, hi, max_sig)
    text = f"{v:,.{max(d, 0)}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = "0"
    return text.replace("-", MINUS)


def rounded_percent(p: float, lo: float, hi: float) -> str:
    """A probability as a percentage rounded to its interval, e.g. "15%"; never "0%" for a
    positive value (then "<" the rounding step).

    >>> rounded_percent(0.1523, 0.1214, 0.1840), rounded_percent(0.003, 0.0, 0.2)
    ('15%', '<10%')
    """
    v, d = round_to_uncertainty(100 * p, 100 * lo, 100 * hi, 3)
    if v == 0 and p > 0:
        return f"<{10.0 ** -d:g}%"
    if v == 100 and p < 1:
        return f">{100 - 10.0 ** -d:g}%"
    return f"{v:.{max(d, 0)}f}%"
