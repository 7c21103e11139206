"""The one typed candidate every event stage reads and writes, and the place comparisons the stages share.

Stages (``flashpoint.events.extract.extract``): candidates -> roles -> place -> time -> status -> incidents -> emit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flashpoint.events import roles
from flashpoint.model import Actor, Location

# the frames of violent events (clashes, remote violence, violence against people, territorial change)
VIOLENT_FRAMES = {"clash", "remote", "violence", "territory"}


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
    date_spoken: bool = False  # the stated day is the day a source spoke ("... the monitor said on Sunday")
    status: str = "reported"
    attribution: str | None = None
    fat: dict = field(default_factory=dict)
    sub_event_type: str | None = None
    cameo: str | None = None
    plover: tuple[str, str | None] | None = None  # (type, mode) from the PLOVER model, when it coded the event
    headline: bool = False
    order: int = 0
    score: float = 0.5
    first: tuple = ()  # (sentence start, token) of the earliest mention merged into this event
    mentions: list[tuple[int, int]] = field(default_factory=list)  # char spans of every sentence reporting it
    tolls: list[int] = field(default_factory=list)  # the fatality figure each merged mention states

    def __post_init__(self):
        if not self.first:
            self.first = (self.sent.start, self.trig.i)
        if not self.mentions:
            self.mentions = [(self.sent.start_char, self.sent.end_char)]

    @property
    def trigger_text(self) -> str:
        return self.trig.doc[self.start:self.end].text



def _is_coarse(loc: Location | None) -> bool:
    if loc is None:
        return True
    fc = (loc.feature_code or "").upper()
    return fc.startswith("ADM") or fc.startswith("PCL") or (loc.geo_precision or 1) >= 3


def country_of(doc, c: Cand) -> str | None:
    """The candidate's country: its place's, else the country most of the doc's literal toponyms lie in."""
    if c.location is not None and c.location.country:
        return c.location.country
    return doc_country(doc)


def doc_country(doc) -> str | None:
    """The country most of the doc's literal toponyms lie in."""
    votes: dict[str, int] = {}
    for tp in doc._.toponyms or []:
        if getattr(tp, "country", None) and getattr(tp, "type", "literal") == "literal":
            votes[tp.country] = votes.get(tp.country, 0) + 1
    return max(votes, key=votes.get) if votes else None


def _km(a: Location, b: Location) -> float | None:
    if not (a and b and a.resolved and b.resolved):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1, math.sqrt(h)))


QUARTER_FCODE = "PPLX"  # a section of a populated place
QUARTER_OF_CITY_KM = 10.0  # a quarter this close to a city's point is a part of that city


def _quarter_of(q: Location, city: Location) -> bool:
    """"Jets struck the besieged Al-Waer neighborhood in the city of Homs" and "the strikes on Homs": the quarter
    lies in the city (a city, not another quarter nor a village beside it)."""
    fc = (city.feature_code or "").upper()
    if (q.feature_code or "").upper() != QUARTER_FCODE or not fc.startswith("PPL") or fc == QUARTER_FCODE:
        return False
    d = _km(q, city)
    return d is not None and d <= QUARTER_OF_CITY_KM


def _same_place(a: Location | None, b: Location | None) -> bool:
    if a is None or b is None:
        return False
    if _quarter_of(a, b) or _quarter_of(b, a):
        return True
    if a.geonameid and b.geonameid:
        return a.geonameid == b.geonameid
    na, nb = (a.canonical or a.name or "").lower(), (b.canonical or b.name or "").lower()
    if na and na == nb:
        return True
    d = _km(a, b)
    return d is not None and d < 2


def _generic_vs_named(x, y) -> bool:
    """"Jihadists" (a role-based non-state actor) and the named group the article gives for them are compatible."""
    gx, gy = roles.is_generic_nonstate(x), roles.is_generic_nonstate(y)
    if gx == gy:
        return False
    named = y if gx else x
    return not roles.is_state(named) and not roles.is_civilian(named) and not roles.is_non_combatant(named)


