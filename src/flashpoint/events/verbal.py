"""Stage ``verbal``: CAMEO interactions that are not ACLED events (meetings, appeals, demands, threats,
accusations, rejections, aid), coded with PETRARCH-2's CAMEO verb dictionary (``data/cameo/cameo_verbs.json``,
derived from ``CAMEO.2.0.txt``, MIT; see ``training/build_cameo_lexicon.py``) by the pattern coder of
:mod:`flashpoint.events.cameo`.

Reads the parsed sentences, ``doc._.actors`` and spaCy's named entities (the actor units), and the candidates the
ACLED stages kept; returns those candidates plus one candidate per coded interaction. The rule is strict, because
every asserted event is a claim that something happened (issue #11, precision first):

- the verb is in the dictionary with a code of a root in ``VERBAL_ROOTS`` (02-20; a statement, root 01, is not
  coded and ends the search of its sentence: what follows it is what was stated);
- a source actor (the verb's subject, or the ``by`` agent of a passive) is named in the verb's clause; the target
  (object, prepositional object, passive subject) when one is named: "Turkey summoned the Russian ambassador",
  "Ruritania's president appealed for calm";
- a negated verb is no event ("the army did not attack"), except a cooperative act (roots 03-08) negated, which is
  a rejection (CAMEO 12): "Ruritania will not accept the refugees";
- the article asserts no ACLED event, and the sentence holds no ACLED trigger (kept or dropped; a dropped one may be
  the coded verb itself when its code is an interaction's, "Theresa May has held talks with Leo Varadkar", or a
  date, "On March 3"): in a report of a violent event, "Turkey condemned the air strike that killed
  12 in Idlib", "Damascus blamed it on rebels" and "The Coalition called on the UN Security Council to hold the
  regime accountable" are statements about that event, not further events (on the FA-KES dev articles, coding them
  cost 0.03-0.08 of event precision). When the article's ACLED events are all not asserted (hypothetical, denied,
  historical), only their sentences are read, and only a verb that governs such an event's trigger (a verb, or the
  noun of a denied event: "rejected a request to hold a rally") is coded: in "Iran threatened to
  attack the base" the threat happened, the attack did not;
- the verb tells a happening (past tense, perfect, past passive, future, or the present, simple or progressive, of a
  headline or lede:
  "Iran meanwhile boosts military support" and "The coalition supports the SDF" tell a standing state of affairs,
  ``STANDING_LEMMAS``) in a clause of its own ("the government helped by Russia" is a modifier), and its object is
  not negated ("offered no details");
- a reporting verb ("said", "told") is never an event unless its pattern codes its noun object as an act ("announced
  additional humanitarian assistance"); a verb of a PETRARCH block with no code takes flashpoint's default
  (``verb_defaults`` of ``cameo_verbs_extra.json``: "rejected" 120); one interaction is coded per sentence (its first
  coded verb: "Arnor signed an accord to supply Gondor" is the signing).

The interaction's status and date are read as an ACLED event's are (``status.status_of``, ``event_time``); its
PLOVER type and mode come from the PLOVER model (``classify.EventClassifier.predict_plover``, trained on NGEC's
MIT stories, never on the held-back fifth) over the article's headline and the interaction's sentence.
"""
from __future__ import annotations

import json
from functools import lru_cache

from flashpoint.events import dates, roles
from flashpoint.events.cameo import CAMEO_DIR, REPORTING, CodedVerb, VerbLexicon, code_verbs
from flashpoint.events.candidate import ASSERTED, Cand, doc_country
from flashpoint.events.police_actions import police_action
from flashpoint.events.classify import get_classifier
from flashpoint.events.event_time import _date_for
from flashpoint.events.lexicon import TriggerGroup
from flashpoint.events.status import status_of
from flashpoint.model import Actor
from flashpoint.nlp import doc_keys

