"""Stage ``place``: the event's place (issue #11 item 4).

Earlier stages give each candidate the place its own clause names (``geo.event_locations``, the clause's nearest
literal toponym, the discourse). This stage checks that place and falls back, in order:

1. the most specific literal place of the event's own mention -- never a source's base ("the Britain-based
   monitor"), a speaker ("Kyiv says"), a currency, a demonym, an organisation or a person (``geo.uses`` types
   those mentions as non-literal); a place outside the article's focus country only when the clause puts the
   event there ("in Iraq") and the focus country has no namesake ("Raqqa" is not Raqqa, Wisconsin);
2. else the place the headline or lede gives in the focus country;
3. else the first-level division (admin1) the article names;
4. country level only when nothing better exists.

A containing region named right after the place ("Adra in Damascus countryside", "Pokrovsk, Donetsk region")
decides between namesakes. Every placed event gets admin1 and admin2 (``geo.admin_areas``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from flashpoint.events.candidate import _km
from flashpoint.events.text import _doc_text
from flashpoint.geo import names as N
from flashpoint.geo.admin_areas import fill_admin
from flashpoint.model import Location, Toponym
from flashpoint.nlp import doc_keys

LEDE_CHARS = 400  # the headline and lede: the first characters of the article
HEADLINE_VOTES = 2  # a headline/lede place counts this many times for the focus country
PLACE_VOTE = 1.0  # a town or province named as a place: a vote for its country
COUNTRY_VOTE = 0.5  # a country or a capital named bare is as often the actor ("US strikes", "Washington")
DEMONYM_VOTE = 0.25  # "Syrian forces": a weak vote
GEOPARSER_VOTE = 1.0  # the geoparser's own focus (from all mentions)
FOCUS_MARGIN = 2.0  # a place's country needs this share (1/x) of the focus country's votes to count as home
MIN_FINE_VOTES = 2  # town/province votes a country needs for the focus to be decided by towns and provinces only
REGION_GAP_CHARS = 60  # "Adra, an industrial city in Damascus countryside": the container follows within this
COUNTRY_CUE_CHARS = 30  # "the Iraqi city of Mosul": the country named this close to a foreign place
NAMESAKE_REGION_KM = 100.0  # a place farther than this from the region named as its container is a namesake
_LOCATIVE_BEFORE = re.compile(
    r"\b(in|at|near|into|inside|outside|across|on|over|towards?|around|throughout|of)\s+(the\s+)?"
    r"((north|south|east|west|central|northern|southern|eastern|western|north-?eastern|north-?western|"
    r"south-?eastern|south-?western)\s+)?$", re.I)
# the text between a place and its container: "X in Y", "X, Y", "X, a village in Y", "X in northern Y"
_CONTAINER_GAP = re.compile(r"^\s*,?\s*((an?|the)\s+)?([\w-]+\s+){0,2}?(in|of)?\s*(the\s+)?([\w-]+\s+){0,2}$", re.I)
# ... but not two places side by side in a list or a path ("Aleppo and Idlib", "from Aleppo to Idlib")
_NOT_CONTAINER = re.compile(r"[.;]|\b(and|or|while|but|to|from|between|toward|towards|after|before)\b", re.I)
# the rest of a list of places (each written X) before "in <container>": "town and X village in", ", X and X in"
_PLACE_NOUN = r"(town|village|city|district|neighbou?rhood|area|suburb|hamlet|towns|villages|areas)"
_LIST_THEN_CONTAINER = re.compile(
    r"^\s*(%s\s*)?((,|\band\b)\s*(the\s+)?(%s\s+(of\s+)?)?X\s*(%s\s*)?){1,4}\s*(in|of)\s+(the\s+)?"
    r"((north|south|east|west|central|northern|southern|eastern|western|rural)\s+)?$" % (_PLACE_NOUN, _PLACE_NOUN,
                                                                                         _PLACE_NOUN), re.I)
# "positions in Khneifes in the southern side of Palmyra": the town the place lies beside
_SIDE_OF = re.compile(r"\b(side|outskirts|edge|edges|vicinity|environs)\s+of\s*$", re.I)
_SETTLEMENT_IN = re.compile(r"\b(village|town|city|district|neighbou?rhood|area|suburb|hamlet)\s+(in|of)\b", re.I)
# "the district of Al Mashhad", "the Sukkari neighbourhood", "rebel-held quarter of X": a quarter of a town
_QUARTER_BEFORE = re.compile(r"\b(district|neighbou?rhood|quarter)\s+of\s+(the\s+)?$", re.I)
_QUARTER_AFTER = re.compile(r"^\s+(district|neighbou?rhood|quarter)\b", re.I)
QUARTER_KM = 25.0  # a quarter lies within this distance of the city the story is about
_REGION_WORD_AFTER = re.compile(r"^[\s'’s]*(countryside|province|governorate|region|state|oblast|district)\b", re.I)


@dataclass
class _Article:
    focus: str | None
    lede: Location | None  # the place the headline or lede gives in the focus country
    admin1: Location | None  # the first-level division the article names most
    country: Location | None  # the focus country itself
    votes: Counter  # focus votes per country

    def abroad(self, cc: str | None) -> bool:
        """Clearly outside the focus country: ``cc`` has under 1/``FOCUS_MARGIN`` of the focus country's votes
        (a story whose own places are split between two countries has no "abroad" between them)."""
        if not (self.focus and cc) or cc == self.focus:
            return False
        return self.votes.get(cc, 0) * FOCUS_MARGIN < self.votes.get(self.focus, 0)


def _loc(t) -> Location:
    if type(t) is Location:
        return t
    keep = set(Location.model_fields)
    return Location(**{k: v for k, v in t.model_dump().items() if k in keep})


def _is_country(loc: Location | None) -> bool:
    return loc is not None and (loc.feature_code or "").upper().startswith("PCL")


def _fineness(loc: Location) -> int:
    """1 a place, 2 a district, 3 a province or region, 4 a country."""
    if _is_country(loc):
        return 4
    return loc.geo_precision or 1


def _literals(doc) -> list[Toponym]:
    # (a name placed only at the story's anchor, with no identity of its own, is not a place of its own)
    return [t for t in (doc._.toponyms or []) if t.type == "literal" and t.resolved and t.country
            and (t.canonical or t.geonameid or t.feature_code)]


def _headline_spans(doc, tops: list[Toponym]) -> list[Toponym]:
    """Literal toponyms of the headline (the article title, when the text does not repeat it) and the lede."""
    art = getattr(doc._, "article", None)
    title = (getattr(art, "title", None) or "") if art is not None else ""
    out = [t for t in tops if t.start < LEDE_CHARS]
    if title:
        seen = {N.name_key(t.name) for t in out}
        in_title = []
        for t in tops:  # each place the title names, once
            k = N.name_key(t.name)
            if k not in seen and re.search(r"\b%s\b" % re.escape(t.name), title):
                seen.add(k)
                in_title.append(t)
        out = in_title + out
    return out


def _focus(doc, tops: list[Toponym], head: list[Toponym]) -> tuple[str | None, Counter]:
    """The article's focus country: the country its literal places lie in, by votes -- a town or province
    ``PLACE_VOTE``, a country or capital named bare ``COUNTRY_VOTE`` ("US strikes", "Washington"), a demonym
    ``DEMONYM_VOTE``, a headline/lede place ``HEADLINE_VOTES`` times; the geoparser's focus ``GEOPARSER_VOTE``."""
    votes: Counter = Counter()
    heads = {id(t) for t in head}
    for t in tops:
        w = COUNTRY_VOTE if (_is_country(t) or (t.feature_code or "") == "PPLC") else PLACE_VOTE
        votes[t.country] += w * (HEADLINE_VOTES if id(t) in heads else 1)
    if votes:
        # towns and provinces first: the country the story's own places lie in ("US strikes", "Washington"
        # and "Moscow" name actors far more often than where things happen)
        fine = Counter()
        for t in tops:
            if not (_is_country(t) or (t.feature_code or "") == "PPLC"):
                fine[t.country] += HEADLINE_VOTES if id(t) in heads else 1
        if fine and max(fine.values()) >= MIN_FINE_VOTES:
            votes = fine
    for t in doc._.toponyms or []:
        if t.type in ("demonym", "modifier") and t.country:
            votes[t.country] += DEMONYM_VOTE
    geo = getattr(doc._, "focus_country", None)
    if geo:
        votes[geo] += GEOPARSER_VOTE
    if not votes:
        return None, votes
    return max(sorted(votes), key=votes.get), votes


