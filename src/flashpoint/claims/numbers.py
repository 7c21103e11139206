"""Numbers in news text: ``parse_number`` and casualty counts (``find_casualties``).

Conventions (the lexicons live in ``flashpoint/data/claims/numbers.yaml`` and
``casualties.yaml``):

* ``parse_number(text) -> (value, qualifier)``. The qualifier is canonical:
  ``at least``, ``more than``, ``about``, ``nearly``, ``up to``, ``less than``,
  ``exactly`` (synonyms such as "over", "some", "an estimated" are mapped), or for a
  vague quantity the vague word itself ("dozens", "several"...).
* Vague quantities take the smallest credible reading, following ACLED's conservative
  fatality coding: "dozens" -> 12, "hundreds" -> 100, "thousands" -> 1000,
  "several"/"a few" -> 3. "a number of", "many", "numerous" -> ``(None, phrase)``.
* Ranges ("10 to 15", "10-15", "between 10 and 15") give the lower bound with
  qualifier "at least" (conservative).
"""
from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from flashpoint.claims.lexicon import load_yaml
from flashpoint.nlp import doc_keys

_NUM_RE = re.compile(r"^(\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+)(?:\.(\d+))?$")
_TOKEN_RE = re.compile(r"\d[\d,.]*\d|\d|[a-z]+\.?|[-+]")


@lru_cache(maxsize=1)
def _lex() -> dict:
    d = load_yaml("numbers.yaml")
    quals = sorted(d["qualifiers"].items(), key=lambda kv: -len(kv[0]))
    vague = sorted(d["vague"].items(), key=lambda kv: -len(kv[0]))
    unknown = sorted(d["unknown"], key=len, reverse=True)
    return {
        "units": d["units"],
        "mult": d["multipliers"],
        "quals": quals,
        "vague": vague,
        "unknown": unknown,
    }


def number_words() -> set[str]:
    """All words that can be part of a spelled-out number (for token scanners)."""
    lx = _lex()
    return set(lx["units"]) | set(lx["mult"]) | {"and"}


def qualifier_phrases() -> list[tuple[str, str]]:
    """``(phrase, canonical qualifier)`` pairs, longest first."""
    return list(_lex()["quals"])


def vague_phrases() -> list[tuple[str, int]]:
    return list(_lex()["vague"])


def unknown_phrases() -> list[str]:
    return list(_lex()["unknown"])


def doc_text(doc) -> str:
    """``doc.text``, computed once per Doc (spaCy rebuilds it on every access)."""
    t = doc.user_data.get(doc_keys.CLAIMS_TEXT)
    if t is None:
        t = doc.text
        doc.user_data[doc_keys.CLAIMS_TEXT] = t
    return t


def _normalise(text: str) -> str:
    t = text.lower().strip()
    t = t.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    t = re.sub(r"\s+", " ", t)
    return t


def _strip_prefix(t: str, phrase: str) -> str | None:
    if t == phrase:
        return ""
    if t.startswith(phrase + " ") or (phrase[-1] == "." and t.startswith(phrase)):
        return t[len(phrase):].strip()
    return None


def _digits(tok: str) -> float | None:
    tok = tok.rstrip(".")
    m = _NUM_RE.match(tok)
    if not m:
        # "250,000" style with odd grouping, or "1,500.5"
        if re.fullmatch(r"\d[\d,]*(\.\d+)?", tok):
            try:
                return float(tok.replace(",", ""))
            except ValueError:
                return None
        return None
    whole = re.sub(r"[^\d]", "", m.group(1))
    return float(whole + ("." + m.group(2) if m.group(2) else ""))