VERB_FILES = ("cameo_verbs.json", "cameo_verbs_extra.json")
NO_CODE = "---"  # a PETRARCH verb block or verb with no code of its own
# CAMEO roots coded here: 02-20. 01 (make a public statement) is what every quoted source does ("AFP's
# photographer saw", "Winfield notes"): a statement is not coded, and it ends the search of its sentence (what
# follows is what was stated: "The ministry expressed hope that both sides would agree"). Material conflict (14,
# 17-20) the ACLED extractor did not find is coded here too: "Ankara expelled the ambassador" (CAMEO 174)
STATEMENT_ROOT = "01"
# a cooperative act (roots 03-08) negated is a rejection (CAMEO 12): "Ruritania will not accept the refugees",
# "the union refused to end the strike" ("refuse" is coded by its object); other negated verbs are no event ("the
# army did not attack")
COOPERATION_ROOTS = frozenset(f"{r:02d}" for r in range(3, 9))
REJECT_CODE = "120"
VERBAL_ROOTS = frozenset(f"{r:02d}" for r in range(2, 21))
# the verb tells a happening: past tense, or an auxiliary of the perfect, the past passive or the future (whose
# status is then read as an ACLED event's), or the present of a headline or lede ("Ruritania and Freedonia call on
# the EU to lift the embargo"); "Iran meanwhile boosts military support" and "The coalition supports the SDF"
# describe a standing state of affairs: the present tense of a verb of the STANDING_LEMMAS is not coded
TELLING_AUXILIARIES = frozenset({"has", "have", "had", "was", "were", "will", "would", "'ll", "'d", "'s"})
PAST_TAG = "VBD"
PRESENT_TAGS = frozenset({"VBZ", "VBP"})
STANDING_LEMMAS = frozenset({"support", "back", "oppose", "boost", "host", "control", "hold", "keep", "remain",
                             "need", "want", "believe", "consider", "have", "face", "lead", "fund", "arm", "train"})
PROGRESSIVE_TAG = "VBG"
PRESENT_BE = frozenset({"is", "are", "am", "'s", "'re"})
# the parts of speech of a reporting verb's object that make it an act ("announced additional assistance")
OBJECT_NOUN_POS = frozenset({"NOUN", "PROPN"})
# a participle modifying a noun is not a clause of its own: "the government helped by Russia"
MODIFIER_DEPS = frozenset({"acl", "amod"})
# a toponym of these GeoNames feature codes (a country, a capital: "Washington threatened Damascus") may name a
# state, an actor; other places are not actors
STATE_FEATURE_PREFIXES = ("PCL", "PPLC")
# spaCy entity labels that name an actor (a state, a people, an organisation, a person)
ACTOR_ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
# a coded interaction is not a violent event: its frame keeps it out of the violent-event rules
VERBAL_FRAME = "verbal"
INTERACTION_WEIGHT = 1
MIN_UNITS = 1  # actor units a sentence needs (the source; the target is optional)


@lru_cache(maxsize=1)
def lexicon() -> VerbLexicon:
    """PETRARCH-2's CAMEO verb dictionary and flashpoint's own additions, as one lexicon."""
    synsets: dict = {}
    blocks: list = []
    defaults: dict[str, str] = {}
    for name in VERB_FILES:
        raw = json.loads((CAMEO_DIR / name).read_text(encoding="utf-8"))
        synsets.update(raw["data"].get("synsets", {}))
        blocks.extend(raw["data"]["blocks"])
        defaults.update({k: v for k, v in raw.get("verb_defaults", {}).items() if not k.startswith("_")})
    for b in blocks:
        # a verb of a block with no code ([---]) takes flashpoint's default code ("rejected" -> 120); the block's
        # patterns still come first ("reject * &PROPOSAL")
        b["verbs"] = [{**v, "code": defaults[v["verb"]]} if v["verb"] in defaults and (v["code"] or b["code"]) == NO_CODE
                      else v for v in b["verbs"]]
    return VerbLexicon({"synsets": synsets, "blocks": blocks})


@lru_cache(maxsize=64)
def _group(code: str) -> TriggerGroup:
    return TriggerGroup(name=f"cameo:{code}", sub_event_type="", cameo=code, frame=VERBAL_FRAME, cause="none",
                        weight=INTERACTION_WEIGHT, generic=False)


def actor_units(doc, sent) -> tuple[list, dict[str, Actor]]:
    """The actor units of a sentence ((head token, tokens, [unit code])) and each unit code's Actor: the
    ``fp_actors`` mentions, then the named entities no mention covers."""
    units, by_code = [], {}
    covered: set[int] = set()
    for a in roles.actors_in(doc, sent.start_char, sent.end_char):
        span = doc.char_span(a.start, a.end, alignment_mode="expand") if a.start is not None else None
        if span is None or not len(span):
            continue
        code = f"A{len(units)}"
        units.append((span.root, list(span), [code]))
        by_code[code] = a
        covered.update(t.i for t in span)
    spans = [list(ent) for ent in sent.ents if ent.label_ in ACTOR_ENTITY_LABELS]
    spans += _proper_name_runs(sent)
    places = _non_country_places(doc, sent)
    for toks in spans:
        if any(t.i in covered for t in toks) or any(t.idx in places for t in toks):
            continue
        code = f"A{len(units)}"
        head = min(toks, key=lambda t: sum(1 for _ in t.ancestors))
        units.append((head, toks, [code]))
        by_code[code] = Actor(name=" ".join(t.text for t in toks))
        covered.update(t.i for t in toks)
    return units, by_code


