"""Protest policing (issue #13 item 2): crowd-control weapons and dispersals as ACLED protest events.

"Police fired tear gas and rubber bullets to disperse protesters", "used water cannon and stun grenades",
"resorted to a lathi-charge": limited force against a crowd is ``Protest with intervention`` (ACLED: actor1 the
protesters, actor2 the force that intervened); when the same sentence reports deaths it is ``Excessive force
against protesters`` (actor1 the force, actor2 the protesters). The trigger group is ``crowd_control`` in
``data/events/triggers.yaml``; its longer phrases win over "gas", "grenade", "cannon" and "shell", so protest
policing is never coded as Chemical weapon, Grenade or Shelling.

Two refine rules: ``crowd_control`` (per candidate) and ``intervention_subsumes_protests`` (per article).

Police actions beyond crowds (issue #13, South Asian and world police news): a bare "fire" that shoots ("police
fired 14 rounds", "the police had to fire") and the force named by "police firing" are the police's shooting;
weak custody verbs ("picked up", "were held", "caught by the police") are arrests only with a person in custody and
a force or custody context, and "apprehended trouble", "arrest warrant", "cardiac arrest" are no arrests; an
unnamed force ("500 army jawans", "65 companies of the CRPF", "additional force") is actor1 of its flag march,
deployment, arrest or firing; arrests record no deaths. The lexicon side is in ``data/events/triggers.yaml``
(shooting, arrest, group_change) and the checks run from ``candidates._skip_trigger`` and the refine rules.
"""
from __future__ import annotations

import re

from flashpoint.events import roles
from flashpoint.events.candidate import ASSERTED, Cand, _absorb, country_of

FRAME = "crowd_control"
INTERVENTION = ("Protest with intervention", "141")
EXCESSIVE_FORCE = ("Excessive force against protesters", "175")
# the generic noun an unnamed intervening force resolves to ("tear gas was fired at the crowd")
DEFAULT_FORCE_NOUN = "police"
DISPERSE_LEMMA = "disperse"
SHOOTING_GROUP = "shooting"
CROWD_INTERS = (5, 6)  # ACLED inter codes of rioters and protesters


def _intransitive_dispersal(t) -> bool:
    """"the crowd dispersed peacefully": the crowd left; nobody dispersed it."""
    if t.lemma_.lower() != DISPERSE_LEMMA or t.pos_ not in ("VERB", "AUX"):
        return False
    passive = any(ch.dep_ in ("nsubjpass", "auxpass") for ch in t.children)
    return not passive and not any(ch.dep_ == "dobj" for ch in t.children) and t.dep_ not in ("xcomp", "advcl")


def _purpose_of_past_act(t) -> bool:
    """"police fired in the air to disperse the mob": the dispersal is the purpose of an act that happened -- the
    intervention took place (not a hypothetical)."""
    head = t.head
    return t.dep_ in ("advcl", "xcomp") and any(ch.dep_ == "aux" and ch.lower_ == "to" for ch in t.children) \
        and head.i != t.i and head.tag_ in ("VBD", "VBN")


def crowd_control(art, c: Cand) -> bool:
    """The sub-type and the two sides of a crowd-control event; drops an intransitive "the crowd dispersed"."""
    from flashpoint.actors import resolve_text

    if c.group.frame != FRAME:
        return False
    if _intransitive_dispersal(c.trig):
        return True
    if c.status == "hypothetical" and _purpose_of_past_act(c.trig):
        c.status = "reported"
    country = country_of(art.doc, c)
    force = c.actor1
    if force is None or not roles.is_state(force):
        force = resolve_text(DEFAULT_FORCE_NOUN, country) if force is None else force
    # "a lathi-charge against farmers protesting": the crowd is protesters (or rioters), whoever they are
    crowd = c.actor2 if c.actor2 is not None and c.actor2.inter in CROWD_INTERS else None
    if crowd is None:
        crowd = resolve_text("protesters", country)
    fat = c.fat.get("fatalities")
    if isinstance(fat, int) and fat > 0:
        c.sub_event_type, c.cameo = EXCESSIVE_FORCE
        c.actor1, c.actor2 = force, crowd
    else:
        c.sub_event_type, c.cameo = INTERVENTION
        c.actor1, c.actor2 = crowd, force
    c.assoc1, c.assoc2 = [], []
    return False


