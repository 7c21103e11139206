"""Sentence triage: parse only what can hold an event.

A cheap rule-based splitter cuts the article into sentences; a keyword pre-pass (stems in
``data/nlp/triage.yaml``) keeps the ones that can hold an event, a casualty count, a quote or a
claim, plus the lede. The kept sentences are joined into a shorter text for spaCy, and an
``OffsetMap`` turns character offsets in that text back into offsets in the article.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache


from flashpoint.paths import PACKAGE_DATA, read_yaml

_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
                     r"Nov|Dec|U\.S|U\.N|U\.K|[A-Z])\.$")
_QUOTES = re.compile(r"[\"“”«»]")
SEP = "\n"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of sentences; newlines always end a sentence."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.start()
        if m.group(0).strip() == "" and "\n" not in m.group(0) and _ABBREV.search(text[start:end]):
            continue  # "Lt. Col. X" or "U.S. forces": not a sentence end
        seg = text[start:end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            spans.append((start + lead, start + len(seg.rstrip())))
        start = m.end()
    seg = text[start:]
    if seg.strip():
        lead = len(seg) - len(seg.lstrip())
        spans.append((start + lead, start + len(seg.rstrip())))
    return spans


@dataclass(frozen=True)
class Triage:
    pattern: re.Pattern
    keep_first: int
    keep_quotes: bool

    def keep(self, sentence: str, index: int) -> bool:
        if index < self.keep_first:
            return True
        if self.keep_quotes and _QUOTES.search(sentence):
            return True
        return self.pattern.search(sentence) is not None


@lru_cache(maxsize=1)
def load_triage() -> Triage:
    cfg = read_yaml(PACKAGE_DATA / "nlp" / "triage.yaml")
    stems = sorted({s.lower() for s in cfg["stems"]}, key=len, reverse=True)
    pat = re.compile(r"\b(?:" + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in stems) + r")", re.I)
    return Triage(pat, int(cfg.get("always_keep_first", 2)), bool(cfg.get("keep_quotes", True)))


class OffsetMap:
    """Maps offsets in the reduced text back to the article text."""

    def __init__(self, pieces: list[tuple[int, int, int]]):
        self.pieces = pieces  # (reduced_start, article_start, length), sorted
        self._starts = [p[0] for p in pieces]

    def __call__(self, pos: int, is_end: bool = False) -> int:
        if not self.pieces:
            return pos
        i = bisect.bisect_right(self._starts, pos - (1 if is_end else 0)) - 1
        i = max(i, 0)
        rs, as_, n = self.pieces[i]
        return as_ + min(max(pos - rs, 0), n)

    @property
    def identity(self) -> bool:
        return len(self.pieces) == 1 and self.pieces[0][0] == 0 and self.pieces[0][1] == 0


def reduce_text(text: str, triage: Triage | None = None) -> tuple[str, OffsetMap, float]:
    """The kept sentences joined by newlines, the offset map, and the kept fraction of characters."""
    triage = triage or load_triage()
    spans = split_sentences(text)
    kept = [(s, e) for i, (s, e) in enumerate(spans) if triage.keep(text[s:e], i)]
    if len(kept) == len(spans):
        return text, OffsetMap([(0, 0, len(text))]), 1.0
    parts, pieces, pos = [], [], 0
    for s, e in kept:
        pieces.append((pos, s, e - s))
        parts.append(text[s:e])
        pos += e - s + len(SEP)
    reduced = SEP.join(parts)
    return reduced, OffsetMap(pieces), (sum(e - s for s, e in kept) / max(len(text), 1))
