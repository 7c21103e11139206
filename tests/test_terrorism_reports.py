"""#13 items 1-2 on invented wire reports of terrorism: the rebel group a generic noun refers to when the article
names one, the group blamed or held responsible for an attack, and countries' demonyms in generic names."""
import datetime as dt

import pytest

from flashpoint.actors import resolve_text

PUB = dt.date(1990, 3, 4)


def _asserted(events_of, text):
    return [e for e in events_of(text, PUB) if e.status in ("reported", "claimed")]


def _name(actor):
    return getattr(actor, "canonical", None) or actor or ""


def _violent(evs):
    return [e for e in evs if e.event_type in ("Violence against civilians", "Explosions/Remote violence")]


def test_the_guerrillas_of_an_article_naming_one_rebel_group_are_that_group(events_of):
    evs = _violent(_asserted(events_of, "Guerrillas blew up a power pylon near Usulutan on Monday night. The "
                                        "Farabundo Marti National Liberation Front (FMLN) has called a transport "
                                        "strike for next week."))
    assert evs and all("FMLN" in _name(e.actor1) for e in evs), evs


def test_guerrilla_fighters_of_an_article_naming_one_rebel_group_are_that_group(events_of):
    evs = _violent(_asserted(events_of, "Guerrilla fighters blew up a power pylon near Usulutan on Monday night. The "
                                        "Farabundo Marti National Liberation Front (FMLN) has called a transport "
                                        "strike for next week."))
    assert evs and all("FMLN" in _name(e.actor1) for e in evs), evs


def test_the_guerrillas_stay_generic_when_two_rebel_groups_are_named(events_of):
    evs = _asserted(events_of, "Guerrillas attacked a bus near Tumaco, Colombia, on Monday. The ELN and the FARC "
                               "both operate in the area.")
    named = [e for e in evs if any(g in _name(e.actor1) for g in ("ELN", "FARC"))]
    assert evs and not named, evs


def test_rebels_stay_the_many_factions_when_one_group_is_named(events_of):
    evs = _violent(_asserted(events_of, "Rebels shelled a residential district of Aleppo, Syria, on Monday, killing "
                                        "four civilians. Jabhat al-Nusra said it had sent reinforcements."))
    assert evs and not any("Nusra" in _name(e.actor1) for e in evs), evs


def test_the_group_blamed_for_a_bombing_is_its_actor(events_of):
    evs = _violent(_asserted(events_of, "Police blamed the ELN for the bombing of an oil pipeline near Arauca on "
                                        "Monday."))
    assert evs and "ELN" in _name(evs[0].actor1), evs


def test_a_bombing_blamed_on_a_group_has_that_group_as_actor(events_of):
    evs = _violent(_asserted(events_of, "A bomb exploded outside the mayor's office in Arauca on Monday. The "
                                        "bombing was blamed on the ELN."))
    assert evs and all("ELN" in _name(e.actor1) for e in evs), evs


def test_the_group_said_to_be_responsible_for_an_attack_is_its_actor(events_of):
    evs = _violent(_asserted(events_of, "Two buses were destroyed by a bomb in Lima yesterday. The police said the "
                                        "Tupac Amaru Revolutionary Movement was responsible for the attack."))
    assert evs and all("MRTA" in _name(e.actor1) for e in evs), evs


def test_a_named_group_with_guerrillas_after_it_is_the_group(events_of):
    evs = _violent(_asserted(events_of, "Shining Path guerrillas killed three peasants near Ayacucho on Tuesday."))
    assert evs and _name(evs[0].actor1) == "Shining Path", evs


def test_el_salvador_generic_actors_use_the_demonym():
    a = resolve_text("rebels", "SLV")
    assert a is not None and a.canonical == "Salvadoran rebels"


def test_death_as_a_modifier_names_no_killing(events_of):
    evs = _asserted(events_of, "Death squads operate freely in the capital, and the union leaders of Santa Ana "
                               "received death threats on Monday.")
    assert not any((e.trigger or "").lower() == "death" for e in evs), evs


@pytest.mark.parametrize("alias, canonical", [
    ("Army of National Liberation", "National Liberation Army (ELN)"),
    ("Guerrilla Army of the Poor", "Guerrilla Army of the Poor (EGP)"),
    ("Cinchonero Popular Liberation Movement", "Cinchonero Popular Liberation Movement (MPL)"),
    ("Zarate Willka Armed Forces of Liberation", "Zarate Willka Armed Forces of Liberation"),
    ("Sandinista People's Army", "Military Forces of Nicaragua"),
])
def test_latin_american_armed_groups_are_in_the_dictionary(alias, canonical):
    from flashpoint.actors.dictionary import get_dictionary

    hits = get_dictionary().alias_entries.get(alias) or get_dictionary().alias_entries.get(alias.lower())
    assert hits and hits[0].name == canonical and hits[0].id


@pytest.mark.parametrize("text", [
    "Guerrillas attacked a bus near Tumaco, Colombia, on Monday.",
    "The terrorist attack took place in La Motosa, near Aipe, Colombia, on Sunday night.",
])
def test_an_attack_on_civilian_property_or_called_terrorism_is_no_clash(events_of, text):
    evs = _asserted(events_of, text)
    assert evs and all(e.event_type == "Violence against civilians" for e in evs), evs


def test_liberation_in_a_group_name_is_no_capture(events_of):
    evs = _asserted(events_of, "The Armed Forces of Liberation and the National Liberation Movement held a rally "
                               "in Guatemala City on Sunday.")
    assert not any((e.trigger or "").lower() == "liberation" for e in evs), evs


@pytest.mark.parametrize("text", [
    "The army suffered 40 casualties in the department of Morazan last week, a colonel said.",
    "Guerrillas inflicted 15 casualties on an army battalion near Usulutan on Monday.",
])
def test_the_losses_of_an_armed_side_are_no_violence_against_civilians(events_of, text):
    """"the army suffered 40 casualties": a battle's losses (ACLED: Armed clash), not an attack on civilians."""
    evs = _asserted(events_of, text)
    assert not [e for e in evs if e.event_type == "Violence against civilians"], evs


def test_civilian_casualties_stay_violence_against_civilians(events_of):
    evs = _asserted(events_of, "Guerrillas inflicted 15 casualties on peasants near Usulutan on Monday.")
    assert [e for e in evs if e.event_type == "Violence against civilians"], evs