def _riot_absorbs_dispersal(cands: list[Cand]) -> list[Cand]:
    """"Police fired in the air to disperse the mob": a riot met with force stays one riot (ACLED: Violent
    demonstration or Mob violence, the rioters as actor1, the force that intervened as actor2)."""
    riots = {c.sent.start: c for c in cands if c.group.frame == "riot" and c.status in ASSERTED}
    out = []
    for c in cands:
        r = riots.get(c.sent.start)
        if r is not None and c.group.frame == FRAME and c.sub_event_type == INTERVENTION[0]:
            force = c.actor2
            _absorb(r, c)
            if r.actor2 is None and force is not None and roles.name_of(force) != roles.name_of(r.actor1):
                r.actor2 = force
            continue
        out.append(c)
    return out


def intervention_subsumes_protests(doc, cands: list[Cand]) -> list[Cand]:
    """"Police used water cannon against protesters": one event, the protest that was intervened in -- the protest
    nouns and the other crowd-control words of the sentence fold into its first crowd-control event."""
    cands = _riot_absorbs_dispersal(cands)
    host: dict[int, Cand] = {}
    kept = []
    for c in cands:
        h = host.get(c.sent.start)
        if h is not None and c.status == h.status and (c.group.frame in (FRAME, "protest")):
            _absorb(h, c)
            continue
        if c.group.frame == FRAME:
            host[c.sent.start] = c
        kept.append(c)
    # a protest noun before the crowd-control word ("Protesters were dispersed with tear gas")
    hosts = {id(h) for h in host.values()}
    out = []
    for c in kept:
        h = host.get(c.sent.start)
        # "Police fired shots in the air to disperse the farmers": warning shots are part of the intervention
        shots = c.group.name == SHOOTING_GROUP and warning_shots(c.trig)
        if h is not None and id(c) not in hosts and (c.group.frame == "protest" or shots) and c.status == h.status:
            _absorb(h, c)
            continue
        out.append(c)
    return out


def _force_modifier(tok):
    """The force noun that modifies a shooting noun ("police firing", "army bullets"), if any."""
    for ch in tok.children:
        if ch.dep_ in ("compound", "amod", "nmod", "poss") and FORCE_SUBJECT.fullmatch(ch.lower_):
            return ch
    # "killed in 500 rounds of firing by the police": the force is the noun's "by" agent
    for ch in tok.children:
        agent = roles.pobj_of(ch) if ch.dep_ in ("prep", "agent") and ch.lower_ == "by" else None
        if agent is not None and FORCE_SUBJECT.fullmatch(agent.lower_):
            return agent
    # ("killed in police firing" parsed with "police" as the object of "in" and "firing" as a clause of its own)
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and tok.lower_ == "firing" and FORCE_SUBJECT.fullmatch(prev.lower_) and prev.dep_ in (
            "pobj", "compound", "nsubj"):
        return prev
    return None


def police_firing(art, c: Cand) -> bool:
    """"two persons have been killed in police firing as rampaging mobs torched several shops": the force that
    names the firing is its actor1, whoever else the sentence names (the mob of the as-clause is the other side)."""
    from flashpoint.actors import resolve_text

    if c.group.name != SHOOTING_GROUP or c.trig.pos_ not in ("NOUN", "PROPN", "VERB"):
        return False
    mod = _force_modifier(c.trig)
    if c.actor2 is not None and roles.name_of(c.actor2) == roles.name_of(c.actor1):
        c.actor2 = None  # (not both sides of its own firing)
    if mod is None or (c.actor1 is not None and roles.is_state(c.actor1)):
        return False
    force = resolve_text(mod.text, country_of(art.doc, c))
    if force is None or not roles.is_state(force):
        return False
    if c.actor1 is not None and c.actor1.inter in CROWD_INTERS and c.actor2 is None:
        c.actor2 = c.actor1
    elif c.actor2 is not None and roles.name_of(c.actor2) == roles.name_of(force):
        c.actor2 = None
    c.actor1 = force
    return False


