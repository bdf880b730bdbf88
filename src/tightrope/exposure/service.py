"""Exposure profile of a focal country: the service the CLI, report, web and demo call."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from tightrope.exposure.claims import check_claims
from tightrope.exposure.config import CHANNELS, ExposureSettings, default_powers
from tightrope.exposure.inputs import Inputs, read_inputs
from tightrope.exposure.matrix import MatrixResult, evaluate
from tightrope.exposure.threat import ThreatRing, threat_ring
from tightrope.provenance import Assumption
from tightrope.store import queries as q
from tightrope.store.db import Store

__all__ = [
    "EXPOSURE_SCHEMA",
    "ExposureResult",
    "exposure_profile",
    "leverage_for_scenario",
    "leverage_shares",
]

EXPOSURE_SCHEMA: Final = "tightrope.exposure/1"

FORMULAS: Final = {
    "trade": "mean of the power's share of exports and of imports (Factbook top-five partners; "
             "a power not listed lies between 0 and the fifth partner's share)",
    "investment": "power's share of gross FDI inflows or stock (curated; immediate-investor "
                  "basis: Netherlands/Switzerland shares reflect holding-company routing)",
    "energy": "share of the focal country's energy exports whose transit the power controls, "
              "or of its energy imports the power supplies (curated)",
    "security": "weighted mean of: ATOP defence pact (2018), share of the focal country's "
                "security organisations the power belongs to, the power's forces or leased "
                "military territory on its soil, security aid",
    "society": "weighted mean of: ethnic-kin share / saturation (capped at 1), share of the "
               "population understanding the power's language (1 if official), curated "
               "cultural tie (e.g. script)",
    "institutions": "organisations shared with the power, weighted by kind (security > "
                    "economic > political = cultural), over the focal country's memberships",
    "alignment": "agreement of UN General Assembly votes with the power (yes=1, abstain=0.5, "
                 "no=0; 1 - mean |difference|); EU and GCC = their members' majority",
}


def _num(x: float) -> float | None:
    return None if math.isnan(x) else round(float(x), 6)


@dataclass
class ExposureResult:
    focal: str
    name: str
    inputs: Inputs
    matrix: MatrixResult
    threat: ThreatRing
    claims: list[dict[str, Any]]
    settings: ExposureSettings
    missing_channels: list[str] = field(default_factory=list)
    focal_lonlat: tuple[float, float] | None = None

    @property
    def powers(self) -> tuple[str, ...]:
        return self.matrix.powers

    def cells(self) -> list[dict[str, Any]]:
        out = []
        m = self.matrix
        for i, p in enumerate(m.powers):
            for j, c in enumerate(m.channels):
                comps = self.inputs.components[(p, c)]
                v = m.d[i, j]
                sources = sorted({x.source for x in comps if x.value is not None and x.source})
                out.append({
                    "power": p, "channel": c, "value": _num(v),
                    "band": [_num(m.d_band[0, i, j]), _num(m.d_band[1, i, j])],
                    "kind": "unknown" if math.isnan(v) else "derived",
                    "formula": FORMULAS[c], "inputs": [x.to_json() for x in comps],
                    "sources": sources,
                })
        return out

    def unknown_cells(self) -> list[dict[str, str]]:
        return [{"power": c["power"], "channel": c["channel"],
                 "reason": "; ".join(i.get("note", "") for i in c["inputs"]
                                     if i["value"] is None) or "no input known"}
                for c in self.cells() if c["value"] is None]

    def assumptions(self) -> list[dict[str, Any]]:
        s = self.settings
        out: list[dict[str, Any]] = []

        def add(name: str, a: Assumption) -> None:
            out.append({"kind": "assumption", "name": name, "value": a.value, "low": a.low,
                        "high": a.high,
                        "unit": a.unit, "rationale": a.rationale})

        for c, a in s.channel_weights.items():
            add(f"channel_weight.{c}", a)
        for group, ws in (("security", s.security_weights), ("society", s.society_weights),
                          ("institutions", s.institution_weights)):
            for k, a in ws.items():
                add(f"{group}_weight.{k}", a)
        add("society.kin_saturation", s.kin_saturation)
        for n in self.threat.neighbours:
            pst = n["posture"]
            out.append({"kind": "assumption", "name": f"posture.{n['iso3']}",
                        "value": pst["value"],
                        "low": pst["low"], "high": pst["high"], "unit": "0-1",
                        "rationale": pst["rationale"]})
        return out

    def to_json(self) -> dict[str, Any]:
        m = self.matrix
        idx = {c: {"kind": "derived", "value": _num(m.channel_index[j]),
                   "band": [_num(m.channel_band[0, j]), _num(m.channel_band[1, j])],
                   "known_powers": int((~np.isnan(m.d[:, j])).sum())}
               for j, c in enumerate(m.channels)}
        return {
            "schema": EXPOSURE_SCHEMA,
            "focal": self.focal,
            "powers": list(m.powers),
            "channels": list(m.channels),
            "cells": self.cells(),
            "unknown_cells": self.unknown_cells(),
            "missing_channels": self.missing_channels,
            "balance_index": {
                "formula": "B = (1 - sum p_i^2) / (1 - 1/n) over the n powers with a known "
                           "cell, p_i = d_i / sum d (1 - normalised Herfindahl-Hirschman index); "
                           "undefined when fewer than half of the powers are known",
                "channels": idx,
                "overall": {"kind": "derived", "value": _num(m.overall),
                            "band": [_num(m.overall_band[0]), _num(m.overall_band[1])],
                            "aggregation": "channel indices averaged with channel weights"},
                "band": "5th-95th percentile over a Monte Carlo of every range",
                "runs": m.runs, "seed": m.seed,
            },
            "vector": m.vector(),
            "threat_ring": self.threat.to_json(),
            "claims": self.claims,
            "assumptions": self.assumptions(),
        }


def exposure_profile(store: Store, focal: str,
                     settings: ExposureSettings | None = None) -> ExposureResult:
    """Dependence matrix, balance index with band, vector, threat ring and op-ed claims."""
    settings = settings or ExposureSettings()
    powers = settings.powers or default_powers(focal)
    powers = tuple(p for p in powers if p != focal)
    country = q.country(store, focal)
    inp = read_inputs(store, focal, powers, settings.alignment_years)
    m = evaluate(inp, settings)
    missing = [c for j, c in enumerate(CHANNELS) if all(math.isnan(x) for x in m.d[:, j])]
    cap = q.capital_of(store, focal)
    return ExposureResult(focal, country["name"] if country else focal, inp, m,
                          threat_ring(store, focal), check_claims(store, focal), settings,
                          missing, (cap["lng"], cap["lat"]) if cap else None)


def leverage_for_scenario(store: Store, focal: str,
                          powers: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """Each power's leverage over ``focal`` for the minefield: its mean share of the focal
    country's dependence across the channels where it is known, with the per-channel shares."""
    res = exposure_profile(store, focal, ExposureSettings(powers=powers, runs=200))
    sh = res.matrix.shares()
    out: dict[str, dict[str, Any]] = {}
    for i, p in enumerate(res.powers):
        vals = {c: _num(sh[i, j]) for j, c in enumerate(res.matrix.channels)}
        known = [v for v in vals.values() if v is not None]
        out[p] = {"leverage": sum(known) / len(known) if known else None, "by_channel": vals,
                  "source": "tightrope exposure profile (dependence shares)"}
    return out


def leverage_shares(store: Store, focal: str, powers: Sequence[str]) -> dict[str, float | None]:
    """Each power's leverage share in [0, 1] over ``focal`` (``None`` where no channel is known).

    This is the source a scenario's ``leverage: {from_exposure: true}`` is read from: bind the
    store (``functools.partial(leverage_shares, store)``) and pass it to
    :func:`tightrope.minefield.load_scenario`.
    """
    got = leverage_for_scenario(store, focal, tuple(powers))
    return {p: d["leverage"] for p, d in got.items()}
