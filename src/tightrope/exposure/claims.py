"""The op-ed's claims against the data ("where the op-ed's figures differ from the data")."""

from __future__ import annotations

from importlib import resources
from typing import Any

from tightrope.ingest.yamlio import parse_structured
from tightrope.store import queries as q
from tightrope.store.db import Store

__all__ = ["check_claims", "format_claim_value"]


def format_claim_value(v: Any) -> str:
    """A claim's or datum's value for people: 7,644; 15%; AZE, IRN; yes."""
    if v is None:
        return "not found"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    if isinstance(v, int | float):
        if 0 < abs(v) < 1:
            return f"{v:.1%}"
        return f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.1f}"
    return str(v)


def _verdict(oped: Any, data: Any, comparison: str, tolerance: float) -> tuple[str, str]:
    if data is None:
        return "not found", "no sourced figure supports it"
    if isinstance(oped, list):
        want, got = set(oped), set(data)
        if want == got:
            return "consistent", ""
        missing, extra = sorted(got - want), sorted(want - got)
        gap = "; ".join(x for x in (f"omits {', '.join(missing)}" if missing else "",
                                    f"wrongly includes {', '.join(extra)}" if extra else "") if x)
        return "differs", gap
    if isinstance(oped, str):
        return ("consistent", "") if data else ("differs", "")
    diff = data - oped
    if comparison == "at_least":
        ok = data >= oped
    elif comparison == "above":
        ok = data > oped
    elif comparison == "below":
        ok = data < oped
    else:
        ok = abs(diff) <= tolerance * abs(oped)
    shown = f"{diff:+.1%}" if abs(oped) < 1 else f"{diff:+,.0f}"
    gap = f"{shown} ({diff / oped:+.1%})" if abs(oped) >= 1 else f"{shown} points"
    return ("consistent" if ok else "differs"), gap


def check_claims(store: Store, focal: str) -> list[dict[str, Any]]:
    """Each op-ed claim about ``focal`` with the store's figure, source and a verdict."""
    text = resources.files("tightrope.data").joinpath("exposure", "claims.yaml").read_text("utf-8")
    spec = parse_structured(text, "exposure/claims.yaml").data
    if spec.get("country") != focal:
        return []
    out = []
    for c in spec["claims"]:
        data, source, year = _lookup(store, c["check"])
        verdict, gap = _verdict(c["oped"], data, c.get("comparison", "approx"),
                                float(c.get("tolerance", 0.02)))
        out.append({"claim": c["claim"], "oped": c["oped"], "data": data, "source": source,
                    "year": year, "verdict": verdict, "gap": gap,
                    "context": c.get("context", "")})
    return out


def _lookup(store: Store, chk: dict[str, Any]) -> tuple[Any, str | None, int | None]:
    t = chk["type"]
    if t == "border":
        r = [x for x in q.borders_of(store, chk["a"]) if x["b"] == chk["b"]]
        return (r[0]["value"], r[0]["source"], r[0]["year"]) if r else (None, None, None)
    if t == "littoral":
        r = q.sea_shores(store, chk["sea"])
        return ([x["iso3"] for x in r], r[0]["littoral_source"], r[0]["littoral_year"]
                ) if r else (None, None, None)
    if t == "longest_shore":
        r = sorted((x for x in q.sea_shores(store, chk["sea"]) if x["kind"] == "fact"),
                   key=lambda x: -x["value"])
        return (bool(r) and r[0]["iso3"] == chk["iso3"], r[0]["source"], r[0]["year"]
                ) if r else (None, None, None)
    if t == "neighbours_include":
        r = q.borders_of(store, chk["a"])
        return ([x["b"] for x in r if x["b"] in {"KGZ", "UZB", "TKM"}], r[0]["source"],
                r[0]["year"]) if r else (None, None, None)
    if t in ("area", "population"):
        attr = "area_km2" if t == "area" else "population"
        f = q.fact(store, chk["iso3"], attr)
        return (f["value"], f["source"], f["year"]) if f else (None, None, None)
    if t == "ethnic":
        r = [x for x in q.ethnic_groups_of(store, chk["iso3"]) if x["grp"] == chk["group"]]
        return (r[0]["share"], r[0]["source"], r[0]["year"]) if r else (None, None, None)
    if t == "memberships":
        orgs = {x["org"] for x in q.memberships_of(store, chk["iso3"])}
        return (sorted(orgs & {"CSTO", "OSCE", "OTS"}), "CIA World Factbook; curated overlays",
                2025)
    if t == "tie":
        r = [x for x in q.ties_from(store, chk["src"]) if x["dst"] == chk["dst"]
             and x["indicator"] == chk["indicator"] and x["kind"] == "fact"]
        return (r[0]["value"], r[0]["source"], r[0]["tie_year"]) if r else (None, None, None)
    if t == "sourced":
        return chk.get("value"), chk.get("source"), chk.get("year")
    raise ValueError(f"unknown claim check type {t!r}")
