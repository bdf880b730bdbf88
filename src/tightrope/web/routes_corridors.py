"""Corridor endpoints: nodes, scenarios, routes and disruptions (a job) with the map."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tightrope import corridors

# the same caps as the command line
from tightrope.limits import DEFAULT_SEED, MAX_CORRIDOR_ROUTES
from tightrope.limits import MAX_CORRIDOR_RUNS as MAX_RUNS
from tightrope.web.jobs import Job

__all__ = ["DisruptRequest", "mount"]



class DisruptRequest(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    scenarios: list[str] = Field(min_length=1, max_length=5)
    method: Literal["mincost", "logit"] = "mincost"
    runs: int = Field(default=100, ge=0, le=MAX_RUNS)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**32 - 1)

    @field_validator("scenarios")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        known = {s.name for s in corridors.list_scenarios()}
        bad = [s for s in v if s not in known]
        if bad:
            raise ValueError(f"unknown scenario(s) {', '.join(bad)}; known: "
                             f"{', '.join(sorted(known))}")
        return v


def mount(app: FastAPI) -> None:
    @app.get("/api/corridors/nodes")
    def nodes() -> list[dict[str, Any]]:
        return [{"id": n.id, "name": n.name, "iso3": n.iso3, "lat": n.lat, "lon": n.lon,
                 "kind": n.kind} for n in corridors.shipped_network().nodes]

    @app.get("/api/corridors/scenarios")
    def scenarios() -> list[dict[str, str]]:
        return [{"name": s.name, "title": s.title, "kind": s.kind,
                 "description": s.description} for s in corridors.list_scenarios()]

    @app.get("/api/corridors/route")
    def route(origin: str = Query(max_length=64), destination: str = Query(max_length=64),
              k: int = Query(3, ge=1, le=MAX_CORRIDOR_ROUTES)) -> dict[str, Any]:
        """The k best routes by generalised cost, with time and cost bands."""
        if origin == destination:
            raise HTTPException(422, "origin and destination are the same node")
        out: dict[str, Any] = corridors.route(origin, destination, k=k).to_json()
        return out

    @app.post("/api/corridors/disrupt", status_code=202)
    def disrupt(req: DisruptRequest, request: Request) -> dict[str, Any]:
        """Start a disruption analysis; the result carries the map figure."""
        submitted: Job = app.state.submit_kind("corridors", req.model_dump(), request)
        return submitted.to_json()
