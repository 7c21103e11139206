"""Actor mentions in a spaCy Doc: dictionary names, generic role nouns, countries acting, persons.

Everything is matched on token boundaries with spaCy PhraseMatchers (LOWER, and ORTH for
short acronyms such as IS, HTS, SDF), so "assad" never fires inside "ambassador" nor
"hts" inside "rights". Overlapping candidates are resolved longest-first, dictionary
names before generic nouns.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from spacy.attrs import IS_SPACE, LOWER, ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from flashpoint.actors.dictionary import ActorDictionary, ActorEntry, is_acronym
from flashpoint.model import Actor
from flashpoint.nlp import doc_keys

GROUP_EXTENSIONS = {"militias", "militia", "fighters", "forces", "militants", "troops", "units", "brigades",
                    "members", "jihadists", "rebels", "insurgents", "militiamen", "gunmen", "group", "movement",
                    "terrorists", "extremists", "operatives", "mercenaries", "cells",
                    # "the attack was carried out by ELN guerrillas", "Shining Path commandos"
                    "guerrillas", "guerrilla", "commandos", "cadres"}
COORD = {",", "and", "or", "&", "as", "well"}
MIL_HEADS = {"army", "forces", "force", "corps", "division", "regiment", "guards", "guard"}
REB_HEADS = {"front", "movement", "liberation"}
ARMED_ROLES = {"MIL", "REB", "MILITIA", "UAF", "GANG"}
# non-state roles an appositive or a definite noun ties to a named group ("the gang" -> the named cartel)
NONSTATE_ROLES = ("REB", "UAF", "MILITIA", "GANG")
NOT_ABOUT_SUFFIXES = {"backed", "based", "made", "led", "funded", "supported", "sponsored", "trained", "installed",
                      "built", "supplied", "armed", "born", "owned", "registered"}
PERSON_TITLES = {"leader", "president", "spokesman", "spokesperson", "official", "commander", "chief",
                 "minister", "head", "envoy", "ambassador", "general", "colonel", "emir", "founder"}
# ACLED interaction codes of armed actors: state forces, rebels, political and identity militias, external forces
ARMED_INTER = (1, 2, 3, 4, 8)
NONSTATE_ARMED_INTER = (2, 3)  # rebels and political militias
# generic nouns whose country may follow: "the Armed Forces of the Russian Federation", "security forces of Mali"
OF_COUNTRY_ROLES = ("MIL", "COP", "GOV", "SPY")
COUNT_WORDS = ("dozens", "hundreds", "thousands", "scores", "several", "many", "some")  # "dozens of Syrians"
# candidate priorities when overlapping candidates are equally long (higher wins)
PRIO_EXACT_ALIAS = 4  # "African Union forces" as an alias beats "African Union" + a group noun
PRIO_EXTENDED = 3  # a name extended by a group noun or a platform ("Hezbollah drones")
PRIO_OF_COUNTRY = 2  # "security forces of Mali"
PRIO_GENERIC = 2.0
PRIO_GENERIC_PLATFORM = 1.9  # "Russian fighter jets" are warplanes, not "fighter" + jets
PRIO_GROUP = 1  # groups missing from the dictionary
SHORT_ACRONYM_MAX = 3  # "AA", "PDF", "CSP": letters of an acronym trusted only where its group operates
GROUP_NAME_MAX_WORDS = 6  # "<Demonym> <Capitalised Name ... Units>": words after the demonym
OPENED_NAME_MAX_WORDS = 6  # "Liwa al-Haq": words after an Arabic opener
SAME_PLURAL_MAX_SENTENCES = 2  # "Jihadists execute ... Jihadists from the Islamic State": sentences apart
# the article's own country votes overrule a given focus country only against a clear leader
FOCUS_OVERRIDE_MIN_VOTES = 6
FOCUS_OVERRIDE_RATIO = 2
# what an anaphor or an "of"-head takes over from the actor it stands for
# an article naming one rebel group only: its bare guerrilla nouns are that group. Not "rebels" or "the opposition":
# in a war of many factions they are the many ("Syrian rebels" in an article naming only Jabhat al-Nusra)
SOLE_GROUP_INTER = (2,)
SOLE_GROUP_ROLES = ("REB",)
SOLE_GROUP_HEADS = ("guerrillas", "guerrilla", "guerillas", "guerilla", "subversives")
ACTOR_FIELDS = ("canonical", "actor_id", "kind", "inter", "country", "cameo", "role", "entry")


@dataclass
class Mention:
    start: int  # token index
    end: int
    source: str  # named | generic | group | coord | country | person
    canonical: str
    actor_id: Optional[str] = None
    kind: Optional[str] = None
    inter: Optional[int] = None
    country: Optional[str] = None  # ISO3
    cameo: Optional[str] = None
    role: Optional[str] = None  # MIL, REB ... for generic/state mentions
    entry: Optional[ActorEntry] = None
    emit: bool = True
    affiliation: Optional[str] = None
    head: Optional[str] = None  # lower-case last word (for shared heads)
    extra: dict = field(default_factory=dict)

    def actor(self, doc: Doc) -> Actor:
        span = doc[self.start:self.end]
        kw = dict(name=span.text, canonical=self.canonical, actor_id=self.actor_id, kind=self.kind,
                  inter=self.inter, country=self.country, cameo=self.cameo,
                  start=span.start_char, end=span.end_char)
        if self.affiliation and "affiliation" in Actor.model_fields:
            kw["affiliation"] = self.affiliation
        return Actor(**kw)


def run_matcher(matcher: PhraseMatcher, doc: Doc) -> list[tuple[int, int, int]]:
    """PhraseMatcher matches ignoring whitespace tokens ("rebel  groups" with a double space)."""
    if not doc.to_array(IS_SPACE).any():  # one array read, not a Token object per word
        return list(matcher(doc))
    idx = [t.i for t in doc if not t.is_space]
    compact = Doc(doc.vocab, words=[doc[i].text for i in idx])
    out = []
    for mid, s, e in matcher(compact):
        out.append((mid, idx[s], idx[e - 1] + 1))
    return out


def lowers(doc: Doc) -> list[str]:
    """``[t.lower_ for t in doc]`` from one array read, kept per doc (no Token object per word)."""
    key = (doc_keys.LOWERS, len(doc))
    out = doc.user_data.get(key)
    if out is None:
        strings = doc.vocab.strings
        out = doc.user_data[key] = [strings[x] for x in doc.to_array(LOWER).tolist()]
    return out


def block_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token bounds of the sentence holding token i, cut at line breaks (headlines, captions and
    paragraphs are separate even when the parser runs them into one sentence)."""
    if doc.has_annotation("SENT_START"):
        sent = doc[i].sent
        lo, hi = sent.start, sent.end
    else:
        lo, hi = 0, len(doc)
    k = i
    while k > lo and not (doc[k - 1].is_space and "\n" in doc[k - 1].text) and "\n" not in doc[k - 1].whitespace_:
        k -= 1
    j = i
    while j + 1 < hi and not (doc[j + 1].is_space and "\n" in doc[j + 1].text) and "\n" not in doc[j].whitespace_:
        j += 1
    return k, j + 1


def next_word(doc: Doc, i: int) -> int:
    """Index of the first non-space token at or after i (len(doc) if none)."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def prev_word(doc: Doc, i: int) -> int:
    """Index of the last non-space token before i (-1 if none)."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


