"""Event extraction: triggers (lexicon Matcher) -> roles (dependency parse) -> place, date, status,
fatalities -> within-article deduplication -> ``flashpoint.model.Event`` objects.

Entry point: ``extract_events(doc) -> list[Event]`` on a Doc that went through spaCy's parser (and, when
present, fp_toponyms / fp_actors / fp_claims).
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left
from datetime import date
from functools import lru_cache

from spacy.attrs import IS_SPACE
from spacy.tokens import Span as _SpacySpan

from flashpoint.events import codes, dates, fatalities, incidents, not_events, place, refine, roles, roles_stage
from flashpoint.events.candidate import (ASSERTED, VIOLENT_FRAMES, Cand, _absorb, _actor_compatible, _better,
                                        _generic_vs_named, _is_coarse, _km, _same_place)
from flashpoint.events.classify import get_classifier
from flashpoint.events.lexicon import build_matcher, groups, status_cues
from flashpoint.events.status import historical_phrase, is_aggregate_sentence, status_of
from flashpoint.events.text import _doc_text, _span_text
from flashpoint.geo import event_locations
from flashpoint.model import Event, Location, Span
from flashpoint.nlp import doc_keys
from flashpoint.settings import settings

_HEADLINE_MAX = 220
_DEF_NOUNS = {"town", "village", "city", "area", "district", "region", "neighbourhood", "neighborhood", "province",
              "countryside", "suburb", "outskirts", "base", "airport", "camp", "hill", "locality", "place"}


@lru_cache(maxsize=8)
def _matcher(vocab_id: int, vocab):
    return build_matcher(vocab)


# --------------------------------------------------------------------------------------------- triggers
def find_triggers(doc) -> list[tuple[object, int, int, str]]:
    """Non-overlapping (group, start, end, kind) trigger matches, longest/highest weight first."""
    m = _matcher(id(doc.vocab), doc.vocab)
    gs = groups()
    found = []
    for mid, s, e in m(doc):
        gname, kind = doc.vocab.strings[mid].split("|")
        found.append((gs[gname], s, e, kind))
    found.sort(key=lambda x: (-(x[2] - x[1]), -x[0].weight, x[1]))
    taken: set[int] = set()
    out = []
    for g, s, e, kind in found:
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        out.append((g, s, e, kind))
    out.sort(key=lambda x: x[1])
    return out


def _head_of(doc, s: int, e: int, kind: str):
    span = doc[s:e]
    if kind == "V":
        return doc[s]
    return span.root


def _inside_name(doc, tok) -> bool:
    """The trigger is a non-final word of a multi-word name: "Popular Mobilisation Forces", "Battle Brigade"."""
    cues = status_cues()
    if tok.ent_iob_ in ("B", "I") and tok.ent_type_ in cues.get("name_entity_labels", ()):
        ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
        if ent is not None and len(ent) > 1 and tok.i < ent.end - 1:
            return True
    key = (doc_keys.ACTOR_SPANS, len(doc))
    spans = doc.user_data.get(key)
    if spans is None:
        spans = doc.user_data[key] = [(a.start, a.end) for a in (doc._.actors or [])
                                      if a.start is not None and a.end is not None]
    te = tok.idx + len(tok.text)
    return any(a <= tok.idx and te < b and " " in _doc_text(doc)[a:b] for a, b in spans)


def _skip_trigger(doc, tok, kind, group) -> bool:
    if tok.ent_type_ in status_cues().get("date_entity_labels", ()):
        return True  # "in March", "on the day of the strike"
    if _inside_name(doc, tok):
        return True
    # "rebel-held", "regime-controlled": a state of control, not an event
    if tok.i >= 1 and doc[tok.i - 1].text == "-" and kind == "V":
        return True
    if tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-" and tok.dep_ in ("compound", "amod", "npadvmod"):
        return True
    if kind == "V" and tok.dep_ in ("amod", "compound") and tok.tag_ in ("VBN", "VBG", "JJ"):
        return True  # "the besieged towns", "intensified assault"
    if kind in ("N", "A") and tok.pos_ in ("VERB",) and tok.dep_ in ("amod",):
        return True
    low = tok.lower_
    # "a rocket launching site", "mortar positions", "drone factory": the weapon names the target, not an event
    if kind == "N" and group.frame == "remote" and tok.dep_ in ("compound", "nmod", "amod", "npadvmod"):
        h = tok.head
        while h.dep_ in ("compound", "amod", "nmod") and h.head.i != h.i and h.i < h.head.i:
            h = h.head
        if h.lower_ in status_cues().get("weapon_target_heads", ()):
            return True
    # "executed 40 gunmen", "a sniper was killed": a perpetrator noun that is the victim is no event of its own
    if kind == "N" and tok.lemma_.lower() in ("gunman", "gunmen", "sniper", "bomber", "attacker"):
        arg = tok
        while arg.dep_ == "conj" and arg.head.i != arg.i:  # "sends weapons and gunmen to ..."
            arg = arg.head
        if arg.dep_ in ("dobj", "nsubjpass") or (arg.dep_ == "pobj" and arg.head.lower_ not in ("by", "from")):
            return True
    if group.name == "kill" and low in ("body", "bodies") and not any(
            w in tok.sent.text.lower() for w in ("found", "recovered", "pulled")):
        return True
    if group.name in ("advance", "attack") and low in ("push", "operation", "strike", "hit", "target") and tok.pos_ == "NOUN":
        # weak nouns need a military context in the same sentence
        if not re.search(r"\b(forces|troops|army|rebels?|militants?|fighters?|military|regime|jets?|warplanes?)\b",
                         tok.sent.text, re.I):
            return True
    if group.name == "territory" and low in ("control", "fall", "enter", "clear") and tok.pos_ == "NOUN":
        return True
    if group.name == "territory" and tok.lemma_ == "control" and any(c.lower_ == "under" for c in tok.ancestors):
        return True
    if group.name == "clash" and tok.lemma_ == "engage" and not any(
            c.lower_ in ("fighting", "clashes", "battle", "battles", "combat") for c in tok.subtree):
        return True
    return False


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
            end = getattr(tp, "end", None)
            if end is None:  # a Location: find its mention in the trigger's sentence
                m = next((x for x in (doc._.toponyms or []) if sent.start_char <= x.start < sent.end_char and (
                    (tp.geonameid and x.geonameid == tp.geonameid) or x.name == tp.name)), None)
                end = m.end if m is not None else None
            return end is not None and bool(_REGION_AFTER.match(text[end:end + 30]))

        inner = [tp for tp in rest if not region(tp)]
        rest = inner or rest
    if tops and _not_dateline(doc, tops + [_NOWHERE]) == [_NOWHERE]:
        # geo only found the dateline city: look for the event's own place in its clause instead (the dateline
        # city stays the answer when the clause names no other place)
        doc.user_data[(doc_keys.DATELINE_ONLY, i)] = [_to_location(x) for x in tops]
        return []
    return [_to_location(x) for x in rest]


_REGION_AFTER = re.compile(r"^[\s'’s]*(countryside|province|governorate|region|suburbs|hinterland)\b", re.I)


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
            and getattr(tp, "type", "literal") == "literal"]
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


_MONTH_RE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.I)

_ANAPHORIC_PLACE = re.compile(r"\b(the|this|that) (town|village|city|area|district|neighbou?rhood|suburb|region|"
                              r"countryside|locality|hamlet|camp|base|airport)\b|\bthere\b", re.I)


def _last_town_before(doc, pos: int) -> Location | None:
    best = None
    for tp in doc._.toponyms or []:
        if tp.end <= pos and getattr(tp, "type", "literal") == "literal" and tp.lat is not None and \
                (tp.feature_code or "PPL").startswith("PPL") and (tp.geo_precision or 1) <= 2:
            if best is None or tp.start > best.start:
                best = tp
    return _to_location(best) if best is not None else None


# --------------------------------------------------------------------------------------------- dates
def _date_for(doc, c: Cand, default: tuple[date | None, int]) -> None:
    t = c.trig
    pub = default[0]
    ents = _span_ents(c.sent, ("DATE",))
    chosen = None
    sub = set(x.i for x in t.subtree)
    verb = t
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.dep_ != "relcl":
        verb = verb.head
    vsub = set(x.i for x in verb.subtree)
    # dates inside nested relative clauses belong to those clauses
    def nested(e, root):
        x = e.root
        while x.i != root.i and x.head.i != x.i:
            if x.dep_ in ("relcl", "acl") and x.i != t.i and x.i != verb.i:
                return True
            x = x.head
        return False
    # a durations ("a three-day conflict") is a DATE entity that resolves to nothing: try the next date
    for pool, root in ((sub, t), (vsub, verb)):
        found = [(e, r) for e in ents if e.root.i in pool and not nested(e, root)
                 and (r := _informative(e.text, pub)) is not None and not _dateline(e, r, pub)]
        chosen = _clause_date(found)
        if chosen is not None:
            break
    if chosen is None:
        # "On Tuesday 11 people ... were killed in regime shelling on the town of Jisreen": the sentence's one
        # date, not counting a DATE entity that is no date ("Jisreen")
        main = [(e, r) for e in ents if not nested(e, c.sent.root) and (r := _informative(e.text, pub))
                and not _dateline(e, r, pub)]
        if len(main) > 1:
            main = [x for x in main if x[0].start_char >= DATELINE_CHARS]
        if len(main) == 1 and t.dep_ not in ("relcl",):
            chosen = main[0]
    if chosen is not None:
        e, r = chosen
        c.date, c.precision, c.date_explicit = r[0], r[1], True
        c.fat["_date_text"] = e.text
        return
    c.date, c.precision = default


DATELINE_CHARS = 60  # a date this close to the article's start is its dateline


def _dateline(ent, r: tuple, pub) -> bool:
    """"24 November 2016 US-led coalition airstrikes kill at least ten civilians in Raqqa": the article's own date
    printed at its start dates the page, not the event (which keeps the article's date, not as a date of its own)."""
    return ent.start_char < DATELINE_CHARS and r[0] == pub


def _clause_date(found: list) -> tuple | None:
    """The clause's date among its DATE entities (entity, (date, precision)): not the dateline when the clause
    has another ("28.05.2017(updated 1549 28.05.2017) ... An airstrike carried out by the US-led coalition on
    Saturday in Raqqa", flattened into one sentence), else the first of the finest precision."""
    if len(found) > 1:
        found = [x for x in found if x[0].start_char >= DATELINE_CHARS] or found
    if not found:
        return None
    best = min(r[1] for _, r in found)
    return next(x for x in found if x[1][1] == best)


_BARE_YEAR = re.compile(r"\W*(?:in\s+)?\d{4}\W*", re.I)


def _informative(text: str, pub):
    """The date a DATE entity gives, unless it says less than the article's own date: a bare year of the
    article's year ("Wed 05 Apr 2017 Syria attack symptoms ...", where spaCy tags only "2017";
    "28.05.2017(updated 1549 28.05.2017)") would date the event 1 January at year precision."""
    r = dates.resolve(text, pub)
    if r is not None and pub is not None and r[0].year == pub.year and _BARE_YEAR.fullmatch(text):
        return None
    return r


# --------------------------------------------------------------------------------------------- main
def _article_default_date(doc) -> tuple[date | None, int]:
    """The article's printed date, else its publication date: the anchor of relative dates and the date of
    events without one; a disagreement or no date at all is reported in the Report's errors."""
    art = doc._.article
    text = art.text if art is not None else doc.text
    pub = getattr(art, "published", None) if art is not None else None
    day, precision, warnings = dates.article_date(text, pub, getattr(art, "title", None))
    if warnings:
        aid = getattr(art, "id", "doc")
        doc._.errors = list(doc._.errors or []) + [f"{aid}: warning: {w}" for w in warnings]
    return day, precision


def _is_headline(doc, sent) -> bool:
    txt = _span_text(sent).strip()
    if sent.start_char > 600:
        return False
    return len(txt) < _HEADLINE_MAX and not txt.endswith((".", "\"", "”")) or sent.start_char == 0


def _sentences(doc):
    """spaCy sentences, further split at line breaks (headlines and captions have no final period)."""
    breaks = [i for i in _space_tokens(doc) if "\n" in doc[i].text]
    for sent in doc.sents:
        start = sent.start
        for i in breaks[bisect_left(breaks, sent.start):bisect_left(breaks, sent.end)]:
            if i > start:
                yield doc[start:i]
                start = i + 1
        if start < sent.end:
            yield doc[start:sent.end]


def _space_tokens(doc) -> list[int]:
    """Indices of the whitespace tokens of the doc, in order."""
    arr = doc.to_array([IS_SPACE])
    return [int(i) for i in arr.nonzero()[0]]


def _attribution_name(doc, tok) -> tuple[str | None, bool]:
    """(name of the claimant, is it a party to the conflict?)."""
    if tok is None:
        return None, False
    a = roles.actor_for_token(doc, tok)
    if a is not None:
        party = a.inter is None or a.inter in (1, 2, 3, 4, 8)
        if a.inter is None and not re.search(r"\b(forces|army|regime|rebels?|front|militants?|fighters?|group|"
                                             r"state|militia|government|troops|ministry|coalition)\b",
                                             f"{a.name} {a.canonical or ''}", re.I):
            party = False
        return roles.name_of(a), party
    toks = roles.np_tokens(tok)
    txt = " ".join(x.text for x in toks)
    return txt, bool(re.search(r"\b(rebels?|forces|army|regime|militants?|fighters?)\b", txt, re.I))


def _historical_status(c: Cand, pub: date | None, cues: dict, stext: str) -> None:
    """An asserted event dated long before publication, or told with "last year", "in the past" in the trigger's
    own clause, is historical."""
    t = c.trig
    if c.status in ("reported", "claimed") and pub is not None and c.date is not None and c.date_explicit:
        age = (pub - c.date).days
        month_or_day = _MONTH_RE.search(c.fat.get("_date_text") or "")
        if (age >= cues.get("historical_min_days", 180) and c.precision == 3) or (
                month_or_day and c.precision == 3 and age >= cues.get("historical_min_days_month", 45)) or (
                month_or_day and c.precision == 1 and age >= cues.get("historical_min_days_day", 45)):
            c.status = "historical"
    if c.status in ("reported", "claimed") and historical_phrase(stext) and c.group.frame in VIOLENT_FRAMES:
        # "last year", "in the past" in the trigger's own clause
        low = " ".join(x.text for x in t.subtree).lower() if t.pos_ in ("VERB", "AUX") else stext.lower()
        if historical_phrase(low):
            c.status = "historical"


# The work budget of one article (issue #12 H7). Every per-trigger rule reads the dependency tree around its
# trigger (subtree, ancestors, the children of a head), so a sentence of n triggers costs n times its own length,
# and a deep chain of clauses more: "killed " x 4,000 took 152 s. Prose stays far below these limits (the dev sets'
# maxima are in docs/PERFORMANCE.md); past them the triggers are not examined and the report says so.
MAX_TRIGGERS_PER_SENTENCE = 40  # the first ones of a sentence are examined
MAX_TRIGGERS_PER_ARTICLE = 600  # then the article's later sentences are not
MAX_EVENT_SENTENCE_TOKENS = 1_000  # a longer "sentence" (a list, a table, a run of quotes) is not examined


def _triggers_by_sentence(doc, sents: list, trigs: list) -> list[tuple[object, list]]:
    """(sentence, its triggers in order) for each sentence, within the budget above; a warning in the doc's errors
    for each limit that was hit."""
    starts = [sent.start for sent in sents]
    per: list[list] = [[] for _ in sents]
    for tr in trigs:
        k = bisect_left(starts, tr[1] + 1) - 1
        if k >= 0 and tr[1] < sents[k].end:
            per[k].append(tr)
    out, budget, hit = [], MAX_TRIGGERS_PER_ARTICLE, {"sentence": 0, "long": 0, "article": 0}
    for sent, strigs in zip(sents, per):
        if strigs and len(sent) > MAX_EVENT_SENTENCE_TOKENS:
            hit["long"] += 1
            strigs = []
        if len(strigs) > MAX_TRIGGERS_PER_SENTENCE:
            hit["sentence"] += 1
            strigs = strigs[:MAX_TRIGGERS_PER_SENTENCE]
        if len(strigs) > budget:
            hit["article"] += len(strigs) - budget
            strigs = strigs[:budget]
        budget -= len(strigs)
        out.append((sent, strigs))
    _budget_warnings(doc, hit)
    return out


def _budget_warnings(doc, hit: dict[str, int]) -> None:
    art = doc._.article
    aid = getattr(art, "id", "doc") if art is not None else "doc"
    msgs = []
    if hit["long"]:
        msgs.append(f"{hit['long']} sentence(s) over {MAX_EVENT_SENTENCE_TOKENS} tokens: their event triggers were "
                    "not examined")
    if hit["sentence"]:
        msgs.append(f"{hit['sentence']} sentence(s) with over {MAX_TRIGGERS_PER_SENTENCE} event triggers: only the "
                    f"first {MAX_TRIGGERS_PER_SENTENCE} of each were examined")
    if hit["article"]:
        msgs.append(f"{hit['article']} event trigger(s) past the article's budget of {MAX_TRIGGERS_PER_ARTICLE} "
                    "were not examined")
    if msgs:
        doc._.errors = list(doc._.errors or []) + [f"{aid}: warning: {m}" for m in msgs]


def extract_candidates(doc) -> list[Cand]:
    default = _article_default_date(doc)
    pub = default[0]
    cands: list[Cand] = []
    trig_by_tok: dict[int, Cand] = {}
    order = 0
    sents = list(_sentences(doc))
    trigs = find_triggers(doc)
    doc.user_data[doc_keys.TRIGGER_TOKENS] = {_head_of(doc, s, e, k).i for _, s, e, k in trigs}
    cues = status_cues()
    cas_cache: dict[int, dict] = {}
    for sent, strigs in _triggers_by_sentence(doc, sents, trigs):
        stext = _span_text(sent)
        if not stext.strip():
            continue
        aggregate = is_aggregate_sentence(stext)
        headline = _is_headline(doc, sent)
        for g, s, e, kind in strigs:
            t = _head_of(doc, s, e, kind)
            if _skip_trigger(doc, t, kind, g):
                continue
            if aggregate and g.frame in ("violence",):
                continue
            c = Cand(group=g, trig=t, start=s, end=e, sent=sent, headline=headline, order=order)
            order += 1
            st = status_of(t)
            if st.drop:
                continue
            c.status = st.status
            if st.attribution_token is not None:
                name, party = _attribution_name(doc, st.attribution_token)
                if st.status == "claimed" and st.reason == "" and not party and \
                        st.attribution_token.head.head.lower_ == "according":
                    c.status = "reported"
                c.attribution = name
            roles_stage.assign_roles(doc, c, kind)
            _date_for(doc, c, default)
            _historical_status(c, pub, cues, stext)
            if aggregate and c.status in ("reported", "claimed"):
                continue
            if sent.start not in cas_cache:
                cas_cache[sent.start] = fatalities.summarise(fatalities.casualties(sent))
            c.fat.update(cas_cache[sent.start])
            if c.fat.get("fatalities") is not None:
                c.tolls.append(c.fat["fatalities"])
            cands.append(c)
            trig_by_tok[t.i] = c
    # noun triggers whose governing subject is another trigger ("The offensives ... have made gains")
    for c in cands:
        if c.actor1 is None:
            h = c.trig.head
            s = roles.child(h, "nsubj") if h.pos_ in ("VERB", "AUX") else None
            if s is not None and s.i in trig_by_tok and trig_by_tok[s.i] is not c:
                c.actor1 = trig_by_tok[s.i].actor1 if trig_by_tok[s.i].actor1 else None
                c.fat["_linked"] = s.i
    return cands


_ANAPHORIC_ATTACK = {"attack", "strike", "raid", "bombing", "assault", "incident", "explosion", "blast", "massacre",
                     "killing", "death", "toll", "casualty"}


def _discourse(cands: list[Cand], doc) -> None:
    """Fill missing actor1 / location from the discourse (anaphora, 'the offensives', 'in the area')."""
    prev: list[Cand] = []
    for c in cands:
        # "the attack killed 16 people" after "a suicide car bomb exploded ...": same event, specific type
        if c.group.name in ("attack", "kill", "violence") and c.trig.lemma_.lower() in _ANAPHORIC_ATTACK and any(
                x.dep_ in ("det", "poss") and x.lower_ in ("the", "this", "that", "these", "its", "their") for x in c.trig.children):
            spec = [p for p in prev if p.group.frame in ("remote",) and p.group.weight >= 4
                    and p.status not in ("hypothetical", "historical") and p.sent.start != c.sent.start]
            if spec:
                src = spec[-1]
                c.group = src.group
                if c.actor1 is None:
                    c.actor1 = src.actor1
                    c.assoc1 = list(src.assoc1)
                if c.location is None:
                    c.location = src.location
                    c.loc_inherited = True
        # "The missile fell a few hundred metres from the tents", "the drones had targeted ...": a definite weapon
        # noun restating an earlier event's weapon is that event (its actor, place and day)
        if c.group.frame == "remote" and c.trig.pos_ in ("NOUN", "PROPN") and any(
                x.dep_ == "det" and x.lower_ in ("the", "this", "that", "these", "those") for x in c.trig.children):
            lem = c.trig.lemma_.lower()
            ante = [p for p in prev if p.trig.lemma_.lower() == lem and p.sent.start != c.sent.start
                    and not p.headline and p.status in ("reported", "claimed")
                    and 0 <= c.sent.start - p.sent.end < 120 and (c.actor1 is None or p.actor1 is None or
                                                                   roles.name_of(p.actor1) == roles.name_of(c.actor1))]
            if ante:
                src = ante[-1]
                if c.actor1 is None:
                    c.actor1, c.assoc1 = src.actor1, list(src.assoc1)
                if src.location is not None:
                    c.location, c.loc_inherited = src.location, False
                c.date, c.precision = src.date, src.precision
        if c.actor1 is None and c.group.frame in VIOLENT_FRAMES and c.trig.pos_ in ("NOUN", "PROPN"):
            lem = c.trig.lemma_.lower()
            same = [p for p in prev if p.actor1 is not None and p.trig.lemma_.lower() == lem
                    and p.sent.start != c.sent.start]
            definite = any(x.dep_ == "det" and x.lower_ in ("the", "this", "these", "those") for x in c.trig.children)
            if same and definite:
                c.actor1 = same[-1].actor1
                if c.actor2 is None:
                    c.actor2 = same[-1].actor2
                if not c.assoc1:
                    c.assoc1 = list(same[-1].assoc1)
        if c.location is None and c.group.frame in VIOLENT_FRAMES | {"property", "abduction", "arrest"}:
            # 1. another event of the same sentence; 2. "the town", "in the area" -> the last town named;
            # 3. the most recent place of an earlier event nearby
            same = [p for p in prev if p.location is not None and p.sent.start == c.sent.start]
            clause = " ".join(x.text for x in _verbal_head(c.trig).subtree)
            if same:
                c.location, c.loc_inherited = same[-1].location, True
            elif _ANAPHORIC_PLACE.search(clause) and _last_town_before(doc, c.sent.start_char) is not None:
                c.location, c.loc_inherited = _last_town_before(doc, c.sent.start_char), True
            else:
                recent = [p for p in prev if p.location is not None and not p.headline
                          and 0 <= c.sent.start - p.sent.end < 120]
                if recent:
                    c.location = recent[-1].location
                    c.loc_inherited = True
        prev.append(c)


def _link_subjects(cands: list[Cand]) -> None:
    """'The offensives ... have made gains': a trigger whose subject is another trigger shares its actor."""
    by_tok = {c.trig.i: c for c in cands}
    for c in cands:
        if c.actor1 is None:
            h = c.trig.head
            s = roles.child(h, "nsubj") if h.pos_ in ("VERB", "AUX") else None
            if s is not None and s.i in by_tok and by_tok[s.i] is not c and by_tok[s.i].actor1 is not None:
                o = by_tok[s.i]
                c.actor1, c.actor2 = o.actor1, c.actor2 or o.actor2
                c.assoc1 = c.assoc1 or list(o.assoc1)


def _resolve_subtype(c: Cand) -> None:
    g = c.group
    st = g.sub_event_type
    cameo = g.cameo
    if st == "@territory":
        st = codes.TERRITORY_STATE if roles.is_state(c.actor1) else codes.TERRITORY_NONSTATE
        if c.actor1 is None:
            st = "Armed clash"
            cameo = "190"
    civ = bool(c.fat.get("_civ_target"))
    if g.name == "ied" and c.trig.lemma_.lower() in ("bombing", "bomb") and (
            (c.actor1 is not None and (roles.is_state(c.actor1) or c.actor1.inter == 8)) or
            (c.actor1 is None and c.trig.lemma_.lower() == "bombing" and c.start == c.end - 1)):
        # "regime bombing", "Russian bombing": states bomb from the air
        st, cameo = "Air/drone strike", "195"
    elif g.name == "attack" and c.trig.lemma_.lower() in ("strike", "raid") and c.trig.pos_ == "NOUN" and (
            (c.actor1 is not None and (roles.is_state(c.actor1) or (c.actor1.inter == 8))) or
            (c.actor1 is None and c.trig.lemma_.lower() == "strike" and c.trig.dep_ in ("nsubj", "nsubjpass"))):
        # "Russian strikes", "coalition raids": states strike from the air
        st, cameo = "Air/drone strike", "195"
    elif g.frame == "clash" and civ and c.actor1 is not None:
        st, cameo = "Attack", "180"
    if g.frame == "violence" and st == "Attack" and c.actor2 is not None and not roles.is_civilian(c.actor2) \
            and not civ and c.actor1 is not None:
        st, cameo = "Armed clash", "190"
    c.sub_event_type, c.cameo = st, cameo


def _merge_key_compatible(a: Cand, b: Cand) -> bool:
    ea, _ = codes.acled_types(a.sub_event_type)
    eb, _ = codes.acled_types(b.sub_event_type)
    if ea != eb:
        return False
    if (a.status == "historical") != (b.status == "historical") or (a.status == "hypothetical") != (b.status == "hypothetical"):
        return False
    na, nb = roles.name_of(a.actor1), roles.name_of(b.actor1)
    if na and nb and na != nb and not _generic_vs_named(a.actor1, b.actor1):
        return False
    if a.date_explicit and b.date_explicit and a.date != b.date:
        return False
    if _same_place(a.location, b.location):
        return True
    if a.location is None or b.location is None:
        return a.sent.start == b.sent.start or a.headline or b.headline
    if _is_coarse(a.location) or _is_coarse(b.location):
        d = _km(a.location, b.location)
        if d is None:
            ca = (a.location.admin1 or "").lower()
            cb = (b.location.admin1 or "").lower()
            return bool(ca) and ca == cb
        return d < 80
    return False


def _fold_outcome_words(cands: list[Cand]) -> list[Cand]:
    """Generic outcome words ("killed", "dead") fold into a specific event of the same sentence; a means-less
    attack verb into the weapon or means of its sentence."""
    out: list[Cand] = []
    by_sent: dict[int, list[Cand]] = {}
    for c in cands:
        by_sent.setdefault(c.sent.start, []).append(c)
    for _, cs in sorted(by_sent.items()):
        specific = [c for c in cs if not c.group.generic and c.status not in ("hypothetical",)]
        # (not a weapon word naming the target: "killing 30 pro-regime gunmen", "hit poison gas supplies")
        means = [c for c in specific if (c.group.frame == "remote" or (
            c.group.frame == "violence" and c.group.weight >= 3 and c.group.cause not in ("unknown", None)))
            and c.trig.dep_ != "compound" and not (c.trig.dep_ in ("dobj", "pobj", "nsubjpass") and
                                                    c.trig.lemma_.lower() in ("gunman", "sniper", "gunmen"))]
        for c in cs:
            if c.group.generic and specific:
                tgt = min(specific, key=lambda s: abs(s.trig.i - c.trig.i))
                _absorb(tgt, c)
                continue
            # a means-less attack verb ("jets struck", "hit") with a weapon/means trigger in the same sentence
            # ("air strike", "shelling", "drone") is that event
            if c.group.frame == "clash" and c.group.weight <= 1 and means and \
                    c.status not in ("hypothetical", "historical", "denied"):
                tgt = min(means, key=lambda s: abs(s.trig.i - c.trig.i))
                _absorb(tgt, c)
                if c.status == "claimed" and tgt.status == "reported":
                    tgt.status, tgt.attribution = "claimed", c.attribution
                if tgt.group.frame == "violence" and c.actor2 is not None and tgt.actor2 is None:
                    tgt.actor2 = c.actor2
                continue
            out.append(c)
    return out


def _merge_restatements(out: list[Cand]) -> list[Cand]:
    """The same event mentioned twice (same sentence, headline, lede and body)."""
    final: list[Cand] = []
    for c in out:
        merged = False
        for k, f in enumerate(final):
            if not _merge_key_compatible(f, c):
                continue
            same_sent = f.sent.start == c.sent.start
            head = f.headline or c.headline
            same_frame = f.group.frame == c.group.frame
            place = _same_place(f.location, c.location)
            if same_sent:
                ok = same_frame and (place or f.location is None or c.location is None)
            elif head:
                ok = same_frame or f.group.name == c.group.name
            else:
                ok = same_frame and place and not (f.loc_inherited and c.loc_inherited) and \
                    f.group.name == c.group.name
            if not ok:
                continue
            # ("some 80 people were killed ... in a chemical weapon attack" with "the army did not have chemical
            # weapons": a denial beside the report does not unmake the reported incident, which keeps its evidence)
            told = [x for x in (f, c) if x.status in ASSERTED]
            best = told[0] if len(told) == 1 else _better(f, c)
            other = c if best is f else f
            _absorb(best, other)
            if best.status != other.status and "claimed" in (best.status, other.status) and \
                    "reported" in (best.status, other.status):
                best.status = "reported"
            final[k] = best
            merged = True
            break
        if not merged:
            final.append(c)
    return final


def _fold_restated_toll(final: list[Cand]) -> list[Cand]:
    """An actorless outcome ("More than 100 terrorists killed in ...") restated with its cause in the next sentence
    with the same toll ("... have been killed in air and ground operations by the army") is that event."""
    out3: list[Cand] = []
    for k, c in enumerate(final):
        n = c.fat.get("fatalities")
        if c.group.generic and c.actor1 is None and n and c.status in ("reported", "claimed"):
            tgt = next((f for f in final[k + 1:k + 4] if not f.group.generic and f.group.frame in VIOLENT_FRAMES
                        and f.fat.get("fatalities") == n and f.status in ("reported", "claimed")
                        and not (c.actor2 is not None and roles.name_of(c.actor2) == roles.name_of(f.actor1))
                        and 0 <= f.sent.start - c.sent.end < 60), None)
            if tgt is not None:
                _absorb(tgt, c)
                continue
        out3.append(c)
    return out3


def dedupe(cands: list[Cand]) -> list[Cand]:
    """Within-article deduplication: outcome words into their event, restatements merged, restated tolls folded."""
    return _fold_restated_toll(_merge_restatements(_fold_outcome_words(cands)))


_GROUND_PAIR = {"Attack", "Armed clash"}


def _incident_compatible(a: Cand, b: Cand) -> bool:
    """Two asserted mentions of one incident: same place and date, compatible actors and types (an attack on
    civilians and a clash at the same place and day are one incident told twice; an air strike is not a clash)."""
    if a.status not in ("reported", "claimed") or b.status not in ("reported", "claimed"):
        return False
    if any(x.group.name == "siege" and _durative(x.trig) for x in (a, b)):
        return False  # "have been besieged for three years": a continuing situation, not one incident
    if a.sub_event_type != b.sub_event_type and {a.sub_event_type, b.sub_event_type} != _GROUND_PAIR:
        return False
    if a.location is None or b.location is None or not _same_place(a.location, b.location):
        return False
    if a.date is None or b.date is None or a.date != b.date:
        return False
    if not (_actor_compatible(a.actor1, b.actor1) or _generic_vs_named(a.actor1, b.actor1)):
        return False
    na2, nb2 = roles.name_of(a.actor2), roles.name_of(b.actor2)
    na1, nb1 = roles.name_of(a.actor1), roles.name_of(b.actor1)
    if (na1 and na1 == nb2) or (nb1 and nb1 == na2):
        return False  # the victims of one are the attackers of the other: two events
    return not (na2 and nb2 and na2 != nb2 and not _generic_vs_named(a.actor2, b.actor2)
                and not (roles.is_civilian(a.actor2) or roles.is_civilian(b.actor2)))


def _durative(t) -> bool:
    """Perfect aspect or a duration on the trigger ("have been besieged for three years", "under siege since")."""
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have" for c in t.children) or any(
        c.dep_ == "prep" and c.lower_ in ("for", "since") for c in t.children)


