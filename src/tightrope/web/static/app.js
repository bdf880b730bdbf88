// Tightrope dashboard: plain JavaScript, no network beyond this server.
"use strict";
const PLOTLY_CONFIG = {topojsonURL: "data:,unused/", displaylogo: false, responsive: true};
const T = {};  // page modules register here: T.pages[name] = {init()}
T.pages = {};

async function api(path, options) {
  const resp = await fetch(path, options);
  let body = null;
  try { body = await resp.json(); } catch (e) { body = null; }
  if (!resp.ok) {
    let detail = body && body.detail;
    if (Array.isArray(detail)) {
      detail = detail.map(d => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
    }
    throw new Error(detail || `${resp.status} ${resp.statusText}`);
  }
  return body;
}
T.api = api;

function esc(x) {
  return String(x === null || x === undefined ? "" : x)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
T.esc = esc;
function table(head, rows) {
  return "<table><thead><tr>" + head.map(h => `<th>${esc(h)}</th>`).join("") +
    "</tr></thead><tbody>" + rows.map(r => "<tr>" + r.map(c => `<td>${esc(c)}</td>`).join("") +
    "</tr>").join("") + "</tbody></table>";
}
T.table = table;
function msg(id, text, error) {
  const el = document.getElementById(id);
  el.textContent = text || "";
  el.className = "msg" + (error ? " error" : "");
}
T.msg = msg;
// empty an element (and drop its Plotly chart), so an error never sits under stale results
function clear(id) {
  const el = document.getElementById(id);
  if (!el) return;
  if (window.Plotly && el.classList.contains("js-plotly-plot")) Plotly.purge(el);
  el.innerHTML = "";
}
T.clear = clear;
const pct = x => (x === null || x === undefined) ? "unknown" : (100 * x).toFixed(0) + "%";
const f2 = x => (x === null || x === undefined) ? "–" : Number(x).toFixed(2);
// millions, three significant figures, true minus sign: -186.2e6 -> "−186"
const m3 = x => Number((x / 1e6).toPrecision(3)).toLocaleString("en").replace("-", "\u2212");
T.pct = pct; T.f2 = f2;

async function loadTopology() {
  // plotly.js creates window.PlotlyGeoAssets itself; add the topology it would fetch from a CDN
  const assets = window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
  assets.topojson = assets.topojson || {};
  if (!assets.topojson.world_110m) {
    assets.topojson.world_110m = await api("/static/world_110m.json");
  }
}
T.loadTopology = loadTopology;

function showPage(name) {
  document.querySelectorAll("#tabs button").forEach(b =>
    b.classList.toggle("active", b.dataset.page === name));
  document.querySelectorAll(".page").forEach(p => { p.hidden = p.id !== "page-" + name; });
  const mod = T.pages[name];
  if (mod && !mod.ready) { mod.ready = true; mod.init(); }
}

async function showProfile(ev) {
  if (ev) ev.preventDefault();
  const q = document.getElementById("country").value.trim();
  if (!q) { msg("profile-msg", "Type a country name or code.", true); return; }
  msg("profile-msg", "Loading " + q + "…");
  let p;
  try { p = await api("/api/profile/" + encodeURIComponent(q)); }
  catch (e) {  // the previous country's profile must not stay under the error
    ["profile-summary", "profile-map", "profile-balance", "profile-tables"].forEach(clear);
    msg("profile-msg", e.message, true); return;
  }
  msg("profile-msg", "");
  const ex = p.exposure, bi = ex.balance_index, lean = ex.vector.net_lean;
  document.getElementById("profile-summary").innerHTML =
    `<h2 id="profile-title">${esc(p.country.name)} (${esc(p.country.iso3)})</h2>` +
    `<p>Per-power balance index <b>${f2(bi.overall.value)}</b> (band ${f2(bi.overall.band[0])}–` +
    `${f2(bi.overall.band[1])}, seed ${bi.seed}); net lean ${lean ? esc(lean.power) : "–"}. ` +
    `Powers: ${esc(ex.powers.join(", "))}.</p>` + campSummary(p.camp_balance);
  await loadTopology();
  const locs = [], z = [], text = [];
  const members = {EUU: ["AUT","BEL","BGR","HRV","CYP","CZE","DNK","EST","FIN","FRA","DEU","GRC",
    "HUN","IRL","ITA","LVA","LTU","LUX","MLT","NLD","POL","PRT","ROU","SVK","SVN","ESP","SWE"],
    GCC: ["BHR","KWT","OMN","QAT","SAU","ARE"]};
  for (const power of ex.powers) {
    const v = ex.vector.mean_share[power].value;
    for (const iso of (members[power] || [power])) {
      locs.push(iso); z.push(v || 0); text.push(`${power}: mean dependence share ${pct(v)}`);
    }
  }
  const nb = p.borders.map(b => b.iso3).filter(c => !locs.includes(c));
  Plotly.newPlot("profile-map", [
    {type: "choropleth", locationmode: "ISO-3", locations: locs, z: z, text: text,
     hoverinfo: "text", colorscale: "Reds", zmin: 0, colorbar: {title: {text: "dependence"}}},
    {type: "choropleth", locationmode: "ISO-3", locations: nb, z: nb.map(() => 0.5),
     colorscale: "Greys", zmin: 0, zmax: 1, showscale: false, hoverinfo: "location"},
    {type: "choropleth", locationmode: "ISO-3", locations: [p.country.iso3], z: [1],
     colorscale: [[0, "#f1c40f"], [1, "#f1c40f"]], showscale: false, hoverinfo: "location"}],
    {height: 430, margin: {l: 0, r: 0, t: 40, b: 0},
     title: {text: `${p.country.name}: dependence on each power (darker = more dependent; neighbours grey)`},
     geo: {projection: {type: "natural earth"}, showcountries: true, showland: true,
           landcolor: "#f4f4f4", lataxis: {range: [-45, 85]}}}, PLOTLY_CONFIG);
  const ch = ex.channels;
  const vals = ch.map(c => bi.channels[c].value);
  Plotly.newPlot("profile-balance", [{type: "bar", x: ch.concat(["overall"]),
    y: vals.concat([bi.overall.value]),
    error_y: {type: "data", symmetric: false,
      array: ch.map(c => Math.max(0, (bi.channels[c].band[1] || 0) - (bi.channels[c].value || 0)))
        .concat([Math.max(0, bi.overall.band[1] - bi.overall.value)]),
      arrayminus: ch.map(c => Math.max(0, (bi.channels[c].value || 0) - (bi.channels[c].band[0] || 0)))
        .concat([Math.max(0, bi.overall.value - bi.overall.band[0])])}}],
    {height: 320, title: {text: "Balance index (1 = even, 0 = one patron) with 5–95% band"},
     xaxis: {title: {text: "channel"}}, yaxis: {range: [0, 1.05], title: {text: "balance index"}},
     margin: {t: 40}}, PLOTLY_CONFIG);
  const src = (r) => `${r.source || ""}${r.year ? ", " + r.year : ""}` +
    (r.note ? ` (note: ${r.note})` : "");
  document.getElementById("profile-tables").innerHTML =
    "<h3>Land borders</h3>" + table(["neighbour", "km", "source"],
      p.borders.map(b => [`${b.name} (${b.iso3})`, b.length_km.toLocaleString(), src(b)])) +
    "<h3>Seas</h3>" + table(["sea", "littoral states", "source"],
      p.coastline.seas.map(s => [s.sea, s.littoral_states.join(", "),
        src({source: s.littoral_source, year: s.littoral_year})])) +
    "<h3>Trade partners</h3>" + table(["flow", "partner", "share", "source"],
      ["exports", "imports"].flatMap(fl => p.trade[fl].map(t => [fl, t.name, pct(t.share), src(t)]))) +
    "<h3>Dependence cells</h3>" + table(["power", "channel", "value", "band", "sources"],
      ex.cells.map(c => [c.power, c.channel, c.value === null ? "unknown" : f2(c.value),
        c.value === null ? "" : `${f2(c.band[0])}–${f2(c.band[1])}`, c.sources.join("; ")])) +
    "<h3>Memberships</h3>" + table(["organisation", "kind", "joined", "source"],
      p.memberships.filter(m => m.kind).map(m => [m.org, m.kind, m.joined || "", m.source]));
}

// The balance between camps (the West, Russia, China): the headline index, its world rank
// and each channel's tie to each camp.
function campSummary(cb) {
  if (!cb) return "<p>Balance between camps: no data for this country.</p>";
  const camps = ["WEST", "RUS", "CHN"], o = cb.overall;
  const rank = cb.rank ? `rank ${cb.rank} of ${cb.ranked_among || "–"} states outside the camps`
    : cb.member_rank ? `camp member (${esc(cb.member_of_camp)}), ranked ${cb.member_rank} among ` +
      "camp members" : "not ranked";
  const rows = cb.known_channels.map(ch => {
    const c = cb.channels[ch];
    return [ch].concat(camps.map(k => f2(c.ties[k])), [f2(c.value)]);
  });
  rows.push(["all channels (mean tie)"].concat(camps.map(k => f2(cb.camp_ties[k])),
    [f2(o.value)]));
  return `<h3>Balance between camps</h3><p>Index <b>${f2(o.value)}</b> ` +
    `(band ${f2(o.band[0])}–${f2(o.band[1])}, ${esc(o.class)}), ${rank}; ` +
    `leading camp ${esc(cb.leading_camp || "–")}; rests on ${cb.n_channels} channels. ` +
    `Method v4: the geometric mean of the evenness of the two strongest camps and the ` +
    `second one's tie, from inputs of the 2010s; 1 = full, equal ties to two camps, 0 = one ` +
    `camp only or no tie.</p>` +
    table(["channel", "tie: West", "tie: Russia", "tie: China", "balance"], rows);
}

// a balance value with its band, or an explicit marker where the channel has no data
const NO_DATA = "no data";
function withBand(x) {
  if (!x || x.value === null || x.value === undefined) return NO_DATA;
  const b = x.band || [];
  return (b[0] === null || b[0] === undefined) ? f2(x.value)
    : `${f2(x.value)} (${f2(b[0])}–${f2(b[1])})`;
}
T.withBand = withBand;

async function showCompare(ev) {
  if (ev) ev.preventDefault();
  const items = document.getElementById("compare-list").value.split(",").map(s => s.trim())
    .filter(Boolean);
  const fail = (text) => { clear("compare-chart"); clear("compare-table"); msg("compare-msg", text, true); };
  if (items.length < 2) { fail("Give at least two countries."); return; }
  msg("compare-msg", "Comparing…");
  let r;
  try { r = await api("/api/compare?" + items.map(c => "c=" + encodeURIComponent(c)).join("&")); }
  catch (e) { fail(e.message); return; }
  msg("compare-msg", "");
  const channels = Object.keys(r.countries[0].balance_index.channels);
  const xs = channels.concat(["overall"]);
  const cell = (c, ch) => ch === "overall" ? c.balance_index.overall : c.balance_index.channels[ch];
  const known = x => x && x.value !== null && x.value !== undefined;
  const traces = r.countries.map(c => {
    const pts = xs.map(ch => cell(c, ch));
    return {type: "bar", name: c.name, x: xs, y: pts.map(x => known(x) ? x.value : null),
      // "no data" is written where the bar would be; a true 0.00 is a bar of height 0
      text: pts.map(x => known(x) ? "" : NO_DATA), textposition: "outside", cliponaxis: false,
      error_y: {type: "data", symmetric: false,
        array: pts.map(x => known(x) && x.band && x.band[1] !== null ? Math.max(0, x.band[1] - x.value) : 0),
        arrayminus: pts.map(x => known(x) && x.band && x.band[0] !== null ? Math.max(0, x.value - x.band[0]) : 0)},
      hovertemplate: pts.map(x => `${esc(c.name)}: ${withBand(x)}<extra></extra>`)};
  });
  // a placeholder at 0 so "no data" has a place to sit
  traces.forEach(t => { t.y = t.y.map((v, i) => v === null ? 0 : v);
    t.marker = {opacity: t.text.map(x => x ? 0 : 1)}; });
  Plotly.newPlot("compare-chart", traces,
    {barmode: "group", height: 380, yaxis: {range: [0, 1.12], title: {text: "balance index (1 = even)"}},
     xaxis: {title: {text: "channel"}},
     title: {text: "Balance index by channel, 5–95% band; 'no data' where a channel is unknown"},
     margin: {t: 50}}, PLOTLY_CONFIG);
  document.getElementById("compare-table").innerHTML = table(
    ["channel"].concat(r.countries.map(c => `${c.name} (${c.iso3})`)),
    xs.map(ch => [ch].concat(r.countries.map(c => withBand(cell(c, ch)))))
      .concat([["net lean"].concat(r.countries.map(c => c.vector.net_lean ? c.vector.net_lean.power : NO_DATA))]));
  document.querySelectorAll("#compare-table td").forEach(td => {
    if (td.textContent === NO_DATA) td.classList.add("nodata");
  });
}

async function start() {
  // no form ever reloads the page, even one clicked before its page has wired it up
  document.addEventListener("submit", ev => ev.preventDefault(), true);
  document.querySelectorAll("#tabs button").forEach(b =>
    b.addEventListener("click", () => showPage(b.dataset.page)));
  document.getElementById("profile-form").addEventListener("submit", showProfile);
  document.getElementById("compare-form").addEventListener("submit", showCompare);
  try {
    const caps = await api("/api/capabilities");
    document.querySelectorAll("#tabs button").forEach(b => {
      if (b.dataset.page in caps) b.hidden = !caps[b.dataset.page];
    });
    const list = await api("/api/countries");
    document.getElementById("country-list").innerHTML =
      list.map(c => `<option value="${esc(c.name)}">${esc(c.iso3)}</option>`).join("");
  } catch (e) { msg("profile-msg", e.message, true); }
  T.pages.compare = {init: () => showCompare()};
  showProfile();
}
window.Tightrope = T;
document.addEventListener("DOMContentLoaded", start);

// ---- jobs: start, poll with progress, cancel -------------------------------------------
// "about 1 min 20 s left" from the server's estimate (null: not known yet)
function timeLeft(s) {
  if (s === null || s === undefined) return "";
  if (s < 1) return "under a second left";
  const m = Math.floor(s / 60), r = Math.round(s % 60);
  return "about " + (m ? `${m} min ${r} s` : `${r} s`) + " left";
}
T.timeLeft = timeLeft;
T.runJob = async function (path, body, ui) {
  // ui: {progress: <progress>, status: id of message element, cancel: <button>,
  //      clear: ids of the elements holding the previous result}
  (ui.clear || []).forEach(id => clear(id));
  ui.progress.max = 1; ui.progress.value = 0;
  let job;
  try {
    job = await api(path, {method: "POST", headers: {"content-type": "application/json"},
                           body: JSON.stringify(body)});
  } catch (e) { msg(ui.status, e.message, true); return null; }
  ui.cancel.hidden = false;
  let cancelled = false;
  ui.cancel.onclick = async () => { cancelled = true; await api("/api/jobs/" + job.id, {method: "DELETE"}); };
  while (true) {
    await new Promise(r => setTimeout(r, 250));
    try { job = await api("/api/jobs/" + job.id); }
    catch (e) { msg(ui.status, e.message, true); ui.cancel.hidden = true; return null; }
    // the server's fraction: below 1 until the result is stored, never backwards
    ui.progress.value = Math.max(ui.progress.value, job.fraction);
    ui.progress.dataset.fraction = String(job.fraction);
    const parts = [job.status, job.note, (100 * job.fraction).toFixed(0) + "%",
                   job.status === "running" ? timeLeft(job.seconds_left) : ""];
    msg(ui.status, parts.filter(Boolean).join(" – "));
    if (["done", "failed", "cancelled"].includes(job.status)) break;
  }
  ui.cancel.hidden = true;
  if (job.status === "failed") { msg(ui.status, job.error, true); return null; }
  if (job.status === "cancelled" || cancelled) { msg(ui.status, "cancelled"); return null; }
  msg(ui.status, "done");
  return job.result;
};

// ---- bargaining ---------------------------------------------------------------------------
T.pages.bargain = {init: async function () {
  const root = document.getElementById("page-bargain");
  root.innerHTML = `
    <form id="bargain-form">
      <label>Issue <select id="bargain-example"></select></label>
      <label>Variant <select id="bargain-variant"><option>scholz</option><option>bdm</option></select></label>
      <label>Rounds <input id="bargain-rounds" type="number" value="20" min="1" max="100"></label>
      <label>Monte Carlo runs <input id="bargain-runs" type="number" value="200" min="0" max="2000"></label>
      <label>Seed <input id="bargain-seed" type="number" value="20240101" min="0"></label>
      <button type="submit">Run</button> <button type="button" id="bargain-cancel" hidden>Cancel</button>
    </form>
    <p class="note">Actors (one per line: actor, capability, position, salience). Edit freely;
    the shipped Kazakhstan tables are illustrative expert judgement.</p>
    <p><label>Or upload a CSV table (header <code>actor,capability,position,salience</code>,
    optional <code>&lt;field&gt;_low</code>/<code>_high</code> ranges)
    <input id="bargain-csv" type="file" accept=".csv,text/csv"></label></p>
    <textarea id="bargain-table" rows="10" cols="90" maxlength="20000"></textarea>
    <p><progress id="bargain-progress" value="0" max="1"></progress></p>
    <p id="bargain-msg" class="msg" role="status"></p>
    <div id="bargain-forecast"></div><div id="bargain-chart" class="chart"></div>`;
  const ex = await api("/api/bargain/examples");
  const sel = document.getElementById("bargain-example");
  sel.innerHTML = Object.keys(ex).map(k => `<option value="${esc(k)}">${esc(ex[k].meta.title || k)}</option>`).join("");
  sel.value = "kaz-sanctions";
  const fill = () => {
    document.getElementById("bargain-table").value = ex[sel.value].actors
      .map(a => [a.actor, a.capability, a.position, a.salience].join(", ")).join("\n");
  };
  let upload = null;  // {csv, name, text}: the uploaded table, run as uploaded while unedited
  sel.onchange = () => { upload = null; fill(); }; fill();
  document.getElementById("bargain-csv").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    clear("bargain-forecast"); clear("bargain-chart");
    if (file.size > 100000) { msg("bargain-msg", `${file.name}: the file is too large (at most 100 kB)`, true); return; }
    const body = {csv: await file.text(), name: file.name};
    let r;
    try { r = await api("/api/bargain/csv", {method: "POST", headers: {"content-type": "application/json"},
                                             body: JSON.stringify(body)}); }
    catch (e) { upload = null; msg("bargain-msg", e.message, true); return; }
    const text = r.actors.map(a => [a.actor, a.capability, a.position, a.salience].join(", ")).join("\n");
    document.getElementById("bargain-table").value = text;
    upload = {csv: body.csv, name: body.name, text: text, ranges: r.has_ranges};
    msg("bargain-msg", `${file.name}: ${r.actors.length} actors read` +
        (r.has_ranges ? ", with ranges for the Monte Carlo" : ", no ranges (Monte Carlo off)"));
  });
  document.getElementById("bargain-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const lines = document.getElementById("bargain-table").value.split("\n").map(l => l.trim()).filter(Boolean);
    const actors = [];
    for (const [i, l] of lines.entries()) {
      const parts = l.split(",").map(s => s.trim());
      if (parts.length !== 4) { msg("bargain-msg", `line ${i + 1}: expected actor, capability, position, salience`, true); return; }
      actors.push({actor: parts[0], capability: Number(parts[1]), position: Number(parts[2]), salience: Number(parts[3])});
    }
    const runs = Number(document.getElementById("bargain-runs").value);
    const body = {variant: document.getElementById("bargain-variant").value,
                  rounds: Number(document.getElementById("bargain-rounds").value),
                  runs: 0, seed: Number(document.getElementById("bargain-seed").value)};
    const text = document.getElementById("bargain-table").value;
    if (upload && text === upload.text) { body.upload = {csv: upload.csv, name: upload.name}; body.runs = upload.ranges ? runs : 0; }
    else if (JSON.stringify(actors) !== JSON.stringify(ex[sel.value].actors)) { body.actors = actors; }
    else { body.example = sel.value; body.runs = runs; }
    const r = await T.runJob("/api/bargain", body, {progress: document.getElementById("bargain-progress"),
      status: "bargain-msg", cancel: document.getElementById("bargain-cancel"),
      clear: ["bargain-forecast", "bargain-chart"]});
    if (!r) return;
    const f = r.forecast, mc = r.monte_carlo;
    const rows = [["outcome", f.status], ["after round", f.round], ["median position", f2(f.median)],
                  ["weighted mean position", f2(f.mean)]];
    if (f.period) rows.push(["cycle", `period ${f.period} over ${f2(f.median_range[0])}–${f2(f.median_range[1])}`]);
    if (mc) rows.push([`Monte Carlo median, 5–95% (${mc.runs} runs, seed ${mc.seed})`,
                       `${f2(mc.median.p05)}–${f2(mc.median.p95)}`]);
    document.getElementById("bargain-forecast").innerHTML =
      `<div id="bargain-result" class="result">` + table(["forecast", "value"], rows) + "</div>";
    const names = r.rounds[0].actors.map(a => a.actor);
    // Plotly's palette has 10 colours: past ten actors the line style tells them apart
    const traces = names.map((n, i) => ({type: "scatter", mode: "lines+markers", name: n,
      line: {dash: ["solid", "dot", "dashdot"][Math.floor(i / 10) % 3]},
      x: r.rounds.map(x => x.round), y: r.rounds.map(x => x.actors[i].position)}));
    traces.push({type: "scatter", mode: "lines", name: "median", line: {dash: "dash", color: "black", width: 3},
      x: r.rounds.map(x => x.round), y: r.rounds.map(x => x.median)});
    Plotly.newPlot("bargain-chart", traces, {height: 460, title: {text: "Positions per round"},
      xaxis: {title: {text: "round"}}, yaxis: {title: {text: "position"}}, margin: {t: 40}}, PLOTLY_CONFIG);
  });
}};

