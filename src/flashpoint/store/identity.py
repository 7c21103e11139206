"""What identifies a stored item, and what every database accepts as text.

* ``text_hash``: sha256 of the whitespace-normalised text (lone surrogates kept, so it never fails).
* ``identity_hash``: sha256 of the item's id, url, source, publication date and text hash: the key of
  resumable, idempotent ingest (``articles.content_hash``). A corrected re-ingest (another publication date, a
  fixed url) is a new item; another outlet's identical copy is a new item whose text is already known, so it is
  recorded as one more source of the events already extracted from that text (``ingest``).
* ``clean_text``: PostgreSQL refuses NUL characters and no database driver encodes a lone surrogate; both are
  common in scraped text. NULs are dropped, lone surrogates become U+FFFD, before anything is written.
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from typing import Any, Optional

from flashpoint.model import Article

ARTICLE_ID_MAX = 512  # articles.article_id length: ids are stored (and identified) cut to this
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _replace(m: re.Match) -> str:
    return "" if m.group() == "\x00" else "\ufffd"


def clean_text(s: Optional[str]) -> Optional[str]:
    """``s`` without NUL characters and with each lone surrogate replaced by U+FFFD (None stays None)."""
    if s is None or not _UNSTORABLE.search(s):
        return s
    return _UNSTORABLE.sub(_replace, s)


def clean_value(v: Any) -> Any:
    """``clean_text`` through strings, lists and dicts (JSON columns); other values unchanged."""
    if isinstance(v, str):
        return clean_text(v)
    if isinstance(v, list):
        return [clean_value(x) for x in v]
    if isinstance(v, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_value(x) for k, x in v.items()}
    return v


def text_hash(text: str) -> str:
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()


def identity_from(article_id: str, url: Optional[str], source: Optional[str], published: Optional[str],
                  text_sha: str) -> str:
    """The identity hash from stored values (also how migration 0003 computes it for older rows)."""
    key = [clean_text(article_id)[:ARTICLE_ID_MAX], clean_text(url), clean_text(source), published, text_sha]
    return hashlib.sha256(json.dumps(key, ensure_ascii=True).encode("ascii")).hexdigest()


def identity_hash(article: Article) -> str:
    pub = article.published.isoformat() if isinstance(article.published, date) else None
    return identity_from(article.id, article.url, article.source, pub, text_hash(article.text))