def merge_incidents(cands: list[Cand]) -> list[Cand]:
    """One event per incident within an article: asserted mentions at the same place on the same day with compatible
    actors and types ("Gunmen surrounded the village ... and shot residents" after "Jihadists killed 40 in an attack on
    the village of X") are folded into the better-evidenced one."""
    out: list[Cand] = []
    for c in cands:
        host = next((f for f in out if _incident_compatible(f, c)), None)
        if host is None:
            out.append(c)
            continue
        best = _better(host, c)
        other = c if best is host else host
        _absorb(best, other)
        if best.status != other.status and "claimed" in (best.status, other.status):
            best.status, best.attribution = "claimed", best.attribution or other.attribution
        if best is c:
            out[out.index(host)] = c
    return out


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


def _lexicon_decides(c: Cand, cands: list[Cand]) -> bool:
    """A generic trigger ("killed") is decided by the lexicon when its sentence also holds a specific trigger
    (a weapon or means: "shelling", "air strike", "bomb", "clashes") -- that candidate carries the sub-type."""
    for o in cands:
        if o is not c and not o.group.generic and o.sent.start == c.sent.start and \
                o.group.frame in VIOLENT_FRAMES:
            return True
    return False


def _classifier_subtypes(cands: list[Cand]) -> None:
    """Tie-break generic triggers ("killed") the lexicon cannot decide with the sentence classifier, when it is
    installed: one batched predict call per doc, one row per distinct undecided sentence.

    Off by default (FA-KES dev, 200 articles: identical location/cause, perpetrator 0.690 vs 0.685, for ~11 ms per
    article of MiniLM embeddings); set FLASHPOINT_EVENT_CLASSIFIER=1 to enable it."""
    if not settings().event_classifier:
        return
    weak = [c for c in cands if c.group.generic and not _lexicon_decides(c, cands)]
    if not weak:
        return
    texts = sorted({c.sent.text for c in weak})
    try:
        clf = get_classifier()
    except FileNotFoundError:  # no trained weights shipped or trained here: keep the lexicon answer
        return
    by_text = dict(zip(texts, clf.predict(texts)))
    preds = [by_text[c.sent.text] for c in weak]
    for c, p in zip(weak, preds):
        st = (p or {}).get("sub_event_type")
        et, _ = codes.acled_types(st)
        if st and et in ("Explosions/Remote violence", "Violence against civilians", "Battles") and \
                st not in (codes.TERRITORY_STATE, codes.TERRITORY_NONSTATE):
            c.sub_event_type = st
            c.cameo = codes.default_cameo(st)
            c.fat["_clf"] = True


