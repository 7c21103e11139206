"""Input readers: one article per .txt / .html file, one per line of a .jsonl file, one per object of a .json
array, one per row of a .csv/.tsv file with a 'text' column, every such file in a directory, or ``-`` for
standard input (JSON lines when it starts with '{', a JSON array when it is one, else one plain-text or HTML
article).

Items are yielded lazily: a JSONL or CSV file (or JSON lines on stdin) is read line by line in constant memory;
one record (a line, a text/HTML/JSON file, plain text on stdin) is read into memory only up to
``limits.MAX_RECORD_BYTES``. Every bad item becomes one ``IngestError`` naming it ("file.jsonl:17"); the batch
goes on. FIFOs, sockets and devices named as paths are refused (they can block forever or never end): pipe them
to ``-`` instead.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import stat
import sys
from datetime import date
from pathlib import Path
from typing import IO, Iterable, Iterator

from flashpoint.ingest import limits
from flashpoint.ingest.decode import MAX_CONTROL_SHARE, SNIFF_BYTES, Decoded, decode, decode_line, sniff_encoding
from flashpoint.ingest.records import (  # noqa: F401  (IngestError, article_from_* are part of this module's API)
    IngestError, ReadArticle, article_from_record, article_from_text, looks_like_html,
)
from flashpoint.model import Article

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
CSV_DELIMITERS = {".csv": ",", ".tsv": "\t"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES | set(CSV_DELIMITERS)
SKIP_CHUNK_BYTES = 1 << 20
SNIFF_LINES = 5  # stdin is JSON lines when one of its first this many lines is JSON  # the rest of an over-long line is skipped in pieces of this size
_BINARY_CONTROLS = frozenset(range(32)) - {9, 10, 11, 12, 13} | {127}

Item = Article | IngestError


def _peekable(fh: IO[bytes]) -> io.BufferedReader:
    return fh if hasattr(fh, "peek") else io.BufferedReader(fh)


def _head(fh: io.BufferedReader) -> bytes:
    return fh.peek(SNIFF_BYTES)[:SNIFF_BYTES]


def _binary_head(head: bytes) -> bool:
    """NUL or other control bytes in the first bytes (UTF-8 multi-byte bytes are >= 0x80, never counted)."""
    return bool(head) and (b"\x00" in head
                           or sum(b in _BINARY_CONTROLS for b in head) / len(head) > MAX_CONTROL_SHARE)


def _read_bounded(fh: IO[bytes], item: str) -> bytes | IngestError:
    data = fh.read(limits.MAX_RECORD_BYTES + 1)
    if len(data) > limits.MAX_RECORD_BYTES:
        return IngestError(item, f"more than {limits.MAX_RECORD_BYTES:,} bytes in one record; not read (split it, "
                                 "or use JSON lines)")
    return data


def _decoded(raw: bytes | IngestError, item: str) -> Decoded | IngestError:
    if isinstance(raw, IngestError):
        return raw
    res = decode(raw)
    return IngestError(item, res) if isinstance(res, str) else res


def _notes(decoded: Decoded) -> list[str]:
    return [decoded.note] if decoded.note else []


def _binary_lines(fh: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of ``fh`` split on b"\\n" only; None for a line over ``MAX_RECORD_BYTES`` (skipped unread)."""
    while True:
        line = fh.readline(limits.MAX_RECORD_BYTES + 1)
        if not line:
            return
        if len(line) <= limits.MAX_RECORD_BYTES:
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = fh.readline(SKIP_CHUNK_BYTES)
        yield None


