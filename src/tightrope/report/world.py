"""The world balance page (choropleth map and sortable table), its PNG map and CSV rows.
Consumes a :class:`tightrope.exposure.world.WorldBalance` only."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

from tightrope.exposure.campdata import CAMPS
from tightrope.exposure.world import WorldBalance
from tightrope.exposure.worldinputs import WORLD_CHANNELS
from tightrope.report.offline import esc, figure_div, page

__all__ = ["CSV_COLUMNS", "camp_balance_html", "camp_balance_markdown", "world_csv", "world_html",
           "write_world_png"]

CSV_COLUMNS = ("rank", "member_rank", "iso3", "name", "overall", "band_low", "band_high",
               "class", "leading_camp", "camp_member", "n_channels",
               *(f"tie_{k}" for k in CAMPS), "evenness_v2", "channel_mean", *WORLD_CHANNELS)

_SORT_JS = """<script>
document.querySelectorAll('table.sortable th').forEach(function(th, col){
  th.style.cursor='pointer';
  th.addEventListener('click', function(){
    var tb=th.closest('table').tBodies[0], rows=Array.from(tb.rows);
    var asc=th.dataset.asc!=='1'; th.dataset.asc=asc?'1':'0';
    rows.sort(function(a,b){
      var x=a.cells[col].dataset.v||a.cells[col].textContent,
          y=b.cells[col].dataset.v||b.cells[col].textContent;
      var nx=parseFloat(x), ny=parseFloat(y);
      var c=(isNaN(nx)||isNaN(ny))?x.localeCompare(y):nx-ny;
      return asc?c:-c;});
    rows.forEach(function(r){tb.appendChild(r);});
  });
});
</script>"""


def _f(x: float) -> str:
    return "" if math.isnan(x) else f"{x:.2f}"


def _rows(w: WorldBalance) -> list[dict[str, Any]]:
    out = []
    for c in w.ranked():
        out.append({"rank": c.rank or "", "member_rank": c.member_rank or "", "iso3": c.iso3,
                    "name": c.name, "overall": _f(c.overall), "band_low": _f(c.band[0]),
                    "band_high": _f(c.band[1]), "class": c.klass or "unknown",
                    "leading_camp": c.leading_camp or "", "camp_member": c.camp_of or "",
                    "n_channels": c.n_channels,
                    **{f"tie_{k}": _f(c.camp_ties[k]) for k in CAMPS},
                    "evenness_v2": _f(c.evenness_v2), "channel_mean": _f(c.channel_mean),
                    **{ch: _f(c.channel_index[ch]) for ch in WORLD_CHANNELS}})
    return out


def world_csv(w: WorldBalance) -> str:
    """One row per country, ranked; empty cells are unknown."""
    buf = io.StringIO()
    wr = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    wr.writeheader()
    wr.writerows(_rows(w))
    return buf.getvalue()


def _finding(w: WorldBalance) -> str:
    """The map's title: who hedges most, from the ranking itself."""
    top = [c.name for c in w.ranked() if c.rank is not None][:3]
    lead = ", ".join(top[:-1]) + f" and {top[-1]}" if len(top) > 1 else "".join(top)
    return (f"Hedging between the West, Russia and China in the 2010s: {lead} hedge most"
            if top else "Hedging between the West, Russia and China in the 2010s")


def _map(w: WorldBalance) -> str:
    import plotly.graph_objects as go

    known = [c for c in w.countries if not math.isnan(c.overall)]
    fig = go.Figure(go.Choropleth(
        locations=[c.iso3 for c in known], z=[c.overall for c in known],
        text=[f"{c.name}: {c.overall:.2f} [{c.band[0]:.2f}-{c.band[1]:.2f}], leaning "
              f"{c.leading_camp}, {c.n_channels} channels" for c in known],
        hoverinfo="text", locationmode="ISO-3", colorscale="RdYlGn", zmin=0, zmax=1,
        colorbar={"title": "hedging"}))
    fig.update_layout(title=f"{_finding(w)}<br><sup>{len(known)} countries; 1 = strong, even "
                            "ties to two rival camps, 0 = tied to one camp or to none</sup>",
                      margin={"l": 0, "r": 0, "t": 70, "b": 0}, height=530,
                      geo={"showframe": False, "showcountries": True,
                           "projection": {"type": "natural earth", "rotation": {"lon": 0}},
                           "lonaxis": {"range": [-180, 180]}, "lataxis": {"range": [-58, 85]}})
    return figure_div(fig, "world-map")


