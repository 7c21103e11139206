"""Police and security-force actions that are no ACLED event (issue #13, world police news), coded as CAMEO
interactions by the ``verbal`` stage.

"Police registered a case against the shopkeeper", "Troops patrolled the old city", "The police commissioner
stopped the marchers at the bridge", "Officers seized a truck of stolen rice": a state security force does
something that ACLED does not code (an investigation, a patrol, a restriction of movement, a seizure), but CAMEO
does (roots 09, 15, 17, 19). The verbs and their codes are a data table (``data/events/police_actions.yaml``); the
rule that uses them is narrow:

- the verb's subject (or the ``by`` agent of a passive; through "continued to patrol", the governing verb's
  subject) names a state security force: an actor unit whose CAMEO code ends in COP, MIL or SPY, or a noun phrase
  with a force word ("the police commissioner", "senior police officials", "army jawans"), resolved for the
  article's country as the police or the army;
- the verb tells a happening (as the verbal stage reads it, or a present progressive: "the police are
  investigating"), is not negated, and is not the trigger of an ACLED event;
- a reporting verb ("police said") is never one (it is no verb of the table).
"""
from __future__ import annotations

import re
from functools import lru_cache

from flashpoint.events import roles
from flashpoint.events.cameo import CodedVerb, _negated
from flashpoint.paths import PACKAGE_DATA, read_yaml

POLICE_ACTIONS_YAML = PACKAGE_DATA / "events" / "police_actions.yaml"
SECURITY_CODE_SUFFIXES = ("COP", "MIL", "SPY")
# a mobilisation (CAMEO 153, police power) by the armed forces is CAMEO 154: "the army was rushed to the city"
POLICE_MOBILISATION, ARMY_MOBILISATION = "153", "154"
# force words of a subject that names no known actor: "the police commissioner", "senior police officials",
# "army jawans", "the security forces", "two companies of the CRPF"
POLICE_WORDS = re.compile(r"\b(police\w*|cops?|constables?|constabulary|gendarm\w*|security (?:forces?|personnel|men)|"
                          r"crpf|bsf|cisf|itbp|rpf|raf|srp)\b", re.I)
ARMY_WORDS = re.compile(r"\b(army|troops?|soldiers?|jawans?|military|paramilitar\w*|commandos?|rangers?)\b", re.I)
# "the police are investigating the theft": the present progressive of a police action tells a happening
PROGRESSIVE_AUX = frozenset({"is", "are", "'re"})
PROGRESSIVE_TAG = "VBG"
# how far up "continued to patrol" / "began to comb" a subject is looked for
MAX_CONTROL_HOPS = 2


@lru_cache(maxsize=1)
def action_codes() -> dict[str, str]:
    """lemma -> CAMEO code of the police-action verbs."""
    out: dict[str, str] = {}
    for code, lemmas in (read_yaml(POLICE_ACTIONS_YAML).get("codes") or {}).items():
        for lem in lemmas or []:
            out.setdefault(str(lem).lower(), str(code))
    return out


def _subject(verb):
    """The token heading who does the verb: its subject, the agent of a passive, or (through "continued to
    patrol", "was asked to probe") the governing verb's subject."""
    v = verb
    for _ in range(MAX_CONTROL_HOPS + 1):
        if roles.is_passive(v):
            ag = roles.agent_of(v)
            if ag is not None or v is verb:
                return ag
        s = roles.child(v, "nsubj")
        if s is not None:
            return s
        if v.dep_ not in ("xcomp", "conj") or v.head.i == v.i:
            return None
        v = v.head
    return None


def _unit_of(tok, units, by_code):
    """The actor of the unit that holds ``tok``, if any."""
    for head, toks, codes in units:
        if tok in toks or head is tok:
            return by_code[codes[0]]
    return None


def security_actor(subj, units, by_code, country):
    """The state security force a subject names, or None (a known actor that is not one: "Rebel forces")."""
    from flashpoint.actors import resolve_text

    if subj is None:
        return None
    known = _unit_of(subj, units, by_code)
    if known is not None and (known.cameo or "").upper().endswith(SECURITY_CODE_SUFFIXES):
        return known
    if known is not None and not roles.is_state(known):
        return None
    text = " ".join(x.text for x in roles.np_tokens(subj))
    noun = "police" if POLICE_WORDS.search(text) else ("army" if ARMY_WORDS.search(text) else None)
    if noun is None:
        return None
    a = resolve_text(noun, country)
    return a if a is not None and roles.is_state(a) else None


# "Security was tightened across the district", "patrolling has been intensified": an agentless passive that
# raises a security measure is the police's (CAMEO 151, increase police alert status)
SECURITY_MEASURE_NOUNS = frozenset({"security", "patrolling", "patrols", "vigil", "surveillance", "bandobast"})
RAISE_LEMMAS = frozenset({"tighten", "intensify", "step", "beef", "reinforce", "strengthen", "heighten"})
POLICE_ALERT = "151"


def _raised_security(v, country):
    """(code, police) of "security was tightened", or None."""
    from flashpoint.actors import resolve_text

    subj = roles.child(v, "nsubjpass")
    if v.lemma_.lower() not in RAISE_LEMMAS or subj is None or roles.agent_of(v) is not None \
            or subj.lemma_.lower() not in SECURITY_MEASURE_NOUNS:
        return None
    a = resolve_text("police", country)
    return (POLICE_ALERT, a) if a is not None and roles.is_state(a) else None


def _tells(verb, tells_happening) -> bool:
    if tells_happening(verb):
        return True
    if verb.dep_ == "xcomp" and verb.head.i != verb.i and tells_happening(verb.head):
        return True  # "the army continued to patrol the old city"
    return verb.tag_ == PROGRESSIVE_TAG and any(c.dep_ == "aux" and c.lower_ in PROGRESSIVE_AUX
                                                for c in verb.children)


def police_action(sent, units, by_code, triggers: set[int], country, tells_happening):
    """(CodedVerb, security actor) of the sentence's first police action, or None."""
    table = action_codes()
    for v in sent:
        if v.pos_ not in ("VERB",) or v.i in triggers:
            continue
        code = table.get(v.lemma_.lower()) or (POLICE_ALERT if v.lemma_.lower() in RAISE_LEMMAS else None)
        obj = roles.child(v, "dobj")
        if v.lemma_.lower() in RAISE_LEMMAS and obj is not None and obj.lemma_.lower() not in SECURITY_MEASURE_NOUNS:
            continue  # "the regime intensified its bombardment": what is raised is no security measure
        if code is None or _negated(v) or not _tells(v, tells_happening):
            continue
        raised = _raised_security(v, country)
        if raised is not None:
            return CodedVerb(v, raised[0], None, [], []), raised[1]
        actor = security_actor(_subject(v), units, by_code, country)
        if actor is None:
            continue
        if code == POLICE_MOBILISATION and (actor.cameo or "").upper().endswith("MIL"):
            code = ARMY_MOBILISATION
        return CodedVerb(v, code, None, [], []), actor
    return None
