"""Stage ``refine``: article-level rules on resolved candidates -- riots, protesters, force against protesters,
responsibility claims, statistics, restatements (issue #11 item 6).

Two ordered lists of small named rules, each documented by the sentence that motivated it:

* ``CANDIDATE_RULES`` run on each candidate in article order. A rule returns True when the candidate is not an event
  of its own (a statistic, a restatement folded into an earlier event): the later rules are then skipped for it.
  Rules that return False may have corrected the candidate (its sub-type, its actors). The rules read the
  candidates kept so far (``_Article.out``) and the sentences that claim responsibility (``_Article.resp_sents``).
* ``ARTICLE_RULES`` then run in order on the kept list as a whole.

The cue words are data (``data/events/status_cues.yaml``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flashpoint.events import codes, policing, roles
from flashpoint.events.candidate import VIOLENT_FRAMES, Cand, _absorb, _actor_compatible, _same_place, country_of
from flashpoint.events.lexicon import status_cues
from flashpoint.events.text import _doc_text, _span_text

ASSERTED = ("reported", "claimed")
VERBAL = ("VERB", "AUX")
NOMINAL = ("NOUN", "PROPN")
# the verbs of a responsibility claim ("claimed / took / admitted / accepted responsibility")
CLAIM_VERBS = ("claim", "take", "admit", "accept")
# actor types a speaker of an own operation must have to be its actor: rebels, political militias, external forces
OWN_OPERATION_INTERS = (2, 3, 8)
# the casualty verbs of a war-as-subject statistic ("the conflict has claimed the lives of ...")
WAR_CASUALTY_VERBS = ("kill", "claim", "take", "leave", "cause", "injure", "wound")
# how many tokens after the incident's sentence a follow-up sentence may start and still inherit its day and place
FOLLOW_UP_TOKENS = 80
CASUALTY_KEYS = ("fatalities", "civilian_fatalities", "children", "women")
RIOT = ("Violent demonstration", "145")
FORCE_AGAINST_PROTESTERS = ("Excessive force against protesters", "175")
AIR_STRIKE = ("Air/drone strike", "195")
SHELLING = "Shelling/artillery/missile attack"


@dataclass
class _Article:
    """What the per-candidate rules share across the article."""
    doc: object
    cues: dict
    resp_sents: set[int]
    out: list[Cand] = field(default_factory=list)


def _cue_sets() -> dict:
    cues = status_cues()
    return {
        "crowd": set(cues.get("crowd_subjects", ())),
        "acts": set(cues.get("riot_acts", ())),
        "crowd_obj": set(cues.get("crowd_objects", ())),
        "resp": set(cues.get("responsibility_nouns", ())),
        "agg": set(cues.get("aggregate_subjects", ())),
        "say": set(cues.get("say_verbs", ())),
        "deny": set(cues.get("deny_verbs", ())),
        "only": set(cues.get("justification_words", ())),
        "instr": cues.get("instrument_subtypes", {}) or {},
        "own_ops": set(cues.get("own_operation_nouns", ())),
    }


def _lemma_in(tok, words) -> bool:
    return tok is not None and (tok.lemma_.lower() in words or tok.lower_ in words)


def _title_line(doc, sent) -> bool:
    """A real headline: its own line, without a final period (not the run-in lede of a flattened page)."""
    text = _doc_text(doc)
    txt = _span_text(sent).strip()
    after = text[sent.end_char:sent.end_char + 3]
    return bool(txt) and not txt.endswith(".") and ("\n" in after or sent.end_char >= len(text.rstrip()))


def _subject(t):
    """The subject of a verbal trigger's clause (None for a noun trigger)."""
    return roles.subject_of_clause(t) if t.pos_ in VERBAL else None


def _perfect(v) -> bool:
    return any(ch.dep_ == "aux" and ch.lemma_.lower() == "have" for ch in v.children)


def _responsibility_sentences(cands: list[Cand], resp: set) -> set[int]:
    """Starts of the sentences that claim responsibility ("claimed responsibility ..., saying it had targeted")."""
    resp_sents = set()
    seen_sents: set[tuple[int, int]] = set()
    for c in cands:
        key = (c.sent.start, c.sent.end)
        if key in seen_sents:
            continue
        seen_sents.add(key)
        for x in c.sent:
            if _lemma_in(x, resp) and x.head.lemma_.lower() in CLAIM_VERBS:
                resp_sents.add(c.sent.start)
                break
    return resp_sents


