"""Round-4 resolution rules, on invented sentences: a place leading an organisation's name is the
world-known namesake."""
from flashpoint.geo.geoparse import resolve_spans
from flashpoint.geo.resolve import haversine


from geo_helpers import spans_of as _spans  # noqa: E402


def test_org_lead_is_world_known_namesake():
    text = ("Lawmakers in Boston and Worcester, Massachusetts, asked how Cambridge Analytica obtained the "
            "data of voters in Springfield.")
    tops, focus = resolve_spans(text, _spans(text, ["Boston", "Worcester", "Massachusetts", "Cambridge",
                                                    "Springfield"]))
    assert focus == "US"
    assert tops[3].country == "GB"


def test_local_institution_keeps_story_namesake():
    text = ("Lawmakers in Boston and Worcester, Massachusetts, said Cambridge Police closed two streets near "
            "Somerville.")
    tops, _ = resolve_spans(text, _spans(text, ["Boston", "Worcester", "Massachusetts", "Cambridge",
                                                "Somerville"]))
    assert tops[3].country == "US"


def test_list_of_divisions_takes_the_lists_country():
    text = "Cases were reported in British Columbia, Alberta, Manitoba, Ontario and New Brunswick."
    names = ["British Columbia", "Alberta", "Manitoba", "Ontario", "New Brunswick"]
    tops, _ = resolve_spans(text, _spans(text, names))
    assert all(t.country == "CA" and t.feature_code == "ADM1" for t in tops)


def test_state_list_keeps_georgia_in_the_us():
    text = "Outbreaks hit Arizona, California, Georgia, Ohio and Utah this spring."
    tops, _ = resolve_spans(text, _spans(text, ["Arizona", "California", "Georgia", "Ohio", "Utah"]))
    assert tops[2].country == "US" and tops[2].feature_code == "ADM1"


def test_division_named_with_its_country_fixes_its_other_mentions():
    text = ("Traffic stopped near Los Angeles and San Diego. Hospitals in Ontario, Canada said the province of "
            "Ontario will add beds; Ontario expects more patients.")
    names = ["Los Angeles", "San Diego", "Ontario", "Canada", "Ontario", "Ontario"]
    tops, _ = resolve_spans(text, _spans(text, names))
    assert [t.country for t in (tops[2], tops[4], tops[5])] == ["CA", "CA", "CA"]


def test_division_point_uses_its_extent_not_only_its_towns():
    from flashpoint.geo.geoparse import resolve_name

    loc = resolve_name("Ontario", "CA")
    assert loc is not None and loc.feature_code == "ADM1"
    # the towns' box stops in the populated south (about 47.5 N); the province reaches 56.9 N
    assert 48.5 < loc.lat < 50.5


def test_embedded_town_needs_the_story():
    text = ("The new barbecue place opened on Hampton Avenue in St. Louis, a short walk from Forest Park; "
            "diners came from Clayton and Kirkwood.")
    names = ["Hampton Avenue", "St. Louis", "Forest Park", "Clayton", "Kirkwood"]
    tops, _ = resolve_spans(text, _spans(text, names))
    assert tops[0].resolved and haversine(tops[0].lat, tops[0].lon, 38.63, -90.2) < 50


def test_embedded_division_is_kept():
    text = "Researchers at Arizona State University and in Boston published the study."
    tops, _ = resolve_spans(text, _spans(text, ["Arizona State University", "Boston"]))
    assert tops[0].resolved and tops[0].country == "US" and tops[0].lon < -105


def test_streets_named_as_streets_are_not_towns():
    text = ("The parade turned from Canal Street in New Orleans into the French Quarter and rolled down "
            "Bourbon and Dauphine streets to the corner of Chartres near Jackson Square in Louisiana.")
    names = ["Canal Street", "New Orleans", "French Quarter", "Bourbon", "Dauphine", "Chartres", "Jackson Square",
             "Louisiana"]
    tops, _ = resolve_spans(text, _spans(text, names))
    for t in (tops[3], tops[5]):
        assert t.resolved and haversine(t.lat, t.lon, 29.95, -90.07) < 50, t


def test_small_far_namesake_is_a_local_venue():
    text = ("After the show in Santa Barbara, guests from Goleta and Carpinteria moved on to Booker for "
            "dinner, then to Ventura.")
    names = ["Santa Barbara", "Goleta", "Carpinteria", "Booker", "Ventura"]
    tops, _ = resolve_spans(text, _spans(text, names))
    assert tops[3].resolved and haversine(tops[3].lat, tops[3].lon, 34.42, -119.7) < 100


def test_acronym_of_focus_country():
    text = ("Mining towns near Rustenburg and Polokwane in Limpopo grew fast; South Africa exports platinum, "
            "and SA holds the largest reserves.")
    names = ["Rustenburg", "Polokwane", "Limpopo", "South Africa", "SA"]
    tops, focus = resolve_spans(text, _spans(text, names))
    assert focus == "ZA"
    assert tops[4].country == "ZA" and tops[4].feature_code and tops[4].feature_code.startswith("PCL")


def test_historical_country_names_and_facility_words():
    text = "Veterans of the Soviet Union met at City Hall in Atlanta, Georgia, near Decatur."
    tops, _ = resolve_spans(text, _spans(text, ["Soviet Union", "City Hall", "Atlanta", "Georgia", "Decatur"]))
    assert tops[0].country == "RU"
    assert tops[1].resolved and haversine(tops[1].lat, tops[1].lon, 33.75, -84.39) < 50


def test_embedded_division_lies_at_the_story_town_inside_it():
    text = "Students at Florida Atlantic University in Boca Raton marched to Parkland on Friday."
    tops, _ = resolve_spans(text, _spans(text, ["Florida Atlantic University", "Boca Raton", "Parkland"]))
    assert tops[0].resolved and haversine(tops[0].lat, tops[0].lon, 26.37, -80.1) < 40


def test_governor_names_the_state():
    text = "New York Governor Andrew Smith spoke in Albany and Buffalo after the flu reached Boston."
    tops, _ = resolve_spans(text, _spans(text, ["New York", "Albany", "Buffalo", "Boston"]))
    assert tops[0].feature_code == "ADM1"


def test_stray_small_town_in_parsed_text_lies_at_anchor(nlp):
    from flashpoint.geo.geoparse import geoparse_doc
    doc = nlp("After the show in Santa Barbara, guests from Goleta and Carpinteria moved on to Booker for "
              "dinner, then to Ventura.")
    tops, _ = geoparse_doc(doc)
    bk = [t for t in tops if t.name == "Booker"]
    for t in bk:  # when recognised, it is not Booker, Texas
        assert not t.resolved or haversine(t.lat, t.lon, 34.42, -119.7) < 100


def test_quarter_of_a_town_lies_in_the_town():
    text = ("A car bomb exploded in the Karmaliya neighbourhood of Mosul city on Monday, and shops in "
            "Tal Afar closed.")
    tops, _ = resolve_spans(text, _spans(text, ["Karmaliya", "Mosul", "Tal Afar"]))
    assert tops[0].resolved and haversine(tops[0].lat, tops[0].lon, tops[1].lat, tops[1].lon) < 25


def test_flattened_dateline_gives_the_place_alone(nlp):
    from flashpoint.geo.recognize import _trim, not_places

    doc = nlp.make_doc("bombing in Iraqs Kirkuk Reuters Monday 3 Aug 2015")
    # the entity spaCy may return for the run-in dateline is "Iraqs Kirkuk Reuters": tokens 2..5
    i, j, _hint = _trim(doc, 2, 5)
    assert doc[i:j].text == "Kirkuk"
    assert "aug" in not_places()
