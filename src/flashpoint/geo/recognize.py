"""Toponym recognition on a parsed spaCy Doc.

Sources of mentions:

1. spaCy GPE / LOC / FAC entities (trailing "province"/"town"/... become a feature hint);
2. NORP entities and tokens in the demonym lexicon ("Syrian" in "Syrian army") -> type demonym/modifier;
3. gazetteer-driven matching of capitalised token n-grams that spaCy missed or mislabelled (small
   villages come out as DATE, PERSON or nothing), guarded against common words, months, given
   names, titles and armed-group names (data files in ``data/gazetteer``).
"""
from __future__ import annotations

import bisect

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.attrs import IDX, IS_ALPHA, LOWER, ORTH, SPACY
from spacy.tokens import Doc, Span

from flashpoint.geo import names as N
from flashpoint.geo.gazetteer import get_gazetteer
from flashpoint.geo.resolve import ADMIN1_HINTS, LOCAL_HINTS, REGION_HINTS, demonyms, prominent
from flashpoint.paths import PACKAGE_DATA

PLACE_LABELS = {"GPE", "LOC", "FAC"}
BLOCK_LABELS = {"ORG", "PERSON", "NORP", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
TITLES = {"mr", "mrs", "ms", "dr", "president", "minister", "general", "gen", "col", "colonel", "commander",
          "sheikh", "king", "prince", "emir", "imam", "spokesman", "spokesperson", "leader", "chief", "lt",
          "captain", "sgt", "major", "prime", "secretary", "ambassador", "envoy", "judge", "senator", "rep"}
# nouns for news outlets that a name right after them names ("TV station al-Mayadeen", "the daily Al-Watan")
MEDIA_HEADS = frozenset({"station", "channel", "broadcaster", "newspaper", "daily", "weekly", "tv", "television",
                         "outlet", "website", "agency"})
# the head nouns of armed units' names ("the Sawaiq al-Rahman Brigade", "the Sultan Murad Division")
ARMED_UNIT_HEADS = frozenset({"brigade", "brigades", "battalion", "battalions", "division", "regiment", "legion",
                              "front", "corps", "army"})
UNIT_HEADS_ANY_CASE = frozenset({"brigade", "brigades", "battalion", "battalions", "regiment", "legion"})
GLUE = {"al", "el", "as", "ash", "az", "ad", "ar", "at", "an", "ad", "-", "'", "of", "de", "la", "le", "du",
        "del", "bin", "bani", "beni", "abu", "um", "umm", "bir", "tal", "tel", "deir", "ain", "kafr", "khirbet"}
COMPASS = {"south", "north", "east", "west", "southwest", "southeast", "northwest", "northeast", "southern",
           "northern", "eastern", "western", "near", "outside", "of"}
PART_WORDS = ("neighbourhood", "neighborhood", "quarter", "district", "suburb", "area")  # "X <word> of Y"
PART_OF_GAP = re.compile(r"\s+(?:%s)\s+of\s+(?:the\s+)?$" % "|".join(PART_WORDS), re.I)
NEAR_WORDS = {"outskirts", "outskirt", "edge", "edges", "countryside", "suburbs", "suburb", "vicinity", "near",
              "outside", "around", "nearby", "close", "environs", "periphery", "south", "north", "east", "west",
              "southwest", "southeast", "northwest", "northeast", "km", "kilometres", "kilometers", "miles",
              "mile", "kms"}


@dataclass
class Candidate:
    start: int  # char offsets
    end: int
    text: str
    type: str = "literal"
    hint: Optional[str] = None
    within: Optional[str] = None
    demonym_country: Optional[str] = None
    source: str = "ner"
    tok_start: int = 0
    tok_end: int = 0
    precision: Optional[int] = None
    anchor_of: Optional[int] = None  # index of the mention this one is the anchor for
    extra: dict = field(default_factory=dict)


def _lines(fname: str) -> list[str]:
    out = []
    for line in (PACKAGE_DATA / "gazetteer" / fname).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=1)
def not_places() -> frozenset:
    return frozenset(x.lower() for x in _lines("not_places.txt"))


@lru_cache(maxsize=1)
def not_org_words() -> frozenset:
    return frozenset(x.lower() for x in _lines("not_org_words.txt"))


@lru_cache(maxsize=1)
def first_names() -> frozenset:
    return frozenset(x.lower() for x in _lines("first_names.txt"))


@lru_cache(maxsize=1)
def news_agencies() -> frozenset:
    return frozenset(x.lower() for x in _lines("news_agencies.txt"))


def _country_possessive(text: str) -> bool:
    """'Syrias' in a flattened headline ('Syrias Hasakeh'): a country's possessive written without its apostrophe."""
    from flashpoint.geo.resolve import country_by_name

    return len(text) > 3 and text.endswith("s") and text[:1].isupper() and country_by_name(text[:-1]) is not None \
        and country_by_name(text) is None  # ("Philippines", "Bahamas" are names of their own)


_TOKS = threading.local()


class _LazyTokens:
    """``list(doc)`` built on demand: spaCy makes a new Token object on every ``doc[i]``; only the tokens
    looked at are made, once."""
    __slots__ = ("doc", "items")

    def __init__(self, doc: Doc):
        self.doc = doc
        self.items = [None] * len(doc)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, k: int):
        t = self.items[k]
        if t is None:
            t = self.items[k] = self.doc[k]
        return t


