"""``tightrope profile COUNTRY``: the geopolitical profile, every figure with its source."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from tightrope.cli.common import DbOption, console, print_json, store_at
from tightrope.ingest.codes import country_codes
from tightrope.profile import Profile, build_profile

__all__ = ["register"]


def _fmt(v: dict[str, Any]) -> str:
    if v["kind"] == "unknown":
        return "unknown"
    x = v["value"]
    unit = v.get("unit") or ""
    if unit == "share":
        s = f"{x:.1%}"
    elif unit == "usd_bn":
        s = f"${x:,.1f} bn"
    elif unit in ("pct_gdp", "pct"):
        s = f"{x:g}% of GDP" if unit == "pct_gdp" else f"{x:g}%"
    elif unit == "persons":
        s = f"{x:,.0f}"
    elif abs(x) >= 1000:
        s = f"{x:,.0f} {unit}"
    else:
        s = f"{x:,.3g} {unit}"
    if v.get("low") is not None and v.get("low") != v.get("high"):
        lo, hi = v["low"], v["high"]
        s += f" [{lo:.1%}–{hi:.1%}]" if unit == "share" else f" [{lo:,.3g}–{hi:,.3g}]"
    if v["kind"] == "assumption":
        s += " (assumption)"
    return s


def _src(v: dict[str, Any]) -> str:
    if v.get("kind") == "assumption":
        return "assumption: " + str(v.get("rationale", ""))
    if v.get("kind") == "unknown":
        return str(v.get("reason", ""))
    return f"{v.get('source')}, {_year(v.get('year'))}"


def _year(year: object) -> str:
    """The year, or 'undated' where the source prints none (Factbook borders, area, ...)."""
    return "undated" if year is None else str(year)


def render(p: Profile) -> None:
    """Rich tables of a profile on the console."""
    console.rule(f"[bold]{p.name} ({p.iso3})")
    t = Table("figure", "value", "source, year", title="Country")
    labels = {
        "area_km2": "area",
        "population": "population",
        "gdp_usd_bn": "GDP (official rate)",
        "military_spending_pct_gdp": "military spending",
        "coastline_km": "coastline",
    }
    for k, label in labels.items():
        if k in p.facts:
            t.add_row(label, _fmt(p.facts[k]), _src(p.facts[k]))
    console.print(t)
    t = Table("neighbour", "length", "source, year", title="Land borders")
    for b in p.borders:
        t.add_row(
            f"{b['name']} ({b['iso3']})",
            f"{b['length_km']:,.0f} km",
            f"{b['source']}, {_year(b['year'])}",
        )
    own = p.facts.get("land_boundaries_km", {})
    if own.get("kind") == "fact":  # the Factbook's own total; its note flags a different sum
        t.add_row("[b]total (Factbook)", f"[b]{own['value']:,.0f} km", own.get("note", ""))
    elif p.borders:
        t.add_row("[b]total", f"[b]{sum(b['length_km'] for b in p.borders):,.0f} km", "")
    console.print(t)
    if p.seas:
        t = Table("sea", "shoreline", "littoral states", "source, year", title="Seas")
        for s in p.seas:
            t.add_row(
                s["sea"],
                _fmt(s["shoreline_km"]),
                ", ".join(s["littoral_states"]),
                f"{s['littoral_source']}, {s['littoral_year']}",
            )
        console.print(t)
    t = Table("flow", "partner", "share", "source, year", title="Top trade partners")
    for flow in ("exports", "imports"):
        for r in p.trade[flow]:
            t.add_row(
                flow,
                f"{r['name']} ({r['iso3']})" + (" *" if r.get("note") else ""),
                f"{r['share']:.0%}",
                f"{r['source']}, {r['year']}",
            )
    console.print(t)
    for flow in ("exports", "imports"):
        for r in p.trade[flow]:
            if r.get("note"):
                console.print(f"* {r['name']}, {flow}: {r['note']}")
    t = Table("group", "share", "source, year", title="Ethnic composition")
    for e in p.ethnic_groups:
        share = f"{e['share']:.1%}"
        if e.get("low") is not None and e.get("high") is not None:
            share += f" ({e['low']:.0%}–{e['high']:.0%})"
        t.add_row(e["group"], share, f"{e['source']}, {_year(e['year'])}")
    console.print(t)
    curated = [m for m in p.memberships if m["joined"] is not None or m["kind"]]
    t = Table("organisation", "kind", "status", "joined", "source", title="Memberships")
    for m in curated:
        t.add_row(
            m["org"], m["kind"] or "", m["status"], str(m["joined"] or ""), str(m["source"])
        )
    console.print(t)
    others = [m["org"] for m in p.memberships if m not in curated]
    if others:
        console.print(f"Also a participant in (CIA World Factbook): {', '.join(others)}")
    if p.resources:
        console.print(
            "Natural resources (CIA World Factbook, "
            f"{_year(p.resources[0]['year'])}): " + ", ".join(r["name"] for r in p.resources)
        )
    if p.ties:
        t = Table("channel", "indicator", "with", "value", "source, year", title="Curated ties")
        for tie in p.ties:
            t.add_row(
                tie["channel"], tie["indicator"], tie["to"], _fmt(tie["value"]), _src(tie["value"])
            )
        console.print(t)
    unknown = p.unknowns()
    if unknown:
        console.print("Unknown (no source found): " + "; ".join(u["field"] for u in unknown))


def _render_exposure(ex: dict[str, Any]) -> None:
    bi = ex["balance_index"]
    ov = bi["overall"]
    lean = ex["vector"]["net_lean"]
    t = Table("channel", "balance index", "5–95% band", "leading power",
              title=f"Detail: multi-vector balance over single powers, latest data "
                    f"(powers: {', '.join(ex['powers'])})")
    for c, v in bi["channels"].items():
        lead = ex["vector"]["leaders"].get(c)
        t.add_row(c, "undefined" if v["value"] is None else f"{v['value']:.2f}",
                  "" if v["band"][0] is None else f"{v['band'][0]:.2f}–{v['band'][1]:.2f}",
                  f"{lead['power']} ({lead['share']:.0%})" if lead else "")
    t.add_row("per-power mean", f"{ov['value']:.2f}", f"{ov['band'][0]:.2f}–{ov['band'][1]:.2f}",
              f"net lean {lean['power']}" if lean else "")
    console.print(t)
    if ex["unknown_cells"]:
        console.print("Unknown cells (excluded, not 0): " + "; ".join(
            f"{u['power']}/{u['channel']}" for u in ex["unknown_cells"]))


def _render_camp_balance(cb: dict[str, Any] | None) -> None:
    if cb is None:
        return
    ov = cb["overall"]
    if ov["value"] is None:
        console.print("Balance between the West, Russia and China: unknown (no channel known).")
        return
    rank = (f"rank {cb['rank']} of {cb['ranked_among']} states outside the camps" if cb["rank"]
            else f"camp member, {cb['member_rank']} among camp members" if cb.get("member_rank")
            else "unranked")
    t = Table("channel", "index", "ties: West / Russia / China", "basis",
              title=f"Headline: balance between camps, 2010s: {ov['value']:.2f} "
                    f"[{ov['band'][0]:.2f}–"
                    f"{ov['band'][1]:.2f}], {ov['class']}, leading camp {cb['leading_camp']}, "
                    f"{rank}, {cb['n_channels']} channels")
    for ch, v in cb["channels"].items():
        ties = " / ".join("–" if v["ties"][k] is None else f"{v['ties'][k]:.2f}"
                          for k in ("WEST", "RUS", "CHN"))
        t.add_row(ch, "unknown" if v["value"] is None else f"{v['value']:.2f}", ties,
                  v["basis"])
    console.print(t)


def profile(
    country: Annotated[str, typer.Argument(help="Name, ISO2 or ISO3 code, e.g. KAZ, kz, Jordan.")],
    db: DbOption = None,
    json_out: Annotated[bool, typer.Option("--json", help="The documented JSON schema.")] = False,
) -> None:
    """A country's profile: borders, seas, memberships, trade, resources, people, ties."""
    iso3 = country_codes().resolve(country)
    with store_at(db) as store:
        p = build_profile(store, iso3)
        extras = _analyses(store, iso3)
    p.extras.update(extras)
    if json_out:
        print_json(p.to_json())
    else:
        render(p)
        _render_camp_balance(extras["camp_balance"])  # the headline first, as in compare
        _render_exposure(extras["exposure"])


def _analyses(store: Any, iso3: str) -> dict[str, Any]:
    """Results of analyses added to the profile: the exposure matrix, index and band."""
    from tightrope.exposure import exposure_profile
    from tightrope.exposure.world import camp_balance_entries

    return {"exposure": exposure_profile(store, iso3).to_json(),
            "camp_balance": camp_balance_entries(store, [iso3]).get(iso3)}


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)
