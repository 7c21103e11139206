"""Name normalisation for place matching, robust to Arabic (and other) romanisation.

Two keys per name:

* ``name_key``: a normalised form in which the usual romanisation variants coincide
  (``Khan Toman`` / ``Khan Tuman``, ``Qalaajiya`` / ``Al Qal`ajiyah``, ``al Eis`` / ``Al Is``);
* ``skeleton``: the consonant skeleton of that key (vowels and the glides ``y``/``w``
  dropped), used as a blocking key for the fuzzy fallback (``Zirba`` / ``Az Zarbah``,
  ``Zitan`` / ``Zaytan``, ``Kefraya`` / ``Kafraya``).

Names written in a non-Latin script keep their own (case-folded, mark-stripped) form as
key: transliterating them with unidecode produces noisy keys that would collide with
unrelated Latin names.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz
from unidecode import unidecode

# Arabic article (and its sun-letter assimilations) written as a separate word or with a hyphen.
ARTICLES = frozenset({"al", "el", "as", "ash", "az", "ad", "ar", "at", "an", "ath", "adh", "ed", "es", "et",
                      "ez", "er", "en", "ul", "il", "l"})
# Generic words that follow (or precede) a name and are not part of it.
GENERIC = frozenset({
    "town", "city", "village", "villages", "province", "governorate", "governorates", "district",
    "region", "oblast", "raion", "rayon", "county", "municipality", "suburb", "subdistrict",
    "sub-district", "countryside", "neighbourhood", "neighborhood", "area", "camp", "state",
    "muhafazat", "muhafazah", "mintaqat", "nahiyat", "qada", "qadaa", "wilayah", "wilayat",
    "ostan", "ostan-e", "provincia", "departement", "department", "prefecture", "hamlet",
})

_APOS = re.compile(r"[`'\u2018\u2019\u02bf\u02be\u02bc\u02bb\u00b4\u2032ʿʾ]")
_NONALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_DOUBLE = re.compile(r"([a-z])\1+")
_NONWORD = re.compile(r"[^\w ]+")
# Arabic harakat, tatweel, zero-width characters, and common combining marks are dropped
_NONLATIN_TABLE = {c: None for c in [*range(0x064B, 0x0660), 0x0670, 0x0640, 0x200C, 0x200D, 0x200E, 0x200F,
                                      *range(0x0300, 0x0370)]}
_SKEL_DROP = re.compile(r"[aeiouyw ]+")
_LATIN_RATIO = 0.6

# ordered digraph / vowel rewrites applied to the article-less, space-less key
_REWRITES = (
    ("kh", "h"), ("gh", "g"), ("ch", "sh"), ("dh", "d"), ("th", "t"), ("ph", "f"),
    ("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ie", "i"), ("ey", "i"),
    ("ay", "i"), ("ai", "i"), ("aa", "a"),
    ("q", "k"), ("g", "k"), ("c", "k"), ("x", "ks"),
    ("o", "u"), ("e", "i"), ("v", "w"),
)


def _strip_marks(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def is_latin(name: str) -> bool:
    if name.isascii():
        return True
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return True
    latin = sum(1 for ch in letters if ord(ch) < 0x250 or 0x1E00 <= ord(ch) <= 0x1EFF)
    return latin / len(letters) >= _LATIN_RATIO


# ASCII clean-up table: apostrophes vanish, every other non-alphanumeric becomes a space
_ASCII_TABLE = {i: " " for i in range(128) if not chr(i).isalnum()}
_ASCII_TABLE.update({ord("'"): None, ord("`"): None})
_APOS_TABLE = {ord(c): None for c in "`'\u2018\u2019\u02bf\u02be\u02bc\u02bb\u00b4\u2032"}


def words(name: str) -> list[str]:
    """Lowercase ASCII words of a Latin-script name, apostrophes and ayn/hamza removed,
    hyphens and punctuation as separators."""
    if not name.isascii():
        name = unidecode(name.translate(_APOS_TABLE))
    return name.lower().translate(_ASCII_TABLE).split()


def _content_words(ws: list[str]) -> list[str]:
    out = [w for w in ws if w not in ARTICLES]
    # drop generic suffix/prefix words ("Zirba town", "Idlib Province", "city of Aleppo")
    while len(out) > 1 and out[-1] in GENERIC:
        out.pop()
    while len(out) > 1 and out[0] in GENERIC:
        out.pop(0)
    if len(out) > 1 and out[0] == "of":
        out.pop(0)
    # glued articles: "alfoua", "assafira" are left alone (too risky), but "al-" was split above
    return out or [w for w in ws if w not in GENERIC] or ws


def _squash(w: str) -> str:
    for a, b in _REWRITES:
        if a in w:
            w = w.replace(a, b)
    w = _DOUBLE.sub(r"\1", w)
    return w


def _ending(s: str) -> str:
    # -ah / -a / -eh (taa marbuta) endings; after the rewrites e->i so "-ih" too
    for suf in ("ah", "ih", "a", "h"):
        if len(s) - len(suf) >= 2 and s.endswith(suf):
            return s[: -len(suf)]
    return s


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Normalised matching key of a place name ('' when nothing is left)."""
    return raw_key(name)


