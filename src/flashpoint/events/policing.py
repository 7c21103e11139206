"""Protest policing (issue #13 item 2): crowd-control weapons and dispersals as ACLED protest events.

"Police fired tear gas and rubber bullets to disperse protesters", "used water cannon and stun grenades",
"resorted to a lathi-charge": limited force against a crowd is ``Protest with intervention`` (ACLED: actor1 the
protesters, actor2 the force that intervened); when the same sentence reports deaths it is ``Excessive force
against protesters`` (actor1 the force, actor2 the protesters). The trigger group is ``crowd_control`` in
``data/events/triggers.yaml``; its longer phrases win over "gas", "grenade", "cannon" and "shell", so protest
policing is never coded as Chemical weapon, Grenade or Shelling.

Two refine rules: ``crowd_control`` (per candidate) and ``intervention_subsumes_protests`` (per article).
"""
from __future__ import annotations

from flashpoint.events import roles
from flashpoint.events.candidate import ASSERTED, Cand, _absorb, country_of

FRAME = "crowd_control"
INTERVENTION = ("Protest with intervention", "141")
EXCESSIVE_FORCE = ("Excessive force against protesters", "175")
# the generic noun an unnamed intervening force resolves to ("tear gas was fired at the crowd")
DEFAULT_FORCE_NOUN = "police"
DISPERSE_LEMMA = "disperse"
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
        if h is not None and id(c) not in hosts and c.group.frame == "protest" and c.status == h.status:
            _absorb(h, c)
            continue
        out.append(c)
    return out


def deployed_force(art, c: Cand) -> bool:
    """"army troops were deployed in three cities": the force that is deployed is the actor of its own change of
    activity (the passive subject), not its target."""
    if c.group.name == "group_change" and c.actor1 is None and c.actor2 is not None and \
            c.trig.pos_ in ("VERB", "AUX") and roles.is_passive(c.trig):
        c.actor1, c.actor2 = c.actor2, None
    return False


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
