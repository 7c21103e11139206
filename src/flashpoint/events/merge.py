"""Stage ``incidents``, first half: mentions of one happening in one sentence or restated nearby become one.

Reads the placed, dated candidates; returns fewer candidates: an outcome word folded into its event ("killed" in
"an air strike killed 10"), restatements merged with the event they restate, a restated toll folded into its
incident (``dedupe``), then compatible mentions of one incident merged (``merge_incidents``). The article-level
incident rules follow in ``flashpoint.events.incidents``.
"""
from __future__ import annotations

from flashpoint.events import codes, place, roles
from flashpoint.events.candidate import (ASSERTED, VIOLENT_FRAMES, Cand, _absorb, _actor_compatible, _better,
                                         _generic_vs_named, _is_coarse, _km, _same_place)


def _told_later(a: Cand, b: Cand) -> bool:
    """``a`` is dated only by the day a source spoke, after ``b``'s stated day ("... reached at least 112 people the
    Observatory said on Sunday" and "Saturday's blast"): the same happening may be told a day or more later."""
    return a.date_spoken and not b.date_spoken and a.date is not None and b.date is not None and a.date > b.date


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
    if a.date_explicit and b.date_explicit and a.date != b.date and not _told_later(a, b) and not _told_later(b, a):
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


# frames of events that cause no deaths of their own: a death word beside them is another event
# ("police had arrested 62 persons in connection with the carnage in which 58 passengers were charred to death":
# ACLED's arrests record no deaths)
NO_CASUALTY_FRAMES = {"agreement", "territory_transfer", "other", "arrest"}
# nouns a weapon word before them names the means of ("a barrel bomb attack", "a car bomb blast")
MEANS_OF_NOUNS = {"attack", "strike", "blast", "explosion", "raid", "bombing", "assault"}


def _names_the_attack(t) -> bool:
    """"At least 20 people were killed ... in a barrel bomb attack carried out by Syrian regime troops": a weapon
    compound of an attack noun is that attack's means (not "a rocket launching site", a target)."""
    h = t.head
    while h.dep_ == "compound" and h.head.i != h.i:
        h = h.head
    return h.lemma_.lower() in MEANS_OF_NOUNS


# nouns of an outcome, not of a means ("the killings", "the deaths")
OUTCOME_NOUNS = {"killing", "death", "casualty", "murder"}


def _restating_subject(c: Cand) -> bool:
    """"The killings took place after troops entered the town Tuesday": a definite outcome noun as the subject
    restates an incident told before (``incidents.fold_anaphora``), not an event of its own sentence."""
    t = c.trig
    return (c.group.generic or t.lemma_.lower() in OUTCOME_NOUNS) and t.pos_ == "NOUN" and \
        t.dep_ in ("nsubj", "nsubjpass") and any(
        d.dep_ == "det" and d.lower_ in DESCRIBING_DETS | DEMONSTRATIVES for d in t.children)


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
            and (c.trig.dep_ != "compound" or _names_the_attack(c.trig)) and not (
                c.trig.dep_ in ("dobj", "pobj", "nsubjpass") and
                                                    c.trig.lemma_.lower() in ("gunman", "sniper", "gunmen"))]
        # ("Two civilians were killed ... as militants breached the ceasefire agreement": no death in an agreement)
        hosts = [c for c in specific if c.group.frame not in NO_CASUALTY_FRAMES]
        for c in cs:
            if c.group.generic and hosts and not _restating_subject(c):
                tgt = min(hosts, key=lambda s: abs(s.trig.i - c.trig.i))
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
                if tgt.group.frame == "violence" and c.actor2 is not None and tgt.actor2 is None and \
                        roles.name_of(c.actor2) != roles.name_of(tgt.actor1):
                    # (not "police firing" against the police: "... as mobs attacked shops and the police")
                    tgt.actor2 = c.actor2
                continue
            out.append(c)
    return out


# event nouns a relative clause may describe ("the attack which ... was carried out by a suicide car bomber")
DESCRIBED_EVENT_NOUNS = {"attack", "bombing", "blast", "explosion", "strike", "raid", "massacre", "assault"}
DESCRIBING_DETS = {"the", "this", "that"}
DEMONSTRATIVES = {"this", "that", "these", "those"}


def _describes_named_event(c: Cand) -> bool:
    """"There was no immediate claim of responsibility for the attack which pro-Damascus media said was carried out
    by a suicide car bomber": a trigger inside the relative clause of a definite event noun tells how that event
    happened; it is no other event. Nor is an event noun with a demonstrative ("That battle marked the first time in
    months that fighters ... have expanded their attacks")."""
    t = c.trig
    if t.pos_ == "NOUN" and any(d.dep_ == "det" and d.lower_ in DEMONSTRATIVES for d in t.children):
        return True  # ("That battle marked the first time in months ...", "killed in those clashes")
    for a in t.ancestors:
        if a.pos_ in ("VERB", "AUX") and a.dep_ != "relcl" and not any(x.dep_ == "relcl" for x in a.ancestors):
            return False
        if a.pos_ == "NOUN" and a.lemma_.lower() in DESCRIBED_EVENT_NOUNS and any(
                d.dep_ == "det" and d.lower_ in DESCRIBING_DETS for d in a.children):
            return any(r.dep_ == "relcl" and t in r.subtree for r in a.children)
    return False


def _fold_description(final: list[Cand], c: Cand) -> bool:
    """Fold ``c``, a description of an event told before (``_describes_named_event``), into the latest asserted
    incident of its ACLED event type, else the latest historical one; its own place came from the discourse, so it
    does not decide."""
    if c.status not in ASSERTED or c.date_explicit or not _describes_named_event(c):
        return False
    kind = codes.acled_types(c.sub_event_type)[0]
    # (a means-less "that attack" is any violent event's restatement: its type is the host's)
    same = [f for f in final if codes.acled_types(f.sub_event_type)[0] == kind or (
        c.group.name == "attack" and f.group.frame in VIOLENT_FRAMES)]
    # ("The United States accused Damascus of that attack which it estimates killed 1429 people", after the 2013
    # attack told as history: the demonstrative is that past attack)
    host = next((f for f in reversed(same) if f.status in ASSERTED), None) or \
        next((f for f in reversed(same) if f.status == "historical"), None)
    if host is None or not (c.loc_inherited or _is_coarse(c.location) or _same_place(host.location, c.location)):
        return False
    if c.loc_inherited or _is_coarse(c.location):
        c.location = None  # (the discourse's place, or a province, says nothing finer about the described event)
    _absorb(host, c)
    return True


def _merge_restatements(out: list[Cand]) -> list[Cand]:
    """The same event mentioned twice (same sentence, headline, lede and body)."""
    final: list[Cand] = []
    for c in out:
        if _fold_description(final, c):
            continue
        merged = False
        # a mention dated by the discourse restates the incident of its own day before one a day apart ("The most
        # violent airstrikes targeted civilian neighborhoods of Idlib city" after Thursday's and Friday's raids)
        for k, f in sorted(enumerate(final), key=lambda kf: kf[1].date != c.date):
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
        # (a restating subject waits for the incident it restates: ``incidents.fold_anaphora``)
        host = None if _restating_subject(c) else next(
            (f for f in out if not _restating_subject(f) and _incident_compatible(f, c)), None)
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