def _article(doc) -> _Article:
    tops = _literals(doc)
    head = _headline_spans(doc, tops)
    focus, votes = _focus(doc, tops, head)
    mine = [t for t in tops if t.country == focus]
    lede = None
    for t in head:
        if t.country != focus or _is_country(t):
            continue
        if lede is None:
            lede = t
        elif _fineness(t) < _fineness(lede) and t.admin1 and t.admin1 == lede.admin1:
            lede = t  # "Idlib province's Khan Sheikhoun": the town inside the province named first
    adm = Counter(N.name_key(t.canonical or t.name) for t in mine if (t.feature_code or "") == "ADM1")
    admin1 = None
    if adm:
        k = adm.most_common(1)[0][0]
        admin1 = next(t for t in mine if (t.feature_code or "") == "ADM1" and N.name_key(t.canonical or t.name) == k)
    country = next((t for t in tops if _is_country(t) and t.country == focus), None)
    return _Article(focus, _lede_in_container(doc, lede), _loc(admin1) if admin1 else None,
                    _loc(country) if country else None, votes)


def _lede_in_container(doc, lede: Toponym | None) -> Location | None:
    """The lede's place, checked against the container named right after it: "the first massacre took place in the
    Al-Hazawiya neighbourhood in Manbij" read as a village 100 km west of Manbij is a part of Manbij."""
    if lede is None:
        return None
    loc = _loc(lede)
    region = _region_after(doc, [lede])
    if region is None or _is_country(region) or _is_country(loc) or region.country != loc.country \
            or (_km(loc, region) or 0) <= NAMESAKE_REGION_KM:
        return loc
    return _namesake(loc, loc.country, near=region) or _near(loc, region)