def json_line_item(line: str, item: str, published: date | None, notes: list[str] = ()) -> Item:
    """One JSON line -> an Article or an error (malformed, nested too deeply, not an object, no text)."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(item, f"malformed JSON line ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return IngestError(item, "malformed JSON line (nested too deeply)")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return IngestError(item, f"malformed JSON line ({exc})")
    return article_from_record(rec, item, published, notes)


def read_jsonl_lines(lines: Iterable[str], name: str, published: date | None = None, notes: list[str] = ()
                     ) -> Iterator[Item]:
    """JSON lines already decoded (``lines`` split on "\\n" only); one item per non-blank line."""
    n = 0
    for no, line in enumerate(lines, 1):
        if line.strip():
            n += 1
            yield json_line_item(line, f"{name}:{no}", published, notes)
    if not n:
        yield IngestError(name, "empty input (no JSON lines)")


def read_jsonl(fh: IO[bytes], name: str, published: date | None = None) -> Iterator[Item]:
    """JSON lines from a binary stream, one line at a time (constant memory)."""
    fh = _peekable(fh)
    head = _head(fh)
    enc = sniff_encoding(head)
    if enc is not None and not enc.startswith("utf-8"):  # UTF-16/32: b"\n" does not split lines
        decoded = _decoded(_read_bounded(fh, name), name)
        if isinstance(decoded, IngestError):
            yield decoded
            return
        yield from read_jsonl_lines(decoded.text.split("\n"), name, published, _notes(decoded))
        return
    if _binary_head(head):
        yield IngestError(name, "binary data, not JSON lines")
        return
    n, fallback = 0, None
    for no, raw in enumerate(_binary_lines(fh), 1):
        if raw is None:
            n += 1
            yield IngestError(f"{name}:{no}", f"line of more than {limits.MAX_RECORD_BYTES:,} bytes; skipped")
            continue
        if no == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        n += 1
        line, used, fallback = decode_line(raw, fallback)
        yield json_line_item(line, f"{name}:{no}", published, [f"decoded as {used} (not UTF-8)"] if used else [])
    if not n:
        yield IngestError(name, "empty input (no JSON lines)")


def read_json_document(text: str, name: str, published: date | None = None, notes: list[str] = ()
                       ) -> Iterator[Item]:
    """A .json file: an array of records (one article each, "name[i]") or one record with 'text'."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestError(name, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    except (RecursionError, ValueError) as exc:
        yield IngestError(name, f"malformed JSON ({type(exc).__name__})")
        return
    if isinstance(doc, list):
        if not doc:
            yield IngestError(name, "empty JSON array")
        for i, rec in enumerate(doc):
            yield article_from_record(rec, f"{name}[{i}]", published, notes)
    elif isinstance(doc, dict) and "text" in doc:
        yield article_from_record(doc, name, published, notes)
    else:
        yield IngestError(name, f"a .json file must hold an object with 'text' or an array of them, not "
                                f"{type(doc).__name__} (for one record per line use .jsonl)")


def _csv_encoding(head: bytes) -> str:
    enc = sniff_encoding(head)
    if enc is not None:
        return enc
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        from flashpoint.ingest.decode import PREFERRED_ENCODING, detect_encoding

        return detect_encoding(head, exc.start) or PREFERRED_ENCODING


def read_csv(fh: IO[bytes], name: str, published: date | None = None, delimiter: str = ",") -> Iterator[Item]:
    """A .csv/.tsv file with a header row naming a 'text' column (and optionally id, title, published or date,
    url, source): one article per row, read row by row."""
    fh = _peekable(fh)
    head = _head(fh)
    if _binary_head(head) and sniff_encoding(head) is None:
        yield IngestError(name, "binary data, not CSV")
        return
    enc = _csv_encoding(head)
    notes = [] if enc.startswith("utf-8") else [f"decoded as {enc} (not UTF-8)"]
    text = io.TextIOWrapper(fh, encoding=enc, errors="replace", newline="")
    old_limit = csv.field_size_limit(limits.MAX_RECORD_BYTES)
    try:
        yield from _csv_rows(csv.reader(text, delimiter=delimiter), name, published, notes)
    finally:
        csv.field_size_limit(old_limit)
        text.detach()


