"""The bargaining service: one call from inputs to a forecast, for the CLI, web and demo.

``forecast(actors, variant, rounds, runs, seed)`` plays the model from the stated inputs and,
when ``runs > 0``, a seeded Monte Carlo over the input ranges. The result's ``to_json()`` is a
stable schema (``tightrope.bargaining/1``) with a manifest: version, variant, input hash, seed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from tightrope.bargaining.actors import Actors
from tightrope.bargaining.dynamics import Trajectory, simulate
from tightrope.bargaining.loader import load_actors
from tightrope.bargaining.montecarlo import MonteCarloResult, monte_carlo
from tightrope.bargaining.variants import ModelOptions, TRule, resolve_options
from tightrope.errors import InputError
from tightrope.manifest import Input, Manifest, utc_now
from tightrope.progress import Progress, Stages

__all__ = ["SCHEMA", "ForecastResult", "forecast"]

SCHEMA: Final = "tightrope.bargaining/1"
MAX_ROUNDS: Final = 1000
MAX_RUNS: Final = 100_000


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """A bargaining forecast: the base run and, optionally, the Monte Carlo distribution."""

    actors: Actors
    options: ModelOptions
    trajectory: Trajectory
    monte_carlo: MonteCarloResult | None
    seed: int | None
    rounds_requested: int
    created_utc: str = field(default_factory=utc_now)

    def input_hash(self) -> str:
        """SHA-256 of the actor table (names, values and ranges) as canonical JSON."""
        blob = json.dumps(self.actors.to_json(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()

    def manifest(self) -> Manifest:
        """Version, inputs (the actor table's hash), seed and generator, variant and sizes."""
        mc = self.monte_carlo
        return Manifest(
            "bargain", (Input(self.actors.source or "actor table", self.input_hash()),),
            self.seed if mc else None, mc.rng if mc else None,
            {"variant": self.options.to_dict(), "rounds_requested": self.rounds_requested,
             "rounds_played": self.trajectory.rounds, "runs": mc.runs if mc else 0},
            created_utc=self.created_utc)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (schema ``tightrope.bargaining/1``)."""
        st = self.trajectory.settlement
        meta = {k: v for k, v in self.actors.meta.items() if k != "rationale"}
        return {
            "schema": SCHEMA,
            "manifest": self.manifest().to_dict(),
            "input": {"meta": meta, "actors": self.actors.to_json()},
            "forecast": st.to_json(),
            "rounds": self.trajectory.round_records(),
            "monte_carlo": self.monte_carlo.to_json() if self.monte_carlo else None,
        }


def forecast(
    actors: Actors | str | Path,
    variant: str | ModelOptions = "scholz",
    rounds: int = 20,
    runs: int = 0,
    seed: int = 0,
    *,
    q: float | None = None,
    t: TRule | None = None,
    spread: float | None = None,
    progress: Progress | None = None,
) -> ForecastResult:
    """Run the expected-utility model on ``actors`` (an :class:`Actors`, a file or an example).

    ``rounds`` caps the base run (it stops early once it converges or cycles). ``runs`` > 0
    adds a Monte Carlo over the input ranges with ``seed``; ``spread`` gives inputs without a
    range ± that fraction (a modelling choice the caller makes explicitly). ``progress`` sees
    the base run and the Monte Carlo on one scale (weighted by rounds simulated), its message
    naming the stage.

    >>> r = forecast("ec-car-emissions", rounds=3)
    >>> r.trajectory.rounds, round(float(r.trajectory.means[1]), 5)
    (3, 7.46131)
    """
    if not 1 <= rounds <= MAX_ROUNDS:
        raise InputError(f"rounds {rounds} is out of range", expected=f"1 to {MAX_ROUNDS}")
    if not 0 <= runs <= MAX_RUNS:
        raise InputError(f"runs {runs} is out of range", expected=f"0 to {MAX_RUNS}")
    acts = actors if isinstance(actors, Actors) else load_actors(actors)
    if spread is not None:
        acts = acts.with_spread(spread)
    opts = resolve_options(variant, q=q, t=t)

    stages = Stages(progress, {"rounds": rounds, "monte carlo": runs * rounds})
    traj = simulate(acts, opts, rounds, progress=stages.stage("rounds"))
    if (done := stages.stage("rounds")) is not None:
        done(1, 1)  # the base run may stop early (converged or cycling): it is finished
    mc = None
    if runs > 0:
        if not acts.has_ranges:
            raise InputError(
                "Monte Carlo needs input ranges, and none of the inputs has one",
                source=acts.source,
                expected="<field>_low/<field>_high columns, {value, low, high} in YAML, "
                         "or a spread applied to every input")
        mc = monte_carlo(acts, opts, rounds, runs, seed, progress=stages.stage("monte carlo"))
    return ForecastResult(acts, opts, traj, mc, seed if runs > 0 else None, rounds)