def _deployed_noun(verb):
    """The force a passive deployment verb moves: its own passive subject, or the subject of the verb it is
    coordinated with ("The army arrived on Sunday and was deployed in the old city")."""
    s = roles.child(verb, "nsubjpass", "nsubj")
    if s is None and verb.dep_ == "conj" and verb.head.i != verb.i:
        s = roles.child(verb.head, "nsubj", "nsubjpass")
    return s


def deployed_force(art, c: Cand) -> bool:
    """"army troops were deployed in three cities": the force that is deployed is the actor of its own change of
    activity (the passive subject), not its target. A generic force noun that names no known actor ("additional
    forces have been mobilised") resolves for the article's country."""
    if c.group.name != "group_change" or c.trig.pos_ not in ("VERB", "AUX") or not roles.is_passive(c.trig):
        return False
    if c.actor1 is None and c.actor2 is not None:
        c.actor1, c.actor2 = c.actor2, None
    if c.actor1 is None:
        c.actor1 = _generic_force(_deployed_noun(c.trig), country_of(art.doc, c))
    return False


# the words of a generic force that name no known actor ("65 companies of the CRPF", "army jawans", "additional
# force", "officers"): soldiers' words resolve as the army, the others as the police
MILITARY_WORDS = re.compile(r"\b(army|troops?|soldiers?|jawans?|military|columns?|paramilitar\w*|commandos?|"
                            r"rangers?)\b", re.I)
MILITARY_NOUN = "army"
# the police-action groups whose unnamed subject may be such a force
FORCE_ACTION_GROUPS = frozenset({"show_of_force", "group_change", "arrest", SHOOTING_GROUP})


def _generic_force(tok, country):
    """The state force a subject noun phrase names: its own actor, else the army or the police by its words."""
    from flashpoint.actors import resolve_text

    if tok is None:
        return None
    text = " ".join(x.text for x in roles.np_tokens(tok))
    m = FORCE_SUBJECT.search(text) or MILITARY_WORDS.search(text)
    if not m:
        return None
    a = resolve_text(m.group(0), country)
    if a is None or not roles.is_state(a):
        a = resolve_text(MILITARY_NOUN if MILITARY_WORDS.search(text) else DEFAULT_FORCE_NOUN, country)
    return a


def force_subject_actor(art, c: Cand) -> bool:
    """"500 army jawans staged a flag march", "additional force has been deployed at the stations", "officers
    picked up six youths": an unnamed force that is the subject of a police action is its actor1."""
    if c.actor1 is not None or c.group.name not in FORCE_ACTION_GROUPS:
        return False
    t = c.trig
    v = t if t.pos_ in ("VERB", "AUX") else (t.head if t.dep_ in ("dobj", "attr") else None)
    if v is None:
        return False
    if roles.is_passive(v):
        subj = roles.child(v, "nsubjpass") if c.group.name == "group_change" else roles.agent_of(v)
    else:
        subj = roles.child(v, "nsubj") or _controller(v)
    c.actor1 = _generic_force(subj, country_of(art.doc, c))
    return False


def _controller(v):
    """Who does an infinitive's act: "forcing the police to open fire" (the object of the governing verb), "the
    police was forced to lathicharge" (its passive subject), "the police had to fire" (its subject)."""
    if v.dep_ not in ("xcomp", "conj") or v.head.i == v.i:
        return None
    h = v.head
    if v.dep_ == "xcomp":
        return roles.child(h, "dobj") or roles.child(h, "nsubjpass") or roles.child(h, "nsubj")
    return roles.child(h, "nsubj") or roles.child(h, "nsubjpass")


