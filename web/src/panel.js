// The side panel of the selected event. Every value is untrusted data: text nodes only, links only for
// http(s) URLs (never javascript:, data: ...), opened without referrer or opener.
const PRECISION = {
  1: "the place itself (village, town or site)",
  2: "near the place / its district",
  3: "somewhere in the province (region-level ring)",
};
const TIME_PRECISION = { 1: "day", 2: "week", 3: "month" };
const SAFE_URL = /^https?:\/\//i;

function text(tag, value, cls) {
  const node = document.createElement(tag);
  node.textContent = value == null ? "" : String(value);
  if (cls) node.className = cls;
  return node;
}

function joined(...parts) {
  return parts.filter((p) => p != null && p !== "").join(", ");
}

function actorText(actor, assoc) {
  if (!actor) return "";
  const backers = (assoc || []).filter(Boolean);
  return backers.length ? `${actor} (with ${backers.join("; ")})` : actor;
}

function fields(ev) {
  const fat = ev.fatalities == null ? "not reported" : String(ev.fatalities);
  const civ = ev.civilian_fatalities == null ? "" : ` (civilians: ${ev.civilian_fatalities})`;
  const coords = ev.lat == null ? "" : ` — ${Number(ev.lat).toFixed(4)}, ${Number(ev.lon).toFixed(4)}`;
  return [
    ["Date", ev.event_date ? `${ev.event_date} (precise to the ${TIME_PRECISION[ev.time_precision] || "day"})`
      : "undated"],
    ["Type", joined(ev.event_type, ev.sub_event_type)],
    ["Disorder", ev.disorder_type],
    ["CAMEO", ev.cameo_code],
    ["PLOVER", joined(ev.plover_type, ev.plover_mode)],
    ["Actor 1", actorText(ev.actor1, ev.assoc_actor_1)],
    ["Actor 2", actorText(ev.actor2, ev.assoc_actor_2)],
    ["Fatalities", fat + civ],
    ["Status", ev.attribution ? `${ev.status} (according to ${ev.attribution})` : ev.status || "reported"],
    ["Place", joined(ev.location, ev.admin2, ev.admin1, ev.country)],
    ["Precision", (PRECISION[ev.geo_precision] || "unknown") + coords],
    ["Confidence", ev.confidence == null ? "" : Number(ev.confidence).toFixed(2)],
    ["Event id", ev.event_id],
  ].filter(([, v]) => v != null && v !== "");
}

// the evidence: the sentence highlighted inside its paragraph when the paragraph is known (one-file maps
// built from articles), else the sentence with its trigger word highlighted
function evidenceBlock(ev, src) {
  const block = document.createElement("blockquote");
  block.className = "evidence";
  const para = src && src.paragraph;
  if (para && para.text && para.end > para.start) {
    block.append(para.text.slice(0, para.start), text("mark", para.text.slice(para.start, para.end)),
      para.text.slice(para.end));
    return block;
  }
  const sentence = (src && src.sentence) || ev.evidence || "";
  const at = ev.trigger ? sentence.toLowerCase().indexOf(ev.trigger.toLowerCase()) : -1;
  if (at < 0) {
    block.appendChild(text("mark", sentence));
  } else {
    block.append(sentence.slice(0, at), text("mark", sentence.slice(at, at + ev.trigger.length), "trigger"),
      sentence.slice(at + ev.trigger.length));
  }
  return block;
}

function sourceItem(src) {
  const li = document.createElement("li");
  const title = src.title || src.article_id;
  if (src.url && SAFE_URL.test(src.url)) {
    const a = text("a", title);
    a.href = src.url;
    a.target = "_blank";
    a.rel = "noopener noreferrer nofollow";
    li.appendChild(a);
  } else {
    li.appendChild(text("span", title, "source-title"));
    if (src.url) li.appendChild(text("span", ` [${src.url}]`, "unsafe-url"));
  }
  li.appendChild(text("div", joined(src.source, src.published, src.article_id), "source-meta"));
  return li;
}

export function renderPanel(body, ev, colour) {
  body.replaceChildren();
  if (!ev) {
    body.appendChild(text("p", "This event is no longer in the store.", "hint"));
    return;
  }
  const head = text("h2", ev.sub_event_type || ev.event_type || "Event");
  head.style.borderLeftColor = colour;
  body.appendChild(head);
  const dl = document.createElement("dl");
  for (const [k, v] of fields(ev)) dl.append(text("dt", k), text("dd", v));
  body.appendChild(dl);
  const sources = ev.sources || [];
  body.appendChild(text("h3", "Evidence"));
  body.appendChild(evidenceBlock(ev, sources.find((s) => s.event_id === ev.event_id) || sources[0]));
  body.appendChild(text("h3", `Sources (${sources.length})`));
  const ul = document.createElement("ul");
  ul.className = "sources";
  for (const s of sources) {
    ul.appendChild(sourceItem(s));
    if (s.sentence && s.sentence !== ev.evidence) ul.appendChild(text("li", `“${s.sentence}”`, "source-sentence"));
  }
  body.appendChild(ul);
}

export function clearPanel(body) {
  body.replaceChildren(text("p", "Click a marker to see the event, its evidence and its sources.", "hint"));
}