def world_html(w: WorldBalance, validation: dict[str, Any] | None = None) -> str:
    """The offline page: method note, map, sortable table, validation summary."""
    head = ["rank", "rank among camp members", "country", "iso3", "overall", "band", "class",
            "leading camp", "channels", *(f"tie {k}" for k in CAMPS), "evenness (v2)",
            "channel mean", *WORLD_CHANNELS]
    body = []
    for r, c in zip(_rows(w), w.ranked(), strict=True):
        cells = [(r["rank"], r["rank"]), (r["member_rank"], r["member_rank"]),
                 (c.name, c.name), (c.iso3, c.iso3),
                 (r["overall"], r["overall"]), (f"{r['band_low']}-{r['band_high']}",
                                                r["band_low"]),
                 (r["class"], r["class"]), (r["leading_camp"], r["leading_camp"]),
                 (r["n_channels"], r["n_channels"])] + [
                     (r[k], r[k]) for k in (*(f"tie_{k}" for k in CAMPS), "evenness_v2",
                                            "channel_mean", *WORLD_CHANNELS)]
        body.append("<tr>" + "".join(f'<td data-v="{esc(v)}">{esc(t)}</td>' for t, v in cells)
                    + "</tr>")
    # wide: it scrolls sideways inside the page instead of running off its edge
    table = ('<div style="overflow-x:auto"><table class="sortable"><thead><tr>'
             + "".join(f"<th>{esc(h)}</th>" for h in head)
             + "</tr></thead><tbody>" + "".join(body) + "</tbody></table></div>")
    intro = ("<p>Hedging between camps (the West, Russia, China), method v4: each camp's tie "
             "is averaged over the channels that cover every country (UN alignment, security, "
             "institutions, trade); overall is the geometric mean of the evenness of the two "
             "strongest camps (one minus their margin, method v2's index) and the second "
             "camp's tie. 1 = full, equal ties to two camps; 0 = one camp only, or no tie. "
             "The ranking holds the states outside every camp; camp members (NATO, EU, the US "
             "treaty allies in the Pacific, Russia, China) are ranked among themselves. "
             "Per channel, one minus the margin between the two strongest camp ties. "
             "Band: 5th-95th "
             f"percentile over {w.runs} seeded draws (seed {w.seed}). All inputs describe the "
             "2010s. Sources: UN General Assembly votes 2010-2019 (Voeten; ideal points in "
             "the number of dimensions that best predicts held-out votes), ATOP v5 (2018), "
             "CIA World Factbook memberships (edition of November 2020) and trade partners "
             "(lists for 2010-2019 from the Factbook's editions of 2020-2026). Click a column "
             "to sort.</p>")
    sections = [intro, "<h2>Map</h2>", _map(w), "<h2>Ranking</h2>", table]
    if validation is not None:
        u = validation["ukraine_2022"]
        h, f = validation["seen_v3_set"], validation["in_sample_v1_set"]
        g = validation["in_sample_v2_set"]
        sections += ["<h2>Validation</h2>",
                     "<p>No held-out set remains: the three sets of states the literature "
                     "calls hedging or aligned were all analysed before this method was "
                     "chosen, so their AUCs are in-sample and say little about new cases. "
                     f"AUC {f['auc']:.2f} (first set), {g['auc']:.2f} (v2 set), "
                     f"{h['auc']:.2f} (v3 set: {h['n_hedging']} hedging, {h['n_aligned']} "
                     "aligned; goal 0.9). Misses on the v3 set: "
                     + esc(", ".join(m["name"] for m in h["misses"]) or "none")
                     + f". 2022 Ukraine vote (abstained or absent vs voted): AUC "
                     f"{u['auc']:.2f}. Method and every miss: the balance validation page of "
                     "the documentation.</p>"]
    return page("Tightrope: the world's balance between camps", [*sections, _SORT_JS],
                subtitle=f"{w.n_ranked()} states ranked and {w.n_member_ranked()} camp members "
                         f"ranked apart, of {len(w.countries)} Factbook countries")


