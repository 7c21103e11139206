"""Stage ``incidents``: every mention of one happening becomes one event (ACLED: one actor pair x place x day).

Reads the candidates the earlier stages placed and dated; returns fewer candidates, each carrying the evidence
spans (``mentions``) and stated tolls of everything folded into it. Hypothetical, historical and denied candidates
are never folded into an asserted incident (they stay as they are, with their status).

The article-level rules run in the order of ``RULES``; each is a small function documented by the sentence that
motivated it.
"""
from __future__ import annotations

import re

from collections.abc import Callable

from flashpoint.events import codes, roles
from flashpoint.events.candidate import ASSERTED, Cand, _absorb, _better, _is_coarse, _km, _same_place
from flashpoint.events.text import _doc_text, _span_text
from flashpoint.geo.admin_areas import fill_admin

# "the war has killed 300,000", "more than 210000 people have been killed in Syria since": a toll this large is a
# statistic about a war, never one incident's (ACLED's largest single events are in the low thousands)
MAX_INCIDENT_TOLL = 5000
# a town named like a province stands for the province only for places this close to it
PROVINCE_NAMESAKE_KM = 150.0
# ... and only when it opens the sentence, within this many characters ("In Deir Ezzor the air force targeted")
FRAME_CHARS = 30
# event types whose records are consequences of a violent incident at the same place and day, not events of their own:
# "The strikes killed a large number of militants while destroying two command posts six arms caches two tanks"
SIDE_EFFECT_SUBTYPES = {"Looting/property destruction", "Disrupted weapons use", "Other", "Agreement",
                        "Change to group/activity", "Non-violent transfer of territory"}
# the violent event types a side effect folds into
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# sub-types a bare verb or noun gives when nothing more specific is known ("fighting", "attack", "killed"): such a
# reading without a named actor is the same happening as a more specific event its sentence reports
WEAK_SUBTYPES = {"Armed clash", "Attack", "Other"}
# the lexicon weight of attack verbs that name no means ("hit", "targeted", "struck")
MEANSLESS_WEIGHT = 1
# definite nouns that restate an incident already reported ("the attack", "the blast", "these raids")
ANAPHORIC_NOUNS = {"attack", "strike", "airstrike", "raid", "bombing", "bombardment", "blast", "explosion",
                   "assault", "incident", "massacre", "shelling", "offensive", "operation", "killing", "ambush",
                   "fighting", "clash", "battle", "bomb", "seizure", "capture", "takeover"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "such"}
# a mention dated only by "this week", "earlier this week" may restate an incident this many days before that date
VAGUE_DAY_WINDOW = 7
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# a mention without a date of its own may restate an incident dated this many days apart ("Death toll from Aleppo
# bus convoy bomb attack at least 126", published the day after the blast)
UNDATED_SLACK_DAYS = 1
# a bare casualty report without a place of its own belongs to an incident reported at most this far before it
BARE_CASUALTY_CHARS = 300
# "al-Tadamun neighborhood in Damascus", "Bab al-Nairab district of Aleppo", "X, a suburb of Y"
_PART_OF_GAP = r"\s*,?\s+(?:(?:an?|the)\s+)?(?:neighbou?rhood|district|quarter|area|suburb)?\s*(?:in|of)\s+(?:the\s+)?" \
               r"(?:(?:city|town|capital)\s+(?:of\s+)?)?"
# the lede: the headline and the sentences that start within this many characters of the article's start
LEDE_CHARS = 300
# a lede placed at a city this close to the body incident's place announces that incident ("near the capital
# Damascus" for Douma)
LEDE_NEAR_KM = 25.0
# verbs of a toll that is updated ("the death toll rose to 126", "reached at least 112", "climbed to 40")
TOLL_VERBS = {"rise", "reach", "climb", "jump", "increase", "mount", "soar", "hit", "stand", "grow", "exceed"}
# a toll update may be written this many days after the incident it counts
TOLL_UPDATE_DAYS = 3
# the smallest toll whose repetition on the same day and place marks one incident told twice (one or two dead are
# too common to identify an incident)
RESTATED_TOLL_MIN = 3


def _asserted(c: Cand) -> bool:
    return c.status in ASSERTED


def _event_type(c: Cand) -> str | None:
    return codes.acled_types(c.sub_event_type)[0]