// ---- corridors ----------------------------------------------------------------------------
T.pages.corridors = {init: async function () {
  const root = document.getElementById("page-corridors");
  root.innerHTML = `
    <h2>Routes</h2>
    <form id="route-form">
      <label>From <select id="route-from"></select></label>
      <label>To <select id="route-to"></select></label>
      <label>k <input id="route-k" type="number" value="3" min="1" max="5"></label>
      <button type="submit">Find routes</button>
    </form>
    <p id="route-msg" class="msg" role="status"></p>
    <div id="route-table"></div><div id="route-map" class="chart"></div>
    <h2>Disruptions</h2>
    <form id="disrupt-form">
      <label>Scenario <select id="disrupt-scenario"></select></label>
      <label>Monte Carlo runs <input id="disrupt-runs" type="number" value="100" min="0" max="500"></label>
      <label>Seed <input id="disrupt-seed" type="number" value="20240101" min="0"></label>
      <button type="submit">Run</button> <button type="button" id="disrupt-cancel" hidden>Cancel</button>
    </form>
    <p><progress id="disrupt-progress" value="0" max="1"></progress></p>
    <p id="disrupt-msg" class="msg" role="status"></p>
    <div id="disrupt-summary"></div><div id="disrupt-map" class="chart"></div>`;
  const nodes = await api("/api/corridors/nodes");
  const opts = nodes.map(n => `<option value="${esc(n.id)}">${esc(n.name)} (${esc(n.iso3)})</option>`).join("");
  document.getElementById("route-from").innerHTML = opts;
  document.getElementById("route-to").innerHTML = opts;
  document.getElementById("route-from").value = "xian";
  document.getElementById("route-to").value = "duisburg";
  const scen = await api("/api/corridors/scenarios");
  document.getElementById("disrupt-scenario").innerHTML =
    scen.map(s => `<option value="${esc(s.name)}">${esc(s.title)}</option>`).join("");
  // the map outlines load in the background; the forms work at once and wait for them
  const topology = loadTopology();
  document.getElementById("route-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await topology;
    const q = new URLSearchParams({origin: document.getElementById("route-from").value,
      destination: document.getElementById("route-to").value, k: document.getElementById("route-k").value});
    let r;
    try { r = await api("/api/corridors/route?" + q); }
    catch (e) { clear("route-table"); clear("route-map"); msg("route-msg", e.message, true); return; }
    msg("route-msg", "");
    document.getElementById("route-table").innerHTML = table(
      ["rank", "route", "days", "freight $/FEU", "generalised $/FEU"],
      r.routes.map(o => [o.rank, o.route.join(" → "),
        `${o.days.value.toFixed(1)} [${o.days.low.toFixed(1)}–${o.days.high.toFixed(1)}]`,
        `${Math.round(o.freight_usd_per_feu.value)} [${Math.round(o.freight_usd_per_feu.low)}–` +
        `${Math.round(o.freight_usd_per_feu.high)}]`, Math.round(o.generalised_cost_usd_per_feu)]));
    const byId = Object.fromEntries(nodes.map(n => [n.id, n]));
    // each route along its legs (waypoints, great circles), never node to node in a straight line
    const lines = r.routes.map(o => ({type: "scattergeo", mode: "lines", name: "route " + o.rank,
      lon: o.path.map(p => p[0]), lat: o.path.map(p => p[1]),
      text: o.path.map(() => o.route.join(" → ")), hoverinfo: "name+text"}));
    const stops = [...new Set(r.routes.flatMap(o => o.nodes))].map(n => byId[n]);
    lines.push({type: "scattergeo", mode: "markers", name: "nodes", showlegend: false,
      lon: stops.map(n => n.lon), lat: stops.map(n => n.lat), text: stops.map(n => n.name),
      hoverinfo: "text", marker: {size: 5, color: "#1d232a"}});
    Plotly.newPlot("route-map", lines,
      {height: 420, margin: {l: 0, r: 0, t: 40, b: 0},
       title: {text: r.routes.length ? `${r.routes[0].route[0]} to ${r.routes[0].route.slice(-1)[0]}: ` +
         `the ${r.routes.length} cheapest routes by generalised cost (route 1 cheapest)` : "No route found"},
       geo: {projection: {type: "natural earth"}, showcountries: true, showland: true,
             landcolor: "#f4f4f4", lonaxis: {range: [-20, 130]}, lataxis: {range: [-40, 65]}}}, PLOTLY_CONFIG);
  });
  document.getElementById("disrupt-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await topology;
    const body = {scenarios: [document.getElementById("disrupt-scenario").value],
      runs: Number(document.getElementById("disrupt-runs").value),
      seed: Number(document.getElementById("disrupt-seed").value)};
    const r = await T.runJob("/api/corridors/disrupt", body, {progress: document.getElementById("disrupt-progress"),
      status: "disrupt-msg", cancel: document.getElementById("disrupt-cancel"),
      clear: ["disrupt-summary", "disrupt-map"]});
    if (!r) return;
    const res = r.result, k = res.focal;
    document.getElementById("disrupt-summary").innerHTML =
      `<p id="disrupt-result">Kazakhstan's transit: ${Math.round(k.transit_teu_change).toLocaleString()} TEU/yr, ` +
      `revenue ${m3(k.revenue_change_usd)} M$ ` +
      `(${m3(k.revenue_change_band_usd[0])} to ${m3(k.revenue_change_band_usd[1])}).</p>` +
      table(["corridor", "baseline TEU", "disrupted TEU", "change %"],
        res.corridors.map(c => [c.name, Math.round(c.baseline_teu).toLocaleString(),
          Math.round(c.disrupted_teu).toLocaleString(), c.change_pct]));
    const fig = r.figure;
    fig.layout.height = 460;
    Plotly.newPlot("disrupt-map", fig.data, fig.layout, PLOTLY_CONFIG);
  });
}};

