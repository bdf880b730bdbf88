"""FastAPI application: ``/api/...`` endpoints over the services, and the offline page.

The server opens the store read-only, answers each request on its own DuckDB cursor, validates
every input with pydantic, caps request bodies and job sizes, and runs long jobs on a bounded
queue (:mod:`tightrope.web.jobs`). It reads no file a client names.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import duckdb
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from tightrope import __version__
from tightrope.errors import InputError, TightropeError, UnknownCountryError
from tightrope.exposure import ExposureSettings, exposure_profile
from tightrope.ingest.codes import country_codes
from tightrope.profile import build_profile
from tightrope.store import Store, load_world, open_store
from tightrope.store.db import default_db_path
from tightrope.store.eventqueries import has_events
from tightrope.store.queries import countries_by_name, loads
from tightrope.web.cache import VersionedCache
from tightrope.web.jobs import Job, JobManager, QueueFull
from tightrope.web.security import (
    LOOPBACK_HOSTS,
    BodyLimit,
    ClientId,
    HostCheck,
    TokenCheck,
    client_id,
    normalise_host,
)
from tightrope.web.validation import one_line

__all__ = ["WebSettings", "create_app"]

MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class WebSettings:
    """Limits and locations of one server."""

    db: Path | None = None
    max_body_bytes: int = 256 * 1024
    #: job worker processes; one leaves the second core to the API on a 2-core machine
    workers: int = 1
    #: run jobs in worker processes (False: threads of the server, e.g. for debugging)
    job_processes: bool = True
    max_pending_jobs: int = 32
    max_compare: int = 6
    exposure_runs: int = 1000
    #: names and addresses clients may use in the Host header (any port); loopback by default
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    #: access token required on every request (None: no token, for loopback-only serving)
    token: str | None = None
    #: compute the world ranking and the first profile in the background at start-up
    warm: bool = False

    def __post_init__(self) -> None:
        hosts = tuple(dict.fromkeys(normalise_host(h) for h in self.allowed_hosts))
        object.__setattr__(self, "allowed_hosts", hosts)
        if self.token is not None and (len(self.token) < MIN_TOKEN_CHARS
                                       or not self.token.isascii()
                                       or any(c in self.token for c in " ;,\"\\")):
            raise InputError("the access token is unusable",
                             expected=f"at least {MIN_TOKEN_CHARS} ASCII characters without "
                                      "spaces, quotes, commas or semicolons")


class _StoreHandle:
    """One read-only connection; each request gets its own cursor (thread-safe in DuckDB)."""

    def __init__(self, path: Path) -> None:
        if not path.exists() or not _loaded(path):
            with open_store(path) as s:
                load_world(s)
        self.path = path
        self.con = duckdb.connect(str(path), read_only=True)
        self.lock = threading.Lock()

    @contextmanager
    def store(self) -> Iterator[Store]:
        with self.lock:
            cur = self.con.cursor()
        try:
            yield Store(self.path, cur)
        finally:
            cur.close()


def _loaded(path: Path) -> bool:
    try:
        with open_store(path, read_only=True) as s:
            return s.is_loaded()
    except Exception:
        return False


#: the Swagger UI files the /docs page uses, with their media types
SWAGGER_ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
                  "favicon.png": "image/png"}


@lru_cache(maxsize=1)
def _swagger_dir() -> Path | None:
    """Swagger UI 5's files as the PyPI package ``fastapi-offline`` ships them (None when it is
    not installed). Swagger UI 5 reads the OpenAPI 3.1 that FastAPI writes; 4.x cannot."""
    if find_spec("fastapi_offline") is None:
        return None
    root = Path(str(resources.files("fastapi_offline").joinpath("static")))
    return root if all((root / n).is_file() for n in SWAGGER_ASSETS) else None


def _static(name: str) -> str:
    return resources.files("tightrope.web").joinpath("static", name).read_text("utf-8")


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js: str = get_plotlyjs()
    return js


def capabilities(handle: _StoreHandle) -> dict[str, bool]:
    """Which pages the dashboard can show: each appears as its capability lands."""
    with handle.store() as s:
        events = has_events(s)
    return {
        "profile": True,
        "compare": True,
        "events": events and find_spec("tightrope.web.routes_events") is not None,
        "simulate": find_spec("tightrope.web.routes_simulate") is not None,
        "bargain": find_spec("tightrope.web.routes_bargain") is not None,
        "corridors": find_spec("tightrope.web.routes_corridors") is not None,
    }


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The application; ``settings.db`` is the store (loaded on first start if empty)."""
    settings = settings or WebSettings()
    handle = _StoreHandle(settings.db or default_db_path())
    jobs = JobManager(workers=settings.workers, max_pending=settings.max_pending_jobs,
                      processes=settings.job_processes)
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.warm:  # the page opens on a profile: have it ready
            threading.Thread(target=_warm, args=(app,), daemon=True,
                             name="tightrope-warm").start()
        yield
        jobs.shutdown()

    app = FastAPI(title="Tightrope", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Exposure, balance, relations, minefield, bargaining, corridors.")
    app.state.handle = handle
    app.state.jobs = jobs
    app.state.settings = settings

    @app.exception_handler(TightropeError)
    async def _tightrope_error(_: Request, exc: TightropeError) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownCountryError) else 400
        return JSONResponse({"detail": exc.one_line()}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": one_line(exc.errors())}, status_code=422)

    @app.middleware("http")
    async def _no_store(request: Request,
                        call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        resp = await call_next(request)
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        return resp

    # outermost last: Host first, then the token, the client's id, the body cap
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(ClientId)
    app.add_middleware(TokenCheck, token=settings.token)
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return _static("index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        files = {"app.js": "text/javascript", "style.css": "text/css"}
        if name == "plotly.js":
            return Response(_plotly_js(), media_type="text/javascript")
        if name == "world_110m.json":
            text = resources.files("tightrope.data").joinpath("maps", name).read_text("utf-8")
            return Response(text, media_type="application/json")
        if name not in files:  # never a path the client chose
            raise HTTPException(404, "no such file")
        return Response(_static(name), media_type=files[name])

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> Response:
        """Interactive API page: Swagger UI from the PyPI package ``fastapi-offline``, served
        by this server (nothing from a CDN); without the package, a plain table of the
        endpoints rendered from /openapi.json."""
        if _swagger_dir() is None:
            return HTMLResponse(_docs_page(app.openapi()))
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="Tightrope API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon.png",
            # no validator badge: it would send the spec to validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True})

    @app.get("/docs/assets/{name}", include_in_schema=False)
    def docs_asset(name: str) -> Response:
        root = _swagger_dir()
        if root is None or name not in SWAGGER_ASSETS:  # never a path the client chose
            raise HTTPException(404, "no such file")
        return Response((root / name).read_bytes(), media_type=SWAGGER_ASSETS[name],
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "jobs_active": jobs.active()}

    @app.get("/api/capabilities")
    def caps() -> dict[str, bool]:
        return capabilities(handle)

    @app.get("/api/countries")
    def countries() -> list[dict[str, str]]:
        with handle.store() as s:
            return [{"iso3": iso3, "name": name} for iso3, name in countries_by_name(s)]

    def version() -> tuple[Any, ...]:
        """The store's version: what was loaded, with content hashes and load times."""
        with handle.store() as s:
            return tuple((r["dataset"], r["content_hash"], str(r["loaded_at"]))
                         for r in loads(s))

    world_cache: VersionedCache[dict[str, Any]] = VersionedCache(version, maxsize=1)
    profile_cache: VersionedCache[dict[str, Any]] = VersionedCache(version)
    profile_bytes: VersionedCache[bytes] = VersionedCache(version)
    app.state.profile_cache = profile_cache

    def _world() -> dict[str, Any]:
        from tightrope.exposure.world import world_balance

        def compute() -> dict[str, Any]:
            with handle.store() as s:
                return world_balance(s).to_json()

        return world_cache.get("world", compute)

    @app.get("/api/world")
    def world() -> dict[str, Any]:
        """Every country's balance between camps (the same JSON as `tightrope world --json`)."""
        return _world()

    def _compute_profile(iso3: str) -> dict[str, Any]:
        with handle.store() as s:
            p = build_profile(s, iso3)
            p.extras["exposure"] = exposure_profile(
                s, iso3, ExposureSettings(runs=settings.exposure_runs)).to_json()
        w = _world()
        entry = next((c for c in w["countries"] if c["iso3"] == iso3), None)
        ranked = sum(1 for c in w["countries"] if c["rank"] is not None)
        p.extras["camp_balance"] = (entry | {"ranked_among": ranked} if entry else None)
        return p.to_json()

    def _profile(iso3: str) -> dict[str, Any]:
        return profile_cache.get(iso3, lambda: _compute_profile(iso3))

    def _profile_bytes(iso3: str) -> bytes:
        return profile_bytes.get(
            iso3, lambda: json.dumps(_profile(iso3), default=str).encode())

    app.state.warm = lambda: _profile_bytes(country_codes().resolve("KAZ"))

    @app.get("/api/profile/{country}")
    def profile(country: str) -> Response:
        """A country's profile with its exposure (the same JSON as `tightrope profile --json`).

        The encoded JSON is cached per country and store version."""
        if len(country) > 64:
            raise HTTPException(422, "country name too long (at most 64 characters)")
        return Response(_profile_bytes(country_codes().resolve(country)),
                        media_type="application/json")

    @app.get("/api/compare")
    def compare(c: list[str] = Query(..., description="countries, repeat the parameter")
                ) -> dict[str, Any]:
        if len(c) > 4 * settings.max_compare or any(len(x) > 64 for x in c):
            raise HTTPException(422, f"compare takes 2 to {settings.max_compare} countries "
                                "of at most 64 characters each")
        codes = list(dict.fromkeys(country_codes().resolve(x) for x in c))
        if not 2 <= len(codes) <= settings.max_compare:
            raise HTTPException(422, f"compare takes 2 to {settings.max_compare} countries")
        out = []
        for iso3 in codes:
            ex = _profile(iso3)["exposure"]
            out.append({"iso3": iso3, "name": _profile(iso3)["country"]["name"],
                        "powers": ex["powers"], "balance_index": ex["balance_index"],
                        "vector": ex["vector"], "missing_channels": ex["missing_channels"],
                        "unknown_cells": ex["unknown_cells"]})
        return {"schema": "tightrope.compare/1", "countries": out}

    def _own_job(job_id: str, request: Request) -> Job:
        """The job if this client started it; any other client gets the same 404 as for a
        job that does not exist."""
        job = jobs.get(job_id)
        if job is None or not hmac.compare_digest(job.owner, client_id(request)):
            raise HTTPException(404, "no such job")
        return job

    @app.get("/api/jobs/{job_id}")
    def job_status(job_id: str, request: Request) -> Response:
        """Status and progress of a job this client started; its result once done. Encoded
        with ``json`` directly: results can be large, and FastAPI's generic encoder would hold
        the interpreter for every other request meanwhile."""
        return Response(_own_job(job_id, request).encoded(), media_type="application/json")

    @app.delete("/api/jobs/{job_id}")
    def job_cancel(job_id: str, request: Request) -> dict[str, Any]:
        """Cancel a job this client started."""
        job = jobs.cancel(_own_job(job_id, request).id)
        if job is None:
            raise HTTPException(404, "no such job")
        return job.to_json(with_result=False)

    def submit_kind(kind: str, params: dict[str, Any], request: Request) -> Job:
        return _submit(jobs, kind, params, client_id(request))

    app.state.submit_kind = submit_kind

    _mount_capabilities(app)
    return app


def _warm(app: FastAPI) -> None:
    with contextlib.suppress(Exception):  # only a head start; a request reports any error
        app.state.warm()


def _docs_page(spec: dict[str, Any]) -> str:
    import html

    rows = []
    for path, ops in sorted(spec.get("paths", {}).items()):
        for method, op in ops.items():
            params = ", ".join(f"{p['name']} ({p['in']})" for p in op.get("parameters", []))
            body = "JSON body" if "requestBody" in op else ""
            rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>"
                        f"{html.escape(path)}</code></td><td>{html.escape(op.get('summary', ''))}"
                        f"</td><td>{html.escape(', '.join(x for x in (params, body) if x))}</td>"
                        "</tr>")
    schemas = html.escape(json.dumps(spec.get("components", {}).get("schemas", {}), indent=1))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>Tightrope API</title>"
            "<link rel='stylesheet' href='/static/style.css'></head><body><main>"
            f"<h1>Tightrope API {html.escape(spec['info']['version'])}</h1><p>Machine-readable:"
            " <a href='/openapi.json'>/openapi.json</a>.</p><table><tr><th>method</th>"
            "<th>path</th><th>summary</th><th>parameters</th></tr>" + "".join(rows)
            + f"</table><h2>Schemas</h2><pre>{schemas}</pre></main></body></html>")


def _submit(jobs: JobManager, kind: str, params: dict[str, Any], owner: str) -> Job:
    try:
        return jobs.submit_kind(kind, params, owner=owner)
    except QueueFull as e:
        raise HTTPException(429, f"server busy: {e}; try again shortly") from None


def _mount_capabilities(app: FastAPI) -> None:
    """Routers of capabilities that live in their own modules (``tightrope.web.routes_*``)."""
    import importlib

    for name in ("routes_events", "routes_simulate", "routes_bargain", "routes_corridors"):
        mod = f"tightrope.web.{name}"
        if find_spec(mod) is not None:
            importlib.import_module(mod).mount(app)
