"""Geoparsing of a parsed Doc: recognition + resolution -> list[Toponym] and the focus country."""
from __future__ import annotations

import re
from typing import Iterable, Optional

from spacy.tokens import Doc

from flashpoint.geo import names as N
from flashpoint.geo import recognize as R
from flashpoint.geo.lists import split_lists
from flashpoint.geo.gazetteer import Place, get_gazetteer
from flashpoint.geo.resolve import Mention, display_point, resolve
from flashpoint.model import Location, Toponym


def place_fields(p: Optional[Place], precision: Optional[int] = None, province: bool = True) -> dict:
    if p is None:
        return {}
    lat, lon = display_point(p, province)
    return dict(canonical=p.name, geonameid=p.geonameid, lat=round(lat, 5), lon=round(lon, 5), country=p.country,
                admin1=p.admin1, admin2=p.admin2, feature_code=p.fcode,
                geo_precision=precision or p.level)


def _place_near(t: Toponym, anchor: Place, precision: int) -> None:
    """Place an unresolved toponym at (or in) ``anchor``: its point, not its identity (no id/canonical)."""
    for k, v in place_fields(anchor, precision).items():
        setattr(t, k, v)
    t.canonical = t.geonameid = t.feature_code = None
    t.anchor = anchor.name


def _to_toponym(c: R.Candidate, m: Mention) -> Toponym:
    f = place_fields(m.place, province=m.hint == "admin1")
    if m.place is not None:
        prec = m.place.level
        if c.precision and c.precision > prec:
            prec = c.precision
        f["geo_precision"] = prec
    typ = c.type
    t = Toponym(name=c.text, start=c.start, end=c.end, type=typ,
                score=round(m.score, 3) if m.place is not None else None, **f)
    t._readings = (m.place, getattr(m, "_scored", None) or [], m.final_scores)
    if m.landmark and m.place is not None:
        # a world-known landmark lies in its town: the town's point, not its identity
        t.canonical = t.geonameid = t.feature_code = None
        t.anchor, t.geo_precision = m.place.name, 2
    return t


def geoparse_doc(doc: Doc, focus_hint: Optional[str] = None) -> tuple[list[Toponym], Optional[str]]:
    cands = R.recognise(doc)
    _mark_mention_uses(doc, cands)
    # pass 1: focus from the NER/demonym mentions
    from flashpoint.geo.resolve import prominent

    base = [c for c in cands if c.source != "gazetteer" or c.extra.get("context")
            or any(prominent(p) for p in c.extra.get("places") or ())]
    ms = R.mentions_for(base)
    focus = resolve(ms, focus_hint) if ms else focus_hint
    # "the towns of Tal Minnis Sarmada and Maaret Alnouman": a list whose commas were lost, one toponym a name
    cands = split_lists(doc, cands, focus)
    # keep gazetteer n-grams that fit the focus
    cands = [c for c in cands if R.provisional_ok(c, focus)]
    ms = R.mentions_for(cands, [s.start_char for s in doc.sents])
    focus = resolve(ms, focus_hint or focus)
    stray = set(_drop_stray_small_towns(ms))
    # an unresolved GPE with no place context is more often a person/brand spaCy mislabelled
    keep = [k for k, (c, m) in enumerate(zip(cands, ms))
            if id(m) in stray or not (m.place is None and c.source == "ner" and c.extra.get("label") == "GPE"
                                      and not c.extra.get("context") and not c.extra.get("loc_prep")
                                      and not c.within)]
    cands = [cands[k] for k in keep]
    ms = [ms[k] for k in keep]
    tops = [_to_toponym(c, m) for c, m in zip(cands, ms)]
    _fallback(tops, ms, focus, all_spans=False, text=R.doc_text(doc))
    if stray:
        # a stray small-town reading of a venue/business name lies at the story's anchor
        anchor = _anchor(ms)
        if anchor is not None:
            for t, m in zip(tops, ms):
                if id(m) in stray and not t.resolved:
                    _place_near(t, anchor, 2)
    from flashpoint.geo.uses import mark_uses

    mark_uses(doc, tops, R.doc_text(doc))  # "the Britain-based monitor", "Kyiv says": not where things happen
    return tops, focus


