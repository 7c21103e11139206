"""Who did what to whom: actor roles of a trigger, read off the dependency parse.

Actor mentions come from ``fp_actors`` (``doc._.actors`` / ``flashpoint.actors.actors_in_span``).
"""
from __future__ import annotations

import re

from flashpoint.actors import actors_in_span, acts_for, backers, resolve_text
from flashpoint.model import Actor

PRONOUNS_SING = {"it", "its", "he", "his", "him", "she", "her", "itself", "himself"}
PRONOUNS_PLUR = {"they", "their", "them", "themselves", "theirs"}
RELATIVE = {"which", "who", "that", "whom", "whose"}
ACCUSE_VERBS = {"accuse", "blame", "suspect", "charge", "hold", "implicate", "condemn", "denounce", "criticize",
                "criticise", "fault"}
LIGHT_VERBS = {"launch", "carry", "conduct", "make", "mount", "stage", "wage", "lead", "execute", "perform",
               "intensify", "step", "continue", "resume", "renew", "escalate", "commit", "unleash", "begin", "start",
               "undertake", "claim", "initiate", "pursue", "press"}
STATE_RE = re.compile(r"\b(regime|government|army|military|troops|soldiers|police|state forces|security forces|"
                      r"military forces|armed forces|air force|gendarmerie|warplanes?|jets?|aircraft|helicopters?)\b",
                      re.I)
CIVILIAN_RE = re.compile(r"\b(civilians?|residents?|villagers?|children|women|people|families|family|students?|"
                         r"worshippers|patients|protesters|demonstrators|refugees|displaced|market|hospital|school|"
                         r"mosque|church|homes?|houses?|neighbou?rhoods?|bakery|camp)\b", re.I)


def name_of(actor: Actor | None) -> str | None:
    """Canonical name of an event actor; a person acts for his state or group ("Assad's jets" -> the army)."""
    if actor is None:
        return None
    if (actor.kind or "").startswith("person"):
        n = acts_for(actor)
        if n:
            return n
    return actor.canonical or actor.name


def is_state(actor: Actor | None) -> bool:
    if actor is None:
        return False
    if actor.inter is not None:
        return actor.inter == 1
    kind = (actor.kind or "").lower()
    if "state" in kind and "non-state" not in kind:
        return True
    if kind:
        return False
    return bool(STATE_RE.search(f"{actor.canonical or ''} {actor.name}")) and not re.search(
        r"\b(rebel|militant|opposition|insurgent|islamic state|jihad)", f"{actor.canonical or ''} {actor.name}", re.I)


NON_COMBATANT_KINDS = re.compile(r"\b(monitor|media|ngo|humanitarian|news|agency|igo|civil society|journalist)\b", re.I)
NON_COMBATANT_NAMES = re.compile(r"^(United Nations|UN|UNICEF|WHO|World Health Organization|Red Crescent|"
                                 r"Syrian Arab Red Crescent|Civil Defen[cs]e|White Helmets)\b", re.I)


def is_non_combatant(actor: Actor | None) -> bool:
    """Monitors, media, aid and international bodies: reporters or victims, never the perpetrator."""
    if actor is None:
        return False
    return bool(NON_COMBATANT_KINDS.search(actor.kind or "")) or bool(
        NON_COMBATANT_NAMES.search(actor.canonical or actor.name or ""))


# observers, monitors, aid bodies and rights groups: they report an event, they are never its actor1
OBSERVER_NAMES = re.compile(r"\b(OSCE|Organi[sz]ation for Security and Co-?operation|Special Monitoring Mission|"
                            r"UNHCR|OHCHR|OCHA|UNICEF|UNAMA|ICRC|Red Cross|Red Crescent|Amnesty|Human Rights Watch|"
                            r"HRW|SOHR|Syrian Observatory|SNHR|Syrian Network for Human Rights|ACLED|Airwars|"
                            r"monitors?|monitoring|observers?|observatory|human rights (?:office|group|council)|"
                            r"rights groups?|watchdog)\b", re.I)
