"""Event dates (issue #11 item 5): the article's own printed date anchors relative dates, a disagreeing
publication date is reported, no bare number is a year, and nothing is ever dated today. Invented articles."""
from datetime import date

import pytest

from flashpoint.events import dates


# ------------------------------------------------------------------------------------------- printed date
@pytest.mark.parametrize("text,title,expected", [
    # after the headline, behind a wire source and a weekday
    ("Militants storm a border post Monitor AFP Thursday 14 Mar 2019 Militants stormed a border post near "
     "the town on Wednesday.", "Militants storm a border post", date(2019, 3, 14)),
    # "Published ..." / "Posted on ... by" / "Date of publication ..." markers
    ("Published September 9 2018 SEND At least seven people were killed on Friday.", None, date(2018, 9, 9)),
    ("Posted on May 2 2019 by Jane Roe Gunmen attacked a market on Tuesday.", None, date(2019, 5, 2)),
    ("Date of publication 4 June 2018 Fighters clashed near the dam on Sunday.", None, date(2018, 6, 4)),
    ("Last updated at Oct 092018 HARBOURTOWN Rebels shelled the port on Monday.", None, date(2018, 10, 9)),
    # at the start of the text or of a line
    ("Tue 11 Sep 2018 Rebels shelled the port.", None, date(2018, 9, 11)),
    ("River clashes\nMarch 3, 2016 - Rebels said they took the bridge.", None, date(2016, 3, 3)),
    ("12-05-2019 Army retakes hill village. Troops retook the village on Saturday.", None, date(2019, 5, 12)),
    ("Army retakes hill village 1145 12.05.2019Get short URL Troops retook the village.", None, date(2019, 5, 12)),
])
def test_printed_date_near_the_start(text, title, expected):
    assert dates.printed_date(text, date(2019, 6, 1), title) == expected


@pytest.mark.parametrize("text", [
    "On March 3, 2011 protesters gathered in the square and were dispersed.",
    "Protesters gathered March 3, 2011 in the capital, witnesses said.",
    "Rebels attacked the port Friday 23 August 2013, killing four guards.",
    "The truce signed in 2016 collapsed when gunmen attacked at 0700 GMT near building 1070.",
])
def test_an_event_date_in_the_lede_is_not_the_printed_date(text):
    assert dates.printed_date(text, date(2019, 6, 1)) is None


def test_dateline_without_a_year_takes_it_from_the_publication_date():
    text = "PORTVILLE, June 12 (Wire) - Gunmen killed three guards at a checkpoint on Tuesday."
    assert dates.printed_date(text, date(2019, 6, 13)) == date(2019, 6, 12)
    # the most recent June 12 on or before publication
    assert dates.printed_date(text, date(2019, 2, 1)) == date(2018, 6, 12)
    # no publication date: the year is unknown
    assert dates.printed_date(text, None) is None


def test_numeric_dates_read_day_first():
    assert dates.printed_date("05-04-2019 Shelling hits the old market.", None) == date(2019, 4, 5)
    # month-first only when that is the publication day and day-first is not
    assert dates.printed_date("05-04-2019 Shelling hits the old market.", date(2019, 5, 4)) == date(2019, 5, 4)
    assert dates.printed_date("25-04-2019 Shelling hits the old market.", date(2019, 4, 1)) == date(2019, 4, 25)


# ---------------------------------------------------------------------------------- anchor and warnings
def test_printed_date_anchors_and_a_disagreeing_publication_date_is_reported():
    text = "Published September 9 2018 SEND At least seven people were killed Saturday in a bombing."
    day, precision, warnings = dates.article_date(text, date(2018, 8, 20))
    assert (day, precision) == (date(2018, 9, 9), 1)
    assert len(warnings) == 1 and "2018-08-20" in warnings[0] and "2018-09-09" in warnings[0]
    assert "printed date" in warnings[0]


def test_a_close_publication_date_is_not_reported():
    text = "Published September 9 2018 SEND At least seven people were killed Saturday in a bombing."
    day, _, warnings = dates.article_date(text, date(2018, 9, 10))
    assert day == date(2018, 9, 9) and warnings == []


def test_publication_date_without_a_printed_date():
    assert dates.article_date("Gunmen killed three guards on Tuesday.", date(2018, 9, 10)) == \
        (date(2018, 9, 10), 2, [])


def test_no_date_at_all_is_undated_with_a_warning():
    day, precision, warnings = dates.article_date("Gunmen killed three guards on Tuesday.", None)
    assert day is None and precision == 3
    assert warnings == [dates.UNDATED_WARNING]


# ---------------------------------------------------------------------------------------------- resolve
@pytest.mark.parametrize("text", ["0700 GMT", "building 1070", "1070", "20", "the 12th"])
def test_bare_numbers_are_not_dates(text):
    assert dates.resolve(text, date(2018, 9, 10)) is None
    assert dates.resolve(text, None) is None