def _words_value(tokens: list[str]) -> tuple[float | None, int]:
    """Value of a leading run of number tokens (digits or words) and how many were used."""
    lx = _lex()
    units, mult = lx["units"], lx["mult"]
    total = 0.0
    current: float | None = None
    last = None  # kind of the previous token: num, unit, mult, and, hyphen
    used = 0
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        d = _digits(tok)
        if d is not None:
            if last in ("num", "unit"):
                break
            current = (current or 0) + d
            last = "num"
        elif tok in ("a", "an") and last is None:
            if nxt in mult or nxt in ("dozen", "score", "couple", "pair"):
                current, last = 1.0, "unit"
                # "a" counts only as the multiplicand: "a dozen" = 1 x 12
                current = None
                last = "a"
            else:
                break
        elif tok in ("dozen", "score", "couple", "pair"):
            if last not in (None, "a", "unit", "num"):
                break
            current = (current or 1) * units[tok]
            last = "mult"
        elif tok in mult and last is not None:
            m = mult[tok]
            if m == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * m
                current = None
            last = "mult"
        elif tok in units and tok not in ("a", "an", "no", "none", "both", "single", "zero"):
            u = units[tok]
            if last == "unit":
                c = current or 0
                if 20 <= c % 100 <= 90 and c % 10 == 0 and u < 10:
                    current = c + u
                else:
                    break
            elif last == "hyphen":
                current = (current or 0) + u
            elif last in ("mult", "and"):
                current = (current or 0) + u
            elif last is None:
                current = float(u)
            else:
                break
            last = "unit"
        elif tok in ("no", "none", "zero") and last is None:
            return 0.0, i + 1
        elif tok == "-" and last == "unit" and nxt in units and units[nxt] < 10:
            last = "hyphen"
        elif tok == "and" and last == "mult" and nxt is not None and (nxt in units or _digits(nxt) is not None):
            last = "and"
        else:
            break
        used = i + 1
    if last is None or last == "a":
        return None, 0
    if last in ("and", "hyphen"):
        used -= 1
    return total + (current or 0), used


def _tokenise(t: str) -> list[str]:
    t = re.sub(r"(?<=[a-z])-(?=[a-z])", " - ", t)
    t = re.sub(r"(\d)([a-z]+)\b", r"\1 \2", t)  # 1.5m, 10k
    return _TOKEN_RE.findall(t)


def parse_number(text: str) -> tuple[int | None, str | None]:
    """Parse a quantity phrase: ``"at least 12" -> (12, "at least")``.

    Words after the number are ignored ("12 people" -> (12, None)). Returns
    ``(None, None)`` when there is no number, ``(None, phrase)`` for quantifiers
    without a lower bound ("a number of").
    """
    lx = _lex()
    t = _normalise(text)
    if not t:
        return None, None
    t = re.sub(r"\bhalf an? (dozen|hundred|thousand|million|billion)\b", r"0.5 \1", t)
    qualifier = None
    for phrase, canon in lx["quals"]:
        rest = _strip_prefix(t, phrase)
        if rest is not None and rest:
            # "some" / "just" as qualifier only when a number follows
            v, _ = _words_value(_tokenise(rest))
            if v is None and phrase in ("some", "only", "just", "over", "under", "above", "below"):
                continue
            qualifier, t = canon, rest
            break
    for phrase, value in lx["vague"]:
        rest = _strip_prefix(t, phrase)
        if rest is not None:
            if rest.startswith("of thousands") or rest.startswith("of millions"):
                continue
            return int(value), phrase if qualifier is None else qualifier
    for phrase in lx["unknown"]:
        if _strip_prefix(t, phrase) is not None:
            return None, phrase
    toks = _tokenise(t)
    if toks and toks[0] == "between":
        toks = toks[1:]
        qualifier = qualifier or "at least"
    value, used = _words_value(toks)
    if value is None:
        return None, qualifier
    rest = toks[used:]
    if rest and rest[0] in ("to", "-", "or", "and") and len(rest) > 1:
        v2, _ = _words_value(rest[1:])
        if v2 is not None and v2 > value:
            qualifier = qualifier or "at least"
    return int(round(value)), qualifier


OUTCOMES = ("killed", "wounded", "missing", "kidnapped", "arrested", "displaced", "casualties")
GROUPS = ("civilians", "children", "women", "combatants", "soldiers", "militants")


@dataclass
class Casualty:
    """One casualty count found in a sentence.

    ``count`` None means an unquantified mention ("a number of people were killed").
    ``subset`` is True when the count is part of another count in the same sentence
    ("5 civilians including two children": the children are a subset), so sentence
    totals add only counts with ``subset`` False (see ``casualty_totals``).
    ``start``/``end`` are character offsets of the number phrase (through the victim noun)
    in the Doc text.
    """

    count: int | None
    qualifier: str | None
    outcome: str  # killed|wounded|missing|kidnapped|arrested|displaced|casualties
    group: str | None  # civilians|children|women|combatants|soldiers|militants|None
    aggregate: bool
    start: int
    end: int
    subset: bool = False
    text: str = field(default="", compare=False)


# --------------------------------------------------------------------------- casualties


@lru_cache(maxsize=1)
def _cas() -> dict:
    d = load_yaml("casualties.yaml")
    d["aggregate_re"] = [re.compile(p) for p in d.get("aggregate_cues", [])]
    d["superlative_since"] = re.compile(d["superlative_since"])
    d["aggregate_ex"] = [d["superlative_since"]] + [re.compile(p) for p in d.get("aggregate_exclude", [])]
    d["toll_verbs"] = set(d.get("toll_verbs", []))
    return d