class ActorMatcher:
    """Matchers for one spaCy vocabulary/tokenizer."""

    def __init__(self, make_doc, vocab, d: ActorDictionary):
        self.d = d
        self.vocab = vocab
        self.make_doc = make_doc
        self.named_lower = PhraseMatcher(vocab, attr="LOWER")
        self.named_orth = PhraseMatcher(vocab, attr="ORTH")
        for key in d.alias_entries:
            (self.named_orth if is_acronym(key) else self.named_lower).add(key, [make_doc(key)])
        # possessives written without the apostrophe in flattened text ("Assads air force", "Russias warplanes"):
        # one-word person names and country names + "s", read as possessives only before a noun
        self.poss_alias: dict[str, str] = {}
        for key, entries in d.alias_entries.items():
            if " " not in key and len(key) >= 4 and not is_acronym(key) and not key.endswith("s") and \
                    any(e.person for e in entries) and (key + "s") not in d.alias_entries:
                self.poss_alias[key + "s"] = key
                self.named_lower.add(key + "s", [make_doc(key + "s")])
        self.country_lower = PhraseMatcher(vocab, attr="LOWER")
        self.country_orth = PhraseMatcher(vocab, attr="ORTH")
        self.country_forms = dict(d.country_forms)
        for key, (iso3, form) in d.country_forms.items():
            if form == "name" and " " not in key and len(key) >= 4 and not key.lower().endswith("s") and \
                    (key + "s") not in d.country_forms and (key.lower() + "s") not in d.country_forms:
                self.country_forms[key + "s"] = (iso3, "possessive")
        for key in self.country_forms:
            (self.country_orth if is_acronym(key) else self.country_lower).add(key, [make_doc(key)])
        self.places = PhraseMatcher(vocab, attr="LOWER")
        for key in d.place_forms:
            self.places.add(key, [make_doc(key)])
        self.nouns = PhraseMatcher(vocab, attr="LOWER")
        for phrase in d.nouns:
            self.nouns.add(phrase, [make_doc(phrase)])
        self.rel = PhraseMatcher(vocab, attr="LOWER")
        self.rel_keys: dict[str, tuple[str, str]] = {}
        r = d.relations

        def add(kind, relation, phrase):
            key = f"{kind}|{relation}|{phrase}"
            self.rel_keys[key] = (kind, relation)
            self.rel.add(key, [make_doc(phrase)])

        for rel, words in (r.get("passive_by") or {}).items():
            for w in words or []:
                add("passive", rel, f"{w} by")
        for rel, phrases in (r.get("cover_phrases") or {}).items():
            for p in phrases or []:
                add("cover", rel, p)
        for rel, phrases in (r.get("forward_phrases") or {}).items():
            for p in phrases or []:
                add("forward", rel, p)
        for rel, words in (r.get("compound") or {}).items():
            for w in words or []:
                add("compound", rel, w)
        self.person_roles = sorted({x.lower() for x in r.get("person_roles") or []}, key=lambda x: -len(x))
        self.person_link = {x.lower() for x in r.get("person_link") or []}
        self.possessed = {x.lower() for x in r.get("possessed_agentive") or []}
        self.cover_nouns = {x.lower() for x in r.get("cover_nouns") or []}
        self.cover_preps = {x.lower() for x in r.get("cover_preps") or []}
        self.statement_verbs = {x.lower() for x in r.get("statement_verbs") or []}

    # ------------------------------------------------------------------ helpers
    def _key(self, doc: Doc, match_id: int) -> str:
        return self.vocab.strings[match_id]

    def _pick(self, entries: list[ActorEntry], focus: Optional[str]) -> ActorEntry:
        if len(entries) == 1 or not focus:
            return entries[0]
        for e in entries:
            if focus in e.focus:
                return e
        for e in entries:
            if e.country == focus:
                return e
        nofocus = [e for e in entries if not e.focus]
        return nofocus[0] if nofocus else entries[0]

    def state_fields(self, role: str, iso3: Optional[str], focus: Optional[str]) -> dict:
        d = self.d
        r = d.roles[role]
        canonical = d.role_name(role, iso3)
        kind, inter = r.kind, r.inter
        if r.state and iso3 and focus and iso3 != focus:
            kind, inter = d.external.get("kind", kind), int(d.external.get("inter", inter))
        cameo = f"{iso3 or ''}{r.cameo}"
        aid = f"{iso3}-{role}".lower() if iso3 else f"unk-{role}".lower()
        return dict(canonical=canonical, actor_id=aid, kind=kind, inter=inter, country=iso3, cameo=cameo, role=role)

    def entry_fields(self, e: ActorEntry, focus: Optional[str]) -> dict:
        if e.state_alias:
            return self.state_fields(e.state_alias.get("role", "MIL"), e.state_alias.get("country", e.country), focus)
        canonical, country = e.name, e.country
        if e.scope_by_country and focus:
            c = self.d.country(focus)
            if c:
                canonical, country = f"{e.name} ({c.name})", c.iso3
        kind, inter, cameo, affiliation = e.kind, e.inter, e.cameo, None
        if e.person:
            kind = f"person ({e.role})" if e.role else "person"
            affiliation = e.acts_for
            target = self.resolve_canonical(e.acts_for, focus) if e.acts_for else None
            if target:
                inter = target.get("inter")
                cameo = cameo or target.get("cameo")
        return dict(canonical=canonical, actor_id=e.actor_id, kind=kind, inter=inter, country=country, cameo=cameo,
                    affiliation=affiliation)

    def resolve_canonical(self, name: str, focus: Optional[str]) -> Optional[dict]:
        """Fields of the actor with this canonical name (dictionary entry or generic role name)."""
        e = self.d.entry(name)
        if e is not None and not e.person:
            return self.entry_fields(e, focus)
        rc = self.d.role_of_canonical(name)
        if rc:
            return self.state_fields(rc[0], rc[1], focus)
        return None

    def lookup_alias(self, text: str) -> Optional[list[ActorEntry]]:
        t = re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()
        return self.d.alias_entries.get(t) or self.d.alias_entries.get(t.lower())

    # ------------------------------------------------------------------ main
    def find(self, doc: Doc, focus: Optional[str] = None, use_parse: bool = True) -> tuple[list[Mention], Optional[str]]:
        """Mentions (sorted, non-overlapping) and the ISO3 country used for bare generic nouns.

        Candidates first (dictionary names, generic nouns, "<Demonym> ... Units" groups, unknown named groups), the
        longest of overlapping ones kept; then the rules of ``MENTION_RULES`` in order, each adding or re-reading
        mentions."""
        countries = self._countries(doc)
        named_hits = run_matcher(self.named_lower, doc) + run_matcher(self.named_orth, doc)
        focus = _article_focus(focus, self._country_votes(doc, countries, named_hits))
        sc = _Scan(doc, focus, countries, named_hits, has_parse=use_parse and doc.has_annotation("DEP"))
        for stage in (self._named_candidates, self._generic_candidates, self._demonym_group_candidates,
                      self._unknown_group_candidates):
            stage(sc)
        sc.mentions = _select(sc.cands)
        sc.taken = _taken(sc.mentions)
        for rule in MENTION_RULES:
            rule(self, sc)
        sc.mentions.sort(key=lambda m: m.start)
        return sc.mentions, focus

    def _countries(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """Country names, aliases and demonyms: (start, end, iso3, form), the longest of overlapping ones."""
        countries: list[tuple[int, int, str, str]] = []  # start, end, iso3, form
        for mid, s, e in run_matcher(self.country_lower, doc) + run_matcher(self.country_orth, doc):
            iso3, form = self.country_forms[self._key(doc, mid)]
            if form == "possessive":
                n = next_word(doc, e)
                if not (n < len(doc) and doc[n].pos_ in ("NOUN", "ADJ") and doc[n].is_lower):
                    continue  # "Syrias" alone is not a possessive
                form = "name"
            countries.append((s, e, iso3, form))
        return _longest(countries)

    # ------------------------------------------------------------------ 1. dictionary names
    def _named_candidates(self, sc: "_Scan") -> None:
        """Dictionary names ("Hezbollah", "the Free Syrian Army"); their tokens are closed to generic nouns."""
        for mid, s, e in sc.named_hits:
            cand = self._named_candidate(sc, mid, s, e)
            if cand is not None:
                sc.cands.append(cand)
        sc.named_tokens = {i for (s_, e_, _p, _m) in sc.cands for i in range(s_, e_)}

    def _named_entries(self, doc: Doc, key: str, s: int, e: int) -> Optional[list[ActorEntry]]:
        """The entries of an alias; "Assads air force": a one-word person name + "s" before a noun is his."""
        entries = self.d.alias_entries.get(key)
        if not entries and key in self.poss_alias:
            n = next_word(doc, e)
            if n < len(doc) and doc[n].pos_ in ("NOUN", "ADJ") and doc[n].is_lower and doc[s].is_title:
                entries = self.d.alias_entries.get(self.poss_alias[key])  # "Assads air force"
        return entries

    def _named_candidate(self, sc: "_Scan", mid: int, s: int, e: int) -> Optional[tuple]:
        doc, focus = sc.doc, sc.focus
        key = self._key(doc, mid)
        entries = self._named_entries(doc, key, s, e)
        if not entries:
            return None
        if is_acronym(key) and _in_caps_run(doc, s, e):
            return None  # "WHAT IS HAPPENING": an all-caps headline, not the acronym
        ent = self._pick(entries, focus)
        if is_acronym(key) and len(key.replace(".", "")) <= SHORT_ACRONYM_MAX and ent.focus and focus not in ent.focus:
            return None  # "AA", "PDF", "CSP": only where the group operates (entry.focus)
        n2 = next_word(doc, e)
        if ent.state_alias and n2 + 1 < len(doc) and doc[n2].lower_ in PERSON_TITLES \
                and doc[n2 + 1].pos_ == "PROPN":
            return None  # "Syrian regime leader Bashar al-Assad": the person carries the state
        n = next_word(doc, e)
        prio = PRIO_EXACT_ALIAS  # an exact alias ("African Union forces") beats a shorter one extended by a group noun
        if not ent.person and n < len(doc) and doc[n].lower_ in GROUP_EXTENSIONS and \
                not doc[s:e].text.lower().endswith(doc[n].lower_):
            e = n + 1
            prio = PRIO_EXTENDED
        if not ent.person and ent.emit and (ent.state_alias or (ent.inter or 0) in ARMED_INTER):
            pe = self.platform_after(doc, e)
            if pe is not None:  # "coalition air strike", "Hezbollah drones": the forces operating them
                e, prio = pe, PRIO_EXTENDED
        f = self.entry_fields(ent, focus)
        m = Mention(s, e, "named", entry=ent, emit=ent.emit, head=doc[e - 1].lower_, **f)
        return (s, e, prio, m)

    # ------------------------------------------------------------------ 2. generic nouns
    def _generic_candidates(self, sc: "_Scan") -> None:
        """Generic nouns ("the army", "rebels"), with a country modifier when there is one."""
        for mid, s, e in run_matcher(self.nouns, sc.doc):
            cand = self._generic_candidate(sc, mid, s, e)
            if cand is not None:
                sc.cands.append(cand)

    def _generic_candidate(self, sc: "_Scan", mid: int, s: int, e: int) -> Optional[tuple]:
        doc, d = sc.doc, self.d
        if any(i in sc.named_tokens for i in range(s, e)):
            return None  # "Syria Free Syrian Army": the dictionary name wins over "syrian army"
        phrase = self._key(doc, mid)
        role, bare = d.nouns[phrase]
        if role not in d.roles:
            return None
        e, platform, prio_g = self._platform_extension(doc, role, phrase, e)
        role, force_obj = self._force_object(doc, role, bare, platform, e)
        n_ag = next_word(doc, e)
        agentive = n_ag == e and n_ag < len(doc) and doc[n_ag].lower_ in d.agentive_heads
        if not platform and not force_obj and not agentive and _is_modifier(doc, s, e):
            return None
        c = self._country_modifier(sc, s)
        if c is None and role in OF_COUNTRY_ROLES:
            cand = self._of_country_candidate(sc, role, phrase, s, e)
            if cand is not None:
                return cand
        if c is not None:
            start, iso3 = c[0], c[2]
            if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "pro":
                start -= 2
        elif bare:
            p = prev_word(doc, s)
            if p >= 0 and doc[p].lower_ in ("its", "their", "his", "her", "our", "whose"):
                return None  # "its fighters": someone else's members, not a generic actor
            start, iso3 = s, None
        else:
            return None
        return self._generic_mention(sc, role, phrase, start, e, iso3, prio_g)

    def _platform_extension(self, doc: Doc, role: str, phrase: str, e: int) -> tuple[int, bool, float]:
        """"army warplanes", "militia drones": an armed role's noun extends over the platform after it.

        (end, is a platform, priority): a phrase that is itself a platform over the same words wins ("Russian
        fighter jets" are warplanes, not "fighter" + jets)."""
        platform = self.is_platform(phrase)
        prio_g = PRIO_GENERIC
        if role in ARMED_ROLES and not platform:
            pe = self.platform_after(doc, e)
            if pe is not None:  # "army warplanes", "militia drones"
                e, platform = pe, True
                prio_g = PRIO_GENERIC_PLATFORM
        return e, platform, prio_g

    def _force_object(self, doc: Doc, role: str, bare: bool, platform: bool, e: int) -> tuple[str, bool]:
        """"attacked government positions": a bare state noun before a force object is the state's forces."""
        if not platform and role in ("GOV", "MIL") and bare:
            n2 = next_word(doc, e)
            if n2 == e and n2 < len(doc) and doc[n2].lower_ in self.d.force_objects and \
                    (n2 + 1 >= len(doc) or doc[n2 + 1].pos_ != "PROPN"):
                return "MIL", True  # "attacked government positions": the state's forces
        return role, False

    def _country_modifier(self, sc: "_Scan", s: int) -> Optional[tuple]:
        """The country before a generic noun, across adjectives and "'s" ("Russia's air force"); "In Libya rebels
        attacked": a country after a preposition is a place, not a modifier."""
        doc = sc.doc
        j = s
        while j > 0 and (doc[j - 1].lower_ in self.d.adjectives) and \
                (j - 1) not in {c[1] - 1 for c in sc.countries}:
            j -= 1
        if j > 0 and doc[j - 1].lower_ in ("'s", "\u2019s", "'") and (j - 1) in sc.country_end:
            j -= 1
        c = sc.country_end.get(j)
        if c is not None and c[3] in ("name", "alias"):
            p = prev_word(doc, c[0])
            if p >= 0 and doc[p].pos_ == "ADP" and doc[p].lower_ not in ("by", "pro"):
                c = None  # "In Libya rebels attacked": a place, not a modifier
        if c is None and j >= 2 and doc[j - 1].text == "-" and doc[j - 2].lower_ == "pro":
            c = None  # "pro-regime" is inside the phrase list itself
        return c

    def _of_country_candidate(self, sc: "_Scan", role: str, phrase: str, s: int, e: int) -> Optional[tuple]:
        """"the Armed Forces of the Russian Federation", "security forces of Mali": the country after "of"."""
        doc = sc.doc
        n1 = next_word(doc, e)
        if not (n1 < len(doc) and doc[n1].lower_ == "of"):
            return None
        n2 = next_word(doc, n1 + 1)
        if n2 < len(doc) and doc[n2].lower_ == "the":
            n2 = next_word(doc, n2 + 1)
        c2 = sc.country_start.get(n2)
        n3 = next_word(doc, c2[1]) if c2 is not None else len(doc)
        if c2 is not None and (any(i in sc.named_tokens for i in range(c2[0], c2[1])) or
                               (n3 < len(doc) and doc[n3].text == "-")):
            c2 = None  # "warplanes of the Saudi-led coalition": the coalition, not Saudi Arabia
        if c2 is None or c2[3] not in ("name", "alias"):
            return None
        f = self.state_fields(role, c2[2], sc.focus)
        m = Mention(s, c2[1], "generic", head=doc[e - 1].lower_, **f)
        m.extra["explicit_country"] = True
        m.extra["phrase"] = phrase
        return (s, c2[1], PRIO_OF_COUNTRY, m)

    def _generic_mention(self, sc: "_Scan", role: str, phrase: str, start: int, e: int, iso3: Optional[str],
                         prio: float) -> tuple:
        """The generic noun's actor; "<demonym> <noun>" that is a dictionary alias is that entry."""
        doc, focus = sc.doc, sc.focus
        text = f"{self.d.countries[iso3].demonym} {phrase}" if iso3 else phrase
        hit = self.lookup_alias(text) if iso3 else None
        if hit:
            ent = self._pick(hit, focus)
            f = self.entry_fields(ent, focus)
            m = Mention(start, e, "named", entry=ent, emit=ent.emit, head=doc[e - 1].lower_, **f)
        else:
            f = self.state_fields(role, iso3 or focus, focus)
            m = Mention(start, e, "generic", head=doc[e - 1].lower_, **f)
            m.extra["explicit_country"] = iso3 is not None
            m.extra["phrase"] = phrase
        return (start, e, prio, m)

    # ------------------------------------------------------------------ 3. groups missing from the dictionary
    def _demonym_group_candidates(self, sc: "_Scan") -> None:
        """"<Demonym> <Capitalised Name ... Units>" not in the dictionary."""
        doc, d = sc.doc, self.d
        for (s, e, iso3, form) in sc.countries:
            if form not in ("demonym", "plural", "name"):
                continue
            k = e
            while k < len(doc) and k - e < GROUP_NAME_MAX_WORDS and \
                    (doc[k].is_title or doc[k].lower_ in ("'s", "of", "and")) and not doc[k].is_sent_start:
                if doc[k].lower_ in d.group_heads and doc[k].is_title:
                    head = doc[k].lower_
                    role = "MIL" if head in MIL_HEADS else "REB" if head in REB_HEADS else "MILITIA"
                    hit = self.lookup_alias(f"{d.countries[iso3].demonym} {'militias' if role == 'MILITIA' else ''}")
                    if role == "MILITIA" and hit:
                        f = self.entry_fields(self._pick(hit, sc.focus), sc.focus)
                        m = Mention(s, k + 1, "group", head=head, **f)
                    else:
                        m = Mention(s, k + 1, "group", head=head, **self.state_fields(role, iso3, sc.focus))
                    sc.cands.append((s, k + 1, PRIO_GROUP, m))
                    break
                k += 1

    def _unknown_group_candidates(self, sc: "_Scan") -> None:
        """Named armed groups missing from the dictionary ("Liwa al-Haq", "Sultan Murad Division"): an Arabic
        opener followed by names, or an ORG entity ending in an English group head."""
        doc = sc.doc
        ug = _UnknownGroupRules.of(self.d)
        if ug.openers:
            strings = doc.vocab.strings
            at = [i for i, o in enumerate(doc.to_array(ORTH).tolist()) if strings[o] in ug.openers]
            for t in (doc[i] for i in at):
                if t.text in ug.openers and (t.i + 1) < len(doc):
                    k = _opened_name_end(doc, t.i, ug.particles)
                    if k is not None:
                        self._unknown_group(sc, ug, t.i, k)
        for ent in doc.ents:
            if ent.label_ == "ORG" and ent[-1].lower_ in ug.english_heads and ent[-1].is_title and len(ent) >= 2:
                s0 = ent.start + (1 if ent[0].lower_ == "the" else 0)
                self._unknown_group(sc, ug, s0, ent.end)

    def _unknown_group(self, sc: "_Scan", ug: "_UnknownGroupRules", s: int, e: int) -> None:
        doc = sc.doc
        while s < e and (doc[s].is_punct or doc[s].is_space):
            s += 1
        while e > s and doc[e - 1].lower_ in ug.particles:
            e -= 1
        if e - s < 2 or any(ch.isdigit() for ch in doc[s:e].text):
            return
        if any(i in sc.named_tokens for i in range(s, e)) or any(t.lower_ in ug.not_groups for t in doc[s:e]):
            return  # a dictionary name inside a title-case headline wins
        name = re.sub(r"\s+", " ", doc[s:e].text).strip()
        f = self.state_fields(ug.role, sc.focus, sc.focus) if ug.role in self.d.roles else {}
        f.update(canonical=name, actor_id="group:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
                 kind=ug.config.get("kind", f.get("kind")))
        sc.cands.append((s, e, PRIO_GROUP, Mention(s, e, "group", head=doc[e - 1].lower_, **f)))

    # ------------------------------------------------------------------ rules over the selected mentions
    def _of_group_heads(self, sc: "_Scan") -> None:
        """"troops of the Saudi-led coalition", "fighters of the Popular Mobilisation Forces": a bare generic head
        before "of (the) <armed actor>" is that actor (the spans stay as they are)."""
        doc, mentions = sc.doc, sc.mentions
        for m in list(mentions):
            if not m.emit or (m.inter or 0) not in ARMED_INTER or m.source == "person":
                continue
            p = prev_word(doc, m.start)
            if p >= 2 and doc[p].lower_ == "called" and doc[p - 1].text == "-" and doc[p - 2].lower_ == "so":
                p = prev_word(doc, p - 2)  # "the so-called Islamic State"
            elif p >= 0 and doc[p].lower_ == "so-called":
                p = prev_word(doc, p)
            if p >= 0 and doc[p].lower_ == "the":
                p = prev_word(doc, p)
            if p >= 1 and doc[p].lower_ in ("of", "from"):
                h = prev_word(doc, p)
                head = next((x for x in mentions if x.end == h + 1 and x.source == "generic"), None)
                if head is not None and doc[h].lower_ in self.d.of_heads and not head.extra.get("explicit_country"):
                    _adopt(head, m)
                    head.extra["of_group"] = True

    def _same_plural_before(self, sc: "_Scan") -> None:
        """"Jihadists execute three officers ... Jihadists from the Islamic State have executed": the same bare
        plural noun just before is that group too (same head word, within two sentences)."""
        doc, mentions = sc.doc, sc.mentions
        for h in [x for x in mentions if x.extra.get("of_group") and (x.inter or 0) in NONSTATE_ARMED_INTER]:
            hs = doc[h.start].sent.start if doc.has_annotation("SENT_START") else 0
            for g in mentions:
                if g is h or g.source != "generic" or g.start >= h.start or g.extra.get("explicit_country") or \
                        (g.inter or 0) not in NONSTATE_ARMED_INTER or doc[g.end - 1].lower_ != doc[h.end - 1].lower_:
                    continue
                gs = doc[g.start].sent.start if doc.has_annotation("SENT_START") else 0
                n_sents = sum(1 for t in doc[gs:hs] if t.is_sent_start) if hs > gs else 0
                if n_sents <= SAME_PLURAL_MAX_SENTENCES:
                    _take_actor(g, h)
                    g.extra["antecedent"] = h.extra.get("antecedent")

    def _coordinated_demonyms(self, sc: "_Scan") -> None:
        """"Iranian, Hezbollah militias": a demonym coordinated with a group that has a shared head."""
        doc, d = sc.doc, self.d
        for (s, e, iso3, form) in sc.countries:
            if any(i in sc.taken for i in range(s, e)) or form not in ("demonym", "plural"):
                continue
            role = self._shared_head(doc, e, sc.mentions)
            if role is None:
                continue
            hit = self.lookup_alias(f"{d.countries[iso3].demonym} {'militias' if role == 'MILITIA' else 'forces'}") \
                if role in ("MILITIA", "MIL") else None
            if hit:
                f = self.entry_fields(self._pick(hit, sc.focus), sc.focus)
            else:
                f = self.state_fields(role, iso3, sc.focus)
            sc.mentions.append(Mention(s, e, "coord", head=doc[e - 1].lower_, **f))
            sc.taken |= set(range(s, e))

    def _counted_nationals(self, sc: "_Scan") -> None:
        """"killing three Palestinians", "dozens of Syrians": counted nationals are civilians."""
        doc = sc.doc
        for (s, e, iso3, form) in sc.countries:
            if form != "plural" or any(i in sc.taken for i in range(s, e)):
                continue
            p = prev_word(doc, s)
            if p >= 1 and doc[p].lower_ == "of":
                p = prev_word(doc, p)
            if p >= 0 and (doc[p].like_num or doc[p].lower_ in COUNT_WORDS):
                sc.mentions.append(Mention(s, e, "generic", head=doc[e - 1].lower_,
                                           **self.state_fields("CVL", iso3, sc.focus)))
                sc.taken |= set(range(s, e))

    def _countries_acting(self, sc: "_Scan") -> None:
        """"Russia launched", "Russia's ally", "backed by Russia": a country acting (needs the parse); "Syria
        denied", "Russia said": the government speaks."""
        if not sc.has_parse:
            return
        doc = sc.doc
        mil_countries = {m.country for m in sc.mentions if m.role == "MIL"}
        for (s, e, iso3, form) in sc.countries:
            if any(i in sc.taken for i in range(s, e)) or form not in ("name", "alias"):
                continue
            if _dateline_word(doc, s, e):
                continue  # "MOSCOW, October 1 (RIA Novosti) -": where the story was filed, not an actor
            if not self._acts(doc, s, e, sc.mentions):
                continue
            role = "MIL" if iso3 in mil_countries else "GOV"
            if doc[e - 1].dep_ in ("nsubj", "nsubjpass") and doc[e - 1].head.lemma_.lower() in self.statement_verbs:
                role = "GOV"  # "Syria denied", "Russia said": the government speaks
            sc.mentions.append(Mention(s, e, "country", head=doc[e - 1].lower_,
                                       **self.state_fields(role, iso3, sc.focus)))
            sc.taken |= set(range(s, e))

    def _generic_coreference(self, sc: "_Scan") -> None:
        """"the army" after "the Israeli military" is Israel's; "the militants" after a named group is that
        group."""
        self._focus = sc.focus
        sc.mentions.sort(key=lambda m: m.start)
        if self.d.anaphora:
            self._corefer_generics(sc.doc, sc.mentions, sc.focus)

    def _sole_group(self, sc: "_Scan") -> None:
        """"The Salvadoran guerrillas threatened ... The Farabundo Marti National Liberation Front (FMLN) is opposed
        to the elections": when an article names one rebel group only (not a transnational one), its guerrilla nouns
        of that group's country (``SOLE_GROUP_HEADS``), before or after the name, are that group (ACLED codes the
        named group). Two named rebel groups, or a noun of another country, leave the noun generic."""
        groups = [m for m in sc.mentions if m.source == "named" and m.emit and m.inter in SOLE_GROUP_INTER
                  and m.country and m.entry is not None and not m.entry.person and not m.entry.state_alias
                  and not m.entry.scope_by_country]
        if len({m.canonical for m in groups}) != 1:
            return
        for m in sc.mentions:
            if m.source == "generic" and m.emit and m.role in SOLE_GROUP_ROLES and m.country == groups[0].country \
                    and any(sc.doc[i].lower_ in SOLE_GROUP_HEADS for i in range(m.start, m.end)):
                # (the noun or its modifier: "the guerrilla fighters", "guerrilla units")
                before = [g for g in groups if g.end <= m.start]
                _adopt(m, before[-1] if before else groups[0])

    def _group_anaphora(self, sc: "_Scan") -> None:
        """"the group", "its fighters" -> the nearest preceding named non-state group; "its aircraft" after a state
        force -> that state's military."""
        sc.mentions.sort(key=lambda m: m.start)
        if self.d.anaphora and sc.doc.has_annotation("SENT_START"):
            self._anaphora(sc.doc, sc.mentions, sc.taken)

    def _linked_persons(self, sc: "_Scan") -> None:
        """"X, a field commander for Ahrar al-Sham": persons with a role for a group."""
        doc = sc.doc
        sc.mentions.sort(key=lambda m: m.start)
        for ent in doc.ents:
            if ent.label_ != "PERSON" or any(i in sc.taken for i in range(ent.start, ent.end)):
                continue
            found = self._person_link(doc, ent, sc.mentions)
            if found is None:
                continue
            role_words, aff = found
            name = re.sub(r"['\u2019]s$", "", ent.text).strip()
            m = Mention(ent.start, ent.end, "person", canonical=name,
                        actor_id="person:" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"),
                        kind=f"person ({role_words}, {aff.canonical})", inter=aff.inter, country=aff.country,
                        cameo=aff.cameo, affiliation=aff.canonical, head=doc[ent.end - 1].lower_)
            sc.mentions.append(m)
            sc.taken |= set(range(ent.start, ent.end))

    def _country_votes(self, doc: Doc, countries: list, named_hits: list) -> Counter:
        """Countries the text is about: names and their places count 2, demonyms and named groups 1; a demonym
        or name in "Turkish-backed", "Britain-based", "Russian-made" and a capital used as a government
        ("Moscow said") count nothing."""
        d = self.d
        cnt: Counter = Counter()
        for (s, e, iso3, form) in countries:
            n = next_word(doc, e)
            if n + 1 < len(doc) and doc[n].text == "-" and doc[n + 1].lower_ in NOT_ABOUT_SUFFIXES:
                continue
            if form in ("demonym", "plural") and self._armed_noun_after(doc, e):
                continue  # "Russian forces", "Israeli air strike": who acts, not where
            if form == "alias" and doc[e - 1].dep_ in ("nsubj", "nsubjpass") and \
                    doc[e - 1].head.lemma_.lower() in self.statement_verbs:
                continue  # "Moscow denied": the government speaking, not a place of the story
            cnt[iso3] += 2 if form in ("name", "alias") else 1
        for mid, ps, pe in run_matcher(self.places, doc):  # its cities and provinces too
            if doc[ps].is_title or doc[ps].is_upper:
                n = next_word(doc, pe)
                if n + 1 < len(doc) and doc[n].text == "-" and doc[n + 1].lower_ in NOT_ABOUT_SUFFIXES:
                    continue
                cnt[d.place_forms[self._key(doc, mid)]] += 2
        for mid, _s, _e in named_hits:
            for ent in d.alias_entries.get(self._key(doc, mid)) or []:
                if ent.country and not ent.person and ent.emit and not ent.scope_by_country and ent.inter not in (8,):
                    cnt[ent.country] += 1
                break
        return cnt

    def _armed_noun_after(self, doc: Doc, e: int) -> bool:
        k = next_word(doc, e)
        lw = lowers(doc)
        while k < len(doc) and (lw[k] in self.d.adjectives or lw[k] in self.d.platform_adjectives):
            k += 1
        for n in (3, 2, 1):
            words = " ".join(lw[k:k + n])
            if k + n <= len(doc) and (words in self.d.platforms or
                                      self.d.nouns.get(words, ("", False))[0] in ARMED_ROLES | {"GOV", "COP", "SPY"}):
                return True
        return False

    def is_platform(self, phrase: str) -> bool:
        words = phrase.lower().split()
        return bool(words) and (" ".join(words) in self.d.platforms or words[-1] in self.d.platforms)

    def platform_after(self, doc: Doc, e: int) -> Optional[int]:
        """End of a platform phrase right after token e ("warplanes", "kamikaze drones", "air strike"), else None."""
        k = next_word(doc, e)
        if k >= len(doc) or (doc.has_annotation("SENT_START") and doc[k].is_sent_start):
            return None
        adj = 0
        lw = lowers(doc)
        while k < len(doc) and adj < 2 and lw[k] in self.d.platform_adjectives:
            k, adj = k + 1, adj + 1
        for n in (3, 2, 1):
            if k + n > len(doc):
                continue
            words = " ".join(lw[k:k + n])
            if words in self.d.platforms and not any(t.is_space for t in doc[k:k + n]):
                last = doc[k + n - 1]
                if last.pos_ == "VERB" and last.tag_ != "NNS" and n == 1 and words in ("strike", "strikes", "raid",
                                                                                    "raids", "shelling", "bombing"):
                    return None  # "the army strikes back": a verb, not a platform
                return k + n
        return None

    def _corefer_generics(self, doc: Doc, mentions: list[Mention], focus: Optional[str]) -> None:
        an = self.d.anaphora
        d = self.d
        has_sents = doc.has_annotation("SENT_START")
        state_roles = set(an.get("state_roles") or ["MIL"])
        home_words = {x.lower() for x in an.get("home_words") or []}
        definite = {x.lower() for x in an.get("definite_generic") or []}
        window = int(an.get("definite_generic_window", 6))
        state_window = int(an.get("bare_state_window", 4))
        sent_of = {}
        if has_sents:
            for k, sent in enumerate(doc.sents):
                sent_of[sent.start] = k

        def sidx(i: int) -> int:
            return sent_of.get(doc[i].sent.start, 0) if has_sents else 0

        def explicit_state(m: Mention) -> bool:
            if m.role not in state_roles or not m.country or not m.emit:
                return False
            if m.source in ("named", "group", "country", "coord"):
                return True
            return m.source == "generic" and bool(m.extra.get("explicit_country"))

        def is_home(m: Mention) -> bool:
            words = set(re.split(r"[\s-]+", doc[m.start:m.end].text.lower()))
            return bool(words & home_words) or "pro" in words and bool(words & home_words)

        explicit = [m for m in mentions if explicit_state(m)]
        by_end = {m.end: m for m in mentions}
        _descriptive_entries(mentions)
        home_named = any(m.country == focus for m in explicit) or any(
            m.source == "generic" and m.role in state_roles and not m.extra.get("explicit_country") and is_home(m)
            for m in mentions)
        for m in mentions:
            if m.source != "generic" or m.extra.get("explicit_country") or not m.emit:
                continue
            phrase = (m.extra.get("phrase") or doc[m.start:m.end].text).lower()
            role = m.role
            # a. bare state noun: whose forces?
            if role in state_roles and not is_home(m) and not home_named:
                prev = [x for x in explicit if x.end <= m.start and x.country != focus]
                if prev and sidx(m.start) - sidx(prev[-1].start) > state_window:
                    prev = []  # a foreign force named long before: "the army" is the home army again
                if prev:
                    iso3 = prev[-1].country
                    f = self.state_fields(role, iso3, focus)
                    for k, v in f.items():
                        setattr(m, k, v)
                    m.extra["antecedent"] = (prev[-1].start, prev[-1].end)
                continue
            # b. an appositive of a named group is that group: "the CJTF, vigilantes who fight alongside"
            if role in NONSTATE_ROLES:
                named = _apposed_group(doc, m, by_end)
                if named is not None:
                    _adopt(m, named)
                    continue
            # c. definite non-state noun: the named group
            if role in NONSTATE_ROLES:
                best = _salient_group(doc, m, phrase, mentions, definite, sidx, window)
                if best is not None:
                    _adopt(m, best)

    # ------------------------------------------------------------------ sub-steps
    def _anaphora(self, doc: Doc, mentions: list[Mention], taken: set[int]) -> None:
        an = self.d.anaphora
        definite = {tuple(x.lower().split()) for x in an.get("definite") or []}
        poss_nouns = {x.lower() for x in an.get("possessive_nouns") or []}
        window = int(an.get("window_sentences", 2))
        sent_starts = [s.start for s in doc.sents]  # in order; building t.sent per token is slow

        def sent_index(i: int) -> int:
            lo, hi = 0, len(sent_starts)
            while lo + 1 < hi:
                mid = (lo + hi) // 2
                if sent_starts[mid] <= i:
                    lo = mid
                else:
                    hi = mid
            return lo

        def antecedent(i: int) -> Optional[Mention]:
            si = sent_index(i)
            best = None
            for m in mentions:
                if m.end > i:
                    break
                if m.source in ("named", "group") and m.emit and m.entry is not None and not m.entry.person \
                        and not m.entry.state_alias and (m.inter or 0) in (2, 3, 4) or \
                        (m.source == "group" and m.emit and (m.inter or 0) in (2, 3, 4)):
                    if si - sent_index(m.start) <= window:
                        best = m
            return best

        state_nouns = {x.lower() for x in an.get("possessive_state_nouns") or []}

        def possessor(i: int) -> Optional[Mention]:
            """'The Israeli military said its aircraft': the nearest armed actor before i in i's sentence."""
            lo = doc[i].sent.start
            best = None
            for m in mentions:
                if m.end > i:
                    break
                if m.start >= lo and m.emit and m.source != "person" and (m.inter or 0) in (1, 2, 3, 4, 8) and \
                        not (m.entry is not None and m.entry.person) and not (m.kind or "").startswith("person"):
                    best = m
            return best

        new: list[Mention] = []
        lw = lowers(doc)
        i = 0
        while i < len(doc):
            low = lw[i]
            hit = _anaphor_hit(lw, i, len(doc), definite, state_nouns, poss_nouns)
            if hit and not any(k in taken for k in range(*hit)):
                a = possessor(hit[0]) if low in ("its", "their") else None
                if a is not None and (a.role in ("MIL", "GOV", "COP", "SPY") or
                                      (a.entry is not None and a.entry.state_alias)) and a.country:
                    f = self.state_fields("MIL", a.country, self._focus)
                    m = Mention(hit[0], hit[1], "anaphor", head=doc[hit[1] - 1].lower_, **f)
                    m.extra["antecedent"] = (a.start, a.end)
                    new.append(m)
                    taken |= set(range(*hit))
                    i = hit[1]
                    continue
                if a is None:
                    a = antecedent(hit[0])
                if a is not None:
                    m = Mention(hit[0], hit[1], "anaphor", canonical=a.canonical, actor_id=a.actor_id, kind=a.kind,
                                inter=a.inter, country=a.country, cameo=a.cameo, role=a.role, entry=a.entry,
                                head=doc[hit[1] - 1].lower_)
                    m.extra["antecedent"] = (a.start, a.end)
                    new.append(m)
                    taken |= set(range(*hit))
                    i = hit[1]
                    continue
            i += 1
        mentions.extend(new)

    def _shared_head(self, doc: Doc, i: int, mentions: list[Mention]) -> Optional[str]:
        by_start = {m.start: m for m in mentions}
        sent_end = doc[i - 1].sent.end if doc.has_annotation("SENT_START") else len(doc)
        i = next_word(doc, i)
        if i >= sent_end or doc[i].lower_ not in COORD:
            return None
        seen_group = False
        while i < sent_end:
            t = doc[i]
            if t.is_space or t.lower_ in COORD or t.lower_ == "the":
                i += 1
                continue
            if i in by_start:
                m = by_start[i]
                if m.head in self.d.shared_heads and (m.source != "named" or doc[m.end - 1].is_lower):
                    return self.d.shared_heads[m.head]
                seen_group = True
                i = m.end
                continue
            key = t.lower_
            two = doc[i:i + 2].text.lower()
            if two in self.d.shared_heads and seen_group is not None:
                return self.d.shared_heads[two]
            if key in self.d.shared_heads:
                return self.d.shared_heads[key]
            if self.d.country_of_text(t.text) and t.pos_ != "VERB":
                i += 1
                continue
            return None
        return None

    def _acts(self, doc: Doc, s: int, e: int, mentions: list[Mention]) -> bool:
        d_country = self.d.country_of_text
        t = doc[e - 1]
        nxt = doc[e] if e < len(doc) else None
        if t.dep_ in ("nsubj", "nsubjpass"):
            # "Syria fighting kills 132": a headline place before an event noun, not the country acting
            return not (nxt is not None and nxt.is_lower and nxt.head.i == t.i and
                        nxt.dep_ in ("acl", "compound", "amod", "appos"))
        if nxt is not None and nxt.lower_ in ("'s", "\u2019s", "'"):
            head = nxt.head if nxt.dep_ == "case" else t.head
            h = t.head if t.dep_ == "poss" else head
            if h.lower_ in self.possessed or h.lemma_.lower() in self.possessed:
                return True
            return False
        if t.dep_ == "pobj" and t.head.lower_ == "by":
            return True
        if t.dep_ in ("appos", "compound") and t.head.lemma_.lower() in self.possessed and t.head.i < t.i:
            return True  # "Assad's ally Russia", "the regime's backers Russia and Iran"
        if t.dep_ == "conj" and t.head.dep_ in ("appos", "nsubj", "nsubjpass") and d_country(t.head.text):
            return True  # "Russia and Iran said", "backers Russia and Iran"
        if t.dep_ == "conj":
            h = t.head
            for m in mentions:
                if m.start <= h.i < m.end and m.source in ("country", "named", "generic"):
                    return True
        return False

    def _person_link(self, doc: Doc, ent, mentions: list[Mention]):
        """(role words, affiliated mention) for "X, a commander for M" / "M commander X"."""
        by_start = {m.start: m for m in mentions if m.emit}
        by_end = {m.end: m for m in mentions if m.emit}
        # X, a field commander for M
        i = ent.end
        if i < len(doc) and doc[i].text == ",":
            j = i + 1
            if j < len(doc) and doc[j].lower_ in ("a", "an", "the"):
                j += 1
            window = [t for t in doc[j:j + 6]]
            for k, t in enumerate(window):
                if t.lower_ in self.person_link:
                    role_words = " ".join(x.lower_ for x in window[:k])
                    if not any(role_words.endswith(r) for r in self.person_roles):
                        break
                    p = j + k + 1
                    if p < len(doc) and doc[p].lower_ == "the":
                        p += 1
                    m = by_start.get(p)
                    if m is not None:
                        return role_words, m
                    break
        # a ROLE for M, X  ("a spokesman for the SDF, Mustafa Bali, said")
        p = prev_word(doc, ent.start)
        if p >= 0 and doc[p].text == ",":
            m = by_end.get(p)
            if m is not None and m.source != "person":
                q = prev_word(doc, m.start)
                if q >= 0 and doc[q].lower_ == "the":
                    q = prev_word(doc, q)
                if q >= 0 and doc[q].lower_ in self.person_link:
                    words = [t.lower_ for t in doc[max(0, q - 3):q] if not t.is_space and t.lower_ not in ("a", "an", "the")]
                    role_words = " ".join(words)
                    for r in self.person_roles:
                        if role_words == r or role_words.endswith(" " + r):
                            return r, m
        # "Syrian President X", "regime commander X": a generic mention ending in a title
        m = by_end.get(ent.start) or by_end.get(prev_word(doc, ent.start) + 1)
        if m is not None and m.source in ("generic", "named") and doc[m.end - 1].lower_ in self.person_roles:
            return doc[m.end - 1].lower_, m
        # M commander X / M's commander X
        k = ent.start
        words = []
        while k > 0 and len(words) < 3 and doc[k - 1].lower_ not in ("'s", "\u2019s") and k not in by_end:
            words.insert(0, doc[k - 1].lower_)
            k -= 1
        if k > 0 and doc[k - 1].lower_ in ("'s", "\u2019s"):
            k -= 1
        role_words = " ".join(words)
        if words and any(role_words == r or role_words.endswith(" " + r) for r in self.person_roles):
            m = by_end.get(k)
            if m is not None and m.source != "person":
                return role_words, m
        return None


# the rules over the selected candidates, in order (``ActorMatcher.find``)
MENTION_RULES = (
    ActorMatcher._of_group_heads,  # "troops of the Saudi-led coalition"
    ActorMatcher._same_plural_before,  # "Jihadists execute ... Jihadists from the Islamic State"
    ActorMatcher._coordinated_demonyms,  # "Iranian, Hezbollah militias"
    ActorMatcher._counted_nationals,  # "killing three Palestinians"
    ActorMatcher._countries_acting,  # "Russia launched", "backed by Russia"
    ActorMatcher._generic_coreference,  # "the army" after "the Israeli military"
    ActorMatcher._sole_group,  # "the guerrillas" in an article naming the FMLN and no other rebel group
    ActorMatcher._group_anaphora,  # "the group", "its fighters"
    ActorMatcher._linked_persons,  # "X, a field commander for Ahrar al-Sham"
)


@dataclass
class _Scan:
    """One ``ActorMatcher.find`` call: the document, its countries and the candidates and mentions found so far
    (the stages and rules read and extend it)."""
    doc: Doc
    focus: Optional[str]
    countries: list  # (start, end, iso3, form), non-overlapping
    named_hits: list  # dictionary alias matches (match id, start, end)
    has_parse: bool = False
    cands: list = field(default_factory=list)  # (start, end, priority, mention)
    named_tokens: set = field(default_factory=set)  # tokens of dictionary-name candidates
    mentions: list = field(default_factory=list)
    taken: set = field(default_factory=set)  # tokens of mentions

    def __post_init__(self):
        self.country_end = {c[1]: c for c in self.countries}
        self.country_start = {c[0]: c for c in self.countries}


@dataclass
class _UnknownGroupRules:
    """``unknown_groups`` of the actor dictionary: how a named group missing from it is recognised."""
    config: dict
    openers: set
    particles: set
    english_heads: set
    role: str
    not_groups: set

    @classmethod
    def of(cls, d: ActorDictionary) -> "_UnknownGroupRules":
        ug = d.unknown_groups or {}
        return cls(config=ug, openers=set(ug.get("arabic_openers") or []),
                   particles={x.lower() for x in ug.get("particles") or []},
                   english_heads={x.lower() for x in ug.get("english_heads") or []},
                   role=ug.get("role", "REB"), not_groups={x.lower() for x in ug.get("not_groups") or []})


def _opened_name_end(doc: Doc, i: int, particles: set) -> Optional[int]:
    """End of "opener (particle* Name)+" from the opener at token i ("Liwa al-Haq"): each name word follows the
    opener or a particle; None without a name word."""
    k = i + 1
    titled = 0
    while k < len(doc) and k - i <= OPENED_NAME_MAX_WORDS and not doc[k].is_space:
        if doc[k].lower_ in particles:
            k += 1
            continue
        if doc[k].is_title and (k == i + 1 or doc[k - 1].lower_ in particles):
            titled += 1
            k += 1
            continue
        break
    return k if titled else None


def _article_focus(focus: Optional[str], cnt: Counter) -> Optional[str]:
    """The country bare generic nouns belong to: the given focus, else the text's most voted country.

    Robustness: the geoparser's focus country must be attested in the text; when the text's own votes for it
    are weak against a clear leader, the leader is the article's country."""
    if focus is None:
        return cnt.most_common(1)[0][0] if cnt else None
    if cnt:
        top, n_top = cnt.most_common(1)[0]
        if top != focus and n_top >= FOCUS_OVERRIDE_MIN_VOTES and cnt.get(focus, 0) * FOCUS_OVERRIDE_RATIO < n_top:
            return top
    return focus


def _take_actor(m: Mention, src: Mention) -> None:
    """``m`` stands for ``src``'s actor: it takes src's actor fields and becomes an anaphor."""
    for k in ACTOR_FIELDS:
        setattr(m, k, getattr(src, k))
    m.source = "anaphor"


def _adopt(m: Mention, src: Mention) -> None:
    """``m`` is an anaphor of ``src``: it takes src's actor fields and points back to it."""
    _take_actor(m, src)
    m.extra["antecedent"] = (src.start, src.end)


def _descriptive_entries(mentions: list[Mention]) -> None:
    """Descriptive dictionary entries ("Kurdish fighters") stand for the named group they describe when the
    article names it (the nearest such mention, preceding first)."""
    for m in mentions:
        if m.source != "named" or m.entry is None or not m.entry.refers_to:
            continue
        named = [x for x in mentions if x.source == "named" and x.canonical in m.entry.refers_to and x.emit]
        if not named:
            continue
        before = [x for x in named if x.end <= m.start]
        best = before[-1] if before else named[0]
        _adopt(m, best)


def _apposed_group(doc: Doc, m: Mention, by_end: dict) -> Optional[Mention]:
    """The named armed group a generic mention is an appositive of ("the CJTF, vigilantes who ..."), or None."""
    q = prev_word(doc, m.start)
    if q >= 0 and doc[q].lower_ in ("the", "a", "an"):
        q = prev_word(doc, q)
    while q >= 0 and doc[q].pos_ == "ADJ":
        q = prev_word(doc, q)
    if q >= 1 and doc[q].text == ",":
        q = prev_word(doc, q)
        if q >= 2 and doc[q].text == ")":
            q = prev_word(doc, q)  # "Name (ACRONYM), ...": the acronym mention
        named = by_end.get(q + 1)
        if named is not None and named.source == "named" and (named.inter or 0) in (2, 3, 4) \
                and named.emit:
            return named
    return None


def _salient_group(doc: Doc, m: Mention, phrase: str, mentions: list[Mention], definite: set, sidx,
                   window: int) -> Optional[Mention]:
    """For a definite non-state noun ("the militants"): the most salient named group in the window before it --
    most mentions as a participant (not as the object of "of": "a branch of Al Qaeda"), then the most recent."""
    role = m.role
    words = phrase.split()
    p = prev_word(doc, m.start)
    if words and words[0] == "the":
        words = words[1:]
    elif not (p >= 0 and doc[p].lower_ == "the"):
        return None
    if " ".join(words) not in definite:
        return None
    si = sidx(m.start)
    ok_inter = {"REB": (2,), "MILITIA": (3, 4), "GANG": (3,)}.get(role, (2, 3, 4))
    score: dict[str, list] = {}
    for a in mentions:
        if a.end > m.start:
            break
        if a.source in ("named", "group", "anaphor") and a.emit and (a.inter or 0) in ok_inter and \
                not (a.entry is not None and (a.entry.person or a.entry.state_alias)) and \
                si - sidx(a.start) <= window:
            p2 = prev_word(doc, a.start)
            w = 0 if p2 >= 0 and doc[p2].lower_ in ("of", "from") else 1
            sc = score.setdefault(a.canonical, [0, 0, a])
            sc[0] += w
            sc[1], sc[2] = a.start, a
    if not score:
        return None
    return max(score.values(), key=lambda x: (x[0], x[1]))[2]


def _anaphor_hit(lw: list[str], i: int, n_doc: int, definite: set, state_nouns: set,
                 poss_nouns: set) -> Optional[tuple[int, int]]:
    """The token range of an anaphor starting at ``i`` ("the jihadists", "its forces", "their fighters"), or
    None."""
    low = lw[i]
    hit = None
    if low == "the":
        for n in (4, 3, 2):
            words = tuple(lw[i:i + n])
            if words in definite and i + n <= n_doc:
                hit = (i, i + n)
                break
    elif low in ("its", "their"):
        j = i + 1
        for n in (2, 1):
            words = " ".join(lw[j:j + n])
            if j + n <= n_doc and words in state_nouns:
                hit = (i, j + n)
                break
        if hit is None and j < n_doc and lw[j] in poss_nouns:
            hit = (i, j + 1)
    return hit


def _is_modifier(doc: Doc, s: int, e: int) -> bool:
    """'rebel' in 'rebel-held', 'army' in 'army base', 'regime' in 'regime leader Assad'."""
    e2 = next_word(doc, e)
    if e2 < len(doc):
        nxt = doc[e2]
        if nxt.text == "-" and e2 + 1 < len(doc) and doc[e2 + 1].lower_ in ("held", "controlled", "run", "led",
                                                                           "backed", "affiliated", "linked"):
            return True
        if nxt.lower_ in PERSON_TITLES and e2 + 1 < len(doc) and doc[e2 + 1].pos_ == "PROPN":
            return True
        last = doc[e - 1]
        if e2 == e and last.dep_ in ("compound", "amod", "nmod") and last.head.pos_ in ("NOUN", "PROPN") \
                and last.head.i == e2 and nxt.lower_ not in GROUP_EXTENSIONS:
            return True
    return False


_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january",
           "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"}