def test_never_today():
    for text in ("Tuesday", "yesterday", "September 30", "last week", "three days ago"):
        assert dates.resolve(text, None) is None, text
    # a date that names its year needs no publication date
    assert dates.resolve("on March 3, 2011", None) == (date(2011, 3, 3), 1)
    assert dates.resolve("in 2013", None) == (date(2013, 1, 1), 3)


def test_relative_dates_against_the_anchor():
    wed = date(2018, 10, 31)  # a Wednesday
    assert dates.resolve("Tuesdays", wed) == (date(2018, 10, 30), 1)  # "after Tuesdays assault"
    assert dates.resolve("three days ago", wed) == (date(2018, 10, 28), 2)


# ------------------------------------------------------------------------------------------ in the Report
def _report(pipeline, text, published, title=None):
    from flashpoint.model import Article

    return pipeline.extract(Article(id="d", text=text, title=title, published=published))


def test_report_uses_the_printed_date_and_warns(pipeline):
    text = ("Bomb kills five in river town\nPublished September 9 2018 SEND\nA car bomb killed five people "
            "on Saturday in the town of Manbij, a monitoring group said.")
    rep = _report(pipeline, text, date(2018, 8, 20), "Bomb kills five in river town")
    assert any("disagrees with the article's printed date 2018-09-09" in e for e in rep.errors)
    days = {e.event_date for e in rep.events if e.event_date}
    assert "2018-09-08" in days  # the Saturday before the printed Sunday
    assert not any(d.startswith("2018-08") for d in days)


def test_report_without_any_date_is_undated(pipeline):
    text = "A car bomb killed five people on Saturday in the town of Manbij, a monitoring group said."
    rep = _report(pipeline, text, None)
    assert rep.events
    assert all(e.event_date is None and e.time_precision == 3 for e in rep.events)
    assert any(dates.UNDATED_WARNING in e for e in rep.errors)


def test_a_bare_year_of_the_articles_year_does_not_date_the_event(events_of):
    """"Wed 05 Apr 2017 Syria attack symptoms ...": spaCy may tag only "2017"; the event keeps the article's day,
    not 1 January at year precision. Invented sentence."""
    evs = events_of("Wed 05 Apr 2017 Rebels attacked an army post in the town of Saraqeb. Two soldiers were killed.",
                    date(2017, 4, 5))
    assert evs and all(e.event_date != "2017-01-01" for e in evs)


def test_a_numeric_date_names_its_day():
    assert dates.resolve("28.05.2017", date(2017, 5, 28)) == (date(2017, 5, 28), 1)



def test_meanwhile_elsewhere_is_not_dated_by_the_incident_before(pipeline):
    """"Meanwhile in northeastern Idlib province the Observatory said three children were killed ... in air strikes on
    Tel Minis" after a battle "on October 5": another incident, not dated by that one."""
    from flashpoint.model import Article
    text = ("A monitoring group said on Friday that 19 people were killed by air strikes on the town of Nawa in Daraa "
            "province. Nawa is less than two kilometres from a strategic hill in Daraa province that rebels seized on "
            "October 5 in a battle that cost the lives of 30 soldiers. Meanwhile in northern Hama province the monitor "
            "said three children were killed and another five injured in air strikes on Kafr Zita in the south.")
    evs = pipeline.extract(Article(id="t", text=text, published=date(2014, 10, 10))).events
    kz = [e for e in evs if e.location is not None and e.location.name == "Kafr Zita"]
    assert kz and all(e.event_date != "2014-10-05" for e in kz)


def test_the_articles_own_month_at_its_start_is_no_event_date(pipeline):
    """"10 October 2017 Russian Defense Ministry: More than 100 ISIS terrorists killed in Deir Ezzor" (spaCy tags only
    "October 2017"): the page's month, not an event on 1 October."""
    from flashpoint.model import Article
    text = "10 October 2017 Defence Ministry: More than 100 militants killed in air strikes near the town of Mayadin."
    evs = pipeline.extract(Article(id="t", text=text, published=date(2017, 10, 10))).events
    assert evs and all(e.event_date == "2017-10-10" for e in evs)


# ------------------------------------------------------------------------- durations, fragments, clauses
@pytest.mark.parametrize("text", [
    "six-year", "the five-year war", "three-year", "a two-day truce",  # "Syria's six-year conflict"
    "a week", "a day", "a second day", "a year", "just one year",  # "fighting raged for a week"
])
def test_durations_are_not_dates(text):
    assert dates.resolve(text, date(2017, 10, 3)) is None


def test_a_span_up_to_the_anchor_is_not_the_month_before():
    """"... have been killed during the past month": the 30 days before the article, not the calendar month before
    it, which "last month" names."""
    oct3 = date(2017, 10, 3)
    assert dates.resolve("during the past month", oct3) is None
    assert dates.resolve("the last month and a half", oct3) is None
    assert dates.resolve("last month", oct3) == (date(2017, 9, 1), 3)