def _earlier_violent(art: _Article, c: Cand) -> list[Cand]:
    """The asserted violent events kept so far from earlier sentences."""
    return [p for p in art.out if p.group.frame in VIOLENT_FRAMES and p.sent.start < c.sent.start
            and p.status in ASSERTED]


# ------------------------------------------------------------------------------------- per-candidate rules
def own_operation_actor(art: _Article, c: Cand) -> bool:
    """"The army said on Monday that an air and ground operation near X had killed 50 terrorists": the armed speaker
    of an own-operation noun is its actor."""
    t = c.trig
    if c.actor1 is None and c.group.frame in ("clash", "remote") and t.pos_ in NOMINAL and \
            t.lemma_.lower() in art.cues["own_ops"]:
        for a in t.ancestors:
            if a.lemma_.lower() in art.cues["say"] and a.pos_ in VERBAL:
                sp = roles.child(a, "nsubj")
                who = roles.actor_for_token(art.doc, sp) if sp is not None else None
                if who is not None and (who.inter in OWN_OPERATION_INTERS or roles.is_state(who)) and \
                        "Government" not in (who.canonical or "") and not roles.is_non_combatant(who):
                    c.actor1 = who
                break
    return False


def war_statistic(art: _Article, c: Cand) -> bool:
    """"the war has killed 233,000", "The conflict has killed more than 3,000": statistics, not events."""
    t = c.trig
    subj = _subject(t)
    return c.group.frame in ("violence",) and subj is not None and _lemma_in(subj, art.cues["agg"]) and _perfect(t)


def war_casualty_words(art: _Article, c: Cand) -> bool:
    """"the conflict has claimed the lives of over 470,000 people, injured 1.9 million": the casualty words of a
    sentence whose subject is the war itself in the perfect are the same statistic."""
    return c.group.frame in ("violence",) and c.group.generic and any(
        _lemma_in(x, art.cues["agg"]) and x.dep_ == "nsubj" and x.head.lemma_.lower() in WAR_CASUALTY_VERBS
        and _perfect(x.head) for x in c.sent)


def justification(art: _Article, c: Cand) -> bool:
    """"said its forces struck only military infrastructure": a justification in reported speech."""
    t = c.trig
    return t.pos_ in VERBAL and any(_lemma_in(x, art.cues["only"]) for x in t.subtree) and any(
        a.lemma_.lower() in art.cues["say"] for a in t.ancestors)


def denier_account(art: _Article, c: Cand) -> bool:
    """"denied carrying out a strike and said a misfired rocket caused the blast", "denied losing soldiers and said
    the assault had been repelled": the denying party's alternative account is not a new event."""
    return any(a.lemma_.lower() in art.cues["say"] and a.dep_ == "conj" and a.head.lemma_.lower() in art.cues["deny"]
               for a in c.trig.ancestors)


def agreement_restated(art: _Article, c: Cand) -> bool:
    """Agreement nouns after the first agreement ("before the truce took effect", "Previous truces collapsed")
    refer back to it."""
    return c.group.frame == "agreement" and c.trig.pos_ not in VERBAL and any(
        p.group.frame == "agreement" and p.sent.start < c.sent.start and not p.headline for p in art.out)


def protester_undergoer(art: _Article, c: Cand) -> bool:
    """"20 protesters were detained", "one protester was shot": a person noun that is not an acting subject."""
    t = c.trig
    return c.group.frame == "protest" and _lemma_in(t, art.cues["crowd"]) and \
        t.dep_ in ("nsubjpass", "dobj", "pobj") and not (t.dep_ == "pobj" and t.head.head.dep_ in ("nsubj",))


def state_bombs_from_air(art: _Article, c: Cand) -> bool:
    """"bombs dropped by regime forces": a state's bombs and blasts come from the air."""
    if c.sub_event_type == "Remote explosive/landmine/IED" and c.actor1 is not None and \
            roles.is_state(c.actor1) and "Police" not in (c.actor1.canonical or c.actor1.name):
        c.sub_event_type, c.cameo = AIR_STRIKE
    return False


