"""Minefield endpoints: shipped scenarios and their strategies; ``POST /api/simulate`` (a job).

Only shipped scenarios can be run from the page: the server never reads a path a client names.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tightrope import minefield
from tightrope.limits import (
    DEFAULT_SEED,
    MAX_HORIZON,  # the same cap as the command line
)
from tightrope.web.jobs import Job

__all__ = ["SimulateRequest", "mount"]

MAX_RUNS = 20_000


@lru_cache(maxsize=16)
def _strategy_names(scenario: str) -> tuple[str, ...]:
    """Strategy names of a shipped scenario (parsed once: validation runs on every request)."""
    return tuple(s.name for s in minefield.all_strategies(minefield.load_scenario(scenario)))


@lru_cache(maxsize=1)
def _shipped() -> tuple[str, ...]:
    return tuple(minefield.shipped_scenarios())


class SimulateRequest(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    scenario: str = Field(max_length=64)
    strategy: str = Field(default="balancer", max_length=64)
    runs: int = Field(default=2000, ge=1, le=MAX_RUNS)
    horizon: int | None = Field(default=None, ge=1, le=MAX_HORIZON)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**32 - 1)
    floor: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _known(self) -> SimulateRequest:
        shipped = _shipped()
        if self.scenario not in shipped:
            raise ValueError(f"unknown scenario {self.scenario!r}; shipped: {', '.join(shipped)}")
        names = _strategy_names(self.scenario)
        if self.strategy != "all" and self.strategy not in names:
            raise ValueError(f"unknown strategy {self.strategy!r}; known: all, "
                             f"{', '.join(names)}")
        return self


MAX_SAMPLES = 256
MAX_ROBUST_RUNS = 1000


class RobustRequest(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    scenario: str = Field(max_length=64)
    samples: int = Field(default=64, ge=8, le=MAX_SAMPLES)
    runs: int = Field(default=200, ge=10, le=MAX_ROBUST_RUNS)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**32 - 1)

    @model_validator(mode="after")
    def _known(self) -> RobustRequest:
        shipped = _shipped()
        if self.scenario not in shipped:
            raise ValueError(f"unknown scenario {self.scenario!r}; shipped: {', '.join(shipped)}")
        return self


def mount(app: FastAPI) -> None:
    @app.post("/api/robust", status_code=202)
    def robust(req: RobustRequest, request: Request) -> dict[str, Any]:
        """Start a robust analysis (robustness, Pareto front, PRIM, Sobol'); a job."""
        submitted: Job = app.state.submit_kind("robust", req.model_dump(), request)
        return submitted.to_json()

    @app.get("/api/simulate/scenarios")
    def scenarios() -> list[dict[str, Any]]:
        out = []
        for key in minefield.shipped_scenarios():
            sc = minefield.load_scenario(key)
            out.append({"key": key, "title": sc.title,
                        "strategies": [s.name for s in minefield.all_strategies(sc)]})
        return out

    @app.post("/api/simulate", status_code=202)
    def simulate(req: SimulateRequest, request: Request) -> dict[str, Any]:
        """Start a simulation (one strategy, or ``all`` to compare); poll ``/api/jobs/{id}``."""
        submitted: Job = app.state.submit_kind("simulate", req.model_dump(), request)
        return submitted.to_json()
