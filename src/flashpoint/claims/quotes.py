"""Direct quotes with speaker, affiliation and outlet.

``find_quotes(doc) -> list[Quote]``. Quote marks are paired left to right whatever their
shape (straight ``"``, curly ``“ ”``, guillemets), so an unbalanced pair such as
``"...”`` still makes a quote; a pair never crosses a paragraph break. Quoted strings of
fewer than ``min_quote_words`` words (scare quotes, names) are ignored.

The speaker is found next to the quote: after it (``"...," said X`` / ``"..." X told Y``)
or before it in the same sentence (``X said: "..."``). Pronoun speakers ("he added") are
resolved to the most recent named speaker. The affiliation comes from an apposition
("a field commander for X"), a pre-name role ("X spokesman Y") or "of X"; the outlet
from the object of "told" ("told Reuters").
"""
from __future__ import annotations

import re
from functools import lru_cache

from flashpoint.claims.lexicon import load_yaml
from flashpoint.claims.numbers import doc_text
from flashpoint.model import Quote, Span

OPEN_ONLY = "“„«"
CLOSE_ONLY = "”»"
MARKS = '"' + OPEN_ONLY + CLOSE_ONLY
PRONOUNS = {"he", "she", "they", "i", "we", "it"}


@lru_cache(maxsize=1)
def _lex() -> dict:
    d = load_yaml("reporting.yaml")
    return {
        "verbs": set(d["reporting_verbs"]),
        "roles": set(d["role_nouns"]),
        "preps": set(d["affiliation_preps"]),
        "outlets": {o.lower() for o in d["outlets"]},
        "min_words": int(d.get("min_quote_words", 5)),
    }


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted stretch, marks included."""
    out = []
    open_at = None
    for m in re.finditer(f"[{re.escape(MARKS)}]", text):
        ch, i = m.group(), m.start()
        if open_at is None:
            if ch in CLOSE_ONLY:
                continue
            open_at = i
            continue
        if "\n\n" in text[open_at:i] or ("\n" in text[open_at:i] and ch in OPEN_ONLY):
            open_at = i if ch not in CLOSE_ONLY else None
            continue
        if ch in OPEN_ONLY:  # a new opener: the previous one was never closed
            open_at = i
            continue
        out.append((open_at, i + 1))
        open_at = None
    return out


def _clean(tokens) -> tuple[int, int] | None:
    toks = [t for t in tokens if not (t.is_punct or t.is_space)]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _ent_or_chain(tok):
    """The named entity containing ``tok``, else its compound/flat chain."""
    if tok.ent_type_ and tok.ent_iob_ in ("B", "I"):
        for ent in tok.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent[0], ent[-1]
    left = tok
    for ch in tok.lefts:
        if ch.dep_ in ("compound", "flat", "amod", "nmod") and ch.pos_ in ("PROPN", "NOUN", "ADJ"):
            left = min(left, ch.left_edge, key=lambda t: t.i)
            break
    return left, tok


def _affiliation(doc, first, last) -> str | None:
    """Affiliation of a speaker whose name spans tokens first..last."""
    lx = _lex()
    head = doc[last.i]
    # pre-name role: "Ahrar al-Sham spokesman Yousef", "Observatory director Rami ..."
    i = first.i - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 0 and doc[i].lemma_.lower() in lx["roles"]:
        j = i - 1
        start = None
        while j >= 0 and (doc[j].pos_ == "PROPN" or (doc[j].is_title and doc[j].pos_ in ("NOUN", "ADJ"))
                          or (doc[j].text == "-" and start is not None)):
            start = j
            j -= 1
        if start is not None:
            return doc[start: i].text
    # apposition after the name: ", a field commander for X" / ", head of X"
    k = last.i + 1
    limit = min(len(doc), last.i + 16)
    seen_role = False
    while k < limit:
        t = doc[k]
        if t.text in ('"', "“", "”") or (t.pos_ == "VERB" and t.lemma_.lower() in lx["verbs"]):
            break
        if t.lemma_.lower() in lx["roles"]:
            seen_role = True
        elif seen_role and t.lower_ in lx["preps"]:
            # the organisation: PROPN run after the preposition (optional "the")
            m = k + 1
            if m < len(doc) and doc[m].lower_ == "the":
                m += 1
            start = m
            while m < len(doc) and (doc[m].pos_ == "PROPN" or doc[m].text in ("-", "al", "el")
                                    or (doc[m].ent_type_ in ("ORG", "PERSON", "NORP", "GPE") and doc[m].ent_iob_ == "I")):
                m += 1
            if m > start:
                return doc[start:m].text
        elif seen_role and t.pos_ == "PROPN":
            m = k
            while m < len(doc) and (doc[m].pos_ == "PROPN" or doc[m].text == "-"):
                m += 1
            return doc[k:m].text
        k += 1
    return None


def _outlet(doc, verb_tok, lo, hi) -> str | None:
    """Object of "told"/"said to" in the attribution clause (tokens lo..hi)."""
    lx = _lex()
    for t in doc[lo:hi]:
        # "in an interview with X", "speaking to X"
        if (t.lower_ == "with" and t.head.lemma_.lower() == "interview") or (
                t.lower_ == "to" and t.i > 0 and doc[t.i - 1].lemma_.lower() in ("speak", "talk")):
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if nxt is not None and nxt.lower_ in ("the", "a", "an") and t.i + 2 < len(doc):
                nxt = doc[t.i + 2]
            if nxt is not None and (nxt.pos_ == "PROPN" or nxt.ent_type_ == "ORG"):
                first, last = _ent_or_chain(nxt)
                if last.i < nxt.i:
                    last = nxt
                m = last.i
                while m + 1 < len(doc) and doc[m + 1].pos_ == "PROPN":
                    m += 1
                return doc[first.i: m + 1].text
        if t.lemma_.lower() == "tell" or (t.lower_ == "to" and t.head.lemma_.lower() in ("say", "speak")):
            for ch in list(t.children) + ([doc[t.i + 1]] if t.i + 1 < len(doc) else []):
                if ch.dep_ in ("dobj", "dative", "pobj", "compound") or ch.i == t.i + 1:
                    first, last = _ent_or_chain(ch)
                    name = doc[first.i: last.i + 1].text
                    if ch.pos_ == "PROPN" or ch.ent_type_ == "ORG" or name.lower() in lx["outlets"]:
                        return name
    return None


def _verb_near(doc, lo, hi, reverse=False):
    lx = _lex()
    rng = range(hi - 1, lo - 1, -1) if reverse else range(lo, hi)
    for i in rng:
        t = doc[i]
        if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lx["verbs"] and t.tag_ != "VBG":
            return t
    return None


def _speaker_from(doc, verb, after_quote_tok):
    """(first, last) tokens of the speaker for reporting verb ``verb``."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "…," said X: the name right after the verb
    if after_quote_tok is not None and verb.i <= after_quote_tok.i + 1:
        k = verb.i + 1
        while k < len(doc) and (doc[k].is_space or doc[k].is_punct):
            k += 1
        if k < len(doc):
            t = doc[k]
            # "said Syrian Observatory director Rami Abdel Rahman": prefer the person
            m = k
            while m < min(len(doc), k + 9) and not (doc[m].is_punct and doc[m].text != "-") and not (
                    doc[m].pos_ == "VERB"):
                if doc[m].ent_type_ == "PERSON":
                    return _ent_or_chain(doc[m])
                m += 1
            if t.ent_type_ in ("PERSON", "ORG", "NORP") or t.pos_ == "PROPN":
                return _ent_or_chain(t)
            if subj and subj[0].i > verb.i:
                return _np(doc, subj[0])
            if t.pos_ in ("DET", "NOUN", "PRON", "ADJ"):
                return _np_from(doc, k)
    # "…" X told Y: the words between the quote and the verb
    if after_quote_tok is not None and 0 < verb.i - after_quote_tok.i <= 9:
        toks = [t for t in doc[after_quote_tok.i: verb.i] if not (t.is_punct or t.is_space)]
        if subj and after_quote_tok.i < subj[0].i < verb.i:
            return _np(doc, subj[0])  # "... stronghold of IS" he said -> "he"
        if toks:
            named = [t for t in toks if t.ent_type_ == "PERSON"]
            if named:
                return _ent_or_chain(named[-1])
            return toks[0], toks[-1]
    if subj:
        return _np(doc, subj[0])
    return None


