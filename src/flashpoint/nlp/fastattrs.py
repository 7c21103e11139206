"""``fp_fast_attrs``: the model's ``attribute_ruler`` + ``lemmatizer`` with a per-process cache.

The two rule components set POS, MORPH and LEMMA (and, for two patterns, TAG/DEP) from token attributes
the tagger and parser already predicted. In en_core_web_sm they cost about as much as the parser (~5 ms per
FA-KES article), almost all of it Python per-token overhead. Their output for a token depends only on its
text, tag and dependency label, plus the neighbour for the few two-token patterns ("there is", "gon na",
"let 's"). This component computes each distinct key once, by running the REAL components (on the Doc itself
while most keys are new, else on one small Doc of the unseen tokens with their neighbours), caches the
result, and writes a whole Doc's POS/MORPH/LEMMA with one ``Doc.from_array`` call. The output is the same as the two components' (``tests/test_triage.py`` checks
every token of the FA-KES articles and the founding article when the data are present).

Off switch: ``FLASHPOINT_FAST_ATTRS=0``.
"""

import os
import re

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from flashpoint.settings import settings

ENV = "FLASHPOINT_FAST_ATTRS"
_FIELDS = [ORTH, TAG, DEP, LOWER]
_OUT = [POS, MORPH, LEMMA]
_RESULT = [TAG, DEP, POS, MORPH, LEMMA]
MAX_CACHE = 500_000
WHOLE_DOC_SHARE = 4  # at least 1 token in 4 unseen: run the real components on the whole Doc
SEPARATOR = "|"


def enabled() -> bool:
    return settings().fast_attrs


class FastAttrs:
    def __init__(self, nlp: Language, ruler_name: str = "attribute_ruler", lemmatizer_name: str = "lemmatizer"):
        self.vocab = nlp.vocab
        self.ruler = nlp.get_pipe(ruler_name)
        self.lemmatizer = nlp.get_pipe(lemmatizer_name)
        self.cache: dict[tuple, tuple[int, int, int, int, int]] = {}
        self.first_lowers, self.first_regexes, self.first_deps = self._context_triggers()
        self._lower_starts: dict[int, bool] = {}

    def _context_triggers(self):
        """What a token must look like to start a multi-token pattern (then its neighbours matter)."""
        lowers, regexes, deps = set(), [], set()
        for p in self.ruler.patterns:
            for pat in p["patterns"]:
                if len(pat) < 2:
                    continue
                first = pat[0]
                low, dep = first.get("LOWER"), first.get("DEP")
                if isinstance(low, str):
                    lowers.add(low)
                elif isinstance(low, dict) and "IN" in low:
                    lowers.update(low["IN"])
                elif isinstance(low, dict) and "REGEX" in low:
                    regexes.append(re.compile(low["REGEX"]))
                elif isinstance(dep, str):
                    deps.add(self.vocab.strings.add(dep))
                else:  # a pattern this cache cannot reason about: every token gets its full context
                    return None, None, None
        return ({self.vocab.strings.add(x) for x in lowers}, regexes, deps)

    def _starts_pattern(self, lower: int, dep: int) -> bool:
        if self.first_lowers is None:
            return True
        if dep in self.first_deps:
            return True
        hit = self._lower_starts.get(lower)
        if hit is None:
            s = self.vocab.strings[lower]
            hit = lower in self.first_lowers or any(r.search(s) for r in self.first_regexes)
            self._lower_starts[lower] = hit
        return hit

    def _compute(self, doc: Doc, miss: list[int], keys: list[tuple]) -> list[tuple[int, ...]]:
        """Run the real components on the missed tokens, each with the neighbours its key holds (the previous
        token when that one starts a multi-token pattern, the next when the token itself starts one), joined into
        one Doc, and read the missed tokens. A neutral separator token (it starts and continues no pattern) goes
        between two windows only where the first one ends with a token that starts a pattern: elsewhere no
        pattern can span the join. (Windows of one token where possible: the mini Doc is half as long as with
        fixed [i-1, i, i+1] windows and separators everywhere, the same annotations.)"""
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        deps: list[str] = []
        mids: list[int] = []
        last_starts = False
        for i in miss:
            _orth, _tag, _dep, prev, nxt = keys[i]
            lo, hi = (i - 1 if prev is not None else i), (i + 2 if nxt is not None else i + 1)
            if words and last_starts:
                words.append(SEPARATOR)
                spaces.append(True)
                tags.append("NFP")
                deps.append("dep")
            mids.append(len(words) + i - lo)
            for j in range(lo, hi):
                t = doc[j]
                words.append(t.text)
                spaces.append(bool(t.whitespace_))
                tags.append(t.tag_)
                deps.append(t.dep_)
            last = doc[hi - 1]
            last_starts = self._starts_pattern(last.lower, last.dep)
        mini = Doc(self.vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=list(range(len(words))))
        mini = self.lemmatizer(self.ruler(mini))
        res = mini.to_array(_RESULT).tolist()
        return [tuple(res[m]) for m in mids]

    def _whole(self, doc: Doc, keys: list[tuple]) -> Doc:
        """Many unseen keys: run the real components on the Doc itself and learn every token."""
        doc = self.lemmatizer(self.ruler(doc))
        if len(self.cache) < MAX_CACHE:
            for k, v in zip(keys, doc.to_array(_RESULT).tolist()):
                self.cache.setdefault(k, tuple(v))
        return doc

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array(_FIELDS).tolist()
        starts = [self._starts_pattern(a[3], a[2]) for a in arr]
        keys = [(orth, tag, dep, tuple(arr[i - 1][1:]) if i and starts[i - 1] else None,
                 tuple(arr[i + 1][1:]) if starts[i] and i + 1 < n else None)
                for i, (orth, tag, dep, _lower) in enumerate(arr)]
        cache = self.cache
        miss = [i for i, k in enumerate(keys) if k not in cache]
        if len(miss) * WHOLE_DOC_SHARE >= n:
            return self._whole(doc, keys)
        found: dict[int, tuple] = {}
        if miss:
            for i, v in zip(miss, self._compute(doc, miss, keys)):
                found[i] = v
                if len(cache) < MAX_CACHE:
                    cache[keys[i]] = v
        vals = [found.get(i) or cache[k] for i, k in enumerate(keys)]
        fix = [(i, v[0], v[1]) for i, v in enumerate(vals) if v[0] != arr[i][1] or v[1] != arr[i][2]]
        doc.from_array(_OUT, np.array([v[2:] for v in vals], dtype=np.uint64))
        for i, tag, dep in fix:
            doc[i].tag = tag
            doc[i].dep = dep
        return doc


@Language.factory("fp_fast_attrs", default_config={"ruler": "attribute_ruler", "lemmatizer": "lemmatizer"},
                  requires=["token.tag", "token.dep"], assigns=["token.pos", "token.morph", "token.lemma"])
def make_fast_attrs(nlp: Language, name: str, ruler: str, lemmatizer: str):
    return FastAttrs(nlp, ruler, lemmatizer)


def install(nlp: Language) -> bool:
    """Run ``fp_fast_attrs`` instead of the model's attribute_ruler + lemmatizer (kept, disabled)."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names or "fp_fast_attrs" in names:
        return False
    if names.index("lemmatizer") != names.index("attribute_ruler") + 1:
        return False
    nlp.add_pipe("fp_fast_attrs", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return True