class _DocCache:
    """Per-doc views kept for the doc being recognised (per thread): its tokens (made on demand), their
    text, lower-case form and alphabetic flag read once with ``doc.to_array``, and the parse-only part of
    ``_context`` per token span."""
    __slots__ = ("doc", "toks", "lw", "texts", "alpha", "ctx", "starts", "ends", "text")

    def __init__(self, doc: Doc):
        self.doc = doc
        self.toks = _LazyTokens(doc)
        strings = doc.vocab.strings
        if len(doc):
            arr = doc.to_array([ORTH, LOWER, IS_ALPHA, IDX]).tolist()
            self.texts = [strings[a[0]] for a in arr]
            self.lw = [strings[a[1]] for a in arr]
            self.alpha = [bool(a[2]) for a in arr]
            self.starts = [a[3] for a in arr]
            self.ends = [a[3] + len(t) for a, t in zip(arr, self.texts)]
        else:
            self.texts, self.lw, self.alpha, self.starts, self.ends = [], [], [], [], []
        self.text = doc_text(doc)
        self.ctx: dict = {}

    def span_text(self, i: int, j: int) -> str:
        """``doc[i:j].text`` (0 <= i < j <= len(doc)) as a slice of the doc's text."""
        return self.text[self.starts[i]:self.ends[j - 1]]


def _cache(doc: Doc) -> _DocCache:
    cur = getattr(_TOKS, "cur", None)
    if cur is None or cur.doc is not doc:
        cur = _TOKS.cur = _DocCache(doc)
    return cur


def _tokens(doc: Doc) -> list:
    """The doc's tokens as a list, kept for the doc being recognised (per thread)."""
    return _cache(doc).toks


def _lowers(doc: Doc) -> list:
    """``[t.lower_ for t in doc]``, kept for the doc being recognised (per thread)."""
    return _cache(doc).lw


def doc_text(doc: Doc) -> str:
    """``doc.text`` (spaCy joins every token on each access), computed once per doc."""
    key = ("fp_text", len(doc))
    t = doc.user_data.get(key)
    if t is None:
        # (= doc.text: every token's text and its trailing space, read without making Token objects)
        strings = doc.vocab.strings
        t = "".join([strings[o] + " " if sp else strings[o] for o, sp in doc.to_array([ORTH, SPACY]).tolist()]) \
            if len(doc) else doc.text
        doc.user_data[key] = t
    return t


def _hint_word(w: str) -> Optional[str]:
    w = w.lower()
    if w in ADMIN1_HINTS:
        return "admin1"
    if w in ("district", "county", "raion", "rayon", "subdistrict", "department"):
        return "admin2"
    if w in LOCAL_HINTS:
        return "local"
    return None


# the credit a flattened headline ends with ("52 Dead as Rival Groups Clash in Eastern Gouta Monitor", "21 dead in
# rebel fire on regime parts of Aleppo NGO"): no place name ends in these words
HEADLINE_CREDIT_WORDS = frozenset({"monitor", "ngo"})
# lower-case words no place name ends in, which an entity span sometimes runs into
TRAILING_FUNCTION_WORDS = frozenset({"the", "a", "an", "and", "or", "of", "in", "on", "at"})


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int, Optional[str]]:
    """Trim determiners / generic words from token span [i, j); return hint from a generic word."""
    dc = _cache(doc)
    toks, lw = dc.toks, dc.lw
    hint = None
    while i < j and (lw[i] in ("the", "a", "an") or (
            toks[i].text in LEAD_PREPS and toks[i].whitespace_ and j - i > 1)):
        i += 1
    while j - i > 1 and lw[j - 1] in TRAILING_FUNCTION_WORDS and toks[j - 1].text.islower():
        j -= 1  # "In a separate operation in Hama the Syrian troops": spaCy's entity "Hama the"
    while j - i > 1 and (lw[j - 1] in news_agencies() or lw[j - 1] in HEADLINE_CREDIT_WORDS) \
            and toks[j - 1].text[:1].isupper():
        j -= 1  # "Hasakeh AFP", "Clash in Eastern Gouta Monitor": a credit run into the dateline or headline
    if j - i > 1 and _country_possessive(toks[i].text):
        i += 1  # "Syrias Hasakeh": the country is the container, not part of the name
    while j - i > 1 and (lw[j - 1] in LOCAL_HINTS or lw[j - 1] in REGION_HINTS
                         or lw[j - 1] in ("'s", "’s", "'", "’")):
        hint = hint or _hint_word(lw[j - 1])
        if lw[j - 1] in NAME_SUFFIXES and toks[j - 1].text[:1].isupper():
            break  # part of the proper name ("Morris County", "Enugu State", "New York City")
        j -= 1
    while j - i > 1 and lw[i] in ("city", "town", "village", "province", "governorate"):
        hint = hint or _hint_word(lw[i])
        i += 1
        if i < j and lw[i] == "of":
            i += 1
    return i, j, hint


def _context_hint(doc: Doc, i: int, j: int) -> Optional[str]:
    lw = _lowers(doc)
    if j < len(lw):
        h = _hint_word(lw[j])
        if h:
            return h
    if i >= 2 and lw[i - 1] == "of":
        h = _hint_word(lw[i - 2])
        if h:
            return h
    return None


def _is_cap(t) -> bool:
    return t.text[:1].isupper() and t.is_alpha


UNIT_NAME_MAX_TOKENS = 5  # "the Sawaiq al-Rahman Brigade": the armed-unit head this many tokens after a name at most


def _in_unit_name(toks, j: int) -> bool:
    """Do the capitalised words from token ``j`` on end in an armed unit's head ("... al-Rahman Brigade")?"""
    for k in range(j, min(len(toks), j + UNIT_NAME_MAX_TOKENS)):
        t = toks[k]
        if (_is_cap(t) and t.lower_ in ARMED_UNIT_HEADS) or t.text in UNIT_HEADS_ANY_CASE:
            return True  # (lower case too: "Tags ... Sawaiq al-Rahman brigade al-Nusra Front"; not "the Aleppo front")
        if not (_is_cap(t) or t.lower_ in GLUE or t.text in ("-", "'")):
            return False
    return False