def _non_country_places(doc, sent) -> set[int]:
    """Character offsets of the sentence's tokens inside a toponym that is not a country: "Homs has seen some of
    the worst violence" names a place, not an actor."""
    out: set[int] = set()
    for tp in doc._.toponyms or []:
        if tp.end <= sent.start_char or tp.start >= sent.end_char:
            continue
        if not (tp.feature_code or "").upper().startswith(STATE_FEATURE_PREFIXES):
            out.update(t.idx for t in sent if tp.start <= t.idx < tp.end)
    return out


def _progressive(verb) -> bool:
    """A present progressive ("French President Emmanuel Macron is hosting a climate summit"): read as the present
    tense of a headline or lede."""
    return verb.tag_ == PROGRESSIVE_TAG and any(c.dep_ == "aux" and c.lower_ in PRESENT_BE for c in verb.children)


def _tells_happening(verb) -> bool:
    if verb.dep_ in MODIFIER_DEPS or any(c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no"
                                                                  for d in c.children) for c in verb.children):
        return False
    if verb.tag_ in PRESENT_TAGS or _progressive(verb):
        return verb.lemma_.lower() not in STANDING_LEMMAS
    return verb.tag_ == PAST_TAG or any(c.dep_ in ("aux", "auxpass") and c.lower_ in TELLING_AUXILIARIES
                                        for c in verb.children)


def _reports_an_act(cv: CodedVerb) -> bool:
    """A reporting verb coded as an act by its object, not as a statement: "The European Commission has announced
    additional humanitarian assistance" (an intent to give aid, 033); "said" and "announced that ..." report."""
    return cv.code[:2] != STATEMENT_ROOT and any(c.dep_ == "dobj" and c.pos_ in OBJECT_NOUN_POS
                                                 for c in cv.verb.children)


def _proper_name_runs(sent) -> list[list]:
    """Runs of proper nouns the entity recogniser left out: "Gondor and Osgiliath have postponed their meeting"
    names two actors whatever spaCy's NER makes of them."""
    runs, cur = [], []
    for t in sent:
        if t.pos_ == "PROPN" and not t.ent_type_:
            cur.append(t)
            continue
        if cur:
            runs.append(cur)
        cur = []
    if cur:
        runs.append(cur)
    return runs


def _default_date(doc):
    """The anchor of the article's relative dates (its warnings were already recorded by the candidates stage)."""
    art = doc._.article
    day, precision, _ = dates.article_date(art.text if art is not None else doc.text,
                                           getattr(art, "published", None), getattr(art, "title", None))
    return day, precision


def _interaction(sent, units, kept: set[int]) -> CodedVerb | None:
    """The sentence's first coded verb that meets the rule of the module docstring, or None (also when that verb
    is a statement, or the trigger of a kept ACLED event (``kept``), already coded as that event)."""
    for cv in code_verbs(sent, units, lexicon(), keep_negated=True):
        if cv.verb.lemma_.lower() in REPORTING and not _reports_an_act(cv):
            continue
        if cv.code[:2] == STATEMENT_ROOT or cv.verb.i in kept:
            return None
        if cv.negated:
            if cv.code[:2] not in COOPERATION_ROOTS:
                continue
            cv.code, cv.reverse = REJECT_CODE, None
        if cv.code[:2] in VERBAL_ROOTS and _tells_happening(cv.verb):
            return cv
    return None


# the statuses of the ACLED events whose sentences may hold an interaction when no ACLED event is asserted: what
# was threatened or denied ("Iran threatened to attack the base"), not what is recalled as history
INTERACTION_HOST_STATUSES = ("hypothetical", "denied")
REFUSED_STATUS = "denied"


def _open_sentences(doc, cands: list[Cand]) -> list:
    """The sentences an interaction may be coded in: in an article with no ACLED event, every sentence (the
    dropped ACLED triggers in it are checked by ``_blocked``); in an article whose ACLED events are none of them
    asserted, only the sentences of its hypothetical or denied ones ("Iran threatened to attack the base": the
    threat happened, the attack did not); none when an ACLED event is asserted."""
    if not cands:
        return list(doc.sents)
    if any(c.status in ASSERTED for c in cands):
        return []
    seen, out = set(), []
    for c in cands:
        # (not a past event's sentence: "The Syrian Coalition called upon the UN Security Council to re-open the file
        # of the Ghouta Massacre", "the Assad regime has used chemical weapons 136 times since ...": a recalled
        # history is no interaction of the story's)
        if c.sent.start not in seen and c.status in INTERACTION_HOST_STATUSES:
            seen.add(c.sent.start)
            out.append(c.sent)
    return out


