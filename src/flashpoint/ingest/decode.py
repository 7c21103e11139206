"""Bytes -> text for the readers: byte-order marks, UTF-16 without one, UTF-8, and any other encoding that
charset-normalizer recognises; binary data is refused.

``decode(raw)`` returns ``Decoded(text, note)`` (``note`` names an encoding other than UTF-8, for a warning) or a
``str`` saying why the bytes are not text.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

SNIFF_BYTES = 64 * 1024  # bytes looked at to guess UTF-16 and to check for binary data
DETECT_WINDOW_BYTES = 64 * 1024  # bytes around the first non-UTF-8 byte given to charset-normalizer
UTF16_NUL_SHARE = 0.3  # UTF-16 of mostly-ASCII text: NUL in at least this share of the high bytes ...
UTF16_OTHER_NUL_SHARE = 0.05  # ... and in at most this share of the low bytes
MAX_CONTROL_SHARE = 0.02  # more control characters (or U+FFFD) than this share of the text: binary, not text
CHAOS_TIE = 0.01  # charset-normalizer matches this close to the best count as equally good
PREFERRED_ENCODING = "cp1252"  # among equally good matches: the Western encoding of most English-language pages

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass
class Decoded:
    text: str
    note: str | None = None  # "decoded as cp1252 (not UTF-8)" when the input was not UTF-8


def sniff_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark or a UTF-16 NUL pattern in the first bytes shows, else None."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return enc
    sample = head[:SNIFF_BYTES]
    half = len(sample) // 2
    if half < 2:
        return None
    even = sum(1 for b in sample[0::2] if b == 0) / half
    odd = sum(1 for b in sample[1::2] if b == 0) / half
    if odd >= UTF16_NUL_SHARE and even <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE and odd <= UTF16_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def looks_binary(text: str) -> bool:
    """Too many control characters or replacement characters for text."""
    sample = text[:SNIFF_BYTES]
    if not sample:
        return False
    bad = sum(1 for c in sample if (c < " " and c not in _TEXT_CONTROLS) or c in "\x7f\ufffd")
    return bad / len(sample) > MAX_CONTROL_SHARE


def detect_encoding(raw: bytes, first_bad: int = 0) -> str | None:
    """charset-normalizer's guess for ``raw`` (looking at a window around byte ``first_bad``), preferring
    ``PREFERRED_ENCODING`` among equally good matches; None when nothing fits (binary data)."""
    from charset_normalizer import from_bytes

    start = max(0, first_bad - DETECT_WINDOW_BYTES // 2)
    # UTF-16/32 without a byte-order mark is taken only from the NUL pattern (``sniff_encoding``): guessed from
    # other bytes it is random data read as CJK characters
    matches = [m for m in from_bytes(raw[start:start + DETECT_WINDOW_BYTES])
               if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= best + CHAOS_TIE]
    for m in tied:
        if PREFERRED_ENCODING in m.could_be_from_charset:
            return PREFERRED_ENCODING
    return tied[0].encoding


def decode(raw: bytes) -> Decoded | str:
    """The text of ``raw``, or why it is not text."""
    if not raw.strip():
        return "empty input"
    note = None
    enc = sniff_encoding(raw[:SNIFF_BYTES])
    if enc is not None:
        text = raw.decode(enc, errors="replace")
        if not enc.startswith("utf-8"):
            note = f"decoded as {enc.upper()}"
    elif b"\x00" in raw[:SNIFF_BYTES]:
        return "binary data (NUL bytes), not text"
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            enc = detect_encoding(raw, exc.start)
            if enc is None:
                return "binary data or an unknown encoding, not text"
            text = raw.decode(enc, errors="replace")
            note = f"decoded as {enc} (not UTF-8)"
    if looks_binary(text):
        return "binary data (control characters), not text"
    if not text.strip():
        return "empty input"
    return Decoded(text, note)


def decode_line(raw: bytes, fallback: str | None) -> tuple[str, str | None, str | None]:
    """One JSONL line: ``(text, encoding used if not UTF-8, fallback encoding to keep for later lines)``.

    UTF-8 first; a line that is not UTF-8 is decoded with the file's fallback encoding, found (once) by
    charset-normalizer on that line, else Windows-1252."""
    try:
        return raw.decode("utf-8"), None, fallback
    except UnicodeDecodeError as exc:
        fallback = fallback or detect_encoding(raw, exc.start) or PREFERRED_ENCODING
        return raw.decode(fallback, errors="replace"), fallback, fallback