def _mark_mention_uses(doc: Doc, cands: list[R.Candidate]) -> None:
    """Mark the names used for something other than where things happen before the focus vote ("The
    Britain-based monitor said the blast also wounded 20" in a story about Hasakah is not a British story):
    ``extra["use"]``, read by the vote through ``Mention.use``."""
    from flashpoint.geo.uses import mention_use

    text = R.doc_text(doc)
    for c in cands:
        if c.type == "literal" and not c.demonym_country:
            u = mention_use(doc, text, c.start, c.end, c.tok_start, c.tok_end, bool(c.extra.get("container")))
            if u is not None:
                c.extra["use"] = u


def resolve_spans(doc_or_text, spans: Iterable[tuple[int, int]], focus_hint: Optional[str] = None
                  ) -> tuple[list[Toponym], Optional[str]]:
    """Resolve given character spans (gold toponym spans), using the other spans as context."""
    text = doc_or_text.text if isinstance(doc_or_text, Doc) else doc_or_text
    spans = list(spans)
    cands = []
    from flashpoint.geo.resolve import demonyms
    dem = demonyms()
    for s, e in spans:
        t = text[s:e]
        c = R.Candidate(s, e, t)
        if t.lower() in dem:
            c.type = "demonym"
            c.demonym_country = dem[t.lower()]
        after = text[e:e + 20].strip().split(" ")[0].lower().strip(".,;:") if e < len(text) else ""
        c.hint = R._hint_word(after) if after else None
        last = t.split()[-1].lower() if len(t.split()) > 1 else ""
        c.hint = R._hint_word(last) or c.hint if last else c.hint  # "Orange County", "Idlib Province"
        c.extra["org_lead"] = _org_lead(text, s, e, spans)
        if after in STATE_OFFICE_WORDS or _NATIONAL_GUARD.match(text, e):
            c.hint = "admin1"  # "New York Governor", "Ohio legislature", "Georgia National Guard": the state
        elif after == "court" and _us_state(t):
            c.hint = "admin1"  # "a New York court": the state's judiciary
        pre = _OF_DIVISION.search(text, max(0, s - 20), s)
        if pre and not c.hint:  # "the province of Ontario", "the state of Georgia"
            c.hint = R._hint_word(pre.group(1))
        cands.append(c)
    # "Y, Z": Z names the state/country containing Y (not inside a list "A, B, C and D")
    order = sorted(range(len(cands)), key=lambda k: cands[k].start)
    # "Stroud, Ontario, Canada": a chain ending in a country is a place and its containers, not a list
    from flashpoint.geo.resolve import country_by_name

    chain = set()
    for a, b, z in zip(order, order[1:], order[2:]):
        ca, cb, cz = cands[a], cands[b], cands[z]
        if text[ca.end:cb.start] == ", " and text[cb.end:cz.start] == ", " and country_by_name(cz.text) \
                and not R._LIST_AFTER.match(text[cz.end:cz.end + 12]) \
                and not R._LIST_BEFORE.search(text[max(0, ca.start - 3):ca.start]):
            chain.update({a, b})
    for a, b in zip(order, order[1:]):
        ca, cb = cands[a], cands[b]
        if text[ca.end:cb.start] == ", " and cb.type == "literal" and ca.type == "literal" \
                and (a in chain or not R.in_list(text, ca.start, cb.end)):
            ca.within = cb.text
            cb.extra["container"] = True
            ca.extra["within_cand"] = cb
    R.link_parts_of(text, cands)  # "the X neighbourhood of Y": X is a quarter of the town Y
    # enumerations ("Ohio, New York and Oregon") share a group, as spaCy's conj chains do end to end
    grp = 0
    for a, b in zip(order, order[1:]):
        ca, cb = cands[a], cands[b]
        if re.fullmatch(r",\s*|,?\s+(and|or)\s+|,\s*(and|or)\s+", text[ca.end:cb.start]) \
                and not cb.extra.get("container"):
            if ca.extra.get("group") is None:
                grp += 1
                ca.extra["group"] = -grp
            cb.extra["group"] = ca.extra["group"]
    ms = R.mentions_for(cands)
    for m, c in zip(ms, cands):
        m.allow_fuzzy = c.text[:1].isupper()
        # "State and Hubbard streets", "the Chartres/Franklin intersection", "the corner of X": a street
        m.street = bool(_STREET_AFTER.match(text, c.end) or _STREET_BEFORE.search(text, max(0, c.start - 14),
                                                                                 c.start))
    focus = resolve(ms, focus_hint)
    _drop_stray_small_towns(ms)
    tops = [_to_toponym(c, m) for c, m in zip(cands, ms)]
    _fallback(tops, ms, focus, all_spans=True, text=text)
    return tops, focus


