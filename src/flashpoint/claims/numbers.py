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

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flashpoint.claims.lexicon import load_yaml

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
