"""Read the shipped corridor data (``tightrope/data/corridors``) into value objects.

Files: ``nodes.csv``, ``edges.csv`` (figures), ``basis.yaml`` (why each figure is what it is),
``sources.yaml``, ``model.yaml`` (demand, cargo classes, risk premia), ``scenarios.yaml`` and
``observed.yaml`` (the back-test). Malformed rows raise :class:`InputError` naming file, line
and field.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from tightrope.corridors.market_data import MarketSpec, parse_market
from tightrope.corridors.model import CargoClassSpec, ModelAssumptions, Range
from tightrope.corridors.network import MODES, Basis, Edge, Figure, Network, Node, Source
from tightrope.corridors.scenarios import Scenario, parse_scenarios
from tightrope.errors import InputError
from tightrope.ingest.csvrows import dict_rows
from tightrope.ingest.yamlio import Located, read_structured
from tightrope.provenance import Fact, Provenance

__all__ = ["DATA_FILES", "CorridorData", "Observation", "data_hash", "data_sha256", "load_data",
           "read_scenario_file"]

DATA_FILES: Final = ("nodes.csv", "edges.csv", "basis.yaml", "sources.yaml", "model.yaml",
                     "scenarios.yaml", "observed.yaml", "market.yaml")


@dataclass(frozen=True)
class Observation:
    """An observed change the back-test compares the model with (see ``observed.yaml``).

    ``quantity`` is a market-model metric, ``change`` is ``pct`` (after/before - 1) or
    ``diff`` (after - before), ``years`` the model years compared."""

    id: str
    what: str
    period: str
    quantity: str
    change: str
    years: tuple[int, int]
    before: float
    after: float
    unit: str
    observed_text: str
    sources: tuple[str, ...]
    headline: bool = False
    caveat: str = ""
    lacks: str = ""
    after_low: float | None = None
    after_high: float | None = None


@dataclass(frozen=True)
class CorridorData:
    network: Network
    model: ModelAssumptions
    scenarios: dict[str, Scenario]
    observations: tuple[Observation, ...]
    hash: str  #: sha256 of the shipped files (:func:`data_sha256`)
    market: MarketSpec


@contextmanager
def _data_dir() -> Iterator[Path]:
    with resources.as_file(resources.files("tightrope.data").joinpath("corridors")) as p:
        yield Path(p)


def data_sha256() -> str:
    """sha256 over the shipped corridor files (the input recorded in result manifests)."""
    h = hashlib.sha256()
    with _data_dir() as d:
        for name in DATA_FILES:
            h.update(name.encode())
            h.update((d / name).read_bytes())
    return h.hexdigest()


def data_hash() -> str:
    """The first 16 hex digits of :func:`data_sha256` (a short label, pinned by the golden
    regression file)."""
    return data_sha256()[:16]


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows by header name; a row with more or fewer fields than the header is an error."""
    with path.open(encoding="utf-8", newline="") as fh:
        yield from dict_rows(fh, str(path))


def _num(row: dict[str, str], key: str, src: str, line: int, *, optional: bool = False
         ) -> float | None:
    raw = (row.get(key) or "").strip()
    if not raw:
        if optional:
            return None
        raise InputError("missing value", source=src, where=f"line {line}, field {key}",
                         expected="a number")
    try:
        v = float(raw)
    except ValueError:
        raise InputError(f"not a number: {raw!r}", source=src, where=f"line {line}, field {key}",
                         expected="a number") from None
    if not math.isfinite(v):
        raise InputError(f"not a finite number: {raw!r}", source=src,
                         where=f"line {line}, field {key}", expected="a finite number")
    return v


def _req(row: dict[str, str], key: str, src: str, line: int) -> float:
    v = _num(row, key, src, line)
    assert v is not None
    return v


def _nodes(path: Path) -> list[Node]:
    out = []
    for line, r in _csv_rows(path):
        gauge = _num(r, "gauge_mm", str(path), line, optional=True)
        try:
            out.append(Node(r["id"], r["name"], r["iso3"], _req(r, "lat", str(path), line),
                            _req(r, "lon", str(path), line), r["kind"],
                            int(gauge) if gauge else None,
                            tuple(a for a in r["aliases"].split("|") if a)))
        except ValueError as e:
            raise InputError(str(e), source=str(path), where=f"line {line}") from None
    return out