def _placed(c: Cand) -> bool:
    """Placed at a town, village or district (not a country, not unplaced)."""
    loc = c.location
    return loc is not None and loc.resolved and not (loc.feature_code or "").upper().startswith("PCL") and \
        (loc.geo_precision or 1) < 3


def _same_spot(a: Cand, b: Cand) -> bool:
    """The same place: one geonameid, one name, or points within 2 km (``candidate._same_place``)."""
    return _same_place(a.location, b.location)


def _actors_compatible(a: Cand, b: Cand) -> bool:
    """One side in common, or one of them names no actor ("Russian strikes" and "regime strikes" stay apart)."""
    sa = {roles.name_of(x) for x in (a.actor1, a.actor2) if x is not None}
    sb = {roles.name_of(x) for x in (b.actor1, b.actor2) if x is not None}
    if a.actor1 is None or b.actor1 is None:
        return True
    return bool(sa & sb)


def _fold(host: Cand, other: Cand) -> Cand:
    """Merge two mentions of one incident; the better-evidenced one stays."""
    best = _better(host, other)
    worse = other if best is host else host
    _absorb(best, worse)
    if best.location is not None and worse.location is not None and (
            (_is_coarse(best.location) and not _is_coarse(worse.location)) or _province_namesake(best, worse)):
        best.location, best.loc_inherited = worse.location, worse.loc_inherited
    if "claimed" in (best.status, worse.status) and best.status != worse.status:
        best.status, best.attribution = "claimed", best.attribution or worse.attribution
    return best


def _merge_where(cands: list[Cand], same: Callable[[Cand, Cand], bool]) -> list[Cand]:
    """Fold every asserted candidate into the first earlier asserted one ``same`` accepts."""
    out: list[Cand] = []
    for c in cands:
        host = next((i for i, h in enumerate(out) if _asserted(h) and _asserted(c) and same(h, c)), None)
        if host is None:
            out.append(c)
        else:
            out[host] = _fold(out[host], c)
    return out


def inherit_means(cands: list[Cand]) -> list[Cand]:
    """"Syrian warplanes pounded Eastern Ghouta on Thursday ... At least four civilians were killed in the city of
    Arbin and one in each of the cities of Harasta and Douma": a bare casualty report with no means and no
    perpetrator of its own was caused by the means the article reported before it that day (the air strikes), in each
    town it names."""
    ordered = sorted(cands, key=lambda c: c.first)
    for k, c in enumerate(ordered):
        if not (_asserted(c) and c.actor1 is None and (
                (c.group.generic and c.sub_event_type == "Attack") or _agentless_destruction(c, ordered))):
            continue
        means = [h for h in ordered if h is not c and _asserted(h) and _same_day(h, c)
                 and _event_type(h) == "Explosions/Remote violence"]
        src = next((h for h in reversed(means) if h.first < c.first), None)
        if src is None and c.first[0] == 0:
            # "Russian Defense Ministry: More than 100 ISIS terrorists killed in Deir Ezzor" over a briefing of
            # strikes: a headline's toll was caused by the means its body reports that day
            src = next(iter(means), None)
        if src is not None:
            c.sub_event_type, c.cameo = src.sub_event_type, src.cameo
            c.actor1, c.assoc1 = src.actor1, list(src.assoc1)
    return cands


def _agentless_destruction(c: Cand, cands: list[Cand]) -> bool:
    """"a command center of ISIS and three groups of terrorists ... had been destroyed near Hatla town": a passive
    destruction with no agent, at a place where no violent incident of that day is told (there it is that incident's
    damage: ``fold_side_effects``), is the damage of the strikes told that day, not looting or demolition."""
    t = c.trig
    if not (c.sub_event_type == "Looting/property destruction" and t.pos_ == "VERB" and any(
            x.dep_ == "auxpass" for x in t.children) and not any(x.dep_ == "agent" for x in t.children)):
        return False
    return _placed(c) and not any(h is not c and _asserted(h) and _event_type(h) in VIOLENT_TYPES and _same_day(h, c)
                                  and _same_spot(h, c) for h in cands)


def drop_statistics(cands: list[Cand]) -> list[Cand]:
    """"Since then more than a quarter of a million people have been killed": a war's toll is a Claim, not an
    event."""
    return [c for c in cands if not (_asserted(c) and (c.fat.get("fatalities") or 0) > MAX_INCIDENT_TOLL)]