def _lemma(tok) -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def _lookup(table: dict, tok):
    """Look a token up by lemma, then lower form, then naive singular; KeyError-free."""
    for key in (_lemma(tok), tok.lower_, tok.lower_[:-1] if tok.lower_.endswith("s") else None):
        if key and key in table:
            return True, table[key]
    return False, None


def superlative_since(text: str) -> bool:
    """"the deadliest attack since 2013", "the first explosion ... since the outbreak of war": a superlative
    measured since a date (one incident, no running total)."""
    return _cas()["superlative_since"].search(text.lower()) is not None


def is_aggregate(text: str) -> bool:
    """True when the text has a cue of a cumulative statistic ("since the war began")."""
    low = text.lower()
    c = _cas()
    if not any(rx.search(low) for rx in c["aggregate_re"]):
        return False
    if any(rx.search(low) for rx in c["aggregate_ex"]):
        # the superlative excuses only "since"; other cues still count
        low2 = re.sub(r"\bsince\b", " ", low)
        return any(rx.search(low2) for rx in c["aggregate_re"])
    return True


def _perfect_large(role, count) -> bool:
    """"300,000 people have been killed": present perfect with a large count."""
    if count is None or count < _cas().get("aggregate_perfect_min", 1000):
        return False
    tok = role
    for _ in range(4):
        if tok.pos_ in ("VERB",) or tok.head is tok:
            break
        tok = tok.head
    return any(ch.dep_ in ("aux", "auxpass") and ch.lemma_ == "have" for ch in tok.children)


_SKIP_ENTS = {"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"}


@lru_cache(maxsize=1)
def _phrase_index() -> dict:
    """first word -> phrases starting with it (longest first), for the token scanner."""
    idx: dict[str, dict[str, list[str]]] = {"qual": {}, "quant": {}}
    for phrase, _c in qualifier_phrases():
        idx["qual"].setdefault(phrase.split()[0], []).append(phrase)
    for phrase in [v for v, _ in vague_phrases()] + unknown_phrases():
        idx["quant"].setdefault(phrase.split()[0], []).append(phrase)
    return idx


def _match_phrase(tokens, i: int, phrase: str) -> int:
    """Number of tokens matched by ``phrase`` at ``tokens[i]`` (0 if no match)."""
    words = phrase.split()
    if i + len(words) > len(tokens):
        return 0
    for k, w in enumerate(words):
        if tokens[i + k].lower_ != w:
            return 0
    return len(words)


_YEAR_RE = re.compile(r"(19|20)\d\d")
_TIME_NOUNS = {"year", "month", "week", "day", "hour", "minute", "second", "decade", "century", "time",
               "morning", "night", "evening", "afternoon", "km", "kilometre", "kilometer", "mile", "metre",
               "meter", "percent", "dollar", "pound", "euro", "lira"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
           "sept", "oct", "nov", "dec"}


def _is_digits(tok) -> bool:
    return tok.text[:1].isdigit()


def _date_context(toks, j) -> bool:
    """A day or year of a date: "28 October", "Nov 14", "17-05-2016", "05/04"."""
    t = toks[j]
    if not _is_digits(t):
        return False
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    prv = toks[j - 1] if j > 0 else None
    if nxt is not None and nxt.lower_.rstrip(".") in _MONTHS:
        return True
    if prv is not None and prv.lower_.rstrip(".") in _MONTHS and len(t.text) <= 4:
        return True
    if _YEAR_RE.fullmatch(t.text) and prv is not None and _is_digits(prv) and j > 1 and \
            toks[j - 2].lower_.rstrip(".") in _MONTHS:
        return True  # ("Mon Jul 18 2016 SDF foiled ISIS attack ... 80 terrorists killed")
    if nxt is not None and nxt.text in ("-", "/", ".") and j + 2 < len(toks) and _is_digits(toks[j + 2]):
        return True
    if prv is not None and prv.text in ("-", "/") and j > 1 and _is_digits(toks[j - 2]):
        return True
    return False


_NM = threading.local()


def _number_mentions(span):
    """(first_token_index, head_token, value, qualifier) for each quantity in ``span``.

    Memoised per span of the doc being processed (per thread): claims and events scan the same sentences."""
    doc = span.doc
    cur = getattr(_NM, "cur", None)
    if cur is None or cur[0] is not doc or cur[1] != len(doc):
        cur = _NM.cur = (doc, len(doc), {})
    key = (span.start, span.end) if hasattr(span, "start") else (0, len(doc), "doc")
    hit = cur[2].get(key)
    if hit is None:
        hit = cur[2][key] = _number_mentions_uncached(span)
    return list(hit)


