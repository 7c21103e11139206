"""Stage ``not_events``: mentions that are not events of their own (issue #11 item 3).

Reads each candidate's trigger, its clause (the subtree of its verb) and status; drops the asserted candidates that
report background, habits, summaries of many incidents or present states. The cue words are data
(``data/events/status_cues.yaml``: ``background_adverbs``, ``background_phrases``, ``summary_quantifiers``,
``stative_verbs``). Hypothetical, historical and denied candidates are left as they are: they keep their status.

Statistics ("the war has killed 300,000") and negations ("no reports of arrests") are handled where the candidates
are made (``status.is_aggregate_sentence``, ``status.status_of``) and by ``incidents.drop_statistics``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from flashpoint.claims.numbers import superlative_since
from flashpoint.events.candidate import ASSERTED, Cand
from flashpoint.events.lexicon import status_cues

# how many steps up a noun phrase a negation still covers ("no reports of casualties or arrests")
NEG_NP_STEPS = 4
# how many governing clauses up a background adverb still counts ("have lately intensified ... targeting ...")
CLAUSE_CHAIN = 2
# "Following the massacre the Assad regime surrendered its cache": an event named as the time of another
TEMPORAL_ANCHORS = {"following", "after", "before", "since", "prior", "amid", "ahead"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their"}
VERBAL = ("VERB", "AUX")
HOLDING_VERBS = {"have", "hold", "keep"}
DURATION_UNITS = {"day", "week", "month", "year", "decade"}


@lru_cache(maxsize=1)
def _cues() -> dict:
    c = status_cues()
    phrases = sorted(c["background_phrases"], key=len, reverse=True)
    return {
        "adverbs": frozenset(c["background_adverbs"]),
        "phrases": re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b"),
        "quantifiers": re.compile(r"\b(?:" + "|".join(re.escape(q) for q in sorted(c["summary_quantifiers"])) + r")\b"),
        "stative": frozenset(c["stative_verbs"]),
        "noncombatants": frozenset(c["noncombatant_subjects"]),
        "siege": frozenset(c["siege_words"]),
        "appeal": frozenset(c["appeal_verbs"]),
        "condemnation": frozenset(c["condemnation_verbs"]),
        "condemned_detail": frozenset(c["condemned_detail_verbs"]),
        "recollection": frozenset(c["recollection_verbs"]),
        "ending": frozenset(c["ending_verbs"]),
        "trend": frozenset(c["trend_verbs"]),
        "possession": frozenset(c["possession_verbs"]),
        "weapons": frozenset(c["weapon_nouns"]),
        "listed": frozenset(c["listed_weapons"]),
        "furniture": re.compile(c["furniture_pattern"], re.I),
        "stores": frozenset(c["weapon_stores"]),
        "media": frozenset(c["media_nouns"]),
        "expectation": frozenset(c["expectation_nouns"]),
        "everyday": {k: frozenset(v) for k, v in c["everyday_senses"].items()},
        "phases": frozenset(c["phase_nouns"]),
        "measures": frozenset(c["trend_measures"]),
        "wars": frozenset(c["aggregate_subjects"]) | {"assault", "bombardment", "bombing", "shelling"},
        "modified": {k: frozenset(v) for k, v in c["modifier_senses"].items()},
    }


def _verb(t):
    """The verb whose clause holds the trigger ("air strikes have battered" -> battered)."""
    v = t
    while v.pos_ not in VERBAL and v.head.i != v.i:
        v = v.head
    return v


# named entities whose words are names, not cues: "reports Daily Times" holds no "daily" habit
NAME_ENTITY_LABELS = frozenset({"ORG", "WORK_OF_ART", "PERSON", "FAC"})


def _plain(tokens) -> str:
    """Lower-cased words of ``tokens``, the words of names (news outlets, organisations, people) left out."""
    return " ".join(x.lower_ for x in tokens if x.ent_type_ not in NAME_ENTITY_LABELS)


def _clause_text(c: Cand) -> str:
    v = _verb(c.trig)
    return _plain(v.subtree)


def _own_date(c: Cand) -> bool:
    """The clause states its own day; a day the source spoke ("... local media reported Sunday") is not one."""
    return c.date_explicit and not c.date_spoken  # (only the captives rule reads it: measured on FA-KES, the
    # background rules need the spoken day too: "Russian air strikes have killed 18 ... over the past 24 hours a
    # monitor said on Friday" is one report)


def _perfect(v) -> bool:
    return any(x.dep_ in ("aux", "auxpass") and x.lemma_.lower() == "have" for x in v.children)


def background(c: Cand) -> bool:
    """"The outskirts of Qardaha have previously come under rocket fire", "In recent weeks regime helicopters ...
    have struck a number of marketplaces", "Russias Aerospace Forces carry out up to 150 strikes per day": a
    habit, a summary or background, not one incident. A clause with a date of its own is kept."""
    cues = _cues()
    clause = _clause_text(c)
    # "At least 97 rebel fighters from Idlib have died in combat in Aleppo since July 31": a count since a date
    if (SINCE_DATE.search(clause) and not superlative_since(clause)) or _since_its_date(c):
        return True  # (a date of its own is the "since" date here)
    # "Assad Used Chemical Weapons 136 Times since Ghouta Massacre": a count of occasions; "Later that month an
    # airstrike carried out by the coalition ... killed at least 31 civilians": a day told after a past one
    raw = " ".join(x.lower_ for x in _verb(c.trig).subtree)  # (names too: "136 Times" may read as a newspaper)
    if COUNTED_TIMES.search(raw) or PAST_ANCHORED.search(clause):
        return True
    if c.date_explicit:
        return False
    v = _verb(c.trig)
    # ("have lately intensified aerial bombardment on Idlib province targeting mostly civilian areas": the adverb of
    # the clause the trigger's own clause hangs from)
    chain = [v] + [a for a in v.ancestors if a.pos_ in VERBAL][:CLAUSE_CHAIN]
    if any(x.dep_ == "advmod" and x.lower_ in cues["adverbs"] for w in chain for x in w.children):
        return True
    if cues["phrases"].search(_clause_text(c)):
        return True
    # the sentence around a clause without a date of its own: "Since the beginning of last week eastern Ghouta has
    # been under intensive strikes ... that resulted in the killing of more than 70 people", "127 people ... have
    # been killed by air strikes and shelling since the Syrian army backed by Russian jets began the offensive"
    sent = _plain(c.sent)
    return bool(SINCE_CLAUSE.search(sent) or cues["phrases"].search(sent))


# "since July 31", "since Monday", "since 2013", "since the regime offensive began"
SINCE_DATE = re.compile(r"\bsince (?:(?:early|late|mid) )?(?:january|february|march|april|may|june|july|august|"
                        r"september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|"
                        r"sunday|\d|the (?:start|beginning|launch)|the \w+ (?:offensive|operation|campaign))")


# "136 times", "three times", "dozens of times": occasions counted, not one incident ("twice" is left: "struck twice
# a mourning location" is one raid)
COUNTED_TIMES = re.compile(r"\b(?:\d[\d,]*|three|four|five|six|seven|eight|nine|ten|dozens of|hundreds of|scores of)"
                           r" times\b")
# a day told relative to a past one the article named ("Later that month", "earlier that year")
PAST_ANCHORED = re.compile(r"\b(?:later|earlier) that (?:month|year)\b")


def _since_its_date(c: Cand) -> bool:
    """"Since the beginning of last week eastern Ghouta has been under intensive strikes by regime forces that
    resulted in the killing of more than 70 people": the date the clause carries is the start of a count."""
    told = (c.fat.get("_date_text") or "").lower()
    if not (c.date_explicit and told):
        return False
    # the clauses that govern the trigger, not a conjoined one ("there had been drones in the sky since Sunday
    # morning and warplanes had heavily bombarded the towns of Mesraba and Harasta")
    governing, x = {c.trig.i}, c.trig
    while x.head.i != x.i and not (x.dep_ == "conj" and any(y.dep_ in ("nsubj", "nsubjpass") for y in x.children)):
        x = x.head
        governing.add(x.i)
    squeeze = re.compile(r"\s+")
    return any(t.lower_ == "since" and t.head.i in governing and squeeze.sub("", told) in squeeze.sub(
        "", " ".join(y.lower_ for y in t.subtree)) for t in c.sent)