# who speaks about an event ("the ministry said", "a spokesman reported shelling"): the source, not its actor
REPORT_VERBS = {"say", "report", "record", "document", "confirm", "announce", "state", "tell", "add", "note",
                "register", "observe", "verify", "count", "list", "publish", "describe", "warn", "allege"}
REPORTER_WORDS = re.compile(r"\b(ministry|ministries|spokes(?:man|woman|person)|officials?|office|agency|"
                            r"mission|monitors?|observers?|sources?|statement|press service|media|"
                            r"communiqu[eé]|department|authorities)\b", re.I)


def is_observer(actor: Actor | None) -> bool:
    """An observer, monitor, aid or international body (OSCE, UN agencies, SOHR, Amnesty, HRW, ICRC ...)."""
    if actor is None:
        return False
    return is_non_combatant(actor) or bool(OBSERVER_NAMES.search(f"{actor.canonical or ''} {actor.name or ''}"))


def reports_event(doc, actor: Actor | None, trig) -> bool:
    """Whether the mention of ``actor`` is the speaker of a reporting verb whose complement holds the event's
    trigger, as a source word ("the defence ministry said shelling hit ...", "the OSCE mission recorded
    explosions") -- the source of the report, not the event's actor1. An armed actor reporting its own act
    ("the army reported killing 20 militants") keeps it unless the mention is a ministry, spokesman, mission..."""
    if actor is None or actor.start is None or trig is None:
        return False
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    verb = root.head
    if root.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_.lower() not in REPORT_VERBS or verb.i == trig.i:
        return False
    if not any(t.i == trig.i for t in verb.subtree) or span.start <= trig.i < span.end:
        return False
    return is_observer(actor) or bool(REPORTER_WORDS.search(actor.name or ""))


_GENERIC_ID = re.compile(r"^[a-z]{3}-(reb|uaf|militia|gang)$")


STATE_FORCES_INTER = 1  # ACLED inter code of state forces


def is_generic_nonstate(actor: Actor | None) -> bool:
    """A role-based non-state actor ("Burkinabe rebels" for "jihadist fighters", "Unidentified Armed Group (X)"):
    a named group that claims the act is more specific."""
    if actor is None or actor.inter == STATE_FORCES_INTER:
        # ("Unidentified Police Forces" fired: a state force, not a role-based non-state group that the mob of
        # the sentence could name -- "one person was killed in police firing as mobs attacked shops")
        return False
    return bool(_GENERIC_ID.match(actor.actor_id or "")) or "Unidentified" in (actor.canonical or actor.name or "") \
        or (actor.canonical or "") == "Rebel Forces"


def is_civilian(actor: Actor | None) -> bool:
    if actor is None:
        return False
    if actor.inter is not None:
        return actor.inter == 7
    return bool(re.search(r"\bcivilian", f"{actor.kind or ''} {actor.canonical or ''} {actor.name}", re.I))


# ----------------------------------------------------------------------------------------------- mentions
def mentions(doc) -> list[Actor]:
    """The located actor mentions fp_actors found (``doc._.actors``)."""
    return [a for a in (doc._.actors or []) if a.start is not None and a.end is not None]


_MODIFIER_SKIP = {"heavy", "intense", "fierce", "new", "fresh", "several", "many", "deadly", "suspected", "alleged",
                  "renewed", "ongoing", "air", "aerial", "ground", "artillery", "rocket", "mortar", "car", "suicide",
                  "barrel", "drone", "missile", "chemical", "gas", "toxic"}


_PLACE_NOUNS = {"town", "city", "village", "area", "district", "region", "province", "neighbourhood", "neighborhood",
                "countryside", "capital", "border", "territory", "side", "suburb", "camp", "market",
                # the reporter: "Syrian state TV", "Russian media" say who reported, not who attacked
                "tv", "television", "media", "agency", "news", "radio", "channel", "newspaper", "broadcaster"}


def _home_country_name(doc, t, country) -> bool:
    """A modifier that is a toponym for the article's own country (a place, not a demonym)."""
    if t.pos_ != "PROPN" or not country:
        return False
    for tp in getattr(doc._, "toponyms", None) or []:
        if tp.start <= t.idx < tp.end:
            return (tp.feature_code or "").startswith("PCL") and (tp.country or "") == country
    return False