def _span_memo(span) -> tuple[dict, tuple]:
    doc = span.doc
    cur = getattr(_NM, "cur", None)
    if cur is None or cur[0] is not doc or cur[1] != len(doc):
        cur = _NM.cur = (doc, len(doc), {})
    return cur[2], ((span.start, span.end) if hasattr(span, "start") else (0, len(doc), "doc"))


def _qualifier_length(toks, i: int, pidx: dict, nw) -> int:
    """Tokens of a qualifier ("at least", "more than") at ``i`` that a number or quantity follows, else 0."""
    for phrase in pidx["qual"].get(toks[i].lower_, ()):
        n = _match_phrase(toks, i, phrase)
        if n and i + n < len(toks):
            nxt = toks[i + n]
            if nxt.like_num or nxt.lower_ in nw or any(
                    _match_phrase(toks, i + n, v) for v in pidx["quant"].get(nxt.lower_, ())):
                return n
    return 0


def _last_number_token(toks, j: int, nw) -> int:
    """Index of the last number word of the run starting at ``j`` ("two hundred and fifty")."""
    k = j
    last_num = j
    while k < len(toks):
        tk = toks[k]
        if k > j and (_is_digits(tk) and _is_digits(toks[k - 1]) or tk.text == "-" and _is_digits(toks[k - 1])
                      or _YEAR_RE.fullmatch(tk.text)):
            break  # "19 2016", "17-05-2016": dates, not one number
        if tk.like_num or tk.lower_ in nw or (tk.lower_ in ("a", "an") and k == j):
            if tk.lower_ not in ("and", "-", "a", "an"):
                last_num = k
            k += 1
        else:
            break
    return last_num


def _number_mentions_uncached(span):
    toks = list(span)
    dtext = doc_text(span.doc)
    nw = number_words() | {"dozen", "-", "half"}
    out = []
    i = 0
    while i < len(toks):
        start = i
        pidx = _phrase_index()
        j = i + _qualifier_length(toks, i, pidx, nw)
        if j >= len(toks):
            break
        # vague / unknown quantity phrases
        matched = False
        for phrase in pidx["quant"].get(toks[j].lower_, ()):
            n = _match_phrase(toks, j, phrase)
            if n:
                # "some" only as a quantifier of a plural noun ("some people")
                if phrase in ("some", "many", "multiple", "few") and toks[j].dep_ not in ("amod", "det", "nummod", "nsubj", "nsubjpass", "dobj"):
                    break
                text = dtext[toks[start].idx: toks[j + n - 1].idx + len(toks[j + n - 1])]
                value, qual = parse_number(text)
                head = toks[j + n - 1]
                if head.lower_ == "of":
                    head = toks[j + n - 2]
                out.append((start, head, value, qual, j + n))
                i = j + n
                matched = True
                break
        if matched:
            continue
        t = toks[j]
        is_num = (t.like_num or (t.lower_ in nw and t.lower_ not in ("and", "-", "a", "an", "no", "half")))
        if t.lower_ in ("a", "an") and j + 1 < len(toks) and toks[j + 1].lower_ in ("dozen", "hundred", "thousand", "million"):
            is_num = True
        if t.lower_ == "half" and j + 2 < len(toks) and toks[j + 1].lower_ in ("a", "an") and toks[j + 2].lower_ in (
                "dozen", "hundred", "thousand", "million"):
            is_num = True
        if is_num and _date_context(toks, j):
            i = j + 1
            continue
        if is_num and _YEAR_RE.fullmatch(t.text) and j + 1 < len(toks) and (toks[j + 1].like_num or toks[j + 1].lower_ in nw):
            i = j + 1  # "2016 Ninety-two civilians": a year never starts a number run
            continue
        skip_ent = t.ent_type_ in _SKIP_ENTS and not (
            t.dep_ == "nummod" and t.head.pos_ == "NOUN" and _lemma(t.head) not in _TIME_NOUNS)
        if skip_ent and _toll_before(toks[start]):
            skip_ent = False  # "put the death toll at 16 earlier"
        if not is_num or skip_ent or t.lower_ in ("one",) and t.dep_ not in ("nummod", "nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj"):
            i = start + 1
            continue
        last_num = _last_number_token(toks, j, nw)
        text = dtext[toks[start].idx: toks[last_num].idx + len(toks[last_num])]
        value, qual = parse_number(text)
        if value is not None and last_num == j and re.fullmatch(r"(19|20)\d\d", toks[j].text) and (
                toks[j].dep_ != "nummod" or toks[j].head.pos_ not in ("NOUN",)):
            value = None  # a year ("in 2016")
            i = start + 1
            continue
        out.append((start, toks[last_num], value, qual, last_num + 1))
        i = last_num + 1
    return out