# "advanced to within firing range of the road": "firing" names a distance or a drill, not shooting
FIRING_NOT_SHOOTING = frozenset({"range", "line", "position", "practice", "drill", "exercise", "test", "pin"})


def firing_range(art, c: Cand) -> bool:
    """"when they advanced to within firing range of the Castello Road": no shot was fired."""
    t = c.trig
    if t.lower_ != "firing":
        return False
    near = [x for x in t.children if x.dep_ in ("dobj", "compound", "pobj")]
    if t.head.i != t.i:
        near.append(t.head)
    return any(x.lemma_.lower() in FIRING_NOT_SHOOTING for x in near)


# ---------------------------------------------------------------------------------------- police firing and custody
# "police fired 14 rounds", "some 15 rounds were fired": what a bare "fire" must shoot to be shooting
AMMUNITION_LEMMAS = frozenset({"round", "shot", "bullet", "volley", "salvo", "burst", "cartridge", "ammunition",
                               "pellet"})
# "fired at the mob", "fired into the crowd", "fired upon the villagers": a target, so a shooting
FIRE_TARGET_PREPS = frozenset({"at", "upon", "into", "towards", "toward", "on"})
# "fired in the air": warning shots, still shooting
AIR_WORDS = frozenset({"air", "sky"})
# the forces whose bare "fire" is a shooting ("the police had to fire", "troops fired")
FORCE_SUBJECT = re.compile(r"\b(police\w*|cops?|constables?|troops?|soldiers?|army|forces?|personnel|jawans?|"
                           r"gendarm\w*|paramilitar\w*|guards?|officers?|commandos?|rangers?|"
                           # "65 companies of the CRPF", "a contingent of the RAF": units of a force
                           r"compan(?:y|ies)|battalions?|platoons?|contingents?|crpf|bsf|cisf|itbp|rpf|raf|srp)\b",
                           re.I)


# "fired a mortar round", "fired more than 120 rockets and mortar rounds": the shelling group's rounds
HEAVY_WEAPON_WORDS = frozenset({"mortar", "rocket", "missile", "artillery", "tank", "cannon", "howitzer", "shell",
                                "grenade", "gas", "teargas", "rubber", "plastic"})


def _small_arms_round(tok) -> bool:
    """An ammunition noun that no heavy weapon (or crowd-control) word modifies: "14 rounds", "shots"."""
    return tok.lemma_.lower() in AMMUNITION_LEMMAS and not any(
        c.lower_ in HEAVY_WEAPON_WORDS or c.lemma_.lower() in HEAVY_WEAPON_WORDS for c in tok.children
        if c.dep_ in ("compound", "amod", "nmod"))


def _subject_text(verb) -> str:
    """The subject of a verb, or of the verb it is the complement of ("police had to fire": police)."""
    v = verb
    for _ in range(3):
        s = roles.child(v, "nsubj", "agent")
        if s is not None:
            s = roles.pobj_of(s) if s.dep_ == "agent" else s
            return " ".join(x.text for x in roles.np_tokens(s)) if s is not None else ""
        if v.dep_ not in ("xcomp", "conj", "advcl") or v.head.i == v.i:
            break
        v = v.head
    return ""


