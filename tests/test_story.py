"""The story's lead event and its PLOVER type from the PLOVER model (events/story.py), on invented articles."""
from datetime import date

import pytest

from flashpoint.events import codes
from flashpoint.events.story import clean_headline
from flashpoint.model import Article


@pytest.fixture(scope="module")
def extract(pipeline):
    def _run(title, text, published=date(2020, 1, 8)):
        return pipeline.extract(Article(id="t", title=title, text=text, published=published)).events

    return _run


def _lead(events):
    return next(e for e in events if e.status in ("reported", "claimed") and e.plover_type)


def test_headline_template_slots_read_as_the_model_was_trained():
    assert clean_headline("{country_1} Teachers Strike Over Pay") == "Country Teachers Strike Over Pay"
    assert clean_headline("{actor_2} Rejects Offer") == "X Rejects Offer"
    assert clean_headline("Ministers Meet in Oslo") == "Ministers Meet in Oslo"


def test_meeting_story_leads_with_its_meeting_not_a_background_killing(extract):
    evs = extract("Foreign Ministers Meet in Oslo to Discuss Fishing Rights",
                  "The foreign minister of Norway met his Swedish counterpart on Monday in Oslo. They discussed "
                  "fishing rights in a region scarred by a war that killed thousands.")
    lead = _lead(evs)
    assert lead.plover_type == "CONSULT" and lead.sub_event_type is None
    assert lead.actor1 and lead.event_date == "2020-01-06"
    # coded from the model's reading, with no lexicon trigger: less sure than the triggered event
    assert lead.confidence < min(e.confidence for e in evs if e.sub_event_type)


def test_protest_the_lexicon_does_not_know_is_the_storys_event(extract):
    lead = _lead(extract("Teachers Walk Out Over Unpaid Wages",
                         "Thousands of teachers in Gondor walked out of their classrooms on Monday, demanding months "
                         "of unpaid wages."))
    assert lead.plover_type == "PROTEST" and lead.sub_event_type is None


def test_story_event_of_the_headlines_type_is_moved_first(extract):
    # the killing is mentioned first, the arrests are the story
    evs = extract("Police Arrest 40 Opposition Supporters in Capital",
                  "The capital was tense on Monday. Gunmen killed a guard at a checkpoint in the north of the city on "
                  "Sunday. Police arrested 40 opposition supporters at a rally on Monday, officials said.")
    assert (evs[0].sub_event_type, evs[0].plover_type) == ("Arrests", "COERCE")
    assert any(e.sub_event_type == "Attack" for e in evs)


def test_threat_story_with_no_acled_event_gets_the_models_type(extract):
    lead = _lead(extract("Gondor Threatens Sanctions Over Border Dispute",
                         "Gondor on Tuesday warned Rohan it would impose sanctions unless its troops left the border "
                         "area."))
    assert lead.plover_type == "THREATEN"


def test_report_of_violence_keeps_its_acled_lead_and_gets_no_story_event(extract):
    evs = extract("Rebels Shell Town in Idlib", "Rebels shelled the town of Maarat al-Numan on Monday, killing three "
                                                "civilians, activists said.")
    assert evs and all(e.sub_event_type for e in evs)
    assert (evs[0].plover_type, evs[0].plover_mode) == ("ASSAULT", "heavy-weapons")


def test_appeal_story_leads_with_the_appeal_and_keeps_the_attack_it_is_about(extract):
    evs = extract("Coalition Calls for Holding Regime Accountable for Chemical Attacks",
                  "The Coalition called on the Security Council to hold the regime accountable for the chemical "
                  "attacks that killed 40 people in Douma on Saturday.")
    assert evs[0].plover_type == "REQUEST" and evs[0].sub_event_type is None
    assert any(e.sub_event_type == "Chemical weapon" for e in evs)


def test_without_a_headline_no_story_event_is_added(events_of):
    # a single actor's appeal is no interaction (verbal), and with no headline there is no story to tell
    assert not [e for e in events_of("The mayor appealed for calm on Sunday.", "2019-05-14")
                if e.sub_event_type is None]


def test_story_modes_are_the_manuals():
    assert codes.codebook_mode("COERCE", "ban") == "restrict"
    assert codes.codebook_mode("CONSULT", "visit") == "visit"
    assert codes.codebook_mode("CONSULT", "arrest") is None
    assert codes.codebook_mode("AGREE", "anything") is None