def instrument_subtype(art: _Article, c: Cand) -> bool:
    """"drones struck", "artillery hit": the instrument decides the sub-type of a means-less attack verb ("the air
    force conducted strikes against gatherings": the subject of the verb a noun trigger is the object of; "the air
    force targeted assembly points", "Syrian fighter jets hit": the compound names the instrument)."""
    t = c.trig
    subj = _subject(t)
    agent = subj if subj is not None else (roles.subject_of_clause(t.head) if t.dep_ == "dobj" and
                                           t.head.pos_ in VERBAL else None)
    if agent is None:
        return False
    instr = art.cues["instr"]
    mods = [x.lower_ for x in agent.children if x.dep_ in ("compound", "amod")]
    st = next((instr[f"{m} {agent.lemma_.lower()}"] for m in mods if f"{m} {agent.lemma_.lower()}" in instr),
              None) or instr.get(agent.lemma_.lower())
    if st and (c.group.frame == "clash" and c.group.weight <= 1 or (
            # "Regime planes fired rockets on several parts of Douma": what an aircraft fires is an air strike
            st == AIR_STRIKE[0] and c.sub_event_type == SHELLING)):
        c.sub_event_type, c.cameo = st, codes.default_cameo(st)
    return False


def claim_restates_attack(art: _Article, c: Cand) -> bool:
    """In a responsibility claim ("claimed responsibility ..., saying it had targeted officials") the violent verbs
    restate the claimed attack: the earlier event becomes claimed."""
    t = c.trig
    if c.sent.start in art.resp_sents and c.group.frame in VIOLENT_FRAMES and not (
            t.dep_ == "pobj" and t.head.lower_ == "for"):
        prev = _earlier_violent(art, c)
        if prev:
            tgt = prev[-1]
            if c.actor1 is not None and (tgt.actor1 is None or (
                    roles.is_generic_nonstate(tgt.actor1) and not roles.is_generic_nonstate(c.actor1)
                    and not roles.is_state(c.actor1))):
                tgt.actor1 = c.actor1
            tgt.mentions.extend(m for m in c.mentions if m not in tgt.mentions)
            tgt.status = "claimed"
            tgt.attribution = tgt.attribution or roles.name_of(c.actor1)
            return True
    return False


def _riot(art: _Article, c: Cand) -> bool:
    """"protesters burned tyres / stormed a police station / stoned police" -> a riot."""
    from flashpoint.actors import resolve_text

    a1 = roles.name_of(c.actor1) or ""
    crowd_subj = _lemma_in(_subject(c.trig), art.cues["crowd"]) or a1.startswith(("Protesters", "Rioters"))
    if not (crowd_subj and c.group.frame not in ("protest",) and (
            _lemma_in(c.trig, art.cues["acts"]) or c.group.frame in ("riot", "property", "clash", "violence",
                                                                      "territory"))):
        return False
    c.sub_event_type, c.cameo = RIOT
    r = resolve_text("rioters", country_of(art.doc, c))
    if r is not None:
        c.actor1 = r
    return True


def _force_against_protesters(art: _Article, c: Cand) -> None:
    """State forces firing on a crowd -> Excessive force against protesters."""
    from flashpoint.actors import resolve_text

    t = c.trig
    if c.group.frame in ("clash", "violence") and c.actor1 is not None and roles.is_state(c.actor1):
        o = roles.object_of_clause(t) if t.pos_ in VERBAL else None
        otoks = list(roles.np_tokens(o)) if o is not None else []
        otoks += [x for x in t.subtree if x.dep_ == "pobj" and x.head.head.i in (t.i, o.i if o is not None else -1)]
        if any(_lemma_in(x, art.cues["crowd_obj"]) for x in otoks):
            c.sub_event_type, c.cameo = FORCE_AGAINST_PROTESTERS
            r = resolve_text("protesters", country_of(art.doc, c))
            if r is not None and c.actor2 is None:
                c.actor2 = r


def crowd_violence(art: _Article, c: Cand) -> bool:
    """"protesters burned tyres / stormed a police station / stoned police" -> a riot; otherwise state forces
    firing on a crowd -> Excessive force against protesters."""
    if not _riot(art, c):
        _force_against_protesters(art, c)
    return False


