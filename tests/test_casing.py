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
