"""The founding article against its hand annotation (spec by example; the code holds none of its answers).

Scored with the rules of ../shared/eval/score_seed.py (flashpoint.evaluation.seed) on the report as JSON, exactly
as `flashpoint extract ARTICLE --published 2015-10-27 --format json` writes it; the thresholds are the spine
issue's (score_seed.py without --strict). `flashpoint eval seed` prints the strict line.
"""
import json
from datetime import date

import pytest

from flashpoint.evaluation import seed
from flashpoint.model import Article

from conftest import FIXTURES


@pytest.fixture(scope="module")
def scored(pipeline, seed_text):
    gold = json.loads((FIXTURES / "trtworld-aleppo-offensive.gold.json").read_text(encoding="utf-8"))
    report = pipeline.extract(Article(id="seed", text=seed_text, published=date(2015, 10, 27)))
    as_json = json.loads(json.dumps(report.to_json_dict(), ensure_ascii=False))
    return report, as_json, seed.score(gold, as_json), seed.score_places(gold, as_json), gold


def test_events_found(scored):
    _, _, res, _, gold = scored
    missing = [g["id"] for g in gold["events"] if g["id"] not in res["found"]]
    assert res["events_found"] >= seed.NEED_EVENTS[False], f"missing gold events: {missing}"


def test_historical_capture_is_flagged(scored):
    assert scored[2]["historical_E10"]


def test_no_trap_is_asserted(scored):
    assert scored[2]["traps_asserted"] == 0


def test_few_unmatched_asserted_events_and_all_with_evidence(scored):
    res = scored[2]
    assert res["unmatched_asserted_events"] <= seed.MAX_EXTRA[False]
    assert res["events_without_evidence"] == 0


def test_places_within_10km_and_none_abroad(scored):
    _, _, res, places, _ = scored
    assert res["places_within_10km"] >= seed.NEED_PLACES, places["missing"]
    assert places["outside_syria"] == []


def test_quotes_with_speakers(scored):
    assert scored[2]["quotes"] == seed.NEED_QUOTES


def test_conflicting_death_tolls(scored):
    res = scored[2]
    assert res["claims"] == seed.NEED_CLAIMS and res["claims_conflict_flagged"]


def test_spine_thresholds_hold(scored):
    assert scored[2]["passes"], seed.summary(scored[2])


def test_evidence_offsets_point_into_the_article(scored, seed_text):
    report = scored[0]
    for ev in report.events:
        assert seed_text[ev.evidence.start:ev.evidence.end] == ev.evidence.text
    for t in report.toponyms:
        assert seed_text[t.start:t.end] == t.name