def _np(doc, head):
    if head.ent_type_ in ("PERSON", "ORG") or head.pos_ == "PROPN":
        return _ent_or_chain(head)
    first = head.left_edge
    return first, head


def _np_from(doc, k):
    """A noun phrase starting at token k (up to its head noun)."""
    m = k
    while m + 1 < len(doc) and doc[m + 1].pos_ in ("NOUN", "PROPN", "ADJ", "ADP", "DET") and doc[m].pos_ != "NOUN":
        m += 1
    while m + 1 < len(doc) and doc[m + 1].pos_ in ("NOUN", "PROPN"):
        m += 1
    return doc[k], doc[m]


def _plausible(doc, spk, qs, qe) -> bool:
    """A speaker is a short noun phrase outside the quote, ending in a noun or pronoun."""
    first, last = spk
    if last.i - first.i > 9:
        return False
    if first.idx < qe and last.idx >= qs:
        return False
    return last.pos_ in ("NOUN", "PROPN", "PRON") or last.ent_type_ in ("PERSON", "ORG", "NORP")


def _last_person_before(doc, char: int, labels=("PERSON",)) -> str | None:
    best = None
    for ent in doc.ents:
        if ent.end_char > char:
            break
        if ent.label_ in labels:
            best = ent.text
    return best