_NATIONAL_GUARD = re.compile(r"\s+(Army |Air )?National Guard\b")


def _us_state(name: str) -> bool:
    from flashpoint.geo.resolve import _surface

    q = _surface(name)
    return any(p.fcode == "ADM1" and p.country == "US" and _surface(p.name) == q for p in get_gazetteer().lookup(name))


_STREET_AFTER = re.compile(r"(\s*(/|and|&)\s*[A-Z][\w.'-]*(\s[A-Z][\w.'-]*)?)?\s+(streets?|avenues?|roads?|"
                           r"boulevards?|intersection|corner)\b")
_STREET_BEFORE = re.compile(r"\b(corner of|intersection of)\s+$", re.I)
STATE_OFFICE_WORDS = frozenset({"governor", "governors", "legislature", "legislators", "lawmakers", "statehouse",
                                "lieutenant", "gov", "senator", "senators", "assemblyman", "assemblywoman"})
_OF_DIVISION = re.compile(r"\b(province|state|region|county|governorate|oblast) of $", re.I)
_NEXT_WORD = re.compile(r" ([A-Z][A-Za-z]+)\b")


def _org_lead(text: str, s: int, e: int, spans) -> bool:
    """The span leads an organisation's name: a one-word place followed by a capitalised word that is
    neither a place span, a facility/administrative word nor a calendar word ("Cambridge Analytica",
    "Manchester United"; not "Cambridge Police", "Cambridge Street")."""
    t = text[s:e]
    if " " in t or not t[:1].isupper() or t.isupper() or (s > 0 and text[s - 1].isalnum()):
        return False
    m = _NEXT_WORD.match(text, e)
    if m is None:
        return False
    w = m.group(1).lower()
    if w in FACILITY_WORDS or w in R.not_org_words() or R._hint_word(w):
        return False
    # (the next word is itself a place span: "Paris Texas")
    return not any(a == m.start(1) for a, _ in spans)


FACILITY_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "boulevard", "blvd", "square", "church", "mosque",
                  "cathedral", "school", "university", "college", "hospital", "library", "bridge", "park", "airport",
                  "station", "stadium", "hotel", "inn", "museum", "market", "mall", "plaza", "center", "centre",
                  "campus", "highway", "lane", "drive", "quarter", "district", "hall", "club", "base", "prison",
                  "port", "harbour", "harbor", "palace", "building", "tower", "house", "court", "field", "canal"}


# facilities named after a country that usually lie outside it
ABROAD_WORDS = {"quarter", "street", "st", "avenue", "road", "square", "embassy", "consulate", "restaurant",
                "district", "town", "village", "hill", "market", "church", "cathedral", "club",
                "international", "mission"}
# "the Embassy of X", "X's consulate": X is the sending country, the building lies elsewhere
ENVOY_WORDS = frozenset({"embassy", "embassies", "consulate", "consulates", "mission", "ambassador", "legation"})


def _place_named_facilities(tops: list[Toponym], ms: list[Mention], focus: Optional[str]) -> None:
    """An organisation/facility named after a well-known place lies there."""
    # an organisation/facility named after a well-known place lies there ("Colorado State University",
    # "US Federal Reserve", "University of California")
    story = [m.place for m in ms if m.place is not None and not m.landmark]
    for t in tops:
        if t.resolved or t.type != "literal" or len(t.name.split()) < 2:
            continue
        pl = _trailing_place(t.name, focus)  # "British Embassy Tokyo", "Robinson College Cambridge"
        if pl is not None:
            _place_near(t, pl, max(2, pl.level))
            continue
        pl = _embedded_place(t.name, focus)
        # ("A and B" names a compound place: "Jammu and Kashmir")
        if pl is not None and (_supported(pl, story, focus) or " and " in t.name):
            if pl.fcode == "ADM1":
                # "University of California" in a Los Angeles story: the story's town in that division,
                # the one named nearest in the text
                from flashpoint.geo.resolve import N

                inside = [(abs(tt.start - t.start), m.place) for tt, m in zip(tops, ms)
                          if m.place is not None and m.place.level == 1 and m.match >= 1.0
                          and m.place.country == pl.country and m.place.admin1
                          and N.name_key(m.place.admin1) == N.name_key(pl.name)]
                if inside:
                    _place_near(t, min(inside, key=lambda x: x[0])[1], 2)
                    continue
            _place_near(t, pl, max(2, pl.level))


