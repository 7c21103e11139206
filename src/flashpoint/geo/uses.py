"""How a resolved place name is used in its sentence: a place where something happens (``literal``) or a
stand-in for something else -- a source's base, a speaker, a currency (``modifier`` / ``metonymic``).

Run on the toponyms of a parsed Doc after resolution (types only; coordinates are left as they are, so the
geoparsing scores do not change):

* "the Britain-based Syrian Observatory", "a London-based monitor", "US-led strikes": the place qualifies an
  organisation or an action -> ``modifier``;
* "Kyiv says ...", "Moscow said", "Washington warned", "the U.S. said it was horrified": the place speaks for
  its government -> ``metonymic``;
* "prices in US dollar", "the Syrian pound": a currency -> ``modifier``;
* "US warplanes", "the US Air Force": a country's name modifying a noun -> ``modifier``;
* "Kurdish", "Arab" left literal by the recogniser: a people -> ``demonym``.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from flashpoint.model import Toponym

# "Britain-based", "US-led", "Iranian-backed", "Houthi-run", "Turkish-made": a compound adjective
_QUALIFIER_AFTER = re.compile(r"^(?:-|\s)?\s?(?:based|led|backed|run|made|born|owned|funded|sponsored|brokered|"
                              r"registered|headquartered|supported|allied|aligned|trained|armed)\b", re.I)
# "US dollar", "Syrian pounds", "the Nigerian naira"
CURRENCY_WORDS = frozenset({
    "dollar", "dollars", "pound", "pounds", "euro", "euros", "naira", "cedi", "cedis", "rand", "shilling",
    "shillings", "dinar", "dinars", "riyal", "riyals", "rial", "rials", "lira", "liras", "hryvnia", "hryvnias",
    "rouble", "roubles", "ruble", "rubles", "yuan", "peso", "pesos", "rupee", "rupees", "taka", "kyat",
    "afghani", "afghanis", "dirham", "dirhams", "franc", "francs", "kwacha", "birr", "yen", "won", "baht",
    "ringgit", "rupiah", "real", "reais", "bolivar", "bolivars", "manat", "tenge", "lari", "som", "leone",
    "leones", "sterling", "currency", "bond", "bonds", "treasury"})
# the verbs a government speaks with ("Moscow said", "Kyiv warns", "Washington has blamed ...")
SPEECH_LEMMAS = frozenset({
    "say", "tell", "warn", "claim", "accuse", "blame", "announce", "deny", "condemn", "urge", "insist", "report",
    "confirm", "state", "add", "allege", "vow", "threaten", "demand", "reject", "welcome", "respond", "argue",
    "believe", "express", "call", "declare", "acknowledge", "admit", "dismiss", "protest", "denounce", "criticise",
    "criticize", "hail", "praise", "pledge", "promise", "expect", "hope", "fear", "estimate", "describe",
    "suggest", "maintain", "reiterate", "stress", "note", "caution", "signal", "decline", "refuse", "want",
    "seek", "ask", "propose", "agree", "disagree", "question"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _root(doc: Doc, t: Toponym):
    sp = doc.char_span(t.start, t.end, alignment_mode="expand")
    return sp.root if sp is not None and len(sp) else None


def _speaker(doc: Doc, t: Toponym) -> bool:
    """'Kyiv says Russian forces shelled Pokrovsk': the place is the subject of a speech verb."""
    r = _root(doc, t)
    if r is None or r.dep_ not in _SUBJECT_DEPS:
        return False
    h = r.head
    if h.lemma_.lower() in SPEECH_LEMMAS:
        return True
    # "Washington has repeatedly blamed", "Moscow is expected to say": the verb of an xcomp/aux chain
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in SPEECH_LEMMAS for c in h.children)


def use_of(doc: Doc, text: str, t: Toponym) -> str | None:
    """The non-literal type of toponym ``t`` in ``doc`` ("demonym" / "modifier" / "metonymic"), or None when
    literal."""
    from flashpoint.geo.resolve import demonyms

    if t.name.lower() in demonyms():
        return "demonym"  # "Kurdish forces", "clashes between Kurdish and Arab fighters": a people, not a place
    after = text[t.end:t.end + 24]
    if _QUALIFIER_AFTER.match(after):
        return "modifier"
    nxt = after.strip().split(" ", 1)[0].lower().strip(".,;:")
    if nxt in CURRENCY_WORDS:
        return "modifier"
    if _speaker(doc, t):
        return "metonymic"
    if _country_modifier(doc, t):
        return "modifier"
    return None


def _country_modifier(doc: Doc, t: Toponym) -> bool:
    """'US warplanes', 'the US Air Force', 'Russia strikes': a country's name modifying a noun names its state
    (the recogniser types demonyms so, but not bare country names)."""
    if not (t.feature_code or "").upper().startswith("PCL"):
        return False
    r = _root(doc, t)
    return r is not None and r.dep_ in ("compound", "nmod", "amod") and r.head.pos_ in ("NOUN", "PROPN") \
        and r.head.i > r.i and not r.head.ent_type_ in ("GPE", "LOC")


def mark_uses(doc: Doc, tops: list[Toponym], text: str | None = None) -> list[Toponym]:
    """Retype the literal toponyms of ``doc`` that are used for something else (in place; returns ``tops``)."""
    text = doc.text if text is None else text
    for t in tops:
        if t.type != "literal":
            continue
        u = use_of(doc, text, t)
        if u is not None:
            t.type = u
    return tops
