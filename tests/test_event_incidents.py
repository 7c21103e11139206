"""One incident, one event (issue #11 item 2): every mention of one happening folds into one event that carries all
its evidence spans, the most specific place, the day a mention states and the incident's own toll; different named
villages stay apart; a war's toll is not an event. Invented articles."""
from datetime import date

import pytest

from event_helpers import asserted

PUB = date(2016, 5, 10)  # a Tuesday


@pytest.fixture(scope="module")
def report(pipeline):
    from flashpoint.model import Article

    def _run(text: str, title: str | None = None):
        return pipeline.extract(Article(id="t", text=text, title=title, published=PUB))
    return _run


def test_restatements_are_one_event_with_every_mention(report):
    text = ("Air strikes on the town of Saraqeb in Idlib province killed 12 civilians on Monday, a monitoring group "
            "said. The strikes also wounded 30 people. The attack destroyed a bakery, residents said.")
    evs = asserted(report(text).events)
    assert len(evs) == 1, evs
    ev = evs[0]
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.location is not None and ev.location.name == "Saraqeb"
    assert ev.fatalities == 12
    assert ev.event_date == "2016-05-09"  # "on Monday" of one mention is the incident's day
    assert len(ev.mentions) == 3
    assert all(text[m.start:m.end] == m.text for m in ev.mentions)


def test_different_villages_on_the_same_day_stay_apart(report):
    evs = asserted(report("Rebels shelled the village of Kafr Nabl on Monday. Government jets bombed the village of "
                          "Maarat al-Numan on Monday.").events)
    assert sorted(e.location.name for e in evs) == ["Kafr Nabl", "Maarat al-Numan"]


def test_a_wars_toll_is_not_an_event_and_is_never_copied(report):
    r = report("Rebels shelled the town of Jisr al-Shughur on Tuesday, killing three people. Since then more than "
               "300,000 people have been killed.")
    evs = asserted(r.events)
    assert len(evs) == 1
    assert evs[0].fatalities == 3
    assert sum(e.fatalities or 0 for e in evs) == 3


def test_a_restated_blast_keeps_the_more_specific_sub_type(report):
    evs = asserted(report("A suicide bomber blew himself up at a checkpoint in the city of Hasakah on Sunday, killing "
                          "nine people, a monitor said. The blast also wounded 20.").events)
    assert len(evs) == 1
    assert evs[0].sub_event_type == "Suicide bomb"
    assert evs[0].fatalities == 9
    assert len(evs[0].mentions) == 2


def test_the_headline_is_a_mention_of_the_body_incident(report):
    r = report("A suicide bomber killed nine people at a checkpoint in the city of Hasakah on Sunday, a monitor said.",
               title="Suicide bomber kills 9 in Hasakah")
    evs = asserted(r.events)
    assert len(evs) == 1
    assert evs[0].fatalities == 9


def test_an_unplaced_mention_folds_into_the_placed_incident_of_its_kind(report):
    evs = asserted(report("Islamic State fighters attacked an army checkpoint in the town of Palmyra on Thursday, "
                          "killing 7 soldiers. The fighting continued on Thursday, a monitor said.").events)
    assert len(evs) == 1
    assert evs[0].location.name == "Palmyra"
    assert len(evs[0].mentions) == 2


def test_a_town_named_like_the_province_stands_for_the_province(report):
    evs = asserted(report("In Deir Ezzor the air force targeted assembly points of the militants in al-Jafra village "
                          "on Sunday.").events)
    assert [e.location.name for e in evs] == ["al-Jafra"]
    assert evs[0].sub_event_type == "Air/drone strike"  # "the air force targeted": the instrument decides


def test_strikes_the_air_force_conducted_are_air_strikes(report):
    evs = asserted(report("The air force conducted strikes against gatherings of the militants near Palmyra city on "
                          "Sunday.").events)
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"]


