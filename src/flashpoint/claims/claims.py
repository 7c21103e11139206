"""Numeric claims with sources: ``find_claims(doc) -> list[Claim]``.

A claim is a number governed (through the dependency parse) by a claim verb whose
subject is the source ("The United Nations estimates the death toll ... to be at least
250,000"; "..., the Observatory said"), or introduced by "according to X".

* subject: the noun phrase the number is about: the object of the claim verb
  ("estimates THE DEATH TOLL IN SYRIA ... to be N"), else the subject of the number's
  predicate ("THE DEATH TOLL rose to N"); an anaphor ("the number", "it", "the figure")
  takes the subject of the previous claim in the same or the previous sentence; a
  casualty count without either gets "<victims> <outcome>" ("people killed").
* unit: the casualty outcome (killed, wounded, displaced, ...) when known.
* source: the claim verb's subject without its determiner; acronyms are expanded
  from ``data/claims/acronyms.tsv`` as "Full Name (ACR)"; pronouns take the previous
  claim's source.
* conflicts: claims with the same subject, different sources and different values
  point at each other through ``conflicts_with`` (indices into the returned list).
"""
from __future__ import annotations

import re
from functools import lru_cache

from flashpoint.claims.lexicon import load_acronyms, load_yaml
from flashpoint.claims.numbers import (_cas, _lookup, doc_text, _number_mentions, _toll_outcome, _victim_tokens,
                                      find_casualties, vague_phrases)
from flashpoint.model import Claim, Span

_TRAIL = {"to", "be", "at", "as", "is", "was", "were", "are", "of", "has", "have", "had", "now",
          "stood", "stands", "reached", "rose", "risen"}
_DETS = {"the", "a", "an", "this", "that", "these", "those", "its", "their"}
_PRONOUNS = {"it", "he", "she", "they", "we", "i", "which", "who"}


@lru_cache(maxsize=1)
def _lex() -> dict:
    d = load_yaml("reporting.yaml")
    return {"verbs": set(d["claim_verbs"]), "anaphors": set(d["anaphors"]),
            "object_verbs": set(d["object_claim_verbs"]), "estimate_verbs": set(d["estimate_verbs"]),
            "source_nouns": set(d["source_nouns"]) | set(d["role_nouns"])}


def _plausible_source(toks) -> bool:
    """A source is a name (PROPN / ORG / PERSON / NORP) or a source noun ("monitor", "officials")."""
    toks = [t for t in toks if not t.is_space]
    if not toks or len(toks) > 10:
        return False
    head = toks[-1]
    if head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "PERSON", "NORP", "GPE"):
        return True
    if head.pos_ == "PRON":
        return head.lower_ in ("it", "he", "she", "they", "we")
    return head.lemma_.lower() in _lex()["source_nouns"]


def _strip_det(toks):
    toks = [t for t in toks if not t.is_space]
    while toks and (toks[0].lower_ in _DETS or toks[0].is_punct):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in _TRAIL):
        toks = toks[:-1]
    return toks


def _text(doc, toks) -> str:
    if not toks:
        return ""
    return re.sub(r"\s+", " ", str(toks[0].doc[toks[0].i: toks[-1].i + 1].text)).strip()


def _np_tokens(head, right_preps: bool = True):
    """Tokens of the noun phrase headed by ``head``: left modifiers + prepositional tails."""
    toks = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("punct",)]
    if right_preps:
        for ch in head.rights:
            if ch.dep_ == "prep":
                toks.extend(ch.subtree)
    toks.sort(key=lambda t: t.i)
    return toks


def normalise_source(text: str) -> str:
    """"the SOHR" -> "Syrian Observatory for Human Rights (SOHR)"; "The United Nations" -> "United Nations"."""
    t = re.sub(r"\s+", " ", text).strip()
    t = re.sub(r"^(the|a|an)\s+", "", t, flags=re.I)
    t = re.sub(r"['’]s$", "", t)
    acr = load_acronyms()
    if t in acr:
        return f"{acr[t]} ({t})"
    return t


