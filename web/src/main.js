// The flashpoint map: events on an offline Natural Earth basemap, a timeline, filters and a side panel.
// Served by `flashpoint serve` (data from /api) or inlined by `flashpoint map` (data in <script type=
// "application/json">). Every value from the data is untrusted: it reaches the page only as text
// (textContent / createTextNode), never as HTML; links only for http(s) URLs.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import { feature, mesh } from "topojson-client";
import { dayIndex, dayLabel, readHash, writeHash } from "./state.js";
import { renderPanel, clearPanel } from "./panel.js";
import { drawHistogram } from "./timeline.js";

export const TYPE_COLOURS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  "Protests": "#2ca02c",
  "Riots": "#8c564b",
  "Strategic developments": "#1f77b4",
};
const OTHER_COLOUR = "#7f7f7f";
const STATUSES = ["reported", "claimed", "denied", "hypothetical", "historical"];
const DEFAULT_STATUSES = ["reported", "claimed"];
const PAGE_SIZE = 1000;          // events per API request (the API's maximum)
const MAX_EVENTS = 50000;        // events the page loads at most
const RADIUS_MIN = 5;            // marker radius of an event without deaths (px)
const RADIUS_PER_ROOT_DEATH = 2; // radius grows with the square root of the fatalities
const RADIUS_MAX = 22;
const PROVINCE_RING_EXTRA = 8;   // a province-level event is drawn as a wider, hollow ring
const FILL_BY_PRECISION = { 1: 0.85, 2: 0.45, 3: 0.08 };
const CLUSTER_RADIUS = 30;       // px within which markers cluster when zoomed out
const UNCLUSTER_ZOOM = 9;        // from this zoom on every marker shows (same-place events spread on click)
const FIT_PADDING = 30;
const MAX_ZOOM = 14;
const ADMIN1_WEIGHT = 0.6;       // px: province lines thinner than country borders (1 px)

const INLINE = readInline("fp-data");

