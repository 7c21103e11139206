"""The founding article against its hand annotation (spec by example; the code holds none of its answers).

Thresholds are the acceptance list of the spine issue; `flashpoint eval seed` prints the same numbers.
"""
import json
from datetime import date

import pytest

from flashpoint.evaluation.seed import score_report
from flashpoint.model import Article

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def scored(pipeline, seed_text):
    gold = json.loads((FIXTURES / "trtworld-aleppo-offensive.gold.json").read_text(encoding="utf-8"))
    report = pipeline.extract(Article(id="seed", text=seed_text, published=date(2015, 10, 27)))
    return report, score_report(report, gold, seed_text)


def test_events_found(scored):
    _, s = scored
    missing = [r["id"] for r in s["detail"]["events"] if not r["found"]]
    assert s["metrics"]["events_found"] >= 11, f"missing gold events: {missing}"


def test_historical_capture_is_flagged(scored):
    _, s = scored
    e10 = [r for r in s["detail"]["events"] if r["id"] == "E10"][0]
    assert e10["found"] and e10["status"] == "historical"


def test_no_not_event_is_asserted(scored):
    _, s = scored
    assert [r for r in s["detail"]["not_events"] if r["violated_by"]] == []


def test_places_within_10km(scored):
    _, s = scored
    bad = [(p["mention"], p["km"]) for p in s["detail"]["places"] if p["resolvable"] and not p["ok"]]
    assert s["metrics"]["places_within_10km"] >= 12, bad
    assert s["metrics"]["unresolvable_places_ok"] == 1


def test_quotes_with_speakers(scored):
    _, s = scored
    assert s["metrics"]["quotes_with_speaker"] == 3, s["detail"]["quotes"]


def test_conflicting_death_tolls(scored):
    _, s = scored
    assert s["metrics"]["claims_with_source"] == 2, s["detail"]["claims"]
    assert s["metrics"]["claims_conflict_marked"] == 2


def test_evidence_offsets_point_into_the_article(scored, seed_text):
    report, _ = scored
    for ev in report.events:
        assert seed_text[ev.evidence.start:ev.evidence.end] == ev.evidence.text
    for t in report.toponyms:
        assert seed_text[t.start:t.end] == t.name
