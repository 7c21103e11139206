"""Which of a sentence's places is where the event (a trigger verb) happened.

Dependency-based rules:

* candidates are the literal toponyms of the trigger's sentence;
* a toponym counts when it is governed by the trigger: an object or prepositional object of the verb
  (or of its object noun: "seized several villages including A, B and C"), or conjoined with one
  (A, B and C -> one location each);
* a path that passes through another clause's verb (a relative clause, a complement clause) belongs to
  that verb's event, and is only a weak candidate;
* the anchor of a relative phrase ("10 km south of X") is not returned when the place it anchors is a
  toponym; when the anchor is all there is, it is returned with geo_precision 2 and ``anchor`` set;
* "outskirts/countryside/near X" -> X with geo_precision 2.
"""
from __future__ import annotations

from typing import Optional

from spacy.tokens import Doc

from flashpoint.model import Location, Toponym

CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "acl", "xcomp", "csubj", "parataxis"}
LOC_PREPS = {"in", "at", "near", "on", "into", "inside", "outside", "around", "across", "within", "from", "to",
             "towards", "toward", "through", "throughout", "of", "including", "onto", "along", "over", "against",
             "between", "amid", "nearby", "off", "via", "upon", "by", "like", "as"}
DIRECTION = {"south", "north", "east", "west", "southwest", "southeast", "northwest", "northeast", "km",
             "kilometres", "kilometers", "miles", "mile", "kms", "outside"}
# words between "<dir-word> of" and the anchor's name ("south of the Syrian capital Damascus"); a demonym (NORP)
# is skipped as well
ANCHOR_DESCRIPTORS = {"the", "western", "eastern", "northern", "southern", "rural", "capital", "city", "town",
                      "village", "province"}
# "the Aleppo governor" is weak, but "the Jubar district", "Yarmouk camp" name places
SETTLEMENT_HEADS = frozenset({"town", "city", "village", "province", "district", "neighbourhood", "neighborhood",
                              "quarter", "camp"})
PART = {"outskirts", "outskirt", "edge", "edges", "countryside", "suburbs", "suburb", "vicinity", "near",
        "outside", "around", "environs", "periphery", "nearby", "parts", "part", "areas", "area"}


def _span_root(doc: Doc, t: Toponym):
    # root token index per character range, kept per doc (every event trigger of a sentence asks again)
    key = ("fp_span_roots", len(doc))
    memo = doc.user_data.get(key)
    if memo is None:
        memo = doc.user_data[key] = {}
    rng = (t.start, t.end)
    if rng not in memo:
        sp = doc.char_span(t.start, t.end, alignment_mode="expand")
        memo[rng] = sp.root.i if sp is not None else None
    i = memo[rng]
    return doc[i] if i is not None else None


def _path(tok, trigger, limit=12):
    """Tokens from tok up to (excluding) trigger; None when trigger is not an ancestor."""
    path = []
    cur = tok
    for _ in range(limit):
        if cur.i == trigger.i:
            return path
        if cur.head.i == cur.i:
            return None
        path.append(cur)
        cur = cur.head
    return None


def _relative(doc: Doc, root) -> tuple[Optional[str], Optional[object]]:
    """('anchor'|'part'|None, governing noun) for "<dir-word> of X" / "near X" / "outskirts of X"."""
    h = root.head
    if h.lower_ == "of" and h.head.i != h.i:
        g = h.head
        if g.lower_ in DIRECTION:
            return "anchor", g
        if g.lower_ in PART:
            return "part", g
    if h.lower_ in ("near", "outside", "around") or (h.lower_ == "to" and h.head.lower_ in ("close", "next")):
        return "part", h
    # "10 km south of X" where the parser attaches differently: look left
    i = root.i - 1
    while i >= 0 and (doc[i].lower_ in ANCHOR_DESCRIPTORS or doc[i].ent_type_ == "NORP"):
        i -= 1  # ("south of the Syrian capital Damascus")
    if i >= 1 and doc[i].lower_ == "of":
        w = doc[i - 1].lower_
        if w in DIRECTION:
            return "anchor", doc[i - 1]
        if w in PART:
            return "part", doc[i - 1]
    return None, None


