"""``tightrope corridors …``: routes, flows, disruptions and the back-test of the Eurasian
trade-route network. Thin: parse, call :mod:`tightrope.corridors`, render."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from tightrope.cli.common import bar_progress, console, print_json, progress_bar
from tightrope.cli.options import (
    DEFAULT_SEED,
    JsonOpt,
    SeedOpt,
    alias,
    finite,
    hidden,
    runs_option,
    whole,
)
from tightrope.errors import InputError
from tightrope.io import atomic_write_text
from tightrope.limits import MAX_CORRIDOR_ROUTES, MAX_CORRIDOR_RUNS
from tightrope.progress import Progress

if TYPE_CHECKING:
    from types import ModuleType

    from tightrope import corridors


def _corridors() -> ModuleType:
    """The corridor model, imported on first use (networkx and scipy.optimize take a few
    tenths of a second to load, which every other command would pay at start-up)."""
    from tightrope import corridors

    return corridors

__all__ = ["register"]

app = typer.Typer(help="China-Europe corridors: routes, flows, disruptions, back-test.",
                  no_args_is_help=True)

RunsOpt = Annotated[int, runs_option(MAX_CORRIDOR_RUNS, "Monte Carlo runs, 0 for the central "
                                     "estimate only", minimum=0)]
LogitOpt = Annotated[bool, typer.Option("--logit", help="Logit route choice instead of "
                                        "min-cost flow.")]
DemandOpt = Annotated[float | None, typer.Option(
    "--demand", callback=finite(0.0, 1e9, "containers per year"),
    help="China -> Europe containers, TEU/yr (default: 12.5M, JMC/CTS 2023).")]
ScenOpt = Annotated[list[str] | None, typer.Option("--scenario",
                                                   help="Apply a named scenario (repeatable).")]
FileOpt = Annotated[Path | None, typer.Option("--file", help="YAML file of user scenarios.",
                                              dir_okay=False)]
MapPngOpt = Annotated[Path | None, typer.Option("--png", metavar="FILE", dir_okay=False,
                                                help="Write the map as PNG to FILE.")]
HtmlMapOpt = Annotated[Path | None, typer.Option("--html", metavar="FILE", dir_okay=False,
                                                 help="Write an offline HTML map to FILE.")]
#: Old spellings, hidden, for one release: -s (now --scenario only), --map (now --html).
OldScenOpt = Annotated[list[str] | None, hidden("-s")]
OldMapOpt = Annotated[Path | None, hidden("--map")]


def _m(x: float | None) -> str:
    return "–" if x is None else f"{x / 1e6:,.1f}"


def _usd(x: float | None) -> str:
    """US$ millions with the sign in front: -$186.2m."""
    return "–" if x is None else f"{'-' if x < 0 else ''}${abs(x) / 1e6:,.1f}m"


def _n(x: float | None, nd: int = 0) -> str:
    return "–" if x is None else f"{x:,.{nd}f}"


def _band(b: Sequence[float | None] | None, f: Callable[[float | None], str] = _n) -> str:
    return f"[{f(b[0])} … {f(b[1])}]" if b else ""


@contextmanager
def _progress(runs: int, what: str) -> Iterator[Progress | None]:
    if runs <= 0:
        yield None
        return
    with progress_bar(what, runs) as bar:
        yield bar_progress(bar)


def _write_map(res: Any, html_path: Path | None, png_path: Path | None, title: str) -> None:
    if html_path is None and png_path is None:
        return
    from tightrope.report.corridors import (
        corridors_html,
        disruption_section,
        flows_section,
        write_map_png,
    )

    if html_path is not None:
        sec = (disruption_section(res) if isinstance(res, _corridors().DisruptionResult)
               else flows_section(res))
        atomic_write_text(html_path, corridors_html([sec], title))
        console.print(f"Wrote map {html_path}")
    if png_path is not None:
        write_map_png(res, png_path, title)
        console.print(f"Wrote {png_path}")


@app.command("route")
def route_cmd(
    origin: Annotated[str, typer.Argument(help="Start node, e.g. Xian.")],
    destination: Annotated[str, typer.Argument(help="End node, e.g. Duisburg.")],
    routes: Annotated[int | None, typer.Option(
        "--routes", min=1, max=MAX_CORRIDOR_ROUTES,
        help=f"How many routes (default 3, at most {MAX_CORRIDOR_ROUTES}).")] = None,
    vot: Annotated[float | None, typer.Option(
        "--vot", callback=finite(0.0, 1e6, "US$ per FEU-day"),
        help="Value of time, US$ per FEU-day (default 100, an assumption).")] = None,
    scenario: ScenOpt = None,
    file: FileOpt = None,
    json_out: JsonOpt = False,
    k_old: Annotated[int | None, typer.Option("--k", hidden=True, min=1,
                                              max=MAX_CORRIDOR_ROUTES)] = None,
    scenario_old: OldScenOpt = None,
) -> None:
    """The best routes by generalised cost (freight + time value + risk premium) per FEU."""
    k = alias(routes, k_old, new_name="--routes", old_name="--k") or 3
    scenario = alias(scenario, scenario_old, new_name="--scenario", old_name="-s")
    model = _corridors()
    res = model.route(origin, destination, k=k, vot_usd_per_feu_day=vot,
                      scenarios=scenario or [], scenario_file=file)
    if json_out:
        print_json(res.to_json())
        return
    t = Table("#", "corridor", "days [low…high]", "freight $/FEU [low…high]", "risk $",
              "GC $/FEU", "gauge breaks",
              title=f"{res.origin.name} → {res.destination.name}: best {k} by generalised cost "
                    f"(value of time ${res.vot_usd_per_feu_day:,.0f}/FEU-day, an assumption)")
    for o in res.options:
        t.add_row(str(o.rank), model.CORRIDOR_NAMES.get(o.corridor, o.corridor),
                  f"{o.days[0]:.1f} [{o.days[1]:.1f}…{o.days[2]:.1f}]",
                  f"{o.freight_usd[0]:,.0f} [{o.freight_usd[1]:,.0f}…{o.freight_usd[2]:,.0f}]",
                  f"{o.risk_usd:,.0f}", f"{o.gc_usd:,.0f}", str(o.gauge_breaks))
    console.print(t)
    for o in res.options:
        console.print(f"{o.rank}. " + " → ".join(n.name for n in o.nodes)
                      + f"  ({', '.join(o.countries)}; modes {'/'.join(dict.fromkeys(o.modes))})")
    if not res.options:
        console.print("No open route between these nodes under the scenarios.")
    if res.scenarios:
        console.print("Scenarios: " + ", ".join(s.name for s in res.scenarios))


@app.command("flows")
def flows_cmd(
    demand: DemandOpt = None,
    logit: LogitOpt = False,
    scenario: ScenOpt = None,
    file: FileOpt = None,
    runs: RunsOpt = 100,
    seed: SeedOpt = DEFAULT_SEED,
    json_out: JsonOpt = False,
    html_out: HtmlMapOpt = None,
    png: MapPngOpt = None,
    scenario_old: OldScenOpt = None,
    map_old: OldMapOpt = None,
) -> None:
    """Assign China -> Europe demand to routes with capacities; Kazakhstan's transit revenue."""
    scenario = alias(scenario, scenario_old, new_name="--scenario", old_name="-s")
    map_out = alias(html_out, map_old, new_name="--html", old_name="--map")
    with _progress(runs, "Monte Carlo") as step:
        res = _corridors().allocate(demand_teu=demand, method="logit" if logit else "mincost",
                                    scenarios=scenario or [], scenario_file=file, runs=runs,
                                    seed=seed, progress=step)
    if json_out:
        print_json(res.to_json())
    else:
        _print_flows(res)
    _write_map(res, map_out, png, "China–Europe container flows by edge")


