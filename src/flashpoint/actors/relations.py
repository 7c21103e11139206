"""Relations between actor mentions: backers, alliances, affiliations (doc._.relations).

Trigger phrases come from ``data/actors/relations.yaml``; the shapes handled are

* passive:  "<T> backed by <A>, <B> militias"            -> A supports T, B supports T
* cover:    "<T> advanced under the cover of <A>"          -> A supports T (T = clause subject)
            "<T> advances ... under heavy <A air cover>"   -> A supports T
* forward:  "<A> ... in support of <T>", "<A>, an affiliate of <T>", "<A> allied with <T>"
* compound: "<A>-backed <X>", "the <A> affiliated <X>"      -> X supports/affiliated with A
* pro:      "pro-<A> <X>"                                  -> X supports A (when A is another actor)
"""
from __future__ import annotations

from typing import Optional

from spacy.attrs import LEMMA
from spacy.tokens import Doc

from flashpoint.actors.mentions import ActorMatcher, Mention, block_bounds, next_word, prev_word, run_matcher
from flashpoint.model import Relation, Span
from flashpoint.nlp import doc_keys

SKIP_LEAD = {"the", "a", "an", "heavy", "intensified", "its", "their", "his", "her", "both", "fellow", "regime",
             "government", "leader", "president", "syrian", "allied", "local", "some", "several", "main"}
STATE_KINDS = ("state forces", "external state forces")
NONSTATE_INTER = (2, 3, 4)  # ACLED: rebels, political and identity militias
LIST_LEAD_WORDS = 5  # words skipped before a list's first mention ("backed by the heavy Russian ... <A>")
LIST_LEAD_AFTER_COMMA = 3  # and before each later one
ADJACENT_MAX_STEPS = 7  # words crossed back to the mention just before ("Hezbollah, which is fighting alongside")
APPOSITIVE_MAX_WORDS = 4  # words of an appositive noun phrase ("JNIM, the Sahel branch of")
HEAD_CLIMB_MAX = 8  # dependency heads climbed from a trigger to its verb
CLAUSE_CLIMB_MAX = 4  # clauses climbed to find a subject ("X advanced ... and took ... under the cover of")
POSSESSED_MAX_WORDS = 3  # words between "'s" and the relation noun ("Assad's main ally")


def find_relations(doc: Doc, mentions: list[Mention], am: ActorMatcher, focus: Optional[str]) -> list[Relation]:
    """Relations between the emitted mentions, one per (actor, relation, target); every occurrence is kept in
    ``doc.user_data[ACTOR_RELATIONS_ALL]``. The rules of ``RELATION_RULES`` run in order."""
    mentions = [m for m in mentions if m.emit]
    if not mentions:
        return []
    rf = _RelationFinder(doc, mentions, am, focus)
    for rule in RELATION_RULES:
        rule(rf)
    return _relations(doc, rf.out, am, focus)