# "since the Syrian army ... began the offensive", "since the beginning of last week", "since July 31"
# ("Since then more than a quarter of a million people have been killed": since an event told before)
SINCE_CLAUSE = re.compile(SINCE_DATE.pattern + r"|\bsince then\b|"
                          r"\bsince the \w+(?: \w+)? (?:began|started|launched|was launched)\b|"
                          r"\bsince the \w+ (?:army|regime|government|forces|coalition)\b")


def war_as_agent(c: Cand) -> bool:
    """"Fighting has also killed 30 regime and allied fighters as well as 50 Syrian rebels", "the ongoing brutal
    assault on Aleppo ... has killed 750": a war, a campaign or fighting in general as the subject of a perfect
    casualty verb is a running total."""
    t = c.trig
    if c.date_explicit or t.dep_ not in ("nsubj", "nsubjpass"):
        return False
    ongoing = any(x.lower_ in ("ongoing", "continuing", "continued") for x in t.children)
    return (t.lemma_.lower() in _cues()["wars"] or ongoing) and _perfect(t.head)


def summary(c: Cand) -> bool:
    """"have struck a number of marketplaces hospitals and civil defense centers": a perfect verb over a counted
    plural object sums up many incidents."""
    v = _verb(c.trig)
    if c.date_explicit or v.pos_ not in VERBAL or not _perfect(v):
        return False
    objs = [x for x in v.children if x.dep_ in ("dobj", "nsubjpass", "attr")]
    return any(_cues()["quantifiers"].search(" ".join(y.lower_ for y in o.subtree)) for o in objs)