def _toll_outcome(noun) -> str | None:
    """Outcome named by a toll noun: "death toll" -> killed, "the number of dead" -> killed."""
    c = _cas()
    found, out = _lookup(c["toll_nouns"], noun)
    if not found:
        return None
    for ch in noun.children:
        if ch.dep_ in ("compound", "amod", "nmod"):
            f2, o2 = _lookup(c["toll_modifiers"], ch)
            if f2 and o2:
                return o2
        if ch.dep_ == "prep" and ch.lower_ == "of":
            for p in ch.children:
                if p.dep_ == "pobj":
                    f3, o3 = _lookup(c["nouns"], p)
                    if f3 and o3 and _lemma(p) != "life":
                        return o3
                    for g in p.children:
                        if g.dep_ in ("acl", "relcl", "amod"):
                            f4, o4 = _lookup(c["verbs"], g)
                            if f4 and o4:
                                return o4
    return out


def _noun_outcome(tok) -> str | None:
    """Outcome named by the victim noun itself or its participle modifiers."""
    c = _cas()
    found, out = _lookup(c["nouns"], tok)
    if found and out:
        if _lemma(tok) == "life":
            return out if tok.head.lemma_.lower() in c["life_verbs"] else None
        if tok.pos_ in ("NOUN", "ADJ", "PROPN", "NUM") or tok.dep_ in ("oprd", "acomp", "amod"):
            return out
    for ch in tok.children:
        if ch.dep_ in ("acl", "relcl", "amod") and ch.i > tok.i:
            f, o = _lookup(c["verbs"], ch)
            if ch.pos_ in ("VERB", "AUX") and _lethal_manner(ch):
                f, o = True, "killed"  # "the two men shot dead by the police"
            # "people killed", "civilians who were killed", not "bombs killing three"
            passive = ch.tag_ == "VBN" or any(g.dep_ in ("nsubjpass", "auxpass") for g in ch.children)
            intrans = _lemma(ch) in c["subject_victim_verbs"]
            if f and o and (passive or intrans) and not (ch.dep_ == "relcl" and any(g.dep_ == "dobj" for g in ch.children)):
                return o
            f, o = _lookup(c["nouns"], ch)
            if f and o and ch.pos_ in ("ADJ", "VERB"):
                return o
    return None


ROLE_MAX_HOPS = 6  # "23 civilians, among them 7 children, were killed": heads climbed from the victim noun


# "two militants were shot dead", "a man was stabbed to death", "beaten to death": the manner word makes any
# verb of violence a killing (the verb alone -- shoot, stab, beat -- names no outcome)
LETHAL_MANNER_WORDS = frozenset({"dead"})
LETHAL_MANNER_NOUNS = frozenset({"death"})


def _lethal_manner(verb) -> bool:
    """The verb carries "dead" ("shot dead") or "to death" ("stabbed to death")."""
    for ch in verb.children:
        if ch.lower_ in LETHAL_MANNER_WORDS and ch.dep_ in ("oprd", "acomp", "advmod", "xcomp", "npadvmod", "attr",
                                                             "dobj", "ccomp", "conj", "amod"):
            return True
        if ch.dep_ == "prep" and ch.lower_ == "to" and any(
                p.dep_ == "pobj" and p.lower_ in LETHAL_MANNER_NOUNS for p in ch.children):
            return True
    return False


def _verb_head_outcome(cur, head, dep: str, c: dict, subset: bool) -> tuple[str | None, bool] | None:
    """Outcome when the victim noun ``cur`` hangs off a verb ``head`` ("killed 23 civilians", "left 5 dead"),
    else None."""
    verbs = c["verbs"]
    lem = _lemma(head)
    found, out = _lookup(verbs, head)
    if head.pos_ in ("VERB", "AUX") and out != "killed" and _lethal_manner(head):
        found, out = True, "killed"
    has_dobj = any(ch.dep_ == "dobj" for ch in head.children)
    if found and out:
        if dep in ("dobj", "nsubjpass", "oprd", "attr"):
            return out, subset
        if dep == "nsubj" and (not has_dobj or lem in c["subject_victim_verbs"]) and lem != "claim":
            return out, subset
    if lem in c["life_verbs"] and dep == "nsubj" and any(
            ch.dep_ == "dobj" and _lemma(ch) == "life" for ch in head.children):
        return "killed", subset
    if lem == "leave" and dep == "dobj":
        for ch in head.children:
            if ch.dep_ in ("oprd", "xcomp", "acomp", "ccomp", "advcl", "conj") and ch.i > cur.i:
                o = _noun_outcome(ch) or (_lookup(verbs, ch)[1] if _lookup(verbs, ch)[0] else None)
                if o:
                    return o, subset
    if dep in ("nsubj", "attr", "dobj"):
        for ch in head.children:
            if ch is cur:
                continue
            if ch.dep_ in ("acomp", "attr", "oprd") and _noun_outcome(ch):
                return _noun_outcome(ch), subset
            if ch.dep_ == "prep" and ch.lower_ == "among":
                for p in ch.children:
                    if p.dep_ == "pobj" and _noun_outcome(p):
                        return _noun_outcome(p), True
            if ch.dep_ in ("nsubj", "nsubjpass") and dep in ("attr", "dobj"):
                o = _toll_outcome(ch)
                if o:
                    return o, subset
                if lem == "include" and _noun_outcome(ch):
                    return _noun_outcome(ch), True
    return None


