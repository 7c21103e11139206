"""Stage ``roles``: actor1 and actor2 of one candidate from the dependency parse (issue #11 item 6).

A verbal trigger takes its clause's subject and object; a noun trigger takes the actor inside its noun phrase
("Russian air strikes"), then its prepositions (by/from X, between X and Y, against X), then the verb governing it
("terrorist positions received strikes", "was carried out by X"). Checks on the pair follow: the same actor is not
both sides, rebels fly no warplanes, an organisation is not an attacker, civilians are victims. The token helpers
are in ``flashpoint.events.roles``.
"""
from __future__ import annotations

import re

from flashpoint.events import roles
from flashpoint.events.candidate import VIOLENT_FRAMES, Cand
from flashpoint.events.lexicon import status_cues
from flashpoint.model import Actor
from flashpoint.nlp import doc_keys

VERBAL = ("VERB", "AUX")
# "Jets thought to belong to", "strikes carried out by": participles whose agent is the noun trigger's actor
AGENT_PARTICIPLES = ("carried", "launched", "conducted", "staged", "mounted", "fired", "dropped", "planted",
                     "detonated", "lobbed", "set", "committed", "perpetrated", "waged", "led")
BACKING_VERBS = ("back", "support", "aid", "assist", "ally", "help", "accompany")
EXTERNAL_FORCE = 8  # ACLED inter code of external/other forces
# a verbal trigger in these positions is a gerund used as a noun ("killed in police firing")
NOMINAL_DEPS = ("pobj", "dobj", "nsubj", "nsubjpass", "compound")
# "were killed when the police fired": the clause these open says how the death happened
HOW_MARKERS = ("when", "as", "after")
# intransitive outcomes whose cause is told in a when-clause ("died when soldiers opened fire")
AGENTLESS_OUTCOMES = ("die", "perish", "succumb")
# the violent verbs of such a clause whose subject is the agent ("fired", "opened fire", "attacked", "shelled")
HOW_VERBS = frozenset({"fire", "open", "shoot", "attack", "shell", "bomb", "storm", "raid", "strike", "hit",
                       "target", "charge", "detonate", "explode", "ambush", "clash", "launch", "throw", "lob"})
# "Police blamed the ELN for the bombing": the blamed did it ("accused the regime of a chlorine attack" is left to the
# claim: FA-KES codes such accusations' attacks as of unknown perpetrator)
BLAME_VERBS = ("blame",)
# "the bombing was blamed on the ELN", "an attack attributed to the FMLN": the verb and its preposition
BLAMED_ON_VERBS = {"blame": ("on",), "attribute": ("to",), "pin": ("on",)}
# "the MRTA is responsible for the attack", "the police hold the MRTA responsible for the attack"
RESPONSIBLE_WORDS = ("responsible",)
HOLD_VERBS = ("hold", "consider", "find", "deem")
_AIR_NOUNS = {"airstrike", "airstrikes", "strike", "strikes", "raid", "raids", "bombardment", "warplane", "jet",
              "helicopter", "aircraft", "plane", "bomber", "sortie"}


# "guerrillas attacked a bus", "an attack on the pipeline", "dynamited power pylons": civilian property and
# infrastructure as the target make an attack one on civilians, not a clash of armed forces
CIVILIAN_PROPERTY_RE = re.compile(r"\b(pipelines?|power (?:lines?|plants?|stations?)|pylons?|electric\w* towers?|"
                                  r"substations?|buses|bus|vehicles?|trucks?|taxis?|embass(?:y|ies)|hotels?|banks?|"
                                  r"newspapers?|offices|shops?|stores?|restaurants?|bridges?|universit(?:y|ies))\b",
                                  re.I)


def _civilian_np(tok) -> bool:
    words = " ".join(x.text for x in roles.np_tokens(tok))
    return bool(roles.CIVILIAN_RE.search(words) or CIVILIAN_PROPERTY_RE.search(words))


def _verb_roles(doc, c: Cand, t) -> tuple:
    """A verbal trigger: the clause's subject and object."""
    a2 = None
    s = roles.subject_of_clause(t)
    a1 = roles.actor_for_token(doc, s) if s is not None else None
    o = roles.object_of_clause(t)
    if o is not None:
        a2 = roles.actor_for_token(doc, o)
        if a2 is None:
            a2 = roles.holder_of(doc, roles.np_tokens(o))
        if c.group.frame in ("clash", "violence", "remote") and _civilian_np(o):
            c.fat["_civ_target"] = True
    return a1, a2


