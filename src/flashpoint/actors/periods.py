"""ACLED's period suffixes for state actors: "Military Forces of Ukraine (2019-)", "Police Forces of Kenya (2022-)".

ACLED names a state's forces and government after the regime or head of government in power, by the year that
period began: "Military Forces of Ukraine (2014-2019)" for an event of 2015, "Military Forces of Ukraine (2019-)"
for one of 2023. The periods are a data table (``data/actors/state_forces.tsv``: iso3, the country as ACLED
writes it, start year, end year or empty), extendable like the other dictionary files.

The dictionary's canonical names stay period-free ("Military Forces of Ukraine") so that mentions, relations and
comparisons are stable; the suffix is added to the names an event carries, from the event's date.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from flashpoint.actors.dictionary import ActorDictionary, _read_tsv, dictionary_dirs, get_dictionary

PERIODS_FILE = "state_forces.tsv"
# roles named with a period (ACLED's state actors); intelligence services have no ACLED name of their own
PERIOD_ROLES = ("MIL", "COP", "GOV")
# a name that already carries a suffix: "Military Forces of Syria (2000-2024)"
SUFFIX_RE = re.compile(r"\s*\((\d{4})-(\d{4})?\)\s*$")
YEAR_CHARS = 4


@dataclass(frozen=True)
class Period:
    iso3: str
    country: str
    start: int
    end: Optional[int] = None

    @property
    def suffix(self) -> str:
        return f"({self.start}-{self.end if self.end is not None else ''})"


def _load_dir(d: Path) -> dict[str, list[Period]]:
    out: dict[str, list[Period]] = {}
    for row in _read_tsv(d / PERIODS_FILE):
        iso3 = (row.get("iso3") or "").strip().upper()
        start = (row.get("start") or "").strip()
        if not iso3 or not start.isdigit():
            continue
        end = (row.get("end") or "").strip()
        out.setdefault(iso3, []).append(Period(iso3, (row.get("country") or "").strip(), int(start),
                                               int(end) if end.isdigit() else None))
    return out


@lru_cache(maxsize=2)
def _periods(dirs: tuple[Path, ...]) -> dict[str, tuple[Period, ...]]:
    merged: dict[str, list[Period]] = {}
    for d in dirs:
        merged.update(_load_dir(d))  # a later directory's rows for a country replace the shipped ones
    return {k: tuple(sorted(v, key=lambda p: p.start)) for k, v in merged.items()}


def periods() -> dict[str, tuple[Period, ...]]:
    """Every country's periods (ISO3 -> periods in order of their start)."""
    return _periods(tuple(dictionary_dirs()))


def _year(when: Union[date, str, int, None]) -> Optional[int]:
    if when is None:
        return None
    if isinstance(when, int):
        return when
    if isinstance(when, date):
        return when.year
    s = str(when).strip()
    return int(s[:YEAR_CHARS]) if s[:YEAR_CHARS].isdigit() else None


def period_for(iso3: str, when: Union[date, str, int, None] = None) -> Optional[Period]:
    """The period of ``iso3`` in force at ``when`` (a date, "YYYY-MM-DD" or a year): the latest period begun by
    that year (a change of government within a year goes to the new one); no date takes the current period.
    None when the table has no row for the country, or the year is older than the table's first period (the
    period in force then is not known: better no suffix than a wrong one)."""
    ps = periods().get((iso3 or "").upper())
    if not ps:
        return None
    y = _year(when)
    if y is None:
        return ps[-1]
    begun = [p for p in ps if p.start <= y]
    return begun[-1] if begun else None


def acled_name(name: Optional[str], when: Union[date, str, int, None] = None,
               d: Optional[ActorDictionary] = None) -> Optional[str]:
    """``name`` with ACLED's period suffix when it is a state's military, police or government
    ("Military Forces of Ukraine", 2015 -> "Military Forces of Ukraine (2014-2019)"); any other name unchanged."""
    if not name or SUFFIX_RE.search(name):
        return name
    d = d or get_dictionary()
    hit = d.role_of_canonical(name)
    if hit is None or hit[0] not in PERIOD_ROLES:
        return name
    role, iso3 = hit
    p = period_for(iso3, when)
    if p is None:
        return name
    c = d.country(iso3)
    country = p.country or (c.name if c else iso3)
    r = d.roles[role]
    base = r.template.format(name=country, demonym=(c.demonym if c and c.demonym else country), iso3=iso3)
    return f"{base} {p.suffix}"


def strip_period(name: Optional[str]) -> Optional[str]:
    """The name without a trailing period suffix ("Military Forces of Syria (2000-2024)" -> "... of Syria")."""
    return SUFFIX_RE.sub("", name) if name else name


def name_events(events: list, d: Optional[ActorDictionary] = None) -> list:
    """Give the state actors of ``events`` (model Events) their period suffix by each event's date (in place).
    An undated event keeps the names without a period: its date, not today's, decides the period."""
    d = d or get_dictionary()
    for ev in events:
        when = ev.event_date
        if not when:
            continue
        ev.actor1 = acled_name(ev.actor1, when, d)
        ev.actor2 = acled_name(ev.actor2, when, d)
        ev.assoc_actor_1 = [acled_name(a, when, d) for a in ev.assoc_actor_1]
        ev.assoc_actor_2 = [acled_name(a, when, d) for a in ev.assoc_actor_2]
    return events
