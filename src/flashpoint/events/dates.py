"""Event dates resolved against the publication date (ACLED time_precision: 1 day, 2 week, 3 month or coarser)."""
from __future__ import annotations

from functools import lru_cache
import re
from datetime import date, datetime, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MON_ABBR = [m[:3] for m in MONTHS]
YEAR_MIN = 1900  # "0700 GMT", "building 1070": no bare number before it is a year
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
_DAYNUM_RE = re.compile(r"\b([0-3]?\d)(st|nd|rd|th)?\b")

# DATE entities that are durations or vague spans, not dates; "the six-year conflict", "the three-year siege of
# Deir ez-Zor" (spaCy tags "six-year") are durations too: dateparser read "six-year" as six months ago
_SKIP_RE = re.compile(r"\b(hours?|minutes?|decades?|ages?|old|long|period|several|few|many|for \d)\b|"
                      r"^(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?|months?|years?)$|"
                      r"\w-(days?|weeks?|months?|years?)\b", re.I)


def _month(word: str) -> int | None:
    w = word.lower().strip(".")
    if w in MONTHS:
        return MONTHS.index(w) + 1
    if w[:3] in _MON_ABBR and (len(w) == 3 or w.startswith(MONTHS[_MON_ABBR.index(w[:3])][: len(w)])):
        return _MON_ABBR.index(w[:3]) + 1
    return None


