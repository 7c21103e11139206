"""Event dates resolved against the publication date (ACLED time_precision: 1 day, 2 week, 3 month or coarser)."""
from __future__ import annotations

from functools import lru_cache
import re
from datetime import date, datetime, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MON_ABBR = [m[:3] for m in MONTHS]
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAYNUM_RE = re.compile(r"\b([0-3]?\d)(st|nd|rd|th)?\b")
_DATELINE_RE = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?([0-3]?\d)\s+([a-z]{3,9})\.?,?\s+(\d{4})\b"
    r"|^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?([a-z]{3,9})\.?\s+([0-3]?\d),?\s+(\d{4})\b",
    re.I)

# DATE entities that are durations or vague spans, not dates
_SKIP_RE = re.compile(r"\b(hours?|minutes?|decades?|ages?|old|long|period|several|few|many|for \d)\b|"
                      r"^(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|months?|years?)$", re.I)


def _month(word: str) -> int | None:
    w = word.lower().strip(".")
    if w in MONTHS:
        return MONTHS.index(w) + 1
    if w[:3] in _MON_ABBR and (len(w) == 3 or w.startswith(MONTHS[_MON_ABBR.index(w[:3])][: len(w)])):
        return _MON_ABBR.index(w[:3]) + 1
    return None


def dateline(text: str) -> date | None:
    """A date at the very start of an article ("Wed 05 Apr 2017 ...", "March 3, 2016 -")."""
    m = _DATELINE_RE.match(text[:60])
    if not m:
        return None
    try:
        if m.group(1):
            mon = _month(m.group(2))
            return date(int(m.group(3)), mon, int(m.group(1))) if mon else None
        mon = _month(m.group(4))
        return date(int(m.group(6)), mon, int(m.group(5))) if mon else None
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def resolve(text: str, published: date | None) -> tuple[date, int] | None:
    """Resolve a date expression against the publication date -> (date, time_precision), or None.

    "on Tuesday" -> the most recent Tuesday on or before publication; "September 30" -> that day in the
    publication year (previous year if it would be after publication); "in 2013" -> 2013 (precision 3).
    """
    t = " ".join(text.lower().replace("’", "'").split())
    t = re.sub(r"^(on|in|at|by|during|since|from|of|until|till|the)\s+", "", t)
    if not t or _SKIP_RE.search(t):
        return None
    base = published or date.today()
    # relative days
    rel = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
           "yesterday": 1, "last night": 1, "overnight": 0, "the day before yesterday": 2, "day before yesterday": 2}
    for k, n in rel.items():
        if t == k or t.startswith(k):
            return base - timedelta(days=n), 1
    for i, wd in enumerate(WEEKDAYS):
        if re.search(rf"\b{wd}\b", t):
            # "Tuesday" or a truncated "Tuesday 5": the weekday decides unless a month names the day
            if not any(_month(w) for w in re.findall(r"[a-z]+", t)):
                back = (base.weekday() - i) % 7
                if "last" in t.split() and back == 0:
                    back = 7
                return base - timedelta(days=back), 1
    if re.search(r"\b(last|past|previous) week(end)?\b|\bthis week\b|\bearlier this week\b", t):
        return base - timedelta(days=7 if "last" in t or "previous" in t else 0), 2
    if re.search(r"\b(last|past|previous) month\b|\bthis month\b|\bearlier this month\b", t):
        d = base.replace(day=1)
        if "this" not in t:
            d = (d - timedelta(days=1)).replace(day=1)
        return d, 3
    if re.search(r"\blast year\b", t):
        return date(base.year - 1, 1, 1), 3
    if re.search(r"\bthis year\b|\bearlier this year\b", t):
        return date(base.year, 1, 1), 3
    # explicit month / day / year
    words = re.findall(r"[a-z]+|\d+", t)
    mon = next((_month(w) for w in words if _month(w)), None)
    ym = _YEAR_RE.search(t)
    year = int(ym.group(1)) if ym else None
    day = None
    if mon:
        for w in re.findall(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", t):
            if 1 <= int(w) <= 31:
                day = int(w)
                break
    if mon:
        y = year or base.year
        try:
            d = date(y, mon, day or 1)
        except ValueError:
            return None
        if year is None and d > base:
            d = d.replace(year=y - 1)
        return d, (1 if day else 3)
    if year:
        if re.search(r"\b(late|end of)\b", t):
            return date(year, 12, 1), 3
        return date(year, 1, 1), 3
    # last resort: dateparser
    try:
        import dateparser

        dt = dateparser.parse(text, languages=["en"], settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day),
                                              "PREFER_DATES_FROM": "past", "STRICT_PARSING": False})
    except Exception:  # noqa: BLE001
        dt = None
    if dt is None:
        return None
    d = dt.date()
    if d > base:
        return None
    return d, 2
