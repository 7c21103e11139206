"""ACLED / CAMEO / PLOVER code tables (data in ``flashpoint/data/events`` and ``data/reference``)."""
from __future__ import annotations

import csv
import json
from functools import lru_cache

from flashpoint.events.classify import acled_to_plover
from flashpoint.paths import PACKAGE_DATA

SUBTYPES_TSV = PACKAGE_DATA / "events" / "acled_subtypes.tsv"
CAMEO_PLOVER_TSV = PACKAGE_DATA / "reference" / "cameo_to_plover.tsv"
PLOVER_CODEBOOK_JSON = PACKAGE_DATA / "reference" / "plover_codebook.json"

TERRITORY_STATE = "Government regains territory"
TERRITORY_NONSTATE = "Non-state actor overtakes territory"


@lru_cache(maxsize=1)
def subtype_table() -> dict[str, dict[str, str]]:
    """sub_event_type -> {event_type, disorder_type, default_cameo} (ACLED's 25 sub-types)."""
    with open(SUBTYPES_TSV, encoding="utf-8") as fh:
        return {r["sub_event_type"]: r for r in csv.DictReader(fh, delimiter="\t")}


def acled_types(sub_event_type: str | None) -> tuple[str | None, str | None]:
    """ACLED (event_type, disorder_type) of a sub-event type; (None, None) when unknown."""
    row = subtype_table().get(sub_event_type or "")
    if row is None:
        return None, None
    return row["event_type"], row["disorder_type"]


def default_cameo(sub_event_type: str | None) -> str | None:
    row = subtype_table().get(sub_event_type or "")
    return row["default_cameo"] if row else None


@lru_cache(maxsize=1)
def plover_table() -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER event type, mode or None), from the PLOVER team's conversion table."""
    out: dict[str, tuple[str, str | None]] = {}
    with open(CAMEO_PLOVER_TSV, encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            code = (r.get("cameo_code") or "").strip()
            if code and code not in out:
                out[code] = (r["plover_event"].strip(), (r.get("plover_mode") or "").strip() or None)
    return out


def plover_for(cameo_code: str | None) -> tuple[str | None, str | None]:
    """(plover_type, plover_mode) for a CAMEO code, backing off 4 -> 3 -> 2 digits; (None, None) if unknown."""
    if not cameo_code:
        return None, None
    tab = plover_table()
    code = str(cameo_code)
    while code:
        if code in tab:
            return tab[code]
        if len(code) <= 2:
            break
        code = code[:-1]
    return None, None


def plover_of_subtype(sub_event_type: str | None) -> tuple[str, str | None] | None:
    """(PLOVER type, mode) of an ACLED sub-event type (``classifier/acled_to_plover.json``: Air/drone strike ->
    ASSAULT/aerial, Arrests -> COERCE/arrest), so that an event's PLOVER coding agrees with its ACLED one; None
    for a sub-type PLOVER has no one type for ("Change to group/activity", "Other")."""
    return acled_to_plover().get(sub_event_type or "")


def cameo_root(cameo_code: str | None) -> str | None:
    return str(cameo_code)[:2] if cameo_code else None


@lru_cache(maxsize=1)
def plover_codebook() -> dict:
    """The PLOVER manual's categories with their modes, its contexts and the alias tables
    (``data/reference/plover_codebook.json``)."""
    return json.loads(PLOVER_CODEBOOK_JSON.read_text(encoding="utf-8"))


def codebook_mode(plover_type: str | None, mode: str | None) -> str | None:
    """A mode as the PLOVER manual spells it for that type (the model's NGEC spellings mapped: COERCE "ban" ->
    "restrict"); None when the manual lists no such mode for the type."""
    book = plover_codebook()
    allowed = book["modes"].get((plover_type or "").upper())
    m = (mode or "").strip().lower() or None
    if not allowed or m is None:
        return None
    m = book["mode_aliases"].get(plover_type.upper(), {}).get(m, m)
    return m if m in allowed else None
