"""Stage ``time``: the date of one candidate and the article's default date (ACLED time_precision).

Reads the candidate's clause (DATE entities near the trigger), the article's publication date and printed date
(``dates.article_dates``); writes ``Cand.date``, ``Cand.precision`` and ``Cand.date_explicit``. A date in the
dateline ("KHARTOUM, June 12") is the article's, not the clause's; a bare number is never a year.
"""
from __future__ import annotations

import re
from datetime import date

from flashpoint.events import dates
from flashpoint.events.candidate import Cand
from flashpoint.events.clause_place import _span_ents
from flashpoint.nlp import doc_keys


# --------------------------------------------------------------------------------------------- dates
def _date_for(doc, c: Cand, default: tuple[date | None, int]) -> None:
    t = c.trig
    pub = default[0]
    ents = _span_ents(c.sent, ("DATE",))
    chosen = None
    sub = set(x.i for x in t.subtree)
    verb = t
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i and verb.dep_ != "relcl":
        verb = verb.head
    vsub = set(x.i for x in verb.subtree)
    trig_toks = doc.user_data.get(doc_keys.TRIGGER_TOKENS, set())

    # dates inside nested relative clauses belong to those clauses, unless the clause's verb is itself an event
    # trigger told of the noun: "a similar twin bombing in the central city that killed at least 12 people in May"
    # is May's bombing (spaCy hangs the clause on "city")
    def nested(e, root):
        x = e.root
        while x.i != root.i and x.head.i != x.i:
            if x.dep_ in ("relcl", "acl") and x.i != t.i and x.i != verb.i and not (
                    root.i == t.i and x.i in trig_toks and _tells_of(x, t)) and not _naming(x):
                return True
            x = x.head
        return False
    # a durations ("a three-day conflict") is a DATE entity that resolves to nothing: try the next date
    for pool, root in ((sub, t), (vsub, verb)):
        found = [(e, r) for e in ents if e.root.i in pool and not nested(e, root)
                 and (r := _informative(_text(e), pub)) is not None and not _dateline(e, r, pub)]
        chosen = _clause_date(found)
        if chosen is not None:
            break
    if chosen is None:
        # "On Tuesday 11 people ... were killed in regime shelling on the town of Jisreen": the sentence's one
        # date, not counting a DATE entity that is no date ("Jisreen") nor one of another clause
        main = [(e, r) for e in ents if not nested(e, c.sent.root) and not _other_clause(e, t)
                and (r := _informative(_text(e), pub)) and not _dateline(e, r, pub)]
        if len(main) > 1:
            main = [x for x in main if _start(x[0]) >= DATELINE_CHARS]
        if len(main) == 1 and t.dep_ not in ("relcl",):
            chosen = main[0]
    if chosen is not None:
        e, r = chosen
        c.date, c.precision, c.date_explicit = r[0], r[1], True
        c.date_spoken = _speech_day(e, t)
        c.fat["_date_text"] = _text(e)
        return
    c.date, c.precision = default


# verbs whose day is the day a source spoke ("... reached at least 112 people the Syrian Observatory ... said on
# Sunday"), not necessarily the day of what it told: such a day yields to a mention's own ("Saturday's blast")
SPEECH_VERBS = {"say", "tell", "add", "report", "announce", "state", "confirm"}


def _speech_day(ent, trig) -> bool:
    """"The death toll from a bomb blast on a crowded Syrian bus convoy outside Aleppo reached at least 112 people the
    Syrian Observatory for Human Rights monitoring group said on Sunday": the day of the saying dates the event
    only until another mention states the event's own day ("Saturday's blast")."""
    h = ent.root.head
    if h.dep_ == "prep" and ent.root.dep_ == "pobj":
        h = h.head
    return h.i != trig.i and h.pos_ == "VERB" and h.lemma_.lower() in SPEECH_VERBS


# "A suicide blast killed six members of the Kurdish internal security force known as the Asayish in April": a
# participle that only names ("known as", "called") has no time of its own, so spaCy's attaching "in April" to it
# leaves the date to the clause
_NAMING_LEMMAS = frozenset({"know", "call", "name", "dub", "label", "nickname"})


def _naming(x) -> bool:
    return x.dep_ == "acl" and x.lemma_.lower() in _NAMING_LEMMAS


_NOUN_PHRASE_DEPS = ("prep", "pobj", "compound", "amod", "appos")
# relative pronouns ("that", "which", "who"): a clause with one of them as its subject is told of its noun
RELATIVE_TAGS = ("WDT", "WP", "WP$")