def _print_flows(res: corridors.FlowResult) -> None:
    j = res.to_json()
    t = Table("corridor", "TEU/yr", "share", "5–95% TEU", "mean days", "mean $/FEU",
              title=f"{j['method']} allocation of {j['demand']['value']:,.0f} TEU/yr "
                    "China → Europe")
    for c in j["corridors"]:
        t.add_row(c["name"], _n(c["teu"]), f"{100 * (c['share'] or 0):.1f}%",
                  _band(c["teu_band"]), _n(c["mean_days"], 1), _n(c["mean_freight_usd_per_feu"]))
    console.print(t)
    f = j["focal"]
    console.print(
        f"Kazakhstan: {_n(f['transit_teu'])} TEU/yr in transit {_band(f['transit_teu_band'])}; "
        f"revenue {_usd(f['revenue_usd'])}/yr {_band(f['revenue_band_usd'], _usd)}; "
        f"${_n(f['revenue_per_transit_feu_usd'])} per transit FEU.")
    c = Table("country", "TEU/yr crossing", "revenue $m/yr", "5–95% $m",
              title="Transit revenue by country (top 10)")
    for r in j["countries"][:10]:
        c.add_row(r["iso3"], _n(r["teu"]), _m(r["revenue_usd"]), _band(r["revenue_band_usd"], _m))
    console.print(c)
    m = j["manifest"]
    console.print(f"Unserved {_n(j['unserved_teu'])} TEU. Mean {_n(j['mean_days'], 1)} days, "
                  f"${_n(j['mean_freight_usd_per_feu'])}/FEU. Runs {m['parameters']['runs']}, "
                  f"seed {m['seed']}."
                  " Every figure is sourced or an assumption with a range (see --json).")