def protest_actor(art: _Article, c: Cand) -> bool:
    """A protest without a named actor: the country's protesters."""
    from flashpoint.actors import resolve_text

    if c.group.frame == "protest" and c.actor1 is None:
        r = resolve_text("protesters", country_of(art.doc, c))
        if r is not None:
            c.actor1 = r
    return False


def responsibility_claim(art: _Article, c: Cand) -> bool:
    """"X claimed responsibility for the attack": the earlier event gets X as actor1 and status claimed -- the
    earlier "attack" first, then the same kind of event ("Jihadist fighters killed ... JNIM claimed
    responsibility": JNIM)."""
    t = c.trig
    claim = t.head if t.dep_ == "pobj" else None
    claim = claim.head if claim is not None and claim.lower_ == "for" else None
    if claim is None or not _lemma_in(claim, art.cues["resp"]):
        return False
    verb = claim.head
    who = roles.subject_of_clause(verb) if verb.pos_ in VERBAL else None
    actor = roles.actor_for_token(art.doc, who) if who is not None else None
    prev = _earlier_violent(art, c)
    if not (actor is not None and prev and verb.lemma_.lower() in CLAIM_VERBS):
        return False
    lem = t.lemma_.lower()
    tgt = next((p for p in reversed(prev) if p.trig.lemma_.lower() == lem), None) or next(
        (p for p in reversed(prev) if p.group.name == c.group.name), None) or next(
        (p for p in reversed(prev) if p.group.frame == c.group.frame), None) or prev[-1]
    if tgt.actor1 is None or (roles.is_generic_nonstate(tgt.actor1) and not roles.is_state(actor)
                              and not roles.is_generic_nonstate(actor)):
        tgt.actor1 = actor
    tgt.mentions.extend(m for m in c.mentions if m not in tgt.mentions)
    tgt.status = "claimed"
    tgt.attribution = roles.name_of(actor)
    return True


CANDIDATE_RULES: tuple[Callable[[_Article, Cand], bool], ...] = (
    own_operation_actor, war_statistic, war_casualty_words, justification, denier_account, agreement_restated,
    protester_undergoer, state_bombs_from_air, instrument_subtype, claim_restates_attack, crowd_violence,
    protest_actor, responsibility_claim, policing.crowd_control, policing.deployed_force, policing.firing_range,
    policing.police_firing, policing.arrest_without_toll, policing.force_subject_actor)


# ------------------------------------------------------------------------------------------ article rules
def riot_subsumes_protests(doc, cands: list[Cand]) -> list[Cand]:
    """A riot subsumes the protest nouns of its sentence ("Protesters stormed ...")."""
    riot_sents = {c.sent.start: c for c in cands if c.sub_event_type == RIOT[0]}
    kept = []
    for c in cands:
        r = riot_sents.get(c.sent.start)
        if r is not None and c is not r and c.group.frame == "protest" and c.status == r.status:
            _absorb(r, c)
            continue
        kept.append(c)
    return kept


def headline_restatement(doc, cands: list[Cand]) -> list[Cand]:
    """A headline restates a body event: drop it when the body has an event of the same frame or sub-type."""
    body = [c for c in cands if not c.headline and c.status in ASSERTED]
    if not body:
        return cands
    kept = []
    for c in cands:
        if c.headline and _title_line(doc, c.sent):
            same = [b for b in body if b.sub_event_type == c.sub_event_type or b.group.frame == c.group.frame]
            if same:
                tgt = same[0]
                if tgt.actor1 is None and c.actor1 is not None:
                    tgt.actor1 = c.actor1
                tgt.mentions.extend(m for m in c.mentions if m not in tgt.mentions)
                tgt.tolls.extend(c.tolls)
                continue
        kept.append(c)
    return kept


def _fold_casualties(incident: Cand, c: Cand) -> None:
    """"Two more fighters were wounded.", "At least 14 were killed, according to ...": casualties of the incident."""
    for k in CASUALTY_KEYS:
        if incident.fat.get(k) is None and c.fat.get(k) is not None:
            incident.fat[k] = c.fat[k]
    if incident.location is None:
        incident.location = c.location
    incident.mentions.extend(m for m in c.mentions if m not in incident.mentions)
    incident.tolls.extend(c.tolls)
    c.status = "_folded"