def bare_fire_is_shooting(tok) -> bool:
    """A bare verb "fire" is a shooting when it fires ammunition ("police fired 14 rounds", "some 15 rounds were
    fired"), at a target or into the air ("fired at the mob", "fired in the air"), or when a force fires
    without an object ("the police had to fire"). "Fired tear gas shells", "fired rockets" are other triggers'
    words; "was fired from his job" is no shooting."""
    if tok.lemma_.lower() != "fire" or tok.pos_ not in ("VERB", "AUX") or tok.lower_ == "firing":
        return True  # ("killed in police firing": the lexicon's "firing" in any use)
    kids = list(tok.children)
    if tok.dep_ in ("acl", "relcl") and not _small_arms_round(tok.head):
        return False  # "a missile fired by Syrian forces": the noun it modifies is what was fired
    obj = [c for c in kids if c.dep_ in ("dobj", "nsubjpass")]
    if obj:
        return any(_small_arms_round(x) for o in obj for x in o.subtree)
    for p in (c for c in kids if c.dep_ == "prep"):
        pobj = roles.pobj_of(p)
        if pobj is None or pobj.ent_type_ in ("DATE", "TIME"):
            continue
        if p.lower_ in FIRE_TARGET_PREPS or (p.lower_ == "in" and pobj.lower_ in AIR_WORDS):
            return True
    return bool(FORCE_SUBJECT.search(_subject_text(tok)))


def warning_shots(tok) -> bool:
    """"fired in the air", "fired shots into the air": warning shots."""
    return any(c.dep_ == "prep" and c.lower_ in ("in", "into") and (roles.pobj_of(c) is not None)
               and roles.pobj_of(c).lower_ in AIR_WORDS for c in tok.children)


# custody verbs that mean other things too: "picked up the phone", "held a meeting", "caught fire",
# "apprehended trouble" (feared); they arrest only a person, and (but "apprehend") only with a force or custody
# word around them
WEAK_CUSTODY_LEMMAS = frozenset({"pick", "hold", "catch"})
# "hold" holds places too ("the army held the housing project"): only a person is held in custody
PERSON_ONLY_CUSTODY_LEMMAS = frozenset({"hold"})
PLACE_ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})
FEAR_SENSE_LEMMAS = frozenset({"apprehend"})
# the people who are taken into custody ("six youths", "forty persons", "the accused", "two suspects")
PERSON_NOUNS = re.compile(r"^(persons?|people|men|man|women|woman|youths?|boys?|suspects?|accused|activists?|"
                          r"members?|cadres?|workers?|leaders?|militants?|terrorists?|rioters?|protesters?|"
                          r"students?|villagers?|residents?|agents?|culprits?|criminals?|miscreants?|"
                          r"kar ?sevaks?|supporters?|volunteers?|individuals?|others|those|them|him|her|he|she|they|"
                          r"all|some|many|several)$", re.I)
# a custody context for a passive "were held" without an agent ("in connection with the attack", "in a raid")
CUSTODY_CONTEXT = re.compile(r"\b(police\w*|custody|arrest\w*|in connection with|combing|raids?|charges?|"
                             r"interrogat\w*|questioning|suspicion|jail|lock-?up|detention|booked)\b", re.I)
# "held hostage", "caught fire", "caught in the crossfire", "held talks": not custody
NOT_CUSTODY_WORDS = frozenset({"hostage", "hostages", "captive", "fire", "crossfire", "talk", "talks", "meeting",
                               "responsible", "accountable", "office", "power", "election", "elections", "rally",
                               "sway", "breath", "view", "views", "position", "positions"})


# "apprehending trouble", "the party apprehended cross-voting": what is feared
FEARED_OBJECTS = frozenset({"trouble", "threat", "danger", "violence", "attack", "clash", "clashes", "tension",
                            "problem", "problems", "disturbance", "cross-voting", "voting", "backlash", "defeat",
                            "loss", "rift", "split", "reprisal", "retaliation", "breach", "mischief", "unrest",
                            "alienation", "flare-up", "outbreak"})
# what a force picks up or holds that is not a person: "police picked up the bodies", "held a meeting"
NOT_CUSTODY_OBJECTS = frozenset({"body", "bodies", "corpse", "weapon", "arm", "explosive", "bomb", "phone",
                                 "evidence", "sample", "piece", "debris", "meeting", "talk", "rally", "post",
                                 "position", "ground", "line", "area", "town", "city", "village", "control"})


def _personish(tok) -> bool:
    if tok is None:
        return False
    if tok.ent_type_ in ("PERSON", "NORP") or tok.like_num:
        return True
    return bool(PERSON_NOUNS.match(tok.lower_)) or bool(PERSON_NOUNS.match(tok.lemma_.lower()))