@app.command("disrupt")
def disrupt_cmd(
    scenarios: Annotated[list[str] | None, typer.Argument(
        help="Named scenarios applied together (see `corridors scenarios`).")] = None,
    file: FileOpt = None,
    logit: LogitOpt = False,
    demand: DemandOpt = None,
    runs: RunsOpt = 200,
    seed: SeedOpt = DEFAULT_SEED,
    json_out: JsonOpt = False,
    html_out: HtmlMapOpt = None,
    png: MapPngOpt = None,
    map_old: OldMapOpt = None,
    year: Annotated[int, typer.Option(
        "--year", callback=whole(2021, 2024, "year"),
        help="Conditions of the market model: 2021, 2022, 2023 or 2024 (sea rates, sanctions, "
             "Red Sea).")] = 2024,
) -> None:
    """Close or degrade routes: reallocation, time and cost penalties, who gains; and the
    calibrated market model: Middle Corridor traffic, bottlenecks, Kazakhstan's revenue."""
    map_out = alias(html_out, map_old, new_name="--html", old_name="--map")
    with _progress(runs, "Monte Carlo") as step:
        res = _corridors().disrupt(scenarios or [], scenario_file=file,
                                   method="logit" if logit else "mincost", demand_teu=demand,
                                   runs=runs, seed=seed, progress=step, year=year)
    if json_out:
        print_json(res.to_json())
    else:
        _print_disruption(res)
    _write_map(res, map_out, png, "After: " + " + ".join(s.title for s in res.scenarios))


def _print_disruption(res: corridors.DisruptionResult) -> None:
    j = res.to_json()
    for s in j["scenarios"]:
        console.print(f"[b]{s['name']}[/b]: {s['title']}. {s['description']}")
    closed = [e["edge"] for e in j["effects"] if e["closed"]]
    other = [e["edge"] for e in j["effects"] if not e["closed"]]
    console.print(f"Closed edges: {', '.join(closed) or 'none'}; degraded: "
                  f"{', '.join(other) or 'none'}.")
    t = Table("corridor", "baseline TEU", "disrupted TEU", "change", "change %", "5–95% change",
              title="Reallocation")
    for c in j["corridors"]:
        t.add_row(c["name"], _n(c["baseline_teu"]), _n(c["disrupted_teu"]), _n(c["change_teu"]),
                  _n(c["change_pct"], 1), _band(c["change_band_teu"]))
    console.print(t)
    p = j["penalties"]
    d, fr = p["mean_days"], p["mean_freight_usd_per_feu"]
    console.print(f"Mean days {d['baseline']} → {d['disrupted']} ({d['change']:+} "
                  f"{_band(d['change_band'], lambda x: _n(x, 2))}); mean freight "
                  f"${_n(fr['baseline'])} → ${_n(fr['disrupted'])}/FEU; unserved "
                  f"{_n(p['unserved_teu']['disrupted'])} TEU.")
    f = j["focal"]
    console.print(f"Kazakhstan: transit {_n(f['transit_teu_change'])} TEU/yr "
                  f"{_band(f['transit_teu_change_band'])}; revenue "
                  f"{_usd(f['revenue_change_usd'])}/yr "
                  f"{_band(f['revenue_change_band_usd'], _usd)}.")
    g = Table("country", "role", "revenue change $m/yr", "5–95% $m", "TEU change",
              title="Who gains, who loses (transit revenue)")
    for r in j["who_gains"]:
        g.add_row(r["iso3"], r["role"], _m(r["revenue_change_usd"]),
                  _band(r["revenue_change_band_usd"], _m), _n(r["teu_change"]))
    console.print(g)
    m = j["manifest"]
    console.print(f"Method {m['parameters']['method']}; runs {m['parameters']['runs']}, "
                  f"seed {m['seed']}; bands are paired 5–95% changes.")
    if j.get("market"):
        _print_market(j["market"])