def _source_of(verb):
    for ch in verb.children:
        if ch.dep_ in ("nsubj", "nsubjpass"):
            if ch.ent_type_ and ch.ent_iob_ in ("B", "I"):
                for ent in ch.doc.ents:
                    if ent.start <= ch.i < ent.end:
                        return list(ent)
            toks = [t for t in ch.subtree if t.i <= ch.i]
            # keep the compact noun phrase: drop anything before a clause boundary
            for k in range(len(toks) - 1, -1, -1):
                if toks[k].is_punct or toks[k].is_space or toks[k].pos_ in ("VERB", "AUX", "SCONJ"):
                    toks = toks[k + 1:]
                    break
            # run-on text: "Eastern Ghouta the Observatory" -> "the Observatory"
            for k in range(len(toks) - 1, 0, -1):
                if toks[k].lower_ == "the":
                    toks = toks[k:]
                    break
            # "Rami Abdel Rahman head (of the Observatory)" -> the person
            if len(toks) > 1 and toks[-1].lemma_.lower() in _lex()["source_nouns"] and all(
                    t.pos_ == "PROPN" for t in toks[:-1]) and toks[-2].ent_type_ == "PERSON":
                toks = toks[:-1]
            return toks
    return None


def _according_to(sent):
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
            to = t.doc[t.i + 1]
            for p in to.children:
                if p.dep_ == "pobj":
                    return [x for x in p.subtree if x.i <= p.i or x.dep_ in ("compound", "prep", "pobj")]
            if t.i + 2 < len(t.doc):
                return [t.doc[t.i + 2]]
    return None


CLAIM_VERB_MAX_HOPS = 8  # "the toll rose to 40, the monitor said": the claim verb is this many heads up at most
MAX_SUBJECT_TOKENS = 14  # a longer span before an estimated number is cut to the object's own noun phrase


def _claim_verb(head, lx: dict):
    """The claim verb governing a number ("said", "estimated"), or None."""
    verb = None
    cur, prev = head, None
    for _ in range(CLAIM_VERB_MAX_HOPS):
        if cur.pos_ == "VERB" and cur.lemma_.lower() in lx["verbs"] and cur is not head:
            # say/state/claim attribute a clause; estimate/put/record also an object
            if prev is not None and (prev.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr", "prep")
                                     or cur.lemma_.lower() in lx["object_verbs"]):
                verb = cur
            break
        if cur.head is cur:
            break
        cur, prev = cur.head, cur
    return verb


def _object_subject(doc, verb, head, first_tok, lx: dict) -> tuple:
    """(a) "estimates X to be / at N": the claim verb's object -> (subject, unit), else (None, None)."""
    subject = unit = None
    dobj = [c for c in verb.children if c.dep_ == "dobj"] if (
        verb is not None and verb.lemma_.lower() in lx["estimate_verbs"]) else []
    if dobj and not (dobj[0].left_edge.i <= head.i <= dobj[0].right_edge.i) and dobj[0].i < head.i:
        d = dobj[0]
        stoks = _strip_det([t for t in doc[d.left_edge.i: first_tok.i]])
        if len(stoks) > MAX_SUBJECT_TOKENS:
            stoks = _strip_det(_np_tokens(d))
        if not any(t.like_num for t in stoks):
            subject = _text(doc, stoks)
            unit = _toll_outcome(d)
    return subject, unit


