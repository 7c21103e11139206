"""Stages between roles and status: the discourse links and the sub-event type of each candidate.

Reads the candidates in article order; writes ``Cand.location`` / ``Cand.actor1`` inherited from the event an
anaphor ("the attack", "the town") refers to (``_discourse``), the actor of a trigger whose subject is another
trigger (``_link_subjects``), ``Cand.sub_event_type`` and ``Cand.cameo`` (``_resolve_subtype``; the optional
sentence classifier tie-breaks generic triggers: ``_classifier_subtypes``).
"""
from __future__ import annotations

from flashpoint.events import codes, roles
from flashpoint.events.candidate import VIOLENT_FRAMES, Cand, _is_coarse, _same_place
from flashpoint.events.classify import get_classifier
from flashpoint.events.clause_place import _ANAPHORIC_PLACE, _last_town_before, _verbal_head
from flashpoint.settings import settings


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
            # (not past violence against people told after it: "48 people executed by government forces in the
            # village of Rityan ... The killings took place after troops entered the town" are those executions, not
            # the rocket fire told before them)
            later = [p for p in prev if p.group.frame == "violence" and not p.group.generic and spec
                     and p.status not in ("hypothetical", "historical") and p.sent.start != c.sent.start
                     and p.sent.start > spec[-1].sent.start]
            if later:
                spec = []
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
                own = _own_village(c, src)
                if src.location is not None and not own:
                    c.location, c.loc_inherited = src.location, False
                c.date, c.precision = src.date, src.precision
                if own:
                    c.date_explicit = src.date_explicit  # the antecedent's stated day is this town's day too
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


def _own_village(c: Cand, src: Cand) -> bool:
    """"The most violent airstrikes targeted civilian neighborhoods of Idlib city as well as the towns of Tal Minnis
    Sarmada and Maaret Alnouman": a restated weapon that names a town or village of its own (not a province, not the
    antecedent's place) struck there too -- one more event per place (ACLED), with the antecedent's day."""
    own = c.location
    return own is not None and own.resolved and not _is_coarse(own) and not _same_place(own, src.location)


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


# "killed in strikes on two of the organisation's positions": a war's bare "strike(s)" is an air strike; these words
# before it say otherwise ("hunger strike", "general strike", "ground strikes")
NOT_AIR_STRIKE_MODIFIERS = {"hunger", "general", "labour", "labor", "worker", "ground", "artillery", "rocket",
                            "missile", "mortar", "preemptive", "pre-emptive", "first"}


TERROR_ATTACK_NOUNS = {"attack", "assault"}
TERROR_MODIFIERS = {"terrorist", "terror"}
STRIKE_MAKING_VERBS = {"conduct", "carry", "launch", "stage", "mount", "make", "deliver"}
# "Assads Air Force Kills 65 Civilians in Raqqa", "Regime helicopters killed five in Daraya": what aircraft do
# in their own sentence is an air strike
AIR_PLATFORM_HEADS = ("air force", "warplanes", "warplane", "war planes", "jets", "jet", "aircraft", "aircrafts",
                      "planes", "helicopters", "helicopter", "gunships", "drones", "drone", "bombers")
AIR_PLATFORM_LOOKAHEAD = 16  # characters after an actor's mention read for the aircraft it flies


def _unmodified_strike(t) -> bool:
    """A bare "strike(s)" as the subject ("strikes hit the town"), after "in" / "by" ("killed in strikes on two
    positions", "hit by strikes") or made ("conducted strikes"), with no modifier naming another kind of strike."""
    if any(x.lemma_.lower() in NOT_AIR_STRIKE_MODIFIERS for x in t.children if x.dep_ in ("compound", "amod")):
        return False
    # ("Six Tupolev bombers ... conducted strikes east of Palmyra", "launched strikes against gatherings")
    made = t.dep_ == "dobj" and t.head.lemma_.lower() in STRIKE_MAKING_VERBS
    return made or t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "pobj" and t.head.lower_ in ("in", "by"))


