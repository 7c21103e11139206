"""Event extraction behaviour on invented sentences (fp_events on the full spaCy + flashpoint pipeline)."""
from datetime import date

import pytest


PUB = date(2019, 3, 14)  # a Thursday


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text, published=PUB: events_of(text, published)


from event_helpers import asserted as _asserted  # noqa: E402


def test_passive_agent_is_actor1(run):
    evs = run("The town of Saraqib was captured by Islamic State fighters on Monday.")
    cap = [e for e in evs if e.event_type == "Battles"]
    assert cap, evs
    e = cap[0]
    assert e.sub_event_type == "Non-state actor overtakes territory"
    assert e.actor1 and "islamic state" in e.actor1.lower()
    assert e.event_date == "2019-03-11" and e.time_precision == 1
    assert e.cameo_code.startswith("19") and e.plover_type


def test_state_forces_taking_a_place_is_government_regains(run):
    evs = run("Syrian government forces recaptured the town of Maarat al-Numan from rebels on Sunday.")
    e = [x for x in evs if x.event_type == "Battles"][0]
    assert e.sub_event_type == "Government regains territory"
    assert e.actor1 == "Military Forces of Syria (2000-2024)"  # ACLED period of the event date (2019)
    assert e.actor2 and "rebel" in e.actor2.lower()


def test_list_of_villages_gives_one_event_per_village(run):
    evs = run("Turkish-backed rebels seized the villages of Tal Rifaat, Marea and Azaz in northern Aleppo on Friday.")
    caps = [e for e in evs if e.sub_event_type in ("Non-state actor overtakes territory", "Government regains territory")]
    names = {e.location.name for e in caps if e.location}
    assert len(caps) >= 3, [(e.sub_event_type, e.location) for e in evs]
    assert len(names) >= 3


def test_pronoun_subject_resolves_to_previous_actor(run):
    evs = run("The Syrian army said on Tuesday that they shelled rebel positions in the town of Douma.")
    sh = [e for e in evs if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert sh and sh[0].actor1 == "Military Forces of Syria (2000-2024)"


def test_negation_is_denied(run):
    evs = run("Rebels denied that they had shelled the town of Mhardeh.")
    sh = [e for e in evs if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert sh and all(e.status == "denied" for e in sh)
    evs = run("The army did not attack the town of Douma on Monday.")
    assert not _asserted([e for e in evs if e.event_type == "Battles"])


def test_claimed_with_attribution(run):
    evs = run("The Islamic State claimed that its fighters attacked an army checkpoint near Palmyra.")
    att = [e for e in evs if e.event_type == "Battles"]
    assert att and att[0].status == "claimed"
    assert att[0].attribution and "islamic state" in att[0].attribution.lower()
    assert att[0].actor1 and "islamic state" in att[0].actor1.lower()


def test_conditional_is_not_an_event(run):
    evs = run("If the rebels captured the highway near Saraqib, the town would be cut off.")
    assert not _asserted([e for e in evs if e.event_type == "Battles"])


def test_could_is_hypothetical(run):
    evs = run("The town of Kafranbel could be retaken by government forces within days.")
    bat = [e for e in evs if e.event_type == "Battles"]
    assert bat and all(e.status == "hypothetical" for e in bat)


def test_what_a_modal_clause_names_is_hypothetical(run):
    # "Winfield says that all the rebels would need is overrun an ammunition dump ..."
    evs = run("An expert says that all the rebels would need is overrun an army depot near Saraqib.")
    assert not _asserted([e for e in evs if e.event_type == "Battles"]), [(e.status, e.evidence.text) for e in evs]
    evs = run("The rebels overran an army depot near Saraqib on Monday, a monitor said.")
    assert _asserted([e for e in evs if e.event_type == "Battles"])


def test_threatened_and_attempt_are_hypothetical(run):
    evs = run("The regime is attempting to control the highway between Hama and Homs.")
    assert not _asserted([e for e in evs if e.event_type == "Battles"])


def test_past_year_is_historical(run):
    evs = run("The town, which was seized by rebels in 2012, is now a front line near Idlib.")
    cap = [e for e in evs if e.event_type == "Battles" and e.trigger and "seized" in e.trigger]
    assert cap and cap[0].status == "historical"
    assert cap[0].event_date.startswith("2012")


def test_aggregate_toll_is_not_an_event(run):
    evs = run("The United Nations estimates the death toll in Syria since the war began to be at least 400,000.")
    assert not [e for e in evs if (e.fatalities or 0) >= 1000]


def test_nominal_air_strike_with_fatalities(run):
    evs = run("Russian air strikes hit the town of Saraqib on Wednesday, killing 12 civilians including 4 children.")
    air = [e for e in evs if e.sub_event_type == "Air/drone strike"]
    assert air, evs
    e = air[0]
    assert e.actor1 == "Military Forces of Russia (2000-)"
    assert e.fatalities == 12 and e.civilian_fatalities == 12
    assert e.event_date == "2019-03-13"
    assert e.evidence is not None and e.evidence.text.startswith("Russian air strikes")


def test_suicide_bombing_by_possessive_pronoun(run):
    text = ("The Nusra Front said its fighters attacked army positions near Khan Shaykhun. "
            "A suicide bombing was also carried out by one of its militants.")
    evs = run(text)
    sb = [e for e in evs if e.sub_event_type == "Suicide bomb"]
    assert sb and sb[0].actor1 == "Jabhat al-Nusra"


def test_same_event_in_headline_and_body_is_deduplicated(run):
    text = ("Rebels seize Saraqib\n\n"
            "Rebels seized the town of Saraqib on Monday after heavy clashes with government forces.")
    evs = run(text)
    caps = [e for e in evs if e.sub_event_type == "Non-state actor overtakes territory"]
    assert len(caps) == 1
    assert caps[0].evidence.text.startswith("Rebels seized the town")


def test_event_ids_and_codes_are_consistent(run):
    evs = run("Government warplanes bombed the town of Khan Shaykhun on Monday, killing 5 people.")
    assert evs
    for n, e in enumerate(evs, 1):
        assert e.event_id == f"t-E{n}"
        assert e.disorder_type
        if e.sub_event_type == "Air/drone strike":
            assert e.event_type == "Explosions/Remote violence" and e.cameo_code == "195"
            # the PLOVER mode agrees with the ACLED sub-type (the manual's "aerial"), not CAMEO 195's table row
            assert (e.plover_type, e.plover_mode) == ("ASSAULT", "aerial")