def _noun_phrase_actor(doc, c: Cand, t, np) -> Actor | None:
    """A noun trigger's actor inside its noun phrase ("Russian air strikes")."""
    inner = [x for x in np if x.i < c.start or x.i >= c.end or c.group.frame == "remote"]
    if not inner:
        return None
    a1 = None
    lo, hi = min(x.idx for x in np), max(x.idx + len(x.text) for x in np)
    cands = roles.actors_in(doc, lo, hi)
    cands = [a for a in cands if not roles.is_civilian(a)]
    if cands:
        a1 = cands[0]
    elif roles.owner_actor(doc, t) is not None:  # "Jets thought to belong to the Syrian government"
        a1 = roles.owner_actor(doc, t)
    else:
        for x in np:
            if x.dep_ == "poss" and x.pos_ == "PRON":
                a1 = roles.resolve_pronoun(doc, x)
        if a1 is None:  # "regime airstrikes", "Russian strikes": the modifier names the actor
            left = [x for x in np if x.i < c.start and not x.is_punct and x.dep_ != "det"]
            if left:  # "US-led air strikes": the whole modifier first, then word by word
                lo, hi = left[0].i, left[-1].i + 1
                a1 = roles.modifier_actor(doc, [doc[lo:hi]] + left)
    return a1


def _preposition_roles(doc, c: Cand, t, a1, a2) -> tuple:
    """A noun trigger's prepositions: "by/from X", "between X and Y", "against/on X", "carried out by X"."""
    for ch in t.children:
        if ch.dep_ == "prep":
            p = roles.pobj_of(ch)
            if p is None:
                continue
            if ch.lower_ in ("by", "from") and a1 is None:
                a1 = roles.actor_for_token(doc, p)
            elif ch.lower_ in ("between", "among") and a1 is None:
                a1 = roles.actor_for_token(doc, p)
                for cj in p.conjuncts:
                    b = roles.actor_for_token(doc, cj)
                    if b is not None and roles.name_of(b) != roles.name_of(a1):
                        a2 = b
                        break
            elif ch.lower_ in ("against", "on", "targeting", "at", "upon") and a2 is None:
                a2 = roles.actor_for_token(doc, p)
                if _civilian_np(p):
                    c.fat["_civ_target"] = True
        if ch.dep_ == "acl" and ch.lower_ in AGENT_PARTICIPLES:
            ag = roles.agent_of(ch)
            if ag is not None and a1 is None:
                a1 = roles.actor_for_token(doc, ag)
    return a1, a2


def _patient_roles(doc, t, a1, a2) -> tuple:
    """"terrorist positions received strikes", "the town came under shelling": the subject is hit."""
    h = t.head
    v = h if t.dep_ == "dobj" else h.head
    s = roles.child(v, "nsubj")
    if s is not None and a2 is None:
        a2 = roles.actor_for_token(doc, s)
    for ch in v.children:  # "received strikes by the army's air force" (by attached to the verb)
        p = roles.pobj_of(ch) if ch.dep_ == "prep" and ch.lower_ in ("by", "from") else None
        if p is not None:
            a1 = roles.actor_for_token(doc, p)
            break
    return a1, a2


def _passive_agent(h):
    """The agent of a passive verb, or of its complement ("was reported to have been carried out by X")."""
    ag = roles.agent_of(h)
    if ag is None:
        for d in h.subtree:
            if d.dep_ == "xcomp" or d.dep_ == "ccomp":
                ag = roles.agent_of(d)
                if ag is not None:
                    break
    return ag


def _governor_roles(doc, t, a1, a2) -> tuple:
    """A noun trigger without an actor of its own: the actor from the verb governing it."""
    h = t.head
    patient = h.lemma_.lower() in status_cues().get("patient_verbs", ()) and (
        t.dep_ == "dobj" or (t.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ == "under"))
    if patient:
        a1, a2 = _patient_roles(doc, t, a1, a2)
    elif t.dep_ in ("dobj",) and h.pos_ in VERBAL and \
            h.lemma_.lower() not in status_cues().get("commentary_verbs", ()):
        s = roles.subject_of_clause(h)
        trig_toks = doc.user_data.get(doc_keys.TRIGGER_TOKENS, set())
        if s is not None and s.i not in trig_toks:  # "The offensives ... made gains": linked later
            a1 = roles.actor_for_token(doc, s)
    elif t.dep_ in ("nsubjpass",):
        ag = _passive_agent(h)
        if ag is not None:
            a1 = roles.actor_for_token(doc, ag)
    elif t.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ == "behind" and h.head.lemma_ == "be":
        s = roles.child(h.head, "nsubj")  # "forces loyal to Assad were behind the attack"
        a1 = roles.actor_for_token(doc, s) if s is not None else None
    elif t.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ in ("in", "with", "during", "through", "of"):
        g = h.head
        if g.pos_ in VERBAL and h.lower_ != "of":
            s = roles.subject_of_clause(g)
            if s is not None and not (s.dep_ == "nsubjpass"):
                a1 = roles.actor_for_token(doc, s)
        elif g.pos_ in ("NOUN", "PROPN") and g.dep_ in ("dobj",) and g.head.pos_ == "VERB":
            s = roles.subject_of_clause(g.head)
            a1 = roles.actor_for_token(doc, s) if s is not None else None
    return a1, a2


