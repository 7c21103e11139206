"""Casualty counts for an event sentence.

Reads the casualty mentions of ``flashpoint.claims.numbers.find_casualties`` and sums them per group. Aggregate
statistics are never fatalities.
"""
from __future__ import annotations

from flashpoint.claims.numbers import find_casualties

CIVILIAN_GROUPS = {"civilians", "civilian", "children", "child", "women", "woman", "people", "persons", "residents",
                   "kids", "villagers", "family", "members of a family", "students", "worshippers", "girls", "boys",
                   "infants", "babies", "patients", "displaced", "refugees", "men", "medics", "journalists"}
SUBSET_GROUPS = {"children", "child", "women", "woman", "kids", "girls", "boys", "infants", "babies"}
GENERAL_GROUPS = {None, "", "people", "persons", "person", "civilians", "civilian", "victims", "dead", "total"}
KILLED_OUTCOMES = ("killed", "dead", "died", "death", "deaths")


def casualties(span) -> list:
    """Casualty mentions in a span (``flashpoint.claims.numbers.find_casualties``)."""
    return list(find_casualties(span))


_COMBATANT_WORDS = {"combatants", "combatant", "militants", "militant", "fighters", "fighter", "jihadists", "insurgents",
                    "terrorists", "gunmen", "extremists", "members"}


# "Air raids kill thousands": a vague count this large sums up a campaign; no one incident's toll is "thousands"
VAGUE_MULTITUDE_MIN = 1000
VAGUE_WORDS = ("thousands", "millions")  # (not "more than a thousand people", an estimate)


CLAUSE_DEPS = ("ROOT", "advcl", "ccomp", "conj", "relcl", "parataxis")


def _clause_head(t):
    """The verb heading the clause of token ``t`` (the sentence root when none is nearer)."""
    x = t
    while x.head.i != x.i:
        if x.pos_ in ("VERB", "AUX") and x.dep_ in CLAUSE_DEPS:
            return x
        x = x.head
    return x


def _death_count(c) -> bool:
    """A counted death of a single incident (not a statistic, not an unquantified mention)."""
    return getattr(c, "outcome", "killed") in KILLED_OUTCOMES and not getattr(c, "aggregate", False) and \
        getattr(c, "count", None) is not None


class SentenceTolls:
    """The casualty mentions of one sentence, with the clause each death count belongs to and the sentence's own
    ``summarise`` (computed once per sentence, read by every trigger of it; callers copy what they take)."""

    def __init__(self, sent):
        self.cas = casualties(sent)
        self.whole = summarise(self.cas)
        doc = sent.doc
        self.heads: dict[int, int] = {}  # id(casualty) -> index of its clause's head
        for c in self.cas:
            if _death_count(c) and not getattr(c, "subset", False):
                sp = doc.char_span(c.start, c.end, alignment_mode="expand")
                if sp is not None and len(sp):
                    self.heads[id(c)] = _clause_head(sp.root).i
        self.split = len(set(self.heads.values())) >= 2

    def toll_of(self, trigger) -> dict:
        """``summarise`` of the casualty mentions of the trigger's own clause when the sentence gives tolls in two
        clauses or more ("The rebel barrage killed 10 people in Damascus while the government air strikes killed at
        least 82": 10 for the barrage, 82 for the strikes), else of the whole sentence."""
        if not self.split:
            return self.whole
        own = _clause_head(trigger).i
        heads = self.heads
        mine = [c for c in self.cas if heads.get(id(c), own) == own]
        return summarise(mine) if any(id(c) in heads for c in mine) else self.whole


def _vague_multitude(c) -> bool:
    """A casualty count given only as a vague multitude ("thousands", "tens of thousands") of at least
    ``VAGUE_MULTITUDE_MIN``."""
    text = (getattr(c, "text", "") or "").lower()
    return int(c.count) >= VAGUE_MULTITUDE_MIN and not any(ch.isdigit() for ch in text) and \
        any(w in text for w in VAGUE_WORDS)


def _norm_group(g) -> str | None:
    g = (str(g).lower().strip() if g else None) or None
    # "132 Islamic State fighters" (headline) and "132 Islamic State militants" (lede) are one group, not 264
    return "combatants" if g in _COMBATANT_WORDS else g


def summarise(cas: list) -> dict:
    """{fatalities, civilian_fatalities, children, women, wounded} from casualty mentions (non-aggregate)."""
    killed = [c for c in cas if _death_count(c) and not _vague_multitude(c)]
    res = {"fatalities": None, "civilian_fatalities": None, "children": None, "women": None}
    if not killed:
        return res
    general = [int(c.count) for c in killed if _norm_group(c.group) in GENERAL_GROUPS]
    by_group: dict[str, int] = {}
    for c in killed:
        g = _norm_group(c.group)
        if g and g not in GENERAL_GROUPS:
            by_group[g] = max(by_group.get(g, 0), int(c.count))
    non_subset = sum(v for g, v in by_group.items() if g not in SUBSET_GROUPS)
    subset = sum(v for g, v in by_group.items() if g in SUBSET_GROUPS)
    total = max(max(general, default=0), non_subset, subset)
    res["fatalities"] = total or None
    civ = [int(c.count) for c in killed if _norm_group(c.group) in ("civilians", "civilian")]
    civ_groups = sum(v for g, v in by_group.items() if g in CIVILIAN_GROUPS and g not in SUBSET_GROUPS)
    if civ:
        res["civilian_fatalities"] = max(civ)
    elif general and not any(g not in CIVILIAN_GROUPS for g in by_group):
        res["civilian_fatalities"] = max(max(general), civ_groups, subset)
    elif civ_groups or subset:
        res["civilian_fatalities"] = max(civ_groups, subset)
    ch = [v for g, v in by_group.items() if g in ("children", "child", "kids", "infants", "babies", "boys", "girls")]
    wo = [v for g, v in by_group.items() if g in ("women", "woman")]
    res["children"] = sum(ch) if ch else None
    res["women"] = sum(wo) if wo else None
    return res