def _role_outcome(tok, depth: int = 0) -> tuple[str | None, bool]:
    """Outcome from the syntactic role of the victim noun ``tok``; (outcome, subset)."""
    c = _cas()
    verbs = c["verbs"]
    cur = tok
    subset = False
    for _ in range(ROLE_MAX_HOPS):
        head = cur.head
        dep = cur.dep_
        if head is cur:
            break
        if dep in ("conj", "appos"):
            o = _noun_outcome(head)
            if o:
                return o, subset
            cur = head
            continue
        if dep == "pobj":
            prep = head
            pl = prep.lower_
            if pl in c["subset_markers"]:
                o = _noun_outcome(prep.head) if prep.head.pos_ != "VERB" else None
                if o:
                    return o, True
                if prep.head.pos_ in ("VERB", "AUX"):
                    f, o = _lookup(verbs, prep.head)
                    if f and o:  # "killed 23 civilians, among them 7 children"
                        return o, True
                    break
                subset = True
                cur = prep.head
                continue
            if pl == "of" and _lemma(prep.head) == "life" and _lemma(prep.head.head) in c["life_verbs"]:
                return "killed", subset
            if pl == "of":
                f, o = _lookup(c.get("event_nouns", {}), prep.head)
                if f and o:  # "the killing of 30 civilians"
                    return o, subset
            if pl == "of":
                o = _toll_outcome(prep.head)
                if o:
                    return o, subset
                # "12 of them", "dozens of people": the quantity noun carries the role
                if prep.head.like_num or _lemma(prep.head) in ("dozen", "hundred", "thousand", "number"):
                    cur = prep.head
                    continue
            if pl in ("to", "at", "of") and prep.head.pos_ in ("VERB", "AUX"):
                for ch in prep.head.children:
                    if ch.dep_ in ("nsubj", "nsubjpass", "dobj"):
                        o = _toll_outcome(ch)
                        if o:
                            return o, subset
            break
        if head.pos_ in ("VERB", "AUX"):
            found = _verb_head_outcome(cur, head, dep, c, subset)
            if found is not None:
                return found
            break
        if head.pos_ in ("NOUN", "PROPN") and dep in ("nummod", "quantmod", "npadvmod", "appos"):
            o = _toll_outcome(head)
            if o:
                return o, subset
        break
    return None, subset


def _group_of(tok, content=None) -> str | None:
    c = _cas()
    groups = c["groups"]
    for t in (content, tok):
        if t is None:
            continue
        found, g = _lookup(groups, t)
        if found and g:
            return g
        if _lemma(t) in c.get("member_nouns", []):
            # "members of IS", "Daesh members", "members of the Hezbollah militia"
            fam = False
            for ch in t.children:
                if ch.dep_ == "prep" and ch.lower_ == "of":
                    for p in ch.children:
                        f, g2 = _lookup(groups, p)
                        if f and g2:
                            return g2
                        if p.pos_ == "PROPN" or p.ent_type_ in ("ORG", "NORP") or _lemma(p) in c.get("armed_group_nouns", []):
                            return "combatants"
                        if _lemma(p) in ("family", "household"):
                            fam = True
                if ch.dep_ in ("compound", "amod") and (ch.pos_ == "PROPN" or ch.ent_type_ in ("ORG", "NORP")):
                    if not fam:
                        return "combatants"
        for ch in t.children:
            if ch.dep_ in ("amod", "compound", "nmod"):
                f, g2 = _lookup(groups, ch)
                if f and g2:
                    return g2
            if ch.dep_ == "prep" and ch.lower_ == "of" and _lemma(t) in ("member", "dozen", "number"):
                for p in ch.children:
                    f, g2 = _lookup(groups, p)
                    if f and g2:
                        return g2
    return None