class _RelationFinder:
    """One document's emitted mentions, the lookups the rules share, and the relations found so far (``out``:
    actor, relation, target, evidence start and end token)."""

    def __init__(self, doc: Doc, mentions: list[Mention], am: ActorMatcher, focus: Optional[str]):
        self.doc, self.mentions, self.am, self.focus = doc, mentions, am, focus
        self.by_start = {m.start: m for m in mentions}
        self.by_end = {m.end: m for m in mentions}
        self.out: list[tuple[Mention, str, Mention, int, int]] = []

    # ------------------------------------------------------------------ lookups
    def sent_bounds(self, i: int) -> tuple[int, int]:
        return block_bounds(self.doc, i)

    def mention_at(self, i: int) -> Optional[Mention]:
        for m in self.mentions:
            if m.start <= i < m.end:
                return m
        return None

    def by_list(self, i: int, limit: int, lead: int = LIST_LEAD_WORDS, commas: bool = True) -> list[Mention]:
        """Coordinated mentions starting at token i ("A, B and C")."""
        doc, by_start = self.doc, self.by_start
        res: list[Mention] = []
        skipped = 0
        closed = False
        while i < limit:
            if doc[i].is_space:
                i += 1
                continue
            if i in by_start:
                m = by_start[i]
                res.append(m)
                i = next_word(doc, m.end)
                if closed:
                    break  # "A, B and C, and D": the list ended with "and C"
                if i < limit and doc[i].lower_ in (",", "and", "or", "&"):
                    if doc[i].lower_ in ("and", "or", "&") or (i + 1 < limit and
                                                              doc[next_word(doc, i + 1)].lower_ in ("and", "or")):
                        closed = True
                    if doc[i].text == "," and not commas:
                        break
                    i = next_word(doc, i + 1)
                    if i < limit and doc[i].lower_ in ("and", "or"):
                        i = next_word(doc, i + 1)
                    skipped = 0
                    lead = LIST_LEAD_AFTER_COMMA
                    continue
                if i + 2 < limit and doc[i:i + 3].text.lower() == "as well as":
                    i += 3
                    continue
                break
            t = doc[i]
            if skipped < lead and (t.lower_ in SKIP_LEAD or t.pos_ in ("DET", "ADJ", "ADV") or
                                   self.am.d.country_of_text(t.text) or (t.pos_ == "PROPN" and not res)):
                i += 1
                skipped += 1
                continue
            break
        return res

    def clause_subject(self, t_i: int, exclude: list[Mention]) -> Optional[Mention]:
        doc = self.doc
        lo_, hi_ = self.sent_bounds(t_i)
        m = self._clause_subject(t_i, exclude)
        if m is None:
            return None
        if lo_ <= m.start < hi_:
            return m
        # the parse ran lines together (subject found on another line): the mention opening
        # this line is its subject
        first = next((x for x in self.mentions if lo_ <= x.start < t_i), None)
        if first is not None and first not in exclude and all(doc[k].pos_ in ("DET", "SPACE") or doc[k].is_space
                                                             for k in range(lo_, first.start)):
            return first
        return None

    def _clause_subject(self, t_i: int, exclude: list[Mention]) -> Optional[Mention]:
        mention_at = self.mention_at
        tok = self.doc[t_i]
        seen = 0
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i and seen < HEAD_CLIMB_MAX:
            tok = tok.head
            seen += 1
        for _ in range(CLAUSE_CLIMB_MAX):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                s = subj[0]
                if s.lower_ in ("which", "that", "who") and tok.dep_ == "relcl":
                    m = mention_at(tok.head.i)
                    if m and m not in exclude:
                        return m
                m = mention_at(s.i)
                if m and m not in exclude:
                    return m
                for w in s.subtree:
                    m = mention_at(w.i)
                    if m and m not in exclude:
                        return m
            if tok.dep_ in ("conj", "advcl", "xcomp", "relcl", "acl") and tok.head.i != tok.i:
                if tok.dep_ in ("relcl", "acl"):
                    m = mention_at(tok.head.i)
                    if m and m not in exclude:
                        return m
                tok = tok.head
                continue
            break
        return None

    def adjacent_before(self, i: int, lo: int, exclude: list[Mention]) -> Optional[Mention]:
        """The mention just before token i, across determiners, auxiliaries, adverbs, adjectives,
        commas, relative pronouns and participles only ("Hezbollah, which is fighting alongside")."""
        doc = self.doc
        k = i - 1
        steps = 0
        while k >= lo and steps < ADJACENT_MAX_STEPS:
            m = self.by_end.get(k + 1)
            if m is not None and m not in exclude:
                return m
            t = doc[k]
            if t.is_space or t.pos_ in ("DET", "AUX", "ADV", "ADJ", "PART") or t.text == "," or \
                    t.lower_ in ("which", "who", "that") or t.tag_ in ("VBG", "VBN") or \
                    (t.text == ")" and k - 2 >= lo and doc[k - 2].text == "(" and (k - 1) in self.by_start):
                k -= 1  # "Name (ACRONYM), the ..." : the acronym is the same actor
                steps += 1
                continue
            if t.pos_ in ("NOUN", "PROPN") and self.appositive_noun(k, lo):
                k -= 1  # "JNIM, the Sahel branch of", "VDP, the civilian auxiliaries who fight alongside"
                steps += 1
                continue
            break
        return None

    def appositive_noun(self, k: int, lo: int) -> bool:
        """Token k is a word of an appositive noun phrase opened by ', the/a' right after a mention."""
        doc = self.doc
        j = k
        for _ in range(APPOSITIVE_MAX_WORDS):
            j -= 1
            if j < lo:
                return False
            if doc[j].lower_ in ("the", "a", "an", "its", "their"):
                p = prev_word(doc, j)
                return p >= lo and doc[p].text in (",", "(") or (p >= lo and (p + 1) in self.by_end)
            if not (doc[j].pos_ in ("NOUN", "PROPN", "ADJ") or doc[j].is_space):
                return False
        return False

    # ------------------------------------------------------------------ trigger phrases (relations.yaml)
    def trigger_phrases(self) -> None:
        """The trigger phrases of ``relations.yaml``, each read by the rule of its kind (``TRIGGER_RULES``)."""
        am = self.am
        for mid, s, e in run_matcher(am.rel, self.doc):
            kind, relation = am.rel_keys[am.vocab.strings[mid]]
            lo, hi = self.sent_bounds(s)
            rule = TRIGGER_RULES.get(kind)
            if rule is not None:
                rule(self, relation, s, e, lo, hi)

    def passive(self, relation: str, s: int, e: int, lo: int, hi: int) -> None:
        """"<T> backed by <A>, <B> militias": A supports T, B supports T."""
        doc = self.doc
        supporters = self.by_list(e, hi)
        target = self.adjacent_before(s, lo, supporters)
        if target is None and doc.has_annotation("DEP") and doc[s].dep_ in ("acl", "relcl"):
            target = self.mention_at(doc[s].head.i)  # "<noun> (that were) backed by ..."
        for sup in supporters:
            if target is not None:
                self.out.append((sup, relation, target, min(target.start, s), sup.end))

    def cover(self, relation: str, s: int, e: int, lo: int, hi: int) -> None:
        """"<T> advanced under the cover of <A>": A supports T (T = the clause subject)."""
        supporters = self.by_list(e, hi)
        target = self.clause_subject(s, supporters) if self.doc.has_annotation("DEP") else None
        if target is None:
            target = self.adjacent_before(s, lo, supporters)
        if target is not None and target.start > s:
            target = None
        for sup in supporters:
            if target is not None:
                self.out.append((sup, relation, target, min(target.start, s), sup.end))

    def forward(self, relation: str, s: int, e: int, lo: int, hi: int) -> None:
        """"<A> ... in support of <T>", "<A>, an affiliate of <T>", "<A> allied with <T>"; "X, an affiliate of A,
        and B ...": inside an appositive the list ends at the next comma."""
        doc = self.doc
        p = prev_word(doc, s)
        while p >= 0 and doc[p].lower_ in ("a", "an", "the", "is", "was", "are", "were", "being", "been"):
            p = prev_word(doc, p)
        appositive = p >= 0 and doc[p].text == ","
        targets = self.by_list(e, hi, commas=not appositive)
        actor = self.adjacent_before(s, lo, targets)
        if actor is None and doc.has_annotation("DEP") and doc[s].pos_ == "ADP" \
                and doc[s].head.pos_ in ("VERB", "AUX") and doc[s].head.i < s:
            actor = self.clause_subject(s, targets)  # "Turkish artillery fired in support of X"
            if actor is not None and actor.start > s:
                actor = None
        if actor is None:
            return
        for t in targets:
            self.out.append((actor, relation, t, actor.start, t.end))

    def compound(self, relation: str, s: int, e: int, lo: int, hi: int) -> None:
        """"<A>-backed <X>": A supports X; "the <A> affiliated <X>": X affiliated with A."""
        doc, am = self.doc, self.am
        j = s - 1
        hyphen = j >= 0 and doc[j].text == "-"
        if hyphen:
            j -= 1
        a = self.mention_at(j) if j >= 0 else None
        if not hyphen and (a is None or a.source != "named" or a.end != s or self.mention_at(s) is not None):
            return  # "Congo Armed Forces", "Somali armed groups": not "<A>-armed X"
        inner = self.mention_at(s)
        if inner is not None and inner.start < s:
            x = inner  # "US-backed SDF" matched as one alias
        else:
            x = self.by_start.get(e) or (self.by_start.get(e + 1) if e + 1 < len(doc) and
                                         doc[e].pos_ in ("ADJ", "ADV") else None)
        if (a is None or a is x) and j >= 0:
            iso3 = am.d.country_of_text(doc[j].text)
            a = Mention(j, j + 1, "country", **am.state_fields("MIL", iso3, self.focus)) if iso3 else None
        if a is None or x is None or a is x or (a.start <= s < a.end):
            return
        if relation == "supports":  # "<A>-backed <X>": A supports X
            self.out.append((a, relation, x, a.start, x.end))
        else:  # "the <A> affiliated <X>": X affiliated with A
            self.out.append((x, relation, a, a.start, x.end))

    # ------------------------------------------------------------------ shapes without a trigger phrase
    def possessive_appositions(self) -> None:
        """"JNIM, al-Qaeda's affiliate in the Sahel", "Iran, Assad's main ally"; "Assad's ally Russia", "the
        regime's backers Russia and Iran": the list after the noun."""
        doc, am = self.doc, self.am
        poss = _possessive_nouns(am)
        for a in self.mentions:
            k = next_word(doc, a.end)
            if k >= len(doc) or doc[k].lower_ not in ("'s", "\u2019s", "'"):
                continue
            j = next_word(doc, k + 1)
            steps = 0
            while j < len(doc) and steps < POSSESSED_MAX_WORDS and doc[j].lower_ not in poss and \
                    doc[j].pos_ in ("ADJ", "ADV", "NOUN") and doc[j].lower_ not in am.d.nouns:
                j = next_word(doc, j + 1)
                steps += 1
            if j >= len(doc) or doc[j].lower_ not in poss:
                continue
            self._possessive_apposition(a, j, *poss[doc[j].lower_])

    def _possessive_apposition(self, a: Mention, j: int, rel: str, reverse: bool) -> None:
        doc, out = self.doc, self.out
        lo, _hi = self.sent_bounds(a.start)
        p = prev_word(doc, a.start)
        x = self.by_end.get(p) if p >= 0 and doc[p].text == "," else None
        if x is None and p >= 0 and doc[p].text == ",":
            x = self.adjacent_before(p, lo, [a])
        if x is None or x is a:
            # "Assad's ally Russia", "the regime's backers Russia and Iran": the list after the noun
            n = next_word(doc, j + 1)
            for y in (self.by_list(n, self.sent_bounds(a.start)[1], lead=0) if n < len(doc) else []):
                if y is a:
                    continue
                if reverse:
                    out.append((a, rel, y, a.start, y.end))
                else:
                    out.append((y, rel, a, a.start, y.end))
            return
        if reverse:
            out.append((a, rel, x, x.start, j + 1))
        else:
            out.append((x, rel, a, x.start, j + 1))

    def active_verbs(self) -> None:
        """"Russia supports the regime", "Iran arms and funds Hezbollah": active voice (needs the parse)."""
        doc = self.doc
        if not doc.has_annotation("DEP"):
            return
        verbs = {}
        for rel, lemmas in (self.am.d.relations.get("active_verbs") or {}).items():
            for lm in lemmas or []:
                verbs[lm.lower()] = rel
        strings = doc.vocab.strings
        at = [i for i, h in enumerate(doc.to_array(LEMMA).tolist()) if strings[h].lower() in verbs]
        for t in (doc[i] for i in at):
            rel = verbs.get(t.lemma_.lower())
            if rel is None or t.pos_ != "VERB" or t.tag_ == "VBN":
                continue
            head = t
            while head.dep_ == "conj" and head.head.pos_ == "VERB" and head.head.i != head.i:
                head = head.head  # "arms and funds": the subject sits on the first verb
            subj = [c for c in head.children if c.dep_ == "nsubj"]
            objs = [c for c in t.children if c.dep_ in ("dobj", "obj")]
            if not subj or not objs:
                continue
            a = self.mention_at(subj[0].i)
            if a is None:
                continue
            for o in objs:
                for w in [o] + [c for c in o.conjuncts]:
                    x = self.mention_at(w.i)
                    if x is not None and x is not a:
                        self.out.append((a, rel, x, min(a.start, x.start), max(a.end, x.end)))

    def cover_nouns(self) -> None:
        """"under heavy Russian air cover", "with Russian air support": the cover's actor supports the clause
        subject."""
        doc, am = self.doc, self.am
        for m in self.mentions:
            phrase = doc[m.start:m.end].text.lower()
            if not any(phrase.endswith(" " + n) for n in am.cover_nouns):
                continue
            k = m.start - 1
            while k >= 0 and doc[k].lower_ in am.d.adjectives:
                k -= 1
            if k < 0 or doc[k].lower_ not in am.cover_preps:
                continue
            lo, hi = self.sent_bounds(m.start)
            target = self.clause_subject(k, [m]) if doc.has_annotation("DEP") else None
            if target is None:
                target = self.adjacent_before(k, lo, [m])
            if target is not None and target.start > m.start:
                target = None
            if target is not None:
                self.out.append((m, "supports", target, min(target.start, k), m.end))

    def pro_prefixes(self) -> None:
        """"pro-<A> <X>": X supports A (when A is another actor)."""
        doc, am, focus = self.doc, self.am, self.focus
        for m in self.mentions:
            toks = doc[m.start:m.end]
            if len(toks) >= 3 and toks[0].lower_ == "pro" and toks[1].text == "-":
                a_text = toks[2].text
                iso3 = am.d.country_of_text(a_text)
                hit = am.lookup_alias(a_text)
                a_fields = None
                if hit:
                    a_fields = am.entry_fields(am._pick(hit, focus), focus)
                elif iso3 and iso3 != m.country:
                    a_fields = am.state_fields("GOV", iso3, focus)
                if a_fields and a_fields["canonical"] != m.canonical and a_fields.get("country") != m.country:
                    a = Mention(m.start + 2, m.start + 3, "named", **{k: v for k, v in a_fields.items()
                                                                      if k in Mention.__dataclass_fields__})
                    self.out.append((m, "supports", a, m.start, m.end))


