"""PLOVER JSONL, as ``../shared/data/reference/plover.md`` (the PLOVER manual) has it.

- ``event`` holds one of the manual's 16 categories (older names such as FIGHT are mapped, see
  ``data/reference/plover_codebook.json``); an event with no PLOVER category is written with
  ``has_event: false`` and an empty ``event`` list.
- ``mode`` holds only a mode the manual lists for that category (classifier names such as ``massacre``
  map to the manual's ``targeted``; a mode with no manual counterpart is left out).
- ``context`` lists the manual's contexts of the event's CAMEO code (the PLOVER team's CAMEO table) and
  of its ACLED sub-type (``Chemical weapon`` -> ``cbrn``); only the manual's 37 contexts.
- ``coder`` is ``flashpoint <version>`` and ``version`` the flashpoint version.
- Only asserted events (``reported``, ``claimed``) are written: the manual drops negated events and no
  PLOVER coder marks hypothetical or historical ones, so denied, hypothetical and historical events are
  left out whatever the status selection (counted in an ExportWarning).
"""
from __future__ import annotations

import csv
from functools import lru_cache
from typing import Iterable, Iterator

from flashpoint.events.codes import CAMEO_PLOVER_TSV, PLOVER_CODEBOOK_JSON, plover_codebook
from flashpoint.export.acled import iso3
from flashpoint.export.common import coder, flashpoint_version, outlet, warn_left_out
from flashpoint.export.status import ASSERTED_STATUSES, row_status

CODEBOOK_JSON = PLOVER_CODEBOOK_JSON
# statuses PLOVER records can carry (see the module docstring)
PLOVER_STATUSES = frozenset(ASSERTED_STATUSES)
# CAMEO table contexts are ";"-separated
CONTEXT_SEPARATOR = ";"
# flashpoint geo_precision (1 place, 2 near it, 3 region) -> PLOVER/Mordecai resolution (5 below city .. 1 country)
RESOLUTION = {1: 5, 2: 4, 3: 3}
CAMEO_ROOT_DIGITS = 2


def codebook() -> dict:
    """The manual's categories with their modes, the contexts, and the alias tables."""
    return plover_codebook()


def plover_event(ptype: str | None, mode: str | None) -> tuple[str | None, str | None]:
    """(category, mode) as the manual spells them; (None, None) for no category, mode None when the
    category has no such mode."""
    book = codebook()
    cat = (ptype or "").strip().upper()
    if cat in book["type_aliases"]:
        cat, alias_mode = book["type_aliases"][cat]
        mode = mode or alias_mode
    if cat not in book["modes"]:
        return None, None
    m = (mode or "").strip().lower() or None
    aliases = book["mode_aliases"].get(cat, {})
    if m in aliases:
        m = aliases[m]
    return cat, (m if m in book["modes"][cat] else None)


@lru_cache(maxsize=1)
def _cameo_contexts() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    with open(CAMEO_PLOVER_TSV, encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            code = (r.get("cameo_code") or "").strip()
            ctx = tuple(c.strip() for c in (r.get("plover_context") or "").split(CONTEXT_SEPARATOR) if c.strip())
            if code and code not in out:
                out[code] = ctx
    return out


def plover_contexts(cameo_code: str | None, sub_event_type: str | None) -> list[str]:
    """The manual's contexts of a CAMEO code (backing off to shorter codes) and of an ACLED sub-type."""
    table, book = _cameo_contexts(), codebook()
    found: list[str] = []
    code = str(cameo_code or "")
    while len(code) >= CAMEO_ROOT_DIGITS:
        if code in table:
            found.extend(table[code])
            break
        code = code[:-1]
    found.extend(book["subtype_contexts"].get(sub_event_type or "", []))
    allowed = set(book["contexts"])
    return [c for c in dict.fromkeys(found) if c in allowed]


def plover_record(r: dict) -> dict:
    """One stored-event row -> one PLOVER record."""
    srcs = r.get("sources") or []
    first = srcs[0] if srcs else {}
    cat, mode = plover_event(r.get("plover_type"), r.get("plover_mode"))
    status = row_status(r)
    rec = {
        "id": r["event_id"],
        "has_event": cat is not None,
        "date": r.get("event_date"),
        "actor": [{"entity_text": r["actor1"]}] if r.get("actor1") else [],
        "recipient": [{"entity_text": r["actor2"]}] if r.get("actor2") else [],
        "event": [cat] if cat else [],
        "mode": [mode] if mode else [],
        "context": plover_contexts(r.get("cameo_code"), r.get("sub_event_type")),
        "event_loc": _event_loc(r),
        "event_text": [r["evidence"]] if r.get("evidence") else [],
        "text": r.get("evidence"),
        "dead": r.get("fatalities"),
        "cite_info": {"publication": outlet(first.get("source"), first.get("url")) or None,
                      "url": first.get("url"), "title": first.get("title"),
                      "codebook": f"PLOVER manual {codebook()['manual_commit'][:12]}"},
        "coder": coder(),
        "version": flashpoint_version(),
        "coded_date": _iso(r.get("last_modified")),
        "status": status,
        "comment": f"status={status}; sources={r.get('n_sources', 1)}",
    }
    if r.get("cameo_code"):
        rec["cameo_code"] = r["cameo_code"]
    return rec


def _event_loc(r: dict) -> dict:
    return {
        "extracted_place": r.get("location"), "resolved_place": r.get("location"),
        "geonameid": r.get("geonameid"), "lat": r.get("lat"), "lon": r.get("lon"),
        "province": r.get("admin1"), "district": r.get("admin2"),
        "country_code": iso3(r.get("country")) or None,
        "resolution": RESOLUTION.get(r.get("geo_precision")) if r.get("geo_precision") else None,
    }


def _iso(v):
    return v.isoformat() if hasattr(v, "isoformat") else v


def plover_records(rows: Iterable[dict]) -> Iterator[dict]:
    """PLOVER records of the asserted rows; the others are counted in one ExportWarning at the end."""
    left_out = 0
    for r in rows:
        if row_status(r) not in PLOVER_STATUSES:
            left_out += 1
            continue
        yield plover_record(r)
    warn_left_out(left_out, "denied, hypothetical or historical event(s) left out of the PLOVER export "
                            "(PLOVER records only asserted events)")
