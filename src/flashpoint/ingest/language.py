"""Is an article English? A light, offline test on its words.

flashpoint's models and rules read English only; another language gives no events and no warning, so the readers
skip such an article with a reason. A text is taken as not English when most of its letters are outside the Latin
script (Arabic, Cyrillic, Chinese, ...), or when the function words of the main other Latin-script languages of
conflict news (Spanish, French, Portuguese, Italian, German, Dutch, Turkish, Indonesian) clearly outnumber the
English ones. English sentences full of names and numbers have few English function words, so their absence alone
is not enough; words the languages share with English ("a", "in", "no", "de" in names) are not counted.
Short texts are never judged.
"""
from __future__ import annotations

import re

MIN_WORDS = 20  # fewer words than this: too little to judge, taken as English
MAX_NON_LATIN_SHARE = 0.5  # more letters than this share outside A-Z and Latin-1/Latin Extended: not English
MIN_FOREIGN_SHARE = 0.12  # at least this share of foreign function words ...
FOREIGN_OVER_ENGLISH = 2.0  # ... and this many times the English ones: not English
SAMPLE_CHARS = 20_000  # judge on the first this many characters

ENGLISH_FUNCTION_WORDS = frozenset("""
the and of to that with was were for from have has had this which they their them it its is are by at be been
said after not but or an as who will would there than also when into about against over what our we he she his her
""".split())

FOREIGN_FUNCTION_WORDS = frozenset("""
el la los las del que y por para con una un su sus es fue han ha se al como pero más entre sobre desde contra
le les des du et est dans pour une qui sur au aux avec ont été pas ce cette sont par
der die das und ist nicht mit von den dem des ein eine im zu auf für sich wurde wurden bei nach aus
il che di della delle degli nel è sono gli alla dal per non
het een van zijn op voor niet met ook werd
do dos das em uma não pelo pela foi são ao na nos
ve bir bu ile için olarak da ne
dan yang di dari ini itu dengan untuk dalam tidak akan pada
""".split()) - ENGLISH_FUNCTION_WORDS

_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_\x00-\u024f]")  # a letter beyond Basic Latin, Latin-1, Latin Extended-A/B


def word_shares(text: str) -> tuple[int, float, float, float]:
    """(words, share of non-Latin letters, share of English function words, share of foreign ones) in the first
    ``SAMPLE_CHARS`` characters."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample)
    if not words:
        return 0, 0.0, 0.0, 0.0
    letters = sum(map(len, words))
    non_latin = 0.0 if sample.isascii() else len(_NON_LATIN_LETTER.findall(sample)) / letters
    english = foreign = 0
    for w in map(str.lower, words):
        if w in ENGLISH_FUNCTION_WORDS:
            english += 1
        elif w in FOREIGN_FUNCTION_WORDS:
            foreign += 1
    return len(words), non_latin, english / len(words), foreign / len(words)


def not_english_reason(text: str) -> str | None:
    """Why ``text`` is taken as not English, or None."""
    n, non_latin, english, foreign = word_shares(text)
    if n < MIN_WORDS:
        return None
    if non_latin > MAX_NON_LATIN_SHARE:
        return f"skipped: not English ({non_latin:.0%} of the letters are not Latin); flashpoint reads English only"
    if foreign >= MIN_FOREIGN_SHARE and foreign >= FOREIGN_OVER_ENGLISH * english:
        return (f"skipped: not English ({foreign:.0%} of {n} words are Spanish/French/German/... function words, "
                f"{english:.0%} English ones); flashpoint reads English only")
    return None