def _responsible_one(doc, r) -> Actor | None:
    """Who "responsible" says did it: the subject of "X is responsible", the object of "hold X responsible"."""
    if r.dep_ == "acomp":
        s = roles.subject_of_clause(r.head)
        return roles.actor_for_token(doc, s) if s is not None else None
    s = roles.child(r, "nsubj")  # "hold [the MRTA responsible]" read as a small clause
    if s is None and r.head.lemma_.lower() in HOLD_VERBS:
        s = roles.child(r.head, "dobj")
    return roles.actor_for_token(doc, s) if s is not None else None


def _the_incident(t, r) -> bool:
    """"X is responsible for the attack" names the incident told; not a habit ("the government has been responsible
    for chlorine and other chemical attacks") nor one told as another's background ("... was responsible for that
    attack", the 2013 one)."""
    habit = any(x.dep_ == "aux" and x.lemma_.lower() == "have" for x in r.head.children)
    return not habit and any(x.dep_ == "det" and x.lower_ == "the" for x in t.children)


def _blamed_actor(doc, t) -> Actor | None:
    """A noun trigger someone is blamed for: "Police blamed the ELN for the bombing", "the bombing was blamed on
    the ELN", "an attack attributed to the FMLN", "the MRTA is responsible for the attack", "the police hold the
    MRTA responsible for the attack" -- the accused is actor1 (the status stays the claim's)."""
    h = t.head
    if t.dep_ == "pobj" and h.lower_ in ("for", "of"):
        g = h.head
        if g.lemma_.lower() in BLAME_VERBS:
            o = roles.child(g, "dobj")
            return roles.actor_for_token(doc, o) if o is not None else None
        if g.lower_ in RESPONSIBLE_WORDS and _the_incident(t, g):
            return _responsible_one(doc, g)
        if g.dep_ == "dobj" and g.head.lemma_.lower() in BLAME_VERBS:
            return roles.actor_for_token(doc, g)  # "blamed FMLN guerrillas for the murder" ("for" on the object)
        return None
    verbs = [h] if t.dep_ in ("dobj", "nsubjpass") else [c for c in t.children if c.dep_ in ("relcl", "acl")]
    for v in verbs:
        for prep in BLAMED_ON_VERBS.get(v.lemma_.lower(), ()):
            p = next((roles.pobj_of(c) for c in v.children if c.dep_ == "prep" and c.lower_ == prep), None)
            if p is not None:
                return roles.actor_for_token(doc, p)
    return None


def _clash_counterpart(doc, t, a2) -> Actor | None:
    """"10 soldiers were killed in clashes with IS jihadists": the other side of the clash."""
    for ch in t.children:
        p = roles.pobj_of(ch) if ch.dep_ == "prep" and ch.lower_ == "with" else None
        b = roles.actor_for_token(doc, p) if p is not None else None
        if b is not None and not roles.is_civilian(b) and roles.name_of(b) != roles.name_of(a2):
            return b
    return None


def _noun_roles(doc, c: Cand, t) -> tuple:
    """A noun trigger: its noun phrase, its prepositions, its governing verb, the other side of a clash, and the
    holder of its noun phrase as actor2."""
    np = roles.np_tokens(t)
    a1 = _noun_phrase_actor(doc, c, t, np)
    a1, a2 = _preposition_roles(doc, c, t, a1, None)
    if a1 is None:
        a1 = _blamed_actor(doc, t)
    if a1 is None:
        a1, a2 = _governor_roles(doc, t, a1, a2)
    if a1 is None and c.group.frame == "clash":
        a1 = _clash_counterpart(doc, t, a2)
    if a2 is None:
        a2 = roles.holder_of(doc, np)
    return a1, a2


def _territory_loser(doc, t) -> Actor | None:
    """"recaptured the town from rebels"."""
    for ch in t.children:
        if ch.dep_ == "prep" and ch.lower_ == "from":
            p = roles.pobj_of(ch)
            a2 = roles.actor_for_token(doc, p) if p is not None else None
            if a2 is not None:
                return a2
    return None


def _air_without_air_force(c: Cand, t, kind: str) -> bool:
    """"Tags Syria Damascus Rebels Douma Ghouta Airstrikes": rebels fly no warplanes -- a non-state actor is not the
    operator of an air strike (drones excepted), whether the strike is the trigger or its subject."""
    air = t if c.group.name == "air" else None
    if air is None and (kind == "V" or t.pos_ in VERBAL):
        sj = roles.subject_of_clause(t)
        air = sj if sj is not None and sj.lemma_.lower() in _AIR_NOUNS else None
    return air is not None and "drone" not in " ".join(x.lower_ for x in air.subtree)


