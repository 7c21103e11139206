"""Stage ``place``, first half: the places a candidate's own clause names.

Reads the candidate's trigger and sentence, ``doc._.toponyms`` and ``geo.event_locations``; writes
``Cand.location`` (and, for a clause listing several places, one candidate per place: ``_expand_locations``) and
``doc.user_data[doc_keys.DATELINE_ONLY]``. The dateline's city is where the story was filed, and the seat of a
source ("according to the ... ministry in Sanaa") is not an event place. The article-level checks and fallbacks
of the place are in ``flashpoint.events.place``.
"""
from __future__ import annotations

import re

from spacy.tokens import Span as _SpacySpan

from flashpoint.events.candidate import ASSERTED, Cand, _is_coarse
from flashpoint.events.text import _doc_text
from flashpoint.geo import event_locations
from flashpoint.model import Location
from flashpoint.nlp import doc_keys


def _to_location(t) -> Location:
    if isinstance(t, Location) and type(t) is Location:
        return t
    data = t.model_dump() if hasattr(t, "model_dump") else dict(t)
    keep = set(Location.model_fields)
    return Location(**{k: v for k, v in data.items() if k in keep})


def _geo_locations(doc, i: int) -> list[Location]:
    tops = list(event_locations(doc, i, doc._.toponyms))
    rest = _not_dateline(doc, tops)
    if len(rest) > 1:
        # "..., according to the Houthi-run health ministry in Sanaa": the source's seat is not an event place
        sent = doc[i].sent
        src = set()
        for x in sent:
            if x.lower_ == "according" and x.i + 1 < len(doc) and doc[x.i + 1].lower_ == "to":
                src.update((y.idx, y.idx + len(y.text)) for y in x.subtree)
        if src:
            lo_hi = [(a, b) for a, b in src]

            def in_src(tp) -> bool:
                m = next((z for z in (doc._.toponyms or []) if sent.start_char <= z.start < sent.end_char and (
                    (tp.geonameid and z.geonameid == tp.geonameid) or z.name == tp.name)), None)
                return m is not None and any(a <= m.start < b for a, b in lo_hi)

            rest = [tp for tp in rest if not in_src(tp)] or rest
    if len(rest) > 1:
        # "near al-Atarib in western Aleppo countryside": the governorate named as a region contains the village
        text = _doc_text(doc)
        sent = doc[i].sent

        def region(tp) -> bool:
            start, end = getattr(tp, "start", None), getattr(tp, "end", None)
            if end is None:  # a Location: find its mention in the trigger's sentence
                m = next((x for x in (doc._.toponyms or []) if sent.start_char <= x.start < sent.end_char and (
                    (tp.geonameid and x.geonameid == tp.geonameid) or x.name == tp.name)), None)
                start, end = (m.start, m.end) if m is not None else (None, None)
            return end is not None and bool(_REGION_AFTER.match(text[end:end + 30])
                                            or _REGION_BEFORE.search(text[max(0, start - 30):start]))

        inner = [tp for tp in rest if not region(tp)]
        rest = inner or rest
    if tops and _not_dateline(doc, tops + [_NOWHERE]) == [_NOWHERE]:
        # geo only found the dateline city: look for the event's own place in its clause instead (the dateline
        # city stays the answer when the clause names no other place)
        doc.user_data[(doc_keys.DATELINE_ONLY, i)] = [_to_location(x) for x in tops]
        return []
    return [_to_location(x) for x in rest if not _countryless(x)]


def _countryless(tp) -> bool:
    """A resolved place that lies in no one country: a river, a mountain range, a region spanning several
    ("targeting a village controlled by Isis on the eastern banks of the Euphrates river", "the North Caucasus",
    "Kurdish-held"): no event place (the event falls back to the place the headline or lede gives)."""
    return bool(getattr(tp, "feature_code", None)) and not getattr(tp, "country", None)


_REGION_AFTER = re.compile(r"^[\s'’s]*(countryside|province|governorate|region|suburbs|hinterland)\b", re.I)
# "in the town of Ain Jara in rural Aleppo", "in the countryside of Hama": the province named as a region
_REGION_BEFORE = re.compile(r"\b(?:rural|countryside of|suburbs of)\s+$", re.I)


class _Nowhere:
    start, geonameid, name = -2, None, "\x00"


_NOWHERE = _Nowhere()


_DATELINE_RE = re.compile(r"(?m)^[ \t]*([A-Z][A-Z.'\- ]{2,40})(,[^\n()\-\u2013\u2014]{0,40})?[ \t]*(\([^)\n]{1,40}\))?[ \t]*[\-\u2013\u2014:]")


