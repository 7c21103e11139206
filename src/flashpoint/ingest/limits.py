"""Limits on what one input item may cost, and the guard the pipeline runs before parsing an article.

Every limit is a named constant here, so a reader, the pipeline and the tests agree on it:

- ``MAX_ARTICLE_CHARS``: the characters of one article that are parsed. spaCy refuses texts over
  ``nlp.max_length`` (1,000,000, error E088), and extraction time grows faster than the text: 50,000 characters of
  FA-KES articles take 8 s and 100,000 take 29 s; 50,000 characters of the issue's "Troops shelled Idlib. " take
  22 s and 100,000 take 116 s (docs/RELIABILITY.md, "Readers"). The longest article of the shared dev sets has
  29,667 characters. A longer text is cut at a paragraph, sentence or word break before the limit and the report
  says so in a warning.
- ``MAX_RECORD_BYTES``: the bytes of one record read into memory (one JSONL line, one .txt/.html/.json file, the
  text on standard input). A bigger record is one error; the rest of its file is still read.
"""
from __future__ import annotations

import re

from flashpoint.model import WARNING_MARK, Article

MAX_ARTICLE_CHARS = 50_000
TRUNCATE_BACKOFF_CHARS = 2_000  # look this far back from the limit for a paragraph/sentence/word break
MAX_RECORD_BYTES = 128 * 2**20

# characters no writer can store: lone UTF-16 surrogates (valid JSON escapes such as "\ud800", which UTF-8 cannot
# encode) and NUL (PostgreSQL text refuses it). Each becomes U+FFFD, one character for one, so offsets still hold.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
REPLACEMENT = "\ufffd"


def warning(item_id: str, text: str) -> str:
    """A ``Report.errors`` entry that is a warning, not a failure (see ``flashpoint.model.WARNING_MARK``)."""
    return f"{item_id}{WARNING_MARK}{text}"


def scrub(value: str) -> tuple[str, int]:
    """``value`` with lone surrogates and NULs replaced by U+FFFD, and how many were replaced."""
    return _UNSTORABLE.subn(REPLACEMENT, value)


def clean_name(name: str) -> str:
    """A file name or command-line argument safe to print and store (undecodable bytes arrive as surrogates)."""
    return scrub(name)[0]


def truncation_point(text: str, limit: int = MAX_ARTICLE_CHARS) -> int:
    """Where to cut ``text`` so at most ``limit`` characters remain: the last paragraph, sentence or word break
    within ``TRUNCATE_BACKOFF_CHARS`` before the limit, else the limit itself."""
    if len(text) <= limit:
        return len(text)
    floor = max(0, limit - TRUNCATE_BACKOFF_CHARS)
    for sep in ("\n", ". ", " "):
        at = text.rfind(sep, floor, limit)
        if at > 0:
            return at + len(sep.rstrip())
    return limit


def guard_article(article: Article, limit: int | None = None) -> tuple[Article, str, list[str]]:
    """``(article, text to parse, warnings)`` for the pipeline.

    The warnings are the reader's (``ReadArticle.read_warnings``: re-encoded input, replaced characters) plus the
    guard's own: characters no writer can store in an Article built in code, and a text cut to ``limit`` (default
    ``MAX_ARTICLE_CHARS``). The text to parse is a prefix of ``article.text``, so every offset still points into it.
    """
    limit = MAX_ARTICLE_CHARS if limit is None else limit
    warnings = list(getattr(article, "read_warnings", ()))
    text, n_text = scrub(article.text)
    title, n_title = scrub(article.title) if article.title is not None else (None, 0)
    ident, n_id = scrub(article.id)
    if n_text or n_title or n_id:
        article = article.model_copy(update={"text": text, "title": title, "id": ident})
        warnings.append(warning(ident, f"replaced {n_text + n_title + n_id} lone surrogate or NUL character(s) "
                                       "with U+FFFD"))
    cut = truncation_point(text, limit)
    if cut < len(text):
        warnings.append(warning(ident, f"article of {len(text):,} characters truncated to its first {cut:,} "
                                       f"(limit {limit:,}); events after that point are not extracted"))
        text = text[:cut]
    return article, text, warnings
