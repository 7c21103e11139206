"""The one typed candidate every event stage reads and writes, and the place comparisons the stages share.

Stages (``flashpoint.events.extract.extract``): candidates -> roles -> place -> time -> status -> incidents -> emit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flashpoint.model import Actor, Location


@dataclass
class Cand:
    group: object
    trig: object  # head token
    start: int  # token span of the trigger
    end: int
    sent: object
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc1: list[str] = field(default_factory=list)
    assoc2: list[str] = field(default_factory=list)
    location: Location | None = None
    loc_inherited: bool = False
    date: date | None = None
    precision: int = 3
    date_explicit: bool = False
    status: str = "reported"
    attribution: str | None = None
    fat: dict = field(default_factory=dict)
    sub_event_type: str | None = None
    cameo: str | None = None
    headline: bool = False
    order: int = 0
    score: float = 0.5
    first: tuple = ()  # (sentence start, token) of the earliest mention merged into this event

    def __post_init__(self):
        if not self.first:
            self.first = (self.sent.start, self.trig.i)

    @property
    def trigger_text(self) -> str:
        return self.trig.doc[self.start:self.end].text



def _is_coarse(loc: Location | None) -> bool:
    if loc is None:
        return True
    fc = (loc.feature_code or "").upper()
    return fc.startswith("ADM") or fc.startswith("PCL") or (loc.geo_precision or 1) >= 3


def _km(a: Location, b: Location) -> float | None:
    if not (a and b and a.resolved and b.resolved):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1, math.sqrt(h)))


def _same_place(a: Location | None, b: Location | None) -> bool:
    if a is None or b is None:
        return False
    if a.geonameid and b.geonameid:
        return a.geonameid == b.geonameid
    na, nb = (a.canonical or a.name or "").lower(), (b.canonical or b.name or "").lower()
    if na and na == nb:
        return True
    d = _km(a, b)
    return d is not None and d < 2