def test_ago_against_the_anchor_with_the_precision_of_its_unit():
    tue = date(2017, 10, 3)
    assert dates.resolve("two weeks ago", tue) == (date(2017, 9, 19), 2)
    assert dates.resolve("a year ago", tue) == (date(2016, 10, 3), 3)


def test_a_day_run_into_its_year():
    """"Last updated at Jan 202015": the day and the year printed without a space."""
    assert dates.resolve("Jan 202015", date(2015, 1, 21)) == (date(2015, 1, 20), 1)
    assert dates.resolve("in 202015", date(2015, 1, 21)) is None


def _doc_with_date(words, start, end):
    import spacy
    from spacy.tokens import Doc, Span

    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, start, end, label="DATE")]
    return doc.ents[0]


def test_a_date_fragment_takes_the_month_spacy_left_out():
    """"Sat Mar 12 2016 Turkeys Nightmare ..." tagged "12 2016": read with its month and weekday, not as 2016."""
    from flashpoint.events import event_time

    ent = _doc_with_date(["Sat", "Mar", "12", "2016", "Rebels", "Shell", "Border", "Town"], 2, 4)
    assert event_time._text(ent) == "Sat Mar 12 2016" and event_time._start(ent) == 0
    # a word that is no month ("may") stays out
    ent = _doc_with_date(["Rebels", "may", "12", "2016", "talks"], 2, 4)
    assert event_time._text(ent) == "12 2016"


def test_a_date_of_a_reported_clause_does_not_date_the_trigger(events_of):
    """"A spokesman did not say what agent was used in the attack but said the rebels had used the same chemical
    weapons in Aleppo last year": "last year" dates the reported clause, not the attack. Invented sentence."""
    evs = events_of("Gunmen attacked a checkpoint near the town of Saraqeb on Tuesday. A police spokesman did not "
                    "say which weapons were used in the attack but said the gang had used the same rifles in Homs "
                    "last year.", date(2017, 4, 5))
    assert any(e.status in ("reported", "claimed") for e in evs)
    assert all(e.event_date != "2016-01-01" for e in evs)  # (whatever the status of "the attack")


def test_a_relative_clause_of_the_event_dates_it(events_of):
    """"... a similar twin bombing in the central city that killed at least 12 people in May": May's bombing, a
    past one (not reported as news of October). Invented sentence."""
    evs = events_of("A car bomb killed five people in the town of Jableh on Wednesday. A militant group said it was "
                    "behind a similar car bombing in the coastal town that killed at least nine people in May.",
                    date(2014, 10, 1))
    may = [e for e in evs if e.event_date == "2014-05-01"]
    assert may and all(e.status == "historical" for e in may)
    assert not any(e.status in ("reported", "claimed") and e.event_date.startswith("2014-05") for e in evs)


def test_last_month_is_background(events_of):
    """"Last month the regime dealt a major blow to the opposition by seizing its last key bastion in the region
    the town of Yabrud": the month before the article's, not its news. Invented sentence."""
    evs = events_of("Rebels shelled the town of Nubl on Tuesday, killing two people. Last month government forces "
                    "attacked the town of Tal Rifaat and killed 20 rebels.", date(2014, 4, 9))
    march = [e for e in evs if e.event_date == "2014-03-01"]
    assert march and all(e.status == "historical" for e in march)


def _cand(status, day=None):
    from types import SimpleNamespace

    from flashpoint.events.candidate import Cand

    sent = SimpleNamespace(start=0, start_char=0, end_char=10)
    c = Cand(group=None, trig=SimpleNamespace(i=0), start=0, end=1, sent=sent, status=status)
    if day is not None:
        c.date, c.precision, c.date_explicit = day, 3, True
    return c


def test_a_merged_denied_or_past_mention_does_not_date_the_incident():
    """"A spokesman did not say what agent was used in the attack but said the rebels had used the same chemical
    weapons in Aleppo last year": a denied mention dated last year, folded into the reported attack, leaves the
    attack's date alone; an asserted mention's date is the incident's."""
    from flashpoint.events.candidate import _absorb

    reported = _cand("reported")
    _absorb(reported, _cand("denied", date(2016, 1, 1)))
    assert not reported.date_explicit and reported.date is None
    _absorb(reported, _cand("claimed", date(2017, 4, 4)))
    assert reported.date == date(2017, 4, 4) and reported.date_explicit


def test_a_naming_participle_has_no_date_of_its_own(events_of):
    """"A suicide blast killed six members of the Kurdish internal security force known as the Asayish in April":
    April is the blast's month (spaCy hangs "in April" on "known"), a past one. Invented sentence."""
    evs = events_of("A car bomb killed three members of the local police force known as the Sutoro in April.",
                    date(2016, 7, 27))
    assert evs and all(e.event_date == "2016-04-01" and e.status == "historical" for e in evs)