def _predicate_subject(doc, role, si: int, meta: list, claims: list, lx: dict) -> tuple:
    """(b) "X rose to N" / "X has reached N": subject of the number's predicate -> (subject, unit); an anaphor
    ("the figure") takes the subject of the claim just before, in this sentence or the one before."""
    subject = unit = None
    pred = role
    while pred.dep_ in ("pobj", "prep") and pred.head is not pred:
        pred = pred.head
    if pred.pos_ not in ("VERB", "AUX"):
        pred = pred.head if pred.dep_ in ("dobj", "attr", "npadvmod", "oprd") else None
    if pred is not None and pred.pos_ in ("VERB", "AUX"):
        subj = [c for c in pred.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            s = subj[0]
            bare = [t for t in s.subtree if not t.is_space and t.lower_ not in _DETS]
            if s.lemma_.lower() in lx["anaphors"] and len(bare) <= 1:
                prev = [(k, m) for k, m in enumerate(meta) if m[0] in (si, si - 1)]
                if prev:
                    k = prev[-1][0]
                    subject, unit = claims[k].subject, claims[k].unit
            elif s.pos_ == "NOUN" and (_toll_outcome(s) or s.lemma_.lower() in lx["anaphors"]):
                subject = _text(doc, _strip_det(_np_tokens(s)))
                unit = _toll_outcome(s)
    return subject, unit


def find_claims(doc) -> list[Claim]:
    lx = _lex()
    claims: list[Claim] = []
    meta: list[tuple[int, str]] = []  # (sentence index, normalised subject)
    sents = list(doc.sents)
    dtext = doc_text(doc)
    for si, sent in enumerate(sents):
        cas_by_start = {c.start: c for c in find_casualties(sent)}
        toks = list(sent)
        for first, head, value, qual, _end in _number_mentions(sent):
            if value is None:
                continue
            verb = _claim_verb(head, lx)
            src_toks = _source_of(verb) if verb is not None else None
            if src_toks and not _plausible_source(src_toks):
                src_toks = None
            if not src_toks:
                src_toks = _according_to(sent)
            if not src_toks:
                continue
            source = _text(doc, _strip_det(src_toks)) or None
            if source and source.lower() in _PRONOUNS:
                source = claims[-1].source if claims else None
            if not source:
                continue
            source = normalise_source(source)
            role, content = _victim_tokens(head)
            subject, unit = _object_subject(doc, verb, head, toks[first], lx)
            if subject is None:
                subject, unit = _predicate_subject(doc, role, si, meta, claims, lx)
            # (c) a casualty count: "<victims> <outcome>"
            cas = cas_by_start.get(toks[first].idx)
            if cas is not None and subject is None:
                noun = content if content is not head else None
                if noun is not None and _lookup(_cas()["nouns"], noun)[0]:
                    subject = noun.text.lower()  # "deaths", "injuries", "bodies"
                else:
                    subject = f"{noun.text.lower() if noun is not None else 'people'} {cas.outcome}"
                unit = cas.outcome
            elif cas is not None and unit is None:
                unit = cas.outcome
            if not subject:
                continue
            s0 = min(toks[first].idx, verb.idx if verb is not None else toks[first].idx, src_toks[0].idx)
            e0 = max(head.idx + len(head), (verb.idx + len(verb)) if verb is not None else 0,
                     src_toks[-1].idx + len(src_toks[-1]))
            claims.append(Claim(subject=subject, value=float(value), qualifier=qual, unit=unit,
                                source=source, evidence=Span(text=dtext[s0:e0], start=s0, end=e0)))
            meta.append((si, subject.lower()))
    mark_conflicts(claims, [m[0] for m in meta])
    return claims


def _subject_key(s: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", s.lower()).strip()


def mark_conflicts(claims: list[Claim], sentence_index: list[int] | None = None,
                   casualty_window: int = 2) -> None:
    """Same subject, different sources, different values -> conflicts_with both ways.

    Generic casualty subjects ("people killed", built from a bare count) conflict only
    within ``casualty_window`` sentences of each other: farther apart they are more
    likely different events than disagreeing sources.
    """
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if _subject_key(a.subject) != _subject_key(b.subject):
                continue
            generic = a.unit is not None and a.subject.endswith(" " + a.unit)
            if generic and sentence_index is not None and abs(sentence_index[i] - sentence_index[j]) > casualty_window:
                continue
            if not a.source or not b.source or a.source == b.source:
                continue
            if a.value is None or b.value is None or a.value == b.value:
                continue
            vague = {v for v, _ in vague_phrases()}
            if a.qualifier in vague or b.qualifier in vague:
                continue
            if j not in a.conflicts_with:
                a.conflicts_with.append(j)
            if i not in b.conflicts_with:
                b.conflicts_with.append(i)