# entity labels of the words that name a time, not an event: "March" (the month) or "the Holding period" may be
# a lexicon trigger, dropped as no event; a date does not tell what the sentence is about
TIME_ENTITY_LABELS = frozenset({"DATE", "TIME"})
# CAMEO roots of the kinds of event the ACLED detector codes (protest, coerce, assault, fight, mass violence)
ACLED_KIND_ROOTS = frozenset({"14", "17", "18", "19", "20"})


def _blocked(doc, cv: CodedVerb, triggers: set[int]) -> bool:
    """In an article with no ACLED event, whether a dropped ACLED trigger of the interaction's sentence, other than
    its own verb, tells that the sentence is about violence: "Troops freed 12 shepherds abducted by gunmen", "The
    regime intensified its bombardment". The verb itself ("Theresa May has held talks with Leo Varadkar": "held" was
    read as a detention and dropped) and a date ("On March 3, the minister met his Turkish counterpart") do not."""
    sent = cv.verb.sent
    # (the verb itself only with a code of an interaction: a dropped trigger coded as an ACLED kind of event,
    # "In recent weeks regime helicopters have struck a number of markets", stays dropped)
    own = -1 if cv.code[:2] in ACLED_KIND_ROOTS else cv.verb.i
    return any(sent.start <= i < sent.end and i != own and doc[i].ent_type_ not in TIME_ENTITY_LABELS
               for i in triggers)


def _coded(doc, sent, units, by_code, seen: set[int], triggers: set[int], cands: list[Cand]):
    """(coded verb, actor1, actor2) of the sentence's interaction, else, in an article with no ACLED event, of its
    police action ("the army continued to patrol sensitive areas, though no major incident was reported": the
    incident is no event; the patrol is a police action), or None."""
    if len(units) >= MIN_UNITS:
        cv = _interaction(sent, units, seen)
        if cv is not None and not (cands and not _governs_event(cv, cands)) and not (
                not cands and _blocked(doc, cv, triggers)):
            return cv, by_code[cv.source[0]], (by_code[cv.target[0]] if cv.target else None)
    if cands:
        return None
    found = police_action(sent, units, by_code, triggers, doc_country(doc), _tells_happening)
    return (found[0], found[1], None) if found is not None else None


def _governs_event(cv: CodedVerb, cands: list[Cand]) -> bool:
    """Whether the coded verb governs the trigger of a (not asserted) ACLED event of its sentence: "threatened to
    attack", "refused to release the detainees"."""
    # (a verb's trigger, or the noun of a refused event: "rejected a request to hold a rally", "rejected an offer of a
    # ceasefire"; not the noun of an event named as history or of a hypothetical one, "The Syrian Coalition called
    # upon the UN Security Council to re-open the file of the Ghouta Massacre", "stressed the need for ... an end to
    # the bombing")
    return any(c.sent.start == cv.verb.sent.start and c.trig in cv.verb.subtree and c.trig is not cv.verb
               and (c.trig.pos_ == "VERB" or c.status == REFUSED_STATUS) for c in cands)


def interactions(doc, cands: list[Cand]) -> list[Cand]:
    """The candidates, plus one per coded interaction in the sentences ``_open_sentences`` gives."""
    trig = doc.user_data.get(doc_keys.TRIGGER_TOKENS) or set()
    default = None
    out = list(cands)
    order = max((c.order for c in cands), default=-1) + 1
    kept = {i for c in cands for i in range(c.start, c.end)}
    for sent in _open_sentences(doc, cands):
        units, by_code = actor_units(doc, sent)
        coded = _coded(doc, sent, units, by_code, kept | (trig if cands else set()), trig, cands)
        if coded is None:
            continue
        cv, actor1, actor2 = coded
        st = status_of(cv.verb)
        if st.drop:
            continue
        v = cv.verb
        c = Cand(group=_group(cv.code), trig=v, start=v.i, end=v.i + 1, sent=sent, order=order)
        order += 1
        c.cameo, c.status = cv.code, st.status
        c.sub_event_type = None
        c.actor1, c.actor2 = actor1, actor2
        if default is None:
            default = _default_date(doc)
        _date_for(doc, c, default)
        out.append(c)
    _plover_types(doc, out[len(cands):])
    return out


def _plover_types(doc, coded: list[Cand]) -> None:
    """PLOVER type and mode of each interaction: the model over "<headline>. <sentence>" (the sentence alone
    without a headline)."""
    if not coded:
        return
    art = doc._.article
    title = (getattr(art, "title", None) or "").strip() if art is not None else ""
    texts = [f"{title}. {c.sent.text.strip()}" if title else c.sent.text.strip() for c in coded]
    for c, p in zip(coded, get_classifier().predict_plover(texts)):
        c.plover = (p["plover_type"], p["plover_mode"])