def _mentions(doc, c, loc: Location) -> list[Toponym]:
    """The toponyms of the doc that are ``loc`` (its sentence's first, else the whole doc's)."""
    def same(t) -> bool:
        return (loc.geonameid is not None and t.geonameid == loc.geonameid) or t.name == loc.name

    alls = [t for t in (doc._.toponyms or []) if same(t)]
    sent = [t for t in alls if c.sent.start_char <= t.start < c.sent.end_char]
    return sent or alls


def _namesake(loc: Location, country: str, near: Location | None = None) -> Location | None:
    """A place of ``country`` written as ``loc`` ("Raqqa" in a Syria story is not Raqqa, Wisconsin); with
    ``near``, the namesake closest to it and within ``NAMESAKE_REGION_KM``."""
    from flashpoint.geo.gazetteer import get_gazetteer
    from flashpoint.geo.geoparse import place_fields
    from flashpoint.geo.resolve import _surface, prior

    q = _surface(loc.name)
    cands = [p for p in get_gazetteer().lookup(loc.name) if p.country == country and _surface(p.name) == q
             and not p.is_country]
    if near is not None:
        cands = [p for p in cands if (_km(Location(name=p.name, lat=p.lat, lon=p.lon), near) or 1e9)
                 <= NAMESAKE_REGION_KM]
        cands.sort(key=lambda p: _km(Location(name=p.name, lat=p.lat, lon=p.lon), near))
    else:
        cands.sort(key=lambda p: -prior(p))
    if not cands:
        return None
    return Location(name=loc.name, **place_fields(cands[0], province=False))