// ---- minefield ----------------------------------------------------------------------------
T.pages.simulate = {init: async function () {
  const root = document.getElementById("page-simulate");
  root.innerHTML = `
    <form id="sim-form">
      <label>Scenario <select id="sim-scenario"></select></label>
      <label>Strategy <select id="sim-strategy"></select></label>
      <label>Runs <input id="sim-runs" type="number" value="2000" min="1" max="20000"></label>
      <label>Seed <input id="sim-seed" type="number" value="20240101" min="0"></label>
      <button type="submit">Run</button> <button type="button" id="sim-cancel" hidden>Cancel</button>
    </form>
    <p><progress id="sim-progress" value="0" max="1"></progress></p>
    <p id="sim-msg" class="msg" role="status"></p>
    <div id="sim-summary"></div>
    <div id="sim-pcat" class="chart"></div><div id="sim-fan" class="chart"></div>
    <div id="sim-mistakes"></div>
    <h2>Robust strategies across sampled futures</h2>
    <form id="rob-form">
      <label>Futures <input id="rob-samples" type="number" value="32" min="8" max="256"></label>
      <label>Runs per future <input id="rob-runs" type="number" value="100" min="10" max="1000"></label>
      <button type="submit">Run robust analysis</button> <button type="button" id="rob-cancel" hidden>Cancel</button>
    </form>
    <p><progress id="rob-progress" value="0" max="1"></progress></p>
    <p id="rob-msg" class="msg" role="status"></p>
    <div id="rob-summary"></div><div id="rob-pareto" class="chart"></div>`;
  const scen = await api("/api/simulate/scenarios");
  const sSel = document.getElementById("sim-scenario"), tSel = document.getElementById("sim-strategy");
  sSel.innerHTML = scen.map(s => `<option value="${esc(s.key)}">${esc(s.title)}</option>`).join("");
  const fillStrategies = () => {
    const s = scen.find(x => x.key === sSel.value);
    tSel.innerHTML = ["all"].concat(s.strategies).map(n => `<option>${esc(n)}</option>`).join("");
    tSel.value = "all";
  };
  sSel.value = scen.some(s => s.key === "kazakhstan-2023") ? "kazakhstan-2023" : scen[0].key;
  sSel.onchange = fillStrategies; fillStrategies();
  document.getElementById("sim-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {scenario: sSel.value, strategy: tSel.value,
      runs: Number(document.getElementById("sim-runs").value),
      seed: Number(document.getElementById("sim-seed").value)};
    const r = await T.runJob("/api/simulate", body, {progress: document.getElementById("sim-progress"),
      status: "sim-msg", cancel: document.getElementById("sim-cancel"),
      clear: ["sim-summary", "sim-pcat", "sim-fan", "sim-mistakes"]});
    if (!r) return;
    const res = r.results;
    document.getElementById("sim-summary").innerHTML =
      `<h3>${esc(r.title)}: ${res[0].runs.toLocaleString("en")} runs, seed ${res[0].seed}</h3>` +
      `<div id="sim-result" class="result">` + table(
        ["strategy", "P(catastrophe)", "95% interval", "gain mean, pp of GDP", "autonomy"],
        res.map(x => [x.strategy, pct(x.p_catastrophe),
          `${pct(x.p_catastrophe_ci95[0])}–${pct(x.p_catastrophe_ci95[1])}`,
          f2(x.gain_pct_gdp.mean), f2(x.autonomy.mean)])) + "</div>";
    Plotly.newPlot("sim-pcat", [{type: "bar", x: res.map(x => x.strategy), y: res.map(x => x.p_catastrophe),
      error_y: {type: "data", symmetric: false,
        array: res.map(x => x.p_catastrophe_ci95[1] - x.p_catastrophe),
        arrayminus: res.map(x => x.p_catastrophe - x.p_catastrophe_ci95[0])}}],
      {height: 340, title: {text: "P(catastrophe) by strategy, 95% interval"},
       xaxis: {title: {text: "strategy"}}, yaxis: {tickformat: ".0%", title: {text: "P(catastrophe)"}},
       margin: {t: 40}}, PLOTLY_CONFIG);
    const first = res[0], fan = first.attitude_fan, traces = [];
    const palette = ["#c0392b", "#e67e22", "#2e86c1", "#1b4f72", "#16a085", "#7d3c98", "#5d6d7e"];
    Object.entries(fan).forEach(([power, q], k) => {
      const x = q.q50.map((_, i) => i), c = palette[k % palette.length];
      traces.push({x: x, y: q.q95, mode: "lines", line: {width: 0, color: c}, showlegend: false,
        hoverinfo: "skip", legendgroup: power});
      // one legend entry per power (its median line); the shaded 5–95% band shares its colour
      traces.push({x: x, y: q.q05, mode: "lines", line: {width: 0, color: c}, fill: "tonexty",
        fillcolor: c + "22", name: power + " 5–95%", legendgroup: power, showlegend: false});
      traces.push({x: x, y: q.q50, mode: "lines", line: {color: c, width: 2}, name: power,
        legendgroup: power});
    });
    Plotly.newPlot("sim-fan", traces, {height: 420,
      title: {text: `Attitudes toward the focal country: median and 5–95% (${first.strategy})`},
      xaxis: {title: {text: "quarter"}}, yaxis: {title: {text: "attitude"}}, margin: {t: 40}}, PLOTLY_CONFIG);
    document.getElementById("sim-mistakes").innerHTML = "<h3>First mistakes (" + esc(first.strategy) + ")</h3>" +
      table(["move", "reacting power", "attitude band", "catastrophe", "share of catastrophes"],
        first.first_mistakes.slice(0, 10).map(m => [m.move_label, m.reacting_power, m.attitude_band,
          m.catastrophe, pct(m.share_of_catastrophes)]));
  });
  document.getElementById("rob-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = {scenario: sSel.value, samples: Number(document.getElementById("rob-samples").value),
      runs: Number(document.getElementById("rob-runs").value), seed: Number(document.getElementById("sim-seed").value)};
    const r = await T.runJob("/api/robust", body, {progress: document.getElementById("rob-progress"),
      status: "rob-msg", cancel: document.getElementById("rob-cancel"), clear: ["rob-summary", "rob-pareto"]});
    if (!r) return;
    document.getElementById("rob-summary").innerHTML = `<div id="rob-result" class="result">` +
      table(["rank", "strategy", "meets thresholds (share of futures)", "expected gain, pp of GDP",
             "P(catastrophe), mean", "regret in P(catastrophe), p90"],
        r.robustness.map((x, i) => [i + 1, x.strategy, pct(x.satisficing), f2(x.gain_mean),
          pct(x.p_catastrophe_mean), pct(x.regret_p_catastrophe_p90)])) + "</div>" +
      "<h3>Findings</h3><ul class='findings'>" + r.explanation.map(x => `<li>${esc(x)}</li>`).join("") + "</ul>";
    const front = r.pareto ? r.pareto.front : [];
    Plotly.newPlot("rob-pareto", [
      {type: "scatter", mode: "markers", name: "Pareto front (per-power floors)",
       x: front.map(p => p.p_catastrophe), y: front.map(p => p.gain_mean),
       marker: {color: front.map(p => p.autonomy_mean), colorscale: "Viridis", showscale: true,
                colorbar: {title: {text: "autonomy<br>(mean)"}, tickformat: ".3f"}},
       text: front.map(p => Object.entries(p.floors).map(([k, v]) => `${k} ${v}`).join(", ")), hoverinfo: "text+x+y"},
      {type: "scatter", mode: "markers+text", name: "named strategies", marker: {symbol: "x", size: 10, color: "#c0392b"},
       x: r.robustness.map(x => x.p_catastrophe_mean), y: r.robustness.map(x => x.gain_mean),
       text: r.robustness.map(x => x.strategy), textposition: "top center", cliponaxis: false}],
      {height: 480, title: {text: "Pareto front: expected gain vs P(catastrophe) across futures"},
       legend: {orientation: "h", y: -0.25}, margin: {t: 40, r: 140, b: 110},
       xaxis: {title: {text: "P(catastrophe)"}, tickformat: ".0%"}, yaxis: {title: {text: "expected gain, pp of GDP"}}},
      PLOTLY_CONFIG);
  });
}};

