// End-to-end checks of the map page in a real browser (Debian's /usr/bin/chromium driven by playwright-core;
// no browser download). Run by tests/e2e/test_map_e2e.py:
//   node web/e2e/run.mjs '{"url": "http://127.0.0.1:PORT/", "onefile": "/abs/map.html", "artifacts": "DIR",
//                          "hostile": "WORD"}'
// Prints one JSON line per check ({"name", "ok", "detail"}) and exits 1 if any failed.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM = process.env.FLASHPOINT_CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const READY_MS = 30000;
const STEP_MS = 10000;
const SETTLE_MS = 400;          // cluster animations
const MAX_CLUSTER_CLICKS = 12;
const VIEWPORT = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const ADMIN1_VIEW = [[35.0, 38.5], 6];  // Syria and its neighbours: the governorate lines in a screenshot

const cfg = JSON.parse(process.argv[2]);
mkdirSync(cfg.artifacts, { recursive: true });
const results = [];

function check(name, ok, detail = "") {
  results.push({ name, ok: Boolean(ok), detail: String(detail) });
  console.log(JSON.stringify(results[results.length - 1]));
}

async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(url);
  await page.waitForSelector("body[data-ready]", { timeout: READY_MS });
  return { page, errors };
}

// the admin-1 (province) line layer: drawn, under the markers, and with lines in the current view (Syria's
// governorates around Aleppo); returns {paths, points, belowMarkers}
const admin1Layer = (page) => page.evaluate(() => {
  const paths = [...document.querySelectorAll("path.admin1")];
  const points = paths.reduce((n, p) => n + ((p.getAttribute("d") || "").match(/[ML]/g) || []).length, 0);
  const marker = document.querySelector("path.fp-marker");
  const below = !marker || !paths.length
    || Boolean(paths[0].compareDocumentPosition(marker) & Node.DOCUMENT_POSITION_FOLLOWING);
  return { paths: paths.length, points, belowMarkers: below };
});

const visible = (page) => page.evaluate(() => Number(document.body.dataset.visible || "0"));

async function setInput(page, selector, value) {
  await page.$eval(selector, (el, v) => { el.value = v; el.dispatchEvent(new Event("input", { bubbles: true })); },
    value);
  await page.waitForTimeout(SETTLE_MS);
}

// zoom in through the clusters until single markers show, then click one
async function clickAMarker(page) {
  for (let i = 0; i < MAX_CLUSTER_CLICKS; i++) {
    const marker = await page.$("path.fp-marker");
    if (marker) {
      await marker.click({ force: true });
      return true;
    }
    const cluster = await page.$(".marker-cluster");
    if (!cluster) return false;
    await cluster.click();
    await page.waitForTimeout(SETTLE_MS * 2);
  }
  return false;
}

async function servedChecks(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const origin = new URL(cfg.url).origin;
  const foreign = [];
  context.on("request", (r) => { if (!r.url().startsWith(origin)) foreign.push(r.url()); });
  const { page, errors } = await openPage(context, cfg.url);
  check("loads without console errors", (await page.evaluate(() => document.body.dataset.ready)) === "1"
    && errors.length === 0, errors.join(" | "));
  const n0 = await visible(page);
  const shapes = await page.$$eval("path.fp-marker, .marker-cluster", (els) => els.length);
  check("markers appear", n0 > 0 && shapes > 0, `${n0} events, ${shapes} markers/clusters`);
  await page.screenshot({ path: join(cfg.artifacts, "map-overview.png") });

  const max = await page.$eval("#t-from", (el) => el.max);
  await setInput(page, "#t-from", max);
  const nLate = await visible(page);
  await page.screenshot({ path: join(cfg.artifacts, "map-timeline.png") });
  check("timeline range changes the markers", nLate > 0 && nLate < n0, `${n0} -> ${nLate}`);
  check("timeline is in the URL", (await page.evaluate(() => location.hash)).includes("from="));
  await setInput(page, "#t-from", "0");

  await page.selectOption("#f-type", "Explosions/Remote violence");
  await page.waitForTimeout(SETTLE_MS);
  const nType = await visible(page);
  const types = await page.evaluate(() => [...new Set(window.flashpointMap.visible.map((e) => e.event_type))]);
  check("type filter changes the markers", nType > 0 && nType < n0
    && types.length === 1 && types[0] === "Explosions/Remote violence", `${n0} -> ${nType} ${types}`);
  await page.selectOption("#f-type", "");
  await page.waitForTimeout(SETTLE_MS);

  const clicked = await clickAMarker(page);
  await page.waitForSelector("#panel-body .evidence", { timeout: STEP_MS }).catch(() => null);
  const evidence = await page.$eval("#panel-body", (el) => {
    const ev = el.querySelector(".evidence");
    return ev ? ev.textContent : "";
  });
  await page.evaluate(() => window.flashpointMap.fit());
  await page.waitForTimeout(SETTLE_MS * 2);
  await page.screenshot({ path: join(cfg.artifacts, "map-panel.png") });
  check("clicking a marker shows the evidence", clicked && evidence.length > 20, evidence.slice(0, 120));
  const a1 = await admin1Layer(page);
  check("admin-1 borders are drawn under the markers", a1.paths > 0 && a1.points > 10 && a1.belowMarkers,
    JSON.stringify(a1));
  await page.evaluate(([c, z]) => window.flashpointMap.map.setView(c, z, { animate: false }), ADMIN1_VIEW);
  await page.waitForTimeout(SETTLE_MS);
  await page.screenshot({ path: join(cfg.artifacts, "map-admin1.png") });
  check("no asset from another host", foreign.length === 0, foreign.join(" "));
  await hostileCheck(page, errors);
  await page.setViewportSize(PHONE);
  await page.evaluate(() => { location.hash = ""; });
  await page.waitForTimeout(SETTLE_MS);
  await page.screenshot({ path: join(cfg.artifacts, "map-phone.png") });
  await docsCheck(context);
  check("no asset from another host (docs too)", foreign.length === 0, foreign.join(" "));
  await context.close();
}