def _list_gap(text: str, gap_start: int, gap_end: int, tops: list[Toponym]) -> bool:
    """Is text[gap_start:gap_end] the rest of a list of places before their container ("Mouhessen town and Jadid
    Ekeidat village in Deir Ezzor", "Barzeh, Jobar and Qaboun in Damascus")?"""
    inner = [t for t in tops if gap_start <= t.start and t.end <= gap_end]
    if not inner:
        return False
    gap, at = "", gap_start
    for t in sorted(inner, key=lambda t: t.start):
        gap += text[at:t.start] + " X "
        at = t.end
    return bool(_LIST_THEN_CONTAINER.match(gap + text[at:gap_end]))


def _region_after(doc, ms: list[Toponym]) -> Location | None:
    """'Adra in Damascus countryside', 'Pokrovsk, Donetsk region', 'Babeska, a village in Idlib': the region
    named right after the place as its container (also after the rest of a list of places: 'Mouhessen town and
    Jadid Ekeidat village in Deir Ezzor')."""
    text = _doc_text(doc)
    tops = [t for t in (doc._.toponyms or []) if t.type == "literal" and t.resolved]
    every = [t for t in (doc._.toponyms or []) if t.type == "literal"]
    for m in ms:
        for t in tops:
            if not (m.end < t.start <= m.end + REGION_GAP_CHARS) or _is_country(t):
                continue
            gap = text[m.end:t.start]
            if not (_CONTAINER_GAP.match(gap) and not _NOT_CONTAINER.search(gap)) \
                    and not _list_gap(text, m.end, t.start, every):
                continue
            if (t.feature_code or "") in ("ADM1", "ADM2") or _REGION_WORD_AFTER.match(text[t.end:t.end + 20]) \
                    or _SETTLEMENT_IN.search(gap) or _SIDE_OF.search(gap):
                return _loc(t)
    return None


def _key(name: str | None) -> str:
    return N.name_key(re.sub(r"\(.*?\)", " ", name or ""))


def _quarter_far_from_the_city(doc, lits: list[Toponym], art: _Article, loc: Location) -> bool:
    """"a new barrel bomb attack on the district of Al Mashhad" in a story about Aleppo, read as a village of that
    name 85 km away: a place named as a quarter of a town lies in the city the headline or lede gives."""
    city = art.lede
    if city is None or not lits or not (city.feature_code or "").upper().startswith("PPL") or not city.resolved:
        return False
    text = _doc_text(doc)
    m = lits[0]
    quarter = _QUARTER_BEFORE.search(text[max(0, m.start - 30):m.start]) or _QUARTER_AFTER.match(text[m.end:m.end + 20])
    d = _km(loc, city)
    return bool(quarter) and d is not None and d > QUARTER_KM


def _own(doc, c, art: _Article, loc: Location) -> Location | None:
    """``loc`` checked as the event's own place: None when it is no place of the event."""
    ms = _mentions(doc, c, loc)
    lits = [m for m in ms if m.type == "literal"]
    if ms and not lits:
        return None  # "the Britain-based monitor", "Kyiv says", "US dollar"
    if not loc.resolved:
        # "in Mouhessen town and Jadid Ekeidat village in Deir Ezzor": a name the gazetteer lacks lies in the
        # region named as its container
        region = _region_after(doc, lits)
        return _near(loc, region) if region is not None and not _is_country(region) else loc
    if _quarter_far_from_the_city(doc, lits, art, loc):
        return _near(loc, art.lede)
    region = _region_after(doc, lits)
    if region is not None and region.country and loc.country and region.country != loc.country \
            and not _is_country(loc):
        # "the Sumaria area in the Syrian capital Damascus": the container's country decides the namesake
        return _namesake(loc, region.country, near=region) or _near(loc, region)
    if art.abroad(loc.country):
        twin = _namesake(loc, art.focus) if not _is_country(loc) else None
        if twin is not None:
            return twin
        return _foreign(doc, c, art, loc, lits)
    if region is not None and not _is_country(loc) and region.country == loc.country and (
            (_km(loc, region) or 0) > NAMESAKE_REGION_KM or (
            loc.admin1 and region.admin1 and _key(loc.admin1) != _key(region.admin1))):
        # "Babeska, a village in Idlib" read as Babis in Aleppo: the namesake in the region, else the region
        twin = _namesake(loc, loc.country, near=region)
        return twin or _near(loc, region)
    return loc


