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
const pct = x => (x === null || x === undefined) ? "unknown" : (100 * x).toFixed(0) + "%";
const f2 = x => (x === null || x === undefined) ? "–" : Number(x).toFixed(2);
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
  catch (e) { msg("profile-msg", e.message, true); return; }
  msg("profile-msg", "");
  const ex = p.exposure, bi = ex.balance_index, lean = ex.vector.net_lean;
  document.getElementById("profile-summary").innerHTML =
    `<h2 id="profile-title">${esc(p.country.name)} (${esc(p.country.iso3)})</h2>` +
    `<p>Balance index <b>${f2(bi.overall.value)}</b> (band ${f2(bi.overall.band[0])}–` +
    `${f2(bi.overall.band[1])}, seed ${bi.seed}); net lean ${lean ? esc(lean.power) : "–"}. ` +
    `Powers: ${esc(ex.powers.join(", "))}.</p>`;
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
     hoverinfo: "text", colorscale: "Reds", zmin: 0, colorbar: {title: "dependence"}},
    {type: "choropleth", locationmode: "ISO-3", locations: nb, z: nb.map(() => 0.5),
     colorscale: "Greys", zmin: 0, zmax: 1, showscale: false, hoverinfo: "location"},
    {type: "choropleth", locationmode: "ISO-3", locations: [p.country.iso3], z: [1],
     colorscale: [[0, "#f1c40f"], [1, "#f1c40f"]], showscale: false, hoverinfo: "location"}],
    {height: 430, margin: {l: 0, r: 0, t: 10, b: 0},
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
    {height: 320, title: "Balance index (1 = even, 0 = one patron) with 5–95% band",
     yaxis: {range: [0, 1.05]}, margin: {t: 40}}, PLOTLY_CONFIG);
  const src = (r) => `${r.source || ""}${r.year ? ", " + r.year : ""}`;
  document.getElementById("profile-tables").innerHTML =
    "<h3>Land borders</h3>" + table(["neighbour", "km", "source"],
      p.borders.map(b => [`${b.name} (${b.iso3})`, b.length_km.toLocaleString(), src(b)])) +
    "<h3>Seas</h3>" + table(["sea", "littoral states", "source"],
      p.coastline.seas.map(s => [s.sea, s.littoral_states.join(", "),
        `${s.littoral_source}, ${s.littoral_year}`])) +
    "<h3>Trade partners</h3>" + table(["flow", "partner", "share", "source"],
      ["exports", "imports"].flatMap(fl => p.trade[fl].map(t => [fl, t.name, pct(t.share), src(t)]))) +
    "<h3>Dependence cells</h3>" + table(["power", "channel", "value", "band", "sources"],
      ex.cells.map(c => [c.power, c.channel, c.value === null ? "unknown" : f2(c.value),
        c.value === null ? "" : `${f2(c.band[0])}–${f2(c.band[1])}`, c.sources.join("; ")])) +
    "<h3>Memberships</h3>" + table(["organisation", "kind", "joined", "source"],
      p.memberships.filter(m => m.kind).map(m => [m.org, m.kind, m.joined || "", m.source]));
}

async function showCompare(ev) {
  if (ev) ev.preventDefault();
  const items = document.getElementById("compare-list").value.split(",").map(s => s.trim())
    .filter(Boolean);
  if (items.length < 2) { msg("compare-msg", "Give at least two countries.", true); return; }
  msg("compare-msg", "Comparing…");
  let r;
  try { r = await api("/api/compare?" + items.map(c => "c=" + encodeURIComponent(c)).join("&")); }
  catch (e) { msg("compare-msg", e.message, true); return; }
  msg("compare-msg", "");
  const channels = Object.keys(r.countries[0].balance_index.channels);
  Plotly.newPlot("compare-chart", r.countries.map(c => ({type: "bar", name: c.name,
    x: channels.concat(["overall"]),
    y: channels.map(ch => c.balance_index.channels[ch].value).concat([c.balance_index.overall.value])})),
    {barmode: "group", height: 360, yaxis: {range: [0, 1.05]},
     title: "Balance index by channel", margin: {t: 40}}, PLOTLY_CONFIG);
  document.getElementById("compare-table").innerHTML = table(
    ["country", "overall", "band", "net lean", "channels without data"],
    r.countries.map(c => [c.name, f2(c.balance_index.overall.value),
      `${f2(c.balance_index.overall.band[0])}–${f2(c.balance_index.overall.band[1])}`,
      c.vector.net_lean ? c.vector.net_lean.power : "–", c.missing_channels.join(", ") || "none"]));
}

async function start() {
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