# ------------------------------------------------------------------------------ the article's printed date
PRINTED_DATE_WINDOW = 300  # chars at the start of an article searched for its own date (after headline, byline)
PRINTED_DATE_SLACK_DAYS = 2  # "a supplied publication date that disagrees by more than two days is noted"
CONTEXT_CHARS = 40  # how far before a date a "Published"/"Posted on" marker may stand
_WD = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_MON = r"(?P<m>[a-z]{3,9})\.?"
_Y = r"(?P<y>(?:19|20)\d\d)"
# "Wed 05 Apr 2017", "Saturday 6 Aug 2016", "10 October 2017"
_DMY_RE = re.compile(rf"(?P<wd>{_WD}\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+{_MON},?\s+{_Y}(?!\d)", re.I)
# "Mon Jul 11 2016", "March 3, 2016", "Published August 27 2016", "Last updated at Nov 272017" (day and year glued)
_MDY_RE = re.compile(rf"(?P<wd>{_WD}\s+)?{_MON}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s*{_Y}(?!\d)", re.I)
# "03-04-2016 Syrian Army Retakes ...", "29.10.2017(updated 1731 29.10.2017)", "2016-07-05"
_NUM_RE = re.compile(rf"(?<![\d.:/-])(?P<a>[0-3]?\d)[-./](?P<b>[01]?\d)[-./]{_Y}(?![\d])")
_ISO_RE = re.compile(rf"(?<![\d.:/-]){_Y}-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
# "KHARTOUM, June 12 (Reuters) -": a wire dateline without a year
_YEARLESS_RE = re.compile(rf"(?:{_MON}\s+(?P<d>[0-3]?\d)|(?P<d2>[0-3]?\d)\s+(?P<m2>[a-z]{{3,9}})\.?)(?=\s*(?:\([^)\n]{{1,40}}\)\s*)?[-\u2013\u2014])",
                          re.I)
_MARKER_RE = re.compile(r"\b(published|posted|updated|date of publication|dated?)\b[^.\n\d]{0,15}$", re.I)
# "killed on Wednesday 29 Oct 2014", "since March 3, 2011": an event's date, not the article's
_PREP_RE = re.compile(r"\b(on|in|since|until|till|from|by|before|after|of|last|next|this|that|between|and|or|to|"
                      r"at|during|around|early|late)\s*$", re.I)
# what follows a printed date: a time, a byline, a wire source, a URL box ("Wed 05 Apr 2017 at 0914",
# "April 5 2017 by Youssef Diab", "28.04.2017Get short URL", "Published August 27 2016 SEND")
_AFTER_RE = re.compile(r"\s*(?:\(?updated\b|at \d|\d{1,2}:\d\d|\d{3,4}\s*(?:[AP]M|GMT|UTC)?\b|get short url|title:|"
                       r"send\b|by [A-Z]|\((?:reuters|ap|afp|upi|xinhua)\)|[-\u2013\u2014|]\s)", re.I)
_PLACE_COMMA_RE = re.compile(r"^\W*[A-Z][A-Za-z.'\- ]{1,40}(?:\([^)\n]{1,40}\))?(?:,\s*[A-Z][A-Za-z.' ]{1,30})?,\s*$")


def _line_before(text: str, s: int) -> str:
    return text[text.rfind("\n", 0, s) + 1:s]


def _after_title(text: str, s: int, title: str | None) -> bool:
    """'IS attack on Syria oil field kills 30 Monitor AFP Wednesday 29 Oct 2014 Islamic State ...': the date follows
    the headline, at most a source name between them."""
    if not title or len(title) < 10:
        return False
    k = text.lower().find(title.lower().strip()[:80], 0, s)
    if k < 0:
        return False
    gap = text[k + len(title.strip()[:80]):s]
    return len(gap) <= CONTEXT_CHARS and "." not in gap and len(gap.split()) <= 4


def _printed_context(text: str, s: int, e: int, weekday: bool, title: str | None) -> bool:
    """Is the date at text[s:e] where an article prints its own date (not an event date in the lede)?"""
    before = text[max(0, s - CONTEXT_CHARS):s]
    if _MARKER_RE.search(before):
        return True
    if _PREP_RE.search(before):
        return False
    if not _line_before(text, s).strip(" \t-\u2013\u2014|*#:,.\"'"):
        return True
    after = text[e:e + 25]
    if _AFTER_RE.match(after) or _after_title(text, s, title):
        return True
    # "... Monitor AFP Wednesday 29 Oct 2014 Islamic State group jihadists have attacked": a weekday-led date
    # between the headline and the lede (not "attacked Aleppo Friday 23 August 2013, killing ...")
    return weekday and bool(re.match(r"\s+[A-Z\"\u201c]", after))


def _day(y: int, m: int | None, d: int) -> date | None:
    if m is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _numeric(a: int, b: int, y: int, published: date | None) -> date | None:
    """'03-04-2016 Syrian Army Retakes ...' is day-month (the wires and state media that print numeric dates);
    month-day only when day-month is no date, or when month-day is the publication day and day-month is not."""
    dm, md = _day(y, b, a), _day(y, a, b)
    if dm and md and published and abs((md - published).days) <= PRINTED_DATE_SLACK_DAYS < \
            abs((dm - published).days):
        return md
    return dm or md


def _candidates(head: str, published: date | None):
    """(start, end, date, has_weekday) for every full date in the head of an article."""
    for rx in (_DMY_RE, _MDY_RE):
        for m in rx.finditer(head):
            d = _day(int(m.group("y")), _month(m.group("m")), int(m.group("d")))
            if d:
                yield m.start(), m.end(), d, bool(m.group("wd"))
    for m in _NUM_RE.finditer(head):
        d = _numeric(int(m.group("a")), int(m.group("b")), int(m.group("y")), published)
        if d:
            yield m.start(), m.end(), d, False
    for m in _ISO_RE.finditer(head):
        d = _day(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            yield m.start(), m.end(), d, False


def _yearless(head: str, published: date | None) -> date | None:
    """'KHARTOUM, June 12 (Reuters) -': the most recent June 12 on or before publication."""
    if published is None:
        return None
    for m in _YEARLESS_RE.finditer(head):
        line = _line_before(head, m.start())
        if line.strip() and not _PLACE_COMMA_RE.match(line):
            continue
        mon = _month(m.group("m") or m.group("m2"))
        day_n = int(m.group("d") or m.group("d2"))
        d = _day(published.year, mon, day_n)
        if d and d > published + timedelta(days=PRINTED_DATE_SLACK_DAYS):
            d = _day(published.year - 1, mon, day_n)
        if d:
            return d
    return None


def printed_date(text: str, published: date | None = None, title: str | None = None) -> date | None:
    """The article's own date near its start: "Wed 05 Apr 2017 ...", "Published August 27 2016 SEND ...",
    "<headline> Monitor AFP Wednesday 29 Oct 2014 ...", "March 3, 2016 - ...", "KHARTOUM, June 12 (Reuters) -"
    (year from the publication date). A date in the lede ("On March 3, 2011 protesters ...") is not one."""
    head = text[:PRINTED_DATE_WINDOW]
    for s, e, d, wd in sorted(_candidates(head, published)):
        if _printed_context(head, s, e, wd, title):
            return d
    return _yearless(head, published)


def dateline(text: str) -> date | None:
    """A date printed at the start of an article ("Wed 05 Apr 2017 ...", "March 3, 2016 -")."""
    return printed_date(text)


UNDATED_WARNING = ("no publication date and no date in the text: events are undated (only a full date in an "
                   "event's own sentence dates it)")


def article_date(text: str, published: date | None, title: str | None = None) -> tuple[date | None, int, list[str]]:
    """The anchor of the article's relative dates -> (date, time_precision of undated events, warnings).

    The printed date wins over a supplied publication date ("Published August 27 2016 ... killed ... Saturday"
    supplied as published 2016-08-02); a disagreement of more than PRINTED_DATE_SLACK_DAYS is reported. Never
    today's date: without either, events are undated (time_precision 3) and a warning says so."""
    printed = printed_date(text, published, title)
    warnings = []
    if printed and published and abs((printed - published).days) > PRINTED_DATE_SLACK_DAYS:
        warnings.append(f"published {published.isoformat()} disagrees with the article's printed date "
                        f"{printed.isoformat()}; relative dates use the printed date")
    if printed:
        return printed, 1, warnings
    if published:
        return published, 2, warnings
    return None, 3, [UNDATED_WARNING]


# "3000 people including nearly 1000 civilians have been killed during the past month": a span that ends at the
# anchor, not the calendar month before it ("last month")
_SPAN_TO_NOW_RE = re.compile(r"\bthe (?:past|last) (?:month|year)\b")
# "Last updated at Jan 202015": a day run into its year after a month name
_GLUED_DAY_YEAR_RE = re.compile(r"\b([a-z]{3,9})\.?\s+([0-3]?\d)((?:19|20)\d\d)\b")


def _unglue(m: re.Match) -> str:
    return f"{m.group(1)} {m.group(2)} {m.group(3)}" if _month(m.group(1)) else m.group(0)


@lru_cache(maxsize=4096)
def resolve(text: str, published: date | None) -> tuple[date, int] | None:
    """Resolve a date expression against the publication date -> (date, time_precision), or None.

    "on Tuesday" -> the most recent Tuesday on or before publication; "September 30" -> that day in the
    publication year (previous year if it would be after publication); "in 2013" -> 2013 (precision 3).
    Never today's date: without a publication date only a date that names its year resolves.
    """
    t = " ".join(text.lower().replace("’", "'").split())
    if _SPAN_TO_NOW_RE.search(t):
        return None
    t = re.sub(r"^(on|in|at|by|during|since|from|of|until|till|the)\s+", "", t)
    t = _GLUED_DAY_YEAR_RE.sub(_unglue, t)
    if not t or _SKIP_RE.search(t):
        return None
    if published is None:
        return _absolute(t)
    base = published
    # relative days
    rel = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
           "yesterday": 1, "last night": 1, "overnight": 0, "the day before yesterday": 2, "day before yesterday": 2}
    for k, n in rel.items():
        if t == k or t.startswith(k):
            return base - timedelta(days=n), 1
    for i, wd in enumerate(WEEKDAYS):
        if re.search(rf"\b{wd}(?:'?s)?\b", t):  # "said after Tuesdays assault" (apostrophe lost)
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
    # "28.05.2017", "03-04-2016": a numeric date names its day
    num = _NUM_RE.search(t)
    if num:
        d = _numeric(int(num.group("a")), int(num.group("b")), int(num.group("y")), base)
        if d is not None:
            return d, 1
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
    return _dateparser(text, t, base)


def _absolute(t: str) -> tuple[date, int] | None:
    """A date that needs no publication date: "March 3, 2011", "October 2015", "in 2013"."""
    ym = _YEAR_RE.search(t)
    if not ym:
        return None
    return resolve(t, date(int(ym.group(1)), 12, 31))


# dateparser reads "0700 GMT" as the year 700, "1070" as 1070 and "20" as the 20th, and a bare duration as a
# date before the anchor ("fighting raged for a week" -> a week ago, "for a second day" -> yesterday): only "... ago"
# goes to it ("two days ago", "a week ago", "three years ago")
_AGO_RE = re.compile(r"\b(days?|weeks?|fortnight|months?|years?)\s+ago\b")
_COARSE_UNITS = ("month", "year")  # "a year ago" names no week: time_precision 3


def _dateparser(text: str, t: str, base: date) -> tuple[date, int] | None:
    """Last resort for relative expressions the rules above do not read ("three days ago")."""
    ago = _AGO_RE.search(t)
    if not ago:
        return None
    import dateparser

    try:
        dt = dateparser.parse(text, languages=["en"], settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past",
            "STRICT_PARSING": False})
    except (ValueError, OverflowError):  # an out-of-range offset ("10000 years ago")
        dt = None
    if dt is None:
        return None
    d = dt.date()
    if d > base or d.year < YEAR_MIN:
        return None
    return d, 3 if ago.group(1).startswith(_COARSE_UNITS) else 2
