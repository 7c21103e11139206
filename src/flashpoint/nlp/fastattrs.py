"""``fp_fast_attrs``: the model's ``attribute_ruler`` + ``lemmatizer`` with a per-process cache.

The two rule components set POS, MORPH and LEMMA (and, for two patterns, TAG/DEP) from token attributes
the tagger and parser already predicted. In en_core_web_sm they cost about as much as the parser (~5 ms per
FA-KES article), almost all of it Python per-token overhead. Their output for a token depends only on its
text, tag and dependency label, plus the neighbour for the few two-token patterns ("there is", "gon na",
"let 's"). This component computes each distinct key once, by running the REAL components on a tiny Doc of
the token and its neighbours, caches the result, and writes a whole Doc's POS/MORPH/LEMMA with one
``Doc.from_array`` call. The output is the same as the two components' (``tests/test_triage.py`` checks
every token of the FA-KES articles and the founding article when the data are present).

Off switch: ``FLASHPOINT_FAST_ATTRS=0``.
"""

import os
import re

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

ENV = "FLASHPOINT_FAST_ATTRS"
_FIELDS = [ORTH, TAG, DEP, LOWER]
_OUT = [POS, MORPH, LEMMA]
MAX_CACHE = 500_000


def enabled() -> bool:
    return os.environ.get(ENV, "1").lower() not in ("0", "false", "no", "off")


class FastAttrs:
    def __init__(self, nlp: Language, ruler_name: str = "attribute_ruler", lemmatizer_name: str = "lemmatizer"):
        self.vocab = nlp.vocab
        self.ruler = nlp.get_pipe(ruler_name)
        self.lemmatizer = nlp.get_pipe(lemmatizer_name)
        self.cache: dict[tuple, tuple[int, int, int, int, int]] = {}
        self.first_lowers, self.first_regexes, self.first_deps = self._context_triggers()
        self.expl = self.vocab.strings.add("expl")

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
        if lower in self.first_lowers or dep in self.first_deps:
            return True
        if self.first_regexes:
            s = self.vocab.strings[lower]
            return any(r.search(s) for r in self.first_regexes)
        return False

    def _compute(self, doc: Doc, i: int) -> tuple[int, int, int, int, int]:
        """Run the real components on [i-1, i, i+1] and read token i."""
        lo, hi = max(0, i - 1), min(len(doc), i + 2)
        toks = [doc[j] for j in range(lo, hi)]
        mini = Doc(self.vocab, words=[t.text for t in toks], spaces=[bool(t.whitespace_) for t in toks],
                   tags=[t.tag_ for t in toks], deps=[t.dep_ for t in toks], heads=list(range(len(toks))))
        mini = self.lemmatizer(self.ruler(mini))
        t = mini[i - lo]
        return (t.tag, t.dep, t.pos, t.morph.key, t.lemma)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array(_FIELDS).tolist()
        starts = [self._starts_pattern(a[3], a[2]) for a in arr]
        out = np.zeros((n, len(_OUT)), dtype=np.uint64)
        fix: list[tuple[int, int, int]] = []
        cache = self.cache
        for i, (orth, tag, dep, _lower) in enumerate(arr):
            prev = tuple(arr[i - 1][1:]) if i and starts[i - 1] else None
            nxt = tuple(arr[i + 1][1:]) if starts[i] and i + 1 < n else None
            key = (orth, tag, dep, prev, nxt)
            v = cache.get(key)
            if v is None:
                v = self._compute(doc, i)
                if len(cache) < MAX_CACHE:
                    cache[key] = v
            out[i] = v[2:]
            if v[0] != tag or v[1] != dep:
                fix.append((i, v[0], v[1]))
        doc.from_array(_OUT, out)
        for i, tag, dep in fix:
            doc[i].tag = tag
            doc[i].dep = dep
        return doc


@Language.factory("fp_fast_attrs", default_config={"ruler": "attribute_ruler", "lemmatizer": "lemmatizer"})
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