async function docsCheck(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL("/docs", cfg.url).href);
  const ok = await page.waitForSelector(".swagger-ui .opblock", { timeout: READY_MS }).then(() => true, () => false);
  await page.screenshot({ path: join(cfg.artifacts, "docs.png") });
  check("/docs (Swagger UI from the package) renders under the CSP", ok && errors.length === 0, errors.join(" | "));
  await page.close();
}

async function hostileCheck(page, errors) {
  await page.evaluate((w) => { location.hash = `text=${encodeURIComponent(w)}`; }, cfg.hostile);
  await page.waitForTimeout(SETTLE_MS);
  const id = await page.evaluate(() => (window.flashpointMap.visible[0] || {}).event_id);
  await page.evaluate((i) => { location.hash = `${location.hash.slice(1)}&ev=${encodeURIComponent(i)}`; }, id);
  await page.waitForSelector("#panel-body .evidence", { timeout: STEP_MS }).catch(() => null);
  await page.waitForTimeout(SETTLE_MS);
  const probe = await page.evaluate(() => ({
    xss: window.__xss === undefined ? null : String(window.__xss),
    text: document.getElementById("panel-body").textContent,
    imgs: document.querySelectorAll("#panel img, #bar img").length,
    scripts: document.querySelectorAll("#panel script").length,
    jsLinks: [...document.querySelectorAll("a")].filter((a) => /^\s*javascript:/i.test(a.getAttribute("href") || ""))
      .length,
  }));
  await page.screenshot({ path: join(cfg.artifacts, "map-hostile.png") });
  const shown = probe.text.includes("<script>") && probe.text.includes("<img") && probe.text.includes("javascript:");
  check("hostile article shows as inert text", id && probe.xss === null && shown && probe.imgs === 0
    && probe.scripts === 0 && probe.jsLinks === 0 && errors.length === 0,
  JSON.stringify({ ...probe, text: probe.text.slice(0, 200), errors }));
}

async function onefileCheck(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT, offline: true });
  const attempts = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith("file:")) return route.continue();
    attempts.push(u);
    return route.abort();
  });
  const { page, errors } = await openPage(context, pathToFileURL(cfg.onefile).href);
  const n = await visible(page);
  const clicked = await clickAMarker(page);
  await page.waitForSelector("#panel-body .evidence mark", { timeout: STEP_MS }).catch(() => null);
  const mark = await page.$eval("#panel-body", (el) => {
    const m = el.querySelector(".evidence mark");
    return m ? m.textContent : "";
  });
  await page.screenshot({ path: join(cfg.artifacts, "onefile-offline.png") });
  check("one-file map opens with the network blocked", n > 0 && clicked && mark.length > 20
    && attempts.length === 0 && errors.length === 0,
  JSON.stringify({ n, clicked, mark: mark.slice(0, 80), attempts, errors }));
  const a1 = await admin1Layer(page);
  check("one-file map draws the admin-1 borders", a1.paths > 0 && a1.points > 10 && a1.belowMarkers,
    JSON.stringify(a1));
  await context.close();
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
try {
  if (cfg.url) await servedChecks(browser);
  if (cfg.onefile) await onefileCheck(browser);
} catch (err) {
  check("e2e run", false, err.stack || err);
} finally {
  await browser.close();
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
