"""Bargaining endpoints: ``GET /api/bargain/examples``, ``POST /api/bargain`` (a job)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tightrope.bargaining import EXAMPLES, Actors, load_actors
from tightrope.bargaining.loader import actors_from_csv_text
from tightrope.errors import InputError
from tightrope.limits import DEFAULT_SEED

# the same caps as the command line
from tightrope.limits import MAX_BARGAIN_ROUNDS as MAX_ROUNDS
from tightrope.limits import MAX_BARGAIN_RUNS as MAX_RUNS
from tightrope.web.jobs import Job

__all__ = ["BargainRequest", "CsvUpload", "mount"]

MAX_ACTORS = 60
#: an uploaded CSV table: 60 actors with ranges and notes fit easily
MAX_CSV_CHARS = 100_000


class CsvUpload(BaseModel):
    """A CSV actor table uploaded from the page, read by the command line's CSV reader."""

    csv: str = Field(max_length=MAX_CSV_CHARS)
    name: str = Field(default="upload.csv", max_length=120)

    def actors(self) -> Actors:
        # only the base name, printable, is quoted back in error messages
        name = "".join(c for c in self.name.replace("\\", "/").rsplit("/", 1)[-1]
                       if c.isprintable()) or "upload.csv"
        acts = actors_from_csv_text(self.csv, name)
        if len(acts.names) > MAX_ACTORS:
            raise InputError(f"{len(acts.names)} actors", source=name,
                             expected=f"at most {MAX_ACTORS} actors")
        return acts


class ActorRow(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    actor: str = Field(min_length=1, max_length=80)
    capability: float = Field(gt=0, le=1e6)
    position: float = Field(ge=-1e6, le=1e6)
    salience: float = Field(ge=0, le=1)


class BargainRequest(BaseModel):
    """Either a shipped ``example`` or an ``actors`` table (not both)."""

    model_config = ConfigDict(allow_inf_nan=False)

    example: str | None = Field(default=None, max_length=64)
    actors: list[ActorRow] | None = Field(default=None, max_length=MAX_ACTORS)
    #: an uploaded CSV table (keeps its Monte Carlo ranges)
    upload: CsvUpload | None = None
    variant: Literal["scholz", "bdm"] = "scholz"
    rounds: int = Field(default=20, ge=1, le=MAX_ROUNDS)
    runs: int = Field(default=0, ge=0, le=MAX_RUNS)
    seed: int = Field(default=DEFAULT_SEED, ge=0, le=2**32 - 1)

    @model_validator(mode="after")
    def _one_input(self) -> BargainRequest:
        if sum(x is not None for x in (self.example, self.actors, self.upload)) != 1:
            raise ValueError("give either 'example' or 'actors' (or an 'upload' CSV table), "
                             "exactly one")
        if self.example is not None and self.example not in EXAMPLES:
            raise ValueError(f"unknown example {self.example!r}; known: {', '.join(EXAMPLES)}")
        if self.actors is not None and len(self.actors) < 2:
            raise ValueError("the model needs at least two actors")
        return self


def _actors(req: BargainRequest) -> Actors:
    if req.example is not None:
        return load_actors(req.example)
    if req.upload is not None:
        return req.upload.actors()
    rows = req.actors or []
    return Actors.from_columns([r.actor for r in rows], [r.capability for r in rows],
                               [r.position for r in rows], [r.salience for r in rows],
                               source="web request")


def mount(app: FastAPI) -> None:
    @app.get("/api/bargain/examples")
    def examples() -> dict[str, Any]:
        """The shipped actor tables (illustrative expert judgement, see each file's notes)."""
        out = {}
        for name in EXAMPLES:
            a = load_actors(name)
            out[name] = {"meta": {k: v for k, v in a.meta.items() if k != "rationale"},
                         "actors": [{"actor": n, "capability": float(c), "position": float(p),
                                     "salience": float(s)} for n, c, p, s in
                                    zip(a.names, a.capability, a.position, a.salience,
                                        strict=True)]}
        return out

    @app.post("/api/bargain/csv")
    def read_csv(upload: CsvUpload) -> dict[str, Any]:
        """Read an uploaded CSV actor table as the command line does (``actor,capability,
        position,salience``, optional ``<field>_low``/``_high`` ranges); 400 with one line
        naming the file, line and field when it is malformed."""
        a = upload.actors()
        return {"actors": [{"actor": n, "capability": float(c), "position": float(p),
                            "salience": float(s)} for n, c, p, s in
                           zip(a.names, a.capability, a.position, a.salience, strict=True)],
                "has_ranges": a.has_ranges}

    @app.post("/api/bargain", status_code=202)
    def bargain(req: BargainRequest, request: Request) -> dict[str, Any]:
        """Start a forecast; poll ``GET /api/jobs/{id}`` for progress and the result."""
        _actors(req)  # validate now, so bad tables fail with 400, not in the job
        submitted: Job = app.state.submit_kind("bargain", req.model_dump(), request)
        return submitted.to_json()