def raw_key(name: str) -> str:
    """``name_key`` without the cache (used for bulk index builds)."""
    if not name:
        return ""
    if not is_latin(name):
        s = name.casefold().translate(_NONLATIN_TABLE)
        if s.startswith("ال"):  # Arabic article
            s = s[2:]
        return " ".join(_NONWORD.sub(" ", s).split())
    ws = words(name)
    if len(ws) > 1:
        ws = _content_words(ws)
    elif ws and ws[0] in ARTICLES:
        return ""
    return _ending("".join(_squash(w) for w in ws))


@lru_cache(maxsize=200_000)
def skeleton(key: str) -> str:
    """Consonant skeleton of a key (only for Latin keys; '' otherwise)."""
    return raw_skeleton(key)


def raw_skeleton(key: str) -> str:
    if not key or not key.isascii():
        return ""
    return _DOUBLE.sub(r"\1", _SKEL_DROP.sub("", key))


def keys(name: str) -> tuple[str, str]:
    k = name_key(name)
    return k, skeleton(k)


def ascii_name(name: str) -> str:
    return unidecode(name)


def similarity(a: str, b: str) -> float:
    """0..100 similarity of two keys (rapidfuzz ratio on the normalised keys)."""
    return fuzz.ratio(a, b)


def match_score(query: str, candidate: str) -> float:
    """0..1 how well a candidate name matches the query name (exact key = 1)."""
    qk, ck = name_key(query), name_key(candidate)
    if not qk or not ck:
        return 0.0
    if qk == ck:
        return 1.0
    s = fuzz.ratio(qk, ck) / 100.0
    if skeleton(qk) and skeleton(qk) == skeleton(ck):
        s = max(s, 0.85)
    return s


# "Maaret Alnouman", "Khan Alsibil", "Qibtan Aljabal": the Arabic article glued to the word after it. Only
# a word of at least this many letters is split ("Alnouman" -> "al nouman"), never a first word ("Aleppo",
# "Albania"), and the caller uses the split form only when the written form matches nothing.
GLUED_ARTICLE_MIN_LEN = 5
_GLUED_ARTICLE = re.compile(r"^al([b-df-hj-np-tv-z])", re.I)


def unglued(name: str, first_too: bool = False) -> str:
    """``name`` with a glued Arabic article split off its words ("Maaret Alnouman" -> "Maaret al nouman");
    the first word only with ``first_too`` ("Alzorba" in a list of villages). Returns ``name`` unchanged when
    no word has one."""
    ws = name.split()
    out = []
    for n, w in enumerate(ws):
        if (n > 0 or first_too) and len(w) >= GLUED_ARTICLE_MIN_LEN and _GLUED_ARTICLE.match(w):
            w = w[:2] + " " + w[2:]
        out.append(w)
    return " ".join(out)