def _custody_undergoer(tok):
    """The person taken: the object of an active verb, the subject of a passive one."""
    return roles.child(tok, "dobj", "nsubjpass")


def custody_verb_is_arrest(tok) -> bool:
    """"Police picked up six youths", "forty persons were held in a combing operation", "were caught by the
    police": an arrest. "Shopkeepers apprehended trouble", "the meeting was held", "held hostage by militants",
    "caught fire" are not."""
    lem = tok.lemma_.lower()
    if lem in FEAR_SENSE_LEMMAS:
        # "they apprehended that violence might break out", "apprehending trouble": fear, not arrest
        if roles.child(tok, "ccomp") is not None:
            return False
        obj = _custody_undergoer(tok)
        return obj is None or not (obj.lemma_.lower() in FEARED_OBJECTS or obj.tag_ == "VBG" or any(
            x.lower_ in FEARED_OBJECTS for x in obj.subtree))
    if lem not in WEAK_CUSTODY_LEMMAS:
        return True
    if lem == "pick" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        return False
    if any(x.lower_ in NOT_CUSTODY_WORDS for x in tok.children) or any(
            x.lower_ in NOT_CUSTODY_WORDS for c in tok.children if c.dep_ in ("dobj", "oprd", "xcomp", "prep")
            for x in c.subtree):
        return False
    who = _custody_undergoer(tok)
    if who is None or who.lemma_.lower() in NOT_CUSTODY_OBJECTS:
        return False
    if lem in PERSON_ONLY_CUSTODY_LEMMAS and (not _personish(who) or who.ent_type_ in PLACE_ENTITY_LABELS):
        return False  # "Jaysh al-Fateh stormed the Syrian Arab Army held 3000 Housing Project": army-held ground
    agent = roles.agent_of(tok) if roles.is_passive(tok) else roles.child(tok, "nsubj")
    if agent is not None:
        # ("kalota was picked up by the police": a force's custody verb takes a name the parser does not know)
        return bool(FORCE_SUBJECT.search(" ".join(x.text for x in roles.np_tokens(agent))))
    return _personish(who) and bool(CUSTODY_CONTEXT.search(tok.sent.text))


# "arrest warrant", "arrest order": a document; "court arrest" (to invite arrest as a protest)
ARREST_DOCUMENT_HEADS = frozenset({"warrant", "warrants", "order", "orders", "memo"})
COURT_ARREST_LEMMA = "court"
MEDICAL_ARREST_WORDS = frozenset({"cardiac", "heart", "respiratory", "cardio-respiratory", "cardiopulmonary"})
CASUALTY_KEYS = ("fatalities", "civilian_fatalities", "children", "women")


def arrest_without_toll(art, c: Cand) -> bool:
    """"police had arrested 62 persons in connection with the carnage in which 58 passengers were charred to death":
    the deaths of the sentence are the carnage's, not the arrest's (ACLED's arrests record no fatalities)."""
    if c.group.frame == "arrest":
        for k in CASUALTY_KEYS:
            c.fat[k] = None
        c.tolls = []
    return False


def arrest_noun_is_no_arrest(tok) -> bool:
    """"The arrest warrant was withdrawn", "they will court arrest": no one was arrested."""
    if tok.lower_ not in ("arrest", "arrests"):
        return False
    if any(ch.lower_ in MEDICAL_ARREST_WORDS for ch in tok.children):
        return True  # "he suffered a cardiac arrest"
    if tok.dep_ == "compound" and tok.head.lower_ in ARREST_DOCUMENT_HEADS:
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in ARREST_DOCUMENT_HEADS:
        return True
    return tok.head.lemma_.lower() == COURT_ARREST_LEMMA or (
        tok.i > 0 and tok.doc[tok.i - 1].lower_ == COURT_ARREST_LEMMA)
