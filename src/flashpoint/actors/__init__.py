"""Actors: dictionary, mention finding, canonical resolution, backers and alliances.

Public helpers (used by the events, claims and quotes stages):

* :func:`get_dictionary` - the loaded :class:`ActorDictionary` (cached)
* :func:`actors_in_span` - actor mentions overlapping a character span, in order
* :func:`backers` - canonical names of the actors supporting an actor mention
* :func:`resolve_text` - the actor named by a short text ("the Syrian army", "HTS")
* :func:`relation_name` - the canonical an actor takes in relations/events (a leader -> what he leads)
* :func:`coref` - the actor a token refers to (its mention, or a pronoun's antecedent: "it", "they", "its")
* :func:`conjoined` - the actor mentions coordinated with a mention ("the army and the RSF agreed")
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from rapidfuzz import fuzz, process

from flashpoint.actors.dictionary import ActorDictionary, ActorEntry, get_dictionary
from flashpoint.model import Actor
from flashpoint.nlp import doc_keys

__all__ = ["ActorDictionary", "ActorEntry", "get_dictionary", "actors_in_span", "backers", "resolve_text",
           "acts_for", "coref", "conjoined"]

PRONOUNS = {"it", "its", "they", "their", "them", "itself", "themselves"}
ARMED_INTER = (1, 2, 3, 4, 8)
# fuzzy alias match of a short text (typos, transliterations: "Hayat Tahrir al-Shaam"): aliases longer than this,
# at this rapidfuzz ratio or better
FUZZY_MIN_ALIAS_CHARS = 5
FUZZY_MIN_SCORE = 90


def _is_armed(a: Actor) -> bool:
    return (a.inter or 0) in ARMED_INTER and not (a.kind or "").startswith("person")


def _mention_at(doc, token_i: int) -> Optional[Actor]:
    t = doc[token_i]
    for a in getattr(doc._, "actors", None) or []:
        if a.start is not None and a.start <= t.idx < a.end:
            return a
    return None


def coref(doc, token_i: int) -> Optional[Actor]:
    """The actor token ``token_i`` refers to, or None.

    * a token inside an actor mention -> that mention (generic nouns and anaphors such as "the army",
      "the militants", "the group", "its aircraft" are already resolved by ``fp_actors``: the army of the
      state named with that role, the most salient named group...);
    * a pronoun ("it", "they", "its", "their", "them") -> the nearest preceding armed actor (state forces,
      rebels, militias, external forces; not persons or civilians) of its sentence; failing that, the
      subject-position armed actor of the previous sentence, else its last armed actor.

    Returns a copy (``model_copy``) whose ``start``/``end`` are the antecedent's offsets.
    """
    if token_i < 0 or token_i >= len(doc):
        return None
    a = _mention_at(doc, token_i)
    if a is not None:
        return a.model_copy()
    t = doc[token_i]
    if t.lower_ not in PRONOUNS or (t.lower_ == "it" and t.dep_ in ("dobj", "pobj", "attr")):
        return None  # "would respect it": a thing, not an actor
    acts = sorted((x for x in getattr(doc._, "actors", None) or [] if x.start is not None and _is_armed(x)),
                  key=lambda x: x.start)
    has_sents = doc.has_annotation("SENT_START")
    s0 = t.sent.start_char if has_sents else 0
    same = [x for x in acts if s0 <= x.start and x.end <= t.idx]
    if same:
        return same[-1].model_copy()
    if not has_sents or t.sent.start == 0:
        return None
    prev = doc[t.sent.start - 1].sent
    cands = [x for x in acts if prev.start_char <= x.start and x.end <= prev.end_char]
    if not cands:
        return None
    for x in cands:
        span = doc.char_span(x.start, x.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            return x.model_copy()
    return cands[-1].model_copy()


def conjoined(doc, actor: Actor) -> list[Actor]:
    """Actor mentions coordinated with ``actor`` ("Sudan's army and the RSF agreed", "X, Y and Z
    attacked"), in text order, ``actor`` excluded. Uses the dependency parse (conj links)."""
    if actor.start is None or not doc.has_annotation("DEP"):
        return []
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    if span is None:
        return []
    out: list[Actor] = []
    for tok in span.root.conjuncts:
        if span.start <= tok.i < span.end:
            continue
        a = _mention_at(doc, tok.i)
        if a is None:
            # the conjunct may be the head of a longer phrase holding the mention ("the paramilitary RSF")
            for w in tok.subtree:
                a = _mention_at(doc, w.i)
                if a is not None:
                    break
        if a is not None and a.start != actor.start and all(a.start != o.start for o in out):
            out.append(a)
    return sorted(out, key=lambda a: a.start)


def actors_in_span(doc, start_char: int, end_char: int) -> list[Actor]:
    """Actor mentions of ``doc._.actors`` overlapping [start_char, end_char), in text order."""
    acts = getattr(doc._, "actors", None) or []
    out = [a for a in acts if a.start is not None and a.end is not None and a.start < end_char and a.end > start_char]
    return sorted(out, key=lambda a: (a.start, a.end))


def _sentence_bounds(doc, a: Actor) -> tuple[int, int]:
    """Character bounds of the mention's sentence, cut at line breaks."""
    from flashpoint.actors.mentions import block_bounds

    if a.start is None:
        return (0, len(doc.text))
    span = doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None:
        return (0, len(doc.text))
    lo, hi = block_bounds(doc, span.start)
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)