def modifier_actor(doc, toks) -> Actor | None:
    """The actor named by a modifier of an event noun ("regime airstrikes", "Russian strikes")."""
    country = getattr(doc._, "focus_country", None)  # no country default: unknown stays unknown
    for t in toks:
        if hasattr(t, "lower_") and _home_country_name(doc, t, country):
            continue  # "Syria Raqqa airstrikes" in a Syrian story: the place; "Russia airstrikes" still names Russia
        if hasattr(t, "lower_") and (t.lower_ in _MODIFIER_SKIP or t.is_punct or t.like_num
                                     or (t.pos_ == "PROPN" and t.ent_type_ in ("GPE", "LOC"))
                                     or t.head.lower_ in _PLACE_NOUNS
                                     or (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in _PLACE_NOUNS)):
            continue  # "Syria car bomb", "Aleppo market attack", "Syrian town ... attack": a place, not a perpetrator
        if not hasattr(t, "lower_"):  # a Span: the whole modifier ("US-led")
            txt = re.sub(r"-(led|backed|allied|run|controlled|held)$", "", t.text)
            a = resolve_text(txt, country) if txt and len(t) > 1 else None
            if a is not None and not is_civilian(a):
                return a.model_copy(update={"start": t.start_char, "end": t.end_char})
            continue
        a = resolve_text(t.text, country)
        if a is not None and not is_civilian(a):
            return a.model_copy(update={"start": t.idx, "end": t.idx + len(t.text)})
    return None


def actors_in(doc, start: int, end: int) -> list[Actor]:
    if doc._.actors:
        return list(actors_in_span(doc, start, end))
    return [a for a in mentions(doc) if a.start < end and a.end > start]


def backers_of(doc, actor: Actor | None) -> list[str]:
    if actor is None:
        return []
    return [b for b in backers(doc, actor) if b]


# ----------------------------------------------------------------------------------------------- helpers
def np_tokens(tok):
    """The core noun phrase of ``tok``: its subtree minus relative clauses, participial modifiers and
    non-'of' prepositional phrases."""
    toks = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ in ("relcl", "acl", "appos", "punct", "cc", "advcl", "ccomp", "conj"):
                continue
            if c.dep_ == "prep" and c.lower_ not in ("of",):
                continue
            toks.append(c)
            stack.append(c)
    return sorted(toks, key=lambda t: t.i)


_OWNER_LEMMAS = {"belong", "believe", "operate", "fly", "own", "loyal", "affiliate", "link", "tie", "back", "close",
                 "allied", "think", "suspect", "say", "report", "presume", "understand"}


def owner_actor(doc, tok) -> Actor | None:
    """"a helicopter belonging to the regime", "jets thought to belong to the Syrian government": the owner
    named in a short participial modifier."""
    for ch in tok.children:
        if ch.dep_ in ("acl", "amod") and ch.lemma_.lower() in _OWNER_LEMMAS:
            sub = sorted(ch.subtree, key=lambda t: t.i)
            if len(sub) <= 10:
                cands = [a for a in actors_in(doc, sub[0].idx, sub[-1].idx + len(sub[-1].text)) if not is_civilian(a)]
                if cands:
                    return cands[0]
    h = tok.head
    if tok.dep_ == "nsubj" and h.i == tok.i + 1 and h.lemma_.lower() in ("think", "believe", "suspect", "say", "report"):
        for x in h.children:  # the parser's reading of "Jets thought to belong to the government struck ..."
            if x.dep_ == "xcomp" and x.lemma_.lower() in _OWNER_LEMMAS | {"be"}:
                sub = sorted(x.subtree, key=lambda t: t.i)
                if len(sub) <= 10:
                    cands = [a for a in actors_in(doc, sub[0].idx, sub[-1].idx + len(sub[-1].text))
                             if not is_civilian(a)]
                    if cands:
                        return cands[0]
    return None