function readInline(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

async function loadEvents() {
  if (INLINE) return { events: INLINE.events, truncated: false };
  const out = [];
  let cursor = null;
  do {
    const q = new URLSearchParams({ limit: String(PAGE_SIZE), status: "all", sort: "-date" }); // newest first
    if (cursor) q.set("cursor", cursor);
    const page = await getJSON(`/api/events?${q}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && out.length < MAX_EVENTS);
  return { events: out, truncated: Boolean(cursor) };
}

async function loadDetail(id) {
  if (INLINE) return INLINE.events.find((e) => e.event_id === id) || null;
  return getJSON(`/api/events/${encodeURIComponent(id)}`);
}

async function loadWorld() {
  return readInline("fp-world") || getJSON("/static/world.json");
}

async function loadAdmin1() {
  return readInline("fp-admin1") || getJSON("/static/admin1.json");
}

function colourOf(type) {
  return TYPE_COLOURS[type] || OTHER_COLOUR;
}

function radiusOf(e) {
  const r = RADIUS_MIN + RADIUS_PER_ROOT_DEATH * Math.sqrt(Math.max(0, e.fatalities || 0));
  return Math.min(RADIUS_MAX, r) + (e.geo_precision === 3 ? PROVINCE_RING_EXTRA : 0);
}

function tooltipOf(e) {
  const div = document.createElement("div");
  div.textContent = [e.event_date || "undated", e.sub_event_type || e.event_type || "event", e.location || ""]
    .filter(Boolean).join(" · ");
  return div;
}

function makeMarker(e, onClick) {
  const prec = e.geo_precision || 1;
  const m = L.circleMarker([e.lat, e.lon], {
    radius: radiusOf(e), color: colourOf(e.event_type), weight: prec === 1 ? 1 : 2,
    fillColor: colourOf(e.event_type), fillOpacity: FILL_BY_PRECISION[prec] ?? FILL_BY_PRECISION[1],
    dashArray: prec === 1 ? null : "4 3", className: "fp-marker",
  });
  m.bindTooltip(() => tooltipOf(e));
  m.on("click", () => onClick(e.event_id));
  return m;
}

function legendControl(types) {
  const ctl = L.control({ position: "bottomleft" });
  ctl.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    const h = document.createElement("strong");
    h.textContent = "Event type";
    div.appendChild(h);
    for (const t of types) {
      const row = document.createElement("div");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.backgroundColor = colourOf(t);
      row.append(sw, document.createTextNode(t));
      div.appendChild(row);
    }
    const p = document.createElement("div");
    p.className = "precision-key";
    p.textContent = "size: fatalities · solid: the place · dashed: near it / district · ring: province";
    div.appendChild(p);
    return div;
  };
  return ctl;
}

// land, then the thin admin-1 (province) lines, then the country borders; the markers come later, on top
function basemap(map, world, admin1) {
  const countries = feature(world, world.objects.countries);
  L.geoJSON(countries, { interactive: false, className: "land", style: { weight: 0, fillOpacity: 1 } }).addTo(map);
  L.geoJSON(feature(admin1, admin1.objects.admin1), {
    interactive: false, className: "admin1", style: { weight: ADMIN1_WEIGHT, fill: false },
  }).addTo(map);
  const borders = mesh(world, world.objects.countries, (a, b) => a !== b);
  L.geoJSON(borders, { interactive: false, className: "border", style: { weight: 1, fill: false } }).addTo(map);
}

function fillSelect(select, values) {
  for (const v of values) {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = v;
    select.appendChild(o);
  }
}

function statusBoxes(container, onChange) {
  for (const s of STATUSES) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = s;
    box.name = "status";
    box.addEventListener("change", onChange);
    label.append(box, document.createTextNode(s));
    container.appendChild(label);
  }
}

class MapApp {
  constructor(events, truncated) {
    this.events = events;
    this.truncated = truncated;
    this.dated = events.filter((e) => e.event_date).map((e) => e.event_date).sort();
    this.first = this.dated[0] || null;
    this.nDays = this.first ? dayIndex(this.first, this.dated[this.dated.length - 1]) + 1 : 1;
    this.markers = new Map();
    this.$ = (id) => document.getElementById(id);
  }

  init(world, admin1) {
    this.map = L.map("map", { zoomSnap: 0.5, maxZoom: MAX_ZOOM, worldCopyJump: true, preferCanvas: false });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Natural Earth");
    basemap(this.map, world, admin1);
    this.cluster = L.markerClusterGroup({
      maxClusterRadius: CLUSTER_RADIUS, showCoverageOnHover: false, disableClusteringAtZoom: UNCLUSTER_ZOOM,
    });
    this.map.addLayer(this.cluster);
    for (const e of this.events) {
      if (e.lat != null && e.lon != null) this.markers.set(e.event_id, makeMarker(e, (id) => this.select(id)));
    }
    const types = [...new Set(this.events.map((e) => e.event_type).filter(Boolean))].sort();
    legendControl(types).addTo(this.map);
    this.controls(types);
    this.fromState(readHash(DEFAULT_STATUSES));
    this.fit();
    window.addEventListener("hashchange", () => this.fromState(readHash(DEFAULT_STATUSES)));
    window.addEventListener("resize", () => this.drawTimeline());
  }

  controls(types) {
    fillSelect(this.$("f-type"), types);
    const actors = new Set();
    for (const e of this.events) for (const a of [e.actor1, e.actor2]) if (a) actors.add(a);
    const dl = this.$("actor-list");
    for (const a of [...actors].sort()) {
      const o = document.createElement("option");
      o.value = a;
      dl.appendChild(o);
    }
    statusBoxes(this.$("f-status"), () => this.changed());
    for (const id of ["f-type", "f-actor", "f-text", "t-from", "t-to"]) {
      this.$(id).addEventListener("input", () => this.changed(id));
    }
    for (const id of ["t-from", "t-to"]) this.$(id).max = String(this.nDays - 1);
    this.$("panel-close").addEventListener("click", () => this.select(null));
  }

  fromState(st) {
    this.$("f-type").value = st.type;
    this.$("f-actor").value = st.actor;
    this.$("f-text").value = st.text;
    for (const box of this.$("f-status").querySelectorAll("input")) box.checked = st.statuses.includes(box.value);
    this.$("t-from").value = String(st.from && this.first ? Math.max(0, dayIndex(this.first, st.from)) : 0);
    this.$("t-to").value = String(st.to && this.first ? Math.min(this.nDays - 1, dayIndex(this.first, st.to))
      : this.nDays - 1);
    this.apply();
    if (st.ev !== this.selected) this.select(st.ev, false);
  }

  state() {
    const from = Number(this.$("t-from").value), to = Number(this.$("t-to").value);
    return {
      type: this.$("f-type").value, actor: this.$("f-actor").value.trim(), text: this.$("f-text").value.trim(),
      statuses: [...this.$("f-status").querySelectorAll("input:checked")].map((b) => b.value),
      from: from > 0 ? dayLabel(this.first, from) : "", to: to < this.nDays - 1 ? dayLabel(this.first, to) : "",
      ev: this.selected || "",
    };
  }

  changed(source) {
    const from = this.$("t-from"), to = this.$("t-to");
    if (Number(from.value) > Number(to.value)) (source === "t-from" ? to : from).value = source === "t-from"
      ? from.value : to.value;
    this.apply();
    writeHash(this.state(), DEFAULT_STATUSES);
  }

  matches(e, st, withTime) {
    if (st.type && e.event_type !== st.type) return false;
    if (!st.statuses.includes(e.status || "reported")) return false;
    if (st.actor) {
      const a = st.actor.toLowerCase();
      if (![e.actor1, e.actor2].some((x) => x && x.toLowerCase().includes(a))) return false;
    }
    if (st.text && !(e.evidence || "").toLowerCase().includes(st.text.toLowerCase())) return false;
    if (withTime && (st.from || st.to)) {
      if (!e.event_date) return false;
      if (st.from && e.event_date < st.from) return false;
      if (st.to && e.event_date > st.to) return false;
    }
    return true;
  }

  apply() {
    const st = this.state();
    this.untimed = this.events.filter((e) => this.matches(e, st, false));
    this.visible = this.untimed.filter((e) => this.matches(e, st, true));
    const layers = this.visible.map((e) => this.markers.get(e.event_id)).filter(Boolean);
    this.cluster.clearLayers();
    this.cluster.addLayers(layers);
    document.body.dataset.visible = String(layers.length);
    const more = this.truncated ? ` (first ${this.events.length} loaded)` : "";
    this.$("count").textContent = `${layers.length} of ${this.events.length} events on the map${more}`;
    this.$("t-from-label").textContent = this.first ? dayLabel(this.first, Number(this.$("t-from").value)) : "";
    this.$("t-to-label").textContent = this.first ? dayLabel(this.first, Number(this.$("t-to").value)) : "";
    this.drawTimeline();
    this.downloads(st);
  }

  drawTimeline() {
    if (!this.untimed) return;
    drawHistogram(this.$("histogram"), this.untimed, this.first, this.nDays,
      Number(this.$("t-from").value), Number(this.$("t-to").value));
  }

  downloads(st) {
    const box = this.$("downloads");
    box.replaceChildren();
    if (INLINE) return;
    const q = new URLSearchParams();
    if (st.type) q.set("event_type", st.type);
    if (st.actor) q.set("actor", st.actor);
    if (st.text) q.set("text", st.text);
    if (st.from) q.set("since", st.from);
    if (st.to) q.set("until", st.to);
    q.set("status", st.statuses.join(",") || "reported");
    for (const [label, path] of [["CSV", "/api/events.csv"], ["GeoJSON", "/api/events.geojson"]]) {
      const a = document.createElement("a");
      a.href = `${path}?${q}`;
      a.textContent = label;
      a.setAttribute("download", "");
      box.appendChild(a);
    }
  }

  fit() {
    const shown = this.visible.map((e) => this.markers.get(e.event_id)).filter(Boolean);
    const pts = (shown.length ? shown : [...this.markers.values()]).map((m) => m.getLatLng());
    if (pts.length) this.map.fitBounds(L.latLngBounds(pts), { padding: [FIT_PADDING, FIT_PADDING], maxZoom: 10 });
    else this.map.setView([20, 0], 2);
  }

  async select(id, record = true) {
    this.selected = id || null;
    document.body.classList.toggle("panel-open", Boolean(id));
    this.map.invalidateSize();  // the panel took (or gave back) part of the map's width
    const marker = id && this.markers.get(id);
    if (marker && !this.map.getBounds().contains(marker.getLatLng())) this.map.panTo(marker.getLatLng());
    if (record) writeHash(this.state(), DEFAULT_STATUSES);
    if (!id) {
      clearPanel(this.$("panel-body"));
      return;
    }
    try {
      const ev = await loadDetail(id);
      if (this.selected === id) renderPanel(this.$("panel-body"), ev, colourOf(ev && ev.event_type));
    } catch (err) {
      this.$("panel-body").textContent = `Could not load event: ${err.message}`;
    }
  }
}

async function main() {
  const [{ events, truncated }, world, admin1] = await Promise.all([loadEvents(), loadWorld(), loadAdmin1()]);
  const app = new MapApp(events, truncated);
  app.init(world, admin1);
  window.flashpointMap = app;
  document.body.dataset.ready = "1";
}

main().catch((err) => {
  document.getElementById("count").textContent = `Error: ${err.message}`;
  document.body.dataset.ready = "error";
});