def backers(doc, actor: Actor, scope: str = "sentence") -> list[str]:
    """Canonical names of actors that support ``actor`` (a mention from doc._.actors).

    ``scope``: "sentence" (default) - support stated in the mention's own sentence, as ACLED's
    associated actors are coded ("regime forces backed by Russian air strikes advanced");
    "auto" - the sentence's backers, else the article's; "article" - sentence first, then the
    rest of the article.
    """
    rels = doc.user_data.get(doc_keys.ACTOR_RELATIONS_ALL) or getattr(doc._, "relations", None) or []
    if not actor.canonical:
        return []
    names = {actor.canonical}
    aff = getattr(actor, "affiliation", None)
    if aff:
        names.add(aff)
    s0, s1 = _sentence_bounds(doc, actor)
    local, rest = [], []
    for r in rels:
        if r.relation != "supports" or r.target not in names or r.actor in names:
            continue
        ev = r.evidence
        inside = ev is not None and ev.start < s1 and ev.end > s0
        (local if inside else rest).append(r.actor)
    if scope == "sentence" or (scope == "auto" and local):
        chosen = local
    else:
        chosen = local + rest
    out: list[str] = []
    for n in chosen:
        if n not in out:
            out.append(n)
    return out


def acts_for(actor: Actor) -> Optional[str]:
    """For a person mention, the actor he acts for (a leader -> his state/group); else the canonical."""
    aff = getattr(actor, "affiliation", None)
    if actor.kind and actor.kind.startswith("person"):
        if aff:
            return aff
        e = get_dictionary().entry(actor.canonical or "")
        if e is not None and e.acts_for:
            return e.acts_for
    return actor.canonical


@lru_cache(maxsize=2)
def _blank(d: ActorDictionary):
    import spacy

    from flashpoint.actors.mentions import ActorMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp, ActorMatcher(nlp.make_doc, nlp.vocab, d)


@lru_cache(maxsize=2)
def _fuzzy_keys(d: ActorDictionary) -> list[str]:
    """The aliases fuzzy matching compares a text with (built once per dictionary, not per unknown text)."""
    return [k for k in d.alias_entries if len(k) > FUZZY_MIN_ALIAS_CHARS]


@lru_cache(maxsize=4096)
def _resolve_cached(text: str, country: Optional[str], d: ActorDictionary) -> Optional[Actor]:
    nlp, am = _blank(d)
    d = am.d
    c = d.country(country) if country else None
    focus = c.iso3 if c else None
    doc = nlp(text)
    mentions, _ = am.find(doc, focus, use_parse=False)
    if not mentions:
        # the whole text as a country name/demonym ("Russia", "Syrian") -> its government
        iso3 = d.country_of_text(text.strip())
        if iso3:
            f = am.state_fields("GOV", iso3, focus)
            return Actor(name=text, canonical=f["canonical"], actor_id=f["actor_id"], kind=f["kind"],
                         inter=f["inter"], country=f["country"], cameo=f["cameo"], start=0, end=len(text))
        # fuzzy match on dictionary aliases (typos, transliterations)
        hit = process.extractOne(text.lower().strip(), _fuzzy_keys(d), scorer=fuzz.ratio,
                                 score_cutoff=FUZZY_MIN_SCORE)
        if not hit:
            return None
        e = am._pick(d.alias_entries[hit[0]], focus)
        f = am.entry_fields(e, focus)
        return Actor(name=text, canonical=f["canonical"], actor_id=f["actor_id"], kind=f["kind"], inter=f["inter"],
                     country=f["country"], cameo=f["cameo"], start=0, end=len(text))
    best = max(mentions, key=lambda m: (m.source in ("named", "person"), m.end - m.start))
    return best.actor(doc)


def resolve_text(text: str, country: Optional[str] = None) -> Optional[Actor]:
    """The actor a short text names ("the Syrian army", "HTS", "a Nusra Front commander").

    ``country`` (ISO2 or ISO3) resolves generic nouns ("rebels" -> "Syrian rebels").
    Sources such as news agencies and monitors resolve too (they are not emitted as
    mentions by the pipeline). Returns None when nothing is recognised.
    """
    if not text or not text.strip():
        return None
    a = _resolve_cached(text.strip(), country.upper() if country else None, get_dictionary())
    return a.model_copy() if a is not None else None
