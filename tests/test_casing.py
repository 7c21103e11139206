"""ALL-CAPS articles are re-cased before spaCy (issue #13 item 2), on invented wire copy."""
import pytest

from flashpoint.nlp import casing

WIRE = ("SANTA ROSA, 3 MAR 90 (RADIO CADENA) -- THE ARMED FORCES REPORTED THAT GUERRILLAS OF THE FARABUNDO MARTI "
        "NATIONAL LIBERATION FRONT (FMLN) KILLED THREE PEASANTS IN THE VILLAGE OF EL TABLON YESTERDAY. POLICE "
        "ARRESTED TWO MEMBERS OF THE ELN IN LIMA ON MONDAY.")


def test_only_shouting_text_is_recased():
    assert casing.is_shouting(WIRE)
    assert not casing.is_shouting("Guerrillas killed three peasants in the village of El Tablon, the army said.")
    assert not casing.is_shouting("BREAKING: FMLN")  # too short to tell


def test_recased_text_keeps_every_offset(nlp):
    out = casing.normalise_case(WIRE, nlp)
    assert len(out) == len(WIRE) and out.upper() == WIRE.upper()
    assert "killed three peasants" in out  # English words in lower case
    assert "Farabundo Marti National Liberation Front" in out  # a dictionary name as the dictionary writes it
    assert "(FMLN)" in out and "the ELN" in out  # dictionary acronyms kept
    assert "Lima" in out and "Monday" in out  # a capital and a weekday are names
    assert out.startswith("Santa ") and "-- The armed forces" in out and ". Police arrested" in out
    assert "village of El Tablon" in out  # a place name's article-word


@pytest.fixture(scope="module")
def report():
    from flashpoint.model import Article
    from flashpoint.pipeline import Pipeline

    return Pipeline().extract(Article(id="w", text=WIRE))


def test_all_caps_report_gives_the_events_of_its_lower_case_form(report):
    evs = [e for e in report.events if e.status in ("reported", "claimed")]
    subs = {e.sub_event_type for e in evs}
    assert "Arrests" in subs, evs
    kill = [e for e in evs if e.sub_event_type == "Attack"]
    assert kill and "FMLN" in (kill[0].actor1 or ""), evs


def test_report_spans_keep_the_articles_capitals(report):
    assert report.events
    for e in report.events:
        assert e.evidence.text == WIRE[e.evidence.start:e.evidence.end]
        assert e.evidence.text.isupper()


def test_a_title_case_headlines_event_words_are_lower_cased():
    from flashpoint.events.lexicon import headline_common_words

    text = "24-09-2013 Deadly Blast Hits South Kafr Nabl. Residents of New Halfa said the blast hit a market."
    out = casing.lower_headline_words(text, headline_common_words())
    assert len(out) == len(text) and out.lower() == text.lower()
    assert out.startswith("24-09-2013 Deadly blast hits South Kafr Nabl.")  # names as written
    assert out.endswith("Residents of New Halfa said the blast hit a market.")  # only the headline
    # a headline in sentence case is left alone
    plain = "Regime bombing kills 21 in Kafr Nabl. Jets struck the town."
    assert casing.lower_headline_words(plain, headline_common_words()) == plain


def test_a_title_case_headline_is_one_event_with_its_body(pipeline):
    from datetime import date

    from flashpoint.model import Article

    text = ("Deadly Blast Hits Kafr Nabl\nA car bomb exploded in the town of Kafr Nabl on Monday, killing five "
            "people, a monitor said.")
    r = pipeline.extract(Article(id="h", text=text, published=date(2016, 5, 10)))
    evs = [e for e in r.events if e.status in ("reported", "claimed")]
    assert len(evs) == 1, [(e.sub_event_type, e.evidence.text) for e in evs]
    assert evs[0].evidence.text[:1].isupper() and r.events[0].mentions[0].text.startswith("Deadly Blast Hits")
