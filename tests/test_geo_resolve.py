"""Geoparsing of the seed article checked against the gold fixture, plus event-location rules."""
import json
from pathlib import Path

import pytest

from flashpoint.geo import names as N
from flashpoint.geo.resolve import haversine

GOLD = Path(__file__).parent / "fixtures" / "trtworld-aleppo-offensive.gold.json"


@pytest.fixture(scope="module")
def seed_doc(nlp, seed_text):
    return nlp(seed_text)


@pytest.fixture(scope="module")
def gold_places():
    return json.loads(GOLD.read_text(encoding="utf-8"))["places"]


def _mentions(doc, mention):
    return [t for t in doc._.toponyms if t.type == "literal" and t.name == mention]


def test_focus_country(seed_doc):
    assert seed_doc._.focus_country == "SY"


def test_gold_places_within_10km(seed_doc, gold_places):
    text = seed_doc.text
    checked = 0
    for gp in gold_places:
        if gp.get("lat") is None:
            continue
        ms = _mentions(seed_doc, gp["mention"])
        assert ms, f"{gp['mention']} not recognised"
        for t in ms:
            after = text[t.end:t.end + 12].lower()
            assert t.resolved, f"{gp['mention']} unresolved"
            assert t.country == "SY"
            d = haversine(t.lat, t.lon, gp["lat"], gp["lon"])
            if "province" in after:
                # "X Province": the governorate of that name is the right answer
                assert t.feature_code == "ADM1" and N.name_key(t.canonical) in (
                    N.name_key(gp["canonical"]), N.name_key(gp["mention"])), (gp["mention"], t)
            else:
                assert d <= 10.0, (gp["mention"], t.canonical, round(d, 1))
        checked += 1
    assert checked == 13


def test_unconfirmed_place_not_guessed_far(seed_doc, gold_places):
    anchor = next(g for g in gold_places if g["canonical"] == "Khan Tuman")
    for gp in gold_places:
        if gp.get("lat") is not None:
            continue
        for t in _mentions(seed_doc, gp["mention"]):
            if t.resolved:
                assert haversine(t.lat, t.lon, anchor["lat"], anchor["lon"]) <= 25.0


def test_no_local_place_outside_focus(seed_doc):
    for t in seed_doc._.toponyms:
        if t.resolved and t.type == "literal" and t.geo_precision == 1:
            assert t.country == "SY", t


def test_demonyms_typed(seed_doc):
    dem = [t for t in seed_doc._.toponyms if t.type in ("demonym", "modifier")]
    assert dem and all(t.geo_precision == 3 for t in dem if t.resolved)
    assert not any(t.name in ("Syrian", "Russian") and t.type == "literal" for t in seed_doc._.toponyms)


def test_actor_names_not_places(seed_doc):
    names = {t.name for t in seed_doc._.toponyms}
    assert not any("Hezbollah" in n or "Nusra" in n for n in names)


def _trigger(doc, word):
    return next(t.i for t in doc if t.text == word)


def test_event_locations_lists_and_anchors(nlp):
    from flashpoint.geo import event_locations

    doc = nlp("Iraqi forces shelled Mosul on Monday. Militants seized several villages near Kirkuk "
              "including Daquq, Tuz Khurmatu and Taza. The town, 20 km south of Kirkuk city, was "
              "stormed at dawn.")
    locs = event_locations(doc, _trigger(doc, "shelled"))
    assert [l.name for l in locs] == ["Mosul"]
    seized = event_locations(doc, _trigger(doc, "seized"))
    assert {"Daquq", "Taza"} <= {l.name for l in seized}
    assert all(type(l).__name__ == "Location" for l in seized)
    stormed = event_locations(doc, _trigger(doc, "stormed"))
    assert len(stormed) == 1 and stormed[0].anchor == "Kirkuk" and stormed[0].geo_precision == 2


def test_event_locations_none_when_no_place(nlp):
    from flashpoint.geo import event_locations

    doc = nlp("The minister said the attack was cowardly.")
    assert event_locations(doc, _trigger(doc, "attack")) == []


def test_resolve_name():
    from flashpoint.geo import resolve_name

    loc = resolve_name("Khan Toman", "SY")
    assert loc is not None and loc.country == "SY" and loc.geonameid
    assert resolve_name("Xqzvbnm Qqq", "SY") is None
