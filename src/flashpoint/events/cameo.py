"""A small CAMEO sentence coder (PETRARCH-style) on spaCy's dependency parse.

``code_sentence(doc_or_span, actor_lookup)`` finds coded verbs (verb-pattern lexicon derived
from the PETRARCH-2 dictionaries, MIT, see ``data/cameo/``), picks the longest matching pattern
around the verb, finds the source (subject, or the ``by`` agent of a passive) and the target
(direct object / prepositional object / passive subject) and expands compound actors
("Arnor and Gondor") into one coding per actor pair. Negated verbs give no event unless a
pattern names the negation. Actor phrases and agents ("Arnor police" -> ARNCOP) come from an
:class:`ActorLookup` built from PETRARCH-format dictionaries.

``cameo_for_trigger(lemma, sub_event_type)`` gives a default CAMEO code for an event trigger
(``data/cameo/trigger_codes.json``), used by the event extractor on real news.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flashpoint.paths import PACKAGE_DATA

CAMEO_DIR = PACKAGE_DATA / "cameo"
NEG_WORDS = {"NOT", "N'T", "NEVER", "NO", "NEITHER", "NOR"}
VALID_CODE = re.compile(r"^\d{2,4}[A-Za-z]?$")


def _load(name: str):
    return json.loads((CAMEO_DIR / name).read_text(encoding="utf-8"))["data"]


# ----------------------------------------------------------------------------------------------
# default codes for triggers (real news)
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _trigger_table() -> dict:
    return json.loads((CAMEO_DIR / "trigger_codes.json").read_text(encoding="utf-8"))


def cameo_for_trigger(lemma: str, sub_event_type: str | None = None) -> str | None:
    """Default CAMEO code for an event trigger lemma, refined by the ACLED sub-event type.

    The lemma table wins when it has an entry specific to the sub-type; otherwise the sub-type's
    default code, then the lemma's generic code. Returns None when nothing fits.
    """
    t = _trigger_table()
    lem = (lemma or "").strip().lower()
    entry = t["lemmas"].get(lem)
    if isinstance(entry, dict):
        if sub_event_type and sub_event_type in entry:
            return entry[sub_event_type]
        generic = entry.get("*")
    else:
        generic = entry
    if sub_event_type and sub_event_type in t["sub_event_types"]:
        if generic and generic[:2] == t["sub_event_types"][sub_event_type][:2]:
            return generic
        return t["sub_event_types"][sub_event_type]
    return generic


# ----------------------------------------------------------------------------------------------
# actors
# ----------------------------------------------------------------------------------------------
def _norm_date(s: str) -> int:
    s = s.strip()
    if len(s) == 6:
        yy = int(s[:2])
        return (1900 + yy if yy >= 30 else 2000 + yy) * 10000 + int(s[2:])
    return int(s[:8])


def _pick_code(codes: list[str], date: int | None) -> str | None:
    undated = None
    for c in codes:
        c = c.strip()
        m = re.match(r"^(\S+)\s*<\s*(\d+)$", c)
        if m:
            if date is not None and date < _norm_date(m.group(2)):
                return m.group(1)
            continue
        m = re.match(r"^(\S+)\s*>\s*(\d+)$", c)
        if m:
            if date is not None and date >= _norm_date(m.group(2)):
                return m.group(1)
            continue
        m = re.match(r"^(\S+)\s+(\d+)\s*-\s*(\d+)$", c)
        if m:
            if date is not None and _norm_date(m.group(2)) <= date <= _norm_date(m.group(3)):
                return m.group(1)
            continue
        if undated is None:
            undated = c.split()[0]
    if undated is None and codes:
        undated = re.split(r"[\s<>]", codes[0].strip())[0]
    return undated


@dataclass
class ActorLookup:
    """Phrase -> actor code(s), and role nouns -> agent codes (PETRARCH dictionaries)."""

    actors: dict[str, list[str]]
    agents: dict[str, str]
    discards: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._actor_idx = self._index(self.actors)
        self._agent_idx = self._index(self.agents)

    @staticmethod
    def _index(d: dict) -> dict[str, list[tuple[list[str], str]]]:
        idx: dict[str, list] = {}
        for phrase in d:
            words = phrase.upper().split()
            if words:
                idx.setdefault(words[0], []).append((words, phrase))
        for v in idx.values():
            v.sort(key=lambda x: -len(x[0]))
        return idx

    @classmethod
    def petrarch_validate(cls) -> "ActorLookup":
        return cls(_load("petr_validate_actors.json"), _load("petr_validate_agents.json"),
                   _load("petr_validate_discards.json"))

    @staticmethod
    def _word_match(tok: str, w: str, last: bool) -> bool:
        if tok == w:
            return True
        if last:
            for suf in ("S", "ES", "N", "NS", "AN", "ANS", "I", "IAN", "IANS", "'S"):
                if tok == w + suf:
                    return True
            if w.endswith("Y") and tok == w[:-1] + "IES":
                return True
            if w.endswith("MAN") and tok == w[:-3] + "MEN":
                return True
        return False

    def _match(self, idx, words: list[str], i: int, stems: bool = True) -> tuple[int, str] | None:
        for cand, phrase in idx.get(words[i], []) + idx.get(words[i].rstrip("S"), []):
            n = len(cand)
            if i + n <= len(words) and all(
                    self._word_match(words[i + k], cand[k], k == n - 1) for k in range(n)):
                return n, phrase
        # stem entries (prefix match) for single long words: ARGENTIN -> ARGENTINA
        w = words[i]
        if not stems:
            return None
        for L in range(len(w) - 1, max(4, len(w) - 5), -1):
            for cand, phrase in idx.get(w[:L], []):
                if len(cand) == 1:
                    return 1, phrase
        return None

    def mentions(self, words: list[str], date: int | None = None) -> list[tuple[int, int, str, str]]:
        """Greedy longest-match mentions -> [(start, end, "actor"|"agent", code)]."""
        out = []
        i = 0
        while i < len(words):
            m = self._match(self._actor_idx, words, i)
            if m:
                code = _pick_code(self.actors[m[1]], date)
                if code:
                    out.append((i, i + m[0], "actor", code))
                i += m[0]
                continue
            m = self._match(self._agent_idx, words, i, stems=False)
            if m:
                out.append((i, i + m[0], "agent", self.agents[m[1]]))
                i += m[0]
                continue
            i += 1
        return out


# ----------------------------------------------------------------------------------------------
# verbs
# ----------------------------------------------------------------------------------------------
@dataclass
class Pattern:
    pre: list[list[list[str]]]  # sequence of slots; each slot = alternatives; each alt = words
    post: list[list[list[str]]]
    code: str
    size: int


def _slot_alts(tok: str, synsets: dict) -> list[list[str]]:
    if tok.startswith("&"):
        alts = []
        for item in synsets.get(tok, []):
            for sub in _slot_alts(item, synsets) if item.startswith("&") else [item.replace("_", " ").split()]:
                alts.append(sub)
        return alts or [[tok]]
    return [[tok]]


PATTERN_MARKS = "+$%^(){}"  # source/target/compound marks and phrase brackets of a PETRARCH pattern word


def _parse_pattern(pat: str, synsets: dict) -> tuple[list, list] | None:
    s = pat.replace("*", " * ")
    s = re.sub(r"(?<![A-Z0-9'])_|_(?![A-Z0-9&])", " ", s)
    toks = [t for t in re.split(r"[\s_]+", s) if t]
    if "*" not in toks:
        return None
    k = toks.index("*")
    # PETRARCH's grouping marks are not words: "(FOR HELP)" is a prepositional phrase, "{HUMANITARIAN AID}" a noun
    # phrase; their words are matched in order like the others ("called for help" matches "* (FOR HELP)")
    clean = [t.strip(PATTERN_MARKS) for t in toks]
    pre = [_slot_alts(t, synsets) for t in clean[:k] if t]
    post = [_slot_alts(t, synsets) for t in clean[k + 1:] if t]
    return pre, post


@dataclass
class VerbEntry:
    words: list[str]  # verb (first word lemma) + particles
    code: str
    patterns: list[Pattern]


class VerbLexicon:
    def __init__(self, data: dict):
        self.index: dict[str, list[VerbEntry]] = {}
        syn = {k.rstrip("_"): v for k, v in data["synsets"].items()}
        for b in data["blocks"]:
            pats = []
            for p in b["patterns"]:
                parsed = _parse_pattern(p["pattern"].upper(), syn)
                if not parsed:
                    continue
                pre, post = parsed
                pats.append(Pattern(pre, post, p["code"], len(pre) + len(post)))
            pats.sort(key=lambda p: -p.size)  # stable: file order among equals
            for v in b["verbs"]:
                code = v["code"] or b["code"]
                for form in [v["verb"]] + v["forms"]:
                    words = [w for w in re.split(r"[\s_]+", form.replace("+", "")) if w]
                    if not words:
                        continue
                    e = VerbEntry(words, code, pats)
                    self.index.setdefault(words[0], []).append(e)
        for v in self.index.values():
            v.sort(key=lambda e: -len(e.words))

    @classmethod
    @lru_cache(maxsize=2)
    def petrarch_validate(cls) -> "VerbLexicon":
        return cls(_load("petr_validate_verbs.json"))


def _tok_matches(tok, w: str) -> bool:
    t = tok.text.upper()
    if w in ("N'T",):
        return t in ("N'T", "NOT")
    # a plural pattern word matches its singular: "rejected the demand" matches "* DEMANDS"
    return t == w or tok.lemma_.upper() == w or (len(w) >= 4 and t.startswith(w)) \
        or (len(w) > PLURAL_MIN_CHARS and w.endswith("S") and t == w[:-1])


def _match_seq(tokens, slots, forward: bool) -> bool:
    """Ordered (gapped) match of pattern slots in ``tokens`` (nearest first when backward)."""
    if not slots:
        return True
    toks = list(tokens)
    if not forward:
        toks = toks[::-1]
        slots = slots[::-1]
    i = 0
    for slot in slots:
        found = False
        while i < len(toks) and not found:
            for alt in slot:
                seq = alt if forward else alt[::-1]
                if i + len(seq) <= len(toks) and all(_tok_matches(toks[i + k], seq[k]) for k in range(len(seq))):
                    i += len(seq)
                    found = True
                    break
            else:
                i += 1
        if not found:
            return False
    return True


# ----------------------------------------------------------------------------------------------
# coder
# ----------------------------------------------------------------------------------------------
REPORTING = {"say", "report", "tell", "add", "state", "announce", "quote"}
SUBJ = {"nsubj", "nsubjpass", "csubj"}
CLIMB = {"xcomp", "conj", "acomp", "ccomp", "advcl", "prep", "pcomp", "aux", "auxpass", "relcl", "dep", "attr", "pobj"}
PREP_TARGETS = ("with", "to", "against", "on", "at", "into", "toward", "towards", "of", "about", "for", "from", "over", "in", "between")


def _units(span, lookup: ActorLookup, date: int | None):
    """Actor units: (head token, codes). Agents absorb the country actors in their noun phrase."""
    toks = list(span)
    words = [t.text.upper() for t in toks]
    ments = lookup.mentions(words, date)
    actors = [(toks[s:e], code) for s, e, kind, code in ments if kind == "actor"]
    agents = [(toks[s:e], code) for s, e, kind, code in ments if kind == "agent"]
    used = set()
    units = []
    for atoks, acode in agents:
        head = max(atoks, key=lambda t: len(list(t.ancestors)) * -1)
        np_tokens = set(head.subtree) | set(atoks)
        # countries inside the agent's phrase (compound / poss / of / in / from), or the agent
        # sits inside the country's phrase ("Arnor security officials")
        countries = []
        for k, (ctoks, ccode) in enumerate(actors):
            ch = ctoks[-1]
            if ch in np_tokens and not any(t.pos_ == "VERB" for t in ch.ancestors if t in np_tokens and t != head):
                countries.append((k, ccode))
            elif head in set(ch.subtree) or (ch.i + 1 == atoks[0].i):
                countries.append((k, ccode))
        codes = []
        for k, ccode in countries:
            used.add(k)
            codes.append(_combine(ccode, acode))
        if not countries:
            codes.append(_combine("---", acode))
        units.append((head, atoks, codes))
    for k, (ctoks, ccode) in enumerate(actors):
        if k in used:
            continue
        units.append((ctoks[-1], ctoks, [c for c in ccode.split("/")]))
    return units


def _combine(country: str, agent: str) -> str:
    agent = agent.strip()
    if agent.startswith("~"):
        if country.endswith(agent[1:]):
            return country
        return country + agent[1:]
    if agent.endswith("~"):
        return agent[:-1] + ("" if country == "---" else country)
    return country + agent


def _codes_in(tokens: set, units, first_group: bool = True) -> list[str]:
    """Codes of the actor units inside ``tokens``; with ``first_group`` only the first unit and
    the units coordinated with it ("Arnor, Gondor and Rohan")."""
    inside = [u for u in units if u[0] in tokens or any(t in tokens for t in u[1])]
    if first_group and inside:
        inside.sort(key=lambda u: u[1][0].i)
        first = inside[0]
        conj = set(first[0].conjuncts) | {first[0]}
        group = [first]
        for u in inside[1:]:
            if u[0] in conj or any(t in conj for t in u[1]) or set(u[0].conjuncts) & conj:
                group.append(u)
        inside = group
    out = []
    for head, atoks, codes in inside:
        for c in codes:
            if c not in out:
                out.append(c)
    return out


def _subject(verb):
    t = verb
    for _ in range(5):
        subs = [c for c in t.children if c.dep_ in SUBJ]
        agent = [c for c in t.children if c.dep_ == "agent"]
        if subs or agent:
            return t, subs, agent
        if t.dep_ in CLIMB and t.head is not t:
            t = t.head
        else:
            break
    return t, [], []


def _subtree_without_clauses(tok, stop):
    out = set()
    stack = [tok]
    while stack:
        t = stack.pop()
        out.add(t)
        for c in t.children:
            if c in stop:
                continue
            if c.dep_ in ("relcl", "acl", "advcl", "ccomp", "parataxis", "appos") and c.pos_ in ("VERB", "AUX"):
                continue
            stack.append(c)
    return out


def _negated(verb) -> bool:
    chain = [verb] + ([verb.head] if verb.dep_ in ("xcomp",) else [])
    for t in chain:
        for c in t.children:
            if c.dep_ == "neg" or c.lower_ in ("never",):
                return True
    return False


PLURAL_MIN_CHARS = 4  # a pattern word longer than this ending in S may be a plural ("DEMANDS", not "ITS")
PATTERN_BEFORE_TOKENS = 8  # a verb pattern's words before the verb are matched this far back
PATTERN_AFTER_TOKENS = 10  # ... and its words after the verb this far ahead


def _verb_entry(v, toks, span, lex: VerbLexicon):
    """The verb lexicon entry whose words start at ``v`` ("BLOW UP"), or None."""
    cands = lex.index.get(v.text.upper(), []) + lex.index.get(v.lemma_.upper(), [])
    for e in cands:
        rest = e.words[1:]
        nxt = toks[v.i - span.start + 1: v.i - span.start + 1 + len(rest)]
        if all(_tok_matches(t, w) for t, w in zip(nxt, rest)) and len(nxt) == len(rest):
            return e
    return None


def _phrase_after(v, window: list) -> list:
    """The tokens of ``window`` in the verb's own phrase (its objects, particles and prepositional phrases, not a
    clause of its own): in "rejected the offer, claiming it was a trap" the pattern "* CLAIM" must not match."""
    own = _subtree_without_clauses(v, set())
    return [t for t in window if t in own]


def _verb_code(v, entry, toks, span) -> tuple[str, bool]:
    """(code, whether the chosen pattern is itself negative) of a verb entry in its sentence."""
    pos = v.i - span.start
    before = toks[max(0, pos - PATTERN_BEFORE_TOKENS):pos]
    after = _phrase_after(v, toks[pos + len(entry.words): pos + len(entry.words) + PATTERN_AFTER_TOKENS])
    code = entry.code
    chosen = None
    for p in entry.patterns:
        if _match_seq(after, p.post, True) and _match_seq(before, p.pre, False):
            chosen = p
            break
    pat_neg = False
    if chosen is not None:
        code = chosen.code
        pat_neg = any(w in NEG_WORDS or w.endswith("N'T") for slot in chosen.pre for alt in slot for w in alt)
    return code, pat_neg


def _source_codes(v, units) -> tuple[list, set, set]:
    """(source actor codes, source tokens, target tokens of a passive) of a coded verb."""
    head, subs, agent = _subject(v)
    passive = any(s.dep_ == "nsubjpass" for s in subs)
    stop = {v}
    src_tokens, tgt_tokens = set(), set()
    if passive:
        for a in agent or [c for c in v.children if c.dep_ == "agent"]:
            src_tokens |= set(a.subtree)
        for s in subs:
            tgt_tokens |= _subtree_without_clauses(s, stop)
    else:
        for s in subs:
            src_tokens |= _subtree_without_clauses(s, stop)
    src = _codes_in(src_tokens, units, first_group=False)
    if not src and subs and all(x.pos_ == "PRON" for x in subs) and head.head is not head:
        # "Ethiopia indicated it would act": a pronoun subject takes the governing clause's subject
        _, subs2, _ = _subject(head.head)
        for s2 in subs2:
            src_tokens |= _subtree_without_clauses(s2, stop)
        src = _codes_in(src_tokens, units, first_group=False)
    return src, src_tokens, tgt_tokens


def _target_codes(v, tgt_tokens: set, src_tokens: set, units) -> list:
    """Target actor codes of a coded verb: a passive's subject, else its objects and prepositions, else the
    subject of its complement clause."""
    tgt = _codes_in(tgt_tokens, units) if tgt_tokens else []
    if not tgt:
        objs = [c for c in v.children if c.dep_ in ("dobj", "dative", "attr", "oprd")]
        preps = [c for c in v.children if c.dep_ in ("prep", "agent") and c.lower_ in PREP_TARGETS]
        particles = [c for c in v.children if c.dep_ in ("xcomp",)]
        for c in objs + preps + particles:
            cand = _codes_in(_subtree_without_clauses(c, {v}) - src_tokens, units)
            if cand:
                tgt = cand
                break
        if not tgt:
            # "Arnor believes Dagolath and Osgiliath can cope": target = the complement clause's subject
            for cc in (c for c in v.children if c.dep_ == "ccomp"
                       and not (c.i < v.i and v.lemma_.lower() in REPORTING)):
                for s2 in (x for x in cc.children if x.dep_ in SUBJ):
                    cand = _codes_in(_subtree_without_clauses(s2, {cc}) - src_tokens, units)
                    if cand:
                        tgt = cand
                        break
                if tgt:
                    break
    return tgt


@dataclass
class CodedVerb:
    """One coded verb of a sentence: its token, CAMEO code (and the code of the reverse direction of a
    two-way pattern such as "met with" 036:036), and the codes of its source and target actor units."""

    verb: object
    code: str
    reverse: str | None
    source: list[str]
    target: list[str]
    negated: bool = False


def code_verbs(span, units, lex: VerbLexicon, keep_negated: bool = False) -> list[CodedVerb]:
    """The coded verbs of a parsed sentence whose source is one of ``units`` ((head, tokens, codes) actor
    units); negated verbs are left out unless their pattern names the negation (or ``keep_negated``: then they
    come with ``negated`` set)."""
    if not units:
        return []
    toks = list(span)
    out: list[CodedVerb] = []
    for v in toks:
        if v.pos_ not in ("VERB", "AUX") and v.tag_ not in ("VBN", "VBD", "VBG"):
            continue
        entry = _verb_entry(v, toks, span, lex)
        if entry is None:
            continue
        code, pat_neg = _verb_code(v, entry, toks, span)
        negated = _negated(v) and not pat_neg
        if negated and not keep_negated:
            continue
        main = code.split(":")[0]
        if not VALID_CODE.match(main or ""):
            continue
        src, src_tokens, tgt_tokens = _source_codes(v, units)
        if not src:
            continue
        tgt = [t for t in _target_codes(v, tgt_tokens, src_tokens, units) if t not in src]
        rev = code.split(":")[1] if ":" in code else None
        out.append(CodedVerb(v, main, rev or None, src, tgt, negated))
    return out


def code_sentence(doc_or_span, actor_lookup: ActorLookup | None = None, verbs: VerbLexicon | None = None,
                  date: int | str | None = None, code_attribution: bool = False) -> list[tuple[str, str, str]]:
    """CAMEO-code one parsed sentence -> [(source, target, code)]; [] when nothing is coded.

    ``code_attribution``: also code bare reporting clauses ("..., a senior official said") as
    023 events without a target (PETRARCH does in some cases; off by default: in news these
    are source attributions, not events).
    """
    lookup = actor_lookup or ActorLookup.petrarch_validate()
    lex = verbs or VerbLexicon.petrarch_validate()
    if isinstance(date, str):
        date = _norm_date(re.sub(r"\D", "", date)) if re.sub(r"\D", "", date) else None
    span = doc_or_span[:] if hasattr(doc_or_span, "sents") else doc_or_span
    upper = " " + " ".join(t.text.upper() for t in span) + " "
    for d in lookup.discards:
        if f" {d.upper()} " in upper:
            return []
    units = _units(span, lookup, date)
    results: list[tuple[str, str, str]] = []
    for cv in code_verbs(span, units, lex):
        if not cv.target and not code_attribution and cv.verb.lemma_.lower() in REPORTING:
            continue
        for s in cv.source:
            for t in cv.target or ["---"]:
                results.append((s, t, cv.code))
                if cv.reverse and t != "---":
                    results.append((t, s, cv.reverse))
    # de-duplicate, keep order
    seen, out = set(), []
    for r in results:
        if r not in seen:
            seen.add(r)
            out.append(r)
    return out
