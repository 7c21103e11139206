"""Trigger lexicon (``data/events/triggers.yaml``) compiled into a spaCy Matcher, and status cues."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from flashpoint.paths import PACKAGE_DATA

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
    data = yaml.safe_load(TRIGGERS_YAML.read_text(encoding="utf-8"))
    out = {}
    for g in data["groups"]:
        out[g["name"]] = TriggerGroup(
            name=g["name"], sub_event_type=g["sub_event_type"], cameo=str(g["cameo"]), frame=g["frame"],
            cause=g.get("cause", "unknown"), weight=int(g.get("weight", 1)), generic=bool(g.get("generic", False)))
    return out


@lru_cache(maxsize=1)
def status_cues() -> dict:
    data = yaml.safe_load(STATUS_YAML.read_text(encoding="utf-8"))
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
    # split hyphenated words into spaCy's tokens: "air-strike" -> air - strike
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
    pats = []
    verbal = pos == VERB_POS
    toks = []
    for j, w in enumerate(words):
        if w == "*":
            toks.append({"OP": "?", "IS_PUNCT": False})
            continue
        t: dict = {"LOWER": w} if w == "-" else {"LEMMA": {"IN": sorted({w, w.lower()})}}
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
    data = yaml.safe_load(TRIGGERS_YAML.read_text(encoding="utf-8"))
    out = []
    for g in data["groups"]:
        for key, pos in (("verbs", VERB_POS), ("nouns", NOUN_POS), ("any", None)):
            for phrase in g.get(key) or []:
                out.append((g["name"], str(phrase).lower(), pos))
    return out


def build_matcher(vocab: Vocab) -> Matcher:
    """A Matcher whose match ids are ``"<group>|<V|N|A>"``."""
    m = Matcher(vocab)
    for group, phrase, pos in _lexicon_entries():
        kind = "V" if pos == VERB_POS else ("N" if pos == NOUN_POS else "A")
        m.add(f"{group}|{kind}", _phrase_patterns(phrase, pos))
    return m
