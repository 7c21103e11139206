"""Stage ``candidates``: one typed ``Cand`` per event trigger of the article (issue #11 item 6).

Reads the parsed Doc (sentences, dependency parse, entities), the event lexicon's triggers
(``flashpoint.events.lexicon``) and ``doc._.actors``; writes ``doc.user_data[doc_keys.TRIGGER_TOKENS]`` and returns
the candidates in article order. Each candidate gets, as it is made, its status (``status.status_of``, the
attribution "according to X", historical cues), its roles (``roles_stage.assign_roles``), its date
(``event_time._date_for``) and its sentence's casualty counts (``fatalities``). Triggers inside a name ("Popular
Mobilisation Forces") and statistics sentences are skipped; the work per sentence and per article is capped
(``MAX_TRIGGERS_PER_SENTENCE``, ``MAX_TRIGGERS_PER_ARTICLE``, ``MAX_EVENT_SENTENCE_TOKENS``) with a warning in
``doc._.errors``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from functools import lru_cache

from spacy.attrs import IS_SPACE

from flashpoint.events import fatalities, policing, roles, roles_stage
from flashpoint.events.candidate import VIOLENT_FRAMES, Cand
from flashpoint.events.event_time import _article_default_date, _date_for
from flashpoint.events.lexicon import build_matcher, groups, status_cues
from flashpoint.events.status import historical_phrase, is_aggregate_sentence, status_of
from flashpoint.events.text import _doc_text, _span_text
from flashpoint.nlp import doc_keys


_HEADLINE_MAX = 220


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
    if kind == "N" and group.frame == "remote" and _weapon_lost(tok):
        return True
    # "executed 40 gunmen", "a sniper was killed": a perpetrator noun that is the victim is no event of its own
    if kind == "N" and tok.lemma_.lower() in ("gunman", "gunmen", "sniper", "bomber", "attacker"):
        arg = tok
        while arg.dep_ == "conj" and arg.head.i != arg.i:  # "sends weapons and gunmen to ..."
            arg = arg.head
        if arg.dep_ in ("dobj", "nsubjpass") or (arg.dep_ == "pobj" and arg.head.lower_ not in ("by", "from")):
            return True
    if kind == "N" and group.name == "suicide" and _aircraft(tok):
        return True
    if kind == "V" and group.frame == "territory" and _seizes_goods(tok):
        return True  # "a large quantity of explosives was seized from a truck": goods, not territory
    if kind == "N" and group.frame == "remote" and _seized_weapon(tok):
        return True  # "Police recovered a rifle, three grenades and explosives from the house"
    if kind == "V" and tok.tag_ == "VBG" and tok.lemma_.lower() in SURROUNDING_LEMMAS and tok.i + 1 < len(tok.doc) \
            and tok.doc[tok.i + 1].lemma_.lower() in SURROUNDING_PLACES:
        return True  # "in Bara and surrounding areas": nearby places, not an encirclement
    if kind == "V" and group.name == policing.SHOOTING_GROUP and not policing.bare_fire_is_shooting(tok):
        return True  # "he was fired from his job", "troops fired rockets" (the shelling words)
    if kind == "V" and group.frame == "arrest" and not policing.custody_verb_is_arrest(tok):
        return True  # "shopkeepers apprehended trouble", "the meeting was held on Monday"
    if kind == "N" and group.frame == "arrest" and policing.arrest_noun_is_no_arrest(tok):
        return True  # "the arrest warrant was withdrawn", "we will court arrest"
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


# nouns of what befalls weapons a side loses ("confirmed the destruction of four tanks ... and two multiple rocket
# launchers"): the weapons named after them are the target, not the means
WEAPON_LOSS_NOUNS = {"destruction", "seizure", "capture", "confiscation", "dismantling", "loss", "seizing"}


def _weapon_lost(tok) -> bool:
    """The weapon noun is inside the object of a loss noun (through lists and "vehicles armed with ...")."""
    for a in tok.ancestors:
        if a.pos_ == "NOUN" and a.lemma_.lower() in WEAPON_LOSS_NOUNS:
            return True
        if a.pos_ in ("VERB", "AUX") and a.dep_ != "acl":
            return False
    return False


# "Police recovered a Kalashnikov rifle, three grenades, an anti personnel mine and explosives", "a large quantity
# of explosives was seized": weapons found or taken, not used (no explosion)
# (not "stockpiles of chemical weapons were destroyed", "surrendered its cache of chemical weapons": in a story of
# their use those stay mentions of the weapon that merge into its attack)
SEIZURE_VERBS = frozenset({"recover", "seize", "find", "unearth", "confiscate", "defuse"})
SEIZURE_NOUNS = frozenset({"recovery", "seizure", "haul", "consignment", "quantity", "defusal"})
SEIZED_HOPS = 6  # conjuncts and "of" phrases climbed from the weapon noun to its verb


def _seized_weapon(tok) -> bool:
    """A weapon noun that is the object of a seizure ("recovered three grenades"), or its passive subject
    ("explosives were seized"), or the complement of a seizure noun ("recovery of explosives")."""
    cur = tok
    for _ in range(SEIZED_HOPS):
        h = cur.head
        if h.i == cur.i:
            return False
        # ("recovered a rifle, three grenades, ...": the parser hangs a listed object as npadvmod)
        if cur.dep_ in ("dobj", "nsubjpass", "npadvmod") and h.lemma_.lower() in SEIZURE_VERBS:
            return True
        if cur.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in SEIZURE_NOUNS:
            return True
        if cur.dep_ in ("conj", "appos", "compound") or (cur.dep_ == "pobj" and h.lower_ == "of"):
            cur = h if cur.dep_ != "pobj" else h.head
            continue
        return False
    return False


# what a seizure takes that is no place: "seized weapons", "recovered a large quantity of explosives"
SEIZED_GOODS = frozenset({"weapon", "arm", "ammunition", "explosive", "grenade", "rifle", "pistol", "gun", "bomb",
                          "detonator", "cartridge", "mine", "quantity", "cache", "consignment", "drug", "cash",
                          "money", "document", "vehicle", "truck", "car", "motorcycle", "boat", "weaponry", "round",
                          "shell", "rocket", "mortar", "launcher", "bullet", "material", "heroin", "fuel", "petrol"})


def _seizes_goods(verb) -> bool:
    """"Police seized a large quantity of explosives", "weapons were seized": no territory changed hands."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if obj is None or obj.ent_type_ in ("GPE", "LOC", "FAC"):
        return False
    head_words = {obj.lemma_.lower()} | {x.lemma_.lower() for x in obj.children if x.dep_ in ("prep", "conj")
                                         for x in x.subtree}
    lem = obj.lemma_.lower()
    return lem in SEIZED_GOODS or (lem in SEIZURE_NOUNS and bool(head_words & SEIZED_GOODS))