def _loc(t: Toponym, **over) -> Location:
    d = t.model_dump(exclude={"start", "end", "type", "score"})
    d.update(over)
    return Location(**d)


def _with_list_mates(doc: Doc, keep: list, scored: list) -> list:
    """A place of a list whose commas were lost brings the other places of its list ("airstrikes in the villages
    of al-Shindakhiyeh al-Shamaliyeh Mannoukh and Housis": one location each, as for "A, B and C"; the parse
    does not coordinate them)."""
    from flashpoint.geo.lists import list_mates

    mates = list_mates(doc)
    if not mates:
        return keep
    want = {sp for s in keep for sp in mates.get((s[1].start, s[1].end), ())}
    have = {id(s[1]) for s in keep}
    extra = [s for s in scored if (s[1].start, s[1].end) in want and id(s[1]) not in have]
    return keep + extra


def _score_governed(path: list, r, shared: float) -> float:
    """Score of a toponym whose root ``r`` reaches the trigger through ``path``."""
    hops = sum(1 for p in path if p.dep_ not in ("conj", "appos", "cc", "punct"))
    score = 3.0 - 0.15 * hops - shared
    deps = [p.dep_ for p in path]
    # another clause's verb in between: its event, not ours
    if any(p.pos_ in ("VERB", "AUX") and p.dep_ not in ("prep", "agent", "conj", "acl") for p in path[1:]
           if not shared or p is not path[-1]) or \
            any(d in CLAUSE_DEPS - {"acl"} for d in deps[1:]):
        score -= 2.0
    if deps and deps[-1] in ("nsubj", "nsubjpass") and len(path) <= 2:
        score -= 0.8  # "Aleppo was hit" is fine, but "Turkey said" is the speaker
    if any(p.lower_ in LOC_PREPS for p in path) or any(d in ("dobj", "pobj", "conj", "appos", "npadvmod",
                                                               "compound", "nmod", "obl") for d in deps):
        score += 0.5
    # a modifier of a person/org noun ("the Aleppo governor") is weak
    if r.dep_ in ("compound", "amod", "poss") and r.head.pos_ in ("NOUN", "PROPN") and \
            r.head.lower_ not in PART and r.head.lower_ not in SETTLEMENT_HEADS:
        score -= 1.0
    return score


def _score_ungoverned(trig, r) -> float:
    """Score of a toponym that the trigger does not govern."""
    # not governed by the trigger: shares its clause? (both hang off the same root, no other verb)
    score = 0.6 if trig.dep_ in ("ROOT",) and r.sent.root == trig else 0.0
    # the trigger is inside a clause and the place hangs off the main verb
    anc = list(trig.ancestors)
    if anc and any(a.i == r.head.i or a in r.ancestors for a in anc):
        # "Shelling hit a bus in X, killing 8": the trigger hangs off the verb that governs X
        score = max(score, 1.1 if trig.dep_ in ("advcl", "xcomp", "conj", "pcomp") else 0.8)
    if trig.dep_ in ("amod", "compound") and trig.head == r:
        score = 2.0  # "Aleppo-based" / "Damascus bombing"
    return score


def _score_toponym(doc: Doc, trig, t: Toponym, r) -> list:
    """[score, toponym, relative kind, governing noun, path] of one literal toponym for the trigger."""
    rel, gov = _relative(doc, r)
    path = _path(r, trig)
    shared = 0.0
    if path is None:
        # "was shot and killed in X": the place of a coordinated verb is shared by the trigger
        for v in [c for c in trig.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")] + (
                [trig.head] if trig.dep_ == "conj" else []):
            pv = _path(r, v)
            if pv is not None:
                path, shared = pv + [v], 0.3
                break
    score = _score_governed(path, r, shared) if path is not None else _score_ungoverned(trig, r)
    return [score, t, rel, gov, path or []]


