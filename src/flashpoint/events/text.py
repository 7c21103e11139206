"""The doc's text, computed once per doc, and span texts sliced from it (shared by the event stages)."""
from __future__ import annotations

from flashpoint.nlp import doc_keys


def _doc_text(doc) -> str:
    """doc.text joins every token: compute it once per doc."""
    key = (doc_keys.DOC_TEXT, len(doc))
    t = doc.user_data.get(key)
    if t is None:
        t = doc.user_data[key] = doc.text
    return t


def _span_text(sp) -> str:
    """``sp.text`` without building a Token per word (a slice of the cached doc text)."""
    return _doc_text(sp.doc)[sp.start_char:sp.end_char] if sp.end > sp.start else ""