def test_a_toll_update_is_the_incident_it_counts(report):
    evs = asserted(report("A suicide bomber blew up a car at a bus convoy outside Aleppo on Saturday, killing 80 people. "
                          "On Sunday the death toll from the bombing outside Aleppo reached at least 112.").events)
    assert len(evs) == 1
    assert evs[0].sub_event_type == "Suicide bomb"
    assert len(evs[0].mentions) == 2


def test_a_witness_recalling_the_strike_is_the_strike(report):
    evs = asserted(report("Government warplanes struck the town of Douma on Thursday, killing four civilians. "
                          "I was coming back from school when the first strike hit, a boy said.").events)
    assert len(evs) == 1


def test_a_day_named_bombing_is_that_days_incident(report):
    evs = asserted(report("Two suicide bombers struck a police checkpoint in the city of Hasakah on Monday, killing 30 "
                          "people. Mondays twin bombings came as militants pressed their assault on the town of "
                          "Kobane.").events)
    bombs = [e for e in evs if e.event_type == "Explosions/Remote violence"]
    assert len(bombs) == 1 and bombs[0].location.name == "Hasakah"
    assert len(bombs[0].mentions) == 2


def test_the_massacre_recalled_as_history_stays_history(report):
    r = report("Hundreds of people were killed in a chemical attack in the town of Zamalka in August 2013. Following "
               "the massacre the government surrendered its chemical weapons.")
    assert asserted(r.events) == []


def test_country_level_mentions_of_one_kind_on_one_day_are_one_event(report):
    evs = asserted(report("The opposition accused the Syrian government of launching a chemical attack in Syria on "
                          "Wednesday. Understanding the attack on Wednesday will take time, experts in Syria said.").events)
    assert len([e for e in evs if e.sub_event_type == "Chemical weapon"]) <= 1


def test_bare_casualties_after_an_incident_are_its_toll(report):
    evs = asserted(report("Police fired tear gas at protesters in Nairobi on Tuesday as thousands marched against tax "
                          "increases. At least two people were killed, a rights group said.").events)
    assert len(evs) == 1
    assert evs[0].fatalities == 2


def test_villages_hit_in_air_strikes_are_air_strikes(report):
    evs = asserted(report("Syrian army units advanced near Palmyra in Homs province on Sunday. Hideouts of the "
                          "militants were hit and destroyed in army airstrikes in the villages of Manukh and Huwaysis "
                          "on Sunday.").events)
    strikes = [e for e in evs if e.sub_event_type == "Air/drone strike"]
    assert sorted(e.location.name for e in strikes) == ["Huwaysis", "Manukh"]
    assert not [e for e in evs if e.sub_event_type == "Armed clash" and e.location.name in ("Huwaysis", "Manukh")]


def test_a_restated_raid_on_listed_towns_is_one_event_per_town(report):
    # the definite "The heaviest air strikes" restates Sunday's strikes but names towns of its own: ACLED codes one event
    # per town, on the antecedent's day; the lede's city ("Hama city") stays its own event
    text = ("Russian jets bombed Hama city on Monday morning, killing eight civilians, activists said. "
            "On Sunday a wave of Russian air strikes killed 30 civilians across the province, the local council "
            "said on Sunday. " + "Residents fled to the orchards and schools were closed for the week. " * 3 +
            "The heaviest air strikes hit the towns of Kafr Zita, Taybat al-Imam and Suran.")
    evs = asserted(report(text).events)
    places = sorted(e.location.name for e in evs if e.location is not None)
    assert {"Kafr Zita", "Taybat al-Imam", "Suran"} <= set(places), places
    towns = [e for e in evs if e.location.name in ("Kafr Zita", "Taybat al-Imam", "Suran")]
    assert {e.event_date for e in towns} == {"2016-05-08"}
    assert any(e.location.name.startswith("Hama") and e.event_date == "2016-05-09" for e in evs), evs