def present_state(c: Cand) -> bool:
    """"Idlib is controlled by a coalition of Syrian rebel groups", "Qamishli ... is mainly controlled by PYD": a
    present-tense state of control or siege, not a change of hands."""
    t = c.trig
    if t.pos_ == "NOUN" and t.dep_ == "dobj" and t.head.lemma_.lower() in HOLDING_VERBS and \
            t.head.tag_ in ("VBZ", "VBP"):
        return True  # ("It also has many hostages including my son": hostages held, not taken)
    v = _verb(t)
    if _perfect(v) and any(x.dep_ == "prep" and x.lower_ == "for" and any(
            y.dep_ == "pobj" and y.lemma_.lower() in DURATION_UNITS for y in x.children) for x in v.children):
        return True  # ("a brigade commander that has been detained for over four months": a duration, a state)
    if v.lemma_.lower() not in _cues()["stative"]:
        return False
    if v.tag_ == "VBN" and v.dep_ in ("acl", "amod"):
        return True  # ("the largest populated area controlled by the anti-Assad rebels": a participle of a place)
    present = v.tag_ in ("VBZ", "VBP") or any(
        x.dep_ == "auxpass" and x.tag_ in ("VBZ", "VBP") for x in v.children)
    return present and not _perfect(v)


def noncombatant_subject(c: Cand) -> bool:
    """"a 48-truck aid convoy on Tuesday entered regime-besieged Talbiseh": the subject is no party to fighting."""
    if c.group.frame not in ("clash", "territory"):
        return False
    v = _verb(c.trig)
    subj = next((x for x in v.children if x.dep_ == "nsubj"), None)
    return subj is not None and subj.lemma_.lower() in _cues()["noncombatants"]