def _blocked_word(t) -> bool:
    lw = t.lower_
    return lw in not_places() or (t.is_stop and t.lower_ not in GLUE and not t.is_upper)


ORG_WORDS = {"observatory", "council", "committee", "ministry", "agency", "organization", "organisation",
             "university", "institute", "rights", "army", "forces", "front", "brigade", "brigades", "news",
             "helmets", "party", "movement", "coalition", "alliance", "network", "commission", "corps"}


def _segment(doc: Doc, i: int, j: int, max_left: int = 1) -> list[tuple[int, int]]:
    """Greedy longest-match segmentation of tokens [i, j) into gazetteer names (>= 2 parts, at most one
    token left over); [] when that fails."""
    g = get_gazetteer()
    toks = [k for k in range(i, j) if doc[k].is_alpha]
    grams = {(a, b): N.name_key(doc[a:b].text) for a in range(i, j) for b in range(a + 1, min(j, a + 4) + 1)}
    found = g.lookup_keys([k for k in grams.values() if len(k) >= 3])
    out, a, left = [], i, 0
    while a < j:
        for b in range(min(j, a + 4), a, -1):
            k = grams.get((a, b), "")
            if len(k) >= 3 and found.get(k):
                out.append((a, b))
                a = b
                break
        else:
            left += 1 if doc[a].is_alpha else 0
            a += 1
    return out if len(out) >= 2 and left <= max_left and toks else []


# capitalised generic words that stay in the toponym span (they are part of the official name); "Province"
# and "Governorate" are left out, as the gold convention of the conflict sets ("Idlib Province" -> "Idlib")
LEAD_PREPS = {"at", "in", "on", "from", "to", "near", "by", "for", "with", "into", "outside", "inside"}
NAME_SUFFIXES = {"county", "state", "city", "township", "parish", "borough"}
GENERICISH = {"central", "federal", "international", "national", "capital", "new", "upper", "lower", "middle",
              "greater", "all", "mega", "photo", "fig", "metro", "east", "west", "eastern", "western"}
FACILITY_HEADS = {"hospital", "university", "college", "school", "academy", "airport", "stadium", "arena",
                  "centre", "center", "cathedral", "church", "mosque", "basilica", "museum", "library", "hotel",
                  "park", "station", "prison", "palace", "bridge", "square", "market", "mall", "racecourse",
                  "course", "club", "zoo", "campus", "base", "port", "harbour", "harbor", "terminal"}
