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

``mention_use`` reads the same uses off the recognised names before resolution, so that the article's focus
country is voted by the places where things happen ("The Britain-based monitor said the blast also wounded
20" does not make a story about Hasakah a British one; ``resolve.vote_focus``).
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
# "Firat news agency said", "Anadolu Agency", "Orient TV": a name leading an outlet's is its name, not where
# anything happens
OUTLET_WORDS = frozenset({"news", "agency", "tv", "television", "radio", "newspaper"})
# the verbs a government speaks with ("Moscow said", "Kyiv warns", "Washington has blamed ...")
SPEECH_LEMMAS = frozenset({
    "say", "tell", "warn", "claim", "accuse", "blame", "announce", "deny", "condemn", "urge", "insist", "report",
    "confirm", "state", "add", "allege", "vow", "threaten", "demand", "reject", "welcome", "respond", "argue",
    "believe", "express", "call", "declare", "acknowledge", "admit", "dismiss", "protest", "denounce", "criticise",
    "criticize", "hail", "praise", "pledge", "promise", "expect", "hope", "fear", "estimate", "describe",
    "suggest", "maintain", "reiterate", "stress", "note", "caution", "signal", "decline", "refuse", "want",
    "seek", "ask", "propose", "agree", "disagree", "question"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
LOCATIVE_PREPS = frozenset({"in", "inside", "at", "across", "throughout", "near"})
CONTAINER_GAP = ", "  # "Houston, Texas": the second name holds the first
# "pro-Damascus media", "anti-Kyiv rebels", "pro-Moscow separatists": the name is a side
_SIDE_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.I)


def _speaker(r) -> bool:
    """'Kyiv says Russian forces shelled Pokrovsk': the place (span root ``r``) is the subject of a speech
    verb."""
    if r is None or r.dep_ not in _SUBJECT_DEPS:
        return False
    h = r.head
    if h.lemma_.lower() in SPEECH_LEMMAS:
        return True
    # "Washington has repeatedly blamed", "Moscow is expected to say": the verb of an xcomp/aux chain
    return any(c.dep_ == "xcomp" and c.lemma_.lower() in SPEECH_LEMMAS for c in h.children)


def _form_use(text: str, end: int, r, container: bool = False, start: int | None = None) -> str | None:
    """The non-literal use read off the words around a name ending at ``end`` (span root ``r``), whatever
    place it resolves to: a qualifier ("the Britain-based monitor", "US-led strikes") or a currency ("US
    dollar") -> "modifier"; a speaker ("Moscow said") -> "metonymic", unless the name is the ``container``
    of the place before it ("Police in Houston, Texas said": spaCy makes Texas the subject)."""
    after = text[end:end + 24]
    if _QUALIFIER_AFTER.match(after):
        return "modifier"
    if start is not None and _SIDE_BEFORE.search(text[max(0, start - 5):start]):
        return "modifier"  # "pro-Damascus media", "anti-Kyiv rebels": a side, not a place
    nxt = after.strip().split(" ", 1)[0].lower().strip(".,;:")
    if nxt in CURRENCY_WORDS or nxt in OUTLET_WORDS:
        return "modifier"
    if not container and _speaker(r):
        return "metonymic"
    return None


def use_of(doc: Doc, text: str, t: Toponym, container: bool = False) -> str | None:
    """The non-literal type of toponym ``t`` in ``doc`` ("demonym" / "modifier" / "metonymic"), or None when
    literal; ``container``: ``t`` names the place holding the one before it ("Houston, Texas")."""
    from flashpoint.geo.resolve import demonyms

    if t.name.lower() in demonyms():
        return "demonym"  # "Kurdish forces", "clashes between Kurdish and Arab fighters": a people, not a place
    sp = doc.char_span(t.start, t.end, alignment_mode="expand")
    if sp is None or not len(sp):
        return None
    u = _form_use(text, t.end, sp.root, container, start=t.start)
    if u is not None:
        return u
    if (t.feature_code or "").upper().startswith("PCL") and _modifies_noun(sp.root, sp[0]):
        return "modifier"
    return None


def _modifies_noun(r, first) -> bool:
    """'US warplanes', 'the US Air Force', 'Russia strikes': the name (span root ``r``, first token ``first``)
    modifies a noun after it; for a country's name that names its state (the recogniser types demonyms so,
    but not bare country names). Not after a locative preposition before a name: "Twin blasts kill 30 Kurdish
    fighters in Syria Monitor AFP", "31 IS group militants killed in northern Syria Reuters Sunday" (a headline
    run into its byline) is in Syria, but "killed in US airstrikes" is a US action."""
    if r is None or r.dep_ not in ("compound", "nmod", "amod") or r.head.pos_ not in ("NOUN", "PROPN") \
            or r.head.i <= r.i or r.head.ent_type_ in ("GPE", "LOC"):
        return False
    if r.head.pos_ != "PROPN":
        return True
    k = first.i - 1
    while k >= 0 and first.doc[k].pos_ == "ADJ":
        k -= 1  # "killed in northern Syria Reuters Sunday"
    return not (k >= 0 and first.doc[k].lower_ in LOCATIVE_PREPS)


def mention_use(doc: Doc, text: str, start: int, end: int, tok_start: int = 0, tok_end: int = 0,
                container: bool = False) -> str | None:
    """The use of a recognised name before resolution (for the focus vote: "The Britain-based monitor said"
    must not make a story about Hasakah a British one): "modifier" / "metonymic" as ``use_of`` reads them,
    "noun_modifier" when the name modifies a noun ("US warplanes"), which counts only if it is read as a
    country; None when literal."""
    sp = doc[tok_start:tok_end] if tok_end > tok_start else doc.char_span(start, end, alignment_mode="expand")
    if sp is None or not len(sp):
        return None
    r = sp.root
    u = _form_use(text, end, r, container, start=start)
    if u is None and _modifies_noun(r, sp[0]):
        u = "noun_modifier"
    return u


def mark_uses(doc: Doc, tops: list[Toponym], text: str | None = None) -> list[Toponym]:
    """Retype the literal toponyms of ``doc`` that are used for something else (in place; returns ``tops``)."""
    text = doc.text if text is None else text
    ends = {t.end for t in tops}
    for t in tops:
        if t.type != "literal":
            continue
        u = use_of(doc, text, t, container=t.start - len(CONTAINER_GAP) in ends
                   and text[t.start - len(CONTAINER_GAP):t.start] == CONTAINER_GAP)
        if u is not None:
            t.type = u
    return tops
