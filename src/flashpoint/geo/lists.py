"""Places of a list whose commas were lost.

Flattened news often drops the commas of a list of villages, so the list arrives as one run of capitalised
words: "Russian jets struck the towns of Tal Minnis Sarmada and Maaret Alnouman" (FA-KES). spaCy then tags
"Tal Minnis Sarmada" as one PERSON and the gazetteer n-grams find one name or none.

After a list cue ("villages of", "the towns of", "the town of X and Y", "neighbourhoods of", "in X Y and Z")
the run up to its last item (the one after "and"/"&") is segmented into the sequence of gazetteer names that
covers it, longest names first, matched by the transliteration-proof keys of ``names.py`` (a fuzzy reading of
the same kind the resolver accepts when no key matches). The segmentation is accepted only when every piece is
a populated place or district of the focus country, so ordinary capitalised prose after "of" ("the Ministry
of Defence and Foreign Affairs") is never split into places. Each piece becomes its own toponym, resolved with
the usual context. Runs only where a cue is present, and changes nothing when every item of the list is one
name (the usual recognition handles those).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Doc

from flashpoint.geo import names as N
from flashpoint.geo import recognize as R
from flashpoint.geo.gazetteer import Place, get_gazetteer
from flashpoint.geo.resolve import REGION_HINTS

# "the villages of X Y and Z", "the neighbourhoods of Seif al Dawla and Zubdiya"
LIST_NOUNS = frozenset({"villages", "towns", "cities", "areas", "neighbourhoods", "neighborhoods", "districts",
                        "suburbs", "hamlets", "settlements", "localities", "communities", "quarters", "camps",
                        "provinces", "governorates", "regions"})
# "the town of Sabqa and Hammuriyah": a singular noun cues a list only with an "and" in the run
SINGULAR_LIST_NOUNS = frozenset({"town", "village", "city", "area", "district", "neighbourhood", "neighborhood"})
# nouns whose items are first-level divisions ("the provinces of Aleppo Idlib and Hama")
DIVISION_NOUNS = frozenset({"provinces", "governorates", "regions"})
# nouns whose items are towns and villages: the pieces get the "local" hint
LOCAL_NOUNS = frozenset({"villages", "towns", "cities", "hamlets", "settlements", "suburbs", "neighbourhoods",
                         "neighborhoods", "town", "village", "city", "neighbourhood", "neighborhood"})
# "fighting in Tal Minnis Sarmada and Maaret Alnouman": a weaker cue, accepted with exact names only
IN_CUES = frozenset({"in", "near", "around"})
# quarters of a city ("the neighborhoods of al-Shaar al-Ansari Qazi Askar and Qastal Harami"): the gazetteer
# seldom has them, and a village spelled nearly so elsewhere is not one: exact names only
CITY_PART_NOUNS = frozenset({"neighbourhoods", "neighborhoods", "districts", "quarters", "suburbs", "areas",
                             "neighbourhood", "neighborhood", "district", "area"})
LIST_SEPARATORS = frozenset({"and", "&", ","})
MAX_RUN_TOKENS = 20  # tokens of one list run
# capitalised words of one name (glue words and hyphens not counted: "Khirbat-Jawed", "Jubb al Jarrah",
# "al-Shindakhiyeh al-Shamaliyeh")
MAX_PIECE_WORDS = 4
MAX_FUZZY_PIECE_WORDS = 3
# a piece's key is at least this long: "Tam" of "the villages of Khirbat-Jawed Tam Hawa and Abu Laffah" is not
# the hamlet whose key is 'tam'
MIN_PIECE_KEY = 4
# a fuzzy reading in the focus country ("al-Shindakhiyeh al-Shamaliyeh" ~ Shundakhiyah ash Shamaliyah, 0.89);
# a bare skeleton match (0.82: "al-Ansari" ~ Nasiriyah) is not enough
FUZZY_PIECE_MIN = 0.85
MAX_FUZZY_PIECES = 2  # names of one list read only fuzzily: more and the run is more likely not a list of places
EXACT_PIECE_COST = 1.0
FUZZY_PIECE_COST = 1.6  # a fuzzy name costs more than a name matched by its key
MIN_EXACT_PIECES = 1  # a list of nothing but fuzzy readings is more likely prose than villages
POPULATED_CODES = frozenset({"ADM2", "ADM3", "ADM4", "ADMD"})
# first words of Arabic place names ("destroyed in Kafar Hamra and Arran": Kafr Hamra, not a place "Kafar" and a
# place "Hamra"): a name never ends on one
NAME_HEADS = frozenset({"kafr", "kafar", "kfar", "kefr", "tal", "tall", "tel", "tell", "deir", "dayr", "der", "ain",
                        "ayn", "ein", "abu", "um", "umm", "bir", "khirbet", "khirbat", "khirba", "jubb", "jub",
                        "khan", "beit", "bayt", "ras", "wadi", "jabal", "jebel", "sheikh", "shaykh", "maarat",
                        "maaret", "marat", "mazraat", "qasr", "qalaat", "hamam", "hammam", "bab", "bani", "beni"})


@dataclass
class _Run:
    cue: str  # the cue word ("villages", "town", "in")
    start: int  # first token of the run
    end: int  # token after the run
    chunks: list  # [(a, b)] token spans of the items written between separators


def _is_sep(lw: str) -> bool:
    return lw in LIST_SEPARATORS


def _run_after(dc, k: int, cue: str) -> Optional[_Run]:
    """The run of capitalised names, glue words and separators starting at token ``k``; None unless its last
    separator is "and"/"&" and some item before it has more than one capitalised word."""
    n = len(dc.lw)
    if k < n and dc.lw[k] == "the":
        k += 1
    j = k
    seen_and = False
    while j < n and j - k < MAX_RUN_TOKENS:
        t, lw = dc.texts[j], dc.lw[j]
        cap = dc.alpha[j] and t[:1].isupper()
        if lw in N.GENERIC or lw in REGION_HINTS or lw in R.not_places():
            break
        if not (cap or lw in N.ARTICLES or lw in R.GLUE or t in ("-", "'") or _is_sep(lw)):
            break
        if _is_sep(lw) and seen_and:
            break  # the item after "and" ends the list ("... and Maaret Alnouman, Idlib")
        seen_and = seen_and or lw in ("and", "&")
        j += 1
    while j > k and not (dc.alpha[j - 1] and dc.texts[j - 1][:1].isupper()):
        j -= 1  # ends on a capitalised word
    chunks, a = [], k
    last_sep = None
    for x in range(k, j + 1):
        if x == j or _is_sep(dc.lw[x]):
            if a < x:
                chunks.append((a, x))
            if x < j:
                last_sep = dc.lw[x]
            a = x + 1
    if len(chunks) < 2 or last_sep not in ("and", "&"):
        return None
    if not any(sum(1 for x in range(a, b) if dc.alpha[x] and dc.texts[x][:1].isupper()) > 1 for a, b in chunks[:-1]):
        return None  # every item is one word: nothing was run together
    return _Run(cue, k, j, chunks)


def find_runs(doc: Doc) -> list[_Run]:
    """List runs after a cue: "<plural place noun> of", "the town of X and Y", "in X Y and Z"."""
    dc = R._cache(doc)
    lw = dc.lw
    out = []
    for k in range(1, len(lw) - 2):
        cue = None
        if lw[k] == "of" and (lw[k - 1] in LIST_NOUNS or lw[k - 1] in SINGULAR_LIST_NOUNS):
            cue = lw[k - 1]
        elif lw[k] in IN_CUES:
            cue = "in"
        if cue is None:
            continue
        run = _run_after(dc, k + 1, cue)
        if run is not None and not (out and run.start < out[-1].end):
            out.append(run)
    return out


def _fits(p: Place, focus: str, cue: str) -> bool:
    """A populated place or district of the focus country (a first-level division after "provinces of")."""
    if p.country != focus:
        return False
    return p.fclass == "P" or p.fcode in POPULATED_CODES or (cue in DIVISION_NOUNS and p.fcode == "ADM1")


def _piece_ends(dc, a: int, b: int) -> list[int]:
    """Ends y (longest first) of the token spans [a, y) within [a, b) holding at most ``MAX_PIECE_WORDS``
    capitalised words."""
    out, words = [], 0
    for y in range(a, b):
        if dc.alpha[y] and dc.texts[y][:1].isupper():
            words += 1
            if words > MAX_PIECE_WORDS:
                break
        out.append(y + 1)
    return out[::-1]


def _words(dc, a: int, b: int) -> int:
    return sum(1 for x in range(a, b) if dc.alpha[x] and dc.texts[x][:1].isupper())


def _piece_ok(dc, a: int, b: int) -> bool:
    """Token span [a, b) can be one name: starts with a capitalised word or an article before one, ends on a
    capitalised word, holds no separator."""
    first, last = dc.texts[a], dc.texts[b - 1]
    if not (dc.alpha[b - 1] and last[:1].isupper()) or dc.lw[b - 1] in NAME_HEADS:
        return False
    if not (dc.alpha[a] and first[:1].isupper()) and not (dc.lw[a] in N.ARTICLES and b - a > 1):
        return False
    return not any(_is_sep(dc.lw[x]) for x in range(a, b))


class _Matcher:
    """Readings of a candidate piece in the focus country, exact (key, or key of the glued-article split) or
    fuzzy; memoised per run."""

    def __init__(self, dc, focus: str, cue: str):
        self.dc, self.focus, self.cue = dc, focus, cue
        self.memo: dict = {}

    def exact(self, a: int, b: int) -> tuple:
        key = ("x", a, b)
        if key not in self.memo:
            text = self.dc.span_text(a, b)
            g = get_gazetteer()
            ks = [k for k in (N.name_key(text), N.name_key(N.unglued(text, first_too=True))) if len(k) >= MIN_PIECE_KEY]
            found = g.lookup_keys(ks)
            self.memo[key] = tuple({p.pid: p for k in ks for p in found.get(k, ())
                                    if _fits(p, self.focus, self.cue)}.values())
        return self.memo[key]

    def fuzzy(self, a: int, b: int) -> tuple:
        key = ("f", a, b)
        if key not in self.memo:
            text = N.unglued(self.dc.span_text(a, b), first_too=True)
            ok = len(N.name_key(text)) >= MIN_PIECE_KEY and _words(self.dc, a, b) <= MAX_FUZZY_PIECE_WORDS
            fz = get_gazetteer().fuzzy(text, self.focus, min_score=FUZZY_PIECE_MIN) if ok else ()
            self.memo[key] = tuple(p for p, _ in fz if _fits(p, self.focus, self.cue))
        return self.memo[key]


def _segment(m: _Matcher, a: int, b: int, fuzzy: bool) -> Optional[list]:
    """Cheapest cover of tokens [a, b) by names (fewest pieces, exact before fuzzy):
    [(start, end, exact)] or None."""
    dc = m.dc
    best: list = [None] * (b - a + 1)
    best[0] = (0.0, [])
    for x in range(a, b):
        if best[x - a] is None:
            continue
        cost0, seq = best[x - a]
        for y in _piece_ends(dc, x, b):
            if not _piece_ok(dc, x, y):
                continue
            if m.exact(x, y):
                c = cost0 + EXACT_PIECE_COST
                ex = True
            elif fuzzy and m.fuzzy(x, y):
                c = cost0 + FUZZY_PIECE_COST
                ex = False
            else:
                continue
            if best[y - a] is None or c < best[y - a][0]:
                best[y - a] = (c, seq + [(x, y, ex)])
    return best[b - a][1] if best[b - a] else None


def _whole_name(m: _Matcher, a: int, b: int) -> bool:
    """Is the item [a, b) as written one name of the focus country, by its key or fuzzily?"""
    return _words(m.dc, a, b) <= MAX_PIECE_WORDS and _piece_ok(m.dc, a, b) and bool(m.exact(a, b) or m.fuzzy(a, b))


def _last_item(m: _Matcher, a: int, b: int, fuzzy: bool) -> Optional[tuple]:
    """The item after "and", one name written in full ("... and Qastal Harami" is not the village Qastal)."""
    if _words(m.dc, a, b) > MAX_PIECE_WORDS or not _piece_ok(m.dc, a, b):
        return None
    if m.exact(a, b):
        return (a, b, True)
    if fuzzy and m.fuzzy(a, b):
        return (a, b, False)
    return None


def segment_run(doc: Doc, run: _Run, focus: str) -> Optional[list]:
    """The names covering the run, every one a place of the focus country: [(start, end, places)] or None."""
    m = _Matcher(R._cache(doc), focus, run.cue)
    fuzzy = run.cue != "in" and run.cue not in CITY_PART_NOUNS
    pieces = []
    for a, b in run.chunks[:-1]:
        if _whole_name(m, a, b):
            pieces.append((a, b, bool(m.exact(a, b))))  # one name spelled otherwise ("Kafar Hamra" = Kafr Hamra)
            continue
        seg = _segment(m, a, b, fuzzy)
        if seg is None:
            return None
        pieces += seg
    last = _last_item(m, *run.chunks[-1], fuzzy)
    if last is None:
        return None
    pieces.append(last)
    n_exact = sum(1 for p in pieces if p[2])
    if len(pieces) <= len(run.chunks) or n_exact < MIN_EXACT_PIECES or len(pieces) - n_exact > MAX_FUZZY_PIECES:
        return None  # nothing to split, or too little matched by its key
    return [(x, y, m.exact(x, y) or m.fuzzy(x, y)) for x, y, _ in pieces]


# doc.user_data key of the segmented lists: [((start, end) char span of each name, ...), ...]
LISTS_KEY = "fp_geo_lists"


def list_mates(doc: Doc) -> dict:
    """(start, end) of a name of a segmented list -> the (start, end) of every name of that list."""
    out = {}
    for group in doc.user_data.get(LISTS_KEY) or ():
        for sp in group:
            out[sp] = group
    return out


def split_lists(doc: Doc, cands: list, focus: Optional[str]) -> list:
    """Replace the candidates inside each segmented list run by one gazetteer candidate per name (the lists
    are recorded under ``LISTS_KEY`` for the event's places)."""
    if not focus or not len(doc):
        return cands
    runs = find_runs(doc)
    if not runs:
        return cands
    dc = R._cache(doc)
    out = list(cands)
    for run in runs:
        pieces = segment_run(doc, run, focus)
        if not pieces:
            continue
        s, e = pieces[0][0], pieces[-1][1]
        inside = [c for c in out if c.tok_start < e and c.tok_end > s]
        if any(c.tok_start < s or c.tok_end > e for c in inside):
            continue  # a name reaching outside the run: leave the run to the usual recognition
        out = [c for c in out if not (c.tok_start < e and c.tok_end > s)]
        hint = "local" if run.cue in LOCAL_NOUNS else None
        doc.user_data.setdefault(LISTS_KEY, []).append(tuple((dc.starts[a], dc.ends[b - 1]) for a, b, _ in pieces))
        for a, b, places in pieces:
            c = R.Candidate(dc.starts[a], dc.ends[b - 1], dc.span_text(a, b), hint=hint, source="gazetteer",
                            tok_start=a, tok_end=b)
            c.extra.update(places=places, context=True, list_item=True,
                           loc_prep=run.cue == "in" or (a > 0 and dc.lw[a - 1] in ("in", "near", "at")))
            out.append(c)
    out.sort(key=lambda c: c.start)
    return out
