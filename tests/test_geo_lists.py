"""A list of places whose commas were lost ("the towns of Tal Minnis Sarmada and Maaret Alnouman") is one
toponym a name, each a place of the focus country; ordinary capitalised prose after "of" is never split. Invented
sentences over real gazetteer names."""
import pytest

from flashpoint.geo import names as N
from flashpoint.geo.lists import find_runs, segment_run


@pytest.fixture(scope="module")
def geo():
    from flashpoint.geo.cli_api import geo_nlp

    return geo_nlp()


def _places(doc) -> dict:
    return {t.name: t for t in doc._.toponyms}


def _assert_in(doc, names: list[str], country: str, admin1: str | None = None) -> None:
    got = _places(doc)
    for n in names:
        assert n in got, (n, sorted(got))
        assert got[n].country == country, (n, got[n])
        if admin1:
            assert got[n].admin1 == admin1, (n, got[n])


def test_syrian_towns_run_together(geo):
    doc = geo("Russian jets struck the towns of Tal Minnis Sarmada and Kafr Nabl in Idlib province on Monday, "
              "killing four civilians, activists said.")
    _assert_in(doc, ["Tal Minnis", "Sarmada", "Kafr Nabl"], "SY", "Idlib")


def test_glued_article_is_the_same_name(geo):
    # "Maaret Alnouman" is Ma`arrat an Nu`man, "Qibtan Aljabal" Qabtan al Jabal
    doc = geo("Warplanes hit the towns of Anadan Khan Touman Qibtan Aljabal and Maaret Alnouman in northern "
              "Syria on Sunday.")
    _assert_in(doc, ["Anadan", "Khan Touman", "Qibtan Aljabal", "Maaret Alnouman"], "SY")
    assert _places(doc)["Maaret Alnouman"].admin1 == "Idlib"


def test_ukrainian_villages(geo):
    doc = geo("Russian forces shelled the villages of Mala Tokmachka Robotyne and Novoprokopivka in Zaporizhzhia "
              "region of Ukraine overnight, the governor said.")
    _assert_in(doc, ["Mala Tokmachka", "Robotyne", "Novoprokopivka"], "UA", "Zaporizhia")


def test_nigerian_towns(geo):
    doc = geo("Boko Haram fighters attacked the towns of Gwoza Bama and Konduga in Borno state, Nigeria, "
              "killing 20 people.")
    _assert_in(doc, ["Gwoza", "Bama", "Konduga"], "NG", "Borno")


def test_list_after_in(geo):
    doc = geo("Heavy fighting was reported in Tal Minnis Sarmada and Maaret Alnouman, Idlib, in Syria.")
    _assert_in(doc, ["Tal Minnis", "Sarmada", "Maaret Alnouman"], "SY")


def test_list_of_whole_names_is_left_to_the_usual_recognition(geo):
    doc = geo("Rebels shelled the villages of Tal Rifaat, Marea and Azaz in Aleppo province, Syria.")
    assert [segment_run(doc, r, "SY") for r in find_runs(doc)] == [None]  # every item is one name already
    _assert_in(doc, ["Tal Rifaat", "Marea", "Azaz"], "SY", "Aleppo")


def test_ministry_is_not_split(geo):
    doc = geo("Officials of the Ministry of Defence and Foreign Affairs met in Damascus, Syria, on Tuesday.")
    assert find_runs(doc) == []  # "Ministry" is no list of places
    names = set(_places(doc))
    assert not names & {"Foreign Affairs", "Foreign", "Affairs", "Defence and Foreign Affairs"}


def test_prose_after_a_list_cue_is_not_split(geo):
    # a cue, but the words are not places of the focus country: nothing is split into places
    doc = geo("Residents of the towns of Saint Patrick Day Parade and Music Festival fame gathered in Aleppo, "
              "Syria, on Friday.")
    assert all(segment_run(doc, r, "SY") is None for r in find_runs(doc))
    names = set(_places(doc))
    assert not names & {"Saint Patrick", "Day Parade", "Parade", "Music", "Festival"}


def test_unglued():
    assert N.name_key(N.unglued("Maaret Alnouman")) == N.name_key("Maaret al-Nouman")
    assert N.unglued("Aleppo") == "Aleppo"  # a first word keeps its letters
    assert N.unglued("Porto Alegre") == "Porto Alegre"  # "Al" before a vowel is no article


def test_each_place_of_the_list_is_a_place_of_the_event(geo):
    from flashpoint.geo.event_location import event_locations

    doc = geo("Russian forces shelled the villages of Mala Tokmachka Robotyne and Novoprokopivka in Zaporizhzhia "
              "region of Ukraine overnight.")
    verb = next(t for t in doc if t.text == "shelled")
    names = [loc.name for loc in event_locations(doc, verb.i)]
    assert {"Mala Tokmachka", "Robotyne", "Novoprokopivka"} <= set(names), names