def _story_anchor(ms: list[Mention], focus: Optional[str], all_spans: bool):
    """The article's main local place: its town, else its county, else its region (else, for given spans,
    the focus country)."""
    from collections import Counter

    anchor = _anchor(ms)
    places = {m.place.pid: m.place for m in ms if m.place is not None}
    if anchor is None:
        # no town: the story's county ("MetroHealth Medical Center" in a Cuyahoga County story)
        cty = Counter(m.place.pid for m in ms if m.place is not None and m.place.level == 2
                      and m.place.fcode in ("ADM2", "ADM3"))
        anchor = places[cty.most_common(1)[0][0]] if cty else None
    if anchor is None:
        reg = Counter(m.place.pid for m in ms if m.place is not None and m.place.level == 3
                      and not m.place.is_country and m.place.fcode != "CONT")
        anchor = places[reg.most_common(1)[0][0]] if reg else None
    if anchor is None and focus and all_spans:
        from flashpoint.geo.resolve import country_place

        anchor = country_place(focus)
    return anchor


def _supported_towns(tops: list[Toponym], ms: list[Mention]) -> list:
    """Exactly named towns of the story, by position, that the story supports."""
    # exactly named towns of the story, by position: a facility named next to one ("the Museum of X in
    # Miami Beach") lies there rather than in the article's main place
    near_pool = [((tt.start, tt.end), m.place) for tt, m in zip(tops, ms) if m.place is not None
                 and m.place.level == 1 and m.match >= 1.0 and tt.resolved and tt.canonical]
    # only towns the story supports: well known, named twice, or close to another of its places
    from collections import Counter as _C

    from flashpoint.geo.resolve import haversine, prominent

    cnt = _C(pl.pid for _, pl in near_pool)
    # (or a town inside a first-level division the story names: "the prison in Shelby" in a Montana story)
    from flashpoint.geo.names import name_key

    divs = {name_key(m.place.name) for m in ms if m.place is not None and m.place.fcode == "ADM1"}
    return [(pos, pl) for pos, pl in near_pool if prominent(pl) or (pl.population or 0) >= 50_000
            or (pl.admin1 and name_key(pl.admin1) in divs)
            or cnt[pl.pid] > 1 or any(o.pid != pl.pid and haversine(pl.lat, pl.lon, o.lat, o.lon) <= 100
                                     for _, o in near_pool)]


def _fallback(tops: list[Toponym], ms: list[Mention], focus: Optional[str], all_spans: bool,
              text: str = "") -> None:
    """Unresolved facility names (streets, schools, churches...) lie in the article's main local place:
    give them its coordinates with geo_precision 2 and ``anchor`` set. With ``all_spans`` (given gold
    spans that must be resolved) every unresolved span falls back, to the focus country at worst."""
    _place_named_facilities(tops, ms, focus)
    anchor = _story_anchor(ms, focus, all_spans)
    if anchor is None:
        return
    near_pool = _supported_towns(tops, ms)
    for t in tops:
        if t.resolved or t.type != "literal":
            continue
        ws = {w.strip(".,").lower() for w in t.name.split()}
        if not (all_spans or (ws & FACILITY_WORDS and len(ws) > 1)):
            continue
        here = _nearby_place(t, near_pool, anchor, text)
        if text:
            # "the Embassy of X in the Holy See": a country/division named right after "in" (unless a town is)
            after = [(tt.start, m.place) for tt, m in zip(tops, ms) if m.place is not None and tt.resolved
                     and tt.start >= t.end and _IN_GAP.fullmatch(text[t.end:tt.start])]
            if after and min(after, key=lambda x: x[0])[1].level == 3:
                here = min(after, key=lambda x: x[0])[1]
        _place_near(t, here, 2 if here.level < 3 else 3)


NEARBY_CHARS = 40
STRAY_KM = 750.0
STRAY_POP = 20_000


