"""Actors for every country (issue #13 item 1), on invented sentences: ACLED period suffixes from the table of
governments, generic mentions named for the article's country (never Syria by default), observers never actor1,
named armed groups of today's conflicts."""
from datetime import date

import pytest

from flashpoint.actors import get_dictionary
from flashpoint.actors.periods import acled_name, name_events, period_for, periods
from flashpoint.model import Event

PUB = date(2023, 5, 10)  # a Wednesday
# countries of ACLED's active conflict and protest coverage: each must have its governments' periods
COVERED = ("AFG", "ARM", "AZE", "BDI", "BFA", "BGD", "BRA", "CAF", "CMR", "COD", "COL", "ECU", "EGY", "ETH", "GIN",
           "HTI", "IND", "IRN", "IRQ", "ISR", "KEN", "LBN", "LBY", "MEX", "MLI", "MMR", "MOZ", "NER", "NGA", "PAK",
           "PHL", "PSE", "RUS", "SDN", "SOM", "SSD", "SYR", "TCD", "TUR", "UGA", "UKR", "VEN", "YEM", "ZWE", "USA",
           "GBR", "FRA", "SAU", "ARE", "LKA", "NPL", "THA", "IDN", "PER", "CHL", "ARG", "BOL", "GTM", "HND", "SLV")
# dictionary entries that are not UN members and need no government table
NOT_UN = {"ABW", "AIA", "BMU", "COK", "CYM", "GGY", "HKG"}


# ------------------------------------------------------------------------------------------------ periods
def test_every_country_of_the_dictionary_has_its_governments():
    missing = [c.iso3 for c in get_dictionary().countries.values() if c.iso3 not in NOT_UN and not periods().get(c.iso3)]
    assert not missing, missing
    assert all(periods().get(iso3) for iso3 in COVERED)


def test_periods_follow_each_other_and_the_last_is_open():
    for iso3, ps in periods().items():
        assert ps[-1].end is None, iso3
        for a, b in zip(ps, ps[1:]):
            assert a.end is not None and a.start <= a.end == b.start, (iso3, a, b)


@pytest.mark.parametrize("name,when,expected", [
    ("Military Forces of Ukraine", "2015-03-05", "Military Forces of Ukraine (2014-2019)"),
    ("Military Forces of Ukraine", "2023-02-01", "Military Forces of Ukraine (2019-)"),
    ("Police Forces of Kenya", date(2023, 7, 7), "Police Forces of Kenya (2022-)"),
    ("Police Forces of Kenya", 2017, "Police Forces of Kenya (2013-2022)"),
    ("Military Forces of Syria", "2015-10-27", "Military Forces of Syria (2000-2024)"),
    ("Military Forces of Syria", "2025-03-01", "Military Forces of Syria (2024-)"),
    ("Military Forces of Russia", "2022-02-24", "Military Forces of Russia (2000-)"),
    ("Government of Mexico", "2020-01-01", "Government of Mexico (2018-2024)"),
    ("Military Forces of Myanmar", "2021-03-01", "Military Forces of Myanmar (2021-)"),
])
def test_the_event_date_picks_the_period(name, when, expected):
    assert acled_name(name, when) == expected


def test_no_date_takes_the_current_period_and_a_date_before_the_table_none():
    assert acled_name("Military Forces of Ukraine", None) == "Military Forces of Ukraine (2019-)"
    assert period_for("UKR", 1995) is None
    assert acled_name("Military Forces of Ukraine", "1995-01-01") == "Military Forces of Ukraine"


def test_the_table_writes_the_country_as_acled_does():
    assert acled_name("Military Forces of DR Congo", "2023-01-01") == \
        "Military Forces of Democratic Republic of Congo (2019-)"


@pytest.mark.parametrize("name", ["Hezbollah", "Civilians (Syria)", "Unidentified Military Forces", "Syrian rebels",
                                  "Military Forces of Syria (2000-2024)", "Intelligence Services of Iran", None])
def test_other_names_keep_their_name(name):
    assert acled_name(name, "2019-01-01") == name


def test_events_name_their_state_actors_by_their_own_date():
    evs = [Event(event_id="a", event_date="2016-06-01", actor1="Military Forces of Ukraine",
                 assoc_actor_1=["Police Forces of Ukraine"], actor2="Civilians (Ukraine)"),
           Event(event_id="b", event_date="2024-06-01", actor1="Military Forces of Ukraine"),
           Event(event_id="c", event_date=None, actor1="Military Forces of Ukraine")]
    name_events(evs)
    assert evs[2].actor1 == "Military Forces of Ukraine"  # undated: no period can be told
    assert evs[0].actor1 == "Military Forces of Ukraine (2014-2019)"
    assert evs[0].assoc_actor_1 == ["Police Forces of Ukraine (2014-2019)"]
    assert evs[0].actor2 == "Civilians (Ukraine)"
    assert evs[1].actor1 == "Military Forces of Ukraine (2019-)"