def _dateline_word(doc: Doc, s: int, e: int) -> bool:
    """An upper-case place name opening a dateline: "MOSCOW October 1 (RIA Novosti) -", "BEIRUT, (AFP) --"."""
    txt = doc[s:e].text
    if not (txt.isupper() and len(txt.replace(" ", "")) >= 3):
        return False
    n = next_word(doc, e)
    if n >= len(doc):
        return False
    nxt = doc[n]
    return nxt.text in ("(", ",", "-", "--", "–", "—", ":") or nxt.like_num or nxt.lower_.rstrip(".") in _MONTHS


def _in_caps_run(doc: Doc, s: int, e: int) -> bool:
    """True when the words around [s, e) are upper-case words too (a shouted headline)."""
    p, n = prev_word(doc, s), next_word(doc, e)
    caps = 0
    for k in (p, n):
        if 0 <= k < len(doc) and doc[k].is_alpha and doc[k].is_upper and len(doc[k]) > 3:
            caps += 1
    return caps >= 1 and len(doc[s:e].text.replace(".", "")) <= 3


def _longest(spans: list[tuple]) -> list[tuple]:
    spans = sorted(spans, key=lambda x: (-(x[1] - x[0]), x[0]))
    out, taken = [], set()
    for sp in spans:
        if any(i in taken for i in range(sp[0], sp[1])):
            continue
        out.append(sp)
        taken |= set(range(sp[0], sp[1]))
    return sorted(out)


def _select(cands: list[tuple[int, int, int, Mention]]) -> list[Mention]:
    cands = sorted(cands, key=lambda x: (-(x[1] - x[0]), -x[2], x[0]))
    out, taken = [], set()
    for s, e, _p, m in cands:
        if any(i in taken for i in range(s, e)):
            continue
        out.append(m)
        taken |= set(range(s, e))
    return sorted(out, key=lambda m: m.start)


def _taken(mentions: list[Mention]) -> set[int]:
    t: set[int] = set()
    for m in mentions:
        t |= set(range(m.start, m.end))
    return t
