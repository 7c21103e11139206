"""Generalisation check on the hand-annotated invented articles in tests/fixtures/handset.

The fixture tests check that every gold file is internally consistent with its article (so the
scores mean something); the floor test runs the full pipeline and asserts modest floors that the
system met when the set was written (see docs/EVALUATION.md). Raise the floors as the system improves.
"""
from __future__ import annotations

import csv
from datetime import date

import pytest

from flashpoint.evaluation import handset
from flashpoint.paths import PACKAGE_DATA

ITEMS = handset.load_handset()
STATUSES = {"reported", "claimed", "denied", "hypothetical", "historical"}


def _subtypes() -> dict[str, str]:
    with open(PACKAGE_DATA / "events" / "acled_subtypes.tsv", encoding="utf-8") as f:
        return {r["sub_event_type"]: r["event_type"] for r in csv.DictReader(f, delimiter="\t")}


def test_handset_present():
    assert len(ITEMS) >= 10, "tests/fixtures/handset should hold 10 annotated articles"


@pytest.mark.parametrize("name,text,gold", ITEMS, ids=[i[0] for i in ITEMS])
def test_gold_consistent_with_text(name, text, gold):
    sub = _subtypes()
    date.fromisoformat(gold["publication_date"])
    assert 120 <= len(text.split()) <= 320
    mentions = {p["mention"].lower() for p in gold["places"]}
    for p in gold["places"]:
        assert p["mention"].lower() in text.lower(), p["mention"]
        assert (p["lat"] is None) == (p["lon"] is None)
        if p["lat"] is not None:
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
    ids = set()
    for e in gold["events"]:
        assert e["id"] not in ids
        ids.add(e["id"])
        for s in (e["status"] if isinstance(e["status"], list) else [e["status"]]):
            assert s in STATUSES, (e["id"], s)
        for st in e["sub_event_type"]:
            assert sub.get(st) in e["event_type"], (e["id"], st)
        assert e["actor1"] is None or (isinstance(e["actor1"], str) and e["actor1"]), e["id"]
        locs = e["location"] if isinstance(e["location"], list) else [e["location"]]
        for loc in locs:
            assert loc is None or loc.lower() in mentions, (e["id"], loc)
    for ne in gold["not_events"]:
        for piece in [x.strip() for x in ne["text"].split("...") if x.strip()]:
            assert piece in text, piece
    for q in gold["quotes"]:
        assert q["starts"] in text and q["speaker"].split()[-1] in text
    for c in gold["claims"]:
        assert isinstance(c["value"], (int, float)) and c["source"]


@pytest.fixture(scope="module")
def handset_result(pipeline):
    res = handset.run(None, pipeline=pipeline)
    if "skipped" in res:
        pytest.skip(res["skipped"])
    return res


def test_handset_scores_every_article(handset_result):
    assert handset_result["n"] == len(ITEMS)
    for name, art in handset_result["articles"].items():
        assert art["metrics"]["events_total"] >= 3, name


# Floors: measured on 2026-11-26 while other components were changing (two runs: recall 0.44 / 0.53,
# precision 0.19 / 0.22, status 0.85 / 0.88, dates - / 0.58, places 0.79 / 0.88, quotes 1.0, claims 0.67,
# 4 of 23 not_events violated), set a margin below the lower run. Round 3 (04:30 UTC, events/actors rules):
# recall 0.80, precision 0.68 -> recall/precision floors raised to 0.60 / 0.50 (other components still change).
FLOORS = {
    "event_recall": 0.60,
    "event_precision": 0.50,
    "status_accuracy": 0.70,
    "date_accuracy": 0.40,
    "place_accuracy": 0.70,
    "quote_speaker_accuracy": 0.80,
    "claim_source_accuracy": 0.50,
}
MAX_NOT_EVENTS_VIOLATED = 6


@pytest.mark.parametrize("metric,floor", sorted(FLOORS.items()))
def test_handset_floor(handset_result, metric, floor):
    m = handset_result["metrics"]
    assert m[metric] is not None and m[metric] >= floor, (metric, m[metric], m)


def test_handset_not_events(handset_result):
    m = handset_result["metrics"]
    assert m["not_events_violated"] <= MAX_NOT_EVENTS_VIOLATED, m["not_events_violated"]