def siege_state(c: Cand) -> bool:
    """"the area which is under a tight government siege", "The blockade has caused serious food shortages",
    "regime-besieged Talbiseh": a siege as a noun or an adjective is a state. ("Khan Toman is besieged by the
    pro-regime forces", a verb, is kept.)"""
    t = c.trig
    if c.date_explicit or t.lemma_.lower() not in _cues()["siege"] and t.lower_ not in _cues()["siege"]:
        return False
    # ("Madaya a town near Damascus besieged by government forces": a participle describing a place; "the two Shiite
    # villages which are besieged by rebels": a present relative clause describing them)
    present_relative = t.dep_ == "relcl" and any(x.dep_ == "auxpass" and x.tag_ in ("VBZ", "VBP") for x in t.children)
    return t.pos_ in ("NOUN", "ADJ") or t.dep_ in ("amod", "compound", "acl") or present_relative


def to_be_ended(c: Cand) -> bool:
    """"Russia has brokered deals to ease the fighting between rebels and ...", "efforts to end the clashes": what
    a purpose clause sets out to stop is not reported as happening."""
    t = c.trig
    h = t.head
    return t.dep_ == "dobj" and h.lemma_.lower() in _cues()["ending"] and any(
        x.dep_ == "aux" and x.lower_ == "to" for x in h.children)


def under_appeal(c: Cand) -> bool:
    """"The Syrian Coalition called upon the UN Security Council to re-open the file of the Ghouta Massacre": the
    subject of an appeal or a criticism is not reported by it."""
    appeal = _cues()["appeal"]
    for a in c.trig.ancestors:
        if a.lemma_.lower() in appeal and a.pos_ in VERBAL:
            return not _condemned_incident(c.trig, a)
    return False


def _condemned_incident(t, verb) -> bool:
    """"The Syrian Coalition strongly condemned the heinous massacre carried out by Russian warplanes in which 35
    civilians were killed": the object of a condemnation described by a clause of its own (who did it, who died) is
    an incident the sentence reports."""
    if verb.lemma_.lower() not in _cues()["condemnation"]:
        return False
    obj = t if t.head == verb else next((a for a in t.ancestors if a.head == verb), None)
    if obj is None or obj.dep_ != "dobj" or obj.pos_ != "NOUN":
        return False
    details = [x for x in obj.children if x.dep_ in ("acl", "relcl") and (
        x.lemma_.lower() in _cues()["condemned_detail"] or any(y.dep_ == "agent" for y in x.children))]
    # ("condemned the bombing with groups fighting under the banner of the Free Syrian Army": not a detail)
    return bool(details) and (t == obj or any(t in x.subtree for x in details))


def recalled(c: Cand) -> bool:
    """"Let us recall the bombing of the newspaper's offices in the capital": an event a speaker recalls is history
    told again (issue #11: recalled past events are not events)."""
    recollection = _cues()["recollection"]
    return any(a.lemma_.lower() in recollection and a.pos_ in VERBAL for a in c.trig.ancestors)


# prepositions by which a bare plural event noun describes another noun ("victims of terrorist attacks", "a drop in
# sales due to attacks on the pipeline", "protests against air strikes"; not an instrument: "targeted tens of
# civilians with rocket shells")
GENERIC_PLURAL_PREPS = {"of", "to", "against"}
SPECIFYING_DEPS = {"det", "nummod", "poss"}
# nouns that count, time or use the plural rather than describe it: "a number of shells", "a series of air
# strikes", "two days of air and ground operations", "the use of chemical weapons", "killed as a result of air
# strikes" tell incidents
COUNTING_NOUNS = {"number", "series", "dozen", "dozens", "hundreds", "scores", "barrage", "volley", "round", "wave",
                  "string", "spate", "salvo", "couple", "lot", "hour", "day", "night", "week", "month", "use",
                  "result", "consequence", "aftermath", "wake", "toll"}
