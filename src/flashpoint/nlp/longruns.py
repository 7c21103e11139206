"""Tokenising text with very long runs without whitespace (issue #12 H7).

spaCy's tokenizer strips affixes from a whitespace-free run one at a time and searches the rest of the run for the
next one each time, so a run of n punctuation characters costs n^2: 2,000 quotes take 0.8 s, 8,000 take 11 s and
50,000 take minutes. A run longer than ``MAX_RUN_CHARS`` is tokenised in pieces of ``RUN_PIECE_CHARS`` and the
pieces joined again: the Doc's text is the input text, character for character, so every offset still holds.
Prose has no such run (the longest of the dev sets is a URL far below the limit), and its Doc is made as before.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

MAX_RUN_CHARS = 1_000  # a whitespace-free run longer than this is tokenised in pieces
RUN_PIECE_CHARS = 100  # the length of those pieces (a piece costs RUN_PIECE_CHARS^2)

_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN_CHARS + 1))


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, in bounded time when the text holds a run longer than ``MAX_RUN_CHARS``."""
    runs = [m.span() for m in _LONG_RUN.finditer(text)]
    if not runs:
        return nlp.make_doc(text)
    pieces, at = [], 0
    for a, b in runs:
        if a > at:
            pieces.append(text[at:a])
        pieces += [text[k:min(k + RUN_PIECE_CHARS, b)] for k in range(a, b, RUN_PIECE_CHARS)]
        at = b
    if at < len(text):
        pieces.append(text[at:])
    return Doc.from_docs([nlp.make_doc(p) for p in pieces], ensure_whitespace=False)
