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


def find_relations(doc: Doc, mentions: list[Mention], am: ActorMatcher, focus: Optional[str]) -> list[Relation]:
    mentions = [m for m in mentions if m.emit]
    if not mentions:
        return []
    by_start = {m.start: m for m in mentions}
    by_end = {m.end: m for m in mentions}
    out: list[tuple[Mention, str, Mention, int, int]] = []

    def sent_bounds(i: int) -> tuple[int, int]:
        return block_bounds(doc, i)

    def mention_at(i: int) -> Optional[Mention]:
        for m in mentions:
            if m.start <= i < m.end:
                return m
        return None

    def by_list(i: int, limit: int, lead: int = 5, commas: bool = True) -> list[Mention]:
        """Coordinated mentions starting at token i ("A, B and C")."""
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
                    lead = 3
                    continue
                if i + 2 < limit and doc[i:i + 3].text.lower() == "as well as":
                    i += 3
                    continue
                break
            t = doc[i]
            if skipped < lead and (t.lower_ in SKIP_LEAD or t.pos_ in ("DET", "ADJ", "ADV") or
                                   am.d.country_of_text(t.text) or (t.pos_ == "PROPN" and not res)):
                i += 1
                skipped += 1
                continue
            break
        return res

    def clause_subject(t_i: int, exclude: list[Mention]) -> Optional[Mention]:
        lo_, hi_ = sent_bounds(t_i)
        m = _clause_subject(t_i, exclude)
        if m is None:
            return None
        if lo_ <= m.start < hi_:
            return m
        # the parse ran lines together (subject found on another line): the mention opening
        # this line is its subject
        first = next((x for x in mentions if lo_ <= x.start < t_i), None)
        if first is not None and first not in exclude and all(doc[k].pos_ in ("DET", "SPACE") or doc[k].is_space
                                                             for k in range(lo_, first.start)):
            return first
        return None

    def _clause_subject(t_i: int, exclude: list[Mention]) -> Optional[Mention]:
        tok = doc[t_i]
        seen = 0
        while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i and seen < 8:
            tok = tok.head
            seen += 1
        for _ in range(4):
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

    def adjacent_before(i: int, lo: int, exclude: list[Mention]) -> Optional[Mention]:
        """The mention just before token i, across determiners, auxiliaries, adverbs, adjectives,
        commas, relative pronouns and participles only ("Hezbollah, which is fighting alongside")."""
        k = i - 1
        steps = 0
        while k >= lo and steps < 7:
            m = by_end.get(k + 1)
            if m is not None and m not in exclude:
                return m
            t = doc[k]
            if t.is_space or t.pos_ in ("DET", "AUX", "ADV", "ADJ", "PART") or t.text == "," or \
                    t.lower_ in ("which", "who", "that") or t.tag_ in ("VBG", "VBN") or \
                    (t.text == ")" and k - 2 >= lo and doc[k - 2].text == "(" and (k - 1) in by_start):
                k -= 1  # "Name (ACRONYM), the ..." : the acronym is the same actor
                steps += 1
                continue
            if t.pos_ in ("NOUN", "PROPN") and appositive_noun(k, lo):
                k -= 1  # "JNIM, the Sahel branch of", "VDP, the civilian auxiliaries who fight alongside"
                steps += 1
                continue
            break
        return None

    def appositive_noun(k: int, lo: int) -> bool:
        """Token k is a word of an appositive noun phrase opened by ', the/a' right after a mention."""
        j = k
        for _ in range(4):
            j -= 1
            if j < lo:
                return False
            if doc[j].lower_ in ("the", "a", "an", "its", "their"):
                p = prev_word(doc, j)
                return p >= lo and doc[p].text in (",", "(") or (p >= lo and (p + 1) in by_end)
            if not (doc[j].pos_ in ("NOUN", "PROPN", "ADJ") or doc[j].is_space):
                return False
        return False

    def nearest_before(i: int, lo: int, exclude: list[Mention]) -> Optional[Mention]:
        best = None
        for m in mentions:
            if lo <= m.start and m.end <= i and m not in exclude:
                best = m
        return best

    for mid, s, e in run_matcher(am.rel, doc):
        kind, relation = am.rel_keys[am.vocab.strings[mid]]
        lo, hi = sent_bounds(s)
        if kind == "passive":
            supporters = by_list(e, hi)
            target = adjacent_before(s, lo, supporters)
            if target is None and doc.has_annotation("DEP") and doc[s].dep_ in ("acl", "relcl"):
                target = mention_at(doc[s].head.i)  # "<noun> (that were) backed by ..."
            for sup in supporters:
                if target is not None:
                    out.append((sup, relation, target, min(target.start, s), sup.end))
        elif kind == "cover":
            supporters = by_list(e, hi)
            target = clause_subject(s, supporters) if doc.has_annotation("DEP") else None
            if target is None:
                target = adjacent_before(s, lo, supporters)
            if target is not None and target.start > s:
                target = None
            for sup in supporters:
                if target is not None:
                    out.append((sup, relation, target, min(target.start, s), sup.end))
        elif kind == "forward":
            # "X, an affiliate of A, and B ...": inside an appositive the list ends at the next comma
            p = prev_word(doc, s)
            while p >= 0 and doc[p].lower_ in ("a", "an", "the", "is", "was", "are", "were", "being", "been"):
                p = prev_word(doc, p)
            appositive = p >= 0 and doc[p].text == ","
            targets = by_list(e, hi, commas=not appositive)
            actor = adjacent_before(s, lo, targets)
            if actor is None and doc.has_annotation("DEP") and doc[s].pos_ == "ADP" \
                    and doc[s].head.pos_ in ("VERB", "AUX") and doc[s].head.i < s:
                actor = clause_subject(s, targets)  # "Turkish artillery fired in support of X"
                if actor is not None and actor.start > s:
                    actor = None
            if actor is None:
                continue
            for t in targets:
                out.append((actor, relation, t, actor.start, t.end))
        elif kind == "compound":
            # "<A>-backed <X>" / "the <A> affiliated <X>"
            j = s - 1
            hyphen = j >= 0 and doc[j].text == "-"
            if hyphen:
                j -= 1
            a = mention_at(j) if j >= 0 else None
            if not hyphen and (a is None or a.source != "named" or a.end != s or mention_at(s) is not None):
                continue  # "Congo Armed Forces", "Somali armed groups": not "<A>-armed X"
            inner = mention_at(s)
            if inner is not None and inner.start < s:
                x = inner  # "US-backed SDF" matched as one alias
            else:
                x = by_start.get(e) or (by_start.get(e + 1) if e + 1 < len(doc) and doc[e].pos_ in ("ADJ", "ADV")
                                        else None)
            if (a is None or a is x) and j >= 0:
                iso3 = am.d.country_of_text(doc[j].text)
                a = Mention(j, j + 1, "country", **am.state_fields("MIL", iso3, focus)) if iso3 else None
            if a is None or x is None or a is x or (a.start <= s < a.end):
                continue
            if relation == "supports":  # "<A>-backed <X>": A supports X
                out.append((a, relation, x, a.start, x.end))
            else:  # "the <A> affiliated <X>": X affiliated with A
                out.append((x, relation, a, a.start, x.end))
    # possessive appositions: "JNIM, al-Qaeda's affiliate in the Sahel", "Iran, Assad's main ally"
    poss = {}
    for rel, words in (am.d.relations.get("possessive") or {}).items():
        for w in words or []:
            poss[w.lower()] = (rel, False)
    for rel, words in (am.d.relations.get("possessive_reverse") or {}).items():
        for w in words or []:
            poss[w.lower()] = (rel, True)
    for a in mentions:
        k = next_word(doc, a.end)
        if k >= len(doc) or doc[k].lower_ not in ("'s", "\u2019s", "'"):
            continue
        j = next_word(doc, k + 1)
        steps = 0
        while j < len(doc) and steps < 3 and doc[j].lower_ not in poss and doc[j].pos_ in ("ADJ", "ADV", "NOUN") \
                and doc[j].lower_ not in am.d.nouns:
            j = next_word(doc, j + 1)
            steps += 1
        if j >= len(doc) or doc[j].lower_ not in poss:
            continue
        rel, reverse = poss[doc[j].lower_]
        lo, _hi = sent_bounds(a.start)
        p = prev_word(doc, a.start)
        x = by_end.get(p) if p >= 0 and doc[p].text == "," else None
        if x is None and p >= 0 and doc[p].text == ",":
            x = adjacent_before(p, lo, [a])
        if x is None or x is a:
            # "Assad's ally Russia", "the regime's backers Russia and Iran": the list after the noun
            n = next_word(doc, j + 1)
            for y in (by_list(n, sent_bounds(a.start)[1], lead=0) if n < len(doc) else []):
                if y is a:
                    continue
                if reverse:
                    out.append((a, rel, y, a.start, y.end))
                else:
                    out.append((y, rel, a, a.start, y.end))
            continue
        if reverse:
            out.append((a, rel, x, x.start, j + 1))
        else:
            out.append((x, rel, a, x.start, j + 1))
    # active voice: "Russia supports the regime", "Iran arms and funds Hezbollah"
    if doc.has_annotation("DEP"):
        verbs = {}
        for rel, lemmas in (am.d.relations.get("active_verbs") or {}).items():
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
            a = mention_at(subj[0].i)
            if a is None:
                continue
            for o in objs:
                for w in [o] + [c for c in o.conjuncts]:
                    x = mention_at(w.i)
                    if x is not None and x is not a:
                        out.append((a, rel, x, min(a.start, x.start), max(a.end, x.end)))
    # cover nouns: "under heavy Russian air cover", "with Russian air support"
    for m in mentions:
        phrase = doc[m.start:m.end].text.lower()
        if not any(phrase.endswith(" " + n) for n in am.cover_nouns):
            continue
        k = m.start - 1
        while k >= 0 and doc[k].lower_ in am.d.adjectives:
            k -= 1
        if k < 0 or doc[k].lower_ not in am.cover_preps:
            continue
        lo, hi = sent_bounds(m.start)
        target = clause_subject(k, [m]) if doc.has_annotation("DEP") else None
        if target is None:
            target = adjacent_before(k, lo, [m])
        if target is not None and target.start > m.start:
            target = None
        if target is not None:
            out.append((m, "supports", target, min(target.start, k), m.end))
    # pro-<A> <X>
    for m in mentions:
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
                out.append((m, "supports", a, m.start, m.end))

    rels: list[Relation] = []
    every: list[Relation] = []  # one per occurrence (backers() looks for support stated in a given sentence)
    seen = set()
    ally_supports = bool(am.d.relations.get("nonstate_ally_of_state_supports", True))
    for actor, relation, target, s, e in out:
        if relation == "allied with" and ally_supports and (actor.inter or 0) in (2, 3, 4) and \
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
