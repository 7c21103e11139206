"""Round-2 event rules on invented sentences: riots, force against protesters, responsibility claims, aggregates,
triggers inside names/dates, dateline places, justifications, historical dates (fp_events on the full pipeline)."""
from datetime import date

import pytest


PUB = date(2021, 9, 17)  # a Friday


@pytest.fixture(scope="module")
def run(events_of):
    return lambda text, published=PUB: events_of(text, published)


from event_helpers import asserted as _asserted  # noqa: E402


def test_crowd_violence_is_a_riot_by_rioters_of_the_country(run):
    evs = _asserted(run("Demonstrators burned tyres and stormed a police station in Kano on Tuesday."))
    riots = [e for e in evs if e.sub_event_type == "Violent demonstration"]
    assert riots, evs
    assert riots[0].actor1 and riots[0].actor1.startswith("Rioters")
    assert not [e for e in evs if e.sub_event_type == "Peaceful protest"]


def test_police_firing_on_a_crowd_is_excessive_force(run):
    evs = _asserted(run("Police opened fire on a crowd of demonstrators in Kano on Tuesday, killing three."))
    assert any(e.sub_event_type == "Excessive force against protesters" for e in evs), evs


def test_protest_without_named_actor_gets_protesters_of_country(run):
    evs = _asserted(run("Thousands of people protested in Lagos on Wednesday against fuel prices."))
    prot = [e for e in evs if e.sub_event_type == "Peaceful protest"]
    assert prot and prot[0].actor1 and prot[0].actor1.startswith("Protesters")


def test_responsibility_claim_reaches_the_earlier_event(run):
    evs = _asserted(run("Gunmen attacked a market in Gao on Monday, killing nine traders. "
                        "Islamic State claimed responsibility for the attack in a statement."))
    viol = [e for e in evs if e.event_type in ("Violence against civilians", "Battles")]
    assert len(viol) == 1, evs
    assert viol[0].status == "claimed"
    assert viol[0].actor1 and "islamic state" in viol[0].actor1.lower()


def test_aggregate_war_toll_is_not_an_event(run):
    evs = _asserted(run("The war has killed more than 300,000 people since it began."))
    assert not evs


def test_no_trigger_inside_a_month_or_a_group_name(run):
    evs = run("Fighters of the Popular Mobilisation Forces met tribal leaders in Anbar in March.")
    assert not [e for e in evs if e.sub_event_type in ("Peaceful protest", "Change to group/activity")], evs


def test_justification_in_reported_speech_is_not_an_event(run):
    evs = _asserted(run("The ministry denied hitting a school and said its forces struck only military targets."))
    assert not [e for e in evs if e.trigger == "struck"], evs


def test_month_date_months_before_publication_is_historical(run):
    evs = run("Rebels captured the town of Kidal in May, officials said.")
    assert evs and all(e.status == "historical" for e in evs if e.event_type == "Battles"), evs


def test_dateline_city_is_not_the_event_place(run):
    evs = _asserted(run("Clashes in Mali\nBAMAKO (Wire) - Soldiers clashed with militants near Gao on Thursday."))
    assert evs and all((e.location is None) or e.location.name != "BAMAKO" for e in evs), evs
    assert any(e.location and e.location.name == "Gao" for e in evs), evs
