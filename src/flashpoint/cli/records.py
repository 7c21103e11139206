"""JSONL records for ``classify`` and ``geoparse``: read line by line (streamed), each bad line an error of its
own (malformed JSON, not an object, no text, bad spans) while the rest are still processed, in input order."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import IO, Callable, Iterable, Iterator, Optional, Union

from flashpoint.cli.common import STDIN, Ticker


@dataclass
class LineError:
    id: object  # the record's id when it had one, else the line reference
    message: str  # "<file>:<line>: <what is wrong>"

    def to_json(self) -> dict:
        return {"id": self.id, "errors": [self.message]}


Record = Union[dict, LineError]


def _clean(s: str) -> str:
    """A lone surrogate (valid JSON ``\\ud800``, common in scraped text) -> '?': same length, so offsets hold."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "replace").decode("utf-8")


def _parse(raw: bytes, ref: str, text_keys: tuple[str, ...]) -> Record:
    try:
        rec = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return LineError(ref, f"{ref}: not UTF-8 text")
    except json.JSONDecodeError as exc:
        return LineError(ref, f"{ref}: malformed JSON line ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return LineError(ref, f"{ref}: JSON nested too deeply")
    if not isinstance(rec, dict):
        return LineError(ref, f"{ref}: expected a JSON object, got {type(rec).__name__}")
    rid = rec.get("id")
    rid = _clean(rid) if isinstance(rid, str) else (ref if rid is None else rid)
    text = next((rec[k] for k in text_keys if isinstance(rec.get(k), str) and rec[k].strip()), None)
    if text is None:
        return LineError(rid, f"{ref}: missing or empty {text_keys[0]!r}")
    return {**rec, "id": rid, "text": _clean(text)}


def read_records(path: str, text_keys: tuple[str, ...] = ("text",),
                 check: Optional[Callable[[dict], Optional[str]]] = None) -> Iterator[Record]:
    """Records of a JSONL file (or ``-``: stdin) in order: a dict with ``id`` (the line reference
    ``file:line`` when it has none) and ``text`` (the first non-empty string of ``text_keys``), or a ``LineError``.
    ``check(record)`` returns a problem (a message) or None."""
    fh: IO[bytes] = sys.stdin.buffer if path == STDIN else open(path, "rb")
    name = "<stdin>" if path == STDIN else path
    try:
        for no, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            ref = f"{name}:{no}"
            rec = _parse(raw, ref, text_keys)
            problem = check(rec) if check is not None and isinstance(rec, dict) else None
            yield LineError(rec["id"], f"{ref}: {problem}") if problem else rec
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def check_spans(rec: dict) -> Optional[str]:
    """``toponyms``: a list of ``{"start", "end"}`` with integer offsets, 0 <= start < end <= len(text)."""
    spans = rec.get("toponyms")
    if spans is None:
        return None
    if not isinstance(spans, list):
        return "'toponyms' must be a list of {start, end}"
    n = len(rec["text"])
    for i, t in enumerate(spans):
        s, e = (t.get("start"), t.get("end")) if isinstance(t, dict) else (None, None)
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (s, e)):
            return f"toponyms[{i}]: start and end must be integers"
        if not 0 <= s < e <= n:
            return f"toponyms[{i}]: span {s}..{e} is not inside the text (0..{n}) with start < end"
    return None


def process_in_order(records: Iterable[Record], run: Callable[[list[dict]], Iterable[dict]], chunk: int,
                     out: IO[str], ticker: Ticker) -> int:
    """Write one JSON line per record, in input order: good records through ``run`` in chunks of ``chunk``, each
    bad one as ``{"id", "errors": [...]}`` (also printed to stderr). Returns the number of bad records."""
    pending: list[dict] = []
    n_bad = 0

    def flush() -> None:
        for row in run(pending):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            ticker.advance()
        pending.clear()

    for rec in records:
        if isinstance(rec, LineError):
            flush()
            n_bad += 1
            ticker.line("red", "error", rec.message)
            out.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
            ticker.advance()
            continue
        pending.append(rec)
        if len(pending) >= chunk:
            flush()
    flush()
    return n_bad
