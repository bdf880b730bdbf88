"""Simulated catastrophe probabilities beside the base rates of their reference classes.

A catastrophe kind of a scenario may name fitted rates per dyad-year (``evidence:`` under
``catastrophes``). Over a horizon of ``Y = quarters / 4`` years, the reference-class chance
that at least one of the named dyads sees the event is ``1 - prod_i (1 - p_i)^Y``, computed at
each rate's mean and at the ends of its 90% interval (the band). A simulated probability
*exceeds its reference class* when even the low end of its 95% Wilson interval lies above the
band's high end.

Also: which judgement parameters matter most for the verdict, read from the Sobol' total-order
indices the robust analysis computes (groups of parameters, with how many of each group's
parameters rest on judgement, a cited fact or evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tightrope.evidence import estimate, rates
from tightrope.minefield.results import wilson
from tightrope.minefield.service import Comparison
from tightrope.minefield.spec import Scenario

__all__ = ["BaseRateCheck", "base_rate_checks", "base_rate_lines", "judgement_drivers"]


@dataclass(frozen=True, slots=True)
class BaseRateCheck:
    """One strategy's simulated P(kind) over the horizon against the reference band."""

    strategy: str
    kind: str
    simulated: float
    simulated_ci: tuple[float, float]
    reference: float
    reference_band: tuple[float, float]
    years: float
    evidence: tuple[str, ...]
    note: str

    @property
    def exceeds(self) -> bool:
        return self.simulated_ci[0] > self.reference_band[1]

    def to_json(self) -> dict[str, Any]:
        return {"strategy": self.strategy, "kind": self.kind, "simulated": self.simulated,
                "simulated_ci95": list(self.simulated_ci), "reference": self.reference,
                "reference_band": list(self.reference_band), "years": self.years,
                "evidence": list(self.evidence), "exceeds_reference": self.exceeds,
                "note": self.note}


def _over(ps: list[float], years: float) -> float:
    q = 1.0
    for p in ps:
        q *= (1.0 - p) ** years
    return 1.0 - q


def base_rate_checks(comp: Comparison) -> list[BaseRateCheck]:
    """Every strategy x catastrophe kind that names evidence, compared with its band."""
    out = []
    for c in comp.scenario.catastrophes:
        if not c.evidence:
            continue
        es = [estimate(n) for n in c.evidence]
        for r in comp.results:
            years = r.horizon / 4.0
            sim = float(r.by_kind.get(c.key, 0.0))
            ci = wilson(round(sim * r.runs), r.runs)
            out.append(BaseRateCheck(
                r.strategy, c.key, sim, ci, _over([e.mean for e in es], years),
                (_over([e.low for e in es], years), _over([e.high for e in es], years)),
                years, c.evidence, c.evidence_note))
    return out


def _class_of(name: str) -> str:
    """The class estimate behind a dyad estimate (``mid.<class>.<rung>.<ISO3>``)."""
    parts = name.split(".")
    return ".".join(parts[:3]) if len(parts) == 4 else name


def base_rate_lines(sc: Scenario) -> list[str]:
    """Plain sentences: how often the reference classes saw each event, and the dyad's own
    record, for every estimate the scenario uses (parameters and catastrophe kinds)."""
    names: list[str] = []
    for p in sc.params.values():
        if p.origin.startswith("evidence:"):
            names.append(p.origin.partition(":")[2])
    for c in sc.catastrophes:
        names += list(c.evidence)
    table = rates()
    lines, seen = [], set()
    for n in dict.fromkeys(names):
        cls = _class_of(n)
        for key in (cls, n):
            if key in seen or key not in table:
                continue
            seen.add(key)
            e = table[key]
            unit = "dyad-years" if e.per == "dyad-year" else "dyad-quarters"
            lines.append(f"{e.reference_class}: {e.outcome} in {e.events} of {e.trials} "
                         f"{unit}; pooled rate {e.mean:.2%} per {e.per.split(' ')[0]} "
                         f"[{e.low:.2%}–{e.high:.2%}] ({e.data.split(';')[0]}).")
    return lines


def judgement_drivers(sc: Scenario, sobol: Any, top: int = 6) -> list[dict[str, Any]]:
    """Top Sobol' groups by total-order index, with the provenance of their parameters.

    ``sobol`` is a :class:`~tightrope.minefield.robust.sensitivity.SobolResult`; a group is a
    block (``power: russia``) or one screened parameter name.
    """
    import numpy as np

    from tightrope.minefield.robust.sensitivity import block_groups

    names = list(sc.params)
    blocks = dict(zip(names, block_groups(names), strict=True))
    order = [int(i) for i in np.argsort(-np.asarray(sobol.total), kind="stable")[:top]]
    out = []
    for i in order:
        g = str(sobol.groups[i])
        members = [n for n in names if n == g or blocks[n] == g]
        kinds = [sc.params[n].kind for n in members]
        out.append({"group": g, "total": float(sobol.total[i]),
                    "total_conf": float(sobol.total_conf[i]),
                    "judgement": kinds.count("judgement"), "fact": kinds.count("fact"),
                    "evidence": kinds.count("evidence")})
    return out
