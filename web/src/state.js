// Filter state <-> the URL fragment (#type=...&actor=...), so a view is a shareable link.
const DAY_MS = 86400000;

export function dayIndex(first, day) {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS);
}

export function dayLabel(first, index) {
  return new Date(Date.parse(`${first}T00:00:00Z`) + index * DAY_MS).toISOString().slice(0, 10);
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readHash(defaultStatuses) {
  const q = new URLSearchParams(location.hash.replace(/^#/, ""));
  const statuses = q.has("status") ? q.get("status").split(",").filter(Boolean) : defaultStatuses;
  const day = (k) => (ISO_DAY.test(q.get(k) || "") ? q.get(k) : "");
  return {
    type: q.get("type") || "", actor: q.get("actor") || "", text: q.get("text") || "",
    statuses, from: day("from"), to: day("to"), ev: q.get("ev") || "",
  };
}

export function writeHash(st, defaultStatuses) {
  const q = new URLSearchParams();
  for (const k of ["type", "actor", "text", "from", "to", "ev"]) if (st[k]) q.set(k, st[k]);
  if (st.statuses.join(",") !== defaultStatuses.join(",")) q.set("status", st.statuses.join(","));
  const hash = q.toString();
  if (hash !== location.hash.replace(/^#/, "")) history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
}
