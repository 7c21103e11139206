"""Unit tests of the event tables, the lexicon matcher and date resolution (no parser needed)."""
from datetime import date

import pytest

from flashpoint.events import codes, dates


def test_acled_table_has_25_subtypes_in_6_types():
    tab = codes.subtype_table()
    assert len(tab) == 25
    assert {r["event_type"] for r in tab.values()} == {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
        "Strategic developments"}
    assert codes.acled_types("Air/drone strike") == ("Explosions/Remote violence", "Political violence")
    assert codes.acled_types("Excessive force against protesters")[1] == "Political violence; Demonstrations"
    assert codes.acled_types("no such thing") == (None, None)


def test_plover_for_backs_off_to_shorter_codes():
    assert codes.plover_for("195") == ("ASSAULT", "heavy-weapons")
    assert codes.plover_for("173") == ("COERCE", "arrest")
    assert codes.plover_for("141") == ("PROTEST", "demo")
    assert codes.plover_for("1831")[0] == "ASSAULT"
    assert codes.plover_for(None) == (None, None)


def test_every_lexicon_subtype_and_cameo_is_known():
    from flashpoint.events.lexicon import groups

    for g in groups().values():
        assert g.sub_event_type == "@territory" or g.sub_event_type in codes.subtype_table(), g
        assert codes.plover_for(g.cameo)[0], g


@pytest.mark.parametrize("text,expected,precision", [
    ("on Tuesday", date(2015, 10, 27), 1),   # publication day is a Tuesday
    ("Monday", date(2015, 10, 26), 1),
    ("Sunday", date(2015, 10, 25), 1),
    ("September 30", date(2015, 9, 30), 1),
    ("December 5", date(2014, 12, 5), 1),    # would be after publication -> previous year
    ("in 2013", date(2013, 1, 1), 3),
    ("yesterday", date(2015, 10, 26), 1),
    ("last week", date(2015, 10, 20), 2),
    ("October 2015", date(2015, 10, 1), 3),
])
def test_resolve_dates_against_publication(text, expected, precision):
    assert dates.resolve(text, date(2015, 10, 27)) == (expected, precision)


def test_durations_are_not_dates():
    assert dates.resolve("two days", date(2015, 10, 27)) is None
    assert dates.resolve("24 hours", date(2015, 10, 27)) is None


def test_dateline():
    assert dates.dateline("Wed 05 Apr 2017 Syria attack ...") == date(2017, 4, 5)
    assert dates.dateline("March 3, 2016 - Rebels said") == date(2016, 3, 3)
    assert dates.dateline("Rebels said on Monday") is None


def test_matcher_prefers_longest_trigger(nlp):
    from flashpoint.events.extract import find_triggers
    from flashpoint.model import Article
    from flashpoint.nlp import new_doc

    doc = nlp(new_doc(nlp, Article(id="m", text="A suicide car bomb exploded near the market.")))
    found = [(g.name, doc[s:e].text) for g, s, e, _ in find_triggers(doc)]
    assert ("suicide", "suicide car bomb") in found
    assert not any(t == "bomb" for _, t in found)


def test_token_matcher_windows_find_what_the_whole_doc_matcher_finds(nlp):
    from flashpoint.events.lexicon import build_matcher
    from flashpoint.model import Article
    from flashpoint.nlp import new_doc

    text = ("Police took the two suspects into custody on Monday. Rebels set up a new base near the town, and "
            "the army reached a deal with them after a fighter blew himself up. Guards took him into custody.")
    doc = nlp(new_doc(nlp, Article(id="w", text=text)))
    m = build_matcher(nlp.vocab)
    whole = list(m.token(doc))
    assert len(whole) >= 3  # several of: take into custody (twice), set up base, reach deal, blow himself up
    assert sorted(m._token_matches(doc)) == sorted(whole)


def test_token_matcher_patterns_of_different_groups_start_with_different_lemmas(nlp):
    # what keeps find_triggers' choice independent of the order the windows report matches in
    from flashpoint.events.lexicon import _lexicon_entries, _split_words

    first: dict[str, str] = {}
    for group, phrase, _pos in _lexicon_entries():
        if "*" in phrase.split():
            assert first.setdefault(_split_words(phrase)[0], group) == group


def test_weekday_with_a_stray_day_number_is_the_weekday():
    from datetime import date as _d

    from flashpoint.events.dates import resolve

    pub = _d(2016, 7, 20)  # a Wednesday
    assert resolve("Tuesday 5", pub) == (_d(2016, 7, 19), 1)
    assert resolve("Tuesday 5 Jul 2016", pub) == (_d(2016, 7, 5), 1)
