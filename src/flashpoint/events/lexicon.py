"""Trigger lexicon (``data/events/triggers.yaml``) compiled into a spaCy Matcher, and status cues."""
from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LEMMA
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from flashpoint.paths import PACKAGE_DATA, read_yaml

TRIGGERS_YAML = PACKAGE_DATA / "events" / "triggers.yaml"
STATUS_YAML = PACKAGE_DATA / "events" / "status_cues.yaml"

VERB_POS = ["VERB", "AUX"]
NOUN_POS = ["NOUN", "PROPN"]


@dataclass(frozen=True)
class TriggerGroup:
    name: str
    sub_event_type: str
    cameo: str
    frame: str
    cause: str
    weight: int
    generic: bool


@lru_cache(maxsize=1)
def groups() -> dict[str, TriggerGroup]:
    data = read_yaml(TRIGGERS_YAML)
    out = {}
    for g in data["groups"]:
        out[g["name"]] = TriggerGroup(
            name=g["name"], sub_event_type=g["sub_event_type"], cameo=str(g["cameo"]), frame=g["frame"],
            cause=g.get("cause", "unknown"), weight=int(g.get("weight", 1)), generic=bool(g.get("generic", False)))
    return out


@lru_cache(maxsize=1)
def status_cues() -> dict:
    data = read_yaml(STATUS_YAML)
    return {k: (set(v) if isinstance(v, list) else v) for k, v in data.items()}


def _token_pattern(word: str, pos: list[str] | None, last: bool) -> dict:
    if word == "*":
        return {"OP": "?", "IS_PUNCT": False}
    if "-" in word and len(word) > 1:  # spaCy splits hyphenated words; handled by caller
        pass
    pat: dict = {"LOWER": word} if False else {"LEMMA": {"IN": sorted({word, word.lower()})}}
    if last and pos:
        pat["POS"] = {"IN": pos}
    return pat


def _phrase_patterns(phrase: str, pos: list[str] | None) -> list[list[dict]]:
    """Patterns for one lexicon entry. The head POS constraint goes on the first token of verb phrases
    ("take over") and the last token of noun phrases ("air strike")."""
    words = _split_words(phrase)
    pats = []
    verbal = pos == VERB_POS
    toks = []
    for j, w in enumerate(words):
        if w == "*":
            toks.append({"OP": "?", "IS_PUNCT": False})
            continue
        t: dict = {"LOWER": w} if w == "-" else {"LEMMA": {"IN": sorted({w, w.capitalize(), w.upper(), w.title()})}}
        if pos and ((verbal and j == 0) or (not verbal and j == len(words) - 1)):
            t["POS"] = {"IN": pos}
        toks.append(t)
    pats.append(toks)
    # surface-form variant for the head word (lemmatiser misses: "airstrikes", "shelling")
    if len(words) >= 1 and words[-1] != "*" and not verbal:
        alt = [dict(t) for t in toks]
        last = alt[-1]
        w = words[-1]
        alt[-1] = {"LOWER": {"IN": sorted({w, w + "s", w + "es"})}}
        if pos:
            alt[-1]["POS"] = {"IN": pos + ["VERB", "ADJ"]}
        del last
        pats.append(alt)
    return pats


@lru_cache(maxsize=4)
def _lexicon_entries() -> list[tuple[str, str, list[str] | None]]:
    data = read_yaml(TRIGGERS_YAML)
    out = []
    for g in data["groups"]:
        for key, pos in (("verbs", VERB_POS), ("nouns", NOUN_POS), ("any", None)):
            for phrase in g.get(key) or []:
                out.append((g["name"], str(phrase).lower(), pos))
    return out


def register_token_extensions() -> None:
    from spacy.tokens import Token

    if not Token.has_extension("fp_lem"):
        # lower-cased lemma: "Suicide bombing" (PROPN, lemma "Suicide") still matches "suicide bombing"
        Token.set_extension("fp_lem", getter=lambda t: t.lemma_.lower() or t.lower_)