# words that make a preposition a cause ("injured due to rocket attacks"): the phrase hangs from what they hang from
CAUSAL_WORDS = {"due", "owing", "thanks"}


def generic_plural(c: Cand) -> bool:
    """"Peru has been the target of bloody terrorist attacks", "sales fell due to terrorist attacks on the
    pipeline": a plural event noun with no determiner, number or owner that describes another noun names a kind of
    happening, not an incident (not "killed in airstrikes", "airstrikes hit the town", "the attacks of Monday")."""
    t = c.trig
    if c.date_explicit or t.tag_ != "NNS" or any(x.dep_ in SPECIFYING_DEPS for x in t.children):
        return False
    x = t
    while x.dep_ == "conj" and x.head.i != x.i:  # ("the form of arrests, murders and raids")
        x = x.head
    p = x.head
    if x.dep_ != "pobj" or p.lower_ not in GENERIC_PLURAL_PREPS:
        return False
    # (the noun described; "citizens were injured due to terrorist rocket attacks on the town" hangs from a verb)
    q = p.head.head if p.head.lower_ in CAUSAL_WORDS else p.head
    return q.pos_ == "NOUN" and q.lemma_.lower() not in COUNTING_NOUNS and q.lower_ not in COUNTING_NOUNS


def named_event(c: Cand) -> bool:
    """"to re-open the file of the Ghouta Massacre", "the anniversary of the Hama Massacre": a capitalised name of a
    past happening in the body refers to it; it does not report it again."""
    t = c.trig
    return not c.headline and t.pos_ == "PROPN" and t.is_title and any(
        x.dep_ == "compound" and x.pos_ == "PROPN" for x in t.children)


def trend(c: Cand) -> bool:
    """"The Assad regime and Russian forces have lately intensified aerial bombardment on Idlib province", "has been
    stepping up its attacks": the trend of a campaign, not one incident, unless the clause dates it."""
    t = c.trig
    if c.date_explicit:
        return False
    # ("has sharply reduced the intensity of its attacks on ISIS terrorists positions in Iraq")
    x = t.head.head if t.dep_ == "pobj" and t.head.lower_ == "of" and \
        t.head.head.lemma_.lower() in _cues()["measures"] else t
    return x.dep_ in ("dobj", "pobj") and _verb(x).lemma_.lower() in _cues()["trend"]


def _object_phrase_head(t):
    """The noun a trigger noun is part of ("dismantled scores of explosive devices and mines" -> scores)."""
    x = t
    # (and through apposition: "seized an M-14 rifle from the enemy, 3,000 cartridges, five knapsacks, six grenades")
    while x.dep_ in ("pobj", "prep", "conj", "compound", "appos") and x.head.i != x.i and x.head.pos_ not in VERBAL:
        x = x.head
    return x


def weapons_held(c: Cand) -> bool:
    """"the government surrendered its chemical weapons", "agreed to destroy its chemical arsenal", "dismantled
    scores of explosive devices and mines left behind", "tens of explosive devices and mines were removed": weapons
    held, found, cleared, handed over or destroyed, not used."""
    cues = _cues()
    t = c.trig
    # ("surrendered its cache of chemical weapons": the weapons are in a store)
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in cues["stores"]:
        return True
    x = _object_phrase_head(t)
    # ("and dismantled scores of explosive devices", parsed with the verb as an adjective of "scores")
    if c.group.frame == "remote" and any(a.dep_ == "amod" and _participle_of(a, cues["possession"])
                                         for a in x.children):
        return True
    v = _verb(t)
    if v.lemma_.lower() not in cues["possession"]:
        return False
    # (the weapons themselves as the object; not "were hit and destroyed in army airstrikes"; a weapon of a shooting:
    # "Troops seized two rifles, 500 bullets and a machine gun from the camp")
    if t.pos_ in ("NOUN", "PROPN") and x.dep_ in ("dobj", "nsubjpass") and x.head.i == v.i \
            and (c.group.frame == "remote" or c.group.frame == "violence" and t.lemma_.lower() in cues["listed"]):
        return True
    # ("surrendered its chemical weapons" read as a transfer of territory: the object is weapons, not ground)
    return any(x.dep_ == "dobj" and x.lemma_.lower() in cues["weapons"] | cues["stores"] for x in v.children)