def _anchored_by_other(scored: list) -> set:
    """ids of anchors whose anchored place is also a candidate ("Khan Toman town, 10 km south of X")."""
    anchored_by_other = set()
    for s in scored:
        t, rel = s[1], s[2]
        if rel == "anchor":
            # is there a toponym just before the relative phrase ("Khan Toman town, 10 km south of X")?
            for o in scored:
                if o is not s and o[1].end <= t.start and t.start - o[1].end < 80 and o[2] != "anchor":
                    anchored_by_other.add(id(t))
    return anchored_by_other


def _drop_containers(keep: list, roots: dict) -> list:
    """Landmarks, containers and possessors made redundant by a finer kept place."""
    # "villages near X including A, B": the specific places win over the landmark they are near
    plain_heads = {p.i for s in keep if s[2] is None for p in s[4]}
    keep = [s for s in keep if not (s[2] == "part" and s[3] is not None and s[3].lower_ in ("near", "outside", "around")
                                    and s[3].head.i in plain_heads)]
    # a finer place makes its container redundant ("the West Bank city of Nablus", "Hama province")
    if any((s[1].geo_precision or 1) == 1 or not s[1].resolved for s in keep):
        fine = [s for s in keep if not (s[1].resolved and (s[1].geo_precision or 1) >= 3)]
        if fine:
            keep = fine
    # "Mogadishu's Yaqshid district": the possessor is the container of the other place
    kept_roots = {roots[id(s[1])].i: s for s in keep if id(s[1]) in roots}
    def _contains_other(s):
        r = roots.get(id(s[1]))
        if r is None or r.dep_ != "poss":
            return False
        h = r.head
        if h.i in kept_roots and kept_roots[h.i] is not s:
            return True
        return any(c.i in kept_roots and kept_roots[c.i] is not s for c in h.children if c.i != r.i)
    if len(keep) > 1:
        keep = [s for s in keep if not _contains_other(s)] or keep
    return keep


def _to_locations(keep: list) -> list[Location]:
    """Locations of the kept candidates, in text order, one per (place, name)."""
    out = []
    for s, t, rel, gov, _p in keep:
        if rel == "anchor":
            out.append(_loc(t, geo_precision=max(2, t.geo_precision or 2), anchor=t.name))
        elif rel == "part":
            out.append(_loc(t, geo_precision=max(2, t.geo_precision or 2)))
        else:
            out.append(_loc(t))
    # dedupe by name/place
    seen, res = set(), []
    for loc in out:
        k = (loc.geonameid, loc.name.lower())
        if k in seen:
            continue
        seen.add(k)
        res.append(loc)
    return res


def event_locations(doc: Doc, trigger_i: int, toponyms: list[Toponym] | None = None) -> list[Location]:
    """The place(s) where the event triggered by token ``trigger_i`` happened ([] if none fits)."""
    if toponyms is None:
        toponyms = getattr(doc._, "toponyms", None) or []
    trig = doc[trigger_i]
    sent = trig.sent
    lits = [t for t in toponyms
            if t.type == "literal" and sent.start_char <= t.start and t.end <= sent.end_char]
    if not lits:
        return []
    roots = {}
    for t in lits:
        r = _span_root(doc, t)
        if r is None:
            continue
        roots[id(t)] = r
    scored = [_score_toponym(doc, trig, t, roots[id(t)]) for t in lits if id(t) in roots]
    if not scored:
        return []
    # anchors: drop an anchor when the place it anchors is also a candidate in the sentence
    anchored_by_other = _anchored_by_other(scored)
    best = max(s[0] for s in scored)
    if best < 1.0:
        return []
    keep = [s for s in scored if s[0] >= best - 0.7 and s[0] >= 1.0 and id(s[1]) not in anchored_by_other]
    keep = _drop_containers(keep, roots)
    keep = _with_list_mates(doc, keep, scored)
    keep.sort(key=lambda s: s[1].start)
    return _to_locations(keep)