# "the saboteurs came from Bara and surrounding areas": an adjective of place, not the siege verb
SURROUNDING_LEMMAS = frozenset({"surround"})
SURROUNDING_PLACES = frozenset({"area", "areas", "village", "villages", "region", "regions", "district", "districts",
                                "town", "towns", "locality", "localities", "neighbourhood", "neighborhood",
                                "countryside", "hill", "hills", "forest", "forests"})


# what makes a bare "bomber" an aircraft: a maker or model before it ("Six Tupolev bombers", "two Sukhoi-34
# bombers"), one of these words, or flying ("bombers flew out of an airbase")
AIRCRAFT_MODIFIERS = {"fighter", "strategic", "long-range", "heavy", "stealth", "jet", "supersonic"}
AIRCRAFT_MODELS = re.compile(r"(?:tupolev|sukhoi|ilyushin|mikoyan|mig|su|tu|il|b|f)(?:-?\d+\w*)?", re.I)
AIRCRAFT_VERBS = {"fly", "take", "land", "scramble", "patrol"}


def _aircraft(tok) -> bool:
    """"Six Tupolev bombers flew out of an airbase in Russia ... and conducted strikes": warplanes, not suicide
    bombers (the suicide group's bare "bomber")."""
    if tok.lower_ not in ("bomber", "bombers"):
        return False
    mods = [x for x in tok.children if x.dep_ in ("compound", "amod", "nmod", "nummod")]
    if any(AIRCRAFT_MODELS.fullmatch(x.text) or x.lower_ in AIRCRAFT_MODIFIERS for x in mods):
        return True
    prev = tok.doc[tok.i - 2] if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" else None
    if prev is not None and (prev.lower_ in AIRCRAFT_MODIFIERS or AIRCRAFT_MODELS.fullmatch(prev.text)):
        return True  # ("fighter-bomber" split at the hyphen)
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in AIRCRAFT_VERBS


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


# a date that names its month or day; "last month" names the month before the article's ("Last month the regime
# dealt a major blow to the opposition by seizing its last key bastion in the region": background, not news)
_MONTH_RE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(last|previous) month\b",
                       re.I)


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
    cas_cache: dict[int, fatalities.SentenceTolls] = {}
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
                cas_cache[sent.start] = fatalities.SentenceTolls(sent)
            c.fat.update(cas_cache[sent.start].toll_of(t))
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