def actor_for_token(doc, tok, allow_pronoun=True) -> Actor | None:
    """The actor a token (an argument head) denotes, resolving pronouns and relative pronouns."""
    if tok is None:
        return None
    low = tok.lower_
    if low in RELATIVE and tok.head.dep_ in ("relcl",):
        return actor_for_token(doc, tok.head.head, allow_pronoun)
    if tok.pos_ == "PRON" and (low in PRONOUNS_SING or low in PRONOUNS_PLUR):
        return resolve_pronoun(doc, tok) if allow_pronoun else None
    toks = np_tokens(tok)
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    cands = actors_in(doc, start, end)
    if not cands:
        a = owner_actor(doc, tok)
        cands = [a] if a is not None else []
    if cands:
        for a in cands:  # the mention containing the head word wins
            if a.start <= tok.idx < a.end:
                return a
        return cands[0]
    # "its fighters", "one of its militants" -> the possessor
    for t in toks:
        if t.lower_ in PRONOUNS_SING | PRONOUNS_PLUR and t.dep_ == "poss" and allow_pronoun:
            return resolve_pronoun(doc, t)
    # conjunction: "regime forces and their allies" -> first conjunct already tried; try the conjuncts
    for c in tok.children:
        if c.dep_ == "conj":
            a = actor_for_token(doc, c, allow_pronoun)
            if a is not None:
                return a
    return None