EMBED_LABELS = {"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}


def _prominent_name(text: str) -> bool:
    """A well-known place under its main name (country, first-level division, capital, large city) or a
    country alias: the kind of name that organisation names embed ("New York Times", "Pakistan Army")."""
    from flashpoint.geo.resolve import aliases, country_by_name

    if country_by_name(text) or text.lower() in aliases():
        return True
    ws = text.lower().split()
    if (ws[-1] in N.GENERIC and ws[-1] != "county") or all(w in COMPASS or w in GENERICISH for w in ws) or text.lower() in not_places():
        return False
    g = get_gazetteer()
    k, rk = N.name_key(text), N.raw_key(text)
    return any(g.is_main(k, p.pid) and prominent(p) and p.fcode != "ADM2" and N.raw_key(p.name) == rk
               for p in g.lookup_keys([k]).get(k, ()))


# "regime-held districts of the Syrian city of Aleppo the Syrian Observatory ... said": the part words whose "of"
# introduces a place
PART_OF_NOUNS = frozenset({"city", "town", "village", "province", "governorate", "parts", "part", "districts",
                           "district", "outskirts", "countryside", "areas", "area", "neighbourhoods", "neighborhoods",
                           "suburbs", "streets", "centre", "center"})
LOCATIVE_BEFORE = frozenset({"in", "at", "near", "inside", "outside", "into", "across"})


def _after_locative(doc: Doc, i: int) -> bool:
    """Does the name at token ``i`` follow a locative ("in X", "the city of X", "parts of X")? Then a prominent place
    leading an organisation-like entity is a place run into the next words by lost punctuation ("the Syrian city
    of Aleppo the Syrian Observatory for Human Rights said", "on regime parts of Aleppo NGO AFP"), not a modifier
    of the organisation."""
    if i < 1:
        return False
    prev = doc[i - 1].lower_
    if prev in LOCATIVE_BEFORE:
        return True
    return prev == "of" and i >= 2 and doc[i - 2].lower_ in PART_OF_NOUNS


def _embedded(doc: Doc, i: int, j: int, add, dem: dict) -> None:
    """Place names embedded in an organisation/facility/event name, emitted as modifiers (GeoWebNews
    annotates them): a leading demonym or prominent place ("US Trade Representative", "Toronto Police
    Services Board", "Syrian Observatory for Human Rights") and a trailing "of/for <place>" ("Bank of
    America", "University of California"). The organisation itself is not a toponym."""
    if j - i < 2:
        return
    if doc[j - 1].lower_ in FACILITY_HEADS and all(_is_cap(t) or not t.is_alpha or t.lower_ in ("of", "for", "the")
                                                   for t in doc[i:j]):
        # a named facility is itself a place ("Colchester General Hospital", "Dubai World Trade Centre",
        # "Florida Atlantic University"): the whole name, located through its embedded place
        add(i, j, "literal")
        return
    if doc[i].lower_ in dem and _demonym_ok(doc[i]) and doc[i].text[:1].isupper():
        add(i, i + 1, "modifier", demonym=dem[doc[i].lower_])
        return
    for b in range(min(j - 1, i + 3), i, -1):
        sp = doc[i:b]
        if all(_is_cap(t) or t.text in (".", "&") or t.is_upper for t in sp) and _prominent_name(sp.text):
            c = add(i, b, "literal" if _after_locative(doc, i) else "modifier")
            if c is not None:
                c.extra["org_lead"] = True  # "Cambridge Analytica": the world-known namesake
            break
    for k in range(max(i + 1, j - 4), j - 1):
        if doc[k].lower_ in ("of", "for") and all(_is_cap(t) for t in doc[k + 1:j]) \
                and _prominent_name(doc[k + 1:j].text):
            add(k + 1, j, "modifier")
            break


LANGUAGE_WORDS = {"english", "french", "spanish", "portuguese", "arabic", "german", "italian", "russian", "chinese",
                  "japanese", "hebrew", "persian", "farsi", "turkish", "kurdish", "urdu", "hindi", "korean", "dutch",
                  "greek", "polish", "swahili", "mandarin", "cantonese", "ukrainian", "bengali", "tamil"}


def _language_use(t) -> bool:
    """A nationality word used as the name of a language ("speaks in Spanish", "English is the main
    language"): a noun that is not "the French" (people) and modifies nothing."""
    return t.lower_ in LANGUAGE_WORDS and t.dep_ not in ("amod", "compound", "nmod") and not (
        t.i > 0 and t.nbor(-1).lower_ == "the")


def _demonym_ok(t) -> bool:
    """Adjectival uses only: "Syrian army", "the army is Syrian"; not people ("Syrians fled")
    nor a language ("in English")."""
    if t.tag_ in ("NNS", "NNPS") or (t.lower_.endswith("s") and t.dep_ not in ("amod", "compound")):
        return False
    if t.head.lower_ in ("in", "into", "speak", "speaks", "spoke") or t.dep_ == "pobj" or _language_use(t):
        return False
    return True


# characters no place name is written with: "you can also create this with T*SOL" is a product, not Tsola
# ("+" joins a venue's name, "Salt + Smoke", which is kept whole)
_NOT_NAME_CHARS = re.compile(r"[*@#=_<>|~^\\]")


class _Recogniser:
    """The state of one ``recognise`` run: the doc's cached tokens, the candidates so far and the tokens
    they take."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.dc = dc = _cache(doc)
        self.toks = dc.toks
        self.lw = dc.lw
        self.dem = demonyms()
        self.npl = not_places()
        self.fn = first_names()
        self.cands: list[Candidate] = []
        self.taken = [False] * len(doc)
        # surnames of people named in full earlier/later ("Narendra Modi" ... "Modi said")
        ents = doc.ents
        self.surnames = {e[-1].lower_ for e in ents if e.label_ == "PERSON" and len(e) > 1 and e[0].lower_ in self.fn}
        self.ent_label = [None] * len(doc)
        self.ent_of = [None] * len(doc)
        for e in ents:
            for k in range(e.start, e.end):
                self.ent_label[k] = e.label_
                self.ent_of[k] = e

    def add(self, i, j, type_="literal", hint=None, demonym=None, source="ner"):
        if i >= j:
            return
        dc = self.dc
        c = Candidate(dc.starts[i], dc.ends[j - 1], dc.span_text(i, j), type=type_,
                      hint=hint or _context_hint(self.doc, i, j),
                      demonym_country=demonym, source=source, tok_start=i, tok_end=j)
        self.cands.append(c)
        for k in range(i, j):
            self.taken[k] = True
        return c

    # 1. entities
    def entities(self) -> None:
        for e in self.doc.ents:
            self._entity(e)

    def _entity(self, e) -> None:
        doc, toks, dem, npl, add = self.doc, self.toks, self.dem, self.npl, self.add
        i, j, hint = _trim(doc, e.start, e.end)
        if i >= j:
            return
        text = self.dc.span_text(i, j)
        low = text.lower()
        if low in dem and e.label_ in ("NORP", "GPE", "LOC"):
            if _demonym_ok(toks[j - 1]):
                typ = "modifier" if toks[j - 1].dep_ in ("amod", "compound", "nmod") else "demonym"
                add(i, j, typ, demonym=dem[low])
            return
        from flashpoint.geo.resolve import QUARTER_FCODE, aliases, country_by_name
        if j - i == 1 and j < len(doc) and _is_cap(toks[j]) and _country_possessive(text):
            # "Turkeys Nightmare; Kurds Come Closer to Azaz": a country's possessive in a flattened headline names
            # the country as a party, not a place
            add(i, j, "modifier", demonym=country_by_name(text[:-1]))
            return
        al = aliases().get(low)
        if al and al[4] == "BLDG" and not (i > 0 and toks[i - 1].lower_ in LEAD_PREPS):
            # seats of government name the government ("the White House said"): a place only after
            # a locative preposition ("outside the Kremlin"); resolvable when given as a span
            return
        if e.label_ not in PLACE_LABELS:
            if e.label_ != "PERSON" and (low in aliases() or (e.label_ == "ORG" and country_by_name(text))):
                # ("US Embassy" qualifies a noun; "a car bomb in al-Tadamun neighborhood" names a city quarter)
                quarter = al is not None and al[4] == QUARTER_FCODE and toks[j - 1].head.lower_ in PLACE_NOUNS
                typ = "modifier" if toks[j - 1].dep_ in ("amod", "compound", "nmod") and not quarter else "literal"
                add(i, j, typ)
            elif e.label_ in EMBED_LABELS:
                _embedded(doc, i, j, add, dem)
            return
        if low in npl or (j - i == 1 and toks[i].is_stop and not toks[i].is_upper) or low in self.surnames:
            return
        known = lambda: get_gazetteer().lookup(text) or country_by_name(text) or low in aliases()  # noqa: E731
        # "Robotyne and Verbove": a coordination tagged as one entity is split unless the whole is a name
        conj = [k for k in range(i + 1, j - 1) if toks[k].lower_ in ("and", ",", "or", "&")]
        if conj and not known():
            s0 = i
            for k in conj + [j]:
                if s0 < k and self.dc.span_text(s0, k).lower() not in npl:
                    add(s0, k, hint=hint)
                s0 = k + 1
            return
        # organisations tagged as places ("Syrian Observatory for Human Rights", "Free Syrian Army")
        if j - i > 1 and any(toks[k].lower_ in ORG_WORDS for k in range(i, j)):
            _embedded(doc, i, j, add, dem)
            return
        if self._segmented(i, j, hint, known):
            return
        # "Aleppo-Damascus highway": split hyphenated pairs into their parts
        parts = [k for k in range(i, j) if toks[k].text in ("-", "–", "/")]
        if parts and all(toks[k - 1].lower_ not in N.ARTICLES for k in parts):
            s = i
            for k in parts + [j]:
                if s < k:
                    add(s, k, hint=hint)
                s = k + 1
            return
        add(i, j, hint=hint)
        self.cands[-1].extra["label"] = e.label_

    def _segmented(self, i: int, j: int, hint, known) -> bool:
        """Adjacent places merged into one entity ("Saraqeb Idlib", "Astana Kazakhstan"), segmented by the
        gazetteer when the whole is not a name; True when it was."""
        toks, dem, npl = self.toks, self.dem, self.npl
        if j - i > 1 and not any(toks[k].lower_ in COMPASS or toks[k].lower_ in dem or toks[k].lower_ in N.GENERIC
                                 or toks[k].lower_ in npl or toks[k].lower_ in GLUE for k in range(i, j)) \
                and not known():
            segs = _segment(self.doc, i, j, max_left=0)
            if segs:
                g = get_gazetteer()
                for a, b in segs:
                    # judged like gazetteer n-grams: kept only with a reading in the focus country
                    self.add(a, b, hint=hint, source="gazetteer")
                    self.cands[-1].extra["places"] = g.lookup(self.doc[a:b].text)
                return True
        return False

    def regional_adjectives(self) -> None:
        # two-word regional adjectives ("Central American migrants", "Latin American history")
        doc, toks, lw, dem, taken, cands = self.doc, self.toks, self.lw, self.dem, self.taken, self.cands
        for ti in range(len(toks) - 1):
            bi = f"{lw[ti]} {lw[ti + 1]}"
            if bi not in dem:
                continue
            t, nx = toks[ti], toks[ti + 1]
            if _is_cap(t) and _is_cap(nx) and not nx.i + 1 >= len(doc):
                for k in (t.i, nx.i):
                    if taken[k]:
                        cands[:] = [c for c in cands if not (c.tok_start <= k < c.tok_end)]
                        for x in range(len(doc)):
                            taken[x] = False
                        for c in cands:
                            for x in range(c.tok_start, c.tok_end):
                                taken[x] = True
                typ = "modifier" if nx.dep_ in ("amod", "compound", "nmod") else "demonym"
                self.add(t.i, t.i + 2, typ, demonym=dem[bi], source="lexicon")

    def lexicon_words(self) -> None:
        doc, toks, lw, dem, taken = self.doc, self.toks, self.lw, self.dem, self.taken
        # demonym tokens spaCy missed
        for ti in range(len(toks)):
            if taken[ti] or lw[ti] not in dem:
                continue
            t = toks[ti]
            if _is_cap(t) and _demonym_ok(t):
                typ = "modifier" if t.dep_ in ("amod", "compound", "nmod") else "demonym"
                self.add(t.i, t.i + 1, typ, demonym=dem[t.lower_], source="lexicon")
        # country abbreviations spaCy left out or put inside another entity ("11 billion US dollars",
        # "US-based"): upper-case aliases of countries/unions, outside names of people and organisations
        from flashpoint.geo.resolve import aliases as _aliases
        als = _aliases()
        for ti in range(len(toks)):
            if taken[ti] or lw[ti] not in als:
                continue
            t = toks[ti]
            if t.text.isupper() and len(t.text) <= 4 \
                    and self.ent_label[t.i] not in ("PERSON", "ORG") and _aliases()[t.lower_][4] != "BLDG":
                typ = "modifier" if t.dep_ in ("amod", "compound", "nmod") or (
                    t.i + 1 < len(doc) and toks[t.i + 1].text == "-") else "literal"
                self.add(t.i, t.i + 1, typ, source="lexicon")

    # 2. gazetteer n-grams over capitalised tokens not already taken
    def ngram_spans(self) -> list[tuple[int, int]]:
        dc, toks, lw, npl, fn, taken = self.dc, self.toks, self.lw, self.npl, self.fn, self.taken
        spans = []
        n = len(self.doc)
        caps = [tx[:1].isupper() and al for tx, al in zip(dc.texts, dc.alpha)]  # _is_cap of every token
        for i in range(n):
            if taken[i]:
                continue
            starts_glue = lw[i] in N.ARTICLES and i + 1 < n and not taken[i + 1]
            if not (caps[i] or starts_glue):
                continue
            if lw[i] in fn and i + 1 < n and caps[i + 1]:
                continue  # "Yousef al-Issa"
            j = i
            content = 0
            while j < n and j - i < 6 and not taken[j]:
                if caps[j] and not (lw[j] in npl and content > 0):
                    content += 1
                elif lw[j] in GLUE or toks[j].text in ("-", "'"):
                    pass
                else:
                    break
                j += 1
                if content and caps[j - 1]:
                    spans.append((i, j))
                if content >= 3:
                    break
        return spans

    def ngrams(self, spans: list[tuple[int, int]]) -> None:
        place_toks = {k for c in self.cands if c.type == "literal" for k in range(c.tok_start, c.tok_end)}
        keys_found = None
        for _pass in range(2):
            if not spans:
                break
            if keys_found is None:
                keys = {sp: N.name_key(self.dc.span_text(sp[0], sp[1])) for sp in spans}
                found = get_gazetteer().lookup_keys(keys.values())
                keys_found = (keys, found)
            keys, found = keys_found
            hits = []
            embedded = []
            for (i, j) in spans:
                k = keys[(i, j)]
                places = found.get(k) or ()
                if len(k) < 2 or (len(k) < 3 and j - i < 2):
                    continue
                ctx = _context(self.doc, i, j, place_toks)
                if not places and not ctx:
                    continue
                verdict = self._ngram_verdict(i, j, k, places, ctx)
                if verdict == "hit":
                    hits.append((i, j, places, ctx))
                elif verdict == "embedded":
                    embedded.append((i, j, places))
            self._add_hits(hits, embedded)
            place_toks |= {k for c in self.cands if c.type == "literal" for k in range(c.tok_start, c.tok_end)}
            spans = [sp for sp in spans if not any(self.taken[x] for x in range(sp[0], sp[1]))]

    def _ngram_verdict(self, i: int, j: int, k: str, places, ctx: bool) -> Optional[str]:
        """'hit', 'embedded' (a metonymic mention inside an organisation's name) or None (turned down)."""
        doc, toks, npl, fn = self.doc, self.toks, self.npl, self.fn
        first = toks[i] if toks[i].lower_ not in N.ARTICLES else toks[min(i + 1, j - 1)]
        words_ = [toks[x] for x in range(i, j) if toks[x].is_alpha and toks[x].lower_ not in N.ARTICLES]
        if not words_ or all(w.lower_ in N.GENERIC or w.lower_ in REGION_HINTS for w in words_):
            return None
        if j - i == 1 or len(words_) == 1:
            w = words_[0]
            if _blocked_word(w) or w.lower_ in fn or w.lower_ in self.surnames:
                return None
            if not ctx and (w.is_upper and len(w) <= 5):
                return None  # acronyms: organisations far more often than places
            if not ctx and self.ent_label[w.i] == "PERSON" and not any(
                    prominent(p) and get_gazetteer().is_main(k, p.pid) for p in places):
                return None
            if w.pos_ not in ("PROPN", "NOUN", "X", "ADJ") and self.ent_label[w.i] is None:
                return None
            if w.i == w.sent.start and w.pos_ != "PROPN":
                return None
            if (w.lower_.rstrip(".") in TITLES or _country_possessive(w.text)) and w.i + 1 < len(doc) \
                    and _is_cap(toks[w.i + 1]):
                # "- Col Haitham Afisi former FSA deputy chief of staff": a rank before a name; "Turkeys
                # Nightmare; Kurds Come Closer to Azaz": a country's possessive in a flattened headline
                return None
        if self.dc.span_text(i, j).lower() in npl or any(x.lower_ in npl for x in words_[:1]):
            return None
        # inside a non-place entity: the n-gram must be the whole entity (a mislabel), and a
        # PERSON must not start with a given name or follow a title
        labs = {self.ent_label[x] for x in range(i, j)}
        if labs & BLOCK_LABELS:
            # the blocking entity (it may cover only inner tokens of the n-gram)
            e = next(self.ent_of[x] for x in range(i, j) if self.ent_of[x] is not None
                     and self.ent_of[x].label_ in BLOCK_LABELS)
            es, ee, _ = _trim(doc, e.start, e.end)
            compass = any(toks[x].lower_ in COMPASS for x in range(e.start, e.end))
            if not (es >= i and ee <= j) and not ctx and not (compass and e.label_ != "PERSON"):
                # a prominent place named inside an organisation ("University of California",
                # "Islamic State of Iraq"): kept as a non-literal (metonymic) mention
                if e.label_ in ("ORG", "FAC", "EVENT", "WORK_OF_ART") and len(k) >= 4 and all(
                            w.pos_ == "PROPN" for w in words_) and any(
                        (p.level == 3 or prominent(p)) and get_gazetteer().is_main(k, p.pid) for p in places):
                    return "embedded"
                return None
            if e.label_ == "PERSON" and (first.lower_ in fn or (e.start > 0 and toks[e.start - 1].lower_ in TITLES)):
                return None
            if e.label_ in ("ORG", "NORP") and len(words_) > 1 and not ctx:
                return None
        if i > 0 and toks[i - 1].lower_ in TITLES:
            return None
        if not ctx and i > 0 and toks[i - 1].lower_ in MEDIA_HEADS:
            return None  # "an interview with Lebanese TV station al-Mayadeen": the outlet, not the town
        if not ctx and _in_unit_name(toks, j):
            return None  # "The Sawaiq al-Rahman Brigade has announced": the name of an armed unit, not a town
        return "hit"

    def _add_hits(self, hits: list, embedded: list) -> None:
        toks, taken, cands = self.toks, self.taken, self.cands
        # longest non-overlapping first (matched names before context-only ones)
        hits.sort(key=lambda h: (not h[2], -(h[1] - h[0]), h[0]))
        for i, j, places, ctx in hits:
            if any(taken[x] for x in range(i, j)):
                continue
            ii, jj, hint = _trim(self.doc, i, j)
            c_before = len(cands)
            self.add(ii, jj, hint=hint, source="gazetteer")
            if len(cands) == c_before:
                continue  # add() turned it down (an all-capitals report: "IN THE TOWN OF MOLINA IN THE ...")
            cands[c_before].extra["places"] = places
            cands[c_before].extra["context"] = ctx
            cands[c_before].extra["loc_prep"] = ii > 0 and toks[ii - 1].lower_ in ("in", "near", "at", "outside",
                                                                                 "into", "from", "across")
        embedded.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        for i, j, places in embedded:
            if any(taken[x] for x in range(i, j)):
                continue
            self.add(i, j, "metonymic", source="gazetteer")
            cands[-1].extra["places"] = places
            cands[-1].extra["context"] = True

    def finish(self) -> list[Candidate]:
        doc, toks = self.doc, self.toks
        cands = self.cands
        all_toks = {k for c in cands if c.type == "literal" for k in range(c.tok_start, c.tok_end)}
        for c in cands:
            if c.source == "ner" and c.type == "literal":
                i, j = c.tok_start, c.tok_end
                c.extra["context"] = _context(doc, i, j, all_toks - set(range(i, j)))
                c.extra["loc_prep"] = i > 0 and toks[i - 1].lower_ in ("in", "near", "at", "outside", "into", "from",
                                                                      "across", "to", "of", "around", "towards")
        cands = [c for c in cands if not _NOT_NAME_CHARS.search(c.text)]
        cands.sort(key=lambda c: c.start)
        _lowercase_tails(doc, cands)
        _relations(doc, cands)
        link_parts_of(doc_text(doc), cands)
        return cands


TAIL_MIN_CHARS = 4  # a lower-case word this long may end a name ("Deir ezzor")
TAIL_MAX_TOKENS = 3  # "ez-Zor": tokens of one written word
_NOT_TAIL_POS = frozenset({"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "ADV", "NUM", "PUNCT"})


def _tail_end(doc: Doc, c: Candidate, starts: set) -> Optional[int]:
    """The token end of the longest lower-case tail of ``c`` ("ezzor", "ez-Zor") that, with ``c``, is a name of
    the gazetteer and changes its key; None when there is none."""
    j = c.tok_end
    if j >= len(doc) or j in starts or not doc[j].is_lower or not doc[j].is_alpha or doc[j].is_stop \
            or doc[j].pos_ in _NOT_TAIL_POS or doc[j].idx != c.end + 1:
        return None
    text = doc_text(doc)
    for n in (TAIL_MAX_TOKENS, 2, 1):
        toks = doc[j:j + n]
        if len(toks) < n or any(t.whitespace_ for t in toks[:-1]):
            continue  # ("ez-Zor" is one written word of three tokens)
        if not all(t.is_alpha or t.text == "-" for t in toks) or len(toks.text) < TAIL_MIN_CHARS:
            continue
        name = text[c.start:toks[-1].idx + len(toks[-1])]
        if N.name_key(name) != N.name_key(c.text) and get_gazetteer().lookup(name):
            return j + n
    return None


def _lowercase_tails(doc: Doc, cands: list[Candidate]) -> None:
    """A name whose last word is written in lower case ("US airstrikes kill 23 civilians in Syria's Deir ezzor",
    "near Deir ez-Zor Syria"): spaCy tags "Deir" alone, which reads as another place; the span takes the
    lower-case word when the two together are a name of the gazetteer (and the word changes the name, unlike
    "Aleppo city")."""
    starts = {c.tok_start for c in cands}
    absorbed = set()
    for c in cands:
        if c.type != "literal" or id(c) in absorbed:
            continue
        e = _tail_end(doc, c, starts)
        if e is not None:
            last = doc[e - 1]
            absorbed.update(id(o) for o in cands if o is not c and c.tok_end <= o.tok_start < e)
            c.end, c.tok_end = last.idx + len(last), e
            c.text = doc_text(doc)[c.start:c.end]
    if absorbed:
        cands[:] = [c for c in cands if id(c) not in absorbed]


def recognise(doc: Doc) -> list[Candidate]:
    r = _Recogniser(doc)
    r.entities()
    r.regional_adjectives()
    r.lexicon_words()
    r.ngrams(r.ngram_spans())
    return r.finish()


PLACE_NOUNS = {"town", "towns", "village", "villages", "city", "cities", "province", "provinces", "district",
               "districts", "governorate", "neighbourhood", "neighborhood", "suburb", "camp", "area", "region",
               "hamlet", "settlement", "oblast", "raion", "countryside", "outskirts"}


_PLACE_NOUNS_STRICT = frozenset(PLACE_NOUNS - {"area", "region", "countryside", "outskirts"})


def _context(doc: Doc, i: int, j: int, place_toks: set) -> bool:
    """Does the context say [i, j) is a place? ("X town", "the town of X", "towns X and Y",
    coordinated with a recognised place, "in X" after a locative verb is not enough)."""
    dc = _cache(doc)
    info = dc.ctx.get((i, j))
    if info is None:
        info = dc.ctx[(i, j)] = _context_info(doc, dc, i, j)
    if info is True:
        return True
    linked, fixed = info
    return any(k in place_toks for k in linked) or fixed


def _context_info(doc: Doc, dc: _DocCache, i: int, j: int):
    """The part of ``_context`` that depends on the parse only: True when the words or the parse alone
    say place; else (token indices that make [i, j) a place when they are one, the parse-only answer)."""
    lw = dc.lw
    if j < len(lw) and lw[j] in _PLACE_NOUNS_STRICT:
        return True
    if i >= 1 and lw[i - 1] in PLACE_NOUNS:
        return True
    if i >= 2 and lw[i - 1] == "of" and lw[i - 2] in PLACE_NOUNS:
        return True
    root = doc[i:j].root
    linked = []
    # coordination with a recognised place: A, B and C
    x = root
    for _ in range(6):
        if x.dep_ == "conj" or x.dep_ == "appos":
            x = x.head
            linked.append(x.i)
        else:
            break
    for ch in root.children:
        if ch.dep_ == "conj":
            linked.append(ch.i)
    fixed = root.head.lemma_ in ("town", "village", "city", "province") and root.dep_ in ("compound", "appos", "pobj")
    return tuple(linked), fixed


_LIST_AFTER = re.compile(r"^(,\s*(and|or)?\s*[A-Z]|\s+(and|or)\s+[A-Z])")
_LIST_BEFORE = re.compile(r"[A-Za-z.]\s*,\s*$")


def in_list(text: str, start: int, end: int) -> bool:
    """Is "Y, Z" at text[start:end] part of an enumeration ("Miami, Boston, New York and Detroit")
    rather than a place and its container ("Buffalo, New York")?"""
    return bool(_LIST_AFTER.match(text[end:end + 12]) or _LIST_BEFORE.search(text[max(0, start - 3):start]))


def _group_of(tok) -> int:
    x = tok
    for _ in range(8):
        if x.dep_ == "conj" and x.head.i != x.i:
            x = x.head
        else:
            break
    return x.i


def _relations(doc: Doc, cands: list[Candidate]) -> None:
    """Containment ("Y, Syria" / "in X province") and relative-position words ("outskirts of X")."""
    by_tok = {c.tok_start: idx for idx, c in enumerate(cands)}
    for c in cands:
        if c.type == "literal":
            c.extra["group"] = _group_of(doc[c.tok_start:c.tok_end].root)
    for idx, c in enumerate(cands):
        j = c.tok_end
        # "Y, Z": Z names a containing country/admin
        if j + 1 < len(doc) and doc[j].text == "," and (j + 1) in by_tok:
            z = cands[by_tok[j + 1]]
            if z.type == "literal":
                c.within = z.text
                if not in_list(doc_text(doc), c.start, z.end):
                    z.extra["container"] = True
                    c.extra["within_cand"] = z
        i = c.tok_start
        # relative phrases: "<near-word> of X" / "near X"
        k = i - 1
        if k >= 0 and doc[k].lower_ == "of":
            k -= 1
            while k >= 0 and doc[k].lower_ in ("the", "western", "eastern", "northern", "southern", "southwestern",
                                               "southeastern", "northwestern", "northeastern", "rural", "northern"):
                k -= 1
        if k >= 0 and doc[k].lower_ in NEAR_WORDS:
            c.precision = 2
            c.extra["relative"] = doc[k].lower_
            # an anchor: "<place>, 10 km south of X" -> X anchors the previous mention
            if doc[k].lower_ in ("south", "north", "east", "west", "southwest", "southeast", "northwest",
                                 "northeast", "km", "kilometres", "kilometers", "miles", "mile", "kms",
                                 "outside", "near"):
                c.extra["anchor"] = True
                _link_anchored(doc, cands, c, k)


ANCHORED_GAP_CHARS = 60  # "the industrial city of Adra northeast of Damascus": the anchored place this close before


def _link_anchored(doc: Doc, cands: list[Candidate], c: Candidate, k: int) -> None:
    """"an ambush west of the industrial city of Adra northeast of Damascus": the place named just before the
    relative phrase ("Adra") is placed relative to its anchor ("Damascus"): ``extra["anchored_by_cand"]``."""
    if doc[k].lower_ in ("near", "outside"):
        return
    phrase_start = doc[k].idx
    j = k - 1
    while j >= 0 and (doc[j].like_num or doc[j].lower_ in ("km", "kms", "kilometres", "kilometers", "miles", "mile",
                                                           "some", "about", "around", "nearly", ",", "(", "-")):
        j -= 1  # "Adra, 20 km northeast of Damascus"
    before = [o for o in cands if o is not c and o.type == "literal" and o.end <= phrase_start
              and phrase_start - o.end <= ANCHORED_GAP_CHARS and o.tok_start <= j < o.tok_end]
    if before:
        max(before, key=lambda o: o.end).extra["anchored_by_cand"] = c


def link_parts_of(text: str, cands: list[Candidate]) -> None:
    """"the X neighbourhood of Y" / "X district of Y city": mark X as a quarter of the town Y (both literal)."""
    ordered = sorted(cands, key=lambda c: c.start)
    for a, b in zip(ordered, ordered[1:]):
        if a.type == "literal" and b.type == "literal" and PART_OF_GAP.match(text[a.end:b.start]):
            a.extra["part_of_cand"] = b


def mentions_for(cands: list[Candidate], sent_starts: Optional[list[int]] = None):
    """One resolver Mention per candidate; ``sent_starts`` (the sentences' first characters) numbers the
    sentence each name is in."""
    from flashpoint.geo.resolve import Mention

    out = []
    by_id = {}
    for c in cands:
        m = Mention(text=c.text, hint=c.hint, within=c.within, demonym_country=c.demonym_country,
                    allow_fuzzy=c.source != "gazetteer" or bool(c.extra.get("context")),
                    group=c.extra.get("group"), container=bool(c.extra.get("container")),
                    org_lead=bool(c.extra.get("org_lead")), use=c.extra.get("use"), start=c.start)
        if sent_starts:
            m.sent = bisect.bisect_right(sent_starts, c.start) - 1
        by_id[id(c)] = m
        out.append(m)
    for c, m in zip(cands, out):
        y = c.extra.get("part_of_cand")
        if y is not None and id(y) in by_id:
            m.part_of_m = by_id[id(y)]
        a = c.extra.get("anchored_by_cand")
        if a is not None and id(a) in by_id:
            m.anchor_m = by_id[id(a)]
        z = c.extra.get("within_cand")
        if z is not None and id(z) in by_id and by_id[id(z)].container:
            m.within_m = by_id[id(z)]
    return out


def provisional_ok(c: Candidate, focus: Optional[str]) -> bool:
    """Keep a gazetteer n-gram (a name spaCy did not tag as a place) only with context evidence or a
    reading in the focus country."""
    places = c.extra.get("places") or ()
    if c.source != "gazetteer" or c.extra.get("context"):
        return True
    if focus and any(p.country == focus for p in places):
        return True
    # "in Donetsk": a prominent place after a locative preposition
    return bool(c.extra.get("loc_prep")) and any(prominent(p) and (not focus or p.country == focus or p.level == 3)
                                                 for p in places)