def test_one_toll_told_twice_is_one_incident(report):
    text = ("US-led strikes on the northern province of Raqqa killed more than 20 jihadists at two positions early "
            "on Monday, a monitoring group said. \"More than 20 members of the group were killed in strikes on two of "
            "its positions in Raqqa province,\" the monitor's director said.")
    evs = asserted(report(text).events)
    assert len(evs) == 1, evs
    assert evs[0].sub_event_type == "Air/drone strike" and evs[0].fatalities == 20


def test_a_bare_strike_in_war_news_is_an_air_strike_but_a_general_strike_is_not(report):
    evs = asserted(report("Six fighters were killed in strikes on a checkpoint near the town of Saraqeb on Monday."
                          ).events)
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"]
    evs = asserted(report("Shopkeepers in the town of Saraqeb began a general strike on Monday.").events)
    assert all(e.sub_event_type != "Air/drone strike" for e in evs)


def test_a_relative_clause_of_the_attack_describes_it(report):
    # "the attack which pro-Damascus media said was carried out by a suicide car bomber" is the bombing told before
    r = report("A bomb blast hit a bus convoy near the town of Saraqeb on Monday, killing 40 people, a monitor said. "
               "Most of the dead were residents of the village of Kafr Nabl. There was no claim of responsibility "
               "for the attack which state media said was carried out by a suicide car bomber.")
    evs = asserted(r.events)
    assert len(evs) == 1, [(e.sub_event_type, e.location and e.location.name) for e in evs]
    assert evs[0].sub_event_type == "Suicide bomb"
    assert evs[0].location.name == "Saraqeb"


def test_the_day_a_source_spoke_yields_to_the_day_of_the_blast(report):
    # "The death toll from a bomb blast ... reached at least 112 people the Observatory said on Sunday" and
    # "Saturday's blast" are one bombing, on Saturday
    r = report("The death toll from a bomb blast on a bus convoy in the town of Saraqeb reached at least 50 people "
               "the monitor said on Monday. Rescue workers said they had taken away 30 bodies from the site of "
               "Sunday's blast in Saraqeb.")
    evs = asserted(r.events)
    assert len(evs) == 1, [(e.event_date, e.evidence.text) for e in evs]
    assert evs[0].event_date == "2016-05-08"


def test_a_source_cannot_speak_of_a_later_days_strikes(report):
    # "announced on Thursday" the toll of Thursday's raids; Friday's raids are another incident
    r = report("Officials in Saraqeb on Monday announced that air strikes had killed 20 people in the town. "
               "Air strikes on Saraqeb killed 10 more people on Tuesday.")
    days = sorted(e.event_date for e in asserted(r.events))
    assert days == ["2016-05-09", "2016-05-10"], days


def test_bombers_that_fly_are_aircraft_not_suicide_bombers(report):
    r = report("Six Tupolev bombers flew out of an airbase on Monday and conducted strikes near the town of "
               "Saraqeb, the ministry said.")
    subs = {e.sub_event_type for e in asserted(r.events)}
    assert "Suicide bomb" not in subs
    assert subs == {"Air/drone strike"}, subs


def test_a_barrel_bomb_attack_is_one_air_strike(report):
    # "At least 20 people were killed ... in a barrel bomb attack carried out by Syrian regime troops"
    evs = asserted(report("At least 20 people were killed on Monday in a barrel bomb attack carried out by "
                          "government troops on the town of Saraqeb.").events)
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"], evs


def test_dropped_bombs_are_an_air_strike(report):
    # "The bombs were dropped on a camp near al-Habeet in the northern province of Idlib on Wednesday"
    evs = asserted(report("The bombs were dropped on a camp near the town of Saraqeb on Monday, killing 12 "
                          "people.").events)
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"], evs


def test_that_battle_is_the_battle_told_before(report):
    r = report("Kurdish fighters captured the village of Kafr Nabl on Monday after clashes with jihadists. That "
               "battle marked the first time in months that the fighters reached Idlib province.")
    evs = asserted(r.events)
    assert len(evs) == 1, [(e.sub_event_type, e.evidence.text) for e in evs]


