"""#13 items 1-2 on invented sentences: police actions get their force as actor1, seizures of weapons and shows
of force are events, guerrillas are an armed actor, named forces and groups of South Asia have ids, and an
ALL-CAPS "IS"/"WHO" is a word, not the Islamic State or the World Health Organization."""
import datetime as dt

import pytest

from flashpoint.nlp import casing

PUB = dt.date(2021, 3, 4)


def _asserted(events_of, text):
    return [e for e in events_of(text, PUB) if e.status in ("reported", "claimed")]


def _name(actor):
    return getattr(actor, "canonical", None) or actor


@pytest.mark.parametrize("text", [
    "Officials said that 12 people have been killed in police firing in the old town of Kano.",
    "Two persons died in the police firing at Mombasa on Sunday.",
    "One man was killed when the police fired six rounds in Kisumu on Monday.",
])
def test_a_killing_by_police_fire_has_the_police_as_actor1(events_of, text):
    evs = [e for e in _asserted(events_of, text) if (e.fatalities or 0) > 0]
    assert evs and all("Police" in (_name(e.actor1) or "") for e in evs), evs


def test_a_death_with_no_armed_actor_in_its_when_clause_stays_without_actor1(events_of):
    evs = _asserted(events_of, "Three villagers were killed when their house collapsed in Kasese on Monday.")
    assert all(e.actor1 is None for e in evs), evs


def test_weapons_seized_by_police_are_disrupted_weapons_use(events_of):
    evs = _asserted(events_of, "Police recovered two pistols and a grenade from a house in Peshawar on Tuesday.")
    dis = [e for e in evs if e.sub_event_type == "Disrupted weapons use"]
    assert dis and "Police Forces of Pakistan" in _name(dis[0].actor1), evs


def test_a_flag_march_of_troops_is_no_protest(events_of):
    evs = _asserted(events_of, "The army staged a flag march through the riot-hit areas of Mombasa on Friday.")
    assert not any(e.event_type == "Protests" for e in evs), evs
    assert any(e.sub_event_type == "Change to group/activity" for e in evs), evs


def test_sent_to_jail_is_an_arrest(events_of):
    evs = _asserted(events_of, "Police detained the two traders in Lahore and sent them to the central jail.")
    assert any(e.sub_event_type == "Arrests" for e in evs), evs


def test_guerrillas_are_an_armed_actor(events_of):
    evs = _asserted(events_of, "Guerrillas killed two farmers near Ayacucho, Peru, on Tuesday.")
    kill = [e for e in evs if e.sub_event_type == "Attack"]
    assert kill and kill[0].actor1 is not None and "Civilians" not in _name(kill[0].actor1), evs


@pytest.mark.parametrize("alias, canonical", [
    ("CRPF", "Police Forces of India"), ("Border Security Force", "Police Forces of India"),
    ("Lashkar-e-Taiba", "Lashkar-e-Taiba"), ("Jaish-e-Mohammed", "Jaish-e-Mohammed"),
    ("NDFB", "National Democratic Front of Bodoland"), ("Rapid Action Battalion", "Police Forces of Bangladesh"),
])
def test_south_asian_forces_and_groups_are_in_the_dictionary(alias, canonical):
    from flashpoint.actors.dictionary import get_dictionary

    d = get_dictionary()
    hits = d.alias_entries.get(alias) or d.alias_entries.get(alias.lower())
    assert hits and hits[0].name == canonical and hits[0].id


def test_world_entries_have_unique_stable_ids():
    from flashpoint.actors.dictionary import get_dictionary

    ids = [e.id for e in get_dictionary().entries]
    assert len(ids) == len(set(ids))
    assert {"lashkar-e-taiba", "ind-cop-units", "ltte"} <= set(ids)


def test_function_word_acronyms_are_lower_cased_in_shouting_text(nlp):
    text = ("THE TRUTH IS THAT A BOMB EXPLODED NEAR THE EMBASSY, AND THE SEVEN WHO WERE WOUNDED WERE TAKEN TO "
            "HOSPITAL. POLICE ARRESTED TWO MEMBERS OF THE ELN.")
    out = casing.normalise_case(text, nlp)
    assert " is that" in out and " who were" in out
    assert "the ELN" in out  # a dictionary acronym that is no English word stays in capitals