def _dateline_span(doc) -> tuple[int, int]:
    """Char range of the dateline ("KHARTOUM (Wire) -", "MARIB, Yemen, March 3 (AP) --"): its city is where the
    story was filed, not where the event happened."""
    key = (doc_keys.DATELINE, len(doc))
    if key not in doc.user_data:
        text = _doc_text(doc)
        m = _DATELINE_RE.search(text[:1500])
        doc.user_data[key] = (m.start(1), m.end()) if m else (-1, -1)
    return doc.user_data[key]


def _not_dateline(doc, tops: list) -> list:
    """Drop toponyms of the dateline when the event has another place."""
    a, b = _dateline_span(doc)
    if a < 0:
        return tops
    dl = [tp for tp in (doc._.toponyms or []) if a <= tp.start < b]
    if not dl:
        return tops
    ids = {tp.geonameid for tp in dl if tp.geonameid}
    names = {tp.name.lower() for tp in dl}

    def in_dateline(tp) -> bool:
        st = getattr(tp, "start", None)
        if st is not None:
            return a <= st < b
        return bool(tp.geonameid and tp.geonameid in ids) or tp.name.lower() in names

    rest = [tp for tp in tops if not in_dateline(tp)]
    return rest if rest else tops


def _verbal_head(t):
    cur = t
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return cur


def _locations(doc, c: Cand) -> list[Location]:
    """Places of the event: geo's event_locations for the trigger (or, for a noun, its verb), else the
    nearest literal toponym in the trigger's clause, else spaCy place entities of the sentence."""
    t = c.trig
    locs = _geo_locations(doc, t.i)
    if not locs and t.pos_ not in ("VERB", "AUX"):
        v = _verbal_head(t)
        if v.i != t.i:
            locs = _geo_locations(doc, v.i)
    if locs:
        return [_finer(doc, c, x) for x in locs]
    dl = doc.user_data.get((doc_keys.DATELINE_ONLY, t.i))
    if dl:
        return _locations_in_clause(doc, c, locs) or dl
    return _locations_in_clause(doc, c, locs)


def _locations_in_clause(doc, c: Cand, locs) -> list[Location]:
    t = c.trig
    sent = c.sent
    tops = [tp for tp in (doc._.toponyms or []) if sent.start_char <= tp.start < sent.end_char
            and getattr(tp, "type", "literal") == "literal" and not _countryless(tp)]
    tops = _not_dateline(doc, tops)
    if tops:
        v = _verbal_head(t)
        clause = {x.idx for x in v.subtree} if locs is not None else set()
        near = [tp for tp in tops if any(tp.start <= k < tp.end for k in clause)] or (tops if locs is None else [])
        fine = [tp for tp in near if not (tp.feature_code or "").startswith("PCL")] or near
        if fine:
            best = min(fine, key=lambda tp: abs(tp.start - t.idx))
            return [_to_location(best)]
        return []
    if locs is not None:
        return []
    ents = _span_ents(sent, ("GPE", "LOC", "FAC"))
    if ents:
        best = min(ents, key=lambda e: abs(e.start - t.i))
        group = [best]
        conj_heads = {x.i for x in best.root.conjuncts}
        for e in ents:
            if e is not best and e.root.i in conj_heads:
                group.append(e)
        return [Location(name=e.text) for e in sorted(group, key=lambda e: e.start)]
    return []


def _finer(doc, c: Cand, loc: Location) -> Location:
    """'the town of al Eis south-west Aleppo', 'X near Aleppo': prefer the village named just before the city."""
    if (loc.geo_precision or 1) < 2 and not (loc.feature_code or "").startswith(("PPLA", "PPLC", "ADM")):
        return loc
    sent = c.sent
    tops = [tp for tp in (doc._.toponyms or []) if sent.start_char <= tp.start < sent.end_char
            and getattr(tp, "type", "literal") == "literal"]
    for tp in tops:
        if (tp.geonameid and tp.geonameid == loc.geonameid) or tp.name == loc.name:
            for f in tops:
                if f.end <= tp.start and tp.start - f.end <= 30 and f.lat is not None and \
                        (f.geo_precision or 1) == 1 and (f.feature_code or "PPL").startswith("PPL") and \
                        not re.search(r"[,;.]|\b(and|or|to|from)\b", _doc_text(doc)[f.end:tp.start]):
                    return _to_location(f).model_copy(update={"anchor": loc.name})
    return loc


_ANAPHORIC_PLACE = re.compile(r"\b(the|this|that) (town|village|city|area|district|neighbou?rhood|suburb|region|"
                              r"countryside|locality|hamlet|camp|base|airport)\b|\bthere\b", re.I)


