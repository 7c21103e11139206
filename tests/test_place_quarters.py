"""Stop 5 place fixes (issue #11 item 4): city quarters the gazetteer lacks, containers after a list of places and
after the lede's place, and names that are no places (a rank, a country's possessive, an armed unit, a headline's
credit). Invented sentences."""
import flashpoint
from flashpoint.geo.recognize import _country_possessive, _in_unit_name
from flashpoint.geo.resolve import _alias_place
from flashpoint.nlp import load_base

PUB = "2016-03-10"
DAMASCUS = (33.51, 36.29)
NEAR_KM = 10.0


def _km(a, b):
    from flashpoint.events.candidate import _km as km
    from flashpoint.model import Location

    return km(Location(name="a", lat=a[0], lon=a[1]), Location(name="b", lat=b[0], lon=b[1]))


def _cands(text):
    from flashpoint.geo import recognize as R

    return R.recognise(load_base()(text))


def test_quarter_alias_is_the_quarter_not_a_village_namesake():
    # the gazetteer has villages called Barzah in Idlib and Homs; "Barzeh" in the news is the Damascus quarter
    p = _alias_place("Barzeh")
    assert p is not None and p.fcode == "PPLX" and _km((p.lat, p.lon), DAMASCUS) < NEAR_KM


def test_shelled_quarters_of_the_capital_lie_in_damascus():
    r = flashpoint.extract("Government artillery shelled the Jobar district of the capital on Tuesday, killing "
                           "two fighters, activists said.", published=PUB)
    ev = [e for e in r.events if e.location is not None and e.location.lat is not None]
    assert ev and all(_km((e.location.lat, e.location.lon), DAMASCUS) < NEAR_KM for e in ev)


def test_unknown_villages_listed_before_their_province_lie_in_it():
    # "X town and Y village in <province>": the province holds both, whatever village elsewhere X resembles
    r = flashpoint.extract("On Friday militants executed four shepherds in Zabqarin town and Umm Tannour village in "
                           "Deir Ezzor.", published=PUB)
    ev = [e for e in r.events if e.location is not None]
    assert ev and all(e.location.admin1 in ("Days Az Zawr", "Deir ez-Zor") for e in ev)


def test_rank_before_a_name_is_no_place():
    cs = _cands("Col Samir Haddad, a former deputy chief of staff, said the brigade had withdrawn.")
    assert not any(c.text == "Col" for c in cs)


def test_country_possessive_in_a_flattened_headline_is_no_place():
    assert _country_possessive("Turkeys") and not _country_possessive("Philippines")
    cs = _cands("Turkeys Dilemma; Rebels Advance Towards Azaz 5 Fighters Killed.")
    assert not any(c.text == "Turkeys" and c.type == "literal" for c in cs)


def test_armed_unit_name_is_no_place():
    doc = load_base()("The Suqour al-Rahman Brigade said it had captured a checkpoint.")
    assert _in_unit_name(list(doc), 2)
    assert not any(c.type == "literal" and "Rahman" in c.text for c in _cands(doc.text))


def test_headline_credit_is_not_part_of_the_place():
    # "... Clash in Eastern Ghouta Monitor": the monitor credited at the end of a flattened headline
    from flashpoint.geo.recognize import _trim

    doc = load_base()("Fighting rages in Eastern Ghouta Monitor AFP.")
    i, j, _ = _trim(doc, 3, 7)
    assert doc[i:j].text == "Eastern Ghouta"


def test_city_after_city_of_is_a_place_not_an_organisation_modifier():
    # a run-on: "the Syrian city of Aleppo the Syrian Observatory for Human Rights said"
    cs = _cands("At least nine people were killed in a mortar attack on districts of the Syrian city of Aleppo "
                "the Syrian Observatory for Human Rights said.")
    assert any(c.text == "Aleppo" and c.type == "literal" for c in cs)


def test_a_quarter_and_its_city_are_one_place_for_incidents():
    from flashpoint.events.candidate import _same_place
    from flashpoint.model import Location

    city = Location(name="Homs", lat=34.732, lon=36.713, feature_code="PPLA")
    quarter = Location(name="Al-Waer", lat=34.745, lon=36.655, feature_code="PPLX")
    other_quarter = Location(name="Baba Amr", lat=34.713, lon=36.692, feature_code="PPLX")
    far_town = Location(name="Rastan", lat=34.92, lon=36.73, feature_code="PPL")
    assert _same_place(quarter, city) and _same_place(city, quarter)
    assert not _same_place(quarter, other_quarter) and not _same_place(quarter, far_town)


def test_quarter_named_before_a_place_noun_is_a_place():
    # "a car bomb in Bab Touma neighborhood in Damascus": the quarter, not a modifier of "neighborhood"
    r = flashpoint.extract("Three people were killed in a car bomb attack in Bab Touma neighborhood in Damascus on "
                           "Monday, state media said.", published=PUB)
    assert any(t.name == "Bab Touma" and t.type == "literal" for t in r.toponyms)


def test_a_far_namesake_beside_a_named_town_lies_by_that_town():
    # "in X in the southern side of <town>": a reading of X 100+ km from the town is a namesake
    from flashpoint.events.place import _SIDE_OF

    assert _SIDE_OF.search(" in the Southern side of ") and not _SIDE_OF.search(" and the road to ")


def test_each_shelled_quarter_is_an_event_place():
    # "shelled both X and the Y district of the capital": Y names a place, it does not merely modify "district"
    r = flashpoint.extract("The army shelled both Barzeh and the Jobar district of the capital on Monday, activists "
                           "said.", published=PUB)
    names = {e.location.canonical for e in r.events if e.location is not None}
    assert {"Barzeh", "Jobar"} <= names