def fold_same_place_day(cands: list[Cand]) -> list[Cand]:
    """"At least 20 people were killed ... in a barrel bomb attack" and "A regime helicopter struck twice a mourning
    location in ... Bab al-Nairab": one incident per event type, place and day."""
    return _merge_where(cands, lambda a, b: _placed(a) and _same_spot(a, b) and _same_day(a, b)
                        and _event_type(a) == _event_type(b) and _actors_compatible(a, b))


def fold_side_effects(cands: list[Cand]) -> list[Cand]:
    """"The strikes killed a large number of militants while destroying two command posts": the destruction is
    part of the strike at the same place and day."""
    out = list(cands)
    for c in list(out):
        if not (_asserted(c) and c.sub_event_type in SIDE_EFFECT_SUBTYPES):
            continue
        host = next((h for h in out if h is not c and _asserted(h) and _event_type(h) in VIOLENT_TYPES
                     and _same_day(h, c) and (_same_spot(h, c) or not _placed(c))), None)
        if host is not None:
            _absorb(host, c)
            out.remove(c)
    return out


def _coarse_kind(c: Cand) -> str | None:
    """"none" (no place), "country", "admin" (a province or region) or None (a named town or village, resolved or
    not: "Different named villages on the same day stay separate events")."""
    loc = c.location
    if loc is None:
        return "none"
    fc = (loc.feature_code or "").upper()
    if fc.startswith("PCL"):
        return "country"
    if fc.startswith("ADM1") or (loc.resolved and (loc.geo_precision or 1) >= 3 and not fc.startswith("P")):
        return "admin"
    return None


def _inside(coarse: Cand, host: Cand) -> bool:
    """Is the host's place inside the coarse candidate's country or province?"""
    kind, cl, hl = _coarse_kind(coarse), coarse.location, host.location
    if kind == "none":
        return True
    if cl.country and hl.country and cl.country != hl.country:
        return False
    if kind == "country":
        return True
    names = _division_keys(cl.admin1) | _division_keys(cl.canonical or cl.name)
    return bool(_division_keys(hl.admin1) & names)


_DIVISION_WORDS = re.compile(r"\b(governorate|province|region|state|oblast|district|muhafazat)\b", re.I)


def _division_keys(name: str | None) -> set[str]:
    """The spellings one division goes by in the gazetteer's sources: "Homs (Hims)" -> homs, hims; "Homs
    Governorate" -> homs (the province named "Homs" holds a town whose admin1 is "Homs (Hims)")."""
    if not name:
        return set()
    base = _DIVISION_WORDS.sub("", name)
    parts = [re.sub(r"\(.*?\)", "", base)] + re.findall(r"\((.*?)\)", base)
    return {_key(x) for x in parts} - {""}


def _same_day(a: Cand, b: Cand) -> bool:
    """The same day, or within ``UNDATED_SLACK_DAYS`` when one of them has no date of its own."""
    if a.date == b.date:
        return True
    if a.date is None or b.date is None or (a.date_explicit and b.date_explicit):
        return False
    return abs((a.date - b.date).days) <= UNDATED_SLACK_DAYS


def _definite_incident_noun(t) -> bool:
    return t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in ANAPHORIC_NOUNS and any(
        x.dep_ in ("det", "poss") and x.lower_ in DEFINITE for x in t.children)


def _day_named(t) -> bool:
    """"Mondays twin bombings", "Wednesday's explosion": the incident of that day."""
    return t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in ANAPHORIC_NOUNS and any(
        x.dep_ in ("poss", "compound", "nmod") and x.lower_.rstrip("s'’").rstrip("'’") in WEEKDAYS for x in t.children)


def _anaphoric(c: Cand) -> bool:
    """"the attack", "these raids", "the blast": a definite noun restating an incident; also the verb it is the
    subject of ("when the first strike hit", "the blast killed 12")."""
    t = c.trig
    if _day_named(t):
        return True
    if _definite_incident_noun(t):
        return True
    return t.pos_ in ("VERB", "AUX") and any(x.dep_ in ("nsubj", "nsubjpass") and _definite_incident_noun(x)
                                             for x in t.children)


