"""One input item -> an ``Article`` or an ``IngestError``: a JSON/CSV record, a plain-text or an HTML document.

Every article the readers make is a ``ReadArticle``: an ``Article`` that also carries the reader's warnings
(re-encoded input, replaced characters) to the pipeline, which puts them in the Report's ``errors`` as
"<id>: warning: ..." entries (warnings, not failures).
"""
from __future__ import annotations

import reprlib
from dataclasses import dataclass
from datetime import date

from pydantic import PrivateAttr, ValidationError

from flashpoint.ingest import limits
from flashpoint.ingest.language import not_english_reason
from flashpoint.model import Article

MAX_ID_CHARS = 512  # a longer 'id' is refused (ids name the article and its events everywhere)
MAX_HTML_CHARS = 3_000_000  # HTML parsed per page; trafilatura takes ~3 s per MB, a longer page is cut, with a warning
MAX_TITLE_LINE_CHARS = 200  # plain text: a first line up to this long, then a blank line, is the title
RECORD_FIELDS = ("title", "url", "source")
EMPTY_TEXT_WARNING = "empty 'text': nothing to extract"
QUOTED_VALUE_CHARS = 60  # error messages quote a bad value up to this long (reprlib: short at any nesting depth)

_short = reprlib.Repr()
_short.maxstring = _short.maxother = QUOTED_VALUE_CHARS


@dataclass
class IngestError:
    item: str  # "file.jsonl:17", "doc.txt", "<stdin>"
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}"


class ReadArticle(Article):
    """An Article from a reader, with the reader's warnings (complete "<id>: warning: ..." strings)."""

    _warnings: list[str] = PrivateAttr(default_factory=list)

    @property
    def read_warnings(self) -> list[str]:
        return self._warnings


def make_article(fields: dict, item: str, notes: list[str] = ()) -> ReadArticle | IngestError:
    """A ReadArticle from ``fields`` (the Article's), after replacing characters no writer can store and
    skipping text that is not English; ``notes`` become warnings."""
    replaced = 0
    for key, value in fields.items():
        if isinstance(value, str):
            fields[key], n = limits.scrub(value)
            replaced += n
    reason = not_english_reason(fields["text"])
    if reason:
        return IngestError(item, reason)
    try:
        art = ReadArticle(**fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return IngestError(item, f"invalid record: {where + ': ' if where else ''}{first['msg']}")
    warn = list(notes)
    if replaced:
        warn.append(f"replaced {replaced} lone surrogate or NUL character(s) with U+FFFD")
    art._warnings = [limits.warning(art.id, w) for w in warn]
    return art


def coerce_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ValueError(value)
    return date.fromisoformat(str(value)[:10])


def _ident(value, item: str) -> str | IngestError:
    if value is None or value == "":
        return item
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return IngestError(item, f"bad 'id' {_short.repr(value)} (want a string or a number)")
    ident = str(value)
    if len(ident) > MAX_ID_CHARS:
        return IngestError(item, f"'id' of {len(ident):,} characters (at most {MAX_ID_CHARS})")
    return ident


def article_from_record(rec: object, item: str, published: date | None = None,
                        notes: list[str] = ()) -> ReadArticle | IngestError:
    """A JSON object (or CSV row) with 'text' and optional 'id', 'title', 'published'/'date', 'url', 'source'."""
    if not isinstance(rec, dict):
        return IngestError(item, f"expected a JSON object, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str):
        return IngestError(item, "missing or empty 'text'")
    notes = list(notes)
    if not text.strip():
        # a record whose text is empty ("text": "") is an article with nothing to report, not a failure (#13):
        # it gets an empty report and this warning; a record with no text at all stays an error
        notes.append(EMPTY_TEXT_WARNING)
    raw_date = rec.get("published") or rec.get("date")
    try:
        pub = coerce_date(raw_date) or published
    except ValueError:
        return IngestError(item, f"bad 'published' date {_short.repr(raw_date)} (want YYYY-MM-DD)")
    ident = _ident(rec.get("id"), item)
    if isinstance(ident, IngestError):
        return ident
    fields = {"id": ident, "text": text, "published": pub}
    fields.update({k: rec.get(k) for k in RECORD_FIELDS if rec.get(k) not in (None, "")})
    return make_article(fields, item, notes)


def title_and_body(text: str) -> tuple[str | None, str]:
    """Plain-text convention: a short first line followed by a blank line is the title."""
    lines = text.strip("\n").split("\n", 2)
    if len(lines) > 2 and 0 < len(lines[0]) <= MAX_TITLE_LINE_CHARS and not lines[1].strip():
        return lines[0].strip(), text
    return None, text


def looks_like_html(text: str) -> bool:
    return text.lstrip()[:15].lower().startswith(("<!doctype", "<html"))


def html_article(raw: str, item: str, notes: list[str]) -> tuple[str | None, str, str | None] | IngestError:
    """(title, text, date) of an HTML page's main article, via trafilatura (which drops scripts, styles,
    navigation and boilerplate). A page over ``MAX_HTML_CHARS`` is cut first, with a note."""
    import trafilatura

    if len(raw) > MAX_HTML_CHARS:
        notes.append(f"HTML page of {len(raw):,} characters cut to its first {MAX_HTML_CHARS:,} before extraction")
        raw = raw[:MAX_HTML_CHARS]
    try:
        body = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_recall=True)
        meta = trafilatura.extract_metadata(raw) if body and body.strip() else None
    except (ValueError, RecursionError) as exc:
        return IngestError(item, f"HTML could not be parsed: {type(exc).__name__}")
    if not body or not body.strip():
        return IngestError(item, "no article text found in HTML")
    title = getattr(meta, "title", None) if meta else None
    date_s = getattr(meta, "date", None) if meta else None
    return title, (f"{title}\n\n{body}" if title else body), date_s


def article_from_text(text: str, item: str, id: str, published: date | None = None, html: bool = False,
                      notes: list[str] = ()) -> ReadArticle | IngestError:
    """One plain-text or HTML document as one article."""
    notes = list(notes)
    pub = published
    if html:
        res = html_article(text, item, notes)
        if isinstance(res, IngestError):
            return res
        title, body, date_s = res
        if pub is None and date_s:
            try:
                pub = coerce_date(date_s)
            except ValueError:
                pub = None
    else:
        title, body = title_and_body(text)
    if not body.strip():
        return IngestError(item, "empty input")
    return make_article({"id": id, "text": body, "title": title, "published": pub}, item, notes)