def to_events(doc, cands: list[Cand]) -> list[Event]:
    art = doc._.article
    aid = art.id if art is not None else "doc"
    text = _doc_text(doc)
    events = []
    for n, c in enumerate(cands, 1):
        et, dt = codes.acled_types(c.sub_event_type)
        pt, pm = codes.plover_for(c.cameo)
        sent = c.sent
        stext = _span_text(sent)
        lstrip = len(stext) - len(stext.lstrip())
        rstrip = len(stext.rstrip())
        ev_start = sent.start_char + lstrip
        ev_end = sent.start_char + rstrip
        conf = 0.35 + 0.15 * (c.actor1 is not None) + 0.15 * (c.location is not None and not c.loc_inherited) \
            + 0.1 * (not c.group.generic) + 0.05 * (c.date_explicit) + 0.1 * (c.group.weight >= 3)
        if c.status in ("hypothetical", "historical"):
            conf -= 0.1
        fat = c.fat.get("fatalities")
        civ = c.fat.get("civilian_fatalities")
        mentions = [_trimmed_span(text, a, b) for a, b in sorted(set(c.mentions))]
        events.append(Event(
            event_id=f"{aid}-E{n}",
            event_date=c.date.isoformat() if c.date else None,
            time_precision=c.precision,
            event_type=et, sub_event_type=c.sub_event_type, disorder_type=dt,
            cameo_code=c.cameo, plover_type=pt, plover_mode=pm,
            actor1=roles.name_of(c.actor1), assoc_actor_1=[a for a in c.assoc1 if a],
            actor2=roles.name_of(c.actor2), assoc_actor_2=[a for a in c.assoc2 if a],
            location=c.location, fatalities=fat, civilian_fatalities=civ,
            status=c.status, attribution=c.attribution, trigger=c.trigger_text,
            evidence=Span(text=text[ev_start:ev_end], start=ev_start, end=ev_end),
            mentions=[m for m in mentions if m.text],
            confidence=round(max(0.05, min(0.99, conf)), 2),
        ))
    return events


def _trimmed_span(text: str, start: int, end: int) -> Span:
    """The sentence span without its surrounding whitespace."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end = start + len(piece.strip())
    return Span(text=text[start:end], start=start, end=end)


def extract(doc) -> tuple[list[Event], list[Cand]]:
    cands = extract_candidates(doc)
    cands = _expand_locations(doc, cands)
    _discourse(cands, doc)
    _link_subjects(cands)
    for c in cands:
        _resolve_subtype(c)
    cands = refine.refine(doc, cands)
    _classifier_subtypes(cands)
    cands = not_events.filter_not_events(doc, cands)
    place.place_events(doc, cands)
    cands = dedupe(cands)
    cands = merge_incidents(cands)
    cands = incidents.consolidate(doc, cands)
    place.place_unplaced(doc, cands)
    # events in the order of their first mention (a lede restated later keeps the lede's place)
    cands.sort(key=lambda c: c.first)
    return to_events(doc, cands), cands


def extract_events(doc) -> list[Event]:
    return extract(doc)[0]