def _signed_usd(x: float | None) -> str:
    """US$ millions with an explicit sign: +$12.3m, -$4.5m."""
    return "–" if x is None else ("+" if x >= 0 else "") + _usd(x)


def _print_market(mk: dict[str, Any]) -> None:
    t = Table("corridor", "unit", "before", "after", "change", "5–95% change",
              title=f"Market model, {mk['year']} conditions (calibrated on 2019-2021)")
    for r in mk["corridors"]:
        t.add_row(r["name"], r["unit"], _n(r["before"]), _n(r["after"]), f"{r['change']:+,}",
                  _band(r["change_band"]))
    console.print(t)
    mc = mk["middle_corridor"]
    first = next((h for h in mc["headroom_after"] if h["binds_first"]), None)
    if first:
        console.print(f"Middle Corridor {'gains' if mc['gains'] else 'loses'} "
                      f"{mc['t_change']:+,} t/yr ({mc['teu_change']:+,} TEU). First bottleneck "
                      f"as it grows: {first['name']} at {_n(first['middle_t_when_binding'])} "
                      f"t/yr (now {first['utilisation']:.0%} used).")
    h = Table("bottleneck", "flow", "capacity", "used", "queue days", "binds at (MC t/yr)",
              title="Middle Corridor headroom after the disruption")
    for b in mc["headroom_after"]:
        h.add_row(b["name"], f"{_n(b['flow'])} {b['unit']}", _n(b["capacity"]),
                  f"{b['utilisation']:.0%}", f"{b['queue_days']:.1f}",
                  _n(b["middle_t_when_binding"]))
    console.print(h)
    g = Table("country", "before $m/yr", "after $m/yr", "change", "5–95%",
              title="Who gains, who loses: transit revenue (market model)")
    for r in mk["who_gains"]:
        g.add_row(r["iso3"], _m(r["before_usd"]), _m(r["after_usd"]), _signed_usd(r["change_usd"]),
                  _band(r["change_band_usd"], _signed_usd))
    console.print(g)


@app.command("backtest")
def backtest_cmd(
    runs: RunsOpt = 100,
    seed: SeedOpt = DEFAULT_SEED,
    json_out: JsonOpt = False,
    html_out: Annotated[Path | None, typer.Option("--html", metavar="FILE", dir_okay=False,
                                                  help="Write the table as HTML to FILE.")]
    = None,
) -> None:
    """The market model against what happened in 2022-24 (calibrated on 2019-2021), with
    bands, direction and ±50% verdicts, and what the model lacks where it misses."""
    with _progress(runs, "back-test") as step:
        res = _corridors().backtest(runs=runs, seed=seed, progress=step)
    if json_out:
        print_json(res.to_json())
    else:
        _print_backtest(res)
    if html_out is not None:
        from tightrope.report.corridors import backtest_section, corridors_html

        atomic_write_text(html_out, corridors_html([backtest_section(res)],
                                                   "Tightrope corridors: back-test"))
        console.print(f"Wrote {html_out}")


def _print_backtest(res: corridors.BacktestResult) -> None:
    j = res.to_json()
    t = Table("observation", "observed", "model [5–95%]", "dir.", "±50%",
              title="Back-test 2022-24, out of sample (calibrated on 2019 and 2021)")
    for r in j["rows"]:
        u = r["change_unit"]
        m = r["model"]
        t.add_row(f"{r['what']} ({r['period']})" + (" *" if r["headline"] else ""),
                  f"{_n(r['observed']['change'], 1)} {u}",
                  f"{_n(m['change'], 1)} {u} {_band(m['band'], lambda x: _n(x, 1))}",
                  r["direction"], "yes" if r["within_50pct"] else "no")
    console.print(t)
    g = j["goal"]
    console.print(f"* headline row. Direction right in every row: "
                  f"{'yes' if g['direction_right_in_every_row'] else 'no'}; headline rows "
                  f"within ±50%: {g['headline_within_50pct']} of {g['headline_rows']} "
                  f"(goal 4): {'met' if g['met'] else 'not met'}.")
    console.print("[b]Where the model misses, and what it lacks[/b]")
    for line in res.misses():
        console.print(f"- {line}")
    m = j["manifest"]
    console.print(f"Runs {m['parameters']['runs']}, seed {m['seed']}. Sources: "
                  + "; ".join(f"{s['publisher']} ({s['year']})" for s in j["sources"]))


