"""Police and protest-policing events that generalise (issue #13 item 2), on invented sentences: crowd-control
weapons, police firing, encounters, arrests, deployments, and the news outlet that is not a habit."""
from datetime import date

import pytest

from event_helpers import asserted

PUB = date(2021, 6, 10)
WRONG_FOR_POLICING = {"Chemical weapon", "Grenade", "Shelling/artillery/missile attack", "Air/drone strike"}


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text, published=PUB: asserted(events_of(text, published))


@pytest.mark.parametrize("text", [
    "Police fired tear gas and rubber bullets at protesters in Nairobi on Tuesday.",
    "Riot police used water cannon and stun grenades against demonstrators in Tbilisi on Monday.",
    "Officers lobbed teargas shells at students marching in Dhaka on Wednesday.",
    "The police resorted to a lathi-charge against farmers protesting in Lucknow on Tuesday.",
])
def test_crowd_control_is_protest_with_intervention(run, text):
    evs = run(text)
    subs = {e.sub_event_type for e in evs}
    assert "Protest with intervention" in subs, evs
    assert not subs & WRONG_FOR_POLICING, evs
    e = next(e for e in evs if e.sub_event_type == "Protest with intervention")
    assert e.actor1 and e.actor1.startswith("Protesters"), e
    assert e.actor2 and "Police" in e.actor2, e
    # one protest, not a peaceful protest beside the intervention
    assert "Peaceful protest" not in subs, evs


def test_crowd_control_with_deaths_is_excessive_force(run):
    evs = run("Three protesters were killed when police fired tear gas and rubber bullets at a rally in Conakry "
              "on Thursday.")
    ex = [e for e in evs if e.sub_event_type == "Excessive force against protesters"]
    assert ex and "Police" in (ex[0].actor1 or ""), evs


def test_a_crowd_that_disperses_by_itself_is_no_intervention(run):
    evs = run("The crowd dispersed peacefully after the speeches in Accra on Monday.")
    assert not [e for e in evs if e.sub_event_type == "Protest with intervention"], evs


def test_purpose_of_a_past_act_is_reported(run):
    evs = run("Police fired shots in the air to disperse the crowd of farmers in Patna on Monday.")
    assert any(e.sub_event_type == "Protest with intervention" for e in evs), evs


def test_killed_in_police_firing_has_the_police_as_actor1(run):
    evs = run("Two men were killed in police firing in Meerut on Sunday.")
    e = next((e for e in evs if e.fatalities), None)
    assert e is not None and e.actor1 and "Police" in e.actor1, evs


def test_encounter_with_security_forces_is_a_clash(run):
    evs = run("Two militants were killed in an encounter with security forces in Baramulla district on Sunday.")
    assert any(e.event_type == "Battles" for e in evs), evs


def test_exchange_of_fire_is_a_clash(run):
    evs = run("Soldiers and rebels exchanged fire for two hours near Kamituga on Saturday.")
    assert any(e.event_type == "Battles" for e in evs), evs


def test_had_to_open_fire_happened(run):
    evs = run("The police had to open fire at the mob in Rajkot on Saturday.")
    assert any(e.trigger and "fire" in e.trigger for e in evs), evs


def test_taken_into_custody_is_an_arrest(run):
    evs = run("Police took four suspects into custody in Multan on Friday.")
    arr = [e for e in evs if e.sub_event_type == "Arrests"]
    assert arr and "Police" in (arr[0].actor1 or ""), evs


def test_deployed_force_is_actor1_of_its_deployment(run):
    evs = run("Army troops were deployed in three towns of the Rift Valley on Monday.")
    dep = [e for e in evs if e.sub_event_type == "Change to group/activity"]
    assert dep and dep[0].actor1 and "Military" in dep[0].actor1, evs


def test_a_daily_newspaper_is_not_a_daily_habit(run):
    evs = run("Gunmen shot dead a shopkeeper in Quetta on Monday, reports Daily Times.")
    assert any(e.sub_event_type == "Attack" for e in evs), evs
    # the habit itself still is one
    assert not run("Gunmen shoot shopkeepers in the old city daily.")


def test_firing_range_is_no_shooting(run):
    evs = run("Government troops advanced to within firing range of the highway near Kamituga on Monday.")
    assert not [e for e in evs if e.sub_event_type == "Attack"], evs


def test_blowing_up_a_building_is_an_explosive_not_a_suicide_bombing(run):
    evs = run("Maoists blew up a school building in Latehar district on Monday.")
    subs = {e.sub_event_type for e in evs}
    assert "Remote explosive/landmine/IED" in subs and "Suicide bomb" not in subs, evs
    evs = run("A militant blew himself up at a checkpoint in Kunduz on Monday.")
    assert any(e.sub_event_type == "Suicide bomb" for e in evs), evs


# ---- police firing, custody verbs, deployments (issue #13 item 2, India and world police news) ----
def _police_actor1(evs, sub=None):
    return [e for e in evs if (sub is None or e.sub_event_type == sub) and e.actor1 and "Police" in e.actor1]


@pytest.mark.parametrize("text", [
    "Police fired 14 rounds to disperse a stone-throwing mob in Ranchi on Friday.",
    "Some 15 rounds were fired by the police in Kisumu on Monday, an officer said.",
    "The police had to fire six rounds at the crowd in Rajshahi on Sunday.",
])
def test_police_firing_rounds_is_a_police_shooting(run, text):
    evs = run(text)
    # (firing at a crowd may be excessive force against protesters: still the police's)
    assert _police_actor1(evs, "Attack") or _police_actor1(evs, "Excessive force against protesters"), evs


@pytest.mark.parametrize("text", [
    "He was fired from his job at the factory in Pune on Monday.",
    "The company fired 200 workers in Lagos on Tuesday.",
])
def test_fired_from_a_job_is_no_shooting(run, text):
    assert not [e for e in run(text) if e.sub_event_type == "Attack"]