def _dates_agree(host: Cand, c: Cand) -> bool:
    """A definite noun with a day of its own restates an incident of that day, or one dated only vaguely before it
    ("48 people executed by government forces in the northern village of Rityan earlier this week. The killings
    took place after troops entered the town Tuesday")."""
    if not c.date_explicit or c.date_spoken or c.date is None or host.date is None or host.date == c.date:
        return True
    vague, exact = (host, c) if host.precision > c.precision else (c, host)
    # ("The brief seizure of Rityan was part of an abortive army offensive this week": a vaguer day the same week)
    return vague.precision > exact.precision and 0 <= (vague.date - exact.date).days <= VAGUE_DAY_WINDOW


def _restates(host: Cand, c: Cand) -> bool:
    et_h, et_c = _event_type(host), _event_type(c)
    # ("The killings took place after troops entered the town": an outcome noun restates any violent incident)
    return et_h == et_c or (et_h in VIOLENT_TYPES and et_c in VIOLENT_TYPES and (_weak(c) or c.group.generic))


def _no_other_place(host: Cand, c: Cand) -> bool:
    """"The offensives against the rebels have made gains in Latakia Province" names a place of its own: it is
    another incident unless that place is the host's or contains it."""
    if c.location is None or c.loc_inherited or _same_spot(host, c):
        return True
    return _coarse_kind(c) is not None and host.location is not None and _inside(c, host)


def fold_anaphora(cands: list[Cand]) -> list[Cand]:
    """"There was no immediate claim of responsibility for the attack which pro-Damascus media said was carried out
    by ...", "The monitor said the raids targeted the town of Milis": a definite noun with no date of its own
    restates the nearest earlier asserted incident of its kind; it keeps that incident's place and day."""
    out: list[Cand] = []
    for c in cands:
        if _asserted(c) and _anaphoric(c):
            day = _day_named(c.trig)
            host = next((h for h in reversed(out) if _asserted(h) and h.sent.start < c.sent.start
                         and _restates(h, c) and _actors_compatible(h, c) and (day or _dates_agree(h, c))
                         and (_no_other_place(h, c) or (day and _same_day(h, c)))), None)
            if host is not None:
                if c.group.generic:
                    c.sub_event_type = host.sub_event_type  # (an outcome noun's type came from the discourse)
                _absorb(host, c)
                continue
            past = next((h for h in reversed(out) if h.status in ("historical", "hypothetical")
                         and h.sent.start < c.sent.start and _restates(h, c)), None)
            if past is not None and (_named_after(c, past) or not any(_asserted(h) and _restates(h, c) for h in out)):
                # "Following the massacre the Assad regime surrendered its cache": the massacre the article
                # recalled as history is still history
                c.status = past.status
        out.append(c)
    return out


def _named_after(c: Cand, past: Cand) -> bool:
    """"The government which denied its forces were behind the Ghouta attack" after "Following the 2013 Ghouta attack
    ...": an incident named after the place of one the article recalled as history is that incident."""
    loc = past.location
    name = _key(loc.name if loc is not None else None)
    return bool(name) and any(x.dep_ in ("compound", "nmod", "amod") and _key(x.text) == name for x in c.trig.children)


def _toll_update(c: Cand) -> bool:
    """"The death toll from a bomb blast on a crowded Syrian bus convoy outside Aleppo reached at least 112"."""
    sent = c.sent
    return any(x.lemma_.lower() == "toll" and x.dep_ in ("nsubj", "nsubjpass") and
               x.head.lemma_.lower() in TOLL_VERBS for x in sent)


def fold_toll_updates(cands: list[Cand]) -> list[Cand]:
    """A toll update restates the incident it counts: it folds into the incident of the same kind at the same place
    (or into the article's only incident of that kind) within ``TOLL_UPDATE_DAYS``, whatever day it was written."""
    out: list[Cand] = []
    for c in cands:
        if _asserted(c) and _toll_update(c):
            kin = [h for h in out if _asserted(h) and _restates(h, c) and h.date and c.date
                   and abs((h.date - c.date).days) <= TOLL_UPDATE_DAYS]
            same = [h for h in kin if _places_compatible(h, c)]
            host = same[0] if same else (kin[0] if len(kin) == 1 else None)
            if host is not None:
                out[out.index(host)] = _fold(host, c)
                continue
        out.append(c)
    return out


