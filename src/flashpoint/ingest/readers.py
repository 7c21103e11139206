"""Input readers: one article per .txt / .html file, one per line of a .jsonl file,
every such file in a directory, or ``-`` for standard input (JSONL when every non-empty
line is a JSON object, else one plain-text article).

Every bad item becomes an ``IngestError`` naming the item; the batch goes on.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Iterable, Iterator

from pydantic import ValidationError

from flashpoint.model import Article

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass
class IngestError:
    item: str  # "file.jsonl:17", "doc.txt", "<stdin>"
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.message}"


def _decode(raw: bytes, item: str) -> str | IngestError:
    if not raw.strip():
        return IngestError(item, "empty input")
    if b"\x00" in raw[:8192]:
        return IngestError(item, "binary file (NUL bytes), not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 50):
            return IngestError(item, "not UTF-8 or Windows-1252 text")
        return text


def _title_and_body(text: str) -> tuple[str | None, str]:
    """Plain-text convention: a short first line followed by a blank line is the title."""
    lines = text.strip("\n").split("\n")
    if len(lines) > 2 and 0 < len(lines[0]) <= 200 and not lines[1].strip():
        return lines[0].strip(), text
    return None, text


def _html_article(raw: str, item: str) -> tuple[str | None, str, str | None] | IngestError:
    """(title, text, date) of an HTML page's main article, via trafilatura."""
    import trafilatura

    body = trafilatura.extract(raw, include_comments=False, include_tables=False, favor_recall=True)
    if not body or not body.strip():
        return IngestError(item, "no article text found in HTML")
    meta = trafilatura.extract_metadata(raw)
    title = getattr(meta, "title", None) if meta else None
    date_s = getattr(meta, "date", None) if meta else None
    return title, (f"{title}\n\n{body}" if title else body), date_s


def _coerce_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def article_from_text(text: str, item: str, id: str, published: date | None = None,
                      html: bool = False) -> Article | IngestError:
    pub = published
    if html:
        res = _html_article(text, item)
        if isinstance(res, IngestError):
            return res
        title, body, date_s = res
        if pub is None and date_s:
            try:
                pub = _coerce_date(date_s)
            except ValueError:
                pub = None
    else:
        title, body = _title_and_body(text)
    if not body.strip():
        return IngestError(item, "empty input")
    return Article(id=id, text=body, title=title, published=pub)


def article_from_record(rec: object, item: str, published: date | None = None) -> Article | IngestError:
    if not isinstance(rec, dict):
        return IngestError(item, f"expected a JSON object, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return IngestError(item, "missing or empty 'text'")
    try:
        pub = _coerce_date(rec.get("published") or rec.get("date")) or published
    except ValueError:
        return IngestError(item, f"bad 'published' date {rec.get('published')!r} (want YYYY-MM-DD)")
    try:
        return Article(
            id=str(rec.get("id") or item),
            text=text,
            title=rec.get("title"),
            published=pub,
            url=rec.get("url"),
            source=rec.get("source"),
        )
    except ValidationError as exc:
        return IngestError(item, f"invalid record: {exc.errors()[0]['msg']}")


def read_jsonl_lines(lines: Iterable[str], name: str, published: date | None = None
                     ) -> Iterator[Article | IngestError]:
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item = f"{name}:{no}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(item, f"malformed JSON line ({exc.msg} at column {exc.colno})")
            continue
        yield article_from_record(rec, item, published)


def read_path(path: Path, published: date | None = None) -> Iterator[Article | IngestError]:
    item = str(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            yield IngestError(item, f"no {'/'.join(sorted(SUFFIXES))} files in directory")
        for f in files:
            yield from read_path(f, published)
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield IngestError(item, f"cannot read: {exc.strerror or exc}")
        return
    text = _decode(raw, item)
    if isinstance(text, IngestError):
        yield text
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_lines(text.splitlines(), item, published)
    else:
        yield article_from_text(text, item, id=path.stem, published=published,
                                html=suffix in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")))


def read_stream(fh: IO[bytes], published: date | None = None, name: str = "<stdin>"
                ) -> Iterator[Article | IngestError]:
    text = _decode(fh.read(), name)
    if isinstance(text, IngestError):
        yield text
        return
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines):
        yield from read_jsonl_lines(text.splitlines(), name, published)
    else:
        yield article_from_text(text, name, id="stdin", published=published,
                                html=text.lstrip()[:15].lower().startswith(("<!doctype", "<html")))


def read_inputs(paths: Iterable[str], published: date | None = None) -> Iterator[Article | IngestError]:
    """Articles (or per-item errors) from files, directories and ``-`` (stdin), in order."""
    for p in paths:
        if p == "-":
            yield from read_stream(sys.stdin.buffer, published)
            continue
        path = Path(p)
        if not path.exists():
            yield IngestError(p, "no such file or directory")
            continue
        yield from read_path(path, published)