def _number_of_mention(doc, a: Actor) -> str | None:
    span = doc.char_span(a.start, a.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    num = root.morph.get("Number")
    if num:
        return num[0]
    return None


def resolve_pronoun(doc, tok) -> Actor | None:
    """Nearest preceding compatible actor mention (same or previous two sentences); subjects preferred."""
    low = tok.lower_
    want = "Sing" if low in PRONOUNS_SING else ("Plur" if low in PRONOUNS_PLUR else None)
    sent = tok.sent
    floor = sent.start_char
    prev = sent.start - 1
    hops = 0
    while prev >= 0 and hops < 2:
        floor = doc[prev].sent.start_char
        prev = doc[prev].sent.start - 1
        hops += 1
    cands = [a for a in mentions(doc) if a.end <= tok.idx and a.start >= floor and not is_civilian(a)]
    if not cands:
        return None
    scored = []
    for a in cands:
        num = _number_of_mention(doc, a)
        if want and num and num != want:
            # collective singular nouns ("the regime", "the Front") may take "they"; plural never takes "it"
            if want == "Sing":
                continue
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        subj = span is not None and span.root.dep_ in ("nsubj", "nsubjpass")
        same_sent = a.start >= sent.start_char
        score = (1 if (want and num == want) else 0) * 2 + (1 if subj else 0) * 1.5 + (1 if same_sent else 0)
        scored.append((score, a.end, a))
    if not scored:
        return None
    scored.sort(key=lambda x: (x[0], x[1]))
    return scored[-1][2]


def child(tok, *deps):
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def pobj_of(prep):
    for c in prep.children:
        if c.dep_ == "pobj":
            return c
    return None


def reduced_passive(verb) -> bool:
    """A headline-style reduced passive: "More than 100 militants killed in Deir Ezzor" -- a transitive casualty
    verb (``reduced_passive_verbs``) in the past tense with a subject but no object, no auxiliary and no
    clausal complement; its subject is the victim, not the perpetrator."""
    if verb.tag_ not in ("VBD", "VBN") or verb.pos_ not in ("VERB",):
        return False
    from flashpoint.events.lexicon import status_cues

    if verb.lemma_.lower() not in status_cues().get("reduced_passive_verbs", ()):
        return False
    kids = list(verb.children)
    if not any(c.dep_ == "nsubj" for c in kids):
        return False
    if any(c.dep_ in ("dobj", "obj", "aux", "auxpass", "ccomp", "xcomp", "attr", "oprd", "dative") for c in kids):
        return False
    # "gunmen killed 5", "rebels killed at least ten": a number right after the verb is its object
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and (nxt.like_num or nxt.lower_ in ("at", "more", "over", "about", "around", "nearly", "some",
                                                          "dozens", "scores", "hundreds", "two", "three")):
        return False
    return True


def is_passive(verb) -> bool:
    if reduced_passive(verb):
        return True
    if verb.tag_ == "VBN" and verb.dep_ == "acl" and verb.pos_ == "VERB" and not any(
            c.dep_ in ("nsubj", "aux", "dobj") for c in verb.children):
        return True  # "100 militants killed in Deir Ezzor", "soldiers wounded near Hama": a passive participle
    return any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl") and any(c.dep_ == "agent" for c in verb.children))


def agent_of(verb):
    ag = child(verb, "agent")
    return pobj_of(ag) if ag is not None else None


# verbs whose object (or passive subject) does the act of their infinitive: "forced the police to open fire"
OBJECT_CONTROL_VERBS = frozenset({"force", "compel", "oblige", "prompt"})


def subject_of_clause(verb, depth: int = 0):
    """(token, passive?) heading actor1 of a verbal trigger, climbing through xcomp/conj/advcl chains."""
    cur = verb
    for _ in range(6):
        if is_passive(cur):
            a = agent_of(cur)
            if a is not None:
                return a
            if cur.i == verb.i:
                return None
        subs = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
        if subs:
            # "Date of publication 3 October International coalition planes targeted": a flattened dateline
            # parsed as a second subject; the subject nearest the verb is the real one
            before = [c for c in subs if c.i < cur.i]
            return before[-1] if before else subs[0]
        if cur.dep_ == "xcomp" and cur.head.i != cur.i and cur.head.lemma_.lower() in OBJECT_CONTROL_VERBS:
            # "mobs forced the police to open fire", "the police was forced to open fire": the one forced acts
            o = child(cur.head, "dobj") or child(cur.head, "nsubjpass")
            if o is not None:
                return o
        if cur.dep_ in ("xcomp", "conj", "advcl", "ccomp") and cur.head.i != cur.i:
            cur = cur.head
            continue
        if cur.dep_ == "pcomp" and cur.head.head.i != cur.head.i:
            gov = cur.head.head
            if cur.head.lower_ in ("of", "for") and gov.lemma_.lower() in ACCUSE_VERBS:
                # "accused government forces of killing ...": the accused did it (status: claimed)
                o = child(gov, "dobj")
                if o is not None:
                    return o
            if cur.head.lower_ in ("of", "for") and gov.dep_ == "dobj" and gov.head.lemma_.lower() in ACCUSE_VERBS:
                return gov
            cur = gov
            continue
        if cur.dep_ == "acl" and not is_passive(cur):
            return cur.head
        if cur.dep_ == "relcl":
            return cur.head
        break
    return None


def object_of_clause(verb):
    """Token heading actor2 / the target (direct object, passive subject, 'against X', 'on X')."""
    if is_passive(verb):
        s = child(verb, "nsubjpass") or (child(verb, "nsubj") if reduced_passive(verb) else None)
        if s is not None:
            return s
        if verb.dep_ in ("acl", "relcl"):
            return verb.head
    o = child(verb, "dobj")
    if o is not None:
        return o
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("against", "on", "at", "upon", "into"):
            p = pobj_of(c)
            if p is not None:
                return p
    return None


def holder_of(doc, toks) -> Actor | None:
    """Who holds a place: 'rebel-held', 'rebel-controlled town of X', 'ISIS-held'."""
    for t in toks:
        if t.lower_ in ("held", "controlled", "occupied", "run", "dominated") and t.i >= 2 and doc[t.i - 1].text == "-":
            h = doc[t.i - 2]
            cands = actors_in(doc, h.idx, h.idx + len(h.text))
            if cands:
                return cands[0]
            a = resolve_text(h.text + ("s" if not h.text.endswith("s") and h.lower_ in ("rebel", "militant", "jihadist", "insurgent") else ""),
                             getattr(doc._, "focus_country", None))
            if a is not None:
                return a.model_copy(update={"start": h.idx, "end": h.idx + len(h.text)})
            name = h.text
            return Actor(name=name, canonical=name, start=h.idx, end=h.idx + len(h.text))
    return None