def test_rockets_fired_stay_shelling(run):
    evs = run("Troops fired rockets at the village of Kamituga on Monday.")
    subs = {e.sub_event_type for e in evs}
    assert "Shelling/artillery/missile attack" in subs and "Attack" not in subs, evs


def test_warning_shots_fold_into_the_intervention(run):
    evs = run("Police fired shots in the air to disperse the crowd of farmers in Patna on Monday.")
    subs = [e.sub_event_type for e in evs]
    assert subs == ["Protest with intervention"], evs


def test_shot_dead_counts_the_dead(run):
    evs = run("Two militants were shot dead by soldiers in Sopore on Monday.")
    assert any(e.fatalities == 2 for e in evs), evs
    evs = run("A man was stabbed to death in Surat on Sunday night.")
    assert any(e.fatalities == 1 for e in evs), evs


@pytest.mark.parametrize("text", [
    "Police picked up six youths from the village of Kheda on Tuesday.",
    "Five men were caught by the police near the railway station in Agra on Monday.",
    "Forty persons were held in a combing operation in Surat on Monday.",
])
def test_weak_custody_verbs_are_arrests(run, text):
    assert [e for e in run(text) if e.sub_event_type == "Arrests"], run(text)


@pytest.mark.parametrize("text", [
    "The meeting of the peace committee was held in Patna on Sunday.",
    "Shopkeepers in Agra apprehended trouble on Monday and downed their shutters.",
    "The arrest warrant against the minister was withdrawn on Monday.",
    "Two journalists were held hostage by militants near Kunduz for a week.",
    "Supporters of the party picked up the banners after the rally in Pune on Monday.",
    "Rebels stormed the army held housing project near Aleppo on Saturday.",
])
def test_other_senses_of_custody_words_are_no_arrests(run, text):
    assert not [e for e in run(text) if e.sub_event_type == "Arrests"], run(text)


@pytest.mark.parametrize("text", [
    "Police tightened security around the temple in Ayodhya on Sunday.",
    "The army arrived in Vadodara on Sunday and was deployed in the old city.",
])
def test_security_posture_of_a_force_has_the_force_as_actor1(run, text):
    evs = [e for e in run(text) if e.sub_event_type == "Change to group/activity"]
    assert evs and evs[0].actor1 and ("Police" in evs[0].actor1 or "Military" in evs[0].actor1), evs


def test_police_firing_keeps_the_police_beside_a_rioting_mob(run):
    evs = run("One man was killed in police firing and two others were injured as mobs attacked shops and the "
              "police in Aligarh on Tuesday.")
    shot = [e for e in evs if e.fatalities == 1 and e.sub_event_type == "Attack"]
    assert shot and "Police" in (shot[0].actor1 or ""), evs
    assert shot[0].actor2 != shot[0].actor1, evs


def test_arrest_counts_no_deaths_of_the_sentence(run):
    evs = run("Police arrested 62 men in Godhra on Monday in connection with the train attack in which 58 "
              "passengers were burnt to death.")
    arr = [e for e in evs if e.sub_event_type == "Arrests"]
    assert arr and not arr[0].fatalities, evs


def test_were_able_to_arrest_happened(run):
    evs = run("The police were able to arrest 31 rioters in Naranpura on Sunday.")
    assert [e for e in evs if e.sub_event_type == "Arrests"], evs
    assert not [e for e in run("The police hope to be able to arrest the gang in Pune soon.")
                if e.sub_event_type == "Arrests"]


def test_cardiac_arrest_is_no_arrest(run):
    assert not [e for e in run("The minister suffered a cardiac arrest in Delhi on Monday.")
                if e.sub_event_type == "Arrests"]


def test_surrounding_areas_is_no_siege(run):
    evs = run("Militants blew up a school in Bara and surrounding areas of Khyber on Monday.")
    assert not [e for e in evs if e.sub_event_type == "Armed clash"], evs


def test_forcing_the_police_to_open_fire_has_the_police_as_actor1(run):
    evs = run("Stone-pelting mobs forced the police to open fire in Godhra on Monday.")
    assert _police_actor1(evs, "Attack"), evs


@pytest.mark.parametrize("text", [
    "A 19-year-old youth perished in police firing in Modasa on Monday.",
    "A constable was shot dead by militants in Sopore on Monday.",
])
def test_a_single_named_victim_counts_one_dead(run, text):
    assert any(e.fatalities == 1 for e in run(text)), run(text)


@pytest.mark.parametrize("text", [
    "Police recovered a rifle, three grenades, a landmine and explosives from a house in Bannu on Monday.",
    "A large quantity of explosives was seized from a truck in Patan on Sunday.",
])
def test_weapons_recovered_are_no_explosion_and_no_territory(run, text):
    subs = {e.sub_event_type for e in run(text)}
    assert not subs & {"Grenade", "Remote explosive/landmine/IED", "Armed clash", "Government regains territory"}, subs


def test_a_grenade_thrown_is_still_a_grenade_attack(run):
    assert any(e.sub_event_type == "Grenade" for e in run("Militants hurled a grenade at a police post in Srinagar "
                                                              "on Monday."))


@pytest.mark.parametrize("text", [
    "A missile fired by government forces killed 18 civilians in Aleppo on Tuesday.",
    "Rebels fired more than 120 rockets and mortar rounds into the capital on Thursday.",
    "Militants fired a mortar round that landed in the old market of Homs on Monday.",
])
def test_heavy_weapons_fired_are_no_shooting(run, text):
    assert not [e for e in run(text) if e.sub_event_type == "Attack" and e.trigger and "fire" in e.trigger], run(text)