def _drop_stray_small_towns(ms: list[Mention]) -> list[int]:
    """A small town (under ``STRAY_POP``) far (> ``STRAY_KM``) from every other local place of a story
    that has at least two, some in the town's country, is more likely a business, street or venue of the story's place named like a
    town elsewhere ("a tasting of Turtle Rock wines" in a Santa Barbara story) than that town: it is left
    unresolved, so it falls back to the story's anchor."""
    from flashpoint.geo.resolve import N, haversine, prominent

    out: list[int] = []
    for m in ms:
        p = m.place
        if p is None or p.fclass != "P" or (p.population or 0) >= STRAY_POP or prominent(p) \
                or m.within or m.container or m.capital or m.landmark:
            continue
        k = N.name_key(m.text)
        others = {o.place.pid: o.place for o in ms if o.place is not None and o.place.level < 3
                  and N.name_key(o.text) != k}
        # (the story's other places lie in the town's country: a town of another country is the story's
        # own subject there, "the Yanacocha mine" in a Peru story told from the US)
        if len(others) < 2 or not any(o.country == p.country for o in others.values()):
            continue
        if all(haversine(p.lat, p.lon, o.lat, o.lon) > STRAY_KM for o in others.values()):
            m.place = None
            out.append(id(m))
    return out
SUPPORT_KM = 150.0


def _supported(pl, story: list, focus: Optional[str] = None) -> bool:
    """An embedded town or county fits the story: the story names it or a place within ``SUPPORT_KM``
    of it, it is a city of millions in the focus country, or the story names no place at all ("Hampton
    Avenue" in a St. Louis story is not Hampton, Virginia; "Salt + Smoke" is not Salt, Jordan).
    Countries, first-level divisions, regions and physical features are always taken ("Bank of Japan",
    "Arizona State University", "Thames Valley")."""
    if not story or not (pl.fclass == "P" or pl.fcode == "ADM2"):
        return True
    if (pl.population or 0) >= 1_000_000 and (focus is None or pl.country == focus):
        return True
    if pl.country != focus and any(o.is_country and o.country == pl.country for o in story):
        return True  # a town of another country the story names ("Jammu and Kashmir" next to India)
    from flashpoint.geo.resolve import haversine

    for o in story:
        if o.pid == pl.pid:
            return True
        if pl.is_country and o.country == pl.country:
            return True
        if pl.fcode == "ADM1" and o.country == pl.country and o.admin1 and o.admin1 == pl.name:
            return True
        if o.level < 3 and pl.level < 3 and haversine(pl.lat, pl.lon, o.lat, o.lon) <= SUPPORT_KM:
            return True
    return False


_IN_GAP = re.compile(r",?\s+(in|at)\s+(the\s+)?")


def _nearby_place(t: Toponym, pool: list, anchor, text: str = ""):
    """The exactly named town within ``NEARBY_CHARS`` characters of ``t`` (the closest), else ``anchor``."""
    best, bd = None, NEARBY_CHARS + 1
    for (a, b), pl in pool:
        # characters between the two names ("the Alder Hey Children's Hospital where he lies in Liverpool")
        d = a - t.end if a >= t.end else (t.start - b if b <= t.start else 0)
        if text and a >= t.end and _IN_GAP.fullmatch(text[t.end:a]):
            d -= 0.5  # "Le Bernardin in New York" (over "... New Orleans to Le Bernardin")
        if d < bd:
            best, bd = pl, d
    return best if best is not None else anchor


def _anchor(ms: list[Mention]):
    """The article's main local place: a populated place matched by its exact name (a fuzzy reading is
    too weak to carry the whole article), ranked by how often it is named plus how many of the other
    resolved places lie within 100 km of it (the story's cluster beats a stray namesake)."""
    from collections import Counter

    from flashpoint.geo.resolve import haversine

    ms = [m for m in ms if not m.landmark]  # (a landmark's town is not the story's place: Champs-Elysees)
    exact = [m.place for m in ms if m.place is not None and m.place.level == 1 and m.match >= 1.0]
    if not exact:
        exact = [m.place for m in ms if m.place is not None and m.place.level == 1]
    if not exact:
        return None
    count = Counter(p.pid for p in exact)
    uniq = {p.pid: p for p in exact}
    ccs = Counter(m.place.country for m in ms if m.place is not None and m.place.country)
    main_cc = ccs.most_common(1)[0][0] if ccs else None
    others = {m.place.pid: m.place for m in ms if m.place is not None and m.place.level < 3}
    best, best_s = None, -1.0
    for pid, p in uniq.items():
        near = sum(1 for o in others.values() if o.pid != pid and haversine(p.lat, p.lon, o.lat, o.lon) <= 100)
        # (ties go to a town of the story's main country, then to the first named)
        sc = count[pid] + near + 0.05 * (p.country == main_cc)
        if sc > best_s:
            best, best_s = p, sc
    return best