def _actor_compatible(a, b) -> bool:
    if a is None or b is None:
        return True
    na, nb = roles.name_of(a), roles.name_of(b)
    return na == nb or "Unidentified" in (a.canonical or a.name) or "Unidentified" in (b.canonical or b.name)


ASSERTED = ("reported", "claimed")  # the statuses of events that happened as told (not hypothetical/historical/denied)


def _better(a: Cand, b: Cand) -> Cand:
    """The candidate with the better evidence: body over headline, more roles filled, more specific."""
    def q(c: Cand):
        return (not c.headline, c.group.weight, c.actor1 is not None,
                c.location is not None and not _is_coarse(c.location), c.actor2 is not None, -c.order)
    return a if q(a) >= q(b) else b


# a sub-type that says more about the same happening than another: "A suicide bomber blew himself up at a
# checkpoint" restated as "the blast also wounded 20" stays a suicide bombing
REFINES = {
    "Suicide bomb": {"Remote explosive/landmine/IED", "Attack", "Armed clash"},
    "Chemical weapon": {"Air/drone strike", "Shelling/artillery/missile attack", "Attack", "Armed clash"},
    "Air/drone strike": {"Attack", "Armed clash"},
    "Shelling/artillery/missile attack": {"Attack", "Armed clash"},
    "Remote explosive/landmine/IED": {"Attack", "Armed clash"},
}


def _absorb(dst: Cand, src: Cand) -> None:
    """Fold ``src`` (another mention of the same happening) into ``dst``: its evidence span, toll, roles, place."""
    dst.first = min(dst.first, src.first)
    for m in src.mentions:
        if m not in dst.mentions:
            dst.mentions.append(m)
    dst.tolls.extend(src.tolls)
    if dst.sub_event_type in REFINES.get(src.sub_event_type or "", ()):
        dst.sub_event_type, dst.cameo = src.sub_event_type, src.cameo
    if src.date_explicit and (not dst.date_explicit or (dst.date_spoken and not src.date_spoken) or (
            src.precision < dst.precision and not src.date_spoken)) and (
            src.status in ASSERTED or src.status == dst.status):
        # "Air strikes ... killed 12 civilians on Monday" folded into "The strikes also wounded 30 people": the day
        # one mention states is the incident's day ("Saturday's blast" outranks "... the monitor said on Sunday"); not
        # the day of a denied or past mention ("did not say what agent was used in the attack but said the rebels
        # had used the same chemical weapons in Aleppo last year")
        dst.date, dst.precision, dst.date_explicit = src.date, src.precision, True
        dst.date_spoken = src.date_spoken
    for k in ("fatalities", "civilian_fatalities", "children", "women"):
        v = src.fat.get(k)
        if v is not None and (dst.fat.get(k) is None or v > dst.fat.get(k)):
            dst.fat[k] = v
    if dst.actor1 is None and src.actor1 is not None or (
            src.actor1 is not None and roles.is_generic_nonstate(dst.actor1) and _generic_vs_named(dst.actor1,
                                                                                                   src.actor1)):
        dst.actor1 = src.actor1
    if dst.actor2 is None and src.actor2 is not None and roles.name_of(src.actor2) != roles.name_of(dst.actor1):
        dst.actor2 = src.actor2
    for n in src.assoc1:
        if n not in dst.assoc1 and n != roles.name_of(dst.actor1):
            dst.assoc1.append(n)
    if dst.location is None and src.location is not None:
        dst.location = src.location
    elif dst.loc_inherited and src.location is not None and not src.loc_inherited and \
            _same_place(dst.location, src.location):
        # "following a brutal wave of airstrikes" (placed from the discourse) restated by "The most violent
        # airstrikes targeted civilian neighborhoods of Idlib city": the place is now stated by a mention
        dst.loc_inherited = False
    if src.fat.get("_civ_target"):
        dst.fat["_civ_target"] = True