def _terror_attack(c: Cand) -> bool:
    """"The terrorist attack in Huila took place near Aipe": an attack its report calls terrorism, on no armed
    side, is one on civilians (ACLED: Violence against civilians), not a clash of two armed sides ("The army
    encountered a terrorist attack against one of its posts" stays a clash)."""
    t = c.trig
    return t.lemma_.lower() in TERROR_ATTACK_NOUNS and any(
        x.dep_ in ("amod", "compound") and x.lemma_.lower() in TERROR_MODIFIERS for x in t.children) and (
        c.actor2 is None or roles.is_civilian(c.actor2)) and not roles.is_state(c.actor1)


def _flown_by_actor(c: Cand) -> bool:
    """Is actor1 named in the trigger's sentence by an aircraft ("Assads Air Force", "Russian jets")?"""
    a = c.actor1
    if a is None or a.start is None or not (c.sent.start_char <= a.start < c.sent.end_char):
        return False
    name = " ".join((a.name or "").lower().split())
    # ("Assads Air Force": the person is the mention, the aircraft follow it)
    after = " ".join(c.sent.doc.text[a.end:a.end + AIR_PLATFORM_LOOKAHEAD].lower().replace("'s ", " ").split())
    return any(name == h or name.endswith(" " + h) or (after + " ").startswith(h + " ") for h in AIR_PLATFORM_HEADS)


# nouns of the losses of a side, and the verbs by which a side suffers or inflicts them
LOSS_NOUNS = {"casualty", "casualties", "loss", "losses"}
SUFFERING_VERBS = {"suffer", "sustain", "take", "incur"}
INFLICTING_VERBS = {"inflict", "cause"}
ON_PREPS = ("on", "upon", "among")


def _armed_losses(c: Cand) -> bool:
    """"The army suffered 40 casualties", "the rebels inflicted 15 casualties on the battalion", "nine government
    casualties": the losses of an armed side are a battle's (ACLED: Armed clash), not violence against civilians."""
    t = c.trig
    if t.lemma_.lower() not in LOSS_NOUNS and t.lower_ not in LOSS_NOUNS:
        return False
    doc, h = t.doc, t.head
    sides = [x for x in t.children if x.dep_ in ("compound", "amod")]
    if t.dep_ == "dobj" and h.lemma_.lower() in SUFFERING_VERBS:
        sides += [x for x in h.children if x.dep_ == "nsubj"]
    for owner in (t, h) if t.dep_ == "dobj" and h.lemma_.lower() in INFLICTING_VERBS else (t,):
        sides += [roles.pobj_of(x) for x in owner.children if x.dep_ == "prep" and x.lower_ in ON_PREPS]
    for x in sides:
        a = roles.actor_for_token(doc, x) if x is not None else None
        if a is None and x is not None:  # ("government casualties", "on an army battalion": the modifier)
            a = roles.modifier_actor(doc, [y for y in x.subtree if y.dep_ in ("compound", "amod")] or [x])
        if a is not None and not roles.is_civilian(a) and not roles.is_non_combatant(a):
            return True
    return False


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
    elif g.name == "ied" and c.trig.lemma_.lower() in ("bomb", "bomblet") and c.trig.head.lemma_.lower() == "drop":
        # "The bombs were dropped on a camp near al-Habeet": bombs are dropped from aircraft
        st, cameo = "Air/drone strike", "195"
    elif g.name == "attack" and c.trig.lemma_.lower() in ("strike", "raid") and c.trig.pos_ == "NOUN" and (
            (c.actor1 is not None and (roles.is_state(c.actor1) or (c.actor1.inter == 8))) or
            (c.actor1 is None and c.trig.lemma_.lower() == "strike" and _unmodified_strike(c.trig))):
        # "Russian strikes", "coalition raids": states strike from the air
        st, cameo = "Air/drone strike", "195"
    elif st in ("Attack", "Armed clash") and g.frame in ("clash", "violence") and _flown_by_actor(c):
        st, cameo = "Air/drone strike", "195"
    elif g.frame == "clash" and (civ and c.actor1 is not None or _terror_attack(c)):
        st, cameo = "Attack", "180"
    if g.frame == "violence" and st == "Attack" and not civ and (
            c.actor2 is not None and not roles.is_civilian(c.actor2) and c.actor1 is not None or _armed_losses(c)):
        st, cameo = "Armed clash", "190"
    c.sub_event_type, c.cameo = st, cameo


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
