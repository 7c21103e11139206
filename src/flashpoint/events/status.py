"""Status of an event mention: reported, claimed, denied, hypothetical, historical (or dropped if conditional).

Cues come from ``data/events/status_cues.yaml`` and are read off the dependency parse: the trigger's own
clause (modal auxiliaries, negation, "if" clauses) and the clauses that govern it (claim/deny verbs,
"attempt to", "according to X"). A relative clause is its own assertion: "the town, which was captured in
2013, could be retaken" -> captured: historical; retaken: hypothetical.
"""
from __future__ import annotations

from dataclasses import dataclass

from flashpoint.events.lexicon import status_cues

PAST_OR_PROGRESSIVE_TAGS = ("VBD", "VBN", "VBG")
PREVENT_LEMMAS = ("prevent", "stop", "thwart", "deter", "avoid")


def _past_able(tok, cues: dict) -> bool:
    """"the police were able to arrest 31 people", "have been able to arrest only one": it happened (not "will
    be able to", not "hope to be able to")."""
    head = tok.head
    return tok.lemma_.lower() in cues.get("past_implicative_adjectives", ()) and head.lemma_.lower() == "be" and \
        head.tag_ in ("VBD", "VBN") and not any(
            a.dep_ in ("aux", "auxpass") and a.tag_ in ("MD", "TO") for a in head.children)
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "pcomp", "acl", "relcl", "csubj", "csubjpass", "parataxis"}


@dataclass
class StatusResult:
    status: str = "reported"
    attribution_token: object = None  # token heading the claimant / denier, resolved by the caller
    drop: bool = False
    reason: str = ""


def _clause_chain(tok):
    """Tokens from the trigger up to the sentence root, stopping after a relative clause boundary."""
    chain = [tok]
    cur = tok
    while cur.head.i != cur.i:
        if cur.dep_ == "relcl":
            break
        cur = cur.head
        chain.append(cur)
    return chain


def _verbal_head(tok):
    """For noun triggers, the verb whose argument the noun is (the clause it belongs to)."""
    cur = tok
    while cur.pos_ not in ("VERB", "AUX") and cur.head.i != cur.i and cur.dep_ not in ("relcl",):
        cur = cur.head
    return cur