def _participle_of(tok, lemmas: frozenset) -> bool:
    """A past participle of one of ``lemmas``, even when tagged an adjective ("dismantled")."""
    w = tok.lower_
    return tok.lemma_.lower() in lemmas or (w.endswith("ed") and (w[:-1] in lemmas or w[:-2] in lemmas))


def media_capture(c: Cand) -> bool:
    """"This photo captured from the town of Nusaybin ... shows plume of smoke": a picture is taken, not a town."""
    t = c.trig
    media = _cues()["media"]
    subj = next((x for x in t.children if x.dep_ in ("nsubjpass", "nsubj")), None)
    if t.pos_ != "VERB":
        return False
    if subj is not None:
        return subj.lemma_.lower() in media
    # (a participle of the picture; not "Photo Syrian soldiers advanced on Tuesday", a caption with its own subject)
    return t.head.lemma_.lower() in media and t.dep_ in ("acl", "relcl", "amod")


# verbs by which a picture shows what happened ("Reuters photographs showed people ... carried the bodies of dead
# children"), and how far up the parse the trigger may lie under such a verb
SHOWING_VERBS = {"show", "depict", "capture", "document"}
SHOWN_DEPTH = 8


def media_description(c: Cand) -> bool:
    """"Reuters photographs showed people breathing through oxygen masks while others carried the bodies of dead
    children": what a picture or video shows is evidence of an incident the article reports, not another one."""
    t = c.trig
    for _ in range(SHOWN_DEPTH):
        if t.head.i == t.i:
            return False
        t = t.head
        if t.lemma_.lower() in SHOWING_VERBS and (any(
                x.dep_ == "nsubj" and x.lemma_.lower() in _cues()["media"] for x in t.children) or (
                t.dep_ == "acl" and t.head.lemma_.lower() in _cues()["media"])):
            return True  # (also "circulated pictures on social media showing a purported victim")
    return False


def expected(c: Cand) -> bool:
    """"in anticipation of a fierce battle to defend the town", "The importance of capturing Leramun ... is to stop
    the missile fire": an event expected, planned or argued for is not reported as happening."""
    t = c.trig
    x = t.head if t.dep_ in ("pobj", "pcomp") else None
    return x is not None and x.dep_ == "prep" and x.lower_ in ("of", "for") and \
        x.head.lemma_.lower() in _cues()["expectation"]


def everyday_sense(c: Cand) -> bool:
    """"the district falls within a network of de-escalation zones", "The blockade ... pushed the prices for what
    remains beyond the reach of impoverished residents": the verb in its everyday sense."""
    t = c.trig
    senses = _cues()["everyday"].get(t.lemma_.lower())
    if senses is not None and t.pos_ == "NOUN":  # ("faced a barrage of criticism")
        return any(x.dep_ == "prep" and x.lower_ == "of" and any(y.lemma_.lower() in senses for y in x.children)
                   for x in t.children)
    return t.pos_ == "VERB" and senses is not None and any(
        x.dep_ in ("prep", "dobj") and x.lemma_.lower() in senses for x in t.children)


def temporal_anchor(c: Cand) -> bool:
    """"Following the massacre the Assad regime surrendered its cache of chemical weapons", "after the attack": an
    event named only as the time of another is reported elsewhere, or not at all, in this article."""
    t = c.trig
    if c.date_explicit or t.pos_ not in ("NOUN", "PROPN") or t.dep_ != "pobj":
        return False
    # ("following the beginning of military operations": the phase of the event names the time)
    x = t.head.head if t.head.lower_ == "of" and t.head.head.lemma_.lower() in _cues()["phases"] else t
    return x.dep_ == "pobj" and x.head.lower_ in TEMPORAL_ANCHORS and \
        any(d.dep_ == "det" and d.lower_ in DEFINITE for d in x.children)


