// The histogram above the range sliders: events per day (binned to the canvas width), the selected range dark.
import { dayIndex } from "./state.js";

const BAR_COLOUR = "#4a6fa5";
const OUT_OF_RANGE_COLOUR = "#c9d3e0";
const MIN_BAR_PX = 2;
const VISIBLE_BAR_PX = 3;  // a lone day stays visible on a long axis

export function drawHistogram(canvas, events, first, nDays, from, to) {
  const width = canvas.clientWidth || 600;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  const height = canvas.height;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, height);
  if (!first) return;
  const nBins = Math.max(1, Math.min(nDays, Math.floor(canvas.width / MIN_BAR_PX)));
  const perBin = nDays / nBins;
  const counts = new Array(nBins).fill(0);
  for (const e of events) {
    if (!e.event_date) continue;
    const i = Math.min(nBins - 1, Math.floor(dayIndex(first, e.event_date) / perBin));
    if (i >= 0) counts[i] += 1;
  }
  const top = Math.max(1, ...counts);
  const w = canvas.width / nBins;
  for (let i = 0; i < nBins; i++) {
    if (!counts[i]) continue;
    const dayStart = i * perBin, dayEnd = (i + 1) * perBin - 1;
    ctx.fillStyle = dayEnd >= from && dayStart <= to ? BAR_COLOUR : OUT_OF_RANGE_COLOUR;
    const h = Math.max(1, Math.round((counts[i] / top) * (height - 2)));
    ctx.fillRect(i * w, height - h, Math.max(VISIBLE_BAR_PX * ratio, w - 1), h);
  }
}