def test_acled_export_finds_the_inter_code_of_a_named_period():
    from flashpoint.export.acled import inter_of

    ev = Event(event_id="x", event_date="2023-01-01", event_type="Battles", actor1="Military Forces of Russia (2000-)")
    assert inter_of(ev.actor1, {"military forces of russia": 8}, ev) == 8  # external forces, not 1 by the pattern


# ------------------------------------------------------------------------------------------------ dictionary
@pytest.mark.parametrize("alias,aid,inter", [
    ("CJNG", "cjng", 3), ("Sinaloa Cartel", "sinaloa-cartel", 3), ("Clan del Golfo", "clan-del-golfo", 3),
    ("Estado Mayor Central", "emc-colombia", 2), ("Kachin Independence Army", "kia", 2), ("TNLA", "tnla", 2),
    ("Oromo Liberation Army", "ola", 2), ("SPLM-N", "splm-n", 2), ("FDLR", "fdlr", 2), ("Wazalendo", "wazalendo", 4),
    ("M23", "m23", 2), ("Rapid Support Forces", "rsf", 3), ("JNIM", "jnim", 2), ("ISWAP", "iswap", 2),
    ("Houthis", "houthis", 2), ("Africa Corps", "wagner", 8), ("Arakan Army", "arakan-army", 2),
])
def test_named_groups_of_active_conflicts_have_a_stable_id(alias, aid, inter):
    d = get_dictionary()
    entries = d.alias_entries.get(alias) or d.alias_entries.get(alias.lower()) or []
    assert any(e.actor_id == aid and e.inter == inter for e in entries), [(e.actor_id, e.inter) for e in entries]


def test_gangs_have_an_acled_role():
    d = get_dictionary()
    assert d.role_name("GANG", "MEX") == "Unidentified Gang (Mexico)"
    assert d.role_name("GANG", None) == "Unidentified Gang"
    assert d.nouns["gang members"][0] == "GANG"


# ------------------------------------------------------------------------------------------------ no Syria default
def test_a_modifier_actor_has_no_country_by_default(nlp):
    from flashpoint.events import roles
    from flashpoint.model import Article
    from flashpoint.nlp import new_doc

    doc = nlp(new_doc(nlp, Article(id="t", text="Government airstrikes hit a market on Monday.", published=PUB)))
    doc._.focus_country = None
    a = roles.modifier_actor(doc, [doc[0]])
    assert a is None or "Syria" not in (a.canonical or ""), a


# ------------------------------------------------------------------------------------------------ whole pipeline
@pytest.fixture(scope="module")
def run(events_of):
    return lambda text, published=PUB: [e for e in events_of(text, published) if e.status in ("reported", "claimed")]


def _actor1s(evs):
    return [e.actor1 for e in evs]


def test_gang_members_are_an_unidentified_gang_of_the_country(run):
    evs = run("Gang members shot dead two bus drivers in the city of Culiacan, Mexico, on Sunday.")
    assert "Unidentified Gang (Mexico)" in _actor1s(evs), evs


def test_unidentified_gunmen_and_rioters_take_the_article_country(run):
    assert "Unidentified Armed Group (Nigeria)" in _actor1s(
        run("Unidentified gunmen killed three villagers in Zamfara state, Nigeria, on Monday.")), "gunmen"
    assert "Rioters (Bangladesh)" in _actor1s(run("Rioters torched a police station in Dhaka, Bangladesh, on Wednesday."))


def test_no_country_no_syria(run):
    evs = run("Gunmen attacked a checkpoint on Monday, killing two soldiers.")
    assert evs and all("Syria" not in (e.actor1 or "") + (e.actor2 or "") for e in evs), evs


def test_state_forces_carry_the_period_of_the_event_date(run):
    evs = run("Ukrainian forces shelled Donetsk on Thursday, killing two civilians.", date(2015, 3, 6))
    assert "Military Forces of Ukraine (2014-2019)" in _actor1s(evs), evs


def test_a_named_cartel_and_its_anaphor(run):
    evs = run("CJNG gunmen killed four police officers in Jalisco, Mexico, on Monday. The gang members fled in trucks.")
    assert "Jalisco New Generation Cartel (CJNG)" in _actor1s(evs), evs
    assert any((e.actor2 or "").startswith("Police Forces of Mexico (2018-2024)") for e in evs), evs


@pytest.mark.parametrize("text", [
    "The OSCE monitoring mission reported shelling in Shyrokyne, Ukraine, on Monday.",
    "The Russian defence ministry reported shelling of Belgorod on Monday.",
    "UN observers recorded airstrikes on Marib, Yemen, on Monday.",
])
def test_observers_and_reporting_sources_are_never_actor1(run, text):
    evs = run(text)
    bad = [e.actor1 for e in evs if e.actor1 and any(
        w in e.actor1 for w in ("OSCE", "United Nations", "Russia"))]
    assert not bad, evs


def test_an_army_reporting_its_own_act_stays_actor1(run):
    evs = run("The army reported killing 20 militants in Borno, Nigeria, on Monday.")
    assert "Military Forces of Nigeria (2023-)" in _actor1s(evs), evs