def test_a_death_beside_an_agreement_is_not_folded_into_it(report):
    # "civilians were killed ... as terrorists breached the cessation of hostilities agreement"
    evs = asserted(report("Two civilians were killed in the town of Saraqeb on Monday as militants breached the "
                          "ceasefire agreement.").events)
    subs = [e.sub_event_type for e in evs]
    assert "Attack" in subs and "Agreement" not in subs, subs
    assert all(e.actor1 is None for e in evs if e.sub_event_type == "Attack")  # breaching is no firing


def test_thousands_is_no_incidents_toll(report):
    # "- Air raids kill thousands - While the ground offensive failed warplanes kept pounding ..."
    r = report("Air raids on the town of Saraqeb kill thousands. Government jets struck the town of Saraqeb on "
               "Monday, killing eight people.")
    assert [e.fatalities for e in asserted(r.events)] == [8], [(e.fatalities, e.evidence.text) for e in r.events]
    # a number stays a toll however large ("more than a thousand people", "1,200 people")
    r = report("The chemical attack on the town of Saraqeb killed more than a thousand people on Monday.")
    assert [e.fatalities for e in asserted(r.events)] == [1000]


def test_that_attack_after_a_past_attack_is_that_past_attack(report):
    # "The United States accused Damascus of that attack which it estimates killed 1429 people"
    r = report("In August 2013 a chemical attack on the town of Saraqeb killed hundreds of people. The United States "
               "accused the government of that attack which it estimates killed 1429 people.")
    assert asserted(r.events) == [], [(e.status, e.event_date, e.evidence.text) for e in r.events]


def test_a_briefings_headline_toll_and_passive_destruction_are_its_strikes(report):
    # "Russian Defense Ministry: More than 100 ISIS terrorists killed in Deir Ezzor", "... had been destroyed near
    # Hatla town"; the weapons whose destruction is confirmed are targets, not means
    text = ("Ministry: 40 militants killed near Saraqeb. The air force carried out 14 air strikes on militant "
            "positions near the town of Saraqeb on Monday, the ministry said. Monitoring confirmed the destruction "
            "of two tanks and two multiple rocket launchers. A command post had been destroyed near the village of "
            "Kafr Nabl, the ministry added.")
    evs = asserted(report(text, title="Ministry: 40 militants killed near Saraqeb").events)
    assert {e.sub_event_type for e in evs} == {"Air/drone strike"}, [(e.sub_event_type, e.evidence.text) for e in evs]
    assert {e.location.name for e in evs if e.location} >= {"Saraqeb", "Kafr Nabl"}


def test_the_killings_on_a_stated_day_restate_the_incident_told_vaguely(report):
    # "48 people executed by government forces in the northern village of Rityan earlier this week. The killings took
    # place after troops entered the town Tuesday"
    text = ("Government forces executed 30 people in the village of Kafr Nabl earlier this week, a monitor said. "
            "The killings took place on Monday.")
    evs = [e for e in asserted(report(text).events) if e.sub_event_type == "Attack"]
    assert len(evs) == 1, [(e.sub_event_type, e.event_date, e.evidence.text) for e in evs]
    assert str(evs[0].event_date) == "2016-05-09" and evs[0].location.name == "Kafr Nabl"


def test_a_seizure_told_this_week_restates_the_capture_of_that_day(report):
    # "The brief seizure of Rityan was part of an abortive army offensive this week"
    text = ("Government forces captured the village of Kafr Nabl on Monday, a monitor said. The brief seizure of "
            "Kafr Nabl this week was part of an army offensive.")
    evs = [e for e in asserted(report(text).events) if e.event_type == "Battles"]
    assert len(evs) == 1 and str(evs[0].event_date) == "2016-05-09", [(e.sub_event_type, e.event_date) for e in evs]
