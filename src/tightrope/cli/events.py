"""``tightrope events ingest|status|temperature|panel|forecast|export-parquet``: event data."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tightrope.cli.common import DbOption, console, err_console, print_json, progress_bar, store_at
from tightrope.cli.options import JsonOpt, PngOpt, alias, check_engine, finite, hidden
from tightrope.errors import DataUnavailableError, InputError
from tightrope.events.changepoints import ChangePointParams
from tightrope.events.explain import has_events
from tightrope.events.series import DyadSeries
from tightrope.events.temperature import DEFAULT_POWERS, Temperature, panel, temperature
from tightrope.ingest.codes import country_codes
from tightrope.ingest.icews import TkgClock
from tightrope.store import Store
from tightrope.store.events import IngestSummary, events_status, ingest_events

__all__ = ["register"]

events_app = typer.Typer(help="Coded event data (GDELT, ICEWS) and relation temperature.",
                         no_args_is_help=True)

FromOpt = Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")]
WindowOpt = Annotated[int, typer.Option(min=1, max=600,
                                        help="Trailing smoothing window, months.")]
PenaltyOpt = Annotated[float | None, typer.Option(
    callback=finite(0.0, 1e12, "a penalty"),
    help="PELT penalty (default 2*sigma^2*ln(n), sigma from the MAD of differences).")]
MinSizeOpt = Annotated[int, typer.Option(min=1, max=600,
                                         help="Minimum segment, months with events.")]
DatasetOpt = Annotated[list[str] | None, typer.Option(
    "--dataset", help="Only events of this dataset (repeatable; see 'events status').")]
EngineOpt = Annotated[str, typer.Option(
    callback=check_engine, help="local (the store) or dask (a Parquet export).")]
#: Old spelling, hidden, for one release: --plot (now --png).
OldPlotOpt = Annotated[Path | None, hidden("--plot")]
ParquetOpt = Annotated[Path | None, typer.Option(help="Parquet export for --engine dask.")]
SchedulerOpt = Annotated[str | None, typer.Option(
    help="Dask scheduler address; default: a local cluster in this process.")]


@events_app.command("ingest")
def ingest(
    files: Annotated[list[Path], typer.Argument(help="Event files (.zip and .gz are read too).")],
    fmt: Annotated[str, typer.Option(
        "--format", help="auto, gdelt, icews, icews-tkg or mmkb.")] = "auto",
    time_unit: Annotated[str | None, typer.Option(
        help="TKG ID files: 'hours' or 'days' (default: from the folder name).")] = None,
    base_date: Annotated[str | None, typer.Option(
        help="TKG ID files: date of time 0, YYYY-MM-DD.")] = None,
    db: DbOption = None,
    json_out: JsonOpt = False,
) -> None:
    """Stream event files into the store: idempotent, in one transaction, bad lines quarantined."""
    clock = None
    if time_unit or base_date:
        if not (time_unit and base_date):
            raise InputError("--time-unit and --base-date go together",
                             expected="both, e.g. --time-unit days --base-date 2005-01-01")
        try:
            clock = TkgClock(dt.date.fromisoformat(base_date), time_unit)
        except ValueError as e:
            raise InputError(str(e),
                             expected="--time-unit hours|days, --base-date YYYY-MM-DD") from None
    with store_at(db, load=False) as store, progress_bar("ingesting events") as bar:
        task = bar.task_ids[0]

        def step(done: int, total: int, message: str = "") -> None:
            bar.update(task, completed=done // 1_000_000, total=max(total // 1_000_000, 1),
                       description="ingesting events (MB)")

        summary = ingest_events(store, files, fmt=fmt, clock=clock, progress=step)
    if json_out:
        print_json(summary.to_dict())
        return
    _print_summary(summary)


def _print_summary(s: IngestSummary) -> None:
    t = Table("file", "format", "rows read", "stored", "duplicates", "quarantined", "seconds")
    for f in s.files:
        t.add_row(Path(f.file).name, f.dataset, f"{f.rows_read:,}", f"{f.stored:,}",
                  f"{f.duplicates:,}", f"{f.quarantined:,}", f"{f.seconds:.2f}")
    console.print(t)
    console.print(
        f"rows read {s.total('rows_read'):,}, stored {s.total('stored'):,}, duplicates "
        f"{s.total('duplicates'):,}, quarantined {s.total('quarantined'):,} in {s.seconds:.2f} s "
        f"({s.rows_per_second:,.0f} rows/s)")
    if s.unmapped_actor_mentions:
        top = ", ".join(f"{a} ×{n}" for a, n in s.unmapped_actors[:10])
        console.print(f"actor mentions without a country: {s.unmapped_actor_mentions:,}; "
                      f"most frequent: {top}")
    if s.unmatched_labels:
        console.print("event labels without a CAMEO code: "
                      + ", ".join(f"{a} ×{n}" for a, n in s.unmatched_labels))
    if s.total("quarantined"):
        console.print("malformed lines are in the table event_quarantine "
                      "(see 'tightrope events status').")


@events_app.command("status")
def status(db: DbOption = None, json_out: JsonOpt = False) -> None:
    """Datasets, files, quarantined lines and unmapped actors in the store."""
    with store_at(db, load=False) as store:
        st = events_status(store)
    if json_out:
        print_json(st)
        return
    t = Table("dataset", "events", "first", "last", "partly unmapped", "unscored")
    for r in st["datasets"]:
        t.add_row(r["dataset"], f"{r['events']:,}", str(r["first"]), str(r["last"]),
                  f"{r['partly_unmapped']:,}", f"{r['unscored']:,}")
    console.print(t)
    console.print(f"files ingested: {len(st['files'])}; quarantined lines: "
                  + (", ".join(f"{r['reason']} ×{r['n']}" for r in st["quarantine_by_reason"])
                     or "none"))
    console.print(f"actor mentions without a country: {st['unmapped_actor_mentions']:,} of "
                  f"{st['actor_mentions']:,}; most frequent: "
                  + ", ".join(f"{r['actor']} ×{r['n']}" for r in st["top_unmapped_actors"]))


@contextmanager
def _engine_client(engine: str, scheduler: str | None) -> Iterator[Any]:
    if engine != "dask":
        yield None
        return
    from tightrope.events.scale import dask_client

    with dask_client(scheduler) as client:
        yield client


def _fmt(v: float | None) -> str:
    return "" if v is None else f"{v:+.2f}"


def _render(t: Temperature) -> None:
    o, i = t.outbound, t.inbound
    tab = Table("month", f"{o.source}→{o.target} n", "mean", "smoothed",
                f"{i.source}→{i.target} n", "mean", "smoothed",
                title=f"Relation temperature {t.focal.code} ↔ {t.power.code}, "
                      f"{t.months.start} to {t.months.end} (Goldstein −10…+10; months with "
                      "events)")
    for k, m in enumerate(o.months):
        if o.events[k] or i.events[k]:
            tab.add_row(m, str(o.events[k] or ""), _fmt(o.mean_goldstein[k]),
                        _fmt(o.smoothed_goldstein[k]), str(i.events[k] or ""),
                        _fmt(i.mean_goldstein[k]), _fmt(i.smoothed_goldstein[k]))
    console.print(tab)
    for s in (o, i):
        console.print(_change_line(s))


def _change_line(s: DyadSeries) -> str:
    head = f"{s.source}→{s.target}: {sum(s.events):,} events in {sum(1 for e in s.events if e)} " \
           f"of {len(s.months)} months; change points: "
    if not s.change_points:
        return head + ("none" + (f" ({s.change_point_note})" if s.change_point_note else ""))
    return head + "; ".join(f"{c['month']} ({_fmt(c['mean_before'])} → {_fmt(c['mean_after'])})"
                            for c in s.change_points)


def _options(window: int, penalty: float | None, min_size: int, dataset: list[str] | None,
             engine: str, parquet: Path | None) -> dict[str, Any]:
    cp = ChangePointParams(min_size=min_size, penalty=penalty)
    # the core's name of the local engine is "duckdb" (the store)
    return {"window": window, "change_points": cp, "datasets": dataset or None,
            "engine": "duckdb" if engine == "local" else engine, "parquet": parquet}


def _require_events(store: Store, focal: str) -> None:
    """A one-line error, before anything is computed, when no events with ``focal`` are
    loaded (the store is open read-only: nothing may be created in it)."""
    iso3 = country_codes().resolve(focal)
    if not has_events(store, iso3):
        raise DataUnavailableError(
            f"no coded events with {iso3} in the store at {store.path}; load event files "
            "(GDELT, ICEWS) with 'tightrope events ingest FILE…' first")


@events_app.command("temperature")
def temperature_cmd(
    focal: Annotated[str, typer.Argument(help="Focal country, e.g. KAZ.")],
    power: Annotated[str, typer.Argument(help="Power: a country or a bloc code (EUU).")],
    start: FromOpt = None, end: ToOpt = None, json_out: JsonOpt = False, png: PngOpt = None,
    window: WindowOpt = 3, penalty: PenaltyOpt = None, min_size: MinSizeOpt = 3,
    dataset: DatasetOpt = None, engine: EngineOpt = "local", parquet: ParquetOpt = None,
    scheduler: SchedulerOpt = None, db: DbOption = None, plot_old: OldPlotOpt = None,
) -> None:
    """Monthly event series focal → power and power → focal, smoothed, with change points."""
    plot = alias(png, plot_old, new_name="--png", old_name="--plot")
    opts = _options(window, penalty, min_size, dataset, engine, parquet)
    with store_at(db) as store, _engine_client(engine, scheduler) as client:
        _require_events(store, focal)
        result = temperature(store, focal, power, start, end, client=client, **opts)
    _emit(result, plot, "tightrope.report.events:plot_temperature", json_out, _render)


def _emit(result: Any, plot: Path | None, chart: str, json_out: bool,
          render: Callable[[Any], None]) -> None:
    """Write the chart if asked, then the JSON or the table (the table with or without it).

    ``chart`` names the plotting function as ``module:function``; it is imported only when a
    chart is asked for (the report modules load matplotlib)."""
    if plot is not None:
        module, name = chart.split(":")
        getattr(importlib.import_module(module), name)(result, plot)
        err_console.print(f"chart written to {plot}")
    if json_out:
        print(result.to_json())
    else:
        render(result)


@events_app.command("panel")
def panel_cmd(
    focal: Annotated[str, typer.Argument(help="Focal country, e.g. KAZ.")],
    powers: Annotated[str, typer.Option(help="Comma-separated powers.")] = ",".join(
        DEFAULT_POWERS),
    start: FromOpt = None, end: ToOpt = None, json_out: JsonOpt = False, png: PngOpt = None,
    window: WindowOpt = 3, penalty: PenaltyOpt = None, min_size: MinSizeOpt = 3,
    dataset: DatasetOpt = None, engine: EngineOpt = "local", parquet: ParquetOpt = None,
    scheduler: SchedulerOpt = None, db: DbOption = None, plot_old: OldPlotOpt = None,
) -> None:
    """Temperature of the focal country with each power (default RUS,CHN,USA,EUU,TUR,IRN)."""
    plot = alias(png, plot_old, new_name="--png", old_name="--plot")
    opts = _options(window, penalty, min_size, dataset, engine, parquet)
    codes = [p.strip() for p in powers.split(",") if p.strip()]
    with store_at(db) as store, _engine_client(engine, scheduler) as client:
        _require_events(store, focal)
        result = panel(store, focal, codes, start, end, client=client, **opts)
    _emit(result, plot, "tightrope.report.events:plot_panel", json_out, _render_panel)


def _render_panel(result: Any) -> None:
    t = Table("power", "focal→power events", "power→focal events", "mean out", "mean in",
              title=f"{result.focal.code}: relation temperature with each power")
    for r in result.results:
        t.add_row(r.power.code, f"{sum(r.outbound.events):,}", f"{sum(r.inbound.events):,}",
                  _fmt(r.outbound.overall_goldstein), _fmt(r.inbound.overall_goldstein))
    console.print(t)
    for r in result.results:
        console.print(_change_line(r.outbound))
        console.print(_change_line(r.inbound))


@events_app.command("forecast")
def forecast_cmd(
    a: Annotated[str, typer.Argument(help="A country, e.g. KAZ.")],
    b: Annotated[str, typer.Argument(help="The other party: a country or a bloc code (EUU).")],
    months: Annotated[int, typer.Option(min=1, max=24, help="Months ahead.")] = 3,
    json_out: JsonOpt = False, png: PngOpt = None, db: DbOption = None,
    plot_old: OldPlotOpt = None,
) -> None:
    """Share of each CAMEO root class and QuadClass in the next months, both directions."""
    from tightrope.events.forecast_service import dyad_forecast

    plot = alias(png, plot_old, new_name="--png", old_name="--plot")
    with store_at(db) as store:
        result = dyad_forecast(store, a, b, months)
    _emit(result, plot, "tightrope.report.forecast:plot_forecast", json_out, _render_forecast)


def _render_forecast(result: Any) -> None:
    for q in result.quad:
        t = Table("month", *(lab for lab in q.labels),
                  title=f"{q.source}→{q.target}: QuadClass shares of next months' events, "
                        f"{int(100 * result.params.level)}% interval; last row: base rate "
                        f"({q.events:,} events {result.history.start}…{result.history.end})")
        for i, m in enumerate(q.months):
            t.add_row(m, *(f"{q.p[i, j]:.2f} ({q.lo[i, j]:.2f}–{q.hi[i, j]:.2f})"
                           for j in range(len(q.classes))))
        t.add_row("base rate", *(f"{x:.2f}" for x in q.base))
        console.print(t)
    for r in result.root:
        top = sorted(range(len(r.classes)), key=lambda j: -r.p[0, j])[:5]
        console.print(f"{r.source}→{r.target}, {r.months[0]}, likeliest CAMEO roots: " + "; ".join(
            f"{r.classes[j]} {r.labels[j]} {r.p[0, j]:.2f} (base {r.base[j]:.2f})" for j in top))


@events_app.command("export-parquet")
def export_parquet_cmd(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the Parquet files.")],
    overwrite: Annotated[bool, typer.Option(help="Write into a non-empty folder.")] = False,
    db: DbOption = None,
) -> None:
    """Write the events table as Parquet partitioned by year, for --engine dask."""
    from tightrope.events.scale import export_parquet

    with store_at(db, load=False) as store:
        s = export_parquet(store, out_dir, overwrite=overwrite)
    console.print(f"{s.rows:,} events written to {s.out_dir} ({s.files} Parquet files)")


def register(app: typer.Typer) -> None:
    from tightrope.cli.eventfetch import fetch_app

    events_app.add_typer(fetch_app, name="fetch")
    app.add_typer(events_app, name="events")