def _countries(raw: str, src: str, line: int) -> tuple[tuple[str, float], ...]:
    out = []
    for part in (p for p in raw.split("|") if p):
        code, _, w = part.partition(":")
        try:
            km = float(w or 1)
            if not math.isfinite(km):
                raise ValueError
            out.append((code, km))
        except ValueError:
            raise InputError(f"bad country weight {part!r}", source=src,
                             where=f"line {line}, field countries",
                             expected="ISO3:km joined by '|'") from None
    return tuple(out)


def _waypoints(raw: str, src: str, line: int) -> tuple[tuple[float, float], ...]:
    pts = []
    for part in (p for p in raw.split("|") if p.strip()):
        try:
            lat, lon = (float(x) for x in part.split())
            if not (abs(lat) <= 90 and abs(lon) <= 180):  # also false for NaN
                raise ValueError
        except ValueError:
            raise InputError(f"bad waypoint {part!r}", source=src,
                             where=f"line {line}, field waypoints",
                             expected="'lat lon' pairs joined by '|'") from None
        pts.append((lat, lon))
    return tuple(pts)


def _edges(path: Path) -> list[Edge]:
    src = str(path)
    out = []
    for line, r in _csv_rows(path):
        if r["mode"] not in MODES:
            raise InputError(f"unknown mode {r['mode']!r}", source=src,
                             where=f"line {line}, field mode", expected=", ".join(MODES))
        try:
            out.append(Edge(
                id=r["id"], a=r["a"], b=r["b"], mode=r["mode"],  # type: ignore[arg-type]
                distance_km=Figure(_req(r, "distance_low", src, line),
                                   _req(r, "distance_high", src, line), r["distance_basis"],
                                   _req(r, "distance_km", src, line)),
                days=Figure(_req(r, "days_low", src, line), _req(r, "days_high", src, line),
                            r["rule"]),
                cost_usd=Figure(_req(r, "cost_low", src, line), _req(r, "cost_high", src, line),
                                r["rule"]),
                capacity_teu=Figure(_req(r, "capacity_low", src, line),
                                    _req(r, "capacity_high", src, line), r["capacity_basis"]),
                rule=r["rule"], countries=_countries(r["countries"], src, line),
                gauge_break=r["gauge_break"], tags=frozenset(t for t in r["tags"].split("|") if t),
                corridor=r["corridor"], waypoints=_waypoints(r["waypoints"], src, line),
                note=r["note"]))
        except ValueError as e:
            raise InputError(str(e), source=src, where=f"line {line}") from None
    return out


def _sources(doc: Located) -> dict[str, Source]:
    out = {}
    for sid, s in doc.data["sources"].items():
        out[sid] = Source(sid, str(s["title"]), str(s["publisher"]), s.get("year"),
                          str(s.get("url") or ""), str(s.get("figures", "")),
                          str(s.get("via", "")))
    return out


def _basis(doc: Located, sources: dict[str, Source]) -> dict[str, Basis]:
    out: dict[str, Basis] = {}
    for section in ("rules", "distance", "capacity"):
        for key, b in doc.data[section].items():
            params = {k: (float(v[0]), float(v[1])) for k, v in b.items()
                      if isinstance(v, list) and k not in ("sources",)}
            srcs = tuple(b.get("sources") or ())
            for sid in srcs:
                if sid not in sources:
                    raise doc.error((section, key, "sources"), f"unknown source {sid!r}")
            out[key] = Basis(key, b.get("kind", "assumption"), str(b["rationale"]), srcs, params)
    return out


def _range(d: dict[str, Any]) -> Range:
    return Range(float(d["value"]), float(d["low"]), float(d["high"]), str(d["rationale"]),
                 tuple(d.get("sources") or ()))


def _model(doc: Located) -> ModelAssumptions:
    m = doc.data
    dem = m["demand_teu_per_year"]
    demand = Fact(float(dem["value"]), str(dem["unit"]),
                  Provenance(str(dem["source"]), int(dem["year"]), "model.yaml"), str(dem["note"]))
    classes = tuple(CargoClassSpec(str(c["name"]), _range(c["share"]) if c["share"] else None,
                                   _range(c["vot_usd_per_feu_day"])) for c in m["cargo_classes"])
    return ModelAssumptions(
        demand, tuple(m["origins"]), tuple(m["destinations"]), classes,
        {k: _range(v) for k, v in m["risk_premium_usd_per_feu"].items()},
        _range(m["logit_scale_usd_per_feu"]), _range(m["domestic_retention_share"]),
        _range(m["route_vot_usd_per_feu_day"]), float(m["unserved_penalty_usd_per_feu"]),
        {"origins": str(m.get("origin_note", ""))})