def _victim_tokens(head):
    """(role token, content token) for a number head token."""
    role = head
    while role.dep_ in ("quantmod", "compound") and role.head.like_num and role.head is not role:
        role = role.head
    if role.dep_ in ("nummod", "quantmod", "amod", "det", "advmod", "npadvmod") and role.head.pos_ in ("NOUN", "PROPN", "ADJ", "PRON") and role.head.i > role.i:
        role = role.head
    content = role
    if _lemma(role) in _cas().get("member_nouns", []):
        return role, content  # "18 members of the Syrian Democratic Forces": the members are the victims
    for ch in role.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            for p in ch.children:
                if p.dep_ == "pobj":
                    content = p
    return role, content


_STATUS_OUTCOMES = ("arrested", "kidnapped", "displaced", "missing")


def _toll_before(start_tok) -> str | None:
    """Surface fallback: "<toll> (rose|stood|...) (to|at) N" when the parse is broken."""
    c = _cas()
    skip = {"at", "to", "of", "has", "have", "had", "now", "is", "was", "been", "further", ",", ":", "-"}
    doc = start_tok.doc
    k = start_tok.i - 1
    steps = 0
    while k >= max(0, start_tok.i - 8) and steps < 8:
        t = doc[k]
        if _toll_outcome(t):
            return _toll_outcome(t)
        if not (t.lower_ in skip or _lemma(t) in c["toll_verbs"] or _lemma(t) in ("put", "place", "bring", "raise")
                or t.is_space or t.pos_ == "ADV"):
            return None
        k -= 1
        steps += 1
    return None


def _participle_after(tok) -> str | None:
    """"left at least 100 people killed and over 400 wounded": a casualty participle or adjective written right
    after a bare number names its outcome, whatever the parser attached the number to."""
    if tok.pos_ != "NUM" or tok.i + 1 >= len(tok.doc):
        return None
    nxt = tok.doc[tok.i + 1]
    if nxt.pos_ not in ("VERB", "ADJ"):
        return None
    found, out = _lookup(_cas()["verbs"], nxt)
    if not (found and out):
        found, out = _lookup(_cas()["nouns"], nxt)
    return out if found else None


def _mention_outcome(role, content, start_tok=None):
    after = _participle_after(role)
    if after:
        return after, False
    o = _noun_outcome(content) or _noun_outcome(role)
    o2, sub = _role_outcome(role)
    if o:
        if o in _STATUS_OUTCOMES and o2 and o2 not in _STATUS_OUTCOMES:
            return o2, sub  # "executed 12 prisoners": the verb wins over the status noun
        return o, sub
    if o2 is None and start_tok is not None:
        o3 = _toll_before(start_tok)
        if o3:
            return o3, False
    return o2, sub


def _personish(tok) -> bool:
    """Can this noun name victims? (group noun, casualty noun, person pronoun, PERSON/NORP)."""
    c = _cas()
    if _lookup(c["groups"], tok)[0] or _lookup(c["nouns"], tok)[0] or _lemma(tok) in c.get("member_nouns", []):
        return True
    if tok.lower_ in ("them", "whom", "us", "those", "these"):
        return True
    return tok.ent_type_ in ("NORP", "PERSON") or _lemma(tok) in c.get("armed_group_nouns", [])


def _sentence_bounds(span) -> list[tuple[int, int, int, int]]:
    """(start, end, start_char, end_char) of the sentences overlapping ``span`` (cheap: no doc.sents)."""
    doc = span.doc
    lo = span.start if hasattr(span, "start") else 0
    hi = span.end if hasattr(span, "end") else len(doc)
    # extend to the enclosing sentence boundaries
    while lo > 0 and not doc[lo].is_sent_start:
        lo -= 1
    while hi < len(doc) and not doc[hi].is_sent_start:
        hi += 1
    out = []
    st = lo
    for i in range(lo + 1, hi):
        if doc[i].is_sent_start:
            out.append((st, i))
            st = i
    out.append((st, hi))
    return [(a, b, doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) for a, b in out if b > a]


def find_casualties(span) -> list[Casualty]:
    """Casualty counts in a sentence (spaCy Span) or a whole Doc (see ``_find_casualties``); memoised per span
    of the doc being processed (claims and events scan the same sentences), each call gets its own copies."""
    memo, key = _span_memo(span)
    key = ("cas",) + key
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = _find_casualties(span)
    return [copy.copy(c) for c in hit]