def write_world_png(w: WorldBalance, path: Path) -> None:
    """A static world map of the overall index (matplotlib, no network)."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    from tightrope.io import atomic_write_bytes
    from tightrope.report.geo import country_rings

    cmap = colormaps["RdYlGn"]
    # a Figure without pyplot: no global backend switch
    fig = Figure(figsize=(12, 6), dpi=100)
    ax = fig.add_subplot()
    vals = {c.iso3: c.overall for c in w.countries}
    for iso, rings in country_rings().items():
        v = vals.get(iso, math.nan)
        color = "#dddddd" if math.isnan(v) else cmap(v)
        for ring in rings:
            ax.add_patch(Polygon(ring, closed=True, facecolor=color, edgecolor="white",
                                 linewidth=0.3))
    ax.set_xlim(-180, 190)
    ax.set_ylim(-60, 85)
    ax.set_axis_off()
    sm = ScalarMappable(cmap=cmap, norm=Normalize(0, 1))
    fig.colorbar(sm, ax=ax, fraction=0.02, label="hedging between camps (grey: unknown)")
    ax.set_title(f"{_finding(w)} (world index v4)")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    atomic_write_bytes(path, buf.getvalue())


def _cb_rows(cb: dict[str, Any]) -> list[list[str]]:
    rows = []
    for ch, v in cb["channels"].items():
        t = v["ties"]
        name = ch if v.get("in_headline", True) else f"{ch} (curated, not in the headline)"
        rows.append([name, "unknown" if v["value"] is None else f"{v['value']:.2f}",
                     " / ".join("–" if t[k] is None else f"{t[k]:.2f}"
                                for k in ("WEST", "RUS", "CHN")), v["basis"]])
    return rows


def _cb_headline(cb: dict[str, Any]) -> str:
    ov = cb["overall"]
    if ov["value"] is None:
        return "Balance between the West, Russia and China: unknown (no channel known)."
    if cb["rank"]:
        rank = f"rank {cb['rank']} of {cb['ranked_among']} states outside the camps"
    elif cb.get("member_rank"):
        rank = (f"a camp member ({cb['member_of_camp']}), ranked {cb['member_rank']} of "
                f"{cb.get('members_ranked', '?')} camp members, not in the world ranking")
    else:
        rank = "unranked (fewer than 3 known headline channels)"
    ct = cb["camp_ties"]
    ties = ", ".join(f"{k} {ct[k]:.2f}" for k in CAMPS if ct.get(k) is not None)
    return (f"Hedging between the West, Russia and China: {ov['value']:.2f} "
            f"[{ov['band'][0]:.2f}–{ov['band'][1]:.2f}] ({ov['class']}); portfolio ties "
            f"{ties}; leading camp {cb['leading_camp']}; {rank}; rests on "
            f"{cb['n_channels']} headline channels.")


#: Shown under each country's camp section (the numbers are those of the documented
#: validation; a regression test keeps them equal to what the code computes).
CAMP_NOTE = ("Headline (method v4): each camp's tie averaged over the channels that cover every "
             "country; the geometric mean of the evenness of the two strongest camps (one "
             "minus their margin, method v2's index) and the second camp's tie, so weak ties "
             "everywhere no longer read as balance. Camp members are ranked apart. Per "
             "channel: one minus the margin between the two strongest camp ties. Every input "
             "describes the 2010s. Method and validation: the balance validation page of the "
             "documentation.")


def camp_balance_html(cb: dict[str, Any] | None, heading: str = "h2") -> str:
    """A report section: the country's world entry, channel by channel."""
    if cb is None:
        return ""
    from tightrope.report.offline import html_table

    title = "Balance between camps" + (f": {cb['name']}" if heading != "h2" else "")
    return (f"<{heading}>{esc(title)}</{heading}>"
            f"<p>{esc(_cb_headline(cb))}</p>"
            + html_table(["channel", "index", "ties: West / Russia / China", "basis"],
                         _cb_rows(cb), num_from=1)
            + f"<p class='note'>{esc(CAMP_NOTE)}</p>")


def camp_balance_markdown(cb: dict[str, Any] | None, level: int = 2) -> str:
    """The same section in Markdown."""
    if cb is None:
        return ""
    title = "Balance between camps" + (f": {cb['name']}" if level > 2 else "")
    lines = ["#" * level + " " + title, "", _cb_headline(cb), "",
             "| channel | index | ties: West / Russia / China | basis |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in _cb_rows(cb)]
    return "\n".join(lines) + "\n"