NAME_LEAD_WORDS = frozenset({"cape", "mount", "mt", "lake", "port", "fort", "saint", "st", "san", "santa", "new",
                             "point", "bay", "isle", "glen", "upper", "lower", "great", "little", "north", "south",
                             "east", "west", "grand", "royal", "old"})
SITE_WORDS = FACILITY_WORDS | {"embassy", "consulate", "academy", "institute", "office", "headquarters", "theatre",
                               "theater", "arena", "cathedral", "mission"}


def _trailing_place(name: str, focus: Optional[str]):
    """A place written after a facility's head noun names the facility's town ("the British Embassy Tokyo",
    "Robinson College Cambridge", "Hilton Hotel Islamabad"): one to three capitalised words that resolve
    to a populated place, division or country written as in the name."""
    ws = name.replace(",", " ").split()
    heads = [k for k, w in enumerate(ws[:-1]) if w.lower().strip(".") in SITE_WORDS]
    if not heads:
        return None
    rest = ws[heads[-1] + 1:]
    if not rest or len(rest) > 3 or not all(w[:1].isupper() for w in rest) or rest[0].lower() in ("of", "for") \
            or any(w.lower().strip(".") in SITE_WORDS or w.lower() in N.GENERIC for w in rest):
        return None
    sub = " ".join(rest)
    m = Mention(text=sub)
    resolve([m], focus)
    if m.place is None or m.match < 1.0 or m.place.pid not in m.main:
        return None
    from flashpoint.geo.resolve import _surface, prominent

    # (a well-known place: a small namesake is more likely part of the facility's own name)
    ok = _surface(sub) == _surface(m.place.name) and (prominent(m.place) or (m.place.population or 0) >= 50_000)
    return m.place if ok else None


def _embedded_place(name: str, focus: Optional[str]):
    """The well-known place embedded at the start of a multi-word name or after its last "of"/"for"."""
    from flashpoint.geo.recognize import _prominent_name

    ws = name.replace("/", " ").split()
    # a name led by a demonym ("European Commission", "Russian Academy of Sciences") lies in that
    # country / region
    from flashpoint.geo.resolve import demonyms

    dem = demonyms()
    rest = {w.lower().strip(".,") for w in ws[1:]}
    for b in (2, 1):
        lead = " ".join(ws[:b]).lower()
        # (not "French Quarter", "Russian Embassy": named after the country, elsewhere)
        if len(ws) > b and lead in dem and not rest & ABROAD_WORDS:
            m = Mention(text=" ".join(ws[:b]), demonym_country=dem[lead])
            resolve([m], focus)
            if m.place is not None:
                return m.place
    subs = [" ".join(ws[:b]) for b in range(min(3, len(ws) - 1), 0, -1)]
    for k in range(len(ws) - 2, 0, -1):
        if ws[k].lower() in ("of", "for"):
            if not {w.lower().strip(".,") for w in ws[:k]} & ENVOY_WORDS:
                subs.append(" ".join(ws[k + 1:]))
            break
    from rapidfuzz import fuzz

    from flashpoint.geo.resolve import _surface, aliases

    for sub in subs:
        if sub[:1].isupper() and _prominent_name(sub):
            m = Mention(text=sub)
            resolve([m], focus)
            # the place must be written as in the name ("Rue ..." is not Roi Et)
            if m.place is None:
                continue
            a, b = _surface(sub), _surface(m.place.name)
            # (a word that only leads place names is not a place: "Cape Peron" is not Cape Town)
            if sub.lower() in NAME_LEAD_WORDS:
                continue
            if fuzz.ratio(a, b) >= 80 or (len(a) >= 4 and fuzz.partial_ratio(a, b) >= 95) \
                    or sub.lower() in aliases():
                return m.place
    return None


def resolve_name(name: str, country: str | None = None) -> Location | None:
    """Resolve one place name (optionally inside ``country`` ISO2); None when not found."""
    m = Mention(text=name)
    resolve([m], country)
    if m.place is None:
        return None
    return Location(name=name, **place_fields(m.place))


def to_location(t: Toponym, **over) -> Location:
    d = t.model_dump(exclude={"start", "end", "type", "score"})
    d.update(over)
    return Location(**d)


def warm() -> None:
    get_gazetteer()