def status_of(trigger) -> StatusResult:
    cues = status_cues()
    res = StatusResult()
    chain = _clause_chain(trigger)
    first_clause = True  # the modal/negation cues of the trigger's own clause
    full = [trigger] + list(trigger.ancestors)
    for tok in full:  # conditionals reach across relative clauses too
        if any(c.dep_ == "mark" and c.lower_ in cues["conditional_marks"] for c in tok.children):
            res.drop, res.status, res.reason = True, "hypothetical", "conditional"
            return res
        if tok.pos_ in ("VERB", "AUX") and any(a.dep_ == "aux" and a.lower_ in ("would", "'d") for a in tok.children) \
                and any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in cues["conditional_marks"]
                                                   for m in c.children) for c in tok.children):
            res.drop, res.status, res.reason = True, "hypothetical", "conditional consequence"
            return res
    # purpose / intention infinitives: "to thwart any new advance", "forces sent to attack" (not "managed to")
    if trigger.pos_ in ("VERB", "AUX") and trigger.dep_ in ("advcl", "xcomp", "acl", "relcl", "ccomp") and any(
            c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children) and \
            trigger.head.lemma_.lower() not in cues["implicative_governors"] and not (
            # "the police had to open fire", "forcing the police to open fire": a past obligation was carried out
            trigger.head.lemma_.lower() in cues.get("past_implicative_governors", ())
            and trigger.head.tag_ in PAST_OR_PROGRESSIVE_TAGS) and not _past_able(trigger.head, cues):
        res.status, res.reason = "hypothetical", "infinitive"
        return res
    for k, tok in enumerate(chain):
        lem = tok.lemma_.lower()
        kids = list(tok.children)
        # conditional: "if ... were able to control" -> drop the event
        if tok.dep_ in ("advcl",) and any(c.dep_ == "mark" and c.lower_ in cues["conditional_marks"] for c in kids):
            res.drop, res.status, res.reason = True, "hypothetical", "conditional"
            return res
        if k > 0:
            child = chain[k - 1]
            # governed by an "if"-sentence consequence: "..., this would bring them closer ..."
            if lem in cues["claim_verbs"] and child.dep_ in ("ccomp", "xcomp", "prep", "pcomp", "dobj"):
                res.status = "claimed" if res.status in ("reported", "claimed?") else res.status
                res.attribution_token = _subject(tok)
            if lem in cues["deny_verbs"] and child.dep_ in ("ccomp", "xcomp", "prep", "pcomp", "dobj", "pobj"):
                res.status = "denied"
                res.attribution_token = _subject(tok)
                return res
            if child.dep_ in ("xcomp", "ccomp", "acl", "pcomp", "pobj", "prep", "dobj", "advcl") and (
                    lem in cues["hypothetical_governors"] or tok.lower_ in cues["hypothetical_governors"]):
                # "attempting to control", "plans to attack", "able to control" (not "were able to": _past_able)
                if not (child.dep_ == "advcl" and lem in PREVENT_LEMMAS) and not _past_able(tok, cues):
                    res.status, res.reason = "hypothetical", f"governed by {lem}"
                    return res
        if first_clause or tok.pos_ in ("VERB", "AUX"):
            for c in kids:
                if c.dep_ == "aux" and c.lower_ in cues["modals"] and c.tag_ == "MD":
                    res.status, res.reason = "hypothetical", f"modal {c.lower_}"
                    return res
                if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and tok.i == trigger.i):
                    res.status, res.reason = "denied", "negation"
                    return res
                if c.dep_ == "det" and tok.i == trigger.i and c.lower_ in cues["nonreferential_determiners"]:
                    res.status, res.reason = "hypothetical", "non-referential"
                    return res
                if c.dep_ == "mark" and c.lower_ in cues["conditional_marks"]:
                    res.drop, res.status, res.reason = True, "hypothetical", "conditional"
                    return res
                if c.dep_ == "advcl" and tok.pos_ in ("VERB", "AUX") and any(
                        m.dep_ == "mark" and m.lower_ in cues["conditional_marks"] for m in c.children) and any(
                        a.dep_ == "aux" and a.lower_ in cues["modals"] for a in kids):
                    res.drop, res.status, res.reason = True, "hypothetical", "conditional consequence"
                    return res
                _according_to(c, res)
        if _modal_pseudo_cleft(tok, cues):
            res.status, res.reason = "hypothetical", "modal pseudo-cleft"
            return res
        if tok.pos_ in ("VERB", "AUX") and tok.i != trigger.i:
            first_clause = False
    if res.status == "claimed?":
        res.status = "claimed"
    return res


def _according_to(c, res: StatusResult) -> None:
    """"according to rebels" -> claimed (the caller checks the claimant is a party)."""
    if c.lower_ != "according" or c.dep_ not in ("prep", "advcl", "advmod"):
        return
    to = [g for g in c.children if g.lower_ == "to"]
    objs = [g for g in to[0].children if g.dep_ == "pobj"] if to else []
    if objs and res.status == "reported":
        res.status = "claimed?"
        res.attribution_token = objs[0]


def _modal_pseudo_cleft(tok, cues) -> bool:
    """"all the rebels would need is overrun an ammunition dump", "All they would have to do is attack the convoy":
    what a modal clause before "is" names is a possibility, not a happening."""
    be = tok if tok.lemma_.lower() == "be" else next(
        (a for a in tok.children if a.dep_ in ("aux", "auxpass") and a.lemma_.lower() == "be"), None)
    if be is None or be.i == 0:
        return False
    before = tok.doc[be.i - 1]
    # (not a relative clause: "Five people who could not flee were killed")
    return before.pos_ in ("VERB", "AUX") and before.dep_ not in ("relcl", "acl") and any(
        a.dep_ == "aux" and a.lower_ in cues["modals"] for a in list(before.children) + list(before.head.children))


def _subject(verb):
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def historical_phrase(sent_text: str) -> bool:
    low = sent_text.lower()
    return any(p in low for p in status_cues()["historical_phrases"])


def is_aggregate_sentence(sent_text: str) -> bool:
    low = sent_text.lower()
    return any(p in low for p in status_cues()["aggregate_phrases"])