def _unmark_lone_subsets(out: list[Casualty], sent_bounds) -> None:
    """A "subset" with no superset count of its outcome in its sentence stands alone
    ("three children were among the dead")."""
    alone = []
    for c in out:
        if c.subset:
            s0, s1 = next(((b[2], b[3]) for b in sent_bounds if b[2] <= c.start < b[3]), (c.start, c.end))
            if not any(o.outcome == c.outcome and not o.subset and s0 <= o.start < s1 for o in out):
                alone.append(c)
    for c in alone:
        c.subset = False


def _find_casualties(span) -> list[Casualty]:
    """Casualty counts in a sentence (spaCy Span) or a whole Doc.

    Uses the dependency parse: victim nouns governed by casualty verbs
    ("killing at least 12 people", "12 people were killed"), casualty nouns
    ("7 dead", "dozens of casualties"), tolls ("the death toll rose to 30"),
    subsets ("including two children and a woman"), reflexives ("a suicide bomber
    killed himself and three soldiers" -> 1 militant + 3 soldiers).
    """
    out: list[Casualty] = []
    seen: set[int] = set()
    doc = span.doc
    dtext = doc_text(doc)
    sent_agg: dict[int, bool] = {}

    sent_bounds = _sentence_bounds(span)

    def _sent_of(i: int):
        for b in sent_bounds:
            if b[0] <= i < b[1]:
                return b
        return (span.start if hasattr(span, "start") else 0, len(doc), 0, len(dtext))

    def agg_for(tok) -> bool:
        b = _sent_of(tok.i)
        if b[0] not in sent_agg:
            sent_agg[b[0]] = is_aggregate(dtext[b[2]:b[3]])
        return sent_agg[b[0]]

    def add(start_tok, role, content, value, qual):
        if role.i in seen:
            return
        if content is not role and not _personish(content):
            return  # "three of which", "one of its posts"
        outcome, subset = _mention_outcome(role, content, start_tok)
        if not outcome:
            return
        seen.add(role.i)
        end_tok = max(role, content, key=lambda t: t.i)
        if end_tok.i < start_tok.i:
            end_tok = start_tok
        s, e = start_tok.idx, end_tok.idx + len(end_tok)
        agg = agg_for(role) or _perfect_large(role, value)
        out.append(Casualty(value, qual, outcome, _group_of(role, content), agg,
                            s, e, subset, dtext[s:e]))

    toks = list(span)
    for first, head, value, qual, _end in _number_mentions(span):
        role, content = _victim_tokens(head)
        add(toks[first], role, content, value, qual)

    groups = _cas()["groups"]
    for tok in span:
        if tok.i in seen:
            continue
        low = tok.lower_
        # "a woman", "one child", "a civilian"
        if tok.pos_ == "NOUN" and tok.tag_ == "NN" and _lookup(groups, tok)[0]:
            det = [ch for ch in tok.children if ch.dep_ in ("det", "nummod") and ch.lower_ in ("a", "an", "one")]
            if det:
                add(det[0], tok, tok, 1, None)
        # "a suicide bomber killed himself"
        elif low in ("himself", "herself") and tok.dep_ == "dobj":
            found, outcome = _lookup(_cas()["verbs"], tok.head)
            if found and outcome:
                subj = [ch for ch in tok.head.children if ch.dep_ == "nsubj"]
                g = _group_of(subj[0]) if subj else None
                seen.add(tok.i)
                out.append(Casualty(1, None, outcome, g, agg_for(tok), tok.idx, tok.idx + len(tok),
                                    False, tok.text))
    out.sort(key=lambda c: c.start)
    _unmark_lone_subsets(out, sent_bounds)
    return out


CIVILIAN_GROUPS = (None, "civilians", "children", "women")


def casualty_totals(casualties: list[Casualty], include_aggregate: bool = False) -> dict[str, int]:
    """One total per outcome: the sum of the non-subset counts (call it per sentence).

    A count repeated with the same value for the same outcome (a headline run into the
    lead sentence, "6 civilians ... six people were killed") is counted once.
    """
    tot: dict[str, int] = {}
    seen: set[tuple[str, int]] = set()
    for c in casualties:
        if c.subset or c.count is None or (c.aggregate and not include_aggregate):
            continue
        if (c.outcome, c.count) in seen:
            continue
        seen.add((c.outcome, c.count))
        tot[c.outcome] = tot.get(c.outcome, 0) + c.count
    return tot


def civilian_killed(casualties: list[Casualty]) -> int | None:
    """Civilians (or unspecified people) killed in one sentence: non-aggregate, non-subset."""
    vals = {c.count for c in casualties if c.outcome == "killed" and not c.aggregate and not c.subset
            and c.count is not None and c.group in CIVILIAN_GROUPS}
    return sum(vals) if vals else None