def fold_restated_tolls(cands: list[Cand]) -> list[Cand]:
    """"US-led strikes on the northern Syrian province of Raqa killed more than 20 IS jihadists in two positions alone
    early Tuesday" and "More than 20 members of IS were killed in strikes on two of the organisation's positions in
    Raqa province": one toll, stated twice for the same kind of event on the same day at compatible places (the same
    spot, or one inside the other's province), is one incident told twice."""
    def same(a: Cand, b: Cand) -> bool:
        n = a.fat.get("fatalities")
        return n is not None and n >= RESTATED_TOLL_MIN and n == b.fat.get("fatalities") and _same_day(a, b) \
            and _restates(a, b) and _actors_compatible(a, b) and _places_compatible(a, b)
    return _merge_where(cands, same)


def _bare_casualties(c: Cand) -> bool:
    """A casualty report with no means and no perpetrator ("At least two people were killed, a rights group said")."""
    return c.group.generic and c.actor1 is None and c.sub_event_type in WEAK_SUBTYPES


def fold_coarse(cands: list[Cand]) -> list[Cand]:
    """"The Syrian Observatory for Human Rights said the deaths came in three separate clashes" (no place of its
    own) after "35 IS jihadists were killed ... around the flashpoint town of Kobane": an unplaced, country-level or
    province-level mention of the same kind of event on the same day, inside that country or province, is that
    incident (the nearest such mention in the text)."""
    placed = [c for c in cands if _asserted(c) and _placed(c)]
    out = []
    for c in cands:
        if _asserted(c) and _coarse_kind(c) is not None:
            hosts = [h for h in placed if _same_day(h, c) and _event_type(h) == _event_type(c)
                     and _actors_compatible(h, c) and _inside(c, h)]
            if not hosts and _bare_casualties(c):
                # "Kenyan police fired tear gas at protesters in Nairobi ... At least two people were killed": the
                # deaths of the incident just reported
                hosts = [h for h in placed if _same_day(h, c) and 0 <= c.sent.start_char - h.sent.end_char
                         <= BARE_CASUALTY_CHARS]
            if hosts:
                _absorb(min(hosts, key=lambda h: abs(h.sent.start - c.sent.start)), c)
                continue
        out.append(c)
    return out


def _lede(c: Cand) -> bool:
    return c.headline or c.sent.start_char < LEDE_CHARS


def fold_lede(cands: list[Cand]) -> list[Cand]:
    """"Syrian Army Killed Notorious Al-Nusra Emir in Northern Homs ... Syrian Army Troops have clashed with al-Nusra
    Front in al-Rastan region" before "... were killed in the Syrian soldiers attacks in a region between the villages
    of al-Qajar and al-Zara": a headline or lede announces the incident the body tells, placed by its town, its
    province or a city near it. An asserted lede mention folds into the first body incident of its event type and
    day, with compatible actors, that lies in its province or within ``LEDE_NEAR_KM``."""
    body = [c for c in cands if _asserted(c) and not _lede(c) and _placed(c)]
    out = []
    for c in cands:
        if _asserted(c) and _lede(c) and c.location is not None and not _told_in_body(c):
            host = next((h for h in body if _event_type(h) == _event_type(c) and _same_day(h, c)
                         and _actors_compatible(h, c) and _announces(c, h)), None)
            if host is not None:
                _fold_into(host, c)
                continue
        out.append(c)
    return out


def _told_in_body(c: Cand) -> bool:
    """"The civil administration of Idlib on Thursday announced ... airstrikes by Russian jets that left at least 38
    civilians killed" restated in the body by "The most violent airstrikes targeted civilian neighborhoods of Idlib
    city": a lede incident that a body mention places itself is a body incident, not an announcement of another."""
    name = c.location.name or ""
    text = _doc_text(c.sent.doc)
    return bool(name) and any(start >= LEDE_CHARS and name in text[start:end] for start, end in c.mentions)


