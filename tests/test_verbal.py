"""CAMEO interactions on the extraction path (events/verbal.py), on invented sentences."""
from flashpoint.events import codes


def _interactions(events):
    return [e for e in events if e.sub_event_type is None]


def test_rejection_between_two_named_actors_is_coded(events_of):
    evs = _interactions(events_of("The European Union rejected Moscow's proposal for new talks on Tuesday.",
                                  "2021-03-02"))
    assert len(evs) == 1
    ev = evs[0]
    assert ev.cameo_code[:2] == "12" and ev.status == "reported"
    assert ev.actor1 and "European Union" in ev.actor1 and ev.actor2
    assert ev.plover_type  # from the PLOVER model


def test_meeting_is_coded_with_both_sides(events_of):
    evs = _interactions(events_of("Russian Foreign Minister Sergei Lavrov met US Secretary of State John Kerry in "
                                  "Geneva on Friday.", "2016-09-10"))
    assert [e.cameo_code[:2] for e in evs] == ["04"]
    assert evs[0].actor1 != evs[0].actor2


def test_no_interaction_in_a_report_of_a_violent_event(events_of):
    # the condemnation and the accusation are statements about the strike, not further events
    evs = events_of("Government warplanes bombed a market in Idlib on Monday, killing 12 people. Turkey condemned "
                    "the regime on Tuesday. Qatar accused Iran of backing the strikes.", "2019-05-14")
    assert evs and not _interactions(evs)


def test_standing_state_of_affairs_is_not_an_event(events_of):
    assert not _interactions(events_of("Qatar supports the Syrian opposition.", "2019-05-14"))


def test_interaction_without_a_target_actor_is_coded(events_of):
    # news leads often name only the source: "Ruritania's president appealed for calm" is an appeal (CAMEO 02)
    evs = _interactions(events_of("Ruritania's president appealed for calm on Sunday.", "2019-05-14"))
    assert [e.cameo_code[:2] for e in evs] == ["02"] and evs[0].actor2 is None


def test_negated_cooperation_is_a_rejection(events_of):
    evs = _interactions(events_of("Lithuania will not lift its sanctions on the Belarusian airline.", "2019-05-14"))
    assert [e.cameo_code[:2] for e in evs] == ["12"]


def test_negated_conflict_verb_is_no_event(events_of):
    assert not _interactions(events_of("Ruritania did not expel the Freedonian ambassador.", "2019-05-14"))


def test_statement_ends_the_search_of_its_sentence(events_of):
    # what follows a statement is what was stated: no agreement happened here
    assert not _interactions(events_of("The Ruritanian ministry expressed hope that Freedonia would agree to the "
                                       "plan.", "2019-05-14"))


def test_threat_of_an_attack_is_coded_before_the_hypothetical_attack(events_of):
    evs = events_of("Ruritania threatened to attack the border posts of Freedonia.", "2019-05-14")
    coded = [e for e in evs if e.cameo_code]
    assert coded and coded[0].sub_event_type is None and coded[0].cameo_code[:2] == "13"


def test_no_interaction_beside_a_massacre_recalled_as_history(events_of):
    # "The Syrian Coalition called upon the UN Security Council to re-open the file of the Ghouta Massacre"
    for text in ("The opposition called upon the Security Council to re-open the file of the 1982 Hama massacre.",
                 "The opposition called upon the Security Council to re-open the file of the Hama Massacre."):
        evs = events_of(text, "2019-05-14")
        assert not [e for e in evs if e.status in ("reported", "claimed")], [(e.status, e.cameo_code) for e in evs]


def test_a_dropped_trigger_that_is_the_coded_verb_does_not_close_its_sentence(events_of):
    # "held" read as a detention and dropped: the talks are what was held (CAMEO 04)
    evs = _interactions(events_of("The Ruritanian prime minister held talks with the Freedonian president in Geneva "
                                  "on Monday.", "2019-05-14"))
    assert [e.cameo_code[:2] for e in evs] == ["04"]


def test_a_month_does_not_close_its_sentence(events_of):
    evs = _interactions(events_of("On March 3, the Ruritanian foreign minister met his Freedonian counterpart in "
                                  "Geneva.", "2019-05-14"))
    assert [e.cameo_code[:2] for e in evs] == ["04"]


def test_another_dropped_trigger_still_closes_its_sentence(events_of):
    # "abducted" tells that the sentence is about violence, whatever "freed" is
    assert not _interactions(events_of("Ruritanian troops freed 12 shepherds abducted by gunmen.", "2019-05-14"))


def test_verbs_with_no_code_in_their_petrarch_block_take_their_codebook_code(events_of):
    for text, root in (("Ruritania returned three ancient statues to the Freedonian government.", "08"),
                       ("Ruritania lifted its embargo on Freedonian wine.", "08"),
                       ("The Freedonian government accepted the demands of Ruritanian farmers.", "08"),
                       ("Ruritania rejected the Freedonian government's assertions on Monday.", "12")):
        evs = _interactions(events_of(text, "2019-05-14"))
        assert [e.cameo_code[:2] for e in evs] == [root], text


def test_a_reporting_verb_with_an_object_is_an_act(events_of):
    evs = _interactions(events_of("The Ruritanian government announced new humanitarian aid for Freedonia on "
                                  "Monday.", "2019-05-14"))
    assert [e.cameo_code[:2] for e in evs] == ["03"]
    # "said" reports what follows; a statement is not coded
    assert not _interactions(events_of("The Ruritanian government said on Monday that the talks went well.",
                                       "2019-05-14"))


def test_refusing_a_request_for_a_rally_is_a_rejection_before_the_denied_rally(events_of):
    evs = events_of("The Freedonian government rejected a request by Ruritania's president to hold a rally in its "
                    "capital.", "2019-05-14")
    coded = [e for e in evs if e.cameo_code]
    assert coded and coded[0].sub_event_type is None and coded[0].cameo_code[:2] == "12"


def test_a_pattern_with_a_prepositional_phrase_is_matched(events_of):
    # PETRARCH's "- * (FOR) [020]" of CALL: a call for something is an appeal, not a telephone call (041)
    evs = _interactions(events_of("The Ruritanian president called for calm on Sunday.", "2019-05-14"))
    assert [e.cameo_code[:2] for e in evs] == ["02"]