def _tells_of(clause_verb, noun) -> bool:
    """Is the relative clause attached to the noun, or to a noun of its prepositional phrase ("bombing in the
    city that killed ...")?"""
    # (only a clause whose subject is that noun phrase tells of it, not "clashes to the west and south of Kobane the
    # key border town that Kurdish forces recaptured on January 26")
    if any(x.dep_ in ("nsubj", "nsubjpass") and x.tag_ not in RELATIVE_TAGS for x in clause_verb.children):
        return False
    h = clause_verb.head
    while h.i != noun.i and h.dep_ in _NOUN_PHRASE_DEPS and h.head.i != h.i:
        h = h.head
    return h.i == noun.i


# the verbs of clauses of their own: "A spokesman did not say what agent was used in the attack but said the rebels
# had used the same chemical weapons in Aleppo last year" ("last year" is the date of "had used", a reported clause,
# not of "the attack")
_OWN_CLAUSE_DEPS = ("ccomp", "parataxis")


def _other_clause(ent, t) -> bool:
    """Does the DATE entity sit in a reported or parenthetical clause that does not hold the trigger? (Not an
    adverbial one: "The SDF launched the operation to seize control over Raqqa in November 2016 and are now ...
    undertaking the liberation of the rural areas", where spaCy hangs the date on "seize".)"""
    holds = {t.i} | {a.i for a in t.ancestors}
    x = ent.root
    while x.head.i != x.i and x.i not in holds:
        if x.pos_ in ("VERB", "AUX") and x.dep_ in _OWN_CLAUSE_DEPS:
            return True
        x = x.head
    return False


_WEEKDAY_ABBR = tuple(w[:3] for w in dates.WEEKDAYS)


def _lead(ent) -> int:
    """Index of the first token of a DATE entity with the month (and weekday) that spaCy left out before it:
    "Sat Mar 12 2016 Turkeys Nightmare ..." is tagged "12 2016", which alone reads as the year 2016."""
    doc, i = ent.doc, ent.start
    if i == 0 or not ent.text[:1].isdigit():
        return i
    prev = doc[i - 1]
    if not (prev.text[:1].isupper() and dates._month(prev.text)):
        return i
    i -= 1
    if i > 0 and doc[i - 1].lower_[:3] in _WEEKDAY_ABBR:
        i -= 1
    return i


def _text(ent) -> str:
    return ent.doc[_lead(ent):ent.end].text


def _start(ent) -> int:
    return ent.doc[_lead(ent)].idx


DATELINE_CHARS = 60  # a date this close to the article's start is its dateline


def _dateline(ent, r: tuple, pub) -> bool:
    """"24 November 2016 US-led coalition airstrikes kill at least ten civilians in Raqqa": the article's own date
    printed at its start dates the page, not the event (which keeps the article's date, not as a date of its own)."""
    return _start(ent) < DATELINE_CHARS and r[0] == pub


def _clause_date(found: list) -> tuple | None:
    """The clause's date among its DATE entities (entity, (date, precision)): not the dateline when the clause
    has another ("28.05.2017(updated 1549 28.05.2017) ... An airstrike carried out by the US-led coalition on
    Saturday in Raqqa", flattened into one sentence), else the first of the finest precision."""
    if len(found) > 1:
        found = [x for x in found if _start(x[0]) >= DATELINE_CHARS] or found
    if not found:
        return None
    best = min(r[1] for _, r in found)
    return next(x for x in found if x[1][1] == best)


_BARE_YEAR = re.compile(r"\W*(?:in\s+)?\d{4}\W*", re.I)
# "10 October 2017 Russian Defense Ministry: More than 100 ISIS terrorists killed" (spaCy tags only "October 2017")
_BARE_MONTH = re.compile(r"\W*(?:in\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\W*", re.I)


def _informative(text: str, pub):
    """The date a DATE entity gives, unless it says less than the article's own date: a bare year or month of the
    article's year or month ("Wed 05 Apr 2017 Syria attack symptoms ...", where spaCy tags only "2017";
    "28.05.2017(updated 1549 28.05.2017)") would date the event 1 January at year precision."""
    r = dates.resolve(text, pub)
    if r is None or pub is None or r[0].year != pub.year:
        return r
    if _BARE_YEAR.fullmatch(text) or (r[0].month == pub.month and _BARE_MONTH.fullmatch(text)):
        return None  # (the article's own year or month: the event keeps the article's day)
    return r


# --------------------------------------------------------------------------------------------- main
def _article_default_date(doc) -> tuple[date | None, int]:
    """The article's printed date, else its publication date: the anchor of relative dates and the date of
    events without one; a disagreement or no date at all is reported in the Report's errors."""
    art = doc._.article
    text = art.text if art is not None else doc.text
    pub = getattr(art, "published", None) if art is not None else None
    day, precision, warnings = dates.article_date(text, pub, getattr(art, "title", None))
    if warnings:
        aid = getattr(art, "id", "doc")
        doc._.errors = list(doc._.errors or []) + [f"{aid}: warning: {w}" for w in warnings]
    return day, precision