ATTRIBUTION_AFTER_TOKENS = 12  # '"...," the monitor said': the verb is looked for this far after the quote
ATTRIBUTION_BEFORE_TOKENS = 12  # 'The monitor said that "..."': ... and this far before it
ATTRIBUTION_SPAN_BEFORE = 14  # the outlet of a speaker named before the quote is looked for this far back
INTRODUCING_PUNCT_TOKENS = 3  # 'X said: "..."': the verb this close before the colon or comma


def _is_break(tok) -> bool:
    """A quote mark or a paragraph break: the attribution of a quote stops there."""
    return tok.text in MARKS or (tok.is_space and "\n" in tok.text)


def _after_window(doc, end_tok) -> tuple[int, int]:
    """Token range after a quote where its attribution verb may be, up to the next quote mark or paragraph."""
    sent = end_tok.sent
    after_lo = end_tok.i + 1
    after_hi = min(sent.end, after_lo + ATTRIBUTION_AFTER_TOKENS)
    # stop the attribution window at the next quote mark or paragraph break
    for k in range(after_lo, after_hi):
        if _is_break(doc[k]):
            after_hi = k
            break
    return after_lo, after_hi


def _introducing_verb(doc, start_tok, lx: dict):
    """'X said: "..."' - an introducing verb right before the quote wins."""
    s0 = start_tok.sent.start
    before = None
    j = start_tok.i - 1
    while j >= s0 and doc[j].is_space:
        j -= 1
    if j >= s0 and doc[j].text in (":", ","):
        before = _verb_near(doc, max(s0, j - INTRODUCING_PUNCT_TOKENS), j, reverse=True)
    elif j >= s0 and doc[j].pos_ == "VERB" and doc[j].lemma_.lower() in lx["verbs"]:
        before = doc[j]
    return before