@app.command("scenarios")
def scenarios_cmd(json_out: JsonOpt = False) -> None:
    """The named scenarios and what each does."""
    scen = _corridors().list_scenarios()
    if json_out:
        print_json({"scenarios": [s.to_dict() for s in scen]})
        return
    t = Table("name", "kind", "title", "what it does", title="Named scenarios")
    for s in scen:
        acts = []
        for a in s.actions:
            sel = ", ".join(f"{k}={'/'.join(v)}" for k, v in a.select.to_dict().items())
            what = ["close"] if a.close else []
            what += [f"{k} {r.value:g} [{r.low:g}–{r.high:g}]" for k, r in a.changes]
            acts.append(f"{sel}: {', '.join(what)}")
        t.add_row(s.name, s.kind, s.title, "; ".join(acts))
    console.print(t)
    console.print("User scenarios: a YAML file of the same form, passed with --file.")


@app.command("nodes")
def nodes_cmd(json_out: JsonOpt = False) -> None:
    """The nodes of the network (names match case- and accent-insensitively)."""
    net = _corridors().shipped_network()
    if json_out:
        print_json({"nodes": [n.to_dict() for n in net.nodes]})
        return
    t = Table("id", "name", "country", "kind", "aliases", title="Corridor nodes")
    for n in net.nodes:
        t.add_row(n.id, n.name, n.iso3 or "–", n.kind, ", ".join(n.aliases))
    console.print(t)


@app.command("report")
def report_cmd(
    html_out: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", dir_okay=False, help="The HTML report to write.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="DIR", file_okay=False,
        help="Also write the PNG maps into this folder.")] = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", help="Disruption to show (default russia-transit).")] = None,
    runs: RunsOpt = 100,
    seed: SeedOpt = DEFAULT_SEED,
    output_old: Annotated[Path | None, typer.Option("-o", "--output", hidden=True,
                                                    dir_okay=False)] = None,
    png_old: Annotated[Path | None, typer.Option("--png", hidden=True, file_okay=False)]
    = None,
    scenario_old: OldScenOpt = None,
) -> None:
    """The offline corridor report: network, best routes, flows, a disruption, back-test."""
    output = alias(html_out, output_old, new_name="--html", old_name="-o/--output")
    png = alias(out, png_old, new_name="--out", old_name="--png")
    scenario = alias(scenario, scenario_old, new_name="--scenario", old_name="-s")
    if output is None:
        raise InputError("no output file", where="--html", expected="--html FILE")
    from tightrope.report.corridors import (
        backtest_section,
        corridors_html,
        disruption_section,
        flows_section,
        network_section,
        route_section,
        write_map_png,
    )

    names = scenario or ["russia-transit"]
    model = _corridors()
    with progress_bar("corridor report", 5) as bar:
        task = bar.task_ids[0]
        bar.update(task, description="routes")
        rt = model.route("Xian", "Duisburg", k=5)
        bar.update(task, advance=1, description="flows")
        fl = model.allocate(runs=runs, seed=seed)
        bar.update(task, advance=1, description="disruption")
        dr = model.disrupt(names, runs=runs, seed=seed)
        bar.update(task, advance=1, description="back-test")
        bt = model.backtest(runs=runs, seed=seed)
        bar.update(task, advance=1, description="rendering")
        text = corridors_html([route_section(rt), flows_section(fl), disruption_section(dr),
                               backtest_section(bt), network_section(model.shipped_network())])
        atomic_write_text(output, text)
        if png is not None:
            write_map_png(fl, png / "corridors_flows.png", "Baseline flows")
            write_map_png(dr, png / "corridors_disruption.png", "After: " + " + ".join(names))
        bar.update(task, advance=1)
    console.print(f"Wrote {output} ({len(text) / 1e6:.1f} MB)"
                  + (f" and PNG maps in {png}" if png else "") + ".")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="corridors")
