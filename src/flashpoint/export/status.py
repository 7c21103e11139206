"""Which event statuses the event-row outputs (ACLED CSV, PLOVER, CAMEO, GeoJSON, Parquet, table,
``flashpoint events``) include.

By default only asserted events - ``reported`` and ``claimed`` - are written: a hypothetical
("could be retaken"), historical ("captured in 2013") or denied event is kept in the full extraction
JSON with its status, but it is not a row of an event dataset unless asked for (``statuses="all"``
or an explicit list). ``parse_statuses`` turns the CLI's ``--status`` values into a selection.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Optional, Union, get_args

from flashpoint.model import Event, Status

STATUSES: tuple[str, ...] = get_args(Status)
ASSERTED_STATUSES: tuple[str, ...] = ("reported", "claimed")
DEFAULT_STATUSES: frozenset[str] = frozenset(ASSERTED_STATUSES)
ALL_STATUSES_WORD = "all"
# a stored event without a status (older rows) is a plain report
MISSING_STATUS = "reported"

StatusSelection = Union[str, Iterable[str], None]


def parse_statuses(values: StatusSelection = None) -> frozenset[str]:
    """``None``/empty -> the default (reported, claimed); ``"all"`` -> every status; otherwise the named
    statuses, given as a comma-separated string or a list of such strings. Unknown names raise ValueError."""
    if values is None:
        return DEFAULT_STATUSES
    if isinstance(values, str):
        values = [values]
    names = [v.strip().lower() for item in values for v in str(item).split(",") if v.strip()]
    if not names:
        return DEFAULT_STATUSES
    if ALL_STATUSES_WORD in names:
        return frozenset(STATUSES)
    unknown = sorted(set(names) - set(STATUSES))
    if unknown:
        raise ValueError(f"unknown status {', '.join(unknown)}; choose from "
                         f"{', '.join(STATUSES)} or {ALL_STATUSES_WORD}")
    return frozenset(names)


def row_status(row: Mapping) -> str:
    """The status of a stored-event row (missing -> ``reported``)."""
    return row.get("status") or MISSING_STATUS


def select_events(events: Iterable[Event], statuses: StatusSelection = None) -> list[Event]:
    """The events whose status is in the selection (default: reported and claimed), in order."""
    keep = parse_statuses(statuses)
    return [e for e in events if e.status in keep]


def select_rows(rows: Iterable[Mapping], statuses: StatusSelection = None) -> list:
    """The stored-event rows whose status is in the selection (default: reported and claimed), in order."""
    keep = parse_statuses(statuses)
    return [r for r in rows if row_status(r) in keep]


def status_help(default_note: Optional[str] = None) -> str:
    """The CLI help text of ``--status``."""
    note = f" {default_note}" if default_note else ""
    return (f"Event statuses to include ({', '.join(STATUSES)}, or {ALL_STATUSES_WORD}); repeat or "
            f"comma-separate. Default: {', '.join(ASSERTED_STATUSES)}.{note}")