# "he told a news conference in Idlib": where a speaker speaks is no event's place
SPEAKER_VENUES = {"conference", "briefing", "meeting", "interview", "statement", "tell", "say", "speak", "address"}


def _speaker_venue(doc, tp) -> bool:
    """Is the toponym the object of "in" after a speech verb or a venue of speech ("told a news conference in X")?"""
    sp = doc.char_span(tp.start, tp.end, alignment_mode="expand")
    if sp is None or not len(sp):
        return False
    prep = sp.root.head
    return sp.root.dep_ == "pobj" and prep.lower_ == "in" and prep.head.lemma_.lower() in SPEAKER_VENUES


def _last_town_before(doc, pos: int) -> Location | None:
    """The last town or village named before ``pos`` ("in the area", "the town"), not a speaker's venue."""
    best = None
    for tp in doc._.toponyms or []:
        if tp.end <= pos and getattr(tp, "type", "literal") == "literal" and tp.lat is not None and \
                (tp.feature_code or "PPL").startswith("PPL") and (tp.geo_precision or 1) <= 2 and \
                not _speaker_venue(doc, tp):
            if best is None or tp.start > best.start:
                best = tp
    return _to_location(best) if best is not None else None


def _expand_locations(doc, cands: list[Cand]) -> list[Cand]:
    """One candidate per place: a list of villages gives one event each."""
    out = []
    for c in cands:
        locs = _locations(doc, c)
        if len(locs) > 1:
            # a province/region next to places inside it is their container, not another event place
            fine = [x for x in locs if not _is_coarse(x)]
            # ... but a district listed with the villages is one of them ("seized the villages of Tal Rifaat, Marea
            # and Azaz in northern Aleppo": Azaz reads as its district)
            fine += [x for x in locs if _is_coarse(x) and x not in fine and _listed_with(c.sent, x, fine)]
            # a country next to a province/city in it ("in Raqqa, Syria") is their container as well
            sub = [x for x in locs if not (x.feature_code or "").upper().startswith("PCL")]
            if not fine and not sub and len({x.country for x in locs}) > 1 and c.status in ASSERTED:
                # "IS has targeted oil and gas facilities in Iraq and Syria as it seeks funds": what a group does
                # in several countries is a statement about it, not one incident
                continue
            locs = fine or sub or locs
        if len(locs) <= 1:
            c.location = locs[0] if locs else None
            out.append(c)
            continue
        for loc in locs:
            cc = Cand(**{k: getattr(c, k) for k in c.__dataclass_fields__})
            cc.fat = dict(c.fat)
            cc.assoc1 = list(c.assoc1)
            cc.mentions, cc.tolls = list(c.mentions), list(c.tolls)
            cc.location = loc
            out.append(cc)
    return out


def _name_token(sent, loc: Location):
    """The head token of the first mention of ``loc``'s name in the sentence, or None."""
    i = sent.text.find(loc.name)
    if i < 0:
        return None
    sp = sent.char_span(i, i + len(loc.name), alignment_mode="expand")
    return sp.root if sp is not None and len(sp) else None


def _listed_with(sent, loc: Location, others: list[Location]) -> bool:
    """Is ``loc`` a conjunct of one of ``others`` in the sentence ("Tal Rifaat, Marea and Azaz")?"""
    t = _name_token(sent, loc)
    if t is None:
        return False
    mates = {x.i for x in t.conjuncts}
    return any((o_t := _name_token(sent, o)) is not None and o_t.i in mates for o in others)


def _ents_by_label(doc, labels: tuple) -> list:
    """(start, end, label) of the doc's entities with one of ``labels``, built once per doc (plain tuples: a
    Span kept in ``doc.user_data`` would make a reference cycle and keep the Doc alive until a full GC)."""
    key = (doc_keys.ENTS_BY_LABEL, len(doc), labels)
    out = doc.user_data.get(key)
    if out is None:
        akey = (doc_keys.ENTS, len(doc))
        ents = doc.user_data.get(akey)
        if ents is None:
            ents = doc.user_data[akey] = [(e.start, e.end, e.label) for e in doc.ents]
        want = {doc.vocab.strings.add(x) for x in labels}
        out = doc.user_data[key] = [x for x in ents if x[2] in want]
    return out


def _span_ents(sp, labels: tuple) -> list:
    """``[e for e in sp.ents if e.label_ in labels]`` without rebuilding every entity span of the doc."""
    s, e = sp.start, sp.end
    doc = sp.doc
    return [_SpacySpan(doc, a, b, label=lab) for a, b, lab in _ents_by_label(doc, labels) if a >= s and b <= e]