def _announces(lede: Cand, h: Cand) -> bool:
    """The lede's place holds the body incident's: its province, a town named like that province, or a place within
    ``LEDE_NEAR_KM``."""
    if _coarse_kind(lede) is not None:
        return _inside(lede, h)
    lede_keys = _division_keys(lede.location.canonical or lede.location.name)
    if (lede.location.feature_code or "").upper().startswith("ADM2"):
        # "clashed with al-Nusra Front in al-Rastan region": the district holding the body's villages
        return bool(lede_keys & _division_keys(fill_admin(h.location).admin2))
    if (lede.location.geo_precision or 1) > 1:
        # "advanced on Tuesday south of Aleppo city towards the town of ...": a place relative to a city is a front,
        # not the body's village
        return False
    d = _km(lede.location, h.location)
    if d is not None and d <= LEDE_NEAR_KM:
        return True
    return not _called_city(lede) and bool(lede_keys & _division_keys(fill_admin(h.location).admin1))


def _called_city(c: Cand) -> bool:
    """"at least 10 civilians were killed ... in airstrikes by Russian forces on Idlib city on Friday morning": a
    place the sentence calls a city is that city, not the province it is named after."""
    name = re.escape(c.location.name or "")
    return bool(name) and re.search(rf"\b{name}\s+city\b|\bcity\s+of\s+{name}\b", _span_text(c.sent), re.I) is not None


def _fold_into(host: Cand, c: Cand) -> None:
    """Fold ``c`` into ``host``, which keeps its own place (the finer one)."""
    loc, inherited = host.location, host.loc_inherited
    _absorb(host, c)
    host.location, host.loc_inherited = loc, inherited


def _places_compatible(a: Cand, b: Cand) -> bool:
    """The same spot or name, or one of them names no place or only a country or province containing the other.
    Two different named villages never are, resolved or not ("... took control of Zitan, Humaira and Khalsa")."""
    if _same_spot(a, b) or a.location is None or b.location is None:
        return True
    return (_coarse_kind(a) is not None and _inside(a, b)) or (_coarse_kind(b) is not None and _inside(b, a)) or \
        _province_namesake(a, b) or _province_namesake(b, a) or _named_inside(a, b) or _named_inside(b, a)


def _named_inside(a: Cand, b: Cand) -> bool:
    """"a car bomb which took place in al-Tadamun neighborhood in Damascus": the sentence names ``a``'s place (one the
    gazetteer does not know) as a part of ``b``'s town."""
    la, lb = a.location, b.location
    if la.resolved or not lb.resolved or not la.name or not lb.name:
        return False
    return bool(re.search(re.escape(la.name) + _PART_OF_GAP + re.escape(lb.name), _span_text(a.sent)))


def _province_namesake(a: Cand, b: Cand) -> bool:
    """"In Deir Ezzor the air force targeted ... hideouts in al-Jafra village": a town named like the province the
    other place lies in stands for the province."""
    la, lb = a.location, b.location
    # only as the sentence's frame ("In Deir Ezzor the air force ..."), not "civilian neighborhoods of Idlib city
    # as well as the towns of Tal Minnis Sarmada and Maaret Alnouman"
    if la is None or lb is None or la.name not in _span_text(a.sent)[:FRAME_CHARS]:
        return False
    lb = fill_admin(lb)
    if not lb.admin1:
        return False
    names = {_key(la.canonical), _key(la.name)} - {""}
    d = _km(la, lb)
    return _key(lb.admin1) in names and (d is None or d <= PROVINCE_NAMESAKE_KM)


def _key(name: str | None) -> str:
    return "".join(ch for ch in (name or "").lower() if ch.isalpha())


def _weak(c: Cand) -> bool:
    return c.sub_event_type in WEAK_SUBTYPES and c.actor1 is None


def _part_of(c: Cand, h: Cand) -> bool:
    """Is ``c`` a vaguer reading of ``h``'s happening in the same sentence? A bare clash or attack without an actor
    beside a violent event; a means-less attack verb beside an air strike or shelling by the same side ("were hit
    and destroyed in army airstrikes in the villages of ...")."""
    if _event_type(h) not in VIOLENT_TYPES:
        return False
    if _weak(c):
        return True
    meansless = c.sub_event_type == "Armed clash" and c.group.frame == "clash" and c.group.weight <= MEANSLESS_WEIGHT
    return meansless and _event_type(h) == "Explosions/Remote violence" and _actors_compatible(h, c)


