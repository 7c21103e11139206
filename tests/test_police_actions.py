"""Police and security-force actions that ACLED does not code but CAMEO does (events/police_actions.py), on
invented sentences: investigations, restrictions of movement, shows of force; and the force named as the "by" agent
of a firing noun (events/policing.py)."""
from datetime import date

import pytest

from event_helpers import asserted

PUB = date(2021, 6, 10)


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text: events_of(text, PUB)


def _interactions(evs):
    return [e for e in asserted(evs) if e.sub_event_type is None]


@pytest.mark.parametrize("text, root", [
    # the police open a case: an investigation (CAMEO 09)
    ("Police registered a case against the shopkeeper in Mombasa on Monday.", "09"),
    # a police official's noun phrase names the police: a restriction of movement (CAMEO 19)
    ("The police commissioner stopped the marchers at the bridge in Lagos on Tuesday.", "19"),
    # a show of force (CAMEO 15)
    ("Senior police officials were camping in the village near Jos on Saturday.", "15"),
])
def test_police_action_is_a_cameo_interaction_of_the_police(run, text, root):
    evs = _interactions(run(text))
    assert len(evs) == 1, evs
    assert evs[0].cameo_code.startswith(root), evs
    assert evs[0].actor1 and "Police" in evs[0].actor1, evs


@pytest.mark.parametrize("text", [
    "Police said the situation in Lagos was under control on Tuesday.",   # a statement is no action
    "The police did not register a complaint in Mombasa on Monday.",      # negated
    "The villagers stopped the lorry at the bridge in Lagos on Tuesday.",  # no security force
])
def test_no_police_action(run, text):
    evs = [e for e in _interactions(run(text)) if e.actor1 and "Police" in e.actor1]
    assert not evs, evs


def test_rebels_searching_a_village_are_not_the_police(run):
    evs = _interactions(run("Rebel forces searched the village of Kidal for informers on Sunday."))
    assert not [e for e in evs if e.actor1 and ("Police" in e.actor1 or "Military" in e.actor1)], evs


def test_firing_by_the_police_has_the_police_as_actor1(run):
    evs = asserted(run("Eleven people were killed in 300 rounds of firing by the police in Kano on Monday."))
    e = next((e for e in evs if e.fatalities), None)
    assert e is not None and e.actor1 and "Police" in e.actor1 and e.fatalities == 11, evs


@pytest.mark.parametrize("text", [
    "Security was tightened across the district of Garissa on Friday.",
    "Patrolling has been intensified in the sensitive areas of Kaduna.",
])
def test_agentless_raised_security_is_a_police_alert(run, text):
    evs = _interactions(run(text))
    assert [e.cameo_code for e in evs] == ["151"], evs
    assert "Police" in (evs[0].actor1 or ""), evs


@pytest.mark.parametrize("text", [
    "The company has tightened its budget in Nairobi.",           # no security measure
    "Security was tightened by the hotel management in Accra.",   # an agent who is no force
])
def test_other_tightening_is_no_police_alert(run, text):
    assert not [e for e in _interactions(run(text)) if e.actor1 and "Police" in e.actor1]