def negated_report(c: Cand) -> bool:
    """"There were no reports of casualties or arrests", "no sign of fighting", "without any arrests": the noun
    phrase holding the trigger is negated."""
    t = c.trig
    x, steps = t, 0
    while x.dep_ in ("pobj", "conj", "prep") and steps < NEG_NP_STEPS:
        x = x.head
        steps += 1
        if x.pos_ in ("NOUN", "PROPN") and any(d.dep_ == "det" and d.lower_ == "no" for d in x.children):
            return True
        if x.lower_ == "without":
            return True
    return False


def page_furniture(c: Cand) -> bool:
    """"READ MORE WATCH Russian Airstrikes Send Terrorists Fleeing in Syrias Hama", "110 Related Syrian Army Destroys
    Daeshs Mortar Shells Plant in Deir ez-Zor": links to other stories are not this article's news."""
    return bool(_cues()["furniture"].search(c.sent.text))


# frames whose past participle describing people names what befell them before ("civilians abducted by Daesh")
CAPTIVITY_FRAMES = {"abduction", "arrest"}
BACKING_VERBS = {"back", "support", "aid", "assist", "cover", "escort"}
CAPTIVITY_VERBS = {"abduct", "kidnap", "detain", "arrest", "capture", "imprison", "hold"}
RELEASE_VERBS = {"free", "release", "save", "rescue", "liberate", "find", "return", "exchange", "swap", "evacuate"}


def backing_means(c: Cand) -> bool:
    """"Syrian rebels backed by Turkish tanks and air strikes have been pushing towards ... Dabiq": the support a
    side has is named, not an incident told."""
    return any(a.dep_ == "acl" and a.lemma_.lower() in BACKING_VERBS for a in c.trig.ancestors
               if any(x.dep_ == "agent" for x in a.children))


def captives_described(c: Cand) -> bool:
    """"the Syrian troops have found and saved 19 civilians abducted by Daesh (ISIS) terrorists", "the kidnapped
    journalists were freed": a participle describing the captives tells who they are; the abduction is not reported
    as news unless the phrase dates it ("civilians abducted on Monday")."""
    t = c.trig
    if _own_date(c):
        return False
    if c.group.frame in CAPTIVITY_FRAMES and t.tag_ in ("VBN", "JJ") and t.dep_ in ("acl", "amod") and \
            _freed(t.head):
        return True
    # (and "gunmen" in "abducted by gunmen": the captors named in that description)
    return any(a.dep_ == "acl" and a.tag_ == "VBN" and a.lemma_.lower() in CAPTIVITY_VERBS and _freed(a.head)
               for a in t.ancestors)


def _freed(noun) -> bool:
    """The captives are the object of a release ("saved 19 civilians abducted by ..."); not "Five persons arrested
    for rioting", a headline that reports the arrests."""
    return noun.dep_ in ("dobj", "nsubjpass", "conj") and noun.head.lemma_.lower() in RELEASE_VERBS


# verbs of a rescue, and the nouns of the operation it is done in
RESCUE_VERBS = {"free", "release", "save", "rescue", "find"}
RESCUE_OPERATION_NOUNS = {"operation", "mission"}


def rescue_operation(c: Cand) -> bool:
    """"In a separate operation in Hama the Syrian troops have found and saved 19 civilians abducted by Daesh": the
    operation of a rescue is no clash."""
    t = c.trig
    if not (t.pos_ == "NOUN" and t.lemma_.lower() in RESCUE_OPERATION_NOUNS):
        return False
    v = _verb(t)
    verbs = [v] + [x for x in v.children if x.dep_ == "conj" and x.pos_ == "VERB"]
    return any(x.lemma_.lower() in RESCUE_VERBS for x in verbs)