def fold_same_sentence(cands: list[Cand]) -> list[Cand]:
    """"Three citizens were martyred ... in terrorist suicide bombing using a car bomb which took place in
    al-Tadamun": one sentence, one kind of event, one place (or an unresolved one) is one incident; and
    "Seizing control over the city ... came after the army units ... fought": a bare clash or attack reading without
    an actor beside a more specific event of its sentence is that event."""
    out: list[Cand] = []
    for c in cands:
        host = None
        if _asserted(c):
            for i, h in enumerate(out):
                if not (_asserted(h) and h.sent.start == c.sent.start and _places_compatible(h, c)) or (
                        h.date_explicit and c.date_explicit and h.date != c.date):
                    continue  # (two stated days: "clashes ... of Kobane the town that Kurdish forces recaptured on
                    # January 26")
                if _event_type(h) == _event_type(c) or _part_of(c, h):
                    host = i
                    break
                if _part_of(h, c):
                    out[i], c = c, h
                    host = i
                    break
        if host is None:
            out.append(c)
        else:
            out[host] = _fold(out[host], c)
    return out


def _coarse_key(c: Cand) -> tuple | None:
    kind = _coarse_kind(c)
    if kind not in ("none", "country"):
        return None  # (two events in one province may be two towns the text did not name)
    loc = c.location
    if kind == "none":
        return ("none",)
    return (kind, loc.country, _key(loc.admin1 if kind == "admin" else None) or _key(loc.canonical or loc.name))


def fold_same_coarse_day(cands: list[Cand]) -> list[Cand]:
    """"News of the Ghoutta Massacre have surfaced on Wednesday with the opposition accusing the Syrian government
    of launching a Chemical attack", "Understanding the attack Based on videos of responders": mentions placed no
    finer than one country are one incident per kind of event and day there."""
    return _merge_where(cands, lambda a, b: _coarse_key(a) is not None and _coarse_key(a) == _coarse_key(b)
                        and _same_day(a, b) and _event_type(a) == _event_type(b) and _actors_compatible(a, b))


def drop_unplaceable(cands: list[Cand]) -> list[Cand]:
    """"Nyrabiya pointed out that Russias actions in Syria demonstrate it is insistent on pursuing a military
    solution", "IS has targeted oil and gas facilities in Iraq and Syria": when the article places its incidents,
    an asserted mention that is still unplaced or country-wide after folding is background, not an event. An
    article that places nothing keeps its country-level events ("country level only when nothing better
    exists")."""
    if not any(_asserted(c) and _placed(c) for c in cands):
        return _drop_foreign_countries(cands)
    return [c for c in cands if not _asserted(c) or _coarse_kind(c) not in ("none", "country")]


def _drop_foreign_countries(cands: list[Cand]) -> list[Cand]:
    """"IS has targeted oil and gas facilities in Iraq and Syria" in a story whose incidents lie in Homs province:
    an asserted mention placed only at a country where none of the article's finer-placed incidents lies is
    background from abroad, even when the article places nothing finer than a province."""
    homes = {c.location.country for c in cands if _asserted(c) and _coarse_kind(c) in (None, "admin")
             and c.location.country}
    if not homes:
        return cands
    return [c for c in cands if not (_asserted(c) and _coarse_kind(c) == "country" and c.location.country not in homes)]


def incident_toll(cands: list[Cand]) -> list[Cand]:
    """"Syria air strikes kill 42 including 16 children" and "The air raids on Sunday afternoon and evening killed 19
    people": the figures an incident's mentions state are mostly parts of its toll (one town, one side, "three
    more"), so the incident's toll is the largest figure one mention states for it -- never a sum across mentions
    or incidents. (Taking the lowest figure, ACLED's rule for conflicting reports of one total, picked a part instead
    of the total in 45 of 300 FA-KES dev articles: killed exact 0.643 -> 0.540.)"""
    for c in cands:
        stated = [t for t in c.tolls if t is not None and t > 0]
        if stated:
            c.fat["fatalities"] = max(stated)
    return cands


RULES: tuple[Callable[[list[Cand]], list[Cand]], ...] = (
    drop_statistics,
    inherit_means,
    fold_anaphora,
    fold_same_sentence,
    fold_toll_updates,
    fold_restated_tolls,
    fold_same_place_day,
    fold_side_effects,
    fold_coarse,
    fold_lede,
    fold_same_coarse_day,
    drop_unplaceable,
    incident_toll,
)


def consolidate(doc, cands: list[Cand]) -> list[Cand]:
    """Apply ``RULES`` in order."""
    for rule in RULES:
        cands = rule(cands)
    return cands
