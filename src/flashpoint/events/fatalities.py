"""Casualty counts for an event sentence.

Uses ``flashpoint.claims.numbers.find_casualties`` when available; otherwise a small fallback that reads
"<number> <group> ... killed" / "killing <number> <group>" patterns. Aggregate statistics are never fatalities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CIVILIAN_GROUPS = {"civilians", "civilian", "children", "child", "women", "woman", "people", "persons", "residents",
                   "kids", "villagers", "family", "members of a family", "students", "worshippers", "girls", "boys",
                   "infants", "babies", "patients", "displaced", "refugees", "men", "medics", "journalists"}
SUBSET_GROUPS = {"children", "child", "women", "woman", "kids", "girls", "boys", "infants", "babies"}
GENERAL_GROUPS = {None, "", "people", "persons", "person", "civilians", "civilian", "victims", "dead", "total"}

_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
              "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
              "dozen": 12, "dozens": 24, "a dozen": 12, "hundred": 100, "hundreds": 200, "sixty": 60, "seventy": 70,
              "eighty": 80, "ninety": 90}
_KILL_RE = re.compile(r"\b(kill(?:ed|ing|s)?|dead|died|die|dying|deaths?|lives|lost their lives|perished|"
                      r"slain|martyr(?:ed|s)?|massacred|executed|bodies|fatalities|death toll|toll)\b", re.I)
_WOUND_RE = re.compile(r"\b(wound(?:ed|ing|s)?|injur(?:ed|ing|ies|y)|hurt)\b", re.I)
_GROUP_RE = re.compile(r"^(civilians?|children|child|kids|women|woman|people|persons|residents|soldiers|troops|"
                       r"fighters|militants|rebels|members|men|girls|boys|infants|babies|villagers|students|"
                       r"family|gunmen|jihadists|militiamen|policemen|officers|personnel|others|victims)\b", re.I)
_NUM_RE = re.compile(r"^(\d[\d,]*)$")


@dataclass
class Cas:
    count: int
    outcome: str
    group: str | None
    aggregate: bool = False
    start: int = 0
    end: int = 0
    qualifier: str | None = None


def _num(tok) -> int | None:
    t = tok.text.lower().replace(",", "")
    if t.isdigit():
        return int(t)
    return _NUM_WORDS.get(t)


def _fallback(span) -> list[Cas]:
    """Tiny reader for counts like '12 civilians were killed', 'killing 5 people including 2 children'."""
    out: list[Cas] = []
    toks = list(span)
    for k, tok in enumerate(toks):
        n = _num(tok)
        if n is None or tok.ent_type_ in ("DATE", "TIME", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"):
            continue
        if k + 1 < len(toks) and toks[k + 1].lower_ in ("km", "kilometres", "kilometers", "miles", "percent", "%",
                                                          "days", "years", "months", "hours", "weeks", "meters"):
            continue
        # group noun within 3 tokens after
        group = None
        for j in range(k + 1, min(k + 5, len(toks))):
            m = _GROUP_RE.match(toks[j].text)
            if m:
                group = m.group(1).lower()
                break
        window = span.doc[max(tok.i - 6, span.start): min(tok.i + 10, span.end)].text
        after = span.doc[tok.i: min(tok.i + 10, span.end)].text
        if _KILL_RE.search(window):
            outcome = "killed"
            if _WOUND_RE.search(after) and not _KILL_RE.search(after):
                outcome = "wounded"
        elif _WOUND_RE.search(window):
            outcome = "wounded"
        else:
            continue
        out.append(Cas(count=n, outcome=outcome, group=group, start=tok.idx, end=tok.idx + len(tok.text)))
    return out


def casualties(span) -> list:
    """Casualty mentions in a span (Casualty objects from claims, or the fallback's)."""
    try:
        from flashpoint.claims.numbers import find_casualties  # type: ignore

        return list(find_casualties(span))
    except ImportError:
        return _fallback(span)
    except Exception:  # noqa: BLE001 - a bug elsewhere must not kill event extraction
        return _fallback(span)


_COMBATANT_WORDS = {"combatants", "combatant", "militants", "militant", "fighters", "fighter", "jihadists", "insurgents",
                    "terrorists", "gunmen", "extremists", "members"}


def _norm_group(g) -> str | None:
    g = (str(g).lower().strip() if g else None) or None
    # "132 Islamic State fighters" (headline) and "132 Islamic State militants" (lede) are one group, not 264
    return "combatants" if g in _COMBATANT_WORDS else g


def summarise(cas: list) -> dict:
    """{fatalities, civilian_fatalities, children, women, wounded} from casualty mentions (non-aggregate)."""
    killed = [c for c in cas if getattr(c, "outcome", "killed") in ("killed", "dead", "died", "death", "deaths")
              and not getattr(c, "aggregate", False) and getattr(c, "count", None) is not None]
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