def _attribution(doc, span_q, lx: dict):
    """(speaker token pair or None, attribution verb or None, attribution token range) of a quote."""
    end_tok = span_q[-1]
    sent = end_tok.sent
    after_lo, after_hi = _after_window(doc, end_tok)
    start_tok = span_q[0]
    s0 = start_tok.sent.start
    before = _introducing_verb(doc, start_tok, lx)
    verb = None if before is not None else _verb_near(doc, after_lo, after_hi)
    spk = None
    attr_hi = after_lo
    while attr_hi < sent.end and not _is_break(doc[attr_hi]):
        attr_hi += 1
    attr_lo = after_lo
    if verb is not None:
        spk = _speaker_from(doc, verb, end_tok)
    else:
        verb = before or _verb_near(doc, max(s0, start_tok.i - ATTRIBUTION_BEFORE_TOKENS), start_tok.i, reverse=True)
        if verb is not None:
            spk = _speaker_from(doc, verb, None)
            attr_lo, attr_hi = max(s0, start_tok.i - ATTRIBUTION_SPAN_BEFORE), start_tok.i
    return spk, verb, attr_lo, attr_hi


def _speaker_tokens(doc, spk, verb, lx: dict):
    """(first, last, speaker text, affiliation named before the name) of the speaker's noun phrase."""
    first, last = spk
    if first.text in ("who", "which", "that") and first.i == last.i:
        first, last = _np(doc, verb.head) if verb.dep_ == "relcl" else (first, last)
    pre_aff = None
    # "Syrian Observatory director Rami Abdel Rahman": the name after the role
    nxt = last.i + 1
    if nxt + 1 < len(doc) and doc[nxt].lemma_.lower() in lx["roles"] and doc[nxt + 1].pos_ == "PROPN":
        m = nxt + 1
        while m + 1 < len(doc) and (doc[m + 1].pos_ == "PROPN" or doc[m + 1].text == "-"):
            m += 1
        pre_aff = doc[first.i: last.i + 1].text.strip()
        first, last = doc[nxt + 1], doc[m]
    speaker = doc[first.i: last.i + 1].text.strip()
    return first, last, speaker, pre_aff


def find_quotes(doc) -> list[Quote]:
    lx = _lex()
    text = doc_text(doc)
    quotes: list[Quote] = []
    last_named: tuple[str, str | None] | None = None
    last_org: str | None = None
    for qs, qe in quote_spans(text):
        inner = text[qs + 1: qe - 1]
        if len(inner.split()) < lx["min_words"]:
            continue
        content = inner.strip().rstrip(",").strip()
        span_q = doc.char_span(qs, qe, alignment_mode="expand")
        if span_q is None:
            continue
        spk, verb, attr_lo, attr_hi = _attribution(doc, span_q, lx)
        speaker = affiliation = outlet = None
        ev_lo, ev_hi = qs, qe
        if spk is not None and not _plausible(doc, spk, qs, qe):
            spk = None
        if spk is not None:
            first, last, speaker, pre_aff = _speaker_tokens(doc, spk, verb, lx)
            if speaker == "WHO":
                pass
            elif speaker.lower() in PRONOUNS or speaker.lower() in ("who", "which", "that"):
                if speaker.lower() in ("it", "which", "that"):
                    speaker = last_org or _last_person_before(doc, qs, labels=("ORG",))
                elif last_named is not None:
                    speaker, affiliation = last_named
                else:
                    speaker = _last_person_before(doc, qs)
            else:
                # "Observatory director Rami Abdel Rahman" -> name + affiliation
                affiliation = pre_aff or _affiliation(doc, first, last)
                if last.ent_type_ == "PERSON" or first.ent_type_ == "PERSON":
                    last_named = (speaker, affiliation)
                else:
                    last_org = speaker
            outlet = _outlet(doc, verb, attr_lo, attr_hi)
            ev_lo = min(qs, first.idx, verb.idx)
            ev_hi = max(qe, last.idx + len(last), verb.idx + len(verb))
        quotes.append(Quote(speaker=speaker, affiliation=affiliation, outlet=outlet, text=content,
                            evidence=Span(text=text[ev_lo:ev_hi], start=ev_lo, end=ev_hi)))
    return quotes