# "Meanwhile in northeastern Idlib province the Observatory said three children were killed": a sentence opening so
# reports another incident
SEPARATE_OPENERS = re.compile(r"^\W*(meanwhile|elsewhere|separately|in a separate|in another|in other|also on)\b", re.I)
# "Police then opened fire", "Hours later ...": words that tie a sentence to the incident told before it
FOLLOW_UP_WORDS = {"then", "later", "afterwards", "after", "subsequently", "following", "shortly", "soon"}


def _separate_incident(c: Cand, incident: Cand) -> bool:
    """A sentence opening with "Meanwhile" or "Elsewhere", or one naming a place of its own that is not the
    incident's, without a word tying it to the incident ("then", "later"), tells another incident."""
    if SEPARATE_OPENERS.search(_span_text(c.sent)):
        return True
    own = c.location is not None and not c.loc_inherited and c.location.resolved
    tied = any(t.lower_ in FOLLOW_UP_WORDS for t in c.sent)
    return own and not tied and not _same_place(c.location, incident.location)


def follow_up_inheritance(doc, cands: list[Cand]) -> list[Cand]:
    """Follow-up sentences ("Police then opened fire", "Hours later ...") inherit the incident's date and place."""
    incident = None
    for c in cands:
        live = c.status in ASSERTED and not c.headline
        if not live:
            continue
        if incident is not None and not c.date_explicit and \
                0 <= c.sent.start - incident.sent.end < FOLLOW_UP_TOKENS and not _separate_incident(c, incident):
            if c.group.generic and c.actor1 is None:
                _fold_casualties(incident, c)
                continue
            c.date, c.precision = incident.date, incident.precision
            if c.location is None and incident.location is not None:
                c.location, c.loc_inherited = incident.location, True
        if c.date_explicit or (incident is None and c.group.frame in VIOLENT_FRAMES and not c.group.generic):
            incident = c
    return [c for c in cands if c.status != "_folded"]


def _coordinated_host(final: list[Cand], c: Cand) -> Cand | None:
    """The kept violent verb ``c`` is coordinated with in its sentence, at the same place, by compatible actors."""
    frames = VIOLENT_FRAMES | {"property"}
    if not (c.group.frame in frames and c.trig.pos_ in VERBAL):
        return None
    for f in final:
        if f.sent.start == c.sent.start and f.group.frame in frames and \
                f.trig.pos_ in VERBAL and c.trig in f.trig.conjuncts and f.status == c.status \
                and (_same_place(f.location, c.location) or f.location is None or c.location is None) \
                and _actor_compatible(f.actor1, c.actor1):
            return f
    return None


def _coordinated_rank(x: Cand):
    """Killing beats the property damage done alongside it ("killed 50 and destroyed two bases")."""
    return (x.group.frame != "property", x.group.weight, bool(x.fat.get("_civ_target")))


def coordinated_verbs(doc, cands: list[Cand]) -> list[Cand]:
    """Parts of one attack in one sentence ("surrounded the village, set fire to granaries and shot residents"):
    coordinated violent verbs at the same place are one event."""
    final: list[Cand] = []
    for c in cands:
        host = _coordinated_host(final, c)
        if host is None:
            final.append(c)
            continue
        best = c if _coordinated_rank(c) > _coordinated_rank(host) else host
        other = host if best is c else c
        named = [a for a in (best.actor1, other.actor1) if a is not None and "Unidentified" not in (a.canonical or a.name)]
        _absorb(best, other)
        if named:
            best.actor1 = named[0]
        if best is c:
            final[final.index(host)] = c
    return final


ARTICLE_RULES: tuple[Callable[[object, list[Cand]], list[Cand]], ...] = (
    riot_subsumes_protests, policing.intervention_subsumes_protests, headline_restatement, follow_up_inheritance,
    coordinated_verbs)


def refine(doc, cands: list[Cand]) -> list[Cand]:
    """Apply ``CANDIDATE_RULES`` to each candidate in order, then ``ARTICLE_RULES`` to the kept list."""
    cues = _cue_sets()
    art = _Article(doc=doc, cues=cues, resp_sents=_responsibility_sentences(cands, cues["resp"]))
    for c in cands:
        if not any(rule(art, c) for rule in CANDIDATE_RULES):
            art.out.append(c)
    out = art.out
    for rule in ARTICLE_RULES:
        out = rule(doc, out)
    return out
