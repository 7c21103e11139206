"""Case-normalising ALL-CAPS articles and Title-Case headlines before spaCy (issue #13 item 2, issue #11).

Wire copy and radio transcripts in capitals ("TERRORISTS OF THE FMLN KILLED TWO PEASANTS IN SAN MIGUEL
DEPARTMENT YESTERDAY") defeat the small spaCy model: every word is tagged a proper noun, so verbs are no verbs and
no trigger, role or place is found. A text whose cased letters are nearly all capitals is re-cased before it is
parsed: English dictionary words in lower case, the first word of each sentence capitalised, known acronyms
(FMLN, ELN, FARC) kept, and other words -- names -- in Title case; names of countries, their peoples, capitals
and major cities (the actor dictionary's country table) are Title case even when they are also English words
("LIMA", "CHAD"). Every character keeps its place (only its case changes), so every offset into the Doc is an
offset into the article, and ``restore_text`` puts the article's own characters back into a Report's spans.

The English words are the WordNet lemma index that the spaCy model's rule lemmatiser ships (``lemma_index``)
plus its inflections, as the lemmatiser itself knows them (``lemma_exc``) and a regular-suffix check.
"""
from __future__ import annotations

import re
from functools import lru_cache

SHOUTING_MIN_LETTERS = 40  # texts with fewer cased letters are left alone (a headline, a code)
SHOUTING_UPPER_SHARE = 0.85  # share of cased letters in upper case that makes a text ALL-CAPS
_WORD = re.compile(r"[A-Za-z]+")
# a sentence starts at the text's start, after . ! ? (and closing quotes/brackets) and whitespace, or after a
# blank line
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"')\]]*\s+|\n\s*\n\s*|--\s+)[\"'(\[]*([A-Za-z])")
_SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "est", "ies", "ied")


def is_shouting(text: str) -> bool:
    """Nearly all the cased letters of ``text`` are capitals."""
    upper = lower = 0
    for ch in text:
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    n = upper + lower
    return n >= SHOUTING_MIN_LETTERS and upper / n >= SHOUTING_UPPER_SHARE


@lru_cache(maxsize=2)
def _english_words(nlp) -> frozenset[str]:
    lem = nlp.get_pipe("lemmatizer")
    words: set[str] = set()
    index = lem.lookups.get_table("lemma_index") if lem.lookups.has_table("lemma_index") else {}
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(w for w in (index.get(pos) or []) if "_" not in w)
    if lem.lookups.has_table("lemma_exc"):
        for pos_table in lem.lookups.get_table("lemma_exc").values():
            words.update(k for k in pos_table if "_" not in k)
    from spacy.lang.en.stop_words import STOP_WORDS

    words.update(STOP_WORDS)
    return frozenset(words)


@lru_cache(maxsize=2)
def _names(words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(proper-name words to Title-case, acronyms to keep in capitals) from the actor dictionary: the words of
    country names, demonyms and capitals ("Chad", "Lima") even when English, the words of other names of a
    country (aliases, major cities) when they are not English words ("Republic" is)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from flashpoint.actors.dictionary import get_dictionary, is_acronym

    d = get_dictionary()
    names: set[str] = set()
    for c in d.countries.values():
        for phrase in [c.name, c.demonym, c.demonym_plural, c.capital]:
            names.update(w.lower() for w in _WORD.findall(phrase or "") if len(w) > 2)
        for phrase in [*c.aliases, *c.places]:
            names.update(w.lower() for w in _WORD.findall(phrase or "") if len(w) > 2
                         and not _is_english(w.lower(), words))
    names -= STOP_WORDS
    acronyms = {re.sub(r"[^A-Za-z]", "", a).upper() for e in d.entries for a in e.aliases if is_acronym(a)}
    # an acronym that is also a function word is the word in capitals: "THE TRUTH IS THAT", "THE SEVEN WHO WERE
    # WOUNDED" are "is" and "who", not the Islamic State or the World Health Organization
    return frozenset(names), frozenset(a for a in acronyms if len(a) > 1 and a.lower() not in STOP_WORDS)


def _is_english(low: str, words: frozenset[str]) -> bool:
    if low in words:
        return True
    for suf in _SUFFIXES:
        if low.endswith(suf) and len(low) - len(suf) >= 3:
            stem = low[: -len(suf)]
            if stem in words or stem + "e" in words or (suf in ("ies", "ied") and stem + "y" in words):
                return True
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in words:  # "planned", "shelling"
                return True
    return False


# Spanish, Portuguese and Arabic article-words that begin place names ("EL TABLON", "SAN MIGUEL", "LOS ANGELES")
NAME_PARTICLES = frozenset({"el", "la", "los", "las", "san", "santa", "santo", "sao"})
# calendar words are names ("12 JAN 90", "ON MONDAY")
CALENDAR_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


def _recase_word(word: str, words: frozenset[str], names: frozenset[str], acronyms: frozenset[str]) -> str:
    if not word.isupper():
        return word  # "McDONALD", mixed case: as written
    low = word.lower()
    if word in acronyms:
        return word
    if low in names or low in CALENDAR_WORDS or low in NAME_PARTICLES:
        return word[0] + low[1:]
    if len(word) == 1:
        return low if word == "A" else word  # "A" the article; "U.S.", "I" as written
    if _is_english(low, words):
        return low
    return word[0] + low[1:]


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern | None, dict[str, str]]:
    """Multi-word names of the actor dictionary as written there ("Farabundo Marti National Liberation Front",
    "Shining Path"), to restore their capitals in a re-cased text."""
    from flashpoint.actors.dictionary import get_dictionary

    forms: dict[str, str] = {}
    for e in get_dictionary().entries:
        for a in [e.name, *e.aliases]:
            a = (a or "").strip()
            if " " in a and a[:1].isupper() and a.isascii():
                forms.setdefault(a.upper(), a)
    if not forms:
        return None, forms
    alts = sorted(forms, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in alts) + r")\b"), forms


