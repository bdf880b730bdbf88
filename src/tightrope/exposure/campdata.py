"""The shipped data of the balance index: camps, organisation depths, MNNA, ideal points,
disputes, the validation set and the 2022 Ukraine vote (``tightrope/data/balance``)."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

from tightrope.errors import DataUnavailableError
from tightrope.ingest.yamlio import parse_structured
from tightrope.provenance import Assumption

__all__ = [
    "CAMPS",
    "BalanceData",
    "Camp",
    "IdealPoint",
    "OrgTie",
    "balance_data",
    "check_held_out",
]

#: Camp codes in display order.
CAMPS: Final = ("WEST", "RUS", "CHN")
DEPTH_CLASSES: Final = ("alliance", "union", "organisation", "forum", "observer")


@dataclass(frozen=True)
class Camp:
    code: str
    name: str
    members: frozenset[str]
    leaders: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class OrgTie:
    org: str
    camps: tuple[str, ...]
    depth_class: str
    source: str


@dataclass(frozen=True)
class IdealPoint:
    """A UN ideal point: coordinates, their covariance (dims x dims) and the votes behind it."""

    theta: tuple[float, ...]
    cov: tuple[tuple[float, ...], ...]
    n_votes: int

    @property
    def se(self) -> tuple[float, ...]:
        return tuple(math.sqrt(self.cov[k][k]) for k in range(len(self.theta)))


@dataclass(frozen=True)
class BalanceData:
    camps: dict[str, Camp]
    depth: dict[str, Assumption]
    orgs: dict[str, OrgTie]
    mnna: frozenset[str]
    mnna_source: str
    ideal: dict[str, IdealPoint]
    ideal_sessions: str
    #: (a, b) -> (number of disputes 2000-2014, highest hostility level 1-5)
    mids: dict[tuple[str, str], tuple[int, int]]
    validation: dict[str, Any] = field(default_factory=dict)
    #: the held-out set of method v2 (states not in ``validation``)
    heldout: dict[str, Any] = field(default_factory=dict)
    es11: dict[str, Any] = field(default_factory=dict)
    #: the held-out set of method v3 (states in neither earlier set, in no camp)
    heldout_v3: dict[str, Any] = field(default_factory=dict)
    #: top trade partners of the 2010s (method v4): the newest Factbook edition per country
    #: whose lists are for 2010-2019; rows iso3, partner, flow, share, year, edition
    trade_2010s: list[dict[str, Any]] = field(default_factory=list)
    #: organisation memberships as listed in the Factbook edition of 26 November 2020 (method
    #: v4); rows iso3, org, status, edition, commit
    memberships_2020: list[dict[str, Any]] = field(default_factory=list)

    def camp_of(self, iso3: str) -> str | None:
        return next((c.code for c in self.camps.values() if iso3 in c.members), None)


def _text(name: str) -> str:
    try:
        return resources.files("tightrope.data").joinpath("balance", name).read_text("utf-8")
    except OSError as e:  # pragma: no cover - a broken installation
        raise DataUnavailableError(f"balance data file {name} is missing ({e})") from None


def _yaml(name: str) -> dict[str, Any]:
    data = parse_structured(_text(name), f"balance data {name}").data
    if not isinstance(data, dict):
        raise DataUnavailableError(f"balance data file {name}: expected a mapping")
    return data


@cache
def balance_data() -> BalanceData:
    """Read and check the shipped balance data (once per process)."""
    c = _yaml("camps.yaml")["camps"]
    camps = {k: Camp(k, v["name"], frozenset(v["members"]), tuple(v["leaders"]),
                     tuple(v.get("sources", ()))) for k, v in c.items()}
    if tuple(camps) != CAMPS:
        raise DataUnavailableError(f"camps.yaml: expected camps {CAMPS}, got {tuple(camps)}")
    o = _yaml("organisations.yaml")
    depth = {k: Assumption(float(v["value"]), float(v["low"]), float(v["high"]), "0-1",
                           str(v["why"])) for k, v in o["depth"].items()}
    if set(depth) != set(DEPTH_CLASSES):
        raise DataUnavailableError(f"organisations.yaml: depth classes must be {DEPTH_CLASSES}")
    orgs = {}
    for name, v in o["organisations"].items():
        if v["class"] not in depth or not set(v["camps"]) <= set(CAMPS):
            raise DataUnavailableError(f"organisations.yaml: {name}: unknown class or camp")
        orgs[str(name)] = OrgTie(str(name), tuple(v["camps"]), v["class"], v["source"])
    m = _yaml("mnna.yaml")
    ideal = {}
    rows = list(csv.DictReader(io.StringIO(_text("unga_ideal_points.csv"))))
    dims = sum(1 for k in (rows[0] if rows else {}) if k.startswith("theta"))
    for r in rows:
        cov = [[0.0] * dims for _ in range(dims)]
        for a in range(dims):
            for b in range(a, dims):
                cov[a][b] = cov[b][a] = float(r[f"cov{a + 1}{b + 1}"])
        ideal[r["iso3"]] = IdealPoint(tuple(float(r[f"theta{k + 1}"]) for k in range(dims)),
                                      tuple(tuple(c) for c in cov), int(r["n_votes"]))
    trade = [{"iso3": r["iso3"], "partner": r["partner"], "flow": r["flow"],
              "share": float(r["share"]), "year": int(r["year"]), "edition": r["edition"]}
             for r in csv.DictReader(io.StringIO(_text("factbook_trade_2010s.csv")))]
    memberships = list(csv.DictReader(io.StringIO(_text("factbook_memberships_2020.csv"))))
    mids = {(r["a"], r["b"]): (int(r["n_disputes"]), int(float(r["max_hostlev"])))
            for r in csv.DictReader(io.StringIO(_text("mid_2000_2014.csv")))}
    v1, held = _yaml("validation.yaml"), _yaml("validation_heldout.yaml")
    check_held_out(v1, held)
    v3 = _yaml("validation_v3.yaml")
    check_held_out(v1 | {"aligned": (v1.get("aligned") or []) + (held.get("aligned") or []),
                         "hedging": (v1.get("hedging") or []) + (held.get("hedging") or [])},
                   v3, name="validation_v3.yaml")
    members = _scored(v3) & frozenset().union(*(c.members for c in camps.values()))
    if members:
        raise DataUnavailableError("validation_v3.yaml: camp members cannot be held out: "
                                   f"{', '.join(sorted(members))}")
    return BalanceData(camps, depth, orgs, frozenset(m["members"]), str(m["source"]), ideal,
                       rows[0]["sessions"] if rows else "", mids, v1, held,
                       _yaml("unga_es11_1.yaml"), v3, trade, memberships)


def _scored(v: dict[str, Any]) -> set[str]:
    return {e["iso3"] for g in ("hedging", "aligned") for e in v.get(g) or []}


def check_held_out(first: dict[str, Any], held: dict[str, Any],
                   name: str = "validation_heldout.yaml") -> None:
    """A held-out set shares no scored state with the earlier set(s), and none is in both
    groups."""
    both = _scored(first) & _scored(held)
    if both:
        raise DataUnavailableError(f"{name}: states already in an earlier "
                                   f"validation set: {', '.join(sorted(both))}")
    h = {e["iso3"] for e in held.get("hedging") or []}
    a = {e["iso3"] for e in held.get("aligned") or []}
    if h & a:
        raise DataUnavailableError(f"{name}: states in both groups: "
                                   f"{', '.join(sorted(h & a))}")
