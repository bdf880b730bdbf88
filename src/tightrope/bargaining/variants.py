"""Named variants of the expected-utility model.

The published descriptions of Bueno de Mesquita's model and the code used to replicate it
differ in a few places. Each difference is an explicit option here, and two presets bundle
them:

``scholz`` (the default)
    The replication *code* of Scholz, Calbert & Smith (2011), as reimplemented by J. McKibben
    (github.com/jmckib/bdm-scholz-expected-utility-model, ``bdm_scholz_model.py``), whose
    comments say it is "faithful to Scholz' original code" where the code departs from the
    printed equations. That reimplementation's public run log of the EC car-emissions case is
    what the regression test reproduces (see ``docs/bargaining.md``).

``bdm``
    The rules as printed in Scholz et al. (2011) and Bueno de Mesquita (1994): a pairwise
    denominator for the probability of success (so ``P_ij + P_ji = 1``) and the offer that asks
    the least movement of its receiver.

Options
-------
probability
    ``"all-pairs"`` – numerator: the votes of actors preferring i over j; denominator: the
    absolute votes of every actor over every ordered pair of positions (replication code).
    ``"pairwise"`` – same numerator over the absolute votes on the pair (i, j) only (printed).
    ``"net"`` – the net vote for i over j, floored at 0, over the absolute votes on the pair:
    the reading of D. Masad (github.com/dmasad/BDM_DecisionModel_Replication,
    ``GroupDecisionModel.py``), kept because its published first-round risk exponents give an
    independent check of our risk calculation.
compromise
    ``"weighted-position"`` – among compromise offers, take the one whose EU-weighted average of
    the two positions is lowest (replication code; its quirk sends Belgium to the Netherlands in
    rounds 4 and 9 of the car-emissions case). ``"least-move"`` – the compromise that moves the
    receiver least (printed text).
capitulation
    ``"printed"`` – capitulate when ``EU_ji > 0 > EU_ij`` and ``|EU_ij| >= EU_ji``.
    ``"never"`` – the condition as transcribed in McKibben's code (``eu_ji < abs(eu_ji)``) can
    never hold, so actors never capitulate. The car-emissions trajectory is the same under both.
q, t
    Q: the probability an actor assigns to the status quo persisting if it does not challenge;
    T: the probability that, absent a challenge, things get better for it (Scholz et al. 2011,
    eq. for the expected utility of not challenging). Both 1.0 in the replication, which makes
    the "better/worse" utilities drop out. ``t="median-distance"`` sets T = 1 when the
    challenger is nearer the median than the target, else 0 (as implemented in
    github.com/decisionmechanics/eum ``Issue.cs``, citing Eftekhari 2014, §2.6).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from tightrope.errors import InputError, ParameterError

__all__ = [
    "VARIANTS",
    "CapitulationRule",
    "CompromiseRule",
    "ModelOptions",
    "ProbabilityRule",
    "TRule",
    "resolve_options",
]

ProbabilityRule = Literal["all-pairs", "pairwise", "net"]
CompromiseRule = Literal["weighted-position", "least-move"]
CapitulationRule = Literal["printed", "never"]
TRule = float | Literal["median-distance"]


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """One fully specified variant of the model (frozen, validated)."""

    name: str = "scholz"
    probability: ProbabilityRule = "all-pairs"
    compromise: CompromiseRule = "weighted-position"
    capitulation: CapitulationRule = "printed"
    q: float = 1.0
    t: TRule = 1.0
    source: str = ""

    def __post_init__(self) -> None:
        if self.probability not in ("all-pairs", "pairwise", "net"):
            raise ParameterError("probability rule", self.probability, "all-pairs, pairwise or net")
        if self.compromise not in ("weighted-position", "least-move"):
            raise ParameterError("compromise rule", self.compromise,
                                 "weighted-position or least-move")
        if self.capitulation not in ("printed", "never"):
            raise ParameterError("capitulation rule", self.capitulation, "printed or never")
        if not (math.isfinite(self.q) and 0.0 <= self.q <= 1.0):
            raise ParameterError("Q", self.q, "a number in [0, 1]")
        if isinstance(self.t, str):
            if self.t != "median-distance":
                raise ParameterError("T", self.t, "a number in [0, 1] or median-distance")
        elif not (math.isfinite(self.t) and 0.0 <= self.t <= 1.0):
            raise ParameterError("T", self.t, "a number in [0, 1] or median-distance")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "probability": self.probability,
            "compromise": self.compromise,
            "capitulation": self.capitulation,
            "q": self.q,
            "t": self.t,
            "source": self.source,
        }


VARIANTS: Final[dict[str, ModelOptions]] = {
    "scholz": ModelOptions(
        name="scholz",
        probability="all-pairs",
        compromise="weighted-position",
        capitulation="printed",
        q=1.0,
        t=1.0,
        source=(
            "Scholz, Calbert & Smith (2011) replication code as reimplemented in "
            "github.com/jmckib/bdm-scholz-expected-utility-model; Q = T = 1 as in that code"
        ),
    ),
    "bdm": ModelOptions(
        name="bdm",
        probability="pairwise",
        compromise="least-move",
        capitulation="printed",
        q=1.0,
        t=1.0,
        source=(
            "equations as printed in Scholz, Calbert & Smith (2011), J. Theoretical Politics "
            "23(4), §4 and §6, after Bueno de Mesquita (1994)"
        ),
    ),
}


def resolve_options(
    variant: str | ModelOptions = "scholz",
    *,
    q: float | None = None,
    t: TRule | None = None,
    **overrides: Any,
) -> ModelOptions:
    """A preset by name (or an options object), with Q, T or other fields overridden.

    An unknown variant name or an out-of-range Q/T raises :class:`InputError`.
    """
    if isinstance(variant, ModelOptions):
        base = variant
    else:
        key = str(variant).strip().lower()
        if key not in VARIANTS:
            raise InputError(
                f"unknown variant {variant!r}", expected="one of " + ", ".join(sorted(VARIANTS))
            )
        base = VARIANTS[key]
    changes = dict(overrides)
    if q is not None:
        changes["q"] = q
    if t is not None:
        changes["t"] = t
    if not changes:
        return base
    return replace(base, **changes)