def _foreign(doc, c, art: _Article, loc: Location, lits: list[Toponym]) -> Location | None:
    """A place outside the focus country with no namesake in it. The event's when the clause puts it there
    ("in Iraq", "in the Iraqi city of Mosul", "west of Kirkuk") and the place is a country, a prominent city or
    named with its country; "Russia At least four people were killed" is not. A small foreign namesake read in a
    sentence that names a focus-country place ("the Sumaria area in the Syrian capital Damascus") lies there."""
    text = _doc_text(doc)
    s0, s1 = c.sent.start_char, c.sent.end_char
    here = [m for m in lits if s0 <= m.start < s1 and _LOCATIVE_BEFORE.search(text[max(0, m.start - 40):m.start])]
    if not (loc.canonical or loc.geonameid):
        return Location(name=loc.name)  # a name the geoparser only put near some anchor abroad: unknown here
    # "the Turkish town of Nusaybin", "Mosul, Iraq": its country named right beside it ("US Air Force" at the
    # other end of the sentence is no such cue)
    cue = any(t.country == loc.country and t.name != loc.name and any(
        abs(t.start - m.end) <= COUNTRY_CUE_CHARS or abs(m.start - t.end) <= COUNTRY_CUE_CHARS for m in here)
              for t in doc._.toponyms or [])
    if here and (_is_country(loc) or cue):
        return loc
    home = [t for t in _literals(doc) if s0 <= t.start < s1 and t.country == art.focus and not _is_country(t)]
    if home and not _is_country(loc):
        return _near(loc, _loc(home[0]))
    return loc if here and _prominent(loc) else None


def _prominent(loc: Location) -> bool:
    from flashpoint.geo.gazetteer import get_gazetteer
    from flashpoint.geo.resolve import prominent

    p = get_gazetteer().by_geonameid(loc.geonameid) if loc.geonameid else None
    return p is not None and prominent(p)


def _near(loc: Location, at: Location) -> Location:
    """An unresolved (or misresolved) place of the event, placed at the region it is in: its name, that point."""
    f = at.model_dump(exclude={"name", "canonical", "geonameid", "feature_code", "anchor", "geo_precision"})
    return Location(name=loc.name, anchor=at.canonical or at.name, geo_precision=max(2, _fineness(at) if
                                                                                    _fineness(at) < 4 else 3), **f)


def _fallback(art: _Article, country: str | None) -> Location | None:
    """Rules 2-4: the headline/lede place, the admin1 the article names, the country."""
    for loc in (art.lede, art.admin1):
        if loc is not None and (country is None or loc.country == country):
            return loc
    return None


def _complete(doc, c, art: _Article) -> Location | None:
    """Rules 2-4 for a candidate whose own mention gave no usable place (or only a country, or a name the
    gazetteer does not know)."""
    loc = c.location
    if loc is None:
        return _fallback(art, None) or art.country
    if not loc.resolved:
        at = _fallback(art, None)
        return _near(loc, at) if at is not None else loc
    if _is_country(loc):
        return _fallback(art, loc.country) or loc
    return loc


def place_events(doc, cands: list) -> None:
    """Rule 1, before the mentions are merged into incidents: each candidate keeps only a place that is its own
    (``None`` otherwise); a namesake in the focus country or in the region named as container replaces a
    misread one."""
    if not cands:
        return
    art = _article(doc)
    doc.user_data[(doc_keys.PLACE_ARTICLE, len(doc))] = art
    for c in cands:
        if c.location is not None:
            c.location = _own(doc, c, art, c.location)


def place_unplaced(doc, cands: list) -> None:
    """Rules 2-4 after the merge (a mention without a place of its own must not decide which mentions are one
    incident), then admin1/admin2 for every placed event."""
    if not cands:
        return
    art = doc.user_data.get((doc_keys.PLACE_ARTICLE, len(doc))) or _article(doc)
    for c in cands:
        loc = _complete(doc, c, art)
        c.location = fill_admin(loc) if loc is not None else None