class TriggerMatcher:
    """Lexicon matcher: a PhraseMatcher on lemmas (fast) for plain entries, a token Matcher for entries with
    optional tokens ("blow * up"). Calling it returns (match_id, start, end) like spaCy's matchers, after
    checking the head word's part of speech (first token of verb phrases, last token of noun phrases)."""

    def __init__(self, vocab: Vocab):
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self.vocab = vocab
        self.phrase = PhraseMatcher(vocab, attr="LEMMA")
        self.phrase_lower = PhraseMatcher(vocab, attr="LOWER")
        self.token = Matcher(vocab)
        self.kinds: dict[int, tuple[str, str]] = {}
        # lemmas one of which the first token of every token-Matcher pattern must have (None: some pattern's
        # first token is not such a test): a Doc without any of them cannot match, the Matcher is skipped
        self.token_first: set[int] | None = set()
        self.token_len = 0  # the most tokens a token-Matcher pattern can match (optional ones included)
        for group, phrase, pos in _lexicon_entries():
            kind = "V" if pos == VERB_POS else ("N" if pos == NOUN_POS else "A")
            key = f"{group}|{kind}"
            kid = vocab.strings.add(key)
            self.kinds[kid] = (group, kind)
            if "*" in phrase.split():
                pats = _phrase_patterns(phrase, pos)
                self.token.add(key, pats)
                self.token_len = max([self.token_len] + [len(p) for p in pats])
                for pat in pats:
                    first = pat[0] if pat else {}
                    lem = first.get("LEMMA")
                    if self.token_first is None or "OP" in first or not (isinstance(lem, dict) and set(lem) == {"IN"}):
                        self.token_first = None
                    else:
                        self.token_first.update(vocab.strings.add(x) for x in lem["IN"])
                continue
            words = _split_words(phrase)
            d = Doc(vocab, words=words, lemmas=words)
            self.phrase.add(key, [d])
            # surface forms of the last word (plural nouns the lemmatiser misses: "airstrikes")
            if kind != "V":
                last = words[-1]
                for form in {last + "s", last + "es"}:
                    self.phrase_lower.add(key, [Doc(vocab, words=words[:-1] + [form])])
            self.phrase_lower.add(key, [Doc(vocab, words=words)])

    def _token_matches(self, doc) -> list[tuple[int, int, int]]:
        """The token Matcher's matches. Every pattern's first token must have one of ``token_first``'s lemmas, so
        the Matcher runs only on a window of ``token_len`` tokens from each such token (keeping the matches that
        start there) instead of on the whole Doc, where it tests all its patterns at every token (~5 ms per FA-KES
        article). The matches are the same, in start order (no two patterns of different ids share a first
        lemma, so no two matches of different ids cover the same tokens and ``find_triggers`` keeps the same)."""
        if not len(self.token):
            return []
        if self.token_first is None:
            return list(self.token(doc))
        n = len(doc)
        out = []
        for s, lemma in enumerate(doc.to_array(LEMMA).tolist()):
            if lemma in self.token_first:
                out += [(mid, s, s + b) for mid, a, b in self.token(doc[s:min(n, s + self.token_len)]) if a == 0]
        return out

    def __call__(self, doc):
        seen = set()
        out = []
        lem_cache = {}
        lower = {(m, s, e) for m, s, e in self.phrase_lower(doc)}
        token_matches = self._token_matches(doc)
        for mid, s, e in list(self.phrase(doc)) + sorted(lower) + token_matches:
            if (mid, s, e) in seen:
                continue
            seen.add((mid, s, e))
            surface = (mid, s, e) in lower
            group, kind = self.kinds.get(mid, (None, None))
            if group is None:
                continue
            head = doc[s] if kind == "V" else doc[e - 1]
            if kind == "V" and head.pos_ not in VERB_POS:
                continue
            if kind == "N" and head.pos_ not in NOUN_POS and not (surface and head.pos_ in ("VERB", "ADJ")
                                                                  and head.tag_ in ("NNS", "NN", "VBZ", "NNP", "NNPS")):
                continue
            out.append((mid, s, e))
        del lem_cache
        return out


def _split_words(phrase: str) -> list[str]:
    """Hyphenated words as spaCy tokenises them: "air-strike" -> air - strike."""
    words: list[str] = []
    for w in phrase.split():
        if "-" in w and w != "-":
            parts = w.split("-")
            for j, p in enumerate(parts):
                if p:
                    words.append(p)
                if j < len(parts) - 1:
                    words.append("-")
        else:
            words.append(w)
    return words


def build_matcher(vocab: Vocab) -> TriggerMatcher:
    """The lexicon matcher; match ids are the strings ``"<group>|<V|N|A>"``."""
    return TriggerMatcher(vocab)


# lexicon words that also begin names in headlines ("New York", "General Konashenkov", "Grad", "Water Board"): a
# Title-Case headline keeps them as written
NAME_LIKE_WORDS = frozenset({"new", "general", "grad", "field", "street", "mass", "hell", "water", "sound", "round",
                             "land", "life", "live", "lives", "public", "peace", "twin", "ball", "base", "stone",
                             "flag", "march", "marches", "military", "heavy", "hand", "cover", "drive", "route"})


@lru_cache(maxsize=1)
def headline_common_words() -> frozenset[str]:
    """The event words of the trigger lexicon and English function words: the words a Title-Case headline writes
    in capitals that are no names ("Deadly Blast Hits South Damascus"); ``nlp.casing.lower_headline_words``."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = {w for _, phrase, _ in _lexicon_entries() for w in re.findall(r"[a-z]+", phrase) if len(w) >= 3}
    return frozenset((words | set(STOP_WORDS)) - NAME_LIKE_WORDS)