// ---- relations (event data) -------------------------------------------------------------
function forecastBlock(rows) {
  const ok = rows.filter(r => r.classes);
  if (!ok.length) return "";
  const cell = c => `${f2(c.p)} (${f2(c.lo)}–${f2(c.hi)}; base ${f2(c.base_rate)})`;
  return "<h3>Next month (QuadClass shares, 90% interval, base rate)</h3>" +
    "<p class='note'>On held-out months this forecast scores no better than the base rate.</p>" +
    table(["direction", "month", ...ok[0].classes.map(c => c.label)],
      ok.map(r => [r.direction, r.month, ...r.classes.map(cell)]));
}
T.pages.events = {init: function () {
  const root = document.getElementById("page-events");
  root.innerHTML = `
    <form id="events-form">
      <label>Country <input id="events-country" value="KAZ" maxlength="64"></label>
      <label>From <input id="events-from" value="2005-01" maxlength="7" size="8"></label>
      <label>To <input id="events-to" value="2015-12" maxlength="7" size="8"></label>
      <button type="submit">Show</button>
    </form>
    <p id="events-msg" class="msg" role="status"></p>
    <div id="events-chart" class="chart"></div><div id="events-table"></div>`;
  const show = async (ev) => {
    if (ev) ev.preventDefault();
    const c = document.getElementById("events-country").value.trim();
    const q = new URLSearchParams({start: document.getElementById("events-from").value,
                                   end: document.getElementById("events-to").value});
    msg("events-msg", "Loading…");
    let r;
    try { r = await api("/api/events/panel/" + encodeURIComponent(c) + "?" + q); }
    catch (e) { clear("events-chart"); clear("events-table"); msg("events-msg", e.message, true); return; }
    msg("events-msg", "");
    Plotly.newPlot("events-chart", r.figure.data, r.figure.layout, PLOTLY_CONFIG);
    document.getElementById("events-table").innerHTML = "<h3>Change points</h3>" + (r.explanations.length ?
      table(["dyad", "month", "mean before → after", "strongest coded events"],
        r.explanations.map(x => [x.dyad, x.month, `${f2(x.mean_before)} → ${f2(x.mean_after)}`,
          x.coded_events.map(c => `${c.event_date} ${c.source_actor}: ${c.event_label} (${c.goldstein})`).join("; ")]))
      : "<p>No change point passes the penalty.</p>") + forecastBlock(r.forecast || []);
  };
  document.getElementById("events-form").addEventListener("submit", show);
  show();
}};
