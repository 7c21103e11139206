"""The event's place (issue #11 item 4): invented sentences, one per rule."""
import pytest

import flashpoint

PUB = "2020-03-10"


def _events(text, title=None):
    return flashpoint.extract(text, published=PUB, title=title).events


def _toponym(report, name):
    return next(t for t in report.toponyms if t.name == name)


def test_source_base_is_not_a_place():
    # "the Britain-based monitor said": where the monitor sits, not where anything happened
    r = flashpoint.extract("Air strikes killed 20 people in Idlib on Monday, the Britain-based Syrian Observatory "
                           "for Human Rights said.", published=PUB)
    assert _toponym(r, "Britain").type != "literal"
    assert r.events and all(e.location is None or e.location.country != "GB" for e in r.events)


def test_speaker_city_is_not_the_event_place():
    # "Kyiv says ...": Kyiv speaks; the shelling happened in Pokrovsk
    r = flashpoint.extract("Kyiv says Russian forces shelled the town of Pokrovsk, Donetsk region, killing three "
                           "civilians.", published=PUB)
    assert _toponym(r, "Kyiv").type == "metonymic"
    ev = [e for e in r.events if e.location is not None]
    assert ev and all(e.location.admin1 == "Donetsk" for e in ev)
    assert all("Kyiv" not in (e.location.name, e.location.canonical) for e in ev)


def test_currency_is_not_a_place():
    # "prices in US dollar", "the naira fell": currencies
    r = flashpoint.extract("Prices in US dollar rose as gunmen killed five villagers in Zamfara State. "
                           "The naira fell sharply.", published=PUB)
    assert all(t.name.lower() != "naira" for t in r.toponyms)
    us = [t for t in r.toponyms if t.name == "US"]
    assert all(t.type != "literal" for t in us)
    ev = [e for e in r.events if e.location is not None]
    assert ev and all(e.location.country == "NG" for e in ev)


def test_niger_state_is_nigerias_state():
    # "in Niger State": Nigeria's state, not the country Niger
    ev = _events("Gunmen killed 12 people in Niger State on Monday, police said.")
    assert ev and ev[0].location.country == "NG" and ev[0].location.admin1 == "Niger"


def test_headline_place_when_the_body_names_none():
    # the body sentence says only "in Syria": the headline's town is the better place
    ev = _events("Air strikes kill 10 in Douma.\n\nAir strikes killed 10 civilians in Syria on Monday, "
                 "a monitor said.")
    placed = [e for e in ev if e.status in ("reported", "claimed")]
    assert placed and all(e.location is not None and e.location.country == "SY"
                          and (e.location.feature_code or "")[:3] != "PCL" for e in placed)


def test_foreign_place_kept_when_the_clause_puts_the_event_there():
    # "in northern Iraq": a place outside the focus country that really is the event's
    ev = _events("Turkish jets struck Kurdish militants in northern Iraq on Sunday, killing 12, the army said. "
                 "Ankara said the raids would go on. Turkey has fought the PKK for decades in Turkey's southeast.")
    strikes = [e for e in ev if e.sub_event_type == "Air/drone strike"]
    assert strikes and strikes[0].location.country == "IQ"


@pytest.mark.parametrize("text", [
    "Gunmen killed four farmers in the village of Kaura Namoda in Zamfara State on Sunday.",
    "Shelling killed two people in Kharkiv on Tuesday, officials said.",
])
def test_admin1_and_admin2_filled(text):
    ev = [e for e in _events(text) if e.location is not None]
    assert ev
    for e in ev:
        assert e.location.admin1, e.location
        assert e.location.admin2, e.location


def test_ethnic_group_is_not_a_place():
    # "Kurdish forces": a people, never the event's place
    r = flashpoint.extract("Islamic State fighters clashed with Kurdish forces west of Kobane on Sunday, killing 12.",
                           published=PUB)
    assert all(t.type != "literal" for t in r.toponyms if t.name == "Kurdish")
    ev = [e for e in r.events if e.location is not None]
    assert ev and all(e.location.country == "SY" and e.location.admin1 == "Aleppo" for e in ev)


def test_small_foreign_namesake_lies_in_the_named_home_place():
    # "the Sumaria area in the Syrian capital Damascus": not a Brazilian village
    ev = _events("A car bomb killed four people in the Sumaria area in the Syrian capital Damascus on Sunday.")
    placed = [e for e in ev if e.location is not None]
    assert placed and all(e.location.country == "SY" for e in placed)


def test_a_reference_point_is_not_another_event_place():
    """"A car bomb killed eight people near the holy shrine of Sayyeda Zeinab south of the Syrian capital Damascus":
    Damascus locates the shrine; it is no second event."""
    import flashpoint
    r = flashpoint.extract("A car bomb killed eight people near the shrine of Sayyeda Zeinab south of the Syrian "
                           "capital Damascus on Monday. Jets struck the village of Kafr Zita 30 km north of Hama on "
                           "Monday.", published="2017-10-10", id="t")
    assert sorted(e.location.name for e in r.events) == ["Kafr Zita", "Sayyeda Zeinab"]


def test_river_is_not_the_event_place():
    # invented: "on the eastern banks of the Euphrates river" names no one country's place; the headline's does
    ev = _events("Coalition strikes kill 15 civilians in Deir Ezzor. At least 15 civilians were killed on Wednesday by "
                 "airstrikes targeting a village on the eastern banks of the Euphrates river, the monitor said.",
                 title="Coalition strikes kill 15 civilians in Deir Ezzor")
    placed = [e for e in ev if e.location is not None]
    assert placed and all(e.location.country == "SY" for e in placed)
    assert all("Euphrates" not in (e.location.name or "") for e in placed)


def test_news_agency_name_is_not_the_event_place():
    # invented: "Firat news agency said": the outlet's name (read as a Turkish village), not where it happened
    r = flashpoint.extract("Kurdish fighters destroyed an armoured vehicle of the Turkish army in northern Syria's "
                           "Afrin on Thursday, Firat news agency said.", published=PUB)
    assert all(t.type != "literal" for t in r.toponyms if t.name == "Firat")
    assert all(e.location is None or e.location.country == "SY" for e in r.events)