def _restore_names(original: str, chars: list[str]) -> None:
    pat, forms = _alias_pattern()
    if pat is None:
        return
    for m in pat.finditer(original):
        form = forms[m.group(0)]
        if len(form) == m.end() - m.start():
            chars[m.start():m.end()] = list(form)


def normalise_case(text: str, nlp) -> str:
    """``text`` re-cased as ordinary prose; the same length, every character in its place. ``nlp``: the spaCy
    pipeline whose rule lemmatiser supplies the English words."""
    words = _english_words(nlp)
    names, acronyms = _names(words)
    out = _WORD.sub(lambda m: _recase_word(m.group(0), words, names, acronyms), text)
    chars = list(out)
    _restore_names(text, chars)
    for m in _SENTENCE_START.finditer(out):
        i = m.start(1)
        chars[i] = chars[i].upper()
    return "".join(chars)


def restore_text(report, original: str) -> None:
    """The article's own characters back into a Report built from the re-cased text (same offsets)."""
    def fix(sp) -> None:
        if sp is not None and sp.start is not None and sp.end is not None and sp.end <= len(original):
            sp.text = original[sp.start:sp.end]

    for ev in report.events:
        fix(ev.evidence)
        for m in ev.mentions or []:
            fix(m)
    for group in (report.relations, report.quotes, report.claims):
        for item in group:
            fix(getattr(item, "evidence", None))


# A headline in Title Case ("24-09-2013 Deadly Blast Hits South Damascus.") makes every word a proper noun to the
# small spaCy model: "Blast" is no noun and "Hits" no verb. The headline is the text's first line or sentence within
# HEADLINE_MAX_CHARS; it is Title Case when at least TITLE_SHARE of its words of TITLE_WORD_MIN letters or more
# (calendar words aside) are capitalised, and at least TITLE_MIN_WORDS of them are.
HEADLINE_MAX_CHARS = 200
TITLE_WORD_MIN = 4
TITLE_SHARE = 0.75
TITLE_MIN_WORDS = 3
_HEADLINE_END = re.compile(r"[.!?](?=\s)|\n")


def title_case_headline(text: str) -> int:
    """The end of the text's Title-Case headline, or 0 when it has none."""
    m = _HEADLINE_END.search(text[:HEADLINE_MAX_CHARS])
    end = m.start() if m else (len(text) if len(text) <= HEADLINE_MAX_CHARS else 0)
    words = [w for w in _WORD.findall(text[:end]) if len(w) >= TITLE_WORD_MIN and w.lower() not in CALENDAR_WORDS]
    title = [w for w in words if w[0].isupper()]
    return end if len(title) >= TITLE_MIN_WORDS and len(title) >= TITLE_SHARE * len(words) else 0


def lower_headline_words(text: str, common: frozenset[str]) -> str:
    """``text`` with the Title-Case words of its headline that are ``common`` words (event words, function words,
    and their inflections: "Blast", "Hits", "Used") in lower case; names stay as written. Same length."""
    end = title_case_headline(text)
    if not end:
        return text

    first = next((m.start() for m in _WORD.finditer(text[:end]) if m.group(0).lower() not in CALENDAR_WORDS), -1)

    def fix(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        if m.start() == first or not (w[0].isupper() and w[1:].islower()) or low in CALENDAR_WORDS or \
                not _is_english(low, common):
            return w
        return low
    head = _WORD.sub(fix, text[:end])
    return head + text[end:]