# the trigger phrase kinds of relations.yaml and the rule reading each
TRIGGER_RULES = {
    "passive": _RelationFinder.passive,
    "cover": _RelationFinder.cover,
    "forward": _RelationFinder.forward,
    "compound": _RelationFinder.compound,
}
# every rule, in order (the order of ``doc.user_data[ACTOR_RELATIONS_ALL]``)
RELATION_RULES = (
    _RelationFinder.trigger_phrases,
    _RelationFinder.possessive_appositions,
    _RelationFinder.active_verbs,
    _RelationFinder.cover_nouns,
    _RelationFinder.pro_prefixes,
)


def _possessive_nouns(am: ActorMatcher) -> dict[str, tuple[str, bool]]:
    """Relation nouns after "'s": noun -> (relation, reversed) ("al-Qaeda's affiliate", "Assad's ally")."""
    poss = {}
    for rel, words in (am.d.relations.get("possessive") or {}).items():
        for w in words or []:
            poss[w.lower()] = (rel, False)
    for rel, words in (am.d.relations.get("possessive_reverse") or {}).items():
        for w in words or []:
            poss[w.lower()] = (rel, True)
    return poss


def _relations(doc: Doc, out: list[tuple[Mention, str, Mention, int, int]], am: ActorMatcher,
               focus: Optional[str]) -> list[Relation]:
    """The relations found, one per (actor, relation, target); every distinct occurrence goes to
    ``doc.user_data[ACTOR_RELATIONS_ALL]`` (backers() looks for support stated in a given sentence)."""
    rels: list[Relation] = []
    every: list[Relation] = []  # one per occurrence (backers() looks for support stated in a given sentence)
    seen = set()
    ally_supports = bool(am.d.relations.get("nonstate_ally_of_state_supports", True))
    for actor, relation, target, s, e in out:
        if relation == "allied with" and ally_supports and (actor.inter or 0) in NONSTATE_INTER and \
                (target.kind or "") in STATE_KINDS:
            relation = "supports"  # "VDP, auxiliaries who fight alongside the army": they support it
        a_name = _relation_name(actor, target, am, focus)
        t_name = _relation_name(target, actor, am, focus)
        if not a_name or not t_name or a_name == t_name:
            continue
        s, e = max(0, min(s, e - 1)), max(s + 1, e)
        span = doc[s:e]
        rel = Relation(actor=a_name, relation=relation, target=t_name,
                       evidence=Span(text=span.text, start=span.start_char, end=span.end_char))
        key = (a_name, relation, t_name)
        if not any((r.actor, r.relation, r.target) == key and r.evidence.start == rel.evidence.start
                   and r.evidence.end == rel.evidence.end for r in every):
            every.append(rel)
        if key in seen:
            continue
        seen.add(key)
        rels.append(rel)
    doc.user_data[doc_keys.ACTOR_RELATIONS_ALL] = every
    return rels


def _relation_name(m: Mention, other: Mention, am: ActorMatcher, focus: Optional[str]) -> Optional[str]:
    """Canonical name used in relations: a leader stands for what he leads; a head of state
    backed militarily stands for the state's forces."""
    e = m.entry
    if e is not None and e.person and e.acts_for:
        name = e.acts_for
        rc = am.d.role_of_canonical(name)
        if rc and rc[0] == "GOV" and (other.kind or "").startswith(STATE_KINDS + ("political militia", "rebel")):
            return am.d.role_name("MIL", rc[1])
        if rc and rc[0] == "GOV" and other.role == "MIL":
            return am.d.role_name("MIL", rc[1])
        return name
    return m.canonical
