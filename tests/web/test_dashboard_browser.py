"""The dashboard in Debian's chromium: truthful progress bars, results as tables, errors that
replace stale content, "no data" apart from 0.00, CSV upload, the offline API page, and a
screenshot of every page (into $TIGHTROPE_SHOTS when set)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium_page, external
from tests.web.server import live_dashboard

pytestmark = pytest.mark.browser

#: samples the page's progress bar every 20 ms, with whether the result is on the page
WATCH = """([bar, result]) => {
  window.__seen = [];
  window.__watch = setInterval(() => {
    const el = document.getElementById(bar);
    window.__seen.push([el.value / el.max, !!document.getElementById(result)]);
  }, 20);
}"""


@pytest.fixture(scope="module")
def server(loaded_db: Path, shared_data: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard on a store with the world data and ICEWS 2005-15 (all pages shown)."""
    from tightrope.store import open_store
    from tightrope.store.events import ingest_events

    db = tmp_path_factory.mktemp("dash") / "store.duckdb"
    shutil.copy(loaded_db, db)
    with open_store(db) as s:
        ingest_events(s, sorted((shared_data / "icews-tkg" / "mmkb" / "icews05-15")
                                .glob("*.txt")))
    with live_dashboard(db) as url:
        yield url


def _shot(page: Any, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("TIGHTROPE_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _open(page: Any, url: str, tab: str) -> None:
    page.goto(url + "/")
    page.wait_for_selector("#profile-title", timeout=60_000)
    page.wait_for_selector(f"#tabs button[data-page={tab}]:not([hidden])")
    page.click(f"#tabs button[data-page={tab}]")


def _watched(page: Any) -> list[tuple[float, bool]]:
    seen: list[tuple[float, bool]] = page.evaluate("clearInterval(window.__watch) || "
                                                   "window.__seen")
    return [(float(f), bool(r)) for f, r in seen]


#: every Plotly chart on the page, as the browser holds it (data and layout, JSON only)
#: with the colour Plotly drew each trace in (a trace without its own colour takes the next
#: colour of the palette when drawn)
CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(gd => gd.data && gd._fullData).map(gd => {
  const drawn = gd._fullData.map(fd => {
    const m = fd.marker && typeof fd.marker.color === 'string' ? fd.marker.color : null;
    return (fd.line && fd.line.color) || m || null;
  });
  const data = JSON.parse(JSON.stringify(gd.data)).map((t, i) => {
    const own = (t.line && t.line.color) || (t.marker && typeof t.marker.color === 'string'
                                              && t.marker.color);
    if (!own && drawn[i]) {
      if (t.type === 'bar' || (t.mode || '').indexOf('lines') < 0) {
        t.marker = Object.assign({}, t.marker || {}, {color: drawn[i]});
      } else { t.line = Object.assign({}, t.line || {}, {color: drawn[i]}); }
    }
    return t;
  });
  return {id: gd.id, data: data, layout: JSON.parse(JSON.stringify(gd.layout))};
})"""


def _check_charts(page: Any, where: str) -> int:
    """The figure check of the reports applied to the charts the dashboard draws in the
    browser; returns how many were checked."""
    import plotly.graph_objects as go

    from tests.report.test_figure_check import check_plotly

    charts = page.evaluate(CHARTS)
    for c in charts:
        fig = go.Figure(data=c["data"], layout=c["layout"], skip_invalid=True)
        check_plotly(fig, f"dashboard {where} #{c['id']}")
    return len(charts)


def _assert_truthful(seen: list[tuple[float, bool]]) -> None:
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions), "the bar went backwards"
    moving = {f for f in fractions if 0 < f < 1}
    assert len(moving) >= 2, f"the bar did not move while the job ran: {sorted(moving)}"
    assert all(result for f, result in seen if f >= 1.0), "100% before the result"
    assert seen[-1] == (1.0, True)


def test_profile_error_replaces_the_previous_profile(server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server + "/")
        page.wait_for_selector("#profile-title", timeout=60_000)
        page.wait_for_function("document.querySelectorAll('#profile-map .choroplethlocation')"
                               ".length > 20")
        _shot(page, "profile", tmp_path)
        assert _check_charts(page, "profile") >= 1
        page.fill("#country", "Narnia")
        page.click("#profile-form button")
        page.wait_for_function("document.querySelector('#profile-msg').textContent"
                               ".includes('unknown country')")
        for el in ("#profile-summary", "#profile-map", "#profile-balance", "#profile-tables"):
            assert page.inner_html(el).strip() == "", f"{el} still shows Kazakhstan"
        _shot(page, "profile-error", tmp_path)
    assert errors == [] and external(requests) == []


def test_compare_shows_bands_and_no_data_apart_from_zero(server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open(page, server, "compare")
        page.fill("#compare-list", "KAZ, MNG, TUV")
        page.click("#compare-form button")
        page.wait_for_function("document.querySelectorAll('#compare-table td.nodata')"
                               ".length > 0", timeout=60_000)
        cells = page.eval_on_selector_all("#compare-table td.nodata", "e => e.map(x => "
                                          "x.textContent)")
        assert set(cells) == {"no data"}
        text = page.inner_text("#compare-table")
        assert "–" in text  # bands as low–high
        # the chart draws error bars and writes "no data" where there is no bar
        assert page.locator("#compare-chart g.errorbar").count() > 0
        assert "no data" in page.inner_text("#compare-chart")
        _shot(page, "compare", tmp_path)
        assert _check_charts(page, "compare") >= 1
        page.fill("#compare-list", "KAZ, Narnia")
        page.click("#compare-form button")
        page.wait_for_function("document.querySelector('#compare-msg').classList"
                               ".contains('error')")
        assert page.inner_html("#compare-table").strip() == ""
    assert errors == [] and external(requests) == []


def test_minefield_and_robust_bars_follow_the_job(server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open(page, server, "simulate")
        page.wait_for_selector("#sim-strategy option", state="attached")
        page.fill("#sim-runs", "12000")  # long enough for several progress polls (250 ms)
        page.evaluate(WATCH, ["sim-progress", "sim-result"])
        page.click("#sim-form button[type=submit]")
        page.wait_for_selector("#sim-result table", timeout=120_000)
        _assert_truthful(_watched(page))
        assert page.locator("#sim-result tr").count() >= 5  # one row per strategy
        page.fill("#rob-samples", "16")  # enough steps for the bar to move between polls
        page.fill("#rob-runs", "20")
        page.evaluate(WATCH, ["rob-progress", "rob-result"])
        page.click("#rob-form button[type=submit]")
        page.wait_for_selector("#rob-result table", timeout=180_000)
        _assert_truthful(_watched(page))
        page.wait_for_function("document.querySelectorAll('#rob-pareto .point').length > 3")
        assert page.locator("#rob-summary ul.findings li").count() >= 1
        _shot(page, "minefield", tmp_path)
        assert _check_charts(page, "minefield") >= 1
    assert errors == [] and external(requests) == []


BAD_CSV = "actor,capability,position,salience\nPresidency,60,20,1.5\nBanks,25,70,0.6\n"
GOOD_CSV = ("actor,capability,position,salience,position_low,position_high\n"
            "Presidency,60,20,0.9,10,30\nBanks,25,70,0.6,60,80\nParliament,15,40,0.5,30,50\n")
MANY_CSV = "actor,capability,position,salience,position_low,position_high\n" + "".join(
    f"Actor {i},{10 + i},{(i * 37) % 100},0.{5 + i % 4},{max(0, (i * 37) % 100 - 10)},"
    f"{min(100, (i * 37) % 100 + 10)}\n" for i in range(20))


def test_bargaining_csv_upload_and_progress(server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open(page, server, "bargain")
        page.wait_for_function("document.querySelector('#bargain-table').value.length > 50")
        bad, good = tmp_path / "bad.csv", tmp_path / "actors.csv"
        bad.write_text(BAD_CSV)
        good.write_text(GOOD_CSV)
        page.set_input_files("#bargain-csv", str(bad))
        page.wait_for_function("document.querySelector('#bargain-msg').classList"
                               ".contains('error')")
        message = page.inner_text("#bargain-msg")
        assert message.startswith("bad.csv") and "line 2, field salience" in message
        page.set_input_files("#bargain-csv", str(good))
        page.wait_for_function("document.querySelector('#bargain-msg').textContent"
                               ".includes('3 actors read')")
        assert "Parliament" in page.input_value("#bargain-table")
        # a job long enough (20 actors x 1,000 runs, seconds) for the 250 ms poll to see it move
        many = tmp_path / "many.csv"
        many.write_text(MANY_CSV)
        page.set_input_files("#bargain-csv", str(many))
        page.wait_for_function("document.querySelector('#bargain-msg').textContent"
                               ".includes('20 actors read')")
        page.fill("#bargain-runs", "1000")
        page.evaluate(WATCH, ["bargain-progress", "bargain-result"])
        page.click("#bargain-form button[type=submit]")
        page.wait_for_selector("#bargain-result table", timeout=300_000)
        _assert_truthful(_watched(page))
        assert "Monte Carlo" in page.inner_text("#bargain-result")
        page.wait_for_function("document.querySelectorAll('#bargain-chart .scatterlayer .trace')"
                               ".length >= 4")
        _shot(page, "bargaining", tmp_path)
        assert _check_charts(page, "bargaining") >= 1
    assert errors == [] and external(requests) == []


def test_relations_and_corridors_pages(server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _open(page, server, "events")
        page.wait_for_function("document.querySelectorAll('#events-chart .scatterlayer "
                               ".trace').length > 0", timeout=60_000)
        _shot(page, "relations", tmp_path)
        assert _check_charts(page, "relations") >= 1
        page.fill("#events-country", "Narnia")
        page.click("#events-form button")
        page.wait_for_function("document.querySelector('#events-msg').classList"
                               ".contains('error')")
        assert page.inner_html("#events-chart").strip() == ""
        page.click("#tabs button[data-page=corridors]")
        page.wait_for_selector("#route-from option", state="attached")
        page.click("#route-form button")
        page.wait_for_function("document.querySelectorAll('#route-table tr').length > 2",
                               timeout=60_000)
        page.fill("#disrupt-runs", "5")
        page.click("#disrupt-form button[type=submit]")
        page.wait_for_selector("#disrupt-result", timeout=300_000)
        page.wait_for_function("document.querySelectorAll('#disrupt-map .scattergeo, "
                               "#disrupt-map .trace').length > 0")
        _shot(page, "corridors", tmp_path)
        assert _check_charts(page, "corridors") >= 1
    assert errors == [] and external(requests) == []


def test_api_page_works_offline(server: str, tmp_path: Path) -> None:
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server + "/docs")
        page.wait_for_selector(".opblock", timeout=60_000)
        assert page.locator(".opblock").count() >= 10
        assert "/api/profile/{country}" in page.inner_text("#swagger-ui")
        _shot(page, "api", tmp_path)
    assert errors == []
    assert external(requests) == []


def test_corridor_forms_answer_a_click_before_the_map_outlines_arrive(server: str) -> None:
    """The route form is wired up before the world outlines load; a click meanwhile waits for
    them instead of reloading the page (it did, on a busy machine)."""
    held: list[Any] = []
    with chromium_page() as (page, requests):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route("**/static/world_110m.json", lambda route: held.append(route))
        _open(page, server, "corridors")
        page.wait_for_selector("#route-from option", state="attached")
        page.click("#route-form button")
        page.wait_for_timeout(500)
        assert held, "the outlines were never asked for"
        assert page.locator("#route-table tr").count() == 0  # waiting for the outlines
        assert page.locator("#page-corridors").is_visible()  # not reloaded to the first page
        for route in held:
            route.continue_()
        page.wait_for_function("document.querySelectorAll('#route-table tr').length > 2",
                               timeout=60_000)
        assert page.locator("#route-map .scattergeo, #route-map .trace").count() > 0
    assert errors == [] and external(requests) == []