TOLL_WORDS = {"toll", "tally", "count"}


def victims_described(c: Cand) -> bool:
    """"Those killed were mostly residents of the villages of al-Foua and Kefraya", "Most of the dead were
    civilians": a copula saying who the victims of a told incident were reports no incident of its own (nor a
    place: the victims' home is not where they died)."""
    t = c.trig
    v = _verb(t)
    # (the victims, not the incident: "The toll from Monday's air strike on Saraqeb was 12" still tells an incident)
    if not c.group.generic or t.lemma_.lower() in TOLL_WORDS:
        return False
    if v.lemma_.lower() != "be":  # ("Those killed were ...": the participle's own verb is the copula's subject)
        v = next((a for a in t.ancestors if a.lemma_.lower() == "be"), v)
    if v.lemma_.lower() != "be" or not any(x.dep_ in ("attr", "acomp") for x in v.children):
        return False
    subj = next((x for x in v.children if x.dep_ == "nsubj"), None)
    return subj is not None and t.i in {x.i for x in subj.subtree}


def modifier_sense(c: Cand) -> bool:
    """"death squads operate in the capital", "he received death threats", "a kidnapping ring", "the National
    Liberation Army", "the Armed Forces of Liberation": a trigger noun modifying a head that is no happening, before
    it or after "of" (``modifier_senses``: trigger lemma -> such heads)."""
    t = c.trig
    heads = _cues()["modified"].get(t.lemma_.lower())
    if not heads or t.pos_ not in ("NOUN", "PROPN"):
        return False
    if t.dep_ in ("compound", "amod", "nmod"):
        return _head_word_in(t.head, heads)
    return t.dep_ == "pobj" and t.head.lower_ == "of" and _head_word_in(t.head.head, heads)


def _head_word_in(tok, heads: frozenset) -> bool:
    """The head noun is one of ``heads``, singular or plural ("Armed Forces of Liberation": a name's "Forces" keeps
    its plural lemma)."""
    low = tok.lower_
    return tok.lemma_.lower() in heads or low in heads or (low.endswith("s") and low[:-1] in heads)


RULES: tuple[Callable[[Cand], bool], ...] = (background, summary, present_state, noncombatant_subject, siege_state,
                                             under_appeal, recalled, generic_plural, named_event, to_be_ended,
                                             war_as_agent, trend,
                                             page_furniture, weapons_held, temporal_anchor, negated_report,
                                             media_capture, media_description, expected, everyday_sense,
                                             victims_described, captives_described, backing_means,
                                             rescue_operation, modifier_sense)


def _restating(c: Cand) -> bool:
    t = c.trig
    return not c.date_explicit and t.pos_ in ("NOUN", "PROPN") and any(
        x.dep_ == "det" and x.lower_ in DEFINITE for x in t.children)


def filter_not_events(doc, cands: list[Cand]) -> list[Cand]:
    """The candidates without the asserted ones that a rule of ``RULES`` says are not events, and without the
    definite nouns restating one of those ("... have lately intensified aerial bombardment on Idlib province. The
    bombings destroyed 4 health facilities": the bombings are that bombardment)."""
    out, last, gone = [], {}, set()
    for c in sorted(cands, key=lambda x: x.first):
        frame = c.group.frame
        if c.status in ASSERTED and any(rule(c) for rule in RULES):
            last[frame] = "dropped"
            continue
        if c.status in ASSERTED and _restating(c) and last.get(frame) == "dropped":
            gone.add(c.trig.i)
            continue
        if c.status in ASSERTED and any(x.dep_ == "nsubj" and x.i in gone for x in c.trig.children):
            continue  # ("The bombings destroyed 4 health facilities": what those bombings did)
        last[frame] = "kept"
        out.append(c)
    kept = {id(c) for c in out}
    return [c for c in cands if id(c) in kept]