def _csv_rows(reader, name: str, published: date | None, notes: list[str]) -> Iterator[Item]:
    try:
        header = next(reader, None)
    except csv.Error as exc:
        header, bad = None, exc
    else:
        bad = None
    if not header:
        yield IngestError(name, f"bad CSV header: {bad}" if bad else "empty input (no CSV header)")
        return
    columns = [h.strip().lower() for h in header]
    if "text" not in columns:
        yield IngestError(name, f"no 'text' column in the CSV header (columns: {', '.join(columns)[:200]})")
        return
    n, last = 0, reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield IngestError(f"{name}:{reader.line_num}", f"bad CSV row ({exc})")
            if reader.line_num == last:
                return
            last = reader.line_num
            continue
        last = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        n += 1
        yield article_from_record(dict(zip(columns, row)), f"{name}:{reader.line_num}", published, notes)
    if not n:
        yield IngestError(name, "empty input (no CSV rows)")


def _read_file(fh: IO[bytes], path: Path, item: str, published: date | None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(fh, item, published)
        return
    if suffix in CSV_DELIMITERS:
        yield from read_csv(fh, item, published, CSV_DELIMITERS[suffix])
        return
    decoded = _decoded(_read_bounded(fh, item), item)
    if isinstance(decoded, IngestError):
        yield decoded
    elif suffix in JSON_SUFFIXES:
        yield from read_json_document(decoded.text, item, published, _notes(decoded))
    else:
        yield article_from_text(decoded.text, item, id=limits.clean_name(path.stem), published=published,
                                html=suffix in HTML_SUFFIXES or looks_like_html(decoded.text),
                                notes=_notes(decoded))


def read_path(path: Path, published: date | None = None) -> Iterator[Item]:
    """The items of one file, or of every readable file under a directory (sorted)."""
    item = limits.clean_name(str(path))
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        if not files:
            yield IngestError(item, f"no {'/'.join(sorted(SUFFIXES))} files in directory")
        for f in files:
            yield from read_path(f, published)
        return
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            yield IngestError(item, "not a regular file (a FIFO, socket or device); pipe it in and pass '-'")
            return
        with path.open("rb") as fh:
            yield from _read_file(fh, path, item, published)
    except OSError as exc:
        yield IngestError(item, f"cannot read: {exc.strerror or exc}")


def _json_lines_likely(text: str, complete: bool = True) -> bool:
    """Text starting with '{' or '[' whose first lines include a JSON value, or whose first line is longer than
    the text at hand (``complete`` False: ``text`` is only the first bytes of a stream)."""
    text = text.lstrip("\ufeff \t\r\n")
    if text[:1] not in ("{", "["):
        return False
    lines = text.split("\n")
    if not complete:
        if len(lines) == 1:
            return True
        lines = lines[:-1]
    return any(_is_json(ln) for ln in lines[:SNIFF_LINES] if ln.strip())


def read_stream(fh: IO[bytes], published: date | None = None, name: str = "<stdin>") -> Iterator[Item]:
    """Standard input: JSON lines (streamed) when it starts with a JSON object line, one JSON document (an array
    of records or a record), or one text/HTML article."""
    fh = _peekable(fh)
    head = _head(fh)
    if (sniff_encoding(head) in (None, "utf-8-sig") and head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1] == b"{"
            and _json_lines_likely(head.decode("utf-8", errors="replace"), complete=False)):
        yield from read_jsonl(fh, name, published)
        return
    decoded = _decoded(_read_bounded(fh, name), name)
    if isinstance(decoded, IngestError):
        yield decoded
        return
    text, notes = decoded.text, _notes(decoded)
    start = text.lstrip()[:1]
    if start in ("[", "{") and _is_json(text):
        yield from read_json_document(text, name, published, notes)
    elif _json_lines_likely(text):
        yield from read_jsonl_lines(text.split("\n"), name, published, notes)
    else:
        yield article_from_text(text, name, id="stdin", published=published, html=looks_like_html(text), notes=notes)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def read_inputs(paths: Iterable[str], published: date | None = None) -> Iterator[Item]:
    """Articles (or per-item errors) from files, directories and ``-`` (stdin), in order, lazily."""
    for p in paths:
        if p == "-":
            yield from read_stream(sys.stdin.buffer, published)
            continue
        path = Path(p)
        if not path.exists() and not path.is_symlink():
            yield IngestError(limits.clean_name(p), "no such file or directory")
            continue
        yield from read_path(path, published)
