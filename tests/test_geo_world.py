"""World coverage of the gazetteer and recogniser beyond the conflict countries: first-level divisions,
counties, physical features, country points, place names embedded in organisation names."""
import pytest

from flashpoint.geo.geoparse import resolve_name, resolve_spans
from flashpoint.geo.resolve import haversine


@pytest.mark.parametrize("name,cc,lat,lon", [
    ("Tamil Nadu", "IN", 11.0, 78.5),
    ("Karnataka", "IN", 14.5, 76.0),
    ("British Columbia", "CA", 53.7, -127.6),
    ("Eastern Cape", "ZA", -32.0, 26.5),
])
def test_first_level_divisions_everywhere(name, cc, lat, lon):
    loc = resolve_name(name)
    assert loc is not None and loc.country == cc and loc.feature_code == "ADM1"
    assert haversine(loc.lat, loc.lon, lat, lon) < 400


@pytest.mark.parametrize("name,fcode", [("Mediterranean", "SEA"), ("Indian Ocean", "OCN"),
                                         ("Himalayas", "MTS"), ("Euphrates", "STM")])
def test_physical_features(name, fcode):
    loc = resolve_name(name)
    assert loc is not None and loc.feature_code == fcode


def test_county_span_resolves_to_the_county():
    text = "Deputies in Orange County, California, said the fire near Anaheim was contained."
    s = text.index("Orange County")
    tops, _ = resolve_spans(text, [(s, s + len("Orange County")), (text.index("California"),
                                                                   text.index("California") + 10)])
    assert tops[0].feature_code == "ADM2" and tops[0].country == "US"
    assert haversine(tops[0].lat, tops[0].lon, 33.7, -117.8) < 60


def test_country_point_is_the_conventional_centre():
    loc = resolve_name("Canada")
    assert loc is not None and loc.country == "CA"
    # a centre point in the west of the country, not the capital (Ottawa, 45.4 N 75.7 W)
    assert haversine(loc.lat, loc.lon, 45.4, -75.7) > 1000


def test_organisation_embeds_place_as_modifier(nlp):
    doc = nlp("He sued the Toronto Police Services Board and the Bank of America over the arrest.")
    tops = {(t.name, t.type) for t in doc._.toponyms}
    assert ("Toronto", "modifier") in tops
    assert ("America", "modifier") in tops
    assert not any(t.name.startswith("Toronto Police") for t in doc._.toponyms)


def test_capitalised_county_kept_in_span(nlp):
    doc = nlp("Officials in Morris County said the road was closed.")
    assert "Morris County" in {t.name for t in doc._.toponyms}


def test_seat_of_government_not_a_place_when_it_speaks(nlp):
    doc = nlp("The White House said on Monday that talks would resume.")
    assert "White House" not in {t.name for t in doc._.toponyms}