QUANTITIES: Final = ("teu.northern", "teu.middle", "middle_t", "cape_share", "sea_days",
                     "rate_index")
YEARS: Final = (2019, 2021, 2022, 2023, 2024)


def _observations(doc: Located, sources: dict[str, Source]) -> tuple[Observation, ...]:
    out = []
    rows = doc.data.get("observations") if isinstance(doc.data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise doc.error((), "no observations", expected="'observations:' with a list of rows")
    for i, o in enumerate(rows):
        at: tuple[str | int, ...] = ("observations", i)
        if not isinstance(o, dict):
            raise doc.error(at, "an observation must be a mapping")
        for k in ("id", "what", "period", "quantity", "change", "years", "before", "after",
                  "unit", "observed_text", "sources"):
            if k not in o:
                raise doc.error(at, f"missing {k!r}")
        if o["quantity"] not in QUANTITIES:
            raise doc.error((*at, "quantity"), f"unknown quantity {o['quantity']!r}",
                            expected=", ".join(QUANTITIES))
        if o["change"] not in ("pct", "diff"):
            raise doc.error((*at, "change"), f"unknown change {o['change']!r}",
                            expected="pct or diff")
        years = o["years"]
        if (not isinstance(years, list) or len(years) != 2
                or any(y not in YEARS for y in years) or years[0] >= years[1]):
            raise doc.error((*at, "years"), f"bad years {years!r}",
                            expected="[before, after], two of " + ", ".join(map(str, YEARS)))
        if max(years) <= 2021:
            raise doc.error((*at, "years"), "an observation inside the calibration period",
                            expected="a change that ends after 2021 (out of sample)")
        for sid in o["sources"]:
            if sid not in sources:
                raise doc.error((*at, "sources"), f"unknown source {sid!r}")
        try:
            before, after = float(o["before"]), float(o["after"])
        except (TypeError, ValueError):
            raise doc.error(at, "before and after must be numbers") from None
        if o["change"] == "pct" and before <= 0:
            raise doc.error((*at, "before"), "a relative change needs before > 0")
        out.append(Observation(
            str(o["id"]), str(o["what"]), str(o["period"]), str(o["quantity"]),
            str(o["change"]), (int(years[0]), int(years[1])), before, after, str(o["unit"]),
            str(o["observed_text"]), tuple(o["sources"]), bool(o.get("headline", False)),
            str(o.get("caveat", "")), str(o.get("lacks", "")), o.get("after_low"),
            o.get("after_high")))
    return tuple(out)


@lru_cache(maxsize=1)
def load_data() -> CorridorData:
    """The shipped network, model settings, scenarios and observations (cached)."""
    with _data_dir() as d:
        sources = _sources(read_structured(d / "sources.yaml"))
        basis = _basis(read_structured(d / "basis.yaml"), sources)
        nodes = _nodes(d / "nodes.csv")
        edges = _edges(d / "edges.csv")
        try:
            net = Network(nodes, edges, sources, basis)
        except ValueError as e:
            raise InputError(str(e), source=str(d / "edges.csv")) from None
        for edge in edges:
            for key in (edge.rule, edge.distance_km.basis, edge.capacity_teu.basis):
                if key not in basis:
                    raise InputError(f"edge {edge.id}: unknown basis {key!r}",
                                     source=str(d / "edges.csv"))
        model = _model(read_structured(d / "model.yaml"))
        for node_id in (*model.origins, *model.destinations):
            if not net.has_node(node_id):
                raise InputError(f"unknown node {node_id!r}", source=str(d / "model.yaml"))
        scen = parse_scenarios(read_structured(d / "scenarios.yaml"), net)
        obs = _observations(read_structured(d / "observed.yaml"), sources)
        market = parse_market(d / "market.yaml", net, sources)
    return CorridorData(net, model, scen, obs, data_sha256(), market)


def read_scenario_file(path: Path, net: Network) -> dict[str, Scenario]:
    """User-defined scenarios from a YAML or JSON file (same form as ``scenarios.yaml``)."""
    return parse_scenarios(read_structured(Path(path)), net, origin=str(path))
