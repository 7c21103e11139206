"""Sixth-stop rules on invented sentences: a condemnation that describes its incident reports it, a province named
as "rural X" contains the village before it, and "aircrafts" are the platform of the forces that fly them."""
from datetime import date

import pytest
from event_helpers import asserted, violent

PUB = date(2016, 3, 8)


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text, published=PUB: asserted(events_of(text, published))


def test_condemned_incident_with_its_perpetrator_and_toll_is_reported(run):
    evs = violent(run("The opposition council condemned the horrific massacre carried out by Russian warplanes in "
                      "which 17 villagers were killed in the town of Kafr Nabl on Monday."))
    assert any(e.fatalities == 17 and (e.actor1 or "").startswith("Military Forces of Russia") for e in evs), evs


def test_condemnation_without_a_described_incident_stays_no_event(run):
    evs = violent(run("The opposition council condemned the attacks and called on the world to act."))
    assert not evs, evs


def test_condemned_bombing_with_a_side_remark_is_not_an_incident_of_its_own(run):
    evs = violent(run("A car bomb killed nine people in Azaz on Monday. Rebel leaders condemned the bombing with "
                      "groups fighting in the north describing it as cowardly."))
    assert len(evs) == 1 and evs[0].fatalities == 9, evs


def test_rural_province_contains_the_village_before_it(run):
    evs = violent(run("Two schools were bombed by regime helicopters on Monday in the village of Kafr Nabl in "
                      "rural Idlib."))
    places = {e.location.name for e in evs if e.location is not None}
    assert places and "Idlib" not in places, evs


def test_a_city_listed_with_villages_stays_an_event_place(run):
    evs = violent(run("Air strikes on Monday targeted neighbourhoods of Idlib city as well as the towns of Sarmada "
                      "and Binnish."))
    places = {e.location.name for e in evs if e.location is not None}
    assert "Idlib" in places, evs


def test_aircrafts_are_a_platform(run):
    evs = violent(run("Two schools were targeted by Russian aircrafts on Monday in the town of Binnish."))
    assert evs and all((e.actor1 or "").startswith("Military Forces of Russia") for e in evs), evs


@pytest.mark.parametrize("text", ["The regime air force killed 30 civilians in Binnish on Monday.",
                                  "Russian jets killed 12 civilians in the town of Binnish on Monday.",
                                  "Assad's air force killed 30 civilians in Binnish on Monday."])
def test_what_aircraft_kill_is_an_air_strike(run, text):
    evs = violent(run(text))
    assert evs and evs[0].sub_event_type == "Air/drone strike", evs


def test_what_ground_forces_kill_is_no_air_strike(run):
    evs = violent(run("Government forces killed 12 civilians in the town of Binnish on Monday."))
    assert evs and all(e.sub_event_type != "Air/drone strike" for e in evs), evs


def test_a_toll_summed_over_the_last_days_is_an_aggregate():
    from flashpoint.claims.numbers import is_aggregate
    assert is_aggregate("The army has beaten back five assaults in the past eight days, killing over 900 fighters.")
    assert not is_aggregate("The army beat back an assault on Monday, killing 90 fighters.")


def test_two_clauses_keep_their_own_tolls(run):
    evs = violent(run("The rebel barrage killed 7 people in Azaz while the government air strikes killed at least 45 "
                      "people in Binnish on Monday."))
    tolls = sorted(e.fatalities for e in evs if e.fatalities)
    assert tolls == [7, 45], evs


def test_one_clause_toll_reaches_the_strike_of_its_sentence(run):
    evs = violent(run("Air strikes hit the town of Binnish on Monday, killing 12 people."))
    assert [e.fatalities for e in evs] == [12], evs


def test_a_barrage_of_criticism_is_no_shelling(run):
    assert not violent(run("The governor faced a barrage of criticism in Azaz on Monday."))