def _when_clause_agent(doc, t) -> Actor | None:
    """"One person was killed when the police fired 15 rounds": a death or injury without an agent of its own takes
    the armed actor of the clause that says how it happened ("when/as X fired/opened fire/attacked")."""
    if not (roles.is_passive(t) or t.lemma_.lower() in AGENTLESS_OUTCOMES):
        return None
    for ch in t.children:
        if ch.dep_ != "advcl" or not any(m.dep_ in ("advmod", "mark") and m.lower_ in HOW_MARKERS
                                         for m in ch.children):
            continue
        if ch.lemma_.lower() not in HOW_VERBS:
            continue  # (not "as terrorists breached the cessation of hostilities agreement")
        s = roles.child(ch, "nsubj")
        a = roles.actor_for_token(doc, s) if s is not None else None
        if a is not None and not roles.is_civilian(a) and not roles.is_non_combatant(a):
            return a
    return None


def _checked_roles(c: Cand, t, kind: str, a1, a2) -> tuple:
    """The pair after the checks: one actor is not both sides; rebels fly no warplanes; "MSF hospital airstrikes",
    "UN convoy attack": the organisation is not the attacker; "civilians were killed": the civilians are victims,
    not perpetrators."""
    if a1 is not None and a2 is not None and roles.name_of(a1) == roles.name_of(a2):
        a2 = None
    if a1 is not None and not (roles.is_state(a1) or a1.inter == EXTERNAL_FORCE) and \
            _air_without_air_force(c, t, kind):
        a1 = None
    if a1 is not None and roles.is_non_combatant(a1) and c.group.frame in VIOLENT_FRAMES:
        a1 = None
    if a1 is not None and (roles.is_observer(a1) or roles.reports_event(t.doc, a1, t)):
        a1 = None  # "the OSCE mission reported shelling", "the ministry said strikes hit": the source, not the actor
    if a1 is not None and roles.is_civilian(a1):
        a2, a1 = a1, None
        c.fat["_civ_target"] = True
    if a2 is not None and roles.is_civilian(a2):
        c.fat["_civ_target"] = True
    return a1, a2


def _backers_from_parse(doc, a1: Actor, trig) -> list[str]:
    span = doc.char_span(a1.start, a1.end, alignment_mode="expand") if a1.start is not None else None
    if span is None:
        return []
    head = span.root
    out = []
    for ch in list(head.children) + ([head.head] if head.dep_ == "nsubj" else []):
        if ch.dep_ in ("acl",) and ch.lemma_ in BACKING_VERBS:
            ag = roles.agent_of(ch)
            if ag is None:
                continue
            toks = [ag] + [x for x in ag.subtree if x.dep_ == "conj"]
            for x in toks:
                lo = min(y.idx for y in x.subtree)
                hi = max(y.idx + len(y.text) for y in x.subtree)
                for a in roles.actors_in(doc, lo, hi):
                    n = roles.name_of(a)
                    if n and n != roles.name_of(a1) and n not in out:
                        out.append(n)
    return out


def assign_roles(doc, c: Cand, kind: str) -> None:
    """Set ``c.actor1``, ``c.actor2`` and ``c.assoc1`` from the parse around the trigger (``kind``: the Matcher's
    V/N/A trigger kind)."""
    t = c.trig
    if kind == "V" or (kind == "A" and t.pos_ in VERBAL):
        a1, a2 = _verb_roles(doc, c, t)
        if a1 is None and t.dep_ in NOMINAL_DEPS:
            # "99 persons were killed in police firing": a gerund used as a noun takes its actor as a noun does
            a1 = _noun_roles(doc, c, t)[0]
    else:
        a1, a2 = _noun_roles(doc, c, t)
    if a1 is None and (kind == "V" or t.pos_ in VERBAL):
        a1 = _when_clause_agent(doc, t)
    if a2 is None and c.group.frame == "territory" and (kind == "V" or t.pos_ == "VERB"):
        a2 = _territory_loser(doc, t)
    if a2 is None and c.group.frame in ("territory", "clash"):
        # holder of the place named in the clause ("towards a rebel-held highway")
        sub = list(t.subtree) if (kind == "V" or t.pos_ == "VERB") else []
        a2 = roles.holder_of(doc, sub)
    a1, a2 = _checked_roles(c, t, kind, a1, a2)
    c.actor1, c.actor2 = a1, a2
    # backers: "regime forces backed by Russian air strikes / supported by Iranian and Hezbollah militias"
    if a1 is not None:
        c.assoc1 = [b for b in roles.backers_of(doc, a1) if b != roles.name_of(a1)]
        if not c.assoc1:
            c.assoc1 = _backers_from_parse(doc, a1, t)
